import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { api, errorMessage, send } from '../api';
import { LaunchPreview } from '../components/LaunchPreview';
import { formatAgo } from '../format';
import { navigate } from '../router';
import { usePendingServers } from '../servers-data';
import type { PendingServer } from '../types';
import { serverPath } from './ServerList';

function PendingItem({ pending, asked }: { pending: PendingServer; asked: boolean }) {
  const queryClient = useQueryClient();
  const item = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (asked) item.current?.scrollIntoView({ block: 'nearest' });
  }, [asked]);
  const decide = useMutation({
    // The id pins the approval to the request shown here, never one that replaced it meanwhile.
    mutationFn: (decision: 'approve' | 'reject') =>
      api(
        `/api/servers/pending/${encodeURIComponent(pending.name)}/${decision}`,
        send('POST', decision === 'approve' ? { id: pending.id } : undefined),
      ),
    onSuccess: async (_result, decision) => {
      await queryClient.invalidateQueries({ queryKey: ['servers'] });
      if (decision === 'approve') navigate(serverPath(pending.name), { replace: true });
    },
  });
  const who = pending.requestedBy.client ?? pending.requestedBy.userAgent ?? 'an unnamed client';
  return (
    <li
      ref={item}
      className={`space-y-2 px-4 py-3 ${asked ? 'ring-2 ring-amber-400 ring-inset' : ''}`}
      aria-label={`Launch of ${pending.name}`}
    >
      <div className="flex flex-wrap items-baseline gap-x-2 text-sm">
        <span className="font-medium text-slate-900 dark:text-slate-100">{pending.name}</span>
        <span className="text-xs text-slate-600 dark:text-slate-300">
          {pending.action === 'add'
            ? 'new stdio server'
            : 'changed command (the server keeps running as it was)'}
          {' · asked by '}
          <span className="font-medium">{who}</span> via {pending.requestedBy.via},{' '}
          {formatAgo(Date.parse(pending.requestedAt))}
        </span>
      </div>
      <LaunchPreview
        label={`Command ${pending.name} would run`}
        commandLine={pending.launch.commandLine}
        envNames={pending.launch.envNames}
        cwd={pending.launch.cwd}
      />
      {pending.launch.replaces ? (
        <p className="text-xs text-slate-600 dark:text-slate-300">
          Replaces: <code className="font-mono">{pending.launch.replaces.commandLine}</code>
        </p>
      ) : null}
      {decide.error ? (
        <p role="alert" className="text-xs text-red-700 dark:text-red-300">
          {errorMessage(decide.error)}
        </p>
      ) : null}
      <div className="flex gap-2">
        <button
          type="button"
          className="btn btn-primary btn-sm"
          disabled={decide.isPending}
          onClick={() => decide.mutate('approve')}
        >
          Approve and run
        </button>
        <button
          type="button"
          className="btn btn-sm"
          disabled={decide.isPending}
          onClick={() => decide.mutate('reject')}
        >
          Reject
        </button>
      </div>
    </li>
  );
}

/**
 * Programs an MCP client asked the gateway to start, held until the owner decides: nothing runs before
 * "Approve and run"; "Reject" discards the request. `asked` (from `?pending=<name>`, the address the
 * agent was given) marks the request the owner came for.
 */
export function PendingApprovals({ asked }: { asked: string | null }) {
  const pending = usePendingServers();
  const list = pending.data ?? [];
  if (list.length === 0) return null;
  return (
    <section
      aria-label="Awaiting approval"
      className="max-h-[50vh] shrink-0 overflow-auto border-b border-amber-300 bg-amber-50/40 dark:border-amber-900 dark:bg-amber-950/30"
    >
      <h2 className="px-4 pt-3 text-sm font-semibold text-amber-900 dark:text-amber-200">
        Awaiting approval · {list.length}
      </h2>
      <p className="px-4 text-xs text-amber-900 dark:text-amber-200">
        An MCP client asked the gateway to run these programs as your user. Approve only commands you know and
        trust.
      </p>
      <ul className="divide-y divide-amber-200 dark:divide-amber-900">
        {list.map((item) => (
          <PendingItem key={item.id} pending={item} asked={item.name === asked} />
        ))}
      </ul>
    </section>
  );
}
