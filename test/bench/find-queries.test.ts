// The bench's seeded data and the find suite's choice of `q` strings (bench/dataset.ts,
// bench/find-queries.ts): seeded users are users the service may show (its output schema), with
// unique addresses, the same every run; the narrow strings match under 1% of the users and the broad
// one about half, as the suite's report says. Timing is measured by `npm run bench`, not here.
import assert from 'node:assert/strict';
import { LAST_NAMES, seedRow, seededUserId } from '../../bench/dataset';
import { chooseQueries, countMatches, rowMatches } from '../../bench/find-queries';
import { UserSchema } from '../../router/users/user-schemas';

const USERS = 20_000;

describe('bench: seeded users and the find suite’s q strings', () => {
  it('seeds users the service may show, each with its own address, the same on every call', () => {
    const addresses = new Set<string>();
    for (let index = 0; index < USERS; index++) {
      const row = seedRow(index);
      addresses.add(row.address.toLowerCase());
      if (index % 997 !== 0) continue;
      const seconds = Math.floor(row.createdAt.getTime() / 1000);
      const shown = {
        id: row.userId,
        name: row.name,
        age: row.age,
        gender: row.gender,
        email: {
          id: row.emailId,
          email: row.address,
          authMethod: row.authMethod,
          token: '',
          createdAt: seconds,
          updatedAt: seconds,
        },
        createdAt: seconds,
        updatedAt: seconds,
      };
      const parsed = UserSchema.safeParse(shown);
      assert.ok(parsed.success, `user ${index} (${row.name}, ${row.address}): ${parsed.error?.message}`);
      assert.equal(row.userId, seededUserId(index));
      assert.deepEqual(seedRow(index), row);
    }
    assert.equal(addresses.size, USERS);
  });

  it('matches q in the name or the address, in any case', () => {
    const row = { name: 'Anna_Okafor', address: 'anna.okafor17@mail.example' };
    assert.ok(rowMatches(row, 'OKAFOR'));
    assert.ok(rowMatches(row, 'na_ok'));
    assert.ok(rowMatches(row, 'r17@MAIL'));
    assert.ok(!rowMatches(row, 'anna okafor'));
  });

  it('picks narrow strings under 1% and a broad one near half, the same every time', () => {
    const options = { count: 4, maxShare: 0.01, sample: USERS };
    const choice = chooseQueries(USERS, options);
    assert.deepEqual(chooseQueries(USERS, options), choice);
    assert.equal(choice.fullNames.length, 4);
    assert.equal(choice.lastNames.length, 4);
    assert.equal(new Set(choice.lastNames).size, 4);
    const narrow = [...choice.fullNames, ...choice.prefixes, ...choice.lastNames];
    for (const { q, matches } of countMatches(narrow, USERS)) {
      assert.ok(q.length >= 3, `${q}: at least 3 characters`);
      assert.ok(matches > 0 && matches < USERS * 0.01, `${q}: ${matches} of ${USERS}`);
    }
    for (const q of choice.lastNames) assert.ok(LAST_NAMES.some((name) => name.toLowerCase() === q));
    const [broad] = countMatches([choice.broad], USERS);
    assert.ok(broad!.matches > USERS * 0.45 && broad!.matches < USERS * 0.55, `${broad!.q}: ${broad!.matches}`);
    // the series grows from a few matches to many, in that order
    const series = countMatches(choice.series, USERS).map(({ matches }) => matches);
    assert.deepEqual(
      series,
      [...series].sort((a, b) => a - b),
    );
  });

  it('counts exactly what a scan of the seeded rows finds', () => {
    const q = chooseQueries(USERS, { count: 1, maxShare: 0.01, sample: USERS }).lastNames[0]!;
    let scanned = 0;
    for (let index = 0; index < USERS; index++) if (rowMatches(seedRow(index), q)) scanned++;
    assert.deepEqual(countMatches([q], USERS), [{ q, matches: scanned }]);
  });
});
