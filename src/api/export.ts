import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { stream } from 'hono/streaming';
import { inScope, type Scope } from '../auth/scope.js';
import { GatewayError } from '../core/errors.js';
import { DEFAULT_REDACTION, type RedactionPolicy } from '../redaction/policy.js';
import { redactRecord } from '../redaction/redact-record.js';
import { Redactor } from '../redaction/redactor.js';
import { type LogReads, readAllText } from '../store/log-reads.js';
import type { AsyncLogStore } from '../store/log-store.js';
import { orderParam, requestFilter } from './query-params.js';
import { recordFromJson } from './record-from-json.js';

/** Problems reported back from an import: the first few, with their line numbers. */
const MAX_PROBLEMS = 20;

async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let rest = '';
  for await (const text of body.pipeThrough(new TextDecoderStream())) {
    const parts = (rest + text).split('\n');
    rest = parts.pop() ?? '';
    yield* parts;
  }
  if (rest !== '') yield rest;
}

/**
 * `GET /api/logs/export?filter=...`: the matching records as JSONL, one record per line (the same JSON as
 * the API), oldest first, streamed page by page so memory stays flat for any size.
 * `POST /api/logs/import`: that JSONL back in. Records get new ids; responses stay linked to requests.
 */
export function exportRoutes(
  store: AsyncLogStore,
  reads: LogReads,
  maxImportBytes: number,
  redaction: () => RedactionPolicy = () => DEFAULT_REDACTION,
  /** The importing token's servers: records of others are refused line by line (null: all). */
  scope: () => Scope = () => null,
): Hono {
  const app = new Hono();

  app.get('/export', (c) => {
    const filter = requestFilter(c);
    const order = orderParam(c.req.query('order'), 'asc');
    const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '-');
    c.header('content-type', 'application/x-ndjson; charset=utf-8');
    c.header('content-disposition', `attachment; filename="mcp-gateway-${stamp}.jsonl"`);
    return stream(c, async (out) => {
      try {
        // Pages are read and written as JSON Lines by a reader thread: an export of any size never holds
        // up other requests, and this thread only passes their bytes on.
        for await (const lines of readAllText(reads, filter, order, c.req.raw.signal)) {
          await out.write(lines);
          if (out.aborted) return;
        }
      } catch (error) {
        // The client went away: its remaining pages were cancelled, not an error.
        if (!out.aborted && (error as Error).name !== 'AbortError') throw error;
      }
    });
  });

  app.post('/import', bodyLimit({ maxSize: maxImportBytes }), async (c) => {
    const body = c.req.raw.body;
    if (!body)
      throw new GatewayError(400, 'Send the JSONL to import as the request body (one record per line).');
    const problems: { line: number; error: string }[] = [];
    let skipped = 0;
    // An export from a gateway with redaction off holds secrets in clear: imports are redacted as capture
    // would have redacted them, so that nothing reaches logs.db or the search index around it.
    const redactor = new Redactor(redaction());
    const servers = scope();
    async function* records() {
      let number = 0;
      for await (const line of lines(body as ReadableStream<Uint8Array>)) {
        number++;
        if (line.trim() === '') continue;
        try {
          const record = recordFromJson(JSON.parse(line));
          if (!inScope(servers, record.server)) {
            throw new Error(
              `server "${record.server}" is outside this token's servers (${servers?.join(', ')}); import it with a token that covers it`,
            );
          }
          yield redactRecord(record, redactor);
        } catch (error) {
          skipped++;
          if (problems.length < MAX_PROBLEMS)
            problems.push({ line: number, error: (error as Error).message });
        }
      }
    }
    const { imported } = await store.importRecords(records());
    if (imported === 0 && skipped > 0) {
      return c.json(
        {
          error: `No record could be imported: line ${problems[0]?.line}: ${problems[0]?.error}.`,
          imported,
          skipped,
          problems,
        },
        400,
      );
    }
    return c.json({ imported, skipped, problems });
  });

  return app;
}
