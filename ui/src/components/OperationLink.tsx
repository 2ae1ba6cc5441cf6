import { useQuery } from '@tanstack/react-query';
import { api, withQuery } from '../api';
import { formatDuration } from '../format';
import { linkClick, useLocation, withParams } from '../router';
import type { CapturedRecord, RecordSummary } from '../types';

const CONTINUES: Record<NonNullable<CapturedRecord['linkKind']>, string> = {
  'mrtr-retry': 'the earlier round of this multi-round request',
  task: 'the request that created this task',
};

/** An answer that leaves the operation open: a round asking for input, or a task handed back. */
function opensOperation(response: CapturedRecord | null): 'mrtr-retry' | 'task' | null {
  if (response?.kind !== 'response') return null;
  if (response.summary.startsWith('input required')) return 'mrtr-retry';
  return /^task \S+ /.test(response.summary) ? 'task' : null;
}

function RecordLink({ to, title, children }: { to: string; title: string; children: string }) {
  return (
    <a href={to} onClick={linkClick(to)} className="text-sky-700 underline dark:text-sky-400" title={title}>
      {children}
    </a>
  );
}

/**
 * Where a message belongs in a multi-round operation: "Continues request #N" for an MRTR retry or a task
 * message (opening that record in the same pane), what continued a round that asked for input or created
 * a task, and the operation's total on the answer that ends it.
 */
export function OperationLink({
  request,
  response,
}: {
  request: CapturedRecord | null;
  response: CapturedRecord | null;
}) {
  const url = useLocation();
  const opens = request?.kind === 'request' ? opensOperation(response) : null;
  const next = useQuery({
    queryKey: ['continued-by', request?.id],
    queryFn: ({ signal }) =>
      api<{ data: RecordSummary[] }>(
        withQuery('/api/logs', {
          filter: `linked:${request?.id}`,
          order: 'asc',
          limit: 1,
          fields: 'summary',
        }),
        { signal },
      ),
    enabled: opens !== null,
    staleTime: 5_000,
  });
  const linked = request?.linkedId ? request : response?.linkedId ? response : null;
  const total = response?.operationMs ?? null;
  const continuedBy = opens ? (next.data?.data[0] ?? null) : null;
  if (!linked && total === null && !continuedBy) return null;
  return (
    <p className="mb-3 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600 dark:text-slate-300">
      {linked?.linkKind ? (
        <RecordLink
          to={withParams(url, { record: String(linked.linkedId) })}
          title={`Open ${CONTINUES[linked.linkKind]}`}
        >
          {`Continues request #${linked.linkedId}`}
        </RecordLink>
      ) : null}
      {continuedBy && opens === 'mrtr-retry' ? (
        <RecordLink to={withParams(url, { record: String(continuedBy.id) })} title="Open the client's retry">
          {`Continued by request #${continuedBy.id}`}
        </RecordLink>
      ) : null}
      {continuedBy && opens === 'task' ? (
        <RecordLink
          to={withQuery('/ui/traffic', { filter: `linked:${request?.id}` })}
          title="The task's messages: polls, its result, its status notifications"
        >
          Task messages
        </RecordLink>
      ) : null}
      {total !== null ? (
        <span title="From the first round's request to this answer, the time the person took to answer included">
          Operation total {formatDuration(total)}
        </span>
      ) : null}
    </p>
  );
}
