// Checks a REST response against the published contract (the project's copy of
// users-api-v2.openapi.json): the operation's schema for its status, else the `default` error.
// Routes and statuses the published document does not cover (sign-in; PATCH, 304 and 412 since
// 2.1.0) are checked against the document the service generates for them.
import Ajv, { type ValidateFunction } from 'ajv';
import { generateDocument } from '../../server/http/openapi-document';
import published from '../fixtures/users-api-v2.openapi.json';

type Operation = { responses: Record<string, { content?: Record<string, { schema: object }> } | undefined> };
type Document = { paths?: object; components?: object };

const ajv = new Ajv({ strict: false, allErrors: true });
const integer = (min: number, max: number) => ({
  type: 'number' as const,
  validate: (value: number) => Number.isInteger(value) && value >= min && value <= max,
});
ajv.addFormat('int32', integer(-(2 ** 31), 2 ** 31 - 1));
ajv.addFormat('uint32', integer(0, 2 ** 32 - 1));
ajv.addFormat('uint8', integer(0, 255));
ajv.addFormat('password', true);

const sources = [
  { id: 'published', document: published as Document },
  { id: 'generated', document: generateDocument() as Document },
];
for (const { id, document } of sources) ajv.addSchema({ $id: id, components: document.components });

const operations = sources.flatMap(({ id, document }) =>
  Object.entries((document.paths ?? {}) as Record<string, Record<string, Operation>>).map(([template, methods]) => ({
    source: id,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    methods,
  })),
);

const validators = new Map<string, ValidateFunction>();
function validatorFor(source: string, schema: object): ValidateFunction {
  // `$ref`s point into the document the schema came from; resolve them against its registered copy
  const text = JSON.stringify(schema).replaceAll('"#/components/', `"${source}#/components/`);
  let validate = validators.get(text);
  if (!validate) {
    validate = ajv.compile(JSON.parse(text) as object);
    validators.set(text, validate);
  }
  return validate;
}

const errorResponse = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

/** Throws with the contract violations when a response does not match its documented shape. */
export function assertMatchesContract(method: string, path: string, status: number, body: unknown): void {
  const candidates = operations.filter((op) => op.pattern.test(path) && op.methods[method.toLowerCase()]);
  // the published operation, unless only the generated one documents this status
  const found = candidates.find((op) => op.methods[method.toLowerCase()]?.responses[String(status)]) ?? candidates[0];
  const operation = found?.methods[method.toLowerCase()];
  const response =
    operation?.responses[String(status)] ?? (status >= 400 ? errorResponse : operation?.responses.default);
  if (!response) throw new Error(`the contract has no ${status} response for ${method} ${path}`);
  const schema = response.content?.['application/json']?.schema;
  if (!schema) {
    if (body !== undefined)
      throw new Error(`${method} ${path} ${status} must have no body, got ${JSON.stringify(body)}`);
    return;
  }
  const validate = validatorFor(found?.source ?? 'published', schema);
  if (!validate(body)) {
    throw new Error(
      `${method} ${path} ${status} breaks the contract: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`,
    );
  }
}
