import { now } from '../core/clock.js';

/** A run of stderr lines written together: one record on the timeline. */
export interface StderrBlock {
  /** When its first line arrived. */
  time: number;
  text: string;
  /** A line of it was cut (longer than the stderr line limit). */
  truncated: boolean;
}

export interface StderrBlockLimits {
  /** A block ends when no line followed for this long. */
  quietMs: number;
  /** ...or when it holds this many bytes or lines, so that memory and one record stay bounded. */
  maxBytes: number;
  maxLines: number;
}

/**
 * Groups stderr lines into blocks. A stack trace, a usage text or a banner is written at once (one chunk,
 * or several writes within microseconds) and reads as one thing; a record per line would scatter it over
 * the timeline, blank lines as empty rows. Lines that arrive within `quietMs` of each other form one block;
 * blank lines at a block's edges are dropped, and a block of only blank lines is no record at all.
 */
export class StderrBlocks {
  readonly #emit: (block: StderrBlock) => void;
  readonly #limits: StderrBlockLimits;
  readonly #clock: () => number;
  #lines: string[] = [];
  #bytes = 0;
  #time = 0;
  #truncated = false;
  #timer: NodeJS.Timeout | null = null;

  constructor(emit: (block: StderrBlock) => void, limits: StderrBlockLimits, clock: () => number = now) {
    this.#emit = emit;
    this.#limits = limits;
    this.#clock = clock;
  }

  /** No line is waiting: the next one starts a block. */
  get empty(): boolean {
    return this.#lines.length === 0;
  }

  line(text: string, truncated: boolean): void {
    const bytes = text.length + 1;
    if (this.#lines.length > 0 && this.#bytes + bytes > this.#limits.maxBytes) this.flush();
    if (this.#lines.length === 0) this.#time = this.#clock();
    this.#lines.push(text);
    this.#bytes += bytes;
    this.#truncated ||= truncated;
    if (this.#lines.length >= this.#limits.maxLines || this.#bytes >= this.#limits.maxBytes) {
      this.flush();
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.flush(), this.#limits.quietMs);
    this.#timer.unref();
  }

  /** Ends the block being gathered (the stream ended, the process exited, a limit was reached). */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const lines = this.#lines;
    const block = { time: this.#time, truncated: this.#truncated };
    this.#lines = [];
    this.#bytes = 0;
    this.#truncated = false;
    let start = 0;
    let end = lines.length;
    while (start < end && isBlank(lines[start] as string)) start++;
    while (end > start && isBlank(lines[end - 1] as string)) end--;
    if (start === end) return;
    this.#emit({ ...block, text: lines.slice(start, end).join('\n') });
  }
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}
