// Checks a REST response against the published contract (the project's copy of
// users-api-v2.openapi.json): the operation's schema for its status, else the `default` error.
import Ajv, { type ValidateFunction } from 'ajv';
import contract from '../fixtures/users-api-v2.openapi.json';

type Operation = { responses: Record<string, { content?: Record<string, { schema: object }> }> };

const ajv = new Ajv({ strict: false, allErrors: true });
const integer = (min: number, max: number) => ({
  type: 'number' as const,
  validate: (value: number) => Number.isInteger(value) && value >= min && value <= max,
});
ajv.addFormat('int32', integer(-(2 ** 31), 2 ** 31 - 1));
ajv.addFormat('uint32', integer(0, 2 ** 32 - 1));
ajv.addFormat('uint8', integer(0, 255));
ajv.addFormat('password', true);
ajv.addSchema({ $id: 'contract', components: contract.components });

const validators = new Map<string, ValidateFunction>();
function validatorFor(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    // `$ref`s in the document point into it; resolve them against the registered copy
    validate = ajv.compile(JSON.parse(key.replaceAll('"#/components/', '"contract#/components/')) as object);
    validators.set(key, validate);
  }
  return validate;
}

const operations = Object.entries(contract.paths as Record<string, Record<string, Operation>>).map(
  ([template, methods]) => ({
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    methods,
  }),
);

const errorSchema = { $ref: '#/components/schemas/Error' };

/** Throws with the contract violations when a response does not match the published document. */
export function assertMatchesContract(method: string, path: string, status: number, body: unknown): void {
  const operation = operations.find((op) => op.pattern.test(path))?.methods[method.toLowerCase()];
  const response =
    operation?.responses[String(status)] ??
    (status >= 400 ? { content: { 'application/json': { schema: errorSchema } } } : operation?.responses.default);
  if (!response) throw new Error(`the contract has no ${status} response for ${method} ${path}`);
  const schema = response.content?.['application/json']?.schema;
  if (!schema) {
    if (body !== undefined)
      throw new Error(`${method} ${path} ${status} must have no body, got ${JSON.stringify(body)}`);
    return;
  }
  const validate = validatorFor(schema);
  if (!validate(body)) {
    throw new Error(
      `${method} ${path} ${status} breaks the contract: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`,
    );
  }
}
