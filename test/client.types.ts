// Type-level tests of the typed client, checked by `tsc --noEmit` in `npm test` and never run:
// every `@ts-expect-error` below must stay a compile error, or tsc fails on the unused directive.
import type { RouterInputs, RouterOutputs, UsersClient } from '../client';

declare const client: UsersClient;

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | void {}

const body = {
  name: 'alice',
  age: 30,
  gender: 2,
  email: { email: 'alice@example.com', authMethod: 0, password: 'correct horse' },
} as const;

// the control: the calls the failing ones below vary compile as they are
export async function validInputs(): Promise<void> {
  await client.users.create.mutate(body);
  await client.users.create.mutate({
    ...body,
    id: 'chosen-id',
    email: { ...body.email, authMethod: 1, password: undefined },
  });
  await client.users.update.mutate({ ...body, id: 'some-id' });
  await client.users.read.query({ id: 'some-id' });
  await client.users.list.query({ limit: 10 });
  await client.users.list.query({});
  await client.users.delete.mutate({ id: 'some-id' });
}

export async function wrongInputTypes(): Promise<void> {
  // @ts-expect-error age is a number
  await client.users.create.mutate({ ...body, age: '30' });
  // @ts-expect-error gender is one of 0, 1, 2
  await client.users.create.mutate({ ...body, gender: 3 });
  // @ts-expect-error authMethod is one of the sign-in methods
  await client.users.create.mutate({ ...body, email: { ...body.email, authMethod: 9 } });
  // @ts-expect-error an id is a string
  await client.users.read.query({ id: 42 });
  // @ts-expect-error limit is a number
  await client.users.list.query({ limit: '10' });
  // @ts-expect-error list is a query, not a mutation
  await client.users.list.mutate({});
}

export async function unknownFields(): Promise<void> {
  // @ts-expect-error no such field
  await client.users.create.mutate({ ...body, role: 'admin' });
  // @ts-expect-error no such email field
  await client.users.create.mutate({ ...body, email: { ...body.email, verified: true } });
  // @ts-expect-error no such procedure
  await client.users.find.query({});
}

export async function missingRequiredFields(): Promise<void> {
  // @ts-expect-error name is required
  await client.users.create.mutate({ age: 30, gender: 2, email: body.email });
  // @ts-expect-error the email address is required
  await client.users.create.mutate({ ...body, email: { authMethod: 0 } });
  // @ts-expect-error update names the user
  await client.users.update.mutate(body);
  // @ts-expect-error read names the user
  await client.users.read.query({});
}

export async function typedOutputs(): Promise<void> {
  const user = await client.users.read.query({ id: 'some-id' });
  expectType<Equal<typeof user, RouterOutputs['users']['read']>>();
  expectType<Equal<keyof typeof user, 'id' | 'name' | 'age' | 'gender' | 'email' | 'createdAt' | 'updatedAt'>>();
  // the email a client sees: no password and no hash, only the always-empty token
  expectType<Equal<keyof typeof user.email, 'id' | 'email' | 'authMethod' | 'token' | 'createdAt' | 'updatedAt'>>();
  expectType<Equal<typeof user.age, number>>();
  expectType<Equal<typeof user.gender, 0 | 1 | 2>>();
  // @ts-expect-error no password on the output
  void user.email.password;
  // @ts-expect-error no hash on the output
  void user.email.passwordHash;

  const page = await client.users.list.query({});
  expectType<Equal<(typeof page.items)[number], typeof user>>();
  expectType<Equal<typeof page.total, number>>();
  // @ts-expect-error listed users have no password either
  void page.items[0]?.email.password;
}

// A write names the version it expects only as a read gave it: a made-up or remembered string does
// not type-check, so a frontend cannot send a version it did not read.
export async function versionsComeFromReads(): Promise<void> {
  const { user, version } = await client.users.get.query({ id: 'some-id' });
  expectType<Equal<typeof version, RouterOutputs['users']['get']['version']>>();
  const replacement = { ...body, id: user.id };
  await client.users.update.mutate({ ...replacement, expectedVersion: version });
  await client.users.patch.mutate({ id: user.id, name: 'renamed', expectedVersion: version });
  await client.users.delete.mutate({ id: user.id, expectedVersion: version });
  // @ts-expect-error a plain string is not a version a read gave
  await client.users.update.mutate({ ...replacement, expectedVersion: '12.3' });
  // @ts-expect-error nor for a patch
  await client.users.patch.mutate({ id: user.id, name: 'renamed', expectedVersion: '12.3' });
  // @ts-expect-error nor for a delete
  await client.users.delete.mutate({ id: user.id, expectedVersion: `${String(version)}` });
  // @ts-expect-error a patch cannot remove a field every user has
  await client.users.patch.mutate({ id: user.id, name: null });
  // @ts-expect-error a patch names the user
  await client.users.patch.mutate({ name: 'renamed' });
}

// The list over tRPC: the same filters as REST, and the next page's cursor in users.search.
export async function searchPages(): Promise<void> {
  const first = await client.users.search.query({ q: 'ali', sort: '-name', authMethod: [0, 2], limit: 20 });
  expectType<Equal<typeof first.items, RouterOutputs['users']['list']['items']>>();
  if (first.next !== null) await client.users.search.query({ q: 'ali', sort: '-name', cursor: first.next });
  await client.users.list.query({ email: 'alice@example.com', authMethod: 1, createdAfter: 0 });
  // @ts-expect-error sort is one of the fields, maybe with a leading -
  await client.users.list.query({ sort: 'password' });
  // @ts-expect-error authMethod is a sign-in method or a list of them
  await client.users.list.query({ authMethod: [7] });
  // @ts-expect-error the list's own answer has no cursor: REST's body is the published UserList
  void (await client.users.list.query({})).next;
}

export function inputsAreTheSchemas(): void {
  // a password may be sent; the input type is the one the client helpers expose
  expectType<Equal<RouterInputs['users']['create']['email']['password'], string | undefined>>();
}
