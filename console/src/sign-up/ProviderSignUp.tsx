// Back from the OpenID provider with a sign-up ticket (sign-up is open, and no account has the
// address it verified): the address, what the provider's profile offers (a name, an age, a gender),
// and the rest;
// the account is made as an OAuth2 one, and the person signed in. A ticket that no longer works
// (used, older than 10 minutes, from another browser) says so, and to sign in with the provider again.
import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ErrorMessage } from '../common/ErrorMessage';
import { Notice } from '../common/Notice';
import { useSignIn } from '../sign-in/sign-in';
import { useTRPC } from '../trpc';
import { NewAccountForm } from './NewAccountForm';

interface ProviderSignUpProps {
  ticket: string;
  onCancel: () => void;
}

export function ProviderSignUp({ ticket, onCancel }: ProviderSignUpProps) {
  const trpc = useTRPC();
  const signIn = useSignIn();
  const lookUp = useMutation(trpc.auth.oauth2.signUpLookup.mutationOptions());
  const complete = useMutation(trpc.auth.oauth2.signUp.mutationOptions({ onSuccess: ({ token }) => signIn(token) }));
  const { mutate } = lookUp;
  useEffect(() => mutate({ ticket }), [mutate, ticket]);
  const back = (
    <button type="button" onClick={onCancel}>
      Back to sign in
    </button>
  );

  if (lookUp.isError) {
    return (
      <>
        <ErrorMessage error={lookUp.error} />
        <div className="actions">{back}</div>
      </>
    );
  }
  if (!lookUp.data) return <p role="status">Opening your new account…</p>;
  const { email, name, age, gender, provider } = lookUp.data;
  return (
    <>
      <Notice>
        {provider} verified your address {email}, and no account has it yet. Tell us the rest to make your account: you
        will sign in with {provider}.
      </Notice>
      <NewAccountForm
        email={email}
        methods={[3]}
        // what the provider's profile offered, for the person to check
        initial={{
          name: name ?? '',
          ...(age === null ? {} : { age: String(age) }),
          ...(gender === null ? {} : { gender }),
        }}
        onSubmit={({ name, age, gender }) => complete.mutate({ ticket, name, age, gender })}
        pending={complete.isPending}
        error={complete.error}
      >
        {back}
      </NewAccountForm>
    </>
  );
}
