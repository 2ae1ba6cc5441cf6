export interface StderrLine {
  time: number;
  line: string;
  truncated: boolean;
  /** The process that wrote it (several in isolated mode). */
  pid: number | null;
}

/** The last lines a server wrote to stderr: for the API, and quoted when the server crashes. */
export class StderrRing {
  readonly #capacity: number;
  readonly #lines: StderrLine[] = [];
  #next = 0;
  #total = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  push(line: StderrLine): void {
    if (this.#lines.length < this.#capacity) this.#lines.push(line);
    else this.#lines[this.#next] = line;
    this.#next = (this.#next + 1) % this.#capacity;
    this.#total++;
  }

  /** Oldest first; at most `limit` of the most recent lines. */
  recent(limit: number = this.#capacity): StderrLine[] {
    const ordered =
      this.#lines.length < this.#capacity
        ? this.#lines.slice()
        : [...this.#lines.slice(this.#next), ...this.#lines.slice(0, this.#next)];
    return limit >= ordered.length ? ordered : ordered.slice(ordered.length - limit);
  }

  /** The last `limit` lines one process wrote (a crash report quotes the process that crashed, only). */
  recentOf(pid: number | undefined, limit: number): StderrLine[] {
    const own = this.recent().filter((l) => l.pid === (pid ?? null));
    return own.slice(Math.max(0, own.length - limit));
  }

  /** Lines written since the server was registered, including those no longer kept. */
  get total(): number {
    return this.#total;
  }
}
