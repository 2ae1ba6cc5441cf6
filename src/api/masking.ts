import { isSecretHeader } from '../core/headers.js';
import {
  mask,
  maskArgs,
  maskEnvValue,
  maskUrl,
  restoreArgs,
  restoreMasked,
} from '../redaction/config-masking.js';
import { hasReferences } from '../secrets/references.js';

/**
 * Config responses never show credentials: every configured header value (they are credentials more often
 * than not), env values with secret-looking names or credential-shaped contents, secret URL query values
 * and passwords, secret flags and credential-shaped args. A masked value sent back unchanged in an update
 * means "keep the current value", so editing a server never requires retyping its secrets.
 */

export { mask };

type Entry = Record<string, unknown>;

function mapValues(record: unknown, fn: (key: string, value: string) => string): unknown {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return record;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record))
    out[key] = typeof value === 'string' ? fn(key, value) : value;
  return out;
}

const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * A value that refers to a variable or secret (`Bearer ${secret:TOKEN}`) is shown as written: the
 * reference is what the owner needs to see, and it holds no secret itself.
 */
const unlessReference =
  (fn: (value: string) => string) =>
  (value: string): string =>
    hasReferences(value) ? value : fn(value);

export function maskEntry(entry: Entry): Entry {
  const out: Entry = { ...entry };
  if ('headers' in out) out.headers = mapValues(out.headers, (_key, value) => unlessReference(mask)(value));
  if ('env' in out)
    out.env = mapValues(out.env, (key, value) =>
      unlessReference((v) => (isSecretHeader(key) ? mask(v) : maskEnvValue(key, v)))(value),
    );
  if (typeof out.url === 'string') out.url = unlessReference(maskUrl)(out.url);
  if (isStrings(out.args)) {
    const args = out.args;
    out.args = maskArgs(args).map((masked, i) => (hasReferences(args[i] as string) ? args[i] : masked));
  }
  return out;
}

/** Puts back the current value wherever an update carries the masked form of it. */
export function unmaskEntry(update: Entry, current: Entry | undefined): Entry {
  if (!current) return update;
  const out: Entry = { ...update };
  const masked = maskEntry(current);
  for (const field of ['headers', 'env'] as const) {
    const before = current[field] as Record<string, unknown> | undefined;
    const shown = masked[field] as Record<string, unknown> | undefined;
    if (!before || !shown) continue;
    out[field] = mapValues(out[field], (key, value) => {
      const old = before[key];
      const oldShown = shown[key];
      return typeof old === 'string' && typeof oldShown === 'string'
        ? restoreMasked(value, old, oldShown)
        : value;
    });
  }
  if (typeof out.url === 'string' && typeof current.url === 'string') {
    out.url = restoreMasked(out.url, current.url, masked.url as string);
  }
  if (isStrings(out.args) && isStrings(current.args)) out.args = restoreArgs(out.args, current.args);
  return out;
}
