import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense, useState } from 'react';
import { api, errorMessage, send, withQuery } from '../api';
import { ClientConfigs } from '../components/ClientConfigs';
import { CopyButton } from '../components/CopyButton';
import { HealthBadge, TypeBadge } from '../components/HealthBadge';
import { ConfirmDialog } from '../components/Modal';
import { ServerFormDialog } from '../components/ServerFormDialog';
import { StderrViewer } from '../components/StderrViewer';
import { ToolChanges } from '../components/ToolChanges';
import { filterValue } from '../filter-check';
import { formatAgo, formatDuration } from '../format';
import { linkClick, navigate } from '../router';
import { useCan } from '../session';
import type { ServerJson, ServersConfig } from '../types';
import { ServerFacts } from './ServerFacts';

/** The playground carries an MCP client (the SDK): loaded only when an operator opens a server. */
const Playground = lazy(() => import('../playground/Playground').then((m) => ({ default: m.Playground })));

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="border-t border-slate-200 py-3 dark:border-slate-800" aria-label={title}>
      <h3 className="mb-2 text-xs font-semibold">{title}</h3>
      {children}
    </section>
  );
}

/** One server: health, proxy URL, traffic, configuration, how to connect clients, stderr; and actions. */
export function ServerDetail({ server }: { server: ServerJson }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  // Restarting, editing and removing are an operator's; a viewer gets the page without them.
  const canChange = useCan('operator');
  const registry = useQuery({
    queryKey: ['servers', 'config'],
    queryFn: () => api<ServersConfig>('/api/servers/config'),
  });
  const path = `/api/servers/${encodeURIComponent(server.name)}`;
  const done = () => queryClient.invalidateQueries({ queryKey: ['servers'] });
  const check = useMutation({ mutationFn: () => api(`${path}/health-check`, send('POST')), onSuccess: done });
  const restart = useMutation({
    mutationFn: () => api<{ detail: string }>(`${path}/restart`, send('POST')),
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: () => api(`/api/servers/config/${encodeURIComponent(server.name)}`, send('DELETE')),
    onSuccess: async () => {
      setDeleting(false);
      await done();
      navigate('/ui/servers', { replace: true });
    },
  });
  const filter = `server:${filterValue(server.name)}`;
  const trafficPath = withQuery('/ui/traffic', { filter });
  const { health } = server;
  const actionError = check.error ?? restart.error;
  return (
    <div className="max-w-5xl px-5 py-4">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <h2 className="text-base font-semibold break-all">{server.name}</h2>
        <TypeBadge type={server.type} />
        <HealthBadge health={health} />
        <span className="ml-auto flex flex-wrap gap-1.5">
          <a className="btn" href={trafficPath} onClick={linkClick(trafficPath)}>
            Traffic
          </a>
          <button type="button" className="btn" onClick={() => check.mutate()} disabled={check.isPending}>
            {check.isPending ? 'Checking…' : 'Check now'}
          </button>
          {/* A remote server is not the gateway's to restart: for it, this only drops open connections. */}
          {canChange ? (
            <>
              <button
                type="button"
                className="btn"
                onClick={() => restart.mutate()}
                disabled={restart.isPending}
                title={
                  server.type === 'stdio'
                    ? 'Stop the command and start it again'
                    : 'Close the gateway’s open connections to this server (its clients reconnect); the remote server itself keeps running'
                }
              >
                {server.type === 'stdio'
                  ? restart.isPending
                    ? 'Restarting…'
                    : 'Restart'
                  : restart.isPending
                    ? 'Dropping…'
                    : 'Drop connections'}
              </button>
              <button type="button" className="btn" onClick={() => setEditing(true)}>
                Edit
              </button>
              <button type="button" className="btn" onClick={() => setDeleting(true)}>
                Delete…
              </button>
            </>
          ) : null}
        </span>
      </div>
      <p className="mt-1 min-h-4 text-xs text-slate-500">
        {[
          health.detail,
          health.checkedAt ? `checked ${formatAgo(Date.parse(health.checkedAt))}` : null,
          health.latencyMs !== null ? `answered in ${formatDuration(health.latencyMs)}` : null,
        ]
          .filter(Boolean)
          .join(' · ')}
        {restart.data ? (
          <span className="text-emerald-700 dark:text-emerald-400"> · {restart.data.detail}</span>
        ) : null}
        {actionError ? <span className="text-red-600"> · {errorMessage(actionError)}</span> : null}
      </p>
      <div className="mt-3 flex items-center gap-2 rounded-md border border-slate-200 bg-slate-50 px-3 py-2 dark:border-slate-800 dark:bg-slate-900">
        <span className="text-xs text-slate-500">Proxy URL</span>
        <code className="min-w-0 flex-1 truncate font-mono text-sm text-sky-700 dark:text-sky-300">
          {server.proxyUrl}
        </code>
        <CopyButton text={server.proxyUrl} label="Copy URL" />
      </div>
      <ServerFacts server={server} />
      <ToolChanges name={server.name} />
      <Section title="Connect a client">
        <ClientConfigs target={server} registryPath={registry.data?.path ?? null} />
      </Section>
      {/* Calling tools acts on the server: an operator's right, so a viewer gets no playground at all. */}
      {canChange ? (
        <Section title="Playground">
          <Suspense fallback={<p className="text-xs text-slate-500">Loading the playground…</p>}>
            <Playground server={server.name} />
          </Suspense>
        </Section>
      ) : null}
      {server.type === 'stdio' ? (
        <Section title="Process output">
          <StderrViewer name={server.name} />
        </Section>
      ) : null}
      {editing && canChange ? (
        <ServerFormDialog
          existing={server}
          onClose={() => setEditing(false)}
          onSaved={() => setEditing(false)}
        />
      ) : null}
      {deleting && canChange ? (
        <ConfirmDialog
          title={`Delete ${server.name}`}
          confirmLabel="Delete server"
          busy={remove.isPending}
          error={remove.error ? errorMessage(remove.error) : null}
          onConfirm={() => remove.mutate()}
          onClose={() => setDeleting(false)}
        >
          <p>
            Remove <strong>{server.name}</strong> from mcp.json? Clients using {server.proxyUrl} will get 404.
            {server.type === 'stdio' ? ' Its process is stopped.' : ''} Captured traffic is kept.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
