/**
 * The parsed form of a filter. A filter is a list of terms, all of which must hold (AND); a field term
 * holds when any of its values matches (OR within a field). The parser builds it, the SQL compiler reads
 * it, and the same structure is what a future store (PostgreSQL) would compile its own way.
 */

/** How a field term compares: `:` is "is", `~` is "contains". */
export type Operator = 'is' | 'contains' | '=' | '!=' | '>' | '>=' | '<' | '<=';

export const OPERATOR_SPELLING: Readonly<Record<Operator, string>> = {
  is: ':',
  contains: '~',
  '=': '=',
  '!=': '!=',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
};

export interface FieldTerm {
  type: 'field';
  /** The canonical field name (aliases are resolved by the parser). */
  field: string;
  op: Operator;
  /** Values as the field parsed them (numbers, strings, time specs); any one matching is enough. */
  values: unknown[];
  /** The values as typed, for messages and round trips. */
  raw: string[];
  negated: boolean;
  /** Offset of the term in the filter text (0-based). */
  position: number;
}

export interface TextTerm {
  type: 'text';
  text: string;
  /** Quoted text is an exact phrase; an unquoted word ending in `*` matches as a prefix. */
  quoted: boolean;
  prefix: boolean;
  negated: boolean;
  position: number;
}

export type Term = FieldTerm | TextTerm;

export interface Filter {
  terms: Term[];
}

export const EMPTY_FILTER: Filter = { terms: [] };

/** Both filters at once (AND): used to add query parameters to a `filter=` expression. */
export function andFilters(...filters: Filter[]): Filter {
  return { terms: filters.flatMap((filter) => filter.terms) };
}
