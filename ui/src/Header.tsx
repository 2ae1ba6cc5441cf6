import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useActivityState, useRefetchOn } from './activity';
import { api, send } from './api';
import { linkClick, navigate } from './router';
import { applyTheme, initialTheme, type Theme } from './theme';
import type { Status } from './types';

const TABS = [
  { path: '/ui/traffic', label: 'Traffic' },
  { path: '/ui/sessions', label: 'Sessions' },
  { path: '/ui/servers', label: 'Servers' },
  { path: '/ui/insights', label: 'Insights' },
] as const;

function activeTab(pathname: string): string {
  return TABS.find((tab) => pathname.startsWith(tab.path))?.path ?? '/ui/traffic';
}

/** The bar on top: screens, what the gateway captured, the live connection, theme, sign out. */
export function Header({ url }: { url: URL }) {
  const queryClient = useQueryClient();
  const [theme, setTheme] = useState<Theme>(initialTheme);
  useRefetchOn(['status'], ['activity', 'records-deleted'], 2000);
  const status = useQuery({ queryKey: ['status'], queryFn: () => api<Status>('/api/status') });
  const feed = useActivityState();
  const active = activeTab(url.pathname);

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
  const capture = status.data?.capture;
  return (
    <header className="flex h-11 shrink-0 items-center gap-5 border-b border-slate-200 bg-slate-50 px-3 dark:border-slate-800 dark:bg-slate-900">
      <span className="flex items-center gap-2 text-sm font-semibold">
        <span
          className="grid size-5 place-items-center rounded bg-sky-600 text-[10px] font-bold text-white"
          aria-hidden
        >
          ⇄
        </span>
        MCP Gateway
      </span>
      <nav className="flex gap-0.5" aria-label="Screens">
        {TABS.map((tab) => (
          <a
            key={tab.path}
            href={tab.path}
            onClick={linkClick(tab.path)}
            aria-current={active === tab.path ? 'page' : undefined}
            className={`rounded-md px-3 py-1 text-[13px] ${active === tab.path ? 'bg-white font-medium text-slate-900 shadow-xs ring-1 ring-slate-200 dark:bg-slate-800 dark:text-white dark:ring-slate-700' : 'text-slate-600 hover:bg-slate-200/60 dark:text-slate-300 dark:hover:bg-slate-800'}`}
          >
            {tab.label}
          </a>
        ))}
      </nav>
      <div className="ml-auto flex items-center gap-3 text-xs text-slate-500">
        {capture ? (
          <span className="tabular-nums" title="Messages captured since the gateway started">
            {capture.captured.toLocaleString()} captured
            {capture.dropped > 0 ? (
              <span
                className="text-amber-600"
                title="Captures dropped because the writer fell behind; traffic was not affected"
              >
                {' '}
                · {capture.dropped.toLocaleString()} dropped
              </span>
            ) : null}
          </span>
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
        <button type="button" onClick={signOut} className="btn btn-sm">
          Sign out
        </button>
      </div>
    </header>
  );
}
