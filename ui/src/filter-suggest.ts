/**
 * Autocomplete for the filter language: what to offer at the cursor, and how to apply a choice. The
 * language is `field<op>value` terms separated by spaces (AND), with `-` for negation and free text for
 * full-text search; values with spaces are quoted.
 */

export interface FieldInfo {
  name: string;
  aliases?: readonly string[];
  help: string;
  /** Known values (servers, methods, ...) to offer after `field:`. */
  values?: readonly string[];
  /** The operator a completed field name gets: `:` unless the field has none (time takes `>`). */
  operator?: string;
}

export interface Suggestion {
  /** What the term becomes. */
  insert: string;
  label: string;
  detail: string;
  /** A field name (the user goes on to type its value) or a whole term. */
  kind: 'field' | 'value';
}

export interface CurrentTerm {
  start: number;
  end: number;
  negated: boolean;
  field: string | null;
  operator: string | null;
  partial: string;
}

const OPERATORS = ['>=', '<=', '!=', ':', '=', '>', '<', '~'];

/** The term the cursor is in: from the previous unquoted space to the cursor. */
export function termAt(text: string, cursor: number): CurrentTerm {
  let start = 0;
  let inQuote = false;
  for (let i = 0; i < cursor; i++) {
    if (text[i] === '"') inQuote = !inQuote;
    else if (text[i] === ' ' && !inQuote) start = i + 1;
  }
  let end = cursor;
  while (end < text.length && text[end] !== ' ') end++;
  let term = text.slice(start, cursor);
  const negated = term.startsWith('-') || term.startsWith('!');
  if (negated) term = term.slice(1);
  for (const operator of OPERATORS) {
    const index = term.indexOf(operator);
    if (index > 0 && /^[a-z_]+$/i.test(term.slice(0, index))) {
      return {
        start,
        end,
        negated,
        field: term.slice(0, index),
        operator,
        partial: term.slice(index + operator.length).replace(/^"/, ''),
      };
    }
  }
  return { start, end, negated, field: null, operator: null, partial: term };
}

/** A field by its name or one of its aliases, as the parser resolves them (case-insensitive). */
export function findFieldInfo<T extends FieldInfo>(fields: readonly T[], name: string): T | undefined {
  const lower = name.toLowerCase();
  return fields.find((f) => f.name === lower || f.aliases?.includes(lower));
}

function quoteIfNeeded(value: string): string {
  return /[\s"]/.test(value) ? `"${value.replace(/"/g, '\\"')}"` : value;
}

export function suggest(text: string, cursor: number, fields: readonly FieldInfo[], limit = 8): Suggestion[] {
  const term = termAt(text, cursor);
  const prefix = term.negated ? '-' : '';
  if (term.field !== null && term.operator !== null) {
    const field = findFieldInfo(fields, term.field);
    // In a list of values (method:tools/call,tools/l) only the last one is being typed.
    const comma = term.partial.lastIndexOf(',');
    const head = term.partial.slice(0, comma + 1);
    const typed = term.partial.slice(comma + 1);
    const partial = typed.toLowerCase();
    return (field?.values ?? [])
      .filter((value) => value.toLowerCase().includes(partial) && value !== typed)
      .sort(
        (a, b) => Number(!a.toLowerCase().startsWith(partial)) - Number(!b.toLowerCase().startsWith(partial)),
      )
      .slice(0, limit)
      .map((value) => ({
        insert: `${prefix}${term.field}${term.operator}${head}${quoteIfNeeded(value)}`,
        label: value,
        detail: field?.name ?? '',
        kind: 'value' as const,
      }));
  }
  const partial = term.partial.toLowerCase();
  if (partial === '' && cursor > 0 && text[cursor - 1] !== ' ') return [];
  return fields
    .filter((field) => field.name.startsWith(partial))
    .slice(0, limit)
    .map((field) => {
      const operator = field.operator ?? ':';
      return {
        insert: `${prefix}${field.name}${operator}`,
        label: `${field.name}${operator}`,
        detail: field.help,
        kind: 'field' as const,
      };
    });
}

/** The text after choosing `suggestion`, and where the cursor goes. */
export function applySuggestion(
  text: string,
  cursor: number,
  suggestion: Suggestion,
): { text: string; cursor: number } {
  const term = termAt(text, cursor);
  const before = text.slice(0, term.start);
  const after = text.slice(term.end);
  const completesValue = suggestion.kind === 'value';
  const inserted = completesValue && !after.startsWith(' ') ? `${suggestion.insert} ` : suggestion.insert;
  return { text: `${before}${inserted}${after}`, cursor: before.length + inserted.length };
}
