// "Are you sure?" before a step that cannot be taken back (signing a user out everywhere, resetting
// an authenticator, rotating a webhook secret): the question, what else it asks (children), the
// step as a danger button and Cancel, which has the focus so that Enter is the safe answer. With
// useReturnFocus, the focus goes back where the person was once the question is gone.
import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';

interface ConfirmQuestionProps {
  question: ReactNode;
  /** The danger button's label: the step itself ("Sign dana out everywhere"). */
  confirm: string;
  /** While the step runs: the button is disabled, so it is not taken twice. */
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** More to choose or to know before the step (options, an error). */
  children?: ReactNode;
  className?: string;
}

export function ConfirmQuestion({
  question,
  confirm,
  busy,
  onConfirm,
  onCancel,
  children,
  className,
}: ConfirmQuestionProps) {
  const id = useId();
  return (
    <div role="group" aria-labelledby={id} className={className}>
      <p id={id}>{question}</p>
      {children}
      <div className="actions">
        <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
          {confirm}
        </button>
        <button type="button" autoFocus onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/**
 * When `open` turns false (the question answered or cancelled), moves the focus to the first of
 * `targets` that is there and enabled: its button, or a heading when the button is gone or
 * disabled. Without it the focus would fall to the page's start with the removed question.
 */
export function useReturnFocus(open: boolean, ...targets: Array<RefObject<HTMLElement | null>>): void {
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open) {
      wasOpen.current = true;
      return;
    }
    if (!wasOpen.current) return;
    wasOpen.current = false;
    const target = targets
      .map((ref) => ref.current)
      .find((element) => element && !(element instanceof HTMLButtonElement && element.disabled));
    target?.focus();
  });
}
