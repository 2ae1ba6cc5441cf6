import { useMemo } from 'react';
import { curlCommand } from '../curl';
import { formatBytes } from '../format';
import { findMedia } from '../media';
import type { CapturedRecord, HeaderMap } from '../types';
import { CopyButton } from './CopyButton';
import { JsonView } from './JsonView';
import { MediaPreview } from './MediaPreview';

export function messageText(record: CapturedRecord): string {
  return typeof record.message === 'string' ? record.message : JSON.stringify(record.message, null, 2);
}

/** One message of the pair: its JSON (collapsible, searchable), with copy as JSON and, for requests, curl. */
export function MessageBlock({
  record,
  search,
  label,
}: {
  record: CapturedRecord;
  search: string;
  label: string;
}) {
  const text = messageText(record);
  const media = useMemo(() => findMedia(record.message), [record.message]);
  const replayable = record.direction === 'client_to_server' && typeof record.message !== 'string';
  return (
    <section className="mb-4" aria-label={label}>
      <div className="mb-1 flex items-center gap-2">
        <h3 className="text-[11px] font-semibold tracking-wide text-slate-500 uppercase">{label}</h3>
        <span className="text-[11px] text-slate-400">
          #{record.id} · {record.direction === 'client_to_server' ? 'client → server' : 'server → client'} ·{' '}
          {formatBytes(record.size)}
        </span>
        {record.redactions > 0 ? (
          <span
            className="rounded bg-violet-100 px-1.5 text-[11px] text-violet-800 dark:bg-violet-900/60 dark:text-violet-200"
            title="Secrets (credential-shaped values, values of secret-named keys and headers) were replaced with [REDACTED:kind] before this message was stored"
          >
            {record.redactions === 1 ? '1 value redacted' : `${record.redactions} values redacted`}
          </span>
        ) : null}
        <span className="ml-auto flex gap-1">
          <CopyButton text={text} label="Copy JSON" />
          {replayable ? (
            <CopyButton text={curlCommand(record, window.location.origin)} label="Copy as curl" />
          ) : null}
        </span>
      </div>
      {record.truncated ? (
        <p className="mb-1 text-xs text-amber-700 dark:text-amber-400">
          Stored cut at {formatBytes(text.length)} of {formatBytes(record.size)}.
        </p>
      ) : null}
      <MediaPreview items={media} />
      <div className="overflow-x-auto rounded-md border border-slate-200 bg-slate-50/60 p-2 dark:border-slate-800 dark:bg-slate-900/60">
        {typeof record.message === 'string' ? (
          <pre className="font-mono text-xs break-all whitespace-pre-wrap">{record.message}</pre>
        ) : (
          <JsonView value={record.message} search={search} />
        )}
      </div>
    </section>
  );
}

/** Headers as captured: credentials were redacted before they were stored. */
export function HeadersTable({ title, headers }: { title: string; headers: HeaderMap | null }) {
  if (!headers || Object.keys(headers).length === 0) return null;
  return (
    <section className="mb-4" aria-label={title}>
      <h3 className="mb-1 text-[11px] font-semibold tracking-wide text-slate-500 uppercase">{title}</h3>
      <table className="w-full text-xs">
        <tbody>
          {Object.entries(headers).map(([name, value]) => (
            <tr key={name} className="border-b border-slate-100 dark:border-slate-800">
              <td className="w-48 py-0.5 pr-3 align-top font-mono text-slate-500">{name}</td>
              <td className="py-0.5 font-mono break-all">
                {Array.isArray(value) ? value.join(', ') : value}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
