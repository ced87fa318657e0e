// Text PostgreSQL cannot hold: U+0000. Neither `text` nor `jsonb` stores it, and the driver's
// refusal of a parameter holding it reads like a broken connection (08P01) or a failed statement
// (22021, 22P05): an address to look up, a reason to keep or an id to filter by that held one was
// answered 503 or 500. So every call's input is checked once, before any work, on both surfaces,
// and one that holds it is refused as the caller's mistake, naming where.

/** The path of the first string in `input` that holds U+0000 ('input' for the input itself), if any. */
export function nulAt(input: unknown, path = ''): string | undefined {
  if (typeof input === 'string') return input.includes('\u0000') ? path || 'input' : undefined;
  if (typeof input !== 'object' || input === null) return undefined;
  for (const [key, value] of Object.entries(input)) {
    const found = nulAt(value, path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}
