// The sign-in screen: every method the service offers (auth.methods), making an account when the
// service takes sign-ups (with a code by mail, or after the OpenID provider's sign-in), the steps after the password (or a new account) for a TOTP user, and the way back in for a forgotten password (ask for a code, then the
// reset form, which a reset mail's link opens directly). How the last session ended, if it did, is
// said at the top.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { LoginResult, TotpToken } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { Notice } from '../common/Notice';
import { PageHeading } from '../common/PageHeading';
import { useSession } from '../session';
import { useTRPC } from '../trpc';
import { EmailCodeSignInForm } from './EmailCodeSignInForm';
import { ForgotPasswordForm } from './ForgotPasswordForm';
import { ResetPasswordForm } from './ResetPasswordForm';
import type { MailLink } from './mail-link';
import { PasswordSignInForm } from './PasswordSignInForm';
import type { ProviderReturn } from './provider-return';
import { PasskeySignInButton } from './PasskeySignInButton';
import { ProviderSignInButton } from './ProviderSignInButton';
import { ProviderSignInCompletion } from './ProviderSignInCompletion';
import { RecoveryCodes } from './RecoveryCodes';
import { useSignIn } from './sign-in';
import { TotpCodeForm } from './TotpCodeForm';
import { TotpEnrollment } from './TotpEnrollment';
import { CreateAccount } from '../sign-up/CreateAccount';
import { AcceptInvitation } from '../sign-up/AcceptInvitation';
import { ProviderSignUp } from '../sign-up/ProviderSignUp';

type Step =
  | { kind: 'methods' }
  | { kind: 'totp'; challengeToken: string }
  | { kind: 'totp_enroll'; challengeToken: string; otpauthUrl: string }
  | { kind: 'recovery_codes'; token: string; codes: string[] }
  | { kind: 'few_recovery_codes'; token: string; left: number }
  | { kind: 'forgot' }
  | { kind: 'sign_up'; email?: string; code?: string }
  | { kind: 'invitation'; token: string }
  | { kind: 'provider_sign_up'; ticket: string }
  | { kind: 'reset'; email: string; code: string; notice?: string };

interface SignInPageProps {
  providerReturn: ProviderReturn | null;
  /** The link of a mail (a reset's email and code, an invitation's token), when it opened the console. */
  mailLink?: MailLink | null;
}

export function SignInPage({ providerReturn, mailLink }: SignInPageProps) {
  const { notice } = useSession();
  const signIn = useSignIn();
  const [step, setStep] = useState<Step>(
    mailLink ??
      (providerReturn && 'signUp' in providerReturn
        ? { kind: 'provider_sign_up', ticket: providerReturn.signUp }
        : { kind: 'methods' }),
  );
  // what a finished password reset said, shown on the sign-in screen it leads back to
  const [done, setDone] = useState<string | null>(null);
  const restart = () => setStep({ kind: 'methods' });

  const afterPassword = (result: LoginResult) => {
    if (!('challenge' in result)) signIn(result.token);
    else if (result.challenge === 'totp') setStep({ kind: 'totp', challengeToken: result.challengeToken });
    else setStep({ kind: 'totp_enroll', challengeToken: result.challengeToken, otpauthUrl: result.otpauthUrl });
  };
  const afterTotp = ({ token, recoveryCodes, recoveryCodesLeft }: TotpToken) => {
    if (recoveryCodes?.length) setStep({ kind: 'recovery_codes', token, codes: recoveryCodes });
    else if (recoveryCodesLeft !== undefined) setStep({ kind: 'few_recovery_codes', token, left: recoveryCodesLeft });
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
    case 'few_recovery_codes':
      return (
        <main className="page">
          <PageHeading>Few recovery codes left</PageHeading>
          <div role="alert" className="alert">
            <p>
              You have {step.left === 1 ? '1 recovery code' : `${step.left} recovery codes`} left. If you lose your
              authenticator app, ask an administrator to reset it: you will set it up again and get 10 new codes.
            </p>
          </div>
          <div className="actions">
            <button type="button" className="primary" autoFocus onClick={() => signIn(step.token)}>
              Continue
            </button>
          </div>
        </main>
      );
    case 'sign_up':
      return (
        <main className="page">
          <PageHeading>Create an account</PageHeading>
          <CreateAccount
            onResult={afterPassword}
            onCancel={restart}
            mailed={step.email === undefined ? undefined : { email: step.email, code: step.code ?? '' }}
          />
        </main>
      );
    case 'invitation':
      return (
        <main className="page">
          <PageHeading>Accept your invitation</PageHeading>
          <AcceptInvitation token={step.token} onResult={afterPassword} onCancel={restart} />
        </main>
      );
    case 'provider_sign_up':
      return (
        <main className="page">
          <PageHeading>Finish making your account</PageHeading>
          <ProviderSignUp ticket={step.ticket} onCancel={restart} />
        </main>
      );
    case 'forgot':
      return (
        <main className="page">
          <PageHeading>Reset your password</PageHeading>
          <ForgotPasswordForm
            onRequested={(email, message) => setStep({ kind: 'reset', email, code: '', notice: message })}
            onCancel={restart}
          />
        </main>
      );
    case 'reset':
      return (
        <main className="page">
          <PageHeading>Reset your password</PageHeading>
          <ResetPasswordForm
            email={step.email}
            code={step.code}
            notice={step.notice}
            onReset={(message) => {
              setDone(message);
              restart();
            }}
            onCancel={restart}
          />
        </main>
      );
    case 'methods':
      return (
        <main className="page">
          <PageHeading>Sign in</PageHeading>
          {notice && <Notice>{notice}</Notice>}
          {done && <Notice>{done}</Notice>}
          {providerReturn && 'error' in providerReturn && (
            <div role="alert" className="alert">
              <p>The sign-in with your provider did not succeed: {providerReturn.error}</p>
            </div>
          )}
          {providerReturn && 'code' in providerReturn && <ProviderSignInCompletion code={providerReturn.code} />}
          <SignInMethods
            onPasswordResult={afterPassword}
            onForgot={() => setStep({ kind: 'forgot' })}
            onSignUp={() => setStep({ kind: 'sign_up' })}
          />
        </main>
      );
  }
}

/** The forms of the methods the service offers; the password one always. */
function SignInMethods({
  onPasswordResult,
  onForgot,
  onSignUp,
}: {
  onPasswordResult: (result: LoginResult) => void;
  onForgot: () => void;
  onSignUp: () => void;
}) {
  const trpc = useTRPC();
  const methods = useQuery(trpc.auth.methods.queryOptions());
  return (
    <>
      <div className="sign-in-methods">
        <div>
          <PasswordSignInForm onResult={onPasswordResult} />
          {methods.data?.emailCode && (
            <button type="button" className="link" onClick={onForgot}>
              Forgot your password?
            </button>
          )}
        </div>
        {methods.data?.emailCode && <EmailCodeSignInForm />}
        {methods.data?.oauth2 && (
          <ProviderSignInButton name={methods.data.oauth2.name} signUp={methods.data.oauth2.signUp} />
        )}
        <PasskeySignInButton />
        {methods.isError && <ErrorMessage error={methods.error} onRetry={() => void methods.refetch()} />}
      </div>
      {methods.data?.signUp && (
        <p className="sign-up-prompt">
          New here?{' '}
          <button type="button" className="link" onClick={onSignUp}>
            Create an account
          </button>
        </p>
      )}
    </>
  );
}
