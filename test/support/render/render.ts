// Renders an OpenAPI document to Markdown exactly the way users-api-v2.md was made (the shared
// render.sh, reproduced inside the project): widdershins 4.0.1 with the edited templates, then
// prettier 3.6.2, the version render.sh pins (installed as `prettier-doc-render`, so upgrading
// the project's own prettier cannot change the comparison).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { format } from 'prettier-doc-render';
import { writeTemplates } from './templates';

const WIDDERSHINS = require.resolve('widdershins/widdershins.js');

// language tabs go in an environment file: the --language_tabs flag would also add a
// language_clients block to the front matter, which the published document does not have
const ENVIRONMENT = { language_tabs: [{ http: 'HTTP' }, { javascript: 'JavaScript' }, { python: 'Python' }] };

export async function renderMarkdown(document: object): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'users-api-render-'));
  try {
    writeTemplates(path.join(dir, 'templates'));
    await writeFile(path.join(dir, 'env.json'), JSON.stringify(ENVIRONMENT));
    await writeFile(path.join(dir, 'openapi.json'), JSON.stringify(document, null, 2));
    // the CLI, not widdershins' API: its option defaults are part of how the document was made
    await promisify(execFile)(
      process.execPath,
      [
        WIDDERSHINS,
        '-e',
        'env.json',
        '--user_templates',
        'templates',
        '--summary',
        '--yaml',
        'openapi.json',
        '-o',
        'raw.md',
      ],
      { cwd: dir },
    );
    const raw = await readFile(path.join(dir, 'raw.md'), 'utf8');
    return await format(raw, { parser: 'markdown', semi: false });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
