// The one normalisation addresses are compared by: ASCII letters lower-cased, nothing else. Unicode
// case folding is left out on purpose: it maps distinct characters together (the Kelvin sign K and
// K, the dotless ı and i …), so two different addresses could look the same to a lookup. The SQL
// expression and the JS function agree letter for letter, and the expression is the one the index
// `emails_address_key_lookup` is built on (migrations/Migration20261210120000.ts), so a lookup
// written with `emailKeySql` reads that index.
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/** The key of the address in `column` (a SQL expression), e.g. `emailKeySql('e.address')`. */
export function emailKeySql(column: string): string {
  return `translate(${column}, '${UPPER}', '${LOWER}')`;
}

/** The key of an address in JS: A–Z become a–z, every other character stays as it is. */
export function emailKey(address: string): string {
  return address.replace(/[A-Z]/g, (letter) => String.fromCharCode(letter.charCodeAt(0) + 32));
}
