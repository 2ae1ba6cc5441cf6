import { type ReactNode, type Ref, useId } from 'react';

/** A labelled control with an optional hint under it; the label names the control for assistive tech. */
export function Field({ label, hint, children }: { label: string; hint?: string; children: ReactNode }) {
  return (
    <div>
      {/* biome-ignore lint/a11y/noLabelWithoutControl: the control is passed in as children */}
      <label className="block">
        <span className="field-label">{label}</span>
        {children}
      </label>
      {hint ? <p className="mt-1 text-[11px] text-slate-500">{hint}</p> : null}
    </div>
  );
}

/**
 * A labelled text input. Its error shows under it, in place of the hint, and is tied to it
 * (aria-invalid, aria-describedby), so a screen reader reads what is wrong with the field it is on.
 */
export function TextField({
  label,
  hint,
  error,
  value,
  onChange,
  placeholder,
  disabled,
  inputRef,
}: {
  label: string;
  hint?: string;
  error?: string | null;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  disabled?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const id = useId();
  const note = error ?? hint;
  return (
    <div>
      <label className="field-label" htmlFor={`${id}-input`}>
        {label}
      </label>
      <input
        id={`${id}-input`}
        ref={inputRef}
        className={`input font-mono ${error ? 'border-red-500 dark:border-red-500' : ''}`}
        value={value}
        disabled={disabled}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={note ? `${id}-note` : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {note ? (
        <p
          id={`${id}-note`}
          className={`mt-1 text-[11px] ${error ? 'text-red-600 dark:text-red-400' : 'text-slate-500'}`}
        >
          {note}
        </p>
      ) : null}
    </div>
  );
}
