import type pg from 'pg';
import { RECORD_COLUMNS } from '../rows.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

/** A record ready to insert: its id, its column values (RECORD_COLUMNS order) and its search text. */
export interface RowToInsert {
  id: number;
  values: unknown[];
  text: string;
}

/** The array type of each column for unnest; the others are text. */
const NUMERIC: Partial<Record<(typeof RECORD_COLUMNS)[number], string>> = {
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

const TYPES = ['int8', 'text', ...RECORD_COLUMNS.map((column) => NUMERIC[column] ?? 'text'), 'text'];

/**
 * One statement for a whole batch: each column travels as one array parameter and `unnest` turns them
 * back into rows. A multi-row VALUES list (one parameter per cell) was slower in every round of the
 * benchmark (bench/capture-postgres.ts; best of 3: 6,250 against 9,744 rows/s on a busy 2-core machine), and
 * its text changes with the batch size.
 */
const INSERT = `INSERT INTO records (id, instance, ${RECORD_COLUMNS.join(', ')}, search_text)
  SELECT * FROM unnest(${TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ')})`;

/**
 * PostgreSQL text cannot hold U+0000 (SQLite's can): a raw body with a NUL byte would fail its whole
 * batch, so the character is stored as U+FFFD, the replacement character, instead.
 */
function storable(value: unknown): unknown {
  return typeof value === 'string' && value.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}

export async function insertRows(
  db: Queryable,
  instance: string,
  rows: readonly RowToInsert[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns: unknown[][] = TYPES.map(() => new Array(rows.length));
  rows.forEach((row, r) => {
    (columns[0] as unknown[])[r] = row.id;
    (columns[1] as unknown[])[r] = instance;
    for (let c = 0; c < RECORD_COLUMNS.length; c++)
      (columns[c + 2] as unknown[])[r] = storable(row.values[c]);
    (columns[TYPES.length - 1] as unknown[])[r] = storable(row.text);
  });
  await db.query(INSERT, columns);
}

/** The same rows as a multi-row VALUES list, one parameter per cell: the alternative the bench compares. */
export async function insertRowsAsValues(
  db: Queryable,
  instance: string,
  rows: readonly RowToInsert[],
): Promise<void> {
  if (rows.length === 0) return;
  const width = TYPES.length;
  const params: unknown[] = [];
  const tuples = rows.map((row, r) => {
    params.push(row.id, instance, ...row.values.map(storable), storable(row.text));
    return `(${TYPES.map((type, c) => `$${r * width + c + 1}::${type}`).join(', ')})`;
  });
  await db.query(
    `INSERT INTO records (id, instance, ${RECORD_COLUMNS.join(', ')}, search_text) VALUES ${tuples.join(', ')}`,
    params,
  );
}
