// Paging by cursor (2.1.0): every list answer with users after it carries `Link: <…>; rel="next"`
// (RFC 8288), however it was paged; following it from the first page to the last visits every user
// that existed throughout exactly once, in the database's own order, while users are created and
// deleted in between, for every sort, over REST and over tRPC (users.search's `next`). A cursor is
// opaque (sealed: it shows nothing of the names or addresses it holds) and bound to its list: a
// tampered, foreign, expired or malformed one is a 400, as is an offset beside it.
import assert from 'node:assert/strict';
import { TRPCError } from '@trpc/server';
import { newUserBody, uniqueSuffix } from './support/fixtures';
import { restClient, type RestResponse } from './support/rest';
import { startTestService, type TestService } from './support/service';

const USERS = '/api/v2/users';
const ORDERS: Record<string, string> = {
  createdAt: 'u.created_at',
  name: 'u.name',
  email: 'lower(e.address)',
  age: 'u.age',
};

describe('paging by cursor', function () {
  this.timeout(120_000);
  let service: TestService;
  let api: ReturnType<typeof restClient>;

  before(async () => {
    service = await startTestService();
    api = restClient(service.baseUrl, service.adminToken);
    // 150 users; names, ages and creation instants repeat, so every sort has ties
    await service.sql(`with e as (
        insert into emails (address, auth_method, password_hash)
        select 'paged' || g || '@example.com', g % 4, case when g % 4 in (0, 2) then 'a-hash' end
          from generate_series(1, 150) g returning id, address)
      insert into users (id, name, age, gender, email_id, created_at)
      select 'p' || lpad(md5(address), 8), 'name_' || (split_part(substr(address, 6), '@', 1)::int % 17), 18 + split_part(substr(address, 6), '@', 1)::int % 9, 0, id,
             '2026-04-01'::timestamptz + (split_part(substr(address, 6), '@', 1)::int % 37) * interval '1 second'
      from e`);
  });
  after(() => service.close());

  const nextOf = (response: RestResponse) => /^<([^>]+)>; rel="next"$/.exec(response.headers.get('link') ?? '')?.[1];

  async function ordered(sort: string, ids?: string[]): Promise<string[]> {
    if (ids?.length === 0) return [];
    const descending = sort.startsWith('-');
    const direction = descending ? 'desc' : 'asc';
    const rows = await service.sql<{ id: string }>(
      `select u.id from users u join emails e on e.id = u.email_id ${ids ? 'where u.id in (?)' : ''}
       order by ${ORDERS[sort.replace('-', '')]} ${direction}, u.id ${direction}`,
      ids ? [ids] : [],
    );
    return rows.map((row) => row.id);
  }

  /** Some writes between two pages: users created (anywhere in the order) and users deleted. */
  async function churn(deleted: Set<string>): Promise<void> {
    for (let i = 0; i < 3; i += 1) {
      const suffix = uniqueSuffix();
      const body = newUserBody({ name: `name_${suffix.slice(-2)}`, age: 18 + (suffix.length % 9) });
      const response = await api.post(USERS, { ...body, email: { ...body.email, authMethod: 1, password: undefined } });
      assert.equal(response.status, 200);
    }
    const victims = await service.sql<{ id: string }>(
      `select id from users where id like 'p%' order by md5(id || ?) limit 2`,
      [String(deleted.size)],
    );
    for (const { id } of victims) {
      assert.equal((await api.delete(`${USERS}/${id}`)).status, 204);
      deleted.add(id);
    }
  }

  /** Checks a walk: each user seen once, every user there throughout seen, in the database's order. */
  async function assertWalk(sort: string, seen: string[], initial: string[], deleted: Set<string>) {
    assert.equal(new Set(seen).size, seen.length, `${sort}: nobody seen twice`);
    const throughout = initial.filter((id) => !deleted.has(id));
    const missing = throughout.filter((id) => !seen.includes(id));
    assert.deepEqual(missing, [], `${sort}: every user that existed throughout was seen`);
    const stillThere = seen.filter((id) => !deleted.has(id));
    assert.deepEqual(stillThere, await ordered(sort, stillThere), `${sort}: in the database's order`);
  }

  for (const sort of ['createdAt', '-createdAt', 'name', '-name', 'email', '-email', 'age', '-age']) {
    it(`sort=${sort}: following next visits everyone there throughout once, while others come and go (REST)`, async () => {
      const initial = await ordered(sort);
      const deleted = new Set<string>();
      const seen: string[] = [];
      let path: string | undefined = `${USERS}?sort=${sort}&limit=9`;
      let pages = 0;
      while (path) {
        const page: RestResponse<any> = await api.get(path);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        assert.deepEqual(Object.keys(page.body), ['items', 'total', 'offset', 'limit']);
        seen.push(...page.body.items.map((user: { id: string }) => user.id));
        path = nextOf(page);
        if (path) await churn(deleted);
        pages += 1;
      }
      assert.ok(pages > 10);
      await assertWalk(sort, seen, initial, deleted);
    });
  }

  for (const sort of ['createdAt', '-name', 'email', '-age'] as const) {
    it(`sort=${sort}: the same over tRPC, following users.search's next`, async () => {
      const initial = await ordered(sort);
      const deleted = new Set<string>();
      let page = await service.caller().users.search({ sort, limit: 11 });
      const seen = page.items.map((user) => user.id);
      while (page.next !== null) {
        await churn(deleted);
        page = await service.caller().users.search({ sort, limit: 11, cursor: page.next });
        seen.push(...page.items.map((user) => user.id));
      }
      await assertWalk(sort, seen, initial, deleted);
    });
  }

  describe('the Link header', () => {
    it('comes with every page that has users after it, paged by offset or by cursor, with the filters', async () => {
      const byOffset = await api.get(`${USERS}?offset=5&limit=3&authMethod=1&authMethod=2&sort=-age&q=name_1`);
      assert.equal(byOffset.status, 200);
      assert.equal(byOffset.body.offset, 5, 'offset stays as given');
      const link = nextOf(byOffset)!;
      const url = new URL(link, service.baseUrl);
      assert.equal(url.pathname, USERS);
      assert.deepEqual([...url.searchParams.keys()], ['q', 'authMethod', 'authMethod', 'sort', 'limit', 'cursor']);
      assert.deepEqual(url.searchParams.getAll('authMethod'), ['1', '2']);
      const byCursor = await api.get(link);
      assert.equal(byCursor.body.offset, 0);
      const expected = await api.get(`${USERS}?offset=8&limit=3&authMethod=1&authMethod=2&sort=-age&q=name_1`);
      assert.deepEqual(byCursor.body, { ...expected.body, offset: 0 });
      assert.ok(nextOf(byCursor));
    });

    it('is absent on the last page and on a list without limit', async () => {
      const { total } = (await api.get(`${USERS}?sort=name&limit=1`)).body;
      assert.equal(nextOf(await api.get(`${USERS}?sort=name&offset=${total - 3}&limit=3`)), undefined);
      assert.ok(nextOf(await api.get(`${USERS}?sort=name&offset=${total - 4}&limit=3`)));
      assert.equal((await api.get(`${USERS}?sort=name&limit=0`)).headers.get('link'), null);
      assert.equal((await api.get(`${USERS}?email=nobody@example.com`)).headers.get('link'), null);
    });
  });

  describe('a cursor', () => {
    const cursorOf = async (query: string) =>
      new URL(nextOf(await api.get(`${USERS}?${query}`))!, service.baseUrl).searchParams.get('cursor')!;

    it('shows nothing of the names and addresses it holds', async () => {
      const page = await api.get(`${USERS}?sort=email&limit=4`);
      const last = page.body.items[3];
      const cursor = new URL(nextOf(page)!, service.baseUrl).searchParams.get('cursor')!;
      const decoded = cursor
        .split('.')
        .map((part) => Buffer.from(part, 'base64url').toString('latin1'))
        .join(' ');
      for (const secret of [last.email.email, last.email.email.split('@')[0], last.name, last.id]) {
        assert.ok(!decoded.includes(secret) && !cursor.includes(secret), `the cursor shows ${secret}`);
      }
    });

    it('that was changed, made for another list, expired or malformed is a 400 that says so', async () => {
      const cursor = await cursorOf('sort=name&limit=5&q=name');
      const parts = cursor.split('.');
      const flipped = (part: string) => {
        const bytes = Buffer.from(part, 'base64url');
        bytes[0] = bytes[0]! ^ 1;
        return bytes.toString('base64url');
      };
      const tampered = [parts[0], parts[1], flipped(parts[2]!), parts[3]].join('.');
      const notOurs = 'is not a cursor of this service; use the one in the Link header (rel="next") of a page';
      const foreign =
        'belongs to a list with another sort or other filters; send it with the parameters of the Link it came from';
      const cases: Array<[string, string]> = [
        [`sort=name&limit=5&q=name&cursor=${tampered}`, `cursor: ${notOurs}`],
        [`sort=name&limit=5&q=name&cursor=${parts.slice(0, 3).join('.')}`, `cursor: ${notOurs}`],
        [`sort=name&limit=5&q=name&cursor=${cursor}x`, `cursor: ${notOurs}`],
        [`sort=-name&limit=5&q=name&cursor=${cursor}`, `cursor: ${foreign}`],
        [`sort=age&limit=5&q=name&cursor=${cursor}`, `cursor: ${foreign}`],
        [`sort=name&limit=5&q=other&cursor=${cursor}`, `cursor: ${foreign}`],
        [`sort=name&limit=5&cursor=${cursor}`, `cursor: ${foreign}`],
        [`sort=name&limit=5&q=name&offset=3&cursor=${cursor}`, 'offset: must be 0 or absent when a cursor is given'],
      ];
      for (const [query, msg] of cases) {
        const response = await api.get(`${USERS}?${query}`);
        assert.equal(response.status, 400, query);
        assert.deepEqual(response.body, { code: 100001, msg }, query);
      }
      // the limit may change from page to page; offset=0 is no offset
      assert.equal((await api.get(`${USERS}?sort=name&limit=50&q=name&offset=0&cursor=${cursor}`)).status, 200);
      await assert.rejects(service.caller().users.search({ sort: 'name', q: 'other', cursor }), (error: unknown) => {
        assert.ok(error instanceof TRPCError);
        assert.equal(error.code, 'BAD_REQUEST');
        assert.equal(error.message, `cursor: ${foreign}`);
        return true;
      });
    });

    it('expires after LIST_CURSOR_TTL_SECONDS', async () => {
      const cursor = await cursorOf('sort=age&limit=5');
      service.clock.advance((service.config.LIST_CURSOR_TTL_SECONDS - 5) * 1000);
      assert.equal((await api.get(`${USERS}?sort=age&limit=5&cursor=${cursor}`)).status, 200);
      service.clock.advance(10_000);
      const expired = await api.get(`${USERS}?sort=age&limit=5&cursor=${cursor}`);
      service.clock.offsetMs = 0;
      assert.equal(expired.status, 400);
      assert.deepEqual(expired.body, {
        code: 100001,
        msg: `cursor: has expired (a cursor lasts ${service.config.LIST_CURSOR_TTL_SECONDS} seconds); read the list again from the start`,
      });
    });

    it('made by one instance is read by another with the same key', async () => {
      const other = await startTestService({}, { url: service.databaseUrl });
      try {
        const cursor = await cursorOf('sort=-email&limit=5');
        const there = await restClient(other.baseUrl, other.adminToken).get(
          `${USERS}?sort=-email&limit=5&cursor=${cursor}`,
        );
        const here = await api.get(`${USERS}?sort=-email&limit=5&cursor=${cursor}`);
        assert.equal(there.status, 200);
        assert.deepEqual(there.body, here.body);
      } finally {
        await other.close();
      }
    });
  });
});
