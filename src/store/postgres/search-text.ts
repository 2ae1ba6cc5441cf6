import { foldText } from '../../filter/match-text.js';
import { type SearchableRecord, searchText } from '../search-text.js';

/**
 * The text the PostgreSQL store keeps in `records.search_text`: the same text SQLite's FTS5 indexes
 * (../search-text.ts), already folded the way FTS5's tokenizer folds it (lower case, diacritics removed;
 * filter/match-text.ts), so a search compares folded tokens with folded text and PostgreSQL need not fold
 * each candidate row again at query time (folding with unaccent() per candidate row, counting the records
 * with a common word in 100,000 ran for minutes). The writer stores this; the free-text compiler (filter-sql.ts) relies on it.
 */
export function postgresSearchText(record: SearchableRecord, parsed?: unknown): string {
  return foldText(searchText(record, parsed));
}
