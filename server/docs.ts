// The interactive API reference at /docs: Swagger UI over the generated OpenAPI document, with
// its assets served from the swagger-ui-dist package rather than a CDN, so the page works with
// no internet. "Authorize" takes a Bearer token; "Try it out" then calls the API from the page.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type Koa from 'koa';

const DIST = path.dirname(require.resolve('swagger-ui-dist/package.json'));

/** The only files served from the package: nothing else of node_modules is reachable. */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

// Swagger UI styles elements inline and shows its logo as a data: image; everything else
// must come from this origin, so a page that reached for the internet would break visibly.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

export interface DocsOptions {
  /** Where the page lives, e.g. `/docs`. */
  prefix: string;
  /** The URL of the OpenAPI document the page shows. */
  documentUrl: string;
}

interface Served {
  type: string;
  headers: Record<string, string>;
  body: () => string | NodeJS.ReadableStream;
}

export function docsPage({ prefix, documentUrl }: DocsOptions): Koa.Middleware {
  // a Map, so that a path like /docs/constructor finds nothing
  const routes = new Map<string, Served>();
  const page: Served = {
    type: 'text/html; charset=utf-8',
    headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'Cache-Control': 'no-cache' },
    body: () => html(prefix),
  };
  routes.set(prefix, page).set(`${prefix}/`, page);
  routes.set(`${prefix}/init.js`, {
    type: 'application/javascript; charset=utf-8',
    headers: { 'Cache-Control': 'no-cache' },
    body: () => initScript(documentUrl),
  });
  for (const [name, type] of Object.entries(ASSETS)) {
    routes.set(`${prefix}/${name}`, {
      type,
      headers: { 'Cache-Control': 'public, max-age=3600' },
      body: () => createReadStream(path.join(DIST, name)),
    });
  }

  return async (ctx, next) => {
    const served = ctx.method === 'GET' || ctx.method === 'HEAD' ? routes.get(ctx.path) : undefined;
    if (!served) {
      await next();
      return;
    }
    ctx.set(served.headers);
    ctx.type = served.type;
    ctx.body = served.body();
  };
}

function html(prefix: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Users API v2 reference</title>
    <link rel="icon" type="image/png" href="${prefix}/favicon-32x32.png" />
    <link rel="stylesheet" href="${prefix}/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${prefix}/swagger-ui-bundle.js"></script>
    <script src="${prefix}/init.js"></script>
  </body>
</html>
`;
}

// A file rather than an inline script, so the page's policy can forbid inline scripts.
function initScript(documentUrl: string): string {
  const options = {
    url: documentUrl,
    dom_id: '#swagger-ui',
    deepLinking: true,
    displayOperationId: true,
    // a pasted token survives a reload
    persistAuthorization: true,
    tryItOutEnabled: true,
    // the default sends the document to an online validator
    validatorUrl: null,
  };
  return `window.ui = SwaggerUIBundle(${JSON.stringify(options)});\n`;
}
