// Valid request bodies for tests, unique per call so tests never collide on id, name or email.
import { randomBytes } from 'node:crypto';

let counter = 0;

export function uniqueSuffix(): string {
  counter += 1;
  return `${counter}${randomBytes(3).toString('hex')}`;
}

export interface UserBody {
  id?: string;
  name: string;
  age: number;
  gender: number;
  email: { email: string; authMethod: number; password?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export function newUserBody(overrides: Partial<UserBody> = {}): UserBody {
  const suffix = uniqueSuffix();
  return {
    name: `user_${suffix}`,
    age: 30,
    gender: 1,
    email: { email: `user.${suffix}@example.com`, authMethod: 0, password: 'correct horse battery' },
    ...overrides,
  };
}
