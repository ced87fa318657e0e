// The sign-in screen: every method the service offers (auth.methods), and the steps after the
// password for a TOTP user. How the last session ended, if it did, is said at the top.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { LoginResult, TotpToken } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { Notice } from '../common/Notice';
import { PageHeading } from '../common/PageHeading';
import { useSession } from '../session';
import { useTRPC } from '../trpc';
import { EmailCodeSignInForm } from './EmailCodeSignInForm';
import { PasswordSignInForm } from './PasswordSignInForm';
import type { ProviderReturn } from './provider-return';
import { ProviderSignInButton } from './ProviderSignInButton';
import { ProviderSignInCompletion } from './ProviderSignInCompletion';
import { RecoveryCodes } from './RecoveryCodes';
import { useSignIn } from './sign-in';
import { TotpCodeForm } from './TotpCodeForm';
import { TotpEnrollment } from './TotpEnrollment';

type Step =
  | { kind: 'methods' }
  | { kind: 'totp'; challengeToken: string }
  | { kind: 'totp_enroll'; challengeToken: string; otpauthUrl: string }
  | { kind: 'recovery_codes'; token: string; codes: string[] };

export function SignInPage({ providerReturn }: { providerReturn: ProviderReturn | null }) {
  const { notice } = useSession();
  const signIn = useSignIn();
  const [step, setStep] = useState<Step>({ kind: 'methods' });
  const restart = () => setStep({ kind: 'methods' });

  const afterPassword = (result: LoginResult) => {
    if (!('challenge' in result)) signIn(result.token);
    else if (result.challenge === 'totp') setStep({ kind: 'totp', challengeToken: result.challengeToken });
    else setStep({ kind: 'totp_enroll', challengeToken: result.challengeToken, otpauthUrl: result.otpauthUrl });
  };
  const afterTotp = ({ token, recoveryCodes }: TotpToken) => {
    if (recoveryCodes?.length) setStep({ kind: 'recovery_codes', token, codes: recoveryCodes });
    else signIn(token);
  };

  switch (step.kind) {
    case 'totp':
      return (
        <main className="page">
          <PageHeading>Enter your authenticator code</PageHeading>
          <TotpCodeForm
            key={step.challengeToken}
            challengeToken={step.challengeToken}
            allowRecoveryCode
            onSignedIn={afterTotp}
            onCancel={restart}
          />
        </main>
      );
    case 'totp_enroll':
      return (
        <main className="page">
          <PageHeading>Two-step sign-in</PageHeading>
          <TotpEnrollment
            key={step.challengeToken}
            challengeToken={step.challengeToken}
            otpauthUrl={step.otpauthUrl}
            onEnrolled={afterTotp}
            onCancel={restart}
          />
        </main>
      );
    case 'recovery_codes':
      return (
        <main className="page">
          <PageHeading>Your authenticator app is set up</PageHeading>
          <RecoveryCodes codes={step.codes} onContinue={() => signIn(step.token)} />
        </main>
      );
    case 'methods':
      return (
        <main className="page">
          <PageHeading>Sign in</PageHeading>
          {notice && <Notice>{notice}</Notice>}
          {providerReturn && 'error' in providerReturn && (
            <div role="alert" className="alert">
              <p>The sign-in with your provider did not succeed: {providerReturn.error}</p>
            </div>
          )}
          {providerReturn && 'code' in providerReturn && <ProviderSignInCompletion code={providerReturn.code} />}
          <SignInMethods onPasswordResult={afterPassword} />
        </main>
      );
  }
}

/** The forms of the methods the service offers; the password one always. */
function SignInMethods({ onPasswordResult }: { onPasswordResult: (result: LoginResult) => void }) {
  const trpc = useTRPC();
  const methods = useQuery(trpc.auth.methods.queryOptions());
  return (
    <div className="sign-in-methods">
      <PasswordSignInForm onResult={onPasswordResult} />
      {methods.data?.emailCode && <EmailCodeSignInForm />}
      {methods.data?.oauth2 && <ProviderSignInButton name={methods.data.oauth2.name} />}
      {methods.isError && <ErrorMessage error={methods.error} onRetry={() => void methods.refetch()} />}
    </div>
  );
}
