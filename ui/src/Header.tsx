import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useActivityState, useRefetchOn } from './activity';
import { api, send } from './api';
import { useHeld } from './breakpoints-data';
import { formatAgo } from './format';
import { linkClick, navigate } from './router';
import { isAdmin, useCan, useSession } from './session';
import { applyTheme, initialTheme, type Theme } from './theme';
import type { Status } from './types';

const TABS = [
  { path: '/ui/traffic', label: 'Traffic' },
  { path: '/ui/sessions', label: 'Sessions' },
  { path: '/ui/servers', label: 'Servers' },
  { path: '/ui/insights', label: 'Insights' },
  { path: '/ui/breakpoints', label: 'Breakpoints', operatorOnly: true },
  { path: '/ui/faults', label: 'Faults', operatorOnly: true },
  { path: '/ui/tokens', label: 'Tokens', adminOnly: true },
  { path: '/ui/audit', label: 'Audit', adminOnly: true },
] as const;

function activeTab(pathname: string): string {
  return TABS.find((tab) => pathname.startsWith(tab.path))?.path ?? '/ui/traffic';
}

/**
 * What the numbers count, in words: this process's captures since it started, and what the store holds
 * from every run (a gateway started a minute ago in front of a million records says both).
 */
function CaptureCounts({ records, uptimeSeconds }: { records: Status['records']; uptimeSeconds: number }) {
  return (
    <span className="tabular-nums" data-testid="capture-counts">
      {records.captured !== null ? (
        <span
          title={`Messages this gateway captured since it started ${formatAgo(Date.now() - uptimeSeconds * 1000)}`}
        >
          {records.captured.toLocaleString()} captured since start
        </span>
      ) : null}
      {records.inStore !== null ? (
        <>
          {records.captured !== null ? ' · ' : null}
          <span title="Messages in the store (logs.db) now, from every run of the gateway: what Traffic, Sessions and Insights show">
            {records.inStore.toLocaleString()} stored
          </span>
        </>
      ) : null}
      {records.failed !== null && records.failed > 0 ? (
        <span
          className="text-red-600 dark:text-red-400"
          title="Captures the store could not write (disk full, read-only file); traffic was not affected"
        >
          {' '}
          · {records.failed.toLocaleString()} not written
        </span>
      ) : null}
      {records.dropped !== null && records.dropped > 0 ? (
        <span
          className="text-amber-700 dark:text-amber-400"
          title="Captures dropped because the writer fell behind; traffic was not affected"
        >
          {' '}
          · {records.dropped.toLocaleString()} dropped
        </span>
      ) : null}
    </span>
  );
}

/** The bar on top: screens, what the gateway captured, the live connection, theme, sign out. */
export function Header({ url }: { url: URL }) {
  const queryClient = useQueryClient();
  const [theme, setTheme] = useState<Theme>(initialTheme);
  useRefetchOn(['status'], ['activity', 'records-deleted'], 2000);
  const status = useQuery({ queryKey: ['status'], queryFn: () => api<Status>('/api/status') });
  const who = useQuery({
    queryKey: ['session'],
    queryFn: () => api<{ actor: string; role: string }>('/api/session'),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const feed = useActivityState();
  const active = activeTab(url.pathname);
  // Screens a role cannot use are not offered (the API refuses them anyway).
  const admin = isAdmin(useSession().data);
  const operator = useCan('operator');
  const tabs = TABS.filter(
    (tab) => (!('adminOnly' in tab) || admin) && (!('operatorOnly' in tab) || operator),
  );
  const heldCount = useHeld().data?.held.length ?? 0;

  const toggleTheme = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    applyTheme(next);
    setTheme(next);
  };
  const signOut = async () => {
    // Whatever the answer, the reload below shows the truth (signed out, or still signed in).
    await api('/ui/logout', send('POST')).catch(() => null);
    queryClient.clear();
    navigate('/ui', { replace: true });
    window.location.reload();
  };
  const records = status.data?.records;
  return (
    // Wraps onto a second line when narrow (a small window, or zoomed to 200%: WCAG 1.4.10 reflow).
    <header className="flex min-h-11 shrink-0 flex-wrap items-center gap-x-5 gap-y-1 border-b py-1 border-slate-200 bg-slate-50 px-3 dark:border-slate-800 dark:bg-slate-900">
      <span className="flex items-center gap-2 text-sm font-semibold">
        <span
          className="grid size-5 place-items-center rounded bg-sky-600 text-[10px] font-bold text-white"
          aria-hidden
        >
          ⇄
        </span>
        MCP Gateway
      </span>
      <nav className="flex flex-wrap gap-0.5" aria-label="Screens">
        {tabs.map((tab) => (
          <a
            key={tab.path}
            href={tab.path}
            onClick={linkClick(tab.path)}
            aria-current={active === tab.path ? 'page' : undefined}
            className={`rounded-md px-3 py-1 text-[13px] ${active === tab.path ? 'bg-white font-medium text-slate-900 shadow-xs ring-1 ring-slate-200 dark:bg-slate-800 dark:text-white dark:ring-slate-700' : 'text-slate-600 hover:bg-slate-200/60 dark:text-slate-300 dark:hover:bg-slate-800'}`}
          >
            {tab.label}
            {tab.path === '/ui/breakpoints' && heldCount > 0 ? (
              <span
                className="ml-1.5 rounded-full bg-amber-500 px-1.5 text-[11px] font-semibold text-white"
                data-testid="held-badge"
              >
                {heldCount}
                <span className="sr-only"> held</span>
              </span>
            ) : null}
          </a>
        ))}
      </nav>
      <div className="ml-auto flex flex-wrap items-center gap-3 text-xs text-slate-500">
        {records && status.data ? (
          <CaptureCounts records={records} uptimeSeconds={status.data.uptimeSeconds} />
        ) : null}
        <span
          className="flex items-center gap-1.5"
          title={feed === 'reconnecting' ? 'Live connection lost; reconnecting' : 'Live connection open'}
        >
          <span
            className={`size-1.5 rounded-full ${feed === 'reconnecting' ? 'bg-amber-500' : 'bg-emerald-500'}`}
            aria-hidden
          />
          {feed === 'reconnecting' ? 'reconnecting' : `v${status.data?.version ?? ''}`}
        </span>
        <button
          type="button"
          onClick={toggleTheme}
          className="btn btn-sm"
          aria-label={theme === 'dark' ? 'Light theme' : 'Dark theme'}
        >
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </button>
        {who.data ? (
          <span data-testid="signed-in-as" title={`Signed in as ${who.data.actor}, role ${who.data.role}`}>
            {who.data.actor} · {who.data.role}
          </span>
        ) : null}
        <button type="button" onClick={signOut} className="btn btn-sm">
          Sign out
        </button>
      </div>
    </header>
  );
}
