// A JSON merge patch of a user (RFC 7396): merged into the user as it is now, then written by the
// same replacement a PUT makes (updateUser: its validation, uniqueness, the end of sign-in state on
// a credential change, and whatever else the update path checks), so a PATCH can do nothing a PUT
// could not. The replacement is made only if the user is still at the version the patch was merged
// into: a write that came between is never overwritten with the older values of the fields the
// patch left alone; the patch is merged again into the newer state instead (a few times, then 409).
import { TRPCError } from '@trpc/server';
import { readUser, updateUser, type UserReplacement, type UsersContext } from './user-service';
import type { StepUpContext } from './step-up';
import type { PatchUserCommand, User, VersionedUser } from './user-schemas';
import { MergedIntoStale, type VersionExpectation } from './user-versions';

const MERGE_ATTEMPTS = 3;

export async function patchUser(
  ctx: UsersContext & StepUpContext,
  patch: PatchUserCommand,
  expected: VersionExpectation = {},
): Promise<VersionedUser> {
  for (let attempt = 1; ; attempt += 1) {
    // from the primary: the write compares against it
    const current = await readUser(ctx, patch.id, 'primary');
    try {
      return await updateUser(ctx, merge(current.user, patch), { ...expected, mergedInto: current.version });
    } catch (error) {
      if (!(error instanceof MergedIntoStale)) throw error;
      if (attempt === MERGE_ATTEMPTS) {
        throw new TRPCError({
          code: 'CONFLICT',
          message: 'the user kept changing while the patch was applied; send it again',
        });
      }
    }
  }
}

/** The replacement a patch makes of `user`: the patch's fields, the user's for the rest; no password unless sent. */
export function merge(user: User, patch: PatchUserCommand): UserReplacement {
  const email = patch.email ?? {};
  return {
    id: patch.id,
    name: patch.name ?? user.name,
    age: patch.age ?? user.age,
    gender: patch.gender ?? user.gender,
    email: {
      email: email.email ?? user.email.email,
      authMethod: email.authMethod ?? user.email.authMethod,
      ...(email.password !== undefined ? { password: email.password } : {}),
    },
  };
}
