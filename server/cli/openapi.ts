// `npm run openapi [-- --out FILE]`: prints (or writes) the OpenAPI document generated from the router.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateDocument } from '../openapi';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const text = `${JSON.stringify(generateDocument(), null, 2)}\n`;
if (values.out) writeFileSync(values.out, text);
else process.stdout.write(text);
