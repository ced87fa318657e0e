// The seeded users, as pure functions of their index, so the seeder writes them and the load
// generator picks existing ids without sharing a file or asking the database.
import { createHash } from 'node:crypto';

/** Seeded users are created one second apart from here on, so list order is fully determined. */
export const SEED_EPOCH_MS = Date.UTC(2024, 0, 1);

/** Address domains of seeded users and of users the create scenario adds (so those can be removed). */
export const SEED_DOMAIN = 'seed.bench.example';
export const CREATE_DOMAIN = 'create.bench.example';

/** The password every create request sends, and (hashed once) every seeded password user has. */
export const BENCH_PASSWORD = 'bench-password-1';

/**
 * The id of seeded user `index`: UUID-shaped, as the service makes when the client chooses none,
 * but derived from the index so it is the same every run: the index in its first 8 hex digits
 * (ids ascend with it, as time-ordered UUIDs do), md5 bits laid out as a version-4 UUID after.
 * Ascending keys are what makes seeding 2,000,000 users take minutes: every index then grows at
 * its end, where random keys would write a full page image to the WAL for nearly every row.
 */
export function seededUserId(index: number): string {
  const hex = createHash('md5').update(`bench-user-${index}`).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const ordered = index.toString(16).padStart(8, '0');
  return `${ordered}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface SeedRow {
  /** Also the email id: seeded emails take ids 1..N. */
  emailId: number;
  userId: string;
  createdAt: Date;
  name: string;
  age: number;
  gender: number;
  address: string;
  authMethod: number;
  /** Whether the email gets the shared password hash (only password sign-ins have one). */
  hasPassword: boolean;
}

export function seedRow(index: number): SeedRow {
  // a mix of sign-in methods, mostly passwords, as real users would have
  const authMethod = index % 10 < 7 ? 0 : (index % 3) + 1;
  return {
    emailId: index + 1,
    userId: seededUserId(index),
    createdAt: new Date(SEED_EPOCH_MS + index * 1000),
    name: `user_${index}`,
    age: (index % 120) + 1,
    gender: index % 3,
    // zero-padded, so addresses too ascend with the index (see seededUserId)
    address: `user${String(index).padStart(8, '0')}@${SEED_DOMAIN}`,
    authMethod,
    hasPassword: authMethod === 0,
  };
}
