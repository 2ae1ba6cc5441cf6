import pg from 'pg';
import { RECORDS_CHANNEL } from './write-batch.js';

/** A commit of one writer: its instance and the range its new records' ids fall in. */
export interface RecordsCommitted {
  instance: string;
  firstId: number;
  lastId: number;
}

/** Reads a notification's payload, `<instance> <firstId> <lastId>` (write-batch.ts); null if it is not one. */
export function parseCommitted(payload: string | undefined): RecordsCommitted | null {
  const match = /^(.*) (\d+) (\d+)$/s.exec(payload ?? '');
  if (!match) return null;
  return { instance: match[1] as string, firstId: Number(match[2]), lastId: Number(match[3]) };
}

export interface ListenOptions {
  /** The connection broke (a restart); `listenForRecords` reconnects by itself. */
  onError?: (error: Error) => void;
  /** Listening again after a break: commits made meanwhile were not heard, so a feed catches up by id. */
  onReconnected?: () => void;
}

const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5000;

/**
 * Listens for every gateway's commits on one dedicated connection (LISTEN holds a session, so it cannot
 * come from the pool; PostgreSQL docs, "LISTEN"), reconnecting with backoff when the connection breaks.
 * Ids of several writers interleave, so the range of one commit may hold other writers' records as well: a
 * reader fetches by id. Resolves once listening; the function it gives stops listening.
 */
export async function listenForRecords(
  url: string,
  onCommitted: (commit: RecordsCommitted) => void,
  options: ListenOptions = {},
): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let wait = RETRY_FIRST_MS;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, application_name: 'mcp-gateway live feed' });
    next.on('notification', (message) => {
      if (message.channel !== RECORDS_CHANNEL) return;
      const commit = parseCommitted(message.payload);
      if (commit) onCommitted(commit);
    });
    // A break after listening began reconnects; one while connecting is the caller's to hear (thrown).
    const lost = (error: Error) => {
      if (client !== next) return;
      client = null;
      options.onError?.(error);
      void next.end().catch(() => {});
      if (!stopped) setTimeout(retry, wait);
    };
    next.on('error', lost);
    next.on('end', () => lost(new Error('the PostgreSQL server closed the live feed connection')));
    try {
      await next.connect();
      await next.query(`LISTEN ${RECORDS_CHANNEL}`);
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    client = next;
    wait = RETRY_FIRST_MS;
  };

  const retry = (): void => {
    if (stopped || client) return;
    connect().then(
      () => options.onReconnected?.(),
      () => {
        wait = Math.min(wait * 2, RETRY_MAX_MS);
        if (!stopped) setTimeout(retry, wait);
      },
    );
  };

  await connect();
  return async () => {
    stopped = true;
    await client?.end().catch(() => {});
  };
}
