const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
/** Bytes kept from the end of a cut line: enough to read the JSON-RPC id the SDKs write last. */
const TAIL_BYTES = 256;

export interface LineHandlers {
  /** A complete line, without its newline (and without a trailing CR). */
  line(line: Buffer): void;
  /** A line grew past the limit: `head` is what had arrived; the rest of the line will be skipped. */
  overflow(head: Buffer): void;
  /** The cut line finally ended: its whole length, and its last bytes. */
  overflowEnd(totalBytes: number, tail: Buffer): void;
}

/**
 * Newline framing for stdio streams (MCP Transports, stdio: "Messages are delimited by newlines, and MUST
 * NOT contain embedded newlines"). Memory is bounded by `maxLineBytes`: a line that outgrows it is
 * reported and skipped up to its newline, never buffered whole.
 */
export class LineSplitter {
  readonly #max: number;
  readonly #handlers: LineHandlers;
  #parts: Buffer[] = [];
  #size = 0;
  /** Bytes of the current line skipped so far, or -1 when not skipping. */
  #skipped = -1;
  #tail: Buffer = Buffer.alloc(0);

  constructor(maxLineBytes: number, handlers: LineHandlers) {
    this.#max = maxLineBytes;
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
      const line = this.#parts.length === 0 ? piece : Buffer.concat([...this.#parts, piece]);
      this.#parts = [];
      this.#size = 0;
      this.#handlers.line(trimCarriageReturn(line));
    }
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
    const room = this.#max - this.#size;
    const head = Buffer.concat([...this.#parts, piece.subarray(0, room)]);
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

function trimCarriageReturn(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN ? line.subarray(0, -1) : line;
}
