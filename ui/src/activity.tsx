import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef } from 'react';
import { withQuery } from './api';
import { type FeedState, useEventSource } from './live';
import { paced, refetchWhenIdle } from './refresh';
import type { LiveEvent } from './types';

type Listener = (event: LiveEvent) => void;

interface Activity {
  subscribe(listener: Listener): () => void;
  state: FeedState;
}

const ActivityContext = createContext<Activity | null>(null);

/**
 * One live connection for the whole UI that says *that* traffic arrived (counts, not records), and
 * pushes server health and registry changes. Screens that show summaries refetch them on its events.
 */
export function ActivityProvider({ children }: { children: ReactNode }) {
  const listeners = useRef(new Set<Listener>());
  const queryClient = useQueryClient();
  const state = useEventSource('/api/events?activity=true', (event) => {
    for (const listener of listeners.current) listener(event);
  });
  // A lost connection may be a gateway restart, which signs everyone out: asking for the status finds
  // out, and a 401 there brings up the sign-in screen.
  useEffect(() => {
    if (state === 'reconnecting') void queryClient.invalidateQueries({ queryKey: ['status'] });
  }, [state, queryClient]);
  const value = useMemo<Activity>(
    () => ({
      subscribe(listener) {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
      state,
    }),
    [state],
  );
  return <ActivityContext.Provider value={value}>{children}</ActivityContext.Provider>;
}

export function useActivityState(): FeedState {
  return useContext(ActivityContext)?.state ?? 'connecting';
}

/** Calls `onEvent` for every event of the app-wide live connection. */
export function useActivity(onEvent: Listener): void {
  const activity = useContext(ActivityContext);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => activity?.subscribe((event) => handler.current(event)), [activity]);
}

const TRAFFIC_EVENTS: readonly LiveEvent['type'][] = ['activity', 'records-deleted', 'lagged'];

/**
 * Refetches the queries under `queryKey` when events of `types` arrive: at most once per `ms`, and never
 * while a fetch under that key is still running (the change is fetched once it ends). A view narrowed by
 * a `filter` hears of new traffic from a feed with that filter, so traffic it does not show refreshes
 * nothing; pass it only once it is known to be valid.
 */
export function useRefetchOn(
  queryKey: QueryKey,
  types: readonly LiveEvent['type'][] = TRAFFIC_EVENTS,
  ms = 1500,
  filter = '',
): void {
  const queryClient = useQueryClient();
  const key = JSON.stringify(queryKey);
  const refetch = useMemo(
    () => paced(() => refetchWhenIdle(queryClient, JSON.parse(key) as QueryKey), ms),
    [queryClient, key, ms],
  );
  useEffect(() => refetch.cancel, [refetch]);
  const onEvent = (event: LiveEvent) => {
    if (types.includes(event.type)) refetch.request();
  };
  useEventSource(filter ? withQuery('/api/events', { activity: 'true', filter }) : null, onEvent);
  useActivity((event) => {
    if (!filter || event.type !== 'activity') onEvent(event);
  });
}
