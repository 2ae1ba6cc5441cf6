import { normalizeName, secretKind } from './key-names.js';
import type { RedactionPolicy } from './policy.js';
import { marker, ValueScrubber } from './value-patterns.js';

/**
 * JSON Schema maps whose keys are property names, not values (`inputSchema.properties.password` is a
 * field's description, not a password): their keys are never judged as secret names.
 */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions']);

/** A `"key": "value"` pair in JSON text, for text that cannot be parsed (a truncated body). */
const JSON_PAIR = /"([^"\\]{1,64})"\s*:\s*"((?:[^"\\]|\\.)*)"/g;

const MAX_CACHED_NAMES = 4096;

interface Frame {
  container: Record<string, unknown> | unknown[];
  /** Set inside a value held by a secret key (`"credentials": {...}`): every scalar in it is redacted. */
  inherited: string | null;
  /** True for a JSON Schema map (see SCHEMA_MAPS). */
  names: boolean;
}

/**
 * Redaction as compiled from a policy: rewrites parsed JSON in place and text, and counts what it replaced.
 * Every walk is iterative, so any nesting depth is handled without touching the stack.
 */
export class Redactor {
  readonly enabled: boolean;
  readonly #scrubber: ValueScrubber;
  readonly #extraNames: ReadonlyMap<string, string>;
  readonly #allow: ReadonlyMap<string, ReadonlySet<string>>;
  /** Key names repeat across messages; judging each once keeps the walk cheap. */
  readonly #kinds = new Map<string, string | null>();

  constructor(policy: RedactionPolicy) {
    this.enabled = policy.enabled;
    this.#extraNames = new Map(policy.keys.map((key) => [key.name, key.kind]));
    this.#scrubber = new ValueScrubber(policy.patterns, this.#extraNames, policy.secretValues);
    this.#allow = new Map(Object.entries(policy.allow).map(([server, names]) => [server, new Set(names)]));
  }

  #kind(key: string, allowed: ReadonlySet<string> | undefined): string | null {
    let kind = this.#kinds.get(key);
    if (kind === undefined) {
      kind = secretKind(key, this.#extraNames);
      if (this.#kinds.size >= MAX_CACHED_NAMES) this.#kinds.clear();
      this.#kinds.set(key, kind);
    }
    if (kind !== null && allowed?.has(normalizeName(key))) return null;
    return kind;
  }

  /** Redacts a parsed JSON value in place; returns the value (a new one when the root itself is a string). */
  value(root: unknown, server: string): { value: unknown; count: number } {
    if (typeof root === 'string') {
      const { text, count } = this.#scrubber.scrub(root);
      return { value: text, count };
    }
    if (typeof root !== 'object' || root === null) return { value: root, count: 0 };
    const allowed = this.#allow.get(server);
    let count = 0;
    const stack: Frame[] = [{ container: root as Frame['container'], inherited: null, names: false }];
    while (stack.length > 0) {
      const { container, inherited, names } = stack.pop() as Frame;
      const keys = Array.isArray(container) ? null : Object.keys(container);
      const length = keys ? keys.length : (container as unknown[]).length;
      for (let i = 0; i < length; i++) {
        const key = keys ? (keys[i] as string) : i;
        const item = (container as Record<string | number, unknown>)[key];
        const kind =
          inherited ?? (keys && !names && typeof key === 'string' ? this.#kind(key, allowed) : null);
        if (typeof item === 'object' && item !== null) {
          stack.push({
            container: item as Frame['container'],
            inherited: kind,
            names: kind === null && typeof key === 'string' && SCHEMA_MAPS.has(key),
          });
        } else if (kind !== null && ((typeof item === 'string' && item !== '') || typeof item === 'number')) {
          // Booleans and null stay: `"hasPassword": true` tells nothing secret, and the type is kept.
          (container as Record<string | number, unknown>)[key] = marker(kind);
          count++;
        } else if (typeof item === 'string' && this.#scrubber.suspect(item)) {
          const scrubbed = this.#scrubber.scrub(item);
          if (scrubbed.count > 0) {
            (container as Record<string | number, unknown>)[key] = scrubbed.text;
            count += scrubbed.count;
          }
        }
      }
    }
    return { value: root, count };
  }

  /**
   * Redacts text that is not parsed JSON: a non-JSON body, a stderr line, a truncated message. Credential
   * formats anywhere, and `"secret-name": "value"` pairs of JSON cut short.
   */
  text(text: string, server: string): { text: string; count: number } {
    const allowed = this.#allow.get(server);
    let count = 0;
    let out = text;
    if (text.includes('"')) {
      out = text.replace(JSON_PAIR, (pair: string, key: string, value: string) => {
        const kind = value === '' ? null : this.#kind(key, allowed);
        if (kind === null) return pair;
        count++;
        return `"${key}": "${marker(kind)}"`;
      });
    }
    const scrubbed = this.#scrubber.scrub(out);
    return { text: scrubbed.text, count: count + scrubbed.count };
  }

  /** Whether `text` may hold a credential format (see ValueScrubber.suspect); `scrub` finds which. */
  suspect(text: string): boolean {
    return this.#scrubber.suspect(text);
  }

  /** Redacts credential formats inside one string (a header value, an error message). */
  scrub(text: string): { text: string; count: number } {
    return this.#scrubber.scrub(text);
  }
}
