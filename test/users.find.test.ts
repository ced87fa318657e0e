// Finding users (2.1.0): `email`, `q`, `authMethod`, `createdAfter`, `createdBefore` and `sort` on
// GET /api/v2/users and on users.list / users.search over tRPC, against PostgreSQL's own answers to
// plain queries written independently of the service's (lower() and strpos() rather than the
// address key and ILIKE). Each filter, filters together, every sort both ways with ties broken by
// id, %, _ and \ taken literally, SQL in every parameter, and a clear 400 for a bad value.
import assert from 'node:assert/strict';
import { TRPCError } from '@trpc/server';
import { restClient, type RestResponse } from './support/rest';
import { startTestService, type TestService } from './support/service';
import { SORT_FIELDS } from '../router/users/user-schemas';

const USERS = '/api/v2/users';
const NAMES = ['alice', 'Alice', 'bob', 'bob', 'carol', 'Dave', 'eve', 'zed', 'amy', 'bob_b'];

interface Seed {
  id: string;
  name: string;
  address: string;
  age: number;
  authMethod: number;
  createdAt: string;
}

// 40 users: names, ages and creation times repeat (every 4 users share one instant), ids do not
// follow creation, and a few rows are there for the literal-character and Unicode cases.
const SEEDS: Seed[] = [
  ...Array.from({ length: 40 }, (_, i) => ({
    id: `f${String((i * 17) % 40).padStart(2, '0')}`,
    name: NAMES[i % NAMES.length]!,
    address: `${NAMES[i % NAMES.length]}.${i}@${i % 3 ? 'Example' : 'example'}.com`,
    age: [20, 30, 30, 45, 61][i % 5]!,
    authMethod: i % 4,
    createdAt: new Date(Date.UTC(2026, 1, 1) + Math.floor(i / 4) * 1000 + (i % 4 === 3 ? 500 : 0)).toISOString(),
  })),
  { id: 'lit-1', name: 'a_b', address: 'under@example.com', age: 33, authMethod: 1, createdAt: '2026-03-01T00:00:00Z' },
  { id: 'lit-2', name: 'axb', address: 'over@example.com', age: 33, authMethod: 1, createdAt: '2026-03-01T00:00:01Z' },
  // with % or \\ taken as LIKE's wildcard or escape, 'r%c' and 'k\\s' would find these
  {
    id: 'lit-3',
    name: 'pcx',
    address: 'perXcent@example.com',
    age: 34,
    authMethod: 2,
    createdAt: '2026-03-01T00:00:03Z',
  },
  {
    id: 'lit-4',
    name: 'bsl',
    address: 'backslash@example.com',
    age: 35,
    authMethod: 3,
    createdAt: '2026-03-01T00:00:04Z',
  },
  {
    id: 'uni-1',
    name: 'kelvin',
    address: 'kelvin@example.com',
    age: 50,
    authMethod: 0,
    createdAt: '2026-03-02T00:00:00Z',
  },
  { id: 'uni-2', name: 'ivan', address: 'ivan@example.com', age: 50, authMethod: 0, createdAt: '2026-03-02T00:00:01Z' },
];

describe('finding users: filters and sorts', function () {
  this.timeout(60_000);
  let service: TestService;
  let api: ReturnType<typeof restClient>;

  before(async () => {
    service = await startTestService();
    api = restClient(service.baseUrl, service.adminToken);
    for (const seed of SEEDS) {
      await service.sql(
        `with e as (insert into emails (address, auth_method, password_hash)
                    values (?, ?, case when ?::int in (0, 2) then 'a-hash' end) returning id)
         insert into users (id, name, age, gender, email_id, created_at) select ?, ?, ?, 1, e.id, ? from e`,
        [seed.address, seed.authMethod, seed.authMethod, seed.id, seed.name, seed.age, seed.createdAt],
      );
    }
    // a few disabled accounts: for good, until a time to come, and one whose end date has passed
    await service.sql(`update users set disabled_at = now() where id in ('f03', 'f11', 'lit-2')`);
    await service.sql(
      `update users set disabled_at = now(), disabled_until = now() + interval '1 day' where id = 'f07'`,
    );
    await service.sql(`update users set disabled_at = now() - interval '2 days', disabled_until = now() - interval '1 day'
                        where id = 'f05'`);
  });
  after(() => service.close());

  /** The ids PostgreSQL finds with a plain `where`, in a plain order. */
  async function naive(where = 'true', args: unknown[] = [], order = 'u.created_at, u.id'): Promise<string[]> {
    const rows = await service.sql<{ id: string }>(
      `select u.id from users u join emails e on e.id = u.email_id where ${where} order by ${order}`,
      args,
    );
    return rows.map((row) => row.id);
  }

  const query = (params: Record<string, string | number | Array<string | number>>) => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
    }
    return search.toString();
  };

  /** Every page over REST from the first, following Link rel="next"; each page's total must agree. */
  async function restWalk(params: Record<string, string | number | Array<string | number>>): Promise<string[]> {
    const ids: string[] = [];
    let path: string | undefined = `${USERS}?${query(params)}`;
    let total: number | undefined;
    while (path) {
      const page: RestResponse<any> = await api.get(path);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      total ??= page.body.total;
      assert.equal(page.body.total, total, 'every page counts the same filtered set');
      ids.push(...page.body.items.map((user: { id: string }) => user.id));
      path = /^<([^>]+)>; rel="next"$/.exec(page.headers.get('link') ?? '')?.[1];
    }
    assert.equal(ids.length, total, 'the pages hold the total');
    return ids;
  }

  /** Every page over tRPC (users.search), following `next`. */
  async function trpcWalk(input: Parameters<ReturnType<TestService['caller']>['users']['search']>[0]) {
    const ids: string[] = [];
    let page = await service.caller().users.search(input);
    ids.push(...page.items.map((user) => user.id));
    while (page.next !== null) {
      page = await service.caller().users.search({ ...input, cursor: page.next });
      ids.push(...page.items.map((user) => user.id));
    }
    return ids;
  }

  describe('filters', () => {
    const cases: Array<{
      name: string;
      params: Record<string, string | number | number[]>;
      where: string;
      args?: unknown[];
    }> = [
      {
        name: 'email, any case of A-Z',
        params: { email: 'ALICE.10@EXAMPLE.com' },
        where: `lower(e.address) = 'alice.10@example.com'`,
      },
      { name: 'email that is only a prefix', params: { email: 'alice.1' }, where: 'false' },
      { name: 'q in a name', params: { q: 'ROL' }, where: `strpos(lower(u.name), 'rol') > 0` },
      {
        name: 'q in a name or an address',
        params: { q: 'b.' },
        where: `strpos(lower(u.name), 'b.') > 0 or strpos(lower(e.address), 'b.') > 0`,
      },
      { name: 'one authMethod', params: { authMethod: 2 }, where: 'e.auth_method = 2' },
      { name: 'several authMethods', params: { authMethod: [3, 1] }, where: 'e.auth_method in (1, 3)' },
      {
        name: 'createdAfter (strictly, in whole seconds)',
        params: { createdAfter: Date.UTC(2026, 1, 1, 0, 0, 5) / 1000 },
        where: `floor(extract(epoch from u.created_at)) > ?`,
        args: [Date.UTC(2026, 1, 1, 0, 0, 5) / 1000],
      },
      {
        name: 'createdBefore (strictly, in whole seconds)',
        params: { createdBefore: Date.UTC(2026, 1, 1, 0, 0, 3) / 1000 },
        where: `floor(extract(epoch from u.created_at)) < ?`,
        args: [Date.UTC(2026, 1, 1, 0, 0, 3) / 1000],
      },
      {
        name: 'all of them together (AND)',
        params: {
          q: 'bo',
          authMethod: [0, 1, 2],
          createdAfter: Date.UTC(2026, 1, 1, 0, 0, 1) / 1000,
          createdBefore: Date.UTC(2026, 1, 1, 0, 0, 8) / 1000,
        },
        where: `(strpos(lower(u.name), 'bo') > 0 or strpos(lower(e.address), 'bo') > 0) and e.auth_method in (0, 1, 2)
          and floor(extract(epoch from u.created_at)) > ? and floor(extract(epoch from u.created_at)) < ?`,
        args: [Date.UTC(2026, 1, 1, 0, 0, 1) / 1000, Date.UTC(2026, 1, 1, 0, 0, 8) / 1000],
      },
      {
        name: 'status=disabled (an end date passed is enabled again)',
        params: { status: 'disabled' },
        where: `u.id in ('f03', 'f07', 'f11', 'lit-2')`,
      },
      {
        name: 'status=enabled with an authMethod',
        params: { status: 'enabled', authMethod: 3 },
        where: `u.id not in ('f03', 'f07', 'f11', 'lit-2') and e.auth_method = 3`,
      },
      {
        name: 'email and another filter that excludes it',
        params: { email: 'alice.10@example.com', authMethod: 3 },
        where: `lower(e.address) = 'alice.10@example.com' and e.auth_method = 3`,
      },
    ];
    for (const { name, params, where, args } of cases) {
      it(`${name}: the same users and total on both surfaces as PostgreSQL finds`, async () => {
        const expected = await naive(where, args);
        if (name !== 'email that is only a prefix' && !name.includes('excludes'))
          assert.ok(expected.length > 0, 'the case finds someone');
        const rest = await api.get(`${USERS}?${query({ ...params, limit: 1000 })}`);
        assert.equal(rest.status, 200, JSON.stringify(rest.body));
        assert.deepEqual(
          rest.body.items.map((user: { id: string }) => user.id),
          expected,
        );
        assert.equal(rest.body.total, expected.length);
        assert.equal(rest.body.offset, 0);
        assert.equal(rest.body.limit, 1000);
        const trpc = await service.caller().users.list({ ...params, limit: 1000 });
        assert.deepEqual(
          trpc.items.map((user) => user.id),
          expected,
        );
        assert.equal(trpc.total, expected.length);
        // a page of it: total still counts the whole filtered set
        const page = await api.get(`${USERS}?${query({ ...params, offset: 1, limit: 2 })}`);
        assert.deepEqual(
          page.body.items.map((user: { id: string }) => user.id),
          expected.slice(1, 3),
        );
        assert.equal(page.body.total, expected.length);
      });
    }

    it('email matches A-Z regardless of case and nothing else: no Unicode case folding', async () => {
      const found = async (email: string) =>
        (await api.get(`${USERS}?${query({ email })}`)).body.items.map((user: { id: string }) => user.id);
      assert.deepEqual(await found('KELVIN@example.com'), ['uni-1']);
      assert.deepEqual(await found('IVAN@EXAMPLE.COM'), ['uni-2']);
      // Unicode case rules fold these to k and i (lower() does, in PostgreSQL too); here they are
      // other characters: the Kelvin sign U+212A, the capital I with a dot U+0130, a fullwidth K
      assert.deepEqual(await found('\u212Aelvin@example.com'), []);
      assert.deepEqual(await found('\u0130van@example.com'), []);
      assert.deepEqual(await found('\uFF2Belvin@example.com'), []);
      const trpc = await service.caller().users.list({ email: '\u212Aelvin@example.com' });
      assert.deepEqual(trpc.items, []);
    });

    /** The ids `q` finds, the same on both surfaces, with the total they count. */
    const found = async (q: string) => {
      const rest = await api.get(`${USERS}?${query({ q, limit: 100 })}`);
      assert.equal(rest.status, 200, JSON.stringify(rest.body));
      const ids = rest.body.items.map((user: { id: string }) => user.id);
      assert.equal(rest.body.total, ids.length);
      assert.deepEqual(
        (await service.caller().users.list({ q, limit: 100 })).items.map((user) => user.id),
        ids,
      );
      return ids;
    };

    it('q takes %, _ and \\ literally, on both surfaces', async () => {
      assert.deepEqual(await found('a_b'), ['lit-1'], '_ is no wildcard');
      assert.deepEqual(await found('axb'), ['lit-2']);
      assert.deepEqual(await found('r%c'), [], '% is no wildcard');
      assert.deepEqual(await found('rXc'), ['lit-3']);
      assert.deepEqual(await found('k\\s'), [], '\\ is no escape');
      assert.deepEqual(await found('ks'), ['lit-4']);
      assert.deepEqual(await found('%%'), []);
      assert.deepEqual(await found('__'), []);
    });

    it('q matches as ILIKE does: any case, by the case rules of the database, in names and addresses', async () => {
      const asIlike = async (q: string) => {
        const ids = await found(q);
        assert.deepEqual(ids, await naive(`u.name ilike ? or e.address ilike ?`, [`%${q}%`, `%${q}%`]), `q=${q}`);
        return ids;
      };
      assert.deepEqual(await asIlike('PcX'), ['lit-3'], 'in a name alone');
      assert.deepEqual(await asIlike('PERxCENT'), ['lit-3'], 'in an address alone');
      assert.deepEqual(await asIlike('kElViN@EXAMPLE'), ['uni-1']);
      assert.deepEqual(await asIlike('IVAN@'), ['uni-2']);
      assert.ok((await asIlike('EXAMPLE.COM')).length > 20);
      // letters beyond A-Z lower-cased as PostgreSQL lower-cases them (the Kelvin sign, the dotted
      // capital I): whatever that finds, the search finds the same
      await asIlike('\u212Aelvin');
      await asIlike('\u0130van');
      await asIlike('ÆRØ');
    });
  });

  describe('sorts', () => {
    const orders: Record<string, string> = {
      createdAt: 'u.created_at',
      name: 'u.name',
      email: 'lower(e.address)',
      age: 'u.age',
    };
    for (const field of SORT_FIELDS) {
      for (const descending of [false, true]) {
        const sort = `${descending ? '-' : ''}${field}`;
        it(`sort=${sort}: every page in PostgreSQL's order, ties by id ${descending ? 'descending' : 'ascending'}`, async () => {
          const direction = descending ? 'desc' : 'asc';
          const expected = await naive('true', [], `${orders[field]} ${direction}, u.id ${direction}`);
          assert.deepEqual(await restWalk({ sort, limit: 7 }), expected, 'REST, by cursor');
          assert.deepEqual(await trpcWalk({ sort: sort as never, limit: 7 }), expected, 'tRPC, by cursor');
          // by offset as well, and a filter with the sort
          const offsetPage = await api.get(`${USERS}?${query({ sort, offset: 9, limit: 5 })}`);
          assert.deepEqual(
            offsetPage.body.items.map((user: { id: string }) => user.id),
            expected.slice(9, 14),
          );
          const filtered = await naive(
            'e.auth_method in (0, 3)',
            [],
            `${orders[field]} ${direction}, u.id ${direction}`,
          );
          assert.deepEqual(await restWalk({ sort, authMethod: [0, 3], limit: 4 }), filtered);
          // and q, whose matches are collected first: the same order, pages and ties
          const searched = await naive(
            `strpos(lower(u.name), 'e.') > 0 or strpos(lower(e.address), 'e.') > 0`,
            [],
            `${orders[field]} ${direction}, u.id ${direction}`,
          );
          assert.ok(searched.length > 5);
          assert.deepEqual(await restWalk({ sort, q: 'E.', limit: 3 }), searched);
          assert.deepEqual(await trpcWalk({ sort: sort as never, q: 'e.', limit: 2 }), searched);
        });
      }
    }

    it('sorts ties by id: users with one name, one age or one creation time come in id order', async () => {
      const bobs = (await api.get(`${USERS}?${query({ q: 'bob', sort: 'name', limit: 100 })}`)).body.items.filter(
        (user: { name: string }) => user.name === 'bob',
      );
      const ids = bobs.map((user: { id: string }) => user.id);
      assert.ok(ids.length >= 4);
      assert.deepEqual(ids, [...ids].sort());
      const sameInstant = await naive(`u.created_at = '2026-02-01T00:00:00Z'`);
      assert.equal(sameInstant.length, 3);
      const first = (await api.get(`${USERS}?limit=3`)).body.items.map((user: { id: string }) => user.id);
      assert.deepEqual(first, [...sameInstant].sort());
    });

    it('sort=createdAt is the default order', async () => {
      const sorted = await api.get(`${USERS}?sort=createdAt&limit=100`);
      const plain = await api.get(`${USERS}?limit=100`);
      assert.deepEqual(sorted.body, plain.body);
    });
  });

  describe('the published list, without the new parameters', () => {
    it('answers as before, and adds only a Link to the next page', async () => {
      const expected = await naive();
      const page = await api.get(`${USERS}?offset=3&limit=5&unknown=1`);
      assert.equal(page.status, 200);
      assert.deepEqual(Object.keys(page.body), ['items', 'total', 'offset', 'limit']);
      assert.deepEqual(
        page.body.items.map((user: { id: string }) => user.id),
        expected.slice(3, 8),
      );
      assert.equal(page.body.total, expected.length);
      assert.match(page.headers.get('link') ?? '', /^<\/api\/v2\/users\?limit=5&cursor=[\w.-]+>; rel="next"$/);
      // the next page by cursor is the next page by offset
      const next = await api.get(/^<([^>]+)>/.exec(page.headers.get('link')!)![1]!);
      assert.deepEqual(
        next.body.items.map((user: { id: string }) => user.id),
        expected.slice(8, 13),
      );
      assert.equal(next.body.offset, 0);
      const last = await api.get(`${USERS}?offset=${expected.length - 2}&limit=5`);
      assert.equal(last.body.items.length, 2);
      assert.equal(last.headers.get('link'), null, 'no next page after the last');
      const all = await api.get(`${USERS}?limit=0`);
      assert.equal(all.headers.get('link'), null);
    });

    it('keeps ignoring unknown parameters', async () => {
      const plain = await api.get(`${USERS}?limit=4&sort=name`);
      const extra = await api.get(`${USERS}?limit=4&sort=name&Sort=-age&foo=bar&emailAddress=x`);
      assert.deepEqual(extra.body, plain.body);
    });
  });

  describe('bad values', () => {
    const refusals: Array<[string, string]> = [
      ['sort=password', 'sort: must be one of createdAt, name, email, age'],
      ['sort=--name', 'sort: must be one of createdAt, name, email, age'],
      ['q=a', 'q: must be at least 2 characters'],
      [`q=${'x'.repeat(255)}`, 'q: must be at most 254 characters'],
      // the search joins name and address with U+001F (router/users/user-search.ts)
      ['q=son%1Fbob', 'q: must not contain control characters'],
      ['q=ab%01', 'q: must not contain control characters'],
      ['q=ab%7F', 'q: must not contain control characters'],
      [`email=${'x'.repeat(255)}`, 'email: must be at most 254 characters'],
      [
        'authMethod=9',
        'authMethod: must be one of 0 (password), 1 (otp), 2 (totp), 3 (oauth2); repeat the parameter for several',
      ],
      [
        'authMethod=1,3',
        'authMethod: must be one of 0 (password), 1 (otp), 2 (totp), 3 (oauth2); repeat the parameter for several',
      ],
      [
        'authMethod=1&authMethod=x',
        'authMethod: must be one of 0 (password), 1 (otp), 2 (totp), 3 (oauth2); repeat the parameter for several',
      ],
      ['createdAfter=yesterday', 'createdAfter: must be an integer (unix seconds) from -2147483648 to 2147483647'],
      ['createdBefore=99999999999', 'createdBefore: must be an integer (unix seconds) from -2147483648 to 2147483647'],
      ['status=banned', 'status: must be one of enabled, disabled'],
      ['cursor=abc', 'cursor: is not a cursor of this service; use the one in the Link header (rel="next") of a page'],
    ];
    for (const [params, msg] of refusals) {
      it(`${params.slice(0, 40)} → 400: ${msg.split(':')[0]}`, async () => {
        const response = await api.get(`${USERS}?${params}`);
        assert.equal(response.status, 400);
        assert.deepEqual(response.body, { code: 100001, msg });
      });
    }

    it('over tRPC the same refusals, as BAD_REQUEST', async () => {
      await assert.rejects(service.caller().users.list({ sort: 'password' } as never), (error: unknown) => {
        assert.ok(error instanceof TRPCError);
        assert.equal(error.code, 'BAD_REQUEST');
        return true;
      });
      await assert.rejects(service.caller().users.search({ q: 'a' }), /q: must be at least 2 characters|too_small/);
      await assert.rejects(service.caller().users.list({ authMethod: [7] } as never), TRPCError);
    });

    it('SQL in every parameter is data: answers as PostgreSQL would for that text, never a 500, changes nothing', async () => {
      const before = await naive();
      const hostile = [
        `' or '1'='1`,
        `'; drop table users; --`,
        `\\' or 1=1 --`,
        `$1`,
        `%' union select id from users --`,
        `) or (1=1`,
      ];
      for (const value of hostile) {
        for (const name of [
          'email',
          'q',
          'authMethod',
          'createdAfter',
          'createdBefore',
          'sort',
          'cursor',
          'offset',
          'limit',
        ]) {
          const response = await api.get(`${USERS}?${query({ [name]: value })}`);
          assert.ok([200, 400].includes(response.status), `${name}=${value}: ${response.status}`);
          if (name === 'email' || name === 'q') {
            assert.equal(response.status, 200);
            assert.deepEqual(response.body.items, [], `${name}=${value} finds nobody`);
            assert.equal(response.body.total, 0);
          } else {
            assert.equal(response.status, 400, `${name}=${value}`);
            assert.match(response.body.msg, new RegExp(`^${name}: `));
          }
        }
        const trpc = await service.caller().users.list({ q: value, email: value });
        assert.deepEqual(trpc.items, []);
      }
      assert.deepEqual(await naive(), before);
    });
  });
});
