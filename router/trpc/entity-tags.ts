// Entity tags as HTTP writes them (RFC 9110 §8.8.3): `"opaque"`, weak `W/"opaque"`, and the
// `If-Match` / `If-None-Match` fields that carry `*` or a comma-separated list of them. Shared by the
// procedures (If-Match on a write) and the REST transport (If-None-Match on a read, answered 304).
import { TRPCError } from '@trpc/server';

/** `*` (any current representation) or a list of entity tags. */
export type EntityTagCondition = { any: true } | { any: false; tags: Array<{ weak: boolean; opaque: string }> };

// etagc = "!" / %x23-7E / obs-text (no DQUOTE, no control characters, no space)
const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7E\x80-\xFF]*)"$/;

/** The strong entity tag of `opaque`, as an `ETag` field value. */
export function strongTag(opaque: string): string {
  return `"${opaque}"`;
}

/**
 * Parses an If-Match or If-None-Match field. A malformed one is a 400 naming the header: ignoring
 * it would turn a conditional write into an unconditional one.
 */
export function parseCondition(header: string, value: string): EntityTagCondition {
  const trimmed = value.trim();
  if (trimmed === '*') return { any: true };
  const tags = splitList(trimmed).map((item) => {
    const match = ENTITY_TAG.exec(item);
    if (!match) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: `${header}: must be "*" or a comma-separated list of entity tags, each in double quotes as the ETag header gives them`,
      });
    }
    return { weak: match[1] !== undefined, opaque: match[2]! };
  });
  return { any: false, tags };
}

/** If-Match: strong comparison, so a weak tag never matches (RFC 9110 §13.1.1). */
export function matchesStrongly(condition: EntityTagCondition, opaque: string): boolean {
  return condition.any || condition.tags.some((tag) => !tag.weak && tag.opaque === opaque);
}

/** If-None-Match: weak comparison, so `W/"x"` matches `"x"` (RFC 9110 §13.1.2). */
export function matchesWeakly(condition: EntityTagCondition, opaque: string): boolean {
  return condition.any || condition.tags.some((tag) => tag.opaque === opaque);
}

/**
 * Refuses a write with 412 (PRECONDITION_FAILED) unless what it changes (`subject`: "the user", "the
 * metadata") is still at `current`: the version REST's If-Match names, or a typed client's
 * `expectedVersion`. Nothing expected: the write is unconditional.
 */
export function assertCurrent(
  subject: string,
  expected: { ifMatch?: EntityTagCondition; expectedVersion?: string },
  current: string,
): void {
  const stale = (by: string) =>
    new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: `${by}: ${subject} has changed since that version was read; read it again`,
    });
  if (expected.ifMatch && !matchesStrongly(expected.ifMatch, current)) throw stale('If-Match');
  if (expected.expectedVersion !== undefined && expected.expectedVersion !== current) throw stale('expectedVersion');
}

/** The opaque part of an `ETag` field value this service wrote, or undefined. */
export function opaqueOf(etag: string | undefined): string | undefined {
  const match = etag === undefined ? null : ENTITY_TAG.exec(etag);
  return match && !match[1] ? match[2] : undefined;
}

// A comma-separated list where commas inside quotes belong to the tag.
function splitList(value: string): string[] {
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of value) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      items.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  items.push(current.trim());
  // empty list elements are allowed and ignored (RFC 9110 §5.6.1)
  const present = items.filter((item) => item !== '');
  return present.length > 0 ? present : [''];
}
