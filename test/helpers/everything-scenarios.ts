import type { ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import type { CapturedRecord } from '../../src/core/record.js';
import { expectCapturedExactlyOnce } from './capture-assertions.js';
import type { TestGateway } from './gateway.js';
import { connectClient, HOST_CAPABILITIES } from './mcp-client.js';

/**
 * What a client does with server-everything, whatever carries it to the gateway (HTTP upstream or stdio).
 * Each scenario asserts what the client must see and returns the session's records for transport checks.
 */

/** trigger-long-running-operation: progress arrives in order, and each notification is stored. */
export async function progressScenario(
  gw: TestGateway,
  url: string,
  capabilities: ClientCapabilities = HOST_CAPABILITIES,
): Promise<CapturedRecord[]> {
  const proxied = await connectClient(url, 'test-client', capabilities);
  const progress: number[] = [];
  const result = await proxied.client.callTool(
    { name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } },
    undefined,
    { onprogress: (p) => progress.push(p.progress) },
  );
  const sessionId = proxied.transport.sessionId as string;
  await proxied.close();
  expect(progress).toEqual([1, 2, 3]);
  expect(JSON.stringify(result)).toContain('Long running operation completed');
  const records = await gw.records((r) => r.sessionId === sessionId && r.method === 'notifications/progress');
  expect(records.map((r) => r.summary)).toEqual(['progress 1/3', 'progress 2/3', 'progress 3/3']);
  return records;
}

/** Sampling and elicitation round trips: answered by the client, paired with the server's requests. */
export async function samplingScenario(
  gw: TestGateway,
  url: string,
  transport: (record: CapturedRecord) => boolean = () => true,
  capabilities: ClientCapabilities = HOST_CAPABILITIES,
): Promise<CapturedRecord[]> {
  const proxied = await connectClient(url, 'test-client', capabilities);
  const sampled = await proxied.client.callTool({
    name: 'trigger-sampling-request',
    arguments: { prompt: 'Say hi', maxTokens: 20 },
  });
  expect(JSON.stringify(sampled)).toContain('sampled reply to 1 message(s)');
  const elicited = await proxied.client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
  expect(JSON.stringify(elicited)).toContain('Ada Lovelace');
  const sessionId = proxied.transport.sessionId as string;
  await proxied.close();
  const records = await gw.records((r) => r.sessionId === sessionId && transport(r));
  expectCapturedExactlyOnce(records, proxied.transport, sessionId);
  const answers: CapturedRecord[] = [];
  for (const method of ['sampling/createMessage', 'elicitation/create']) {
    const request = records.find((r) => r.method === method && r.kind === 'request');
    const answer = records.find((r) => r.method === method && r.kind === 'response');
    expect(request?.direction).toBe('server_to_client');
    expect(answer?.direction).toBe('client_to_server');
    expect(answer?.partnerId).toBe(request?.id);
    if (answer) answers.push(answer);
  }
  return answers;
}

/** A subscribed resource's updates reach the client; returns the stored update notifications. */
export async function subscriptionScenario(
  gw: TestGateway,
  url: string,
  capabilities: ClientCapabilities = HOST_CAPABILITIES,
): Promise<CapturedRecord[]> {
  const proxied = await connectClient(url, 'test-client', capabilities);
  const uri = 'demo://resource/static/document/architecture.md';
  const updated = new Promise<string>((resolve) => {
    proxied.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) =>
      resolve(notification.params.uri),
    );
  });
  await proxied.client.subscribeResource({ uri });
  await proxied.client.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
  expect(await updated).toBe(uri);
  await proxied.client.callTool({ name: 'toggle-subscriber-updates', arguments: {} });
  const sessionId = proxied.transport.sessionId as string;
  await proxied.close();
  const records = await gw.records(
    (r) => r.sessionId === sessionId && r.method === 'notifications/resources/updated',
  );
  expect(records.length).toBeGreaterThan(0);
  expect(records[0]?.summary).toBe(`updated ${uri}`);
  return records;
}
