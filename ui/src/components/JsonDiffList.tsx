import type { JsonDiff, JsonDiffEntry } from '../types';

/** How each kind of difference reads, with a sign so it does not depend on colour alone (WCAG 1.4.1). */
const KIND: Record<JsonDiffEntry['kind'], { sign: string; label: string; className: string }> = {
  added: { sign: '+', label: 'added', className: 'text-emerald-700 dark:text-emerald-400' },
  removed: { sign: '−', label: 'removed', className: 'text-rose-700 dark:text-rose-400' },
  changed: { sign: '~', label: 'changed', className: 'text-amber-700 dark:text-amber-400' },
};

const MAX_VALUE_CHARS = 300;

function short(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'undefined';
  } catch {
    text = String(value);
  }
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}

/**
 * A structural JSON diff (src/core/json-diff.ts) as a list: one row per added, removed or changed path,
 * with the values before and after. Used wherever two messages are compared.
 */
export function JsonDiffList({ diff, label }: { diff: JsonDiff; label: string }) {
  if (diff.entries.length === 0) {
    return <p className="text-sm text-slate-600 dark:text-slate-400">No differences.</p>;
  }
  return (
    <div>
      <ul aria-label={label} className="space-y-1 font-mono text-xs">
        {diff.entries.map((entry) => {
          const kind = KIND[entry.kind];
          return (
            <li key={`${entry.kind}:${entry.path}`} className="break-all">
              <span className={`font-semibold ${kind.className}`}>
                <span aria-hidden="true">{kind.sign} </span>
                <span className="sr-only">{kind.label}: </span>
              </span>
              <span className="font-semibold">{entry.path === '' ? '(whole message)' : entry.path}</span>
              {entry.kind !== 'added' ? (
                <span className="text-rose-700 dark:text-rose-400"> {short(entry.before)}</span>
              ) : null}
              {entry.kind === 'changed' ? <span aria-hidden="true"> →</span> : null}
              {entry.kind === 'changed' ? <span className="sr-only"> to </span> : null}
              {entry.kind !== 'removed' ? (
                <span className="text-emerald-700 dark:text-emerald-400"> {short(entry.after)}</span>
              ) : null}
            </li>
          );
        })}
      </ul>
      {diff.truncated ? (
        <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          Only the first {diff.entries.length} differences are shown.
        </p>
      ) : null}
    </div>
  );
}
