// The security headers every data response carries, as helmet makes them, computed once at
// start-up: helmet is run on a stand-in response and what it sets (and removes) is kept. For the
// settings here every value is fixed (no per-request nonce, nothing read from the request), so
// each request gets exactly helmet's headers without helmet's per-request chain (a promise through
// koa-helmet and a call per header, about 0.5 KB of garbage per request). Settings that would make
// a value depend on the request (a function among the CSP directives) are refused at start-up.
// The same setter serves the Koa middleware and the read path answered outside Koa
// (server/http/fast-lane.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { Middleware } from 'koa';

/**
 * Puts helmet's headers for `options` on a response (and takes off those helmet removes); `pairs`
 * are the same headers, once each, for a response that has no headers yet and is written in one
 * `writeHead` (server/http/fast-lane.ts).
 */
export type HeaderSetter = ((res: ServerResponse) => void) & {
  readonly pairs: ReadonlyArray<readonly [string, string]>;
};

/** The Koa middleware of a setter. */
export function headersMiddleware(apply: HeaderSetter): Middleware {
  return (ctx, next) => {
    apply(ctx.res);
    return next();
  };
}

export function securityHeaders(options: HelmetOptions): HeaderSetter {
  const directives = Object.values(
    (typeof options.contentSecurityPolicy === 'object' && options.contentSecurityPolicy.directives) || {},
  );
  if (
    directives.some(
      (value) => typeof value === 'function' || (Array.isArray(value) && value.some((v) => typeof v === 'function')),
    )
  ) {
    throw new Error('security headers: a CSP directive computed per request cannot be set once');
  }
  const set: Array<[string, string]> = [];
  const removed: string[] = [];
  const standIn = {
    setHeader: (name: string, value: unknown) => void set.push([name, String(value)]),
    removeHeader: (name: string) => void removed.push(name),
  };
  let done = false;
  helmet(options)({} as IncomingMessage, standIn as unknown as ServerResponse, (error?: unknown) => {
    if (error instanceof Error) throw error;
    done = error === undefined;
  });
  if (!done) throw new Error('security headers: helmet did not answer at once, so its headers cannot be kept');
  // the last value set for a name is the one a response keeps
  const pairs = [...new Map(set.map(([name, value]) => [name.toLowerCase(), [name, value] as const])).values()];
  const apply = (res: ServerResponse) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
  };
  return Object.assign(apply, { pairs });
}

/**
 * `setter`'s headers and `extra` after them (the same names replaced): one setter, so the fast lane
 * writes exactly what the Koa middleware sets.
 */
export function withHeaders(setter: HeaderSetter, extra: ReadonlyArray<readonly [string, string]>): HeaderSetter {
  const names = new Set(extra.map(([name]) => name.toLowerCase()));
  const pairs = [...setter.pairs.filter(([name]) => !names.has(name.toLowerCase())), ...extra];
  const apply = (res: ServerResponse) => {
    setter(res);
    for (const [name, value] of extra) res.setHeader(name, value);
  };
  return Object.assign(apply, { pairs });
}
