import { isSecretHeader } from '../core/headers.js';

/**
 * Config responses never show credentials: every configured header value (they are credentials more often
 * than not) and env values with secret-looking names are masked. A masked value sent back unchanged in an
 * update means "keep the current value", so editing a server never requires retyping its secrets.
 */

export function mask(value: string): string {
  return value.length >= 12 ? `****${value.slice(-4)}` : '****';
}

type Entry = Record<string, unknown>;

function mapValues(record: unknown, fn: (key: string, value: string) => string): unknown {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return record;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record))
    out[key] = typeof value === 'string' ? fn(key, value) : value;
  return out;
}

export function maskEntry(entry: Entry): Entry {
  const out: Entry = { ...entry };
  if ('headers' in out) out.headers = mapValues(out.headers, (_key, value) => mask(value));
  if ('env' in out) out.env = mapValues(out.env, (key, value) => (isSecretHeader(key) ? mask(value) : value));
  return out;
}

/** Puts back the current value wherever an update carries the masked form of it. */
export function unmaskEntry(update: Entry, current: Entry | undefined): Entry {
  if (!current) return update;
  const out: Entry = { ...update };
  for (const field of ['headers', 'env'] as const) {
    const before = current[field] as Record<string, unknown> | undefined;
    if (!before) continue;
    out[field] = mapValues(out[field], (key, value) => {
      const old = before[key];
      return typeof old === 'string' && value === mask(old) ? old : value;
    });
  }
  return out;
}
