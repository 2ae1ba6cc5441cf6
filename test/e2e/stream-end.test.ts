import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startV2Server, type V2Server } from '../fixtures/sdk-v2-server.js';
import { type RunningEverything, startEverything } from '../helpers/everything.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { waitFor } from '../helpers/stdio.js';

const FAILURE_NOTES = /client disconnected before the response was complete|response cut short/;

/** A client closing a stream that only it ends is a normal end, on the HTTP proxy as on stdio servers. */
describe('streams the client ends, through the HTTP proxy', () => {
  let modern: V2Server;
  let everything: RunningEverything;
  let gw: TestGateway;

  beforeAll(async () => {
    [modern, everything] = await Promise.all([startV2Server('reject'), startEverything()]);
    gw = await startTestGateway({
      servers: {
        modern: { type: 'http', url: modern.url },
        everything: { type: 'http', url: everything.url },
      },
    });
  });

  afterAll(async () => {
    await gw?.stop();
    await Promise.all([modern?.stop(), everything?.stop()]);
  });

  async function recordsOf(server: string): Promise<string> {
    const records = await gw.records((r) => r.server === server);
    return records.map((r) => `${r.summary} ${r.note ?? ''} ${r.errorMessage ?? ''}`).join('\n');
  }

  it('records the end of a 2026 subscriptions/listen stream closed by its client as normal', async () => {
    const client = new Client(
      { name: 'listener', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(gw.proxyUrl('modern'))));
    const subscription = await client.listen({ toolsListChanged: true });
    await subscription.close();
    await client.close();
    await waitFor('the listen request recorded', async () =>
      (await recordsOf('modern')).includes('subscriptions/listen'),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await recordsOf('modern')).not.toMatch(FAILURE_NOTES);
  });

  it('records the end of a 2025 GET stream closed by the SDK client as normal', async () => {
    // The SDK v2 client falls back to 2025-11-25 with server-everything and opens its GET stream.
    const client = new Client({ name: 'closer', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(gw.proxyUrl('everything'))));
    await client.listTools();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await client.close();
    await waitFor('the GET stream recorded', async () => {
      const records = await gw.records((r) => r.server === 'everything' && r.httpMethod === 'GET');
      return records.length > 0;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await recordsOf('everything')).not.toMatch(FAILURE_NOTES);
  });
});
