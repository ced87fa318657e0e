// The OpenAPI document, generated from the router by trpc-to-openapi, then mended in one step
// (`publishedForm`) where trpc-to-openapi cannot say what the published contract says. One
// generator for every contract version: 2.1.0 (what the service serves) adds to 2.0.0 (the
// published one) parameters, headers, statuses and an operation, each marked with the version that
// added it, and the document of an older version leaves them out (`npm run openapi -- --contract
// 2.0.0`); test/openapi.contracts.test.ts checks the one is a strict superset of the other.
import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { z } from 'zod';
import { appRouter } from '../../router/app-router';
import { CONTRACT_VERSIONS, ErrorSchema, type ContractVersion } from '../../router/trpc/common-schemas';
import type { Meta } from '../../router/trpc/procedures';
import { procedureTable } from './trpc-internals';

type Json = Record<string, unknown>;
type Operation = Json & { responses: Record<string, Json>; requestBody?: Json; parameters?: Json[] };

const ERROR_RESPONSE_DESCRIPTION = 'An unexpected error response.';
const CLIENT_ERROR_DESCRIPTION = 'The request was refused; the message says why.';

/** The tag of the operations the published contract covers; everything else is a documented extra. */
const PUBLISHED_TAG = 'Users';

/** What each tag outside the published part is for (the published `Users` tag has no description). */
const TAG_DESCRIPTIONS: Record<string, string> = {
  Webhooks:
    'Signed webhooks (Standard Webhooks): endpoints that receive events, and their deliveries. Admin only. Not part of the published Users contract.',
  Auth: 'Signing in: a Bearer token for the Users operations. Not part of the published Users contract.',
  Accounts:
    "An account's state beside the published user: disabled or enabled by an admin, and an admin's reset of its authenticator. Not part of the published Users contract.",
  Metadata:
    'What a product keeps about a user beside its published fields, in three parts: `app` (admins change it, the user reads it), `user` (the user changes it too) and `admin` (admins alone). Not part of the published Users contract.',
  Sessions:
    "What a sign-in began, renewed by refresh tokens: list and end your sessions, or (admins) a user's. Not part of the published Users contract.",
  Events:
    "What happened and who did it: the event feed and a user's history. Not part of the published Users contract.",
  Clients:
    "Machine clients: a product's backend registered by an admin, which gets its own admin tokens with its id and secret (POST /api/v2/auth/client-token). Not part of the published Users contract.",
  Passkeys:
    'Passkeys (WebAuthn): a person adds them to its own account, and signs in with one, without a password or a code. Not part of the published Users contract.',
  Invitations:
    "Invitations: an admin or a machine client asks a person to make an account with an address, by a link mailed to it; the person accepts it with the link's token. Not part of the published Users contract.",
};

/** The contract the service serves: the latest. */
export const CURRENT_CONTRACT: ContractVersion = CONTRACT_VERSIONS[CONTRACT_VERSIONS.length - 1]!;

export interface DocumentOptions {
  /** Only the operations with this tag (e.g. `Users`: the part the published contract covers). */
  tag?: string;
  /** The contract version to describe: what it had, and nothing added since (default: the current one). */
  contract?: ContractVersion;
}

/** Whether something added in `added` (none: in the first version) is part of `contract`. */
function partOf(contract: ContractVersion, added: unknown): boolean {
  if (added === undefined) return true;
  return CONTRACT_VERSIONS.indexOf(added as ContractVersion) <= CONTRACT_VERSIONS.indexOf(contract);
}

export function generateDocument({ tag: only, contract = CURRENT_CONTRACT }: DocumentOptions = {}): OpenAPIObject {
  // The published 2.0.0 is the Users operations and nothing else: the operations documented beside
  // it (sign-in, accounts, sessions, events, webhooks) came with the versions after it, so its
  // projection is exactly the published document (it renders to the published Markdown).
  const tag = only ?? (contract === CONTRACT_VERSIONS[0] ? PUBLISHED_TAG : undefined);
  const generated = generateOpenApiDocument(appRouter, {
    title: 'OpenAPI',
    version: contract,
    openApiVersion: '3.0.3',
    baseUrl: '/',
    tags: [...new Set(restOperations().flatMap(({ meta }) => meta.openapi?.tags ?? []))],
    filter: ({ metadata }) =>
      (tag === undefined || (metadata.openapi.tags ?? []).includes(tag)) && partOf(contract, (metadata as Meta).since),
    securitySchemes: { BearerAuth: { type: 'http', scheme: 'Bearer' } },
    // schemas the mended document names that no generated operation refers to
    defs: Object.fromEntries(
      [
        ErrorSchema,
        ...restOperations()
          .filter(({ meta }) => partOf(contract, meta.since))
          .flatMap(({ meta }) => meta.requestBody ?? []),
      ].map((schema) => [componentId(schema), schema]),
    ),
  });
  const document = publishedForm(generated, contract);
  document.tags = document.tags
    ?.filter((entry) => tag === undefined || entry.name === tag)
    .map((entry) => (TAG_DESCRIPTIONS[entry.name] ? { ...entry, description: TAG_DESCRIPTIONS[entry.name] } : entry));
  return document;
}

/**
 * Mends what trpc-to-openapi cannot express:
 * - errors are one `default` response with the `Error` body, not a response per status;
 * - an operation that returns nothing answers 204 without content; a browser flow answers 302
 *   with a Location header, and an operation may answer 202 (`meta.rest`);
 * - a request body is the named component the procedure declares (`meta.requestBody`), which
 *   includes fields that travel in the path too (the update body's `id`);
 * - a parameter's description sits on the parameter only; query parameters with a default are
 *   listed as required (the published form: a client always may send them);
 * - components are the schemas the operations reach, in alphabetical order (zod-openapi also
 *   leaves output variants of the request-body components that nothing refers to), and there
 *   is no `servers` entry and no `additionalProperties` (the published document states neither);
 * - the documented extras (operations outside the published tag) also say what the OpenAPI
 *   linters ask for and the published operations leave out (see `documentedExtra`);
 * - input fields that are tRPC's alone are no parameters, and parameters added after `contract`
 *   are left out (`since`);
 * - from 2.1.0 on, what an operation does over HTTP besides its body (`meta.rest`): ETag and Link
 *   headers, If-Match and If-None-Match, 304 and 412 (see `conditionalForm`).
 */
function publishedForm(document: OpenAPIObject, contract: ContractVersion): OpenAPIObject {
  const doc = structuredClone(document);
  delete doc.servers;
  for (const { path, method, meta, returnsNothing } of restOperations()) {
    const operation = (doc.paths?.[path] as Record<string, Operation> | undefined)?.[method];
    if (!operation) continue;
    const success = operation.responses['200'];
    if (returnsNothing && success) {
      operation.responses = { '204': { description: success.description } };
    } else if (meta.rest?.redirect && success) {
      operation.responses = {
        '302': {
          description: success.description,
          headers: { Location: { description: 'Where the browser goes next', schema: { type: 'string' } } },
        },
      };
    } else if (meta.rest?.status && success) {
      operation.responses = { [String(meta.rest.status)]: success };
    }
    operation.responses.default = {
      description: ERROR_RESPONSE_DESCRIPTION,
      content: { 'application/json': { schema: { $ref: ref(ErrorSchema) } } },
    };
    if (meta.requestBody) {
      operation.requestBody = {
        required: true,
        content: { [meta.rest?.bodyType ?? 'application/json']: { schema: { $ref: ref(meta.requestBody) } } },
      };
    }
    operation.parameters = (operation.parameters ?? [])
      .filter(({ schema }) => !(schema as Json | undefined)?.['x-trpc-only'])
      .filter(({ schema }) => partOf(contract, (schema as Json | undefined)?.['x-since']))
      .map(publishedParameter);
    if (partOf(contract, '2.1.0')) conditionalForm(operation, meta);
    if (meta.since !== undefined) operation['x-since'] = meta.since;
    // an operation the published contract does not have: what the linters ask of it too
    if (meta.since !== undefined || !(meta.openapi?.tags ?? []).includes(PUBLISHED_TAG)) documentedExtra(operation);
  }
  const schemas = reachableSchemas(doc);
  stripAdditionalProperties(schemas);
  doc.components = { ...doc.components, schemas };
  return doc;
}

/**
 * An operation outside the published part gets what the linters (test/openapi-lint.test.ts) ask
 * of every operation and the published ones must not show: a summary (its description, unless
 * the meta gives one), its security stated even when it is none, and its client errors as a
 * `4XX` response beside the `default` one.
 */
function documentedExtra(operation: Operation): void {
  if (operation.summary === undefined && typeof operation.description === 'string') {
    operation.summary = operation.description;
  }
  operation.security ??= [];
  const { default: fallback, ...responses } = operation.responses;
  operation.responses = {
    ...responses,
    '4XX': {
      description: CLIENT_ERROR_DESCRIPTION,
      content: { 'application/json': { schema: { $ref: ref(ErrorSchema) } } },
    },
    ...(fallback ? { default: fallback } : {}),
  };
}

function publishedParameter({ schema = {}, ...parameter }: Json & { schema?: Json }): Json {
  const { description, 'x-since': added, ...bare } = schema;
  const query = parameter.in === 'query';
  return {
    ...parameter,
    ...(query && bare.default !== undefined ? { required: true } : {}),
    description: parameter.description ?? description,
    schema: bare,
    // form style, not exploded: the published form (it changes nothing for single values); the
    // parameters added since are exploded, as OpenAPI's default (authMethod=1&authMethod=3)
    ...(query && added === undefined ? { explode: false } : {}),
    ...(added !== undefined ? { 'x-since': added } : {}),
  };
}

/** The ETag header of an answer showing `subject` (`the user`, `the user's metadata`). */
const etagHeader = (subject: string) => ({
  description: `The version of ${subject} this answer shows (a strong entity tag). Send it back in If-Match to change or delete only that version, or in If-None-Match to read ${subject} only if it changed.`,
  schema: { type: 'string' },
});

/**
 * What an operation does over HTTP besides its body, from its `meta.rest` (2.1.0): the ETag of the
 * answer (and, on a GET, If-None-Match and 304), If-Match and 412, the Link to the next page.
 */
function conditionalForm(operation: Operation, meta: Meta): void {
  const rest = meta.rest ?? {};
  const success = Object.entries(operation.responses).find(([status]) => /^2/.test(status))?.[1];
  const parameters = (operation.parameters ??= []);
  const errorContent = { 'application/json': { schema: { $ref: ref(ErrorSchema) } } };
  // what the version is of: a user, or (under its own tag) a user's metadata
  const subject = meta.openapi?.tags?.includes('Metadata') ? "the user's metadata" : 'the user';
  const ETAG_HEADER = etagHeader(subject);
  if (rest.etag && success) success.headers = { ...(success.headers as Json | undefined), ETag: ETAG_HEADER };
  if (rest.etag && meta.openapi?.method === 'GET') {
    parameters.push({
      name: 'If-None-Match',
      in: 'header',
      required: false,
      description: 'The ETag of the copy the client has: if it is still current, the answer is 304 without a body',
      schema: { type: 'string' },
    });
    operation.responses['304'] = {
      description: 'Not modified: the copy whose ETag If-None-Match names is still current',
      headers: { ETag: ETAG_HEADER },
    };
  }
  if (rest.ifMatch) {
    parameters.push({
      name: 'If-Match',
      in: 'header',
      required: false,
      description: `The ETag of the version the client read: the write is made only if ${subject} is still at that version (otherwise 412, and nothing changes). Without it the write is unconditional.`,
      schema: { type: 'string' },
    });
    operation.responses['412'] = {
      description: `${subject[0]!.toUpperCase()}${subject.slice(1)} has changed since the version If-Match names; nothing was changed`,
      content: errorContent,
    };
  }
  if (rest.link && success) {
    success.headers = {
      ...(success.headers as Json | undefined),
      Link: {
        description:
          'When more users follow: `<…>; rel="next"` (RFC 8288), the address of the next page, with the same filters and sort and its cursor',
        schema: { type: 'string' },
      },
    };
  }
  // the statuses in order, the fallback last
  const { default: fallback, ...statuses } = operation.responses;
  operation.responses = { ...statuses, ...(fallback ? { default: fallback } : {}) };
}

/** The component schemas that the paths refer to, directly or through other components. */
function reachableSchemas(doc: OpenAPIObject): Schemas {
  const all: Schemas = doc.components?.schemas ?? {};
  const reached = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      const name = key === '$ref' && typeof value === 'string' ? value.split('/').pop() : undefined;
      if (name !== undefined && !reached.has(name)) {
        reached.add(name);
        visit(all[name]);
      }
      visit(value);
    }
  };
  visit(doc.paths);
  return Object.fromEntries(
    [...reached].sort((a, b) => a.localeCompare(b)).flatMap((name) => (all[name] ? [[name, all[name]]] : [])),
  );
}

function stripAdditionalProperties(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(stripAdditionalProperties);
  if (typeof node !== 'object' || node === null) return;
  const record = node as Json;
  if (record.additionalProperties === false) delete record.additionalProperties;
  Object.values(record).forEach(stripAdditionalProperties);
}

/** The REST operations of the router, with what the document needs to know of each. */
function restOperations() {
  return [...procedureTable<Meta>(appRouter).values()].flatMap(({ meta, output }) => {
    if (!meta?.openapi) return [];
    const path = meta.openapi.path.replace(/\/$/, '');
    const returnsNothing = output instanceof z.ZodUndefined;
    return [{ path, method: meta.openapi.method.toLowerCase(), meta, returnsNothing }];
  });
}

type Schemas = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>;

function componentId(schema: z.ZodType): string {
  const id = z.globalRegistry.get(schema)?.id;
  if (!id) throw new Error('a component schema needs a `.meta({ id })`');
  return id;
}

function ref(schema: z.ZodType): string {
  return `#/components/schemas/${componentId(schema)}`;
}
