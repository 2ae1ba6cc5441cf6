import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  type ClientCapabilities,
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

/** What the test client declares by default: a host that samples, elicits and has roots. */
export const HOST_CAPABILITIES: ClientCapabilities = {
  sampling: {},
  elicitation: { form: {} },
  roots: { listChanged: true },
};

/**
 * The same host without roots: behind a shared stdio server such clients share one process (a client
 * with roots gets its own, see src/stdio/client-profile.ts).
 */
export const HOST_WITHOUT_ROOTS: ClientCapabilities = { sampling: {}, elicitation: { form: {} } };

/**
 * The official SDK client over Streamable HTTP, able to answer sampling and elicitation requests the way a
 * real host would (with canned answers). It declares `capabilities` (default: HOST_CAPABILITIES).
 */
export async function connectClient(
  url: string,
  name = 'test-client',
  capabilities: ClientCapabilities = HOST_CAPABILITIES,
): Promise<ConnectedClient> {
  const client = new Client({ name, version: '1.2.3' }, { capabilities });
  // The SDK refuses handlers for capabilities the client did not declare.
  if (capabilities.sampling) {
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => ({
      model: 'test-model',
      role: 'assistant',
      content: { type: 'text', text: `sampled reply to ${request.params.messages.length} message(s)` },
    }));
  }
  // A client that declares roots answers roots/list (server-everything asks for them after initialize).
  if (capabilities.roots) client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [] }));
  if (capabilities.elicitation) {
    client.setRequestHandler(ElicitRequestSchema, async () => ({
      action: 'accept',
      content: { name: 'Ada Lovelace' },
    }));
  }
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
