// The events as callers read them (the feed and a user's history): Zod schemas, from which the
// types and the `Events` part of the OpenAPI document are generated.
import { z } from 'zod';
import { typeError } from '../trpc/common-schemas';

export const FEED_MAX_LIMIT = 1000;
export const FEED_DEFAULT_LIMIT = 100;

const change = z
  .object({ before: z.unknown(), after: z.unknown() })
  .meta({ id: 'FieldChange', description: 'A field before and after the change' });

export const EventSchema = z
  .object({
    id: z.int().min(1).meta({ description: 'Orders events; resume the feed after the last one handled' }),
    type: z.string().meta({ description: 'What happened: `user.created`, `auth.signed_in`, …' }),
    time: z.string().meta({ description: 'When, ISO 8601 in UTC (e.g. 2026-12-21T10:00:00.000Z)' }),
    actor: z.string().meta({
      description:
        "Who did it: a user's id, an operator token's subject, `cli`, `anonymous` (a refused sign-in), or `service` (the service itself)",
    }),
    userId: z.string().nullable().meta({ description: 'The user it was done to' }),
    requestId: z.string().nullable().meta({ description: 'The X-Request-Id of the request that did it' }),
    clientAddress: z.string().nullable().meta({ description: 'Where the request came from' }),
    data: z.record(z.string(), z.unknown()).meta({
      description:
        'The details: `fields` and `changes` of an update, `method` of a sign-in, `reason` of a refusal. Never a secret',
    }),
    changes: z
      .record(z.string(), change)
      .optional()
      .meta({ description: "An update's changed fields with their values before and after" }),
  })
  .meta({ id: 'Event' });

export const EventListSchema = z
  .object({
    items: z.array(EventSchema).meta({ description: 'The events, oldest first unless `order=newest` was asked' }),
  })
  .meta({ id: 'EventList' });

/** A count or id in a query string (REST) or a number (tRPC); only decimal digits become a number. */
function queryInt(description: string, min: number, max: number, fallback: number) {
  const int = z
    .int({ error: typeError(`must be an integer from ${min} to ${max}`) })
    .min(min, `must be an integer from ${min} to ${max}`)
    .max(max, `must be an integer from ${min} to ${max}`);
  return z
    .preprocess<unknown, typeof int, number>(
      (value) => (typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value),
      int,
    )
    .default(fallback)
    .meta({
      description,
      override: ({ jsonSchema }) => Object.assign(jsonSchema, { type: 'integer', default: fallback }),
    });
}

const after = queryInt('Events after this id (0: from the oldest kept)', 0, Number.MAX_SAFE_INTEGER, 0);
const before = queryInt(
  'Events before this id (0: up to the newest); with `order=newest`, where the next page resumes',
  0,
  Number.MAX_SAFE_INTEGER,
  0,
);
const limit = queryInt(`At most this many events (1 to ${FEED_MAX_LIMIT})`, 1, FEED_MAX_LIMIT, FEED_DEFAULT_LIMIT);

const TYPES_FORMAT = 'must be event types in one parameter, separated by commas, e.g. user.created,user.deleted';

/** Which way a page reads: the same for the feed and a user's history. */
const order = z
  .enum(['oldest', 'newest'], { error: typeError('must be oldest or newest') })
  .default('oldest')
  .meta({ description: 'oldest first (resume with `after`) or newest first (resume with `before`)' });

export const FeedInput = z.object({
  after,
  before,
  order,
  limit,
  // one parameter with commas; a repeated ?type= arrives as an array, and is told the same
  type: z
    .string({ error: typeError(TYPES_FORMAT) })
    .regex(/^[a-z_]+\.[a-z_]+(,[a-z_]+\.[a-z_]+)*$/, TYPES_FORMAT)
    .optional()
    .meta({ description: 'Only events of these types (comma-separated)' }),
  userId: z.string().min(1).max(64).optional().meta({ description: 'Only events about this user' }),
});

export const UserEventsInput = z.object({
  id: z.string().meta({ description: 'The id of the user whose history to read' }),
  after,
  before,
  order,
  limit,
});

export type FeedQueryInput = z.infer<typeof FeedInput>;
export type UserEventsQuery = z.infer<typeof UserEventsInput>;
export type EventList = z.infer<typeof EventListSchema>;
