/**
 * The capture store's tables on PostgreSQL: the same records, sessions and per-method totals as the
 * SQLite store (../migrations.ts), plus the name of the gateway instance that captured each record, since
 * several gateways write to one database at once. Column names match SQLite's so that `rows.ts` reads a
 * row of either. Search indexes and statistics tables come in later migrations (postgres/migrations.ts).
 */
export const SCHEMA_V1 = `
  -- Ids come from one sequence shared by every writing instance: unique, increasing per writer, never
  -- reused after pruning, so cursors and links stay valid. Commit order across instances is not id order.
  CREATE SEQUENCE records_id_seq AS BIGINT;
  CREATE TABLE records (
    id BIGINT PRIMARY KEY DEFAULT nextval('records_id_seq'),
    instance TEXT NOT NULL,
    time DOUBLE PRECISION NOT NULL,
    server TEXT NOT NULL,
    session_id TEXT,
    direction TEXT NOT NULL,
    kind TEXT NOT NULL,
    jsonrpc_id TEXT,
    method TEXT,
    http_method TEXT,
    http_status INTEGER,
    transport TEXT NOT NULL,
    sse_event_id TEXT,
    sse_event_type TEXT,
    duration_ms DOUBLE PRECISION,
    client_name TEXT,
    client_version TEXT,
    server_name TEXT,
    server_version TEXT,
    user_agent TEXT,
    summary TEXT NOT NULL,
    tokens INTEGER,
    error_code INTEGER,
    error_message TEXT,
    message TEXT NOT NULL,
    size INTEGER NOT NULL,
    truncated INTEGER NOT NULL DEFAULT 0,
    request_headers TEXT,
    response_headers TEXT,
    partner_id BIGINT,
    note TEXT,
    redactions INTEGER NOT NULL DEFAULT 0,
    protocol_version TEXT,
    linked_id BIGINT,
    link_kind TEXT,
    operation_ms DOUBLE PRECISION,
    gateway_ms DOUBLE PRECISION,
    upstream_ms DOUBLE PRECISION,
    replay_of BIGINT,
    origin TEXT,
    -- The text free-text search looks in (../search-text.ts extracts it, as for SQLite's FTS5 index).
    search_text TEXT NOT NULL DEFAULT ''
  );
  ALTER SEQUENCE records_id_seq OWNED BY records.id;
  CREATE INDEX records_server ON records (server, id);
  CREATE INDEX records_session ON records (session_id, id);
  CREATE INDEX records_method ON records (method, id);
  CREATE INDEX records_instance ON records (instance, id);
  CREATE INDEX records_partner ON records (partner_id) WHERE partner_id IS NOT NULL;
  CREATE INDEX records_linked ON records (linked_id) WHERE linked_id IS NOT NULL;
  CREATE INDEX records_replay_of ON records (replay_of) WHERE replay_of IS NOT NULL;
  CREATE INDEX records_time ON records (time);

  CREATE TABLE sessions (
    id BIGSERIAL PRIMARY KEY,
    server TEXT NOT NULL,
    session_id TEXT NOT NULL,
    client_name TEXT,
    client_version TEXT,
    server_name TEXT,
    server_version TEXT,
    protocol_version TEXT,
    first_seen DOUBLE PRECISION NOT NULL,
    last_seen DOUBLE PRECISION,
    messages BIGINT NOT NULL DEFAULT 0,
    errors BIGINT NOT NULL DEFAULT 0,
    UNIQUE (server, session_id)
  );

  -- method is '' for records without one (stderr lines, HTML pages), so that the key is never NULL.
  CREATE TABLE method_totals (
    server TEXT NOT NULL,
    method TEXT NOT NULL,
    messages BIGINT NOT NULL DEFAULT 0,
    requests BIGINT NOT NULL DEFAULT 0,
    errors BIGINT NOT NULL DEFAULT 0,
    timed BIGINT NOT NULL DEFAULT 0,
    duration_total DOUBLE PRECISION NOT NULL DEFAULT 0,
    tokens BIGINT NOT NULL DEFAULT 0,
    last_seen DOUBLE PRECISION,
    PRIMARY KEY (server, method)
  );

  CREATE TABLE tool_lists (
    server TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    tools TEXT NOT NULL,
    record_id BIGINT,
    seen_at DOUBLE PRECISION NOT NULL
  );
  CREATE TABLE tool_changes (
    id BIGSERIAL PRIMARY KEY,
    server TEXT NOT NULL,
    time DOUBLE PRECISION NOT NULL,
    session_id TEXT,
    record_id BIGINT,
    previous_record_id BIGINT,
    added INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    tools TEXT NOT NULL
  );
  CREATE INDEX tool_changes_server ON tool_changes (server, id);
`;
