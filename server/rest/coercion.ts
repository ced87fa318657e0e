// trpc-to-openapi turns on `coerce` in the number, boolean and date schemas of every input it
// serves, at request time and in place. Those schemas are shared with the native tRPC side and
// with request bodies, so after the first REST call `"age": "30"` would become valid
// everywhere. This pins each schema's `coerce` to what it declares: coercion happens only where
// a schema asks for it (the list's query parameters), on both surfaces alike.
import type { AnyRouter } from '@trpc/server';
import {
  getInputOutputParsers,
  instanceofZodTypeCoercible,
  instanceofZodTypeObject,
  unwrapZodType,
} from 'trpc-to-openapi';
import type { ZodObject, ZodType } from 'zod';

type Def = { coerce?: boolean };

export function pinCoercion(router: AnyRouter): void {
  for (const procedure of Object.values(router._def.procedures as Record<string, unknown>)) {
    const { inputParser } = getInputOutputParsers(procedure as Parameters<typeof getInputOutputParsers>[0]);
    const schema = unwrapZodType(inputParser, true);
    if (instanceofZodTypeObject(schema)) pinObject(schema);
  }
}

// walks the schemas exactly as trpc-to-openapi's `coerceSchema` does
function pinObject(schema: ZodObject): void {
  for (const field of Object.values(schema.shape) as ZodType[]) {
    const inner = unwrapZodType(field, false);
    if (instanceofZodTypeCoercible(inner)) pin(inner._zod.def);
    else if (instanceofZodTypeObject(inner)) pinObject(inner);
  }
}

function pin(def: Def): void {
  // fields shared by several inputs are reached more than once
  if (Object.getOwnPropertyDescriptor(def, 'coerce')?.get) return;
  const declared = def.coerce ?? false;
  Object.defineProperty(def, 'coerce', { get: () => declared, set: () => {}, enumerable: true, configurable: false });
}
