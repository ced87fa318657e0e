// Secrets never leave: after a full run (create, login, failed login, update with a password,
// a database failure), no log line, response or error message holds a password, a hash, the
// JWT secret or an issued token.
import assert from 'node:assert/strict';
import { newUserBody } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, TEST_JWT_SECRET, type TestService } from '../support/service';

describe('secrets in logs and responses', () => {
  let service: TestService;

  before(async () => (service = await startTestService({ LOG_LEVEL: 'trace' })));
  after(() => service.close());

  it('appear nowhere after a full run', async () => {
    const admin = restClient(service.baseUrl, service.adminToken);
    const anonymous = restClient(service.baseUrl);
    const responses: unknown[] = [];
    const keep = <T>(response: T) => (responses.push(response), response);

    const body = newUserBody();
    const created = keep(await admin.post('/api/v2/users', body));
    const id = String(created.body.id);
    const login = keep(
      await anonymous.post('/api/v2/auth/token', { email: body.email.email, password: body.email.password }),
    );
    keep(await anonymous.post('/api/v2/auth/token', { email: body.email.email, password: 'wrong password guess' }));
    const newPassword = 'a brand new password';
    keep(await admin.put(`/api/v2/users/${id}`, { ...body, email: { ...body.email, password: newPassword } }));
    keep(await restClient(service.baseUrl, login.body.token).get(`/api/v2/users/${id}`));
    // a failing write: the driver's error carries the SQL with its values, the new hash included
    const failing = newUserBody();
    await service.sql('alter table emails rename to emails_away');
    try {
      const failed = keep(await admin.post('/api/v2/users', failing));
      assert.equal(failed.status, 500);
    } finally {
      await service.sql('alter table emails_away rename to emails');
    }

    const [row] = await service.sql<{ password_hash: string }>(
      'select password_hash from emails where lower(address) = lower(?)',
      [body.email.email],
    );
    const secrets = {
      password: String(body.email.password),
      'new password': newPassword,
      'failed guess': 'wrong password guess',
      'password of the failed write': String(failing.email.password),
      hash: String(row?.password_hash),
      'hash prefix': 'c2NyeXB0', // base64 of "scrypt", the start of every stored hash
      'jwt secret': TEST_JWT_SECRET,
      'admin token': service.adminToken,
      'user token signature': String(login.body.token).split('.')[2] ?? '',
    };
    const logs = JSON.stringify(service.logs);
    const loggedHashes = logs.match(/c2NyeXB0[A-Za-z0-9+/=]*/g);
    assert.ok(service.logs.length > 0, 'the run was logged');
    const answered = JSON.stringify(responses.map((response: any) => response.body));
    assert.equal(loggedHashes, null, 'no scrypt hash (of any password) is in a log line');
    for (const [name, secret] of Object.entries(secrets)) {
      assert.ok(!logs.includes(secret), `the ${name} is in a log line`);
      if (!name.includes('token')) assert.ok(!answered.includes(secret), `the ${name} is in a response`);
    }
  });
});
