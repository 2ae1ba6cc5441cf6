import { createParser } from 'eventsource-parser';
import type { LiveEvent } from '../../src/api/live-events.js';

export interface FeedClient {
  events: (LiveEvent & { id?: string })[];
  /** Resolves with the first event (already received or coming) that satisfies `match`. */
  next<T extends LiveEvent>(match: (event: LiveEvent) => event is T, timeoutMs?: number): Promise<T>;
  waitFor(match: (event: LiveEvent) => boolean, timeoutMs?: number): Promise<LiveEvent>;
  close(): void;
}

/** Reads /api/events with fetch, the way a browser's EventSource would, collecting typed events. */
export async function openFeed(
  url: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<FeedClient> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body)
    throw new Error(`feed refused: ${response.status} ${await response.text()}`);
  const events: (LiveEvent & { id?: string })[] = [];
  const waiters = new Set<() => void>();
  const parser = createParser({
    onEvent(event) {
      events.push({ ...(JSON.parse(event.data) as LiveEvent), ...(event.id ? { id: event.id } : {}) });
      for (const wake of waiters) wake();
    },
  });
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        parser.feed(decoder.decode(chunk, { stream: true }));
      }
    } catch {
      // Closed by the test.
    }
  })();
  const waitFor = (match: (event: LiveEvent) => boolean, timeoutMs = 5000) =>
    new Promise<LiveEvent>((resolve, reject) => {
      const check = () => {
        const found = events.find(match);
        if (!found) return false;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(`no matching event in ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.type))}`),
        );
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });
  return {
    events,
    waitFor,
    next: (match, timeoutMs) => waitFor(match, timeoutMs) as never,
    close: () => controller.abort(),
  };
}
