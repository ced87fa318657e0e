// TypeScript types of the REST API made by openapi-typescript from the OpenAPI document alone,
// as a third party would make them. `npm run openapi:types` rewrites test/generated/users-api-v2.ts
// from the generated document; the REST-client test checks that file against the served one.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { generateDocument } from '../../server/http/openapi-document';

export const REST_TYPES_FILE = path.join(__dirname, '..', 'generated', 'users-api-v2.ts');

const HEADER =
  '// Made by openapi-typescript from GET /api/v2/openapi.json (`npm run openapi:types`); do not edit.\n' +
  '// test/users.openapi-fetch.test.ts fails when it no longer matches the served document.\n';

export async function restTypes(document: object): Promise<string> {
  return HEADER + astToString(await openapiTS(document as OpenAPI3));
}

if (require.main === module) {
  void restTypes(JSON.parse(JSON.stringify(generateDocument())) as object).then((text) =>
    writeFileSync(REST_TYPES_FILE, text),
  );
}
