import { tokenize } from '../../filter/match-text.js';
import { type SearchableRecord, searchText } from '../search-text.js';
import { ArrayWriter } from './binary-arrays.js';

/** PostgreSQL's limits on a tsvector (docs, "Text Search Types"): longer lexemes are refused, positions cap. */
const MAX_LEXEME_BYTES = 2047;
const MAX_POSITION = 16_383;
const MAX_POSITIONS_PER_LEXEME = 256;

/**
 * What the PostgreSQL store keeps in `records.search_vector`: the tokens SQLite's FTS5 indexes for the
 * same record (../search-text.ts read by filter/match-text.ts: runs of letters and digits, lower case,
 * diacritics removed) with their positions, so PostgreSQL holds exactly FTS5's tokens (its own parser
 * would split "tools/call", "/tmp/x" or "a.b@c.d" otherwise). Made as capture stores the record, in
 * tsvector's binary form (tsvectorsend's layout, read by tsvectorrecv): the number of lexemes, then each
 * lexeme as a C string in tsvector's order, its number of positions and the positions (16 bits, weight D).
 * The server then reads it without any parser: measured with the capture bench, `to_tsvector` over the
 * text used about 3.5 of the server's 5 CPU seconds for 19,199 messages, and reading the same tokens as a
 * tsvector literal (`'call':2 'tools':1`, tsvectorin) still about a fifth of them.
 * Past position 16,383 positions stay at 16,383 (a phrase deep in a 64 KB text may then match loosely),
 * and a lexeme keeps its first 256 positions (a phrase with a word seen more often may then not match).
 */
export function postgresSearchText(record: SearchableRecord, parsed?: unknown): Uint8Array {
  const positions = new Map<string, number[]>();
  const tokens = tokenize(searchText(record, parsed));
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as string;
    // A UTF-16 unit is at most 3 bytes of UTF-8: only long tokens need measuring.
    if (token.length * 3 > MAX_LEXEME_BYTES && Buffer.byteLength(token) > MAX_LEXEME_BYTES) continue;
    let list = positions.get(token);
    if (!list) {
      list = [];
      positions.set(token, list);
    }
    const position = Math.min(index + 1, MAX_POSITION);
    if (list.length < MAX_POSITIONS_PER_LEXEME && list[list.length - 1] !== position) list.push(position);
  }
  // In tsvector's order (byte order, which code-unit order matches for all but surrogate pairs against
  // U+E000-U+FFFF), so that reading the value needs no sort; an entry out of order only costs one.
  const lexemes = [...positions.keys()].sort();
  let bytes = 4;
  for (const lexeme of lexemes)
    bytes += lexeme.length * 3 + 3 + 2 * (positions.get(lexeme) as number[]).length;
  const out = scratch;
  out.at = 0;
  out.ensure(bytes);
  out.int32(lexemes.length);
  for (const lexeme of lexemes) {
    out.utf8Unchecked(lexeme);
    out.buffer[out.at++] = 0;
    const list = positions.get(lexeme) as number[];
    out.int16Unchecked(list.length);
    for (const position of list) out.int16Unchecked(position);
  }
  // A copy with a buffer of its own, exactly its size: the capture worker posts it to the writer thread,
  // and a view into Node's shared Buffer pool would take the whole pooled block along.
  return new Uint8Array(out.buffer.subarray(0, out.at));
}

/** Reused for every record: only the finished value is copied out. */
const scratch = new ArrayWriter(64 * 1024);
