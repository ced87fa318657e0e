// Every column of sealed secrets there is (TOTP secrets, webhook signing secrets, and the ones a
// webhook rotation replaced), for `npm run reseal` (server/cli/reseal-secrets.ts) and for the check
// each instance makes as it starts: a secret sealed under a key the instance does not hold fails
// the sign-in or delivery that needs it, so a rotation's step taken wrong (a previous key dropped
// before `npm run reseal`, or left out on one instance) is said at once, in the log, with counts,
// instead of as 500s to the people it locks out.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../crypto/secret-box';
import { sealedOutside, type SealedColumn } from '../crypto/sealed-column';
import { totpSecrets } from '../../router/auth/totp/totp-store';
import { endpointSecrets, replacedEndpointSecrets } from '../../router/webhooks/webhook-store';
import type { Logger } from '../ops/logger';

export const SEALED_COLUMNS: readonly SealedColumn[] = [totpSecrets, endpointSecrets, replacedEndpointSecrets];

/** Per column, how many of its secrets no key held opens; only the columns that have some. */
export async function secretsNotHeld(
  em: EntityManager,
  secrets: SecretBox,
): Promise<Array<{ name: string; count: number }>> {
  const found: Array<{ name: string; count: number }> = [];
  for (const column of SEALED_COLUMNS) {
    const outside = await sealedOutside(em, column, secrets.heldSealPrefixes, secrets.unnamedSealPrefix);
    let count = outside.unheld;
    // those of before key ids were all sealed under one key: one tells for all
    const sample = outside.unnamedSample;
    if (sample && !opens(secrets, sample.sealed, column.context(sample.id))) count += outside.unnamed;
    if (count > 0) found.push({ name: column.name, count });
  }
  return found;
}

/** Logs a warning naming what this instance cannot open; nothing when it can open everything. */
export async function checkSealedSecrets(em: EntityManager, secrets: SecretBox, log: Logger): Promise<void> {
  const missing = await secretsNotHeld(em, secrets);
  if (missing.length === 0) return;
  log.warn(
    { notHeld: Object.fromEntries(missing.map(({ name, count }) => [name, count])) },
    'sign-in secrets at rest: some are sealed under a key this instance does not hold (their sign-ins and ' +
      'deliveries fail); add that key to TOTP_PREVIOUS_KEYS (docs/operations.md, "Rotating TOTP_KEY")',
  );
}

function opens(secrets: SecretBox, sealed: string, context: string): boolean {
  try {
    secrets.open(sealed, context);
    return true;
  } catch {
    return false;
  }
}
