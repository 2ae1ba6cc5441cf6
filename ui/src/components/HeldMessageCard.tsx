import { useId, useState } from 'react';
import { errorMessage } from '../api';
import type { HeldMessage, ReleaseAction } from '../breakpoints-data';

type Editing = { action: 'forward' | 'reply'; text: string } | null;

function parseObject(text: string): { value: Record<string, unknown> } | { error: string } {
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { error: 'The message must be a JSON object.' };
    }
    return { value: value as Record<string, unknown> };
  } catch (error) {
    return { error: `Not valid JSON: ${(error as Error).message}` };
  }
}

/**
 * One held message: what it is, when its timeout releases it, and the four ways to let it go. Editing
 * opens a JSON editor (checked as you type); a reply starts from an empty result with the message's id.
 */
export function HeldMessageCard({
  held,
  now,
  onRelease,
}: {
  held: HeldMessage;
  now: number;
  onRelease: (action: ReleaseAction, message?: unknown) => Promise<void>;
}) {
  const [editing, setEditing] = useState<Editing>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editorId = useId();
  const headingId = useId();
  const left = Math.max(0, Math.ceil((held.releaseAt - Math.max(now, held.heldAt)) / 1000));
  const arrow = held.direction === 'client_to_server' ? '→' : '←';
  const title = `${held.server} ${arrow} ${held.summary || held.method || held.kind}`;

  const act = async (action: ReleaseAction, message?: unknown) => {
    setBusy(true);
    try {
      await onRelease(action, message);
    } catch (failure) {
      setError(errorMessage(failure));
      setBusy(false);
    }
  };
  const parsed = editing ? parseObject(editing.text) : null;
  const editorProblem = parsed && 'error' in parsed ? parsed.error : null;

  return (
    <article
      aria-labelledby={headingId}
      className="rounded-md border border-amber-300 bg-amber-50/60 p-3 text-xs dark:border-amber-700 dark:bg-amber-950/30"
      data-testid="held-message"
    >
      <div className="flex flex-wrap items-baseline gap-2">
        <h3 id={headingId} className="font-mono font-medium">
          #{held.id} {title}
        </h3>
        <span className="text-slate-600 dark:text-slate-400">
          {held.kind} ·{' '}
          {held.clientName ?? (held.sessionId ? `session ${held.sessionId.slice(0, 8)}` : 'no session')} ·{' '}
          {held.onTimeout === 'forward' ? 'forwarded' : 'failed'} in {left} s
        </span>
      </div>
      {editing ? (
        <div className="mt-2 flex flex-col gap-1">
          <label htmlFor={editorId} className="font-medium">
            {editing.action === 'reply' ? 'Reply to send in the other party’s place' : 'Message to forward'}
          </label>
          <textarea
            id={editorId}
            value={editing.text}
            onChange={(e) => setEditing({ ...editing, text: e.target.value })}
            rows={Math.min(20, editing.text.split('\n').length + 1)}
            spellCheck={false}
            aria-invalid={editorProblem ? true : undefined}
            className="w-full rounded border border-slate-300 bg-white p-2 font-mono dark:border-slate-700 dark:bg-slate-900"
          />
          {editorProblem ? (
            <p role="alert" className="text-red-700 dark:text-red-400">
              {editorProblem}
            </p>
          ) : null}
          <div className="flex gap-2">
            <button
              type="button"
              className="btn btn-primary btn-sm"
              disabled={busy || editorProblem !== null}
              onClick={() => parsed && 'value' in parsed && void act(editing.action, parsed.value)}
            >
              {editing.action === 'reply' ? 'Send reply' : 'Forward edited'}
            </button>
            <button type="button" className="btn btn-sm" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <>
          <pre className="mt-2 max-h-48 overflow-auto rounded bg-white p-2 font-mono dark:bg-slate-900">
            {JSON.stringify(held.message, null, 2)}
          </pre>
          <div className="mt-2 flex flex-wrap gap-2">
            <button
              type="button"
              className="btn btn-primary btn-sm"
              disabled={busy}
              onClick={() => void act('forward')}
            >
              Forward
            </button>
            <button
              type="button"
              className="btn btn-sm"
              disabled={busy}
              onClick={() => setEditing({ action: 'forward', text: JSON.stringify(held.message, null, 2) })}
            >
              Edit &amp; forward
            </button>
            <button
              type="button"
              className="btn btn-danger btn-sm"
              disabled={busy}
              onClick={() => void act('drop')}
            >
              Drop
            </button>
            {held.canReply ? (
              <button
                type="button"
                className="btn btn-sm"
                disabled={busy}
                onClick={() =>
                  setEditing({ action: 'reply', text: JSON.stringify({ result: { content: [] } }, null, 2) })
                }
              >
                Reply
              </button>
            ) : null}
          </div>
        </>
      )}
      {error ? (
        <p role="alert" className="mt-1 text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </article>
  );
}
