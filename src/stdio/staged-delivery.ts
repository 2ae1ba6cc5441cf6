import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { RecordOrigin } from '../core/record.js';
import { answerTo, droppedAnswer } from '../intercept/answers.js';
import { idOf, stagedMessage } from '../intercept/staged-message.js';
import type { StdioCapture } from './stdio-capture.js';

export interface Delivery {
  capture: StdioCapture;
  sessionId: string;
  clientName: string | null;
  /** For an answer: the method of the client's request it answers. */
  answers: string | null;
  /** Sends a message on to the client (recorded as it goes, with what the gateway did to it). */
  send(message: JSONRPCMessage, text: string, origin?: RecordOrigin): void;
  /** Answers the server's own request in the client's place (elicitation, sampling, roots). */
  answerServer(message: JSONRPCMessage, text: string): void;
  /** Ends the SSE stream the message would travel on (a fault rule's cut), where the session has one. */
  cut?(): void;
}

/**
 * What a stdio server sends a client, at the message stage (intercept/stage.ts). Returns false when the
 * stage is not armed: the caller delivers as always, and this one check is all it cost. Otherwise the
 * verdict decides, later: a request of the server (elicitation) that is dropped or answered gets its answer
 * from the gateway in the client's place; an answer that is dropped reaches the client as the gateway's
 * JSON-RPC error, so no client waits for it forever.
 */
export function stageDelivery(delivery: Delivery, message: JSONRPCMessage, text: string): boolean {
  const stage = delivery.capture.stage;
  if (!stage?.armed) return false;
  const staged = stagedMessage(
    {
      server: delivery.capture.server,
      direction: 'server_to_client',
      sessionId: delivery.sessionId,
      transport: 'stdio',
      clientName: delivery.clientName,
      answers: delivery.answers,
    },
    text,
    message,
  );
  void stage.run(staged).then((verdict) => {
    if (verdict.action === 'cut' && delivery.cut) {
      // The message never goes out; its client sees the stream end, as when a server's connection drops.
      delivery.cut();
      delivery.capture.note(
        delivery.sessionId,
        `the gateway cut the SSE stream before a ${staged.shape.method ?? staged.shape.kind} (a fault rule)`,
      );
      return;
    }
    const id = idOf(staged);
    const kind = staged.shape.kind;
    const send = (value: unknown, origin: RecordOrigin) =>
      delivery.send(value as JSONRPCMessage, JSON.stringify(value), origin);
    const toServer = (value: unknown) =>
      delivery.answerServer(value as JSONRPCMessage, JSON.stringify(value));
    switch (verdict.action) {
      case 'pass':
        delivery.send(message, text);
        return;
      case 'edit':
        send(verdict.message, 'edited');
        return;
      case 'reply':
        if (kind === 'request') toServer(answerTo(id, verdict.message));
        else send(answerTo(id, verdict.message), 'injected');
        return;
      default: {
        // drop, and what a stdio line cannot have (an HTTP status, a cut connection): it does not arrive.
        const reason = verdict.action === 'drop' ? verdict.reason : `a fault rule's ${verdict.action}`;
        if (kind === 'request') toServer(droppedAnswer(id, reason));
        else if (kind === 'response' || kind === 'error') send(droppedAnswer(id, reason), 'injected');
        else
          delivery.capture.note(
            delivery.sessionId,
            `the gateway dropped a ${staged.shape.method ?? 'message'} for the client (${reason ?? 'a breakpoint'})`,
          );
      }
    }
  });
  return true;
}
