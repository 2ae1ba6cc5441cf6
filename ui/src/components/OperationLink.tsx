import { formatDuration } from '../format';
import { linkClick, useLocation, withParams } from '../router';
import type { CapturedRecord } from '../types';

const CONTINUES: Record<NonNullable<CapturedRecord['linkKind']>, string> = {
  'mrtr-retry': 'the earlier round of this multi-round request',
  task: 'the request that created this task',
};

/**
 * Where a message belongs in a multi-round operation: "Continues request #N" for an MRTR retry or a task
 * message (opening that record in the same pane), and the operation's total on the answer that ends it.
 */
export function OperationLink({
  request,
  response,
}: {
  request: CapturedRecord | null;
  response: CapturedRecord | null;
}) {
  const url = useLocation();
  const linked = request?.linkedId ? request : response?.linkedId ? response : null;
  const total = response?.operationMs ?? null;
  if (!linked && total === null) return null;
  const to = linked ? withParams(url, { record: String(linked.linkedId) }) : '';
  return (
    <p className="mb-3 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600 dark:text-slate-300">
      {linked?.linkKind ? (
        <a
          href={to}
          onClick={linkClick(to)}
          className="text-sky-700 underline dark:text-sky-400"
          title={`Open ${CONTINUES[linked.linkKind]}`}
        >
          Continues request #{linked.linkedId}
        </a>
      ) : null}
      {total !== null ? (
        <span title="From the first round's request to this answer, the time the person took to answer included">
          Operation total {formatDuration(total)}
        </span>
      ) : null}
    </p>
  );
}
