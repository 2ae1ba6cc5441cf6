import { type KeyboardEvent, type RefObject, useLayoutEffect, useState } from 'react';

function countText(count: number, current: number): string {
  if (count === 0) return 'No match';
  if (current >= 0) return `${current + 1} of ${count}`;
  return `${count.toLocaleString()} match${count === 1 ? '' : 'es'}`;
}

/**
 * The message view's search: how many keys and values match (the highlighted ones, in the request and
 * the response), and next / previous to scroll from one to the next (Enter, Shift+Enter), as a browser's
 * find bar does. It counts what is on screen: `shown` changes when the messages do.
 */
export function JsonSearch({
  value,
  onChange,
  panel,
  shown,
}: {
  value: string;
  onChange: (value: string) => void;
  panel: RefObject<HTMLElement | null>;
  shown: unknown;
}) {
  const [count, setCount] = useState(0);
  const [current, setCurrent] = useState(-1);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the highlights change with the search and the messages shown
  useLayoutEffect(() => {
    setCount(value.trim() ? (panel.current?.querySelectorAll('mark').length ?? 0) : 0);
    setCurrent(-1);
  }, [value, shown, panel]);

  const go = (step: 1 | -1) => {
    const marks = [...(panel.current?.querySelectorAll('mark') ?? [])];
    if (marks.length === 0) return;
    const next =
      current < 0 ? (step === 1 ? 0 : marks.length - 1) : (current + step + marks.length) % marks.length;
    for (const mark of marks) mark.removeAttribute('data-current');
    const target = marks[next] as HTMLElement;
    target.setAttribute('data-current', '');
    target.scrollIntoView({ block: 'center' });
    setCount(marks.length);
    setCurrent(next);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    go(event.shiftKey ? -1 : 1);
  };
  const searching = value.trim() !== '';
  return (
    <span className="ml-auto flex min-w-0 items-center gap-1">
      <input
        type="search"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
        placeholder="Search in JSON"
        aria-label="Search in JSON"
        className="h-6 w-44 min-w-0 rounded border border-slate-300 bg-transparent px-2 text-xs outline-none focus:border-sky-500 dark:border-slate-700"
      />
      <span
        aria-live="polite"
        className="shrink-0 text-[11px] text-slate-500 tabular-nums"
        data-testid="json-matches"
      >
        {searching ? countText(count, current) : ''}
      </span>
      {searching && count > 0 ? (
        <>
          <button
            type="button"
            className="btn btn-sm px-1.5"
            aria-label="Previous match"
            title="Previous match (Shift+Enter)"
            onClick={() => go(-1)}
          >
            ↑
          </button>
          <button
            type="button"
            className="btn btn-sm px-1.5"
            aria-label="Next match"
            title="Next match (Enter)"
            onClick={() => go(1)}
          >
            ↓
          </button>
        </>
      ) : null}
    </span>
  );
}
