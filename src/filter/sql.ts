import type { Filter, TextTerm } from './ast.js';
import { type CompileContext, likePattern, type SqlFragment } from './field-kinds.js';
import { findField } from './fields.js';

/** The FTS5 table over the records' extracted text (see src/store/search-text.ts). */
export const FTS_TABLE = 'records_fts';

/**
 * A filter compiled for SQLite. `where` applies to `records r`; `match` is an FTS5 expression the
 * store joins against `records_fts` (null when the filter has no free text to search).
 */
export interface CompiledFilter {
  where: SqlFragment | null;
  match: string | null;
}

/**
 * Free text as an FTS5 phrase: the user's text inside double quotes (quotes doubled), so colons, slashes,
 * operators and keywords are never FTS5 syntax (SQLite FTS5 docs, section 3: "Full-text Query Syntax").
 * The tokenizer splits the phrase like it split the indexed text: "tools/call" finds "tools/call".
 */
export function ftsPhrase(term: Pick<TextTerm, 'text' | 'prefix'>): string {
  return `"${term.text.replaceAll('"', '""')}"${term.prefix ? '*' : ''}`;
}

/** Text FTS5 can search: it indexes letters and digits only (the unicode61 tokenizer). */
function searchable(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

function negate(fragment: SqlFragment): SqlFragment {
  // A comparison with NULL is NULL; "not X" must still include records where the field is absent.
  return { sql: `NOT ifnull(${fragment.sql}, 0)`, params: fragment.params };
}

/** Punctuation-only text ("::", "->") has no FTS tokens: it is looked for as a substring instead. */
function substring(term: TextTerm): SqlFragment {
  const pattern = `%${likePattern(term.text)}%`;
  return {
    sql: "(r.summary LIKE ? ESCAPE '\\' OR r.message LIKE ? ESCAPE '\\')",
    params: [pattern, pattern],
  };
}

export function compileFilter(filter: Filter, ctx: CompileContext): CompiledFilter {
  const parts: SqlFragment[] = [];
  const positive: string[] = [];
  const negative: string[] = [];
  for (const term of filter.terms) {
    if (term.type === 'text') {
      if (!searchable(term.text)) {
        parts.push(term.negated ? negate(substring(term)) : substring(term));
      } else {
        (term.negated ? negative : positive).push(ftsPhrase(term));
      }
      continue;
    }
    const field = findField(term.field);
    if (!field) throw new Error(`filter field "${term.field}" is not defined`);
    const op = term.op === '!=' ? '=' : term.op;
    const fragment = field.sql(op, term.values, ctx);
    parts.push(term.negated !== (term.op === '!=') ? negate(fragment) : fragment);
  }
  let match: string | null = null;
  if (positive.length > 0) {
    match = `(${positive.join(' AND ')})${negative.map((n) => ` NOT ${n}`).join('')}`;
  } else if (negative.length > 0) {
    parts.push({
      sql: `r.id NOT IN (SELECT rowid FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ?)`,
      params: [negative.join(' OR ')],
    });
  }
  const where =
    parts.length === 0
      ? null
      : { sql: parts.map((p) => p.sql).join(' AND '), params: parts.flatMap((p) => p.params) };
  return { where, match };
}
