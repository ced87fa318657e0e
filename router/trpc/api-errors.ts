// Errors in one place: how database failures become API errors, and what an error says to
// the caller. Client errors explain themselves; server errors say nothing about internals.
import {
  ConnectionException,
  DriverException,
  NotFoundError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { HashAbandoned, HashQueueFull } from '../../server/crypto/password-hasher';

/** What a duplicate of each unique constraint means to the caller. */
const UNIQUE_CONSTRAINTS: Record<string, string> = {
  users_pkey: 'a user with this id already exists',
  // one account per address key (entities/email-key.ts): the same address up to the case of A–Z
  emails_address_key_unique: 'a user with this email address already exists',
};

export function notFound(cause?: unknown): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: 'user not found', cause });
}

/** The call ran past the request timeout: the deadline cut it, or PostgreSQL cancelled it. */
export function timedOut(cause?: unknown): TRPCError {
  return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'request timed out', cause });
}

/** The caller is not (or no longer) signed in. */
export function unauthorized(message: string): TRPCError {
  return new TRPCError({ code: 'UNAUTHORIZED', message });
}

/**
 * Why a signed-in caller is refused until it signs in again (RFC 9470 step-up): its sign-in is
 * older than the call allows. It rides as the cause of an UNAUTHORIZED error, so each transport can
 * say it its own way: REST as `WWW-Authenticate: Bearer error="insufficient_user_authentication"`
 * with `max_age`, tRPC as `data.reauthenticate` beside the message.
 */
export class ReauthenticationRequired extends Error {
  override name = 'ReauthenticationRequired';
  constructor(readonly maxAgeSeconds: number) {
    super(`a sign-in within the last ${maxAgeSeconds} seconds is required`);
  }
}

export function reauthenticationRequired(message: string, maxAgeSeconds: number): TRPCError {
  return new TRPCError({ code: 'UNAUTHORIZED', message, cause: new ReauthenticationRequired(maxAgeSeconds) });
}

/** The step-up an error asks for, if it asks for one. */
export function reauthenticationOf(error: TRPCError): ReauthenticationRequired | undefined {
  return error.cause instanceof ReauthenticationRequired ? error.cause : undefined;
}

export function badRequest(message: string): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message });
}

/** A write would duplicate what `constraint` keeps unique: the 409 the database would cause. */
export function duplicate(constraint: string, cause?: unknown): TRPCError {
  return new TRPCError({
    code: 'CONFLICT',
    message: uniqueMessage(constraint),
    cause,
  });
}

/** 409 for several values a write would duplicate, each named by its place (`users.2.id: a user with this id …`). */
export function duplicatesAt(taken: Array<{ path: string; constraint: string }>): TRPCError {
  return new TRPCError({
    code: 'CONFLICT',
    message: taken.map(({ path, constraint }) => `${path}: ${uniqueMessage(constraint)}`).join('; '),
  });
}

function uniqueMessage(constraint: string): string {
  return UNIQUE_CONSTRAINTS[constraint] ?? 'the resource already exists';
}

/** Translates an ORM or driver failure into the API error it stands for, if it stands for one. */
export function fromDatabaseError(cause: unknown): TRPCError | undefined {
  if (cause instanceof UniqueConstraintViolationException) {
    return duplicate((cause as { constraint?: string }).constraint ?? '', cause);
  }
  if (cause instanceof NotFoundError) return notFound(cause);
  if (isStatementTimeout(cause)) return timedOut(cause);
  if (isDatabaseUnreachable(cause)) {
    return new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'service unavailable', cause });
  }
  return undefined;
}

/**
 * The password hasher could not take the call's hash: its queue is full (503 with Retry-After,
 * set on `headers`), or the call ended before the hash had a turn (nobody reads that answer).
 */
export function fromHashError(cause: unknown, headers: Record<string, string | string[]>): TRPCError | undefined {
  if (cause instanceof HashQueueFull) {
    headers['Retry-After'] = String(cause.retryAfterSeconds);
    return new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: `too many passwords to check right now; try again in ${cause.retryAfterSeconds} s`,
      cause,
    });
  }
  if (cause instanceof HashAbandoned) {
    return new TRPCError({ code: 'CLIENT_CLOSED_REQUEST', message: 'the request ended before it was answered', cause });
  }
  return undefined;
}

/** Failures that say nothing about the request, only that PostgreSQL cannot be reached now. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
]);

function isDatabaseUnreachable(error: unknown): boolean {
  if (error instanceof ConnectionException) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) return true;
  // no pooled connection came in time (knex), or the server went away mid-query (pg)
  return (
    error.name === 'KnexTimeoutError' || /^Connection terminated|Timeout acquiring a connection/.test(error.message)
  );
}

/** PostgreSQL cancelled a statement that ran past the request timeout (`statement_timeout`). */
function isStatementTimeout(error: unknown): boolean {
  return error instanceof DriverException && error.code === '57014';
}

/**
 * The message a caller sees. Validation failures list each field with what is wrong with it;
 * errors the server did not intend to raise are masked.
 */
export function publicMessage(error: TRPCError): string {
  if (error.cause instanceof ZodError) return describeIssues(error.cause);
  if (error.code === 'INTERNAL_SERVER_ERROR') return 'internal server error';
  return error.message;
}

export function describeIssues(error: ZodError): string {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || 'input'}: ${issue.message}`).join('; ');
}

/**
 * What may be logged of an error. Driver errors carry the SQL with its values (a password hash,
 * an email address), so of those only the kind and the constraint are kept.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  const root = error instanceof TRPCError && error.cause ? error.cause : error;
  if (root instanceof DriverException) {
    const { code, constraint } = root as DriverException & { constraint?: string };
    return { type: root.name, code, constraint };
  }
  if (root instanceof Error) return { type: root.name, message: root.message, stack: root.stack };
  return { type: typeof root };
}
