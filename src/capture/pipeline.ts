import type { UpstreamLeg } from '../core/capture-events.js';
import type { SessionInfo } from '../core/session.js';
import type { MessageDraft } from './draft.js';
import type { CapturePolicy } from './policy.js';

/**
 * A capture listener is a small object with hook-named methods, called in the order of the list the
 * pipeline is built from. Each does one job (redact, describe, store, feed, tally).
 */
export interface CaptureListener {
  readonly name: string;
  /** The capture policy changed (a hand edit of mcp.json); the messages after this follow the new one. */
  configure?(policy: CapturePolicy): void;
  /** Each message, in the order it was captured. */
  message?(draft: MessageDraft): void;
  /** A stored request's exchange was answered: its HTTP status (and session, for initialize) are now known. */
  requestCompleted?(draft: MessageDraft, httpStatus: number | null, sessionId: string | null): void;
  /**
   * A stored request learnt who answered it: the server named itself in its answer (`serverInfo`), after
   * the request was stored without that name.
   */
  identified?(draft: MessageDraft): void;
  /**
   * A request was answered: called once the answer has been through `message` (so it is redacted,
   * described, stored), with its request. `leg`: when the request went to the upstream and its answer came
   * back, where the proxy timed it; with the two records' times it splits the request's time between the
   * gateway and the upstream. Spans, audit lines and metrics are built here.
   */
  answered?(request: MessageDraft, response: MessageDraft, leg: UpstreamLeg | null): void;
  /** A session finished its initialize handshake. */
  session?(info: SessionInfo): void;
  /** The capture worker is closing: flush what is buffered (bounded; the worker waits for it). */
  done?(): Promise<void> | void;
  /** The end of one batch of events (one transaction). */
  batchEnd?(): void;
}

/**
 * Runs listeners in order. A listener that throws is reported and the others still run: one broken
 * listener must not stop capture of everything else (the store listener has its own failure policy).
 */
export class CapturePipeline {
  readonly #listeners: readonly CaptureListener[];
  readonly #report: (listener: string, error: unknown) => void;

  constructor(listeners: readonly CaptureListener[], report: (listener: string, error: unknown) => void) {
    this.#listeners = listeners;
    this.#report = report;
  }

  configure(policy: CapturePolicy): void {
    this.#each('configure', (listener) => listener.configure?.(policy));
  }

  message(draft: MessageDraft): void {
    this.#each('message', (listener) => listener.message?.(draft));
  }

  requestCompleted(draft: MessageDraft, httpStatus: number | null, sessionId: string | null): void {
    this.#each('requestCompleted', (listener) => listener.requestCompleted?.(draft, httpStatus, sessionId));
  }

  identified(draft: MessageDraft): void {
    this.#each('identified', (listener) => listener.identified?.(draft));
  }

  answered(request: MessageDraft, response: MessageDraft, leg: UpstreamLeg | null): void {
    this.#each('answered', (listener) => listener.answered?.(request, response, leg));
  }

  /** Lets every listener flush; one that fails is reported, the others still finish. */
  async done(): Promise<void> {
    await Promise.all(
      this.#listeners.map(async (listener) => {
        try {
          await listener.done?.();
        } catch (error) {
          this.#report(listener.name, error);
        }
      }),
    );
  }

  session(info: SessionInfo): void {
    this.#each('session', (listener) => listener.session?.(info));
  }

  batchEnd(): void {
    this.#each('batchEnd', (listener) => listener.batchEnd?.());
  }

  #each(
    hook: Exclude<keyof CaptureListener, 'name' | 'done'>,
    call: (listener: CaptureListener) => void,
  ): void {
    for (const listener of this.#listeners) {
      if (!listener[hook]) continue;
      try {
        call(listener);
      } catch (error) {
        this.#report(listener.name, error);
      }
    }
  }
}
