// Schema builders shared by every domain: documented enums, integers with an OpenAPI format,
// and the error body. They exist so each field of the published contract is declared once.
import { z } from 'zod';
import { STATUS_CODES, type EnumTable } from '../../entities/enums';

/**
 * Type errors name what was expected; a missing field says it is required. Fields with their
 * own message use `typeError`, everything else falls back to this process-wide map.
 */
z.config({
  customError: (issue) =>
    issue.code === 'invalid_type' ? typeError(`must be ${withArticle(issue.expected)}`)(issue) : undefined,
});

export function typeError(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : message);
}

function withArticle(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/**
 * A numeric enum published as a named component whose members carry names and descriptions
 * (`x-ms-enum`, read by the document renderer; `x-enum-varnames`, read by client generators).
 */
export function documentedEnum<const T extends EnumTable>(id: string, description: string, table: T) {
  const members = Object.entries(table).map(([name, [value, text]]) => ({ name, value, description: text }));
  const allowed = members.map((m) => `${m.value} (${m.name})`).join(', ');
  const values = Object.fromEntries(members.map((m) => [m.name, m.value])) as { [K in keyof T]: T[K][0] };
  return z.enum(values, { error: typeError(`must be one of ${allowed}`) }).meta({
    id,
    description,
    'x-enum-varnames': members.map((m) => m.name),
    'x-ms-enum': { values: members },
  });
}

/**
 * An integer whose range is stated by its OpenAPI format (`int32`, `uint32`) rather than by
 * `minimum`/`maximum`, as the published document does; Zod still enforces the range.
 */
export function formattedInt(format: 'int32' | 'uint32', description: string) {
  const base =
    format === 'int32'
      ? z.int32({ error: typeError('must be an integer from -2147483648 to 2147483647') })
      : z.uint32({ error: typeError('must be an integer from 0 to 4294967295') });
  return base.meta({
    description,
    override: ({ jsonSchema }) => {
      delete jsonSchema.minimum;
      delete jsonSchema.maximum;
      jsonSchema.format = format;
    },
  });
}

/**
 * Marks every property of an object schema as required in the document, though the schema
 * accepts some of them missing. The published contract requires fields the server owns
 * (ids, timestamps) in request bodies; accepting them absent is a relaxation that every client
 * of the published document still satisfies, and the document stays the published one.
 */
export function requiredInDocument(except: readonly string[] = []) {
  return ({ jsonSchema }: { jsonSchema: { properties?: Record<string, unknown>; required?: string[] } }) => {
    if (!jsonSchema.properties) {
      // a property that refers to this schema (`allOf` and its own description) inherits the
      // override, and Zod leaves the object's own required list on it: it belongs to the target
      delete jsonSchema.required;
      return;
    }
    jsonSchema.required = Object.keys(jsonSchema.properties).filter((key) => !except.includes(key));
  };
}

export const StatusCodeSchema = documentedEnum('StatusCode', 'Status Code', STATUS_CODES);

/** The body of every REST error response. */
export const ErrorSchema = z
  .object({
    code: StatusCodeSchema.meta({ description: 'The error code' }),
    msg: z.string().meta({ description: 'The error message' }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorSchema>;

/**
 * The ids PostgreSQL makes (`uuid`): what an id taken from a caller must look like before it is
 * compared with a uuid column, which would refuse anything else with a 500.
 */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The versions of the published contract, oldest first; the last is what the service serves. */
export const CONTRACT_VERSIONS = ['2.0.0', '2.1.0'] as const;
export type ContractVersion = (typeof CONTRACT_VERSIONS)[number];

/**
 * Marks a field of a published operation's input as added in `version`: the document of an older
 * contract (`npm run openapi -- --contract 2.0.0`) leaves it out (server/http/openapi-document.ts).
 */
export function since<T extends z.ZodType>(version: ContractVersion, schema: T): T {
  return schema.meta({ 'x-since': version });
}

/**
 * Marks a field of a published operation's input as tRPC's alone: REST never takes it (the
 * dispatcher drops it, server/http/rest/rest-api.ts) and the document does not list it. For what REST
 * says in a header and a typed client says in the input, such as the version a write expects. Mark
 * the field itself, then make it optional: `trpcOnly(schema).optional()`.
 */
export function trpcOnly<T extends z.ZodType>(schema: T): T {
  return schema.meta({ 'x-trpc-only': true });
}

/** The keys of an object input marked with `trpcOnly`, looking through preprocessing. */
export function trpcOnlyKeys(input: unknown): string[] {
  const shape = objectShape(input);
  if (!shape) return [];
  return Object.entries(shape)
    .filter(([, field]) => {
      const inner = field instanceof z.ZodOptional ? field.unwrap() : field;
      return z.globalRegistry.get(inner)?.['x-trpc-only'] === true;
    })
    .map(([key]) => key);
}

function objectShape(schema: unknown): Record<string, z.ZodType> | undefined {
  if (schema instanceof z.ZodObject) return schema.shape;
  // z.preprocess(…, object) is a pipe whose output side is the object
  if (schema instanceof z.ZodPipe) return objectShape(schema.out);
  return undefined;
}
