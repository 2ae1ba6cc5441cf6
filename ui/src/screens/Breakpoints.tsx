import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { errorMessage } from '../api';
import {
  addRule,
  type BreakpointRule,
  HELD_KEY,
  type NewRule,
  RULES_KEY,
  releaseHeld,
  removeRule,
  useHeld,
  useRules,
} from '../breakpoints-data';
import { EmptyState } from '../components/EmptyState';
import { HeldMessageCard } from '../components/HeldMessageCard';
import { checkFilter } from '../filter-check';
import { useCan } from '../session';

function direction(rule: BreakpointRule): string {
  if (rule.direction === 'client_to_server') return 'client → server';
  if (rule.direction === 'server_to_client') return 'server → client';
  return 'both ways';
}

/** The form that sets a rule: the filter is checked as the filter bar checks it, before it is sent. */
function RuleForm({ onAdded }: { onAdded: () => void }) {
  const [filter, setFilter] = useState('');
  const [dir, setDir] = useState<'' | 'client_to_server' | 'server_to_client'>('');
  const [seconds, setSeconds] = useState('60');
  const [onTimeout, setOnTimeout] = useState<'forward' | 'fail'>('forward');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { filter: useId(), problem: useId(), dir: useId(), timeout: useId(), after: useId() };
  const problem = filter.trim() ? checkFilter(filter) : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem) return;
    const rule: NewRule = { filter: filter.trim(), timeoutMs: Math.round(Number(seconds) * 1000), onTimeout };
    if (dir) rule.direction = dir;
    setBusy(true);
    try {
      await addRule(rule);
      setFilter('');
      setError(null);
      onAdded();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const shown = problem?.error ?? error;
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3 text-xs" aria-label="Add a breakpoint">
      <div className="flex min-w-64 flex-1 flex-col gap-1">
        <label htmlFor={ids.filter} className="font-medium">
          Hold messages that match
        </label>
        <input
          id={ids.filter}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="method:tools/call tool:delete_file"
          spellCheck={false}
          aria-invalid={shown ? true : undefined}
          aria-describedby={shown ? ids.problem : undefined}
          className="rounded border border-slate-300 bg-white px-2 py-1 font-mono dark:border-slate-700 dark:bg-slate-900"
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.dir} className="font-medium">
          Direction
        </label>
        <select
          id={ids.dir}
          value={dir}
          onChange={(e) => setDir(e.target.value as typeof dir)}
          className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
        >
          <option value="">Both ways</option>
          <option value="client_to_server">Client → server</option>
          <option value="server_to_client">Server → client</option>
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.timeout} className="font-medium">
          Timeout (s)
        </label>
        <input
          id={ids.timeout}
          type="number"
          min={0.1}
          max={3600}
          step="any"
          value={seconds}
          onChange={(e) => setSeconds(e.target.value)}
          className="w-20 rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
        />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.after} className="font-medium">
          Then
        </label>
        <select
          id={ids.after}
          value={onTimeout}
          onChange={(e) => setOnTimeout(e.target.value as 'forward' | 'fail')}
          className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
        >
          <option value="forward">Forward it</option>
          <option value="fail">Fail it</option>
        </select>
      </div>
      <button type="submit" className="btn btn-primary btn-sm" disabled={busy || problem !== null}>
        Add breakpoint
      </button>
      {shown ? (
        <p id={ids.problem} role="alert" className="w-full text-red-700 dark:text-red-400">
          {shown}
        </p>
      ) : null}
    </form>
  );
}

function RuleList({
  rules,
  canAct,
  onRemoved,
}: {
  rules: BreakpointRule[];
  canAct: boolean;
  onRemoved: () => void;
}) {
  if (rules.length === 0) {
    return (
      <p className="text-xs text-slate-600 dark:text-slate-400">
        No breakpoints are set: traffic flows untouched.
      </p>
    );
  }
  return (
    <ul className="divide-y divide-slate-100 text-xs dark:divide-slate-800" aria-label="Breakpoint rules">
      {rules.map((rule) => (
        <li key={rule.id} className="flex items-center gap-3 py-1.5">
          <code className="font-mono">{rule.filter || '(everything)'}</code>
          <span className="text-slate-600 dark:text-slate-400">
            {direction(rule)} · {rule.timeoutMs / 1000} s then {rule.onTimeout} · held {rule.hits}
            {rule.servers ? ` · servers ${rule.servers.join(', ')}` : ''}
          </span>
          {canAct ? (
            <button
              type="button"
              className="btn btn-sm ml-auto"
              aria-label={`Remove breakpoint ${rule.filter || '(everything)'}`}
              onClick={() => void removeRule(rule.id).then(onRemoved)}
            >
              Remove
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * Breakpoints: rules that hold matching messages at the gateway, and the messages held now, live. Each
 * held message can be forwarded as it is, edited then forwarded, dropped, or answered with a reply.
 */
export function Breakpoints() {
  const queryClient = useQueryClient();
  const operator = useCan('operator');
  const rules = useRules();
  const held = useHeld();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: RULES_KEY });
    void queryClient.invalidateQueries({ queryKey: HELD_KEY });
  };
  const messages = held.data?.held ?? [];
  return (
    <div className="flex h-full flex-col gap-4 overflow-auto p-4">
      <section aria-labelledby="bp-rules" className="flex flex-col gap-2">
        <h2 id="bp-rules" className="text-sm font-semibold">
          Rules
        </h2>
        {operator ? <RuleForm onAdded={refresh} /> : null}
        {rules.error ? <p role="alert">{errorMessage(rules.error)}</p> : null}
        <RuleList rules={rules.data?.rules ?? []} canAct={operator} onRemoved={refresh} />
      </section>
      {operator ? (
        <section aria-labelledby="bp-held" className="flex flex-col gap-2">
          <h2 id="bp-held" className="text-sm font-semibold">
            Held messages <span aria-live="polite">({messages.length})</span>
          </h2>
          {messages.length === 0 ? (
            <EmptyState title="Nothing is held">
              A message that matches a rule waits here until you forward, edit, drop or answer it.
            </EmptyState>
          ) : (
            <ul className="flex flex-col gap-3" aria-label="Held messages">
              {messages.map((message) => (
                <li key={message.id}>
                  <HeldMessageCard
                    held={message}
                    now={now}
                    onRelease={async (action, edited) => {
                      await releaseHeld(message.id, action, edited);
                      refresh();
                    }}
                  />
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}
