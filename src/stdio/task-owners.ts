import { randomUUID } from 'node:crypto';
import { RELATED_TASK_META_KEY } from '@modelcontextprotocol/sdk/types.js';
import { asObject, type JsonObject, param, withParam } from './messages.js';
import type { PendingRequest } from './request-table.js';
import type { SessionPeer } from './session-peer.js';

/** Task ids remembered per process (see remember). */
const MAX_TASKS = 10_000;
/** Status notifications for tasks whose creation has not been answered yet. */
const MAX_HELD = 100;
/** Lookups of another session's task waiting for their answer (unanswered ones are dropped oldest first). */
const MAX_STAND_INS = 1000;

/** Requests that name one task by `params.taskId` (MCP 2025-11-25, "Tasks"). */
const TASK_LOOKUPS = new Set(['tasks/get', 'tasks/result', 'tasks/cancel']);

/** Where a stand-in task id starts: no server hands out ids like it. */
const STAND_IN = 'mcp-gateway-unknown-task-';

export interface HeldNotification {
  message: JsonObject;
  text: string;
}

/**
 * MCP tasks (2025-11-25, "Tasks") in a process shared by several sessions. A server keeps tasks per
 * connection, and the gateway is its one connection, so the gateway keeps them per session: a task
 * belongs to the session whose task-augmented request created it (`params.task` in the request,
 * `result.task.taskId` in the answer). A session lists only its own tasks, and asking about another's
 * gets exactly what the server says about a task that does not exist: the request goes on with a
 * stand-in id no task has, and the stand-in is swapped back in the answer. Status notifications and
 * messages tied to a task (`_meta["io.modelcontextprotocol/related-task"]`) go to its session only.
 */
export class TaskOwners {
  readonly #owners = new Map<string, SessionPeer>();
  /** Tasks the clients hold, created by the server's task-augmented requests (sampling, elicitation). */
  readonly #clientTasks = new Map<string, SessionPeer>();
  readonly #standIns = new Map<string, string>();
  #held: HeldNotification[] = [];

  ownerOf(taskId: unknown): SessionPeer | undefined {
    return typeof taskId === 'string' ? this.#owners.get(taskId) : undefined;
  }

  /** The task a server message is about (a status, or related-task metadata), if it names one. */
  taskOf(message: JsonObject): string | undefined {
    const taskId =
      message.method === 'notifications/tasks/status'
        ? param(message, 'taskId')
        : asObject(asObject(asObject(message.params)?._meta)?.[RELATED_TASK_META_KEY])?.taskId;
    return typeof taskId === 'string' ? taskId : undefined;
  }

  /** The server asks its client about a task: the session holding it (undefined: not a task lookup). */
  clientTaskHolder(message: JsonObject): SessionPeer | null | undefined {
    if (!TASK_LOOKUPS.has(String(message.method))) return undefined;
    const taskId = param(message, 'taskId');
    return (typeof taskId === 'string' ? this.#clientTasks.get(taskId) : undefined) ?? null;
  }

  /** A session answered the server's task-augmented request, creating a task (`result.task.taskId`). */
  clientCreated(session: SessionPeer, answer: JsonObject): void {
    const taskId = asObject(asObject(answer.result)?.task)?.taskId;
    if (typeof taskId === 'string') remember(this.#clientTasks, taskId, session);
  }

  /** A session's request as it goes to the server: a lookup of a task it does not own names no task. */
  outgoing(session: SessionPeer, message: JsonObject): JsonObject {
    if (!TASK_LOOKUPS.has(String(message.method))) return message;
    const taskId = param(message, 'taskId');
    if (typeof taskId !== 'string' || this.#owners.get(taskId) === session) return message;
    const standIn = `${STAND_IN}${randomUUID()}`;
    this.#standIns.set(standIn, taskId);
    // Lookups that are never answered (timeout, crash) leave their stand-in behind: keep only the newest.
    for (const oldest of this.#standIns.keys()) {
      if (this.#standIns.size <= MAX_STAND_INS) break;
      this.#standIns.delete(oldest);
    }
    return withParam(message, 'taskId', standIn);
  }

  /**
   * The server's answer to a session's request, as the session gets it: a task it created is noted as
   * its own, a list keeps only its own tasks, a stand-in id is swapped back. Returns the answer (the same
   * object when unchanged) and the held status notifications of a task it now owns.
   */
  answered(request: PendingRequest, message: JsonObject): { message: JsonObject; held: HeldNotification[] } {
    const result = asObject(message.result);
    const created = asObject(result?.task)?.taskId;
    if (asObject(request.params?.task) && typeof created === 'string') {
      remember(this.#owners, created, request.session);
      return { message, held: this.#claim(created) };
    }
    if (request.method === 'tasks/list' && result && Array.isArray(result.tasks)) {
      const own = result.tasks.filter((task) => this.ownerOf(asObject(task)?.taskId) === request.session);
      return { message: { ...message, result: { ...result, tasks: own } }, held: [] };
    }
    const standIn = request.params?.taskId;
    const taskId = typeof standIn === 'string' ? this.#standIns.get(standIn) : undefined;
    if (taskId === undefined) return { message, held: [] };
    this.#standIns.delete(standIn as string);
    // The stand-in may appear in any string of the answer (an error message); the id goes back JSON-escaped.
    const escaped = JSON.stringify(taskId).slice(1, -1);
    const restored = JSON.stringify(message)
      .split(standIn as string)
      .join(escaped);
    return { message: JSON.parse(restored) as JsonObject, held: [] };
  }

  /**
   * A status notification for a task no session owns yet: the server may report on a task before its
   * creation is answered. Kept until then; returns what no longer fits (to be recorded as not forwarded).
   */
  hold(notification: HeldNotification): HeldNotification[] {
    this.#held.push(notification);
    return this.#held.length > MAX_HELD ? this.#held.splice(0, this.#held.length - MAX_HELD) : [];
  }

  /** A session ended: its tasks are nobody's any more, and no other session can reach them. */
  forget(session: SessionPeer): void {
    for (const owners of [this.#owners, this.#clientTasks]) {
      for (const [taskId, owner] of owners) if (owner === session) owners.delete(taskId);
    }
  }

  #claim(taskId: string): HeldNotification[] {
    const mine = this.#held.filter((h) => param(h.message, 'taskId') === taskId);
    if (mine.length > 0) this.#held = this.#held.filter((h) => !mine.includes(h));
    return mine;
  }
}

/** Notes the task's owner; past MAX_TASKS the oldest are forgotten (their tasks become unreachable). */
function remember(owners: Map<string, SessionPeer>, taskId: string, session: SessionPeer): void {
  owners.set(taskId, session);
  for (const oldest of owners.keys()) {
    if (owners.size <= MAX_TASKS) break;
    owners.delete(oldest);
  }
}
