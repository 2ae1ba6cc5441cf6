import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync } from 'node:fs';
import { GatewayError } from '../core/errors.js';
import { writeFileAtomic } from '../storage/atomic-write.js';
import type { LaunchSummary } from './launch.js';

/** Who asked for a launch: what the owner needs to judge the request. */
export interface Requester {
  /** How the request came in, such as "management MCP server". */
  via: string;
  /** The MCP client's name and version from `initialize`, when it sent them. */
  client: string | null;
  userAgent: string | null;
}

export interface PendingServer {
  id: string;
  name: string;
  /** add: a new server; update: a change to a registered server's launch. */
  action: 'add' | 'update';
  /** The whole mcp.json entry that approval writes. */
  entry: Record<string, unknown>;
  launch: LaunchSummary;
  requestedAt: string;
  requestedBy: Requester;
}

/** Enough for any real use; a client looping on add_server must not grow the file without bound. */
const MAX_PENDING = 50;

/**
 * Server launches awaiting the owner's approval, kept in `<storage>/pending.json` (mode 600, written
 * atomically) so a restart does not lose them. Not a key in mcp.json: mcp.json is the owner's file, read
 * by other MCP clients too, and everything in it is in effect; a request nobody approved belongs elsewhere.
 */
export class PendingServers {
  readonly path: string;
  #entries: PendingServer[] = [];
  #listeners: (() => void)[] = [];

  constructor(path: string, log: (message: string) => void) {
    this.path = path;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        log(`cannot read ${path} (${(error as Error).message}); no launches are awaiting approval`);
      }
      return;
    }
    try {
      const parsed = JSON.parse(text) as { pending?: unknown };
      if (!Array.isArray(parsed.pending)) throw new Error('no "pending" list');
      this.#entries = parsed.pending as PendingServer[];
    } catch (error) {
      // Requests are cheap to make again, and nothing runs from them unapproved: move the file aside.
      const aside = `${path}.corrupt-${Date.now()}`;
      const problem = (error as Error).message;
      try {
        renameSync(path, aside);
        log(`${path} was unreadable (${problem}); moved it to ${aside} and started empty`);
      } catch (moveError) {
        log(
          `${path} was unreadable (${problem}) and could not be moved aside (${(moveError as Error).message}); started empty, and the next request will replace it`,
        );
      }
    }
  }

  list(): PendingServer[] {
    return [...this.#entries];
  }

  get(name: string): PendingServer | undefined {
    return this.#entries.find((entry) => entry.name === name);
  }

  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /**
   * Holds a launch for approval. One request per name at a time: a second one could otherwise swap the
   * command while the owner is reading the first.
   */
  add(request: Omit<PendingServer, 'id' | 'requestedAt'>): PendingServer {
    if (this.get(request.name)) {
      throw new GatewayError(
        409,
        `A launch of "${request.name}" is already awaiting the owner's approval; it must be approved or rejected in the web UI first.`,
      );
    }
    if (this.#entries.length >= MAX_PENDING) {
      throw new GatewayError(
        429,
        `${MAX_PENDING} launches are already awaiting the owner's approval; the owner must approve or reject some in the web UI first.`,
      );
    }
    const pending: PendingServer = { ...request, id: randomUUID(), requestedAt: new Date().toISOString() };
    this.#save([...this.#entries, pending]);
    return pending;
  }

  /** Forgets a request; 404 when there is none for the name. */
  remove(name: string): PendingServer {
    const pending = this.get(name);
    if (!pending) {
      const names = this.#entries.map((entry) => entry.name);
      throw new GatewayError(
        404,
        `No launch of "${name}" is awaiting approval; awaiting: ${names.length > 0 ? names.join(', ') : '(none)'}.`,
      );
    }
    this.#save(this.#entries.filter((entry) => entry !== pending));
    return pending;
  }

  #save(entries: PendingServer[]): void {
    writeFileAtomic(this.path, `${JSON.stringify({ pending: entries }, null, 2)}\n`);
    this.#entries = entries;
    for (const listener of this.#listeners) listener();
  }
}
