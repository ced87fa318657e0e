// The common passwords a new password may not be: zxcvbn-ts's list (`@zxcvbn-ts/language-common`,
// 49,233 common passwords, the most common first, in lower case), held as a set. Only the list is
// used, not zxcvbn's estimator: it costs up to seconds of CPU for a long password, on the event
// loop, where a lookup costs a microsecond. The list is loaded with its module, at start-up, and
// made a set there too (7–12 ms, about 2 MB of heap), not in the first request that sets a password.
import { dictionary } from '@zxcvbn-ts/language-common';

const COMMON: ReadonlySet<string> = new Set(dictionary['passwords-common']);

/** How many passwords the list holds. */
export function commonPasswordCount(): number {
  return COMMON.size;
}

/** Whether `text` (in lower case) is on the list. */
export function isCommonPassword(text: string): boolean {
  return COMMON.has(text);
}
