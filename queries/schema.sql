-- The case database. One row per evidence file, per request, per rejected and per skipped line.
-- Times are UTC (TIMESTAMP, no zone) with the offset written in the log kept beside them in minutes.

-- name: schema
-- Creates every table of a new case (idempotent).
CREATE TABLE IF NOT EXISTS meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);
CREATE TABLE IF NOT EXISTS evidence (
    evidence_id     INTEGER PRIMARY KEY,
    path            VARCHAR NOT NULL,   -- as given, or as found under a given folder
    abs_path        VARCHAR NOT NULL,
    server          VARCHAR,            -- label for gap analysis: the folder the file was found in
    size_bytes      BIGINT,
    mtime_utc       TIMESTAMP,
    sha256          VARCHAR,            -- of the bytes on disk
    content_sha256  VARCHAR,            -- of the decompressed content (= sha256 when not compressed)
    compression     VARCHAR,
    format          VARCHAR,
    verdict         VARCHAR NOT NULL,   -- ingested | duplicate | not a log
    duplicate_of    INTEGER,
    lines           BIGINT,
    requests        BIGINT,
    rejected        BIGINT,
    skipped         BIGINT,
    first_time      TIMESTAMP,
    last_time       TIMESTAMP,
    final_newline   BOOLEAN,
    time_meaning    VARCHAR,
    bytes_meaning   VARCHAR,
    format_lacks    VARCHAR,
    log_tz          VARCHAR,
    read_errors     VARCHAR,
    ingested_at     TIMESTAMP,
    supplied_by     VARCHAR,
    custody_note    VARCHAR
);
CREATE TABLE IF NOT EXISTS requests (
    evidence_id        INTEGER NOT NULL,
    line_no            BIGINT NOT NULL,
    byte_offset        BIGINT NOT NULL,   -- of the line in the (decompressed) content
    ts_utc             TIMESTAMP NOT NULL,
    utc_offset_min     SMALLINT,          -- as written in the log; NULL when the log has no offset
    ts_flag            VARCHAR,           -- e.g. ambiguous local time (DST fold)
    client             VARCHAR,
    client_is_hostname BOOLEAN,
    peer               VARCHAR,           -- connecting address when client was taken from X-Forwarded-For
    ident              VARCHAR,
    userid             VARCHAR,
    vhost              VARCHAR,
    method             VARCHAR,
    path               VARCHAR,           -- percent-decoded, without query
    query              VARCHAR,
    protocol           VARCHAR,
    status             SMALLINT,
    bytes              BIGINT,            -- NULL when logged as '-'
    object_size        BIGINT,
    range_start        BIGINT,
    range_end          BIGINT,
    completion         VARCHAR,
    duration_ms        DOUBLE,
    referer            VARCHAR,
    user_agent         VARCHAR,
    xff                VARCHAR,
    cache_result       VARCHAR,
    bad_utf8           BOOLEAN
);
CREATE TABLE IF NOT EXISTS rejects (
    evidence_id INTEGER NOT NULL,
    line_no     BIGINT NOT NULL,
    byte_offset BIGINT NOT NULL,
    reason      VARCHAR NOT NULL,
    raw_text    VARCHAR,                  -- decoded with U+FFFD for invalid bytes; exact bytes by offset
    bad_utf8    BOOLEAN
);
CREATE TABLE IF NOT EXISTS skipped (
    evidence_id INTEGER NOT NULL,
    line_no     BIGINT NOT NULL,
    kind        VARCHAR NOT NULL          -- blank | comment | header
);
CREATE TABLE IF NOT EXISTS activity (
    seq          INTEGER PRIMARY KEY,
    at_utc       TIMESTAMP,
    tool_version VARCHAR,
    command      VARCHAR,
    detail       VARCHAR
);
