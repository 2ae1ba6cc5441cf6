import { secretKind } from './key-names.js';

/**
 * Credential formats recognised anywhere in a string, whatever key (or no key) holds it: the prefixes
 * vendors give their keys precisely so that scanners can find them. All patterns are alternatives of one
 * regular expression, so a string is scanned once whatever the number of formats.
 */
const BUILT_IN: readonly (readonly [kind: string, source: string])[] = [
  // PEM private keys (RFC 7468 section 10): the whole block, any key type.
  [
    'private_key',
    String.raw`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----`,
  ],
  // JSON Web Tokens (RFC 7519): base64url header and claims, both JSON objects, so both start "eyJ".
  ['jwt', String.raw`\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`],
  // OpenAI / Anthropic style ("sk-", "sk-proj-", "sk-ant-", "sk-live-") and Stripe ("sk_live_", "rk_test_").
  [
    'api_key',
    String.raw`\b(?:sk-(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{16,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,})`,
  ],
  // GitHub tokens: classic (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained (github_pat_).
  ['github_token', String.raw`\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})`],
  ['slack_token', String.raw`\bxox[abprs]-[A-Za-z0-9-]{10,}`],
  ['aws_access_key', String.raw`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`],
  ['google_api_key', String.raw`\bAIza[0-9A-Za-z_-]{35}`],
  // "Bearer <token>" (RFC 6750 section 2.1); the token must look random (a digit) to spare prose.
  ['bearer', String.raw`\bBearer\s+(?=[A-Za-z0-9._~+/-]*\d)[A-Za-z0-9._~+/-]{12,}=*`],
];

/** A query parameter (`?api_key=...&x=1`); the name decides, see key-names.ts. */
const QUERY_PARAM = String.raw`[?&;]([A-Za-z0-9_.\-\[\]]{2,64})=([^&#\s"'<>\\]+)`;
/** The password of a URL's userinfo (`scheme://user:password@host`), RFC 3986 section 3.2.1. */
const USERINFO = String.raw`\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@"'<>]*:([^@\s/"'<>]+)@`;

/**
 * A cheap first look: literal prefixes of the formats above, query parameters whose names end like a
 * secret, and URL userinfo. Most strings in a payload hold none of them and are left after this one fast
 * scan; only the rest get the full patterns.
 */
const PREFILTER = String.raw`-----BEGIN|eyJ|sk-|[sr]k_|gh[pousr]_|github_pat_|xox|AKIA|ASIA|AIza|Bearer|[?&;][^=&#\s]*(?:[Kk][Ee][Yy]|[Tt][Oo][Kk][Ee][Nn]|[Ss][Ee][Cc][Rr][Ee][Tt]|[Pp][Aa][Ss][Ss]|[Pp][Hh][Rr][Aa][Ss][Ee]|[Cc][Rr][Ee][Dd]|[Aa][Uu][Tt][Hh]|[Cc][Oo][Oo][Kk][Ii][Ee])[^=&#\s]*=|://[^/\s:@"'<>]*:[^@\s/"'<>]+@`;
/** With extra key names, any query parameter may be one of them. */
const ANY_QUERY_PARAM = String.raw`[?&;][^=&#\s]{1,64}=`;

/** A user-defined value pattern: a regular expression (JavaScript syntax) and the kind it marks. */
export interface ValuePattern {
  kind: string;
  pattern: string;
}

/** A value a reference was filled in with, and what its marker calls it (`secret:GITHUB_TOKEN`). */
export interface SecretValue {
  readonly kind: string;
  readonly value: string;
}

/**
 * Shorter values are not looked for verbatim: a four-digit PIN would be "found" in every timestamp. Such a
 * value is still redacted wherever its key name or its format gives it away.
 */
export const MIN_SECRET_VALUE_LENGTH = 8;

/** A regular expression source that matches `text` literally. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function marker(kind: string): string {
  return `[REDACTED:${kind}]`;
}

/** How many capturing groups a regular expression source holds (an empty alternative always matches). */
function groupCount(source: string): number {
  return (new RegExp(`${source}|`).exec('') as RegExpExecArray).length - 1;
}

/** A compiled set of value patterns: `scrub` replaces every match in a string and counts them. */
export class ValueScrubber {
  readonly #combined: RegExp;
  readonly #prefilter: RegExp;
  readonly #kinds: string[];
  /** The number of the group wrapping each alternative: patterns, then the query parameter, then userinfo. */
  readonly #groupStarts: number[] = [];
  readonly #extraNames: ReadonlyMap<string, string> | undefined;
  /** The shortest string that may hold something to redact. */
  readonly #shortest: number;

  /**
   * `patterns` are checked (see policy.ts) before they get here; `extraNames` as for secretKind. `secrets`
   * come first: a stored secret that also has a known format is named after its reference.
   */
  constructor(
    patterns: readonly ValuePattern[] = [],
    extraNames?: ReadonlyMap<string, string>,
    secrets: readonly SecretValue[] = [],
  ) {
    // Longest first, so a secret that contains another is replaced whole. A value with quotes or
    // backslashes is also looked for as it reads inside JSON text (a body that could not be parsed).
    const found = secrets
      .flatMap((secret) => {
        const escaped = JSON.stringify(secret.value).slice(1, -1);
        return escaped === secret.value ? [secret] : [secret, { kind: secret.kind, value: escaped }];
      })
      .filter((secret) => secret.value.length >= MIN_SECRET_VALUE_LENGTH)
      .sort((a, b) => b.value.length - a.value.length);
    const verbatim = found.map((secret) => ({ kind: secret.kind, pattern: literal(secret.value) }));
    const all = [...verbatim, ...BUILT_IN.map(([kind, pattern]) => ({ kind, pattern })), ...patterns];
    this.#kinds = all.map((p) => p.kind);
    const sources = [...all.map((p) => p.pattern), QUERY_PARAM, USERINFO];
    // Each alternative is wrapped in a group; custom patterns may hold groups of their own, so the
    // alternative that matched is found by which wrapper group is set.
    let next = 1;
    for (const source of sources) {
      this.#groupStarts.push(next);
      next += 1 + groupCount(source);
    }
    this.#combined = new RegExp(sources.map((source) => `(${source})`).join('|'), 'g');
    const looks = [PREFILTER, ...patterns.map((p) => p.pattern), ...verbatim.map((p) => p.pattern)];
    if (extraNames && extraNames.size > 0) looks.push(ANY_QUERY_PARAM);
    this.#prefilter = new RegExp(looks.map((source) => `(?:${source})`).join('|'));
    this.#extraNames = extraNames;
    this.#shortest = Math.min(10, ...found.map((secret) => secret.value.length));
  }

  /**
   * Whether `text` may hold a credential: false for nearly every string of a payload, which `scrub` then
   * returns as it is. Callers that check first spare a result object for each of them.
   */
  suspect(text: string): boolean {
    // Nothing the patterns find is shorter than this; most strings in a payload are.
    return text.length >= this.#shortest && this.#prefilter.test(text);
  }

  /**
   * `text` with credentials replaced, and how many were. `hide` says what a secret becomes (a
   * `[REDACTED:<kind>]` marker by default; config masking keeps its last characters instead).
   */
  scrub(
    text: string,
    hide: (secret: string, kind: string) => string = (_secret, kind) => marker(kind),
  ): {
    text: string;
    count: number;
  } {
    if (!this.suspect(text)) return { text, count: 0 };
    let count = 0;
    const starts = this.#groupStarts;
    const kinds = this.#kinds;
    const patternCount = kinds.length;
    const result = text.replace(this.#combined, (match: string, ...groups: unknown[]) => {
      const at = (group: number) => groups[group - 1] as string | undefined;
      for (let i = 0; i < patternCount; i++) {
        if (at(starts[i] as number) !== undefined) {
          count++;
          const kind = kinds[i] as string;
          if (kind !== 'bearer') return hide(match, kind);
          // The scheme of an Authorization-style value helps debugging and is no secret.
          const token = match.replace(/^Bearer\s+/, '');
          return `${match.slice(0, match.length - token.length)}${hide(token, kind)}`;
        }
      }
      const queryStart = starts[patternCount] as number;
      if (at(queryStart) !== undefined) {
        const name = at(queryStart + 1) as string;
        const kind = secretKind(name, this.#extraNames);
        if (kind === null) return match;
        count++;
        return `${match[0]}${name}=${hide(at(queryStart + 2) as string, kind)}`;
      }
      const userinfoStart = starts[patternCount + 1] as number;
      const password = at(userinfoStart + 1) as string;
      count++;
      return `${match.slice(0, match.length - password.length - 1)}${hide(password, 'password')}@`;
    });
    return { text: count > 0 ? result : text, count };
  }
}
