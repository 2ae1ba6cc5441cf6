import { useState } from 'react';
import { api, errorMessage, send } from '../api';

/** A secret name from the server and field names: "github" + "Authorization" → GITHUB_AUTHORIZATION. */
export function secretNameFor(prefix: string, key: string): string {
  const name = `${prefix}_${key}`
    .toUpperCase()
    .replace(/[^A-Z0-9_.-]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return name.slice(0, 128) || 'SECRET';
}

/** A value already kept elsewhere: a reference, or the masked form of a stored one. */
export function isStorable(value: string): boolean {
  return value !== '' && !value.includes('${') && !value.startsWith('****');
}

/**
 * Moves a field's value into the gateway's secret store (`PUT /api/secrets/<name>`) and puts the reference
 * `${secret:NAME}` in its place, so mcp.json never holds the value.
 */
export function StoreAsSecret({
  label,
  name,
  value,
  onStored,
}: {
  label: string;
  name: string;
  value: string;
  onStored: (reference: string) => void;
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const store = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const stored = await api<{ reference: string }>(
        `/api/secrets/${encodeURIComponent(name)}`,
        send('PUT', { value }),
      );
      onStored(stored.reference);
    } catch (error) {
      setProblem(`Could not store it as a secret: ${errorMessage(error)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        className="btn px-2 text-xs"
        disabled={busy || !isStorable(value)}
        title={`Keep this value in the gateway's secret store as ${name}; mcp.json gets a reference to it`}
        aria-label={`Store as secret (${label})`}
        onClick={() => void store()}
      >
        Store as secret
      </button>
      {problem ? (
        <p role="alert" className="basis-full text-[11px] text-red-600">
          {problem}
        </p>
      ) : null}
    </>
  );
}
