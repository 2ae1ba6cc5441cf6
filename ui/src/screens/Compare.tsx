import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api, errorMessage, withQuery } from '../api';
import { JsonDiffList } from '../components/JsonDiffList';
import { JsonView } from '../components/JsonView';
import { linkClick } from '../router';
import type { CallPairJson, DiffResult, RecordSummary } from '../types';

type RecordsResult = Extract<DiffResult, { type: 'records' }>;
type SessionsResult = Extract<DiffResult, { type: 'sessions' }>;

function RecordLink({ record }: { record: Pick<RecordSummary, 'id' | 'summary'> }) {
  const path = withQuery('/ui/traffic', { record: record.id });
  return (
    <a className="text-sky-700 underline dark:text-sky-300" href={path} onClick={linkClick(path)}>
      #{record.id}
    </a>
  );
}

function Side({ title, record, message }: { title: string; record: RecordSummary; message: unknown }) {
  return (
    <section
      aria-label={title}
      className="min-w-0 rounded-md border border-slate-200 p-2 dark:border-slate-800"
    >
      <h4 className="mb-1 truncate text-xs font-semibold">
        {title}: <RecordLink record={record} /> {record.summary}
      </h4>
      <div className="max-h-96 overflow-auto">
        <JsonView value={message} />
      </div>
    </section>
  );
}

function RecordsCompare({ result }: { result: RecordsResult }) {
  const { partners } = result;
  const partnerWord = result.a.kind === 'request' ? 'answers' : 'requests';
  return (
    <div className="space-y-4">
      <section aria-label="Differences between the messages">
        <h3 className="mb-1 text-sm font-semibold">Messages</h3>
        <JsonDiffList diff={result.message} label="Differences between the messages" />
      </section>
      <div className="grid gap-3 md:grid-cols-2">
        <Side title="A" record={result.a} message={result.a.message} />
        <Side title="B" record={result.b} message={result.b.message} />
      </div>
      {partners ? (
        <>
          <section aria-label={`Differences between their ${partnerWord}`}>
            <h3 className="mb-1 text-sm font-semibold">Their {partnerWord}</h3>
            <JsonDiffList diff={partners.message} label={`Differences between their ${partnerWord}`} />
          </section>
          <div className="grid gap-3 md:grid-cols-2">
            <Side
              title={`A's ${partnerWord.slice(0, -1)}`}
              record={partners.a}
              message={partners.a.message}
            />
            <Side
              title={`B's ${partnerWord.slice(0, -1)}`}
              record={partners.b}
              message={partners.b.message}
            />
          </div>
        </>
      ) : null}
    </div>
  );
}

/** Status in words with a sign, so it reads without colour (WCAG 1.4.1). */
const STATUS: Record<CallPairJson['status'], { text: string; className: string }> = {
  same: { text: '= same', className: 'text-slate-600 dark:text-slate-400' },
  differs: { text: '≠ differs', className: 'text-amber-700 dark:text-amber-400' },
  'only-a': { text: '− only in A', className: 'text-rose-700 dark:text-rose-400' },
  'only-b': { text: '+ only in B', className: 'text-emerald-700 dark:text-emerald-400' },
};

function CallRow({ call, index }: { call: CallPairJson; index: number }) {
  const status = STATUS[call.status];
  return (
    <li
      className="border-b border-slate-100 py-2 dark:border-slate-900"
      aria-label={`Call ${index + 1}: ${call.method}, ${call.status.replace('-', ' ')}`}
    >
      <div className="flex flex-wrap items-baseline gap-x-3 text-xs">
        <span className="w-6 text-right text-slate-500 tabular-nums">{index + 1}</span>
        <span className={`w-24 font-semibold ${status.className}`}>{status.text}</span>
        <span className="font-mono">{call.method}</span>
        <span className="text-slate-500">
          A {call.a ? <RecordLink record={call.a.request} /> : '—'} {call.a?.request.summary ?? ''}
        </span>
        <span className="text-slate-500">
          B {call.b ? <RecordLink record={call.b.request} /> : '—'} {call.b?.request.summary ?? ''}
        </span>
      </div>
      {call.status === 'differs' ? (
        <div className="mt-1 ml-9 space-y-1">
          {call.request && call.request.entries.length > 0 ? (
            <div>
              <p className="text-[11px] font-semibold text-slate-600 dark:text-slate-400">Request</p>
              <JsonDiffList diff={call.request} label={`Request differences of call ${index + 1}`} />
            </div>
          ) : null}
          {call.response && call.response.entries.length > 0 ? (
            <div>
              <p className="text-[11px] font-semibold text-slate-600 dark:text-slate-400">Answer</p>
              <JsonDiffList diff={call.response} label={`Answer differences of call ${index + 1}`} />
            </div>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

function SessionsCompare({ result }: { result: SessionsResult }) {
  const { totals } = result;
  const name = (s: SessionsResult['a']) =>
    `${s.sessionId.slice(0, 8)} · ${s.client.name ?? 'unknown client'} → ${s.server}`;
  return (
    <div className="space-y-3">
      <div className="grid gap-2 text-xs md:grid-cols-2">
        <p>
          <span className="font-semibold">A</span> {name(result.a)}
        </p>
        <p>
          <span className="font-semibold">B</span> {name(result.b)}
        </p>
      </div>
      <p className="text-sm">
        {totals.calls} calls paired by method, then by order: {totals.same} the same, {totals.differs} differ,{' '}
        {totals.onlyA} only in A, {totals.onlyB} only in B.
        {result.filter ? ` Only calls matching "${result.filter}".` : ''}
      </p>
      <ol aria-label="Calls">
        {result.calls.map((call, index) => (
          <CallRow
            key={`${call.a?.request.id ?? '-'}/${call.b?.request.id ?? '-'}`}
            call={call}
            index={index}
          />
        ))}
      </ol>
    </div>
  );
}

function Frame({ children }: { children: ReactNode }) {
  return (
    <div className="h-full overflow-auto">
      <div className="max-w-6xl px-5 py-4">
        <h2 className="mb-3 text-base font-semibold">Compare</h2>
        {children}
      </div>
    </div>
  );
}

/**
 * Two records, or two sessions, side by side with their structural diff (GET /api/diff). Opened from
 * Traffic or Sessions after marking two; the URL holds what is compared, so it can be shared.
 */
export function Compare({ url }: { url: URL }) {
  const params = Object.fromEntries(
    ['a', 'b', 'aServer', 'bServer', 'filter'].map((name) => [name, url.searchParams.get(name)]),
  );
  const path = withQuery('/api/diff', params);
  const diff = useQuery({
    queryKey: ['diff', path],
    queryFn: ({ signal }) => api<DiffResult>(path, { signal }),
    enabled: Boolean(params.a && params.b),
  });
  if (!params.a || !params.b) {
    return (
      <Frame>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Mark two records in Traffic (their checkbox, or Space on a row) or two sessions in Sessions, then
          choose Compare.
        </p>
      </Frame>
    );
  }
  return (
    <Frame>
      {diff.error ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          Could not compare: {errorMessage(diff.error)}
        </p>
      ) : !diff.data ? (
        <p className="text-sm text-slate-500">Comparing…</p>
      ) : diff.data.type === 'records' ? (
        <RecordsCompare result={diff.data} />
      ) : (
        <SessionsCompare result={diff.data} />
      )}
    </Frame>
  );
}
