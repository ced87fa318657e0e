// Which passwords may be set (server/passwords/password-policy.ts; NIST SP 800-63B §3.1.1.2, OWASP
// ASVS 5.0 6.2.4, 6.2.5 and 6.2.11): a common password, one built on its owner's name or address
// or on the service's name, or a run of characters is refused wherever a password is set (a
// create and an update over REST and tRPC, a PATCH, a password reset, `npm run admin`), with a
// 400 that names the rule and not the password, before anything is written or hashed; a password
// stored before the rules still signs in.
import assert from 'node:assert/strict';
import { TRPCError } from '@trpc/server';
import { PasswordPolicy } from '../../server/passwords/password-policy';
import { commonPasswordCount } from '../../server/passwords/common-passwords';
import { PasswordHasher } from '../../server/crypto/password-hasher';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import { restClient } from '../support/rest';
import { historyOf } from '../support/events';
import { envWithout, runScript } from '../support/process';
import { startTestService, type TestService } from '../support/service';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';

const COMMON = /is a commonly used password/;
const BUILT_ON = /is built on the user's name or email address, or on this service's name/;
const RUN = /repeats itself, or is a run of repeated or consecutive characters/;

describe('the password policy', function () {
  this.timeout(60_000);

  describe('its rules', () => {
    const policy = new PasswordPolicy(['Acme Cloud', 'Quillmoor']);
    const owner = { name: 'Alice Smith', email: 'alice.smith+work@tarnwick.example' };
    const refusal = (password: string) => policy.refusal(password, owner);

    it('holds a list of common passwords larger than the 3,000 ASVS asks for', () => {
      assert.ok(commonPasswordCount() > 3000, String(commonPasswordCount()));
    });

    it('refuses common passwords, in any case, with characters added at the ends or look-alikes inside', () => {
      for (const password of [
        'password',
        'PASSWORD',
        'iloveyou',
        'qwertyuiop',
        '123456789',
        'password1',
        'Password2026!',
        '!!dragon99',
        'pa$$word',
        'P@ssw0rd',
        'p4ssw0rd1!',
        'l3tm3in!',
        'sunshine 2026',
      ]) {
        assert.match(refusal(password) ?? 'accepted', COMMON, password);
      }
    });

    it("refuses a password built on its owner's name or address, or on the service's configured words", () => {
      for (const password of [
        'alice smith',
        'AliceSmith2026',
        'smith-alice',
        '4lice.sm1th!',
        'alice.smith',
        'tarnwick99',
        'acme cloud 1',
        'AcmeCloud!!',
        'quillmoor7',
        'alice-horse',
      ]) {
        assert.match(refusal(password) ?? 'accepted', BUILT_ON, password);
      }
      // the same passwords for someone else, where they are nobody's name
      assert.equal(policy.refusal('alice-horse-pasture', { name: 'bob', email: 'bob@example.com' }), undefined);
    });

    it('refuses runs of repeated or consecutive characters, and a sequence repeated', () => {
      for (const password of [
        'zzzzzzzzzz',
        '98765432',
        'mnopqrst',
        'zzzz9999',
        'wxyz6789',
        'xqzxqzxqz',
        'horse!horse!',
      ]) {
        assert.match(refusal(password) ?? 'accepted', RUN, password);
      }
    });

    it('accepts passphrases and random passwords, whatever characters they use', () => {
      for (const password of [
        'correct horse battery',
        'Through the Looking-Glass, 1871',
        'xk9!qz#p',
        'vélo rouge sous la pluie',
        'tiger lily walks at noon',
        '7Yq-2mWd-Lp4x',
      ]) {
        assert.equal(refusal(password), undefined, password);
      }
    });

    it('never repeats the password, nor what it found in it', () => {
      for (const [password, found] of [
        ['Dragon2026!', 'dragon'],
        ['AliceSmith2026', 'alice'],
        ['zzzzzzzzzz', 'zzz'],
      ] as const) {
        const said = (refusal(password) ?? '').toLowerCase();
        assert.ok(said.length > 0, password);
        for (const part of [password.toLowerCase(), found, '2026']) assert.ok(!said.includes(part), said);
      }
    });
  });

  describe('where a password is set', () => {
    let service: TestService;
    let smtp: SmtpCapture;
    let admin: ReturnType<typeof restClient>;
    let api: ReturnType<typeof restClient>;

    before(async () => {
      smtp = await startSmtpCapture();
      service = await startTestService({
        SMTP_URL: smtp.url,
        SERVICE_NAME: 'Acme Cloud',
        PASSWORD_CONTEXT_WORDS: 'Quillmoor, Brackenfell',
        LOG_LEVEL: 'trace',
      });
      admin = restClient(service.baseUrl, service.adminToken);
      api = restClient(service.baseUrl);
    });
    after(async () => {
      await service?.close();
      await smtp?.close();
    });

    const emailsAt = async (address: string) =>
      (await service.sql<{ n: string }>('select count(*) as n from emails where address = ?', [address]))[0]?.n;

    async function signsIn(email: string, password: string): Promise<boolean> {
      return (await api.post('/api/v2/auth/token', { email, password })).status === 200;
    }

    it('refuses a create over REST with a 400 naming the rule, and writes nothing', async () => {
      for (const [password, rule] of [
        ['Password2026!', COMMON],
        ['quillmoor!!', BUILT_ON],
        ['acme-cloud-2026', BUILT_ON],
        ['13579135791357', RUN],
      ] as const) {
        const body = newUserBody();
        body.email.password = password;
        const answer = await admin.post('/api/v2/users', body);
        assert.equal(answer.status, 400, JSON.stringify(answer.body));
        assert.equal(answer.body.code, 100001);
        assert.match(String(answer.body.msg), new RegExp(`^email\\.password: ${rule.source}`));
        assert.ok(!String(answer.body.msg).includes(password), 'the password is not in the answer');
        assert.equal(await emailsAt(body.email.email), '0', 'nothing written');
      }
      const own = newUserBody({ name: `quenby_${uniqueSuffix()}` });
      own.email.password = `${own.name}!!`;
      const answer = await admin.post('/api/v2/users', own);
      assert.equal(answer.status, 400);
      assert.match(String(answer.body.msg), BUILT_ON);
      assert.equal(await emailsAt(own.email.email), '0');

      const accepted = newUserBody();
      accepted.email.password = 'tiger lily walks at noon';
      assert.equal((await admin.post('/api/v2/users', accepted)).status, 200);
      assert.ok(await signsIn(accepted.email.email, 'tiger lily walks at noon'));
    });

    it('refuses a create over tRPC with BAD_REQUEST', async () => {
      const body = newUserBody();
      body.email.password = 'qwerty123456';
      await assert.rejects(
        service.caller().users.create(body),
        (error: unknown) => error instanceof TRPCError && error.code === 'BAD_REQUEST' && COMMON.test(error.message),
      );
      assert.equal(await emailsAt(body.email.email), '0');
    });

    it('refuses a PUT and a PATCH: the old password still signs in, the user and its history unchanged', async () => {
      const body = newUserBody({ name: `oswyth_${uniqueSuffix()}` });
      const user = (await admin.post('/api/v2/users', body)).body as { id: string; updatedAt: number };
      const path = `/api/v2/users/${user.id}`;
      const before = (await admin.get(path)).body;
      const eventsBefore = await historyOf(service, user.id);

      const put = await admin.put(path, { ...body, email: { ...body.email, password: 'iloveyou2' } });
      assert.equal(put.status, 400, JSON.stringify(put.body));
      assert.match(String(put.body.msg), /^email\.password: is a commonly used password/);
      // a PATCH that sends only the password is judged against the name the user has
      const patch = await admin.patch(path, { email: { password: `${body.name}.2026` } });
      assert.equal(patch.status, 400, JSON.stringify(patch.body));
      assert.match(String(patch.body.msg), new RegExp(`^email\\.password: ${BUILT_ON.source}`));
      // and against the name it sends with it
      const renamed = await admin.patch(path, { name: 'bartholomew', email: { password: 'Bartholomew 1' } });
      assert.equal(renamed.status, 400, JSON.stringify(renamed.body));
      assert.match(String(renamed.body.msg), BUILT_ON);

      assert.deepEqual((await admin.get(path)).body, before, 'the user is as it was');
      assert.deepEqual(await historyOf(service, user.id), eventsBefore, 'no event');
      assert.ok(await signsIn(body.email.email, body.email.password ?? ''), 'the old password still signs in');
      assert.ok(!(await signsIn(body.email.email, 'iloveyou2')));

      const good = await admin.patch(path, { email: { password: 'lanterns over the harbour' } });
      assert.equal(good.status, 200, JSON.stringify(good.body));
      assert.ok(await signsIn(body.email.email, 'lanterns over the harbour'));
    });

    it('refuses a reset to a common password without spending the code, and no password reaches a log', async () => {
      const body = newUserBody();
      const user = await admin.post('/api/v2/users', body);
      assert.equal(user.status, 200);
      assert.equal((await api.post('/api/v2/auth/password/forgot', { email: body.email.email })).status, 202);
      const mail = await smtp.waitFor(body.email.email);
      const code = /reset code is (\d{6})/.exec(mail.text)?.[1] ?? '';

      for (const newPassword of ['baseball2026', 'Brackenfell Brackenfell']) {
        const refused = await api.post('/api/v2/auth/password/reset', { email: body.email.email, code, newPassword });
        assert.equal(refused.status, 400, JSON.stringify(refused.body));
        assert.match(String(refused.body.msg), /^newPassword: /);
      }
      assert.ok(await signsIn(body.email.email, body.email.password ?? ''), 'the password is as it was');
      const reset = await api.post('/api/v2/auth/password/reset', {
        email: body.email.email,
        code,
        newPassword: 'seven quiet harbour lights',
      });
      assert.equal(reset.status, 200, JSON.stringify(reset.body));
      assert.ok(await signsIn(body.email.email, 'seven quiet harbour lights'));

      const logged = JSON.stringify(service.logs);
      for (const refused of ['Password2026!', 'qwerty123456', 'iloveyou2', 'baseball2026']) {
        assert.ok(!logged.includes(refused), `${refused} is in a log line`);
      }
    });

    it('still signs in a password stored before the rules', async () => {
      const body = newUserBody();
      const user = await admin.post('/api/v2/users', body);
      assert.equal(user.status, 200);
      const hash = await new PasswordHasher(service.passwords.cost).hash('password1');
      await service.sql('update emails set password_hash = ? where id = (select email_id from users where id = ?)', [
        hash,
        user.body.id,
      ]);
      assert.ok(await signsIn(body.email.email, 'password1'));
    });

    it('npm run admin refuses such a password with the same words, exit 2, and creates nobody', async () => {
      const address = `ops.${uniqueSuffix()}@example.com`;
      const run = runScript('server/cli/admin.ts', ['--email', address, '--password', 'Quillmoor2026'], {
        ...envWithout('DATABASE_URL', 'JWT_SECRET', 'PORT', 'HOST', 'NODE_ENV', 'EMBEDDED_PG_DIR', 'LOG_LEVEL'),
        DATABASE_URL: service.databaseUrl,
        PASSWORD_CONTEXT_WORDS: 'Quillmoor',
        HASH_LOG_N: '10',
      });
      const exit = await run.exited;
      assert.equal(exit.code, 2, run.output());
      assert.match(run.output(), new RegExp(`invalid: --password ${BUILT_ON.source}`));
      assert.ok(!run.output().includes('Quillmoor2026'), 'the password is not printed');
      assert.equal(await emailsAt(address), '0');
    });
  });
});
