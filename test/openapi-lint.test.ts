// The generated OpenAPI document passes the standard linters: Spectral's `spectral:oas` and
// Redocly's `recommended` rulesets, with no finding of any severity beyond the exceptions in
// test/openapi-lint/ (each one a rule whose fix would change the published Users part). Both
// run as their CLIs from node_modules/.bin on the document written out as `openapi.json`, next
// to a copy of their configs (whose scopes name that file), so a new finding fails here and the
// failure lists it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateDocument } from '../server/http/openapi-document';

const run = promisify(execFile);
const BIN = path.join(__dirname, '..', 'node_modules', '.bin');
const CONFIGS = path.join(__dirname, 'openapi-lint');

interface Finding {
  rule: string;
  severity: string;
  where: string;
  message: string;
}

/** A linter's JSON report: its exit status only says whether it found errors, the report says what. */
async function lint(tool: string, args: string[], cwd: string): Promise<unknown> {
  const { stdout } = await run(path.join(BIN, tool), args, {
    cwd,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: Error & { code?: unknown; stdout?: string; stderr?: string }) => {
    // findings of severity error exit with 1; anything else is the tool failing to run
    if (error.code !== 1) throw new Error(`${tool} did not run: ${error.stderr || error.message}`);
    return { stdout: error.stdout ?? '' };
  });
  return JSON.parse(stdout);
}

const listed = (findings: Finding[]) =>
  findings.map(({ rule, severity, where, message }) => `  ${severity} ${rule} at ${where}: ${message}`).join('\n');

describe('the OpenAPI document passes the OpenAPI linters', function () {
  this.timeout(60_000);
  this.slow(10_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'users-openapi-lint-'));
    writeFileSync(path.join(dir, 'openapi.json'), `${JSON.stringify(generateDocument(), null, 2)}\n`);
    for (const config of ['.spectral.yaml', '.redocly.lint-ignore.yaml']) {
      copyFileSync(path.join(CONFIGS, config), path.join(dir, config));
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('Spectral’s spectral:oas: no findings but the listed exceptions', async () => {
    const results = (await lint(
      'spectral',
      ['lint', 'openapi.json', '--ruleset', '.spectral.yaml', '-f', 'json', '-q'],
      dir,
    )) as Array<{
      code: string;
      severity: number;
      path: string[];
      message: string;
    }>;
    const severities = ['error', 'warning', 'info', 'hint'];
    const findings = results.map((result) => ({
      rule: result.code,
      severity: severities[result.severity] ?? String(result.severity),
      where: `#/${result.path.join('/')}`,
      message: result.message,
    }));
    assert.deepEqual(findings, [], `Spectral found:\n${listed(findings)}`);
  });

  it('Redocly’s recommended: no findings but the listed exceptions', async () => {
    const report = (await lint(
      'redocly',
      ['lint', 'openapi.json', '--extends', 'recommended', '--format', 'json'],
      dir,
    )) as {
      totals: { ignored: number };
      problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }>;
    };
    const findings = report.problems.map((problem) => ({
      rule: problem.ruleId,
      severity: problem.severity,
      where: problem.location.map(({ pointer }) => pointer).join(', '),
      message: problem.message,
    }));
    assert.deepEqual(findings, [], `Redocly found:\n${listed(findings)}`);
    assert.ok(report.totals.ignored > 0, 'the exceptions in .redocly.lint-ignore.yaml were read');
  });
});
