import { EmptyState, Snippet } from '../components/EmptyState';
import { linkClick } from '../router';
import { useServers } from '../servers-data';
import { useCan } from '../session';

/** No rows: say why, and what to do next (with the real proxy URLs of this gateway). */
export function TrafficEmpty({ filter, onClearFilter }: { filter: string; onClearFilter: () => void }) {
  const servers = useServers();
  const canChange = useCan('operator');
  if (filter) {
    return (
      <EmptyState title="No messages match this filter">
        <p>
          Nothing captured matches <code className="font-mono text-xs">{filter}</code>. New messages that
          match appear here as they arrive.
        </p>
        <button type="button" className="btn" onClick={onClearFilter}>
          Clear the filter
        </button>
      </EmptyState>
    );
  }
  if (!servers.data) return null;
  const first = servers.data[0];
  if (!first) {
    return (
      <EmptyState title="No servers yet">
        <p>
          Register an MCP server with the gateway (a remote URL, or a local command it runs for you), then
          point your client at the address the gateway gives it. Every message will show up here, live.
        </p>
        {canChange ? (
          <a href="/ui/servers?add=1" onClick={linkClick('/ui/servers?add=1')} className="btn btn-primary">
            Add a server
          </a>
        ) : null}
      </EmptyState>
    );
  }
  return (
    <EmptyState title="No traffic yet">
      <p>Point an MCP client at a server through the gateway; its messages appear here as they happen.</p>
      <ul className="space-y-1">
        {servers.data.slice(0, 5).map((server) => (
          <li key={server.name} className="flex items-baseline gap-2">
            <span className="w-28 truncate font-medium">{server.name}</span>
            <code className="font-mono text-xs text-sky-700 dark:text-sky-300">{server.proxyUrl}</code>
          </li>
        ))}
      </ul>
      <p>For example, with Claude Code:</p>
      <Snippet text={`claude mcp add --transport http ${first.name} ${first.proxyUrl}`} />
      <p className="text-xs text-slate-500">
        Configurations for Cursor, VS Code, Claude Desktop and the SDK are on the{' '}
        <a
          className="text-sky-700 underline dark:text-sky-400"
          href={`/ui/servers/${first.name}`}
          onClick={linkClick(`/ui/servers/${first.name}`)}
        >
          server's page
        </a>
        .
      </p>
    </EmptyState>
  );
}
