import { useId, useMemo, useState } from 'react';
import { useListedTools } from '../replay-data';
import { checkAgainstSchema, type SchemaProblem } from '../schema-check';
import type { CapturedRecord } from '../types';

/** What is wrong with the edited text: not JSON, not a JSON-RPC request of the same id, or arguments off the tool's schema. */
function problemsOf(
  text: string,
  original: CapturedRecord,
  schemaOf: (tool: string) => unknown | undefined,
): SchemaProblem[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return [{ path: '', message: `not JSON: ${(error as Error).message}` }];
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ path: '', message: 'must be one JSON-RPC request (a JSON object)' }];
  }
  const message = value as Record<string, unknown>;
  const problems: SchemaProblem[] = [];
  if (message.jsonrpc !== '2.0') problems.push({ path: '/jsonrpc', message: 'must be "2.0"' });
  if (typeof message.method !== 'string' || message.method === '') {
    problems.push({ path: '/method', message: 'must be a non-empty string' });
  }
  if (message.id !== undefined && message.id !== original.jsonrpcId) {
    problems.push({
      path: '/id',
      message: `must stay ${JSON.stringify(original.jsonrpcId)}, the original's id`,
    });
  }
  const params = message.params as Record<string, unknown> | undefined;
  if (message.method === 'tools/call' && typeof params?.name === 'string') {
    const schema = schemaOf(params.name);
    if (schema !== undefined) {
      for (const problem of checkAgainstSchema(params.arguments ?? {}, schema)) {
        problems.push({ path: `/params/arguments${problem.path}`, message: problem.message });
      }
    }
  }
  return problems;
}

/**
 * The request as editable JSON, checked as it is typed: JSON-RPC shape, the original's id, and for a
 * tools/call the arguments against the tool's inputSchema as the server listed it before this request.
 * Send stays off while anything is wrong, and the list says where.
 */
export function ReplayEditor({
  request,
  sending,
  onSend,
  onCancel,
}: {
  request: CapturedRecord;
  sending: boolean;
  onSend: (message: unknown) => void;
  onCancel: () => void;
}) {
  const ids = useId();
  const [text, setText] = useState(() => JSON.stringify(request.message, null, 2));
  const isCall = request.method === 'tools/call';
  const listed = useListedTools(request, isCall);
  const toolName = (() => {
    try {
      const name = (JSON.parse(text) as { params?: { name?: unknown } }).params?.name;
      return typeof name === 'string' ? name : null;
    } catch {
      return null;
    }
  })();
  const tool = listed.data?.tools.find((t) => t.name === toolName);
  const problems = useMemo(
    () => problemsOf(text, request, (name) => listed.data?.tools.find((t) => t.name === name)?.inputSchema),
    [text, request, listed.data],
  );
  const schemaNote = !isCall
    ? null
    : listed.isPending
      ? 'Looking for the tool list this server sent…'
      : tool && listed.data
        ? `Arguments are checked against the inputSchema of "${tool.name}" as the server listed it (record #${listed.data.recordId}).`
        : `No captured tools/list of "${request.server}" before this request lists "${toolName ?? '?'}": the arguments are not checked here.`;
  return (
    <form
      className="mb-3 rounded-md border border-slate-200 p-2 dark:border-slate-800"
      aria-label="Edit and resend"
      onSubmit={(event) => {
        event.preventDefault();
        if (problems.length === 0) onSend(JSON.parse(text));
      }}
    >
      <label className="field-label" htmlFor={`${ids}-message`}>
        Request to send (JSON-RPC; keep the id)
      </label>
      <textarea
        id={`${ids}-message`}
        value={text}
        onChange={(event) => setText(event.target.value)}
        spellCheck={false}
        rows={Math.min(18, Math.max(6, text.split('\n').length))}
        aria-invalid={problems.length > 0}
        aria-describedby={`${ids}-problems ${ids}-schema`}
        className="w-full rounded-md border border-slate-300 bg-white p-2 font-mono text-xs outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-100 aria-[invalid=true]:border-rose-500 dark:border-slate-700 dark:bg-slate-950"
      />
      {schemaNote ? (
        <p id={`${ids}-schema`} className="mt-1 text-[11px] text-slate-600 dark:text-slate-400">
          {schemaNote}
        </p>
      ) : null}
      <div id={`${ids}-problems`} aria-live="polite">
        {problems.length > 0 ? (
          <ul
            aria-label="Problems in the edit"
            className="mt-1 space-y-0.5 text-xs text-rose-700 dark:text-rose-400"
          >
            {problems.map((problem) => (
              <li key={`${problem.path}:${problem.message}`}>
                <span className="font-mono font-semibold">{problem.path || '(message)'}</span>{' '}
                {problem.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <div className="mt-2 flex gap-2">
        <button type="submit" className="btn btn-primary btn-sm" disabled={problems.length > 0 || sending}>
          {sending ? 'Sending…' : 'Send edited request'}
        </button>
        <button type="button" className="btn btn-sm" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
