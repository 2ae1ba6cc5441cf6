import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage, send } from '../api';
import { formatDuration } from '../format';
import type { ReplayAnswer } from '../replay-data';
import { linkClick, useLocation, withParams } from '../router';
import { useCan } from '../session';
import type { CapturedRecord } from '../types';
import { JsonDiffList } from './JsonDiffList';
import { ReplayEditor } from './ReplayEditor';

function RecordLink({ id, children }: { id: number; children: string }) {
  const url = useLocation();
  const to = withParams(url, { record: String(id) });
  return (
    <a
      href={to}
      onClick={linkClick(to)}
      className="inline-flex min-h-6 min-w-6 items-center text-sky-700 underline dark:text-sky-400"
    >
      {children}
    </a>
  );
}

function Side({ title, record, ms }: { title: string; record: CapturedRecord | null; ms: number | null }) {
  return (
    <section aria-label={title} className="min-w-0">
      <h4 className="mb-1 flex flex-wrap items-baseline gap-x-2 text-xs font-semibold">
        {title}
        {record ? <RecordLink id={record.id}>{`#${record.id}`}</RecordLink> : <span>(not captured)</span>}
        <span className="font-normal text-slate-600 dark:text-slate-400">
          {formatDuration(ms) || 'untimed'}
        </span>
      </h4>
      <pre className="max-h-64 overflow-auto rounded bg-slate-50 p-2 text-[11px] dark:bg-slate-900">
        {record ? JSON.stringify(record.message, null, 2) : '—'}
      </pre>
    </section>
  );
}

/** The replay's answer beside the original's, the structural diff of the two, and links to the new records. */
function ReplayResult({ answer }: { answer: ReplayAnswer }) {
  const { replay, original, durations } = answer;
  return (
    <section
      aria-label="Replay result"
      className="mb-3 rounded-md border border-slate-200 p-2 dark:border-slate-800"
    >
      <h3 className="mb-1 text-xs font-semibold">
        Replayed as{' '}
        {replay.request ? (
          <RecordLink id={replay.request.id}>{`request #${replay.request.id}`}</RecordLink>
        ) : (
          'a request'
        )}{' '}
        ({answer.session.mode === 'original' ? 'on the original session' : 'in a session of its own'})
      </h3>
      <div className="grid grid-cols-2 gap-2">
        <Side title="Original answer" record={original.response} ms={durations.originalMs} />
        <Side title="Replay answer" record={replay.response} ms={durations.replayMs} />
      </div>
      <h4 className="mt-2 mb-1 text-xs font-semibold">Differences</h4>
      <JsonDiffList diff={answer.diff} label="Differences between the original and the replayed answer" />
    </section>
  );
}

/**
 * "Replay" and "Edit & resend" for a client's request (operators only: a viewer is not offered what the
 * gateway would refuse). The gateway sends it through its own proxy, so the new records are captured and
 * linked to this one.
 */
export function ReplayPanel({ request }: { request: CapturedRecord }) {
  const canReplay = useCan('operator');
  const [editing, setEditing] = useState(false);
  const [originalSession, setOriginalSession] = useState(false);
  const replay = useMutation({
    mutationFn: (message?: unknown) =>
      api<ReplayAnswer>(
        `/api/logs/${request.id}/replay`,
        send('POST', {
          ...(message === undefined ? {} : { message }),
          ...(originalSession ? { session: 'original' } : {}),
        }),
      ),
    // The new records reach the traffic list through the live feed like any others.
    onSuccess: () => setEditing(false),
  });
  const replayable = request.direction === 'client_to_server' && request.kind === 'request';
  if (!replayable && request.replayOf === null) return null;
  return (
    <div className="mb-3">
      <div className="flex flex-wrap items-center gap-2">
        {request.replayOf !== null ? (
          <span className="text-xs text-slate-600 dark:text-slate-300">
            Replay of <RecordLink id={request.replayOf}>{`request #${request.replayOf}`}</RecordLink>
          </span>
        ) : null}
        {replayable && canReplay ? (
          <>
            <button
              type="button"
              className="btn btn-sm"
              disabled={replay.isPending}
              onClick={() => replay.mutate(undefined)}
              title="Send this request again to its server, through the gateway"
            >
              {replay.isPending && !editing ? 'Replaying…' : 'Replay'}
            </button>
            <button
              type="button"
              className="btn btn-sm"
              aria-expanded={editing}
              onClick={() => setEditing((open) => !open)}
              title="Change the request, then send it"
            >
              Edit &amp; resend
            </button>
            {request.sessionId !== null && request.sessionSource === 'transport' ? (
              <label
                className="flex min-h-6 items-center gap-1 text-xs text-slate-600 dark:text-slate-300"
                title="Send on the original client's session while it is open, instead of a session of the replay's own"
              >
                <input
                  type="checkbox"
                  checked={originalSession}
                  onChange={(event) => setOriginalSession(event.target.checked)}
                />
                On the original session
              </label>
            ) : null}
          </>
        ) : null}
      </div>
      <div aria-live="polite" className="mt-2">
        {replay.error ? (
          <p role="alert" className="mb-2 text-xs text-red-600 dark:text-red-400">
            {errorMessage(replay.error)}
          </p>
        ) : null}
        {replay.data && !replay.isPending ? <ReplayResult answer={replay.data} /> : null}
      </div>
      {editing ? (
        <ReplayEditor
          request={request}
          sending={replay.isPending}
          onSend={(message) => replay.mutate(message)}
          onCancel={() => setEditing(false)}
        />
      ) : null}
    </div>
  );
}
