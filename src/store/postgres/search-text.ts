import { tokenize } from '../../filter/match-text.js';
import { type SearchableRecord, searchText } from '../search-text.js';
import type { ArrayWriter } from './binary-arrays.js';

/** PostgreSQL's limits on a tsvector (docs, "Text Search Types"): longer lexemes are refused, positions cap. */
const MAX_LEXEME_BYTES = 2047;
const MAX_POSITION = 16_383;
const MAX_POSITIONS_PER_LEXEME = 256;

/**
 * What the PostgreSQL store keeps in `records.search_vector`: the tokens SQLite's FTS5 indexes for the
 * same record (../search-text.ts read by filter/match-text.ts: runs of letters and digits, lower case,
 * diacritics removed) with their positions, written as a tsvector literal (`'call':2 'tools':1`), so
 * PostgreSQL holds exactly FTS5's tokens (its own parser would split "tools/call", "/tmp/x" or "a.b@c.d"
 * otherwise). The writer sends it in tsvector's binary form (writeTsvector), which the server reads
 * without a parser at all: measured with the capture bench, `to_tsvector` over the text used about 3.5 of
 * the server's 5 CPU seconds for 19,199 messages, and reading the literal still about a fifth of them.
 * Past position 16,383 positions stay at 16,383 (a phrase deep in a 64 KB text may then match loosely).
 */
export function postgresSearchText(record: SearchableRecord, parsed?: unknown): string {
  const positions = new Map<string, number[]>();
  const tokens = tokenize(searchText(record, parsed));
  for (const [index, token] of tokens.entries()) {
    if (Buffer.byteLength(token) > MAX_LEXEME_BYTES) continue;
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
  const tokensInOrder = [...positions.keys()].sort((a, b) => (a < b ? -1 : 1));
  let literal = '';
  for (const token of tokensInOrder)
    literal += `${literal ? ' ' : ''}'${token}':${(positions.get(token) as number[]).join(',')}`;
  return literal;
}

const QUOTE = 39; // '
const SPACE = 32;
const COMMA = 44;

/**
 * Writes a literal made by postgresSearchText in tsvector's binary form, as tsvectorrecv reads it: the
 * number of lexemes, then each lexeme as a C string, its number of positions and the positions (16 bits,
 * weight D). Lexemes hold letters and digits only, so the literal needs no unquoting.
 */
export function writeTsvector(out: ArrayWriter, literal: string): void {
  const countAt = out.at;
  out.int32(0);
  let count = 0;
  let i = 0;
  while (i < literal.length && literal.charCodeAt(i) === QUOTE) {
    const close = literal.indexOf("'", i + 1);
    out.utf8(literal.slice(i + 1, close), true);
    const countPositionsAt = out.at;
    out.int16(0);
    let positionCount = 0;
    let at = close + 2; // after "':"
    for (;;) {
      let position = 0;
      let code = literal.charCodeAt(at);
      while (code >= 48 && code <= 57) {
        position = position * 10 + code - 48;
        code = literal.charCodeAt(++at);
      }
      out.int16(position);
      positionCount++;
      if (code !== COMMA) break;
      at++;
    }
    out.buffer.writeUInt16BE(positionCount, countPositionsAt);
    count++;
    i = literal.charCodeAt(at) === SPACE ? at + 1 : at;
  }
  out.buffer.writeInt32BE(count, countAt);
}
