/**
 * A batch's column values packed into one ArrayBuffer, which the capture worker transfers to the writer
 * thread instead of having an array of them structured-cloned. The bytes live outside the JavaScript heap:
 * the capture worker holds no strings for the batch until it ends, and the writer makes each string just
 * before it binds it, so neither thread's scavenges copy and promote a whole batch of message text (they
 * did, several MB at each scavenge: nearly everything still to be stored is alive mid-batch).
 *
 * Values are null, numbers or strings (rows.ts makes every column one of these). Each is a tag byte, then a
 * little-endian float64, or a uint32 length and that many bytes of UTF-8. A string with a lone surrogate (a
 * summary clipped inside an emoji) goes as UTF-16 instead: UTF-8 would turn it into U+FFFD, and the writer
 * must bind the very string capture made, which SQLite stores its own way.
 */

const NULL = 0;
const NUMBER = 1;
const STRING = 2;
const UTF16 = 3;

/** String.prototype.isWellFormed (ES2024, in Node 20): false when the string holds a lone surrogate. */
const wellFormed = (text: string) => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

const FIRST_SIZE = 256 * 1024;
const encoder = new TextEncoder();

export class RowPacker {
  #buffer = new ArrayBuffer(FIRST_SIZE);
  #bytes = new Uint8Array(this.#buffer);
  #view = new DataView(this.#buffer);
  #at = 0;

  /** Bytes packed so far. */
  get length(): number {
    return this.#at;
  }

  #room(bytes: number): void {
    const needed = this.#at + bytes;
    if (needed <= this.#buffer.byteLength) return;
    let size = this.#buffer.byteLength * 2;
    while (size < needed) size *= 2;
    const buffer = new ArrayBuffer(size);
    const grown = new Uint8Array(buffer);
    grown.set(this.#bytes.subarray(0, this.#at));
    this.#buffer = buffer;
    this.#bytes = grown;
    this.#view = new DataView(buffer);
  }

  add(value: unknown): void {
    if (value === null || value === undefined) {
      this.#room(1);
      this.#bytes[this.#at++] = NULL;
    } else if (typeof value === 'number') {
      this.#room(9);
      this.#bytes[this.#at] = NUMBER;
      this.#view.setFloat64(this.#at + 1, value, true);
      this.#at += 9;
    } else if (typeof value === 'string' && !wellFormed(value)) {
      this.#room(5 + value.length * 2);
      this.#bytes[this.#at] = UTF16;
      this.#view.setUint32(this.#at + 1, value.length * 2, true);
      let at = this.#at + 5;
      for (let i = 0; i < value.length; i++, at += 2) this.#view.setUint16(at, value.charCodeAt(i), true);
      this.#at = at;
    } else if (typeof value === 'string') {
      // A UTF-16 code unit takes at most 3 bytes of UTF-8.
      const most = value.length * 3;
      this.#room(5 + most);
      this.#bytes[this.#at] = STRING;
      const start = this.#at + 5;
      const { written } = encoder.encodeInto(value, this.#bytes.subarray(start, start + most));
      this.#view.setUint32(this.#at + 1, written, true);
      this.#at = start + written;
    } else {
      throw new TypeError(`a ${typeof value} cannot be stored in a column (null, a number or a string)`);
    }
  }

  /** The packed bytes so far, to transfer; the packer starts again, empty, with a buffer of its own. */
  take(): { buffer: ArrayBuffer; length: number } {
    const taken = { buffer: this.#buffer, length: this.#at };
    this.#buffer = new ArrayBuffer(Math.max(FIRST_SIZE, this.#at));
    this.#bytes = new Uint8Array(this.#buffer);
    this.#view = new DataView(this.#buffer);
    this.#at = 0;
    return taken;
  }
}

/** Reads back what a RowPacker packed, value by value, in order. */
export class RowReader {
  readonly #bytes: Buffer;
  #at = 0;

  constructor(buffer: ArrayBuffer, length: number) {
    this.#bytes = Buffer.from(buffer, 0, length);
  }

  /** True once every value was read. */
  get done(): boolean {
    return this.#at >= this.#bytes.length;
  }

  next(): string | number | null {
    const bytes = this.#bytes;
    const tag = bytes[this.#at];
    if (tag === NULL) {
      this.#at++;
      return null;
    }
    if (tag === NUMBER) {
      const value = bytes.readDoubleLE(this.#at + 1);
      this.#at += 9;
      return value;
    }
    if (tag === STRING || tag === UTF16) {
      const start = this.#at + 5;
      const end = start + bytes.readUInt32LE(this.#at + 1);
      this.#at = end;
      return bytes.toString(tag === STRING ? 'utf8' : 'utf16le', start, end);
    }
    throw new Error(`packed rows are corrupt at byte ${this.#at} (tag ${tag})`);
  }
}
