import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api';
import { curlCommand } from '../curl';
import { formatBytes, formatDateTime, formatDuration } from '../format';
import type { CapturedRecord, HeaderMap } from '../types';
import { CopyButton } from './CopyButton';
import { JsonView } from './JsonView';

type Tab = 'message' | 'headers' | 'timing';

function HeadersTable({ title, headers }: { title: string; headers: HeaderMap | null }) {
  if (!headers || Object.keys(headers).length === 0) return null;
  return (
    <div className="mb-4">
      <h4 className="mb-1 text-xs font-semibold text-slate-500">{title}</h4>
      <table className="w-full text-xs">
        <tbody>
          {Object.entries(headers).map(([name, value]) => (
            <tr key={name} className="border-b border-slate-100 dark:border-slate-800">
              <td className="py-0.5 pr-3 align-top font-mono text-slate-500">{name}</td>
              <td className="break-all py-0.5 font-mono">
                {Array.isArray(value) ? value.join(', ') : value}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MessageBlock({ record, search, label }: { record: CapturedRecord; search: string; label: string }) {
  const text = typeof record.message === 'string' ? record.message : JSON.stringify(record.message, null, 2);
  return (
    <section className="mb-4" aria-label={label}>
      <div className="mb-1 flex items-center gap-2">
        <h4 className="text-xs font-semibold text-slate-500">
          {label} · #{record.id} ·{' '}
          {record.direction === 'client_to_server' ? 'client → server' : 'server → client'}
        </h4>
        <CopyButton text={text} label="Copy JSON" className="ml-auto" />
        {record.direction === 'client_to_server' && typeof record.message !== 'string' ? (
          <CopyButton text={curlCommand(record, window.location.origin)} label="Copy as curl" />
        ) : null}
      </div>
      {record.truncated ? (
        <p className="mb-1 text-xs text-amber-700 dark:text-amber-400">
          Stored cut at {formatBytes(text.length)} of {formatBytes(record.size)}.
        </p>
      ) : null}
      <div className="overflow-x-auto rounded border border-slate-200 p-2 dark:border-slate-800">
        {typeof record.message === 'string' ? (
          <pre className="whitespace-pre-wrap break-all font-mono text-xs">{record.message}</pre>
        ) : (
          <JsonView value={record.message} search={search} />
        )}
      </div>
    </section>
  );
}

/** The selected message and its partner (request ↔ response): JSON, headers, timing, copy as JSON or curl. */
export function RecordDetail({ record, onClose }: { record: CapturedRecord; onClose: () => void }) {
  const [tab, setTab] = useState<Tab>('message');
  const [search, setSearch] = useState('');
  const partner = useQuery({
    queryKey: ['partner', record.id],
    queryFn: async () => {
      if (record.partnerId !== null) return api<CapturedRecord>(`/api/logs/${record.partnerId}`);
      const answers = await api<{ data: CapturedRecord[] }>(`/api/logs?partner=${record.id}`).catch(() => ({
        data: [],
      }));
      return answers.data[0] ?? null;
    },
  });
  const [request, response] =
    record.direction === 'client_to_server' || record.partnerId === null
      ? [record, partner.data]
      : [partner.data, record];
  return (
    <aside
      className="flex h-full min-h-0 flex-col border-l border-slate-200 dark:border-slate-800"
      aria-label="Message detail"
    >
      <div className="flex items-center gap-2 border-b border-slate-200 px-3 py-2 dark:border-slate-800">
        <span className="truncate text-sm font-medium">{record.method ?? record.kind}</span>
        <span className="truncate text-xs text-slate-500">{record.summary}</span>
        <button
          type="button"
          onClick={onClose}
          className="ml-auto rounded px-2 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800"
          aria-label="Close detail"
        >
          ✕
        </button>
      </div>
      <div
        className="flex items-center gap-1 border-b border-slate-200 px-3 py-1 dark:border-slate-800"
        role="tablist"
      >
        {(['message', 'headers', 'timing'] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            onClick={() => setTab(name)}
            className={`rounded px-2 py-0.5 text-xs capitalize ${tab === name ? 'bg-slate-200 dark:bg-slate-800' : 'text-slate-500'}`}
          >
            {name}
          </button>
        ))}
        {tab === 'message' ? (
          <input
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder="Search in JSON"
            aria-label="Search in JSON"
            className="ml-auto w-40 rounded border border-slate-300 bg-transparent px-2 py-0.5 text-xs dark:border-slate-700"
          />
        ) : null}
      </div>
      <div className="min-h-0 flex-1 overflow-auto p-3">
        {tab === 'message' ? (
          <>
            {request ? (
              <MessageBlock
                record={request}
                search={search}
                label={
                  record.partnerId !== null || record.direction === 'client_to_server' ? 'Request' : 'Message'
                }
              />
            ) : null}
            {response ? <MessageBlock record={response} search={search} label="Response" /> : null}
            {partner.isPending ? <p className="text-xs text-slate-500">Looking for its partner…</p> : null}
          </>
        ) : null}
        {tab === 'headers' ? (
          <>
            <HeadersTable
              title="Request headers (secrets redacted)"
              headers={request?.headers.request ?? null}
            />
            <HeadersTable
              title="Response headers"
              headers={response?.headers.response ?? record.headers.response}
            />
          </>
        ) : null}
        {tab === 'timing' ? (
          <dl className="grid grid-cols-[140px_1fr] gap-y-1 text-xs">
            <dt className="text-slate-500">Time</dt>
            <dd>{formatDateTime(record.timestamp)}</dd>
            {request && response ? (
              <>
                <dt className="text-slate-500">Request sent</dt>
                <dd>{formatDateTime(request.timestamp)}</dd>
                <dt className="text-slate-500">Response received</dt>
                <dd>{formatDateTime(response.timestamp)}</dd>
              </>
            ) : null}
            <dt className="text-slate-500">Duration</dt>
            <dd>{formatDuration(response?.durationMs ?? record.durationMs) || '—'}</dd>
            <dt className="text-slate-500">HTTP</dt>
            <dd>
              {record.http.method ?? ''} {record.http.status ?? ''} · {record.http.transport}
              {record.sse?.eventId ? ` · SSE event ${record.sse.eventId}` : ''}
            </dd>
            <dt className="text-slate-500">Size</dt>
            <dd>{formatBytes(record.size)}</dd>
            <dt className="text-slate-500">Tokens (estimate)</dt>
            <dd>{record.tokens ?? '—'}</dd>
            <dt className="text-slate-500">Session</dt>
            <dd className="break-all font-mono">{record.sessionId ?? '—'}</dd>
            <dt className="text-slate-500">Client</dt>
            <dd>
              {[record.client.name, record.client.version].filter(Boolean).join(' ') ||
                record.userAgent ||
                '—'}
            </dd>
            <dt className="text-slate-500">Server</dt>
            <dd>{[record.upstream.name, record.upstream.version].filter(Boolean).join(' ') || '—'}</dd>
            {record.note ? (
              <>
                <dt className="text-slate-500">Note</dt>
                <dd>{record.note}</dd>
              </>
            ) : null}
          </dl>
        ) : null}
      </div>
    </aside>
  );
}
