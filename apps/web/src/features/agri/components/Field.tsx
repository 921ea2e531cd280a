// A plain form field for the farm's phone pages: its label, the control, a hint, and the problem in
// words right under it (红字, and named to screen readers through aria-describedby), so a wrong
// area or a date in the future is explained where it was typed, not only at the top of the page.
import { cloneElement, type ReactElement, useId } from 'react';

export function Field({
  label,
  hint,
  problem,
  children,
}: {
  label: string;
  hint?: string;
  problem?: string;
  children: ReactElement<{ id?: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }>;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const problemId = `${id}-problem`;
  const describedBy = [hint && hintId, problem && problemId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="agri-field">
      <label className="agri-field-label" htmlFor={id}>
        {label}
      </label>
      {cloneElement(children, { id, 'aria-invalid': problem ? true : undefined, 'aria-describedby': describedBy })}
      {hint && (
        <span className="agri-field-hint" id={hintId}>
          {hint}
        </span>
      )}
      {problem && (
        <span className="agri-field-problem" id={problemId} role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}
