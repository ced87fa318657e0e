// The key of sign-in secrets at rest (TOTP_KEY). Production requires it (see config). In
// development without one, a key is made once and kept in TOTP_KEY_FILE (the git-ignored data
// folder, mode 0600), so TOTP enrollments survive restarts; tests get a key of their own.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SECRET_KEY_BYTES } from '../crypto/secret-box';
import type { Config } from '../config/config';

export function loadSecretKey(config: Pick<Config, 'TOTP_KEY' | 'TOTP_KEY_FILE' | 'NODE_ENV'>): {
  key: Buffer;
  source: 'TOTP_KEY' | 'file' | 'new file' | 'random';
} {
  if (config.TOTP_KEY) return { key: Buffer.from(config.TOTP_KEY, 'base64'), source: 'TOTP_KEY' };
  if (config.NODE_ENV !== 'development') return { key: randomBytes(SECRET_KEY_BYTES), source: 'random' };
  const file = path.resolve(config.TOTP_KEY_FILE);
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== SECRET_KEY_BYTES) throw new Error(`${file} does not hold a 32-byte base64 key`);
    return { key, source: 'file' };
  }
  const key = randomBytes(SECRET_KEY_BYTES);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { key, source: 'new file' };
}
