// What a box of JSON typed by a person holds, when it must be a JSON object (a part of a user's
// metadata): the object, or a sentence saying why not, before anything is sent.

export type JsonObject = Record<string, unknown>;

export function parseJsonObject(text: string): { value: JsonObject } | { problem: string } {
  try {
    const value: unknown = JSON.parse(text || '{}');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { problem: 'Must be a JSON object, such as {"plan": "pro"}.' };
    }
    return { value: value as JsonObject };
  } catch (error) {
    return { problem: `Not JSON: ${(error as Error).message}` };
  }
}
