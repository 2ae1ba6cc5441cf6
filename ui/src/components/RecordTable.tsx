import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { formatCount, formatDuration, formatTime, methodColor, shortId } from '../format';
import type { CapturedRecord } from '../types';

const ROW_HEIGHT = 28;

const COLUMNS = [
  { key: 'time', label: 'Time', width: 'w-[92px]' },
  { key: 'dir', label: '', width: 'w-[22px]' },
  { key: 'server', label: 'Server', width: 'w-[110px]' },
  { key: 'client', label: 'Client', width: 'w-[110px]' },
  { key: 'method', label: 'Method', width: 'w-[190px]' },
  { key: 'summary', label: 'Summary', width: 'flex-1 min-w-[160px]' },
  { key: 'session', label: 'Session', width: 'w-[74px]' },
  { key: 'status', label: 'Status', width: 'w-[52px] text-right' },
  { key: 'duration', label: 'Duration', width: 'w-[74px] text-right' },
  { key: 'tokens', label: 'Tokens', width: 'w-[62px] text-right' },
] as const;

function directionArrow(record: CapturedRecord): { symbol: string; title: string; className: string } {
  if (record.kind === 'stderr') return { symbol: '!', title: 'server stderr', className: 'text-amber-600' };
  return record.direction === 'client_to_server'
    ? { symbol: '→', title: 'client to server', className: 'text-sky-600 dark:text-sky-400' }
    : { symbol: '←', title: 'server to client', className: 'text-emerald-600 dark:text-emerald-400' };
}

function statusClass(record: CapturedRecord): string {
  const status = record.http.status;
  if (record.kind === 'error' || (status !== null && status >= 400)) return 'text-red-600 dark:text-red-400';
  return 'text-slate-500';
}

export interface RecordTableProps {
  records: readonly CapturedRecord[];
  selectedId: number | null;
  onSelect: (record: CapturedRecord) => void;
  onOpen: (record: CapturedRecord) => void;
  /** Called when the user scrolls near the end: time to load the next page. */
  onNearEnd: () => void;
}

/**
 * A dense, virtualized table of messages: only the rows on screen exist in the DOM. Absolutely positioned
 * rows cannot live inside a <table>, so the grid is divs with ARIA grid roles (see biome.json).
 */
export function RecordTable({ records, selectedId, onSelect, onOpen, onNearEnd }: RecordTableProps) {
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: records.length,
    getScrollElement: () => parent.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && last.index >= records.length - 30) onNearEnd();
  }, [last, records.length, onNearEnd]);
  useEffect(() => {
    if (selectedId === null) return;
    const index = records.findIndex((r) => r.id === selectedId);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [selectedId, records, virtualizer]);

  return (
    <div
      className="flex h-full min-h-0 flex-col text-xs"
      role="grid"
      aria-label="Traffic"
      aria-rowcount={records.length}
    >
      <div
        className="flex shrink-0 border-b border-slate-200 bg-slate-50 px-2 py-1 font-medium text-slate-500 dark:border-slate-800 dark:bg-slate-900"
        role="row"
      >
        {COLUMNS.map((column) => (
          <div key={column.key} className={`${column.width} shrink-0 truncate px-1`} role="columnheader">
            {column.label}
          </div>
        ))}
      </div>
      <div ref={parent} className="min-h-0 flex-1 overflow-auto" data-testid="traffic-scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const record = records[item.index] as CapturedRecord;
            const arrow = directionArrow(record);
            const selected = record.id === selectedId;
            return (
              <div
                key={record.id}
                role="row"
                aria-selected={selected}
                data-record-id={record.id}
                onClick={() => onSelect(record)}
                onDoubleClick={() => onOpen(record)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') onOpen(record);
                }}
                tabIndex={-1}
                className={`absolute left-0 flex w-full cursor-pointer items-center border-b border-slate-100 px-2 dark:border-slate-900 ${selected ? 'bg-sky-100 dark:bg-sky-950' : 'hover:bg-slate-50 dark:hover:bg-slate-900'}`}
                style={{ top: item.start, height: ROW_HEIGHT }}
              >
                <div className="w-[92px] shrink-0 px-1 font-mono text-slate-500">
                  {formatTime(record.timestamp)}
                </div>
                <div className={`w-[22px] shrink-0 px-1 font-bold ${arrow.className}`} title={arrow.title}>
                  {arrow.symbol}
                </div>
                <div className="w-[110px] shrink-0 truncate px-1">{record.server}</div>
                <div className="w-[110px] shrink-0 truncate px-1 text-slate-500">
                  {record.client.name ?? ''}
                </div>
                <div className="w-[190px] shrink-0 truncate px-1">
                  {record.method ? (
                    <span className={`rounded px-1.5 py-0.5 font-mono ${methodColor(record.method)}`}>
                      {record.method}
                    </span>
                  ) : (
                    <span className="text-slate-400">{record.kind}</span>
                  )}
                </div>
                <div
                  className={`min-w-[160px] flex-1 truncate px-1 ${record.kind === 'error' ? 'text-red-600 dark:text-red-400' : ''}`}
                  title={record.summary}
                >
                  {record.summary}
                </div>
                <div
                  className="w-[74px] shrink-0 truncate px-1 font-mono text-slate-500"
                  title={record.sessionId ?? ''}
                >
                  {shortId(record.sessionId)}
                </div>
                <div className={`w-[52px] shrink-0 px-1 text-right font-mono ${statusClass(record)}`}>
                  {record.http.status ?? ''}
                </div>
                <div className="w-[74px] shrink-0 px-1 text-right font-mono text-slate-500">
                  {formatDuration(record.durationMs)}
                </div>
                <div className="w-[62px] shrink-0 px-1 text-right font-mono text-slate-500">
                  {formatCount(record.tokens)}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
