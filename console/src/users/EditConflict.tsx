// "Not saved: <name> was changed by someone else". Shown when the service refuses a save because
// the user changed after the form read it: which fields changed, each as it was when the form was
// opened, as it is saved now, and as the form holds it. Nothing is saved until the person chooses:
// "Use their values" puts the saved values of the changed fields in the form (the rest keep what was
// typed), "Keep my changes" keeps what the person changed and takes their values for the fields
// only they changed (a three-way merge: nothing they did is undone unseen); either way the next save is checked against
// the version read now, and replaces it only when pressed.
import { useEffect, useRef } from 'react';
import type { User } from '../api';
import { changedFields, editedValuesOf, FIELD_LABELS, shown } from './user-changes';
import type { UserFormValues } from './UserForm';

interface EditConflictProps {
  /** The user as the form read it. */
  opened: User;
  /** The user as the service has it now. */
  saved: User;
  /** What the form holds. */
  typed: UserFormValues;
  onUseTheirs: () => void;
  onKeepMine: () => void;
}

export function EditConflict({ opened, saved, typed, onUseTheirs, onKeepMine }: EditConflictProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  // the person was pressing "Save": what stopped it is read out first
  useEffect(() => heading.current?.focus(), []);
  const fields = changedFields(opened, saved);
  const before = editedValuesOf(opened);
  const now = editedValuesOf(saved);
  const names = fields.map((field) => FIELD_LABELS[field]).join(', ');
  return (
    <section className="conflict" aria-labelledby="edit-conflict">
      <h3 id="edit-conflict" ref={heading} tabIndex={-1}>
        Not saved: {opened.name} was changed by someone else
      </h3>
      <p>
        {fields.length > 0
          ? `Changed since you opened it: ${names}. Your changes are still in the form.`
          : 'It was saved again since you opened it, but no field shown here changed (its password may have). Your changes are still in the form.'}{' '}
        Choose what to keep, then save again.
      </p>
      {fields.length > 0 && (
        <table className="users changed-fields">
          <caption className="visually-hidden">What changed</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">When you opened it</th>
              <th scope="col">Saved now</th>
              <th scope="col">In your form</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((field) => (
              <tr key={field}>
                <th scope="row">{FIELD_LABELS[field]}</th>
                <td>{shown(before, field)}</td>
                <td>
                  <strong>{shown(now, field)}</strong>
                </td>
                <td>{shown(typed, field)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        {fields.length > 0 && (
          <button type="button" className="primary" onClick={onUseTheirs}>
            Use their values
          </button>
        )}
        <button type="button" onClick={onKeepMine}>
          Keep my changes
        </button>
      </div>
    </section>
  );
}
