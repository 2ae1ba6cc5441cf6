import { type InfiniteData, useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo } from 'react';
import { api, withQuery } from './api';
import { filterValue } from './filter-check';
import { useEventSource } from './live';
import { fetchesDone, paced } from './refresh';
import type { RecordSummary, SessionJson, SessionTimelinePage } from './types';

const PAGE_SIZE = 500;
/** A running session's new messages are fetched at most this often. */
const FOLLOW_MS = 1000;

type Pages = InfiniteData<SessionTimelinePage, string | null>;

function lastRecordId(data: Pages): number | null {
  for (let i = data.pages.length - 1; i >= 0; i--) {
    const id = data.pages[i]?.data.at(-1)?.id;
    if (id !== undefined) return id;
  }
  return null;
}

function timelineUrl(sessionId: string): string {
  return `/api/sessions/${encodeURIComponent(sessionId)}`;
}

export interface SessionTimelineData {
  /** The session as last read (its counts grow while it runs). */
  session: SessionJson | undefined;
  records: RecordSummary[];
  error: unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
  /** Loads the next page unless one is loading or none is left. */
  loadMore: () => void;
}

/**
 * One session's timeline, oldest first, in pages of `GET /api/sessions/:id` (by cursor, a record id). While
 * the session runs, its own live activity (this session on this server, not the server's other traffic)
 * fetches only what came after the last message loaded, and appends it: refetching every page of a 12,000
 * message session on each new message would read the whole session again and again. Until the last page is
 * loaded there is nothing to append; the new messages come with the pages still to load.
 */
export function useSessionTimeline(sessionId: string, server: string | null): SessionTimelineData {
  const queryClient = useQueryClient();
  const queryKey = useMemo(() => ['session', server, sessionId], [server, sessionId]);
  const timeline = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) =>
      api<SessionTimelinePage>(
        withQuery(timelineUrl(sessionId), {
          server,
          limit: PAGE_SIZE,
          cursor: pageParam,
          // Rows only: the message opened from the timeline is fetched whole.
          fields: 'summary',
        }),
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.pagination.hasMore ? last.pagination.nextCursor : undefined),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const pages = timeline.data?.pages;
  const session = pages?.[pages.length - 1]?.session;
  const records = useMemo(() => pages?.flatMap((page) => page.data) ?? [], [pages]);

  const follow = useMemo(
    () =>
      paced(async () => {
        await fetchesDone(queryClient, queryKey);
        const data = queryClient.getQueryData<Pages>(queryKey);
        const last = data?.pages.at(-1);
        const after = data ? lastRecordId(data) : null;
        if (!data || !last || last.pagination.hasMore || after === null) return;
        const cursor = String(after);
        const next = await api<SessionTimelinePage>(
          withQuery(timelineUrl(sessionId), { server, limit: PAGE_SIZE, cursor, fields: 'summary' }),
        );
        queryClient.setQueryData<Pages>(queryKey, (current) => {
          // Reloaded meanwhile (records deleted): what was read belongs to the old timeline.
          if (current !== data) return current;
          if (next.data.length === 0) {
            // Nothing new to show; the session's counts may still have changed.
            return { ...data, pages: [...data.pages.slice(0, -1), { ...last, session: next.session }] };
          }
          return { pages: [...data.pages, next], pageParams: [...data.pageParams, cursor] };
        });
      }, FOLLOW_MS),
    [queryClient, queryKey, sessionId, server],
  );
  useEffect(() => follow.cancel, [follow]);

  const feedUrl = session
    ? withQuery('/api/events', {
        activity: 'true',
        filter: `server:${filterValue(session.server)} session:${filterValue(session.sessionId)}`,
      })
    : null;
  useEventSource(feedUrl, (event) => {
    // `hello` too: whatever came between reading the timeline and the feed opening (or reopening).
    if (event.type === 'hello' || event.type === 'activity' || event.type === 'lagged') follow.request();
    else if (event.type === 'records-deleted') void queryClient.resetQueries({ queryKey });
  });

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = timeline;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  return {
    session,
    records,
    error: timeline.error,
    hasNextPage,
    isFetchingNextPage,
    fetchNextPage,
    loadMore,
  };
}
