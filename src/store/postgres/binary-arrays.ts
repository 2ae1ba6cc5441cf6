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

/** A growing buffer that array elements are written into, then handed to the driver as one parameter. */
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

  int16(value: number): void {
    this.ensure(2);
    this.at = this.buffer.writeUInt16BE(value, this.at);
  }

  int32(value: number): void {
    this.ensure(4);
    this.at = this.buffer.writeInt32BE(value, this.at);
  }

  /** UTF-8 bytes of `text`, with a NUL after them when `terminated` (a C string, as tsvector lexemes are). */
  utf8(text: string, terminated = false): void {
    this.ensure(text.length * 3 + 1);
    this.at += this.buffer.write(text, this.at, 'utf8');
    if (terminated) this.buffer[this.at++] = 0;
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

  /** The bytes written, as their own Buffer (the writer may be reused after). */
  take(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.at));
  }
}

const INT4_MIN = -(2 ** 31);
const INT4_MAX = 2 ** 31 - 1;

/** Whether `value` has a binary form of `type` that means the same as its text form. */
function fits(type: ElementType, value: unknown): boolean {
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
 * An array of `type` holding `values` (null for NULL; for tsvector, the encoded value from `encode`), or
 * null when a number does not fit the type (2^40 for an integer column): the caller then sends that
 * column in text form, so that the server refuses the batch with its own error, as it always did.
 */
export function encodeArray(
  out: ArrayWriter,
  type: ElementType,
  values: readonly unknown[],
  encode?: (out: ArrayWriter, value: unknown) => void,
): Buffer | null {
  out.at = 0;
  out.int32(1);
  out.int32(values.some((value) => value === null || value === undefined) ? 1 : 0);
  out.int32(OID[type]);
  out.int32(values.length);
  out.int32(1);
  for (const value of values) {
    if (value === null || value === undefined) {
      out.int32(-1);
      continue;
    }
    if (!fits(type, value)) return null;
    switch (type) {
      case 'int4':
        out.int32(4);
        out.int32(value as number);
        break;
      case 'int8': {
        const n = value as number;
        const high = Math.floor(n / TWO_32);
        out.int32(8);
        out.int32(high | 0);
        out.int32((n - high * TWO_32) | 0);
        break;
      }
      case 'float8':
        out.int32(8);
        out.ensure(8);
        out.at = out.buffer.writeDoubleBE(value as number, out.at);
        break;
      case 'text':
        out.beginElement();
        out.utf8(String(value));
        out.endElement();
        break;
      case 'tsvector':
        out.beginElement();
        (encode as (out: ArrayWriter, value: unknown) => void)(out, value);
        out.endElement();
        break;
    }
  }
  return out.take();
}
