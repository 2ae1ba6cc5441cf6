import type { ServerState, ServerStatus } from '../core/server-status.js';

export type StatusListener = (name: string, status: ServerStatus, previous: ServerState) => void;

/** A server's run state; every change of state is reported (the terminal prints it). */
export class StatusTracker {
  readonly #name: string;
  readonly #listener: StatusListener;
  #status: ServerStatus;

  constructor(name: string, listener: StatusListener) {
    this.#name = name;
    this.#listener = listener;
    this.#status = { state: 'stopped', since: Date.now(), restarts: 0, lastError: null };
  }

  get current(): ServerStatus {
    return { ...this.#status };
  }

  get state(): ServerState {
    return this.#status.state;
  }

  /** Moves to `state` with `details`; fields not given keep their value. */
  set(state: ServerState, details: Partial<ServerStatus> = {}): void {
    const previous = this.#status.state;
    const since = state === previous ? this.#status.since : Date.now();
    this.#status = { ...this.#status, ...details, state, since };
    if (state !== previous) this.#listener(this.#name, this.current, previous);
  }

  /** Changes details without a change of state (and without a report). */
  update(details: Partial<ServerStatus>): void {
    this.#status = { ...this.#status, ...details };
  }
}
