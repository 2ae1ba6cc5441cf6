import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, isUnauthorized } from './api';
import { navigate, useLocation } from './router';
import { SignIn } from './screens/SignIn';
import { applyTheme, initialTheme, type Theme } from './theme';

export interface Status {
  version: string;
  uptimeSeconds: number;
  servers: number;
  registryError: string | null;
  capture: { captured: number; dropped: number; storeFailures: number };
}

const TABS = [
  { path: '/ui/traffic', label: 'Traffic' },
  { path: '/ui/sessions', label: 'Sessions' },
  { path: '/ui/servers', label: 'Servers' },
  { path: '/ui/insights', label: 'Insights' },
] as const;

export function App() {
  const location = useLocation();
  const queryClient = useQueryClient();
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const status = useQuery({ queryKey: ['status'], queryFn: () => api<Status>('/api/status') });

  if (status.isPending) return null;
  if (status.error && isUnauthorized(status.error)) {
    return <SignIn invalidToken={location.searchParams.get('signin') === 'invalid-token'} />;
  }

  const active = TABS.find((tab) => location.pathname.startsWith(tab.path))?.path ?? '/ui/traffic';
  const toggleTheme = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    applyTheme(next);
    setTheme(next);
  };
  const signOut = async () => {
    await fetch('/ui/logout', { method: 'POST', credentials: 'same-origin' });
    queryClient.clear();
    navigate('/ui', { replace: true });
    window.location.reload();
  };

  return (
    <div className="flex h-full flex-col bg-white text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      <header className="flex items-center gap-6 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        <span className="font-semibold">MCP Gateway</span>
        <nav className="flex gap-1" aria-label="Screens">
          {TABS.map((tab) => (
            <a
              key={tab.path}
              href={tab.path}
              onClick={(event) => {
                event.preventDefault();
                navigate(tab.path);
              }}
              aria-current={active === tab.path ? 'page' : undefined}
              className={`rounded px-3 py-1 text-sm ${active === tab.path ? 'bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900' : 'text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'}`}
            >
              {tab.label}
            </a>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-3 text-xs text-slate-500">
          {status.data ? (
            <span title="Messages captured since the gateway started">
              v{status.data.version} · {status.data.capture.captured.toLocaleString()} captured
              {status.data.capture.dropped > 0 ? ` · ${status.data.capture.dropped} dropped` : ''}
            </span>
          ) : null}
          <button
            type="button"
            onClick={toggleTheme}
            className="rounded px-2 py-1 hover:bg-slate-100 dark:hover:bg-slate-800"
          >
            {theme === 'dark' ? 'Light' : 'Dark'}
          </button>
          <button
            type="button"
            onClick={signOut}
            className="rounded px-2 py-1 hover:bg-slate-100 dark:hover:bg-slate-800"
          >
            Sign out
          </button>
        </div>
      </header>
      <main className="min-h-0 flex-1">
        <p className="p-6 text-sm text-slate-500">{TABS.find((t) => t.path === active)?.label}</p>
      </main>
    </div>
  );
}
