// End-to-end typing, proved: the console's components take the types of the router's outputs,
// so an output that changes shape breaks the console's type-check (`tsc -p console`, in npm
// test). Two fixture routers serve users.read with the real output schema and with the same
// schema after one rename (`name` to `displayName`); the real one fits every component that
// shows a user, the renamed one fits none: each `@ts-expect-error` below fails the type-check
// the day it stops being an error. Never run, never bundled.
import { initTRPC, type inferRouterOutputs } from '@trpc/server';
import { z } from 'zod';
import type { RouterOutputs } from '../../client';
import { ReadUserInput, UserSchema } from '../../router/users/user-schemas';
import { EditUserForm } from '../src/users/EditUserForm';
import { formValuesOf } from '../src/users/UserForm';
import { ServerOwnedValues } from '../src/users/ServerOwnedValues';
import { UsersTable } from '../src/users/UsersTable';

const t = initTRPC.create();

function routerServing<T extends z.ZodType>(output: T) {
  return t.router({
    users: t.router({
      read: t.procedure
        .input(ReadUserInput)
        .output(output)
        .query(() => {
          throw new Error('a type fixture: never called');
        }),
    }),
  });
}

export const asPublished = routerServing(UserSchema);
export const renamed = routerServing(UserSchema.omit({ name: true }).extend({ displayName: UserSchema.shape.name }));

type PublishedUser = inferRouterOutputs<typeof asPublished>['users']['read'];
type RenamedUser = inferRouterOutputs<typeof renamed>['users']['read'];

declare const published: PublishedUser;
declare const afterRename: RenamedUser;
declare const version: RouterOutputs['users']['get']['version'];
const nothing = () => undefined;

// the fixture is the real thing: its output is the type the console gets from AppRouter
export const same: RouterOutputs['users']['read'] = published;

export const fits = [
  <UsersTable key="table" users={[published]} onEdit={nothing} onDelete={nothing} />,
  <ServerOwnedValues key="owned" user={published} />,
  <EditUserForm key="form" user={published} version={version} isSelf={false} />,
  formValuesOf(published),
];

export const breaks = [
  // @ts-expect-error the table shows `name`, which the renamed output no longer has
  <UsersTable key="table" users={[afterRename]} onEdit={nothing} onDelete={nothing} />,
  // @ts-expect-error the page of a user takes the whole published user
  <ServerOwnedValues key="owned" user={afterRename} />,
  // @ts-expect-error the form starts from the user's `name`
  <EditUserForm key="form" user={afterRename} version={version} isSelf={false} />,
  // @ts-expect-error the form's values read `name`
  formValuesOf(afterRename),
];
