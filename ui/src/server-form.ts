import { isValidServerName, SERVER_NAME_PATTERN } from '../../src/core/server-name.js';
import { joinArgs, splitArgs } from './command-line';

/** The add/edit server form, and the mcp.json entry it reads from and writes to. */

export interface Pair {
  key: string;
  value: string;
}

export interface ServerFormState {
  name: string;
  type: 'http' | 'stdio';
  /** An HTTP server speaking the legacy HTTP+SSE transport (MCP 2024-11-05): saved as type "sse". */
  legacySse: boolean;
  url: string;
  headers: Pair[];
  command: string;
  args: string;
  env: Pair[];
  cwd: string;
  sessionMode: 'shared' | 'isolated';
}

export const EMPTY_FORM: ServerFormState = {
  name: '',
  type: 'http',
  legacySse: false,
  url: '',
  headers: [],
  command: '',
  args: '',
  env: [],
  cwd: '',
  sessionMode: 'shared',
};

type Entry = Record<string, unknown>;

function pairs(record: unknown): Pair[] {
  if (typeof record !== 'object' || record === null) return [];
  return Object.entries(record as Record<string, unknown>).map(([key, value]) => ({
    key,
    value: String(value),
  }));
}

function record(list: readonly Pair[]): Record<string, string> | undefined {
  const kept = list.filter((pair) => pair.key.trim() !== '');
  if (kept.length === 0) return undefined;
  return Object.fromEntries(kept.map((pair) => [pair.key.trim(), pair.value]));
}

/** The form for an existing entry (secrets arrive masked and stay so unless retyped). */
export function formFromEntry(name: string, entry: Entry): ServerFormState {
  const stdio = entry.type === 'stdio';
  return {
    name,
    type: stdio ? 'stdio' : 'http',
    legacySse: entry.type === 'sse',
    url: typeof entry.url === 'string' ? entry.url : '',
    headers: pairs(entry.headers),
    command: typeof entry.command === 'string' ? entry.command : '',
    args: Array.isArray(entry.args) ? joinArgs(entry.args.map(String)) : '',
    env: pairs(entry.env),
    cwd: typeof entry.cwd === 'string' ? entry.cwd : '',
    sessionMode: entry.sessionMode === 'isolated' ? 'isolated' : 'shared',
  };
}

const HTTP_FIELDS = ['url', 'headers'];
const STDIO_FIELDS = ['command', 'args', 'env', 'cwd', 'sessionMode'];

/**
 * The entry to save: the fields the form manages over the current entry, so fields it does not show
 * (timeouts, restart policy) are kept; switching type drops the other type's fields.
 */
export function entryFromForm(form: ServerFormState, current: Entry = {}): Entry {
  const entry: Entry = { ...current, type: form.type === 'http' && form.legacySse ? 'sse' : form.type };
  const set = (key: string, value: unknown) => {
    if (value === undefined || value === '') delete entry[key];
    else entry[key] = value;
  };
  for (const key of form.type === 'http' ? STDIO_FIELDS : HTTP_FIELDS) delete entry[key];
  if (form.type === 'http') {
    set('url', form.url.trim());
    set('headers', record(form.headers));
  } else {
    set('command', form.command.trim());
    const args = splitArgs(form.args);
    set('args', args.length > 0 ? args : undefined);
    set('env', record(form.env));
    set('cwd', form.cwd.trim());
    set(
      'sessionMode',
      form.sessionMode === 'shared' && current.sessionMode === undefined ? undefined : form.sessionMode,
    );
  }
  return entry;
}

export type FormField = 'name' | 'url' | 'command';

/** What must be fixed before saving, per field; checked here to save a round trip, the gateway checks it all again. */
export function formProblems(form: ServerFormState): Partial<Record<FormField, string>> {
  const problems: Partial<Record<FormField, string>> = {};
  const name = nameProblem(form.name);
  if (name) problems.name = name;
  if (form.type === 'http' && !/^https?:\/\/./.test(form.url.trim())) {
    problems.url =
      'The URL of the MCP endpoint starts with http:// or https:// (for example http://localhost:3001/mcp).';
  }
  if (form.type === 'stdio' && form.command.trim() === '') {
    problems.command =
      'Give the command that starts the server (for example npx), and its arguments beside it.';
  }
  return problems;
}

/** Why a name cannot be a server's name (it goes in the proxy URL), or null. */
export function nameProblem(name: string): string | null {
  if (name === '') return 'Give the server a name: clients reach it at /s/<name>/mcp.';
  if (!SERVER_NAME_PATTERN.test(name)) {
    return 'The name goes in URLs: lower-case letters, digits, - and _, starting with a letter or digit (for example my-server).';
  }
  if (!isValidServerName(name)) {
    return `"${name}" is taken by the gateway's own API: pick another name (for example ${name}-server).`;
  }
  return null;
}

/** The first thing to fix, if any. */
export function formProblem(form: ServerFormState): string | null {
  return Object.values(formProblems(form))[0] ?? null;
}

export interface LaunchPreviewData {
  command: string;
  commandLine: string;
  envNames: string[];
  cwd: string | null;
}

/** The program a stdio form would start, as the line a shell would read (null for http or no command yet). */
export function launchPreview(form: ServerFormState): LaunchPreviewData | null {
  const command = form.command.trim();
  if (form.type !== 'stdio' || command === '') return null;
  return {
    command,
    commandLine: joinArgs([command, ...splitArgs(form.args)]),
    envNames: form.env.map((pair) => pair.key.trim()).filter((key) => key !== ''),
    cwd: form.cwd.trim() || null,
  };
}

/** Whether saving starts a program other than the one running now (a new stdio server, or a new launch). */
export function startsNewLaunch(form: ServerFormState, current?: Entry): boolean {
  if (form.type !== 'stdio') return false;
  if (current?.type !== 'stdio') return true;
  const next = entryFromForm(form, current);
  return ['command', 'args', 'env', 'cwd'].some(
    (key) => JSON.stringify(next[key] ?? null) !== JSON.stringify(current[key] ?? null),
  );
}
