// Clients racing each other: concurrent creates of one email (or one id) leave exactly one user
// and no orphan email; concurrent replacements of one user end in one of the submitted states;
// concurrent deletes delete once.
import assert from 'node:assert/strict';
import { newUserBody, uniqueSuffix } from '../support/fixtures';
import { restClient } from '../support/rest';
import { startTestService, type TestService } from '../support/service';

const CONCURRENCY = 12;

describe('races', () => {
  let service: TestService;
  let api: ReturnType<typeof restClient>;

  before(async () => {
    service = await startTestService({ DB_POOL_SIZE: '12' });
    api = restClient(service.baseUrl, service.adminToken);
  });
  after(() => service.close());

  const statuses = (responses: Array<{ status: number }>) =>
    responses.map((response) => response.status).sort((a, b) => a - b);
  const orphanEmails = async () =>
    Number(
      (
        await service.sql<{ n: string }>(
          'select count(*) as n from emails e where not exists (select 1 from users u where u.email_id = e.id)',
        )
      )[0]?.n,
    );

  it('creates one user from concurrent creates with the same email', async () => {
    const email = `race.${uniqueSuffix()}@example.com`;
    const responses = await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) => {
        const body = newUserBody();
        body.email.email = i % 2 ? email : email.toUpperCase();
        return api.post('/api/v2/users', body);
      }),
    );
    assert.deepEqual(statuses(responses), [200, ...Array<number>(CONCURRENCY - 1).fill(409)]);
    const rows = await service.sql('select id from emails where lower(address) = lower(?)', [email]);
    assert.equal(rows.length, 1);
    assert.equal(await orphanEmails(), 0);
  });

  it('creates one user from concurrent creates with the same id', async () => {
    const id = `race-${uniqueSuffix()}`;
    const responses = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => api.post('/api/v2/users', newUserBody({ id }))),
    );
    assert.deepEqual(statuses(responses), [200, ...Array<number>(CONCURRENCY - 1).fill(409)]);
    assert.equal(await orphanEmails(), 0, 'the losers’ emails were rolled back');
  });

  it('ends concurrent replacements in one of the submitted states, never a mix', async () => {
    const user = (await api.post('/api/v2/users', newUserBody())).body;
    // each state differs from the others in every field, so a mix would show
    const states = Array.from({ length: CONCURRENCY }, (_, i) => ({
      name: `state_${i}_${uniqueSuffix()}`,
      age: 20 + i,
      gender: (i % 3) as 0 | 1 | 2,
      // methods that sign in without a password (a password would differ in every state anyway)
      email: { email: `state.${i}.${uniqueSuffix()}@example.com`, authMethod: i % 2 === 0 ? 1 : 3 },
    }));
    const responses = await Promise.all(states.map((state) => api.put(`/api/v2/users/${user.id}`, state)));
    assert.deepEqual(statuses(responses), Array<number>(CONCURRENCY).fill(200));
    const final = (await api.get(`/api/v2/users/${user.id}`)).body;
    const matching = states.find((state) => state.name === final.name);
    assert.ok(matching, `final name ${final.name} is one of the submitted`);
    assert.equal(final.age, matching.age);
    assert.equal(final.gender, matching.gender);
    assert.equal(final.email.email, matching.email.email);
    assert.equal(final.email.authMethod, matching.email.authMethod);
  });

  it('deletes once from concurrent deletes', async () => {
    const user = (await api.post('/api/v2/users', newUserBody())).body;
    const responses = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => api.delete(`/api/v2/users/${user.id}`)),
    );
    assert.deepEqual(statuses(responses), [204, ...Array<number>(CONCURRENCY - 1).fill(404)]);
    assert.equal(await orphanEmails(), 0);
  });
});
