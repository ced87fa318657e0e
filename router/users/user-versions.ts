// Which state of a user a caller saw, and what a write expects it still to be. A user's version is
// its email's id (new for every user made, even under a reused user id) and its write counter
// (`users.version`, one more on every write): `"<email id>.<counter>"`. REST shows it as the strong
// ETag and takes it back in `If-Match`; typed tRPC clients get it as a `UserVersion` from a read and
// pass it as `expectedVersion`. The check runs under the row lock the write takes anyway, so no other
// write can come between the check and the write.
import { z } from 'zod';
import { assertCurrent, parseCondition, strongTag, type EntityTagCondition } from '../trpc/entity-tags';

const VERSION_PATTERN = /^\d{1,10}\.\d{1,10}$/;

/**
 * A user's version as a read gave it. Branded on the way in too: a typed client can only pass one it
 * received (`users.get`), never one it made up or forgot to keep.
 */
export const UserVersionSchema = z
  .string()
  .regex(VERSION_PATTERN, 'must be a version as users.get returns it')
  .brand<'UserVersion', 'inout'>()
  .meta({ description: 'The version of the user a read returned; a write with another is refused' });
export type UserVersion = z.output<typeof UserVersionSchema>;

export function userVersion(emailId: number, counter: number): UserVersion {
  return `${emailId}.${counter}` as UserVersion;
}

/** The ETag of a user at this version. */
export function etagOf(version: UserVersion): string {
  return strongTag(version);
}

/** What a write expects of the user's current version; empty: the write is unconditional. */
export interface VersionExpectation {
  /** From REST's If-Match. */
  ifMatch?: EntityTagCondition;
  /** From a typed tRPC client. */
  expectedVersion?: UserVersion;
  /** The version a merge patch was merged into (./user-patch.ts): another one means merge again. */
  mergedInto?: UserVersion;
}

/** The user changed between the read a patch was merged into and the write (not the caller's doing). */
export class MergedIntoStale extends Error {
  override name = 'MergedIntoStale';
}

/** The expectation of this call: its If-Match header (REST) and its `expectedVersion` (tRPC). */
export function expectationOf(
  ctx: { requestHeaders: { ifMatch?: string } },
  expectedVersion: UserVersion | undefined,
): VersionExpectation {
  const header = ctx.requestHeaders.ifMatch;
  return {
    ...(header !== undefined ? { ifMatch: parseCondition('If-Match', header) } : {}),
    ...(expectedVersion !== undefined ? { expectedVersion } : {}),
  };
}

/** Refuses the write with 412 (PRECONDITION_FAILED) unless the user is still at the expected version. */
export function assertExpected(expectation: VersionExpectation, current: UserVersion): void {
  assertCurrent('the user', expectation, current);
  if (expectation.mergedInto !== undefined && expectation.mergedInto !== current) throw new MergedIntoStale();
}
