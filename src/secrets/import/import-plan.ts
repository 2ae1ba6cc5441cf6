import { isSecretHeader } from '../../core/headers.js';
import { maskArgs, maskText } from '../../redaction/config-masking.js';
import { secretKind } from '../../redaction/key-names.js';
import { parseServerEntry } from '../../registry/schema.js';
import { hasReferences } from '../references.js';
import type { ClientConfig } from './client-configs.js';

/** A literal value that moves into the secret store; `where` names the field ("env.GITHUB_TOKEN"). */
export interface SecretMove {
  name: string;
  where: string;
  value: string;
}

export interface PlannedServer {
  name: string;
  source: string;
  /** The mcp.json entry, with references where secrets were. */
  entry: Record<string, unknown>;
  secrets: SecretMove[];
}

export interface ImportPlan {
  add: PlannedServer[];
  skipped: { name: string; reason: string }[];
  /** Secrets the client asks its user for (VS Code inputs): the owner sets them with `secret set`. */
  toSet: { name: string; description: string | null }[];
}

/** Fields the gateway understands; client-only ones (VS Code's envFile, Cursor's disabled flags) are left. */
const KEPT = ['type', 'url', 'headers', 'command', 'args', 'env', 'cwd', 'timeout'] as const;

const upperSnake = (text: string) =>
  text
    .toUpperCase()
    .replace(/[^A-Z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');

/** `SERVER_FIELD`, or the field alone when it already starts with the server's name (`GITHUB_TOKEN`). */
export function secretName(server: string, field: string): string {
  const prefix = upperSnake(server);
  const rest = upperSnake(field);
  const named =
    rest === prefix || rest.startsWith(`${prefix}_`) ? rest : [prefix, rest].filter(Boolean).join('_');
  return named.slice(0, 128);
}

/** VS Code's `${input:id}` becomes `${secret:ID}`: the gateway has no prompt of its own at connect time. */
function inputReference(id: string): string {
  return secretName(id, '');
}

function fromInputs(value: string): string {
  return value.replace(/\$\{input:([^}]+)\}/g, (_whole, id: string) => `\${secret:${inputReference(id)}}`);
}

/**
 * What importing a client's config would do, computed before anything changes: the servers to add (a
 * name already registered is skipped, never overwritten), and every literal value that looks like a
 * credential (a secret header or env name, a credential-shaped value; the same detectors as redaction)
 * moved into the secret store, its field holding `${secret:NAME}` instead.
 */
export function planImport(config: ClientConfig, registered: ReadonlySet<string>): ImportPlan {
  const plan: ImportPlan = { add: [], skipped: [], toSet: [] };
  const taken = new Set<string>();
  for (const { name, entry: raw, source } of config.servers) {
    if (registered.has(name)) {
      plan.skipped.push({
        name,
        reason: 'a server with this name is already registered; remove or rename one',
      });
      continue;
    }
    if (taken.has(name)) {
      plan.skipped.push({ name, reason: `listed twice; the entry from the first file is used (${source})` });
      continue;
    }
    const entry: Record<string, unknown> = {};
    for (const field of KEPT) if (raw[field] !== undefined) entry[field] = raw[field];
    const secrets: SecretMove[] = [];
    const move = (where: string, value: string): string => {
      const secret = secretName(name, where.replace(/^(env|headers)\./, ''));
      secrets.push({ name: secret, where, value });
      return `\${secret:${secret}}`;
    };
    const text = (value: unknown) => (typeof value === 'string' ? fromInputs(value) : value);
    if (typeof entry.url === 'string') {
      const url = text(entry.url) as string;
      entry.url = !hasReferences(url) && maskText(url) !== url ? move('url', url) : url;
    }
    for (const field of ['headers', 'env'] as const) {
      const record = entry[field];
      if (typeof record !== 'object' || record === null) continue;
      entry[field] = Object.fromEntries(
        Object.entries(record as Record<string, unknown>).map(([key, value]) => {
          const v = text(value);
          if (typeof v !== 'string' || v === '' || hasReferences(v)) return [key, v];
          const secret =
            (field === 'headers' && isSecretHeader(key)) || secretKind(key) !== null || maskText(v) !== v;
          return [key, secret ? move(`${field}.${key}`, v) : v];
        }),
      );
    }
    if (Array.isArray(entry.args) && entry.args.every((a) => typeof a === 'string')) {
      const args = (entry.args as string[]).map((a) => fromInputs(a));
      const masked = maskArgs(args);
      entry.args = args.map((arg, i) => {
        if (masked[i] === arg || hasReferences(arg)) return arg;
        const flag = /^(--?[A-Za-z][A-Za-z0-9_.-]*)=(.+)$/s.exec(arg);
        return flag ? `${flag[1]}=${move(`args[${i}]`, flag[2] as string)}` : move(`args[${i}]`, arg);
      });
    }
    const valid = parseServerEntry(name, entry);
    if (!valid.ok) {
      plan.skipped.push({ name, reason: valid.problems.join('; ') });
      continue;
    }
    taken.add(name);
    plan.add.push({ name, source, entry, secrets });
  }
  const used = JSON.stringify(plan.add.map((s) => s.entry));
  for (const input of config.inputs) {
    const name = inputReference(input.id);
    if (used.includes(`\${secret:${name}}`)) plan.toSet.push({ name, description: input.description });
  }
  return plan;
}
