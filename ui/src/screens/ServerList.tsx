import { HealthBadge, TypeBadge } from '../components/HealthBadge';
import { ListRowLink } from '../components/ListRowLink';
import { formatAgo, plural } from '../format';
import type { ServerJson } from '../types';

export function serverPath(name: string): string {
  return `/ui/servers/${encodeURIComponent(name)}`;
}

function ServerItem({ server, selected }: { server: ServerJson; selected: boolean }) {
  return (
    <ListRowLink path={serverPath(server.name)} selected={selected}>
      <div className="flex items-center gap-2">
        <span className="truncate text-[13px] font-medium text-slate-900 dark:text-slate-100">
          {server.name}
        </span>
        <TypeBadge type={server.type} />
        <span className="ml-auto">
          <HealthBadge health={server.health} />
        </span>
      </div>
      <div className="mt-0.5 truncate font-mono text-[11px] text-slate-500">{server.proxyUrl}</div>
      <div className="mt-0.5 flex gap-3 text-[11px] text-slate-500 tabular-nums">
        <span>{plural(server.messages, 'msg')}</span>
        {server.errors > 0 ? (
          <span className="text-red-600 dark:text-red-400">{server.errors} err</span>
        ) : null}
        <span>{plural(server.sessions, 'session')}</span>
        <span className="ml-auto">
          {server.lastActivity ? formatAgo(Date.parse(server.lastActivity)) : 'no traffic yet'}
        </span>
      </div>
    </ListRowLink>
  );
}

/** Every registered server with its health and traffic at a glance. */
export function ServerList({
  servers,
  selected,
  onAdd,
}: {
  servers: ServerJson[];
  selected: string | null;
  /** Null when the signed-in role may not add servers. */
  onAdd: (() => void) | null;
}) {
  return (
    <nav className="flex h-full min-h-0 flex-col" aria-label="Servers">
      <div className="flex h-9 shrink-0 items-center border-b border-slate-200 px-3 text-xs font-medium text-slate-500 dark:border-slate-800">
        Servers · {servers.length}
        {onAdd ? (
          <button type="button" className="btn btn-sm btn-primary ml-auto" onClick={onAdd}>
            + Add server
          </button>
        ) : null}
      </div>
      <ul className="min-h-0 flex-1 overflow-auto">
        {servers.map((server) => (
          <ServerItem key={server.name} server={server} selected={server.name === selected} />
        ))}
      </ul>
    </nav>
  );
}
