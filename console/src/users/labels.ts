// The words people see for the service's numeric values. Each table is keyed by the router's own
// type, so a value added to the API without a label here fails the console's type-check.
import type { Gender, SignInMethod } from '../api';

export const GENDER_LABELS: Record<Gender, string> = {
  0: 'Secret',
  1: 'Male',
  2: 'Female',
};

export const SIGN_IN_METHOD_LABELS: Record<SignInMethod, string> = {
  0: 'Password',
  1: 'Code by email',
  2: 'Password and authenticator app (TOTP)',
  3: 'OpenID provider (OAuth2)',
};

/** The methods that sign in with a password (TOTP is a second factor on top of one). */
export function usesPassword(method: SignInMethod): boolean {
  return method === 0 || method === 2;
}

export function optionsOf<K extends number>(labels: Record<K, string>): Array<{ value: K; label: string }> {
  return Object.entries<string>(labels).map(([value, label]) => ({ value: Number(value) as K, label }));
}

/** Unix seconds as a date and time people read the same anywhere (UTC). */
export function formatTime(seconds: number): string {
  return `${new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const numbers = new Intl.NumberFormat('en-US');
export function formatCount(count: number): string {
  return numbers.format(count);
}
