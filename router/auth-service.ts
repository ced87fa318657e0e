// Sign-in: an email and password become a user token. Every failure (unknown email, wrong
// password, an email that does not sign in by password) is the same 401 after the same work,
// so nobody can probe which emails exist.
import type { EntityManager } from '@mikro-orm/postgresql';
import { TRPCError } from '@trpc/server';
import { AuthMethod, Email } from '../entities';
import type { PasswordHasher } from './passwords';
import type { Login, Token } from './schemas/auth';
import type { TokenService } from './tokens';

export const LOGIN_FAILED = 'invalid email or password';

interface Account {
  user_id: string;
  email_id: number;
  auth_method: number;
  password_hash: string | null;
}

export async function login(
  em: EntityManager,
  passwords: PasswordHasher,
  tokens: TokenService,
  { email, password }: Login,
): Promise<Token> {
  const [account] = await em.execute<Account[]>(
    `select u.id as user_id, e.id as email_id, e.auth_method, e.password_hash
       from emails e join users u on u.email_id = e.id
      where lower(e.address) = lower(?)`,
    [email],
  );
  const hash = account?.auth_method === AuthMethod.password ? account.password_hash : null;
  // verified (or wasted) before anything else is decided, so every failure costs the same
  const verified = await passwords.verifyOrWaste(hash, password);
  if (!account || !verified) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: LOGIN_FAILED });
  }
  // a hash made at a lower cost than today's is upgraded while the password is at hand
  if (hash && passwords.needsRehash(hash)) {
    await em.nativeUpdate(Email, { id: account.email_id }, { passwordHash: await passwords.hash(password) });
  }
  const issued = tokens.issue({ id: account.user_id, role: 'user' });
  return { token: issued.token, tokenType: 'Bearer', expiresIn: issued.expiresIn };
}
