import { type KeyboardEvent, type Ref, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { applyFix, checkFilter, stillTyping } from '../filter-check';
import { useDebounced, useFilterSuggestions } from '../filter-hooks';
import { applySuggestion, type Suggestion } from '../filter-suggest';
import type { FilterErrorJson } from '../types';
import { FilterHelp } from './FilterHelp';
import { FilterProblem, FilterSuggestions } from './FilterPopups';

export interface FilterBarProps {
  /** The filter in effect (from the URL). */
  value: string;
  onApply: (filter: string) => void;
  /** The gateway's 400 for the filter in effect, if it refused it. */
  serverError?: FilterErrorJson | null;
  inputRef?: Ref<HTMLInputElement>;
  placeholder?: string;
  /** Told whether the text in the box, not applied yet, is shown as wrong (the view below is then stale). */
  onDraftProblem?: (shown: boolean) => void;
}

/**
 * The filter bar: speaks the filter language, completes field names and values at the cursor, and points
 * at mistakes (underlined, with the gateway's message and suggestion). Enter applies; so does choosing a
 * value. Esc closes the suggestions, then reverts what was not applied. Tab moves on and changes nothing.
 */
export function FilterBar({
  value,
  onApply,
  serverError = null,
  inputRef,
  placeholder,
  onDraftProblem,
}: FilterBarProps) {
  const [text, setText] = useState(value);
  const [cursor, setCursor] = useState(value.length);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [insisted, setInsisted] = useState(false);
  const [focused, setFocused] = useState(false);
  const input = useRef<HTMLInputElement | null>(null);
  const mirror = useRef<HTMLDivElement>(null);
  const pendingCursor = useRef<number | null>(null);
  const listId = useId();
  const suggestions = useFilterSuggestions(text, cursor, open);
  const settled = useDebounced(text, 400);

  useEffect(() => {
    // What was just applied keeps its trailing space, so typing goes on with a new term.
    setText((current) => (current.trim() === value ? current : value));
    setInsisted(false);
  }, [value]);
  useLayoutEffect(() => {
    if (pendingCursor.current === null || !input.current) return;
    input.current.setSelectionRange(pendingCursor.current, pendingCursor.current);
    setCursor(pendingCursor.current);
    pendingCursor.current = null;
  });

  const localProblem = checkFilter(text);
  // A mistake shows once typing pauses, but a term still being typed (`server:`, an open quote) is not a
  // mistake yet: that one shows on Enter, or once the focus has left the box.
  const unfinished = localProblem !== null && focused && stillTyping(text, cursor, localProblem);
  const problem =
    text.trim() === value && serverError
      ? serverError
      : insisted || (settled === text && !unfinished)
        ? localProblem
        : null;
  const draftWrong = problem !== null && text.trim() !== value;
  useEffect(() => onDraftProblem?.(draftWrong), [draftWrong, onDraftProblem]);
  const listShown = open && suggestions.length > 0;

  const apply = (next: string) => {
    const trimmed = next.trim();
    if (checkFilter(trimmed)) {
      setInsisted(true);
      return;
    }
    setOpen(false);
    onApply(trimmed);
  };
  const change = (next: string, at: number) => {
    setText(next);
    setCursor(at);
    setActive(-1);
    setInsisted(false);
    setOpen(true);
  };
  const accept = (suggestion: Suggestion) => {
    const next = applySuggestion(text, cursor, suggestion);
    change(next.text, next.cursor);
    pendingCursor.current = next.cursor;
    if (suggestion.kind === 'value' && !checkFilter(next.text)) {
      setOpen(false);
      onApply(next.text.trim());
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) return setOpen(true);
      const count = suggestions.length;
      const down = event.key === 'ArrowDown';
      if (count > 0)
        setActive(active < 0 ? (down ? 0 : count - 1) : (active + (down ? 1 : count - 1)) % count);
    } else if (event.key === 'Enter' && listShown && active >= 0) {
      // Enter chooses; Tab never does: it only moves the focus on (WCAG 3.2.1, no change on focus), so
      // tabbing through the page past the filter box leaves the filter as it was.
      event.preventDefault();
      accept(suggestions[active] as Suggestion);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      apply(text);
    } else if (event.key === 'Escape') {
      if (listShown) setOpen(false);
      else if (text.trim() !== value) setText(value);
      else input.current?.blur();
    } else if (event.key === ' ' && event.ctrlKey) {
      event.preventDefault();
      setOpen(true);
    }
  };
  const setRefs = (node: HTMLInputElement | null) => {
    input.current = node;
    if (typeof inputRef === 'function') inputRef(node);
    else if (inputRef) (inputRef as { current: HTMLInputElement | null }).current = node;
  };

  const underline = problem ? clampRange(problem, text.length) : null;
  return (
    <div className="relative flex min-w-0 flex-1 items-center">
      <span className="pointer-events-none absolute left-2 text-slate-400" aria-hidden>
        ⌕
      </span>
      <div
        ref={mirror}
        aria-hidden
        className="pointer-events-none absolute inset-0 overflow-hidden whitespace-pre border border-transparent py-1 pr-16 pl-6 font-mono text-xs text-transparent"
      >
        {underline ? (
          <>
            {text.slice(0, underline[0])}
            <span className="underline decoration-red-500 decoration-wavy underline-offset-4">
              {text.slice(underline[0], underline[1]) || ' '}
            </span>
          </>
        ) : null}
      </div>
      <input
        ref={setRefs}
        role="combobox"
        aria-label="Filter"
        aria-expanded={listShown}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-invalid={problem !== null}
        aria-activedescendant={listShown && active >= 0 ? `${listId}-${active}` : undefined}
        spellCheck={false}
        autoComplete="off"
        value={text}
        placeholder={placeholder ?? 'Filter: server:name method:tools/call has:error duration>1s "free text"'}
        onChange={(event) =>
          change(event.target.value, event.target.selectionStart ?? event.target.value.length)
        }
        onSelect={(event) => setCursor(event.currentTarget.selectionStart ?? 0)}
        onScroll={(event) => {
          if (mirror.current) mirror.current.scrollLeft = event.currentTarget.scrollLeft;
        }}
        onFocus={() => {
          setFocused(true);
          setOpen(true);
        }}
        onBlur={() => {
          setFocused(false);
          setOpen(false);
        }}
        onKeyDown={onKeyDown}
        className={`h-7 w-full rounded-md border bg-white/0 py-1 pr-16 pl-6 font-mono text-xs outline-none placeholder:font-sans placeholder:text-slate-400 focus:ring-2 ${problem ? 'border-red-400 focus:ring-red-200 dark:border-red-700 dark:focus:ring-red-900' : 'border-slate-300 focus:border-sky-500 focus:ring-sky-100 dark:border-slate-700 dark:focus:ring-sky-900'}`}
      />
      <div className="absolute right-1 flex items-center gap-0.5">
        {text.trim() !== value ? (
          <kbd className="mr-1 hidden rounded border border-slate-300 px-1 text-[10px] text-slate-500 sm:inline dark:border-slate-600">
            ↵
          </kbd>
        ) : null}
        {text !== '' || value !== '' ? (
          <button
            type="button"
            aria-label="Clear filter"
            onClick={() => {
              setText('');
              onApply('');
            }}
            className="grid size-6 place-items-center rounded text-slate-500 hover:bg-slate-100 hover:text-slate-700 dark:hover:bg-slate-800 dark:hover:text-slate-200"
          >
            ✕
          </button>
        ) : null}
        <FilterHelp onExample={(example) => onApply(example)} />
      </div>
      {listShown ? (
        <FilterSuggestions
          id={listId}
          suggestions={suggestions}
          active={active}
          onHover={setActive}
          onChoose={accept}
        />
      ) : problem ? (
        <FilterProblem
          problem={problem}
          onFix={() => {
            const fixed = applyFix(text, problem);
            setText(fixed);
            apply(fixed);
          }}
        />
      ) : null}
    </div>
  );
}

function clampRange(problem: FilterErrorJson, length: number): [number, number] {
  const start = Math.min(problem.position, length);
  return [start, Math.min(length, Math.max(start + problem.length, start + 1))];
}
