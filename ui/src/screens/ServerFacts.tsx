import { joinArgs } from '../command-line';
import { formatAgo } from '../format';
import type { ServerJson } from '../types';

function Fact({ label, value, tone = '' }: { label: string; value: string; tone?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-[11px] text-slate-500">{label}</dt>
      <dd className={`truncate text-sm tabular-nums ${tone}`} title={value}>
        {value}
      </dd>
    </div>
  );
}

function configRows(config: Record<string, unknown>): [string, string][] {
  return Object.entries(config)
    .filter(([key]) => key !== 'type')
    .map(([key, value]) => {
      if (key === 'args' && Array.isArray(value)) return [key, joinArgs(value.map(String))];
      if (typeof value === 'object' && value !== null) {
        return [
          key,
          Object.entries(value)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join('  '),
        ];
      }
      return [key, String(value)];
    });
}

/** Traffic counts, the process (stdio), and the configuration as registered (secrets masked). */
export function ServerFacts({ server }: { server: ServerJson }) {
  const status = server.status;
  return (
    <>
      <dl className="mt-3 grid grid-cols-4 gap-3 py-2">
        <Fact label="Messages" value={server.messages.toLocaleString()} />
        <Fact
          label="Errors"
          value={server.errors.toLocaleString()}
          tone={server.errors > 0 ? 'text-red-600 dark:text-red-400' : ''}
        />
        <Fact label="Sessions" value={server.sessions.toLocaleString()} />
        <Fact
          label="Last activity"
          value={server.lastActivity ? formatAgo(Date.parse(server.lastActivity)) : 'never'}
        />
      </dl>
      {status ? (
        <dl className="grid grid-cols-4 gap-3 border-t border-slate-200 py-3 dark:border-slate-800">
          <Fact
            label="Process"
            value={status.state}
            tone={status.state === 'crashed' || status.state === 'misconfigured' ? 'text-red-600' : ''}
          />
          <Fact label="PID" value={status.pid ? String(status.pid) : '—'} />
          <Fact label="Restarts" value={String(status.restarts ?? 0)} />
          <Fact label="Open sessions" value={String(status.sessions ?? 0)} />
          {status.lastError ? (
            <p className="col-span-4 text-xs text-red-600 dark:text-red-400">
              Last problem: {status.lastError}
            </p>
          ) : null}
        </dl>
      ) : null}
      <section className="border-t border-slate-200 py-3 dark:border-slate-800" aria-label="Configuration">
        <h3 className="mb-2 text-xs font-semibold">Configuration</h3>
        <table className="w-full text-xs">
          <tbody>
            {configRows(server.config).map(([key, value]) => (
              <tr key={key}>
                <td className="w-32 py-0.5 align-top text-slate-500">{key}</td>
                <td className="py-0.5 font-mono break-all">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
