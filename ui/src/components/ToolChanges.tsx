import { useQuery } from '@tanstack/react-query';
import { useRefetchOn } from '../activity';
import { api, errorMessage, withQuery } from '../api';
import { formatAgo } from '../format';
import { linkClick } from '../router';
import type { ToolChangesJson } from '../types';
import { JsonDiffList } from './JsonDiffList';

type Change = ToolChangesJson['changes'][number];

const KIND = {
  added: { sign: '+', className: 'text-emerald-700 dark:text-emerald-400' },
  removed: { sign: '−', className: 'text-rose-700 dark:text-rose-400' },
  changed: { sign: '~', className: 'text-amber-700 dark:text-amber-400' },
} as const;

function counts(change: Pick<Change, 'added' | 'removed' | 'changed'>): string {
  return [
    change.added ? `${change.added} added` : '',
    change.removed ? `${change.removed} removed` : '',
    change.changed ? `${change.changed} changed` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

function ChangeItem({ change }: { change: Change }) {
  const answer = change.recordId === null ? null : withQuery('/ui/traffic', { record: change.recordId });
  return (
    <li className="border-t border-slate-100 py-2 dark:border-slate-900">
      <p className="text-xs">
        <span title={change.time}>{formatAgo(change.timestamp)}</span>: {counts(change)}
        {answer ? (
          <>
            {' '}
            ·{' '}
            <a className="text-sky-700 underline dark:text-sky-300" href={answer} onClick={linkClick(answer)}>
              the tools/list answer
            </a>
          </>
        ) : null}
        {change.truncated ? ' (not every detail was kept)' : ''}
      </p>
      <ul className="mt-1 space-y-1" aria-label={`Tools that changed ${formatAgo(change.timestamp)}`}>
        {change.tools.map((tool) => (
          <li key={`${tool.kind}:${tool.name}`} className="text-xs">
            <span className={`font-semibold ${KIND[tool.kind].className}`}>
              <span aria-hidden="true">{KIND[tool.kind].sign} </span>
              {tool.name}
            </span>{' '}
            <span className="text-slate-600 dark:text-slate-400">{tool.kind}</span>
            {tool.diff ? (
              <div className="mt-0.5 ml-4">
                <JsonDiffList diff={tool.diff} label={`How ${tool.name} changed`} />
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </li>
  );
}

/**
 * How a server's tools changed between sessions (GET /api/servers/:name/tool-changes): flagged at the top
 * when they did, each change with its per-tool diff; refreshed live when a new change is recorded.
 */
export function ToolChanges({ name }: { name: string }) {
  const key = ['tool-changes', name];
  useRefetchOn(key, ['tool-changes'], 500);
  const history = useQuery({
    queryKey: key,
    queryFn: ({ signal }) =>
      api<ToolChangesJson>(`/api/servers/${encodeURIComponent(name)}/tool-changes`, { signal }),
  });
  const latest = history.data?.changes[0];
  return (
    <section className="border-t border-slate-200 py-3 dark:border-slate-800" aria-label="Tool changes">
      <h3 className="mb-2 text-xs font-semibold">Tool changes</h3>
      {/* Announced when a change arrives while the page is open. */}
      <div aria-live="polite">
        {latest ? (
          <p className="mb-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
            <span aria-hidden="true">⚠ </span>
            This server's tools changed {formatAgo(latest.timestamp)}: {counts(latest)}.
            {history.data && history.data.changes.length > 1
              ? ` ${history.data.changes.length}${history.data.hasMore ? '+' : ''} changes recorded.`
              : ''}
          </p>
        ) : null}
      </div>
      {history.error ? (
        <p role="alert" className="text-xs text-red-600">
          {errorMessage(history.error)}
        </p>
      ) : history.data && history.data.changes.length === 0 ? (
        <p className="text-xs text-slate-600 dark:text-slate-400">
          {history.data.current
            ? `No changes: ${history.data.current.tools} tools, the same in every session since ${formatAgo(Date.parse(history.data.current.seenAt))}.`
            : 'No tool list seen yet: it is recorded when a client lists the tools.'}
        </p>
      ) : null}
      {history.data && history.data.changes.length > 0 ? (
        <ol aria-label="Changes, newest first">
          {history.data.changes.map((change) => (
            <ChangeItem key={change.id} change={change} />
          ))}
        </ol>
      ) : null}
    </section>
  );
}
