import { methodColor } from '../format';
import type { RecordSummary } from '../types';

/** A glyph for the eye, with its meaning in words for screen readers (the glyph alone reads as "rightwards arrow"). */
function Glyph({ glyph, meaning, className }: { glyph: string; meaning: string; className: string }) {
  return (
    <span className={className} title={meaning}>
      <span aria-hidden>{glyph}</span>
      <span className="sr-only">{meaning}</span>
    </span>
  );
}

/** Which way a message went: → client to server, ← server to client; stderr lines and notes get a mark. */
export function DirectionArrow({ record }: { record: RecordSummary }) {
  if (record.kind === 'stderr') {
    return (
      <Glyph glyph="⚑" meaning="server stderr" className="font-bold text-amber-600 dark:text-amber-400" />
    );
  }
  if (record.kind === 'other' && record.note) {
    return <Glyph glyph="•" meaning={record.note} className="text-slate-400" />;
  }
  return record.direction === 'client_to_server' ? (
    <Glyph glyph="→" meaning="client to server" className="font-bold text-sky-600 dark:text-sky-400" />
  ) : (
    <Glyph
      glyph="←"
      meaning="server to client"
      className="font-bold text-emerald-600 dark:text-emerald-400"
    />
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
