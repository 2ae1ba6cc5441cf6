// Before the SDK: see the module.
import './zod-jitless';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  type CreateMessageRequest,
  CreateMessageRequestSchema,
  type CreateMessageResult,
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
  ListRootsRequestSchema,
  type ListRootsResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { api } from '../api';
import type { SessionInfo } from '../session';

/** How the playground's traffic shows in the capture (clientInfo, MCP spec "Lifecycle"). */
export const PLAYGROUND_CLIENT = { name: 'mcp-gateway playground', version: '1.0.0' };

/** A request the server sent while a call ran, waiting for the person to answer it. */
export type ServerAsk =
  | {
      id: number;
      kind: 'elicitation';
      params: ElicitRequest['params'];
      answer: (result: ElicitResult) => void;
    }
  | {
      id: number;
      kind: 'sampling';
      params: CreateMessageRequest['params'];
      answer: (result: CreateMessageResult) => void;
      reject: (message: string) => void;
    }
  | { id: number; kind: 'roots'; answer: (result: ListRootsResult) => void };

/** A server request as the handlers hand it over, before it gets its place in the list. */
export type NewAsk = ServerAsk extends infer A ? (A extends ServerAsk ? Omit<A, 'id'> : never) : never;

/**
 * The SDK client checks `structuredContent` with Ajv, which compiles schemas with eval: the UI's Content
 * Security Policy forbids that. The playground checks results itself (schema-check.ts) and shows the
 * outcome instead of throwing it away, so the SDK's own check passes everything.
 */
const acceptAll: jsonSchemaValidator = {
  getValidator: () => (input) => ({ valid: true, data: input as never, errorMessage: undefined }),
};

export interface PlaygroundConnection {
  client: Client;
  close(): Promise<void>;
}

/**
 * A real MCP client in the page, connected over Streamable HTTP to the gateway's own proxy URL for the
 * server, so its traffic is captured like any client's, for HTTP and stdio servers alike. It proves itself
 * with the web UI session (cookie plus CSRF token, app/proxy-ui-session.ts) where --proxy-auth asks for a
 * gateway token: page scripts never hold the raw token. It declares exactly the client capabilities the
 * person can serve by hand: elicitation (form), sampling and roots.
 */
export async function connectPlayground(
  server: string,
  ask: (request: NewAsk, signal: AbortSignal) => void,
): Promise<PlaygroundConnection> {
  // Asked afresh at each connect: the person may have signed in again since the page loaded.
  const { csrfToken: csrf } = await api<SessionInfo>('/api/session');
  const client = new Client(PLAYGROUND_CLIENT, {
    capabilities: { elicitation: { form: {} }, sampling: {}, roots: {} },
    jsonSchemaValidator: acceptAll,
  });
  client.setRequestHandler(
    ElicitRequestSchema,
    (request, extra) =>
      new Promise<ElicitResult>((answer) =>
        ask({ kind: 'elicitation', params: request.params, answer }, extra.signal),
      ),
  );
  client.setRequestHandler(
    CreateMessageRequestSchema,
    (request, extra) =>
      new Promise<CreateMessageResult>((answer, fail) =>
        ask(
          {
            kind: 'sampling',
            params: request.params,
            answer,
            // MCP spec "Sampling", error handling: a user who rejects the request is error code -1.
            reject: (message: string) => fail(Object.assign(new Error(message), { code: -1 })),
          },
          extra.signal,
        ),
      ),
  );
  client.setRequestHandler(
    ListRootsRequestSchema,
    (_request, extra) =>
      new Promise<ListRootsResult>((answer) => ask({ kind: 'roots', answer }, extra.signal)),
  );
  const url = new URL(`/servers/${encodeURIComponent(server)}/mcp`, window.location.origin);
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { credentials: 'same-origin', headers: csrf ? { 'x-csrf-token': csrf } : {} },
  });
  await client.connect(transport);
  return {
    client,
    async close() {
      // Ends the MCP session (an HTTP DELETE, spec "Session Management") so the server can let it go.
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    },
  };
}
