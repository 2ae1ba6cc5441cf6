/**
 * One-dimensional arrays in PostgreSQL's binary wire format (the send/recv functions of "Binary Format" in
 * the docs of COPY and of each type): node-postgres sends a Buffer parameter as binary, so the server reads
 * each value with the type's recv function instead of parsing the array's text (array_in, and for
 * tsvector tsvectorin's tokenizer), which measurably took a fifth of the server's insert time.
 * Layout: ndim, has-nulls flag, element type OID, then length and lower bound; each element is its byte
 * length (-1 for NULL) and its bytes, integers big-endian.
 */

/** Element type OIDs (pg_type.oid; fixed for built-in types). */
export const OID = { int4: 23, int8: 20, float8: 701, text: 25, tsvector: 3614 } as const;

export type ElementType = keyof typeof OID;

const TWO_32 = 2 ** 32;

/**
 * A growing buffer that a batch's arrays are written into, one after the other; each array is handed to
 * the driver as a view of the bytes it was written to (a view made before the buffer grew keeps the old
 * bytes, which are never written again).
 */
export class ArrayWriter {
  buffer: Buffer;
  at = 0;
  #lengthAt = 0;

  constructor(capacity = 4096) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  ensure(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(grown, 0, 0, this.at);
    this.buffer = grown;
  }

  /** 16 bits without checking room: after `ensure`. */
  int16Unchecked(value: number): void {
    const { buffer } = this;
    buffer[this.at] = value >>> 8;
    buffer[this.at + 1] = value;
    this.at += 2;
  }

  int32(value: number): void {
    this.ensure(4);
    const { buffer } = this;
    buffer[this.at] = value >>> 24;
    buffer[this.at + 1] = value >>> 16;
    buffer[this.at + 2] = value >>> 8;
    buffer[this.at + 3] = value;
    this.at += 4;
  }

  /**
   * UTF-8 bytes of `text[from, to)` without checking room (after `ensure` of 3 bytes a character). Short
   * ASCII runs are copied a character at a time: Buffer's encoder costs more than that for a few bytes.
   */
  utf8Unchecked(text: string, from = 0, to = text.length): void {
    const { buffer } = this;
    let at = this.at;
    if (to - from <= 64) {
      let i = from;
      for (; i < to; i++) {
        const code = text.charCodeAt(i);
        if (code >= 0x80) break;
        buffer[at++] = code;
      }
      if (i === to) {
        this.at = at;
        return;
      }
      at = this.at;
    }
    this.at = at + buffer.write(from === 0 && to === text.length ? text : text.slice(from, to), at, 'utf8');
  }

  /** Starts an element whose length is filled in by `endElement`. */
  beginElement(): void {
    this.ensure(4);
    this.#lengthAt = this.at;
    this.at += 4;
  }

  endElement(): void {
    this.buffer.writeInt32BE(this.at - this.#lengthAt - 4, this.#lengthAt);
  }
}

const INT4_MIN = -(2 ** 31);
const INT4_MAX = 2 ** 31 - 1;

/** Whether `value` has a binary form of `type` that means the same as its text form. */
export function fits(type: ElementType, value: unknown): boolean {
  switch (type) {
    case 'int4':
      return Number.isInteger(value) && (value as number) >= INT4_MIN && (value as number) <= INT4_MAX;
    case 'int8':
      return Number.isSafeInteger(value);
    case 'float8':
      return typeof value === 'number';
    default:
      return true;
  }
}

/**
 * An array of `type` holding `values` (null for NULL; for tsvector, the encoded value from `encode`),
 * written on at `out`'s end and returned as a view of its bytes; or
 * null when a number does not fit the type (2^40 for an integer column): the caller then sends that
 * column in text form, so that the server refuses the batch with its own error, as it always did.
 */
export function encodeArray(
  out: ArrayWriter,
  type: ElementType,
  values: readonly unknown[],
  encode?: (out: ArrayWriter, value: unknown) => void,
): Buffer | null {
  const start = out.at;
  out.int32(1);
  out.int32(values.some((value) => value === null || value === undefined) ? 1 : 0);
  out.int32(OID[type]);
  out.int32(values.length);
  out.int32(1);
  for (const value of values) {
    if (value !== null && value !== undefined && !fits(type, value)) {
      out.at = start;
      return null;
    }
    writeValue(out, type, value, encode);
  }
  return out.buffer.subarray(start, out.at);
}

/**
 * One value in binary form with its length before it (-1 for NULL), as array elements and COPY's binary
 * fields both are; `value` must fit `type` (fits).
 */
export function writeValue(
  out: ArrayWriter,
  type: ElementType,
  value: unknown,
  encode?: (out: ArrayWriter, value: unknown) => void,
): void {
  if (value === null || value === undefined) {
    out.int32(-1);
    return;
  }
  switch (type) {
    case 'int4':
      out.int32(4);
      out.int32(value as number);
      break;
    case 'int8': {
      const n = value as number;
      const high = Math.floor(n / TWO_32);
      out.int32(8);
      out.int32(high);
      out.int32(n - high * TWO_32);
      break;
    }
    case 'float8':
      out.int32(8);
      out.ensure(8);
      out.at = out.buffer.writeDoubleBE(value as number, out.at);
      break;
    case 'text': {
      const text = String(value);
      out.beginElement();
      out.ensure(text.length * 3);
      out.utf8Unchecked(text);
      out.endElement();
      break;
    }
    case 'tsvector':
      out.beginElement();
      (encode as (out: ArrayWriter, value: unknown) => void)(out, value);
      out.endElement();
      break;
  }
}
