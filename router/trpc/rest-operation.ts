// The `openapi` meta of a published REST operation, for every domain router: its route under
// /api/v2, its operationId `<Tag>_<name>`, and the texts the document shows for it. One shape, so
// that the domains cannot drift apart in how they are documented; `restOperations` fixes a tag's
// own defaults once (its path prefix, whether the description is its summary, public or not).
import type { Meta } from './procedures';

type Method = NonNullable<Meta['openapi']>['method'];

export interface RestOperationOptions {
  /** Show the description as the operation's summary too (the published Users part has none). */
  summary?: boolean;
  /** false for public operations (`security: []`); unset keeps trpc-to-openapi's default. */
  protect?: boolean;
  requestBody?: Meta['requestBody'];
  rest?: Meta['rest'];
  /** The success response's description. */
  success?: string;
  /** The contract version that added the operation (none: it was published in 2.0.0). */
  since?: Meta['since'];
}

type Tag =
  | 'Users'
  | 'Auth'
  | 'Accounts'
  | 'Metadata'
  | 'Sessions'
  | 'Events'
  | 'Webhooks'
  | 'Clients'
  | 'Passkeys'
  | 'Invitations';

export function restOperation(
  tag: Tag,
  name: string,
  method: Method,
  path: `/${string}`,
  description: string,
  options: RestOperationOptions = {},
): Meta {
  return {
    openapi: {
      method,
      path: `/api/v2${path}`,
      operationId: `${tag}_${name}`,
      ...(options.summary ? { summary: description } : {}),
      description,
      tags: [tag],
      ...(options.protect !== undefined ? { protect: options.protect } : {}),
      successDescription: options.success ?? 'The request has succeeded.',
      // errors are documented as one `default` response (see server/http/openapi-document.ts)
      errorResponses: {},
    },
    ...(options.requestBody ? { requestBody: options.requestBody } : {}),
    ...(options.rest ? { rest: options.rest } : {}),
    ...(options.since ? { since: options.since } : {}),
  };
}

/** What a tag's operations share: a path prefix (`/auth`), and options each may still override. */
export interface TagDefaults extends Pick<RestOperationOptions, 'summary' | 'protect'> {
  prefix?: `/${string}`;
}

/** `restOperation` for the operations of `tag`, with its defaults applied. */
export function restOperations(tag: Tag, { prefix, ...defaults }: TagDefaults = {}) {
  return (
    name: string,
    method: Method,
    path: '' | `/${string}`,
    description: string,
    options: Omit<RestOperationOptions, 'summary'> = {},
  ): Meta =>
    restOperation(tag, name, method, `${prefix ?? ''}${path}` as `/${string}`, description, {
      ...defaults,
      ...options,
    });
}
