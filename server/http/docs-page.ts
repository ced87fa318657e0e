// The interactive API reference at /docs: Swagger UI over the generated OpenAPI document, with
// its assets served from the swagger-ui-dist package rather than a CDN, so the page works with
// no internet. "Authorize" takes a Bearer token; "Try it out" then calls the API from the page.
// Each page by the path it is served at (server/http/routes.ts routes them).
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { Middleware } from 'koa';

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

/** The page, its script and the assets: exactly these paths, nothing else of the package. */
export function docsPages({ prefix, documentUrl }: DocsOptions): Map<string, Middleware> {
  const pages = new Map<string, Middleware>();
  const page = serve('text/html; charset=utf-8', {
    headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'Cache-Control': 'no-cache' },
    body: () => html(prefix),
  });
  pages.set(prefix, page).set(`${prefix}/`, page);
  pages.set(
    `${prefix}/init.js`,
    serve('application/javascript; charset=utf-8', {
      headers: { 'Cache-Control': 'no-cache' },
      body: () => initScript(documentUrl),
    }),
  );
  for (const [name, type] of Object.entries(ASSETS)) {
    pages.set(
      `${prefix}/${name}`,
      serve(type, {
        headers: { 'Cache-Control': 'public, max-age=3600' },
        body: () => createReadStream(path.join(DIST, name)),
      }),
    );
  }
  return pages;
}

function serve(
  type: string,
  { headers, body }: { headers: Record<string, string>; body: () => string | NodeJS.ReadableStream },
): Middleware {
  return (ctx) => {
    ctx.set(headers);
    ctx.type = type;
    ctx.body = body();
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
