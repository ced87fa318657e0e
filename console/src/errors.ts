// What the person reads when a call fails. Every failure becomes a sentence: the service's own
// message where it speaks to people (validation, conflicts, limits), a plain explanation where
// it does not (unreachable, unavailable, internal). A validation message names its fields as
// `email.email: must be …; age: must be …`; those are split out to stand next to their fields.
import { TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../../client';

type ClientError = TRPCClientError<AppRouter>;

function asClientError(error: unknown): ClientError | undefined {
  return error instanceof TRPCClientError ? (error as ClientError) : undefined;
}

export function errorCode(error: unknown): string | undefined {
  return asClientError(error)?.data?.code;
}

export function isUnauthorized(error: unknown): boolean {
  return errorCode(error) === 'UNAUTHORIZED';
}

/** The service refused a write because the user changed since the version it names was read. */
export function isStale(error: unknown): boolean {
  return errorCode(error) === 'PRECONDITION_FAILED';
}

export function isNotFound(error: unknown): boolean {
  return errorCode(error) === 'NOT_FOUND';
}

/**
 * The service refused the call until the person signs in again (RFC 9470 step-up: a change of how
 * they sign in with a sign-in older than `maxAgeSeconds`); the token itself still stands.
 */
export function reauthenticationAsked(error: unknown): { maxAgeSeconds: number } | undefined {
  const client = asClientError(error);
  return client?.data?.code === 'UNAUTHORIZED' ? client.data.reauthenticate : undefined;
}

/** The service's `Retry-After`, in seconds, when it sent one. */
export function retryAfterSeconds(error: unknown): number | undefined {
  const response = asClientError(error)?.meta?.response;
  const header = response instanceof Response ? response.headers.get('Retry-After') : null;
  const seconds = header === null ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds) : undefined;
}

/** One readable sentence for any failure. */
export function describeError(error: unknown): string {
  const clientError = asClientError(error);
  if (!clientError) return `Something went wrong in the console: ${String(error)}`;
  const code = clientError.data?.code;
  const message = clientError.message;
  switch (code) {
    case undefined:
      // no tRPC answer at all: the request never reached the service, or the answer was not tRPC's
      return 'The service cannot be reached. Check your connection and try again.';
    case 'TOO_MANY_REQUESTS': {
      const seconds = retryAfterSeconds(error);
      const wait = seconds === undefined ? 'Wait a while' : `Wait ${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
      return `Too many attempts: ${wait} before trying again. (${message})`;
    }
    case 'SERVICE_UNAVAILABLE':
      return `The service is unavailable right now (${message}). Try again in a moment.`;
    case 'INTERNAL_SERVER_ERROR':
      return 'The service failed to answer this request. Try again; if it keeps failing, tell its operators.';
    default:
      // the service's own words: "invalid email or password", "user not found", "a user with
      // this email address already exists", "admin role required", …
      return sentence(message);
  }
}

/**
 * The per-field part of a validation failure, by field path (`email.email`), and what is left
 * over (messages that name no field, or a field the form does not show).
 */
export function fieldProblems(
  error: unknown,
  known: readonly string[],
): { fields: Record<string, string>; rest: string[] } {
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  if (errorCode(error) !== 'BAD_REQUEST') return { fields, rest };
  for (const part of (error as ClientError).message.split('; ')) {
    const match = /^([\w.]+): (.+)$/s.exec(part);
    const [path, text] = match ? [match[1]!, match[2]!] : ['', part];
    if (known.includes(path)) fields[path] = fields[path] ? `${fields[path]}; ${text}` : text;
    else rest.push(part);
  }
  return { fields, rest };
}

function sentence(text: string): string {
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}
