import { isErrorSql } from '../failure.js';

/**
 * Deleted records come off their session's and their method's running totals, as SQLite's per-row trigger
 * does (../migration-search.ts). Here one trigger per DELETE statement reads all the deleted rows at once
 * from a transition table (PostgreSQL docs, "CREATE TRIGGER", REFERENCING OLD TABLE): a delete of 500
 * records costs two grouped updates, not a thousand.
 */
export const SUMMARY_TRIGGERS = `
  CREATE FUNCTION records_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE sessions s SET
      messages = greatest(s.messages - d.messages, 0),
      errors = greatest(s.errors - d.errors, 0)
    FROM (
      SELECT server, session_id, count(*) AS messages, count(*) FILTER (WHERE ${isErrorSql('gone.')}) AS errors
      FROM gone WHERE session_id IS NOT NULL GROUP BY server, session_id
    ) d
    WHERE s.server = d.server AND s.session_id = d.session_id;
    UPDATE method_totals t SET
      messages = greatest(t.messages - d.messages, 0),
      requests = greatest(t.requests - d.requests, 0),
      errors = greatest(t.errors - d.errors, 0),
      timed = greatest(t.timed - d.timed, 0),
      duration_total = greatest(t.duration_total - d.duration_total, 0),
      tokens = greatest(t.tokens - d.tokens, 0)
    FROM (
      SELECT server, coalesce(method, '') AS method, count(*) AS messages,
        count(*) FILTER (WHERE kind = 'request') AS requests,
        count(*) FILTER (WHERE ${isErrorSql('gone.')}) AS errors,
        count(duration_ms) AS timed, coalesce(sum(duration_ms), 0) AS duration_total,
        coalesce(sum(tokens), 0) AS tokens
      FROM gone GROUP BY server, coalesce(method, '')
    ) d
    WHERE t.server = d.server AND t.method = d.method;
    RETURN NULL;
  END $$;
  CREATE TRIGGER records_after_delete AFTER DELETE ON records
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION records_deleted();
`;
