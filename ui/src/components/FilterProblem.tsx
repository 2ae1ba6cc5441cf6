import type { FilterErrorJson } from '../types';

/** Under the filter bar: what is wrong with the filter, and the likely fix as a button. */
export function FilterProblem({ problem, onFix }: { problem: FilterErrorJson; onFix: () => void }) {
  return (
    <div
      role="alert"
      className="absolute top-8 left-0 z-30 flex max-w-[min(640px,100%)] items-start gap-2 rounded-md border border-red-200 bg-red-50 px-3 py-1.5 text-xs text-red-800 shadow-md dark:border-red-900 dark:bg-red-950 dark:text-red-200"
    >
      <span aria-hidden>⚠</span>
      <span>
        {problem.error}
        <span className="text-red-600/70 dark:text-red-300/60"> (at character {problem.position + 1})</span>
      </span>
      {problem.suggestion !== null ? (
        <button
          type="button"
          onMouseDown={(event) => event.preventDefault()}
          onClick={onFix}
          className="shrink-0 rounded border border-red-300 bg-white px-1.5 font-mono hover:bg-red-100 dark:border-red-800 dark:bg-red-900 dark:hover:bg-red-800"
        >
          Use {problem.suggestion}
        </button>
      ) : null}
    </div>
  );
}
