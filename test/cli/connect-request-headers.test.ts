import { describe, expect, it } from 'vitest';
import { encodeHeaderValue, requestHeaders, toolHeaders } from '../../src/cli/mcp-request-headers.js';

const META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' };

describe('connect: MCP 2026-07-28 request headers, from each message', () => {
  it.each([
    ['us-west1', 'us-west1'],
    ['Hello, 世界', '=?base64?SGVsbG8sIOS4lueVjA==?='],
    [' padded ', '=?base64?IHBhZGRlZCA=?='],
    ['line1\nline2', '=?base64?bGluZTEKbGluZTI=?='],
    ['=?base64?literal?=', '=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?='],
  ])('encodes %j as the spec table says', (value, header) => {
    expect(encodeHeaderValue(value)).toBe(header);
  });

  it('mirrors method, name and annotated tool parameters; leaves earlier eras alone', () => {
    const tools = new Map([
      [
        'execute_sql',
        toolHeaders({
          type: 'object',
          properties: {
            region: { type: 'string', 'x-mcp-header': 'Region' },
            options: {
              type: 'object',
              properties: { dryRun: { type: 'boolean', 'x-mcp-header': 'Dry-Run' } },
            },
            limit: { type: 'integer', 'x-mcp-header': 'Limit' },
            list: { type: 'array', items: { type: 'string', 'x-mcp-header': 'Nope' } },
          },
        }),
      ],
    ]);
    const call = {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name: 'execute_sql',
        arguments: { region: 'us-west1', options: { dryRun: true }, limit: 42, list: ['x'] },
        _meta: META,
      },
    };
    expect(requestHeaders(call, tools)).toEqual({
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': 'execute_sql',
      'mcp-param-region': 'us-west1',
      'mcp-param-dry-run': 'true',
      'mcp-param-limit': '42',
    });
    const read = {
      jsonrpc: '2.0',
      id: 2,
      method: 'resources/read',
      params: { uri: 'file:///ä.txt', _meta: META },
    };
    expect(requestHeaders(read, tools)?.['mcp-name']).toBe(
      `=?base64?${Buffer.from('file:///ä.txt').toString('base64')}?=`,
    );
    expect(requestHeaders({ jsonrpc: '2.0', id: 3, method: 'tools/list' }, tools)).toBeNull();
  });
});
