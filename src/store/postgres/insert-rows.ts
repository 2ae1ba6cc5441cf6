import pg from 'pg';
import { RECORD_COLUMNS } from '../rows.js';
import { ArrayWriter, type ElementType, encodeArray, fits, writeValue } from './binary-arrays.js';
import { copyIn } from './copy-in.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

/** A record ready to insert: its id, its column values (RECORD_COLUMNS order) and its search text. */
export interface RowToInsert {
  id: number;
  values: unknown[];
  /** The record's search tokens, a tsvector in binary form (postgresSearchText). */
  text: Uint8Array;
}

/** The element type of each record column; the others are text. */
export const NUMERIC: Partial<Record<(typeof RECORD_COLUMNS)[number], ElementType>> = {
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
 * The statement the writer used before COPY, kept for the benchmark's comparison: each column one array
 * parameter in binary form (binary-arrays.ts), turned back into rows by `unnest`. It beat a multi-row
 * VALUES list (one parameter per cell) in every round, and COPY beats it (bench/capture-postgres.ts).
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

/** The binary tsvector capture made, copied as it is. */
const copyTsvector = (out: ArrayWriter, value: unknown) => {
  const bytes = value as Uint8Array;
  out.ensure(bytes.length);
  out.buffer.set(bytes, out.at);
  out.at += bytes.length;
};

const COLUMNS = ['id', 'instance', ...RECORD_COLUMNS, 'search_vector'];

const COPY = `COPY records (${COLUMNS.join(', ')}) FROM STDIN (FORMAT binary)`;

/** COPY's binary file header: the signature, no flags, no header extension. */
const COPY_HEADER = Buffer.from([
  ...Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'),
  ...[0, 0, 0, 0],
  ...[0, 0, 0, 0],
]);

/** A value the column's binary form cannot hold, refused as the server refuses it in text form. */
function outOfRange(column: string, type: ElementType, value: unknown): pg.DatabaseError {
  const error = new pg.DatabaseError(
    `value "${value}" is out of range for type ${type} (${column})`,
    0,
    'error',
  );
  error.code = '22003'; // numeric_value_out_of_range
  error.severity = 'ERROR';
  return error;
}

/** Rows encoded between two pauses of `copyData`: a few milliseconds of work. */
const ROWS_BETWEEN_PAUSES = 128;

/**
 * The batch's rows as COPY FROM STDIN data in binary format (PostgreSQL docs, "COPY", Binary Format):
 * every value in its type's binary form, the search tokens as the binary tsvector capture made.
 * A number its column cannot hold (2^40 for an integer) fails the batch with the server's error code.
 * `pause`, when given, is awaited every few rows: the writer encodes its next batch while the server
 * copies the current one, and the pauses let the event loop send the rest of that copy meanwhile.
 */
export async function copyData(
  instance: string,
  rows: readonly RowToInsert[],
  pause?: () => Promise<void>,
): Promise<Buffer> {
  let bytes = COPY_HEADER.length + 2;
  for (const row of rows) bytes += row.text.length + 2048;
  const out = new ArrayWriter(bytes);
  out.buffer.set(COPY_HEADER, 0);
  out.at = COPY_HEADER.length;
  for (let r = 0; r < rows.length; r++) {
    if (pause && r > 0 && r % ROWS_BETWEEN_PAUSES === 0) await pause();
    const row = rows[r] as RowToInsert;
    out.ensure(2);
    out.int16Unchecked(TYPES.length);
    writeValue(out, 'int8', row.id);
    writeValue(out, 'text', instance);
    for (let c = 0; c < RECORD_COLUMNS.length; c++) {
      const type = TYPES[c + 2] as ElementType;
      const value = storable(row.values[c]);
      if (value !== null && value !== undefined && !fits(type, value))
        throw outOfRange(RECORD_COLUMNS[c] as string, type, value);
      writeValue(out, type, value);
    }
    writeValue(out, 'tsvector', row.text, copyTsvector);
  }
  out.ensure(2);
  out.int16Unchecked(0xffff);
  return out.buffer.subarray(0, out.at);
}

/**
 * Inserts rows by COPY with data made by `copyData`. COPY inserts the rows in groups rather than one
 * statement-row at a time, and skips both a statement's arrays and the unnest that turned them back into
 * rows; the statement-level triggers see the rows as an INSERT's.
 */
export function copyRows(db: Queryable, data: Buffer): Promise<void> {
  return copyIn(db, COPY, data);
}

/** The batch's rows by COPY FROM STDIN in binary format (`copyData`, `copyRows`). */
export async function insertRows(
  db: Queryable,
  instance: string,
  rows: readonly RowToInsert[],
): Promise<void> {
  if (rows.length === 0) return;
  await copyRows(db, await copyData(instance, rows));
}

/** The same rows by INSERT … SELECT * FROM unnest(arrays): the alternative the benchmark compares. */
export async function insertRowsByUnnest(
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
