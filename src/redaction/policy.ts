import { z } from 'zod';
import { normalizeName } from './key-names.js';
import type { SecretValue, ValuePattern } from './value-patterns.js';

export type { SecretValue };

/**
 * What capture redacts, as plain data: it crosses to the capture worker (structured clone) and is resolved
 * there. Set in the `redaction` block of mcp.json (beside `mcpServers`, which MCP clients ignore) and
 * turned off by `--no-redact`; documented in docs/redaction.md.
 */
export interface RedactionPolicy {
  /** False: payloads are stored as they arrived ("raw captures"); credential headers stay redacted. */
  readonly enabled: boolean;
  /** More key names whose values are secrets, normalized (see key-names.ts), with the kind to show. */
  readonly keys: readonly { readonly name: string; readonly kind: string }[];
  /** More value patterns, found anywhere in strings. */
  readonly patterns: readonly ValuePattern[];
  /** Per server: normalized key names whose values are not redacted by name (value patterns still apply). */
  readonly allow: Readonly<Record<string, readonly string[]>>;
  /**
   * The values the gateway filled references in with (known-secrets.ts), found verbatim anywhere: a server
   * that echoes its env or headers must not put them in logs.db. Never read from mcp.json.
   */
  readonly secretValues?: readonly SecretValue[];
}

export const DEFAULT_REDACTION: RedactionPolicy = { enabled: true, keys: [], patterns: [], allow: {} };

const KIND = /^[a-z0-9_]{1,40}$/;

const patternSchema = z.union([
  z.string(),
  z.object(
    { pattern: z.string(), kind: z.string().optional() },
    { error: 'must be a string or {"pattern", "kind"}' },
  ),
]);

const blockSchema = z.object(
  {
    enabled: z.boolean({ error: 'must be true or false' }).optional(),
    keys: z.array(z.string(), { error: 'must be an array of key names, such as ["ssn", "pin"]' }).optional(),
    patterns: z.array(patternSchema, { error: 'must be an array of regular expressions' }).optional(),
    allow: z
      .record(z.string(), z.array(z.string()), {
        error: 'must map server names to arrays of key names, such as {"my-server": ["token"]}',
      })
      .optional(),
  },
  { error: 'must be an object such as {"keys": ["ssn"], "patterns": ["acme_[a-z0-9]{32}"]}' },
);

function patternProblem(source: string): string | null {
  let regex: RegExp;
  try {
    regex = new RegExp(source);
  } catch (error) {
    return `is not a valid regular expression (${(error as Error).message})`;
  }
  if (regex.test(''))
    return 'matches the empty string, so it would redact everywhere: make it match the secret itself';
  if (/\\[1-9]/.test(source))
    return 'uses a backreference (\\1 ...), which redaction patterns cannot: write the text out';
  return null;
}

export type RedactionResult = { ok: true; policy: RedactionPolicy } | { ok: false; problems: string[] };

/** Validates the `redaction` block of mcp.json; problems say "redaction.<field>: <what to do>". */
export function parseRedactionBlock(raw: unknown): RedactionResult {
  if (raw === undefined) return { ok: true, policy: DEFAULT_REDACTION };
  const parsed = blockSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map(
        (issue) => `redaction${issue.path.map((p) => `.${String(p)}`).join('')}: ${issue.message}`,
      ),
    };
  }
  const problems: string[] = [];
  const patterns: ValuePattern[] = [];
  parsed.data.patterns?.forEach((entry, index) => {
    const pattern = typeof entry === 'string' ? entry : entry.pattern;
    const kind = typeof entry === 'string' ? 'custom' : (entry.kind ?? 'custom');
    const problem = patternProblem(pattern);
    if (problem) problems.push(`redaction.patterns.${index} ${JSON.stringify(pattern)} ${problem}`);
    else if (!KIND.test(kind))
      problems.push(
        `redaction.patterns.${index}.kind: use lowercase letters, digits and "_", such as "acme_key"`,
      );
    else patterns.push({ pattern, kind });
  });
  const keys = (parsed.data.keys ?? [])
    .map((name) => ({ name: normalizeName(name), kind: normalizeName(name) || 'custom' }))
    .filter((key) => key.name !== '');
  const allow: Record<string, string[]> = {};
  for (const [server, names] of Object.entries(parsed.data.allow ?? {})) {
    allow[server] = names.map(normalizeName).filter(Boolean);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, policy: { enabled: parsed.data.enabled ?? true, keys, patterns, allow } };
}
