import { tokenize } from '../../filter/match-text.js';
import { type SearchableRecord, searchText } from '../search-text.js';

/** PostgreSQL's limits on a tsvector (docs, "Text Search Types"): longer lexemes are refused, positions cap. */
const MAX_LEXEME_BYTES = 2047;
const MAX_POSITION = 16_383;
const MAX_POSITIONS_PER_LEXEME = 256;

/**
 * What the PostgreSQL store keeps in `records.search_text`: the tokens SQLite's FTS5 indexes for the same
 * record (../search-text.ts read by filter/match-text.ts: runs of letters and digits, lower case,
 * diacritics removed) with their positions, written as a tsvector literal (`'call':2 'tools':1`). The
 * stored search_vector column is this text cast to a tsvector, so PostgreSQL holds exactly FTS5's tokens
 * (its own parser would split "tools/call", "/tmp/x" or "a.b@c.d" otherwise), and reading the literal costs
 * the database a fraction of what running its parser over the text did: measured with the capture bench,
 * `to_tsvector` over the text used about 3.5 of the server's 5 CPU seconds for 19,199 messages.
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
  let literal = '';
  for (const [token, list] of positions) literal += `${literal ? ' ' : ''}'${token}':${list.join(',')}`;
  return literal;
}
