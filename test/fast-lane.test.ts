// The reads answered before Koa (server/http/fast-lane.ts) answer exactly as the Koa path does:
// two services on one database, one with the fast lane and one with every request through Koa,
// asked the same requests (REST reads, pages of the list and their Link, 304s, 400s, 401s, 404s,
// the account status, plain tRPC queries and batches, and requests the lane leaves to Koa: a list
// that may be streamed among them), give the same status, headers and body; and the requests the lane takes never reach Koa, those it
// leaves all do (the comparison alone passes when the lane takes nothing). And a read answered by the lane is logged and counted like any other request.
import assert from 'node:assert/strict';
import { newUserBody } from './support/fixtures';
import { restClient } from './support/rest';
import { startTestService, type TestService } from './support/service';

const USERS = '/api/v2/users';
// differ per response or per server, not per path
const VARYING = new Set(['date', 'keep-alive', 'connection']);

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function ask(baseUrl: string, path: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, { headers });
  const kept: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    // a cursor is sealed with a fresh nonce each time: the same position reads differently
    if (!VARYING.has(name)) kept[name] = name === 'link' ? value.replace(/cursor=[^&>]+/, 'cursor=…') : value;
  });
  return { status: response.status, headers: kept, body: await response.text() };
}

describe('the reads answered before Koa', function () {
  this.timeout(60_000);
  let lane: TestService;
  let koa: TestService;
  let id: string;
  let etag: string;
  let address: string;

  before(async () => {
    lane = await startTestService();
    koa = await startTestService({}, { url: lane.databaseUrl, koaOnly: true });
    const body = newUserBody();
    const created = await restClient(lane.baseUrl, lane.adminToken).post(USERS, body);
    assert.equal(created.status, 200);
    id = (created.body as { id: string }).id;
    address = body.email.email;
    // more users than a page of two, so that pages carry a Link to the next
    for (let n = 0; n < 3; n++) await restClient(lane.baseUrl, lane.adminToken).post(USERS, newUserBody());
    etag = created.headers.get('etag')!;
  });
  after(async () => {
    await koa?.close();
    await lane?.close();
  });

  it('answers every read as the Koa path does: status, headers and body', async () => {
    const admin = { authorization: `Bearer ${lane.adminToken}` };
    const trpcRead = (input: unknown) => `/trpc/users.read?input=${encodeURIComponent(JSON.stringify(input))}`;
    const cases: Array<[string, Record<string, string>]> = [
      [`${USERS}/${id}`, admin],
      [`${USERS}/${id}?unknown=1&id=other`, admin],
      [`${USERS}/${id}`, { ...admin, 'if-none-match': etag }],
      [`${USERS}/${id}`, { ...admin, 'if-none-match': 'W/"0.0", "1.1"' }],
      [`${USERS}/${id}`, { ...admin, 'if-none-match': 'not a tag' }],
      [`${USERS}/no-such-user`, admin],
      [`${USERS}/a%20b%2Fc`, admin],
      [`${USERS}/${'x'.repeat(300)}`, admin],
      [`${USERS}/${id}`, {}],
      [`${USERS}/${id}`, { authorization: 'Bearer not-a-token' }],
      [`${USERS}/${id}`, { authorization: 'Basic abc' }],
      [`${USERS}/${id}/status`, admin],
      [`${USERS}/${id}/status`, {}],
      [`/API/V2/USERS/${id}/`, admin],
      [trpcRead({ id }), admin],
      [trpcRead({ id: 'no-such-user' }), admin],
      [trpcRead({ id }), {}],
      [trpcRead({ nope: 1 }), admin],
      [
        `/trpc/users.read,users.get?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { id }, 1: { id } }))}`,
        admin,
      ],
      [`/trpc/users.read,users.get?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: { id } }))}`, admin],
      // a page of the list: with a Link to the next, found by address, an empty limit (10), refused
      [`${USERS}?offset=0&limit=2`, admin],
      [`${USERS}?limit=2&sort=-name&q=user_`, admin],
      [`${USERS}?email=${encodeURIComponent(address.toUpperCase())}`, admin],
      [`${USERS}?email=${encodeURIComponent(address)}&offset=1`, admin],
      [`${USERS}?limit=`, admin],
      [`${USERS}?limit=1`, {}],
      [`${USERS}?sort=password&limit=3`, admin],
      // left to Koa by the lane: a malformed input, an unknown procedure, streaming, a list that may
      // be streamed (limit 0, above one answer's, or not a plain number), the document
      ['/trpc/users.read?input=%7Bnot-json', admin],
      [`/trpc/users.nothing?input=${encodeURIComponent(JSON.stringify({ id }))}`, admin],
      [trpcRead({ id }), { ...admin, 'trpc-accept': 'application/jsonl' }],
      [`${USERS}?limit=0`, admin],
      [`${USERS}?limit=10001`, admin],
      [`${USERS}?limit=02&limit=3`, admin],
      [`${USERS}?limit=abc`, admin],
      ['/api/v2/openapi.json', {}],
      ['/api/v2/nothing-here', admin],
    ];
    for (const [path, headers] of cases) {
      const requestId = `lane-${cases.findIndex(([p, h]) => p === path && h === headers)}`;
      const sent = { ...headers, 'x-request-id': requestId };
      const [fast, slow] = [await ask(lane.baseUrl, path, sent), await ask(koa.baseUrl, path, sent)];
      assert.deepEqual(fast, slow, `GET ${path} ${JSON.stringify(headers)}`);
    }
  });

  it('answers the reads it takes itself: Koa sees none of them, and every request it leaves', async () => {
    // the answers are the same by design, so only where a request went tells the paths apart
    const admin = { authorization: `Bearer ${lane.adminToken}` };
    const trpcRead = `/trpc/users.read?input=${encodeURIComponent(JSON.stringify({ id }))}`;
    const taken = [`${USERS}/${id}`, `${USERS}/${id}/status`, `${USERS}?limit=2`, trpcRead];
    const left = [`${USERS}?limit=0`, '/api/v2/openapi.json'];
    lane.reachedKoa.length = 0;
    for (const path of [...taken, ...left]) assert.equal((await ask(lane.baseUrl, path, admin)).status, 200, path);
    assert.equal((await restClient(lane.baseUrl, lane.adminToken).post(USERS, newUserBody())).status, 200);
    assert.deepEqual(lane.reachedKoa, [...left, USERS]);
    // the service without the lane sends every one through Koa
    koa.reachedKoa.length = 0;
    for (const path of taken) assert.equal((await ask(koa.baseUrl, path, admin)).status, 200, path);
    assert.deepEqual(koa.reachedKoa, taken);
  });

  it("follows a page's Link to the same next page as the Koa path", async () => {
    const admin = { authorization: `Bearer ${lane.adminToken}`, 'x-request-id': 'lane-next' };
    const next = async (baseUrl: string) => {
      const first = await fetch(`${baseUrl}${USERS}?limit=2&sort=name`, { headers: admin });
      const link = /^<([^>]+)>; rel="next"$/.exec(first.headers.get('link') ?? '')?.[1];
      assert.ok(link, 'the first page links to the next');
      return ask(baseUrl, link, admin);
    };
    const [fast, slow] = [await next(lane.baseUrl), await next(koa.baseUrl)];
    assert.equal(fast.status, 200);
    assert.deepEqual(fast, slow);
  });

  it('logs and counts a read it answers, with the route and never the path', async () => {
    const api = restClient(lane.baseUrl, lane.adminToken);
    const read = await api.get(`${USERS}/${id}`, { headers: { 'x-request-id': 'lane-logged' } });
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('x-request-id'), 'lane-logged');
    assert.equal(read.headers.get('x-content-type-options'), 'nosniff');
    const line = lane.logs.find((entry) => entry.reqId === 'lane-logged');
    assert.ok(line, 'the read has its log line');
    assert.equal(line.route, '/api/v2/users/{id}');
    assert.equal(line.method, 'GET');
    assert.equal(line.status, 200);
    assert.equal(typeof line.durationMs, 'number');
    assert.ok(!JSON.stringify(line).includes(id), 'the line names the route, not the user');
    // a fresh id from the lane when the caller's cannot be logged safely
    const unsafe = await api.get(`${USERS}/${id}`, { headers: { 'x-request-id': 'a b;c' } });
    assert.match(unsafe.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);

    const metrics = await (await fetch(`${lane.baseUrl}/metrics`)).text();
    const count = (status: number) =>
      Number(
        new RegExp(`^http_requests_total\\{operation="users.read",method="GET",status="${status}"\\} (\\d+)`, 'm').exec(
          metrics,
        )?.[1] ?? 0,
      );
    assert.ok(count(200) >= 3, 'the reads answered before Koa are counted');
    assert.ok(count(401) >= 1, 'and so are their refusals');
  });
});
