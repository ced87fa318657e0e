// The `q` strings the find suite searches for (issue 20), picked from the seeded data (dataset.ts)
// rather than made up, and how many users each matches, counted here from the dataset's own
// functions: an oracle independent of the service, whose `total` must come out the same.
// - a first and last name (`anna_okafor`): a person looked for by name, a few in 100,000;
// - a first name and the first letter of a last name (`anna_o`): what a search box sends as its
//   user types, a few in 10,000;
// - a last name (`okafor`): a family, about 0.4%; a first name (`anna`): about 0.7%;
// - a broad one (`mail.example`): the address domain of about half of the users.
import { LAST_NAMES, SEED_DOMAINS, seedRow, type SeedRow } from './dataset';

/** A `q` and how many of the seeded users it matches. */
export interface QueryCount {
  q: string;
  matches: number;
}

/** What `q` matches, as the service does: the name or the address contains it, in any case (ASCII data). */
export function rowMatches(row: Pick<SeedRow, 'name' | 'address'>, q: string): boolean {
  const needle = q.toLowerCase();
  return row.name.toLowerCase().includes(needle) || row.address.toLowerCase().includes(needle);
}

/** How many of users 0 .. users-1 each of `queries` matches: one pass over the seeded rows. */
export function countMatches(queries: readonly string[], users: number): QueryCount[] {
  const counts = queries.map(() => 0);
  const needles = queries.map((q) => q.toLowerCase());
  for (let index = 0; index < users; index++) {
    const row = seedRow(index);
    const name = row.name.toLowerCase();
    const address = row.address.toLowerCase();
    needles.forEach((needle, at) => {
      if (name.includes(needle) || address.includes(needle)) counts[at]!++;
    });
  }
  return queries.map((q, at) => ({ q, matches: counts[at]! }));
}

export interface QueryChoice {
  /** Strings of at least 3 characters, each matching fewer than `maxShare` of the users. */
  fullNames: string[];
  prefixes: string[];
  lastNames: string[];
  firstNames: string[];
  /** The string closest to matching half of the users. */
  broad: string;
  /**
   * For a search's time against its matches: a first and last name, its first name and the last
   * name's first letter, a last name, the first name (one that is no last name too).
   */
  series: string[];
}

export interface ChoiceOptions {
  /** How many of each narrow kind. */
  count: number;
  /** The largest share of the users a narrow `q` may match (0.01: under 1%). */
  maxShare: number;
  /** Seeded users the narrow ones are tried on (the first ones; all of them when fewer are seeded). */
  sample: number;
}

/**
 * The narrow strings: last names spread over the list, lower-cased as a caller types them, of at
 * least 3 characters and matching under half of `maxShare` of a sample of the users (so that all
 * the users stay under it too, which the counts over all of them then confirm); and the first and
 * last names of seeded users spread over the sample, their first names, and those with the first
 * letter of the last name. The broad one: the address domain whose share is nearest one half. A
 * first name may match more than `maxShare` of very few users; the counts over all of them say.
 */
export function chooseQueries(users: number, options: ChoiceOptions): QueryChoice {
  const sample = Math.min(users, options.sample);
  const names = LAST_NAMES.map((name) => name.toLowerCase());
  const narrow = new Set(
    countMatches(names, sample)
      .filter(({ q, matches }) => q.length >= 3 && matches > 0 && matches < (sample * options.maxShare) / 2)
      .map(({ q }) => q),
  );
  // spread over the list: from each of `count` evenly spaced places, the first name there on that is narrow
  const lastNames: string[] = [];
  for (let k = 0; k < options.count; k++) {
    const from = Math.floor(((k + 0.5) * names.length) / options.count);
    const found = [...names.slice(from), ...names.slice(0, from)].find((q) => narrow.has(q) && !lastNames.includes(q));
    if (found) lastNames.push(found);
  }
  const fullNames = Array.from({ length: options.count }, (_, at) =>
    seedRow(Math.floor(((at + 0.5) * sample) / options.count)).name.toLowerCase(),
  );
  const firstNames = fullNames.map((name) => name.slice(0, name.indexOf('_')));
  const prefixes = fullNames.map((name) => name.slice(0, name.indexOf('_') + 2));
  const [broad] = [...SEED_DOMAINS].sort(([, a], [, b]) => Math.abs(a / 256 - 0.5) - Math.abs(b / 256 - 0.5))[0]!;
  const plain = Math.max(
    0,
    firstNames.findIndex((first) => !names.includes(first)),
  );
  const series = [fullNames[plain]!, prefixes[plain]!, lastNames[0]!, firstNames[plain]!];
  return { fullNames, prefixes, lastNames, firstNames, broad, series };
}
