// Every entity MikroORM must discover, in one list for the app and the CLI alike. Only users and
// their emails are entities: the sign-in tables are reached through one SQL module per method
// (router/auth/*/…-store.ts), see SQL_ONLY_TABLES in mikro-orm.config.ts for why.
import { BaseEntity } from './BaseEntity';
import { Email } from './Email';
import { User } from './User';

export { BaseEntity, Email, User };
export * from './enums';
export { emailKey, EMAIL_KEY_INDEX, EMAIL_KEY_SQL } from './email-key';
export const entities = [BaseEntity, User, Email];
