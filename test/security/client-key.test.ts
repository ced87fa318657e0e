// Every per-address limit counts an IPv6 client by its /64 (one subscriber can use any of its
// 2^64 addresses, a fresh one per guess) and an IPv4 client by its full address, the IPv4-mapped
// form `::ffff:a.b.c.d` included. The service trusts X-Forwarded-For here, so the test chooses
// each request's client address.
import assert from 'node:assert/strict';
import { clientLimitKey } from '../../server/limits/client-key';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';
import { startSmtpCapture, type SmtpCapture } from '../support/smtp';

const TOKEN = '/api/v2/auth/token';

describe('per-address limits and IPv6', () => {
  describe('the limit key of a client address', () => {
    it('is the /64 of an IPv6 address, however it is written', () => {
      const key = '2001:db8:a:b::/64';
      for (const address of [
        '2001:db8:a:b::1',
        '2001:DB8:A:B:ffff:ffff:ffff:ffff',
        '2001:0db8:000a:000b:0:0:0:2',
        '[2001:db8:a:b::3]:443',
        '2001:db8:a:b::4%eth0',
        '2001:db8:a:b:1:2:192.0.2.1',
      ]) {
        assert.equal(clientLimitKey(address), key, address);
      }
      assert.equal(clientLimitKey('2001:db8:a:c::1'), '2001:db8:a:c::/64');
      assert.equal(clientLimitKey('::1'), '0:0:0:0::/64');
    });

    it('is the full IPv4 address, the IPv4-mapped IPv6 form included', () => {
      for (const address of [
        '192.0.2.7',
        '::ffff:192.0.2.7',
        '::FFFF:c000:0207',
        '[::ffff:192.0.2.7]:80',
        '192.0.2.7:5000',
      ]) {
        assert.equal(clientLimitKey(address), '192.0.2.7', address);
      }
      assert.equal(clientLimitKey('192.0.2.8'), '192.0.2.8');
    });

    it('leaves what is not an address as it is', () => {
      assert.equal(clientLimitKey('unknown'), 'unknown');
    });
  });

  describe('over HTTP', function () {
    this.timeout(60_000);
    let smtp: SmtpCapture;
    let service: TestService;

    before(async () => {
      smtp = await startSmtpCapture();
      service = await startTestService({
        TRUST_PROXY: 'true',
        LOGIN_MAX_CONSECUTIVE_FAILS: '2',
        LOGIN_MAX_FAILS_PER_ADDRESS: '4',
        CODE_SENDS_PER_CLIENT_PER_HOUR: '2',
        SMTP_URL: smtp.url,
      });
    });
    after(async () => {
      await service?.close();
      await smtp?.close();
    });

    const signIn = (from: string, email: string, password: string) =>
      restClient(service.baseUrl).post(TOKEN, { email, password }, { headers: { 'x-forwarded-for': from } });
    const spray = (from: string) => signIn(from, `spray.${uniqueSuffix()}@example.com`, 'a guess');
    let prefixes = 0;
    /** A fresh /64 of the documentation range. */
    const newPrefix = () => `2001:db8:${(prefixes += 1).toString(16)}:1`;

    it('counts failures per address by /64: its addresses share one budget, another /64 has its own', async () => {
      const prefix = newPrefix();
      for (const host of ['::1', '::2', ':ffff:ffff:ffff:ffff', ':abcd::9']) {
        assert.equal((await spray(`${prefix}${host}`)).status, 401, host);
      }
      const refused = await spray(`${prefix}::77`);
      assert.equal(refused.status, 429, 'a fifth address of the same /64');
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      assert.equal((await spray(`${newPrefix()}::1`)).status, 401, 'the next /64 is another client');
    });

    it('counts consecutive failures of one email per /64', async () => {
      const body = newUserBody();
      const created = await restClient(service.baseUrl, service.adminToken).post('/api/v2/users', body);
      assert.equal(created.status, 200);
      const { email, password } = { email: body.email.email, password: String(body.email.password) };
      const prefix = newPrefix();
      assert.equal((await signIn(`${prefix}::1`, email, 'guess 1')).status, 401);
      assert.equal((await signIn(`${prefix}::2`, email, 'guess 2')).status, 401);
      assert.equal((await signIn(`${prefix}::3`, email, password)).status, 429, 'the same client, a new address');
      assert.equal((await signIn(`${newPrefix()}::1`, email, password)).status, 200);
    });

    it('counts an IPv4 client by its address, written plain or IPv4-mapped', async () => {
      for (let i = 0; i < 2; i += 1) assert.equal((await spray('::ffff:198.51.100.20')).status, 401);
      for (let i = 0; i < 2; i += 1) assert.equal((await spray('198.51.100.20')).status, 401);
      assert.equal((await spray('198.51.100.20')).status, 429);
      assert.equal((await spray('::ffff:198.51.100.20')).status, 429);
      assert.equal((await spray('198.51.100.21')).status, 401, 'the next address is another client');
    });

    it('counts email-code requests per client by /64 too', async () => {
      const prefix = newPrefix();
      const request = (from: string) =>
        restClient(service.baseUrl).post(
          '/api/v2/auth/otp',
          { email: `code.${uniqueSuffix()}@example.com` },
          { headers: { 'x-forwarded-for': from } },
        );
      assert.equal((await request(`${prefix}::a`)).status, 202);
      assert.equal((await request(`${prefix}::b`)).status, 202);
      assert.equal((await request(`${prefix}::c`)).status, 429);
      assert.equal((await request(`${newPrefix()}::a`)).status, 202);
    });
  });
});
