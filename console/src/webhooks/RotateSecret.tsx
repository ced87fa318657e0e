// "Rotate secret" on an endpoint: asked first, with what becomes of the old secret (it keeps
// signing beside the new one for 24 hours, so the receiver can move over without losing a
// delivery; or it stops at once, for a secret that leaked), then the new secret shown once
// (../common/NewSecret). The focus goes to the safe answer when asked, and back to the button after.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { Webhook, WebhookRotated } from '../api';
import { ConfirmQuestion, useReturnFocus } from '../common/ConfirmQuestion';
import { ErrorMessage } from '../common/ErrorMessage';
import { useTRPC } from '../trpc';
import { NewSecret } from '../common/NewSecret';
import { WEBHOOK_SECRET_USE } from './webhook-secret';

const OVERLAP_HOURS = 24;

export function RotateSecret({ endpoint }: { endpoint: Webhook }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<'idle' | 'asking' | 'shown'>('idle');
  const [keepOld, setKeepOld] = useState(true);
  const [rotated, setRotated] = useState<WebhookRotated | null>(null);
  const rotate = useMutation(
    trpc.webhooks.rotateSecret.mutationOptions({
      onSuccess: async (answer) => {
        await queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.queryKey() });
        setRotated(answer);
        setStep('shown');
      },
    }),
  );
  const trigger = useRef<HTMLButtonElement>(null);
  useReturnFocus(step !== 'idle', trigger);

  if (step === 'shown' && rotated) {
    const until = rotated.previousSecretExpiresAt;
    return (
      <NewSecret
        use={WEBHOOK_SECRET_USE}
        title={`New signing secret of ${endpoint.url}`}
        secret={rotated.secret}
        note={
          until
            ? `The old secret keeps signing deliveries beside this one until ${new Date(until).toLocaleString()}.`
            : 'The old secret no longer signs anything.'
        }
        onDone={() => {
          setRotated(null);
          setStep('idle');
        }}
      />
    );
  }
  if (step === 'idle') {
    return (
      <button
        ref={trigger}
        type="button"
        onClick={() => {
          rotate.reset();
          setKeepOld(true);
          setStep('asking');
        }}
      >
        Rotate secret
      </button>
    );
  }
  const choice = `rotate-choice-${endpoint.id}`;
  return (
    <ConfirmQuestion
      className="rotate-secret"
      question={`Give ${endpoint.url} a new signing secret? It is shown once, after this.`}
      confirm="Rotate the secret"
      busy={rotate.isPending}
      onConfirm={() => rotate.mutate({ id: endpoint.id, previousValidHours: keepOld ? OVERLAP_HOURS : 0 })}
      onCancel={() => setStep('idle')}
    >
      <fieldset>
        <legend>The old secret</legend>
        <label className="check">
          <input type="radio" name={choice} checked={keepOld} onChange={() => setKeepOld(true)} />
          keeps signing beside the new one for {OVERLAP_HOURS} hours, while the receiver moves over
        </label>
        <label className="check">
          <input type="radio" name={choice} checked={!keepOld} onChange={() => setKeepOld(false)} />
          stops at once (it leaked)
        </label>
      </fieldset>
      {rotate.isError && <ErrorMessage error={rotate.error} />}
    </ConfirmQuestion>
  );
}
