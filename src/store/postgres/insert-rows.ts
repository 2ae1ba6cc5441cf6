import type pg from 'pg';
import { RECORD_COLUMNS } from '../rows.js';
import { ArrayWriter, type ElementType, encodeArray } from './binary-arrays.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

/** A record ready to insert: its id, its column values (RECORD_COLUMNS order) and its search text. */
export interface RowToInsert {
  id: number;
  values: unknown[];
  /** The record's search tokens, a tsvector in binary form (postgresSearchText). */
  text: Uint8Array;
}

/** The element type of each record column; the others are text. */
const NUMERIC: Partial<Record<(typeof RECORD_COLUMNS)[number], ElementType>> = {
  time: 'float8',
  http_status: 'int4',
  duration_ms: 'float8',
  tokens: 'int4',
  error_code: 'int4',
  size: 'int4',
  truncated: 'int4',
  partner_id: 'int8',
  redactions: 'int4',
  linked_id: 'int8',
  operation_ms: 'float8',
  gateway_ms: 'float8',
  upstream_ms: 'float8',
  replay_of: 'int8',
};

const TYPES: readonly ElementType[] = [
  'int8',
  'text',
  ...RECORD_COLUMNS.map((column) => NUMERIC[column] ?? 'text'),
  'tsvector',
];

/**
 * One statement for a whole batch: each column travels as one array parameter in binary form
 * (binary-arrays.ts) and `unnest` turns them back into rows; the search tokens go straight into the
 * search_vector column. A multi-row VALUES list (one parameter per cell) was slower in every round of
 * the benchmark (bench/capture-postgres.ts), and its text changes with the batch size.
 */
const INSERT = `INSERT INTO records (id, instance, ${RECORD_COLUMNS.join(', ')}, search_vector)
  SELECT * FROM unnest(${TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ')})`;

/**
 * PostgreSQL text cannot hold U+0000 (SQLite's can): a raw body with a NUL byte would fail its whole
 * batch, so the character is stored as U+FFFD, the replacement character, instead.
 */
function storable(value: unknown): unknown {
  return typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}

const copyTsvector = (out: ArrayWriter, value: unknown) => {
  const bytes = value as Uint8Array;
  out.ensure(bytes.length);
  out.buffer.set(bytes, out.at);
  out.at += bytes.length;
};

export async function insertRows(
  db: Queryable,
  instance: string,
  rows: readonly RowToInsert[],
): Promise<void> {
  if (rows.length === 0) return;
  let bytes = 1024;
  for (const row of rows) bytes += row.text.length + 2048;
  const out = new ArrayWriter(bytes);
  const column = new Array<unknown>(rows.length);
  const params: unknown[] = [];
  const encode = (c: number, value: (row: RowToInsert) => unknown) => {
    for (let r = 0; r < rows.length; r++) column[r] = value(rows[r] as RowToInsert);
    params.push(encodeArray(out, TYPES[c] as ElementType, column, copyTsvector) ?? column.slice());
  };
  encode(0, (row) => row.id);
  encode(1, () => instance);
  for (let c = 0; c < RECORD_COLUMNS.length; c++) encode(c + 2, (row) => storable(row.values[c]));
  encode(TYPES.length - 1, (row) => row.text);
  await db.query(INSERT, params);
}
