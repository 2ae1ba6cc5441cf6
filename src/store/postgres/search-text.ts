import { tokenize } from '../../filter/match-text.js';
import { type SearchableRecord, searchText } from '../search-text.js';

/**
 * The text the PostgreSQL store keeps in `records.search_text`: the tokens SQLite's FTS5 indexes for the
 * same record (../search-text.ts read by filter/match-text.ts: runs of letters and digits, lower case,
 * diacritics removed), joined by spaces. PostgreSQL's own text-search parser would split "tools/call",
 * "/tmp/x" or "a.b@c.d" into other tokens than FTS5 does; given only letters and digits between spaces, it
 * finds exactly these tokens, so `to_tsvector('simple', search_text)` (the search_vector column) holds what
 * FTS5 holds and a search means the same on both stores. The writer stores this.
 */
export function postgresSearchText(record: SearchableRecord, parsed?: unknown): string {
  return tokenize(searchText(record, parsed)).join(' ');
}
