// Valid request bodies for tests, unique per call so tests never collide on id, name or email.
import { randomBytes } from 'node:crypto';
import type { UserCreate } from '../../router/users/user-schemas';

let counter = 0;

export function uniqueSuffix(): string {
  counter += 1;
  return `${counter}${randomBytes(3).toString('hex')}`;
}

/** A create body; tests that send invalid or extra fields set them through `overrides`. */
export type UserBody = UserCreate & Record<string, unknown>;

export function newUserBody(overrides: Partial<UserCreate> & Record<string, unknown> = {}): UserBody {
  const suffix = uniqueSuffix();
  return {
    name: `user_${suffix}`,
    age: 30,
    gender: 1,
    email: { email: `user.${suffix}@example.com`, authMethod: 0, password: 'correct horse battery' },
    ...overrides,
  };
}
