/**
 * References in mcp.json values, in the forms MCP clients already use: `${VAR}` and `${VAR:-default}`
 * (Claude Code's `.mcp.json`, shell parameter expansion: the default applies when VAR is unset or empty),
 * `${env:VAR}` (VS Code), and the gateway's own `${secret:NAME}` (the secret store). They are expanded
 * when a connection or process starts and never written back expanded.
 */

export type Reference =
  | { kind: 'env'; name: string; fallback?: string }
  | { kind: 'secret'; name: string }
  | { kind: 'unknown'; text: string };

/** Where references are looked up: undefined when the variable or secret does not exist. */
export interface ReferenceSources {
  env(name: string): string | undefined;
  /** Throws when the secret store cannot be read (its message says what to do). */
  secret(name: string): string | undefined;
  /** The sources for the value of one field of an entry (`headers.Authorization`, `env.API_KEY`). */
  at?(field: string): ReferenceSources;
}

const REFERENCE = /\$\{([^{}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const SECRET_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function hasReferences(value: string): boolean {
  return value.includes('${') && /\$\{[^{}]*\}/.test(value);
}

export function parseReference(inner: string): Reference {
  if (inner.startsWith('secret:')) {
    const name = inner.slice('secret:'.length);
    return SECRET_NAME.test(name) ? { kind: 'secret', name } : { kind: 'unknown', text: inner };
  }
  if (inner.startsWith('env:')) {
    const name = inner.slice('env:'.length);
    return ENV_NAME.test(name) ? { kind: 'env', name } : { kind: 'unknown', text: inner };
  }
  const fallbackAt = inner.indexOf(':-');
  const name = fallbackAt === -1 ? inner : inner.slice(0, fallbackAt);
  if (!ENV_NAME.test(name)) return { kind: 'unknown', text: inner };
  return fallbackAt === -1
    ? { kind: 'env', name }
    : { kind: 'env', name, fallback: inner.slice(fallbackAt + 2) };
}

/** Every reference in a value, in order. */
export function referencesIn(value: string): Reference[] {
  return [...value.matchAll(REFERENCE)].map((match) => parseReference(match[1] as string));
}

export type Expansion = { ok: true; value: string } | { ok: false; problem: string };

function lookup(reference: Reference, sources: ReferenceSources): Expansion {
  switch (reference.kind) {
    case 'secret': {
      const value = sources.secret(reference.name);
      if (value !== undefined) return { ok: true, value };
      return {
        ok: false,
        problem: `secret ${reference.name} is not set: store it with "mcp-gateway secret set ${reference.name}"`,
      };
    }
    case 'env': {
      const value = sources.env(reference.name);
      if (reference.fallback !== undefined) return { ok: true, value: value ? value : reference.fallback };
      if (value !== undefined) return { ok: true, value };
      return {
        ok: false,
        problem: `env var ${reference.name} is not set: set it in the gateway's environment, or use \${${reference.name}:-default}`,
      };
    }
    default:
      return {
        ok: false,
        problem: `"\${${reference.text}}" is not a reference the gateway knows: use \${VAR}, \${VAR:-default}, \${env:VAR} or \${secret:NAME}`,
      };
  }
}

/** The value with every reference replaced, or the first problem (a missing variable or secret). */
export function expandReferences(value: string, sources: ReferenceSources): Expansion {
  if (!hasReferences(value)) return { ok: true, value };
  let problem: string | null = null;
  const expanded = value.replace(REFERENCE, (_whole, inner: string) => {
    if (problem !== null) return '';
    const result = lookup(parseReference(inner), sources);
    if (!result.ok) {
      problem = result.problem;
      return '';
    }
    return result.value;
  });
  return problem === null ? { ok: true, value: expanded } : { ok: false, problem };
}
