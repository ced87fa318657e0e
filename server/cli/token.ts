// Operator tokens, for operators (who hold JWT_SECRET) and for trying the API:
// - `npm run token -- --sub <id> --role admin|user [--ttl SECONDS]` prints a Bearer token signed
//   with JWT_SECRET on stdout (its id and expiry on stderr). It lives TOKEN_TTL_SECONDS, or --ttl,
//   and never longer than OPERATOR_TOKEN_MAX_TTL_SECONDS: a longer --ttl is refused, since a token
//   nobody can take back should not outlive the day it was made for;
// - `npm run token -- --revoke <jti>` takes one back: the same revocation as a logout (the
//   revoked_tokens table, router/auth/revocation), which every instance checks on every call. On
//   DATABASE_URL, or else the embedded PostgreSQL `npm start` uses;
// - `npm run token -- --new-signing-key` prints a new ECDSA P-256 private key for JWT_SIGNING_KEY
//   or JWT_VERIFY_KEYS (base64 PKCS #8 DER) on stdout, and its `kid` on stderr. Tokens made with
//   --sub are signed with JWT_SIGNING_KEY when it is set, as the service signs them.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { revokeTokenId } from '../../router/auth/revocation';
import { ROLES, type Role } from '../crypto/token-service';
import type { Config } from '../config/config';
import { openDatabase } from '../database/open-database';
import { tokenService } from '../start/services';
import { newSigningKey } from '../crypto/signing-keys';
import { cliConfig } from './cli-config';
import { cliDatabase } from './cli-database';

const USAGE =
  'usage: npm run token -- --sub <subject> --role admin|user [--ttl seconds]\n' +
  '       npm run token -- --revoke <jti>\n' +
  '       npm run token -- --new-signing-key';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        sub: { type: 'string' },
        role: { type: 'string', default: 'user' },
        ttl: { type: 'string' },
        revoke: { type: 'string' },
        'new-signing-key': { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
}

function issue(values: ReturnType<typeof parse>, config: Config): void {
  if (!values.sub) fail('--sub is required');
  if (!ROLES.includes(values.role as Role)) fail(`--role must be one of ${ROLES.join(', ')}`);
  if (!config.JWT_SECRET) fail('JWT_SECRET must be set to the secret the service verifies tokens with');
  const max = config.OPERATOR_TOKEN_MAX_TTL_SECONDS;
  const ttl = values.ttl === undefined ? Math.min(config.TOKEN_TTL_SECONDS, max) : Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl <= 0) fail('--ttl must be a positive number of seconds');
  if (ttl > max) {
    fail(
      `--ttl ${ttl} is refused: operator tokens live at most ${max} seconds (OPERATOR_TOKEN_MAX_TTL_SECONDS). ` +
        `Ask for ${max} or less, and mint a new token when it runs out.`,
    );
  }
  const tokens = tokenService({ ...config, JWT_SECRET: config.JWT_SECRET }, ttl);
  const principal = tokens.issue({ id: values.sub, role: values.role as Role });
  const { tokenId, expiresAt } = tokens.verify(principal.token);
  process.stdout.write(`${principal.token}\n`);
  // stdout is the token alone, for `$(npm run -s token …)`; what it takes to revoke it goes to stderr
  process.stderr.write(
    `token ${tokenId} for ${values.sub} (${values.role}), valid until ${new Date((expiresAt ?? 0) * 1000).toISOString()}; ` +
      `revoke it with: npm run token -- --revoke ${tokenId}\n`,
  );
}

async function revoke(jti: string, config: Config): Promise<void> {
  if (!z.uuid().safeParse(jti).success) fail('--revoke takes the token’s jti, a UUID (printed when it was made)');
  const db = await cliDatabase(config);
  try {
    const orm = await openDatabase({ url: db.url });
    try {
      // its expiry is not known from the jti alone: the revocation is kept for good
      const revoked = await revokeTokenId(orm.em.fork(), jti.toLowerCase(), null, {
        type: 'auth.token_revoked',
        actor: 'cli',
        data: { tokenId: jti.toLowerCase() },
      });
      process.stdout.write(
        revoked
          ? `revoked token ${jti}: every instance refuses it from now on (${db.where})\n`
          : `token ${jti} was revoked already (${db.where})\n`,
      );
    } finally {
      await orm.close(true);
    }
  } finally {
    await db.close();
  }
}

/** A key of its own for each deployment, made here so that nobody copies one out of a document. */
function printNewSigningKey(values: ReturnType<typeof parse>): void {
  if (Object.keys(values).some((name) => !['new-signing-key', 'role'].includes(name)) || values.role !== 'user') {
    fail('--new-signing-key takes no other option');
  }
  const { material, key } = newSigningKey();
  process.stdout.write(`${material}\n`);
  process.stderr.write(`a new ES256 signing key, kid ${key.kid}: set it as JWT_SIGNING_KEY (docs/operations.md)\n`);
}

async function main(): Promise<void> {
  const values = parse();
  if (values['new-signing-key']) {
    printNewSigningKey(values);
    return;
  }
  const config = cliConfig(fail);
  if (values.revoke === undefined) {
    issue(values, config);
    return;
  }
  if (values.sub !== undefined || values.ttl !== undefined) fail('--revoke takes no --sub, --role or --ttl');
  await revoke(values.revoke, config);
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run token failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
