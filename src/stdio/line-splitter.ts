import { StringDecoder } from 'node:string_decoder';

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
 * reported and skipped up to its newline, never buffered whole.
 *
 * A line that spans chunks is decoded chunk by chunk as it arrives and joined once at its newline: a
 * large message is held as its text only, not also as the chunks it came in and a joined copy of them.
 */
export class LineSplitter {
  readonly #max: number;
  readonly #headBytes: number;
  readonly #handlers: LineHandlers;
  readonly #decoder = new StringDecoder('utf8');
  /** The current line so far, decoded, and its first bytes (for `overflow`). */
  #pieces: string[] = [];
  #head: Buffer[] = [];
  #headSize = 0;
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

  /** What is left when the stream ends: a last line without a newline still counts. */
  end(): void {
    if (this.#skipped >= 0) this.#endSkip(Buffer.alloc(0));
    else if (this.#size > 0) this.push(Buffer.from([NEWLINE]));
  }

  /** The line that `last` completes, as text; what was kept of it is let go before it is handled. */
  #take(last: Buffer): string {
    if (this.#pieces.length === 0) return trimCarriageReturn(last.toString('utf8'));
    this.#pieces.push(this.#decoder.write(last), this.#decoder.end());
    const line = this.#pieces.join('');
    this.#reset();
    return trimCarriageReturn(line);
  }

  #reset(): void {
    this.#pieces = [];
    this.#head = [];
    this.#headSize = 0;
    this.#size = 0;
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
    if (this.#headSize < this.#headBytes) {
      // A copy: the chunk it comes from is let go once decoded.
      const kept = Buffer.from(piece.subarray(0, this.#headBytes - this.#headSize));
      this.#head.push(kept);
      this.#headSize += kept.length;
    }
    this.#pieces.push(this.#decoder.write(piece));
    this.#size += piece.length;
  }

  #startSkip(piece: Buffer): void {
    const head = Buffer.concat([...this.#head, piece.subarray(0, this.#headBytes - this.#headSize)]);
    this.#tail = Buffer.alloc(0);
    this.#keepTail(lastBytes(this.#pieces));
    this.#keepTail(piece);
    this.#skipped = this.#size + piece.length;
    this.#decoder.end();
    this.#reset();
    this.#handlers.overflow(head);
  }

  #endSkip(last: Buffer): void {
    this.#skipped += last.length;
    this.#keepTail(last);
    const total = this.#skipped;
    const tail = trimCarriageReturnBytes(this.#tail);
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

/** The last TAIL_BYTES (or so) of the decoded pieces, as bytes again: only read when a line is cut. */
function lastBytes(pieces: readonly string[]): Buffer {
  const taken: string[] = [];
  let length = 0;
  for (let i = pieces.length - 1; i >= 0 && length < TAIL_BYTES; i--) {
    const piece = pieces[i] as string;
    const part = piece.length > TAIL_BYTES ? piece.slice(piece.length - TAIL_BYTES) : piece;
    taken.unshift(part);
    length += part.length;
  }
  return Buffer.from(taken.join(''), 'utf8');
}

function trimCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function trimCarriageReturnBytes(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN ? line.subarray(0, -1) : line;
}
