// The console at /: the page Vite built into console/dist (`npm run console:build`; `npm ci` and
// `npm start` build it), and its hashed assets under /assets/. Only files of that folder are
// served, by name, never a path. Each by the path it is served at (server/http/routes.ts routes them). The page's policy lets it load only its own script and styles
// and call only this origin: no inline script, no other site, no frames.
import { createReadStream, existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type Koa from 'koa';

// found from the project's root, so it holds whether this file runs as TypeScript (server/http/)
// or compiled (build/server/http/)
export const CONSOLE_DIST = path.join(projectRoot(__dirname), 'console', 'dist');

function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'console', 'index.html'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '../..');
  }
}

export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** An asset's name as Vite writes it: no folder, no leading dot, a known type. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

export interface ConsoleOptions {
  /** The built console (default console/dist). */
  dist?: string;
}

/** The page and its assets, by the path each is served at (server/http/routes.ts routes them). */
export function consolePages({ dist = CONSOLE_DIST }: ConsoleOptions = {}): Map<string, Koa.Middleware> {
  const page: Koa.Middleware = (ctx) => servePage(ctx, dist);
  const asset: Koa.Middleware = async (ctx) => {
    const name = (ctx.params as { file?: string } | undefined)?.file ?? '';
    const type = ASSET_NAME.test(name) ? TYPES[path.extname(name)] : undefined;
    const file = path.join(dist, 'assets', name);
    if (!type || !(await isFile(file))) {
      ctx.status = 404;
      ctx.body = 'Not Found';
      return;
    }
    ctx.type = type;
    // the name changes with the content
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.body = createReadStream(file);
  };
  return new Map([
    ['/', page],
    ['/index.html', page],
    // the password reset form a reset mail links to, the sign-up form a sign-up mail links to, and
    // the invitation an invitation mail links to, a code or a token in the query: the page is sent with `Referrer-Policy: no-referrer` (helmet),
    // and the console takes it out of the address bar
    ['/reset-password', page],
    ['/accept-invitation', page],
    ['/sign-up', page],
    ['/assets/:file', asset],
  ]);
}

async function servePage(ctx: Koa.Context, dist: string): Promise<void> {
  // read per request (a few hundred bytes), so a rebuild is served without a restart
  const page = await readFile(path.join(dist, 'index.html'), 'utf8').catch(() => null);
  ctx.set('Content-Security-Policy', CONSOLE_CONTENT_SECURITY_POLICY);
  ctx.set('Cache-Control', 'no-cache');
  ctx.type = 'text/html; charset=utf-8';
  if (page === null) {
    ctx.status = 503;
    ctx.body =
      '<!doctype html><html lang="en"><title>Users console</title><h1>The console is not built</h1>' +
      '<p>Run <code>npm run console:build</code> (<code>npm ci</code> and <code>npm start</code> do it).</p></html>\n';
    return;
  }
  ctx.body = page;
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (stats) => stats.isFile(),
    () => false,
  );
}
