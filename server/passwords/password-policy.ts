// Which passwords may be set: every write that sets one (a user created or updated through either
// surface, a password reset, `npm run admin`) asks `PasswordPolicy.refusal` first, before any hash.
// The rules are NIST SP 800-63B's blocklist (§3.1.1.2) and OWASP ASVS 5.0's V6.2 (6.2.4: not among
// the most common passwords; 6.2.11: not built on context-specific words), and no composition
// rule (6.2.5): any characters, at least 8 of them.
//
// A password is refused when, compared in lower case and NFKC form, it is
// - a common password (zxcvbn-ts's list, ./common-passwords), or one with digits and symbols around
//   it and look-alike characters in it ("P@ssw0rd2024!"): what a guessing attack tries first;
// - built on its owner's name or email address, or on this service's name: with them taken out,
//   fewer than 8 characters are left (digits and symbols at its ends not counted);
// - one character run (aaaaaaaa, 12345678, 87654321), two of them (aaaa1111, 1234abcd), or a
//   sequence repeated (abcabcabc, passpass).
// Sign-in never asks: a password set before these rules still signs in.
import { isCommonPassword } from './common-passwords';

/** The fewest characters a password has; the schemas' `min`, and what a password built on a name must keep besides it. */
export const PASSWORD_MIN_LENGTH = 8;

/** The shortest word of a name, address or service name looked for in a password: shorter ones are everywhere. */
const MIN_CONTEXT_WORD = 3;

/** Whose password it is: the context a password must not be built on. */
export interface PasswordOwner {
  name?: string;
  email?: string;
}

export class PasswordPolicy {
  private readonly serviceWords: readonly string[];

  /** `serviceWords`: this service's name and whatever else its users would build a password on (PASSWORD_CONTEXT_WORDS). */
  constructor(serviceWords: readonly string[] = []) {
    this.serviceWords = serviceWords.flatMap(words);
  }

  /** Why `password` may not be set for `owner`, or undefined when it may. Never names what it found. */
  refusal(password: string, owner: PasswordOwner = {}): string | undefined {
    const text = password.normalize('NFKC').toLowerCase();
    if (isCommonPassword(text) || commonWithinDecoration(text)) {
      return 'is a commonly used password, or one with a few characters changed or added: choose another (a few unrelated words make a strong one)';
    }
    const context = [...words(owner.name ?? ''), ...addressWords(owner.email ?? ''), ...this.serviceWords];
    if (builtOn(text, context)) {
      return `is built on the user's name or email address, or on this service's name: without them, fewer than ${PASSWORD_MIN_LENGTH} characters are left`;
    }
    if (runsOrRepeats(text)) {
      return 'repeats itself, or is a run of repeated or consecutive characters (such as 12345678 or abcabcab): choose another';
    }
    return undefined;
  }
}

/** The characters crackers substitute for letters, and the letter each stands for (1 stands for i and for l). */
const LOOK_ALIKES: Record<string, string> = {
  '0': 'o',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};

/** `text` with look-alike characters read as the letters they stand for: one reading per meaning of "1". */
function readings(text: string): string[] {
  const read = (one: string) => text.replace(/[0-9@$!]/g, (c) => (c === '1' ? one : (LOOK_ALIKES[c] ?? c)));
  return [...new Set([read('i'), read('l')])];
}

/** Without the digits, symbols and spaces at its ends, where guessing rules add them. */
function core(text: string): string {
  return text.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
}

/** A common password within digits and symbols added at its ends, and look-alike characters in it. */
function commonWithinDecoration(text: string): boolean {
  const inner = core(text);
  if (inner.length < 4) return false;
  return [inner, ...readings(inner)].some(isCommonPassword);
}

/** Words of a name or phrase: its runs of letters and digits, and the whole without separators. */
function words(phrase: string): string[] {
  const lower = phrase.normalize('NFKC').toLowerCase();
  const parts = lower.match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...parts, parts.join('')].filter((word) => word.length >= MIN_CONTEXT_WORD);
}

/** The words of an address: its local part (without a +tag) and the labels of its domain but the last. */
function addressWords(address: string): string[] {
  const at = address.lastIndexOf('@');
  if (at < 0) return words(address);
  const local = address.slice(0, at).replace(/\+.*$/, '');
  const labels = address
    .slice(at + 1)
    .split('.')
    .slice(0, -1);
  return [...words(local), ...labels.flatMap(words)];
}

/** With every context word taken out (longest first), what is left, less its ends, is shorter than the minimum. */
function builtOn(text: string, context: string[]): boolean {
  if (context.length === 0) return false;
  const longestFirst = [...new Set(context)].sort((a, b) => b.length - a.length);
  return [text, ...readings(text)].some((form) => {
    let rest = form;
    for (const word of longestFirst) rest = rest.split(word).join(' ');
    return rest !== form && core(rest).replace(/\s+/g, ' ').length < PASSWORD_MIN_LENGTH;
  });
}

/** A sequence repeated (abcabcab), or at most two runs of one step (-1, 0 or +1 between neighbours' code points). */
function runsOrRepeats(text: string): boolean {
  const chars = [...text].map((c) => c.codePointAt(0)!);
  for (let period = 1; period <= chars.length / 2; period += 1) {
    if (chars.every((c, i) => i < period || c === chars[i - period])) return true;
  }
  let runs = 1;
  // the step of the run the last character is in; undefined while that run has one character
  let step: number | undefined;
  for (const [i, c] of chars.entries()) {
    if (i === 0) continue;
    const delta = c - chars[i - 1]!;
    if (step === undefined ? Math.abs(delta) <= 1 : delta === step) {
      step = delta;
    } else {
      runs += 1;
      step = undefined;
    }
  }
  return runs <= 2;
}
