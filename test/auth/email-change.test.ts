// A person moves its own account to a new address only by proving it reads the new one, through a
// real SMTP server: its own PUT or PATCH of another address is refused (an address nobody proved
// would let its owner's OpenID sign-in land in the account: a pre-account takeover); the code goes
// to the new address, bound to it, once, for 10 minutes, dead after 5 wrong tries; an address that
// has an account gets a notice instead, and the same 202; confirmed, the address moves with what a
// new address brings (the other sessions end, both addresses are told, the change is recorded).
// A recent sign-in is asked, a person's own token, never an impersonation; admins set others'
// addresses as before.
import assert from 'node:assert/strict';
import { createUsersClient } from '../../client';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import { restClient } from '../support/rest';
import { historyOf } from '../support/events';
import { startTestService, type TestService } from '../support/service';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';

const USERS = '/api/v2/users';
const START = '/api/v2/auth/email-change';
const CONFIRM = '/api/v2/auth/email-change/confirm';
const REFRESH = '/api/v2/auth/refresh';
const FAILED = { code: 100001, msg: 'code: invalid or expired code' };
const NEEDS_PROOF = /^email\.email: changing your own email address needs a code sent to the new one/;
const MINUTE = 60_000;

describe('changing your own email address', function () {
  this.timeout(60_000);
  let smtp: SmtpCapture;
  let service: TestService;
  let admin: ReturnType<typeof restClient>;

  before(async () => {
    smtp = await startSmtpCapture();
    service = await startTestService({ SMTP_URL: smtp.url, SERVICE_NAME: 'Acme Cloud' });
    admin = restClient(service.baseUrl, service.adminToken);
  });
  afterEach(() => {
    service.clock.offsetMs = 0;
  });
  after(async () => {
    await service?.close();
    await smtp?.close();
  });

  const newAddress = () => `moved.${uniqueSuffix()}@example.com`;

  /** A user who signs in by password, signed in just now. */
  async function signedInUser() {
    const body = newUserBody();
    const created = await admin.post(USERS, body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const { token, refreshToken } = await signIn(body.email.email, String(body.email.password));
    return { id: String(created.body.id), body, token, refreshToken, api: restClient(service.baseUrl, token) };
  }

  async function signIn(email: string, password: string): Promise<{ token: string; refreshToken: string }> {
    const answer = await restClient(service.baseUrl).post('/api/v2/auth/token', { email, password });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return { token: String(answer.body.token), refreshToken: String(answer.body.refreshToken) };
  }

  const refresh = (refreshToken: string) => restClient(service.baseUrl).post(REFRESH, { refreshToken });

  /** Asks for a code for `email` as `api`, and answers the code mailed to it. */
  async function mailedCode(api: ReturnType<typeof restClient>, email: string): Promise<string> {
    const before = smtp.to(email).length;
    const answer = await api.post(START, { email });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    const mail = await smtp.waitFor(email, { after: before });
    assert.equal(mail.subject, 'Confirm your new Acme Cloud address');
    const code = /account is (\d{6})/.exec(mail.text)?.[1];
    assert.ok(code, mail.text);
    return code;
  }

  const addressOf = async (id: string) =>
    (
      await service.sql<{ address: string }>(
        'select e.address from users u join emails e on e.id = u.email_id where u.id = ?',
        [id],
      )
    )[0]?.address;

  const wrongFor = (code: string) => (code === '000000' ? '111111' : '000000');

  it("refuses a person's own PUT or PATCH of another address, and changes nothing; an admin still sets it", async () => {
    const user = await signedInUser();
    const victim = newAddress();
    // the pre-account takeover: an OAuth2 account with someone else's address, waiting for its
    // owner's first sign-in with the provider, which links by the verified email
    const put = await user.api.put(`${USERS}/${user.id}`, {
      ...user.body,
      email: { email: victim, authMethod: 3 },
    });
    assert.equal(put.status, 403, JSON.stringify(put.body));
    assert.match(String(put.body.msg), NEEDS_PROOF);
    const patch = await user.api.patch(`${USERS}/${user.id}`, { email: { email: victim } });
    assert.equal(patch.status, 403, JSON.stringify(patch.body));
    assert.match(String(patch.body.msg), NEEDS_PROOF);
    assert.equal(await addressOf(user.id), user.body.email.email);
    assert.deepEqual(await historyOf(service, user.id, ['user.updated', 'auth.credentials_changed']), []);

    // an address that has an account is refused alike, before any hash: no 409 tells whose it is
    const taken = newUserBody();
    assert.equal((await admin.post(USERS, taken)).status, 200);
    const probe = await user.api.put(`${USERS}/${user.id}`, {
      ...user.body,
      email: { ...user.body.email, email: taken.email.email },
    });
    assert.deepEqual([probe.status, probe.body.msg], [put.status, put.body.msg]);

    // the same address in another case is no new address, and the rest of the body is written
    const recased = await user.api.put(`${USERS}/${user.id}`, {
      ...user.body,
      name: 'renamed',
      email: { email: user.body.email.email.toUpperCase(), authMethod: 0 },
    });
    assert.equal(recased.status, 200, JSON.stringify(recased.body));

    const byAdmin = await admin.patch(`${USERS}/${user.id}`, { email: { email: victim } });
    assert.equal(byAdmin.status, 200, JSON.stringify(byAdmin.body));
    assert.equal(await addressOf(user.id), victim);
  });

  it('moves the address with the code mailed to the new one, ends the other sessions, tells both addresses', async () => {
    const user = await signedInUser();
    const otherSession = await signIn(user.body.email.email, String(user.body.email.password));
    const moved = newAddress();
    const code = await mailedCode(user.api, moved);
    await service.background.idle();
    const [kept] = await service.sql<{ code_hash: string }>(
      'select code_hash from email_change_codes where user_id = ?',
      [user.id],
    );
    assert.ok(kept && !kept.code_hash.includes(code), 'kept as a keyed hash');
    assert.equal(await addressOf(user.id), user.body.email.email, 'nothing moves before the code');

    // over tRPC, typed, as the console sends it
    const client = createUsersClient({ url: `${service.baseUrl}/trpc`, token: user.token });
    const confirmed = await client.auth.emailChange.confirm.mutate({ email: moved, code });
    assert.equal(confirmed.email.email, moved);
    assert.equal(await addressOf(user.id), moved);

    // every token issued before ends; the caller's own session goes on (its refresh token renews
    // it), and every other one ends
    assert.equal((await user.api.get(`${USERS}/${user.id}`)).status, 401);
    const renewed = await refresh(user.refreshToken);
    assert.equal(renewed.status, 200, JSON.stringify(renewed.body));
    assert.equal((await refresh(otherSession.refreshToken)).status, 401);
    const api = restClient(service.baseUrl, String(renewed.body.token));
    // the new address signs in, the old one no more
    await signIn(moved, String(user.body.email.password));
    const old = await restClient(service.baseUrl).post('/api/v2/auth/token', {
      email: user.body.email.email,
      password: user.body.email.password,
    });
    assert.equal(old.status, 401);

    const events = await historyOf(service, user.id, [
      'auth.email_change_requested',
      'user.updated',
      'auth.credentials_changed',
    ]);
    assert.deepEqual(
      events.map((event) => [event.type, event.actor]),
      [
        ['auth.email_change_requested', user.id],
        ['user.updated', user.id],
        ['auth.credentials_changed', user.id],
      ],
    );
    assert.equal(events[0]?.data.address, moved);
    assert.deepEqual(events[2]?.data.credentials, ['email address']);
    assert.ok(!JSON.stringify(events).includes(code), 'no event holds the code');
    // the user reads the request in its own history
    const own = await api.get(`${USERS}/${user.id}/events?after=0&limit=100`);
    assert.ok(
      (own.body.items as Array<{ type: string }>).some((event) => event.type === 'auth.email_change_requested'),
    );

    const atNew = await smtp.waitFor(moved, { after: 1 });
    assert.equal(atNew.subject, 'Your Acme Cloud email address changed');
    // the address it had was told of the request, then of the change, and never shown the new one
    await smtp.waitFor(user.body.email.email, { after: 1 });
    const atOld = smtp.to(user.body.email.email);
    assert.deepEqual(atOld.map((mail) => mail.subject).sort(), [
      'Someone asked to change the email address of your Acme Cloud account',
      'The email address of your Acme Cloud account was changed',
    ]);
    assert.ok(
      atOld.every((mail) => !mail.text.includes(moved)),
      'the new address is not told to the old one',
    );
    assert.ok(!service.logs.some((line) => JSON.stringify(line).includes(code)), 'no log line holds the code');
  });

  it('binds the code to its address, serves it once, and kills it after 5 wrong tries or 10 minutes', async () => {
    const user = await signedInUser();
    const [moved, elsewhere] = [newAddress(), newAddress()];
    let code = await mailedCode(user.api, moved);
    // the right code for another address proves nothing
    assert.deepEqual((await user.api.post(CONFIRM, { email: elsewhere, code })).body, FAILED);
    assert.equal((await user.api.post(CONFIRM, { email: moved, code })).status, 200);
    const password = String(user.body.email.password);
    let api = restClient(service.baseUrl, (await signIn(moved, password)).token);
    assert.deepEqual((await api.post(CONFIRM, { email: moved, code })).body, FAILED, 'once');

    const next = newAddress();
    code = await mailedCode(api, next);
    for (let i = 0; i < 4; i += 1) {
      const wrong = await api.post(CONFIRM, { email: next, code: wrongFor(code) });
      assert.equal(wrong.status, 400);
    }
    assert.equal((await api.post(CONFIRM, { email: next, code: wrongFor(code) })).status, 400);
    assert.deepEqual((await api.post(CONFIRM, { email: next, code })).body, FAILED, 'dead after 5 wrong');
    assert.equal(await addressOf(user.id), moved);

    // a code that outlives its 10 minutes
    const last = newAddress();
    api = restClient(service.baseUrl, (await signIn(moved, password)).token);
    code = await mailedCode(api, last);
    service.clock.advance(10 * MINUTE + 1000);
    assert.deepEqual((await api.post(CONFIRM, { email: last, code })).body, FAILED, 'expired');
    assert.equal(await addressOf(user.id), moved);
  });

  it('moves the address once of 5 concurrent confirmations, with one event and one notice each', async () => {
    const user = await signedInUser();
    const moved = newAddress();
    const code = await mailedCode(user.api, moved);
    const answers = await Promise.all(Array.from({ length: 5 }, () => user.api.post(CONFIRM, { email: moved, code })));
    // the others find the code spent (400), or, once the move has committed, their token ended (401)
    const statuses = answers.map((answer) => answer.status);
    assert.equal(statuses.filter((status) => status === 200).length, 1, JSON.stringify(statuses));
    assert.ok(
      statuses.every((status) => [200, 400, 401].includes(status)),
      JSON.stringify(statuses),
    );
    assert.equal(await addressOf(user.id), moved);
    assert.equal((await historyOf(service, user.id, ['auth.credentials_changed'])).length, 1);
  });

  it('forgets a new address asked for once the password changes: the code no longer confirms', async () => {
    const user = await signedInUser();
    const moved = newAddress();
    const code = await mailedCode(user.api, moved);
    // the owner, told of the request, sets a new password (an admin's reset would do the same)
    const password = 'an entirely new passphrase';
    const changed = await user.api.put(`${USERS}/${user.id}`, {
      ...user.body,
      email: { ...user.body.email, password },
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const again = restClient(service.baseUrl, (await signIn(user.body.email.email, password)).token);
    assert.deepEqual((await again.post(CONFIRM, { email: moved, code })).body, FAILED);
    assert.equal(await addressOf(user.id), user.body.email.email);
  });

  it('answers the same 202 for an address that has an account, which is mailed a notice and no code', async () => {
    const user = await signedInUser();
    const taken = newUserBody();
    assert.equal((await admin.post(USERS, taken)).status, 200);
    const free = newAddress();
    const answers = await Promise.all([free, taken.email.email].map((email) => user.api.post(START, { email })));
    assert.deepEqual([answers[0]?.status, answers[0]?.body], [answers[1]?.status, answers[1]?.body]);
    assert.equal(answers[0]?.status, 202);
    const notice = await smtp.waitFor(taken.email.email);
    assert.equal(notice.subject, 'Someone tried to move their Acme Cloud account to your address');
    assert.doesNotMatch(notice.text, /\d{6}/, 'no code to an address that has an account');
    await smtp.waitFor(free);
  });

  it('is a 409 when the address got an account meanwhile, and moves nothing', async () => {
    const user = await signedInUser();
    const moved = newAddress();
    const code = await mailedCode(user.api, moved);
    assert.equal((await admin.post(USERS, newUserBody({ email: { email: moved, authMethod: 1 } }))).status, 200);
    const answer = await user.api.post(CONFIRM, { email: moved, code });
    assert.equal(answer.status, 409, JSON.stringify(answer.body));
    assert.equal(await addressOf(user.id), user.body.email.email);
  });

  it("asks a recent sign-in and a person's own token; refuses an impersonation and bad input", async () => {
    const user = await signedInUser();
    const moved = newAddress();
    const same = await user.api.post(START, { email: user.body.email.email.toUpperCase() });
    assert.deepEqual([same.status, same.body.msg], [400, 'email: this is your address already']);
    assert.equal((await user.api.post(START, { email: 'not an address' })).status, 400);
    assert.equal((await user.api.post(CONFIRM, { email: moved, code: '12345' })).status, 400);

    assert.equal((await admin.post(START, { email: moved })).status, 403, 'an operator token has no own account');
    const started = await admin.post(`${USERS}/${user.id}/impersonate`, { reason: 'support' });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const asUser = restClient(service.baseUrl, String(started.body.token));
    assert.equal((await asUser.post(START, { email: moved })).status, 403, 'not while acting as the user');
    assert.equal((await asUser.post(CONFIRM, { email: moved, code: '123456' })).status, 403);

    service.clock.advance(301_000);
    const old = await user.api.post(START, { email: moved });
    assert.equal(old.status, 401, JSON.stringify(old.body));
    assert.match(String(old.headers.get('www-authenticate')), /insufficient_user_authentication/);
    assert.equal((await restClient(service.baseUrl).post(START, { email: moved })).status, 401, 'no token');
    assert.equal(smtp.to(moved).length, 0, 'no mail for a refused request');
  });

  it('answers 503 without a mail server, and sends nothing', async () => {
    const quiet = await startTestService();
    try {
      const body = newUserBody();
      assert.equal((await restClient(quiet.baseUrl, quiet.adminToken).post(USERS, body)).status, 200);
      const signedIn = await restClient(quiet.baseUrl).post('/api/v2/auth/token', {
        email: body.email.email,
        password: body.email.password,
      });
      const answer = await restClient(quiet.baseUrl, String(signedIn.body.token)).post(START, { email: newAddress() });
      assert.equal(answer.status, 503, JSON.stringify(answer.body));
      assert.match(String(answer.body.msg), /address changes are not available/);
    } finally {
      await quiet.close();
    }
  });
});
