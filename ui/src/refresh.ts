import type { QueryClient, QueryKey } from '@tanstack/react-query';

export interface Paced {
  /** Asks for a run: now when idle, else once the run in progress ended and `ms` passed since it began. */
  request(): void;
  /** Forgets a pending request; nothing runs any more. */
  cancel(): void;
}

/**
 * Runs `run` at most once per `ms` and never while its previous run is still going. Live events can come
 * ten times a second and a statistics query over a week can take seconds: asking again on every event
 * would pile up requests for the same answer (or cancel each one before it finishes). Requests that come
 * meanwhile are remembered as one, and served when the run in progress ends, so the last change still
 * shows.
 */
export function paced(run: () => Promise<unknown> | undefined, ms: number): Paced {
  let last = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let wanted = false;
  let stopped = false;

  const start = () => {
    timer = null;
    if (stopped || running || !wanted) return;
    wanted = false;
    running = true;
    last = Date.now();
    let result: Promise<unknown> | undefined;
    try {
      result = run();
    } catch {
      result = undefined;
    }
    void Promise.resolve(result)
      .catch(() => undefined)
      .finally(() => {
        running = false;
        schedule();
      });
  };
  const schedule = () => {
    if (stopped || running || !wanted || timer !== null) return;
    const wait = last + ms - Date.now();
    if (wait <= 0) start();
    else timer = setTimeout(start, wait);
  };

  return {
    request() {
      wanted = true;
      schedule();
    },
    cancel() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}

/** Resolves once no query under `queryKey` is fetching. */
export function fetchesDone(client: QueryClient, queryKey: QueryKey): Promise<void> {
  if (client.isFetching({ queryKey }) === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const unsubscribe = client.getQueryCache().subscribe(() => {
      if (client.isFetching({ queryKey }) > 0) return;
      unsubscribe();
      resolve();
    });
  });
}

/**
 * Refetches the active queries under `queryKey` once their fetch in progress (if any) is done, so a
 * change that came while it ran is not lost, and the fetch is not cancelled to start the same one again.
 */
export async function refetchWhenIdle(client: QueryClient, queryKey: QueryKey): Promise<void> {
  await fetchesDone(client, queryKey);
  await client.invalidateQueries({ queryKey }, { cancelRefetch: false });
}
