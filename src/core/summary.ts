import { previewJson } from './json-text.js';
import type { MessageShape } from './jsonrpc.js';
import { clipLine } from './one-line.js';

/**
 * One short line a human can scan in a table: "echo(message: hi)", "12 tools: a, b, +10". Summaries never
 * throw: whatever shape a message has, something readable comes out.
 */

const MAX = 120;

/** JSON shown inside a summary: bounded in length and depth, whatever the payload (see core/json-text.ts). */
const preview = (value: unknown) => previewJson(value, MAX * 2);

function clip(text: string, max = MAX): string {
  return clipLine(text, max);
}

function asObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function brief(value: unknown): string {
  if (typeof value === 'string') return clip(value, 40);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (Array.isArray(value)) return `[${value.length}]`;
  return '{…}';
}

function callSignature(name: string, args: unknown): string {
  const object = asObject(args);
  if (!object) return `${name}()`;
  const parts = Object.entries(object).map(([key, value]) => `${key}: ${brief(value)}`);
  return clip(`${name}(${parts.join(', ')})`);
}

function namedList(noun: string, items: unknown, key: string): string {
  if (!Array.isArray(items)) return noun;
  const names = items.map((item) => String(asObject(item)?.[key] ?? '?'));
  const shown = names.slice(0, 2).join(', ');
  const more = names.length > 2 ? `, +${names.length - 2}` : '';
  const plural = items.length === 1 ? noun : `${noun}s`;
  return clip(`${items.length} ${plural}${shown ? `: ${shown}${more}` : ''}`);
}

function contentText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  // The length the parts joined would have, counted rather than joined after each part.
  let length = -1;
  for (const item of content) {
    const object = asObject(item);
    if (!object) continue;
    const part =
      object.type === 'text' && typeof object.text === 'string'
        ? object.text
        : `[${String(object.type ?? 'item')}]`;
    parts.push(part);
    length += part.length + 1;
    if (length > MAX) break;
  }
  return parts.join(' ');
}

/** The text of the last message of a sampling request, if it is text. */
function lastMessageText(messages: unknown): string | undefined {
  if (!Array.isArray(messages)) return undefined;
  const text = asObject(asObject(messages[messages.length - 1])?.content)?.text;
  return typeof text === 'string' ? text : undefined;
}

function summarizeRequest(method: string, params: Record<string, unknown> | null): string {
  switch (method) {
    case 'initialize': {
      const client = asObject(params?.clientInfo);
      const who = client ? `${String(client.name ?? '?')} ${String(client.version ?? '')}`.trim() : 'client';
      return clip(`initialize ${who} (protocol ${String(params?.protocolVersion ?? '?')})`);
    }
    case 'tools/call':
      if (typeof params?.name !== 'string') return method;
      return callSignature(params.name, params.arguments);
    case 'prompts/get':
      if (typeof params?.name !== 'string') return method;
      return callSignature(`prompt ${params.name}`, params.arguments);
    case 'resources/read':
    case 'resources/subscribe':
    case 'resources/unsubscribe':
      return clip(`${method.split('/')[1]} ${String(params?.uri ?? '?')}`);
    case 'sampling/createMessage': {
      const messages = Array.isArray(params?.messages) ? params.messages : [];
      const text = lastMessageText(messages);
      return clip(`sample: ${text ?? `${messages.length} messages`}`);
    }
    case 'elicitation/create':
      return clip(`elicit: ${String(params?.message ?? '')}`);
    case 'notifications/progress': {
      const total = params?.total !== undefined ? `/${String(params.total)}` : '';
      const message = typeof params?.message === 'string' ? ` ${params.message}` : '';
      return clip(`progress ${String(params?.progress ?? '?')}${total}${message}`);
    }
    case 'notifications/message':
      return clip(
        `[${String(params?.level ?? 'log')}] ${typeof params?.data === 'string' ? params.data : preview(params?.data ?? '')}`,
      );
    case 'notifications/cancelled':
      return clip(
        `cancel request ${String(params?.requestId ?? '?')}${params?.reason ? `: ${String(params.reason)}` : ''}`,
      );
    case 'notifications/resources/updated':
      return clip(`updated ${String(params?.uri ?? '?')}`);
    default:
      return params && Object.keys(params).length > 0 ? callSignature(method, params) : method;
  }
}

/**
 * `_meta` is the envelope (MCP Basic, "_meta"; in 2026-07-28 it carries the protocol version, capabilities
 * and clientInfo of every request): what the message says is in the other params.
 */
function withoutEnvelope(params: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!params || !('_meta' in params)) return params;
  const { _meta: _envelope, ...rest } = params;
  return rest;
}

/** MCP 2026-07-28 multi-round-trip requests: what the server asks the client for before it answers. */
function inputRequired(object: Record<string, unknown>): string {
  const requests = asObject(object.inputRequests);
  const asked = Object.entries(requests ?? {}).map(([key, value]) => {
    const request = asObject(value);
    const params = asObject(request?.params);
    // An elicitation says what it asks in `message`; a sampling request in its last message.
    const message = params?.message ?? lastMessageText(params?.messages);
    const what = typeof message === 'string' ? `: ${message}` : '';
    return `${key} (${String(request?.method ?? '?')}${what})`;
  });
  return clip(`input required${asked.length > 0 ? `: ${asked.join(', ')}` : ''}`);
}

/**
 * A result that hands back a task instead of the answer: 2025-11-25's CreateTaskResult (`task`), the
 * 2026-07-28 tasks extension's (`resultType: "task"`, the task's fields inline). The answers of the task
 * methods themselves show the task's state the same way.
 */
function createdTask(method: string | null, object: Record<string, unknown>): string | null {
  const task =
    asObject(object.task) ?? (object.resultType === 'task' || method?.startsWith('tasks/') ? object : null);
  if (typeof task?.taskId !== 'string' || typeof task.status !== 'string') return null;
  const message = typeof task.statusMessage === 'string' ? `: ${task.statusMessage}` : '';
  return clip(`task ${brief(task.taskId)} ${task.status}${message}`);
}

function summarizeResult(method: string | null, result: unknown): string {
  const object = asObject(result);
  if (!object) return clip(`result ${brief(result)}`);
  if (object.resultType === 'input_required') return inputRequired(object);
  const created = createdTask(method, object);
  if (created) return created;
  switch (method) {
    case 'initialize': {
      const server = asObject(object.serverInfo);
      const who = server ? `${String(server.name ?? '?')} ${String(server.version ?? '')}`.trim() : 'server';
      return clip(`${who} (protocol ${String(object.protocolVersion ?? '?')})`);
    }
    case 'tools/list':
      return namedList('tool', object.tools, 'name');
    case 'prompts/list':
      return namedList('prompt', object.prompts, 'name');
    case 'resources/list':
      return namedList('resource', object.resources, 'uri');
    case 'resources/templates/list':
      return namedList('template', object.resourceTemplates, 'uriTemplate');
    case 'resources/read':
      return namedList('content', object.contents, 'uri');
    case 'tools/call': {
      const text = contentText(object.content);
      const prefix = object.isError === true ? 'tool error: ' : '';
      if (text) return clip(prefix + text);
      return clip(prefix + (object.structuredContent ? preview(object.structuredContent) : 'empty result'));
    }
    case 'prompts/get': {
      const messages = Array.isArray(object.messages) ? object.messages.length : 0;
      return `${messages} message${messages === 1 ? '' : 's'}`;
    }
    case 'sampling/createMessage':
      return clip(`sampled: ${contentText([object.content]) || String(object.model ?? '')}`);
    case 'elicitation/create':
      return clip(
        `${String(object.action ?? 'answered')}${object.content ? ` ${preview(object.content)}` : ''}`,
      );
    default: {
      // Neither the envelope nor 2026's resultType ("complete") says anything about the answer.
      const keys = Object.keys(object).filter((key) => key !== '_meta' && key !== 'resultType');
      return keys.length === 0 ? 'ok' : clip(`result {${keys.join(', ')}}`);
    }
  }
}

/**
 * `value` is the parsed message; `answeredMethod` is, for responses and errors, the method of the request
 * they answer (when known).
 */
export function summarizeMessage(shape: MessageShape, value: unknown, answeredMethod: string | null): string {
  const object = asObject(value);
  switch (shape.kind) {
    case 'request':
    case 'notification':
      return summarizeRequest(shape.method ?? '?', withoutEnvelope(asObject(object?.params)));
    case 'response':
      return summarizeResult(answeredMethod, object?.result);
    case 'error':
      return clip(`error ${shape.errorCode ?? '?'}: ${shape.errorMessage ?? ''}`);
    default:
      return summarizeText(typeof value === 'string' ? value : preview(value));
  }
}

/** For what is not JSON-RPC: the start of the text, on one line. */
export function summarizeText(text: string): string {
  return clip(text) || '(empty)';
}
