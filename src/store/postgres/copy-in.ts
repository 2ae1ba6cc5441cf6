import type pg from 'pg';

/** The connection methods a COPY FROM STDIN needs (node-postgres' Connection; pg-copy-streams uses the same). */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/**
 * `COPY … FROM STDIN` with all its data in one buffer, as a node-postgres submittable (the interface
 * `client.query` accepts for custom queries): the statement goes by the simple query protocol, and the
 * data as one CopyData message right behind it, without waiting for the server's CopyInResponse, so the
 * server starts on the rows without a round trip and the writer is free to prepare its next batch while it
 * works. Safe when the statement fails before the copy starts: the server drops CopyData and CopyDone that
 * arrive outside a copy (PostgreSQL docs, "Message Flow", COPY Operations). The error of a refused row ends
 * it as the server's own DatabaseError, as any query's.
 */
class CopyIn implements pg.Submittable {
  constructor(
    readonly text: string,
    readonly data: Buffer,
    readonly done: (error: Error | null) => void,
  ) {}

  submit(connection: unknown): void {
    const copy = connection as CopyConnection;
    copy.query(this.text);
    copy.sendCopyFromChunk(this.data);
    copy.endCopyFrom();
  }

  // The data was sent with the statement.
  handleCopyInResponse(): void {}

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {
    this.done(null);
  }

  // The client calls this instead of handleReadyForQuery when the server or the connection fails it.
  handleError(error: Error): void {
    this.done(error);
  }

  // A COPY FROM answers none of these; the client may still call them on a confused connection.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

export function copyIn(db: Pick<pg.ClientBase, 'query'>, text: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    db.query(new CopyIn(text, data, (error) => (error ? reject(error) : resolve())));
  });
}
