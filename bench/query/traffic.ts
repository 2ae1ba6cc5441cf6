/**
 * Synthetic MCP traffic with realistic shapes and sizes, reproducible from a seed: sessions of clients
 * talking to a handful of servers (initialize, tools/list, tools/call with arguments and text results of
 * a few hundred bytes to tens of kilobytes, resources/read, progress notifications), about 2% JSON-RPC
 * errors and 3% tool errors. Text is drawn from a Zipf-distributed vocabulary, so search terms range from
 * rare to very common, as in real payloads.
 */

import { seededRandom } from '../../src/faults/random.js';

/** The same mulberry32 generator fault rules draw from; the generated traffic depends on it. */
export { seededRandom };

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ren',
  'tu',
  'sa',
  'vor',
  'el',
  'dan',
  'qui',
  'zo',
  'ber',
  'ni',
  'ma',
  'ta',
  'lix',
  'pe',
  'ro',
  'gan',
  'fe',
];

export const SERVERS: Readonly<Record<string, readonly string[]>> = {
  github: [
    'search_issues',
    'get_issue',
    'create_issue',
    'list_pull_requests',
    'get_file_contents',
    'search_code',
  ],
  linear: ['list_issues', 'get_issue', 'update_issue', 'create_comment'],
  filesystem: ['read_file', 'write_file', 'list_directory', 'search_files', 'get_file_info'],
  postgres: ['query', 'list_tables', 'describe_table'],
  browser: ['navigate', 'screenshot', 'click', 'get_text', 'evaluate'],
};
/** Distinct identifiers (`REF-n`) in tool calls: about one per 5 records of a million. */
export const REFERENCES = 200_000;

const CLIENTS = [
  ['claude-code', '1.0.43'],
  ['cursor', '0.48.2'],
  ['vscode-copilot', '1.101.0'],
  ['support-agent', '2.3.0'],
] as const;

export interface Exchange {
  server: string;
  sessionId: string;
  clientName: string;
  clientVersion: string;
  method: string;
  request: Record<string, unknown>;
  /** The answer, or null for a notification (which has none). */
  response: Record<string, unknown> | null;
  durationMs: number;
}

interface Session {
  id: string;
  server: string;
  client: readonly [string, string];
  left: number;
  nextId: number;
  initialized: boolean;
}

export class TrafficGenerator {
  readonly #random: () => number;
  readonly #words: string[] = [];
  readonly #cumulative: number[] = [];
  readonly #sentences: string[] = [];
  readonly #active: Session[] = [];
  #sessions = 0;

  constructor(
    seed = 42,
    readonly sessionLength = 250,
    readonly concurrentSessions = 30,
  ) {
    this.#random = seededRandom(seed);
    let total = 0;
    for (let i = 0; i < 6000; i++) {
      const syllables = 2 + (i % 3);
      let word = '';
      for (let s = 0, n = i * 7919 + 13; s < syllables; s++, n = Math.floor(n / SYLLABLES.length) + s * 31) {
        word += SYLLABLES[n % SYLLABLES.length];
      }
      this.#words.push(`${word}${i >= 400 ? i : ''}`);
      total += 1 / (i + 1) ** 1.07;
      this.#cumulative.push(total);
    }
    for (let i = 0; i < 4000; i++) {
      const length = 6 + Math.floor(this.#random() * 30);
      this.#sentences.push(Array.from({ length }, () => this.word()).join(' '));
    }
  }

  /** A vocabulary word; rank 0 is the most common. */
  wordAt(rank: number): string {
    return this.#words[rank] as string;
  }

  word(): string {
    const total = this.#cumulative[this.#cumulative.length - 1] as number;
    const target = this.#random() * total;
    let low = 0;
    let high = this.#cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.#cumulative[mid] as number) < target) low = mid + 1;
      else high = mid;
    }
    return this.#words[low] as string;
  }

  /** Text of about `chars` characters. */
  text(chars: number): string {
    const parts: string[] = [];
    let length = 0;
    while (length < chars) {
      const sentence = this.#sentences[Math.floor(this.#random() * this.#sentences.length)] as string;
      parts.push(sentence);
      length += sentence.length + 2;
    }
    return parts.join('. ');
  }

  /** Tool result sizes: mostly hundreds of bytes, a quarter a few kilobytes, 1% up to 64 KB. */
  resultSize(): number {
    const roll = this.#random();
    if (roll < 0.74) return 150 + Math.floor(this.#random() * 900);
    if (roll < 0.99) return 1000 + Math.floor(this.#random() * 7000);
    return 16_000 + Math.floor(this.#random() * 48_000);
  }

  #session(): Session {
    while (this.#active.length < this.concurrentSessions) {
      const servers = Object.keys(SERVERS);
      const n = this.#sessions++;
      this.#active.push({
        id: `${`${(n * 2654435761) >>> 0}`.padStart(10, '0')}-4c1e-8a2b-${String(n).padStart(12, '0')}`,
        server: servers[n % servers.length] as string,
        client: CLIENTS[Math.floor(this.#random() * CLIENTS.length)] as readonly [string, string],
        left: Math.floor(this.sessionLength * (0.5 + this.#random())),
        nextId: 0,
        initialized: false,
      });
    }
    const index = Math.floor(this.#random() * this.#active.length);
    const session = this.#active[index] as Session;
    if (--session.left <= 0) this.#active.splice(index, 1);
    return session;
  }

  next(): Exchange {
    const session = this.#session();
    const id = session.nextId++;
    const base = {
      server: session.server,
      sessionId: session.id,
      clientName: session.client[0],
      clientVersion: session.client[1],
    };
    const duration = () => Math.round(2 + this.#random() ** 3 * 3000 * 1000) / 1000;
    if (!session.initialized) {
      session.initialized = true;
      return {
        ...base,
        method: 'initialize',
        request: {
          jsonrpc: '2.0',
          id,
          method: 'initialize',
          params: {
            protocolVersion: '2025-06-18',
            capabilities: { roots: { listChanged: true } },
            clientInfo: { name: session.client[0], version: session.client[1] },
          },
        },
        response: {
          jsonrpc: '2.0',
          id,
          result: {
            protocolVersion: '2025-06-18',
            capabilities: { tools: {}, resources: {} },
            serverInfo: { name: `${session.server}-mcp`, version: '1.4.0' },
          },
        },
        durationMs: duration(),
      };
    }
    const tools = SERVERS[session.server] as readonly string[];
    const roll = this.#random();
    if (roll < 0.05) {
      return {
        ...base,
        method: 'tools/list',
        request: { jsonrpc: '2.0', id, method: 'tools/list', params: {} },
        response: {
          jsonrpc: '2.0',
          id,
          result: {
            tools: tools.map((name) => ({
              name,
              description: this.text(160),
              inputSchema: {
                type: 'object',
                properties: { query: { type: 'string', description: this.text(40) } },
              },
            })),
          },
        },
        durationMs: duration(),
      };
    }
    if (roll < 0.12) {
      const uri = `file:///workspace/${this.word()}/${this.word()}.md`;
      return {
        ...base,
        method: 'resources/read',
        request: { jsonrpc: '2.0', id, method: 'resources/read', params: { uri } },
        response: {
          jsonrpc: '2.0',
          id,
          result: { contents: [{ uri, mimeType: 'text/markdown', text: this.text(this.resultSize()) }] },
        },
        durationMs: duration(),
      };
    }
    if (roll < 0.2) {
      return {
        ...base,
        method: 'notifications/progress',
        request: {
          jsonrpc: '2.0',
          method: 'notifications/progress',
          params: { progressToken: id, progress: 1 + Math.floor(this.#random() * 9), total: 10 },
        },
        response: null,
        durationMs: 0,
      };
    }
    const tool = tools[Math.floor(this.#random() * tools.length)] as string;
    // An identifier such as an issue key: each one appears in a handful of records only.
    const ref = `REF-${Math.floor(this.#random() * REFERENCES)}`;
    const request = {
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: {
        name: tool,
        arguments: {
          query: this.text(20 + Math.floor(this.#random() * 200)),
          ref,
          limit: 1 + Math.floor(this.#random() * 50),
        },
      },
    };
    const outcome = this.#random();
    const response =
      outcome < 0.02
        ? {
            jsonrpc: '2.0',
            id,
            error: { code: -32602, message: `Invalid arguments for tool ${tool}: ${this.text(40)}` },
          }
        : outcome < 0.05
          ? {
              jsonrpc: '2.0',
              id,
              result: { content: [{ type: 'text', text: `Error: ${this.text(120)}` }], isError: true },
            }
          : {
              jsonrpc: '2.0',
              id,
              result: { content: [{ type: 'text', text: `${ref}: ${this.text(this.resultSize())}` }] },
            };
    return { ...base, method: 'tools/call', request, response, durationMs: duration() };
  }
}
