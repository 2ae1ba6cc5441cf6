import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api, errorMessage } from '../api';
import { EmptyState, Snippet } from '../components/EmptyState';
import { ServerFormDialog } from '../components/ServerFormDialog';
import { useListKeys } from '../keyboard';
import { navigate, withParams } from '../router';
import { stepPage } from '../selection';
import { useServers } from '../servers-data';
import { useCan } from '../session';
import type { ServersConfig } from '../types';
import { PendingApprovals } from './PendingApprovals';
import { ServerDetail } from './ServerDetail';
import { ServerList, serverPath } from './ServerList';

/** Servers: the registry with health, and one server's page; `?add=1` opens the add form. */
export function Servers({ url, name }: { url: URL; name: string | null }) {
  const servers = useServers();
  const canChange = useCan('operator');
  const canApprove = useCan('admin');
  const registry = useQuery({
    queryKey: ['servers', 'config'],
    queryFn: () => api<ServersConfig>('/api/servers/config'),
    // A broken mcp.json, or its repair, changes no server, so the live feed says nothing: look now and
    // then while this screen is open (a small read of the registry's state, no file access).
    refetchInterval: (query) => (query.state.data?.error ? 2_000 : 3_000),
  });
  const adding = canChange && url.searchParams.get('add') === '1';
  const setAdding = (on: boolean) => navigate(withParams(url, { add: on ? '1' : null }), { replace: true });
  const list = servers.data ?? [];
  const selected = list.find((s) => s.name === name) ?? (name === null ? list[0] : undefined);
  // Selecting a server is opening its page, so j/k go straight to the next page.
  const move = (direction: 1 | -1) =>
    stepPage(list, selected ? list.indexOf(selected) : -1, direction, (server) => serverPath(server.name));
  useListKeys({ next: () => move(1), previous: () => move(-1) });

  let body: ReactNode;
  if (servers.error) {
    body = (
      <p role="alert" className="p-6 text-sm text-red-600">
        {errorMessage(servers.error)}
      </p>
    );
  } else if (!servers.data) {
    body = <p className="p-6 text-sm text-slate-500">Loading servers…</p>;
  } else if (list.length === 0) {
    body = (
      <EmptyState title="No servers yet">
        <p>
          Add an MCP server: a remote one by its URL, or a local command the gateway runs for you. Clients
          then reach it at{' '}
          <code className="font-mono text-xs">{window.location.origin}/s/&lt;name&gt;/mcp</code>, and
          everything they say is captured.
        </p>
        {canChange ? (
          <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
            Add a server
          </button>
        ) : (
          <p className="text-xs text-slate-500">Ask the gateway's owner to add one: your role only reads.</p>
        )}
        <p className="text-xs text-slate-500">
          To try one, run a test server in a terminal and add http://localhost:3001/mcp:
        </p>
        <Snippet text="PORT=3001 npx @modelcontextprotocol/server-everything streamableHttp" />
      </EmptyState>
    );
  } else if (!selected) {
    body = (
      <EmptyState title={`No server named ${name}`}>
        <p>It may have been removed. Pick one on the left.</p>
      </EmptyState>
    );
  } else {
    body = <ServerDetail key={selected.name} server={selected} />;
  }
  return (
    <div className="flex h-full min-h-0 flex-col">
      {registry.data?.error ? (
        <p
          role="alert"
          className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-xs text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          {/* The gateway's message names the file and the problems; only what it does not say is added. */}
          <span className="whitespace-pre-line">{registry.data.error}</span>
          {registry.data.error.includes('last good configuration')
            ? ' '
            : ' The last good configuration stays in effect. '}
          Changes here are refused until the file is fixed by hand.
        </p>
      ) : null}
      {canApprove ? <PendingApprovals asked={url.searchParams.get('pending')} /> : null}
      {/* Narrow (a small window, or zoomed in: WCAG 1.4.10 reflow), the list sits above the page. */}
      <div className="flex min-h-0 flex-1 flex-col md:flex-row">
        {list.length > 0 ? (
          <div className="max-h-[35%] shrink-0 border-b border-slate-200 md:max-h-none md:w-[340px] md:border-r md:border-b-0 dark:border-slate-800">
            <ServerList
              servers={list}
              selected={selected?.name ?? null}
              onAdd={canChange ? () => setAdding(true) : null}
            />
          </div>
        ) : null}
        <div className="min-h-0 min-w-0 flex-1 overflow-auto">{body}</div>
      </div>
      {adding ? (
        <ServerFormDialog
          onClose={() => setAdding(false)}
          onSaved={(saved) => navigate(serverPath(saved), { replace: true })}
        />
      ) : null}
    </div>
  );
}
