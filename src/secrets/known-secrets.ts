import { secretKind } from '../redaction/key-names.js';
import { MIN_SECRET_VALUE_LENGTH, type SecretValue } from '../redaction/value-patterns.js';
import type { ReferenceSources } from './references.js';

/** Old values stay redacted after a secret changes; past this many the oldest are forgotten. */
const MAX_KNOWN = 256;

/** `headers.X-Api-Key` → `X-Api-Key`, for the fields whose keys name what they hold. */
function fieldKey(field: string): { record: string; key: string } | null {
  const dot = field.indexOf('.');
  return dot === -1 ? null : { record: field.slice(0, dot), key: field.slice(dot + 1) };
}

/**
 * The values the gateway has filled references in with that are credentials: every `${secret:NAME}`, and a
 * `${VAR}` whose name says it holds one (GITHUB_TOKEN, API_KEY: key-names.ts) or that fills in a header or
 * a secret-named env entry (`"GITHUB_PERSONAL_ACCESS_TOKEN": "${GH}"`). Capture looks for them verbatim,
 * so a server that echoes its env or the headers it was sent (a debugging tool, a hostile server) cannot
 * put them into logs.db, an export or the UI. Kept in memory only.
 */
export class KnownSecrets {
  /** Value → the reference it came from, oldest first. */
  readonly #values = new Map<string, string>();
  readonly #onChange: () => void;

  /** `onChange` runs when a value is seen for the first time, to send capture the new list. */
  constructor(onChange: () => void) {
    this.#onChange = onChange;
  }

  /** `sources` that remember the credentials they hand out. */
  watch(sources: ReferenceSources, field?: string): ReferenceSources {
    const at = field === undefined ? null : fieldKey(field);
    const credentialField =
      at !== null && (at.record === 'headers' || (at.record === 'env' && secretKind(at.key) !== null));
    return {
      env: (name) => {
        const value = sources.env(name);
        if (value !== undefined && (credentialField || secretKind(name) !== null))
          this.#seen(`env:${name}`, value);
        return value;
      },
      secret: (name) => {
        const value = sources.secret(name);
        if (value !== undefined) this.#seen(`secret:${name}`, value);
        return value;
      },
      at: (next) => this.watch(sources, next),
    };
  }

  list(): SecretValue[] {
    return [...this.#values].map(([value, kind]) => ({ kind, value }));
  }

  #seen(kind: string, value: string): void {
    if (value.length < MIN_SECRET_VALUE_LENGTH || this.#values.get(value) === kind) return;
    this.#values.delete(value);
    this.#values.set(value, kind);
    if (this.#values.size > MAX_KNOWN) this.#values.delete(this.#values.keys().next().value as string);
    this.#onChange();
  }
}
