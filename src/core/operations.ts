/**
 * What a message says about the multi-message operation it belongs to: a multi-round-trip request
 * (MCP 2026-07-28, basic/patterns/mrtr) or a task (MCP 2025-11-25 basic/utilities/tasks; the 2026-07-28
 * tasks extension, SEP-2663). Pure readers of parsed messages; capture/operation-links.ts keeps the state.
 */

/** `_meta` key that ties a 2025-11-25 task's messages to it ("Related Task Metadata"). */
const RELATED_TASK = 'io.modelcontextprotocol/related-task';
/** `_meta` key with the 2026-07-28 client's identity, sent on every request. */
const CLIENT_INFO = 'io.modelcontextprotocol/clientInfo';

/** The requests a server may answer with an InputRequiredResult (MRTR, "Supported Requests"). */
export const MRTR_METHODS: ReadonlySet<string> = new Set(['tools/call', 'prompts/get', 'resources/read']);

/** Task states after which nothing changes (2025-11-25 "Task Status Lifecycle"; same in the extension). */
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

function asObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

export function paramsOf(message: unknown): Record<string, unknown> | null {
  return asObject(asObject(message)?.params);
}

export function resultOf(message: unknown): Record<string, unknown> | null {
  return asObject(asObject(message)?.result);
}

/** An answer that asks the client for input before the request can complete. */
export function isInputRequired(result: Record<string, unknown> | null): boolean {
  return result?.resultType === 'input_required';
}

/**
 * What marks a request as the retry of an earlier round: the client echoes `requestState` and sends
 * `inputResponses` (MRTR "Client Requirements"; at least one of the two, since every InputRequiredResult
 * carries `inputRequests` or `requestState`).
 */
export function retryOf(params: Record<string, unknown> | null): { requestState: string | null } | null {
  if (!params) return null;
  const requestState = typeof params.requestState === 'string' ? params.requestState : null;
  if (requestState === null && asObject(params.inputResponses) === null) return null;
  return { requestState };
}

/** What a request acts on: the tool or prompt name, or the resource URI. */
export function targetOf(params: Record<string, unknown> | null): string {
  const target = params?.name ?? params?.uri;
  return typeof target === 'string' ? target : '';
}

/** The client a 2026-07-28 request says it comes from (its `_meta` envelope), as one string. */
export function declaredClient(params: Record<string, unknown> | null): string {
  const info = asObject(asObject(params?._meta)?.[CLIENT_INFO]);
  if (!info) return '';
  return `${String(info.name ?? '')}/${String(info.version ?? '')}`;
}

/**
 * The task a result creates: 2025-11-25's CreateTaskResult carries `task.taskId`; the 2026-07-28
 * extension's is flat, `resultType: "task"` with `taskId`.
 */
export function createdTaskId(result: Record<string, unknown> | null): string | null {
  if (!result) return null;
  const nested = asObject(result.task)?.taskId;
  if (typeof nested === 'string') return nested;
  return result.resultType === 'task' && typeof result.taskId === 'string' ? result.taskId : null;
}

/** Task methods (and the status notifications) name their task in `params.taskId`. */
export function isTaskMethod(method: string | null): boolean {
  return method !== null && (method.startsWith('tasks/') || method.startsWith('notifications/tasks'));
}

/**
 * The task a request or notification concerns: `params.taskId` for the task methods and status
 * notifications, else the related-task `_meta` a 2025-11-25 task's side requests carry.
 */
export function taskIdOf(method: string | null, params: Record<string, unknown> | null): string | null {
  if (isTaskMethod(method)) return typeof params?.taskId === 'string' ? params.taskId : null;
  const related = asObject(asObject(params?._meta)?.[RELATED_TASK])?.taskId;
  return typeof related === 'string' ? related : null;
}

/**
 * Whether an answer to a task request carries the task's outcome: `tasks/result` (2025-11-25), or a
 * `tasks/get` in a terminal state with the `result` or `error` inlined (the 2026-07-28 extension; a
 * 2025-11-25 `tasks/get` only reports the status, its outcome comes with `tasks/result`).
 */
export function endsTask(method: string | null, result: Record<string, unknown> | null): boolean {
  if (method === 'tasks/result') return true;
  if (method !== 'tasks/get' || !result || typeof result.status !== 'string') return false;
  return TERMINAL.has(result.status) && ('result' in result || 'error' in result);
}
