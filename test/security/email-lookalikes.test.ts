// Look-alike addresses (issue 19, 1b). Two addresses are one account only when their keys are equal
// (entities/email-key.ts: A–Z lower-cased, every other character kept), whatever PostgreSQL's locale
// or Unicode's case mappings say. With users kelvin@, massive@, tim@ and alice@, the KELVIN SIGN,
// the long s, the dotless i, the dotted capital I and a full-width a must not sign in as them: not by
// password, not by email code (no code is mailed to the owner, and one address's code does not
// work for the other), not by linking an OpenID provider's verified email, not through
// `npm run admin`. Any case of A–Z still names the same account, and is a 409 on create. A
// look-alike that exists (only SQL can put one there: the API's address pattern is ASCII) is an
// account of its own. The key is the same in JavaScript and SQL, the lookup uses its unique
// index, and the migration to it refuses rows that would collide.
// Real PostgreSQL, a real SMTP server (test/support/smtp.ts), a real OpenID provider.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { MikroORM } from '@mikro-orm/postgresql';
import { createUsersClient, TRPCClientError } from '../../client';
import { AuthMethod, emailKey } from '../../entities';
import { ormConfig } from '../../mikro-orm.config';
import { ACCOUNT_BY_ADDRESS } from '../../router/auth/accounts';
import { makeAdmin } from '../../server/cli/admin-account';
import { TestBrowser, type Hop } from '../support/browser';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import type { OpenIdProvider } from '../support/test-openid-provider';
import { startWithOpenIdProvider } from '../support/provider-service';
import { restClient } from '../support/rest';
import type { TestService } from '../support/service';
import { codeOf, startSmtpCapture, type SmtpCapture } from '../support/smtp';
import { createTestDatabase } from '../support/test-database';

const TOKEN = '/api/v2/auth/token';
const OTP = '/api/v2/auth/otp';
const OTP_VERIFY = '/api/v2/auth/otp/verify';
const AUTHORIZE = '/api/v2/auth/oauth2/authorize';
const CALLBACK = '/api/v2/auth/oauth2/callback';
const PASSWORD = 'the owner password';
const OTHER_PASSWORD = 'the look-alike password';

/** Each look-alike: the local part it imitates, and itself (one character that is no A–Z). */
const LOOKALIKES = [
  { what: 'KELVIN SIGN (U+212A) for k', real: 'kelvin', fake: '\u212Aelvin' },
  { what: 'long s (U+017F) for s', real: 'massive', fake: 'ma\u017Fsive' },
  { what: 'dotless i (U+0131) for i', real: 'tim', fake: 't\u0131m' },
  { what: 'dotted capital I (U+0130) for I', real: 'tim', fake: 'T\u0130M' },
  { what: 'full-width a (U+FF41) for a', real: 'alice', fake: '\uFF41lice' },
];
const REALS = [...new Set(LOOKALIKES.map((lookalike) => lookalike.real))];

const subject = (token: string) => (jwt.decode(token) as jwt.JwtPayload).sub;

const isTrpc = (code: string, why: string) => (error: unknown) => {
  assert.ok(error instanceof TRPCClientError, why);
  assert.equal(error.data?.code, code, why);
  return true;
};

describe('look-alike email addresses', function () {
  this.timeout(120_000);
  let smtp: SmtpCapture;
  let op: OpenIdProvider;
  let service: TestService;
  let api: ReturnType<typeof restClient>;
  let admin: ReturnType<typeof restClient>;
  let trpc: ReturnType<typeof createUsersClient>;

  before(async () => {
    smtp = await startSmtpCapture();
    ({ op, service } = await startWithOpenIdProvider({
      SMTP_URL: smtp.url,
      OIDC_PROVIDER_NAME: 'Test ID',
    }));
    api = restClient(service.baseUrl);
    admin = restClient(service.baseUrl, service.adminToken);
    trpc = createUsersClient({ url: `${service.baseUrl}/trpc` });
  });
  after(async () => {
    await service?.close();
    await op?.close();
    await smtp?.close();
  });

  /** A user of `address`, made through the API. */
  async function createUser(address: string, authMethod: AuthMethod, password?: string): Promise<string> {
    const body = newUserBody();
    body.email = { email: address, authMethod, ...(password ? { password } : {}) };
    const created = await admin.post('/api/v2/users', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    return String(created.body.id);
  }

  /**
   * A user whose address is a look-alike. The API's address pattern is ASCII, so it is made with a
   * placeholder address and moved there in SQL: under the old lower() index this failed for the
   * KELVIN SIGN and the dotted capital I, which lower() made into an existing address.
   */
  async function lookalikeUser(address: string, authMethod: AuthMethod, password?: string): Promise<string> {
    const id = await createUser(`placeholder.${uniqueSuffix()}@example.com`, authMethod, password);
    await service.sql('update emails set address = ? where id = (select email_id from users where id = ?)', [
      address,
      id,
    ]);
    return id;
  }

  describe('by password', () => {
    const owners = new Map<string, string>();
    before(async () => {
      for (const real of REALS)
        owners.set(real, await createUser(`${real}@example.com`, AuthMethod.password, PASSWORD));
    });

    it('a look-alike with the owner password does not sign in as the owner, on either surface', async () => {
      for (const { what, fake } of LOOKALIKES) {
        const email = `${fake}@example.com`;
        const rest = await api.post(TOKEN, { email, password: PASSWORD });
        assert.equal(rest.status, 401, what);
        assert.deepEqual(rest.body, { code: 100001, msg: 'invalid email or password' }, what);
        await assert.rejects(trpc.auth.login.mutate({ email, password: PASSWORD }), isTrpc('UNAUTHORIZED', what));
      }
    });

    it('any case of A–Z is the same address: KELVIN@EXAMPLE.COM signs in as kelvin@example.com', async () => {
      const rest = await api.post(TOKEN, { email: 'KELVIN@EXAMPLE.COM', password: PASSWORD });
      assert.equal(rest.status, 200, JSON.stringify(rest.body));
      assert.equal(subject(rest.body.token), owners.get('kelvin'));
      const result = await trpc.auth.login.mutate({ email: 'Kelvin@Example.Com', password: PASSWORD });
      assert.ok('token' in result);
      assert.equal(subject(result.token), owners.get('kelvin'));
    });

    it('a look-alike that exists is an account of its own, and signs in only as itself', async () => {
      for (const { what, real, fake } of LOOKALIKES) {
        const email = `${fake}@example.com`;
        const id = await lookalikeUser(email, AuthMethod.password, OTHER_PASSWORD);
        const own = await api.post(TOKEN, { email, password: OTHER_PASSWORD });
        assert.equal(own.status, 200, what);
        assert.equal(subject(own.body.token), id, what);
        assert.equal((await api.post(TOKEN, { email, password: PASSWORD })).status, 401, what);
        const owner = await api.post(TOKEN, { email: `${real}@example.com`, password: PASSWORD });
        assert.equal(subject(owner.body.token), owners.get(real), what);
        const crossed = await api.post(TOKEN, { email: `${real}@example.com`, password: OTHER_PASSWORD });
        assert.equal(crossed.status, 401, what);
      }
    });
  });

  describe('by email code', () => {
    const owners = new Map<string, string>();
    before(async () => {
      for (const real of REALS) owners.set(real, await createUser(`${real}@example.org`, AuthMethod.otp));
    });

    /** The code of the next mail to `address`, after `before` mails to it. */
    const nextCode = async (address: string, before: number) => codeOf(await smtp.waitFor(address, { after: before }));

    /** Waits out the 1 s between two codes for the same address (as typed: these tests type each one alike). */
    const asked = new Map<string, number>();
    async function spaced(email: string) {
      const wait = (asked.get(email) ?? 0) + 1100 - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      asked.set(email, Date.now());
    }
    async function requestCode(email: string) {
      await spaced(email);
      return api.post(OTP, { email });
    }

    it('mails nothing for a look-alike, not even to the owner; its request spends none of the owner budget; the owner code does not work for it', async () => {
      for (const { what, real, fake } of LOOKALIKES) {
        const owner = `${real}@example.org`;
        const email = `${fake}@example.org`;
        const mailsBefore = smtp.mails.length;
        const toOwner = smtp.to(owner).length;
        const forFake = await requestCode(email);
        assert.equal(forFake.status, 202, what);
        await service.background.idle();
        assert.equal(smtp.mails.length, mailsBefore, `${what}: no mail at all`);
        const [pending] = await service.sql<{ n: number }>(
          'select count(*)::int as n from email_codes where email_id = (select email_id from users where id = ?)',
          [owners.get(real)],
        );
        assert.equal(pending?.n, 0, `${what}: no code pending for the owner`);

        // straight after (the interval is 1 s per address): the owner's own request is not refused
        const forOwner = await requestCode(owner);
        assert.equal(forOwner.status, 202, `${what}: ${JSON.stringify(forOwner.body)}`);
        assert.deepEqual(forOwner.body, forFake.body, 'one answer for every address');
        const code = await nextCode(owner, toOwner);

        const rest = await api.post(OTP_VERIFY, { email, code });
        assert.equal(rest.status, 401, what);
        assert.deepEqual(rest.body, { code: 100001, msg: 'invalid or expired code' });
        await assert.rejects(trpc.auth.otp.verify.mutate({ email, code }), isTrpc('UNAUTHORIZED', what));
        const signedIn = await trpc.auth.otp.verify.mutate({ email: owner.toUpperCase(), code });
        assert.equal(subject(signedIn.token), owners.get(real), what);
      }
    });

    it('a look-alike that exists gets its own code, and neither code works for the other address', async () => {
      for (const { what, real, fake } of LOOKALIKES) {
        const owner = `${real}@example.org`;
        const email = `${fake}@example.org`;
        const id = await lookalikeUser(email, AuthMethod.otp);
        const [toOwner, toFake] = [smtp.to(owner).length, smtp.to(email).length];
        assert.equal((await requestCode(owner)).status, 202, what);
        await spaced(email);
        assert.equal((await trpc.auth.otp.request.mutate({ email })).status, 'accepted', what);
        // each mail goes to its own address (smtp.to tells them apart by their keys)
        const [ownerCode, fakeCode] = [await nextCode(owner, toOwner), await nextCode(email, toFake)];
        if (ownerCode !== fakeCode) {
          assert.equal((await api.post(OTP_VERIFY, { email, code: ownerCode })).status, 401, what);
          assert.equal((await api.post(OTP_VERIFY, { email: owner, code: fakeCode })).status, 401, what);
        }
        const own = await api.post(OTP_VERIFY, { email, code: fakeCode });
        assert.equal(subject(own.body.token), id, what);
        const owners2 = await api.post(OTP_VERIFY, { email: owner, code: ownerCode });
        assert.equal(subject(owners2.body.token), owners.get(real), what);
      }
    });
  });

  describe('by linking an OpenID provider identity', () => {
    /** Starts a sign-in in a fresh browser, logs in at the provider as `login`, and returns where the service sends the browser. */
    async function signIn(login: string): Promise<URL> {
      const browser = new TestBrowser();
      const start = await browser.request(`${service.baseUrl}${AUTHORIZE}?returnTo=${encodeURIComponent('/')}`);
      assert.equal(start.status, 302, start.body);
      const backHere = (hop: Hop) => Boolean(hop.location?.startsWith(`${service.baseUrl}${CALLBACK}`));
      const loginPage = await browser.follow(start.location ?? '', backHere);
      const afterLogin = await browser.submit(loginPage, { login, password: 'any' }, backHere);
      const callback = backHere(afterLogin) ? afterLogin : await browser.submit(afterLogin, {}, backHere);
      assert.ok(backHere(callback), `the provider sends the browser back: ${callback.status}`);
      const back = await browser.request(callback.location ?? '');
      assert.equal(back.status, 302);
      return new URL(back.location ?? '', 'http://x');
    }

    const bindings = async () =>
      (await service.sql<{ user_id: string }>('select user_id from oauth_identities')).map((row) => row.user_id);

    it('a verified provider email that is a look-alike is refused, and no account is bound', async () => {
      const owners = new Map<string, string>();
      for (const real of REALS) owners.set(real, await createUser(`${real}@example.net`, AuthMethod.oauth2));
      for (const { what, fake } of LOOKALIKES) {
        const login = `lookalike-${uniqueSuffix()}`;
        op.accounts.set(login, { email: `${fake}@example.net`, email_verified: true });
        const back = await signIn(login);
        assert.equal(back.searchParams.get('code'), null, what);
        assert.equal(back.searchParams.get('error'), 'access_denied', what);
        assert.equal(
          back.searchParams.get('error_description'),
          'no account signs in with this Test ID identity; ask an administrator to create one',
          what,
        );
      }
      assert.deepEqual(await bindings(), [], 'no identity is bound to any user');

      // the owner's own provider account, its email in another case of A–Z, is linked
      const login = `owner-${uniqueSuffix()}`;
      op.accounts.set(login, { email: 'KELVIN@EXAMPLE.NET', email_verified: true });
      const back = await signIn(login);
      assert.ok(back.searchParams.get('code'), back.search);
      assert.deepEqual(await bindings(), [owners.get('kelvin')]);
    });
  });

  describe('one account per key', () => {
    it('an address that differs only in the case of A–Z is taken: 409 on create and update, on both surfaces', async () => {
      await createUser('ada@example.com', AuthMethod.password, PASSWORD);
      const other = await createUser(`other.${uniqueSuffix()}@example.com`, AuthMethod.password, PASSWORD);
      const taken = { code: 100001, msg: 'a user with this email address already exists' };
      const body = newUserBody();
      body.email = { email: 'ADA@EXAMPLE.COM', authMethod: AuthMethod.password, password: PASSWORD };
      const created = await admin.post('/api/v2/users', body);
      assert.equal(created.status, 409);
      assert.deepEqual(created.body, taken);
      const viaTrpc = createUsersClient({ url: `${service.baseUrl}/trpc`, token: service.adminToken });
      await assert.rejects(
        viaTrpc.users.create.mutate({ ...newUserBody(), email: { email: 'Ada@Example.com', authMethod: 1 } }),
        isTrpc('CONFLICT', 'tRPC create'),
      );
      const moved = await admin.put(`/api/v2/users/${other}`, {
        ...newUserBody(),
        email: { email: 'aDa@example.COM', authMethod: 1 },
      });
      assert.equal(moved.status, 409);
      assert.deepEqual(moved.body, taken);
      // and in the database itself, whoever writes
      await assert.rejects(
        service.sql('update emails set address = ? where id = (select email_id from users where id = ?)', [
          'ADA@example.com',
          other,
        ]),
        /emails_address_key_unique/,
      );
    });

    it('a look-alike through the API is refused by the published address pattern, and nothing is made', async () => {
      const [before] = await service.sql<{ n: number }>('select count(*)::int as n from emails');
      for (const { what, fake } of LOOKALIKES) {
        const body = newUserBody();
        body.email = { email: `${fake}@example.com`, authMethod: AuthMethod.password, password: PASSWORD };
        const created = await admin.post('/api/v2/users', body);
        assert.equal(created.status, 400, what);
        assert.equal(created.body.msg, 'email.email: must be an email address such as name@example.com', what);
      }
      const [after] = await service.sql<{ n: number }>('select count(*)::int as n from emails');
      assert.equal(after?.n, before?.n);
    });

    it('npm run admin promotes the account of the key, and never the original of a look-alike', async () => {
      const kurt = await createUser('kurt@example.com', AuthMethod.password, PASSWORD);
      const role = async (id: string) =>
        (await service.sql<{ role: string }>('select role from users where id = ?', [id]))[0]?.role;
      const details = { password: 'an admin password', name: 'kurt_admin', age: 40, gender: 0 as const };
      // what admin.ts runs once the address has passed the API's schema (which refuses this one):
      // the function itself must not take the look-alike for kurt@
      const lookalike = await makeAdmin(
        service.orm.em.fork(),
        service.passwords,
        {
          ...details,
          email: '\u212Aurt@example.com',
        },
        new Set(),
      );
      assert.equal(lookalike.action, 'created');
      assert.notEqual(lookalike.id, kurt);
      assert.equal(await role(kurt), 'user');
      const promoted = await makeAdmin(
        service.orm.em.fork(),
        service.passwords,
        {
          ...details,
          email: 'KURT@EXAMPLE.COM',
        },
        new Set(),
      );
      assert.deepEqual([promoted.action, promoted.id], ['promoted', kurt]);
      assert.equal(await role(kurt), 'admin');
    });
  });

  describe('the key', () => {
    it('is the same in JavaScript and in SQL, lower-cases A–Z and keeps everything else', async () => {
      const tricky = fc.constantFrom(
        ...'AZaz@.Kk\u212A\u017Fs\u0131\u0130iI\uFF21\uFF41\u00DF\u1E9E\u03A3\u03C2\u0049\u0307\u00C5\u212B',
        '\u{1D400}',
        ' ',
      );
      const address = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 30 }),
        fc.string({ unit: tricky, maxLength: 30 }),
        fc.constantFrom(...LOOKALIKES.flatMap(({ real, fake }) => [real, fake, real.toUpperCase()])),
      );
      await fc.assert(
        fc.asyncProperty(
          address.filter((text) => !text.includes('\0') && !/\p{Cs}/u.test(text)),
          async (text) => {
            const key = emailKey(text);
            const [row] = await service.sql<{ key: string }>('select email_key(?) as key', [text]);
            assert.equal(row?.key, key, 'SQL and JavaScript agree');
            assert.equal(key.length, text.length);
            for (let i = 0; i < text.length; i += 1) {
              const char = text[i]!;
              assert.equal(key[i], /[A-Z]/.test(char) ? String.fromCharCode(char.charCodeAt(0) + 32) : char);
            }
          },
        ),
        { numRuns: 300 },
      );
      for (const { real, fake } of LOOKALIKES) assert.notEqual(emailKey(fake), emailKey(real));
    });

    it('finds an account through its unique index', async () => {
      await service.sql(
        `insert into emails (address, auth_method)
         select 'filler.' || g || '@example.com', 1 from generate_series(1, 5000) as g`,
      );
      await service.sql('analyze emails');
      const plan = await service.sql<{ 'QUERY PLAN': string }>(`explain ${ACCOUNT_BY_ADDRESS}`, ['KELVIN@example.com']);
      const text = plan.map((row) => row['QUERY PLAN']).join('\n');
      assert.match(text, /Index Scan using emails_address_key_unique on emails/, text);
    });

    it('the migration to it stops, changing nothing, if two rows would share a key', async () => {
      const database = await createTestDatabase();
      const orm = await MikroORM.init(ormConfig(database.url, { pool: { min: 0, max: 1 } }));
      try {
        const migrator = orm.getMigrator();
        await migrator.up({ to: 'Migration20261201120000' });
        // only a database whose lower() does not turn I into i (a Turkic locale) could hold these
        await orm.em.execute(`drop index emails_address_lower_unique`);
        await orm.em.execute(
          `insert into emails (address, auth_method) values ('TIM@example.com', 0), ('tim@example.com', 0)`,
        );
        await assert.rejects(migrator.up(), /1 email address\(es\) are held by more than one row/);
        const [left] = await orm.em.execute<Array<{ n: number }>>(
          `select count(*)::int as n from pg_proc where proname = 'email_key'`,
        );
        assert.equal(left?.n, 0, 'rolled back whole');
      } finally {
        await orm.close(true);
        await database.drop();
      }
    });
  });
});
