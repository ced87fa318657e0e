// Making an admin, for `npm run admin`: the one way a role changes (no API input can set it).
// A new address becomes a new admin who signs in by password; a known one is promoted, its
// password replaced, and every token issued to it before ends (a new credential epoch), so a
// token that still says `user` cannot outlive the promotion. A user who signed in by email code or
// OAuth2 signs in by password from now on; one with TOTP keeps it as its second factor.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuthMethod, EMAIL_KEY_SQL, Email, User } from '../../entities';
import { endSignInState } from '../../router/auth/sign-in-state';
import type { PasswordHasher } from '../crypto/password-hasher';
import { recordEvent } from '../../router/events/events-store';
import { createdChanges, updateChanges, userFields } from '../../router/users/user-changes';

export interface AdminDetails {
  email: string;
  password: string;
  name: string;
  age: number;
  gender: User['gender'];
}

export interface AdminResult {
  action: 'created' | 'promoted';
  id: string;
  authMethod: AuthMethod;
}

/**
 * Creates or promotes the admin of `details.email`. Of a known user, only the fields named in
 * `replace` change (besides the role and the password).
 */
export async function makeAdmin(
  em: EntityManager,
  passwords: PasswordHasher,
  details: AdminDetails,
  replace: ReadonlySet<'name' | 'age' | 'gender'>,
): Promise<AdminResult> {
  // hashed before the transaction opens: no row lock waits on scrypt
  const passwordHash = await passwords.hash(details.password);
  return em.transactional(async (tx) => {
    const [row] = await tx.execute<Array<{ id: string }>>(
      // the address's account by its key (entities/email-key.ts), as sign-in finds it
      `select u.id from users u join emails e on e.id = u.email_id
        where ${EMAIL_KEY_SQL}(e.address) = ${EMAIL_KEY_SQL}(?) for update`,
      [details.email],
    );
    if (!row) {
      const email = tx.create(Email, { address: details.email, authMethod: AuthMethod.password, passwordHash });
      const user = tx.create(User, {
        id: randomUUID(),
        name: details.name,
        age: details.age,
        gender: details.gender,
        email,
        role: 'admin',
      });
      await tx.flush();
      // the operator at the console is the actor: `cli`
      const data = createdChanges(userFields(user));
      await recordEvent(tx, { type: 'user.created', actor: 'cli', userId: user.id, data: { ...data, role: 'admin' } });
      return { action: 'created', id: user.id, authMethod: email.authMethod };
    }
    const user = await tx.findOneOrFail(User, { id: row.id }, { populate: ['email', 'email.passwordHash'] });
    const { email } = user;
    const before = userFields(user);
    const roleBefore = user.role;
    const now = new Date();
    // a promotion is a credential change: earlier tokens end, and email codes and OAuth2 give way
    // to the password (TOTP keeps its second factor)
    const leftMethod =
      email.authMethod === AuthMethod.otp || email.authMethod === AuthMethod.oauth2 ? email.authMethod : undefined;
    await endSignInState(tx, user, leftMethod);
    if (email.authMethod !== AuthMethod.totp) email.authMethod = AuthMethod.password;
    email.passwordHash = passwordHash;
    email.updatedAt = now;
    user.role = 'admin';
    if (replace.has('name')) user.name = details.name;
    if (replace.has('age')) user.age = details.age;
    if (replace.has('gender')) user.gender = details.gender;
    user.updatedAt = now;
    await tx.flush();
    const origin = { actor: 'cli', userId: user.id };
    await recordEvent(tx, { type: 'user.updated', ...origin, data: updateChanges(before, userFields(user), true) });
    if (roleBefore !== 'admin') {
      await recordEvent(tx, { type: 'user.role_changed', ...origin, data: { before: roleBefore, after: 'admin' } });
    }
    await recordEvent(tx, { type: 'auth.credentials_changed', ...origin, data: { credentials: ['password'] } });
    return { action: 'promoted', id: user.id, authMethod: email.authMethod };
  });
}
