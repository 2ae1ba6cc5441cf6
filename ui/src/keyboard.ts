import { useEffect, useRef } from 'react';

/**
 * The keys every list screen understands (the same as Gmail's and GitHub's: j/k, Enter, /, Esc), plus
 * Shift+J/K for the outer list when an item of it is open and j/k already move inside that item.
 */
export type KeyAction =
  | 'next'
  | 'previous'
  | 'next-outer'
  | 'previous-outer'
  | 'open'
  | 'focus-filter'
  | 'close';

interface KeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

function isControl(target: EventTarget | null): boolean {
  return target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement;
}

/** What a key press means, or null when it belongs to whatever has focus (typing, a button, a dialog). */
export function keyAction(event: KeyInput, dialogOpen = false): KeyAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey || dialogOpen) return null;
  if (event.key === 'Escape') return isEditable(event.target) ? null : 'close';
  if (isEditable(event.target)) return null;
  switch (event.key) {
    case 'j':
    case 'ArrowDown':
      return 'next';
    case 'k':
    case 'ArrowUp':
      return 'previous';
    case 'J':
      return 'next-outer';
    case 'K':
      return 'previous-outer';
    case 'Enter':
      return isControl(event.target) ? null : 'open';
    case '/':
      return 'focus-filter';
    default:
      return null;
  }
}

/** Binds the list keys on the whole page while the calling screen is shown. */
export function useListKeys(handlers: Partial<Record<KeyAction, () => void>>): void {
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // Already handled by what has the focus (a row opening itself on Enter, a tab list's arrows).
      if (event.defaultPrevented) return;
      const action = keyAction(event, document.querySelector('dialog[open]') !== null);
      const handler = action ? current.current[action] : undefined;
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** The index after moving one step from `index` (nothing selected yet: the first row). */
export function step(index: number, count: number, direction: 1 | -1): number {
  if (count === 0) return -1;
  if (index < 0) return 0;
  return Math.min(count - 1, Math.max(0, index + direction));
}

/**
 * Moves focus to the row of a record once it is on screen (a virtualized list draws it a frame or two after
 * it is scrolled to), so that moving with j/k takes the focus along and a screen reader reads the row.
 */
export function focusRecordRow(id: number, tries = 10): void {
  requestAnimationFrame(() => {
    const row = document.querySelector<HTMLElement>(`[data-record-id="${id}"]`);
    if (row) row.focus();
    else if (tries > 0) focusRecordRow(id, tries - 1);
  });
}

/** Moves focus to a side list's link to `path` once the list shows it as the current page. */
export function focusListLink(path: string, tries = 10): void {
  requestAnimationFrame(() => {
    const link = document.querySelector<HTMLElement>(
      `nav a[aria-current="page"][href="${path.replace(/["\\]/g, '\\$&')}"]`,
    );
    if (link) link.focus();
    else if (tries > 0) focusListLink(path, tries - 1);
  });
}

/** A ref for a list row that scrolls it into view when it becomes selected, so the keys never lose it. */
export function useKeptInView<T extends HTMLElement>(selected: boolean) {
  const row = useRef<T>(null);
  useEffect(() => {
    if (selected) row.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return row;
}
