import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useEffect, useLayoutEffect, useRef } from 'react';
import {
  formatCompactCount,
  formatCount,
  formatDuration,
  formatFullTime,
  formatRowTime,
  shortId,
} from '../format';
import type { RecordSummary } from '../types';
import { DirectionArrow, MethodChip } from './RecordBits';

const ROW_HEIGHT = 26;
/** The header row, inside the scroll area (sticky) so it scrolls sideways with the rows. */
const HEADER_HEIGHT = 28;

interface Column {
  key: string;
  label: string;
  /** A header read by screen readers only (the column shows glyphs, not words). */
  hiddenLabel?: boolean;
  /** Width and, for columns that give way when the table is narrow (detail open), when they show. */
  className: string;
  cell: (record: RecordSummary) => ReactNode;
  title?: (record: RecordSummary) => string;
}

function isFailure(record: RecordSummary): boolean {
  return record.kind === 'error' || record.error !== null || (record.http.status ?? 0) >= 400;
}

const COLUMNS: readonly Column[] = [
  {
    key: 'time',
    label: 'Time',
    // Wide enough for the day that older rows show in front of the time.
    className: 'w-[124px] font-mono text-slate-500',
    cell: (r) => formatRowTime(r.timestamp),
    title: (r) => formatFullTime(r.timestamp),
  },
  {
    key: 'dir',
    label: 'Direction',
    hiddenLabel: true,
    className: 'w-[24px] text-center',
    cell: (r) => <DirectionArrow record={r} />,
  },
  {
    key: 'server',
    label: 'Server',
    className: 'w-[84px] @4xl:w-[96px]',
    cell: (r) => r.server,
    title: (r) => r.server,
  },
  {
    key: 'client',
    label: 'Client',
    className: 'hidden w-[104px] text-slate-500 @4xl:block',
    cell: (r) => r.client.name ?? '',
    title: (r) => [r.client.name, r.client.version].filter(Boolean).join(' '),
  },
  {
    key: 'method',
    label: 'Method',
    className: 'w-[150px] @4xl:w-[196px]',
    cell: (r) => <MethodChip record={r} />,
  },
  {
    key: 'summary',
    label: 'Summary',
    className: 'min-w-[120px] flex-1',
    cell: (r) => <span className={isFailure(r) ? 'text-red-600 dark:text-red-400' : ''}>{r.summary}</span>,
    title: (r) => r.summary,
  },
  {
    key: 'session',
    label: 'Session',
    className: 'hidden w-[72px] font-mono text-slate-500 @5xl:block',
    cell: (r) => shortId(r.sessionId),
    title: (r) => r.sessionId ?? '',
  },
  {
    key: 'status',
    label: 'Status',
    className: 'w-[52px] text-right font-mono',
    cell: (r) => (
      <span className={(r.http.status ?? 0) >= 400 ? 'text-red-600 dark:text-red-400' : 'text-slate-500'}>
        {r.http.status ?? ''}
      </span>
    ),
  },
  {
    key: 'duration',
    label: 'Duration',
    className: 'w-[64px] text-right font-mono text-slate-500',
    cell: (r) => formatDuration(r.durationMs),
  },
  {
    key: 'tokens',
    label: 'Tokens',
    className: 'hidden w-[54px] text-right font-mono text-slate-500 @3xl:block',
    cell: (r) => formatCompactCount(r.tokens),
    title: (r) => (r.tokens === null ? '' : `about ${formatCount(r.tokens)} tokens`),
  },
];

/** The compare checkbox, last so the other columns keep their places. */
const MARK_CELL = 'w-[28px] shrink-0 px-1 text-center';

export interface RecordTableProps {
  records: readonly RecordSummary[];
  selectedId: number | null;
  onSelect: (record: RecordSummary) => void;
  /** Called when the user scrolls near the end: time to load the next page. */
  onNearEnd: () => void;
  footer?: ReactNode;
  /** Rows marked to compare (a last column of checkboxes; Space or x on a row toggles its mark). */
  marked?: ReadonlySet<number>;
  onMark?: (record: RecordSummary) => void;
}

/**
 * A dense, virtualized table of messages, newest first: only the rows on screen exist in the DOM. Rows
 * arriving at the top do not move what the user is looking at when scrolled down. Absolutely positioned
 * rows cannot live inside a <table>, so the grid is divs with ARIA grid roles (see biome.json).
 */
export function RecordTable({
  records,
  selectedId,
  onSelect,
  onNearEnd,
  footer,
  marked,
  onMark,
}: RecordTableProps) {
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: records.length,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
    // Rows start below the sticky header, and a row scrolled to is never hidden under it (WCAG 2.4.11).
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= records.length - 40) onNearEnd();
  }, [last, records.length, onNearEnd]);

  // Keep the rows in view still when new ones are added above them.
  const firstId = useRef<number | null>(null);
  useLayoutEffect(() => {
    const element = parent.current;
    const previous = firstId.current;
    firstId.current = records[0]?.id ?? null;
    if (!element || previous === null || element.scrollTop === 0) return;
    const added = records.findIndex((r) => r.id === previous);
    if (added > 0) element.scrollTop += added * ROW_HEIGHT;
  }, [records]);

  const selectedIndex = selectedId === null ? -1 : records.findIndex((r) => r.id === selectedId);
  // One row is in the Tab order (roving tabindex): the selected one when it is on screen, else the first shown.
  const tabbable = items.some((item) => item.index === selectedIndex)
    ? selectedId
    : (records[items[0]?.index ?? -1]?.id ?? null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll only when the selection moves, not on every new row
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedId]);

  return (
    <div
      className="@container flex h-full min-h-0 flex-col text-xs"
      role="grid"
      aria-label="Traffic"
      aria-rowcount={records.length + 1}
    >
      <div
        ref={parent}
        className="min-h-0 flex-1 overflow-auto"
        style={{ scrollPaddingTop: HEADER_HEIGHT }}
        data-testid="traffic-scroll"
      >
        {/* Wide enough for the columns that always show; narrower, the grid scrolls sideways, header too. */}
        <div className="min-w-[636px]">
          <div
            className="sticky top-0 z-10 flex shrink-0 items-center border-b border-slate-200 bg-slate-50 px-2 text-[11px] font-medium text-slate-500 dark:border-slate-800 dark:bg-slate-900"
            style={{ height: HEADER_HEIGHT }}
            role="row"
            aria-rowindex={1}
          >
            {COLUMNS.map((column) => (
              <div
                key={column.key}
                className={`${column.className} shrink-0 truncate px-1`}
                role="columnheader"
              >
                {column.hiddenLabel ? <span className="sr-only">{column.label}</span> : column.label}
              </div>
            ))}
            {onMark ? (
              <div className={`${MARK_CELL} text-center`} role="columnheader">
                <span className="sr-only">Compare</span>
              </div>
            ) : null}
          </div>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const record = records[item.index] as RecordSummary;
              const selected = record.id === selectedId;
              // A row that just arrived glows for a moment; one scrolled into view later does not.
              const fresh = !selected && Date.now() - record.timestamp < 1500;
              return (
                <div
                  key={record.id}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={selected}
                  tabIndex={record.id === tabbable ? 0 : -1}
                  data-record-id={record.id}
                  onClick={() => onSelect(record)}
                  onKeyDown={(event) => {
                    if (event.target !== event.currentTarget) return;
                    // Space (as in a grid with selectable rows) or x (as in Gmail) marks the row to compare.
                    if (onMark && (event.key === ' ' || event.key === 'x')) {
                      event.preventDefault();
                      onMark(record);
                      return;
                    }
                    // Enter opens the row that has the focus, which need not be the one selected.
                    if (event.key !== 'Enter') return;
                    event.preventDefault();
                    onSelect(record);
                  }}
                  className={`absolute left-0 flex w-full cursor-default items-center border-b border-slate-100 px-2 -outline-offset-2 dark:border-slate-900 ${selected ? 'bg-sky-100 dark:bg-sky-900/50' : item.index % 2 ? 'bg-slate-50/50 hover:bg-slate-100 dark:bg-slate-900/30 dark:hover:bg-slate-900' : 'hover:bg-slate-100 dark:hover:bg-slate-900'}`}
                  style={{
                    top: item.start - HEADER_HEIGHT,
                    height: ROW_HEIGHT,
                    animation: fresh ? 'arrive 1.5s ease-out' : undefined,
                  }}
                >
                  {COLUMNS.map((column) => (
                    <div
                      key={column.key}
                      role="gridcell"
                      className={`${column.className} shrink-0 truncate px-1`}
                      title={column.title?.(record)}
                    >
                      {column.cell(record)}
                    </div>
                  ))}
                  {onMark ? (
                    // biome-ignore lint/a11y/useKeyWithClickEvents: the row's Space and x keys do this
                    <div role="gridcell" className={MARK_CELL} onClick={(event) => event.stopPropagation()}>
                      <input
                        type="checkbox"
                        tabIndex={-1}
                        checked={marked?.has(record.id) ?? false}
                        onChange={() => onMark(record)}
                        aria-label={`Compare record ${record.id}`}
                        className="size-6 align-middle"
                      />
                    </div>
                  ) : null}
                </div>
              );
            })}
          </div>
        </div>
        {footer}
      </div>
    </div>
  );
}
