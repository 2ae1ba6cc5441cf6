import { useEffect, useRef, useState } from 'react';
import type { LiveEvent } from './types';

/** Every event type the live feed sends (src/api/live-events.ts); an EventSource listens per name. */
const EVENT_TYPES: readonly LiveEvent['type'][] = [
  'hello',
  'records',
  'activity',
  'server-health',
  'servers-changed',
  'approvals-changed',
  'records-deleted',
  'lagged',
];

/** connecting: first connection; live: receiving; reconnecting: lost, the browser is retrying. */
export type FeedState = 'connecting' | 'live' | 'reconnecting';

/**
 * Subscribes to `GET /api/events` (Server-Sent Events, same origin, so the session cookie goes along).
 * The browser reconnects by itself and resumes with Last-Event-ID. Pass null to stay disconnected.
 */
export function useEventSource(url: string | null, onEvent: (event: LiveEvent) => void): FeedState {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [state, setState] = useState<FeedState>('connecting');
  useEffect(() => {
    if (url === null) return;
    setState('connecting');
    const source = new EventSource(url);
    const receive = (message: MessageEvent<string>) => {
      setState('live');
      handler.current(JSON.parse(message.data) as LiveEvent);
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, receive as EventListener);
    source.onerror = () => setState('reconnecting');
    return () => source.close();
  }, [url]);
  return state;
}

/**
 * Calls `fn` at most once per `ms`: at once when idle, else once at the end of the interval. Live events
 * can come ten times a second; views that refetch on them do it at this pace.
 */
export function throttle(fn: () => void, ms: number): { call: () => void; cancel: () => void } {
  let last = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    timer = null;
    last = Date.now();
    fn();
  };
  return {
    call() {
      if (timer !== null) return;
      const wait = last + ms - Date.now();
      if (wait <= 0) run();
      else timer = setTimeout(run, wait);
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
