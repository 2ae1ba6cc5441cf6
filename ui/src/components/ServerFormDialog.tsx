import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, errorMessage, send } from '../api';
import {
  EMPTY_FORM,
  entryFromForm,
  formFromEntry,
  formProblems,
  launchPreview,
  nameProblem,
  type ServerFormState,
  startsNewLaunch,
} from '../server-form';
import type { ServerJson } from '../types';
import { TextField } from './FormField';
import { LaunchPreview } from './LaunchPreview';
import { Modal } from './Modal';
import { HttpFields, StdioFields } from './ServerFormFields';

/**
 * Adds a server, or edits one (`existing`): http (URL, headers) or stdio (command, arguments, environment,
 * working directory, session mode). Secrets come masked and are kept unless retyped.
 */
export function ServerFormDialog({
  existing,
  onClose,
  onSaved,
}: {
  existing?: ServerJson;
  onClose: () => void;
  onSaved: (name: string) => void;
}) {
  const [form, setForm] = useState<ServerFormState>(() =>
    existing ? formFromEntry(existing.name, existing.config) : EMPTY_FORM,
  );
  /** Set by the first Save: from then on each field says what is wrong with it, as it is fixed. */
  const [tried, setTried] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!existing) nameInput.current?.focus();
  }, [existing]);
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: () => {
      const entry = entryFromForm(form, existing?.config);
      return existing
        ? api(`/api/servers/config/${encodeURIComponent(existing.name)}`, send('PUT', entry))
        : api('/api/servers/config', send('POST', { name: form.name, ...entry }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['servers'] });
      onSaved(form.name);
    },
  });
  const set = (change: Partial<ServerFormState>) => {
    setForm({ ...form, ...change });
    // The gateway's refusal was about what was sent: once that changes, it no longer applies.
    save.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    const problems = formProblems(form);
    if (Object.keys(problems).length === 0) save.mutate();
    else {
      // To the first field to fix, once it shows its error (WCAG 3.3.1: the error is named on the field).
      const formElement = event.currentTarget as HTMLFormElement;
      setTimeout(() => formElement.querySelector<HTMLElement>('[aria-invalid=true]')?.focus());
    }
  };
  // A wrong name shows as soon as it is typed (the URL it would make would be wrong too); the other
  // fields, once Save was tried.
  const problems = tried ? formProblems(form) : {};
  const typedNameProblem = existing || form.name === '' ? null : nameProblem(form.name);
  const fieldErrors = { ...problems, ...(typedNameProblem ? { name: typedNameProblem } : {}) };
  const error = save.error ? errorMessage(save.error) : null;
  // What saving will start, shown before it runs and named on the button that runs it.
  const preview = launchPreview(form);
  const launch = preview && startsNewLaunch(form, existing?.config) ? preview : null;
  const saveLabel = existing
    ? launch
      ? `Save and run ${launch.command}`
      : 'Save'
    : launch
      ? `Add server and run ${launch.command}`
      : 'Add server';
  const previewLabel = launch
    ? existing
      ? 'Saving runs this command'
      : 'Adding runs this command'
    : 'The command this server runs';
  return (
    <Modal title={existing ? `Edit ${existing.name}` : 'Add a server'} onClose={onClose} wide>
      <form onSubmit={submit} className="space-y-3 p-4 text-sm">
        <div className="flex gap-3">
          <div className="flex-1">
            <TextField
              label="Name"
              hint={
                existing
                  ? undefined
                  : `Clients will use ${window.location.origin}/s/${form.name || '<name>'}/mcp`
              }
              error={existing ? null : fieldErrors.name}
              value={form.name}
              onChange={(name) => set({ name })}
              placeholder="e.g. my-server"
              disabled={!!existing}
              inputRef={nameInput}
            />
          </div>
          <fieldset>
            <legend className="field-label">Type</legend>
            <div className="flex h-7 rounded-md border border-slate-300 text-xs dark:border-slate-700">
              {(['http', 'stdio'] as const).map((type) => (
                // The radio itself is visually hidden: its label shows the focus ring (WCAG 2.4.7).
                <label
                  key={type}
                  className={`flex cursor-pointer items-center px-3 whitespace-nowrap first:rounded-l-[5px] last:rounded-r-[5px] has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-sky-600 dark:has-[:focus-visible]:outline-sky-400 ${form.type === type ? 'bg-sky-700 text-white' : ''}`}
                >
                  <input
                    type="radio"
                    name="type"
                    value={type}
                    checked={form.type === type}
                    onChange={() => set({ type })}
                    className="sr-only"
                  />
                  {type === 'http' ? 'HTTP (remote URL)' : 'stdio (local command)'}
                </label>
              ))}
            </div>
          </fieldset>
        </div>
        {form.type === 'http' ? (
          <HttpFields form={form} set={set} errors={fieldErrors} />
        ) : (
          <StdioFields form={form} set={set} errors={fieldErrors} />
        )}
        {preview ? (
          <LaunchPreview
            label={previewLabel}
            commandLine={preview.commandLine}
            envNames={preview.envNames}
            cwd={preview.cwd}
          />
        ) : null}
        {error ? (
          <p
            role="alert"
            className="rounded-md bg-red-50 px-3 py-2 text-xs text-red-700 dark:bg-red-950 dark:text-red-300"
          >
            {error}
          </p>
        ) : null}
        <div className="flex justify-end gap-2 border-t border-slate-200 pt-3 dark:border-slate-800">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn-primary max-w-[28rem] truncate"
            disabled={save.isPending}
            title={launch?.commandLine}
          >
            {save.isPending ? 'Saving…' : saveLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
