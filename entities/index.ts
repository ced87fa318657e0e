// Every entity MikroORM must discover, in one list for the app and the CLI alike.
import { BaseEntity } from './BaseEntity';
import { Email } from './Email';
import { User } from './User';

export { BaseEntity, Email, User };
export * from './enums';
export const entities = [BaseEntity, User, Email];
