import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import { classifyMessage, parseJsonBody } from '../core/jsonrpc.js';
import type { RecordOrigin } from '../core/record.js';
import { answerTo, droppedAnswer } from '../intercept/answers.js';
import type { MessageStage } from '../intercept/stage.js';
import { idOf, type StageContext, stagedMessage } from '../intercept/staged-message.js';

/** Requests remembered per stream, so an answer is staged with its request's method; past this, the oldest go. */
const MAX_REMEMBERED = 1000;

export interface StagedStreamDeps {
  stage: MessageStage;
  /** Where the messages travel (server to client), as a breakpoint's filter sees it. */
  context: StageContext;
  /** Sends the gateway's version of a message on to the client, recorded with what the gateway did to it. */
  send(text: string, origin: RecordOrigin): void;
  /** Answers the server's own request (elicitation, sampling, roots) in the client's place. */
  answerServer(text: string): void;
  /** Ends the client's stream: a fault rule's cut. */
  cut(reason: string): void;
  /** Backpressure while a message is held: the server's stream stops, so nothing piles up here. */
  pause(): void;
  resume(): void;
}

/**
 * A server's messages on a stream the gateway relays one message at a time (the HTTP+SSE transport of
 * MCP 2024-11-05, "HTTP with SSE", where every answer and server request arrives as a `message` event),
 * at the message stage (intercept/stage.ts). They keep their order: while one is held, the ones after it
 * wait and the server's stream is paused. Verdicts are carried out as for Streamable HTTP answers
 * (staged-response.ts): a dropped answer reaches the client as the gateway's JSON-RPC error, so no client
 * waits for it forever; a server request that is dropped or answered gets its answer in the client's place.
 */
export class StagedStream {
  readonly #deps: StagedStreamDeps;
  readonly #gone = new AbortController();
  readonly #methods = new Map<RequestId, string>();
  #queue: Promise<void> = Promise.resolve();
  #pending = 0;
  #cut = false;

  constructor(deps: StagedStreamDeps) {
    this.#deps = deps;
  }

  /** A client's request on its way to the server: its answer is staged knowing the method it answers. */
  requested(value: unknown): void {
    const shape = classifyMessage(value);
    if (shape.kind !== 'request' || shape.method === null) return;
    const id = shape.id;
    if (typeof id !== 'string' && typeof id !== 'number') return;
    this.#methods.set(id, shape.method);
    if (this.#methods.size > MAX_REMEMBERED) {
      const oldest = this.#methods.keys().next().value;
      if (oldest !== undefined) this.#methods.delete(oldest);
    }
  }

  /**
   * One message from the server; `asSent` sends it on as the server wrote it. Returns false when nothing is armed and nothing waits: the caller sends it
   * as always, and this check is all it cost. Otherwise the message goes out (or not) once decided.
   */
  offer(text: string, asSent: () => void): boolean {
    if (this.#cut) return true;
    if (this.#pending === 0 && !this.#deps.stage.armed) return false;
    this.#pending++;
    if (this.#pending === 1) this.#deps.pause();
    this.#queue = this.#queue.then(async () => {
      await this.#decide(text, asSent);
      this.#pending--;
      if (this.#pending === 0 && !this.#cut) this.#deps.resume();
    });
    return true;
  }

  /** The client's stream is gone: a hold on its messages ends, and nothing more is sent. */
  end(): void {
    this.#gone.abort();
  }

  async #decide(text: string, asSent: () => void): Promise<void> {
    if (this.#cut || this.#gone.signal.aborted) return;
    const deps = this.#deps;
    const parsed = parseJsonBody(text);
    if (!parsed.ok || parsed.isBatch) {
      asSent();
      return;
    }
    const shape = classifyMessage(parsed.value);
    const answered = shape.kind === 'response' || shape.kind === 'error' ? shape.id : null;
    const answers =
      typeof answered === 'string' || typeof answered === 'number'
        ? (this.#methods.get(answered) ?? null)
        : null;
    if (answers !== null) this.#methods.delete(answered as RequestId);
    const message = stagedMessage({ ...deps.context, answers }, text, parsed.value);
    message.signal = this.#gone.signal;
    const decided = await deps.stage.run(message);
    if (this.#gone.signal.aborted) return;
    const id = idOf(message);
    const kind = message.shape.kind;
    const send = (value: unknown, origin: RecordOrigin) => deps.send(JSON.stringify(value), origin);
    switch (decided.action) {
      case 'pass':
        asSent();
        return;
      case 'edit':
        send(decided.message, 'edited');
        return;
      case 'reply':
        if (kind === 'request') deps.answerServer(JSON.stringify(answerTo(id, decided.message)));
        else send(answerTo(id, decided.message), 'injected');
        return;
      case 'drop':
        if (kind === 'request') deps.answerServer(JSON.stringify(droppedAnswer(id, decided.reason)));
        else if (kind === 'response' || kind === 'error') send(droppedAnswer(id, decided.reason), 'injected');
        return;
      case 'status':
      case 'cut':
        // An event stream's status went out when it opened: a status rule can only end it, as a cut does.
        this.#cut = true;
        deps.cut('the gateway cut the SSE stream (a fault rule)');
        return;
    }
  }
}
