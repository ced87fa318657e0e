// The enumerations stored in the database and published in the API. Each member carries the
// name and description the published document lists for it, so the Zod schemas and the
// OpenAPI document are generated from these tables rather than restated.

/** A documented numeric enum: member name -> [value, description]. */
export type EnumTable = Readonly<Record<string, readonly [number, string]>>;

export const GENDERS = {
  secret: [0, 'unpublic gender'],
  male: [1, 'male gender'],
  female: [2, 'female gender'],
} as const satisfies EnumTable;

export const AUTH_METHODS = {
  password: [0, 'Password authentication'],
  otp: [1, 'One time password authentication'],
  totp: [2, 'Time-based one time password authentication'],
  oauth2: [3, 'OAuth2 authentication'],
} as const satisfies EnumTable;

export const STATUS_CODES = {
  SUCCESS: [100000, 'success'],
  FAILURE: [100001, 'failure'],
} as const satisfies EnumTable;

type Values<T extends EnumTable> = { readonly [K in keyof T]: T[K][0] };

function values<T extends EnumTable>(table: T): Values<T> {
  return Object.fromEntries(Object.entries(table).map(([name, [value]]) => [name, value])) as Values<T>;
}

/** `Gender.male === 1`; the type `Gender` is the union of the values. */
export const Gender = values(GENDERS);
export type Gender = (typeof Gender)[keyof typeof Gender];

export const AuthMethod = values(AUTH_METHODS);
export type AuthMethod = (typeof AuthMethod)[keyof typeof AuthMethod];

export const StatusCode = values(STATUS_CODES);

/** Who a user is to the service: an `admin` manages every user, a `user` only itself. */
export const ROLES = ['admin', 'user'] as const;
export type Role = (typeof ROLES)[number];
export type StatusCode = (typeof StatusCode)[keyof typeof StatusCode];
