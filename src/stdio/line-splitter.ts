const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
/** Bytes kept from the end of a cut line: enough to read the JSON-RPC id the SDKs write last. */
const TAIL_BYTES = 256;

export interface LineHandlers {
  /** A complete line, decoded as UTF-8, without its newline (and without a trailing CR). */
  line(line: string): void;
  /** A line grew past the limit: `head` is its first bytes; the rest of the line will be skipped. */
  overflow(head: Buffer): void;
  /** The cut line finally ended: its whole length, and its last bytes. */
  overflowEnd(totalBytes: number, tail: Buffer): void;
}

/**
 * Newline framing for stdio streams (MCP Transports, stdio: "Messages are delimited by newlines, and MUST
 * NOT contain embedded newlines"). Memory is bounded by `maxLineBytes`: a line that outgrows it is
 * reported and skipped up to its newline, never buffered whole. A complete line is joined and decoded
 * once, and its bytes are let go before it is handed on: a large message is not held twice while it is
 * being parsed and forwarded.
 */
export class LineSplitter {
  readonly #max: number;
  readonly #headBytes: number;
  readonly #handlers: LineHandlers;
  #parts: Buffer[] = [];
  #size = 0;
  /** Bytes of the current line skipped so far, or -1 when not skipping. */
  #skipped = -1;
  #tail: Buffer = Buffer.alloc(0);

  /** `headBytes`: how much of a cut line `overflow` reports (all that fits in the limit, by default). */
  constructor(maxLineBytes: number, handlers: LineHandlers, headBytes = maxLineBytes) {
    this.#max = maxLineBytes;
    this.#headBytes = Math.min(headBytes, maxLineBytes);
    this.#handlers = handlers;
  }

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end === -1) {
        this.#append(chunk.subarray(start));
        return;
      }
      const piece = chunk.subarray(start, end);
      start = end + 1;
      if (this.#skipped >= 0) {
        this.#endSkip(piece);
        continue;
      }
      if (this.#size + piece.length > this.#max) {
        this.#startSkip(piece);
        this.#endSkip(Buffer.alloc(0));
        continue;
      }
      this.#handlers.line(this.#take(piece));
    }
  }

  /** The line that `last` completes, as text; its bytes are dropped here, before the line is handled. */
  #take(last: Buffer): string {
    const bytes = this.#parts.length === 0 ? last : Buffer.concat([...this.#parts, last]);
    this.#parts = [];
    this.#size = 0;
    return trimCarriageReturn(bytes).toString('utf8');
  }

  /** What is left when the stream ends: a last line without a newline still counts. */
  end(): void {
    if (this.#skipped >= 0) this.#endSkip(Buffer.alloc(0));
    else if (this.#size > 0) this.push(Buffer.from([NEWLINE]));
  }

  #append(piece: Buffer): void {
    if (this.#skipped >= 0) {
      this.#skipped += piece.length;
      this.#keepTail(piece);
      return;
    }
    if (this.#size + piece.length > this.#max) {
      this.#startSkip(piece);
      return;
    }
    this.#parts.push(piece);
    this.#size += piece.length;
  }

  #startSkip(piece: Buffer): void {
    const head = firstBytes([...this.#parts, piece], this.#headBytes);
    this.#skipped = this.#size + piece.length;
    this.#tail = Buffer.alloc(0);
    for (const part of this.#parts) this.#keepTail(part);
    this.#keepTail(piece);
    this.#parts = [];
    this.#size = 0;
    this.#handlers.overflow(head);
  }

  #endSkip(last: Buffer): void {
    this.#skipped += last.length;
    this.#keepTail(last);
    const total = this.#skipped;
    const tail = trimCarriageReturn(this.#tail);
    this.#skipped = -1;
    this.#tail = Buffer.alloc(0);
    this.#handlers.overflowEnd(total, tail);
  }

  #keepTail(piece: Buffer): void {
    if (piece.length >= TAIL_BYTES) {
      this.#tail = Buffer.from(piece.subarray(piece.length - TAIL_BYTES));
    } else if (piece.length > 0) {
      const joined = Buffer.concat([this.#tail, piece]);
      this.#tail = joined.length > TAIL_BYTES ? joined.subarray(joined.length - TAIL_BYTES) : joined;
    }
  }
}

/** The first `count` bytes of `parts` together, copying no more than that. */
function firstBytes(parts: readonly Buffer[], count: number): Buffer {
  const taken: Buffer[] = [];
  let left = count;
  for (const part of parts) {
    if (left <= 0) break;
    const piece = part.length > left ? part.subarray(0, left) : part;
    taken.push(piece);
    left -= piece.length;
  }
  return Buffer.concat(taken);
}

function trimCarriageReturn(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN ? line.subarray(0, -1) : line;
}
