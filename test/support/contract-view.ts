// What the published contract fixes about an OpenAPI document, as plain data to compare: for
// each Users operation its operationId, its parameters (name, in, required, type, format,
// default) and its request and response schemas reduced to properties, required lists, types,
// formats, enums and readOnly, with every $ref and allOf resolved. Two documents with equal views
// promise the same API however each is laid out; what a view leaves out (descriptions, lengths,
// patterns, extensions) may differ, so truthful extras of the generated document are allowed.

type Json = { [key: string]: unknown };

export interface SchemaView {
  type?: unknown;
  format?: unknown;
  enum?: unknown[];
  readOnly?: true;
  properties?: Record<string, SchemaView>;
  required?: string[];
  items?: SchemaView;
  oneOf?: SchemaView[];
  anyOf?: SchemaView[];
}

export interface ParameterView {
  name: unknown;
  in: unknown;
  required: boolean;
  type: unknown;
  format: unknown;
  default: unknown;
}

export interface OperationView {
  operationId: unknown;
  parameters: ParameterView[];
  requestBody?: { required: boolean; content: Record<string, SchemaView> };
  responses: Record<string, Record<string, SchemaView>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The view of every operation tagged `tag`, keyed by `METHOD path`. */
export function contractView(document: object, tag = 'Users'): Record<string, OperationView> {
  const doc = document as Json;
  const view: Record<string, OperationView> = {};
  for (const [path, item] of Object.entries(asObject(doc.paths))) {
    for (const [method, value] of Object.entries(asObject(item))) {
      const operation = asObject(value);
      if (!METHODS.includes(method) || !asArray(operation.tags).includes(tag)) continue;
      view[`${method.toUpperCase()} ${path}`] = operationView(operation, doc);
    }
  }
  return view;
}

function operationView(operation: Json, doc: Json): OperationView {
  const parameters = asArray(operation.parameters)
    .map((parameter) => parameterView(flatten(parameter, doc), doc))
    .sort((a, b) => `${String(a.in)} ${String(a.name)}`.localeCompare(`${String(b.in)} ${String(b.name)}`));
  const responses = Object.fromEntries(
    Object.entries(asObject(operation.responses)).map(([status, response]) => [
      status,
      contentView(flatten(response, doc).content, doc),
    ]),
  );
  const view: OperationView = { operationId: operation.operationId, parameters, responses };
  if (operation.requestBody !== undefined) {
    const body = flatten(operation.requestBody, doc);
    view.requestBody = { required: body.required === true, content: contentView(body.content, doc) };
  }
  return view;
}

function parameterView(parameter: Json, doc: Json): ParameterView {
  const schema = flatten(parameter.schema, doc);
  return {
    name: parameter.name,
    in: parameter.in,
    required: parameter.required === true,
    type: schema.type,
    format: schema.format,
    default: schema.default,
  };
}

function contentView(content: unknown, doc: Json): Record<string, SchemaView> {
  return Object.fromEntries(
    Object.entries(asObject(content)).map(([type, media]) => [type, schemaView(asObject(media).schema, doc)]),
  );
}

function schemaView(schema: unknown, doc: Json): SchemaView {
  const flat = flatten(schema, doc);
  const view: SchemaView = {};
  if (flat.type !== undefined) view.type = flat.type;
  if (flat.format !== undefined) view.format = flat.format;
  if (Array.isArray(flat.enum)) view.enum = flat.enum as unknown[];
  if (flat.readOnly === true) view.readOnly = true;
  if (flat.properties !== undefined) {
    view.properties = Object.fromEntries(
      Object.entries(asObject(flat.properties)).map(([name, property]) => [name, schemaView(property, doc)]),
    );
  }
  const required = asArray(flat.required).map(String);
  if (required.length > 0) view.required = [...new Set(required)].sort();
  if (flat.items !== undefined) view.items = schemaView(flat.items, doc);
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(flat[key])) view[key] = (flat[key] as unknown[]).map((part) => schemaView(part, doc));
  }
  return view;
}

/** The schema (or parameter, or response) with its `$ref` followed and its `allOf` merged in. */
function flatten(node: unknown, doc: Json, trail: readonly string[] = []): Json {
  const { $ref, allOf, ...own } = asObject(node);
  let merged: Json = {};
  if (typeof $ref === 'string') {
    if (trail.includes($ref)) throw new Error(`circular $ref: ${[...trail, $ref].join(' -> ')}`);
    merged = flatten(resolve($ref, doc), doc, [...trail, $ref]);
  }
  for (const part of asArray(allOf)) merged = merge(merged, flatten(part, doc, trail));
  return merge(merged, own);
}

/** Both schemas at once, as allOf means: properties and required lists add up. */
function merge(a: Json, b: Json): Json {
  const merged = { ...a, ...b };
  // (a parameter's or a request body's `required` is a boolean, and is simply taken)
  if (Array.isArray(a.required) && Array.isArray(b.required)) merged.required = [...a.required, ...b.required];
  if (a.properties !== undefined && b.properties !== undefined) {
    const properties: Json = { ...asObject(a.properties) };
    for (const [name, schema] of Object.entries(asObject(b.properties))) {
      properties[name] = name in properties ? { allOf: [properties[name], schema] } : schema;
    }
    merged.properties = properties;
  }
  return merged;
}

function resolve(ref: string, doc: Json): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    node = asObject(node)[part.replaceAll('~1', '/').replaceAll('~0', '~')];
    if (node === undefined) throw new Error(`unresolved $ref: ${ref}`);
  }
  return node;
}

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}
