import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useReducer, useState } from 'react';
import { api, filterProblem, withQuery } from './api';
import { checkFilter } from './filter-check';
import { type FeedState, useEventSource } from './live';
import { EMPTY_LIVE, type LiveRecords, liveReducer, mergeRecords, newestId } from './live-records';
import type { FilterErrorJson, LiveEvent, Page, RecordSummary } from './types';

const PAGE_SIZE = 200;

export interface TrafficData {
  records: RecordSummary[];
  live: LiveRecords;
  feed: FeedState | 'off';
  pause(): void;
  resume(): void;
  /** Starts again from the newest page (after records were deleted). */
  reload(): void;
  loadMore(): void;
  isPending: boolean;
  isFetchingMore: boolean;
  hasMore: boolean;
  /** Why the gateway refused the filter, if it did. */
  problem: FilterErrorJson | null;
  error: unknown;
  /** Records the feed skipped (the browser fell too far behind); the list was reloaded. */
  lagged: number;
}

/**
 * The traffic view's data: pages of `GET /api/logs` (newest first, by cursor) with the live feed on top.
 * The feed starts right after the newest record loaded (`since`), so nothing falls between the two; when
 * the first page is reloaded (other filter, records deleted, the feed lagged), the live rows start over.
 */
export function useTraffic(filter: string): TrafficData {
  const queryClient = useQueryClient();
  const localProblem = useMemo(() => checkFilter(filter), [filter]);
  const queryKey = useMemo(() => ['logs', filter], [filter]);
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) =>
      api<Page<RecordSummary>>(
        withQuery('/api/logs', { filter, limit: PAGE_SIZE, cursor: pageParam, fields: 'summary' }),
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.pagination.hasMore ? last.pagination.nextCursor : undefined),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
    enabled: localProblem === null,
  });
  const [live, dispatch] = useReducer(liveReducer, EMPTY_LIVE);
  const [lagged, setLagged] = useState(0);
  const pages = useMemo(() => query.data?.pages.map((page) => page.data) ?? [], [query.data]);
  // The feed continues after the newest record the first page could have matched, not after the newest
  // match: a filter whose matches are old shows them and waits for new ones.
  const latestId = query.data?.pages[0]?.latestId ?? 0;
  const since = query.isSuccess ? Math.max(newestId(pages), latestId) : null;

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new starting point means new live rows
  useEffect(() => dispatch({ type: 'reset' }), [filter, since]);

  const reload = useCallback(() => {
    dispatch({ type: 'reset' });
    // Only the first page again: the live feed restarts from its newest record.
    void queryClient.resetQueries({ queryKey });
  }, [queryClient, queryKey]);

  // Rows only: a row's message and headers are fetched when it is opened, so a stream of large results
  // costs neither the gateway nor this page their bodies.
  const url = since === null ? null : withQuery('/api/events', { filter, since, fields: 'summary' });
  const feed = useEventSource(url, (event: LiveEvent) => {
    if (event.type === 'records') dispatch({ type: 'receive', records: event.records });
    else if (event.type === 'records-deleted') reload();
    else if (event.type === 'lagged') {
      setLagged((n) => n + event.skipped);
      reload();
    }
  });

  const records = useMemo(() => mergeRecords(live.shown, pages), [live.shown, pages]);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  return {
    records,
    live,
    feed: url === null ? 'off' : feed,
    pause: () => dispatch({ type: 'pause' }),
    reload,
    resume: () => {
      if (live.overflowed) reload();
      dispatch({ type: 'resume' });
    },
    loadMore,
    isPending: localProblem === null && query.isPending,
    isFetchingMore: isFetchingNextPage,
    hasMore: hasNextPage,
    problem: localProblem ?? filterProblem(query.error),
    error: query.error,
    lagged,
  };
}
