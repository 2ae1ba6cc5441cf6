import { diffJson } from '../core/json-diff.js';
import type { Exchange } from './fixture.js';

/**
 * How a request is matched to a recording. JSON-RPC ids never count (a client numbers its own requests).
 * `params` (the default) compares the params without the volatile parts; `exact` compares them whole;
 * `method` answers any request of a method with its recordings in order.
 */
export type MatchMode =
  | { kind: 'exact' }
  | { kind: 'method' }
  | { kind: 'params'; ignore: readonly string[] };

/**
 * Parts of params that differ from run to run without changing the question: `_meta` (progress tokens,
 * trace context, the 2026-07-28 per-request protocol fields; MCP Basic, "General fields: _meta") and
 * `cursor` (opaque pagination tokens, MCP Utilities "Pagination").
 */
export const VOLATILE_POINTERS: readonly string[] = ['/_meta', '/cursor'];

export const DEFAULT_MATCH: MatchMode = { kind: 'params', ignore: VOLATILE_POINTERS };

/** `exact`, `method`, or `ignore:<json pointer>,...` (added to the volatile parts ignored by default). */
export function parseMatchMode(text: string): MatchMode {
  if (text === 'exact') return { kind: 'exact' };
  if (text === 'method') return { kind: 'method' };
  if (text === 'params') return DEFAULT_MATCH;
  if (text.startsWith('ignore:')) {
    const pointers = text
      .slice('ignore:'.length)
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const bad = pointers.find((p) => !p.startsWith('/'));
    if (pointers.length === 0 || bad !== undefined) {
      throw new Error(
        `--match ignore: takes JSON Pointers into params (RFC 6901), such as ignore:/arguments/timestamp,/arguments/id; got "${bad ?? ''}"`,
      );
    }
    return { kind: 'params', ignore: [...VOLATILE_POINTERS, ...pointers] };
  }
  throw new Error(`--match takes exact, method, or ignore:<json pointer>,...; got "${text}"`);
}

/** RFC 6901 reference tokens: "~1" is "/", "~0" is "~". */
function tokens(pointer: string): string[] {
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function without(value: unknown, path: readonly string[]): unknown {
  if (path.length === 0 || typeof value !== 'object' || value === null) return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(value)) {
    const index = Number(head);
    if (!Number.isInteger(index) || index < 0 || index >= value.length) return value;
    if (rest.length === 0) return value.filter((_, i) => i !== index);
    return value.map((v, i) => (i === index ? without(v, rest) : v));
  }
  const object = value as Record<string, unknown>;
  if (!(head in object)) return value;
  const copy = { ...object };
  if (rest.length === 0) delete copy[head];
  else copy[head] = without(copy[head], rest);
  return copy;
}

/** Params as the mode compares them: volatile parts removed (an empty object counts as no params). */
export function comparable(params: unknown, mode: MatchMode): unknown {
  if (mode.kind === 'method') return null;
  let value: unknown = params ?? {};
  if (mode.kind === 'params') for (const pointer of mode.ignore) value = without(value, tokens(pointer));
  return value;
}

/** Canonical JSON: keys sorted, so `{a, b}` and `{b, a}` are one question. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

export function matchKey(method: string, params: unknown, mode: MatchMode): string {
  return `${method}\n${canonical(comparable(params, mode))}`;
}

/** Short JSON for messages: `{"name":"x"}`, cut at `max` characters. */
export function brief(value: unknown, max = 160): string {
  const text = JSON.stringify(value ?? {}) ?? 'undefined';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Recordings, replayed in order per question; the last answer repeats once they are used up. */
export class Recordings {
  readonly #byKey = new Map<string, Exchange[]>();
  readonly #byMethod = new Map<string, Exchange[]>();

  constructor(
    exchanges: readonly Exchange[],
    readonly mode: MatchMode,
  ) {
    for (const exchange of exchanges) {
      const key = matchKey(exchange.method, exchange.params, mode);
      this.#byKey.set(key, [...(this.#byKey.get(key) ?? []), exchange]);
      this.#byMethod.set(exchange.method, [...(this.#byMethod.get(exchange.method) ?? []), exchange]);
    }
  }

  /** A fresh replay position: each client connection replays the recordings from the start. */
  cursor(): RecordingCursor {
    return new RecordingCursor(this);
  }

  answers(key: string): readonly Exchange[] | undefined {
    return this.#byKey.get(key);
  }

  methods(): string[] {
    return [...this.#byMethod.keys()];
  }

  /**
   * Says why a request has no recording: the recorded calls of its method, the closest first (fewest
   * differing paths, core/json-diff.ts), or the methods there are recordings of.
   */
  explainMiss(method: string, params: unknown): string {
    const asked = comparable(params, this.mode);
    const label = `${method} ${brief(asked)}`;
    const same = this.#byMethod.get(method);
    if (!same) {
      const methods = this.methods();
      return `no recorded answer for ${label}: nothing was recorded for ${method}; recorded methods are ${methods.length ? methods.join(', ') : 'none'}`;
    }
    const unique = [...new Map(same.map((e) => [canonical(comparable(e.params, this.mode)), e])).values()];
    const ranked = unique
      .map((e) => {
        const recorded = comparable(e.params, this.mode);
        const diff = diffJson(recorded, asked, { maxEntries: 50 });
        return { recorded, diff };
      })
      .sort((a, b) => a.diff.entries.length - b.diff.entries.length);
    const closest = ranked[0];
    const where = closest?.diff.entries
      .slice(0, 3)
      .map((d) => d.path || '/')
      .join(', ');
    const listed = ranked
      .slice(0, 5)
      .map((r) => brief(r.recorded, 100))
      .join('; ');
    const more = ranked.length > 5 ? `; and ${ranked.length - 5} more` : '';
    return `no recorded answer for ${label}: recorded ${method} calls are ${listed}${more} (closest differs at ${where}). Record this call, or loosen matching with --match ignore:<json pointer> or --match method`;
  }
}

export class RecordingCursor {
  readonly #used = new Map<string, number>();

  constructor(readonly recordings: Recordings) {}

  /** The next recorded answer for this question, or null when there is none. */
  next(method: string, params: unknown): Exchange | null {
    const key = matchKey(method, params, this.recordings.mode);
    const answers = this.recordings.answers(key);
    if (!answers || answers.length === 0) return null;
    const index = this.#used.get(key) ?? 0;
    this.#used.set(key, index + 1);
    return answers[Math.min(index, answers.length - 1)] ?? null;
  }
}
