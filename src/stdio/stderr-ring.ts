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

  /**
   * The most recent lines of one process, oldest first: what a crash quotes to the clients of that
   * process, never another's (the processes of a server share the ring, and serve different clients).
   */
  recentOf(pid: number | null | undefined, limit: number): StderrLine[] {
    const mine = this.recent().filter((line) => line.pid === (pid ?? null));
    return mine.slice(Math.max(0, mine.length - limit));
  }

  /** Lines written since the server was registered, including those no longer kept. */
  get total(): number {
    return this.#total;
  }
}
