import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { SESSION_KEY } from './session';
import type { LiveEvent } from './types';

/** Every event type the live feed sends (src/api/live-events.ts); an EventSource listens per name. */
const EVENT_TYPES: readonly LiveEvent['type'][] = [
  'hello',
  'records',
  'activity',
  'server-health',
  'servers-changed',
  'approvals-changed',
  'faults-changed',
  'records-deleted',
  'tool-changes',
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
  const queryClient = useQueryClient();
  useEffect(() => {
    if (url === null) return;
    setState('connecting');
    const source = new EventSource(url);
    const receive = (message: MessageEvent<string>) => {
      setState('live');
      handler.current(JSON.parse(message.data) as LiveEvent);
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, receive as EventListener);
    source.onerror = () => {
      setState('reconnecting');
      // The gateway ends the feed of a revoked or expired token: if that is why, show the sign-in screen.
      void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
    };
    return () => source.close();
  }, [url, queryClient]);
  return state;
}
