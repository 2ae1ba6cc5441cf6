import type { Filter } from '../../filter/ast.js';
import type { Order } from '../log-store.js';
import { compilePostgresFilter } from './filter-sql.js';

export interface PgSelectOptions {
  columns: string;
  /** Null when order does not matter (aggregates). */
  order: Order | null;
  /** Keyset cursor: only records after (or before, newest first) this id. */
  cursor?: number;
  limit?: number;
  now: number;
  /** The caller's own conditions (`$?` stands for the next parameter), before the filter's. */
  extra?: { sql: string; params: unknown[] }[];
}

export interface PgQuery {
  text: string;
  values: unknown[];
}

/** The SELECT over `records r` for a filter, paged by id (the primary key). Every value is a parameter. */
export function selectPostgres(filter: Filter, options: PgSelectOptions): PgQuery {
  const values: unknown[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const where: string[] = [];
  for (const extra of options.extra ?? []) {
    let index = 0;
    where.push(extra.sql.replace(/\$\?/g, () => bind(extra.params[index++])));
  }
  const compiled = compilePostgresFilter(filter, { now: options.now }, values);
  if (compiled !== null) where.push(compiled);
  if (options.cursor !== undefined)
    where.push(`r.id ${options.order === 'desc' ? '<' : '>'} ${bind(options.cursor)}`);
  let text = `SELECT ${options.columns} FROM records r`;
  if (where.length > 0) text += ` WHERE ${where.join(' AND ')}`;
  if (options.order !== null) text += ` ORDER BY r.id ${options.order === 'desc' ? 'DESC' : 'ASC'}`;
  if (options.limit !== undefined) text += ` LIMIT ${bind(options.limit)}`;
  return { text, values };
}
