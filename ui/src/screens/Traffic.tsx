import { useRef, useState } from 'react';
import { errorMessage } from '../api';
import { comparePath, useMarks } from '../compare';
import { CompareBar } from '../components/CompareBar';
import { DetailPane } from '../components/DetailPane';
import { FilterBar } from '../components/FilterBar';
import { RecordDetail } from '../components/RecordDetail';
import { RecordTable } from '../components/RecordTable';
import { navigate, withParams } from '../router';
import { useRecordSelection } from '../selection';
import { useCan } from '../session';
import { useTraffic } from '../traffic-data';
import { ImportButton } from './ImportButton';
import { ClearButton, ExportLink, LiveButton } from './TrafficActions';
import { TrafficAnnouncer } from './TrafficAnnouncer';
import { TrafficEmpty } from './TrafficEmpty';

const STALE_NOTE =
  'border-b border-amber-200 bg-amber-50 px-3 py-1 text-xs text-amber-800 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200';

/**
 * Rows for a filter that is no longer the one in the box: drained of colour, with a hatched background,
 * but not faded (they stay readable: WCAG 1.4.3), and the note above says why.
 */
const STALE_ROWS =
  'grayscale bg-[repeating-linear-gradient(135deg,transparent_0_8px,rgb(148_163_184/0.12)_8px_16px)]';

/** Traffic: every message, newest first, live; a filter in the URL; the selected one in a side panel. */
export function Traffic({ url }: { url: URL }) {
  const filter = url.searchParams.get('filter') ?? '';
  const traffic = useTraffic(filter);
  const canChange = useCan('operator');
  const filterInput = useRef<HTMLInputElement>(null);
  const [stale, setStale] = useState(false);
  const { records } = traffic;
  const { selectedId, openId, choose, close } = useRecordSelection(url, records, () =>
    filterInput.current?.focus(),
  );

  const marks = useMarks<number>(String);
  const [markA, markB] = marks.marked;
  const applyFilter = (next: string) => navigate(withParams(url, { filter: next, record: null }));
  const preview = openId === null ? undefined : records.find((r) => r.id === openId);
  const shown = records.length;
  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="flex h-11 shrink-0 items-center gap-2 border-b border-slate-200 px-3 dark:border-slate-800">
        <FilterBar
          value={filter}
          onApply={applyFilter}
          serverError={traffic.problem}
          inputRef={filterInput}
          onDraftProblem={setStale}
        />
        <LiveButton traffic={traffic} />
        <TrafficAnnouncer live={traffic.live} />
        <span className="w-28 shrink-0 text-right text-xs text-slate-500 tabular-nums">
          {traffic.isPending
            ? ''
            : `${shown.toLocaleString()}${traffic.hasMore ? '+' : ''} message${shown === 1 ? '' : 's'}`}
        </span>
        <ExportLink filter={filter} />
        {canChange ? <ImportButton onImported={traffic.reload} /> : null}
        {canChange ? <ClearButton filter={filter} onCleared={traffic.reload} /> : null}
      </div>
      <div
        className={marks.marked.length > 0 ? 'border-b border-slate-200 px-3 py-1 dark:border-slate-800' : ''}
      >
        <CompareBar
          labels={marks.marked.map((id) => `Record ${id}`)}
          path={markA !== undefined && markB !== undefined ? comparePath(String(markA), String(markB)) : null}
          what="records"
          onClear={marks.clear}
        />
      </div>
      {traffic.lagged > 0 ? (
        <p className="border-b border-amber-200 bg-amber-50 px-3 py-1 text-xs text-amber-800 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200">
          This view fell behind the traffic and skipped {traffic.lagged.toLocaleString()} messages; it was
          reloaded from the newest.
        </p>
      ) : null}
      {/* Said when it appears, not only seen: the rows below stay, dimmed, until the filter is fixed. */}
      <p aria-live="polite" className={stale ? STALE_NOTE : 'sr-only'}>
        {stale ? 'Results are for the previous filter: fix the filter and press Enter to update them.' : ''}
      </p>
      <div className="flex min-h-0 flex-1">
        <div className={`min-w-0 flex-1 ${stale ? STALE_ROWS : ''}`} data-stale={stale || undefined}>
          {traffic.problem ? (
            <p className="p-6 text-sm text-slate-500">Fix the filter to see traffic.</p>
          ) : traffic.error ? (
            <p role="alert" className="p-6 text-sm text-red-600 dark:text-red-400">
              Could not load traffic: {errorMessage(traffic.error)}
            </p>
          ) : traffic.isPending ? (
            <p className="p-6 text-sm text-slate-500">Loading traffic…</p>
          ) : shown === 0 ? (
            <TrafficEmpty filter={filter} onClearFilter={() => applyFilter('')} />
          ) : (
            <RecordTable
              records={records}
              selectedId={selectedId}
              onSelect={(record) => choose(record.id)}
              onNearEnd={traffic.loadMore}
              marked={new Set(marks.marked)}
              onMark={(record) => marks.toggle(record.id)}
              footer={
                traffic.isFetchingMore ? (
                  <p className="px-3 py-2 text-xs text-slate-500">Loading older messages…</p>
                ) : null
              }
            />
          )}
        </div>
        {openId !== null ? (
          <DetailPane>
            <RecordDetail key={openId} id={openId} preview={preview} onClose={close} />
          </DetailPane>
        ) : null}
      </div>
    </div>
  );
}
