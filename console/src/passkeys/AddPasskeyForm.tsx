// "Add a passkey": a name for it (what it is on), then the browser's own passkey dialog
// (@simplewebauthn/browser over navigator.credentials.create(), with the service's options), and
// the authenticator's answer sent back (auth.passkeys.register). A cancelled dialog, or a browser
// without passkeys, is said plainly; nothing is added then.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { browserSupportsWebAuthn, startRegistration } from '@simplewebauthn/browser';
import { useState } from 'react';
import type { Passkey } from '../api';
import { Field } from '../common/Field';
import { useReauthenticate } from '../reauthenticate';
import { useTRPC, useTRPCClient } from '../trpc';
import { CeremonyError } from './CeremonyError';

interface AddPasskeyFormProps {
  userId: string;
  /** The name typed before signing in again (../reauthenticate.ts). */
  typedName?: string;
  onAdded: (passkey: Passkey) => void;
}

export function AddPasskeyForm({ userId, typedName, onAdded }: AddPasskeyFormProps) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const reauthenticate = useReauthenticate();
  const [name, setName] = useState(typedName ?? '');
  const add = useMutation({
    mutationFn: async (named: string) => {
      const optionsJSON = await client.auth.passkeys.registrationOptions.mutate({});
      const credential = await startRegistration({ optionsJSON });
      return client.auth.passkeys.register.mutate({ ...(named.trim() ? { name: named } : {}), credential });
    },
    onSuccess: async (passkey) => {
      setName('');
      await queryClient.invalidateQueries({ queryKey: trpc.auth.passkeys.list.queryKey() });
      void queryClient.invalidateQueries(trpc.events.user.queryFilter({ id: userId }));
      onAdded(passkey);
    },
    // past the step-up's age: sign in again, and come back here with the name typed
    onError: (error, named) => void reauthenticate(error, { userId, action: 'passkeys', passkeyName: named }),
  });
  if (!browserSupportsWebAuthn()) return <p>This browser cannot make passkeys.</p>;
  return (
    <form
      aria-labelledby="add-passkey"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate(name);
      }}
    >
      <h4 id="add-passkey">Add a passkey</h4>
      <Field
        label="Passkey name"
        hint="What it is on, to tell it from the others: “work laptop”, “phone”. Up to 64 characters."
      >
        {(control) => (
          <input {...control} maxLength={64} value={name} onChange={(event) => setName(event.target.value)} />
        )}
      </Field>
      {add.isError && <CeremonyError error={add.error} done="added" />}
      <button type="submit" disabled={add.isPending}>
        Add a passkey
      </button>
    </form>
  );
}
