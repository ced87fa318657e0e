// Events (issue 21), over real sockets against real PostgreSQL: every change is recorded in the
// same transaction as the change (who, what, when, from where, before and after), a rolled-back
// change leaves none, sign-ins and their refusals, sign-outs, credential changes, TOTP enrollment,
// a used recovery code and a limit's lock are recorded; the feed (admins only) pages oldest first
// with `Link: rel="next"` and never skips nor repeats an id while writers commit out of order; a
// user reads its own sign-ins and credential changes and nobody else's; no event holds a secret;
// old events are removed in batches.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { type TOTP, URI } from 'otpauth';
import { newUserBody } from './support/fixtures';
import { restClient } from './support/rest';
import { ADMIN, startTestService, TEST_TOTP_KEY, type TestService } from './support/service';
import { feedStatement, recordEvent, readFeed } from '../router/events/events-store';
import { makeAdmin } from '../server/cli/admin-account';
import { removeExpired, startRetention } from '../server/start/retention';

const USERS = '/api/v2/users';
const EVENTS = '/api/v2/events';
const LOGIN = '/api/v2/auth/token';

interface Event {
  id: number;
  type: string;
  time: string;
  actor: string;
  userId: string | null;
  requestId: string | null;
  clientAddress: string | null;
  data: Record<string, any>;
  changes?: Record<string, { before: unknown; after: unknown }>;
}

describe('events', function () {
  this.timeout(120_000);
  let service: TestService;
  let admin: ReturnType<typeof restClient>;
  let api: ReturnType<typeof restClient>;
  /** Every secret the tests send or receive: none may appear in any stored event. */
  const secrets = new Set<string>();

  before(async () => {
    service = await startTestService({ LOGIN_MAX_CONSECUTIVE_FAILS: '3' });
    admin = restClient(service.baseUrl, service.adminToken);
    api = restClient(service.baseUrl);
    secrets.add(service.adminToken);
  });
  after(() => service.close());

  async function lastId(): Promise<number> {
    const [row] = await service.sql<{ id: string | null }>(`select max(id) as id from events`);
    return Number(row?.id ?? 0);
  }

  /**
   * Every page from `first` as a reader follows them: through Link rel="next" until a page has
   * none, or, oldest first (where the link is always there: more may come), until an empty page.
   * Each page with its link. The admin's token unless another is given.
   */
  async function pagesFrom(first: string, token?: string): Promise<Array<{ items: Event[]; next?: string }>> {
    const pages: Array<{ items: Event[]; next?: string }> = [];
    for (let path: string | undefined = first; path;) {
      const page: { status: number; headers: Headers; body: { items: Event[] } } = await api.get(path, {
        token: token ?? service.adminToken,
      });
      assert.equal(page.status, 200, JSON.stringify(page.body));
      const next = /^<([^>]+)>; rel="next"$/.exec(page.headers.get('link') ?? '')?.[1];
      pages.push({ items: page.body.items, ...(next ? { next } : {}) });
      if (page.body.items.length === 0) break;
      path = next;
    }
    return pages;
  }

  /** The feed after `after`, every page: each resumes after the last id of the one before. */
  async function feedAfter(after: number, query = ''): Promise<Event[]> {
    const pages = await pagesFrom(`${EVENTS}?after=${after}&limit=2${query}`);
    for (const page of pages) {
      assert.ok(page.next, 'oldest first, every page links to the next');
      if (page.items.length > 0) assert.ok(page.next.includes(`after=${page.items.at(-1)!.id}`), page.next);
    }
    return pages.flatMap((page) => page.items);
  }

  async function createUser(overrides: Parameters<typeof newUserBody>[0] = {}) {
    const body = newUserBody(overrides);
    secrets.add(String(body.email.password));
    const created = await admin.post(USERS, body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return { id: String(created.body.id), email: body.email.email, password: String(body.email.password), body };
  }

  async function signIn(email: string, password: string): Promise<string> {
    const response = await api.post(LOGIN, { email, password });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    secrets.add(String(response.body.token));
    return String(response.body.token);
  }

  it('records a create, an update (fields, before and after) and a delete, with the actor, request id and address', async () => {
    const start = await lastId();
    const body = newUserBody();
    secrets.add(String(body.email.password));
    const created = await admin.post(USERS, body, { headers: { 'X-Request-Id': 'req-create-1' } });
    assert.equal(created.status, 200);
    const id = String(created.body.id);
    const newPassword = 'a brand new passphrase';
    secrets.add(newPassword);
    const update = { ...body, name: 'renamed_user', age: 41, email: { ...body.email, password: newPassword } };
    const updated = await admin.put(`${USERS}/${id}`, update, { headers: { 'X-Request-Id': 'req-update-1' } });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    const deleted = await admin.delete(`${USERS}/${id}`, { headers: { 'X-Request-Id': 'req-delete-1' } });
    assert.equal(deleted.status, 204);

    const events = (await feedAfter(start)).filter((event) => event.userId === id);
    assert.deepEqual(
      events.map((event) => event.type),
      ['user.created', 'user.updated', 'auth.credentials_changed', 'user.deleted'],
    );
    for (const event of events) {
      assert.equal(event.actor, ADMIN.id);
      assert.equal(event.clientAddress, '127.0.0.1');
      assert.ok(Math.abs(Date.parse(event.time) - Date.now()) < 60_000, event.time);
    }
    assert.deepEqual(
      events.map((event) => event.requestId),
      ['req-create-1', 'req-update-1', 'req-update-1', 'req-delete-1'],
    );
    const [create, change, credentials] = events;
    assert.deepEqual(create!.changes?.name, { before: null, after: body.name });
    assert.deepEqual(change!.data.fields, ['name', 'age', 'password']);
    assert.deepEqual(change!.changes, {
      name: { before: body.name, after: 'renamed_user' },
      age: { before: 30, after: 41 },
    });
    assert.deepEqual(credentials!.data, { credentials: ['password'] });
  });

  it('leaves no event when the change rolls back, and always one when it commits', async () => {
    const start = await lastId();
    // the event is written, then its transaction fails: neither stays
    await assert.rejects(
      service.orm.em.fork().transactional(async (tx) => {
        await recordEvent(tx, { type: 'user.created', actor: 'test', userId: 'rolled-back' });
        throw new Error('the change fails after its event');
      }),
      /the change fails after its event/,
    );
    // a create that fails (the address is taken) leaves no user and no event
    const taken = await createUser();
    const clash = await admin.post(USERS, newUserBody({ email: { ...newUserBody().email, email: taken.email } }));
    assert.equal(clash.status, 409, JSON.stringify(clash.body));
    const events = await feedAfter(start);
    assert.deepEqual(
      events.map((event) => [event.type, event.userId]),
      [['user.created', taken.id]],
    );
  });

  it('records sign-ins with their method, refusals with their kind (after the 401), sign-outs and a lock', async () => {
    const user = await createUser();
    const start = await lastId();
    const token = await signIn(user.email, user.password);
    const wrong = 'not the password at all';
    secrets.add(wrong);
    const refused = await api.post(LOGIN, { email: user.email, password: wrong });
    assert.equal(refused.status, 401);
    const logout = await api.post('/api/v2/auth/logout', {}, { token });
    assert.equal(logout.status, 204);
    // LOGIN_MAX_CONSECUTIVE_FAILS is 3 here: the 4th try is refused by the limit, which locks once
    for (let attempt = 0; attempt < 4; attempt += 1) await api.post(LOGIN, { email: user.email, password: wrong });
    const locked = await api.post(LOGIN, { email: user.email, password: wrong });
    assert.equal(locked.status, 429);

    const events = await feedAfter(start);
    const summary = events.map((event) => [event.type, event.userId, event.data.method ?? event.data.reason ?? null]);
    assert.deepEqual(summary.slice(0, 3), [
      ['auth.signed_in', user.id, 'password'],
      ['auth.sign_in_failed', user.id, 'password'],
      ['auth.signed_out', user.id, null],
    ]);
    assert.equal(events[1]!.data.reason, 'invalid_credentials');
    assert.equal(events[0]!.actor, user.id);
    assert.equal(events[2]!.actor, user.id);
    const locks = events.filter((event) => event.type === 'limit.locked');
    assert.equal(locks.length, 1, 'a lock is recorded once, not at every refused try');
    assert.deepEqual(locks[0]!.data.limits, ['loginFailsByEmailAndAddress']);
    // an unknown address is refused the same way, and recorded without a user
    const unknown = await api.post(LOGIN, { email: 'nobody.here@example.com', password: wrong });
    assert.equal(unknown.status, 401);
    const [failure] = await feedAfter(events.at(-1)!.id, '&type=auth.sign_in_failed');
    assert.equal(failure?.userId, null);
    assert.equal(failure?.actor, 'anonymous');
  });

  it('records a TOTP enrollment and a used recovery code in their own transactions', async () => {
    const user = await createUser({ email: { ...newUserBody().email, authMethod: 2 } });
    const start = await lastId();
    const challenge = (await api.post(LOGIN, { email: user.email, password: user.password })).body;
    secrets.add(challenge.challengeToken);
    const totp = URI.parse(challenge.otpauthUrl) as TOTP;
    secrets.add(totp.secret.base32);
    const code = totp.generate();
    secrets.add(challenge.challengeToken);
    const enrolled = await api.post('/api/v2/auth/totp', { challengeToken: challenge.challengeToken, code });
    assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
    for (const recovery of enrolled.body.recoveryCodes as string[]) secrets.add(recovery);
    secrets.add(enrolled.body.token);
    const again = (await api.post(LOGIN, { email: user.email, password: user.password })).body;
    secrets.add(again.challengeToken);
    const recovered = await api.post('/api/v2/auth/totp', {
      challengeToken: again.challengeToken,
      recoveryCode: enrolled.body.recoveryCodes[0],
    });
    assert.equal(recovered.status, 200, JSON.stringify(recovered.body));
    secrets.add(recovered.body.token);
    const events = await feedAfter(start, `&userId=${user.id}`);
    assert.deepEqual(
      events.map((event) => [event.type, event.data.method ?? null]),
      [
        ['auth.totp_enrolled', null],
        ['auth.signed_in', 'totp'],
        ['auth.recovery_code_used', null],
        ['auth.signed_in', 'recovery_code'],
      ],
    );
  });

  it('records `npm run admin` creating and promoting, with the role change, as `cli`', async () => {
    const user = await createUser();
    const start = await lastId();
    const password = 'the operator chose this one';
    secrets.add(password);
    const details = { email: user.email, password, name: 'promoted', age: 50, gender: 1 as const };
    await makeAdmin(service.orm.em.fork(), service.passwords, details, new Set());
    const fresh = { ...details, email: `fresh.${user.id}@example.com` };
    const created = await makeAdmin(service.orm.em.fork(), service.passwords, fresh, new Set());
    const events = await feedAfter(start);
    assert.deepEqual(
      events.map((event) => [event.type, event.userId, event.actor]),
      [
        ['user.updated', user.id, 'cli'],
        ['user.role_changed', user.id, 'cli'],
        ['auth.credentials_changed', user.id, 'cli'],
        ['user.created', created.id, 'cli'],
      ],
    );
    assert.deepEqual(events[1]!.data, { before: 'user', after: 'admin' });
  });

  it('answers the feed to admins only; filters by type and user; refuses bad input with a 400', async () => {
    const user = await createUser();
    const token = await signIn(user.email, user.password);
    const refused = await api.get(EVENTS, { token });
    assert.equal(refused.status, 403);
    assert.equal((await api.get(EVENTS, { token: null })).status, 401);
    const trpc = await fetch(`${service.baseUrl}/trpc/events.list`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(trpc.status, 403);

    const created = await feedAfter(0, `&type=user.created&userId=${user.id}`);
    assert.deepEqual(
      created.map((event) => event.type),
      ['user.created'],
    );
    const viaTrpc = await service.caller().events.list({ after: 0, limit: 1000, userId: user.id });
    assert.deepEqual(
      viaTrpc.items.map((event) => event.type),
      ['user.created', 'auth.signed_in'],
    );
    for (const bad of ['after=-1', 'limit=0', 'limit=1001', 'after=x', 'type=DROP TABLE']) {
      const response = await admin.get(`${EVENTS}?${bad}`);
      assert.equal(response.status, 400, bad);
      assert.match(String(response.body.msg), /after|limit|type/);
    }
    // a repeated type is told to use commas, as a malformed one is
    const repeated = await admin.get(`${EVENTS}?type=user.created&type=auth.signed_in`);
    assert.equal(repeated.status, 400);
    assert.match(String(repeated.body.msg), /^type: must be event types in one parameter, separated by commas/);
  });

  it("shows a user its own sign-ins, sign-outs and credential changes, and an admin anyone's history", async () => {
    const user = await createUser();
    const other = await createUser();
    const token = await signIn(user.email, user.password);
    const withoutPassword = { email: user.body.email.email, authMethod: user.body.email.authMethod };
    assert.equal(
      (await admin.put(`${USERS}/${user.id}`, { ...user.body, age: 77, email: withoutPassword })).status,
      200,
    );
    const newPassword = 'changed by the admin now';
    secrets.add(newPassword);
    await admin.put(`${USERS}/${user.id}`, { ...user.body, email: { ...user.body.email, password: newPassword } });
    const mine = await signIn(user.email, newPassword);

    const own = await api.get(`${USERS}/${user.id}/events`, { token: mine });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.deepEqual(
      own.body.items.map((event: Event) => event.type),
      ['auth.signed_in', 'auth.credentials_changed', 'auth.signed_in'],
    );
    assert.match(own.headers.get('link') ?? '', /^<\/api\/v2\/users\/[^/]+\/events\?after=\d+&limit=100>; rel="next"$/);
    assert.equal((await api.get(`${USERS}/${other.id}/events`, { token: mine })).status, 404);
    assert.equal((await api.get(`${USERS}/${user.id}/events`, { token })).status, 401, 'the old token ended');

    const all = await admin.get(`${USERS}/${user.id}/events`);
    assert.deepEqual(
      all.body.items.map((event: Event) => event.type),
      ['user.created', 'auth.signed_in', 'user.updated', 'user.updated', 'auth.credentials_changed', 'auth.signed_in'],
    );
  });

  it('reads a history newest first, a page at a time; a user sees the refused tries at its account and a lock', async () => {
    const user = await createUser();
    const mine = await signIn(user.email, user.password);
    const guess = 'someone else guessing';
    secrets.add(guess);
    // LOGIN_MAX_CONSECUTIVE_FAILS is 3 here: three refused, then the limit locks
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      statuses.push((await api.post(LOGIN, { email: user.email, password: guess })).status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 429]);
    await admin.put(`${USERS}/${user.id}`, {
      ...user.body,
      age: 50,
      email: { ...user.body.email, password: undefined },
    });

    const pages = async (first: string, token: string) => (await pagesFrom(first, token)).map((page) => page.items);
    const history = `${USERS}/${user.id}/events`;
    const newest = await pages(`${history}?order=newest&limit=2`, mine);
    assert.deepEqual(
      newest.flat().map((event) => [event.type, event.data.reason ?? event.data.method ?? null]),
      [
        ['limit.locked', 'limit'],
        ['auth.sign_in_failed', 'invalid_credentials'],
        ['auth.sign_in_failed', 'invalid_credentials'],
        ['auth.sign_in_failed', 'invalid_credentials'],
        ['auth.signed_in', 'password'],
      ],
      "its own, newest first: the admin's update is not one of them",
    );
    assert.deepEqual(
      newest.map((page) => page.length),
      [2, 2, 1],
      'pages of 2, the short last one without a next',
    );
    const failed = newest.flat()[1]!;
    assert.equal(failed.clientAddress, '127.0.0.1', 'from where someone tried');
    assert.equal(failed.actor, 'anonymous');

    // the same events oldest first, and an admin's newest-first read holds the update as well
    const oldest = await pages(`${history}?limit=2`, mine);
    assert.deepEqual(
      oldest.flat().map((event) => event.id),
      newest
        .flat()
        .map((event) => event.id)
        .reverse(),
    );
    const all = (await pages(`${history}?order=newest&limit=3`, service.adminToken)).flat();
    assert.deepEqual(
      all.slice(0, 2).map((event) => event.type),
      ['user.updated', 'limit.locked'],
    );
    assert.equal(all.at(-1)?.type, 'user.created');
    // bounded both ways: after one id and before another
    const between = await api.get(`${history}?order=newest&after=${all.at(-1)!.id}&before=${all[0]!.id}`, {
      token: mine,
    });
    assert.deepEqual(
      between.body.items.map((event: Event) => event.id),
      newest.flat().map((event) => event.id),
    );

    for (const [query, message] of [
      ['order=sideways', /^order: must be oldest or newest$/],
      ['order=newest&before=-1', /^before: must be an integer from 0 to/],
      ['before=x', /^before: must be an integer from 0 to/],
    ] as const) {
      const refused = await api.get(`${history}?${query}`, { token: mine });
      assert.equal(refused.status, 400, query);
      assert.match(String(refused.body.msg), message);
    }
  });

  it('never skips nor repeats an id while concurrent writers hold their transactions open', async () => {
    const start = await lastId();
    const writers = 16;
    const perWriter = 12;
    let writing = true;
    const seen: number[] = [];
    const reader = (async () => {
      let after = start;
      // reads as fast as it can while the writers commit out of order, then once more at the end
      for (let last = false; ;) {
        const items = await readFeed(service.orm.em.fork(), { after, limit: 7 });
        seen.push(...items.map((event) => event.id));
        if (items.length > 0) after = items.at(-1)!.id;
        if (last && items.length === 0) return;
        if (!writing) last = true;
      }
    })();
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let n = 0; n < perWriter; n += 1) {
          await service.orm.em.fork().transactional(async (tx) => {
            await sleep(Math.random() * 5);
            await recordEvent(tx, { type: 'test.concurrent', actor: `writer-${writer}` });
            // held open after the id was drawn: a later id may try to commit first
            await sleep(Math.random() * 15);
          });
        }
      }),
    );
    writing = false;
    await reader;
    const committed = (
      await service.sql<{ id: string }>(`select id from events where id > ? order by id`, [start])
    ).map((row) => Number(row.id));
    assert.equal(committed.length, writers * perWriter);
    assert.deepEqual(seen, committed, 'the reader saw every committed id once, in order');
  });

  it('removes events older than EVENT_RETENTION_DAYS in batches, and keeps the rest', async () => {
    await service.sql(
      `insert into events (type, actor, time) select 'test.old', 'test', now() - interval '91 days' from generate_series(1, 2500)`,
    );
    await service.sql(
      `insert into events (type, actor, time) values ('test.recent', 'test', now() - interval '89 days')`,
    );
    const before = await service.sql<{ n: string }>(`select count(*) as n from events`);
    // webhook deliveries carry a copy of their event: the old ones go too, but an attempt in flight
    const [endpoint] = await service.sql<{ id: string }>(
      `insert into webhook_endpoints (id, url, types, secret, status)
       values (gen_random_uuid(), 'https://receiver.example/', '{*}', 'v1.sealed', 'paused') returning id`,
    );
    const delivery = (state: string, created: string, next: string) =>
      service.sql<{ id: string }>(
        `insert into webhook_deliveries (endpoint_id, message_id, type, data, state, attempts, created_at, next_attempt_at)
         values (?, 'msg_' || gen_random_uuid(), 'test.old', '{"address":"old@example.com"}', ?, 1,
                 now() - ?::interval, now() + ?::interval) returning id`,
        [endpoint!.id, state, created, next],
      );
    const old = [
      ...(await delivery('succeeded', '91 days', '-91 days')),
      ...(await delivery('failed', '92 days', '-91 days')),
      // held by a paused endpoint: waiting, not in flight
      ...(await delivery('pending', '95 days', '-94 days')),
    ].map((row) => row.id);
    const [inFlight] = await delivery('pending', '91 days', '30 seconds');
    const [recent] = await delivery('succeeded', '89 days', '-89 days');
    for (const id of [...old, inFlight!.id, recent!.id]) {
      await service.sql(
        `insert into webhook_attempts (delivery_id, attempt, status, duration_ms) values (?, 1, 500, 3)`,
        [id],
      );
    }

    const removed = await removeExpired(service.orm, 90, Date.now());
    assert.deepEqual(removed, { events: 2500, deliveries: 3, codes: 0, sessions: 0 });
    const left = await service.sql<{ id: string }>(
      `select id from webhook_deliveries where endpoint_id = ? order by id`,
      [endpoint!.id],
    );
    assert.deepEqual(
      left.map((row) => row.id),
      [inFlight!.id, recent!.id],
    );
    const attempts = await service.sql(`select 1 from webhook_attempts where delivery_id in (?, ?, ?)`, old);
    assert.equal(attempts.length, 0, 'their attempts went with them');
    const after = await service.sql<{ n: string }>(`select count(*) as n from events`);
    assert.equal(Number(after[0]!.n), Number(before[0]!.n) - 2500);
    assert.equal((await service.sql(`select 1 from events where type = 'test.recent'`)).length, 1);

    // the periodic task does the same, and stops cleanly; its clock says 2 days later
    const logger = { info: () => undefined, warn: () => undefined };
    const task = startRetention({
      orm: service.orm,
      days: 90,
      intervalMs: 50,
      logger,
      now: () => Date.now() + 2 * 86_400_000,
    });
    for (let i = 0; i < 100 && (await service.sql(`select 1 from events where type = 'test.recent'`)).length > 0; i++) {
      await sleep(50);
    }
    await task.stop();
    assert.equal((await service.sql(`select 1 from events where type = 'test.recent'`)).length, 0);
  });

  it('reads a feed page as one short range scan of the primary key, however deep', async () => {
    // from the first bulk event on: the events the retention test deleted before it are dead rows
    // until a vacuum, which a page from 0 would step over (that is retention's cost, not depth's)
    const first = await lastId();
    await service.sql(`insert into events (type, actor) select 'test.bulk', 'test' from generate_series(1, 100000)`);
    await service.sql('analyze events');
    const max = await lastId();
    const plans: Array<{ after: number; scan: string; index: string; rows: number; blocks: number }> = [];
    for (const after of [first, Math.floor((first + max) / 2), max - 150]) {
      const page = `select id, type, time, actor, user_id, request_id, client_address, data
                      from events where id > ${after} order by id limit 100`;
      // read once before measuring: the first reader of freshly loaded rows settles them (their
      // hint bits, the page's pruning), a one-time cost that has nothing to do with depth and
      // measured 39-47 buffers on some runs
      await service.sql(page);
      const [row] = await service.sql<{ 'QUERY PLAN': Array<{ Plan: any }> }>(
        `explain (analyze, buffers, format json) ${page}`,
      );
      const limit = row!['QUERY PLAN'][0]!.Plan;
      const scan = limit.Plans[0];
      plans.push({
        after,
        scan: scan['Node Type'],
        index: scan['Index Name'],
        rows: scan['Actual Rows'],
        blocks: scan['Shared Hit Blocks'] + scan['Shared Read Blocks'],
      });
    }
    for (const plan of plans) {
      assert.equal(plan.scan, 'Index Scan', JSON.stringify(plans));
      assert.equal(plan.index, 'events_pkey');
      assert.equal(plan.rows, 100, 'reads the page and nothing before it');
      assert.ok(plan.blocks < 20, `a handful of pages, not the table: ${JSON.stringify(plans)}`);
    }
  });

  it('reads a type filter through each type’s (type, id) range, either way: a rare or absent type costs a page, not the table', async () => {
    // a rare type before, amid and after 100,000 events of another type, and a type with none
    const before = await lastId();
    const rare = async () => recordEvent(service.orm.em.fork(), { type: 'test.rare', actor: 'test' });
    await rare();
    await service.sql(`insert into events (type, actor) select 'test.common', 'test' from generate_series(1, 50000)`);
    await rare();
    await service.sql(`insert into events (type, actor) select 'test.common', 'test' from generate_series(1, 50000)`);
    await rare();
    await service.sql('analyze events');

    const scans: Array<{
      types: string[];
      order: string;
      node: string;
      index?: string;
      direction: string;
      rows: number;
      loops: number;
      blocks: number;
    }> = [];
    // every node that reads the events table, wherever it sits in the plan
    const collect = (types: string[], plan: any, order: string) => {
      if (plan['Relation Name'] === 'events')
        scans.push({
          types,
          order,
          node: plan['Node Type'],
          index: plan['Index Name'],
          direction: plan['Scan Direction'],
          rows: plan['Actual Rows'] * plan['Actual Loops'],
          loops: plan['Actual Loops'],
          blocks: plan['Shared Hit Blocks'] + plan['Shared Read Blocks'],
        });
      for (const child of plan.Plans ?? []) collect(types, child, order);
    };
    const reads = [['test.absent'], ['test.rare'], ['test.rare', 'test.absent']].flatMap((types) =>
      (['oldest', 'newest'] as const).map((order) => ({ types, order })),
    );
    for (const { types, order } of reads) {
      // exactly what readFeed sends
      const statement = feedStatement({ after: before, limit: 100, types, order });
      const [row] = await service.sql<{ 'QUERY PLAN': Array<{ Plan: any }> }>(
        `explain (analyze, buffers, format json) ${statement.sql}`,
        statement.params,
      );
      collect(types, row!['QUERY PLAN'][0]!.Plan, order);
      const items = await readFeed(service.orm.em.fork(), { after: before, limit: 100, types, order });
      assert.equal(items.length, types.includes('test.rare') ? 3 : 0);
      const ids = items.map((event) => event.id);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => (order === 'newest' ? b - a : a - b)),
      );
    }
    assert.ok(scans.length >= 6, JSON.stringify(scans));
    for (const scan of scans) {
      assert.match(scan.node, /^Index (Only )?Scan$/, JSON.stringify(scans));
      assert.equal(scan.index, 'events_type_id_index', JSON.stringify(scans));
      // newest first, the same range read from its other end
      assert.equal(scan.direction, scan.order === 'newest' ? 'Backward' : 'Forward', JSON.stringify(scans));
      // (EXPLAIN rounds the rows of each loop: up to half a row more per loop)
      assert.ok(
        scan.rows <= 3 + scan.loops,
        `only the rare type's own entries, not the 100,000 others: ${JSON.stringify(scans)}`,
      );
      assert.ok(scan.blocks < 20, `a handful of pages, not the table: ${JSON.stringify(scans)}`);
    }
  });

  it('reads a user’s history newest first backwards through its (user_id, id) range, not sorting the user’s events', async () => {
    // 30 own sign-ins among 100,000 events of another user, and the filter of a user's own types
    await service.sql(
      `insert into events (type, actor, user_id)
       select case when n % 3334 = 0 then 'auth.signed_in' else 'user.updated' end, 'test',
              case when n % 3334 = 0 then 'history-reader' else 'someone-else' end
         from generate_series(1, 100000) as n`,
    );
    await service.sql('analyze events');
    const query = {
      after: 0,
      before: 0,
      order: 'newest' as const,
      limit: 10,
      userId: 'history-reader',
      types: ['auth.signed_in', 'auth.signed_out'],
    };
    const statement = feedStatement(query);
    const [row] = await service.sql<{ 'QUERY PLAN': Array<{ Plan: any }> }>(
      `explain (analyze, buffers, format json) ${statement.sql}`,
      statement.params,
    );
    const nodes: any[] = [];
    const walk = (plan: any) => {
      nodes.push(plan);
      for (const child of plan.Plans ?? []) walk(child);
    };
    walk(row!['QUERY PLAN'][0]!.Plan);
    const scan = nodes.find((node) => node['Relation Name'] === 'events');
    const shape = JSON.stringify(nodes.map((node) => [node['Node Type'], node['Index Name'], node['Scan Direction']]));
    assert.equal(scan['Index Name'], 'events_user_id_id_index', shape);
    assert.equal(scan['Scan Direction'], 'Backward', shape);
    assert.ok(!nodes.some((node) => node['Node Type'] === 'Sort'), `no sort: ${shape}`);
    assert.equal(scan['Actual Rows'], 10, 'the page, and none of the older events');
    const items = await readFeed(service.orm.em.fork(), query);
    assert.deepEqual(
      items.map((event) => event.id),
      [...items.map((event) => event.id)].sort((a, b) => b - a),
    );
  });

  it('answers a filter of two types with exactly their events, in id order across pages, alone or with a user', async () => {
    const before = await lastId();
    // three types about two users, interleaved in a fixed pseudo-random order
    const types = ['test.alpha', 'test.beta', 'test.gamma'];
    for (let n = 0; n < 40; n += 1) {
      await recordEvent(service.orm.em.fork(), {
        type: types[(n * 7 + Math.floor(n / 3)) % 3]!,
        actor: 'test',
        userId: n % 4 === 0 ? 'feed-user-a' : 'feed-user-b',
      });
    }
    const recorded = (
      await service.sql<{ id: string; type: string; user_id: string }>(
        `select id, type, user_id from events where id > ? order by id`,
        [before],
      )
    ).map((row) => ({ id: Number(row.id), type: row.type, userId: row.user_id }));
    assert.equal(recorded.length, 40);
    const wanted = recorded.filter((event) => event.type === 'test.alpha' || event.type === 'test.gamma');
    assert.ok(wanted.length > 10 && wanted.length < 40, 'the filter leaves events out');

    const both = await feedAfter(before, '&type=test.alpha,test.gamma');
    assert.deepEqual(
      both.map((event) => event.id),
      wanted.map((event) => event.id),
    );
    assert.deepEqual(
      both.map((event) => event.type),
      wanted.map((event) => event.type),
    );
    // a type named twice, and one with no events: the same events, none twice
    const repeated = await feedAfter(before, '&type=test.gamma,test.alpha,test.gamma,test.absent');
    assert.deepEqual(
      repeated.map((event) => event.id),
      wanted.map((event) => event.id),
    );
    // resumed from an id in the middle: the rest, none before it
    const middle = wanted[Math.floor(wanted.length / 2)]!.id;
    assert.deepEqual(
      (await feedAfter(middle, '&type=test.alpha,test.gamma')).map((event) => event.id),
      wanted.filter((event) => event.id > middle).map((event) => event.id),
    );
    const ofUser = await feedAfter(before, '&type=test.alpha,test.gamma&userId=feed-user-a');
    assert.deepEqual(
      ofUser.map((event) => event.id),
      wanted.filter((event) => event.userId === 'feed-user-a').map((event) => event.id),
    );
    assert.ok(ofUser.length > 0);

    // newest first, following Link until a short page has none: the same events, the other way
    /** Every page newest first from `first`: each links below its last id, until a short page has no link. */
    const newestPages = async (first: string) => {
      const pages = await pagesFrom(first);
      for (const page of pages) {
        if (page.next)
          assert.match(page.next, new RegExp(`before=${page.items.at(-1)!.id}&order=newest&limit=3&type=`));
      }
      assert.equal(pages.at(-1)!.next, undefined, 'the last page has no next');
      return pages.flatMap((page) => page.items);
    };
    const newest = await newestPages(`${EVENTS}?order=newest&after=${before}&limit=3&type=test.alpha,test.gamma`);
    assert.deepEqual(
      newest.map((event) => event.id),
      wanted.map((event) => event.id).reverse(),
    );
    const newestOfUser = await newestPages(
      `${EVENTS}?order=newest&after=${before}&limit=3&type=test.alpha,test.gamma&userId=feed-user-a`,
    );
    assert.deepEqual(
      newestOfUser.map((event) => event.id),
      ofUser.map((event) => event.id).reverse(),
    );
    // below an id in the middle: the older ones, newest first
    const below = await admin.get(`${EVENTS}?order=newest&after=${before}&before=${middle}&limit=1000`);
    assert.deepEqual(
      below.body.items.map((event: Event) => event.id),
      recorded
        .filter((event) => event.id < middle)
        .map((event) => event.id)
        .reverse(),
    );
    assert.equal(below.headers.get('link'), null, 'a short page newest first is the last');
  });

  // last: after every other test has signed in, changed passwords and enrolled
  it('holds no password, hash, code, secret or token in any stored event', async () => {
    // secrets absent from every stored event: the whole table as text
    const [dump] = await service.sql<{ text: string }>(
      `select coalesce(string_agg(e::text, '|'), '') as text from events e`,
    );
    const hashes = await service.sql<{ password_hash: string | null }>(`select password_hash from emails`);
    for (const { password_hash } of hashes) if (password_hash) secrets.add(password_hash);
    secrets.add(TEST_TOTP_KEY);
    assert.ok(dump!.text.length > 0);
    for (const secret of secrets)
      assert.ok(!dump!.text.includes(secret), `an event holds a secret: ${secret.slice(0, 12)}…`);
  });
});
