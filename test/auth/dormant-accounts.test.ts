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
import { handleDormant, startRetention } from '../../server/start/retention';
import { historyOf } from '../support/events';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';

const DAY_MS = 86_400_000;
const REASON = 'No sign-in for 30 days (DORMANT_ACCOUNT_DAYS)';

describe('dormant accounts (DORMANT_ACCOUNT_DAYS), without a mail server', function () {
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
  /** A round without mail (this service has none): how many it disabled. */
  const disabledAt = async (now: number) => {
    const done = await handleDormant(service.orm, 30, now);
    assert.equal(done.warned, 0, 'no mail, no warning');
    return done.disabled;
  };
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
    assert.equal(await disabledAt(start + 10 * DAY_MS), 0);
    // forty days in
    const now = start + 40 * DAY_MS;
    assert.equal(await disabledAt(now), 3);
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
    assert.equal(await disabledAt(now), 0, 'a second round does nothing');

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
    assert.equal(await disabledAt(start + 45 * DAY_MS), 0);
    assert.equal(await stateOf(never.id), 'enabled');
    assert.ok((await disabledAt(start + 71 * DAY_MS)) >= 1);
    assert.equal(await stateOf(never.id), `disabled: ${REASON}`);
  });

  it('is done by the retention round once DORMANT_ACCOUNT_DAYS is set, one round an hour among the instances; a value out of range stops start-up', async () => {
    const logged: Array<Record<string, unknown>> = [];
    /** Two instances' retention rounds, every 50 ms, their clocks at `days` days in: the users disabled. */
    async function instancesAt(days: number, users: Array<{ id: string }>): Promise<string[]> {
      const tasks = [1, 2].map(() =>
        startRetention({
          orm: service.orm,
          days: 90,
          intervalMs: 50,
          dormantDays: 30,
          logger: { info: (fields: Record<string, unknown>) => logged.push(fields), warn: () => undefined },
          now: () => start + days * DAY_MS,
        }),
      );
      await sleep(500);
      await Promise.all(tasks.map((task) => task.stop()));
      const states = await at(start + days * DAY_MS, () => Promise.all(users.map((user) => stateOf(user.id))));
      return users.filter((_, index) => states[index] !== 'enabled').map((user) => user.id);
    }
    const first = await newUser();
    assert.deepEqual(await instancesAt(200, [first]), [first.id]);
    assert.equal(await stateOf(first.id), `disabled: ${REASON}`);
    assert.ok(
      logged.some((fields) => fields.days === 30 && Number(fields.disabled) >= 1),
      JSON.stringify(logged),
    );
    // made dormant after the step ran: half an hour later no instance runs it again, an hour later one does
    const second = await newUser();
    assert.deepEqual(await instancesAt(200 + 1 / 48, [second]), []);
    assert.deepEqual(await instancesAt(200 + 1 / 24 + 0.001, [second]), [second.id]);

    assert.equal(loadConfig({ DORMANT_ACCOUNT_DAYS: '90' }).DORMANT_ACCOUNT_DAYS, 90);
    assert.equal(loadConfig({}).DORMANT_ACCOUNT_DAYS, undefined, 'off unless set');
    assert.throws(() => loadConfig({ DORMANT_ACCOUNT_DAYS: '7' }), /DORMANT_ACCOUNT_DAYS/, 'a week: no room to warn');
  });
});

describe('dormant accounts (DORMANT_ACCOUNT_DAYS), warned by mail a week before', function () {
  this.slow(5_000);
  let smtp: SmtpCapture;
  let service: TestService;
  let admin: ReturnType<typeof restClient>;
  let start: number;
  const MAIL = { serviceName: 'Users service', signInUrl: 'https://id.example.com/' };

  before(async () => {
    smtp = await startSmtpCapture();
    service = await startTestService({ SMTP_URL: smtp.url, MAIL_FROM: 'Users <no-reply@users.test>' });
    admin = restClient(service.baseUrl, service.adminToken);
    start = Date.now();
  });
  after(async () => {
    await service?.close();
    await smtp?.close();
  });
  afterEach(() => service.clock.set(Date.now()));

  async function newUser() {
    const body = newUserBody();
    const created = await admin.post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return { id: String(created.body.id), email: body.email.email, password: String(body.email.password) };
  }
  /** A round at `days` days after the start: how many it warned and disabled, of every user here. */
  const roundAt = (days: number) => handleDormant(service.orm, 30, start + days * DAY_MS, MAIL);
  const state = async (id: string) => (await admin.get(`/api/v2/users/${id}/status`)).body.state as string;
  const day = (days: number) => new Date(start + days * DAY_MS).toISOString().slice(0, 10);

  it('warns once, a week before; disables once the warning is a week old; a sign-in after it starts again', async () => {
    const quiet = await newUser();
    const back = await newUser();
    assert.deepEqual(await roundAt(22), { warned: 0, disabled: 0 }, 'not yet due a warning');
    assert.deepEqual(await roundAt(24), { warned: 2, disabled: 0 });
    assert.deepEqual(await roundAt(25), { warned: 0, disabled: 0 }, 'warned once');
    // the account's status says so, to admins (and in the console)
    const warnedOn = new Date(start + 24 * DAY_MS).toISOString();
    assert.equal((await admin.get(`/api/v2/users/${quiet.id}/status`)).body.dormancyWarnedAt, warnedOn);

    // the mail, by the security notices' outbox: when it was last used, when it goes, where to sign in
    const mail = await smtp.waitFor(quiet.email);
    assert.equal(mail.subject, 'Your Users service account will be disabled unless you sign in');
    assert.match(mail.text, new RegExp(`had no sign-in since ${day(0)}\\.`));
    assert.match(mail.text, new RegExp(`on or after ${day(31)}\\.`));
    assert.match(mail.text, /sign in before then: https:\/\/id\.example\.com\//);
    const [warned] = await historyOf(service, quiet.id, ['user.dormancy_warned']);
    assert.deepEqual(
      { actor: warned?.actor, dormantDays: warned?.data.dormantDays },
      { actor: 'service', dormantDays: 30 },
    );
    // the user reads it in its own history too
    const token = (
      await restClient(service.baseUrl).post('/api/v2/auth/token', { email: back.email, password: back.password })
    ).body.token as string;
    const own = await restClient(service.baseUrl, token).get(`/api/v2/users/${back.id}/events?after=0`);
    assert.ok((own.body.items as Array<{ type: string }>).some((event) => event.type === 'user.dormancy_warned'));

    // `back` signed in just now (day 0 by the real clock): move its sign-in to day 26, after the warning
    await service.sql(`update user_sign_ins set last_at = ? where user_id = ?`, [
      new Date(start + 26 * DAY_MS),
      back.id,
    ]);
    assert.equal((await admin.get(`/api/v2/users/${back.id}/status`)).body.dormancyWarnedAt, undefined, 'moot');
    assert.deepEqual(await roundAt(30.5), { warned: 0, disabled: 0 }, 'dormant 30 days, warned only 6.5 days ago');
    assert.deepEqual(await roundAt(31.5), { warned: 0, disabled: 1 });
    assert.deepEqual(await at(31.5, () => Promise.all([state(quiet.id), state(back.id)])), ['disabled', 'enabled']);
    // enabled again: its days start anew, the warning is moot at once
    const enabled = await at(32, () => admin.post(`/api/v2/users/${quiet.id}/enable`, {}));
    assert.deepEqual([enabled.body.state, enabled.body.dormancyWarnedAt], ['enabled', undefined]);
    // (it would be warned again 23 days on: out of the rest of this test)
    assert.equal((await admin.delete(`/api/v2/users/${quiet.id}`)).status, 204);
    // `back` is due a new warning 23 days after its sign-in, and its disabling a week after that
    assert.deepEqual(await roundAt(48), { warned: 0, disabled: 0 });
    assert.deepEqual(await roundAt(50), { warned: 1, disabled: 0 });
    assert.deepEqual(await roundAt(56.5), { warned: 0, disabled: 0 });
    assert.deepEqual(await roundAt(57.5), { warned: 0, disabled: 1 });
  });

  it('turned on when an account is long dormant, warns it first and disables it a week later', async () => {
    const forgotten = await newUser();
    // this test's round only: the earlier test's users are disabled by now
    assert.deepEqual(await roundAt(200), { warned: 1, disabled: 0 });
    const mail = await smtp.waitFor(forgotten.email);
    assert.match(mail.text, new RegExp(`on or after ${day(207)}\\.`), 'a full week from the warning');
    assert.deepEqual(await roundAt(206.5), { warned: 0, disabled: 0 });
    assert.deepEqual(await roundAt(207.5), { warned: 0, disabled: 1 });
  });

  /** Runs `work` with the service's clock `days` days after the start. */
  async function at<T>(days: number, work: () => Promise<T>): Promise<T> {
    service.clock.set(start + days * DAY_MS);
    try {
      return await work();
    } finally {
      service.clock.set(Date.now());
    }
  }
});
