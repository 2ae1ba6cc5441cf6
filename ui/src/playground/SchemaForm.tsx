import { type FormEvent, type ReactNode, useId, useMemo, useState } from 'react';
import {
  buildValue,
  type FormField,
  type FormValues,
  formFields,
  initialValues,
  valuesFrom,
} from './form-model';
import type { Schema } from './schema-check';

/** String formats a browser input knows how to take (the elicitation spec's email, uri and date). */
const INPUT_TYPES: Record<string, string> = { email: 'email', uri: 'url', date: 'date' };

function FieldInput({
  field,
  value,
  error,
  onChange,
}: {
  field: FormField;
  value: string | boolean | string[] | undefined;
  error: string | undefined;
  onChange: (value: string | boolean | string[]) => void;
}) {
  const id = useId();
  const note = error ?? field.description;
  const described = note ? `${id}-note` : undefined;
  const common = {
    id,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': described,
    'aria-required': field.required || undefined,
  } as const;
  const text = typeof value === 'string' ? value : '';
  const label = (
    <label className="field-label" htmlFor={id}>
      {field.title}
      {field.required ? (
        <span className="text-red-600 dark:text-red-400" title="required">
          {' '}
          *
        </span>
      ) : null}
      <span className="ml-1 font-normal text-slate-400">{field.kind === 'enum' ? 'choice' : field.kind}</span>
    </label>
  );
  let control: ReactNode;
  if (field.kind === 'boolean') {
    return (
      <div>
        <label className="flex items-center gap-2 text-sm" htmlFor={id}>
          <input
            {...common}
            type="checkbox"
            checked={value === true}
            onChange={(event) => onChange(event.target.checked)}
          />
          {field.title}
          {field.required ? <span className="text-red-600 dark:text-red-400"> *</span> : null}
        </label>
        {note ? (
          <p id={described} className="mt-1 text-[11px] text-slate-500">
            {note}
          </p>
        ) : null}
      </div>
    );
  }
  if (field.kind === 'multi') {
    const ticked = Array.isArray(value) ? value : [];
    return (
      <fieldset aria-describedby={described}>
        <legend className="field-label">
          {field.title}
          {field.required ? <span className="text-red-600 dark:text-red-400"> *</span> : null}
          <span className="ml-1 font-normal text-slate-400">choices</span>
        </legend>
        <div className="flex flex-wrap gap-x-3 gap-y-1">
          {field.options.map((option) => (
            <label key={option.value} className="flex items-center gap-1 text-sm">
              <input
                type="checkbox"
                checked={ticked.includes(option.value)}
                onChange={(event) =>
                  onChange(
                    event.target.checked
                      ? [...ticked, option.value]
                      : ticked.filter((v) => v !== option.value),
                  )
                }
              />
              {option.label}
            </label>
          ))}
        </div>
        {note ? (
          <p
            id={described}
            className={`mt-1 text-[11px] ${error ? 'text-red-600 dark:text-red-400' : 'text-slate-500'}`}
          >
            {note}
          </p>
        ) : null}
      </fieldset>
    );
  }
  if (field.kind === 'enum') {
    control = (
      <select {...common} className="input" value={text} onChange={(event) => onChange(event.target.value)}>
        <option value="">{field.required ? 'Choose…' : '(none)'}</option>
        {field.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === 'json') {
    control = (
      <textarea
        {...common}
        className="input min-h-20 font-mono text-xs"
        spellCheck={false}
        value={text}
        placeholder="JSON"
        onChange={(event) => onChange(event.target.value)}
      />
    );
  } else {
    control = (
      <input
        {...common}
        className="input font-mono"
        type={field.kind === 'string' ? (INPUT_TYPES[String(field.schema.format)] ?? 'text') : 'number'}
        step={field.kind === 'integer' ? 1 : 'any'}
        value={text}
        onChange={(event) => onChange(event.target.value)}
      />
    );
  }
  return (
    <div>
      {label}
      {control}
      {note ? (
        <p
          id={described}
          className={`mt-1 text-[11px] ${error ? 'text-red-600 dark:text-red-400' : 'text-slate-500'}`}
        >
          {note}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A form generated from a JSON Schema object, with a switch to edit the whole value as raw JSON (for what
 * a form cannot express, or to paste arguments). Submits the built value; bad fields say what is wrong.
 */
export function SchemaForm({
  schema,
  label,
  submitLabel,
  busy = false,
  onSubmit,
  children,
}: {
  schema: Schema | undefined;
  label: string;
  submitLabel: string;
  busy?: boolean;
  onSubmit: (value: Record<string, unknown>) => void;
  /** More buttons beside the submit one (Decline, Cancel). */
  children?: ReactNode;
}) {
  const fields = useMemo(() => formFields(schema), [schema]);
  const [values, setValues] = useState<FormValues>(() => initialValues(fields));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [raw, setRaw] = useState<string | null>(null);
  const [rawError, setRawError] = useState<string | null>(null);
  const rawId = useId();

  const parseRaw = (text: string): Record<string, unknown> | null => {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        return parsed as Record<string, unknown>;
      }
      setRawError('The arguments must be a JSON object, such as {"message": "hi"}.');
    } catch (error) {
      setRawError(`Not valid JSON: ${(error as Error).message}. Fix it, or switch back to the form.`);
    }
    return null;
  };

  const toggleRaw = () => {
    if (raw === null) {
      const built = buildValue(fields, values);
      setRaw(JSON.stringify(built.ok ? built.value : {}, null, 2));
      setRawError(null);
      return;
    }
    const parsed = parseRaw(raw);
    if (!parsed) return;
    setValues(valuesFrom(fields, parsed));
    setRaw(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (raw !== null) {
      const parsed = parseRaw(raw);
      if (parsed) {
        setRawError(null);
        onSubmit(parsed);
      }
      return;
    }
    const built = buildValue(fields, values);
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    onSubmit(built.value);
  };

  return (
    <form aria-label={label} className="flex flex-col gap-2" onSubmit={submit} noValidate>
      {raw === null ? (
        fields.length === 0 ? (
          <p className="text-xs text-slate-500">No arguments.</p>
        ) : (
          fields.map((field) => (
            <FieldInput
              key={field.name}
              field={field}
              value={values[field.name]}
              error={errors[field.name]}
              onChange={(value) => setValues((old) => ({ ...old, [field.name]: value }))}
            />
          ))
        )
      ) : (
        <div>
          <label className="field-label" htmlFor={rawId}>
            Arguments (JSON)
          </label>
          <textarea
            id={rawId}
            className="input min-h-28 font-mono text-xs"
            spellCheck={false}
            value={raw}
            aria-invalid={rawError ? true : undefined}
            aria-describedby={rawError ? `${rawId}-error` : undefined}
            onChange={(event) => setRaw(event.target.value)}
          />
          {rawError ? (
            <p id={`${rawId}-error`} className="mt-1 text-[11px] text-red-600 dark:text-red-400">
              {rawError}
            </p>
          ) : null}
        </div>
      )}
      <div className="flex flex-wrap items-center gap-1.5">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {submitLabel}
        </button>
        {children}
        <button type="button" className="btn ml-auto" aria-pressed={raw !== null} onClick={toggleRaw}>
          Edit as JSON
        </button>
      </div>
    </form>
  );
}
