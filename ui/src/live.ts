import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { SESSION_KEY } from './session';
import type { LiveEvent } from './types';

/**
 * Every event type the live feed sends (src/api/live-events.ts); an EventSource listens per name. Checked
 * exhaustively: a type the server adds and this list lacks fails the UI's typecheck.
 */
const EVENT_NAMES = {
  hello: true,
  records: true,
  activity: true,
  'server-health': true,
  'servers-changed': true,
  'approvals-changed': true,
  'faults-changed': true,
  'records-deleted': true,
  'intercept-held': true,
  'intercept-released': true,
  'tool-changes': true,
  lagged: true,
} satisfies Record<LiveEvent['type'], true>;
const EVENT_TYPES = Object.keys(EVENT_NAMES) as LiveEvent['type'][];

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
