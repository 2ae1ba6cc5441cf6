import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api';
import { useServers } from '../servers-data';
import type { Role, SessionInfo } from '../session';
import { createToken, EXPIRY_CHOICES, type IssuedToken, tokenNameProblem } from '../tokens-data';
import { TextField } from './FormField';
import { Modal } from './Modal';

const ROLES: { role: Role; what: string }[] = [
  { role: 'viewer', what: 'reads traffic, sessions, stats and servers' },
  { role: 'operator', what: 'also adds, edits and restarts servers and clears records' },
  { role: 'admin', what: 'also manages tokens, reads the audit log and approves commands' },
];

/** Creates a named token: name, role, servers (all, or some) and lifetime. */
export function TokenFormDialog({
  session,
  onClose,
  onCreated,
}: {
  session: SessionInfo;
  onClose: () => void;
  onCreated: (issued: IssuedToken) => void;
}) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  // A token limited to some servers can only hand out some of those.
  const [someServers, setSomeServers] = useState(session.servers !== null);
  const [servers, setServers] = useState<string[]>([]);
  const [expires, setExpires] = useState<string>(session.expiresAt === null ? '' : '1d');
  const [tried, setTried] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  useEffect(() => nameInput.current?.focus(), []);
  const registered = useServers();
  const names = session.servers ?? (registered.data ?? []).map((server) => server.name);
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: () =>
      createToken({
        name,
        role,
        servers: someServers ? servers : null,
        expires: expires === '' ? null : expires,
      }),
    onSuccess: async (issued) => {
      await queryClient.invalidateQueries({ queryKey: ['tokens'] });
      onCreated(issued);
    },
  });
  const nameError = tried || name !== '' ? tokenNameProblem(name) : null;
  const serversError = tried && someServers && servers.length === 0 ? 'Pick at least one server.' : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (tokenNameProblem(name) || (someServers && servers.length === 0)) {
      const form = event.currentTarget as HTMLFormElement;
      setTimeout(() => form.querySelector<HTMLElement>('[aria-invalid=true]')?.focus());
      return;
    }
    create.mutate();
  };
  const toggle = (server: string, on: boolean) => {
    setServers(on ? [...servers, server] : servers.filter((s) => s !== server));
    create.reset();
  };
  return (
    <Modal title="Create a token" onClose={onClose} wide>
      <form onSubmit={submit} className="space-y-4 p-4 text-sm" noValidate>
        <TextField
          label="Name"
          hint="Who or what will hold it, such as ci-bot or alice-laptop: the audit log names it."
          error={nameError}
          value={name}
          onChange={(value) => {
            setName(value);
            create.reset();
          }}
          placeholder="e.g. ci-bot"
          inputRef={nameInput}
        />
        <fieldset>
          <legend className="field-label">Role</legend>
          <div className="space-y-1">
            {ROLES.map((each) => (
              <label key={each.role} className="flex min-h-6 items-center gap-2 text-xs">
                <input
                  type="radio"
                  name="token-role"
                  value={each.role}
                  checked={role === each.role}
                  onChange={() => setRole(each.role)}
                />
                <span>
                  <span className="font-medium">{each.role}</span>{' '}
                  <span className="text-slate-600 dark:text-slate-400">{each.what}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset aria-describedby={serversError ? 'token-servers-error' : undefined}>
          <legend className="field-label">Servers</legend>
          <div className="space-y-1 text-xs">
            {session.servers === null ? (
              <label className="flex min-h-6 items-center gap-2">
                <input
                  type="radio"
                  name="token-scope"
                  checked={!someServers}
                  onChange={() => setSomeServers(false)}
                />
                All servers, including ones added later
              </label>
            ) : null}
            <label className="flex min-h-6 items-center gap-2">
              <input
                type="radio"
                name="token-scope"
                checked={someServers}
                onChange={() => setSomeServers(true)}
              />
              Only these servers (their traffic, sessions and stats)
            </label>
            {someServers ? (
              <div className="flex flex-wrap gap-x-4 pl-6">
                {names.length === 0 ? (
                  <span className="text-slate-600">No servers are registered yet.</span>
                ) : null}
                {names.map((server) => (
                  <label key={server} className="flex min-h-6 items-center gap-1.5 font-mono">
                    <input
                      type="checkbox"
                      checked={servers.includes(server)}
                      aria-invalid={serversError ? true : undefined}
                      onChange={(event) => toggle(server, event.target.checked)}
                    />
                    {server}
                  </label>
                ))}
              </div>
            ) : null}
            {serversError ? (
              <p id="token-servers-error" className="pl-6 text-red-600 dark:text-red-400">
                {serversError}
              </p>
            ) : null}
          </div>
        </fieldset>
        <div>
          <label className="field-label" htmlFor="token-expires">
            Expires after
          </label>
          <select
            id="token-expires"
            className="input max-w-48"
            value={expires}
            onChange={(event) => {
              setExpires(event.target.value);
              create.reset();
            }}
          >
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        {create.error ? (
          <p role="alert" className="text-xs text-red-600 dark:text-red-400">
            {errorMessage(create.error)}
          </p>
        ) : null}
        <div className="flex justify-end gap-2 pt-1">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create token'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
