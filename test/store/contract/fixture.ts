import type { NewRecord } from '../../../src/core/record.js';
import { makeRecord } from '../../helpers/records.js';

/** "Now" for every query of the suite: relative times (`last:15m`) are measured from it. */
export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const ago = (minutes: number) => NOW - minutes * 60_000;
const rpc = (value: object) => JSON.stringify({ jsonrpc: '2.0', ...value });

/** The traffic every read is asked about, by letter; `partner` names the letter a response answers. */
export interface Entry {
  name: string;
  partner?: string;
  record: NewRecord;
}

const alpha = { server: 'alpha', sessionId: 's1', clientName: 'claude-code', clientVersion: '1.0' };
const beta = { server: 'beta', sessionId: 's2', clientName: 'cursor', clientVersion: '2.0' };
const answer = { direction: 'server_to_client' as const, kind: 'response' as const };

export const BIG_BYTES = 200_000;

/** Written in this order, one record at a time, so ids follow the letters. */
export const ENTRIES: Entry[] = [
  {
    name: 'A',
    record: makeRecord({
      ...alpha,
      method: 'initialize',
      summary: 'initialize claude-code 1.0',
      time: ago(50),
    }),
  },
  {
    name: 'B',
    partner: 'A',
    record: makeRecord({ ...alpha, ...answer, method: 'initialize', durationMs: 12, time: ago(50) }),
  },
  {
    name: 'C',
    record: makeRecord({
      ...alpha,
      method: 'tools/call',
      jsonrpcId: 2,
      summary: 'echo(message: Weather in Paris: sunny)',
      message: rpc({
        id: 2,
        method: 'tools/call',
        params: { name: 'echo', arguments: { message: 'Weather in Paris: sunny' } },
      }),
      time: ago(40),
    }),
  },
  {
    name: 'D',
    partner: 'C',
    record: makeRecord({
      ...alpha,
      ...answer,
      method: 'tools/call',
      jsonrpcId: 2,
      durationMs: 120,
      summary: 'text: The rate limit was reached',
      message: rpc({
        id: 2,
        result: { content: [{ type: 'text', text: 'The rate limit was reached at 10:30' }] },
      }),
      time: ago(40),
    }),
  },
  {
    name: 'E',
    record: makeRecord({
      ...beta,
      method: 'tools/call',
      jsonrpcId: 'abc-7',
      summary: 'delete_file(path: /tmp/x)',
      message: rpc({
        id: 'abc-7',
        method: 'tools/call',
        params: { name: 'delete_file', arguments: { path: '/tmp/x' } },
      }),
      time: ago(30),
    }),
  },
  {
    name: 'G',
    record: makeRecord({
      server: 'beta',
      sessionId: null,
      clientName: null,
      clientVersion: null,
      direction: 'server_to_client',
      kind: 'stderr',
      method: null,
      jsonrpcId: undefined,
      httpMethod: null,
      httpStatus: null,
      transport: 'stdio',
      summary: 'Listening on stdio :: ready',
      message: 'Listening on stdio :: ready',
      time: ago(30),
    }),
  },
  {
    name: 'F',
    partner: 'E',
    record: makeRecord({
      ...beta,
      direction: 'server_to_client',
      kind: 'error',
      method: 'tools/call',
      jsonrpcId: 'abc-7',
      durationMs: 300,
      errorCode: -32601,
      errorMessage: 'Unknown tool: delete_file',
      summary: 'error -32601 Unknown tool: delete_file',
      message: rpc({ id: 'abc-7', error: { code: -32601, message: 'Unknown tool: delete_file' } }),
      time: ago(29),
    }),
  },
  {
    name: 'H',
    record: makeRecord({
      ...alpha,
      kind: 'notification',
      method: 'notifications/progress',
      jsonrpcId: undefined,
      summary: 'progress',
      message: rpc({ method: 'notifications/progress', params: { message: 'recall the procedure' } }),
      time: ago(20),
    }),
  },
  {
    name: 'I',
    record: makeRecord({
      server: 'gamma',
      sessionId: null,
      clientName: null,
      clientVersion: null,
      direction: 'server_to_client',
      kind: 'other',
      method: null,
      jsonrpcId: undefined,
      httpStatus: 500,
      transport: 'http',
      summary: 'HTTP 500',
      message: '<html>Internal Server Error</html>',
      time: ago(10),
    }),
  },
  {
    name: 'J',
    record: makeRecord({
      ...alpha,
      method: 'tools/call',
      jsonrpcId: 7,
      summary: 'order(drink: café au lait)',
      message: rpc({
        id: 7,
        method: 'tools/call',
        params: { name: 'order', arguments: { drink: 'café au lait' } },
      }),
      time: ago(5),
    }),
  },
  {
    name: 'K',
    record: makeRecord({
      ...alpha,
      ...answer,
      method: 'resources/read',
      jsonrpcId: 9,
      summary: 'big resource',
      message: rpc({ id: 9, result: { contents: [{ uri: 'file:///big', text: 'x'.repeat(BIG_BYTES) }] } }),
      time: ago(2),
    }),
  },
];
