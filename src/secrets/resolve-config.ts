import type { ServerConfig } from '../registry/schema.js';
import { type Expansion, expandReferences, hasReferences, type ReferenceSources } from './references.js';

export type ResolvedServer<T extends ServerConfig> = { ok: true; config: T } | { ok: false; problem: string };

/** The fields of an entry that may hold references (issue: `url`, `headers`, `args`, `env`, `cwd`). */
const STRING_FIELDS = ['url', 'cwd'] as const;
const RECORD_FIELDS = ['headers', 'env'] as const;

/** True when any field of the entry holds a reference: entries without one are used as they are. */
export function configHasReferences(config: ServerConfig): boolean {
  const entry = config as Record<string, unknown>;
  for (const field of STRING_FIELDS) {
    const value = entry[field];
    if (typeof value === 'string' && hasReferences(value)) return true;
  }
  for (const field of RECORD_FIELDS) {
    const record = entry[field] as Record<string, string> | undefined;
    if (record && Object.values(record).some(hasReferences)) return true;
  }
  const args = entry.args as string[] | undefined;
  return args?.some(hasReferences) ?? false;
}

/**
 * The entry with every reference expanded, or the first problem, phrased for the server's error state:
 * "env var GITHUB_TOKEN is not set: ...". A store that cannot be read is a problem too, never an empty value.
 */
export function resolveServerConfig<T extends ServerConfig>(
  config: T,
  sources: ReferenceSources,
): ResolvedServer<T> {
  if (!configHasReferences(config)) return { ok: true, config };
  const out: Record<string, unknown> = { ...config };
  const expand = (value: string, where: string): string => {
    let result: Expansion;
    try {
      result = expandReferences(value, sources.at?.(where) ?? sources);
    } catch (error) {
      throw new Problem(`${where}: ${(error as Error).message}`);
    }
    if (!result.ok) throw new Problem(`${where}: ${result.problem}`);
    return result.value;
  };
  try {
    for (const field of STRING_FIELDS) {
      const value = out[field];
      if (typeof value === 'string') out[field] = expand(value, field);
    }
    for (const field of RECORD_FIELDS) {
      const record = out[field] as Record<string, string> | undefined;
      if (!record) continue;
      out[field] = Object.fromEntries(
        Object.entries(record).map(([key, value]) => [key, expand(value, `${field}.${key}`)]),
      );
    }
    if (Array.isArray(out.args)) out.args = (out.args as string[]).map((arg, i) => expand(arg, `args[${i}]`));
  } catch (error) {
    if (error instanceof Problem) return { ok: false, problem: error.message };
    throw error;
  }
  if ((config.type === 'http' || config.type === 'sse') && typeof out.url === 'string') {
    const problem = urlProblem(out.url);
    if (problem) return { ok: false, problem };
  }
  return { ok: true, config: out as T };
}

class Problem extends Error {}

function urlProblem(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return null;
  } catch {
    // Reported below.
  }
  return 'url: after its references are filled in it is not an http:// or https:// URL; check the values they refer to';
}
