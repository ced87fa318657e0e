// Dormant accounts (DORMANT_ACCOUNT_DAYS; CIS Controls v8 5.3, NIST SP 800-53 AC-2(3)), against the
// real service and PostgreSQL, its clock moved rather than its rows rewritten: the round disables
// the users who have not signed in for that many days (never, or long ago), as an admin's disabling
// does (every session ended, a sign-in refused, `user.disabled` in the history with the service as
// its actor and the reason); it leaves alone the users active lately, those made or enabled again
// within the days, those whose earlier disabling ended within them, admins and accounts already
// disabled; a second round does nothing; an account enabled again has its days anew; the retention
// task does it on its own once the setting is on, and a setting out of range stops start-up.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../server/config/config';
import { disableDormant, startRetention } from '../../server/start/retention';
import { historyOf } from '../support/events';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';

const DAY_MS = 86_400_000;
const REASON = 'No sign-in for 30 days (DORMANT_ACCOUNT_DAYS)';

describe('dormant accounts (DORMANT_ACCOUNT_DAYS)', function () {
  this.slow(5_000);
  let service: TestService;
  let admin: ReturnType<typeof restClient>;
  /** When the test's users are made: every later time counts from it. */
  let start: number;

  before(async () => {
    service = await startTestService();
    admin = restClient(service.baseUrl, service.adminToken);
    start = Date.now();
  });
  after(() => service?.close());
  afterEach(() => service.clock.set(Date.now()));

  async function newUser(role: 'user' | 'admin' = 'user') {
    const body = newUserBody();
    const created = await admin.post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const id = String(created.body.id);
    if (role === 'admin') await service.sql(`update users set role = 'admin' where id = ?`, [id]);
    return { id, email: body.email.email, password: String(body.email.password) };
  }
  const signIn = (user: { email: string; password: string }) =>
    restClient(service.baseUrl).post('/api/v2/auth/token', { email: user.email, password: user.password });
  /** Runs `work` with the service's clock at `at` (ms). */
  async function at<T>(ms: number, work: () => Promise<T>): Promise<T> {
    service.clock.set(ms);
    try {
      return await work();
    } finally {
      service.clock.set(Date.now());
    }
  }
  const stateOf = async (id: string) => {
    const status = (await admin.get(`/api/v2/users/${id}/status`)).body as { state: string; reason?: string };
    return status.state === 'disabled' ? `disabled: ${status.reason}` : status.state;
  };

  it('disables those not signed in for the days, as an admin would, and no one else', async () => {
    const never = await newUser();
    const longAgo = await newUser();
    const lately = await newUser();
    const enabledAgain = await newUser();
    const briefly = await newUser();
    const longSince = await newUser();
    const disabled = await newUser();
    const anAdmin = await newUser('admin');

    const signedIn = await signIn(longAgo);
    assert.equal(signedIn.status, 200);
    assert.equal((await at(start + 35 * DAY_MS, () => signIn(lately))).status, 200);
    // disabled by an admin, enabled again 20 days later
    assert.equal((await admin.post(`/api/v2/users/${enabledAgain.id}/disable`, { reason: 'x' })).status, 200);
    await at(start + 20 * DAY_MS, () => admin.post(`/api/v2/users/${enabledAgain.id}/enable`, {}));
    // disabled until a date: 15 days in (ended within the days), 5 days in (ended before them)
    const until = (days: number) => new Date(start + days * DAY_MS).toISOString();
    await admin.post(`/api/v2/users/${briefly.id}/disable`, { reason: 'a break', until: until(15) });
    await admin.post(`/api/v2/users/${longSince.id}/disable`, { reason: 'a break', until: until(5) });
    await admin.post(`/api/v2/users/${disabled.id}/disable`, { reason: 'left the company' });

    // ten days in, every account is younger than the days: nothing
    assert.equal(await disableDormant(service.orm, 30, start + 10 * DAY_MS), 0);
    // forty days in
    const now = start + 40 * DAY_MS;
    assert.equal(await disableDormant(service.orm, 30, now), 3);
    // read at that time: the disabling that ended 15 days in has ended by then
    assert.deepEqual(
      await at(now, () =>
        Promise.all(
          [never, longAgo, lately, enabledAgain, briefly, longSince, disabled, anAdmin].map((user) => stateOf(user.id)),
        ),
      ),
      [
        `disabled: ${REASON}`,
        `disabled: ${REASON}`,
        'enabled',
        'enabled',
        'enabled',
        `disabled: ${REASON}`,
        'disabled: left the company',
        'enabled',
      ],
    );
    assert.equal(await disableDormant(service.orm, 30, now), 0, 'a second round does nothing');

    // as an admin's disabling: the history says it, the sessions are gone, a sign-in is refused
    assert.deepEqual(await historyOf(service, longAgo.id, ['user.disabled']), [
      { type: 'user.disabled', actor: 'service', data: { reason: REASON, until: null, dormantDays: 30 } },
    ]);
    const refreshed = await restClient(service.baseUrl).post('/api/v2/auth/refresh', {
      refreshToken: signedIn.body.refreshToken,
    });
    assert.equal(refreshed.status, 401, 'its session ended');
    assert.equal((await service.sql('select 1 from sessions where user_id = ?', [longAgo.id])).length, 0);
    const refused = await signIn(longAgo);
    assert.deepEqual([refused.status, refused.body.msg], [403, 'this account is disabled']);

    // enabled again, it has its days anew: not at 45 days in, again at 71
    await at(now, () => admin.post(`/api/v2/users/${never.id}/enable`, {}));
    assert.equal(await disableDormant(service.orm, 30, start + 45 * DAY_MS), 0);
    assert.equal(await stateOf(never.id), 'enabled');
    assert.ok((await disableDormant(service.orm, 30, start + 71 * DAY_MS)) >= 1);
    assert.equal(await stateOf(never.id), `disabled: ${REASON}`);
  });

  it('is done by the retention round once DORMANT_ACCOUNT_DAYS is set, and a value out of range stops start-up', async () => {
    const user = await newUser();
    const logged: Array<Record<string, unknown>> = [];
    const task = startRetention({
      orm: service.orm,
      days: 90,
      intervalMs: 50,
      dormantDays: 30,
      logger: { info: (fields: Record<string, unknown>) => logged.push(fields), warn: () => undefined },
      now: () => start + 200 * DAY_MS,
    });
    for (let i = 0; i < 100 && (await stateOf(user.id)) === 'enabled'; i++) await sleep(50);
    await task.stop();
    assert.equal(await stateOf(user.id), `disabled: ${REASON}`);
    assert.ok(
      logged.some((fields) => fields.days === 30 && Number(fields.disabled) >= 1),
      JSON.stringify(logged),
    );

    assert.equal(loadConfig({ DORMANT_ACCOUNT_DAYS: '90' }).DORMANT_ACCOUNT_DAYS, 90);
    assert.equal(loadConfig({}).DORMANT_ACCOUNT_DAYS, undefined, 'off unless set');
    assert.throws(() => loadConfig({ DORMANT_ACCOUNT_DAYS: '3' }), /DORMANT_ACCOUNT_DAYS/);
  });
});
