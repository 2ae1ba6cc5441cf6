import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ApiError, api, errorMessage } from '../api';
import { Modal } from '../components/Modal';
import { type ImportResult, importBody, importReport } from '../import-file';

function importError(error: unknown): string {
  if (error instanceof ApiError && error.status === 413) {
    return 'The file is larger than the gateway takes in one import: split it into smaller files and import them one by one.';
  }
  return errorMessage(error);
}

/**
 * Brings an export back in (`POST /api/logs/import`): a JSONL file as Export downloads it, from this
 * gateway or another. Records get new ids; what they were stays as it was, and secrets are redacted as
 * capture would have.
 */
export function ImportButton({ onImported }: { onImported: () => void }) {
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const ids = useId();
  const queryClient = useQueryClient();
  const upload = useMutation({
    mutationFn: async (chosen: File) =>
      api<ImportResult>('/api/logs/import', {
        method: 'POST',
        body: await importBody(chosen),
        headers: { 'content-type': 'application/x-ndjson' },
      }),
    onSuccess: () => {
      onImported();
      void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== 'logs' });
    },
  });
  const close = () => {
    setOpen(false);
    setFile(null);
    upload.reset();
  };
  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)}>
        Import…
      </button>
      {open ? (
        <Modal title="Import messages" onClose={close}>
          <form
            className="space-y-3 p-4 text-sm"
            onSubmit={(event) => {
              event.preventDefault();
              if (file) upload.mutate(file);
            }}
          >
            <p>
              Choose a file that Export downloaded (JSON Lines, one message per line). Its messages are added
              to what is stored, with new ids; nothing stored is replaced.
            </p>
            <div>
              <label htmlFor={`${ids}-file`} className="field-label">
                Export file (.jsonl)
              </label>
              <input
                id={`${ids}-file`}
                type="file"
                accept=".jsonl,.ndjson,.json,application/x-ndjson,application/json"
                className="block w-full text-xs file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-2 file:py-1 dark:file:border-slate-700 dark:file:bg-slate-900 dark:file:text-slate-200"
                onChange={(event) => {
                  setFile(event.target.files?.[0] ?? null);
                  upload.reset();
                }}
              />
            </div>
            {upload.error ? (
              <p role="alert" className="text-xs text-red-600 dark:text-red-400">
                Nothing was imported from {file?.name}: {importError(upload.error)}
              </p>
            ) : null}
            <p role="status" className="text-xs text-emerald-800 dark:text-emerald-300">
              {upload.data ? importReport(upload.data) : ''}
            </p>
            <div className="flex justify-end gap-2 pt-1">
              <button type="button" className="btn" onClick={close}>
                {upload.data ? 'Close' : 'Cancel'}
              </button>
              <button type="submit" className="btn btn-primary" disabled={!file || upload.isPending}>
                {upload.isPending ? 'Importing…' : 'Import'}
              </button>
            </div>
          </form>
        </Modal>
      ) : null}
    </>
  );
}
