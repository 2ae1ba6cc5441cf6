import { useState } from 'react';
import { focusListLink, focusRecordRow, step, useListKeys } from './keyboard';
import { navigate, withParams } from './router';

export interface RecordSelection {
  /** The highlighted row (j/k move it). */
  selectedId: number | null;
  /** The record open in the detail panel, from the URL (`record=`), so it can be shared. */
  openId: number | null;
  /** Highlights and opens a row (a click). */
  choose(id: number): void;
  close(): void;
}

/**
 * Selection in a list of records, with the list keys: j/k move (the open panel follows), Enter opens,
 * Esc closes, / focuses the filter when there is one.
 */
export function useRecordSelection(
  url: URL,
  records: readonly { id: number }[],
  focusFilter?: () => void,
): RecordSelection {
  const param = Number(url.searchParams.get('record'));
  const openId = Number.isInteger(param) && param > 0 ? param : null;
  const [selectedId, setSelectedId] = useState<number | null>(openId);
  const open = (id: number | null) =>
    navigate(withParams(url, { record: id === null ? null : String(id) }), { replace: true });
  const move = (direction: 1 | -1) => {
    const index = step(
      records.findIndex((r) => r.id === selectedId),
      records.length,
      direction,
    );
    const record = records[index];
    if (!record) return;
    setSelectedId(record.id);
    if (openId !== null) open(record.id);
    focusRecordRow(record.id);
  };
  // Closing the panel puts the focus back on the row it was opened from (it would fall to the page otherwise).
  const close = () => {
    open(null);
    if (openId !== null) focusRecordRow(openId);
  };
  useListKeys({
    next: () => move(1),
    previous: () => move(-1),
    open: () => selectedId !== null && open(selectedId),
    'focus-filter': focusFilter,
    close,
  });
  return {
    selectedId,
    openId,
    choose(id) {
      setSelectedId(id);
      open(id);
    },
    close,
  };
}

/**
 * Moves to the next or previous item of a list whose selection is the page itself (a server, a session).
 * The address is replaced rather than pushed, so stepping through a long list leaves no history entry per row.
 */
export function stepPage<T>(
  items: readonly T[],
  current: number,
  direction: 1 | -1,
  pathOf: (item: T) => string,
): void {
  const item = items[step(current, items.length, direction)];
  if (item === undefined) return;
  navigate(pathOf(item), { replace: true });
  // The focus goes along, so a screen reader reads the row now current (and Enter/Tab go on from there).
  focusListLink(pathOf(item));
}
