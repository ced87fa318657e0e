// Editing without overwriting someone else (2.1.0): a strong ETag on every answer that shows a user
// (GET, POST, PUT, PATCH), changing with every write, two in one second included; If-None-Match →
// 304; If-Match that no longer matches → 412 and nothing changes, checked and written in one step
// (two concurrent writes with one If-Match: exactly one wins); without the headers, writes are
// unconditional as published. Over tRPC the same with users.get's version and `expectedVersion`.
import assert from 'node:assert/strict';
import { TRPCError } from '@trpc/server';
import { createUsersClient, TRPCClientError } from '../client';
import { newUserBody } from './support/fixtures';
import { restClient } from './support/rest';
import { startTestService, type TestService } from './support/service';

const USERS = '/api/v2/users';
const STRONG_TAG = /^"\d+\.\d+"$/;

describe('editing safely: versions, ETags and preconditions', function () {
  this.timeout(60_000);
  let service: TestService;
  let api: ReturnType<typeof restClient>;

  before(async () => {
    service = await startTestService();
    api = restClient(service.baseUrl, service.adminToken);
  });
  after(() => service.close());

  async function created() {
    const body = newUserBody();
    const response = await api.post(USERS, body);
    assert.equal(response.status, 200);
    const etag = response.headers.get('etag');
    assert.match(etag ?? '', STRONG_TAG, 'POST answers with a strong ETag');
    return { user: response.body, body, etag: etag! };
  }

  /** What is stored of a user, to show a refused write changed nothing. */
  const stored = async (id: string) =>
    service.sql(
      `select u.name, u.age, u.gender, u.version, u.updated_at, u.token_epoch, e.address, e.auth_method, e.password_hash
       from users u join emails e on e.id = u.email_id where u.id = ?`,
      [id],
    );

  describe('ETag', () => {
    it('comes with GET, POST, PUT and PATCH, and is the same for the same state', async () => {
      const { user, body, etag } = await created();
      const read = await api.get(`${USERS}/${user.id}`);
      assert.equal(read.headers.get('etag'), etag, 'a read of the state just written has its ETag');
      const put = await api.put(`${USERS}/${user.id}`, { ...body, age: 31 });
      assert.equal(put.status, 200);
      assert.match(put.headers.get('etag') ?? '', STRONG_TAG);
      assert.notEqual(put.headers.get('etag'), etag);
      assert.equal((await api.get(`${USERS}/${user.id}`)).headers.get('etag'), put.headers.get('etag'));
      const patch = await api.patch(`${USERS}/${user.id}`, { age: 32 });
      assert.equal(patch.status, 200);
      assert.match(patch.headers.get('etag') ?? '', STRONG_TAG);
      assert.notEqual(patch.headers.get('etag'), put.headers.get('etag'));
      assert.equal((await api.get(`${USERS}/${user.id}`)).headers.get('etag'), patch.headers.get('etag'));
    });

    it('changes on every write, even two identical writes within one second', async () => {
      const { user, body } = await created();
      const tags = new Set<string>();
      for (let i = 0; i < 5; i += 1) {
        const response = await api.put(`${USERS}/${user.id}`, body);
        assert.equal(response.status, 200);
        tags.add(response.headers.get('etag')!);
      }
      assert.equal(tags.size, 5, `five writes, five ETags: ${[...tags].join(' ')}`);
      const [row] = await service.sql<{ version: number }>('select version from users where id = ?', [user.id]);
      assert.equal(row?.version, 6, 'created at 1, one more per write');
    });

    it('is not reused by a user made later under the same id', async () => {
      const { user, body, etag } = await created();
      assert.equal((await api.delete(`${USERS}/${user.id}`)).status, 204);
      const again = await api.post(USERS, { ...newUserBody(), id: user.id });
      assert.equal(again.status, 200);
      assert.notEqual(again.headers.get('etag'), etag);
      const refused = await api.put(
        `${USERS}/${user.id}`,
        { ...body, email: again.body.email },
        { headers: { 'if-match': etag } },
      );
      assert.equal(refused.status, 412, 'the old user’s ETag does not stand for the new one');
    });
  });

  describe('If-None-Match', () => {
    it('answers 304 without a body while the copy is current, and 200 once it is not', async () => {
      const { user, body, etag } = await created();
      for (const header of [etag, `W/${etag}`, `"0.0", ${etag}`, '*']) {
        const response = await api.get(`${USERS}/${user.id}`, { headers: { 'if-none-match': header } });
        assert.equal(response.status, 304, header);
        assert.equal(response.body, undefined);
        assert.equal(response.headers.get('etag'), etag);
      }
      await api.put(`${USERS}/${user.id}`, { ...body, name: 'changed' });
      const fresh = await api.get(`${USERS}/${user.id}`, { headers: { 'if-none-match': etag } });
      assert.equal(fresh.status, 200);
      assert.equal(fresh.body.name, 'changed');
      assert.notEqual(fresh.headers.get('etag'), etag);
    });

    it('is refused when malformed, and answers 404 for a user that is not there', async () => {
      const { user } = await created();
      const malformed = await api.get(`${USERS}/${user.id}`, { headers: { 'if-none-match': 'no-quotes' } });
      assert.equal(malformed.status, 400);
      assert.match(malformed.body.msg, /^If-None-Match: must be "\*" or a comma-separated list of entity tags/);
      const missing = await api.get(`${USERS}/nobody-here`, { headers: { 'if-none-match': '*' } });
      assert.equal(missing.status, 404);
    });
  });

  describe('If-Match', () => {
    it('writes when it names the current version, or is *', async () => {
      const { user, body, etag } = await created();
      const put = await api.put(`${USERS}/${user.id}`, { ...body, age: 40 }, { headers: { 'if-match': etag } });
      assert.equal(put.status, 200);
      const patch = await api.patch(
        `${USERS}/${user.id}`,
        { age: 41 },
        { headers: { 'if-match': `"1.1", ${put.headers.get('etag')}` } },
      );
      assert.equal(patch.status, 200);
      const any = await api.patch(`${USERS}/${user.id}`, { age: 42 }, { headers: { 'if-match': '*' } });
      assert.equal(any.status, 200);
      const deleted = await api.delete(`${USERS}/${user.id}`, { headers: { 'if-match': any.headers.get('etag')! } });
      assert.equal(deleted.status, 204);
    });

    it('refuses PUT, PATCH and DELETE with 412 once the user changed, and changes nothing', async () => {
      const { user, body, etag } = await created();
      await api.put(`${USERS}/${user.id}`, { ...body, age: 50 });
      const before = await stored(user.id);
      const attempts = [
        () =>
          api.put(
            `${USERS}/${user.id}`,
            { ...body, age: 51, email: { ...body.email, password: 'another password' } },
            { headers: { 'if-match': etag } },
          ),
        () => api.patch(`${USERS}/${user.id}`, { age: 52 }, { headers: { 'if-match': etag } }),
        () => api.delete(`${USERS}/${user.id}`, { headers: { 'if-match': etag } }),
        // If-Match compares strongly: a weak tag never matches
        () => api.delete(`${USERS}/${user.id}`, { headers: { 'if-match': `W/${etag}` } }),
      ];
      for (const attempt of attempts) {
        const response = await attempt();
        assert.equal(response.status, 412);
        assert.deepEqual(response.body, {
          code: 100001,
          msg: 'If-Match: the user has changed since that version was read; read it again',
        });
        assert.deepEqual(await stored(user.id), before, 'nothing changed');
      }
    });

    it('is refused with 400 when malformed, before anything is written', async () => {
      const { user, body } = await created();
      const before = await stored(user.id);
      for (const header of ['12.3', '"unterminated', 'W/', '"a" "b"']) {
        const response = await api.put(
          `${USERS}/${user.id}`,
          { ...body, age: 77 },
          { headers: { 'if-match': header } },
        );
        assert.equal(response.status, 400, header);
        assert.match(response.body.msg, /^If-Match: must be "\*" or a comma-separated list of entity tags/);
      }
      assert.deepEqual(await stored(user.id), before);
    });

    it('lets exactly one of two concurrent writes with the same If-Match win', async () => {
      for (let round = 0; round < 8; round += 1) {
        const { user, body, etag } = await created();
        const headers = { 'if-match': etag };
        const writes =
          round % 2 === 0
            ? [
                api.put(`${USERS}/${user.id}`, { ...body, name: `first_${round}` }, { headers }),
                api.put(`${USERS}/${user.id}`, { ...body, name: `second_${round}` }, { headers }),
              ]
            : [
                api.patch(`${USERS}/${user.id}`, { name: `first_${round}` }, { headers }),
                api.delete(`${USERS}/${user.id}`, { headers }),
              ];
        const statuses = (await Promise.all(writes)).map((response) => response.status);
        const winners = statuses.filter((status) => status === 200 || status === 204);
        assert.equal(winners.length, 1, `round ${round}: ${statuses.join(', ')}`);
        const [row] = await service.sql<{ name: string; version: number }>(
          'select name, version from users where id = ?',
          [user.id],
        );
        if (round % 2 === 0) {
          assert.deepEqual([...statuses].sort(), [200, 412], `round ${round}`);
          assert.equal(row?.name, statuses[0] === 200 ? `first_${round}` : `second_${round}`, 'the winner’s write');
          assert.equal(row?.version, 2, 'one write');
        } else if (statuses[0] === 200) {
          assert.deepEqual(statuses, [200, 412], 'the patch won; the delete found a newer version');
          assert.equal(row?.name, `first_${round}`);
        } else {
          // the delete won: the patch then finds no user to change (RFC 9110 §13.2.1: 404 before 412)
          assert.deepEqual(statuses, [404, 204], `round ${round}`);
          assert.equal(row, undefined);
        }
      }
    });

    it('is ignored on the list and on create, and writes without it stay unconditional', async () => {
      const { user, body } = await created();
      await api.put(`${USERS}/${user.id}`, { ...body, age: 60 });
      // no If-Match: the published, unconditional write, whatever happened before
      const put = await api.put(`${USERS}/${user.id}`, { ...body, age: 61 });
      assert.equal(put.status, 200);
      assert.equal(put.body.age, 61);
      assert.equal((await api.post(USERS, newUserBody(), { headers: { 'if-match': '"1.1"' } })).status, 200);
      assert.equal((await api.get(`${USERS}?limit=1`, { headers: { 'if-match': '"1.1"' } })).status, 200);
    });

    it('cannot be given over REST as tRPC’s expectedVersion: such a field is dropped like any unknown one', async () => {
      const { user, body, etag } = await created();
      await api.put(`${USERS}/${user.id}`, { ...body, age: 70 });
      const put = await api.put(`${USERS}/${user.id}`, { ...body, age: 71, expectedVersion: etag.slice(1, -1) });
      assert.equal(put.status, 200);
      const patch = await api.patch(`${USERS}/${user.id}`, { age: 72, expectedVersion: etag.slice(1, -1) });
      assert.equal(patch.status, 200);
      const deleted = await api.delete(`${USERS}/${user.id}?expectedVersion=${etag.slice(1, -1)}`);
      assert.equal(deleted.status, 204);
    });
  });

  describe('over tRPC', () => {
    it('users.get gives the version that REST shows as the ETag', async () => {
      const { user, etag } = await created();
      const got = await service.caller().users.get({ id: user.id });
      assert.deepEqual(got.user, user);
      assert.equal(`"${got.version}"`, etag);
    });

    it('update, patch and delete refuse a version that is no longer current with PRECONDITION_FAILED, and change nothing', async () => {
      const { user, body } = await created();
      const { version } = await service.caller().users.get({ id: user.id });
      await service.caller().users.update({ ...body, id: user.id, age: 80 });
      const before = await stored(user.id);
      const refusals = [
        () => service.caller().users.update({ ...body, id: user.id, age: 81, expectedVersion: version }),
        () => service.caller().users.patch({ id: user.id, age: 82, expectedVersion: version }),
        () => service.caller().users.delete({ id: user.id, expectedVersion: version }),
      ];
      for (const refusal of refusals) {
        await assert.rejects(refusal(), (error: unknown) => {
          assert.ok(error instanceof TRPCError);
          assert.equal(error.code, 'PRECONDITION_FAILED');
          assert.equal(
            error.message,
            'expectedVersion: the user has changed since that version was read; read it again',
          );
          return true;
        });
        assert.deepEqual(await stored(user.id), before);
      }
      const current = await service.caller().users.get({ id: user.id });
      const patched = await service.caller().users.patch({ id: user.id, age: 83, expectedVersion: current.version });
      assert.equal(patched.age, 83);
      const latest = await service.caller().users.get({ id: user.id });
      assert.notEqual(latest.version, current.version);
      assert.equal(await service.caller().users.delete({ id: user.id, expectedVersion: latest.version }), undefined);
    });

    it('through the typed client over a real socket: 412 as PRECONDITION_FAILED', async () => {
      const client = createUsersClient({ url: `${service.baseUrl}/trpc`, token: service.adminToken });
      const { user, body } = await created();
      const { version } = await client.users.get.query({ id: user.id });
      await client.users.patch.mutate({ id: user.id, name: 'someone_else' });
      await assert.rejects(
        client.users.update.mutate({ ...body, id: user.id, expectedVersion: version }),
        (error: unknown) => {
          assert.ok(error instanceof TRPCClientError);
          assert.equal(error.data?.code, 'PRECONDITION_FAILED');
          assert.equal(error.data?.httpStatus, 412);
          return true;
        },
      );
      // a version that is no version at all is a bad request
      await assert.rejects(
        client.users.delete.mutate({ id: user.id, expectedVersion: 'nonsense' as never }),
        (error: unknown) => error instanceof TRPCClientError && error.data?.code === 'BAD_REQUEST',
      );
    });
  });
});
