import { type FSWatcher, readFileSync, statSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { GatewayError } from '../core/errors.js';
import { DEFAULT_REDACTION, type RedactionPolicy } from '../redaction/policy.js';
import { writeFileAtomic } from '../storage/atomic-write.js';
import { fsCause, isOutOfSpace } from '../storage/storage-errors.js';
import { parseRegistryText, parseServerEntry, type RegistryDocument, type ServerConfig } from './schema.js';

export interface RegistryChange {
  added: string[];
  removed: string[];
  updated: string[];
  /** The `redaction` block changed. */
  redaction?: boolean;
  /** Who changed it: the gateway itself (the API, the management MCP server) or an edit of the file. */
  source: 'gateway' | 'file';
}

export type RegistryListener = (change: RegistryChange) => void;

/**
 * Why mcp.json could not be saved, and what to do. A full disk is 507 Insufficient Storage (RFC 4918
 * section 11.5); any other cause is the gateway's side failing (500), said plainly. Either way the write
 * was atomic, so mcp.json is as it was.
 */
function writeFailure(path: string, error: unknown): GatewayError {
  const cause = fsCause(error);
  if (isOutOfSpace(error)) {
    return new GatewayError(
      507,
      `Could not save ${path}: ${cause}. Nothing was changed; free some disk space and try again.`,
      { cause: error },
    );
  }
  return new GatewayError(
    500,
    `Could not save ${path}: ${cause}. Nothing was changed; make the storage dir writable for the gateway's user and try again.`,
    { cause: error },
  );
}

/**
 * The server registry, backed by mcp.json. Hand edits are picked up while running; a malformed file is
 * reported and never overwritten, and the last good configuration stays in effect until it is fixed.
 */
export class Registry {
  readonly path: string;
  #document: RegistryDocument = {
    raw: { mcpServers: {} },
    rawServers: {},
    servers: new Map(),
    redaction: DEFAULT_REDACTION,
  };
  #error: string | null = null;
  #lastText: string | null = null;
  #listeners: RegistryListener[] = [];
  #watcher: FSWatcher | null = null;
  #poll: NodeJS.Timeout | null = null;
  #debounce: NodeJS.Timeout | null = null;
  #lastStat = '';
  readonly #log: (message: string) => void;
  readonly #info: (message: string) => void;
  readonly #writeFile: (path: string, text: string) => void;
  /** True while the gateway applies its own write, so that listeners can tell it from a hand edit. */
  #writing = false;

  /** `writeFile` must replace the file atomically; tests pass one that fails like a full disk. */
  constructor(
    path: string,
    log: (message: string) => void,
    writeFile: (path: string, text: string) => void = writeFileAtomic,
    /** Good news (the file is valid again) is not a warning. */
    info: (message: string) => void = log,
  ) {
    this.path = path;
    this.#log = log;
    this.#info = info;
    this.#writeFile = writeFile;
    this.reload();
  }

  /** The problem with mcp.json as it is on disk, or null when the file is fine. */
  get error(): string | null {
    return this.#error;
  }

  get servers(): ReadonlyMap<string, ServerConfig> {
    return this.#document.servers;
  }

  /** What capture redacts, from the `redaction` block of mcp.json. */
  get redaction(): RedactionPolicy {
    return this.#document.redaction;
  }

  get(name: string): ServerConfig | undefined {
    return this.#document.servers.get(name);
  }

  names(): string[] {
    return [...this.#document.servers.keys()].sort();
  }

  onChange(listener: RegistryListener): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /** Reads mcp.json again; returns true when what is in effect changed. */
  reload(): boolean {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        return this.#fail(`cannot read ${this.path}: ${(error as Error).message}`);
      }
      text = '';
    }
    if (text === this.#lastText && this.#error === null) return false;
    this.#lastText = text;
    const result = parseRegistryText(text);
    if (!result.ok) {
      return this.#fail(
        `${this.path} is invalid, so the last good configuration stays in effect:\n  - ${result.problems.join('\n  - ')}`,
      );
    }
    if (this.#error !== null) this.#info(`${this.path} is valid again; configuration reloaded`);
    this.#error = null;
    return this.#apply(result.document);
  }

  #fail(message: string): boolean {
    if (message !== this.#error) this.#log(message);
    this.#error = message;
    return false;
  }

  #apply(document: RegistryDocument): boolean {
    const before = this.#document.servers;
    const change: RegistryChange = {
      added: [],
      removed: [],
      updated: [],
      source: this.#writing ? 'gateway' : 'file',
    };
    for (const [name, config] of document.servers) {
      const old = before.get(name);
      if (!old) change.added.push(name);
      else if (JSON.stringify(old) !== JSON.stringify(config)) change.updated.push(name);
    }
    for (const name of before.keys()) if (!document.servers.has(name)) change.removed.push(name);
    if (JSON.stringify(this.#document.redaction) !== JSON.stringify(document.redaction))
      change.redaction = true;
    this.#document = document;
    const changed =
      change.added.length + change.removed.length + change.updated.length > 0 || change.redaction === true;
    if (changed) {
      for (const listener of this.#listeners) listener(change);
    }
    return changed;
  }

  /** Adds a server; 409 when the name is taken. */
  add(name: string, entry: unknown): ServerConfig {
    return this.#modify(name, entry, (exists) => {
      if (exists) {
        throw new GatewayError(
          409,
          `server "${name}" already exists: use PUT /api/servers/config/${name} to change it`,
        );
      }
    });
  }

  /** Replaces a server's entry; 404 when there is none. */
  replace(name: string, entry: unknown): ServerConfig {
    return this.#modify(name, entry, (exists) => {
      if (!exists) throw this.#unknown(name);
    });
  }

  remove(name: string): void {
    const document = this.#freshDocument();
    if (!(name in document.rawServers)) throw this.#unknown(name);
    const rawServers = { ...document.rawServers };
    delete rawServers[name];
    this.#write({ ...document.raw, mcpServers: rawServers });
  }

  #unknown(name: string): GatewayError {
    const names = this.names();
    return new GatewayError(
      404,
      `no server named "${name}"; registered: ${names.length > 0 ? names.join(', ') : '(none)'}`,
    );
  }

  #modify(name: string, entry: unknown, check: (exists: boolean) => void): ServerConfig {
    const result = parseServerEntry(name, entry);
    if (!result.ok) throw new GatewayError(400, result.problems.join('; '));
    const document = this.#freshDocument();
    check(name in document.rawServers);
    this.#write({ ...document.raw, mcpServers: { ...document.rawServers, [name]: entry } });
    return result.config;
  }

  /** The document on disk right now: writes start from it so that concurrent hand edits are not lost. */
  #freshDocument(): RegistryDocument {
    this.reload();
    if (this.#error !== null) {
      throw new GatewayError(
        409,
        `${this.path} has errors and the gateway never overwrites a file it cannot read; fix it by hand first. ${this.#error}`,
      );
    }
    return this.#document;
  }

  #write(raw: Record<string, unknown>): void {
    const text = `${JSON.stringify(raw, null, 2)}\n`;
    try {
      this.#writeFile(this.path, text);
    } catch (error) {
      throw writeFailure(this.path, error);
    }
    this.#writing = true;
    try {
      this.reload();
    } finally {
      this.#writing = false;
    }
  }

  /** Watches mcp.json for hand edits: inotify on the directory (editors replace files), plus a slow poll. */
  watch(pollMs = 2000): void {
    if (this.#watcher || this.#poll) return;
    const name = basename(this.path);
    const schedule = () => {
      if (this.#debounce) clearTimeout(this.#debounce);
      this.#debounce = setTimeout(() => {
        this.#debounce = null;
        this.reload();
      }, 50);
      this.#debounce.unref();
    };
    try {
      this.#watcher = watch(dirname(this.path), (_event, file) => {
        if (file === null || file === name) schedule();
      });
      this.#watcher.on('error', () => {
        this.#watcher?.close();
        this.#watcher = null;
      });
      this.#watcher.unref();
    } catch {
      // Some file systems cannot be watched; the poll below still notices edits.
    }
    this.#poll = setInterval(() => {
      let stamp = '';
      try {
        const stat = statSync(this.path);
        stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
      } catch {
        stamp = 'missing';
      }
      if (stamp !== this.#lastStat) {
        this.#lastStat = stamp;
        schedule();
      }
    }, pollMs);
    this.#poll.unref();
  }

  close(): void {
    this.#watcher?.close();
    this.#watcher = null;
    if (this.#poll) clearInterval(this.#poll);
    this.#poll = null;
    if (this.#debounce) clearTimeout(this.#debounce);
    this.#debounce = null;
  }
}
