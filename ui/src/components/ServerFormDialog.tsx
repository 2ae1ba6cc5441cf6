import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, errorMessage, send } from '../api';
import {
  EMPTY_FORM,
  entryFromForm,
  formFromEntry,
  formProblem,
  launchPreview,
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
  const [shown, setShown] = useState<string | null>(null);
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
  const set = (change: Partial<ServerFormState>) => setForm({ ...form, ...change });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = formProblem(form);
    setShown(problem);
    if (!problem) save.mutate();
  };
  const error = shown ?? (save.error ? errorMessage(save.error) : null);
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
              value={form.name}
              onChange={(name) => set({ name })}
              placeholder="my-server"
              disabled={!!existing}
              inputRef={nameInput}
            />
          </div>
          <fieldset>
            <legend className="field-label">Type</legend>
            <div className="flex h-7 overflow-hidden rounded-md border border-slate-300 text-xs dark:border-slate-700">
              {(['http', 'stdio'] as const).map((type) => (
                <label
                  key={type}
                  className={`flex cursor-pointer items-center px-3 ${form.type === type ? 'bg-sky-600 text-white' : ''}`}
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
        {form.type === 'http' ? <HttpFields form={form} set={set} /> : <StdioFields form={form} set={set} />}
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
