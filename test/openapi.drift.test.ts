// The generated OpenAPI document of contract 2.0.0 is the published one: it makes the same promises
// as the contract copy in test/fixtures (operations, parameters, schemas), and rendered the way the
// published Markdown was made its Users part is that Markdown, byte for byte. `npm run openapi` and
// GET /api/v2/openapi.json give the same document, the current one (2.1.0), which adds to the
// published one and takes nothing away (test/openapi.contracts.test.ts); `npm run openapi --
// --contract 2.0.0` gives the published one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateDocument } from '../server/http/openapi-document';
import { contractView } from './support/contract-view';
import { runScript } from './support/process';
import { renderMarkdown } from './support/render/render';
import { startTestService, type TestService } from './support/service';

const FIXTURES = path.join(__dirname, 'fixtures');
const loadPublished = (): any => JSON.parse(readFileSync(path.join(FIXTURES, 'users-api-v2.openapi.json'), 'utf8'));

describe('the OpenAPI document', () => {
  const generated = generateDocument();
  const published2 = generateDocument({ contract: '2.0.0' });

  describe('where it is served', () => {
    let service: TestService;
    before(async () => {
      service = await startTestService();
    });
    after(() => service.close());

    it('is the same from `npm run openapi` and from GET /api/v2/openapi.json (no token)', async () => {
      const cli = runScript('server/cli/openapi.ts', [], process.env);
      assert.deepEqual(await cli.exited, { code: 0, signal: null }, cli.output());
      const response = await fetch(`${service.baseUrl}/api/v2/openapi.json`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      const served: unknown = await response.json();
      const expected = JSON.parse(JSON.stringify(generated));
      assert.deepEqual(JSON.parse(cli.output()), expected);
      assert.deepEqual(served, expected);
      assert.equal((served as { info: { version: string } }).info.version, '2.1.0');
    });

    it('is the published one from `npm run openapi -- --contract 2.0.0`', async () => {
      const cli = runScript('server/cli/openapi.ts', ['--contract', '2.0.0'], process.env);
      assert.deepEqual(await cli.exited, { code: 0, signal: null }, cli.output());
      assert.deepEqual(JSON.parse(cli.output()), JSON.parse(JSON.stringify(published2)));
      assert.equal(published2.info.version, '2.0.0');
      const wrong = runScript('server/cli/openapi.ts', ['--contract', '1.0.0'], process.env);
      assert.equal((await wrong.exited).code, 2);
      assert.match(wrong.output(), /--contract: must be one of 2\.0\.0, 2\.1\.0/);
    });
  });

  describe('against the published contract', () => {
    it('has the published operations, parameters and request and response schemas', () => {
      const published = contractView(loadPublished());
      assert.deepEqual(Object.keys(published).sort(), [
        'DELETE /api/v2/users/{id}',
        'GET /api/v2/users',
        'GET /api/v2/users/{id}',
        'POST /api/v2/users',
        'PUT /api/v2/users/{id}',
      ]);
      assert.deepEqual(contractView(published2), published);
    });

    it('renders to the published Markdown, line for line', async function () {
      this.timeout(60_000);
      this.slow(5_000);
      const expected = readFileSync(path.join(FIXTURES, 'users-api-v2.md'), 'utf8');
      // The 2.0.0 projection as `npm run openapi -- --contract 2.0.0` prints it, whole: the
      // operations documented beside the Users part came after 2.0.0, so it holds only those.
      const cli = runScript('server/cli/openapi.ts', ['--contract', '2.0.0'], process.env);
      assert.deepEqual(await cli.exited, { code: 0, signal: null }, cli.output());
      const projection = JSON.parse(cli.output());
      assert.deepEqual(projection, JSON.parse(JSON.stringify(published2)));
      const rendered = await renderMarkdown(projection);
      // compared by lines first, so a failure shows where the documents part
      assert.deepEqual(rendered.split('\n'), expected.split('\n'));
      assert.equal(rendered, expected);
    });
  });

  // The comparison above is only as good as what it looks at: each change below breaks the
  // contract, and must make the views differ.
  describe('the drift check', () => {
    const published = loadPublished();
    const drifts: Record<string, (doc: any) => void> = {
      'a path renamed': (doc) => {
        doc.paths['/api/v2/user'] = doc.paths['/api/v2/users'];
        delete doc.paths['/api/v2/users'];
      },
      'a method changed': (doc) => {
        const item = doc.paths['/api/v2/users/{id}'];
        item.patch = item.put;
        delete item.put;
      },
      'an operationId renamed': (doc) => (doc.paths['/api/v2/users'].post.operationId = 'createUser'),
      'a parameter made optional': (doc) => (doc.paths['/api/v2/users'].get.parameters[0].required = false),
      'a parameter renamed': (doc) => (doc.paths['/api/v2/users'].get.parameters[1].name = 'size'),
      'a parameter default changed': (doc) => (doc.paths['/api/v2/users'].get.parameters[1].schema.default = 20),
      'a parameter format changed': (doc) => (doc.paths['/api/v2/users'].get.parameters[0].schema.format = 'int64'),
      'a response status changed': (doc) => {
        const responses = doc.paths['/api/v2/users'].post.responses;
        responses['201'] = responses['200'];
        delete responses['200'];
      },
      'the request body made optional': (doc) => (doc.paths['/api/v2/users'].post.requestBody.required = false),
      'a response property made optional': (doc) => doc.components.schemas.User.required.pop(),
      'a property format changed': (doc) => (doc.components.schemas.User.properties.age.format = 'int32'),
      'a property type changed': (doc) => (doc.components.schemas.Email.properties.id.type = 'string'),
      'a property added': (doc) => (doc.components.schemas.User.properties.role = { type: 'string' }),
      'a property removed': (doc) => delete doc.components.schemas.UserList.properties.total,
      'an enum value dropped': (doc) => doc.components.schemas.Gender.enum.pop(),
      'readOnly dropped': (doc) => delete doc.components.schemas.Email.properties.token.readOnly,
      'a nested body field made optional, behind allOf': (doc) =>
        (doc.components.schemas.EmailCreate.required = ['email', 'authMethod']),
      'a list item schema changed': (doc) =>
        (doc.components.schemas.UserList.properties.items.items.$ref = '#/components/schemas/Email'),
    };
    const baseline = contractView(published);

    for (const [name, drift] of Object.entries(drifts)) {
      it(`notices ${name}`, () => {
        const changed = structuredClone(published);
        drift(changed);
        assert.notDeepEqual(contractView(changed), baseline);
      });
    }

    it('allows truthful extras: descriptions, lengths, patterns and extensions', () => {
      const extended = structuredClone(published);
      Object.assign(extended.components.schemas.User.properties.name, { maxLength: 16, description: 'changed' });
      Object.assign(extended.components.schemas.UserCreate.properties.id, { pattern: '^[a-z]+$' });
      extended.components.schemas.StatusCode['x-enum-varnames'] = ['SUCCESS', 'FAILURE'];
      assert.deepEqual(contractView(extended), baseline);
    });
  });
});
