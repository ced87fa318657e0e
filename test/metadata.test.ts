// A user's metadata (GET, PUT and PATCH /api/v2/users/{id}/metadata; metadata.* over tRPC): its
// three parts and who may read and change each, RFC 7396 merges, the version as ETag and If-Match
// (expectedVersion over tRPC), the limits refused whole with nothing written, the event each
// change records with its keys before and after, concurrent writers that all land, and the
// metadata going with its user.
import assert from 'node:assert/strict';
import { TRPCError } from '@trpc/server';
import { newUserBody } from './support/fixtures';
import { restClient } from './support/rest';
import { ADMIN, startTestService, type TestService } from './support/service';

const USERS = '/api/v2/users';

describe('user metadata', function () {
  this.timeout(60_000);
  let service: TestService;
  let admin: ReturnType<typeof restClient>;

  before(async () => {
    service = await startTestService();
    admin = restClient(service.baseUrl, service.adminToken);
  });
  after(() => service.close());

  /** A new user, signed in: its id and a REST client with its own token. */
  async function signedInUser() {
    const body = newUserBody();
    const created = await admin.post(USERS, body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const signIn = await restClient(service.baseUrl).post('/api/v2/auth/token', {
      email: body.email.email,
      password: body.email.password,
    });
    assert.equal(signIn.status, 200, JSON.stringify(signIn.body));
    return { id: created.body.id as string, api: restClient(service.baseUrl, signIn.body.token) };
  }

  const path = (id: string) => `${USERS}/${id}/metadata`;
  const stored = async (id: string) =>
    (
      await service.sql<{ app_data: unknown; user_data: unknown; admin_data: unknown; version: string }>(
        'select app_data, user_data, admin_data, version::text as version from user_metadata where user_id = ?',
        [id],
      )
    )[0];
  const eventsOf = (id: string) =>
    service.sql<{ type: string; actor: string; data: { fields: string[]; changes: Record<string, unknown> } }>(
      `select type, actor, data from events where user_id = ? and type = 'user.metadata_updated' order by id`,
      [id],
    );

  it('starts empty at version 0, and an admin reads, merges and replaces every part', async () => {
    const { id } = await signedInUser();
    const empty = await admin.get(path(id));
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body, { version: '0', app: {}, user: {}, admin: {} });
    assert.equal(empty.headers.get('etag'), '"0"');
    assert.equal(await stored(id), undefined, 'a read makes no row');

    const first = await admin.patch(path(id), {
      app: { plan: 'pro', limits: { seats: 5, projects: 3 } },
      admin: { crm: 'C-1' },
      user: { theme: 'dark' },
    });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.headers.get('etag'), `"${first.body.version}"`);
    assert.notEqual(first.body.version, '0');

    // RFC 7396: objects merge key by key, null removes a key (at any depth), the rest stays
    const merged = await admin.patch(path(id), { app: { limits: { projects: null, storage: 10 }, trial: true } });
    assert.equal(merged.status, 200, JSON.stringify(merged.body));
    const expected = {
      app: { plan: 'pro', limits: { seats: 5, storage: 10 }, trial: true },
      user: { theme: 'dark' },
      admin: { crm: 'C-1' },
    };
    assert.deepEqual({ ...merged.body, version: undefined }, { ...expected, version: undefined });
    assert.deepEqual(await stored(id), {
      app_data: expected.app,
      user_data: expected.user,
      admin_data: expected.admin,
      version: merged.body.version,
    });

    // PUT replaces each part it sends as a whole, and leaves the others
    const replaced = await admin.put(path(id), { app: { plan: 'free' } });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    assert.deepEqual(replaced.body.app, { plan: 'free' });
    assert.deepEqual(replaced.body.admin, { crm: 'C-1' });
    assert.deepEqual(replaced.body.user, { theme: 'dark' });

    // a null part empties it
    const emptied = await admin.patch(path(id), { admin: null });
    assert.deepEqual(emptied.body.admin, {});
    assert.deepEqual((await admin.get(path(id))).body, emptied.body);
  });

  it('lets a user read its app and user parts, never the admin part, and change only its user part', async () => {
    const { id, api } = await signedInUser();
    await admin.patch(path(id), { app: { plan: 'pro' }, admin: { note: 'owes-us-money' } });

    const own = await api.get(path(id));
    assert.equal(own.status, 200);
    assert.deepEqual(Object.keys(own.body).sort(), ['app', 'user', 'version']);
    assert.deepEqual(own.body.app, { plan: 'pro' });
    assert.ok(!JSON.stringify(own.body).includes('owes-us-money'));

    const changed = await api.patch(path(id), { user: { language: 'fr' } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(changed.body.user, { language: 'fr' });
    assert.equal(changed.body.admin, undefined);
    assert.equal((await api.put(path(id), { user: { language: 'de' } })).body.user.language, 'de');

    const before = await stored(id);
    for (const attempt of [
      () => api.patch(path(id), { app: { plan: 'enterprise' }, user: { language: 'es' } }),
      () => api.put(path(id), { admin: {} }),
      () => api.patch(path(id), { app: null }),
    ]) {
      const refused = await attempt();
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      assert.match(refused.body.msg, /^(app|admin): only an admin may change it/);
    }
    assert.deepEqual(await stored(id), before, 'a refused write changes nothing, its allowed parts neither');

    // another user's metadata looks absent, as the user itself does
    const other = await signedInUser();
    assert.equal((await api.get(path(other.id))).status, 404);
    assert.equal((await api.patch(path(other.id), { user: { x: 1 } })).status, 404);
    assert.equal(await stored(other.id), undefined);
    assert.equal((await restClient(service.baseUrl).get(path(id))).status, 401);
  });

  it('answers 404 for an unknown user, and writes nothing for it', async () => {
    assert.equal((await admin.get(path('no-such-user'))).status, 404);
    const refused = await admin.patch(path('no-such-user'), { app: { a: 1 } });
    assert.equal(refused.status, 404);
    assert.equal((await service.sql(`select 1 from user_metadata where user_id = 'no-such-user'`)).length, 0);
  });

  it('takes If-Match and answers If-None-Match over REST, and expectedVersion over tRPC', async () => {
    const { id } = await signedInUser();
    const read = await admin.get(path(id));
    const etag = read.headers.get('etag')!;
    assert.equal((await admin.get(path(id), { headers: { 'if-none-match': etag } })).status, 304);

    const written = await admin.patch(path(id), { app: { a: 1 } }, { headers: { 'if-match': etag } });
    assert.equal(written.status, 200);
    const stale = await admin.patch(path(id), { app: { a: 2 } }, { headers: { 'if-match': etag } });
    assert.equal(stale.status, 412);
    assert.match(stale.body.msg, /^If-Match: the metadata has changed/);
    const stalePut = await admin.put(path(id), { app: {} }, { headers: { 'if-match': etag } });
    assert.equal(stalePut.status, 412);
    assert.deepEqual((await admin.get(path(id))).body.app, { a: 1 });

    const caller = service.caller(ADMIN);
    const current = await caller.metadata.read({ id });
    assert.equal(current.version, written.body.version);
    await assert.rejects(
      caller.metadata.patch({ id, app: { a: 3 }, expectedVersion: read.body.version }),
      (error: TRPCError) => error.code === 'PRECONDITION_FAILED' && /^expectedVersion:/.test(error.message),
    );
    const next = await caller.metadata.replace({ id, user: { b: 2 }, expectedVersion: current.version });
    assert.deepEqual(next.user, { b: 2 });
    assert.notEqual(next.version, current.version);
  });

  it('refuses what breaks a rule with a 400 that names it, and writes nothing', async () => {
    const { id } = await signedInUser();
    await admin.put(path(id), { app: { filler: 'x'.repeat(5000) } });
    const before = await stored(id);
    const deep: Record<string, unknown> = {};
    let level = deep;
    for (let depth = 0; depth < 12; depth += 1) level = level.next = {} as Record<string, unknown>;
    const cases: Array<[string, unknown, RegExp]> = [
      ['a key that is not a name', { app: { 'has space': 1 } }, /^app\.has space: each key must start with a letter/],
      ['a part that is not an object', { user: ['a'] }, /^user: must be a JSON object/],
      // the part would grow past the limit once merged, though the patch alone is under it
      [
        'a part too large once merged',
        { app: { more: 'y'.repeat(4000) } },
        /^app: must be at most 8192 bytes as JSON \(it would be \d+\)/,
      ],
      ['values nested too deep', { user: { deep } }, /^user: must nest at most 10 levels deep/],
      ['a lone surrogate', { user: { name: 'a\ud800b' } }, /^user\.name: must be valid Unicode text/],
    ];
    for (const [what, patch, message] of cases) {
      const refused = await admin.patch(path(id), patch);
      assert.equal(refused.status, 400, `${what}: ${JSON.stringify(refused.body)}`);
      assert.match(refused.body.msg, message, what);
    }
    const tooLarge = await admin.put(path(id), { admin: { big: 'z'.repeat(9000) } });
    assert.equal(tooLarge.status, 400);
    assert.deepEqual(await stored(id), before, 'nothing was written');
    assert.equal((await eventsOf(id)).length, 1, 'only the first write recorded an event');
  });

  it('records user.metadata_updated with each changed key before and after, and nothing for a write that changes nothing', async () => {
    const { id, api } = await signedInUser();
    await admin.patch(path(id), { app: { plan: 'pro', seats: 5 }, admin: { crm: 'C-9' } });
    const second = await admin.patch(path(id), { app: { plan: 'team', seats: null } });
    const unchanged = await admin.put(path(id), { app: { plan: 'team' } });
    await api.patch(path(id), { user: { theme: 'dark' } });

    const events = await eventsOf(id);
    assert.equal(events.length, 3, 'the write that changed nothing recorded nothing');
    assert.deepEqual(events[0]!.data.fields.sort(), ['admin.crm', 'app.plan', 'app.seats']);
    assert.deepEqual(events[1]!.data.changes, {
      'app.plan': { before: 'pro', after: 'team' },
      'app.seats': { before: 5, after: null },
    });
    assert.equal(events[1]!.actor, 'test-admin');
    assert.equal(events[2]!.actor, id, 'the user itself');
    assert.deepEqual(events[2]!.data.changes, { 'user.theme': { before: null, after: 'dark' } });
    assert.equal(unchanged.status, 200);
    assert.equal(unchanged.body.version, second.body.version, 'and kept the version');

    // the admin feed shows them; the user's own history does not (it holds the admin part)
    const feed = await admin.get(`/api/v2/events?type=user.metadata_updated&userId=${id}`);
    assert.equal(feed.body.items.length, 3);
    const own = await api.get(`${USERS}/${id}/events`);
    assert.equal(own.status, 200);
    assert.ok(own.body.items.every((event: { type: string }) => event.type !== 'user.metadata_updated'));
  });

  it('lets concurrent writers of different keys all land, each at its own version', async () => {
    const { id } = await signedInUser();
    const writes = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        n % 2 === 0
          ? admin.patch(path(id), { app: { [`k${n}`]: n } })
          : admin.patch(path(id), { user: { [`k${n}`]: n } }),
      ),
    );
    assert.ok(
      writes.every((write) => write.status === 200),
      JSON.stringify(writes.map((write) => write.body)),
    );
    assert.equal(new Set(writes.map((write) => write.body.version)).size, 20);
    const { body } = await admin.get(path(id));
    assert.equal(Object.keys(body.app).length + Object.keys(body.user).length, 20);
    assert.equal((await eventsOf(id)).length, 20);
  });

  it('goes with its user, and a later user under the same id starts empty', async () => {
    const { id } = await signedInUser();
    await admin.patch(path(id), { app: { plan: 'pro' } });
    assert.equal((await admin.delete(`${USERS}/${id}`)).status, 204);
    assert.equal(await stored(id), undefined);
    assert.equal((await admin.get(path(id))).status, 404);
  });

  it('takes a patch as application/merge-patch+json only, as the users PATCH does', async () => {
    const { id } = await signedInUser();
    const asJson = await admin.call('PATCH', path(id), { body: { user: { a: 1 } } });
    assert.equal(asJson.status, 415, JSON.stringify(asJson.body));
    assert.match(asJson.body.msg, /application\/merge-patch\+json/);
    assert.equal(await stored(id), undefined);
    const asPatch = await admin.patch(path(id), { user: { a: 1 } });
    assert.equal(asPatch.status, 200, JSON.stringify(asPatch.body));
  });

  describe('finding users by their metadata (the list’s metadata filter)', () => {
    const find = (filter: unknown, extra = '') =>
      admin.get(
        `${USERS}?metadata=${encodeURIComponent(typeof filter === 'string' ? filter : JSON.stringify(filter))}${extra}`,
      );

    it('lists exactly the users whose metadata contains the JSON, over REST and tRPC', async () => {
      const plan = `pro-${Date.now()}`;
      const ids: string[] = [];
      for (let n = 0; n < 5; n += 1) ids.push((await signedInUser()).id);
      await admin.patch(path(ids[0]!), { app: { plan, tags: ['beta', 'eu'] }, admin: { crm: 'C-1' } });
      await admin.patch(path(ids[1]!), { app: { plan, tags: ['eu'], limits: { seats: 5 } } });
      await admin.patch(path(ids[2]!), { app: { plan: `${plan}-not` }, user: { plan } });
      await admin.patch(path(ids[3]!), { app: { plan, tags: ['beta'] }, user: { theme: 'dark' } });

      const byPlan = await find({ app: { plan } });
      assert.equal(byPlan.status, 200, JSON.stringify(byPlan.body));
      assert.deepEqual(
        byPlan.body.items.map((user: { id: string }) => user.id).sort(),
        [ids[0], ids[1], ids[3]].sort(),
      );
      assert.equal(byPlan.body.total, 3);

      // an array holding an element, an object within an object, two parts at once
      const idsOf = async (filter: unknown) =>
        ((await find(filter)).body.items as Array<{ id: string }>).map((user) => user.id).sort();
      assert.deepEqual(await idsOf({ app: { plan, tags: ['beta'] } }), [ids[0], ids[3]].sort());
      assert.deepEqual(await idsOf({ app: { plan, limits: { seats: 5 } } }), [ids[1]]);
      assert.deepEqual(await idsOf({ app: { plan }, user: { theme: 'dark' } }), [ids[3]]);
      assert.deepEqual(await idsOf({ user: { plan } }), [ids[2]], 'each part is its own');
      assert.deepEqual(await idsOf({ admin: { crm: 'C-1' }, app: { plan } }), [ids[0]]);
      assert.deepEqual(await idsOf({ app: { plan: 'nobody-has-this' } }), []);

      const typed = await service.caller(ADMIN).users.search({ offset: 0, limit: 10, metadata: { app: { plan } } });
      assert.deepEqual(typed.items.map((user) => user.id).sort(), [ids[0], ids[1], ids[3]].sort());
    });

    it('pages by cursor with the filter kept, and a cursor serves only the same filter', async () => {
      const plan = `team-${Date.now()}`;
      const ids: string[] = [];
      for (let n = 0; n < 5; n += 1) {
        const { id } = await signedInUser();
        ids.push(id);
        await admin.patch(path(id), { app: { plan, n, tier: 'gold' } });
      }
      const seen: string[] = [];
      let page = await find({ app: { plan } }, '&limit=2&sort=name');
      for (;;) {
        assert.equal(page.status, 200, JSON.stringify(page.body));
        seen.push(...(page.body.items as Array<{ id: string }>).map((user) => user.id));
        const link = page.headers.get('link');
        if (!link) break;
        const next = /<([^>]+)>/.exec(link)![1]!;
        assert.match(decodeURIComponent(next), /metadata=\{"app":\{"plan":"team-/);
        page = await admin.get(next);
      }
      assert.deepEqual(seen.sort(), [...ids].sort());
      const all = await find({ app: { plan } }, '&limit=0');
      assert.deepEqual(
        (all.body.items as Array<{ id: string }>).map((user) => user.id).sort(),
        [...ids].sort(),
        'limit=0: every match',
      );

      // the same filter written in another key order is the same list; another filter is not
      const first = await find({ app: { tier: 'gold', plan } }, '&limit=1&sort=name');
      const cursor = new URL(/<([^>]+)>/.exec(first.headers.get('link')!)![1]!, service.baseUrl).searchParams.get(
        'cursor',
      )!;
      assert.equal((await find({ app: { plan, tier: 'gold' } }, `&limit=1&sort=name&cursor=${cursor}`)).status, 200);
      assert.equal((await find({ app: { plan } }, `&limit=1&sort=name&cursor=${cursor}`)).status, 400);
    });

    it('refuses a filter that is not one, with a 400 naming the metadata parameter', async () => {
      const cases: Array<[string, string, RegExp]> = [
        ['not JSON', '{app:1}', /^metadata: must be a JSON object such as \{"app":\{"plan":"pro"\}\}/],
        [
          'a part that does not exist',
          '{"billing":{"plan":"pro"}}',
          /^metadata: must name only the parts app, user and admin/,
        ],
        ['no part', '{}', /^metadata: must name at least one part/],
        ['a part that is not an object', '{"app":"pro"}', /^metadata\.app: must be a JSON object/],
        ['a lone surrogate', '{"app":{"plan":"\\ud800"}}', /^metadata: app\.plan: must be valid Unicode text/],
        ['too long', JSON.stringify({ app: { plan: 'p'.repeat(2100) } }), /^metadata: must be at most 2048 characters/],
      ];
      for (const [what, filter, message] of cases) {
        const refused = await find(filter);
        assert.equal(refused.status, 400, `${what}: ${JSON.stringify(refused.body)}`);
        assert.match(refused.body.msg, message, what);
      }
    });

    it('is an admin’s, as the list is', async () => {
      const { api } = await signedInUser();
      const refused = await api.get(`${USERS}?metadata=${encodeURIComponent('{"app":{"plan":"pro"}}')}`);
      assert.equal(refused.status, 403);
    });
  });
});
