// Reads a JSON request body for the REST API: of the operation's media type only (415:
// application/json, or application/merge-patch+json for a PATCH), bounded (413), well-formed (400);
// and the text of any other media type an operation takes (an OAuth 2.0 form, ./oauth2-endpoint.ts).
// Each failure is a Koa error with a status, so the REST error middleware answers it as
// `{code, msg}` like every other client error.
import type { Context } from 'koa';

/** Past this many bytes an oversized body is no longer drained politely; the connection is cut. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

const REFUSALS: Record<string, string> = {
  'application/json': 'the request body must be JSON (Content-Type: application/json)',
  'application/merge-patch+json':
    'the request body must be a JSON merge patch (Content-Type: application/merge-patch+json, RFC 7396)',
  'application/x-www-form-urlencoded':
    'the request body must be a form (Content-Type: application/x-www-form-urlencoded, RFC 6749 §4.4.2)',
};

export async function readJsonBody(ctx: Context, limit: number, type = 'application/json'): Promise<unknown> {
  const text = await readBodyText(ctx, limit, type);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.throw(400, 'the request body is not valid JSON');
  }
}

/** A body of the media type `type`, bounded and required, as text. */
export async function readBodyText(ctx: Context, limit: number, type: string): Promise<string> {
  if (!ctx.is(type)) {
    // a PATCH names the patch formats it takes (RFC 5789 §3.1)
    const headers = type === 'application/json' ? {} : { 'Accept-Patch': type };
    ctx.throw(415, REFUSALS[type] ?? `the request body must be ${type}`, { headers });
  }
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > DRAIN_LIMIT) {
    ctx.set('Connection', 'close');
    ctx.throw(413, `the request body must be at most ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // an oversized body is read to its end (and dropped) so the client receives the 413
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
    else if (size > DRAIN_LIMIT) ctx.req.destroy();
  }
  if (size > limit) ctx.throw(413, `the request body must be at most ${limit} bytes`);
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (text.trim() === '') ctx.throw(400, 'the request body is required');
  return text;
}
