import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { MockSession } from './mock-session.js';

/**
 * The mock as a stdio server (MCP Transports, "stdio"): one JSON-RPC message per line on stdin, answers
 * one per line on stdout and nothing else there; logs go to the caller's `log` (stderr). Resolves when
 * stdin ends, as a stdio server exits when its client closes its input.
 */
export function serveStdio(session: MockSession, input: Readable, output: Writable): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch (error) {
      output.write(`${JSON.stringify(MockSession.parseError((error as Error).message))}\n`);
      return;
    }
    const answer = session.handle(message);
    if (answer !== null) output.write(`${JSON.stringify(answer)}\n`);
  });
  return new Promise((resolve) => lines.once('close', () => resolve()));
}
