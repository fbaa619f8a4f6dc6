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
    server          VARCHAR,            -- the name of the server whose log stream the file is (exposure/streams.py)
    size_bytes      BIGINT,             -- the bytes read and hashed (the size on disk unless it changed)
    mtime_utc       TIMESTAMP,
    sha256          VARCHAR,            -- of the bytes on disk
    content_sha256  VARCHAR,            -- of the decompressed content (= sha256 when not compressed)
    compression     VARCHAR,
    format          VARCHAR,
    verdict         VARCHAR NOT NULL,   -- ingested | duplicate | not a log | inspected | unreadable (a file or
                                        -- folder that could not be opened, listed or decoded at all, or
                                        -- content not parsed by rule: read_errors says why; a folder's row has
                                        -- its path, NULL hashes and NULL compression)
    duplicate_of    INTEGER,
    lines           BIGINT,
    requests        BIGINT,
    rejected        BIGINT,
    skipped         BIGINT,
    first_time      TIMESTAMP,
    last_time       TIMESTAMP,
    final_newline   BOOLEAN,            -- false: the content's last line has no newline (not damage: a copy
                                        -- of a live log stops mid-line; that line is rejected unless it parses);
                                        -- NULL where the content ends early (truncated: the line's end is lost)
    -- What the file's fields mean: recorded facts, each with its basis (exposure/facts.py, README Definitions):
    -- declared (by the format or the directive), inferred (from the data: bytes_basis_detail says from what),
    -- given (--bytes) or assumed (the log cannot say and the data did not decide).
    time_meaning    VARCHAR,            -- what the timestamp marks: request received / response logged ...
    time_basis      VARCHAR,
    bytes_meaning   VARCHAR,            -- body | headers+body: what a byte count covers
    bytes_basis     VARCHAR,
    bytes_basis_detail VARCHAR,         -- which field or directive declares it, or what the inference rests on
    exact_length_field VARCHAR,         -- the field giving the object's exact length (S3 object_size,
    exact_length_basis VARCHAR,         -- CloudFront sc-content-len, a Content-Range total), or NULL
    paths_case_insensitive BOOLEAN,     -- the server treats /A.xlsx and /a.xlsx as one file (IIS)
    paths_basis     VARCHAR,
    format_lacks    VARCHAR,
    log_tz          VARCHAR,
    read_errors     VARCHAR,            -- everything that went wrong while reading, in words ("; " between)
    ingested_at     TIMESTAMP,
    supplied_by     VARCHAR,
    custody_note    VARCHAR,
    format_definition VARCHAR,          -- the --log-format / --nginx-log-format / --json-fields text, or
                                        -- the layout assumed for a W3C file without #Fields
    stream          VARCHAR,            -- the server's log stream the file belongs to (exposure/streams.py):
                                        -- gaps, overlaps and coverage are per stream; NULL for a file not a log
                                        -- (one damaged before any line could be read has the one its name gives)
    stream_reason   VARCHAR,            -- why: what the name, the content or --stream-from said
    name_kind       VARCHAR,            -- who wrote the file name: server | silent | copy (queries/citation.sql)
    copy_folder     VARCHAR,            -- a folder on its path named like a copy's (export, backup ...), or NULL
    named_like_copy BOOLEAN,            -- its name leaves its stream to its content: silent, a copy's, or in a
                                        -- copy's folder (exposure/namekinds.named_like_copy, the one rule, written
                                        -- at ingest; queries/gaps.sql and exposure/overlap.py read it)
    name_time_utc   TIMESTAMP,          -- the time the file's name gives (exposure/streams.py): an S3 server access
                                        -- log key's (AWS's delivery time, or the day of its lines), a CloudFront
                                        -- log's hour; NULL where the name gives none. Places a file none of whose
                                        -- lines was read in its stream's time (queries/findings.sql)
    name_time_kind  VARCHAR,            -- what that time is, read from the name with it (exposure/streams.py):
                                        -- s3 | cloudfront | rotation (a rotation's date or epoch second); live:
                                        -- a server's log name with no rotation (the newest file of its stream),
                                        -- no time; NULL where the name says neither
    -- What reading found (exposure/evidence.py, gzipmembers.py, bzip2blocks.py, lines.py; README "Reading evidence").
    damage          VARCHAR,            -- NULL: read intact. damaged: a compressed stream with an undecodable or
                                        -- altered part (what follows recovered where the format allows).
                                        -- truncated: a compressed stream that ends early; joined lines: lines
                                        -- holding further lines after a raw CR (LF in a CR file), not counted
                                        -- (exposure/lines.py); changed during read:
                                        -- size or content changed while it was read (logrotate copytruncate).
                                        -- The lines that were read are kept and counted in every case.
    damage_offset   BIGINT,             -- content bytes decoded before the damage (where it starts; for a change
                                        -- during the read: where the read ended)
    damage_detail   VARCHAR,            -- what and where in the compressed file (member n at compressed byte x,
                                        -- bzip2 block k at bit y ...), each damage, "; " between
    damages         STRUCT(content_offset BIGINT, detail VARCHAR)[],  -- each damage of damage_detail apart (a
                                        -- change during read too): where it starts in the content and what it
                                        -- is; each leaves its own time without a line (queries/findings.sql)
    -- each gzip member that inflated to its end and fails its CRC-32 (a damage of damages): where its content lies
    -- and what its trailer records; what exposure/corruption.py proves a corrupted copy of an intact file's bytes
    crc_failures    STRUCT(member INTEGER, content_start BIGINT, content_bytes BIGINT, stored_crc BIGINT, stored_size BIGINT,
                           decoded_crc BIGINT)[],
    decoded_bytes   BIGINT,             -- content bytes decoded in all (= the bytes read, uncompressed)
    lost_bytes      BIGINT,             -- compressed bytes that gave no content (skipped), where known
    bom             VARCHAR,            -- utf-8: a UTF-8 byte-order mark was taken off before parsing (the first
                                        -- line's byte_offset is then 3)
    bom_lines       BIGINT,             -- lines after the start that began with a UTF-8 byte-order mark (files
                                        -- joined end to end), each mark taken off before parsing; NULL: none.
                                        -- Their byte_offset is the mark's (raw lines are read back whole)
    first_bom_line  BIGINT,             -- the first of them
    line_endings    VARCHAR,            -- lf | crlf | cr (old Mac: lines end at a lone CR) | mixed
    suspicious      VARCHAR,            -- content past the size rule: "decompresses to ... (ratio ...): hashed
                                        -- in bounded memory, not parsed"
    client_from     VARCHAR,            -- xff: --client-ip-from xff was given (the client from X-Forwarded-For
                                        -- behind --trusted-proxy); NULL: the connecting address
    xff_absent      BIGINT,             -- with client_from xff: requests with no X-Forwarded-For address (no such
                                        -- field on the line, or '-'): their client is the connecting address
    xff_untrusted   BIGINT,             -- with client_from xff: requests whose header came from an address no
                                        -- --trusted-proxy holds: the header is the client's own claim, the client
                                        -- is the connecting address (formats/clientaddr.py)
    via_link        VARCHAR,            -- the file was reached through a symbolic link: the path as given, made
                                        -- absolute with no link resolved (abs_path is where it resolved at
                                        -- ingest; verify names a link that resolves elsewhere since); NULL: no link
    unsized_requests BIGINT             -- requests logged without a byte count that is not 0 bytes (a dash or a
                                        -- missing field means not logged: W3C, JSON, nginx directives; always 0
                                        -- for Apache %b and S3, whose dash is no bytes sent): what they
                                        -- delivered is unknown (the download rule's bytes_known)
);
-- Request rows live in store tables (requests_core, requests_all, ...: exposure/store.py writes their DDL from
-- its column list) behind the view `requests`, one row per request line; `request_stores` lists the stores.
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
    kind        VARCHAR NOT NULL,         -- blank | comment | header | tcp connection (ALB/ELB)
    bad_utf8    BOOLEAN                   -- the line held bytes that are not UTF-8 (a `#Remark:` in Latin-1)
);
CREATE TABLE IF NOT EXISTS activity (
    seq          INTEGER PRIMARY KEY,
    at_utc       TIMESTAMP,
    tool_version VARCHAR,
    command      VARCHAR,
    detail       VARCHAR
);
-- The seal (exposure/seal.py): a SHA-256 chain of links, one per command that wrote and one per evidence file
-- stored, each over the link before it and the items it seals (activity entries, registry rows, row digests).
CREATE TABLE IF NOT EXISTS seal_links (
    seq          INTEGER PRIMARY KEY,
    kind         VARCHAR NOT NULL,        -- created | file | command
    activity_seq INTEGER,                 -- the activity entry a command link seals
    note         VARCHAR NOT NULL,
    previous     VARCHAR NOT NULL,        -- the link before it (64 zeros for the first)
    link         VARCHAR NOT NULL         -- SHA-256 over previous, seq, kind, activity_seq, note and the items
);
CREATE TABLE IF NOT EXISTS seal_items (
    seq     INTEGER NOT NULL,             -- the link that sealed it
    item    VARCHAR NOT NULL,             -- activity:N | evidence:N | requests:N | rejects:N | skipped:N | ...
    rows    BIGINT,
    digest  VARCHAR NOT NULL,             -- SHA-256 (of `content` for registry and activity rows)
    content VARCHAR                       -- the sealed registry or activity row as canonical JSON
);
-- Row digests per evidence file (exposure/rowdigest.py): DuckDB's row hash summed and xor-ed per block of lines.
CREATE TABLE IF NOT EXISTS row_blocks (
    evidence_id INTEGER NOT NULL,
    kind        VARCHAR NOT NULL,         -- requests | rejects | skipped
    block       BIGINT NOT NULL,          -- line_no // 1024
    first_line  BIGINT NOT NULL,
    last_line   BIGINT NOT NULL,
    rows        BIGINT NOT NULL,
    hash_sum    HUGEINT NOT NULL,
    hash_xor    UBIGINT NOT NULL
);
-- Overlapping copies (exposure/overlap.py): runs of request lines one file shares with another, in any folder.
CREATE TABLE IF NOT EXISTS overlap_lines (
    evidence_id      INTEGER NOT NULL,   -- the copy: its line is left out of the analysis
    line_no          BIGINT NOT NULL,
    kept_evidence_id INTEGER NOT NULL,   -- the original (queries/citation.sql) holding the same line: counted
    kept_line_no     BIGINT NOT NULL
);
-- A damaged gzip member proven a corrupted copy of an intact file's bytes (exposure/corruption.py): those bytes have
-- the CRC-32 and the size its trailer records. Its lines that differ from the bytes in their place are rejected
-- (`corrupted: ...`), its other lines are copies of the intact file's (overlap_lines).
CREATE TABLE IF NOT EXISTS corrupted_members (
    evidence_id        INTEGER NOT NULL,  -- the damaged file
    member             INTEGER NOT NULL,  -- its gzip member (1-based)
    content_start      BIGINT NOT NULL,   -- the member's content in the damaged file (content byte offsets)
    content_bytes      BIGINT NOT NULL,
    kept_evidence_id   INTEGER NOT NULL,  -- the intact file holding the bytes that were compressed
    kept_start         BIGINT NOT NULL,   -- where those bytes begin in its content
    kept_first_line_no BIGINT NOT NULL,   -- the intact file's lines they span
    kept_last_line_no  BIGINT NOT NULL,
    differing_lines    VARCHAR NOT NULL,  -- the damaged file's lines whose bytes differ from the intact bytes
    last_newline       BIGINT NOT NULL,   -- the damaged file's last newline in the member (-1: none)
    differing_offsets  BIGINT[] NOT NULL  -- where those lines begin (content offsets): what a later settle reads
);
CREATE TABLE IF NOT EXISTS overlap_pairs (   -- one row per copy and original ("overlaps" is a DuckDB keyword)
    evidence_id        INTEGER NOT NULL,  -- the copy
    kept_evidence_id   INTEGER NOT NULL,  -- the original cited for those lines
    shared_lines       BIGINT NOT NULL,
    runs               BIGINT,            -- runs of consecutive shared lines
    first_line_no      BIGINT,            -- first/last shared line in evidence_id
    last_line_no       BIGINT,
    kept_first_line_no BIGINT,            -- first/last shared line in kept_evidence_id
    kept_last_line_no  BIGINT,
    first_time         TIMESTAMP,         -- the time span of the shared lines (UTC)
    last_time          TIMESTAMP,
    line_ranges        VARCHAR,           -- the shared lines of evidence_id, as ranges ("1-6, 40-52")
    kept_line_ranges   VARCHAR            -- the same lines in kept_evidence_id
);
CREATE TABLE IF NOT EXISTS inspections (      -- one row per `exposure inspect` of a document (issue 9)
    inspection_id   INTEGER PRIMARY KEY,
    evidence_id     INTEGER NOT NULL,         -- the document in the evidence registry (verdict 'inspected')
    path            VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL,
    size_bytes      BIGINT,             -- the bytes read and hashed (the size on disk unless it changed)
    doc_type        VARCHAR,                  -- xlsx | xlsm | docx | pdf | csv | text
    inspected_at    TIMESTAMP,
    tool_version    VARCHAR,
    complete        BOOLEAN,                  -- false when a scan limit was reached (see notes)
    notes           VARCHAR,
    properties_json VARCHAR,                  -- document properties / metadata as JSON
    records         BIGINT,                   -- rows, paragraphs or lines holding any value
    records_visible BIGINT,
    records_hidden  BIGINT,
    records_whited_out BIGINT,
    data_subjects_estimate BIGINT,
    values_shown    BOOLEAN                   -- samples stored unmasked (--show-values)
);
CREATE TABLE IF NOT EXISTS inspection_findings (
    inspection_id INTEGER NOT NULL,
    finding_no    INTEGER NOT NULL,
    kind          VARCHAR NOT NULL,           -- hidden_rows | font_equals_fill | covered_text | tracked_deletion ...
    location      VARCHAR,                    -- sheet, part or pages
    range_ref     VARCHAR,
    description   VARCHAR,
    cells         BIGINT,
    rows          BIGINT,
    unit          VARCHAR,
    samples_json  VARCHAR                     -- masked unless values_shown
);
CREATE TABLE IF NOT EXISTS inspection_categories (
    inspection_id      INTEGER NOT NULL,
    category           VARCHAR NOT NULL,      -- name | date_of_birth | nationality | phone | bsn | iban ...
    rule               VARCHAR,               -- how the automated estimate was made
    value_count        BIGINT,
    records            BIGINT,
    records_visible    BIGINT,
    records_hidden     BIGINT,
    records_whited_out BIGINT,
    values_visible     BIGINT,
    values_hidden      BIGINT,
    values_whited_out  BIGINT,
    samples_json       VARCHAR
);
