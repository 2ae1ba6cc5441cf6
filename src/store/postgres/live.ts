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

/**
 * Listens for every gateway's commits on one dedicated connection (LISTEN holds a session, so it cannot
 * come from the pool; PostgreSQL docs, "LISTEN"). Ids of several writers interleave, so the range of one
 * commit may hold other writers' records as well: a reader fetches by id and instance, or simply by id.
 * Returns a function that stops listening.
 */
export async function listenForRecords(
  url: string,
  onCommitted: (commit: RecordsCommitted) => void,
  onError: (error: Error) => void = () => {},
): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: url, application_name: 'mcp-gateway live feed' });
  client.on('error', onError);
  client.on('notification', (message) => {
    if (message.channel !== RECORDS_CHANNEL) return;
    const commit = parseCommitted(message.payload);
    if (commit) onCommitted(commit);
  });
  await client.connect();
  await client.query(`LISTEN ${RECORDS_CHANNEL}`);
  return () => client.end();
}
