// Back from the provider with a one-time code: exchange it for a token, once.
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { ErrorMessage } from '../common/ErrorMessage';
import { Notice } from '../common/Notice';
import { useTRPC } from '../trpc';
import { useSignIn } from './sign-in';

export function ProviderSignInCompletion({ code }: { code: string }) {
  const trpc = useTRPC();
  const signIn = useSignIn();
  const exchange = useMutation(trpc.auth.oauth2.token.mutationOptions({ onSuccess: ({ token }) => signIn(token) }));
  const started = useRef(false);
  useEffect(() => {
    // the code works once: a second render must not spend it again
    if (started.current) return;
    started.current = true;
    exchange.mutate({ code });
  }, [code, exchange]);
  if (exchange.isError) return <ErrorMessage error={exchange.error} />;
  return <Notice>Finishing the sign-in with your provider…</Notice>;
}
