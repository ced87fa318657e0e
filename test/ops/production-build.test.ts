// The production build: `npm run build` compiles the service with tsc, and `npm start` runs the
// compiled JavaScript with plain Node. Here the build goes to a folder of its own (under .data/,
// inside the project, so that node_modules resolves as it does from build/); the service started
// from it with package.json's own start command migrates a fresh database and answers, with no
// TypeScript (tsx, typescript, esbuild) loaded in its process. Then prestart's staleness check.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { tokenService } from '../../server/start/services';
import { loadConfig } from '../../server/config/config';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { newUserBody } from '../support/fixtures';
import { envWithout, runNode, type Running } from '../support/process';
import { TEST_JWT_SECRET } from '../support/service';

const ROOT = path.resolve(__dirname, '../..');
const BUILD_SCRIPT = path.join(ROOT, 'dev/build-service.mjs');
const PROBE = path.join(ROOT, 'test/support/loaded-modules.probe.mjs');
const STAMP = '.build-stamp.json';
/** A module path of a TypeScript compiler or loader. */
const TYPESCRIPT_MODULE = /[\\/]node_modules[\\/](tsx|typescript|esbuild|@esbuild|get-tsconfig)[\\/]/;

interface ProbeReport {
  execArgv: string[];
  nodeOptions: string;
  extensions: string[];
  modules: string[];
}

/** package.json's start command, split: `node`, its flags, and the entry point. */
function startCommand(): { flags: string[]; entry: string } {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const [command, ...args] = manifest.scripts.start!.split(/\s+/);
  assert.equal(command, 'node', 'npm start runs node itself');
  const entry = args.pop()!;
  return { flags: args, entry };
}

async function finished(running: Running): Promise<{ code: number | null; output: string }> {
  const { code } = await running.exited;
  return { code, output: running.output() };
}

function readProbe(file: string): ProbeReport {
  return JSON.parse(readFileSync(file, 'utf8')) as ProbeReport;
}

describe('the production build (npm run build, npm start)', function () {
  this.timeout(180_000);
  const id = randomBytes(6).toString('hex');
  const outDir = path.join(ROOT, '.data', `build-test-${id}`);
  const probeFile = path.join(ROOT, '.data', `loaded-modules-${id}.json`);
  let database: TestDatabase;

  before(async () => {
    const built = await finished(runNode([BUILD_SCRIPT, '--out-dir', outDir], envWithout('NODE_OPTIONS')));
    assert.equal(built.code, 0, built.output);
    assert.match(built.output, /service: built /);
    database = await createTestDatabase();
  });

  after(async () => {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(probeFile, { force: true });
    await database?.drop();
  });

  it('npm start runs the compiled entry point with plain node: no tsx in its command', () => {
    const { flags, entry } = startCommand();
    assert.equal(entry, 'build/server/start/main.js');
    assert.deepEqual(flags, ['--max-semi-space-size=16', '--heap-growing-percent=100']);
    assert.ok(existsSync(path.join(outDir, 'server/start/main.js')));
    assert.ok(existsSync(path.join(outDir, 'migrations')), 'the migrations are compiled beside the config');
  });

  it('migrates a fresh database, answers, and loads no TypeScript', async () => {
    const { flags, entry } = startCommand();
    const env = {
      ...envWithout('NODE_OPTIONS', 'PORT', 'NODE_ENV', 'LOG_LEVEL', 'REDIS_URL', 'SMTP_URL', 'DATABASE_REPLICA_URLS'),
      DATABASE_URL: database.url,
      JWT_SECRET: TEST_JWT_SECRET,
      PORT: '0',
      HASH_LOG_N: '10',
      LOADED_MODULES_FILE: probeFile,
    };
    const mainJs = path.join(outDir, path.relative('build', entry));
    const service = runNode([...flags, '--import', PROBE, mainJs], env);
    try {
      const [, baseUrl] = await service.waitFor(/listening on (http:\/\/[\d.:]+)/, 60_000);

      const ready = await fetch(`${baseUrl}/readyz`);
      const readiness = await ready.json();
      assert.equal(ready.status, 200, JSON.stringify(readiness));
      // the compiled migrations were found (build/migrations/*.js) and all are applied
      assert.equal(readiness.checks.migrations, 'ok');

      const health = await fetch(`${baseUrl}/healthz`);
      assert.equal(health.status, 200);
      await health.arrayBuffer();

      const document = await fetch(`${baseUrl}/api/v2/openapi.json`);
      assert.equal(document.status, 200);
      const openapi = await document.json();
      assert.match(openapi.openapi, /^3\./);
      assert.ok('/api/v2/users/{id}' in openapi.paths);

      // swagger-ui-dist is found from the compiled file's folder too
      const docs = await fetch(`${baseUrl}/docs`);
      assert.equal(docs.status, 200);
      await docs.arrayBuffer();

      // the entities, discovered from compiled JavaScript, write and read
      const token = tokenService({ ...loadConfig(env), JWT_SECRET: TEST_JWT_SECRET }).issue({
        id: 'build',
        role: 'admin',
      }).token;
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const body = newUserBody();
      const created = await fetch(`${baseUrl}/api/v2/users`, { method: 'POST', headers, body: JSON.stringify(body) });
      const user = await created.json();
      assert.equal(created.status, 200, JSON.stringify(user));
      const read = await fetch(`${baseUrl}/api/v2/users/${user.id}`, { headers });
      assert.equal(read.status, 200);
      assert.equal((await read.json()).email.email, body.email.email);
    } finally {
      service.child.kill('SIGTERM');
    }
    assert.deepEqual(await service.exited, { code: 0, signal: null }, service.output());

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ name: string }>('select name from mikro_orm_migrations order by id');
    await client.end();
    const sources = readdirSync(path.join(ROOT, 'migrations')).filter((f) => f.endsWith('.ts'));
    assert.deepEqual(
      rows.map((row) => row.name),
      sources.map((file) => file.replace(/\.ts$/, '')).sort(),
      'every migration ran, recorded by the same names as under tsx',
    );

    const report = readProbe(probeFile);
    assert.deepEqual(report.execArgv, [...flags, '--import', PROBE]);
    assert.equal(report.nodeOptions, '');
    assert.ok(!report.extensions.includes('.ts'), `require() compiles no .ts: ${report.extensions.join(' ')}`);
    // the report is not vacuous: it holds the service's own modules and its dependencies
    assert.ok(report.modules.includes(mainJs), 'the probe saw the compiled entry point');
    assert.ok(report.modules.some((file) => file.startsWith(path.join(outDir, 'migrations'))));
    assert.ok(report.modules.some((file) => file.includes(`${path.sep}@mikro-orm${path.sep}core${path.sep}`)));
    assert.deepEqual(
      report.modules.filter((file) => TYPESCRIPT_MODULE.test(file) || /\.[cm]?tsx?$/.test(file)),
      [],
      'no TypeScript compiler, loader or source in the process',
    );
  });

  it('the probe does see a TypeScript loader where there is one', async () => {
    const file = `${probeFile}.control`;
    try {
      const control = runNode(['--import', PROBE, '--require', 'tsx/cjs', '-e', '0'], {
        ...envWithout('NODE_OPTIONS'),
        LOADED_MODULES_FILE: file,
      });
      assert.equal((await finished(control)).code, 0);
      const report = readProbe(file);
      assert.ok(report.extensions.includes('.ts'));
      assert.ok(report.modules.some((module) => TYPESCRIPT_MODULE.test(module)));
    } finally {
      rmSync(file, { force: true });
    }
  });

  it("prestart's check: fresh until an input's content or the set of inputs changes", async () => {
    const check = async () =>
      finished(runNode([BUILD_SCRIPT, '--check', '--out-dir', outDir], envWithout('NODE_OPTIONS')));
    const stampFile = path.join(outDir, STAMP);
    const original = readFileSync(stampFile, 'utf8');
    const stamp = JSON.parse(original) as { files: Record<string, { size: number; mtimeMs: number }>; hash: string };
    const write = (changed: typeof stamp) => writeFileSync(stampFile, JSON.stringify(changed));
    try {
      assert.deepEqual(await check(), { code: 0, output: `service: ${path.relative(ROOT, outDir)} is fresh\n` });

      // touched, same content: fresh, and the stamp takes the new time
      const touched = structuredClone(stamp);
      touched.files['server/start/main.ts']!.mtimeMs -= 1000;
      write(touched);
      assert.equal((await check()).code, 0);
      assert.deepEqual(JSON.parse(readFileSync(stampFile, 'utf8')).files, stamp.files);

      const edited = structuredClone(stamp);
      edited.files['server/start/main.ts']!.mtimeMs -= 1000;
      edited.hash = 'a different content';
      write(edited);
      const stale = await check();
      assert.equal(stale.code, 1);
      assert.match(stale.output, /is stale: server\/start\/main\.ts changed/);

      const removed = structuredClone(stamp);
      removed.files['server/gone.ts'] = { size: 1, mtimeMs: 1 };
      write(removed);
      assert.match((await check()).output, /is stale: the set of files changed \(-server\/gone\.ts\)/);

      const added = structuredClone(stamp);
      delete added.files['router/app-router.ts'];
      write(added);
      assert.match((await check()).output, /is stale: the set of files changed \(\+router\/app-router\.ts\)/);

      rmSync(stampFile);
      assert.match((await check()).output, /is stale: no finished build/);
    } finally {
      writeFileSync(stampFile, original);
    }
  });
});
