// What a key of a user's metadata may be: a letter or `_`, then letters, digits, `_` and `-`, at
// most 64 in all. One rule for the keys the metadata holds (router/metadata/metadata-schemas.ts)
// and for the keys of it that access tokens carry (TOKEN_APP_METADATA, server/config/config.ts).
export const METADATA_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
