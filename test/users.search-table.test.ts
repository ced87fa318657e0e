// `q` reads `user_search`, the search's own narrow copy of each user, kept by triggers in the
// writing transaction (migrations/Migration20261223100000.ts). Through every write the API offers
// (create, PUT, merge patch, a new address or sign-in method, disable and enable, delete), through a
// bulk insert of many users in one statement, and a truncate, the copy stays exactly the users'
// own rows and a search finds what a read of the users shows.
import assert from 'node:assert/strict';
import { newUserBody, uniqueSuffix } from './support/fixtures';
import { restClient } from './support/rest';
import { startTestService, type TestService } from './support/service';
import { envWithout, runScript } from './support/process';
import { mergePendingSearchEntries, SEARCH_TRIGRAM_INDEX } from '../router/users/search-upkeep';
import { searchMatches } from '../router/users/user-search';
import { TEST_JWT_SECRET } from './support/service';

const USERS = '/api/v2/users';

/** What user_search must hold: one row per user, read from users and emails themselves. */
const PROJECTION = `select u.email_id, u.id, u.created_at, u.name, u.age, e.address, e.auth_method, u.disabled_at, u.disabled_until,
    lower(u.name), lower(e.address)
  from users u join emails e on e.id = u.email_id`;
/** What it holds, the lower-cased copies `q` is matched against included (Migration20261224100000). */
const COPY = `select email_id, id, created_at, name, age, address, auth_method, disabled_at, disabled_until,
    name_lower, address_lower
  from user_search`;

describe("q's copy of the users (user_search)", function () {
  this.timeout(60_000);
  let service: TestService;
  let api: ReturnType<typeof restClient>;

  before(async () => {
    service = await startTestService();
    api = restClient(service.baseUrl, service.adminToken);
  });
  after(() => service.close());

  /** The rows that differ between the copy and the users' own, both ways (none when exact). */
  async function differences(): Promise<number> {
    const [row] = await service.sql<{ n: string }>(
      `select count(*) as n from ((${COPY} except ${PROJECTION})
                                   union all (${PROJECTION} except ${COPY})) as d`,
    );
    return Number(row!.n);
  }

  /** The ids `q` (with more parameters) finds over REST, and over tRPC the same. */
  async function found(q: string, more = ''): Promise<string[]> {
    const response = await api.get(`${USERS}?q=${encodeURIComponent(q)}${more}`);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const ids = response.body.items.map((user: { id: string }) => String(user.id));
    assert.equal(response.body.total, ids.length);
    if (more === '')
      assert.deepEqual(
        (await service.caller().users.list({ q })).items.map((u) => u.id),
        ids,
      );
    return ids;
  }

  it('follows a create, a PUT, a merge patch, a new address and method, disabling, enabling and a delete', async () => {
    const tag = `srch${uniqueSuffix()}`;
    const body = newUserBody({ name: `${tag}_first` });
    const created = await api.post(USERS, body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const id = String(created.body.id);
    assert.deepEqual(await found(`${tag}_first`), [id]);
    assert.equal(await differences(), 0);

    const put = await api.put(`${USERS}/${id}`, { ...body, name: `${tag}_second`, age: 41 });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual(await found(`${tag}_first`), []);
    assert.deepEqual(await found(`${tag}_second`), [id]);
    assert.deepEqual(await found(`${tag}_second`, '&sort=age'), [id]);
    assert.equal(await differences(), 0);

    const patched = await api.patch(`${USERS}/${id}`, { name: `${tag}_third` });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(await found(`${tag}_second`), []);
    assert.deepEqual(await found(`${tag}_third`), [id]);

    // a new address, and the email code method: the address is searched, the method filtered
    const address = `moved.${tag}@elsewhere.example`;
    const moved = await api.patch(`${USERS}/${id}`, { email: { email: address, authMethod: 1 } });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.deepEqual(await found(`moved.${tag}`), [id]);
    assert.deepEqual(await found(`user.${body.name}`), []);
    assert.deepEqual(await found(tag, '&authMethod=1'), [id]);
    assert.deepEqual(await found(tag, '&authMethod=0'), []);
    assert.equal(await differences(), 0);

    const disabled = await api.post(`${USERS}/${id}/disable`, { reason: 'a test' });
    assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
    assert.deepEqual(await found(tag, '&status=disabled'), [id]);
    assert.deepEqual(await found(tag, '&status=enabled'), []);
    assert.equal(await differences(), 0);
    const enabled = await api.post(`${USERS}/${id}/enable`, {});
    assert.equal(enabled.status, 200, JSON.stringify(enabled.body));
    assert.deepEqual(await found(tag, '&status=enabled'), [id]);

    const deleted = await api.delete(`${USERS}/${id}`);
    assert.equal(deleted.status, 204);
    assert.deepEqual(await found(tag), []);
    assert.equal(await differences(), 0);
  });

  it('holds every user of a bulk insert of one statement, none of a rolled-back one, and nothing after a truncate', async () => {
    const tag = `bulk${uniqueSuffix()}`;
    const insertMany = (count: number) =>
      `with e as (insert into emails (address, auth_method, password_hash)
                  select '${tag}.' || n || '@example.com', n % 4, case when n % 4 in (0, 2) then 'a-hash' end
                    from generate_series(1, ${count}) as n returning id, address)
       insert into users (id, name, age, gender, email_id)
       select '${tag}-' || e.id, '${tag}_' || e.id, 30, 1, e.id from e`;
    await service.sql(insertMany(300));
    assert.equal((await api.get(`${USERS}?q=${tag}&limit=1`)).body.total, 300);
    assert.equal(await differences(), 0);

    await assert.rejects(
      service.orm.em.fork().transactional(async (em) => {
        await em
          .getConnection()
          .execute(insertMany(5).replaceAll(tag, `${tag}x`), [], 'run', em.getTransactionContext());
        throw new Error('rolled back on purpose');
      }),
      /rolled back on purpose/,
    );
    assert.equal((await api.get(`${USERS}?q=${tag}x`)).body.total, 0);
    assert.equal(await differences(), 0);

    await service.sql('truncate users, emails cascade');
    assert.equal(Number((await service.sql<{ n: string }>('select count(*) as n from user_search'))[0]!.n), 0);
    assert.equal((await api.get(`${USERS}?q=${tag}`)).body.total, 0);
  });
  it("is searched through its trigram index: the search's condition is the index's expression", async () => {
    // with a few hundred users a scan of the table is cheaper, so scans are priced out here: the
    // index is still not taken unless the condition is written as the index is built
    // (migrations/Migration20261225100000.ts), which is what this checks
    const plan = await service.orm.em.fork().transactional(async (em) => {
      const connection = em.getConnection();
      const context = em.getTransactionContext();
      await connection.execute('set local enable_seqscan = off', [], 'run', context);
      return connection.execute<Array<{ 'QUERY PLAN': unknown }>>(
        `explain (format json) select count(*) from user_search u where ${searchMatches(`'%okafor%'`)}`,
        [],
        'all',
        context,
      );
    });
    // the index the search reads is the one whose pending list the service merges
    const text = JSON.stringify(plan);
    assert.ok(text.includes(`"Index Name":"${SEARCH_TRIGRAM_INDEX}"`), text);
    assert.doesNotMatch(text, /Seq Scan/, text);
  });

  it('is merged into its indexes by the running service after a bulk load, without a vacuum', async () => {
    // a GIN index keeps new rows in a pending list every search reads whole until it is merged
    // (4 MB of them made a last name's search 5 ms slower); nothing written after the load, no
    // vacuum: the service itself merges them (server/start/search-upkeep.ts)
    const tag = `pend${uniqueSuffix()}`;
    // no autovacuum either (the embedded server the suite runs on has it on, and it merged the list
    // first in some full runs, leaving the service nothing to merge): only the service may merge it
    await service.sql(`alter table user_search set (autovacuum_enabled = false)`);
    await service.sql(`with e as (insert into emails (address, auth_method)
                  select '${tag}.' || n || '@example.com', 1 from generate_series(1, 2000) as n returning id)
       insert into users (id, name, age, gender, email_id) select '${tag}-' || e.id, '${tag}_' || e.id, 30, 1, e.id from e`);
    const running = runScript('server/start/main.ts', [], {
      ...envWithout('PORT', 'NODE_ENV', 'LOG_LEVEL'),
      DATABASE_URL: service.databaseUrl,
      JWT_SECRET: TEST_JWT_SECRET,
      PORT: '0',
      LOG_LEVEL: 'debug',
      SEARCH_UPKEEP_INTERVAL_SECONDS: '1',
    });
    try {
      const [, pages] = await running.waitFor(/"pages":(\d+),"msg":"pending search entries merged"/);
      assert.ok(Number(pages) > 50, `${pages} pages merged`);
      assert.equal(await mergePendingSearchEntries(service.orm.em.fork()), 0, 'nothing is left pending');
      assert.equal((await api.get(`${USERS}?q=${tag}&limit=1`)).body.total, 2_000);
    } finally {
      running.child.kill('SIGTERM');
      await running.exited;
      await service.sql(`alter table user_search reset (autovacuum_enabled)`);
    }
  });
});
