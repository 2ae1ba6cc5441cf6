import { methodColor } from '../format';
import type { RecordSummary } from '../types';

/** Which way a message went: → client to server, ← server to client; stderr lines and notes get a mark. */
export function DirectionArrow({ record }: { record: RecordSummary }) {
  if (record.kind === 'stderr') {
    return (
      <span className="font-bold text-amber-600 dark:text-amber-400" title="server stderr">
        ⚑
      </span>
    );
  }
  if (record.kind === 'other' && record.note) {
    return (
      <span className="text-slate-400" title={record.note}>
        •
      </span>
    );
  }
  return record.direction === 'client_to_server' ? (
    <span className="font-bold text-sky-600 dark:text-sky-400" title="client to server">
      →
    </span>
  ) : (
    <span className="font-bold text-emerald-600 dark:text-emerald-400" title="server to client">
      ←
    </span>
  );
}

/** The method in its family's colour; records without one show their kind. */
export function MethodChip({ record }: { record: Pick<RecordSummary, 'method' | 'kind'> }) {
  if (!record.method) return <span className="text-slate-400 italic">{record.kind}</span>;
  return (
    <span className={`rounded px-1.5 py-px font-mono text-[11px] ${methodColor(record.method)}`}>
      {record.method}
    </span>
  );
}
