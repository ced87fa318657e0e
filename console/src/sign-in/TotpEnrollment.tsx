// Setting up the authenticator app, on the first TOTP sign-in: the QR code of the `otpauth://`
// URL, and the same secret as text beside it for apps (and people) that cannot scan; then the
// app's first code completes the enrollment.
import type { TotpToken } from '../api';
import { QrCode } from './QrCode';
import { TotpCodeForm } from './TotpCodeForm';

interface TotpEnrollmentProps {
  challengeToken: string;
  otpauthUrl: string;
  onEnrolled: (result: TotpToken) => void;
  onCancel: () => void;
}

export function TotpEnrollment({ challengeToken, otpauthUrl, onEnrolled, onCancel }: TotpEnrollmentProps) {
  const secret = new URL(otpauthUrl).searchParams.get('secret') ?? '';
  return (
    <section aria-labelledby="totp-enrollment">
      <h3 id="totp-enrollment">Set up your authenticator app</h3>
      <p>
        Scan this QR code with an authenticator app, or type the key beside it into the app. Then enter the 6-digit code
        the app shows.
      </p>
      <div className="enrollment">
        <QrCode text={otpauthUrl} label="QR code to add this account to an authenticator app" />
        <dl>
          <dt>Key to type into the app</dt>
          <dd>
            <code className="secret">{groups(secret)}</code>
          </dd>
          <dt>On this device</dt>
          <dd>
            <a href={otpauthUrl}>Open in an authenticator app</a>
          </dd>
        </dl>
      </div>
      <TotpCodeForm
        challengeToken={challengeToken}
        allowRecoveryCode={false}
        onSignedIn={onEnrolled}
        onCancel={onCancel}
      />
    </section>
  );
}

/** The secret in groups of four, as authenticator apps show it (they ignore the spaces). */
function groups(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}
