// `npm run openapi [-- --out FILE] [--tag TAG] [--contract VERSION]`: prints (or writes) the OpenAPI
// document generated from the router; `--tag Users` keeps only the part the published contract
// covers, `--contract 2.0.0` describes that contract version (the published one) instead of the
// current one.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CONTRACT_VERSIONS, type ContractVersion } from '../../router/trpc/common-schemas';
import { generateDocument } from '../http/openapi-document';

const { values } = parseArgs({
  options: { out: { type: 'string' }, tag: { type: 'string' }, contract: { type: 'string' } },
});
if (values.contract !== undefined && !(CONTRACT_VERSIONS as readonly string[]).includes(values.contract)) {
  process.stderr.write(`--contract: must be one of ${CONTRACT_VERSIONS.join(', ')}\n`);
  process.exit(2);
}
const contract = values.contract as ContractVersion | undefined;
const text = `${JSON.stringify(generateDocument({ tag: values.tag, ...(contract ? { contract } : {}) }), null, 2)}\n`;
if (values.out) writeFileSync(values.out, text);
else process.stdout.write(text);
