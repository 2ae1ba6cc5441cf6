import { useQuery } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import { api, errorMessage, withQuery } from '../api';
import { formatBytes, formatDateTime, formatDuration, methodColor } from '../format';
import { linkClick } from '../router';
import { onTabListKey } from '../tabs';
import type { CapturedRecord, RecordSummary, RecordWithPartner } from '../types';
import { JsonSearch } from './JsonSearch';
import { HeadersTable, MessageBlock } from './MessageBlock';
import { OperationLink } from './OperationLink';
import { ReplayPanel } from './ReplayPanel';
import { TimingBreakdown } from './TimingBreakdown';

const TABS = ['message', 'headers', 'timing'] as const;
type Tab = (typeof TABS)[number];

/** To the timeline of the session the message belongs to. */
function SessionLink({ record }: { record: RecordSummary }) {
  const path = withQuery(`/ui/sessions/${encodeURIComponent(record.sessionId ?? '')}`, {
    server: record.server,
    record: String(record.id),
  });
  return (
    <a href={path} onClick={linkClick(path)} className="btn btn-sm" title="Read the whole session">
      Session timeline
    </a>
  );
}

/** Request first, response second, whichever of the two was selected. */
function pairOf(record: RecordWithPartner): [CapturedRecord | null, CapturedRecord | null] {
  const { partner } = record;
  if (!partner) return [record, null];
  return record.kind === 'request' ? [record, partner] : [partner, record];
}

/** A multi-round operation (MRTR rounds, a task): what the request continues, the total on its last answer. */
function operationRows(request: RecordSummary, response: CapturedRecord | null): [string, string][] {
  const rows: [string, string][] = [];
  if (response?.operationMs != null) rows.push(['Operation total', formatDuration(response.operationMs)]);
  if (request.linkedId !== null) {
    const kind = request.linkKind === 'task' ? 'the request that created its task' : 'its earlier round';
    rows.push(['Continues', `#${request.linkedId} (${kind})`]);
  }
  return rows;
}

/** The timing tab: when, how, between whom and under which protocol version. */
export function Timing({
  record,
  request,
  response,
}: {
  record: RecordSummary;
  request: CapturedRecord | null;
  response: CapturedRecord | null;
}) {
  const rows: [string, string][] = [
    ['Captured', formatDateTime(record.timestamp)],
    ...(request && response
      ? ([
          ['Request sent', formatDateTime(request.timestamp)],
          ['Answer received', formatDateTime(response.timestamp)],
        ] as [string, string][])
      : []),
    ['Duration', formatDuration(response?.durationMs ?? record.durationMs) || '—'],
    ...operationRows(request ?? record, response),
    [
      'Transport',
      `${record.http.method ?? ''} ${record.http.status ?? ''} · ${record.http.transport}${record.sse?.eventId ? ` · SSE event ${record.sse.eventId}` : ''}`,
    ],
    ['Size', formatBytes(record.size)],
    ['Tokens (estimate)', record.tokens === null ? '—' : String(record.tokens)],
    ['JSON-RPC id', record.jsonrpcId === null ? '—' : String(record.jsonrpcId)],
    [
      'Session',
      record.sessionId === null
        ? '—'
        : record.sessionSource === 'derived'
          ? `${record.sessionId} (a conversation the gateway grouped: this protocol version has no sessions)`
          : record.sessionId,
    ],
    ['Protocol', record.protocolVersion ? `MCP ${record.protocolVersion}` : '—'],
    [
      'Client',
      [record.client.name, record.client.version].filter(Boolean).join(' ') || record.userAgent || '—',
    ],
    [
      'Server',
      `${record.server}${record.upstream.name ? ` (${record.upstream.name} ${record.upstream.version ?? ''})` : ''}`,
    ],
    ...(record.note ? ([['Note', record.note]] as [string, string][]) : []),
    // On a store several gateways share (docs/postgres.md): which one captured it.
    ...(record.instance ? ([['Gateway instance', record.instance]] as [string, string][]) : []),
  ];
  return (
    <>
      <dl className="grid grid-cols-[140px_1fr] gap-x-3 gap-y-1 text-xs">
        {rows.map(([name, value]) => (
          <div key={name} className="contents">
            <dt className="text-slate-500">{name}</dt>
            <dd className="font-mono break-all">{value}</dd>
          </div>
        ))}
      </dl>
      {request && response ? <TimingBreakdown request={request} response={response} /> : null}
    </>
  );
}

/**
 * The selected message and its partner (request ↔ response) from `GET /api/logs/:id`: pretty JSON that
 * folds and searches, headers as captured (secrets redacted), timing; copy as JSON or as curl.
 */
export function RecordDetail({
  id,
  preview,
  onClose,
  inSession = false,
}: {
  id: number;
  /** The row as the list has it (without message and headers): shown until the whole record arrives. */
  preview?: RecordSummary;
  onClose: () => void;
  /** Shown on its session's own timeline: no link to where the user already is. */
  inSession?: boolean;
}) {
  const [tab, setTab] = useState<Tab>('message');
  const [search, setSearch] = useState('');
  const ids = useId();
  const panel = useRef<HTMLDivElement>(null);
  const detail = useQuery({
    queryKey: ['record', id],
    queryFn: ({ signal }) => api<RecordWithPartner>(`/api/logs/${id}`, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const full = detail.data;
  const record: RecordSummary | undefined = full ?? preview;
  const [request, response] = full ? pairOf(full) : [null, null];
  return (
    <aside className="flex h-full min-h-0 flex-col bg-white dark:bg-slate-950" aria-label="Message detail">
      {/* Screen readers jump by headings: this one opens the panel, above its Request and Response. */}
      <h2 className="sr-only">Message detail</h2>
      <div className="flex h-9 shrink-0 items-center gap-2 border-b border-slate-200 px-3 dark:border-slate-800">
        {record?.method ? (
          <span className={`shrink-0 rounded px-1.5 py-0.5 font-mono text-xs ${methodColor(record.method)}`}>
            {record.method}
          </span>
        ) : (
          <span className="text-xs text-slate-500">{record?.kind}</span>
        )}
        <span className="truncate text-xs text-slate-600 dark:text-slate-300" title={record?.summary}>
          {record?.summary}
        </span>
        <span className="ml-auto flex shrink-0 items-center gap-1">
          {record?.sessionId && !inSession ? <SessionLink record={record} /> : null}
          <button
            type="button"
            onClick={onClose}
            className="grid size-6 place-items-center rounded text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800"
            aria-label="Close detail"
            title="Close (Esc)"
          >
            ✕
          </button>
        </span>
      </div>
      <div className="flex h-8 shrink-0 items-center gap-1 border-b border-slate-200 px-2 dark:border-slate-800">
        {/* The tab list holds tabs only (ARIA tabs pattern); the search field sits beside it. */}
        <div
          role="tablist"
          aria-label="Message detail views"
          className="flex items-center gap-1"
          onKeyDown={(event) => onTabListKey(event, TABS, tab, setTab)}
        >
          {TABS.map((name) => (
            <button
              key={name}
              id={`${ids}-tab-${name}`}
              type="button"
              role="tab"
              aria-selected={tab === name}
              aria-controls={`${ids}-panel`}
              tabIndex={tab === name ? 0 : -1}
              onClick={() => setTab(name)}
              className={`rounded px-2 py-0.5 text-xs capitalize ${tab === name ? 'bg-slate-200 font-medium dark:bg-slate-800' : 'text-slate-500 hover:text-slate-800 dark:hover:text-slate-200'}`}
            >
              {name}
            </button>
          ))}
        </div>
        {tab === 'message' ? (
          <JsonSearch value={search} onChange={setSearch} panel={panel} shown={full} />
        ) : null}
      </div>
      <div
        id={`${ids}-panel`}
        ref={panel}
        className="min-h-0 flex-1 overflow-auto p-3"
        role="tabpanel"
        aria-labelledby={`${ids}-tab-${tab}`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the panel scrolls; the ARIA tabs pattern puts it in the Tab order so keyboard users can scroll it (WCAG 2.1.1)
        tabIndex={0}
      >
        {detail.error ? (
          <p role="alert" className="text-xs text-red-600 dark:text-red-400">
            {errorMessage(detail.error)}
          </p>
        ) : null}
        {!full && detail.isPending ? <p className="text-xs text-slate-500">Loading…</p> : null}
        {full && tab === 'message' ? (
          <>
            <OperationLink request={request} response={response} />
            {request ? <ReplayPanel key={request.id} request={request} /> : null}
            {request ? (
              <MessageBlock
                record={request}
                search={search}
                label={response || request.kind === 'request' ? 'Request' : 'Message'}
              />
            ) : null}
            {response ? <MessageBlock record={response} search={search} label="Response" /> : null}
            {request?.kind === 'request' && !response ? (
              <p className="text-xs text-slate-500">No response captured (yet) for this request.</p>
            ) : null}
          </>
        ) : null}
        {full && tab === 'headers' ? (
          <>
            <HeadersTable
              title="Request headers (secrets redacted)"
              headers={request?.headers.request ?? full.headers.request}
            />
            <HeadersTable
              title="Response headers"
              headers={response?.headers.response ?? full.headers.response}
            />
            {!(request?.headers.request ?? full.headers.request) &&
            !(response?.headers.response ?? full.headers.response) ? (
              <p className="text-xs text-slate-500">No HTTP headers: this message travelled over stdio.</p>
            ) : null}
          </>
        ) : null}
        {record && tab === 'timing' ? <Timing record={record} request={request} response={response} /> : null}
      </div>
    </aside>
  );
}
