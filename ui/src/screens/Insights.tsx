import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { useRefetchOn } from '../activity';
import { api, errorMessage, filterProblem, withQuery } from '../api';
import { EmptyState } from '../components/EmptyState';
import { FilterBar } from '../components/FilterBar';
import { RankList, StatsTable } from '../components/StatsTable';
import { TimeChart } from '../components/TimeChart';
import { checkFilter } from '../filter-check';
import { formatDuration, formatPercent } from '../format';
import {
  bucketLabel,
  groupLabel,
  mostFailing,
  RANGES,
  type Range,
  rangeOf,
  serversWithRequests,
  slowest,
  statsFilter,
} from '../insights';
import { useListKeys } from '../keyboard';
import { navigate, withParams } from '../router';
import type { StatsResult } from '../types';

/**
 * Statistics for one filter. While another range or filter loads, the previous answer stays on screen
 * (`isPlaceholderData`), marked as such; the request for the one left is cancelled through its signal.
 */
function useStats(filter: string, groupBy: 'server' | 'server+method', enabled: boolean) {
  return useQuery({
    queryKey: ['stats', filter, groupBy],
    queryFn: async ({ signal }) => ({
      filter,
      result: await api<StatsResult>(withQuery('/api/stats', { filter, groupBy }), { signal }),
    }),
    placeholderData: keepPreviousData,
    retry: false,
    enabled,
  });
}

function Total({ label, value, tone = '' }: { label: string; value: string; tone?: string }) {
  return (
    <div className="rounded-md border border-slate-200 px-3 py-2 dark:border-slate-800">
      <div className="text-[11px] text-slate-500">{label}</div>
      <div className={`text-lg font-semibold tabular-nums ${tone}`}>{value}</div>
    </div>
  );
}

/** Insights: requests, errors and latency over time, per server and per method, from `GET /api/stats`. */
export function Insights({ url }: { url: URL }) {
  const filter = url.searchParams.get('filter') ?? '';
  const rangeParam = url.searchParams.get('range');
  const range: Range = RANGES.find((r) => r === rangeParam) ?? '1h';
  const query = statsFilter(filter, range);
  const valid = checkFilter(query) === null;
  // New traffic refreshes the numbers only when the filter would count it.
  useRefetchOn(['stats'], ['activity', 'records-deleted'], 5000, valid ? filter.trim() : '');
  const byMethod = useStats(query, 'server+method', valid);
  const byServer = useStats(query, 'server', valid);
  const stats = byMethod.data?.result;
  // Numbers of another range or filter, shown dimmed until this one's arrive.
  const stale = byMethod.isPlaceholderData || byServer.isPlaceholderData;
  const shownRange = byMethod.data ? rangeOf(byMethod.data.filter, range) : range;
  const starts = stats?.series.map((b) => b.start) ?? [];
  const totals = stats?.totals;
  const filterInput = useRef<HTMLInputElement>(null);
  useListKeys({ 'focus-filter': () => filterInput.current?.focus() });
  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="flex h-11 shrink-0 items-center gap-2 border-b border-slate-200 px-3 dark:border-slate-800">
        <FilterBar
          value={filter}
          onApply={(next) => navigate(withParams(url, { filter: next }))}
          serverError={filterProblem(byMethod.error)}
          inputRef={filterInput}
        />
        <fieldset
          aria-label="Time range"
          className="flex h-7 overflow-hidden rounded-md border border-slate-300 text-xs dark:border-slate-700"
        >
          {RANGES.map((r) => (
            <button
              key={r}
              type="button"
              aria-pressed={r === range}
              onClick={() => navigate(withParams(url, { range: r }), { replace: true })}
              className={`px-2.5 ${r === range ? 'bg-slate-800 text-white dark:bg-slate-200 dark:text-slate-900' : 'hover:bg-slate-100 dark:hover:bg-slate-800'}`}
            >
              {r}
            </button>
          ))}
        </fieldset>
        {/* Always there, so that screen readers hear it change (WCAG 4.1.3). */}
        <span role="status" className="shrink-0 text-xs text-slate-500">
          {stale ? 'Loading…' : ''}
        </span>
      </div>
      <div
        // Stale charts fade; text keeps its contrast (WCAG 1.4.3) and the note above says what it shows.
        className={`min-h-0 flex-1 overflow-auto p-4 ${stale ? '[&_svg]:opacity-40 [&_svg]:grayscale' : ''}`}
        aria-busy={stale}
        data-testid="insights-content"
      >
        {byMethod.error && !filterProblem(byMethod.error) ? (
          <p role="alert" className="text-sm text-red-600">
            {errorMessage(byMethod.error)}
          </p>
        ) : null}
        {stale && stats ? (
          <p className="mb-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-1.5 text-xs text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
            Loading the last {range}… Until then, these numbers are for{' '}
            {shownRange === range ? 'the previous filter' : `the last ${shownRange}`}.
          </p>
        ) : null}
        {!stats || !totals ? (
          <p className="text-sm text-slate-500">
            {valid ? 'Loading statistics…' : 'Fix the filter to see statistics.'}
          </p>
        ) : totals.messages === 0 ? (
          <EmptyState title={`No traffic in the last ${shownRange}`}>
            <p>
              Charts of requests, errors and latency appear here once clients talk to servers through the
              gateway. Try a longer range, or another filter.
            </p>
          </EmptyState>
        ) : (
          <div className="space-y-5">
            {/* Fewer columns when narrow (a small window, or zoomed in: WCAG 1.4.10 reflow). */}
            <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
              <Total label="Requests" value={totals.requests.toLocaleString()} />
              <Total
                label="Errors"
                value={`${totals.errors.toLocaleString()} · ${formatPercent(totals.errorRate)}`}
                tone={totals.errors > 0 ? 'text-red-600 dark:text-red-400' : ''}
              />
              <Total label="p50 latency" value={formatDuration(totals.p50Ms) || '—'} />
              <Total label="p95 latency" value={formatDuration(totals.p95Ms) || '—'} />
              <Total label="Tokens (estimate)" value={totals.tokens.toLocaleString()} />
            </div>
            <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
              <section aria-label="Requests and errors over time" className="min-w-0">
                <h2 className="mb-1 text-xs font-semibold">
                  Requests and errors{' '}
                  <span className="font-normal text-slate-500">per {bucketLabel(stats.bucketMs)}</span>
                </h2>
                <TimeChart
                  title="Requests and errors over time"
                  starts={starts}
                  bucketMs={stats.bucketMs}
                  series={[
                    {
                      label: 'requests',
                      kind: 'bar',
                      color: 'fill-sky-400 dark:fill-sky-600',
                      swatch: 'bg-sky-400',
                      values: stats.series.map((b) => b.requests),
                    },
                    {
                      label: 'errors',
                      kind: 'bar',
                      color: 'fill-red-500',
                      swatch: 'bg-red-500',
                      values: stats.series.map((b) => b.errors),
                    },
                  ]}
                />
              </section>
              <section aria-label="Latency over time" className="min-w-0">
                <h2 className="mb-1 text-xs font-semibold">
                  Latency <span className="font-normal text-slate-500">p50 · p95 · p99</span>
                </h2>
                <TimeChart
                  title="Latency percentiles over time"
                  starts={starts}
                  bucketMs={stats.bucketMs}
                  format={(v) => (v === 0 ? '0' : formatDuration(v))}
                  series={[
                    {
                      label: 'p50',
                      kind: 'line',
                      color: 'stroke-sky-600 dark:stroke-sky-400',
                      swatch: 'bg-sky-600',
                      values: stats.series.map((b) => b.p50Ms),
                    },
                    {
                      label: 'p95',
                      kind: 'line',
                      dash: '5 3',
                      marker: 'square',
                      color: 'stroke-amber-500',
                      swatch: 'bg-amber-500',
                      values: stats.series.map((b) => b.p95Ms),
                    },
                    {
                      label: 'p99',
                      kind: 'line',
                      dash: '1.5 2.5',
                      marker: 'diamond',
                      color: 'stroke-red-500',
                      swatch: 'bg-red-500',
                      values: stats.series.map((b) => b.p99Ms),
                    },
                  ]}
                />
              </section>
            </div>
            <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
              <RankList
                title="Slowest methods (p95)"
                empty="No answered requests yet."
                rows={slowest(stats.groups).map((g) => ({
                  label: groupLabel(g),
                  value: g.p95Ms ?? 0,
                  text: formatDuration(g.p95Ms),
                  tone: 'bg-amber-500',
                }))}
              />
              <RankList
                title="Most failing methods"
                empty="No errors in this range."
                rows={mostFailing(stats.groups).map((g) => ({
                  label: groupLabel(g),
                  value: g.errors,
                  text: `${g.errors} · ${formatPercent(g.errorRate)}`,
                  tone: 'bg-red-500',
                }))}
              />
            </div>
            {byServer.data ? (
              <StatsTable
                title="Per server"
                groups={serversWithRequests(byServer.data.result.groups)}
                label={(g) => g.server ?? ''}
              />
            ) : null}
            <StatsTable
              title="Per method"
              groups={stats.groups.filter((g) => g.method !== null)}
              label={groupLabel}
            />
          </div>
        )}
      </div>
    </div>
  );
}
