import { formatDateTime, formatDuration } from '../format';
import type { CapturedRecord } from '../types';

type Pair = { request: CapturedRecord; response: CapturedRecord };

const HEADING = 'text-[11px] font-semibold tracking-wide text-slate-500 uppercase';

/**
 * Where an answered request's time went. The gateway times each request it forwards: when it had the
 * whole request, when it wrote it to the upstream (its socket, or a stdio server's stdin), when the
 * answer came back, and when it handed the answer to the client. The upstream's part lies between the
 * second and third; the gateway's own is on either side. Older records, and answers the gateway wrote
 * itself, carry no split: they show the span from forwarding to the answer, and say so.
 */
export function TimingBreakdown({ request, response }: Pair) {
  return (
    <section aria-label="Where the time went" className="mt-4 text-xs">
      <h3 className={`mb-1 ${HEADING}`}>Where the time went</h3>
      {response.gatewayMs !== null && response.upstreamMs !== null ? (
        <Split request={request} gatewayMs={response.gatewayMs} upstreamMs={response.upstreamMs} />
      ) : (
        <Unmeasured request={request} response={response} />
      )}
    </section>
  );
}

function ms(value: number): string {
  return formatDuration(value) || '0 ms';
}

function Split({
  request,
  gatewayMs,
  upstreamMs,
}: {
  request: CapturedRecord;
  gatewayMs: number;
  upstreamMs: number;
}) {
  const stdio = request.http.transport === 'stdio';
  const total = gatewayMs + upstreamMs;
  const share = (part: number) => (total > 0 ? (part / total) * 100 : 50);
  const percent = (part: number) => {
    const value = share(part);
    return value > 0 && value < 1 ? '<1%' : `${Math.round(value)}%`;
  };
  return (
    <>
      <div
        className="flex h-2.5 w-full overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800"
        role="img"
        aria-label={`Gateway ${ms(gatewayMs)}, upstream ${ms(upstreamMs)}`}
      >
        {/* The gateway's share is usually a sliver: a minimum width keeps it visible. */}
        <div
          className="h-full min-w-[3px] bg-amber-500 dark:bg-amber-400"
          style={{ width: `${share(gatewayMs)}%` }}
        />
        <div className="h-full flex-1 bg-sky-600 dark:bg-sky-500" />
      </div>
      <dl className="mt-2 grid grid-cols-[140px_1fr] gap-x-3 gap-y-1">
        <dt className="flex items-center gap-1.5 text-slate-500">
          <span aria-hidden="true" className="size-2 rounded-sm bg-amber-500 dark:bg-amber-400" />
          Gateway
        </dt>
        <dd>
          <span className="font-mono" data-testid="gateway-ms">
            {ms(gatewayMs)}
          </span>{' '}
          ({percent(gatewayMs)}) of its own: from having the whole request to writing it to the{' '}
          {stdio ? 'server’s stdin' : 'upstream'}, and from having the answer to handing it to the client.
        </dd>
        <dt className="flex items-center gap-1.5 text-slate-500">
          <span aria-hidden="true" className="size-2 rounded-sm bg-sky-600 dark:bg-sky-500" />
          Upstream
        </dt>
        <dd>
          <span className="font-mono" data-testid="upstream-ms">
            {ms(upstreamMs)}
          </span>{' '}
          ({percent(upstreamMs)}){' '}
          {stdio
            ? 'from the request written to the server’s stdin to its answer read from stdout: the server’s work.'
            : 'from the request written to the upstream to its answer back in full: the network, the server’s work and the transfer of its answer.'}
        </dd>
      </dl>
    </>
  );
}

function Unmeasured({ request, response }: Pair) {
  const spanMs = response.durationMs ?? Math.max(0, response.timestamp - request.timestamp);
  const stdio = request.http.transport === 'stdio';
  const sse = response.http.transport.includes('sse');
  const answered = stdio
    ? 'Answer line read from its stdout'
    : sse
      ? 'Answer arrived as an SSE event and passed on'
      : 'Answer passed to the client (its last byte)';
  return (
    <>
      <ol className="space-y-0.5">
        <li className="grid grid-cols-[5rem_1fr] gap-x-3">
          <span className="font-mono tabular-nums">+0 ms</span>
          <span>
            {stdio ? 'Request written to the server’s stdin' : 'Request read from the client and forwarded'} ·{' '}
            <span className="text-slate-500">{formatDateTime(request.timestamp)}</span>
          </span>
        </li>
        <li className="grid grid-cols-[5rem_1fr] gap-x-3">
          <span className="font-mono tabular-nums">+{ms(spanMs)}</span>
          <span>
            {answered} · <span className="text-slate-500">{formatDateTime(response.timestamp)}</span>
          </span>
        </li>
      </ol>
      <p className="mt-2 text-slate-600 dark:text-slate-400">
        <span className="font-mono">{ms(spanMs)}</span> from forwarding the request to its answer. This answer
        carries no split between the gateway’s time and the upstream’s: it was captured before the gateway
        measured it, written by the gateway itself, or sent on another stream than its request’s.
      </p>
    </>
  );
}
