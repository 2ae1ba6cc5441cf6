/**
 * When a record counts as a failure (`has:error`, error counts and rates): a JSON-RPC error, a tool result
 * with isError (capture puts its text in error_message), or an HTTP status of 400 or more. Written twice,
 * for SQL and for JavaScript, here side by side so they stay the same.
 */

/** `row` prefixes the columns: `r.` in queries, `old.` in triggers. */
export function isErrorSql(row = ''): string {
  return `(${row}kind = 'error' OR ${row}error_message IS NOT NULL OR coalesce(${row}http_status, 0) >= 400)`;
}

export function isFailure(record: {
  kind: string;
  errorMessage: string | null;
  httpStatus: number | null;
}): boolean {
  return record.kind === 'error' || record.errorMessage !== null || (record.httpStatus ?? 0) >= 400;
}
