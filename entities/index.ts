// Every entity MikroORM must discover, in one list for the app and the CLI alike.
import { BaseEntity } from './BaseEntity';
import { Email } from './Email';
import { EmailCode } from './EmailCode';
import { OAuthIdentity } from './OAuthIdentity';
import { OAuthLoginCode } from './OAuthLoginCode';
import { OAuthState } from './OAuthState';
import { RecoveryCode } from './RecoveryCode';
import { RevokedToken } from './RevokedToken';
import { TotpCredential } from './TotpCredential';
import { User } from './User';

export {
  BaseEntity,
  Email,
  EmailCode,
  OAuthIdentity,
  OAuthLoginCode,
  OAuthState,
  RecoveryCode,
  RevokedToken,
  TotpCredential,
  User,
};
export * from './enums';
export const entities = [
  BaseEntity,
  User,
  Email,
  TotpCredential,
  RecoveryCode,
  EmailCode,
  OAuthIdentity,
  OAuthState,
  OAuthLoginCode,
  RevokedToken,
];
