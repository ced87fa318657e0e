// Seeds the benchmark database with N users (see dataset.ts) by bulk inserts: emails first, then
// users pointing at them, in batches of `unnest`ed arrays, with progress. The seed is kept when
// it is already exactly the wanted one, so repeated runs start measuring at once.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { PasswordHasher, type HashCost } from '../server/crypto/password-hasher';
import { BENCH_PASSWORD, CREATE_DOMAIN, seedRow } from './dataset';

const BATCH = 5_000;

export interface SeedOptions {
  url: string;
  users: number;
  /** The cost of the one hash all seeded password users share: the service's own cost. */
  hashCost: HashCost;
  force: boolean;
  log: (line: string) => void;
}

/** Returns whether it (re)seeded. */
export async function seed(options: SeedOptions): Promise<boolean> {
  const client = new pg.Client({ connectionString: options.url });
  await client.connect();
  try {
    if (!options.force && (await isSeeded(client, options.users))) {
      options.log(`the database already holds the ${options.users} seeded users; keeping them (--reseed to redo)`);
      return false;
    }
    await fill(client, options);
    return true;
  } finally {
    await client.end();
  }
}

/**
 * Exactly the users `seedRow(0 .. users-1)` describes, and nothing else: the counts, and the first
 * and last users as they are now described (a database seeded by an older dataset is seeded again).
 */
async function isSeeded(client: pg.Client, users: number): Promise<boolean> {
  const ends = [seedRow(0), seedRow(users - 1)];
  const { rows } = await client.query<{ users: string; emails: string; ends: string }>(
    `select (select count(*) from users) as users, (select count(*) from emails) as emails,
            (select count(*) from users u join emails e on e.id = u.email_id
             where (u.id, u.name, e.address) in (select * from unnest($1::text[], $2::text[], $3::text[]))) as ends`,
    [ends.map((row) => row.userId), ends.map((row) => row.name), ends.map((row) => row.address)],
  );
  const row = rows[0];
  return (
    row !== undefined &&
    Number(row.users) === users &&
    Number(row.emails) === users &&
    Number(row.ends) === new Set(ends.map((end) => end.userId)).size
  );
}

async function fill(client: pg.Client, { users, hashCost, log }: SeedOptions): Promise<void> {
  const started = Date.now();
  // hashing 100k passwords is not what is measured: every password user shares one real hash
  const passwordHash = await new PasswordHasher(hashCost).hash(BENCH_PASSWORD);
  await client.query('truncate users, emails restart identity cascade');
  // a bulk load: losing its last commits in a crash would only mean seeding again
  await client.query('set synchronous_commit = off');
  const progress = progressLine(log, users);
  for (let first = 0; first < users; first += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, users - first) }, (_, offset) => seedRow(first + offset));
    const createdAt = rows.map((row) => row.createdAt.toISOString());
    await client.query('begin');
    await client.query(
      `insert into emails (id, created_at, updated_at, address, auth_method, password_hash)
       select id, at, at, address, method, hash
       from unnest($1::int[], $2::timestamptz[], $3::text[], $4::smallint[], $5::text[])
         as t(id, at, address, method, hash)`,
      [
        rows.map((row) => row.emailId),
        createdAt,
        rows.map((row) => row.address),
        rows.map((row) => row.authMethod),
        rows.map((row) => (row.hasPassword ? passwordHash : null)),
      ],
    );
    await client.query(
      `insert into users (id, created_at, updated_at, name, age, gender, email_id)
       select id, at, at, name, age, gender, email_id
       from unnest($1::text[], $2::timestamptz[], $3::text[], $4::smallint[], $5::smallint[], $6::int[])
         as t(id, at, name, age, gender, email_id)`,
      [
        rows.map((row) => row.userId),
        createdAt,
        rows.map((row) => row.name),
        rows.map((row) => row.age),
        rows.map((row) => row.gender),
        rows.map((row) => row.emailId),
      ],
    );
    await client.query('commit');
    progress(first + rows.length);
  }
  // emails the service creates from now on must not collide with the explicit ids above
  await client.query(`select setval(pg_get_serial_sequence('emails', 'id'), $1)`, [Math.max(users, 1)]);
  // fresh statistics and visibility map, as a long-lived table has after autovacuum (the list
  // index's tables included: the seed's folded deltas are dead rows until vacuumed)
  await client.query('vacuum analyze');
  log(`seeded ${users} users in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Deletes what the create scenario added, so every scenario sees exactly the seeded users.
 * Creates still being hashed when the load generator stopped commit later, so it first waits
 * until their number stops changing.
 */
export async function removeCreatedUsers(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const pattern = `%@${CREATE_DOMAIN}`;
    const count = async () =>
      Number(
        (await client.query<{ n: string }>('select count(*) as n from emails where address like $1', [pattern])).rows[0]
          ?.n,
      );
    let last = await count();
    for (let still = 0, waited = 0; still < 3 && waited < 60_000; waited += 300) {
      await sleep(300);
      const now = await count();
      still = now === last ? still + 1 : 0;
      last = now;
    }
    await client.query('begin');
    const { rowCount } = await client.query(
      'delete from users where email_id in (select id from emails where address like $1)',
      [pattern],
    );
    await client.query('delete from emails where address like $1', [pattern]);
    await client.query('commit');
    return rowCount ?? 0;
  } finally {
    await client.end();
  }
}

function progressLine(log: (line: string) => void, total: number): (done: number) => void {
  let shownTenth = -1;
  return (done) => {
    const tenth = Math.floor((done / total) * 10);
    if (tenth === shownTenth) return;
    shownTenth = tenth;
    log(`seeding: ${done} / ${total} users (${Math.round((done / total) * 100)}%)`);
  };
}
