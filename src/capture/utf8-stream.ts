import { TextDecoder } from 'node:util';

/**
 * Decoders for whole chunks, shared by every stream: a decode without `stream: true` holds no state between
 * calls, and takes Node's UTF-8 fast path (a `TextDecoder` used once with `stream: true` leaves it for
 * good, and builds an ICU converter first). The first chunk of a body drops a leading byte order mark, as a
 * streaming decoder does at the start of its stream (WHATWG Encoding, "UTF-8 decode"); later chunks keep
 * one, as it does mid-stream.
 */
const FIRST = new TextDecoder('utf-8');
const LATER = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * True when `chunk` might end inside a character: its last lead byte (within the last four bytes) starts a
 * sequence longer than the bytes after it. Erring towards true only costs a streaming decoder.
 */
function mayEndInsideCharacter(chunk: Uint8Array): boolean {
  const end = chunk.length;
  for (let i = end - 1; i >= 0 && i >= end - 4; i--) {
    const byte = chunk[i] as number;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return end - i < length;
  }
  return false;
}

/**
 * A response body's chunks decoded as one `TextDecoder` with `{ stream: true }` decodes them, text for text,
 * at a fraction of the cost: nearly every chunk ends between characters, and is decoded whole by a shared
 * decoder. A streaming decoder is made only once a chunk ends inside a character, and decodes the rest.
 */
export class Utf8Stream {
  #decoder: TextDecoder | null = null;
  #started = false;

  /** The text of `chunk`, less the bytes of a character it ends inside (they begin the next one's). */
  decode(chunk: Uint8Array): string {
    if (this.#decoder) return this.#decoder.decode(chunk, { stream: true });
    if (chunk.length === 0) return '';
    const first = !this.#started;
    this.#started = true;
    if (!mayEndInsideCharacter(chunk)) return (first ? FIRST : LATER).decode(chunk);
    // Nothing is held from earlier chunks (each ended between characters): a decoder made now starts clean.
    this.#decoder = new TextDecoder('utf-8', { ignoreBOM: !first });
    return this.#decoder.decode(chunk, { stream: true });
  }

  /** The end of the body: what a character cut short by it decodes to (U+FFFD), or ''. */
  end(): string {
    return this.#decoder?.decode() ?? '';
  }
}
