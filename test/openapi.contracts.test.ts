// Contract 2.1.0 (what the service serves) is a strict superset of 2.0.0 (the published one): every
// path, operation, parameter, request body, status, response and component schema of 2.0.0 is in
// 2.1.0 and unchanged, and 2.1.0 adds something. Checked against the generated 2.0.0 document and
// against the published copy in test/fixtures, structurally (every value of the old document is in
// the new one, at the same place) and as the contract views the drift test compares.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateDocument } from '../server/http/openapi-document';
import { contractView } from './support/contract-view';

type Json = Record<string, unknown>;
const published = JSON.parse(
  readFileSync(path.join(__dirname, 'fixtures', 'users-api-v2.openapi.json'), 'utf8'),
) as Json;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/**
 * Where `newer` fails to keep what `older` says, as JSON pointers: objects may gain keys, except
 * where noted; lists of parameters may gain parameters (matched by name and place), the list of tags
 * may gain tags; any other value
 * must be equal. Component schemas and parameters must be equal outright: a schema that gained a
 * required field, or a parameter that became required, would break an old client.
 */
function notKept(older: unknown, newer: unknown, at: string, exact = false): string[] {
  if (exact) return JSON.stringify(older) === JSON.stringify(newer) ? [] : [`${at} changed`];
  if (Array.isArray(older)) {
    if (!Array.isArray(newer)) return [`${at} is no longer a list`];
    if (at.endsWith('/parameters')) {
      return older.flatMap((parameter: Json) => {
        const same = newer.find(
          (candidate: Json) => candidate.name === parameter.name && candidate.in === parameter.in,
        );
        return same === undefined
          ? [`${at}: parameter ${String(parameter.name)} is gone`]
          : notKept(parameter, same, `${at}/${String(parameter.name)}`, true);
      });
    }
    if (at === '#/tags') {
      // the document's tags may gain the tags of what was added beside the published part
      return older.flatMap((entry: Json) =>
        newer.some((candidate: Json) => JSON.stringify(candidate) === JSON.stringify(entry))
          ? []
          : [`${at}: tag ${String(entry.name)} changed or is gone`],
      );
    }
    return JSON.stringify(older) === JSON.stringify(newer) ? [] : [`${at} changed`];
  }
  if (typeof older === 'object' && older !== null) {
    if (typeof newer !== 'object' || newer === null) return [`${at} is gone`];
    return Object.entries(older).flatMap(([key, value]) =>
      key in newer
        ? notKept(value, (newer as Json)[key], `${at}/${key}`, at === '#/components/schemas')
        : [`${at}/${key} is gone`],
    );
  }
  return older === newer ? [] : [`${at}: ${JSON.stringify(older)} became ${JSON.stringify(newer)}`];
}

/** A document without its `info` (the version number is what changes). */
function body(document: object): Json {
  const copy = JSON.parse(JSON.stringify(document)) as Json;
  delete copy.info;
  return copy;
}

describe('contract 2.1.0 against 2.0.0', () => {
  const current = generateDocument();
  const older = generateDocument({ contract: '2.0.0' });

  it('2.1.0 keeps every path, operation, parameter, schema and status of the generated 2.0.0 unchanged', () => {
    assert.equal(current.info.version, '2.1.0');
    assert.equal(older.info.version, '2.0.0');
    assert.deepEqual(notKept(body(older), body(current), '#'), []);
  });

  it('and every promise of the published document itself', () => {
    // seen as the drift test sees them (the generated 2.0.0 document has truthful extras beside the
    // published copy: descriptions, lengths, patterns): every published operation's view is in
    // 2.1.0 with its parameters, body and statuses
    const before = contractView(published);
    const after = contractView(current);
    for (const [operation, view] of Object.entries(before)) {
      const now = after[operation];
      assert.ok(now, `${operation} is in 2.1.0`);
      assert.equal(now.operationId, view.operationId);
      for (const parameter of view.parameters)
        assert.ok(
          now.parameters.some((p) => JSON.stringify(p) === JSON.stringify(parameter)),
          `${operation} ${String(parameter.name)}`,
        );
      assert.deepEqual(now.requestBody, view.requestBody, `${operation}: its body`);
      for (const [status, content] of Object.entries(view.responses))
        assert.deepEqual(now.responses[status], content, `${operation} ${status}`);
    }
  });

  it('2.1.0 adds: the list’s parameters, ETag and Link, If-Match and If-None-Match, 304, 412 and PATCH', () => {
    const paths = current.paths as Record<
      string,
      Record<string, Json & { parameters?: Json[]; responses: Record<string, Json> }>
    >;
    const list = paths['/api/v2/users']!.get!;
    assert.deepEqual(
      list.parameters!.map((parameter) => parameter.name),
      [
        'offset',
        'limit',
        'email',
        'q',
        'authMethod',
        'createdAfter',
        'createdBefore',
        'signedInSince',
        'notSignedInSince',
        'status',
        'metadata',
        'sort',
        'cursor',
      ],
    );
    for (const parameter of list.parameters!.slice(2)) {
      assert.equal(parameter.required, undefined, `${String(parameter.name)} is optional`);
      assert.equal(parameter['x-since'], '2.1.0');
    }
    assert.ok((list.responses['200']!.headers as Json).Link);
    const item = paths['/api/v2/users/{id}']!;
    assert.deepEqual(Object.keys(item), ['get', 'put', 'patch', 'delete']);
    assert.ok((item.get!.responses['200']!.headers as Json).ETag);
    assert.ok(item.get!.responses['304']);
    assert.ok(
      item.get!.parameters!.some((parameter) => parameter.name === 'If-None-Match' && parameter.in === 'header'),
    );
    for (const method of ['put', 'patch', 'delete']) {
      assert.ok(item[method]!.responses['412'], `${method} 412`);
      assert.ok(
        item[method]!.parameters!.some((parameter) => parameter.name === 'If-Match' && parameter.in === 'header'),
        method,
      );
    }
    assert.ok((paths['/api/v2/users']!.post!.responses['200']!.headers as Json).ETag);
    assert.deepEqual(Object.keys((item.patch!.requestBody as { content: Json }).content), [
      'application/merge-patch+json',
    ]);
    assert.equal(item.patch!.operationId, 'Users_patch');
    // tRPC's own fields never reach the document
    assert.ok(!JSON.stringify(current).includes('expectedVersion'));
    // nor any of it the 2.0.0 one
    for (const added of [
      'If-Match',
      'If-None-Match',
      'ETag',
      'Link',
      'cursor',
      'UserMergePatch',
      '"412"',
      '"304"',
      '"patch"',
    ]) {
      assert.ok(!JSON.stringify(older).includes(added), `2.0.0 has no ${added}`);
    }
    for (const method of METHODS) {
      for (const operation of Object.values(paths).flatMap((entry) => (entry[method] ? [entry[method]] : []))) {
        assert.ok(operation.responses.default, `${String(operation.operationId)} keeps its default error response`);
      }
    }
  });

  it('the check notices what would break an old client', () => {
    const breaks: Record<string, (doc: any) => void> = {
      'a parameter made required': (doc) => (doc.paths['/api/v2/users/{id}'].get.parameters[0].required = false),
      'a parameter gone': (doc) => doc.paths['/api/v2/users'].get.parameters.splice(1, 1),
      'a status gone': (doc) => delete doc.paths['/api/v2/users/{id}'].delete.responses['204'],
      'a required property added to a schema': (doc) => doc.components.schemas.UserCreate.required.push('role'),
      'a property gone from a schema': (doc) => delete doc.components.schemas.User.properties.age,
      'an operation gone': (doc) => delete doc.paths['/api/v2/users/{id}'].put,
      'a body type changed': (doc) => {
        const content = doc.paths['/api/v2/users'].post.requestBody.content;
        content['text/plain'] = content['application/json'];
        delete content['application/json'];
      },
    };
    for (const [name, drift] of Object.entries(breaks)) {
      const changed = body(current) as any;
      drift(changed);
      assert.notDeepEqual(notKept(body(older), changed, '#'), [], name);
    }
  });
});
