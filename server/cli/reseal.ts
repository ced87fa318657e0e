// `npm run reseal`: after TOTP_KEY has been rotated (the old key moved to TOTP_PREVIOUS_KEYS, see
// docs/operations.md), seals every sealed secret again under the current key (server/cli/
// reseal-secrets), and says what still needs a previous key. Against DATABASE_URL, or else the
// embedded PostgreSQL `npm start` uses. Safe to run again, and while the service runs. Exits 1 when
// some secret is sealed under a key it was not given.
import { openDatabase } from '../database/open-database';
import { existingSecretKey } from '../start/secret-key-file';
import { secretBox } from '../start/services';
import { cliConfig } from './cli-config';
import { cliDatabase } from './cli-database';
import { resealSecrets } from './reseal-secrets';
import type { CodeCount } from '../../router/auth/totp/totp-store';

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  if (process.argv.length > 2) fail('usage: npm run reseal   (TOTP_KEY and TOTP_PREVIOUS_KEYS from the environment)');
  const config = cliConfig(fail);
  // a key made up now would seal everything under a key no instance holds
  const key = existingSecretKey(config);
  if (!key) fail('TOTP_KEY: is required (the key to seal under), with the key it replaces in TOTP_PREVIOUS_KEYS');
  const secrets = secretBox(config, key.key);
  const db = await cliDatabase(config);
  let unopened = 0;
  try {
    const orm = await openDatabase({ url: db.url });
    try {
      const report = await resealSecrets(orm.em.fork(), secrets);
      const lines = [`sealed again under the current key (${report.keyId}), in ${db.where}:`];
      for (const column of report.columns) {
        lines.push(
          `  ${column.name}: ${column.resealed}` +
            (column.unopened > 0 ? `; ${column.unopened} sealed under a key not given, left as they were` : ''),
        );
        unopened += column.unopened;
      }
      const { otherKey, beforeKeyIds } = report.recoveryCodes;
      const counted = ({ codes, emails }: CodeCount) => `${codes}, of ${emails} ${emails === 1 ? 'user' : 'users'}`;
      if (otherKey.codes + beforeKeyIds.codes === 0) lines.push('every recovery code is hashed under the current key');
      if (otherKey.codes > 0) lines.push(`recovery codes hashed under an earlier key: ${counted(otherKey)}`);
      if (beforeKeyIds.codes > 0) {
        lines.push(
          `recovery codes of before key ids, hashed under the key current before the first rotation: ${counted(beforeKeyIds)}`,
        );
      }
      if (otherKey.codes + beforeKeyIds.codes > 0) {
        lines.push('  (they work while their key is in TOTP_PREVIOUS_KEYS; a new TOTP enrollment replaces them)');
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      await orm.close(true);
    }
  } finally {
    await db.close();
  }
  if (unopened > 0) {
    fail(
      `${unopened} secrets are sealed under a key neither TOTP_KEY nor TOTP_PREVIOUS_KEYS holds: ` +
        'add that key to TOTP_PREVIOUS_KEYS and run again',
      1,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run reseal failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
