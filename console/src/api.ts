// What the console knows of the service: types only, each inferred from the server's
// `type AppRouter` (through the typed client in client/), never written here a second time.
import type { RouterInputs, RouterOutputs } from '../../client';

export type User = RouterOutputs['users']['read'];
export type UserList = RouterOutputs['users']['list'];
export type UserCreate = RouterInputs['users']['create'];
export type UserUpdate = RouterInputs['users']['update'];
/** A user brought from another system with its password hash (users.import). */
export type UserImport = RouterInputs['users']['import']['users'][number];
/** A user with the version it was read at (users.get): what a write sends back as `expectedVersion`. */
export type VersionedUser = RouterOutputs['users']['get'];
export type UserVersion = VersionedUser['version'];
/** A page of the list (users.search), with the cursor of the page after it. */
export type UserSearch = RouterOutputs['users']['search'];
export type UserSearchInput = RouterInputs['users']['search'];
export type UserMetadata = RouterOutputs['metadata']['read'];
export type UserListCursor = NonNullable<UserSearch['next']>;
/** An order of the list: a field, ascending, or descending with a leading `-`. */
export type UserSort = NonNullable<UserSearchInput['sort']>;
export type UserSortField = Exclude<UserSort, `-${string}`>;
export type Gender = User['gender'];
export type SignInMethod = User['email']['authMethod'];
export type Session = RouterOutputs['auth']['session'];
export type SignInMethods = RouterOutputs['auth']['methods'];
export type LoginResult = RouterOutputs['auth']['login'];
export type TotpToken = RouterOutputs['auth']['totp'];
export type SessionInfo = RouterOutputs['sessions']['list']['items'][number];
export type AccountStatus = RouterOutputs['users']['status'];
export type UserEvents = RouterOutputs['events']['user'];
export type UserEvent = UserEvents['items'][number];
export type Webhook = RouterOutputs['webhooks']['read'];
export type WebhookCreated = RouterOutputs['webhooks']['create'];
export type WebhookRotated = RouterOutputs['webhooks']['rotateSecret'];
export type WebhookDelivery = RouterOutputs['webhooks']['deliveries']['items'][number];
export type ApiClient = RouterOutputs['clients']['list']['items'][number];
export type ApiClientCreated = RouterOutputs['clients']['create'];
export type Passkey = RouterOutputs['auth']['passkeys']['list']['items'][number];
export type Invitation = RouterOutputs['invitations']['list']['items'][number];
