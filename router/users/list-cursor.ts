// List cursors: where the next page starts (the last user's sort key and id), bound to the list's
// order and filters and to when it was made, sealed with AES-256-GCM under the service's key
// (server/crypto/secret-box.ts). Opaque to clients, who may not read the names or addresses of the
// key in it, and tamper-evident: a changed, foreign (another sort or other filters), expired or
// malformed cursor is a 400 that says so. Several instances with one TOTP_KEY read each other's.
import { badRequest } from '../trpc/api-errors';
import type { Clock } from '../trpc/clock';
import { fingerprint, type ListFilters, type ListOrder, type ListPosition } from './list-query';
import type { UserListCursor } from './user-schemas';

/** What cursors need of the service's key. */
export interface CursorSeal {
  sealCursor(plaintext: string, context: string): string;
  openCursor(sealed: string, context: string): string;
}

export interface CursorContext {
  secrets: CursorSeal;
  clock: Clock;
  listCursorTtlSeconds: number;
}

// the associated data: a box sealed for any other use does not open as a cursor
const CONTEXT = 'users.list cursor v1';

interface Payload {
  /** the fingerprint of the order and filters */
  f: string;
  k: string | number;
  i: string;
  /** made at, unix seconds */
  t: number;
}

export function makeCursor(
  ctx: CursorContext,
  order: ListOrder,
  filters: ListFilters,
  position: ListPosition,
): UserListCursor {
  const payload: Payload = {
    f: fingerprint(order, filters),
    k: position.key,
    i: position.id,
    t: Math.floor(ctx.clock.now() / 1000),
  };
  return ctx.secrets.sealCursor(JSON.stringify(payload), CONTEXT) as UserListCursor;
}

/** The position a cursor stands for, if it was made by this service, for this list, not too long ago. */
export function readCursor(ctx: CursorContext, cursor: string, order: ListOrder, filters: ListFilters): ListPosition {
  const payload = open(ctx, cursor);
  if (payload.f !== fingerprint(order, filters)) {
    throw badRequest(
      'cursor: belongs to a list with another sort or other filters; send it with the parameters of the Link it came from',
    );
  }
  const age = Math.floor(ctx.clock.now() / 1000) - payload.t;
  if (age > ctx.listCursorTtlSeconds) {
    throw badRequest(
      `cursor: has expired (a cursor lasts ${ctx.listCursorTtlSeconds} seconds); read the list again from the start`,
    );
  }
  return { key: payload.k, id: payload.i };
}

function open(ctx: CursorContext, cursor: string): Payload {
  let plaintext: string;
  try {
    plaintext = ctx.secrets.openCursor(cursor, CONTEXT);
  } catch {
    throw badRequest('cursor: is not a cursor of this service; use the one in the Link header (rel="next") of a page');
  }
  // sealed by this service, so well-formed; checked all the same
  const payload = JSON.parse(plaintext) as Partial<Payload>;
  if (
    typeof payload.f !== 'string' ||
    (typeof payload.k !== 'string' && typeof payload.k !== 'number') ||
    typeof payload.i !== 'string' ||
    typeof payload.t !== 'number'
  ) {
    throw badRequest('cursor: is not a cursor of this service; use the one in the Link header (rel="next") of a page');
  }
  return payload as Payload;
}
