import type { Suggestion } from '../filter-suggest';
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
        <span className="text-red-700 dark:text-red-300"> (at character {problem.position + 1})</span>
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

/** Under the filter bar: what can go at the cursor (fields with their help, or values). */
export function FilterSuggestions({
  id,
  suggestions,
  active,
  onHover,
  onChoose,
}: {
  id: string;
  suggestions: readonly Suggestion[];
  active: number;
  onHover: (index: number) => void;
  onChoose: (suggestion: Suggestion) => void;
}) {
  return (
    <div
      id={id}
      role="listbox"
      aria-label="Filter suggestions"
      className="absolute top-8 left-0 z-30 max-h-72 w-[min(560px,100%)] overflow-auto rounded-md border border-slate-200 bg-white py-1 text-xs shadow-lg dark:border-slate-700 dark:bg-slate-900"
    >
      {suggestions.map((suggestion, index) => (
        <div
          key={suggestion.insert}
          id={`${id}-${index}`}
          role="option"
          aria-selected={index === active}
          tabIndex={-1}
          onMouseDown={(event) => {
            // Keep the focus in the input.
            event.preventDefault();
            onChoose(suggestion);
          }}
          onMouseEnter={() => onHover(index)}
          className={`flex cursor-pointer items-baseline gap-3 px-3 py-1 ${index === active ? 'bg-sky-100 dark:bg-sky-900/60' : ''}`}
        >
          <span className="shrink-0 font-mono text-slate-900 dark:text-slate-100">{suggestion.label}</span>
          <span className="truncate text-slate-500">
            {suggestion.kind === 'field' ? suggestion.detail : ''}
          </span>
        </div>
      ))}
    </div>
  );
}
