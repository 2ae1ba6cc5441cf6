import type { Operator } from './ast.js';
import { ValueProblem } from './errors.js';
import { closest } from './suggest.js';

/** A piece of SQL with its bound parameters. User input only ever travels in `params`. */
export interface SqlFragment {
  sql: string;
  params: unknown[];
}

export interface CompileContext {
  /** "Now" for relative times (`last:15m`), fixed per query. */
  now: number;
  /**
   * The gateway instance the store belongs to, for `instance:` on a store that holds one instance's records
   * (SQLite); a shared store (PostgreSQL) names the instance on each record instead.
   */
  instance?: string;
}

/** Operators a field compiles itself; `!=` and negation are handled once, by the compiler. */
export type PositiveOperator = Exclude<Operator, '!='>;

/** Where the UI can find the values of an open-ended field, for autocomplete. */
export type ValueSource = 'servers' | 'methods' | 'clients' | 'sessions';

/**
 * One field of the filter language: its name, help and examples (shown by `GET /api/filter/fields` and
 * the README), how its values are read, and the SQL it compiles to. Like mitmproxy's flowfilter, each
 * field carries its own code and its own help.
 */
export interface FieldSpec {
  name: string;
  aliases: readonly string[];
  help: string;
  examples: readonly string[];
  operators: readonly Operator[];
  /** The closed set of values, for enums. */
  values?: readonly string[];
  valuesFrom?: ValueSource;
  /** Reads one value; throws ValueProblem with a message that says how to write it. */
  parse(raw: string, op: Operator): unknown;
  sql(op: PositiveOperator, values: readonly unknown[], ctx: CompileContext): SqlFragment;
}

type FieldInfo = Pick<FieldSpec, 'name' | 'help' | 'examples'> & {
  aliases?: readonly string[];
  valuesFrom?: ValueSource;
};

const TEXT_OPERATORS: readonly Operator[] = ['is', 'contains', '=', '!='];
const EQUALITY_OPERATORS: readonly Operator[] = ['is', '=', '!='];
const ORDERED_OPERATORS: readonly Operator[] = ['is', '=', '!=', '>', '>=', '<', '<='];

/** Any of the values (OR within a field). */
export function anyOf(parts: SqlFragment[]): SqlFragment {
  if (parts.length === 1) return parts[0] as SqlFragment;
  return { sql: `(${parts.map((p) => p.sql).join(' OR ')})`, params: parts.flatMap((p) => p.params) };
}

function equalsAny(column: string, values: readonly unknown[]): SqlFragment {
  if (values.length === 1) return { sql: `${column} = ?`, params: [...values] };
  return { sql: `${column} IN (${values.map(() => '?').join(', ')})`, params: [...values] };
}

/** LIKE with `\` as escape: the user's `%` and `_` are literal, only our wildcards are wildcards. */
export function likePattern(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Text: `:` is equality (`*` is a wildcard), `=` is exact, `~` is a case-insensitive substring. */
export function textField(info: FieldInfo, column: string): FieldSpec {
  return {
    aliases: [],
    ...info,
    operators: TEXT_OPERATORS,
    parse: (raw) => raw,
    sql(op, values) {
      const strings = values as string[];
      if (op === 'contains') {
        return anyOf(
          strings.map((v) => ({ sql: `${column} LIKE ? ESCAPE '\\'`, params: [`%${likePattern(v)}%`] })),
        );
      }
      const patterns = op === 'is' ? strings.filter((v) => v.includes('*')) : [];
      const exact = strings.filter((v) => !patterns.includes(v));
      const parts: SqlFragment[] = patterns.map((v) => ({
        sql: `${column} LIKE ? ESCAPE '\\'`,
        params: [likePattern(v).replaceAll('*', '%')],
      }));
      if (exact.length > 0) parts.unshift(equalsAny(column, exact));
      return anyOf(parts);
    },
  };
}

/** A closed set of values, with aliases ("c2s") and a suggestion for typos. */
export function enumField(
  info: FieldInfo,
  column: string,
  values: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): FieldSpec {
  return {
    aliases: [],
    ...info,
    operators: EQUALITY_OPERATORS,
    values,
    parse(raw) {
      const value = raw.toLowerCase();
      if (values.includes(value)) return value;
      const alias = aliases[value];
      if (alias) return alias;
      const guess = closest(value, [...values, ...Object.keys(aliases)]);
      const suggestion = guess ? (aliases[guess] ?? guess) : null;
      throw new ValueProblem(
        `unknown ${info.name} "${raw}"${suggestion ? `: did you mean "${suggestion}"?` : ''} (one of ${values.join(', ')})`,
        suggestion,
      );
    },
    sql: (_op, parsed) => equalsAny(column, parsed),
  };
}

/** Something that compares: numbers, durations, sizes, times. `parse` gives the number to compare. */
export function orderedField(
  info: FieldInfo,
  column: string,
  parse: (raw: string) => unknown,
  options: {
    toNumber?: (value: unknown, ctx: CompileContext) => number;
    operators?: readonly Operator[];
  } = {},
): FieldSpec {
  const toNumber = options.toNumber ?? ((value: unknown) => value as number);
  return {
    aliases: [],
    ...info,
    operators: options.operators ?? ORDERED_OPERATORS,
    parse(raw, op) {
      const value = parse(raw);
      if (Array.isArray(value) && op !== 'is' && op !== '=' && op !== '!=') {
        throw new ValueProblem(`a range such as ${raw} only works with ":" (${info.name}:${raw})`);
      }
      return value;
    },
    sql(op, values, ctx) {
      return anyOf(
        values.map((value) => {
          // A status class ("4xx") is a range.
          if (Array.isArray(value)) return { sql: `${column} BETWEEN ? AND ?`, params: [value[0], value[1]] };
          const sqlOp = op === 'is' || op === 'contains' ? '=' : op;
          return { sql: `${column} ${sqlOp} ?`, params: [toNumber(value, ctx)] };
        }),
      );
    },
  };
}
