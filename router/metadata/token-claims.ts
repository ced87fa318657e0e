// What of a user's metadata its access tokens carry: the keys of its `app` part named by
// TOKEN_APP_METADATA, as the claim `app_metadata` (Supabase's claim of that name, Clerk's
// customised session token, Auth0's custom claims, Keycloak's attribute mappers), so a product's
// backend that verifies tokens on its own (the JWKS, README) reads a plan or a tenant without a
// call. Only `app`: admins set it and the user reads it anyway, so a token (readable by whoever
// holds it) shows nothing new; `user` is the user's own to set and `admin` is hidden from it.
// A token holds what the metadata was when it was issued: a change reaches the next token (a
// refresh, within TOKEN_TTL_SECONDS). The keys a token carries are kept small (a token travels
// with every request, and proxies cap headers at about 8 KB): a write that would make them larger
// than TOKEN_METADATA_MAX_BYTES is refused.
import type { EntityManager } from '@mikro-orm/postgresql';
import { badRequest } from '../trpc/api-errors';
import type { MetadataObject } from './metadata-schemas';
import { appDataSql, readAppMetadata } from './metadata-store';

/**
 * The `app` part of the user whose id `userIdSql` names, as a column of a statement that issues a
 * token anyway (a refresh's): the read costs no round trip of its own.
 */
export const tokenMetadataColumn = appDataSql;

/** The most the carried keys may hold, as UTF-8 JSON. */
export const TOKEN_METADATA_MAX_BYTES = 1024;

/** The carried keys of an `app` part that holds them (none set: `{}`): the claim's value. */
export function tokenMetadataOf(app: MetadataObject | null, keys: readonly string[]): MetadataObject {
  if (app === null) return {};
  return Object.fromEntries(keys.filter((key) => Object.hasOwn(app, key)).map((key) => [key, app[key]]));
}

/**
 * The claim `app_metadata` of the user's next access token, read from the database; undefined when
 * tokens carry no metadata (no read then).
 */
export async function readTokenMetadata(
  em: EntityManager,
  userId: string,
  keys: readonly string[],
): Promise<MetadataObject | undefined> {
  if (keys.length === 0) return undefined;
  return tokenMetadataOf(await readAppMetadata(em, userId), keys);
}

/** Refuses (400) an `app` part whose carried keys would be larger than a token should carry. */
export function checkTokenMetadataSize(path: string, app: MetadataObject, keys: readonly string[]): void {
  if (keys.length === 0) return;
  const carried = tokenMetadataOf(app, keys);
  const bytes = Buffer.byteLength(JSON.stringify(carried));
  if (bytes > TOKEN_METADATA_MAX_BYTES) {
    throw badRequest(
      `${path}: ${Object.keys(carried).join(', ')} go into access tokens (TOKEN_APP_METADATA) and may hold at ` +
        `most ${TOKEN_METADATA_MAX_BYTES} bytes as JSON there; this would be ${bytes}`,
    );
  }
}
