// `npm run admin -- --email <email> --password <password> [--name N] [--age N] [--gender 0|1|2]`:
// creates, or promotes, an admin who signs in by password (server/cli/admin-account). Against
// DATABASE_URL, or else the embedded PostgreSQL `npm start` uses: the running one when `npm start`
// is up, else started for this command and stopped after it. The fields are checked by the same
// schema as the API's, and the password by the same policy, with the same messages.
import { parseArgs } from 'node:util';
import { describeIssues } from '../../router/trpc/api-errors';
import { PasswordHasher } from '../crypto/password-hasher';
import { UserCreateSchema } from '../../router/users/user-schemas';
import { makeAdmin, type AdminDetails } from './admin-account';
import { openDatabase } from '../database/open-database';
import { cliConfig } from './cli-config';
import { cliDatabase } from './cli-database';
import { passwordPolicy } from '../start/services';

const USAGE =
  'usage: npm run admin -- --email <email> --password <password> [--name <name>] [--age <1-120>] [--gender 0|1|2]\n' +
  '  defaults for a new admin: --name from the address, --age 30, --gender 0 (secret)';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function parse(): { details: AdminDetails; replace: Set<'name' | 'age' | 'gender'> } {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        email: { type: 'string' },
        password: { type: 'string' },
        name: { type: 'string' },
        age: { type: 'string' },
        gender: { type: 'string' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (!values.email) fail('--email is required');
  if (values.password === undefined) fail('--password is required');
  const numeric = (text: string | undefined, fallback: number) =>
    text === undefined ? fallback : /^\d+$/.test(text) ? Number(text) : text;
  const parsed = UserCreateSchema.safeParse({
    name: values.name ?? nameFrom(values.email),
    age: numeric(values.age, 30),
    gender: numeric(values.gender, 0),
    email: { email: values.email, authMethod: 0, password: values.password },
  });
  if (!parsed.success) fail(`invalid: ${describeIssues(parsed.error)}`);
  const { name, age, gender, email } = parsed.data;
  const replace = new Set<'name' | 'age' | 'gender'>();
  if (values.name !== undefined) replace.add('name');
  if (values.age !== undefined) replace.add('age');
  if (values.gender !== undefined) replace.add('gender');
  return { details: { email: email.email, password: values.password, name, age, gender }, replace };
}

/** A name the schema accepts, from the address's local part: `ops.alice@…` is `ops_alice`. */
function nameFrom(address: string): string {
  const local = (address.split('@')[0] ?? '').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 32);
  return local.length >= 3 ? local : 'admin';
}

async function main(): Promise<void> {
  const { details, replace } = parse();
  const config = cliConfig(fail);
  // the policy the API applies, with the same settings (SERVICE_NAME, PASSWORD_CONTEXT_WORDS)
  const refusal = passwordPolicy(config).refusal(details.password, { name: details.name, email: details.email });
  if (refusal) fail(`invalid: --password ${refusal}`);
  const passwords = new PasswordHasher({ logN: config.HASH_LOG_N, r: config.HASH_R, p: config.HASH_P });
  const db = await cliDatabase(config);
  try {
    const orm = await openDatabase({ url: db.url });
    try {
      const result = await makeAdmin(orm.em.fork(), passwords, details, replace);
      const how = result.authMethod === 2 ? 'by password and TOTP' : 'by password';
      process.stdout.write(
        result.action === 'created'
          ? `created admin ${details.email} (id ${result.id}), who signs in ${how}, in ${db.where}\n`
          : `promoted ${details.email} (id ${result.id}) to admin, who signs in ${how}; ` +
              `its earlier tokens no longer work (${db.where})\n`,
      );
    } finally {
      await orm.close(true);
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run admin failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
