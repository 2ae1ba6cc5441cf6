import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { errorMessage } from '../api';
import { EmptyState, Snippet } from '../components/EmptyState';
import { IssuedTokenDialog } from '../components/IssuedTokenDialog';
import { ConfirmDialog } from '../components/Modal';
import { TokenFormDialog } from '../components/TokenFormDialog';
import { formatAgo, formatDateTime } from '../format';
import { isAdmin, type SessionInfo, useSession } from '../session';
import { type IssuedToken, revokeToken, rotateToken, type TokenInfo, useTokens } from '../tokens-data';

type Asking = { action: 'revoke' | 'rotate'; token: TokenInfo } | null;

function when(iso: string | null, none: string): ReactNode {
  if (iso === null) return <span className="text-slate-600 dark:text-slate-400">{none}</span>;
  return <time dateTime={iso}>{formatDateTime(Date.parse(iso))}</time>;
}

function TokenRow({ token, onAsk }: { token: TokenInfo; onAsk: (asking: Asking) => void }) {
  return (
    <tr className="border-b border-slate-100 dark:border-slate-800">
      <th scope="row" className="px-3 py-2 text-left font-mono font-medium">
        {token.name}
      </th>
      <td className="px-3 py-2">{token.role}</td>
      <td className="px-3 py-2 font-mono">{token.servers ? token.servers.join(', ') : 'all'}</td>
      <td className="px-3 py-2">{when(token.created, '')}</td>
      <td className="px-3 py-2">
        {token.expired ? <span className="font-medium text-red-700 dark:text-red-400">expired </span> : null}
        {when(token.expires, 'never')}
      </td>
      <td className="px-3 py-2">
        {token.lastUsed === null ? (
          <span className="text-slate-600 dark:text-slate-400">never</span>
        ) : (
          <time dateTime={token.lastUsed} title={formatDateTime(Date.parse(token.lastUsed))}>
            {formatAgo(Date.parse(token.lastUsed))}
          </time>
        )}
      </td>
      <td className="px-3 py-2">
        <div className="flex justify-end gap-2">
          <button
            type="button"
            className="btn btn-sm"
            aria-label={`Rotate ${token.name}`}
            onClick={() => onAsk({ action: 'rotate', token })}
          >
            Rotate
          </button>
          <button
            type="button"
            className="btn btn-sm"
            aria-label={`Revoke ${token.name}`}
            onClick={() => onAsk({ action: 'revoke', token })}
          >
            Revoke
          </button>
        </div>
      </td>
    </tr>
  );
}

function TokenTable({ tokens, onAsk }: { tokens: TokenInfo[]; onAsk: (asking: Asking) => void }) {
  return (
    <table className="w-full text-xs">
      <caption className="sr-only">Named tokens</caption>
      <thead>
        <tr className="border-b border-slate-200 text-left text-[11px] text-slate-600 dark:border-slate-800 dark:text-slate-400">
          {['Name', 'Role', 'Servers', 'Created', 'Expires', 'Last used'].map((label) => (
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
        {tokens.map((token) => (
          <TokenRow key={token.name} token={token} onAsk={onAsk} />
        ))}
      </tbody>
    </table>
  );
}

/** What a non-admin sees here: why, and whom to ask. */
function AdminsOnly({ session }: { session: SessionInfo }) {
  return (
    <EmptyState title="Tokens are managed by admins">
      <p>
        You are signed in as <strong>{session.actor}</strong> with the {session.role} role. Ask the gateway's
        owner for a token with the admin role to create, rotate or revoke tokens.
      </p>
    </EmptyState>
  );
}

/** Tokens: the named tokens a team's people and agents use, with their role, servers and lifetime. */
export function Tokens() {
  const session = useSession();
  if (!session.data) return null;
  if (!isAdmin(session.data)) return <AdminsOnly session={session.data} />;
  return <TokenManager session={session.data} />;
}

function TokenManager({ session }: { session: SessionInfo }) {
  const tokens = useTokens();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [asking, setAsking] = useState<Asking>(null);
  const [issued, setIssued] = useState<{ issued: IssuedToken; verb: 'created' | 'rotated' } | null>(null);
  const act = useMutation({
    mutationFn: (asked: NonNullable<Asking>) =>
      asked.action === 'rotate' ? rotateToken(asked.token.name) : revokeToken(asked.token.name),
    onSuccess: async (result, asked) => {
      await queryClient.invalidateQueries({ queryKey: ['tokens'] });
      setAsking(null);
      if (asked.action === 'rotate') setIssued({ issued: result as IssuedToken, verb: 'rotated' });
    },
  });
  const list = tokens.data ?? [];
  let body: ReactNode;
  if (tokens.error) {
    body = (
      <p role="alert" className="p-6 text-sm text-red-600 dark:text-red-400">
        {errorMessage(tokens.error)}
      </p>
    );
  } else if (!tokens.data) {
    body = <p className="p-6 text-sm text-slate-600">Loading tokens…</p>;
  } else if (list.length === 0) {
    body = (
      <EmptyState title="No named tokens yet">
        <p>
          Give each person or agent that shares this gateway a token of their own, with a role, a set of
          servers and an expiry: revoke one without touching the others, and see in the audit log who did
          what.
        </p>
        <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
          Create a token
        </button>
        <p className="text-xs text-slate-600 dark:text-slate-400">Or from a terminal on this machine:</p>
        <Snippet text="mcp-gateway token create --name ci-bot --role viewer --expires 30d" />
      </EmptyState>
    );
  } else {
    body = (
      <div className="p-4">
        <div className="mb-3 flex flex-wrap items-center gap-3">
          <p className="text-xs text-slate-600 dark:text-slate-400">
            Values are shown once, when a token is created or rotated. Revoking or rotating takes effect at
            once, web UI sessions included.
          </p>
          <button type="button" className="btn btn-primary ml-auto" onClick={() => setCreating(true)}>
            Create a token
          </button>
        </div>
        <div className="overflow-x-auto">
          <TokenTable tokens={list} onAsk={setAsking} />
        </div>
      </div>
    );
  }
  return (
    <div className="h-full overflow-auto">
      {body}
      {creating ? (
        <TokenFormDialog
          session={session}
          onClose={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            setIssued({ issued: created, verb: 'created' });
          }}
        />
      ) : null}
      {asking ? (
        <ConfirmDialog
          title={asking.action === 'revoke' ? `Revoke ${asking.token.name}?` : `Rotate ${asking.token.name}?`}
          confirmLabel={asking.action === 'revoke' ? 'Revoke token' : 'Rotate token'}
          busy={act.isPending}
          error={act.error ? errorMessage(act.error) : null}
          onConfirm={() => act.mutate(asking)}
          onClose={() => {
            setAsking(null);
            act.reset();
          }}
        >
          <p>
            {asking.action === 'revoke'
              ? `${asking.token.name} stops working at once, and web UI sessions opened with it end. This cannot be undone.`
              : `${asking.token.name} gets a new value, shown once. The old value stops working at once: whoever holds it needs the new one.`}
          </p>
        </ConfirmDialog>
      ) : null}
      {issued ? (
        <IssuedTokenDialog
          issued={issued.issued}
          verb={issued.verb}
          onClose={() => {
            // Forget the value: nothing keeps it once the dialog is closed.
            setIssued(null);
            act.reset();
          }}
        />
      ) : null}
    </div>
  );
}
