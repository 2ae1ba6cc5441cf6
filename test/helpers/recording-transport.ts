import {
  StreamableHTTPClientTransport,
  type StreamableHTTPClientTransportOptions,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';

/**
 * Any client transport, remembering every message the client sent and received: the ground truth a
 * capture is compared against.
 */
export class Recorded<T extends Transport> implements Transport {
  readonly inner: T;
  readonly sent: JSONRPCMessage[] = [];
  readonly received: JSONRPCMessage[] = [];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  constructor(inner: T) {
    this.inner = inner;
    this.inner.onmessage = (message: JSONRPCMessage) => {
      this.received.push(message);
      this.onmessage?.(message);
    };
    this.inner.onerror = (error) => this.onerror?.(error);
    this.inner.onclose = () => this.onclose?.();
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    this.sent.push(message);
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** The SDK's Streamable HTTP client transport, recorded. */
export class RecordingTransport extends Recorded<StreamableHTTPClientTransport> {
  constructor(url: URL, options?: StreamableHTTPClientTransportOptions) {
    super(new StreamableHTTPClientTransport(url, options));
  }

  terminateSession(): Promise<void> {
    return this.inner.terminateSession();
  }
}
