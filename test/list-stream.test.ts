// A long list over REST streams (`limit=0`, or a limit above what one answer holds): one
// well-formed document in the published shape, written as the rows are read, in list order, from
// one snapshot; a stream that makes progress outlives the request timeout; a client that goes
// away ends the reading. Over tRPC, a list longer than one answer holds is refused with a pointer
// to paging; shorter ones are answered whole.
import assert from 'node:assert/strict';
import pg from 'pg';
import { createUsersClient, TRPCClientError } from '../client';
import { MAX_LIST_ITEMS } from '../router/users/user-list';
import { assertMatchesContract } from './support/contract';
import { startTestService, type TestService } from './support/service';

const USERS = 25_000;

describe('long lists', function () {
  this.timeout(120_000);
  let service: TestService;

  before(async () => {
    // a short request timeout: the stream must outlive it by making progress
    service = await startTestService({ REQUEST_TIMEOUT_MS: '400' });
    // plain SQL on a connection of its own (no request timeout), as a bulk load would: the list
    // index counts it
    const loader = new pg.Client({ connectionString: service.databaseUrl });
    await loader.connect();
    await loader.query(`with e as (
        insert into emails (address, auth_method)
        select 'streamed' || g || '@example.com', 1 from generate_series(1, ${USERS}) g returning id, address)
      insert into users (id, name, age, gender, email_id, created_at)
      select 's-' || lpad(substr(split_part(address, '@', 1), 9), 6, '0'), 'streamed_user', 30, 1, id,
             '2026-01-01'::timestamptz + (substr(split_part(address, '@', 1), 9)::int % 977) * interval '1 microsecond'
      from e`);
    await loader.end();
  });
  after(() => service.close());

  /** The ids in list order, as PostgreSQL orders them. */
  const orderedIds = async (offset: number, limit: number) =>
    (
      await service.sql<{ id: string }>('select id from users order by created_at, id offset ? limit ?', [
        offset,
        limit,
      ])
    ).map((row) => row.id);

  const get = (query: string, init: RequestInit = {}) =>
    fetch(`${service.baseUrl}/api/v2/users?${query}`, {
      ...init,
      headers: { authorization: `Bearer ${service.adminToken}` },
    });

  it('streams all users with limit=0: one document, in list order, every row as a page shows it', async () => {
    const response = await get('limit=0');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('transfer-encoding'), 'chunked', 'written as it is read, no length known first');
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.ok(response.headers.get('x-request-id'));
    const body = (await response.json()) as {
      items: Array<{ id: string }>;
      total: number;
      offset: number;
      limit: number;
    };
    assert.deepEqual(Object.keys(body), ['items', 'total', 'offset', 'limit']);
    assert.equal(body.total, USERS);
    assert.equal(body.offset, 0);
    assert.equal(body.limit, 0);
    assert.deepEqual(
      body.items.map((user) => user.id),
      await orderedIds(0, USERS),
    );
    assertMatchesContract('GET', '/api/v2/users', 200, body);
    // the same users as pages show them, around a batch boundary
    const page = (await (await get('offset=995&limit=10')).json()) as { items: unknown[] };
    assert.deepEqual(body.items.slice(995, 1005), page.items);
  });

  it('streams from an offset, and stops at a limit above what one answer holds', async () => {
    const tail = (await (await get(`offset=${USERS - 7}&limit=0`)).json()) as { items: Array<{ id: string }> };
    assert.deepEqual(
      tail.items.map((user) => user.id),
      await orderedIds(USERS - 7, 7),
    );
    const long = (await (await get(`offset=1234&limit=${MAX_LIST_ITEMS + 1}`)).json()) as {
      items: Array<{ id: string }>;
      limit: number;
    };
    assert.equal(long.limit, MAX_LIST_ITEMS + 1);
    assert.deepEqual(
      long.items.map((user) => user.id),
      await orderedIds(1234, MAX_LIST_ITEMS + 1),
    );
    const past = (await (await get(`offset=${USERS + 5}&limit=0`)).json()) as { items: unknown[]; total: number };
    assert.deepEqual(past, { items: [], total: USERS, offset: USERS + 5, limit: 0 });
  });

  it('points a streamed answer with users after it at the next page, in its headers', async () => {
    const response = await get(`offset=1234&limit=${MAX_LIST_ITEMS + 1}`);
    assert.equal(response.headers.get('transfer-encoding'), 'chunked');
    const link = /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '')?.[1];
    assert.ok(link, 'a Link to the next page');
    await response.body?.cancel();
    const next = (await (await get(new URL(link, service.baseUrl).search.slice(1))).json()) as {
      items: Array<{ id: string }>;
    };
    assert.deepEqual(
      next.items.map((user) => user.id),
      await orderedIds(1234 + MAX_LIST_ITEMS + 1, MAX_LIST_ITEMS + 1),
    );
    assert.equal((await get('limit=0')).headers.get('link'), null, 'everything: no next page');
  });

  it('streams a filtered, sorted list the same way, and its Link goes on from where it stopped', async () => {
    // an instance with the default request timeout: each step of a search over all 25,000 users
    // (the count, the start, each batch) takes longer than this file's 400 ms under load
    const patient = await startTestService({}, { url: service.databaseUrl });
    const get = (query: string) =>
      fetch(`${patient.baseUrl}/api/v2/users?${query}`, { headers: { authorization: `Bearer ${patient.adminToken}` } });
    after(() => patient.close());
    // `q` in another case, found in 11,111 addresses (streamed1…, streamed1x…, …) and in the names
    // of five users whose addresses lack it, spread through the order: the first batch finds its
    // users through the search's index, the later ones test each user they walk past, and both
    // must find the same ones
    await service.sql(
      `update users set name = 'Renamed_STREAMED1_user' where email_id in
         (select id from emails where address in ('streamed20001@example.com', 'streamed20002@example.com',
           'streamed20003@example.com', 'streamed20004@example.com', 'streamed20005@example.com'))`,
    );
    const descending = (
      await service.sql<{ id: string }>(
        `select u.id from users u join emails e on e.id = u.email_id
          where e.address like 'streamed1%' or u.name like '%STREAMED1%' order by u.created_at desc, u.id desc`,
      )
    ).map((row) => row.id);
    assert.equal(descending.length, 11_116);
    const first = await get(`q=Streamed1&sort=-createdAt&limit=${MAX_LIST_ITEMS + 500}`);
    assert.equal(first.status, 200, await first.clone().text());
    assert.equal(first.headers.get('transfer-encoding'), 'chunked');
    const link = /^<([^>]+)>; rel="next"$/.exec(first.headers.get('link') ?? '')?.[1];
    const body = (await first.json()) as { items: Array<{ id: string }>; total: number };
    assertMatchesContract('GET', '/api/v2/users', 200, body);
    assert.equal(body.total, descending.length);
    assert.ok(link);
    const rest = (await (
      await get(`${new URL(link, service.baseUrl).search.slice(1)}&limit=0`.replace(/limit=\d+&/, ''))
    ).json()) as {
      items: Array<{ id: string }>;
    };
    assert.deepEqual(
      [...body.items, ...rest.items].map((user) => user.id),
      descending,
    );
  });

  it('outlives the request timeout while it makes progress, with a slow reader', async () => {
    const response = await get('limit=0');
    const reader = response.body!.getReader();
    const started = Date.now();
    let text = '';
    let received = 0;
    const decoder = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      // read at 5 MB/s whatever size the chunks come in: the ~7 MB take about 1.4 s, far past the
      // 400 ms timeout, while a batch of 1,000 rows (~280 kB) still goes out every ~60 ms
      received += value.byteLength;
      const due = started + received / 5_000 - Date.now();
      if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
    }
    assert.ok(Date.now() - started > 400, `took ${Date.now() - started} ms, longer than the request timeout`);
    assert.equal((JSON.parse(text) as { items: unknown[] }).items.length, USERS);
  });

  it('stops reading when the client goes away', async () => {
    const controller = new AbortController();
    const response = await get('limit=0', { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    // the stream's transaction ends: no session of the service is left reading, or idle inside it
    for (let waited = 0; ; waited += 50) {
      const busy = await service.sql<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()
            and (state = 'idle in transaction' or (state = 'active' and query like '%users u join emails%'))`,
      );
      if (busy[0]?.n === 0) break;
      assert.ok(waited < 3000, 'the stream still reads 3 s after its client went away');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // and the service answers as before
    assert.equal((await get('limit=1')).status, 200);
  });

  it('refuses over tRPC a list longer than one answer holds, pointing to paging', async () => {
    const client = createUsersClient({ url: `${service.baseUrl}/trpc`, token: service.adminToken });
    await assert.rejects(client.users.list.query({ limit: 0 }), (error) => {
      assert.ok(error instanceof TRPCClientError);
      assert.equal(error.data?.code, 'BAD_REQUEST');
      assert.equal(
        error.message,
        `limit: this list would hold ${USERS} users, more than one answer holds (${MAX_LIST_ITEMS}); ` +
          `page with offset and a limit of at most ${MAX_LIST_ITEMS}, or read GET /api/v2/users?limit=0, which streams it`,
      );
      return true;
    });
    const end = await client.users.list.query({ offset: USERS - 3, limit: 0 });
    assert.equal(end.items.length, 3, 'a short enough rest of the list is answered whole');
    assert.equal(end.total, USERS);
  });
});
