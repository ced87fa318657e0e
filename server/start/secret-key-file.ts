// The key of sign-in secrets at rest (TOTP_KEY). Production requires it (see config). In
// development without one, a key is made once and kept in TOTP_KEY_FILE (the git-ignored data
// folder, mode 0600), so TOTP enrollments survive restarts; tests get a key of their own.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SECRET_KEY_BYTES } from '../crypto/secret-box';
import type { Config } from '../config/config';

type KeySettings = Pick<Config, 'TOTP_KEY' | 'TOTP_KEY_FILE' | 'NODE_ENV'>;

/**
 * The key there already is: TOTP_KEY, or in development the one kept in TOTP_KEY_FILE; null when
 * there is none (nothing is made here: `npm run reseal` must not seal under a key made up).
 */
export function existingSecretKey(config: KeySettings): { key: Buffer; source: 'TOTP_KEY' | 'file' } | null {
  if (config.TOTP_KEY) return { key: Buffer.from(config.TOTP_KEY, 'base64'), source: 'TOTP_KEY' };
  const file = path.resolve(config.TOTP_KEY_FILE);
  if (config.NODE_ENV !== 'development' || !existsSync(file)) return null;
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== SECRET_KEY_BYTES) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return { key, source: 'file' };
}

/** The key the service runs with: the one there is, else a new one (kept in development). */
export function loadSecretKey(config: KeySettings): {
  key: Buffer;
  source: 'TOTP_KEY' | 'file' | 'new file' | 'random';
} {
  const existing = existingSecretKey(config);
  if (existing) return existing;
  if (config.NODE_ENV !== 'development') return { key: randomBytes(SECRET_KEY_BYTES), source: 'random' };
  const file = path.resolve(config.TOTP_KEY_FILE);
  const key = randomBytes(SECRET_KEY_BYTES);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { key, source: 'new file' };
}
