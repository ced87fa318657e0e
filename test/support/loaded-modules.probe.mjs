// Preloaded (`node --import ./loaded-modules.probe.mjs …`) by test/ops/production-build.test.ts:
// when the process exits, writes to $LOADED_MODULES_FILE what it ran with and every module it
// loaded through require (Node's require.cache), so the test can tell that the compiled service
// runs without TypeScript. Plain JavaScript: it must run where no TypeScript loader is.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';

const file = process.env.LOADED_MODULES_FILE;
if (file) {
  const require = createRequire(import.meta.url);
  process.on('exit', () => {
    const report = {
      execArgv: process.execArgv,
      nodeOptions: process.env.NODE_OPTIONS ?? '',
      // the file extensions require() compiles: a TypeScript hook (tsx/cjs) adds '.ts'
      extensions: Object.keys(require.extensions),
      modules: Object.keys(require.cache),
    };
    writeFileSync(file, JSON.stringify(report));
  });
}
