import type { NewRecord } from '../../src/core/record.js';
import type { SessionInfo } from '../../src/core/session.js';
import type { RecordSink } from '../../src/store/record-writer.js';

/** An in-memory sink: what would have been stored, in order, with the updates a store would make. */
export class MemorySink implements RecordSink {
  records: (NewRecord & { id: number })[] = [];
  sessions: SessionInfo[] = [];
  batch(work: () => void) {
    work();
  }
  insert(record: NewRecord) {
    const id = this.records.length + 1;
    this.records.push({ ...record, id });
    return id;
  }
  completeRequest(id: number, status: number | null, sessionId: string | null) {
    const record = this.records[id - 1];
    if (!record) return;
    record.httpStatus = status;
    record.sessionId ??= sessionId;
  }
  identify(id: number, serverName: string | null, serverVersion: string | null) {
    const record = this.records[id - 1];
    if (!record) return;
    record.serverName ??= serverName;
    record.serverVersion ??= serverVersion;
  }
  saveSession(info: SessionInfo) {
    this.sessions.push(info);
  }
}
