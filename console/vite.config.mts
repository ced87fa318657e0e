// Vite's build of the console: React, from console/ into console/dist, which the service serves
// at / (server/http/console-assets.ts). No inline script or style ends up in the page, so its CSP can
// forbid both; asset names carry content hashes, so they can be cached for good.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  plugins: [react()],
  // the page is served at /, its assets at /assets/…
  base: '/',
  build: {
    outDir: path.join(root, 'dist'),
    emptyOutDir: true,
    // small assets as data: URLs would need `data:` in the CSP; files keep it 'self'
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  logLevel: 'warn',
});
