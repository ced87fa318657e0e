// What `npm run reseal` does after a TOTP_KEY rotation (docs/operations.md): every sealed secret
// not sealed under the current key is opened (under the previous key it names) and sealed again
// under the current one, a batch at a time, each row replaced only if no one changed it meanwhile;
// then it counts what cannot be moved this way. Keyed hashes cannot be computed again without what
// they hash: refresh tokens and device cookies move to the new key as they are used, recovery codes
// only when their owner enrolls again. Each run is recorded in the audit trail (`secrets.resealed`,
// by `cli`): which key, and how many of what moved, never a key or a secret.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../crypto/secret-box';
import { readSealed, replaceSealed, type SealedColumn } from '../crypto/sealed-column';
import { recoveryCodesNotUnder, type CodeCount } from '../../router/auth/totp/totp-store';
import { recordEvent } from '../../router/events/events-store';
import { SEALED_COLUMNS } from '../start/sealed-secrets';

export interface ColumnReport {
  name: string;
  /** Sealed again under the current key. */
  resealed: number;
  /** Sealed under a key neither TOTP_KEY nor TOTP_PREVIOUS_KEYS holds (or changed): left as they were. */
  unopened: number;
}

export interface ResealReport {
  keyId: string;
  columns: ColumnReport[];
  /**
   * Recovery codes hashed under another key than the current one, and of before key ids (under
   * the key current before the first rotation): they work while their key is held.
   */
  recoveryCodes: { otherKey: CodeCount; beforeKeyIds: CodeCount };
}

export async function resealSecrets(em: EntityManager, secrets: SecretBox, batch = 500): Promise<ResealReport> {
  const columns: ColumnReport[] = [];
  for (const column of SEALED_COLUMNS) columns.push(await resealColumn(em, secrets, column, batch));
  const report = { keyId: secrets.keyId, columns, recoveryCodes: await recoveryCodesNotUnder(em, secrets.keyId) };
  await recordEvent(em, { type: 'secrets.resealed', actor: 'cli', data: { ...report } });
  return report;
}

async function resealColumn(
  em: EntityManager,
  secrets: SecretBox,
  column: SealedColumn,
  batch: number,
): Promise<ColumnReport> {
  const report: ColumnReport = { name: column.name, resealed: 0, unopened: 0 };
  // keyset pages: a row that cannot be opened is passed over, not read again
  let after: string | null = null;
  // the current key's, first of those held
  const [current = ''] = secrets.heldSealPrefixes;
  for (;;) {
    const rows = await readSealed(em, column, current, after, batch);
    for (const row of rows) {
      const context = column.context(row.id);
      let plaintext: string;
      try {
        plaintext = secrets.open(row.sealed, context);
      } catch {
        report.unopened += 1;
        continue;
      }
      // a row changed meanwhile was written by the service, under the key it holds as current
      if (await replaceSealed(em, column, row.id, row.sealed, secrets.seal(plaintext, context))) report.resealed += 1;
    }
    if (rows.length < batch) return report;
    after = rows[rows.length - 1]?.id ?? null;
  }
}
