import {
  createdTaskId,
  declaredClient,
  endsTask,
  isInputRequired,
  MRTR_METHODS,
  paramsOf,
  resultOf,
  retryOf,
  targetOf,
  taskIdOf,
} from '../core/operations.js';
import type { LinkKind } from '../core/record.js';
import type { MessageDraft } from './draft.js';

/** An answered round of a multi-round-trip request, waiting for the client's retry. */
interface Round {
  request: MessageDraft;
  /** When the operation's first round was sent. */
  start: number;
  /** The session and the client the request declared: two clients may be handed the same requestState. */
  conversation: string;
  stateKey: string | null;
  callKey: string;
}

/** A task, by the request whose result created it. */
interface Task {
  request: MessageDraft;
  start: number;
}

function ms(from: number, to: number): number {
  return Math.max(0, Math.round((to - from) * 1000) / 1000);
}

/** Removes `item` from the bucket under `key`, dropping the bucket when it empties. */
function unfile<T>(buckets: Map<string, T[]>, key: string, item: T): void {
  const bucket = buckets.get(key);
  if (!bucket) return;
  const at = bucket.indexOf(item);
  if (at >= 0) bucket.splice(at, 1);
  if (bucket.length === 0) buckets.delete(key);
}

function file<T>(buckets: Map<string, T[]>, key: string, item: T): void {
  const bucket = buckets.get(key);
  if (bucket) bucket.push(item);
  else buckets.set(key, [item]);
}

/**
 * Links the messages of one operation: each MRTR retry to the round before it, each task message to the
 * request that created the task, and stamps the operation's total time on its last answer. Bounded: at
 * most `capacity` rounds waiting for a retry and `capacity` tasks are remembered, the oldest forgotten
 * first (a client need not retry, MRTR "Server Requirements" 8; tasks expire by their ttl).
 */
export class OperationLinks {
  readonly #capacity: number;
  /** Rounds answered `input_required`, oldest first. */
  readonly #rounds = new Set<Round>();
  /** By server, method and the `requestState` the retry must echo (MRTR "Client Requirements" 2). */
  readonly #byState = new Map<string, Round[]>();
  /** By server, client conversation, method and target: for rounds whose retry carries no requestState. */
  readonly #byCall = new Map<string, Round[]>();
  /** By server and task id, oldest first. */
  readonly #tasks = new Map<string, Task>();
  /** Requests that continue an operation, with the time it started (weak: gone with their draft). */
  readonly #continuing = new WeakMap<MessageDraft, { start: number; kind: LinkKind }>();
  /** The conversation a request that may be answered `input_required` came from, as it was sent. */
  readonly #conversations = new WeakMap<MessageDraft, string>();

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  /** A request or notification on its way to the store: linked to what it continues, if anything. */
  message(draft: MessageDraft): void {
    const { record, shape, value } = draft;
    if (shape.kind !== 'request' && shape.kind !== 'notification') return;
    const params = paramsOf(value);
    const taskId = taskIdOf(record.method, params);
    if (taskId !== null) {
      const task = this.#tasks.get(`${record.server}\u0000${taskId}`);
      if (task) this.#link(draft, task.request, 'task', task.start);
      return;
    }
    if (shape.kind !== 'request' || record.direction !== 'client_to_server') return;
    if (record.method === null || !MRTR_METHODS.has(record.method)) return;
    const conversation = conversationOf(draft);
    this.#conversations.set(draft, conversation);
    const retry = retryOf(params);
    if (!retry) return;
    const round =
      retry.requestState !== null
        ? this.#byRequestState(stateKey(record.server, record.method, retry.requestState), conversation)
        : this.#byCall.get(callKey(record.server, conversation, record.method, targetOf(params)))?.at(-1);
    if (!round) return;
    this.#forget(round);
    this.#link(draft, round.request, 'mrtr-retry', round.start);
  }

  /** `response` answered `request`: a round to continue, a task created, or the end of an operation. */
  answered(request: MessageDraft, response: MessageDraft): void {
    const result = response.shape.kind === 'response' ? resultOf(response.value) : null;
    const continuing = this.#continuing.get(request);
    const { method, server } = request.record;
    if (isInputRequired(result) && method !== null && MRTR_METHODS.has(method)) {
      const params = paramsOf(request.value);
      const conversation = this.#conversations.get(request) ?? conversationOf(request);
      const state = typeof result?.requestState === 'string' ? result.requestState : null;
      this.#remember({
        request,
        start: continuing?.kind === 'mrtr-retry' ? continuing.start : request.record.time,
        conversation,
        stateKey: state === null ? null : stateKey(server, method, state),
        callKey: callKey(server, conversation, method, targetOf(params)),
      });
      return;
    }
    if (continuing?.kind === 'mrtr-retry' || (continuing && endsTask(method, result))) {
      response.record.operationMs = ms(continuing.start, response.record.time);
    }
    const taskId = createdTaskId(result);
    if (taskId !== null && !method?.startsWith('tasks/')) {
      const start = continuing?.kind === 'mrtr-retry' ? continuing.start : request.record.time;
      const key = `${server}\u0000${taskId}`;
      this.#tasks.delete(key);
      this.#tasks.set(key, { request, start });
      if (this.#tasks.size > this.#capacity) {
        const oldest = this.#tasks.keys().next().value;
        if (oldest !== undefined) this.#tasks.delete(oldest);
      }
    }
  }

  /** Rounds waiting for a retry and tasks remembered (for tests and diagnostics). */
  get size(): { rounds: number; tasks: number } {
    return { rounds: this.#rounds.size, tasks: this.#tasks.size };
  }

  #link(draft: MessageDraft, to: MessageDraft, kind: LinkKind, start: number): void {
    draft.record.linkedId = to.id;
    draft.record.linkKind = kind;
    this.#continuing.set(draft, { start, kind });
  }

  /** The latest round that handed out this requestState, the same conversation's first. */
  #byRequestState(key: string, conversation: string): Round | undefined {
    const rounds = this.#byState.get(key);
    if (!rounds) return undefined;
    for (let i = rounds.length - 1; i >= 0; i--) {
      const round = rounds[i] as Round;
      if (round.conversation === conversation) return round;
    }
    return rounds.at(-1);
  }

  #remember(round: Round): void {
    this.#rounds.add(round);
    if (round.stateKey !== null) file(this.#byState, round.stateKey, round);
    file(this.#byCall, round.callKey, round);
    if (this.#rounds.size > this.#capacity) {
      const oldest = this.#rounds.values().next().value;
      if (oldest) this.#forget(oldest);
    }
  }

  #forget(round: Round): void {
    this.#rounds.delete(round);
    if (round.stateKey !== null) unfile(this.#byState, round.stateKey, round);
    unfile(this.#byCall, round.callKey, round);
  }
}

/** The session (when there is one) and the client a 2026-07-28 request declares in its `_meta`. */
function conversationOf(draft: MessageDraft): string {
  return `${draft.record.sessionId ?? ''}\u0000${declaredClient(paramsOf(draft.value))}`;
}

function stateKey(server: string, method: string, requestState: string): string {
  return `${server}\u0000${method}\u0000${requestState}`;
}

function callKey(server: string, conversation: string, method: string, target: string): string {
  return `${server}\u0000${conversation}\u0000${method}\u0000${target}`;
}
