// The text full-text search indexes is a pure function of the record (core/search-text.ts): the filter
// language's in-memory matcher reads the same text, so both agree on what free text finds.
export { MAX_SEARCH_TEXT, type SearchableRecord, searchText } from '../core/search-text.js';
