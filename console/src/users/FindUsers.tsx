// "Find users", above the list: a search by name or address, applied once the typing pauses (or at
// Enter), and the sign-in methods to show (none ticked: every method), applied at once. A search of
// fewer than two characters searches nothing: the service takes no shorter one. A metadata filter
// (JSON the users' metadata contains) is applied at Enter, once it is a filter; until then the
// box says what is wrong with it, and the list stays as it was. "Signed in" (in the last 30 days, or
// not in the last 30, 90, 365: the dormant accounts) is applied at once.
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { SignInMethod } from '../api';
import { Field } from '../common/Field';
import { optionsOf, SIGN_IN_METHOD_LABELS } from './labels';
import {
  MAX_SEARCH,
  MIN_SEARCH,
  SIGNED_IN_CHOICES,
  metadataFilterOf,
  searchText,
  type ListView,
  type SignedIn,
} from './list-view';

/** How long typing pauses before the list follows it. */
const TYPING_PAUSE_MS = 300;

interface FindUsersProps {
  view: ListView;
  onChange: (view: ListView) => void;
  /** The search box, for the page to bring the focus back to (after "Clear the search"). */
  searchBox?: RefObject<HTMLInputElement | null>;
}

export function FindUsers({ view, onChange, searchBox }: FindUsersProps) {
  const [typed, setTyped] = useState(view.q);
  const [typedMetadata, setTypedMetadata] = useState(view.metadata);
  const [metadataProblem, setMetadataProblem] = useState<string | undefined>();
  // cleared elsewhere ("Clear the search"): the box follows
  useEffect(() => {
    if (view.metadata === '') {
      setTypedMetadata('');
      setMetadataProblem(undefined);
    }
  }, [view.metadata]);
  // the search this box last gave the list: another one came from elsewhere ("Clear the search")
  const given = useRef(view.q);
  useEffect(() => {
    if (view.q !== given.current) {
      given.current = view.q;
      setTyped(view.q);
    }
  }, [view.q]);
  // the view as it is when the pause ends (a method may have been ticked meanwhile)
  const latest = useRef(view);
  useEffect(() => {
    latest.current = view;
  }, [view]);
  const apply = (text: string) => {
    const q = searchText(text);
    given.current = q;
    if (q !== latest.current.q) onChange({ ...latest.current, q });
  };
  useEffect(() => {
    const timer = setTimeout(() => apply(typed), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
    // only typing starts the pause (`apply` reads the latest view)
  }, [typed]);
  const toggle = (method: SignInMethod, on: boolean) => {
    const methods = on ? [...view.authMethods, method] : view.authMethods.filter((m) => m !== method);
    onChange({ ...view, authMethods: [...new Set(methods)].sort() });
  };

  return (
    <form
      role="search"
      aria-label="Find users"
      className="find-users"
      onSubmit={(event) => {
        event.preventDefault();
        const metadata = metadataFilterOf(typedMetadata);
        setMetadataProblem('problem' in metadata ? metadata.problem : undefined);
        const q = searchText(typed);
        given.current = q;
        const next = { ...latest.current, q, ...('filter' in metadata ? { metadata: metadata.filter } : {}) };
        if (next.q !== latest.current.q || next.metadata !== latest.current.metadata) onChange(next);
      }}
    >
      <Field label="Name or email contains" hint={`At least ${MIN_SEARCH} characters.`}>
        {(control) => (
          <input
            {...control}
            ref={searchBox}
            type="search"
            autoComplete="off"
            maxLength={MAX_SEARCH}
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
          />
        )}
      </Field>
      <Field
        label="Metadata contains (JSON)"
        hint='For example {"app": {"plan": "pro"}}. Press Enter to apply.'
        error={metadataProblem}
      >
        {(control) => (
          <input
            {...control}
            type="text"
            autoComplete="off"
            spellCheck={false}
            maxLength={2048}
            value={typedMetadata}
            onChange={(event) => setTypedMetadata(event.target.value)}
          />
        )}
      </Field>
      <Field label="Signed in">
        {(control) => (
          <select
            {...control}
            value={view.signedIn}
            onChange={(event) => onChange({ ...view, signedIn: event.target.value as SignedIn })}
          >
            {Object.entries(SIGNED_IN_CHOICES).map(([value, { label }]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset>
        <legend>Sign-in method</legend>
        {optionsOf(SIGN_IN_METHOD_LABELS).map(({ value, label }) => (
          <label key={value} className="check">
            <input
              type="checkbox"
              checked={view.authMethods.includes(value)}
              onChange={(event) => toggle(value, event.target.checked)}
            />
            {label}
          </label>
        ))}
      </fieldset>
      {/* with two text boxes, Enter submits only through a submit button (HTML's implicit submission) */}
      <button type="submit" className="find-submit">
        Find
      </button>
    </form>
  );
}
