import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { RecordingTransport } from './recording-transport.js';

export interface ConnectedClient {
  client: Client;
  transport: RecordingTransport;
  close(): Promise<void>;
}

/**
 * The official SDK client over Streamable HTTP, able to answer sampling and elicitation requests the way a
 * real host would (with canned answers).
 */
export async function connectClient(url: string, name = 'test-client'): Promise<ConnectedClient> {
  const client = new Client(
    { name, version: '1.2.3' },
    { capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } } },
  );
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => ({
    model: 'test-model',
    role: 'assistant',
    content: { type: 'text', text: `sampled reply to ${request.params.messages.length} message(s)` },
  }));
  // A client that declares roots answers roots/list (server-everything asks for them after initialize).
  client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [] }));
  client.setRequestHandler(ElicitRequestSchema, async () => ({
    action: 'accept',
    content: { name: 'Ada Lovelace' },
  }));
  const transport = new RecordingTransport(new URL(url));
  await client.connect(transport);
  return {
    client,
    transport,
    async close() {
      try {
        await transport.terminateSession();
      } catch {
        // The session may already be gone (server stopped); closing is what matters.
      }
      await client.close();
    },
  };
}
