import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { VERSION } from '../core/version.js';

/**
 * A few calls a real client makes through the proxy, as any MCP client would reach the demo server
 * (Streamable HTTP to `/s/demo/mcp`): the web UI then shows captured calls, a session and insights at
 * once. One call fails on purpose, since failures are what people come to look at.
 */
export async function runDemoTraffic(proxyUrl: string): Promise<number> {
  const client = new Client({ name: 'mcp-gateway-demo-client', version: VERSION });
  await client.connect(new StreamableHTTPClientTransport(new URL(proxyUrl)));
  let calls = 0;
  try {
    const { tools } = await client.listTools();
    const names = new Set(tools.map((tool) => tool.name));
    calls++;
    await client.callTool({ name: 'echo', arguments: { message: 'Hello from the MCP Gateway demo' } });
    calls++;
    if (names.has('get-sum')) {
      await client.callTool({ name: 'get-sum', arguments: { a: 19, b: 23 } });
      calls++;
    }
    await client.listResources();
    calls++;
    // An unknown tool: the server's error is captured like any answer.
    await client.callTool({ name: 'no-such-tool', arguments: {} }).catch(() => undefined);
    calls++;
  } finally {
    await client.close();
  }
  return calls;
}
