// Which account an email address names: the one normalisation the service compares addresses by
// (docs/security.md, "Email addresses"). Two addresses are the same account exactly when their
// keys are equal. The key lower-cases A–Z to a–z and keeps every other character as it is: no
// Unicode case mapping, folding or normalisation, no trimming. So `KELVIN@EXAMPLE.COM` is
// `kelvin@example.com`, but `\u212Aelvin@…` (KELVIN SIGN), `ma\u017Fsive@…` (long s), `t\u0131m@…`
// (dotless i), `T\u0130M@…` (dotted capital I) and full-width `\uFF41lice@…` are other addresses,
// whatever the database's locale or the JavaScript engine's Unicode tables say about them.
// The same rule in SQL is the function `email_key(text)` (migrations/Migration20261219120000.ts),
// which the unique index on emails is built on and every lookup by address goes through; each side
// is tested against the other (test/security/email-lookalikes.test.ts).

/** The SQL function that computes the key in PostgreSQL; `${EMAIL_KEY_SQL}(e.address)` uses its index. */
export const EMAIL_KEY_SQL = 'email_key';

/** The unique index on `email_key(address)`: one account per key. */
export const EMAIL_KEY_INDEX = 'emails_address_key_unique';

/**
 * The key of the address in `column` (a SQL expression), e.g. `emailKeySql('e.address')`: the
 * function the unique index is built on, which PostgreSQL inlines, so a lookup, a filter or a sort
 * written with it reads that index.
 */
export function emailKeySql(column: string): string {
  return `${EMAIL_KEY_SQL}(${column})`;
}

/** The key of an address: ASCII A–Z lower-cased, every other character kept as it is. */
export function emailKey(address: string): string {
  return address.replace(/[A-Z]/g, (letter) => String.fromCharCode(letter.charCodeAt(0) + 32));
}
