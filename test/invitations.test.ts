// Invitations, through a real SMTP server: an admin (or an admin machine client) invites an address,
// the person opens the mailed link and makes its account with it, signed in at once, whether or not
// the service takes sign-ups. The token in no answer, event or log, kept as a keyed hash; one live
// invitation per address and none for an account's; resent (the old link dead), revoked, expired;
// accepted once however many try at once; the account always a `user`; a non-admin or a read-only
// client refused; bad input a 400 that changes nothing.
import assert from 'node:assert/strict';
import { TOTP, URI } from 'otpauth';
import { newUserBody, uniqueSuffix } from './support/fixtures';
import { restClient } from './support/rest';
import { historyOf } from './support/events';
import { removeExpired } from '../server/start/retention';
import { startTestService, type TestService } from './support/service';
import { startSmtpCapture, type SmtpCapture } from './support/smtp';

const INVITATIONS = '/api/v2/invitations';
const LOOKUP = '/api/v2/auth/invitations/lookup';
const ACCEPT = '/api/v2/auth/invitations/accept';
const REFUSED = { code: 100001, msg: 'invalid or expired invitation' };
const PASSWORD = 'a long and unusual passphrase';
const DAY = 86_400_000;

describe('invitations', function () {
  this.timeout(60_000);
  let smtp: SmtpCapture;
  let service: TestService;
  let api: ReturnType<typeof restClient>;
  let admin: ReturnType<typeof restClient>;

  before(async () => {
    smtp = await startSmtpCapture();
    service = await startTestService({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://users.example.test' });
    api = restClient(service.baseUrl);
    admin = restClient(service.baseUrl, service.adminToken);
  });
  afterEach(() => {
    service.clock.offsetMs = 0;
  });
  after(async () => {
    await service?.close();
    await smtp?.close();
  });

  const newAddress = () => `invited.${uniqueSuffix()}@example.com`;

  /** Invites `email` as the admin (or `by`) and answers the invitation and the mailed link's token. */
  async function invite(email: string, by = admin, body: Record<string, unknown> = {}) {
    const before = smtp.to(email).length;
    const made = await by.post(INVITATIONS, { email, ...body });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const mail = await smtp.waitFor(email, { after: before });
    const link = /https:\/\/users\.example\.test\/accept-invitation\?\S+/.exec(mail.text)?.[0];
    assert.ok(link, mail.text);
    const token = new URL(link).searchParams.get('token');
    assert.ok(token);
    return { invitation: made.body, token, mail };
  }

  function acceptance(token: string, method: 0 | 1 | 2 = 0) {
    const { name, age, gender } = newUserBody();
    return { token, name, age, gender, email: { authMethod: method, ...(method === 1 ? {} : { password: PASSWORD }) } };
  }

  const usersWith = (email: string) =>
    service.sql<{ id: string; role: string }>(
      'select u.id, u.role from users u join emails e on e.id = u.email_id where e.address = ?',
      [email],
    );

  async function tokenOf(kind: 'user' | 'read-client' | 'admin-client'): Promise<string> {
    if (kind === 'user') {
      const body = newUserBody();
      assert.equal((await admin.post('/api/v2/users', body)).status, 200);
      const login = await api.post('/api/v2/auth/token', { email: body.email.email, password: body.email.password });
      return String(login.body.token);
    }
    const access = kind === 'read-client' ? 'read' : 'admin';
    const client = await admin.post('/api/v2/clients', { name: `crm ${uniqueSuffix()}`, access });
    assert.equal(client.status, 200, JSON.stringify(client.body));
    const token = await api.post('/api/v2/auth/client-token', {
      clientId: client.body.id,
      clientSecret: client.body.clientSecret,
    });
    return String(token.body.token);
  }

  it('mails a link to the address; the token is in no answer, event or log, and kept as a keyed hash', async () => {
    const email = newAddress();
    const { invitation, token, mail } = await invite(email, admin, { validDays: 3 });
    assert.match(mail.subject, /invited to/);
    assert.deepEqual(Object.keys(invitation).sort(), [
      'createdAt',
      'email',
      'expired',
      'expiresAt',
      'id',
      'invitedBy',
      'metadata',
      'sentAt',
    ]);
    assert.equal(invitation.email, email);
    assert.equal(invitation.expired, false);
    const days = (Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt)) / DAY;
    assert.equal(days, 3);
    const list = await admin.get(INVITATIONS);
    assert.ok(list.body.items.some((item: { id: string }) => item.id === invitation.id));
    assert.ok(!JSON.stringify(list.body).includes(token));
    const [row] = await service.sql<{ token_hash: string }>('select token_hash from invitations where id = ?', [
      invitation.id,
    ]);
    assert.ok(row && !row.token_hash.includes(token));
    const events = await service.sql<{ type: string; actor: string; data: unknown }>(
      `select type, actor, data from events where type like 'invitation.%'`,
    );
    assert.ok(events.some((event) => event.type === 'invitation.created'));
    assert.ok(!JSON.stringify(events).includes(token), 'no token in any event');
    assert.ok(!JSON.stringify(service.logs).includes(token), 'no token in any log line');

    const lookedUp = await api.post(LOOKUP, { token });
    assert.deepEqual(lookedUp.body, { email, expiresAt: invitation.expiresAt });
    const wrong = await api.post(LOOKUP, { token: `${token.slice(0, -2)}xx` });
    assert.deepEqual([wrong.status, wrong.body], [401, REFUSED]);
  });

  it('makes a user with the invited address, signed in at once, though sign-up is closed', async () => {
    assert.equal((await api.get('/api/v2/auth/methods')).body.signUp, null, 'sign-up closed');
    const email = newAddress();
    const { invitation, token } = await invite(email);
    const body = {
      ...acceptance(token),
      role: 'admin',
      id: 'chosen-id',
      email: { authMethod: 0, password: PASSWORD, email: 'other@example.com' },
    };
    const made = await api.post(ACCEPT, body);
    assert.equal(made.status, 200, JSON.stringify(made.body));
    assert.ok(made.body.token && made.body.refreshToken);
    const [user] = await usersWith(email);
    assert.ok(user, 'made with the invited address, whatever the body says');
    assert.equal(user.role, 'user');
    assert.equal((await usersWith('other@example.com')).length, 0);
    const own = await api.get(`/api/v2/users/${user.id}`, { token: String(made.body.token) });
    assert.deepEqual([own.status, own.body.name, own.body.email.email], [200, body.name, email]);

    const history = await historyOf(service, user.id, ['user.created', 'invitation.accepted', 'auth.signed_in']);
    assert.deepEqual(
      history.map(({ type, actor }) => [type, actor]),
      [
        ['user.created', user.id],
        ['invitation.accepted', user.id],
        ['auth.signed_in', user.id],
      ],
    );
    assert.deepEqual(history[1]?.data, { invitation: invitation.id, invitedBy: 'test-admin' });
    assert.equal((await api.post('/api/v2/auth/token', { email, password: PASSWORD })).status, 200, 'its password');
    const again = await api.post(ACCEPT, acceptance(token));
    assert.deepEqual([again.status, again.body], [401, REFUSED], 'accepted once');
    const list = await admin.get(INVITATIONS);
    assert.ok(!list.body.items.some((item: { id: string }) => item.id === invitation.id), 'gone once accepted');
  });

  it('starts the account with the metadata the invitation was sent with', async () => {
    const email = newAddress();
    const metadata = { app: { plan: 'pro', team: 'blue' }, admin: { crm: 'C-17' } };
    const { invitation, token } = await invite(email, admin, { metadata });
    assert.deepEqual(invitation.metadata, metadata);
    const bad = await admin.post(INVITATIONS, { email: newAddress(), metadata: { app: { 'no spaces': 1 } } });
    assert.equal(bad.status, 400);
    assert.match(String(bad.body.msg), /metadata\.app\.no spaces: each key must start with a letter/);
    const made = await api.post(ACCEPT, acceptance(token, 1));
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const [user] = await usersWith(email);
    const asAdmin = await admin.get(`/api/v2/users/${user!.id}/metadata`);
    assert.deepEqual([asAdmin.body.app, asAdmin.body.admin, asAdmin.body.user], [metadata.app, metadata.admin, {}]);
    const own = await api.get(`/api/v2/users/${user!.id}/metadata`, { token: String(made.body.token) });
    assert.deepEqual(own.body.app, metadata.app);
    assert.equal(own.body.admin, undefined, 'the admin part is not the user’s to see');
    const history = await historyOf(service, user!.id, ['invitation.accepted', 'user.metadata_updated']);
    assert.deepEqual(
      history.map(({ type }) => type),
      ['invitation.accepted', 'user.metadata_updated'],
    );
    assert.deepEqual(history[1]?.data.fields, ['app.plan', 'app.team', 'admin.crm']);
  });

  it('makes an account of password and authenticator set it up first', async () => {
    const email = newAddress();
    const { token } = await invite(email);
    const enrolling = await api.post(ACCEPT, acceptance(token, 2));
    assert.equal(enrolling.body.challenge, 'totp_enroll', JSON.stringify(enrolling.body));
    const totp = URI.parse(String(enrolling.body.otpauthUrl)) as TOTP;
    const enrolled = await api.post('/api/v2/auth/totp', {
      challengeToken: enrolling.body.challengeToken,
      code: totp.generate({ timestamp: service.clock.now() }),
    });
    assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
  });

  it('refuses an address that has an account or a live invitation (409), and replaces an expired one', async () => {
    const taken = newUserBody();
    assert.equal((await admin.post('/api/v2/users', taken)).status, 200);
    assert.equal((await admin.post(INVITATIONS, { email: taken.email.email.toUpperCase() })).status, 409);
    const email = newAddress();
    const { token } = await invite(email, admin, { validDays: 1 });
    const twice = await admin.post(INVITATIONS, { email: email.toUpperCase() });
    assert.equal(twice.status, 409);
    assert.match(String(twice.body.msg), /has an invitation already/);
    // a day later the first has expired: a new one replaces it, and the old link is dead
    service.clock.advance(DAY + 1000);
    assert.equal((await api.post(LOOKUP, { token })).status, 401, 'expired');
    const list = await admin.get(INVITATIONS);
    assert.equal(list.body.items.find((item: { email: string }) => item.email === email)?.expired, true);
    const renewed = await invite(email);
    assert.equal((await api.post(LOOKUP, { token: renewed.token })).status, 200);
    assert.deepEqual((await api.post(ACCEPT, acceptance(token))).body, REFUSED);
  });

  it('sends an invitation again with a new link (the old one dead), and revokes one', async () => {
    const email = newAddress();
    const first = await invite(email);
    service.clock.advance(2 * DAY);
    const resent = await admin.post(`${INVITATIONS}/${first.invitation.id}/resend`, {});
    assert.equal(resent.status, 200, JSON.stringify(resent.body));
    assert.equal(
      Date.parse(resent.body.expiresAt) - Date.parse(resent.body.sentAt),
      7 * DAY,
      'as long as the first, from now',
    );
    const mail = await smtp.waitFor(email, { after: 1 });
    const token = new URL(/https:\S+/.exec(mail.text)![0]).searchParams.get('token')!;
    assert.notEqual(token, first.token);
    assert.equal((await api.post(LOOKUP, { token: first.token })).status, 401, 'the old link is dead');
    assert.equal((await api.post(LOOKUP, { token })).status, 200);

    assert.equal((await admin.delete(`${INVITATIONS}/${first.invitation.id}`)).status, 204);
    assert.deepEqual((await api.post(ACCEPT, acceptance(token))).body, REFUSED, 'revoked');
    assert.equal((await admin.delete(`${INVITATIONS}/${first.invitation.id}`)).status, 404);
    assert.equal((await admin.post(`${INVITATIONS}/not-an-id/resend`, {})).status, 404);
    const types = (
      await service.sql<{ type: string }>(`select type from events where data->>'invitation' = ? order by id`, [
        first.invitation.id,
      ])
    ).map((row) => row.type);
    assert.deepEqual(types, ['invitation.created', 'invitation.resent', 'invitation.revoked']);
  });

  it('accepts once however many try at once, and answers 409 when the address got an account meanwhile', async () => {
    const email = newAddress();
    const { token } = await invite(email);
    const answers = await Promise.all(Array.from({ length: 5 }, () => api.post(ACCEPT, acceptance(token, 1))));
    assert.equal(
      answers.filter((answer) => answer.status === 200).length,
      1,
      JSON.stringify(answers.map((a) => a.status)),
    );
    assert.equal((await usersWith(email)).length, 1);

    const other = newAddress();
    const late = await invite(other);
    assert.equal(
      (await admin.post('/api/v2/users', newUserBody({ email: { email: other, authMethod: 1 } }))).status,
      200,
    );
    assert.equal((await api.post(ACCEPT, acceptance(late.token))).status, 409);
  });

  it('refuses bad input with a 400 that names the field, and leaves the invitation usable', async () => {
    const email = newAddress();
    const { token } = await invite(email);
    const good = acceptance(token);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...good, email: { authMethod: 3 } }, /email\.authMethod: must be 0/],
      [{ ...good, email: { authMethod: 0 } }, /email\.password: is required/],
      [{ ...good, name: 'no spaces allowed' }, /name: must contain only/],
      [{ ...good, email: { authMethod: 0, password: 'password123' } }, /email\.password: is a commonly used password/],
    ];
    for (const [body, message] of cases) {
      const answer = await api.post(ACCEPT, body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.match(String(answer.body.msg), message);
    }
    for (const [body, message] of [
      [{ email: 'not an address' }, /email: must be an email address/],
      [{ email: newAddress(), validDays: 31 }, /validDays: must be at most 30/],
    ] as const) {
      const answer = await admin.post(INVITATIONS, body);
      assert.equal(answer.status, 400);
      assert.match(String(answer.body.msg), message);
    }
    assert.equal((await usersWith(email)).length, 0);
    assert.equal((await api.post(ACCEPT, good)).status, 200, 'still usable');
  });

  it('lets admins and admin clients invite, and nobody else', async () => {
    const user = restClient(service.baseUrl, await tokenOf('user'));
    assert.equal((await user.post(INVITATIONS, { email: newAddress() })).status, 403);
    assert.equal((await user.get(INVITATIONS)).status, 403);
    assert.equal((await api.get(INVITATIONS)).status, 401);
    const reader = restClient(service.baseUrl, await tokenOf('read-client'));
    assert.equal((await reader.get(INVITATIONS)).status, 200, 'a read-only client reads');
    assert.equal((await reader.post(INVITATIONS, { email: newAddress() })).status, 403, 'and invites nobody');
    const backend = restClient(service.baseUrl, await tokenOf('admin-client'));
    const { invitation } = await invite(newAddress(), backend);
    assert.match(String(invitation.invitedBy), /^client:/);
  });

  it('removes invitations 30 days after they expired', async () => {
    const email = newAddress();
    const { invitation } = await invite(email, admin, { validDays: 1 });
    await removeExpired(service.orm, 90, Date.now() + 20 * DAY);
    assert.equal(
      (await service.sql('select 1 from invitations where id = ?', [invitation.id])).length,
      1,
      'kept a while',
    );
    await removeExpired(service.orm, 90, Date.now() + 32 * DAY);
    assert.equal((await service.sql('select 1 from invitations where id = ?', [invitation.id])).length, 0);
  });
});

describe('invitations without a mail server', function () {
  this.timeout(60_000);
  let service: TestService;
  before(async () => {
    service = await startTestService();
  });
  after(() => service?.close());

  it('answers 503 and keeps nothing', async () => {
    const answer = await restClient(service.baseUrl, service.adminToken).post(INVITATIONS, {
      email: `nobody.${uniqueSuffix()}@example.com`,
    });
    assert.deepEqual(
      [answer.status, answer.body.msg],
      [503, 'invitations are not available: this service has no mail server configured (SMTP_URL)'],
    );
    assert.deepEqual(await service.sql('select 1 from invitations'), []);
  });
});
