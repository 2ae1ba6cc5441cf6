import { secretKind } from './key-names.js';
import { ValueScrubber } from './value-patterns.js';

/**
 * Secrets in a server's configuration, masked wherever it is shown (REST API, web UI, management MCP tools,
 * startup banner, terminal lines): URL query values with secret names and userinfo passwords, secret-named
 * command-line flags and credential-shaped args, env values. A masked value keeps its last four characters
 * (when long enough to spare them) so that the owner can tell which secret is set. A masked value sent back
 * unchanged in an update means "keep the current value" (see `restoreMasked`).
 */

export function mask(value: string): string {
  return value.length >= 12 ? `****${value.slice(-4)}` : '****';
}

const scrubber = new ValueScrubber();

/** Credential formats, secret query parameters and URL passwords inside any text, masked. */
export function maskText(text: string): string {
  return scrubber.scrub(text, (secret) => mask(secret)).text;
}

/** `--token=x`, `--api-key=x`: a flag with a secret name and its value in one argument. */
const FLAG_WITH_VALUE = /^(--?[A-Za-z][A-Za-z0-9_.-]*)=(.*)$/s;
/** A flag on its own (`--token`, `--password`), whose value is the next argument. */
const FLAG = /^--?[A-Za-z][A-Za-z0-9_.-]*$/;

/** The args of a stdio command with secrets masked; one output arg per input arg, in order. */
export function maskArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  let secretNext = false;
  for (const arg of args) {
    if (secretNext) {
      secretNext = false;
      if (!arg.startsWith('-')) {
        out.push(mask(arg));
        continue;
      }
    }
    const withValue = FLAG_WITH_VALUE.exec(arg);
    if (withValue && secretKind(withValue[1] as string) !== null && withValue[2] !== '') {
      out.push(`${withValue[1]}=${mask(withValue[2] as string)}`);
      continue;
    }
    if (FLAG.test(arg) && secretKind(arg) !== null) secretNext = true;
    out.push(maskText(arg));
  }
  return out;
}

/** An env value: whole when its name is secret (`GITHUB_TOKEN`), else only the credentials inside it. */
export function maskEnvValue(name: string, value: string): string {
  return secretKind(name) !== null ? mask(value) : maskText(value);
}

/** The secret query values and userinfo password of a URL, masked; the rest as written. */
export function maskUrl(url: string): string {
  return maskText(url);
}

/** A command line for a terminal line: `npx -y server --token ****abcd`. */
export function maskedCommandLine(command: string, args: readonly string[]): string {
  return [command, ...maskArgs(args)].map((part) => (/\s/.test(part) ? `"${part}"` : part)).join(' ');
}

/**
 * Undoes masking in an update: where `update` is the masked form of `current`, the current value stays.
 * Query parameters of a URL are restored one by one, so editing the path of a URL whose `api_key` shows
 * masked keeps the key.
 */
export function restoreMasked(update: string, current: string, masked: string): string {
  if (update === masked && masked !== current) return current;
  return restoreQuery(update, current);
}

const QUERY_VALUE = /([?&;])([^=&#?;]+)=([^&#;]*)/g;

function restoreQuery(update: string, current: string): string {
  if (!update.includes('=') || !current.includes('=')) return update;
  const before = new Map<string, string>();
  for (const [, , name, value] of current.matchAll(QUERY_VALUE)) before.set(name as string, value as string);
  return update.replace(QUERY_VALUE, (pair: string, separator: string, name: string, value: string) => {
    const old = before.get(name);
    return old !== undefined && old !== value && value === mask(old) ? `${separator}${name}=${old}` : pair;
  });
}

/** Args of an update with every arg that is the masked form of a current arg put back. */
export function restoreArgs(update: readonly string[], current: readonly string[]): string[] {
  const masked = maskArgs(current);
  return update.map((arg, index) => {
    if (masked[index] === arg && current[index] !== arg) return current[index] as string;
    const at = masked.findIndex((m, i) => m === arg && current[i] !== arg);
    return at === -1 ? arg : (current[at] as string);
  });
}
