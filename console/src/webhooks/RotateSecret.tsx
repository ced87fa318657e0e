// "Rotate secret" on an endpoint: asked first, with what becomes of the old secret (it keeps
// signing beside the new one for 24 hours, so the receiver can move over without losing a
// delivery; or it stops at once, for a secret that leaked), then the new secret shown once
// (./NewSecret). The focus goes to the safe answer when asked, and back to the button after.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { Webhook, WebhookRotated } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { useTRPC } from '../trpc';
import { NewSecret } from './NewSecret';

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
  const wasOpen = useRef(false);
  useEffect(() => {
    if (step !== 'idle') wasOpen.current = true;
    else if (wasOpen.current) {
      wasOpen.current = false;
      trigger.current?.focus();
    }
  }, [step]);

  if (step === 'shown' && rotated) {
    const until = rotated.previousSecretExpiresAt;
    return (
      <NewSecret
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
  const questionId = `rotate-question-${endpoint.id}`;
  return (
    <div role="group" aria-labelledby={questionId} className="rotate-secret">
      <p id={questionId}>Give {endpoint.url} a new signing secret? It is shown once, after this.</p>
      <fieldset>
        <legend>The old secret</legend>
        <label className="check">
          <input type="radio" name={questionId} checked={keepOld} onChange={() => setKeepOld(true)} />
          keeps signing beside the new one for {OVERLAP_HOURS} hours, while the receiver moves over
        </label>
        <label className="check">
          <input type="radio" name={questionId} checked={!keepOld} onChange={() => setKeepOld(false)} />
          stops at once (it leaked)
        </label>
      </fieldset>
      {rotate.isError && <ErrorMessage error={rotate.error} />}
      <div className="actions">
        <button
          type="button"
          className="danger"
          disabled={rotate.isPending}
          onClick={() => rotate.mutate({ id: endpoint.id, previousValidHours: keepOld ? OVERLAP_HOURS : 0 })}
        >
          Rotate the secret
        </button>
        <button type="button" autoFocus onClick={() => setStep('idle')}>
          Cancel
        </button>
      </div>
    </div>
  );
}
