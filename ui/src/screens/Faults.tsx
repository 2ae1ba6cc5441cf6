import { useMutation, useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../api';
import { EmptyState } from '../components/EmptyState';
import { FaultForm } from '../components/FaultForm';
import { describeFault, FAULTS_KEY, type FaultRule, removeFault, useFaults } from '../faults-data';
import { formatAgo } from '../format';
import { useCan, useSession } from '../session';

const DIRECTIONS = { client_to_server: 'client → server', server_to_client: 'server → client' } as const;

function FaultRow({ rule }: { rule: FaultRule }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => removeFault(rule.id),
    onSettled: () => queryClient.invalidateQueries({ queryKey: FAULTS_KEY }),
  });
  return (
    <tr className="border-b border-slate-100 align-top dark:border-slate-800">
      <th scope="row" className="px-3 py-2 text-left font-mono font-medium">
        {rule.id}
      </th>
      <td className="px-3 py-2 font-mono">{rule.filter}</td>
      <td className="px-3 py-2">{rule.direction ? DIRECTIONS[rule.direction] : 'both'}</td>
      <td className="px-3 py-2">{describeFault(rule)}</td>
      <td className="px-3 py-2 tabular-nums">{Math.round(rule.probability * 1000) / 10}%</td>
      <td className="px-3 py-2 tabular-nums">{rule.fired}</td>
      <td className="px-3 py-2">
        {rule.createdBy}, <time dateTime={rule.createdAt}>{formatAgo(Date.parse(rule.createdAt))}</time>
      </td>
      <td className="px-3 py-2 text-right">
        <button
          type="button"
          className="btn btn-sm"
          aria-label={`Remove fault rule ${rule.id}`}
          disabled={remove.isPending}
          onClick={() => remove.mutate()}
        >
          Remove
        </button>
        {remove.error ? (
          <p role="alert" className="mt-1 text-red-600 dark:text-red-400">
            {errorMessage(remove.error)}
          </p>
        ) : null}
      </td>
    </tr>
  );
}

function FaultTable({ rules }: { rules: FaultRule[] }) {
  return (
    <table className="w-full text-xs">
      <caption className="sr-only">Armed fault rules</caption>
      <thead>
        <tr className="border-b border-slate-200 text-left text-[11px] text-slate-600 dark:border-slate-800 dark:text-slate-400">
          {['Rule', 'Filter', 'Direction', 'Action', 'Chance', 'Hits', 'Added by'].map((label) => (
            <th key={label} scope="col" className="px-3 py-1.5 font-medium">
              {label}
            </th>
          ))}
          <th scope="col" className="px-3 py-1.5 text-right font-medium">
            Actions
          </th>
        </tr>
      </thead>
      <tbody>
        {rules.map((rule) => (
          <FaultRow key={rule.id} rule={rule} />
        ))}
      </tbody>
    </table>
  );
}

/**
 * Faults: rules that make the gateway delay, fail or cut traffic on purpose, to see how an agent copes
 * with slow, failing and flaky servers. Arming them is an operator's act.
 */
export function Faults() {
  const session = useSession();
  const operator = useCan('operator');
  const faults = useFaults();
  if (!session.data) return null;
  if (!operator) {
    return (
      <EmptyState title="Fault injection is for operators">
        <p>
          You are signed in as <strong>{session.data.actor}</strong> with the {session.data.role} role. Ask
          the gateway's owner for a token with the operator role to add or remove fault rules.
        </p>
      </EmptyState>
    );
  }
  const rules = faults.data ?? [];
  return (
    <div className="h-full overflow-auto p-4">
      <div className="mx-auto max-w-5xl space-y-6">
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Rules live in the gateway's memory until removed or the gateway restarts. Injected answers are
          captured as injected, with the rule that made them.
        </p>
        <section aria-labelledby="armed-faults" className="space-y-2">
          <h2 id="armed-faults" className="text-sm font-semibold">
            Armed rules
          </h2>
          {faults.error ? (
            <p role="alert" className="text-sm text-red-600 dark:text-red-400">
              {errorMessage(faults.error)}
            </p>
          ) : rules.length === 0 ? (
            <p className="text-xs text-slate-600 dark:text-slate-400">
              None: the gateway forwards every message as it is.
            </p>
          ) : (
            <div className="overflow-x-auto">
              <FaultTable rules={rules} />
            </div>
          )}
        </section>
        <section className="max-w-2xl rounded-md border border-slate-200 p-4 dark:border-slate-800">
          <FaultForm />
        </section>
      </div>
    </div>
  );
}
