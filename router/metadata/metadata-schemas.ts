// The Zod schemas of a user's metadata: what a product keeps about a user beside the published
// fields (a plan, a CRM id, the user's own settings), in three parts by who may see and change
// them, as Clerk, Auth0, Supabase and Kratos keep theirs:
// - `app`: admins change it, the user reads it (a plan, what the user is entitled to);
// - `user`: the user changes it too (its own preferences); never trust it for a decision;
// - `admin`: admins alone see it (a CRM id, a note); absent from every answer to the user.
// Each part is a JSON object of at most METADATA_MAX_BYTES, its top-level keys named like
// identifiers (they name the changes in events: `app.plan`), its values any JSON nested at most
// METADATA_MAX_DEPTH deep. Not part of the published Users shapes: read and written at their own
// routes, under the `Metadata` tag.
import { z } from 'zod';
import { METADATA_KEY_PATTERN } from '../../entities/metadata-key';
import { trpcOnly } from '../trpc/common-schemas';

export const METADATA_PARTS = ['app', 'user', 'admin'] as const;
export type MetadataPart = (typeof METADATA_PARTS)[number];
/** The column of user_metadata that holds each part (the store writes them, the list's filter reads them). */
export const METADATA_COLUMNS: Record<MetadataPart, string> = {
  app: 'app_data',
  user: 'user_data',
  admin: 'admin_data',
};

/** The largest part, as UTF-8 JSON (Clerk allows 8 KB for all of a user's metadata). */
export const METADATA_MAX_BYTES = 8192;
/** How deep a part's values may nest (the part itself is depth 1). */
export const METADATA_MAX_DEPTH = 10;
const KEY_RULE = 'each key must start with a letter or _ and hold only letters, digits, _ and - (at most 64)';

const key = z.string().regex(METADATA_KEY_PATTERN, KEY_RULE);
// a record names a bad key and a value that is no object in words a caller reads ('must be a record' is Zod's)
const keyError = (issue: { code?: string; input?: unknown }) =>
  issue.code === 'invalid_key'
    ? KEY_RULE
    : issue.code === 'invalid_type' && issue.input !== undefined
      ? 'must be a JSON object (such as {"plan": "pro"})'
      : undefined;
const value = z.unknown().meta({ description: 'Any JSON value' });

const PART_DESCRIPTIONS: Record<MetadataPart, string> = {
  app: 'Set by admins, read by the user too (a plan, what the user is entitled to)',
  user: 'Set by the user or an admin (the user’s own preferences): never trust it for a decision',
  admin: 'Seen and set by admins alone (a CRM id, a note): never in an answer to the user',
};

/** A part as stored and shown: an object of named JSON values. */
const part = (which: MetadataPart) =>
  z.record(key, value, { error: keyError }).meta({ description: PART_DESCRIPTIONS[which] });

/** A part in a merge patch: a key set to null is removed, objects merge into objects (RFC 7396). */
const patchPart = (which: MetadataPart) =>
  z
    .record(key, value, { error: keyError })
    .nullable()
    .meta({ description: `${PART_DESCRIPTIONS[which]}. Merged: a key set to null is removed; null empties the part` });

const userId = (verb: string) => z.string().meta({ description: `The id of the user to ${verb}` });

const MetadataVersionSchema = z
  .string()
  .regex(/^\d{1,19}$/, 'must be a version as a metadata read returns it')
  .meta({ description: 'The version the metadata was read at; a write with another is refused' });
/** The version a typed client expects (REST sends it as If-Match). */
const expectedVersion = trpcOnly(MetadataVersionSchema).optional();

export const UserMetadataSchema = z
  .object({
    version: z.string().meta({ description: 'The version of the metadata, also its ETag; "0": never written' }),
    app: part('app'),
    user: part('user'),
    admin: part('admin')
      .optional()
      .meta({ description: `${PART_DESCRIPTIONS.admin} (present for admins only)` }),
  })
  .meta({ id: 'UserMetadata' });

export const MetadataReplaceSchema = z
  .object({ app: part('app').optional(), user: part('user').optional(), admin: part('admin').optional() })
  .meta({
    id: 'MetadataReplace',
    description: 'The parts to replace, each as a whole; a part left out stays as it is',
    unusedIO: 'input',
  });

export const MetadataMergePatchSchema = z
  .object({
    app: patchPart('app').optional(),
    user: patchPart('user').optional(),
    admin: patchPart('admin').optional(),
  })
  .meta({
    id: 'MetadataMergePatch',
    description: 'What to change (application/merge-patch+json, RFC 7396); the rest stays',
    unusedIO: 'input',
  });

export const ReadMetadataInput = z.object({ id: userId('read the metadata of') });
export const ReplaceMetadataInput = MetadataReplaceSchema.extend({
  id: userId('replace metadata of'),
  expectedVersion,
});
export const PatchMetadataInput = MetadataMergePatchSchema.extend({
  id: userId('change metadata of'),
  expectedVersion,
});

// with the u flag a surrogate matches only when it is not half of a pair
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * What is wrong with a part's values for PostgreSQL's jsonb and the part's rules, or undefined:
 * nested deeper than METADATA_MAX_DEPTH (walked without recursion, so no input can exhaust the
 * stack), or text that is not well-formed UTF-16 (a lone surrogate has no UTF-8 form, and jsonb
 * would refuse it with an error that is no caller's to read). `at` names the part in the message.
 */
export function valueProblem(at: string, part: unknown): string | undefined {
  const pending: Array<{ value: unknown; depth: number; path: string }> = [{ value: part, depth: 1, path: at }];
  while (pending.length > 0) {
    const { value, depth, path } = pending.pop()!;
    if (typeof value === 'string' && LONE_SURROGATE.test(value)) {
      return `${path}: must be valid Unicode text (it holds a lone surrogate)`;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > METADATA_MAX_DEPTH) return `${at}: must nest at most ${METADATA_MAX_DEPTH} levels deep`;
    for (const [key, inner] of Object.entries(value)) {
      if (LONE_SURROGATE.test(key)) return `${path}: a key must be valid Unicode text (it holds a lone surrogate)`;
      pending.push({ value: inner, depth: depth + 1, path: `${path}.${key}` });
    }
  }
  return undefined;
}

/** The longest `metadata` filter, as JSON. */
export const METADATA_FILTER_MAX_LENGTH = 2048;
const FILTER_EXAMPLE = '{"app":{"plan":"pro"}}';
const filterObject = z
  .strictObject(
    { app: part('app').optional(), user: part('user').optional(), admin: part('admin').optional() },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys' ? 'must name only the parts app, user and admin' : undefined,
    },
  )
  .refine((filter) => Object.keys(filter).length > 0, 'must name at least one part, such as ' + FILTER_EXAMPLE)
  .superRefine((filter, ctx) => {
    for (const [which, value] of Object.entries(filter)) {
      const problem = valueProblem(which, value);
      // the message names the place within the filter: `metadata: app.plan: …`
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
  })
  .refine(
    (filter) => JSON.stringify(filter).length <= METADATA_FILTER_MAX_LENGTH,
    `must be at most ${METADATA_FILTER_MAX_LENGTH} characters as JSON`,
  );

/**
 * The list's `metadata` filter (users.list, GET /api/v2/users): the users whose metadata contains
 * this JSON, as PostgreSQL's `@>` judges it (each key with that value, objects contained in objects,
 * arrays holding those elements). REST sends it as JSON text in the query; a typed client as an object.
 */
export function metadataFilter() {
  return z
    .preprocess<unknown, typeof filterObject, string | z.input<typeof filterObject>>((value, ctx) => {
      if (typeof value !== 'string') return value;
      if (value.length > METADATA_FILTER_MAX_LENGTH) {
        ctx.addIssue({
          code: 'custom',
          message: `must be at most ${METADATA_FILTER_MAX_LENGTH} characters`,
          input: value,
        });
        return value;
      }
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be a JSON object such as ${FILTER_EXAMPLE}`, input: value });
        return value;
      }
    }, filterObject)
    .meta({
      description: `Only users whose metadata contains this JSON, e.g. ${FILTER_EXAMPLE} (each key with that value; an array holding those elements). Admins only, like the list`,
      // REST carries it as text (JSON); the document shows that, not the object it becomes
      override: ({ jsonSchema }) => {
        for (const key of Object.keys(jsonSchema))
          if (key !== 'description' && key !== 'x-since') delete jsonSchema[key];
        Object.assign(jsonSchema, { type: 'string' });
      },
    });
}
export type MetadataFilter = z.output<typeof filterObject>;

export type UserMetadata = z.infer<typeof UserMetadataSchema>;
export type MetadataObject = Record<string, unknown>;
export type ReplaceMetadataCommand = z.infer<typeof ReplaceMetadataInput>;
export type PatchMetadataCommand = z.infer<typeof PatchMetadataInput>;
