// "Forgot your password?": ask for a reset code by email. The service answers the same for every
// address, known or not, and so does this form; then the reset form takes the code.
import { useMutation } from '@tanstack/react-query';
import { EmailRequestForm } from '../common/EmailRequestForm';
import { useTRPC } from '../trpc';

export function ForgotPasswordForm({
  onRequested,
  onCancel,
}: {
  onRequested: (email: string, message: string) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const forgot = useMutation(
    trpc.auth.password.forgot.mutationOptions({
      onSuccess: ({ message }, { email }) => onRequested(email, message),
    }),
  );
  return (
    <EmailRequestForm
      title="Forgot your password?"
      intro="Type the email address you sign in with: a reset code is sent to it if it signs in with a password."
      submitLabel="Email me a reset code"
      pending={forgot.isPending}
      error={forgot.isError ? forgot.error : null}
      onSubmit={(email) => forgot.mutate({ email })}
      onCancel={onCancel}
    />
  );
}
