// `npm run openapi [-- --out FILE] [--tag TAG]`: prints (or writes) the OpenAPI document generated
// from the router; `--tag Users` keeps only the part the published contract covers.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateDocument } from '../http/openapi-document';

const { values } = parseArgs({ options: { out: { type: 'string' }, tag: { type: 'string' } } });
const text = `${JSON.stringify(generateDocument({ tag: values.tag }), null, 2)}\n`;
if (values.out) writeFileSync(values.out, text);
else process.stdout.write(text);
