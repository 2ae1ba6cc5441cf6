import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { errorMessage, filterProblem } from '../api';
import { addFault, FAULTS_KEY, type FaultDirection, faultFilterProblem, type NewFault } from '../faults-data';
import { TextField } from './FormField';

type Kind = 'delay' | 'error' | 'http' | 'connection' | 'stream';

const KINDS: { kind: Kind; label: string; what: string }[] = [
  { kind: 'delay', label: 'Delay', what: 'hold matching messages, then pass them on' },
  {
    kind: 'error',
    label: 'JSON-RPC error',
    what: "answer requests with an error in the other party's place",
  },
  { kind: 'http', label: 'HTTP status', what: "answer the client's request with an HTTP error status" },
  { kind: 'connection', label: 'Cut connection', what: "close the client's connection instead of answering" },
  { kind: 'stream', label: 'Cut SSE stream', what: 'end the stream carrying the answer mid-response' },
];

/** A whole number in a range, or the reason it is not. */
function wholeNumber(text: string, min: number, max: number, what: string): number | string {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    return `${what} must be a whole number from ${min} to ${max}.`;
  }
  return value;
}

/** What the form holds, as the rule `POST /api/faults` takes, or the first problem per field. */
function readForm(form: FormState): { rule: NewFault | null; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const filterError = faultFilterProblem(form.filter);
  if (form.filter.trim() === '')
    problems.filter = 'Give a filter, such as method:tools/call tool:echo, or * for all.';
  else if (filterError) problems.filter = filterError.error;
  const rule: NewFault = { filter: form.filter.trim(), probability: 1 };
  if (form.direction) rule.direction = form.direction;
  const percent = Number(form.percent);
  if (form.percent.trim() === '' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    problems.percent = 'Chance must be a number from 0 to 100.';
  } else rule.probability = percent / 100;
  if (form.kind === 'delay' || form.delay.trim() !== '') {
    const delay = wholeNumber(form.delay, 1, 600000, 'Delay');
    if (typeof delay === 'string') problems.delay = delay;
    else rule.delayMs = delay;
  }
  if (form.kind === 'error') {
    const code = wholeNumber(form.code, -2147483648, 2147483647, 'Error code');
    if (typeof code === 'string') problems.code = code;
    if (form.message.trim() === '') problems.message = 'Give the error message the client will see.';
    if (typeof code === 'number') rule.error = { code, message: form.message.trim() };
  }
  if (form.kind === 'http') {
    const status = wholeNumber(form.status, 400, 599, 'HTTP status');
    if (typeof status === 'string') problems.status = status;
    else rule.httpStatus = status;
  }
  if (form.kind === 'connection' || form.kind === 'stream') rule.cut = form.kind;
  return { rule: Object.keys(problems).length === 0 ? rule : null, problems };
}

interface FormState {
  filter: string;
  direction: FaultDirection | '';
  kind: Kind;
  delay: string;
  code: string;
  message: string;
  status: string;
  percent: string;
}

const START: FormState = {
  filter: '',
  direction: '',
  kind: 'delay',
  delay: '2000',
  code: '-32603',
  message: 'Injected failure',
  status: '503',
  percent: '100',
};

/** Arms a fault rule: which messages (a filter, a direction), what to do, and how often. */
export function FaultForm() {
  const [form, setForm] = useState<FormState>(START);
  const [tried, setTried] = useState(false);
  const id = useId();
  const queryClient = useQueryClient();
  const add = useMutation({
    mutationFn: addFault,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: FAULTS_KEY });
      setForm(START);
      setTried(false);
    },
  });
  const { rule, problems } = readForm(form);
  const change = (changes: Partial<FormState>) => {
    setForm({ ...form, ...changes });
    add.reset();
  };
  // The filter is checked as it is typed; other fields once the user tried to submit.
  const shown = (field: string) =>
    (field === 'filter' && form.filter !== '') || tried ? (problems[field] ?? null) : null;
  const serverFilterError = filterProblem(add.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!rule) {
      const target = event.currentTarget as HTMLFormElement;
      setTimeout(() => target.querySelector<HTMLElement>('[aria-invalid=true]')?.focus());
      return;
    }
    add.mutate(rule);
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${id}-title`} className="space-y-3 text-sm">
      <h2 id={`${id}-title`} className="text-sm font-semibold">
        Arm a fault rule
      </h2>
      <TextField
        label="Filter"
        hint="Which messages to hit, in the filter language: method:tools/call tool:echo, server:github, or * for all."
        error={shown('filter') ?? (serverFilterError ? serverFilterError.error : null)}
        value={form.filter}
        onChange={(filter) => change({ filter })}
        placeholder="e.g. method:tools/call tool:echo"
      />
      <div>
        <label className="field-label" htmlFor={`${id}-direction`}>
          Direction
        </label>
        <select
          id={`${id}-direction`}
          className="input max-w-64"
          value={form.direction}
          onChange={(event) => change({ direction: event.target.value as FaultDirection | '' })}
        >
          <option value="">Both ways</option>
          <option value="client_to_server">Client to server</option>
          <option value="server_to_client">Server to client</option>
        </select>
      </div>
      <fieldset>
        <legend className="field-label">What to do</legend>
        <div className="space-y-1">
          {KINDS.map((each) => (
            <label key={each.kind} className="flex min-h-6 items-center gap-2 text-xs">
              <input
                type="radio"
                name={`${id}-kind`}
                value={each.kind}
                checked={form.kind === each.kind}
                onChange={() =>
                  change({ kind: each.kind, delay: each.kind === 'delay' ? form.delay || '2000' : '' })
                }
              />
              <span>
                <span className="font-medium">{each.label}</span>{' '}
                <span className="text-slate-600 dark:text-slate-400">{each.what}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label={form.kind === 'delay' ? 'Delay (ms)' : 'Delay first (ms, optional)'}
          error={shown('delay')}
          value={form.delay}
          onChange={(delay) => change({ delay })}
        />
        {form.kind === 'error' ? (
          <>
            <TextField
              label="Error code"
              hint="JSON-RPC 2.0: -32603 internal error, -32000 to -32099 server errors."
              error={shown('code')}
              value={form.code}
              onChange={(code) => change({ code })}
            />
            <TextField
              label="Error message"
              error={shown('message')}
              value={form.message}
              onChange={(message) => change({ message })}
            />
          </>
        ) : null}
        {form.kind === 'http' ? (
          <TextField
            label="HTTP status"
            hint="400 to 599, such as 503 or 429."
            error={shown('status')}
            value={form.status}
            onChange={(status) => change({ status })}
          />
        ) : null}
        <TextField
          label="Chance (%)"
          hint="How often a matching message is hit: 100 always, 25 one in four."
          error={shown('percent')}
          value={form.percent}
          onChange={(percent) => change({ percent })}
        />
      </div>
      {add.error && !serverFilterError ? (
        <p role="alert" className="text-xs text-red-600 dark:text-red-400">
          {errorMessage(add.error)}
        </p>
      ) : null}
      <div className="flex justify-end">
        <button type="submit" className="btn btn-primary" disabled={add.isPending}>
          {add.isPending ? 'Arming…' : 'Arm rule'}
        </button>
      </div>
    </form>
  );
}
