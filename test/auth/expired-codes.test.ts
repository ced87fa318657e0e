// Mailed codes nobody used do not stay: the retention round removes sign-in, password reset and
// sign-up codes once they expire (and invitations 30 days after), anyone's, found through their
// expires_at indexes, and leaves the live ones (which still work afterwards). Codes are requested as a person would, through a real
// SMTP server; the round's clock is moved past their expiry.
import assert from 'node:assert/strict';
import { removeExpired } from '../../server/start/retention';
import { newUserBody } from '../support/fixtures';
import { assertReadsIndex } from '../support/plans';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';

const MINUTE = 60_000;

describe('expired mailed codes', function () {
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
  after(async () => {
    await service?.close();
    await smtp?.close();
  });

  async function newUser(authMethod: 0 | 1) {
    const body = newUserBody();
    if (authMethod === 1) body.email = { email: body.email.email, authMethod };
    const created = await admin.post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return { id: String(created.body.id), email: body.email.email };
  }

  /** Asks for a code at `path` and waits for its mail; the code in it. */
  async function mailed(path: string, email: string): Promise<string> {
    const before = smtp.to(email).length;
    assert.equal((await api.post(path, { email })).status, 202);
    const mail = await smtp.waitFor(email, { after: before });
    const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
    assert.ok(code, mail.text);
    return code;
  }

  const pending = async (table: string, ids: string[]) =>
    (
      await service.sql<{ id: string }>(
        `select u.id from ${table} c join users u on u.email_id = c.email_id where u.id in (${ids.map(() => '?').join(', ')}) order by u.id`,
        ids,
      )
    ).map((row) => row.id);

  it('removes sign-in and reset codes once expired, anyone’s, and keeps the live ones', async () => {
    const byCode = [await newUser(1), await newUser(1)];
    const byPassword = [await newUser(0), await newUser(0)];
    const codes: string[] = [];
    for (const user of byCode) codes.push(await mailed('/api/v2/auth/otp', user.email));
    for (const user of byPassword) await mailed('/api/v2/auth/password/forgot', user.email);
    // the second of each is asked for 50 minutes later: the first ones are dead by then (sign-in
    // codes last 10 minutes, reset codes 30), the second ones live
    await service.sql(
      `update email_codes set expires_at = expires_at - interval '50 minutes' where email_id = (
      select email_id from users where id = ?)`,
      [byCode[0]!.id],
    );
    await service.sql(
      `update password_resets set expires_at = expires_at - interval '50 minutes' where email_id = (
      select email_id from users where id = ?)`,
      [byPassword[0]!.id],
    );
    const codeIds = byCode.map((user) => user.id);
    const resetIds = byPassword.map((user) => user.id);
    assert.deepEqual(await pending('email_codes', codeIds), [...codeIds].sort());
    assert.deepEqual(await pending('password_resets', resetIds), [...resetIds].sort());

    const removed = await removeExpired(service.orm, 90, Date.now());
    assert.equal(removed.codes, 2);
    assert.deepEqual(await pending('email_codes', codeIds), [byCode[1]!.id]);
    assert.deepEqual(await pending('password_resets', resetIds), [byPassword[1]!.id]);

    // what is left still signs in; and once it too is past its expiry, the next round removes it
    const signedIn = await api.post('/api/v2/auth/otp/verify', { email: byCode[1]!.email, code: codes[1] });
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    const later = await removeExpired(service.orm, 90, Date.now() + 31 * MINUTE);
    assert.deepEqual(later, { events: 0, deliveries: 0, codes: 1, sessions: 0 });
    assert.deepEqual(await pending('password_resets', resetIds), []);
  });

  it('finds expired codes through their indexes, not by reading every code', async () => {
    // one address asked for by 20,000 browsers, 1 in 100 of their codes expired: a table of the
    // size where reading all of it would show
    const user = await newUser(1);
    for (const table of ['email_codes', 'password_resets']) {
      await service.sql(
        `insert into ${table} (email_id, device, code_hash, expires_at)
         select (select email_id from users where id = ?), 'device-' || i, 'keyed-hash-' || i,
                now() + case when i % 100 = 0 then interval '-1 hour' else interval '1 hour' end
           from generate_series(1, 20000) as i`,
        [user.id],
      );
      // the subselect of the round's delete (router/auth/*-store.ts)
      await assertReadsIndex(
        service,
        table,
        `select email_id, device from ${table} where expires_at < now() limit 1000 for update skip locked`,
        `${table}_expires_at_index`,
      );
    }
    // a new address's codes are of a user (router/auth/email-change)
    await service.sql(
      `insert into email_change_codes (user_id, device, code_hash, expires_at)
       select ?, 'device-' || i, 'keyed-hash-' || i,
              now() + case when i % 100 = 0 then interval '-1 hour' else interval '1 hour' end
         from generate_series(1, 20000) as i`,
      [user.id],
    );
    await assertReadsIndex(
      service,
      'email_change_codes',
      `select user_id, device from email_change_codes where expires_at < now() limit 1000 for update skip locked`,
      'email_change_codes_expires_at_index',
    );
    // an OpenID provider's sign-up tickets wait for the person's fields (router/auth/oauth2)
    await service.sql(
      `insert into oauth_sign_ups (ticket_hash, browser_hash, issuer, subject, address, expires_at)
       select 'keyed-hash-' || i, 'browser-' || i, 'https://id.example', 'sub-' || i, 'p' || i || '@example.com',
              now() + case when i % 100 = 0 then interval '-1 hour' else interval '1 hour' end
         from generate_series(1, 20000) as i`,
    );
    await assertReadsIndex(
      service,
      'oauth_sign_ups',
      `select ticket_hash from oauth_sign_ups where expires_at < now() limit 1000 for update skip locked`,
      'oauth_sign_ups_expires_at_index',
    );
    // sign-up codes are of addresses with no account yet, and invitations are removed 30 days after
    // they expire (router/invitations): the same, each by its own key
    await service.sql(
      `insert into sign_up_codes (address_key, code_hash, expires_at)
       select 'someone' || i || '@example.com', 'keyed-hash-' || i,
              now() + case when i % 100 = 0 then interval '-1 hour' else interval '1 hour' end
         from generate_series(1, 20000) as i`,
    );
    await assertReadsIndex(
      service,
      'sign_up_codes',
      `select address_key, device from sign_up_codes where expires_at < now() limit 1000 for update skip locked`,
      'sign_up_codes_expires_at_index',
    );
    await service.sql(
      `insert into invitations (address, address_key, token_hash, valid_days, invited_by, expires_at)
       select 'invited' || i || '@example.com', 'invited' || i || '@example.com', 'keyed-hash-' || i, 7, 'admin',
              now() + case when i % 100 = 0 then interval '-31 days' else interval '1 day' end
         from generate_series(1, 20000) as i`,
    );
    await assertReadsIndex(
      service,
      'invitations',
      `select id from invitations where expires_at < now() - interval '30 days' limit 1000 for update skip locked`,
      'invitations_expires_at_index',
    );
    assert.deepEqual(await removeExpired(service.orm, 90, Date.now()), {
      events: 0,
      deliveries: 0,
      codes: 1200,
      sessions: 0,
    });
  });
});
