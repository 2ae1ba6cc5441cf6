import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientCapabilities, JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { now } from '../core/clock.js';
import { GatewayError, RpcErrorCode } from '../core/errors.js';
import { classifyMessage, parseJsonBody } from '../core/jsonrpc.js';
import { DERIVED_SESSION_PREFIX, type RecordOrigin } from '../core/record.js';
import { clientIdentity, MODERN_VERSION } from './era.js';
import type { SessionBackend } from './http-endpoint.js';
import { ModernConversation } from './modern-conversation.js';
import type { StdioCapture } from './stdio-capture.js';

export interface ModernRequestsOptions {
  capture: StdioCapture;
  backend: SessionBackend;
  /** A conversation started: the endpoint keeps it with its sessions (idle timeout, limits, shutdown). */
  started(conversation: ModernConversation): void;
  closed(conversation: ModernConversation): void;
}

/**
 * The MCP 2026-07-28 side of a stdio server's endpoint (Transports, Streamable HTTP 2026-07-28): no
 * session, so GET and DELETE have nothing to act on and answer 405; each POST is served within its
 * client's conversation (modern-conversation.ts), started by the client's first request.
 */
export class ModernRequests {
  readonly #options: ModernRequestsOptions;
  /** Conversations by client identity (era.ts), and the identity of each. */
  readonly #byIdentity = new Map<string, ModernConversation>();
  readonly #identities = new Map<ModernConversation, string>();

  constructor(options: ModernRequestsOptions) {
    this.#options = options;
  }

  /** Throws a GatewayError for what cannot be served; the endpoint answers and records it. */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    body: Buffer | null,
    arrived?: number,
    origin?: RecordOrigin,
  ): Promise<void> {
    if (req.method !== 'POST' || !body) {
      throw new GatewayError(
        405,
        `Method Not Allowed: MCP ${MODERN_VERSION} has no sessions, so there is no stream to GET and nothing to DELETE. Send requests with POST; subscribe to notifications with subscriptions/listen.`,
        { headers: { allow: 'POST' } },
      );
    }
    const text = body.toString('utf8');
    const parsed = parseJsonBody(text);
    if (!parsed.ok) throw new GatewayError(400, 'Bad Request: the body is not JSON-RPC.');
    const messages = (parsed.isBatch ? parsed.messages : [parsed.value]) as JSONRPCMessage[];
    const request = messages.find((m) => classifyMessage(m).kind === 'request') as
      | { id: RequestId }
      | undefined;
    if (!request && !this.#known(messages[0])) {
      // A notification (a cancellation) from a client with no request in flight here concerns nothing:
      // it must not start a conversation, which in isolated mode would start a process.
      for (const message of messages) {
        this.#options.capture.line(null, 'stdin', JSON.stringify(message), {
          note: 'not forwarded: no request of this client is in flight',
        });
      }
      res.writeHead(202).end();
      return;
    }
    const fresh = !this.#known(messages[0]);
    const conversation = await this.#conversationOf(messages[0]);
    // A new conversation may have waited for its server (isolated mode: a process of its own starting):
    // that wait is the server's time, not the gateway's, so for the split the clock starts again here.
    const ready = fresh && arrived !== undefined ? now() : arrived;
    if (request && conversation.has(request.id)) {
      throw new GatewayError(
        409,
        `Conflict: a request with id ${JSON.stringify(request.id)} from ${conversation.client} is still in flight at stdio server "${this.#options.capture.server}". JSON-RPC ids must be unique among a client's requests in flight; use another id.`,
        { rpcCode: RpcErrorCode.InvalidRequest },
      );
    }
    const refusal = request ? this.#options.backend.refusal?.(conversation) : null;
    if (refusal) throw refusal;
    // The client's own text goes to the server where it can (a batch is split into its messages).
    const texts = parsed.isBatch ? messages.map((m) => JSON.stringify(m)) : [text];
    conversation.accept(
      res,
      messages.map((message, i) => ({ message, text: texts[i] ?? JSON.stringify(message) })),
      ready,
      origin,
    );
  }

  /** The conversation ended (idle, evicted, shutdown): the client's next request starts a new one. */
  forget(conversation: ModernConversation): void {
    const identity = this.#identities.get(conversation);
    this.#identities.delete(conversation);
    if (identity !== undefined && this.#byIdentity.get(identity) === conversation) {
      this.#byIdentity.delete(identity);
    }
  }

  #known(message: unknown): boolean {
    return this.#byIdentity.get(clientIdentity(message).key)?.closed === false;
  }

  /** The conversation of the client a 2026 message names in its `_meta`. */
  async #conversationOf(message: unknown): Promise<ModernConversation> {
    const identity = clientIdentity(message);
    const known = this.#byIdentity.get(identity.key);
    if (known && !known.closed) return known;
    const { capture, backend } = this.#options;
    const conversation = new ModernConversation({
      // A derived id, not an Mcp-Session-Id: capture marks it so (core/record.ts, docs/capture.md).
      id: `${DERIVED_SESSION_PREFIX}${randomUUID()}`,
      client: identity.name,
      ...(identity.clientName ? { clientName: identity.clientName } : {}),
      capabilities: identity.params.capabilities as ClientCapabilities,
      capture,
      onMessage: (c, m, text) => backend.message(c, m, text),
      onClosed: (c) => this.#options.closed(c),
    });
    await backend.open(conversation, identity.params);
    capture.note(
      conversation.id,
      `${identity.name} speaks MCP ${MODERN_VERSION}: its requests are one conversation`,
    );
    this.#byIdentity.set(identity.key, conversation);
    this.#identities.set(conversation, identity.key);
    this.#options.started(conversation);
    return conversation;
  }
}
