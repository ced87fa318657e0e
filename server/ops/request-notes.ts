// What the request log and the metrics learn about a request from the handlers deep inside it:
// the route it matched and the error that failed it; and what they learn from it: its request id. Keyed by the Node request, which every
// layer (Koa, trpc-to-openapi, tRPC's adapter) has in hand.
import type { IncomingMessage } from 'node:http';

export interface RequestNotes {
  /** The route template (`/api/v2/users/{id}`), never the raw path with ids. */
  route?: string;
  /** The procedure(s) called, e.g. `users.read`; the metrics' `operation` label. */
  operation?: string;
  /** The request's id (X-Request-Id), which events recorded during it carry. */
  requestId?: string;
  /** An error the client was not meant to see, in a form safe to log. */
  error?: Record<string, unknown>;
}

// on the request itself rather than in a WeakMap: a weak entry per request costs the garbage
// collector more than a property does, and the notes go with the request either way
const NOTES = Symbol('requestNotes');
type Noted = IncomingMessage & { [NOTES]?: RequestNotes };

export function noteRequest(req: IncomingMessage, update: RequestNotes): void {
  const known = (req as Noted)[NOTES];
  if (known) Object.assign(known, update);
  else (req as Noted)[NOTES] = { ...update };
}

export function requestNotes(req: IncomingMessage): RequestNotes {
  return (req as Noted)[NOTES] ?? {};
}
