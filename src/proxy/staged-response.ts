import type { ServerResponse } from 'node:http';
import { TextDecoder } from 'node:util';
import type { Dispatcher } from 'undici';
import type { HeaderMap } from '../core/capture-events.js';
import { now } from '../core/clock.js';
import { parseJsonBody } from '../core/jsonrpc.js';
import type { RecordOrigin } from '../core/record.js';
import { answerTo, droppedAnswer } from '../intercept/answers.js';
import type { MessageStage } from '../intercept/stage.js';
import { idOf, type StageContext, stagedMessage } from '../intercept/staged-message.js';
import type { Verdict } from '../intercept/verdict.js';
import type { ExchangeCapture } from './exchange-capture.js';
import { type SseBlock, SseBlocks, sseEventText } from './sse-blocks.js';
import { drained } from './web-response.js';

export interface StagedResponseOptions {
  stage: MessageStage;
  res: ServerResponse;
  capture: ExchangeCapture;
  context: StageContext;
  /** A JSON body past this is not staged: what was read goes out and the rest streams through. */
  maxBytes: number;
  /** Answers a request of the server (elicitation, sampling) in the client's place. */
  answerServer(message: unknown): void;
}

/** What a verdict makes of one message: the text to send on (or none) and what the gateway did. */
function outcome(
  verdict: Verdict,
  original: string,
  id: ReturnType<typeof idOf>,
  answersRequest: boolean,
): { text: string | null; origin: RecordOrigin | undefined } | 'cut' {
  switch (verdict.action) {
    case 'pass':
      return { text: original, origin: undefined };
    case 'edit':
      return { text: JSON.stringify(verdict.message), origin: 'edited' };
    case 'reply':
      // Nothing answers a response: a reply to one stands in its place.
      return { text: JSON.stringify(answerTo(id, verdict.message)), origin: 'injected' };
    case 'drop':
      return answersRequest
        ? { text: JSON.stringify(droppedAnswer(id, verdict.reason)), origin: 'injected' }
        : { text: null, origin: undefined };
    case 'status':
    case 'cut':
      return 'cut';
  }
}

/**
 * A server's answer to a client's POST at the message stage (intercept/stage.ts), used by the HTTP proxy
 * only while the stage is armed. A JSON body is read whole (bounded), staged, then written; an SSE stream
 * is staged event by event as events arrive and never buffered beyond the event being decided: the
 * upstream is paused while one is held, so backpressure reaches the server instead of memory growing here.
 */
export class StagedResponse {
  readonly #options: StagedResponseOptions;
  readonly #gone = new AbortController();
  #status = 200;
  #headers: HeaderMap = {};
  #chunks: Buffer[] = [];
  #size = 0;
  /** A JSON body too big to stage: it streams through as it would unarmed. */
  #passthrough = false;
  #blocks: SseBlocks | null = null;
  #decoder = new TextDecoder();
  #queue: Promise<void> = Promise.resolve();
  #pending = 0;
  #cut = false;

  constructor(options: StagedResponseOptions) {
    this.#options = options;
    options.res.once('close', () => {
      if (!options.res.writableFinished) this.#gone.abort();
    });
  }

  /** JSON: headers wait with the body. SSE: the proxy has written them; events are staged one by one. */
  start(status: number, headers: HeaderMap, sse: boolean): void {
    this.#status = status;
    this.#headers = headers;
    if (sse) this.#blocks = new SseBlocks();
  }

  data(controller: Dispatcher.DispatchController, chunk: Buffer, received: number): void {
    if (this.#cut) return;
    if (this.#blocks) {
      for (const block of this.#blocks.feed(this.#decoder.decode(chunk, { stream: true }))) {
        this.#enqueue(controller, block, received);
      }
      return;
    }
    const { res, capture } = this.#options;
    if (this.#passthrough) {
      if (!res.write(chunk)) {
        controller.pause();
        res.once('drain', () => controller.resume());
      }
      capture.chunk(chunk, received);
      return;
    }
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    if (this.#size > this.#options.maxBytes) {
      this.#passthrough = true;
      res.writeHead(this.#status, this.#headers);
      for (const held of this.#chunks) {
        res.write(held);
        capture.chunk(held, received);
      }
      this.#chunks = [];
    }
  }

  /** The upstream's body is complete; `done` runs once the client has all of it. */
  end(received: number, done: () => void): void {
    const { res, capture } = this.#options;
    if (this.#cut) {
      done();
      return;
    }
    if (this.#blocks) {
      const rest = this.#blocks.rest();
      void this.#queue.then(() => {
        if (this.#cut) return done();
        if (rest) {
          res.write(rest);
          capture.chunk(Buffer.from(rest), received);
        }
        res.end();
        capture.end(null, received);
        done();
      });
      return;
    }
    if (this.#passthrough) {
      res.end();
      capture.end(null, received);
      done();
      return;
    }
    const body = Buffer.concat(this.#chunks, this.#size);
    this.#chunks = [];
    const text = body.toString('utf8');
    const parsed = parseJsonBody(text);
    if (!parsed.ok || parsed.isBatch) {
      this.#writeJson(text, undefined, received);
      done();
      return;
    }
    void this.#decide(text, parsed.value).then((result) => {
      if (result === 'gone') return done();
      if (result === 'cut') {
        this.#cutNow(null);
        return done();
      }
      if (result.text === null) {
        // A response nobody will see: its client gets the gateway's word for it (see outcome()).
        res.writeHead(202, {});
        res.end();
        capture.end(null, received);
        return done();
      }
      this.#writeJson(result.text, result.origin, received, result.status);
      done();
    });
  }

  #writeJson(text: string, origin: RecordOrigin | undefined, received: number, status = this.#status): void {
    const { res, capture } = this.#options;
    const body = Buffer.from(text);
    res.writeHead(status, { ...this.#headers, 'content-length': String(body.length) });
    res.end(body);
    capture.chunk(body, received, origin);
    capture.end(null, received);
  }

  async #decide(
    text: string,
    value: unknown,
  ): Promise<{ text: string | null; origin: RecordOrigin | undefined; status?: number } | 'cut' | 'gone'> {
    const message = stagedMessage(this.#options.context, text, value);
    message.signal = this.#gone.signal;
    const verdict = await this.#options.stage.run(message);
    if (this.#gone.signal.aborted || this.#options.res.destroyed) return 'gone';
    if (verdict.action === 'status' && !this.#blocks) {
      // Before any header went out, a status can still be the answer.
      const body = verdict.message ?? droppedAnswer(idOf(message), `answered with HTTP ${verdict.status}`);
      return { text: JSON.stringify(body), origin: 'injected', status: verdict.status };
    }
    const kind = message.shape.kind;
    if (kind === 'request' && (verdict.action === 'reply' || verdict.action === 'drop')) {
      // The server asked the client something: the gateway answers the server, the client never sees it.
      const id = idOf(message);
      this.#options.answerServer(
        verdict.action === 'reply' ? answerTo(id, verdict.message) : droppedAnswer(id, verdict.reason),
      );
      return { text: null, origin: undefined };
    }
    return outcome(verdict, text, idOf(message), kind === 'response' || kind === 'error');
  }

  #enqueue(controller: Dispatcher.DispatchController, block: SseBlock, received: number): void {
    this.#pending++;
    if (this.#pending === 1) controller.pause();
    this.#queue = this.#queue.then(async () => {
      await this.#event(controller, block, received);
      this.#pending--;
      if (this.#pending === 0 && !this.#cut) controller.resume();
    });
  }

  async #event(controller: Dispatcher.DispatchController, block: SseBlock, received: number): Promise<void> {
    if (this.#cut) return;
    const { res, capture } = this.#options;
    const parsed = block.data === null ? null : parseJsonBody(block.data);
    let out: string | null = block.raw;
    let origin: RecordOrigin | undefined;
    if (parsed?.ok && !parsed.isBatch && block.data !== null) {
      const result = await this.#decide(block.data, parsed.value);
      if (result === 'gone') return;
      if (result === 'cut') {
        this.#cutNow(controller);
        return;
      }
      origin = result.origin;
      out = result.text === null ? null : result.origin ? sseEventText(block, result.text) : block.raw;
    }
    if (out === null || res.destroyed) return;
    capture.chunk(Buffer.from(out), received, origin);
    if (!res.write(out)) await drained(res);
  }

  #cutNow(controller: Dispatcher.DispatchController | null): void {
    this.#cut = true;
    controller?.abort(new Error('the gateway cut the stream'));
    this.#options.res.destroy();
    this.#options.capture.end(
      this.#blocks
        ? 'the gateway cut the SSE stream (a fault rule)'
        : 'the gateway cut the connection (a fault rule)',
      now(),
    );
  }
}
