// The check every authenticated call makes: a signed token is not yet a valid session. A token is
// refused once its `jti` is revoked (logout), once its user's credential epoch has moved on (a
// password, address or sign-in method change, a completed TOTP enrollment), once its user is
// deleted, or when its subject is a user created after it under the same id (router/auth/revocation
// writes that state), or, for a token of a session (`sid`), once that session has ended (signed out,
// reused, ended by its user or an admin: router/sessions deletes its row). Nothing about revocation
// is cached in a process: every call asks PostgreSQL, so a logout holds on every instance at once.
// With replicas the check may read one, but only one that has replayed the caller's own latest
// write (a logout, a credential change) and everything before its token was issued
// (server/database/read-replicas).
//
// Two ways to ask (issue 23):
// - separately: one prepared statement of its own before the call runs (`assertSessionValid`);
// - folded: a read (users.read and get, the list's page) carries the same three questions in its own
//   statement (`CALLER_CTE`), so the call costs one round trip, and the check is exactly as fresh as
//   the data. The statement returns no user data unless the caller is valid, and the answer's facts
//   go through the same verdict (`refusal`) with the same 401s before anything else is looked at: a
//   revoked caller gets its 401, never a 404 or the user.
// A call that folds runs under a `SessionCheck`, the gate of its database view
// (server/database/request-database): any statement that does not carry the check waits for it (and
// makes it separately when nothing has), and a call that ends without having made it (refused before
// reading: bad input, a hidden user) makes it then, its 401 replacing the answer
// (router/trpc/procedures.ts). So no read and no answer can skip it.
import type { PreparedStatement, RequestDatabase, StatementGate } from '../../server/database/request-database';
import type { Principal } from '../../server/crypto/token-service';
import { unauthorized } from './api-errors';

/**
 * What the check reads about a caller, as the folded statements name the columns. A machine client's
 * token (`sub: client:<id>`, router/clients) stands on its client's epoch as a user's on its user's:
 * looked up only when no user has the subject (COALESCE stops at the first value), which no user's
 * token ever needs (a user id has no colon).
 */
export interface CallerFacts {
  /** Its token's `jti` is revoked. */
  caller_revoked: boolean;
  /** Its user's (or machine client's) credential epoch now; null when no such user or client. */
  caller_epoch: string | null;
  /** Its session (`sid`) still exists, or it has none. */
  caller_live: boolean;
  /** The three together as the statement judged them: only then did it read any user data. */
  caller_valid?: boolean;
}

/**
 * The check as a CTE named `caller`: one row of `CallerFacts`, from four parameters numbered from
 * `first`, in the order of `callerValues`: the token's jti, its subject, its session, its epoch.
 */
export function callerCte(first: number): string {
  const [jti, subject, session, epoch] = [first, first + 1, first + 2, first + 3].map((n) => `$${n}`);
  return `caller as (
    select facts.*, not facts.caller_revoked and facts.caller_live
             and facts.caller_epoch is not distinct from ${epoch}::uuid as caller_valid
    from (select exists(select 1 from revoked_tokens where jti = ${jti}::uuid) as caller_revoked,
                 coalesce((select token_epoch from users where id = ${subject}::varchar),
                          (select epoch from api_clients where subject = ${subject}::varchar)) as caller_epoch,
                 (${session}::uuid is null or exists(select 1 from sessions where id = ${session}::uuid)) as caller_live
         ) as facts
  )`;
}

/** The CTE's columns, for a statement's select list (from `caller` aliased `c`). */
export const CALLER_COLUMNS = 'c.caller_revoked, c.caller_epoch, c.caller_live, c.caller_valid';

const SESSION: PreparedStatement = {
  name: 'session_check_3',
  text: `with ${callerCte(1)} select * from caller`,
  carriesCheck: true,
};

/** The check's parameters for `principal` (see `callerCte`). */
export function callerValues(principal: Principal): unknown[] {
  return [principal.tokenId, principal.id, principal.sessionId ?? null, principal.epoch ?? null];
}

/** The 401 a caller gets for these facts; none when its token still stands. */
function refusal(facts: CallerFacts | undefined, principal: Principal): Error | undefined {
  if (!facts) return unauthorized('token is no longer valid');
  if (facts.caller_revoked) return unauthorized('token has been revoked');
  // A token issued to a user carries that user's epoch and stands only while the user exists with
  // that epoch: a deleted user's tokens end with it (an admin's rights too), and a user made later
  // under the same id has another epoch. Operator tokens carry none, and name subjects that are not
  // users; a user made later under such a name is someone else.
  const current = facts.caller_epoch ?? null;
  const stands = principal.epoch === undefined ? current === null : principal.epoch === current;
  if (!stands) return unauthorized('token is no longer valid');
  if (!facts.caller_live) return unauthorized('the session of this token has ended');
  // the statement withheld the data for a reason of its own: never answer as if it had none
  if (facts.caller_valid === false) return unauthorized('token is no longer valid');
  return undefined;
}

/** Refuses a principal whose token was revoked or outlived its user's credentials (a statement of its own). */
export async function assertSessionValid(db: RequestDatabase, principal: Principal): Promise<void> {
  // principals made in-process (createCaller in tests, CLIs) carry no token to revoke
  if (principal.tokenId === undefined) return;
  const [facts] = await db.prepared<CallerFacts>(SESSION, callerValues(principal), 'read');
  const refused = refusal(facts, principal);
  if (refused) throw refused;
}

/**
 * Whether a principal's token still stands by the facts a statement of another's read about it
 * (`callerCte`, with `callerValues`): token introspection, router/clients/introspection.ts.
 */
export function factsStand(facts: CallerFacts | undefined, principal: Principal): boolean {
  return refusal(facts, principal) === undefined;
}

/** The check folded into one statement: its parameters, and what settles the check from the answer. */
export interface Fold {
  /** To append to the statement's own parameters, numbered as `callerCte(first)` was. */
  readonly values: unknown[];
  /**
   * The answer of the statement that carries the check: the check is settled from its first row,
   * and a refusal throws its 401 before the caller looks at anything else of it.
   */
  settle<T extends CallerFacts>(answer: Promise<T[]>): Promise<T[]>;
}

/** One call's session check when its read may carry it: the gate its statements wait for. */
export class SessionCheck implements StatementGate {
  private state: 'open' | 'folded' | 'checking' | 'passed' | 'refused';
  private verdict: Promise<void> | undefined;

  constructor(
    private readonly db: RequestDatabase,
    private readonly principal: Principal,
  ) {
    // principals made in-process carry no token to revoke
    this.state = principal.tokenId === undefined ? 'passed' : 'open';
  }

  get closed(): boolean {
    return this.state !== 'passed';
  }

  passed(): Promise<void> {
    if (this.state === 'passed') return Promise.resolve();
    if (this.state === 'open') {
      this.state = 'checking';
      this.verdict = assertSessionValid(this.db, this.principal).then(
        () => void (this.state = 'passed'),
        (error: unknown) => {
          this.state = 'refused';
          throw error;
        },
      );
    }
    return this.verdict!;
  }

  /** The check to fold into the next statement; none when it has been made or is being made. */
  fold(): Fold | undefined {
    if (this.state !== 'open') return undefined;
    this.state = 'folded';
    let settled!: (outcome: Promise<void>) => void;
    this.verdict = new Promise<void>((resolve) => (settled = resolve));
    // nothing may be waiting; a refusal is thrown to the folding read itself
    this.verdict.catch(() => undefined);
    return {
      values: callerValues(this.principal),
      settle: async <T extends CallerFacts>(answer: Promise<T[]>): Promise<T[]> => {
        let rows: T[];
        try {
          rows = await answer;
        } catch (error) {
          // the statement failed, not the check: whoever waits makes it separately
          this.state = 'open';
          settled(this.passed());
          throw error;
        }
        const refused = refusal(rows[0], this.principal);
        this.state = refused ? 'refused' : 'passed';
        settled(refused ? Promise.reject(refused) : Promise.resolve());
        if (refused) throw refused;
        return rows;
      },
    };
  }
}
