import type { ServerResponse } from 'node:http';
import type { RecordOrigin } from '../core/record.js';
import { answerTo, droppedAnswer, statusAnswer } from '../intercept/answers.js';
import type { MessageStage } from '../intercept/stage.js';
import { idOf, type StageContext, stagedMessage } from '../intercept/staged-message.js';
import type { ExchangeCapture } from './exchange-capture.js';

export interface StagedRequestDeps {
  stage: MessageStage;
  /** Sends the request on (as it came, or edited) the way the proxy forwards any request. */
  forward(body: Buffer, text: string, origin: RecordOrigin | undefined): void;
  /** Starts the capture of the exchange as the client sent it, for answers the gateway gives itself. */
  capture(): ExchangeCapture;
}

/**
 * A client's message at the message stage (intercept/stage.ts), on its way to any server: it may be held,
 * edited, answered in the server's place, dropped, or its connection cut. The HTTP proxy calls this only
 * when the stage is armed; a client that goes away while its message is held ends the hold.
 */
export function stageRequest(
  res: ServerResponse,
  context: StageContext,
  body: Buffer,
  text: string,
  value: unknown,
  deps: StagedRequestDeps,
): void {
  const gone = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) gone.abort();
  };
  res.on('close', onClose);
  const message = stagedMessage(context, text, value);
  message.signal = gone.signal;
  void deps.stage.run(message).then((verdict) => {
    res.off('close', onClose);
    if (gone.signal.aborted || res.destroyed) {
      deps.capture().end('the client went away while the gateway held its message; it was not forwarded');
      return;
    }
    const id = idOf(message);
    const isRequest = message.shape.kind === 'request';
    switch (verdict.action) {
      case 'pass':
        deps.forward(body, text, undefined);
        return;
      case 'edit': {
        const edited = JSON.stringify(verdict.message);
        deps.forward(Buffer.from(edited), edited, 'edited');
        return;
      }
      case 'reply':
        if (isRequest) answer(res, deps.capture(), 200, answerTo(id, verdict.message), verdict.note);
        else answer(res, deps.capture(), 202, null);
        return;
      case 'drop':
        answer(
          res,
          deps.capture(),
          isRequest ? 200 : 202,
          isRequest ? droppedAnswer(id, verdict.reason) : null,
        );
        return;
      case 'status':
        answer(
          res,
          deps.capture(),
          verdict.status,
          verdict.message ?? statusAnswer(id, verdict.status),
          verdict.note,
        );
        return;
      case 'cut': {
        const capture = deps.capture();
        res.destroy();
        capture.end('the gateway cut the connection (a fault rule)');
        return;
      }
    }
  });
}

/** Answers the client in the server's place; the record of the answer says the gateway wrote it. */
export function answer(
  res: ServerResponse,
  capture: ExchangeCapture,
  status: number,
  value: unknown,
  note?: string,
): void {
  const body = value === null ? null : Buffer.from(JSON.stringify(value));
  const headers: Record<string, string> = body
    ? { 'content-type': 'application/json', 'content-length': String(body.length) }
    : {};
  res.writeHead(status, headers);
  res.end(body);
  capture.responseStart(status, headers, body ? 'json' : 'none', 'gateway', undefined, note);
  if (body) capture.chunk(body, undefined, 'injected');
  capture.end(null);
}
