import { useVirtualizer } from '@tanstack/react-virtual';
import { type ReactNode, useEffect, useMemo, useRef } from 'react';
import { formatDuration, formatOffset } from '../format';
import {
  type Bracket,
  bracketsBetween,
  GAP_ROW,
  isFailed,
  RECORD_ROW,
  type Timeline,
  type TimelineRow,
} from '../timeline';
import type { RecordSummary } from '../types';
import { DirectionArrow, MethodChip } from './RecordBits';

const OFFSET_WIDTH = 92;
const LANE_WIDTH = 9;

function DurationBar({ record, max }: { record: RecordSummary; max: number }) {
  if (record.durationMs === null) return null;
  const width = max > 0 ? Math.max(2, Math.round((record.durationMs / max) * 90)) : 2;
  return (
    <span className="flex items-center justify-end gap-2">
      <span className="font-mono text-slate-500">{formatDuration(record.durationMs)}</span>
      <span className="hidden w-[90px] items-center @4xl:flex">
        <span
          className={`h-1.5 rounded-full ${isFailed(record) ? 'bg-red-400' : 'bg-sky-400 dark:bg-sky-500'}`}
          style={{ width }}
        />
      </span>
    </span>
  );
}

function summaryClass(record: RecordSummary): string {
  if (record.kind === 'stderr') return 'font-mono text-amber-700 dark:text-amber-300';
  if (isFailed(record)) return 'text-red-600 dark:text-red-400';
  if (record.kind === 'other') return 'italic text-slate-500';
  return '';
}

function RecordRow({
  row,
  max,
  selected,
  gutter,
  onSelect,
}: {
  row: Extract<TimelineRow, { type: 'record' }>;
  max: number;
  selected: boolean;
  gutter: number;
  onSelect: (id: number) => void;
}) {
  const { record } = row;
  return (
    <button
      type="button"
      onClick={() => onSelect(record.id)}
      aria-current={selected ? 'true' : undefined}
      data-record-id={record.id}
      className={`flex h-full w-full items-center pr-3 text-left text-xs ${selected ? 'bg-sky-100 dark:bg-sky-900/50' : record.kind === 'stderr' ? 'bg-amber-50/60 hover:bg-amber-100/60 dark:bg-amber-950/20 dark:hover:bg-amber-950/40' : 'hover:bg-slate-50 dark:hover:bg-slate-900'}`}
    >
      <span className="shrink-0 pl-3 font-mono text-[11px] text-slate-500" style={{ width: OFFSET_WIDTH }}>
        {formatOffset(row.offsetMs)}
      </span>
      <span className="shrink-0" style={{ width: gutter }} />
      <span className="w-6 shrink-0 text-center">
        <DirectionArrow record={record} />
      </span>
      {/* Narrow (the detail open), the summary takes the method's room: most summaries start with what
          was called, and the full method and summary stay in the tooltip. */}
      <span className="hidden w-[120px] shrink-0 truncate @2xl:block @4xl:w-[200px]">
        {record.kind === 'stderr' ? (
          <span className="text-amber-700 dark:text-amber-400">stderr</span>
        ) : (
          <MethodChip record={record} />
        )}
      </span>
      <span
        className={`min-w-0 flex-1 truncate ${summaryClass(record)}`}
        title={record.method ? `${record.method}: ${record.summary}` : record.summary}
      >
        {record.summary}
      </span>
      <span className="w-[64px] shrink-0 @4xl:w-[170px]">
        <DurationBar record={record} max={max} />
      </span>
    </button>
  );
}

function BracketPath({ bracket, gutter, offset }: { bracket: Bracket; gutter: number; offset: number }) {
  const x = 4 + bracket.lane * LANE_WIDTH;
  const right = gutter - 1;
  return (
    <path
      d={`M ${right} ${bracket.from - offset} H ${x} V ${bracket.to - offset} H ${right}`}
      fill="none"
      strokeWidth={1.5}
      className={bracket.failed ? 'stroke-red-400' : 'stroke-sky-400/80 dark:stroke-sky-600'}
    >
      <title>{`answered in ${formatDuration(bracket.durationMs) || '—'}`}</title>
    </path>
  );
}

function GapRow({ row, gutter }: { row: Extract<TimelineRow, { type: 'gap' }>; gutter: number }) {
  return (
    <span
      style={{ height: GAP_ROW, paddingLeft: OFFSET_WIDTH + gutter }}
      className="flex items-center gap-2 text-[11px] text-slate-400"
    >
      <span className="h-px w-8 border-t border-dashed border-slate-300 dark:border-slate-700" />
      {formatDuration(row.ms)} idle
      <span className="h-px flex-1 border-t border-dashed border-slate-300 dark:border-slate-700" />
    </span>
  );
}

export interface SessionTimelineProps {
  timeline: Timeline;
  selectedId: number | null;
  onSelect: (id: number) => void;
  /** Called when the user scrolls near the end: time to load the next page. */
  onNearEnd: () => void;
  footer?: ReactNode;
}

/**
 * A session read top to bottom: offset from its start, direction, method, summary, and how long each
 * request took (bar). Brackets in the gutter join requests to their answers; gap rows show quiet time.
 * Virtualized like the Traffic table: a session of 12,000 messages has only the rows on screen (and their
 * brackets) in the DOM, so opening, scrolling and selecting stay quick. Each row says where it sits in the
 * whole list (aria-posinset/aria-setsize), as a screen reader would otherwise count only those drawn.
 */
export function SessionTimeline({ timeline, selectedId, onSelect, onNearEnd, footer }: SessionTimelineProps) {
  const gutter = Math.max(1, timeline.lanes) * LANE_WIDTH + 10;
  const { rows } = timeline;
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parent.current,
    estimateSize: (index) => (rows[index]?.type === 'gap' ? GAP_ROW : RECORD_ROW),
    overscan: 15,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= rows.length - 50) onNearEnd();
  }, [last, rows.length, onNearEnd]);

  const selectedIndex = selectedId === null ? -1 : (timeline.rowOf.get(selectedId) ?? -1);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll only when the selection moves, not on every new row
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedId]);

  // The gutter is drawn for the band of rows that exists, not the whole session.
  const bandTop = first?.start ?? 0;
  const bandBottom = last?.end ?? 0;
  const brackets = useMemo(
    () => bracketsBetween(timeline.brackets, bandTop, bandBottom),
    [timeline.brackets, bandTop, bandBottom],
  );
  return (
    // Narrow (the detail open, a small window, zoom), the method and bar columns give way to the summary.
    <div ref={parent} className="@container min-h-0 flex-1 overflow-auto" data-testid="timeline-scroll">
      <div className="relative" style={{ height: virtualizer.getTotalSize() }}>
        <svg
          className="pointer-events-none absolute z-[1]"
          style={{ left: OFFSET_WIDTH, top: bandTop }}
          width={gutter}
          height={Math.max(0, bandBottom - bandTop)}
          aria-hidden
        >
          {brackets.map((bracket) => (
            <BracketPath key={bracket.responseId} bracket={bracket} gutter={gutter} offset={bandTop} />
          ))}
        </svg>
        <ol aria-label="Session timeline" className="h-full">
          {items.map((item) => {
            const row = rows[item.index] as TimelineRow;
            return (
              <li
                key={row.type === 'gap' ? `gap-${row.top}` : row.record.id}
                aria-posinset={item.index + 1}
                aria-setsize={rows.length}
                className="absolute left-0 w-full"
                style={{ top: item.start, height: item.size }}
              >
                {row.type === 'gap' ? (
                  <GapRow row={row} gutter={gutter} />
                ) : (
                  <RecordRow
                    row={row}
                    max={timeline.maxDurationMs}
                    selected={row.record.id === selectedId}
                    gutter={gutter}
                    onSelect={onSelect}
                  />
                )}
              </li>
            );
          })}
        </ol>
      </div>
      {footer}
    </div>
  );
}
