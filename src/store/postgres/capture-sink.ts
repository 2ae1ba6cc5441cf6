import type { NewRecord } from '../../core/record.js';
import type { SessionInfo } from '../../core/session.js';
import type { RecordSink } from '../record-writer.js';
import { recordToValues } from '../rows.js';
import { postgresSearchText } from './search-text.js';
import type { BatchOp, CaptureBatch } from './write-batch.js';

/**
 * The capture pipeline's side of a writer that stores elsewhere: it numbers records 1, 2, 3, … as they are
 * captured (a response links to its request's number at once, before either is stored; ../seq-ids.ts) and
 * hands each batch of changes, in the order capture made them, to `write`. The same numbering as the SQLite
 * writer thread's (../writer-thread.ts), so a batch means the same to both.
 */
export abstract class NumberingSink implements RecordSink {
  #ops: BatchOp[] | null = null;
  #firstSeq = 1;
  #nextSeq = 1;

  /** Takes a finished batch; must not block (the capture worker calls it between messages). */
  abstract write(batch: CaptureBatch): void;

  batch(work: () => void): void {
    if (this.#ops) {
      work();
      return;
    }
    this.#ops = [];
    this.#firstSeq = this.#nextSeq;
    try {
      work();
    } finally {
      const ops = this.#ops;
      this.#ops = null;
      if (ops.length > 0) this.write({ firstSeq: this.#firstSeq, ops });
    }
  }

  insert(record: NewRecord, parsed?: unknown): number {
    if (!this.#ops) {
      let seq = 0;
      this.batch(() => {
        seq = this.insert(record, parsed);
      });
      return seq;
    }
    const seq = this.#nextSeq++;
    this.#ops.push({
      op: 'insert',
      values: recordToValues(record),
      text: postgresSearchText(record, parsed),
    });
    return seq;
  }

  completeRequest(seq: number, httpStatus: number | null, sessionId: string | null): void {
    this.#add({ op: 'complete', seq, httpStatus, sessionId });
  }

  identify(seq: number, serverName: string | null, serverVersion: string | null): void {
    this.#add({ op: 'identify', seq, serverName, serverVersion });
  }

  saveSession(session: SessionInfo): void {
    this.#add({ op: 'session', session });
  }

  /** Tool-list drift's writes, in the batch of the answer that showed the list. */
  toolLists(op: Extract<BatchOp, { op: 'tool-list' | 'tool-change' }>): void {
    this.#add(op);
  }

  #add(op: BatchOp): void {
    if (this.#ops) this.#ops.push(op);
    else this.batch(() => this.#ops?.push(op));
  }
}
