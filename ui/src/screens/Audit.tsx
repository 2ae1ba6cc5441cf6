import { useInfiniteQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { api, errorMessage, withQuery } from '../api';
import { LoadMore } from '../components/LoadMore';
import { navigate, withParams } from '../router';
import { useSession } from '../session';
import type { Page } from '../types';

/** One entry of `GET /api/audit`. */
interface AuditEntry {
  seq: number;
  time: string;
  actor: string | null;
  actorKind: string | null;
  actorRole: string | null;
  source: string;
  action: string;
  target: string | null;
  outcome: 'ok' | 'refused' | 'failed';
  detail: string | null;
}

const FILTERS = ['actor', 'action', 'target', 'outcome', 'since', 'until'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

function filtersOf(url: URL): Filters {
  return Object.fromEntries(FILTERS.map((name) => [name, url.searchParams.get(name) ?? ''])) as Filters;
}

const OUTCOME_STYLE: Record<AuditEntry['outcome'], string> = {
  ok: 'text-emerald-700 dark:text-emerald-400',
  refused: 'text-amber-700 dark:text-amber-400',
  failed: 'text-red-700 dark:text-red-400',
};

/** The filters, applied on submit: typing does not fetch on every key, and the URL keeps them to share. */
function AuditFilters({ url }: { url: URL }) {
  const id = useId();
  const current = filtersOf(url);
  const [draft, setDraft] = useState<Filters>(current);
  const key = url.search;
  // Back/forward or a shared link changes the URL: the fields follow it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the URL's filters
  useEffect(() => setDraft(filtersOf(url)), [key]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(withParams(url, draft));
  };
  const clear = () => navigate(withParams(url, Object.fromEntries(FILTERS.map((f) => [f, null]))));
  const field = (name: keyof Filters, label: string, placeholder: string, type = 'text') => (
    <div>
      <label className="field-label" htmlFor={`${id}-${name}`}>
        {label}
      </label>
      <input
        id={`${id}-${name}`}
        type={type}
        className="input"
        value={draft[name]}
        placeholder={placeholder}
        onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
      />
    </div>
  );
  return (
    <form
      onSubmit={submit}
      aria-label="Filter the audit log"
      className="flex flex-wrap items-end gap-3 border-b border-slate-200 p-3 dark:border-slate-800"
    >
      {field('actor', 'Actor', 'owner, a token name')}
      {field('action', 'Action (prefix)', 'server.')}
      {field('target', 'Target', 'a server name')}
      <div>
        <label className="field-label" htmlFor={`${id}-outcome`}>
          Outcome
        </label>
        <select
          id={`${id}-outcome`}
          className="input"
          value={draft.outcome}
          onChange={(event) => setDraft({ ...draft, outcome: event.target.value })}
        >
          <option value="">any</option>
          <option value="ok">ok</option>
          <option value="refused">refused</option>
          <option value="failed">failed</option>
        </select>
      </div>
      {field('since', 'Since', '', 'date')}
      {field('until', 'Until', '', 'date')}
      <button type="submit" className="btn btn-primary">
        Apply filters
      </button>
      <button type="button" className="btn" onClick={clear}>
        Clear filters
      </button>
    </form>
  );
}

/** `until` as a date means the whole of that day. */
const untilParam = (until: string) => (/^\d{4}-\d{2}-\d{2}$/.test(until) ? `${until}T23:59:59.999Z` : until);

function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <table className="w-full border-collapse text-left text-xs">
      <caption className="sr-only">Audit log entries, newest first</caption>
      <thead className="sticky top-0 bg-slate-50 text-slate-600 dark:bg-slate-900 dark:text-slate-300">
        <tr>
          {['#', 'Time', 'Actor', 'Source', 'Action', 'Target', 'Outcome', 'Detail'].map((column) => (
            <th
              key={column}
              scope="col"
              className="border-b border-slate-200 px-3 py-2 font-medium dark:border-slate-800"
            >
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.seq} className="border-b border-slate-100 align-top dark:border-slate-800/60">
            <td className="px-3 py-1.5 tabular-nums text-slate-500">{entry.seq}</td>
            <td className="whitespace-nowrap px-3 py-1.5 tabular-nums">
              <time dateTime={entry.time}>{new Date(entry.time).toLocaleString()}</time>
            </td>
            <td className="px-3 py-1.5">
              {entry.actor ?? <span className="text-slate-500">(none)</span>}
              {entry.actorRole ? <span className="text-slate-500"> · {entry.actorRole}</span> : null}
            </td>
            <td className="px-3 py-1.5 font-mono">{entry.source}</td>
            <td className="px-3 py-1.5 font-mono">{entry.action}</td>
            <td className="px-3 py-1.5 font-mono">{entry.target ?? ''}</td>
            <td className={`px-3 py-1.5 font-medium ${OUTCOME_STYLE[entry.outcome]}`}>{entry.outcome}</td>
            <td className="px-3 py-1.5 text-slate-600 dark:text-slate-300">{entry.detail ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The control-plane audit log (`GET /api/audit`): who changed what, from where; admins only. */
export function Audit({ url }: { url: URL }) {
  const session = useSession();
  const isAdmin = session.data?.role === 'admin';
  const filters = filtersOf(url);
  const entries = useInfiniteQuery({
    queryKey: ['audit', filters],
    enabled: isAdmin,
    queryFn: ({ pageParam, signal }) =>
      api<Page<AuditEntry>>(
        withQuery('/api/audit', {
          ...filters,
          until: untilParam(filters.until),
          limit: 100,
          cursor: pageParam,
        }),
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.pagination.hasMore ? last.pagination.nextCursor : undefined),
  });
  if (session.isPending) return null;
  if (!isAdmin) {
    return (
      <p className="p-6 text-sm">
        The audit log is for admins. You are signed in as {session.data?.actor ?? 'unknown'} with the{' '}
        {session.data?.role ?? 'unknown'} role; ask the gateway's owner for an admin token to read it.
      </p>
    );
  }
  const list = entries.data?.pages.flatMap((page) => page.data) ?? [];
  const filtered = FILTERS.some((name) => filters[name] !== '');
  return (
    <div className="flex h-full min-h-0 flex-col">
      <AuditFilters url={url} />
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must take the focus so keyboard users can scroll it (WCAG 2.1.1) */}
      <section className="min-h-0 flex-1 overflow-auto" aria-label="Audit log entries" tabIndex={0}>
        {entries.error ? (
          <p role="alert" className="p-3 text-xs text-red-700 dark:text-red-400">
            {errorMessage(entries.error)}
          </p>
        ) : null}
        <p className="px-3 pt-2 text-xs text-slate-600 dark:text-slate-300" aria-live="polite">
          {entries.data
            ? `${list.length}${entries.hasNextPage ? '+' : ''} ${list.length === 1 ? 'entry' : 'entries'}${filtered ? ' matching the filters' : ''}`
            : 'Loading…'}
        </p>
        {entries.data && list.length === 0 ? (
          <p className="p-3 text-xs text-slate-600 dark:text-slate-300">
            {filtered
              ? 'No entry matches these filters.'
              : 'Nothing recorded yet: sign-ins, server changes, record deletions and token changes appear here.'}
          </p>
        ) : null}
        {list.length > 0 ? <AuditTable entries={list} /> : null}
        <LoadMore query={entries} label="Load older entries" />
      </section>
    </div>
  );
}
