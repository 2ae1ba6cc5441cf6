import { linkClick } from '../router';

/**
 * What is marked to compare and the Compare link, announced as it changes (`aria-live`): a keyboard or
 * screen-reader user hears that a mark took, and what to do next.
 */
export function CompareBar({
  labels,
  path,
  what,
  onClear,
}: {
  /** What is marked, in order ("#12", "session 3f2a…"). */
  labels: string[];
  /** The compare screen, once two are marked. */
  path: string | null;
  /** What is being marked, plural ("records", "sessions"). */
  what: string;
  onClear: () => void;
}) {
  const status =
    labels.length === 0
      ? ''
      : labels.length === 1
        ? `${labels[0]} marked to compare; mark one more.`
        : `${labels[0]} and ${labels[1]} marked to compare.`;
  return (
    <div className="flex shrink-0 items-center gap-2 text-xs">
      <span aria-live="polite" className="sr-only">
        {status}
      </span>
      {labels.length > 0 ? (
        <>
          <span className="text-slate-600 dark:text-slate-300" aria-hidden="true" title={labels.join(', ')}>
            {labels.length} of 2 marked
          </span>
          {path ? (
            <a
              className="btn btn-sm btn-primary"
              href={path}
              onClick={linkClick(path)}
              aria-label={`Compare the two ${what}`}
            >
              Compare
            </a>
          ) : null}
          <button type="button" className="btn btn-sm" onClick={onClear} aria-label={`Unmark the ${what}`}>
            Clear
          </button>
        </>
      ) : null}
    </div>
  );
}
