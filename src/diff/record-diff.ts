import { GatewayError } from '../core/errors.js';
import { diffJson, type JsonDiff } from '../core/json-diff.js';
import { type CapturedRecord, type RecordJson, recordToJson } from '../core/record.js';
import type { LogReads } from '../store/log-reads.js';

/** The JSON-RPC id differs between any two calls and says nothing about them: ignored unless asked. */
export const JSONRPC_ID_POINTER = '/id';

/** How two records compare: the records as the API gives them, their messages' diff, their partners'. */
export interface RecordsDiff {
  a: RecordJson;
  b: RecordJson;
  /** The JSON Pointers whose differences were not counted. */
  ignore: string[];
  message: JsonDiff;
  /**
   * When both records have a partner (two requests: their answers; two answers: their requests), those
   * two and their diff; null otherwise.
   */
  partners: { a: RecordJson; b: RecordJson; message: JsonDiff } | null;
}

/** Two messages as the API shows them: parsed JSON, or the text when a message is not JSON (or was cut). */
export function diffMessages(
  a: CapturedRecord,
  b: CapturedRecord,
  ignore: readonly string[],
  maxEntries?: number,
) {
  return diffJson(recordToJson(a).message, recordToJson(b).message, {
    ignore,
    ...(maxEntries === undefined ? {} : { maxEntries }),
  });
}

async function recordOrMissing(reads: LogReads, id: number, signal?: AbortSignal): Promise<CapturedRecord> {
  const record = await reads.get(id, signal);
  if (!record) {
    throw new GatewayError(
      404,
      `No record with id ${id}; it may have been deleted or pruned. Find ids in the traffic list (GET /api/logs).`,
    );
  }
  return record;
}

/** Compares two records (the same one twice is allowed: no differences). `reads` carries the scope. */
export async function diffRecords(
  reads: LogReads,
  aId: number,
  bId: number,
  ignore: readonly string[],
  signal?: AbortSignal,
): Promise<RecordsDiff> {
  const a = await recordOrMissing(reads, aId, signal);
  const b = await recordOrMissing(reads, bId, signal);
  const [partnerA, partnerB] = await Promise.all([reads.partnerOf(a, signal), reads.partnerOf(b, signal)]);
  return {
    a: recordToJson(a),
    b: recordToJson(b),
    ignore: [...ignore],
    message: diffMessages(a, b, ignore),
    partners:
      partnerA && partnerB
        ? {
            a: recordToJson(partnerA),
            b: recordToJson(partnerB),
            message: diffMessages(partnerA, partnerB, ignore),
          }
        : null,
  };
}
