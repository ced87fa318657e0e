// What the metadata procedures do. Who may do what: an admin reads and changes every part of
// anyone's metadata; a user reads its own `app` and `user` parts and changes its own `user` part
// (another user's metadata looks absent, 404, as the users domain answers; a part it may not
// change is a 403 naming the part, and nothing is written). A write is merged and checked under
// the row's lock (./metadata-store.ts) against the metadata as it is at that moment, so two
// writers never lose each other's keys, and a write that would leave a part too large is refused
// whole. Each write that changes something records `user.metadata_updated` in its transaction,
// with each changed top-level key's value before and after (`app.plan`): the metadata holds what
// a product keeps about a user, never a credential.
import { isDeepStrictEqual } from 'node:util';
import { TRPCError } from '@trpc/server';
import { badRequest, notFound } from '../trpc/api-errors';
import { assertCurrent, parseCondition, strongTag } from '../trpc/entity-tags';
import { fieldChanges } from '../events/field-changes';
import { authorizeUserAccess } from '../users/user-access';
import { writeTransaction, type WriteContext, type WriteEvent } from '../users/user-writes';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../server/crypto/token-service';
import {
  METADATA_MAX_BYTES,
  METADATA_PARTS,
  type MetadataObject,
  type MetadataPart,
  type PatchMetadataCommand,
  type ReplaceMetadataCommand,
  type UserMetadata,
  valueProblem,
} from './metadata-schemas';
import { lockMetadata, readMetadata, writeMetadata, type StoredMetadata } from './metadata-store';
import { checkTokenMetadataSize } from './token-claims';

/** What these procedures need of a call's context. */
export interface MetadataContext extends WriteContext {
  principal: Principal;
  /** The `app` keys access tokens carry (TOKEN_APP_METADATA), held small by every write. */
  tokenAppMetadata: readonly string[];
  requestHeaders: { ifMatch?: string };
  responseHeaders: Record<string, string | string[]>;
}

export async function getMetadata(ctx: MetadataContext, id: string): Promise<UserMetadata> {
  authorizeUserAccess(ctx, id);
  // from the primary: a caller that just wrote reads what it wrote
  const found = await readMetadata(ctx.db.em, id, isAdmin(ctx));
  if (!found) throw notFound();
  return answer(ctx, found);
}

/** Replaces each part sent, as a whole; the parts not sent stay. */
export function replaceMetadata(ctx: MetadataContext, command: ReplaceMetadataCommand): Promise<UserMetadata> {
  const { id, expectedVersion, ...parts } = command;
  return changeMetadata(ctx, id, expectedVersion, parts, (_current, sent) => sent);
}

/** Merges a JSON merge patch (RFC 7396) into the parts it names. */
export function patchMetadata(ctx: MetadataContext, command: PatchMetadataCommand): Promise<UserMetadata> {
  const { id, expectedVersion, ...parts } = command;
  return changeMetadata(ctx, id, expectedVersion, parts, (current, patch) =>
    patch === null ? {} : (mergePatch(current, patch) as MetadataObject),
  );
}

async function changeMetadata<T>(
  ctx: MetadataContext,
  id: string,
  expectedVersion: string | undefined,
  sent: Partial<Record<MetadataPart, T | undefined>>,
  apply: (current: MetadataObject, sent: T) => MetadataObject,
): Promise<UserMetadata> {
  authorizeUserAccess(ctx, id);
  const named = METADATA_PARTS.filter((which) => sent[which] !== undefined);
  const refused = named.filter((which) => which !== 'user' && !isAdmin(ctx));
  if (refused.length > 0) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: refused.map((which) => `${which}: only an admin may change it`).join('; '),
    });
  }
  for (const which of named) checkValues(which, sent[which]);
  const ifMatch =
    ctx.requestHeaders.ifMatch === undefined ? undefined : parseCondition('If-Match', ctx.requestHeaders.ifMatch);
  const stored = await writeTransaction(ctx, async (tx, record) => {
    const current = await lockMetadata(tx, id);
    if (!current) throw notFound();
    assertCurrent('the metadata', { ifMatch, expectedVersion }, current.version);
    const next: Partial<Record<MetadataPart, MetadataObject>> = {};
    for (const which of named) next[which] = apply(current[which], sent[which] as T);
    for (const which of named) checkSize(which, next[which]!);
    if (next.app) checkTokenMetadataSize('app', next.app, ctx.tokenAppMetadata);
    const after = { ...current, ...next };
    if (named.every((which) => isDeepStrictEqual(current[which], after[which]))) return current;
    const { fields, changes } = fieldChanges(...flattenBoth(current, after, named));
    const version = await writeMetadata(tx, id, next);
    record({ type: 'user.metadata_updated', userId: id, data: { fields, changes } });
    return { ...current, ...next, version };
  });
  return answer(ctx, stored);
}

/** The parts an account may start with (router/invitations): those only an admin sets. */
export type PresetMetadata = Partial<Record<'app' | 'admin', MetadataObject>>;

/**
 * Refuses (400) preset parts that a write of them would refuse: a value of no JSON, too large a
 * part, more than a token carries in the keys it carries (`tokenKeys`, TOKEN_APP_METADATA).
 */
export function checkPresetMetadata(parts: PresetMetadata, path: string, tokenKeys: readonly string[]): void {
  for (const which of ['app', 'admin'] as const) {
    const part = parts[which];
    if (part === undefined) continue;
    const problem = valueProblem(`${path}.${which}`, part);
    if (problem) throw badRequest(problem);
    checkSize(which, part);
  }
  if (parts.app) checkTokenMetadataSize(`${path}.app`, parts.app, tokenKeys);
}

/**
 * Writes the metadata a new account starts with, in the transaction that made the user (after its
 * row is written); its `user.metadata_updated`, or null when there is nothing to write.
 */
export async function presetMetadata(
  tx: EntityManager,
  userId: string,
  parts: PresetMetadata,
): Promise<WriteEvent | null> {
  const named = (['app', 'admin'] as const).filter((which) => Object.keys(parts[which] ?? {}).length > 0);
  if (named.length === 0) return null;
  const current = await lockMetadata(tx, userId);
  if (!current) throw notFound();
  const next = Object.fromEntries(named.map((which) => [which, parts[which]!]));
  await writeMetadata(tx, userId, next);
  const { fields, changes } = fieldChanges(...flattenBoth(current, { ...current, ...next }, named));
  return { type: 'user.metadata_updated', userId, data: { fields, changes } };
}

/** What the caller is shown: the admin part to admins only; the version as the ETag too. */
function answer(ctx: MetadataContext, stored: StoredMetadata): UserMetadata {
  ctx.responseHeaders.ETag = strongTag(stored.version);
  const { version, app, user, admin } = stored;
  return { version, app, user, ...(isAdmin(ctx) ? { admin: admin ?? {} } : {}) };
}

function isAdmin(ctx: { principal: Principal }): boolean {
  return ctx.principal.role === 'admin';
}

type Parts = Record<MetadataPart, MetadataObject>;

/**
 * The top-level keys of the parts `which`, before and after, each named after its part
 * (`app.plan`), with their values: what an event says changed. A key on one side only is null on
 * the other.
 */
function flattenBoth(
  before: Parts,
  after: Parts,
  which: readonly MetadataPart[],
): [Record<string, unknown>, Record<string, unknown>] {
  const flat = (parts: Parts) => {
    const values: Record<string, unknown> = {};
    for (const part of which) for (const [key, value] of Object.entries(parts[part])) values[`${part}.${key}`] = value;
    return values;
  };
  const [was, is] = [flat(before), flat(after)];
  for (const key of Object.keys(was)) if (!(key in is)) is[key] = null;
  for (const key of Object.keys(is)) if (!(key in was)) was[key] = null;
  return [was, is];
}

/** RFC 7396 §2: objects merge key by key, null removes a key, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkValues(which: MetadataPart, part: unknown): void {
  const problem = valueProblem(which, part);
  if (problem) throw badRequest(problem);
}

function checkSize(which: MetadataPart, part: MetadataObject): void {
  const bytes = Buffer.byteLength(JSON.stringify(part));
  if (bytes > METADATA_MAX_BYTES) {
    throw badRequest(`${which}: must be at most ${METADATA_MAX_BYTES} bytes as JSON (it would be ${bytes})`);
  }
}
