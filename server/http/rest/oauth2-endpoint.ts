// An OAuth 2.0 token endpoint over REST (RFC 6749 §4.4: client credentials), the way client libraries
// call one: the body a form (`grant_type=client_credentials`, each parameter once, §3.2), the client's
// id and secret by HTTP Basic (§2.3.1: each form-urlencoded, then base64) or in the form, never both
// (§2.3); a refusal carries RFC 6749 §5.2's `error` (and `error_description`) beside the service's own
// `code` and `msg`, and a 401 to a client that used Basic says `WWW-Authenticate: Basic`.
import type { Context } from 'koa';
import { readBodyText } from './json-body';

/** The form's parameters, with the client's Basic credentials as `client_id` and `client_secret`. */
export async function readTokenRequest(ctx: Context, limit: number): Promise<Record<string, string>> {
  const form: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(
    await readBodyText(ctx, limit, 'application/x-www-form-urlencoded'),
  )) {
    if (name in form) ctx.throw(400, `${name}: must be sent once`);
    form[name] = value;
  }
  const basic = basicCredentials(ctx);
  if (!basic) return form;
  if (form.client_id !== undefined || form.client_secret !== undefined) {
    ctx.throw(400, 'client_id: send the client credentials by HTTP Basic or in the form, not both');
  }
  return { ...form, client_id: basic.id, client_secret: basic.secret };
}

/** The client's id and secret of `Authorization: Basic`, if that is how it authenticates. */
function basicCredentials(ctx: Context): { id: string; secret: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(ctx.get('authorization'));
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) ctx.throw(400, 'authorization: Basic credentials must be client_id:client_secret');
  try {
    // each part was form-urlencoded before it was joined (RFC 6749 §2.3.1)
    const part = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
    return { id: part(decoded.slice(0, colon)), secret: part(decoded.slice(colon + 1)) };
  } catch {
    return ctx.throw(400, 'authorization: Basic credentials are not form-urlencoded');
  }
}

/** Marks the request as one to the token endpoint: its refusals are answered as RFC 6749's. */
export function markTokenEndpoint(ctx: Context): void {
  (ctx.state as { oauth2?: true }).oauth2 = true;
}

/**
 * A refusal's body as the token endpoint answers it: RFC 6749 §5.2's `error` and
 * `error_description` (printable ASCII but `"` and `\`) beside `code` and `msg`, and on a 401 the
 * Basic challenge of the client authentication the endpoint takes. Other requests' as they are.
 */
export function tokenEndpointRefusal<T extends { msg: string }>(ctx: Context, status: number, body: T): T {
  if (!(ctx.state as { oauth2?: true }).oauth2) return body;
  if (status === 401) ctx.set('WWW-Authenticate', 'Basic realm="users-service", charset="UTF-8"');
  const error = oauth2Error(status, body.msg);
  if (!error) return body;
  return { ...body, error, error_description: body.msg.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '') };
}

/** RFC 6749 §5.2's error code for a refusal of the token endpoint; none for what it does not name. */
function oauth2Error(status: number, message: string): string | undefined {
  if (status === 401) return 'invalid_client';
  if (status !== 400) return undefined;
  if (/^grant_type: only /.test(message)) return 'unsupported_grant_type';
  if (/^scope: /.test(message)) return 'invalid_scope';
  return 'invalid_request';
}
