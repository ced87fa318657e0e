// The common passwords a new password may not be: zxcvbn-ts's list (`@zxcvbn-ts/language-common`,
// 49,233 common passwords, the most common first, in lower case), held as a set. Only
// the list is used, not zxcvbn's estimator: it costs up to seconds of CPU for a long password, on
// the event loop, where a lookup costs a microsecond. Read once, at first use (about 2 MB of heap).
import { dictionary } from '@zxcvbn-ts/language-common';

let common: ReadonlySet<string> | undefined;

/** How many passwords the list holds. */
export function commonPasswordCount(): number {
  return commonPasswords().size;
}

/** Whether `text` (in lower case) is on the list. */
export function isCommonPassword(text: string): boolean {
  return commonPasswords().has(text);
}

function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(dictionary['passwords-common']);
  return common;
}
