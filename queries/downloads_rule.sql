-- THE DOWNLOAD RULE: exposure windows and download attempts, defined once for any set of files.
-- Every door uses these macros: `analyse`/`report`/`timeline`/the Python API through target.sql (one target),
-- `files` through files.sql (every path at once). queries/portable/windows_downloads.sql is the same rule in a
-- second SQL dialect (Spark), checked equal to this one on the same fixtures.
--
-- The rule reads a table or view (its name is the macros' `src`) with one row per request and these columns:
--   file_key        which file the request is for: every window and download is computed per file_key
--                   (one target: a constant; `files`: the path, case-folded where the evidence file's paths
--                   are case-insensitive, see evidence.paths_case_insensitive)
--   ts_utc, evidence_id, line_no                      time and place (ties are broken by file and line)
--   client, user_agent, internal, client_class        who (internal: in the --internal ranges)
--   method, status, bytes, range_start, range_end, completion    what the log says of the response
--   bytes_meaning   the evidence file's recorded fact: 'body' or 'headers+body' ('none': it logs no byte count)
--   bytes_known     false where the line has no byte count and that is not 0 bytes (evidence.unsized_requests:
--                   W3C, JSON ... log none; Apache's %b and S3 write '-' for 0), or its count may be cut (a
--                   file's last line cut off in it: rule_bytes_known): delivered bytes unknown, so judged only
--                   by the log's own completion flag (aborted: partial; complete: complete) or a range group's
--                   offsets; such a count never shapes a window's size
--   exact_size      the object's exact length where the log gives one (rule_exact_size below), else NULL
-- Parameters: given_size (--size, body bytes, or NULL), gap_minutes (a range group ends after this gap).
-- Three steps, each a macro over the one before (a door keeps each step's rows as a view, or as a table where
-- they are many): rule_events(src) numbers the responses, rule_windows(events, given_size) gives the windows
-- and rule_downloads(events, windows, given_size, gap_minutes) the downloads.
--
-- Windows. Available = 200/206/304 and a GET/HEAD (or method-less) 499 with bytes, unavailable = 404/410 and a
-- CloudFront Error result answering 200, a custom error page at the file's path (rule_error_page; other
-- statuses neither open nor close one); a window is a run of available responses ended by an unavailable one.
-- The size, per window:
--   body_size   given_size, else the most common exact_size of its available GETs (size_rule object_size),
--               else from the byte counts of its 200 GETs counted as body (most_common): the largest several
--               addresses logged, else the most common (rule_size_repeated, rule_sizes_in_doubt)
--   band_bytes  byte counts that include headers: the lower edge of the complete-transfer band. For each 200
--               GET count b (above its own exact_size and above the window's header-only responses, HEAD or
--               304: a count not above them carried no body; none the log calls aborted), how many 200 GETs
--               fall in [b, b + 2 KiB]; in the densest such range (the higher on a tie) the counts form islands (a new one where the next
--               count is more than 256 bytes higher: complete copies differ only by their headers); in the
--               island holding the most transfers (the higher on a tie) the counts form runs (a new one where the
--               next count is more than 64 bytes higher: complete copies' headers differ by less, Keep-Alive's
--               max=N, Connection: close); the run holding the most transfers (the higher on a tie) is the band,
--               its lowest count the edge: a run below it is a body shorter than theirs, however often its count
--               repeats (four transfers cut 100 bytes short, logged alike, no longer draw the edge down), or
--               complete copies with smaller headers (an affinity cookie on a client's first response, HTTP/2
--               beside HTTP/1.1): counts cannot tell which
--   band_floor  the lowest count of that island, but at most band_below_reach() (256) bytes below band_bytes: a
--               count from it up to band_bytes is undetermined (band_below), a count below it partial
--   header_bytes  the largest header-only response of the window (HEAD answered 200, or a 304) whose count
--               includes headers, else 1024 (reported with the window; a cut part with offsets is judged by
--               part_headers, rule_range_upto: a 304 carries fewer headers than a 206 and bounds none of its)
--   part_headers  the allowance for one part's headers in a band_sum range group's sum: the MOST a 206's headers
--               may take (a complete verdict by the sum must mean the parts surely held the file), the greatest of
--               what bounds it: the 200's headers where the window knows the body size (band_bytes less the given,
--               else exact, size), or the largest HEAD answered 200 measuring headers (head_only: a 200's headers;
--               a 304 carries fewer than a 206, no Content-Type, Content-Length, Content-Range or Accept-Ranges, so
--               it bounds nothing), each plus what a 206 adds to them (part_headers_more: the longer status line and
--               the Content-Range line); where nothing bounds it part_headers_unbounded() (1024). A group that would reach the file only with a smaller
--               allowance (256, the least a 206's headers take) is undetermined, never complete (review of red team
--               16: the least allowance made parts each 87 bytes short of their range complete)
-- Downloads: every GET answered 200 is a single transfer, and every GET answered 499 with bytes (the client
-- closed the connection: rule_transfer); a transfer the log calls aborted is never complete, partial only where
-- its count is clearly short of the file, else undetermined (rule_aborted_outcome); a client's (address + user
-- agent) GETs answered 206 form a range group until a gap of more than gap_minutes, counted once at its last part. size_rule says how
-- each was judged (README, Definitions):
--   single  object_size  body bytes >= the exact size; or bytes that include headers at or below it: partial
--           band         bytes that include headers >= band_bytes (the complete-transfer band's lower edge);
--                        below band_floor partial
--           band_below   bytes that include headers >= band_floor but < band_bytes, judged by the band (no given
--                        size, no completion flag on the line): undetermined, a body cut short or smaller
--                        headers (rule_band_below)
--           completion   the log's own completion flag (%X, $request_completion, IIS sc-win32-status), and
--                        bytes >= body_size (counts that include headers: > the given size, else >= band_floor);
--                        a line without a byte count (bytes_known false): the flag alone
--           given / most_common   body bytes >= body_size (given, or inferred); bytes that include headers
--                        > the given size (rule_reaches: headers are never 0 bytes)
--   range   offsets      the union of the parts' body offsets, each as far as the part surely delivered it
--                        (rule_range_upto), >= the body size (the group's exact size, else body_size); without
--                        a body size, complete only when it reaches band_bytes. Also where some parts have no
--                        offsets (a copy's cut in them: rule_offset) but the known ones already cover the body
--                        size; else such a group is never complete by its sums (they would count the overlap the
--                        offsets prove twice): partial where the most the parts can have delivered (the union,
--                        the other parts' counts, and a short part's count past its range_upto: beyond_most)
--                        falls short of the body size, else undetermined (its label byte_sum or band_sum below)
--           byte_sum     the sum of body bytes >= the body size
--           band_sum     bytes that include headers, no offsets: complete when the sum, less part_headers for
--                        every part but one and what that one adds over the 200's headers band_bytes holds
--                        (part_headers_more of the band), reaches band_bytes (less part_headers for every part against a
--                        given size, a sum at or below it partial); reaching it only without the allowance, or a
--                        sum at or above band_floor: undetermined; below band_floor partial
-- outcome: complete | partial | undetermined (no size to judge by, or band_below: a count with headers just below
-- the complete-transfer band, a body cut short or smaller headers).
-- outcome_inferred: a range group judged complete by a sum (byte_sum, band_sum) when no part alone reaches the
-- size: the log states no offsets, so that the parts covered the file is an inference (a part fetched again, a
-- player re-reading one range, adds to the sum as if it were new bytes). A sum below the size is partial for
-- certain; offsets are the bytes themselves. Every door labels these (README, Definitions).

-- name: download_rule
-- Defines the macros rule_cut(), rule_exact_size(), rule_bytes_known(), rule_offsets_known(), rule_offset(),
-- rule_reaches(), rule_body_most(), rule_events(src), rule_windows(events, given_size) and
-- rule_downloads(events, windows, given_size, gap_minutes), rule_complete_on_sent_counts(events, downloads) and
-- rule_refused_after(src, windows); each result row carries its file_key.
-- params: none
-- needs: stream_silences
-- The evidence's start, the time a window opening within its first hour may have opened before
-- (rule_windows open_at_log_start): the first request of its ingested files, its stray times aside (a 1970 a
-- clock writes after a boot before NTP sets it, a 2099: queries/gaps.sql kinds 'stray' and 'edge stray', the
-- finding `stray time`), which bound no silence and no stream's edge, nor the evidence's start (red team 21a: a
-- 1970 first line took the caveat off a window opened 15 minutes into the logs). The Parquet export carries the
-- test per row as exposure.stray_time (exposure/export.py), which the portable rule reads.
CREATE OR REPLACE TEMP MACRO rule_stray_time(evidence_id, line_no) AS
    EXISTS (SELECT 1 FROM stream_silences s WHERE s.kind IN ('stray', 'edge stray')
            AND s.start_evidence_id = evidence_id AND s.start_line_no = line_no);
-- How long before a window's first available response the file may have been online unseen where nothing was
-- logged: the evidence's first hour (open_at_log_start), and a silence ending within that hour before it
-- (rule_windows unseen_from: red team 21a, a server silent for 6 hours whose first line after it was the file's
-- first 200 said that silence as a plain gap, outside every window).
CREATE OR REPLACE TEMP MACRO opening_reach() AS INTERVAL 1 HOUR;
CREATE OR REPLACE TEMP MACRO rule_evidence_start() AS TABLE
SELECT min(r.ts_utc) AS t0 FROM requests r
WHERE r.evidence_id IN (SELECT evidence_id FROM evidence WHERE verdict = 'ingested')
  AND NOT rule_stray_time(r.evidence_id, r.line_no);
-- A line's host as the target's host test compares it (target.sql on_target_host, target_hosts; files.sql's
-- hosts): without port, brackets, trailing dot and case.
CREATE OR REPLACE TEMP MACRO host_key(vhost) AS
    lower(TRIM(TRAILING '.' FROM CASE WHEN substr(vhost, 1, 1) = '[' THEN split_part(substr(vhost, 2), ']', 1)
               WHEN length(vhost) - length(replace(vhost, ':', '')) = 1 THEN split_part(vhost, ':', 1)
               ELSE vhost END));
-- Whether a line's virtual host is `host` (a target's, --target https://HOST/PATH; NULL: every host, and a line that
-- logs no host is every host's), as host_key compares them: the one host test of a target (target.sql
-- on_target_host) and of a host target's row in `files` (files.sql files_rule_input).
CREATE OR REPLACE TEMP MACRO on_host(vhost, host) AS
    host IS NULL OR vhost IS NULL OR host_key(vhost) = lower(TRIM(TRAILING '.' FROM host));
-- A host that names a site (host_key), NULL for one that does not: nginx's catch-all `_` ($host of a request
-- without a Host header), an address (a request to the server's IP: the default site, whichever it is).
CREATE OR REPLACE TEMP MACRO site_host(vhost) AS
    CASE WHEN host_key(vhost) <> '_' AND NOT regexp_full_match(host_key(vhost), '[0-9.]+|[0-9a-f:]*:[0-9a-f:.]*')
         THEN host_key(vhost) END;
-- A copy of a live log stops anywhere: a file's last line cut off mid-line carries the fields the cut may have
-- shortened or taken (extra['cut_field'], space-separated: bytes, object_size, range_start, range_end,
-- completion, user_agent, referer; a field of the log kept in `extra` is `extra:` and its name, never one of
-- these: exposure/cutwords.py). rule_cut(cut_field, name): the cut fell in `name`.
-- (A completion flag not read whole is not kept: the row's completion is NULL, judged as a line without one.)
CREATE OR REPLACE TEMP MACRO rule_cut(cut_field, name) AS
    coalesce(list_contains(string_split(cut_field, ' '), name), false);
-- An exact length applies to a full response only when the field is the response's own Content-Length
-- (CloudFront sc-content-len: a 206's is the part's length); S3 object_size and a Content-Range total are the
-- object's length on every response. A length a copy cut (its file's last line cut off in it: cut_field =
-- rule_cut(cut_field, 'object_size'), exposure/lastline.py) is no length: it never votes for a window's size
-- nor judges its own line. The Parquet export carries it as exposure.exact_size.
CREATE OR REPLACE TEMP MACRO rule_exact_size(object_size, status, exact_length_field, cut_field) AS
    CASE WHEN exact_length_field = 'sc-content-len' AND status <> 200 THEN NULL
         WHEN rule_cut(cut_field, 'object_size') THEN NULL ELSE object_size END;
-- A line's byte count is known unless it has none and its file's missing counts are not 0 bytes
-- (evidence.unsized_requests), or the line is its file's last, cut off mid-line in the count itself
-- (rule_cut(cut_field, 'bytes'): the count as read may have lost digits, or the cut took it). The Parquet
-- export carries it as exposure.bytes_known (exposure/export.py).
CREATE OR REPLACE TEMP MACRO rule_bytes_known(bytes, unsized_requests, cut_field) AS
    (bytes IS NOT NULL OR coalesce(unsized_requests, 0) = 0) AND NOT rule_cut(cut_field, 'bytes');
-- A part's offsets are known unless the cut fell in one of them (CloudFront sc-range-start/sc-range-end: 1999999
-- read as 19): a part whose offsets are unknown has none, so its range group is judged as a group without
-- offsets is (its whole byte counts; a sum that reaches the size is an inference, labelled). rule_offset gives
-- an offset as the rule reads it; the Parquet export carries the test as exposure.offsets_known.
CREATE OR REPLACE TEMP MACRO rule_offsets_known(cut_field) AS
    NOT (rule_cut(cut_field, 'range_start') OR rule_cut(cut_field, 'range_end'));
CREATE OR REPLACE TEMP MACRO rule_offset(value, cut_field) AS
    CASE WHEN rule_offsets_known(cut_field) THEN value END;
-- A byte count reaches a body size: a body count at or above it, a count that includes the response's headers
-- only above it (headers are never 0 bytes: a count at the body size delivered less than the body).
CREATE OR REPLACE TEMP MACRO rule_reaches(bytes, body_size, with_headers) AS
    CASE WHEN with_headers THEN bytes > body_size ELSE bytes >= body_size END;
-- The most body bytes a count can hold: less one byte for headers where it includes them (never 0 bytes).
CREATE OR REPLACE TEMP MACRO rule_body_most(bytes, with_headers) AS
    greatest(coalesce(bytes, 0) - CASE WHEN with_headers THEN 1 ELSE 0 END, 0);
-- The last body offset a 206 part surely delivered, for the union of its group's offsets. The logged range
-- (Content-Range, CloudFront sc-range-start/-end) is what the server announced, not what the client received: a
-- `Range: bytes=0-` answered with the whole file and broken off at 40 % logs the whole range. A part counts its
-- range to the end only where it went out in full: the log does not call it aborted and its count reaches the
-- part's length (rule_reaches; a line without a count: its offsets stand). Otherwise it covers from its start
-- only the body bytes its count holds (less part_headers, the most a 206's headers take, where the count
-- includes headers; none without a count), and never its last byte where the log calls it aborted. NULL: it surely delivered no byte.
CREATE OR REPLACE TEMP MACRO rule_range_upto(range_start, range_end, bytes, bytes_known, with_headers, completion,
                                             part_headers) AS
    CASE WHEN coalesce(completion, '') <> 'aborted'
              AND (NOT bytes_known OR rule_reaches(coalesce(bytes, 0), range_end - range_start + 1, with_headers))
         THEN range_end
         ELSE nullif(greatest(range_start - 1 + least(range_end - range_start,
                                  CASE WHEN bytes_known THEN coalesce(bytes, 0) - CASE WHEN with_headers
                                       THEN coalesce(part_headers, part_headers_unbounded()) ELSE 0 END ELSE 0 END),
                              range_start - 1), range_start - 1) END;

-- nginx 499: the client closed the connection before the response completed. nginx logs 499 only where the
-- request had no response status yet or nothing had been written to its connection
-- (ngx_http_terminate_request: `headers_out.status == 0 || connection->sent == 0`): a client that breaks off a
-- static or proxied download mid-body is logged with the response's own 200/206 and the short count (partial by
-- the rule already). So a 499 with a count above 0 is rare, and the log does not say which bytes those were;
-- the rule reads it, by inference, as a response of the file that had begun: it shows the file available
-- (rule_available, for a HEAD too: never an error, rule_error) and, for a GET, is a transfer (rule_transfer: a
-- single, never complete, completion 'aborted'; partial or undetermined by rule_aborted_outcome); one with 0
-- bytes or no count sent nothing that shows (an error, as 408 and every other 4xx: nginx answers 408 before any
-- response to the request, so its bytes are the error page's).
CREATE OR REPLACE TEMP MACRO rule_client_closed(status) AS status = 499;
-- The log's own word that a response was an error (completion 'error': CloudFront x-edge-result-type Error that is
-- not a client disconnect; 'origin_error': one whose x-edge-detailed-result-type names an origin failure,
-- exposure/formats/w3c.py), whatever status it carries.
CREATE OR REPLACE TEMP MACRO rule_error_result(completion) AS coalesce(completion IN ('error', 'origin_error'), false);
-- An error result answering 200: a custom error response (CloudFront serves its configured page, a single-page
-- app's /index.html, with the status it is told, in place of the origin's 403/404) at the file's path. It is not
-- the file: it never shows the file available, and it shows it unavailable as a 404 does (rule_unavailable: it
-- closes a window). An error result answering 206 is a part of the file that failed: available, never complete
-- (rule_never_complete). So is one answering 200 whose detailed type names an origin failure ('origin_error'): a
-- server error the page may stand for, or the file itself cut short, never a sign the file was gone (a 5xx closes
-- no window).
CREATE OR REPLACE TEMP MACRO rule_error_page(status, completion) AS
    coalesce(status = 200 AND completion = 'error', false);
-- A request whose answer can show the file: a GET or a HEAD, or a line naming no method (a format without %r/%m,
-- where a GET cannot be told apart). A response to any other method shows nothing, whatever its status: a CORS
-- preflight OPTIONS (answered from the server's configuration, not from the file), an upload PUT, a POST (as for
-- a 499), and S3's operations on the object's metadata, whose names stay the method (REST.GET.ACL,
-- REST.PUT.ACL, REST.GET.OBJECT_TAGGING ...: exposure/formats/s3.py) and which the owner's console runs after it
-- made the object private (red team 21: such responses opened windows after a 404 and ran a window past the
-- refusals that withdrew the file).
CREATE OR REPLACE TEMP MACRO rule_reads_file(method) AS coalesce(method IN ('GET', 'HEAD'), true);
-- A response that shows the file available (the rule's one test: rule_events, rule_refused_after, rule_transfer):
-- 200, 206, 304 or a 499 with bytes, to a request that reads the file (rule_reads_file). A 499 with bytes shows
-- it too (a response that had begun): a POST or OPTIONS 499 is an error (rule_error), neither a window nor a
-- download. A custom error page answering 200 (rule_error_page) does not.
CREATE OR REPLACE TEMP MACRO rule_available(method, status, bytes, bytes_known, completion) AS
    rule_reads_file(method)
    AND ((status IN (200, 206, 304) AND NOT rule_error_page(status, completion))
         OR coalesce(rule_client_closed(status) AND bytes_known AND bytes > 0, false));
-- An error in the figures (totals.errors, the report's 'counted in' column: queries/report.sql): a status of 400
-- or above, or a custom error page answering 200 (rule_error_page), that does not show the file available (a 499
-- with bytes is a transfer, or for a HEAD a header-only response, as a 200 would be: never an error).
CREATE OR REPLACE TEMP MACRO rule_error(method, status, bytes, bytes_known, completion) AS
    coalesce((status >= 400 OR rule_error_page(status, completion))
             AND NOT rule_available(method, status, bytes, bytes_known, completion), false);
-- A response that shows it unavailable: it closes a window. 404, 410, and a custom error page answering 200 at the
-- file's path (rule_error_page: the origin no longer served it).
CREATE OR REPLACE TEMP MACRO rule_unavailable(status, completion) AS
    status IN (404, 410) OR rule_error_page(status, completion);
-- A download attempt: a GET whose response shows the file available and carries (some of) its body.
CREATE OR REPLACE TEMP MACRO rule_transfer(method, status, bytes, bytes_known, completion) AS
    coalesce(method = 'GET' AND status <> 304 AND rule_available(method, status, bytes, bytes_known, completion),
             false);
-- The log's word on how a response ended: its own flag (%X, $request_completion, sc-win32-status ...), and
-- 'aborted' for a client-closed response (rule_client_closed) whatever the flag says.
CREATE OR REPLACE TEMP MACRO rule_completion(status, completion) AS
    CASE WHEN rule_client_closed(status) THEN 'aborted' ELSE completion END;
-- A transfer the log calls aborted (rule_completion) is never complete: whether the client received the bytes
-- the server wrote before it closed, the log cannot say. It is partial only where its count is clearly short of
-- the file, else undetermined (README, Definitions: undetermined, no size to judge it by):
--   a body count: short of the body size (size_bytes: the exact, given or most common one); none: undetermined
--   a count with headers: short of the body with the headers a full response of the window carries. The
--     window's complete-transfer band is that count, measured on its complete 200s (never a HEAD's or a 304's
--     headers, nor an allowance of 1024 bytes: a guess that called aborted copies of every byte partial), from
--     its floor (band_floor, the lowest count of its island: a copy with smaller headers than the band's edge
--     may hold the whole body, rule_band_below); a known body size (known_size: the given, else the exact one)
--     needs a byte of headers at least (rule_reaches), and where both are known the larger (a given size above
--     the band: the band's copies are partial too). Neither known: undetermined
--   no byte count (bytes_delivered NULL: unknown, or a copy cut it): the log's word alone, partial
-- Returns the is_complete of the rule: false (partial) or NULL (undetermined), never true.
CREATE OR REPLACE TEMP MACRO rule_aborted_outcome(bytes_delivered, with_headers, size_bytes, known_size,
                                                  band_floor) AS
    CASE WHEN bytes_delivered IS NULL THEN false
         WHEN with_headers THEN
              CASE WHEN band_floor IS NULL AND known_size IS NULL THEN NULL
                   WHEN bytes_delivered >= greatest(coalesce(band_floor, known_size + 1),
                                                    coalesce(known_size + 1, band_floor)) THEN NULL
                   ELSE false END
         WHEN size_bytes IS NULL OR bytes_delivered >= size_bytes THEN NULL
         ELSE false END;
-- A count with headers from the complete-transfer band's floor (the lowest count of its island) up to its edge
-- (band_bytes, not reached): the count of a body cut short, or of a complete copy whose headers are smaller than
-- the band's (an affinity cookie on a client's first response, HTTP/2 beside HTTP/1.1); counts cannot tell them
-- apart, so such a transfer judged by the band is undetermined (size_rule 'band_below'), never partial.
-- The floor is at most band_below_reach() bytes below the edge (headers differ by less between copies of one
-- file): a count further below is a body cut short, partial.
CREATE OR REPLACE TEMP MACRO band_below_reach() AS 256;
-- What a 206's headers add to the 200's of the same server (part_headers): its status line is longer ('206 Partial
-- Content' for '200 OK': 13 bytes) and it carries 'Content-Range: bytes START-END/TOTAL' and CRLF (25 bytes and
-- three numbers, none of more digits than the body size's, or the band's where no size is known: 19 where neither
-- is). Its Content-Length is never longer than the 200's.
CREATE OR REPLACE TEMP MACRO part_headers_more(size) AS 38 + 3 * coalesce(length(CAST(size AS VARCHAR)), 19);
-- A part's header allowance where nothing bounds a 206's headers (no body size known, no HEAD or 304 measured).
CREATE OR REPLACE TEMP MACRO part_headers_unbounded() AS 1024;
-- part_headers of a window whose counts include headers: the greatest upper estimate of a 206's headers.
CREATE OR REPLACE TEMP MACRO rule_part_headers(band_bytes, known_size, head_only) AS
    coalesce(greatest(CASE WHEN band_bytes > known_size
                           THEN band_bytes - known_size + part_headers_more(known_size) END,
                      head_only + part_headers_more(coalesce(known_size, band_bytes))),
             part_headers_unbounded());
-- The length a header-inclusive count is banded with (rule_windows band_rows): 0, the window's own band, for a
-- response stating no exact length or the window's most common one (window_exact); else the length it states (a
-- version of the file served beside another in one window: its complete copies differ from each other only by
-- their headers, from the other version's by the lengths too).
CREATE OR REPLACE TEMP MACRO rule_band_length(exact_size, window_exact) AS
    CASE WHEN exact_size IS NOT NULL AND exact_size IS DISTINCT FROM window_exact THEN exact_size ELSE 0 END;
-- A 200 stating a length other than its window's own (one in length_bands, with its band or none): a whole object
-- of another length was sent, another version of the file or another object served at its path (an error page:
-- the log keeps no content type to tell them apart), so it is never complete; undetermined where it reaches its
-- own length's band, partial below it (rule_downloads single).
-- So is a response the log itself marks an error (rule_error_result: a CloudFront Error 206, a part that failed;
-- an Error 200 is a custom error page, never a transfer: rule_error_page), and a range group holding such a part.
CREATE OR REPLACE TEMP MACRO rule_never_complete(length_bands, exact_size, completion) AS
    coalesce(len(list_filter(length_bands, lambda b: b.length = exact_size)) > 0, false)
    OR rule_error_result(completion);
-- The body sizes a range group is judged against: {least, most}, both its body size, or where it states no length
-- of its own and its window's GETs state two or more (lengths: the file changed while available, one version
-- served beside another) the smallest and the largest of them: complete only where the group covers the largest
-- (parts of a smaller version end before it), partial only where it falls short of the smallest (60 % of a
-- 1,000,000-byte version covers all of a 600,000-byte one: the log cannot say which it was)
-- Whether a window's GETs state two or more lengths (its `lengths`): the one test of rule_version_bounds and of the
-- "two or more lengths stated" warning (analyse: exposure/answer.py lengths_warning over the window's lengths;
-- files: queries/files.sql lengths_stated).
CREATE OR REPLACE TEMP MACRO rule_several_lengths(lengths) AS coalesce(len(lengths) > 1, false);
-- Body counts and the size they infer (rule_windows common, size_rule most_common). A server whose count is the
-- body alone and that states no length (nginx/Apache combined) logs an error page it answers 200 at the file's
-- path (a soft 404, a login page, a maintenance page: its own size, 1,234 bytes) as it logs the file: status and
-- path cannot tell them apart. A count logged by several addresses (size_addresses_needed() or more: one client's
-- retries are one address) is a size that address after address received, the file's or such a page's. The
-- largest of them is the inferred size, never a smaller majority (five error pages outnumber two copies of the
-- file; a copy cut short is a smaller count, not a larger one). Where a smaller count is logged by as many
-- addresses as the largest, or more, the majority and the largest disagree: the size is an inference in doubt
-- (rule_sizes_in_doubt: warned, never decided silently). Two clients that broke off at one buffer boundary
-- (32,768 bytes) beside 33 copies put nothing in doubt. Where no count is logged by several addresses, the most
-- common count (the larger on a tie).
-- A stated length (an S3 object size, a Content-Range total: exact_size) or a given size beats either.
CREATE OR REPLACE TEMP MACRO size_addresses_needed() AS 2;
CREATE OR REPLACE TEMP MACRO rule_size_repeated(addresses) AS addresses >= size_addresses_needed();
-- The one test of the "size in doubt" warning (analyse: exposure/answer.py size_doubt_warning over the window's
-- repeated_sizes; files: queries/files.sql sizes_in_doubt), over the window's repeated_sizes (smallest first, the
-- last the size taken) where its size is inferred from body counts: another count logged by as many addresses.
-- A larger body count than the size taken (largest_count, by fewer addresses) puts it in doubt as well: a copy
-- cut short is a smaller count, so the larger is another object at the path or the file itself, which the counts
-- taken then fall short of (one whole copy beside two clients broken off at 32,768 bytes).
CREATE OR REPLACE TEMP MACRO rule_sizes_in_doubt(repeated_sizes, body_rule, body_size, largest_count) AS
    coalesce(body_rule = 'most_common'
             AND (len(list_filter(repeated_sizes, lambda r: r.addresses >= repeated_sizes[-1].addresses)) > 1
                  OR largest_count > body_size), false);
-- The counts a size in doubt rivals (the smaller ones logged by as many addresses as the size taken): each a whole
-- other version of the file, an error page answered 200 or a copy cut short, the count cannot say which. A 200 of
-- such a count is never judged partial against the size taken: undetermined (rule_downloads, size_rule most_common).
CREATE OR REPLACE TEMP MACRO rule_counts_in_doubt(repeated_sizes, body_rule) AS
    CASE WHEN body_rule = 'most_common'
         THEN list_transform(list_filter(repeated_sizes, lambda r: r.addresses >= repeated_sizes[-1].addresses
                                                                   AND r.bytes < repeated_sizes[-1].bytes),
                             lambda r: r.bytes)
         ELSE [] END;
-- A body count (bytes_meaning 'body') above the size it is judged by (the line's own stated length, else the
-- window's body size: given, stated, inferred) holds more bytes than the file: another object answered at its path (an error page larger
-- than the file, another version), never the file. Never complete: undetermined, size_rule 'above_size'.
CREATE OR REPLACE TEMP MACRO rule_above_size(bytes, bytes_known, size) AS
    coalesce(bytes_known AND bytes > size, false);
CREATE OR REPLACE TEMP MACRO rule_version_bounds(body_bytes, lengths) AS
    CASE WHEN rule_several_lengths(lengths) THEN {'least': list_min(lengths), 'most': list_max(lengths)}
         ELSE {'least': body_bytes, 'most': body_bytes} END;
CREATE OR REPLACE TEMP MACRO rule_band_below(bytes, bytes_known, band_floor, band_bytes) AS
    coalesce(bytes_known AND bytes >= band_floor AND bytes < band_bytes, false);
-- The available and unavailable responses, numbered: u_seen counts the unavailable ones so far (per file), so
-- each window's available responses share one number and the response that closes it has the next.
CREATE OR REPLACE TEMP MACRO rule_events(src) AS TABLE
SELECT * REPLACE (rule_completion(status, completion) AS completion),
       rule_available(method, status, bytes, bytes_known, completion) AS avail,
       sum(CASE WHEN rule_unavailable(status, completion) THEN 1 ELSE 0 END)
           OVER (PARTITION BY file_key ORDER BY ts_utc, evidence_id, line_no ROWS UNBOUNDED PRECEDING) AS u_seen
FROM query_table(src)
WHERE rule_available(method, status, bytes, bytes_known, completion) OR rule_unavailable(status, completion);

-- events: the name of a table or view holding rule_events(src)
CREATE OR REPLACE TEMP MACRO rule_windows(events, given_size) AS TABLE
WITH numbered AS MATERIALIZED (   -- read by every step below: once
    -- sized: a count that may vote for a size (the header-only count, the common count, the band): some bytes,
    -- and known (rule_bytes_known: logged, and no copy cut it)
    SELECT *, coalesce(bytes > 0 AND bytes_known, false) AS sized FROM query_table(events)
), win AS (
    SELECT file_key, u_seen AS grp,
           min(ts_utc) AS first_available,
           max(ts_utc) AS last_available,
           arg_min(evidence_id, (ts_utc, evidence_id, line_no)) AS first_evidence_id,
           arg_min(line_no, (ts_utc, evidence_id, line_no)) AS first_line_no,
           arg_max(evidence_id, (ts_utc, evidence_id, line_no)) AS last_evidence_id,
           arg_max(line_no, (ts_utc, evidence_id, line_no)) AS last_line_no,
           count(*) AS available_responses,
           max(bytes) FILTER (WHERE bytes_meaning = 'headers+body' AND sized
                              AND (status = 304 OR (status = 200 AND method = 'HEAD'))) AS header_only,
           -- a HEAD answered 200: the 200's headers, a bound of a 206's with what it adds (rule_part_headers)
           max(bytes) FILTER (WHERE bytes_meaning = 'headers+body' AND sized AND status = 200 AND method = 'HEAD')
               AS head_only,
           bool_or(bytes_meaning = 'headers+body') AS with_headers
    FROM numbered WHERE avail GROUP BY file_key, u_seen
), closing AS (    -- each unavailable response starts the next run, so it is the only one with its number
    -- error_page: a custom error page answering 200 closed it (rule_error_page), said with the window
    SELECT file_key, u_seen AS grp, ts_utc, evidence_id, line_no, rule_error_page(status, completion) AS error_page
    FROM numbered WHERE rule_unavailable(status, completion)
), exact AS (      -- the object's length as the log states it: the most common one (the larger on a tie), and
    -- every length it states (lengths: two or more where the file changed while available, replaced by another
    -- version without a 404 between)
    SELECT file_key, grp, arg_max(exact_size, (n, exact_size)) AS exact_bytes, max(n)::BIGINT AS votes,
           sum(n)::BIGINT AS sample, list(exact_size ORDER BY exact_size) AS lengths
    FROM (SELECT file_key, u_seen AS grp, exact_size, count(*) AS n FROM numbered
          WHERE avail AND method = 'GET' AND exact_size > 0 GROUP BY ALL)
    GROUP BY file_key, grp
), common_counts AS (  -- the byte counts of the 200 GETs counted as body (HEAD, 0 and '-' excluded): how many
    -- responses and how many addresses logged each
    SELECT file_key, u_seen AS grp, bytes, count(*) AS n, count(DISTINCT client) AS addresses FROM numbered
    WHERE avail AND status = 200 AND method = 'GET' AND sized AND bytes_meaning = 'body'
    GROUP BY ALL
), common AS (     -- body bytes: rule_body_count_size over the window's counts; repeated_sizes: every count that
    -- several addresses logged (rule_size_repeated), smallest first, {bytes, responses, addresses}
    SELECT file_key, grp, chosen AS common_bytes, votes, sample, repeated_sizes, largest_count
    FROM (SELECT file_key, grp, max(bytes) AS largest_count,
                 coalesce(max(bytes) FILTER (WHERE rule_size_repeated(addresses)), arg_max(bytes, (n, bytes)))
                     AS chosen,
                 sum(n)::BIGINT AS sample,
                 coalesce(list({'bytes': bytes, 'responses': n, 'addresses': addresses} ORDER BY bytes)
                              FILTER (WHERE rule_size_repeated(addresses)), []) AS repeated_sizes
          FROM common_counts GROUP BY file_key, grp) c
    JOIN (SELECT file_key, grp, bytes, n::BIGINT AS votes FROM common_counts) v USING (file_key, grp)
    WHERE v.bytes = c.chosen
), band_rows AS (  -- bytes that include headers: a count at or below the response's exact length is never complete
    -- The band is measured per length (blen): complete copies of one length differ only by their headers, so a
    -- response stating another length than the window's (a file replaced while available) is banded with the
    -- others of its own length (rule_band_length), never with the window's (a copy of 600,000 bytes judged by
    -- the band of a 1,000,000-byte version read partial); blen 0 is the window's own band
    SELECT r.file_key, r.u_seen AS grp, rule_band_length(r.exact_size, x.exact_bytes) AS blen, r.bytes,
           count(*) OVER (PARTITION BY r.file_key, r.u_seen, rule_band_length(r.exact_size, x.exact_bytes)
                          ORDER BY r.bytes RANGE BETWEEN CURRENT ROW AND 2048 FOLLOWING) AS in_band,
           count(*) OVER (PARTITION BY r.file_key, r.u_seen, rule_band_length(r.exact_size, x.exact_bytes)) AS sample
    FROM numbered r
    JOIN win w ON w.file_key = r.file_key AND w.grp = r.u_seen
    LEFT JOIN exact x ON x.file_key = r.file_key AND x.grp = r.u_seen
    WHERE avail AND status = 200 AND method = 'GET' AND sized AND bytes_meaning = 'headers+body'
      AND rule_reaches(bytes, coalesce(exact_size, 0), true)
      -- a transfer the log itself calls aborted (IIS sc-win32-status, CloudFront Error, %X) never shapes the band
      AND coalesce(completion, '') <> 'aborted'
      -- a count not above the window's header-only responses (HEAD, 304) carried no body: never the band's
      AND bytes > coalesce(w.header_only, 0)
), band_start AS (  -- the densest 2 KiB of counts (the higher on a tie) holds the complete transfers
    SELECT file_key, grp, blen, arg_max(bytes, (in_band, bytes)) AS lo, any_value(sample)::BIGINT AS sample
    FROM band_rows GROUP BY file_key, grp, blen
), band_values AS (  -- its counts in islands: a new island where the next count is more than 256 bytes higher
    SELECT file_key, grp, blen, bytes, n,
           sum(CASE WHEN bytes - prev > 256 THEN 1 ELSE 0 END)
               OVER (PARTITION BY file_key, grp, blen ORDER BY bytes ROWS UNBOUNDED PRECEDING) AS island
    FROM (SELECT r.file_key, r.grp, r.blen, r.bytes, count(*) AS n,
                 lag(r.bytes) OVER (PARTITION BY r.file_key, r.grp, r.blen ORDER BY r.bytes) AS prev
          FROM band_rows r JOIN band_start s ON s.file_key = r.file_key AND s.grp = r.grp AND s.blen = r.blen
          WHERE r.bytes BETWEEN s.lo AND s.lo + 2048
          GROUP BY r.file_key, r.grp, r.blen, r.bytes)
), band_island AS (  -- the island holding the most transfers (the higher on a tie), its counts in runs: a new run
    -- where the next count is more than 64 bytes higher (complete copies' headers differ by less: Keep-Alive's
    -- max=N, Connection: close)
    SELECT v.file_key, v.grp, v.blen, v.bytes, v.n,
           sum(CASE WHEN v.bytes - v.prev_in > 64 THEN 1 ELSE 0 END)
               OVER (PARTITION BY v.file_key, v.grp, v.blen ORDER BY v.bytes ROWS UNBOUNDED PRECEDING) AS run
    FROM (SELECT v.*, lag(v.bytes) OVER (PARTITION BY v.file_key, v.grp, v.blen ORDER BY v.bytes) AS prev_in
          FROM band_values v
          JOIN (SELECT file_key, grp, blen, arg_max(island, (n, island)) AS island
                FROM (SELECT file_key, grp, blen, island, sum(n) AS n FROM band_values GROUP BY ALL)
                GROUP BY file_key, grp, blen) m
            ON m.file_key = v.file_key AND m.grp = v.grp AND m.blen = v.blen AND m.island = v.island) v
), band_edge AS (  -- the run holding the most transfers (the higher on a tie): its lowest count is the edge; a run
    -- below it is a body shorter than theirs, however often its count repeats; or complete copies whose headers are
    -- smaller (an affinity cookie on a client's first response, HTTP/2 beside HTTP/1.1): a count from the floor
    -- (the island's lowest count, and at most band_below_reach() bytes below the edge) up to the edge is
    -- undetermined (band_below)
    SELECT file_key, grp, blen, arg_max(lo, (n, lo)) AS band_bytes,
           greatest(min(lo), arg_max(lo, (n, lo)) - band_below_reach()) AS band_floor
    FROM (SELECT file_key, grp, blen, run, min(bytes) AS lo, sum(n) AS n FROM band_island
          GROUP BY file_key, grp, blen, run)
    GROUP BY file_key, grp, blen
), band AS (       -- votes: the transfers at or above the edge (within the 2 KiB); the window's own band (blen 0)
    SELECT e.file_key, e.grp, e.band_bytes, e.band_floor, s.sample, sum(v.n)::BIGINT AS votes
    FROM band_edge e
    JOIN band_start s ON s.file_key = e.file_key AND s.grp = e.grp AND s.blen = e.blen
    JOIN band_values v ON v.file_key = e.file_key AND v.grp = e.grp AND v.blen = e.blen AND v.bytes >= e.band_bytes
    WHERE e.blen = 0
    GROUP BY e.file_key, e.grp, e.band_bytes, e.band_floor, s.sample
), length_bands AS (  -- each other length the window's GETs state, with its band where counts include headers
    -- (NULL where none: body counts, S3's Bytes Sent): {length, band_bytes, band_floor}. The window's own length
    -- is the given size where one is given (the file's size as the investigator knows it), else the most common
    SELECT o.file_key, o.grp, list({'length': o.length, 'band_bytes': b.band_bytes, 'band_floor': b.band_floor}
                                   ORDER BY o.length) AS length_bands
    FROM (SELECT file_key, grp, exact_bytes, unnest(lengths) AS length FROM exact) o
    LEFT JOIN band_edge b ON b.file_key = o.file_key AND b.grp = o.grp AND b.blen = o.length
    WHERE o.length <> coalesce(given_size::BIGINT, o.exact_bytes)
    GROUP BY o.file_key, o.grp
), log_start AS (  -- the first request of the evidence, its stray times aside (rule_evidence_start)
    SELECT t0 FROM rule_evidence_start()
), sized AS (
    SELECT w.* EXCLUDE (header_only, head_only, with_headers), c.ts_utc AS first_unavailable, c.evidence_id AS unavailable_evidence_id,
           c.line_no AS unavailable_line_no, c.error_page AS unavailable_error_page,
           coalesce(given_size::BIGINT, x.exact_bytes, m.common_bytes) AS body_size,
           b.band_bytes, b.band_floor,
           CASE WHEN w.with_headers THEN coalesce(w.header_only, 1024) END AS header_bytes,
           CASE WHEN w.with_headers THEN rule_part_headers(b.band_bytes, coalesce(given_size::BIGINT, x.exact_bytes),
                                                            w.head_only) END AS part_headers,
           CASE WHEN given_size IS NOT NULL THEN NULL WHEN x.exact_bytes IS NOT NULL THEN x.votes
                WHEN m.common_bytes IS NOT NULL THEN m.votes ELSE b.votes END AS size_votes,
           CASE WHEN given_size IS NOT NULL THEN NULL WHEN x.exact_bytes IS NOT NULL THEN x.sample
                WHEN m.common_bytes IS NOT NULL THEN m.sample ELSE b.sample END AS size_sample,
           CASE WHEN given_size IS NOT NULL THEN 'given'
                WHEN x.exact_bytes IS NOT NULL THEN 'object_size'
                WHEN m.common_bytes IS NOT NULL THEN 'most_common' END AS body_rule,
           x.lengths, l.length_bands, coalesce(m.repeated_sizes, []) AS repeated_sizes,
           m.largest_count
    FROM win w
    LEFT JOIN closing c ON c.file_key = w.file_key AND c.grp = w.grp + 1
    LEFT JOIN exact x ON x.file_key = w.file_key AND x.grp = w.grp
    LEFT JOIN common m ON m.file_key = w.file_key AND m.grp = w.grp
    LEFT JOIN band b ON b.file_key = w.file_key AND b.grp = w.grp
    LEFT JOIN length_bands l ON l.file_key = w.file_key AND l.grp = w.grp
)
SELECT file_key, grp,
       row_number() OVER (PARTITION BY file_key ORDER BY first_available, grp) AS window_no,
       first_available, last_available, first_unavailable,
       first_available < (SELECT t0 FROM log_start) + opening_reach() AS open_at_log_start,
       -- from when the window may have been online unseen, for gaps (exposure/answer.py window_spans): a silence
       -- of any stream ending after it lies in the window (inside window N), as one inside it does. The first
       -- available response is when the file was first seen, not published: opening_reach() before it, never
       -- before the previous window's first unavailable response (the file was seen gone then)
       greatest(first_available - opening_reach(),
                lag(first_unavailable) OVER (PARTITION BY file_key ORDER BY first_available, grp)) AS unseen_from,
       coalesce(body_size, band_bytes) AS size_bytes,
       given_size IS NULL AS size_inferred,
       size_votes, size_sample,
       -- how the size was found: given | object_size | most_common, and +band where counts include headers
       CASE WHEN body_rule IS NOT NULL AND band_bytes IS NOT NULL THEN body_rule || '+band'
            ELSE coalesce(body_rule, CASE WHEN band_bytes IS NOT NULL THEN 'band' END) END AS size_rule,
       band_bytes, band_floor, body_size, header_bytes, part_headers,
       available_responses,
       first_evidence_id, first_line_no, last_evidence_id, last_line_no,
       unavailable_evidence_id, unavailable_line_no,
       -- every length the window's GETs state (exact_size), smallest first: two or more, the file changed while
       -- available; and the complete-transfer band of each length other than the window's (rule_band_length)
       lengths, length_bands,
       -- two or more of those lengths (rule_several_lengths): the one test of every door's warning
       rule_several_lengths(lengths) AS several_lengths,
       -- the body counts several addresses logged, smallest first ({bytes, responses, addresses}), and whether they
       -- put the inferred size in doubt (rule_sizes_in_doubt): the one test of every door's warning
       repeated_sizes, rule_sizes_in_doubt(repeated_sizes, body_rule, body_size, largest_count) AS size_in_doubt,
       -- the largest body count of its 200 GETs (a count above the size taken puts it in doubt too)
       largest_count,
       -- the smaller counts the doubt rivals (rule_counts_in_doubt): never judged partial
       rule_counts_in_doubt(repeated_sizes, body_rule) AS counts_in_doubt,
       -- the response that closed it is a custom error page answering 200 (rule_error_page): said, an inference
       coalesce(unavailable_error_page, false) AS unavailable_error_page
FROM sized;

-- events and windows: the names of tables or views holding rule_events(src) and rule_windows(events, given_size)
CREATE OR REPLACE TEMP MACRO rule_downloads(events, windows, given_size, gap_minutes) AS TABLE
WITH tr AS MATERIALIZED (   -- GETs answered 200 or 206, each with the window it belongs to, and the
    -- complete-transfer band of its own length (rule_band_length: the window's, unless it states another length)
    -- an error result (rule_error_result) is judged as a line without a completion flag, then never complete
    SELECT e.* REPLACE (CASE WHEN NOT rule_error_result(e.completion) THEN e.completion END AS completion),
           w.window_no, w.body_size,
           coalesce(list_filter(w.length_bands, lambda b: b.length = e.exact_size)[1].band_bytes, w.band_bytes)
               AS band_bytes,
           coalesce(list_filter(w.length_bands, lambda b: b.length = e.exact_size)[1].band_floor, w.band_floor)
               AS band_floor,
           w.header_bytes, w.part_headers, w.lengths, w.counts_in_doubt,
           rule_never_complete(w.length_bands, e.exact_size, e.completion) AS never_complete
    FROM query_table(events) e
    JOIN query_table(windows) w ON w.file_key = e.file_key AND w.grp = e.u_seen
    WHERE rule_transfer(e.method, e.status, e.bytes, e.bytes_known, e.completion)
), single AS (
    -- size_bytes is a body size (exact or given) except the band's edge, itself a count with headers.
    -- A transfer the log calls aborted (its flag, or a 499) is never complete: rule_aborted_outcome.
    -- A 200 stating another length than the window's, or an error result (rule_never_complete), is never
    -- complete: undetermined where its own rule would call it complete, partial where it falls short.
    SELECT * EXCLUDE (exact_size, band_bytes, band_floor, never_complete, counts_in_doubt, done),
           CASE WHEN never_complete THEN nullif(done, true) ELSE done END AS is_complete
    FROM (SELECT *,
              CASE WHEN completion = 'aborted' THEN
                        rule_aborted_outcome(bytes_delivered, with_headers, size_bytes,
                                             coalesce(given_size::BIGINT, exact_size), band_floor)
                   -- below the band's edge, in its island: a body cut short or smaller headers, the count cannot say
                   WHEN size_rule = 'band_below' THEN NULL
                   -- a body count above the file's size: not the file (rule_above_size)
                   WHEN size_rule = 'above_size' THEN NULL
                   -- a count the size in doubt rivals: another version, an error page or a cut copy (undetermined)
                   WHEN size_rule = 'most_common' AND list_contains(counts_in_doubt, bytes_delivered) THEN NULL
                   WHEN size_rule = 'object_size' THEN rule_reaches(bytes_delivered, size_bytes, with_headers)
                   -- the flag alone where the line has no byte count (IIS 8.5-10's default fields)
                   -- a count from the band's floor up to its edge that the log's own flag calls complete: complete
                   WHEN size_rule = 'completion' THEN completion = 'complete' AND (bytes_delivered IS NULL
                        OR rule_reaches(bytes_delivered, size_bytes, with_headers AND given_size IS NOT NULL)
                        OR (with_headers AND given_size IS NULL
                            AND rule_band_below(bytes_delivered, true, band_floor, band_bytes)))
                   WHEN size_bytes IS NULL THEN NULL
                   ELSE rule_reaches(bytes_delivered, size_bytes, with_headers AND size_rule = 'given') END
              AS done
    FROM (SELECT file_key, ts_utc AS time, client, user_agent, internal, client_class, window_no, completion,
                 exact_size, band_bytes, band_floor, never_complete, counts_in_doubt,
                 'single' AS kind, bytes_meaning = 'headers+body' AS with_headers,
                 -- a line without a byte count that is not 0 bytes delivered an unknown number, never 0
                 CASE WHEN bytes_known THEN coalesce(bytes, 0) END::BIGINT AS bytes_delivered, 1 AS parts,
                 CASE WHEN bytes_meaning = 'headers+body' THEN
                          CASE WHEN exact_size IS NOT NULL AND coalesce(bytes, 0) <= exact_size THEN 'object_size'
                               -- a count from the band's floor up to its edge, judged by the band (no given size,
                               -- no completion flag on the line): undetermined
                               WHEN rule_band_below(bytes, bytes_known, band_floor, band_bytes)
                                    AND given_size IS NULL AND completion IS NULL
                               THEN 'band_below'
                               -- the log's own flag decides here too: an aborted count can lie in the band
                               WHEN completion IS NOT NULL THEN 'completion'
                               WHEN given_size IS NOT NULL THEN 'given' ELSE 'band' END
                      -- more body bytes than the file holds: another object at its path, never the file
                      WHEN rule_above_size(bytes, bytes_known, CASE WHEN exact_size IS NOT NULL AND bytes IS NOT NULL
                                                                    THEN exact_size ELSE body_size END)
                      THEN 'above_size'
                      WHEN exact_size IS NOT NULL AND bytes IS NOT NULL THEN 'object_size'
                      WHEN completion IS NOT NULL THEN 'completion'
                      WHEN given_size IS NOT NULL THEN 'given' ELSE 'most_common' END AS size_rule,
                 -- the figure the bytes are compared with
                 CASE WHEN bytes_meaning = 'headers+body' THEN
                          CASE WHEN exact_size IS NOT NULL AND coalesce(bytes, 0) <= exact_size THEN exact_size
                               WHEN given_size IS NOT NULL THEN given_size::BIGINT ELSE band_bytes END
                      WHEN exact_size IS NOT NULL AND bytes IS NOT NULL THEN exact_size
                      ELSE body_size END AS size_bytes,
                 [{'evidence_id': evidence_id, 'line_no': line_no}] AS lines
          FROM tr WHERE status <> 206))   -- 200, and a client-closed response with bytes (rule_transfer)
), part AS (
    SELECT *, CASE WHEN ts_utc - lag(ts_utc) OVER (PARTITION BY file_key, client, coalesce(user_agent, '')
                                                   ORDER BY ts_utc, evidence_id, line_no)
                        > to_minutes(gap_minutes::INTEGER) THEN 1 ELSE 0 END AS new_group
    FROM tr WHERE status = 206
), grouped AS (
    SELECT *, sum(new_group) OVER (PARTITION BY file_key, client, coalesce(user_agent, '')
                                   ORDER BY ts_utc, evidence_id, line_no ROWS UNBOUNDED PRECEDING) AS rgrp
    FROM part
), delivered AS (  -- each part's logged offsets as far as it surely delivered them (rule_range_upto)
    -- a cut part's headers: the most a 206's take (part_headers), never a 304's (fewer headers than a 206's)
    SELECT *, rule_range_upto(range_start, range_end, bytes, bytes_known, bytes_meaning = 'headers+body',
                              completion, part_headers) AS range_upto
    FROM grouped
), islands AS (    -- union of delivered byte ranges: sort by start, a new island when a part starts past the end so far
    SELECT *, CASE WHEN range_upto IS NOT NULL AND range_start > max(range_upto) OVER (
                            PARTITION BY file_key, client, coalesce(user_agent, ''), rgrp
                            ORDER BY range_start, range_upto ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) + 1
                   THEN 1 ELSE 0 END AS new_island
    FROM delivered
), island_no AS (
    SELECT *, sum(new_island) OVER (PARTITION BY file_key, client, coalesce(user_agent, ''), rgrp
                                    ORDER BY range_start, range_upto ROWS UNBOUNDED PRECEDING) AS island
    FROM islands
), ranged AS (
    SELECT file_key, client, user_agent, rgrp,
           max(ts_utc) AS time,
           bool_or(internal) AS internal,
           any_value(client_class) AS client_class,
           -- the window of the last part, and that window's figures even where it has none (arg_max_null: a
           -- group across a withdrawal and republication is never judged by an earlier window's size)
           arg_max(window_no, (ts_utc, evidence_id, line_no)) AS window_no,
           arg_max_null(body_size, (ts_utc, evidence_id, line_no)) AS body_size,
           arg_max_null(band_bytes, (ts_utc, evidence_id, line_no)) AS band_bytes,
           arg_max_null(band_floor, (ts_utc, evidence_id, line_no)) AS band_floor,
           arg_max_null(part_headers, (ts_utc, evidence_id, line_no)) AS part_headers,
           arg_max_null(lengths, (ts_utc, evidence_id, line_no)) AS lengths,
           max(exact_size) AS exact_size,
           -- a part the log marks an error result (rule_never_complete: a CloudFront Error 206, a part that failed)
           bool_or(never_complete) AS never_complete,
           CASE WHEN bool_and(bytes_known) THEN sum(coalesce(bytes, 0)) END AS bytes_sum,
           max(bytes) AS largest_part,
           bool_and(range_start IS NOT NULL AND range_end IS NOT NULL) AS has_offsets,
           bool_or(range_start IS NOT NULL AND range_end IS NOT NULL) AS some_offsets,
           -- the most the parts can have delivered beyond the union of what they surely delivered: a part without
           -- offsets its count, a part with offsets as far as its count may reach past its range_upto (counts less
           -- one byte each for headers where they include them: headers are never 0 bytes); unknown where a part
           -- without offsets has no known count
           CASE WHEN bool_and(bytes_known OR (range_start IS NOT NULL AND range_end IS NOT NULL))
                THEN sum(CASE WHEN range_start IS NULL OR range_end IS NULL
                              THEN rule_body_most(bytes, bytes_meaning = 'headers+body')
                              ELSE greatest(CASE WHEN bytes_known
                                                 THEN least(range_end, range_start - 1
                                                            + rule_body_most(bytes, bytes_meaning = 'headers+body'))
                                                 ELSE range_end END - coalesce(range_upto, range_start - 1), 0)
                         END) END AS beyond_most,
           bool_or(bytes_meaning = 'headers+body') AS with_headers,
           count(*) AS parts,
           list({'evidence_id': evidence_id, 'line_no': line_no} ORDER BY ts_utc, evidence_id, line_no) AS lines
    FROM island_no GROUP BY file_key, client, user_agent, rgrp
), covered AS (
    SELECT file_key, client, user_agent, rgrp, sum(hi - lo + 1) AS union_bytes
    FROM (SELECT file_key, client, user_agent, rgrp, island, min(range_start) AS lo, max(range_upto) AS hi
          FROM island_no WHERE range_upto IS NOT NULL GROUP BY ALL)
    GROUP BY ALL
), range_sized AS (
    SELECT r.*, coalesce(c.union_bytes, 0) AS union_bytes,   -- offsets no part surely delivered: 0 bytes
           coalesce(given_size::BIGINT, r.exact_size, r.body_size) AS body_bytes,
           -- a group stating no length of its own (CloudFront's 206s: sc-content-len is the part's) in a window
           -- whose GETs state two or more (the file changed while available): its parts may be of any of them,
           -- so it is complete only where it covers the largest and partial only where it falls short of the
           -- smallest; undetermined in between (rule_version_bounds)
           rule_version_bounds(coalesce(given_size::BIGINT, r.exact_size, r.body_size),
                               CASE WHEN given_size IS NULL AND r.exact_size IS NULL THEN r.lengths END) AS bounds,
           -- offsets: every part's, or the known ones already cover the body (the parts whose offsets are unknown,
           -- a copy's cut in them, cannot undo that); mixed: some parts with offsets that fall short, others
           -- without (judged by the most they can have delivered); else the sums of the byte counts
           CASE WHEN r.has_offsets OR c.union_bytes >= coalesce(given_size::BIGINT, r.exact_size, r.body_size)
                THEN 'offsets' WHEN r.some_offsets THEN 'mixed'
                WHEN r.with_headers THEN 'band_sum' ELSE 'byte_sum' END AS size_rule
    FROM ranged r LEFT JOIN covered c
      ON c.file_key = r.file_key AND c.client IS NOT DISTINCT FROM r.client
     AND c.user_agent IS NOT DISTINCT FROM r.user_agent AND c.rgrp = r.rgrp
), range_judged AS (
    SELECT file_key, time, client, user_agent, internal, client_class, window_no, 'range' AS kind, size_rule,
           bounds, never_complete,
           -- mixed: the most the parts can have delivered (the union their offsets prove and what each part may add
           -- beyond it, beyond_most), never more than the body (the largest length where the file changed while
           -- available, rule_version_bounds): a sum of counts would count the bytes the parts share twice; unknown
           -- where a part without offsets has no known count
           (CASE WHEN size_rule = 'offsets' THEN union_bytes
                 WHEN size_rule = 'mixed' THEN CASE WHEN beyond_most IS NOT NULL THEN least(union_bytes + beyond_most, bounds.most) END
                 ELSE bytes_sum END)::BIGINT AS bytes_delivered,
           parts, lines,
           CASE WHEN size_rule = 'offsets' THEN coalesce(body_bytes, band_bytes)
                WHEN size_rule IN ('byte_sum', 'mixed') THEN body_bytes  -- mixed: judged against the body only
                WHEN given_size IS NOT NULL THEN given_size::BIGINT ELSE band_bytes END AS size_bytes,
           CASE WHEN size_rule = 'offsets' THEN
                    -- short of the body: partial only where the most the parts can have delivered (beyond_most: a
                    -- cut part's count less one byte of headers, not header_bytes) falls short too, else undetermined
                    CASE WHEN body_bytes IS NOT NULL THEN
                              CASE WHEN union_bytes >= bounds.most THEN true
                                   WHEN union_bytes + beyond_most < bounds.least THEN false END
                         WHEN band_bytes IS NOT NULL AND union_bytes >= band_bytes THEN true END
                -- some parts with offsets that fall short, others without: never complete by a sum (it would count
                -- the overlap the offsets prove twice); partial where the most they can have delivered (the known
                -- union and what the parts may have delivered beyond it, beyond_most) falls short of the body
                -- size, else undetermined
                WHEN size_rule = 'mixed' THEN CASE WHEN union_bytes + beyond_most < bounds.least THEN false END
                WHEN size_rule = 'byte_sum' THEN CASE WHEN bytes_sum >= bounds.most THEN true
                                                      WHEN bytes_sum < bounds.least THEN false END
                WHEN given_size IS NOT NULL THEN
                    CASE WHEN bytes_sum - parts * part_headers >= given_size THEN true
                         WHEN NOT rule_reaches(bytes_sum, given_size, true) THEN false END
                -- the file changed while available (rule_version_bounds): the band is one version's, so the sum is
                -- judged as against a known size, complete only covering the largest with every part's headers,
                -- partial only not above the smallest
                WHEN bounds.least < bounds.most THEN
                    CASE WHEN bytes_sum - parts * part_headers >= bounds.most THEN true
                         WHEN NOT rule_reaches(bytes_sum, bounds.least, true) THEN false END
                -- band_bytes holds a 200's headers: the last part's headers are those and what a 206 adds
                ELSE CASE WHEN bytes_sum - (parts - 1) * part_headers - part_headers_more(band_bytes) >= band_bytes
                          THEN true
                          WHEN bytes_sum < band_floor THEN false END
           END AS is_complete,
           -- complete by a sum without offsets, no part alone the size: which bytes the parts held is inferred (a
           -- part fetched again adds to the sum as if it were new bytes). A part alone is the whole file where its
           -- body count equals the size (`bytes=0-`); one above it is a multipart/byteranges response, whose count
           -- holds a boundary and part headers per range beside ranges that may leave gaps: inferred too
           -- (against the size it was judged by: the largest length where the file changed, rule_version_bounds)
           size_rule <> 'offsets' AND NOT coalesce(CASE WHEN size_rule = 'byte_sum' THEN largest_part = bounds.most
                                                        -- the completeness rule for one part: less its headers
                                                        WHEN given_size IS NOT NULL
                                                        THEN largest_part - part_headers >= given_size
                                                        WHEN bounds.least < bounds.most
                                                        THEN largest_part - part_headers >= bounds.most
                                                        ELSE largest_part - part_headers_more(band_bytes)
                                                             >= band_bytes END, false) AS sum_inferred
    FROM range_sized
), ranges AS (
    -- what is shown is what was judged: a group judged between two lengths (rule_version_bounds) shows the smallest
    -- where it is partial (short of it), else the largest (complete only covering it); a group holding a part the
    -- log marks an error result is never complete (rule_never_complete): undetermined where it would be
    SELECT * EXCLUDE (bounds, never_complete, size_bytes, is_complete),
           (CASE WHEN bounds.least < bounds.most THEN CASE WHEN NOT is_complete THEN bounds.least ELSE bounds.most END
                 ELSE size_bytes END)::BIGINT AS size_bytes,
           CASE WHEN never_complete THEN nullif(is_complete, true) ELSE is_complete END AS is_complete
    FROM range_judged
)
SELECT file_key, time, client, user_agent, internal, client_class, window_no, size_bytes, kind, bytes_delivered,
       parts, size_rule,
       CASE WHEN is_complete THEN 'complete' WHEN is_complete IS NULL THEN 'undetermined' ELSE 'partial' END
           AS outcome,
       coalesce(is_complete AND sum_inferred, false) AS outcome_inferred,
       lines
FROM (SELECT * EXCLUDE (completion, with_headers) FROM single
      UNION ALL BY NAME SELECT * FROM ranges);

-- The one reading of "after a window" of rule_refused_after and rule_redirects_after: per window, the file's
-- responses after its last available response (in the rule's order: ts_utc, evidence_id, line_no) and before its
-- first unavailable one (404/410; none: to the logs' end), so never available again in it, summed for those
-- whose status is one of `wanted` (responses, addresses, external_addresses, statuses, the first with its
-- evidence line, the last) and for every other (other_responses, other_statuses); last_open: the file's last
-- window, no 404/410 closing it. Windows with no response after their last available one have no row.
CREATE OR REPLACE TEMP MACRO rule_after_last_available(src, windows, wanted) AS TABLE
WITH w AS (
    SELECT *, first_unavailable IS NULL AND window_no = max(window_no) OVER (PARTITION BY file_key) AS last_open
    FROM query_table(windows)
), later AS (
    SELECT r.*, w.window_no, w.last_open, list_contains(wanted, r.status) AS hit
    FROM w
    JOIN query_table(src) r ON r.file_key = w.file_key
     AND (r.ts_utc, r.evidence_id, r.line_no) > (w.last_available, w.last_evidence_id, w.last_line_no)
     AND (w.first_unavailable IS NULL
          OR (r.ts_utc, r.evidence_id, r.line_no) < (w.first_unavailable, w.unavailable_evidence_id,
                                                     w.unavailable_line_no))
)
SELECT file_key, window_no, bool_or(last_open) AS last_open,
       count(*) FILTER (WHERE hit) AS responses, count(DISTINCT client) FILTER (WHERE hit) AS addresses,
       count(DISTINCT client) FILTER (WHERE hit AND NOT coalesce(internal, false)) AS external_addresses,
       list(DISTINCT status ORDER BY status) FILTER (WHERE hit) AS statuses,
       min(ts_utc) FILTER (WHERE hit) AS first_at,
       arg_min(evidence_id, (ts_utc, evidence_id, line_no)) FILTER (WHERE hit) AS first_evidence_id,
       arg_min(line_no, (ts_utc, evidence_id, line_no)) FILTER (WHERE hit) AS first_line_no,
       max(ts_utc) FILTER (WHERE hit) AS last_at,
       count(*) FILTER (WHERE NOT hit) AS other_responses,
       coalesce(list(DISTINCT status ORDER BY status) FILTER (WHERE NOT hit), []) AS other_statuses
FROM later
GROUP BY file_key, window_no;

-- What "complete" rests on where the log has no completion flag: Apache's %b (upstream common, combined,
-- vhost_combined, and a --log-format counting the body with %b/%B: format 'apache-custom', bytes_meaning 'body')
-- is the body Apache handed to its output, summed by its content-length filter before a byte reaches the network,
-- so a static download the client broke off is logged with the whole size (Apache wiki, ResponseSize). A CLF
-- line cannot say whether Apache or nginx wrote it ($body_bytes_sent counts what was sent). rule_sent_count: a
-- line whose count is such a body count and which carries no completion flag of the log (%X,
-- $request_completion, sc-win32-status, a CloudFront result: completion NULL). Counts with headers (%O, nginx
-- $bytes_sent), IIS/W3C, CloudFront, S3 and ALB counts are never it, nor lighttpd's or nginx's own formats.
CREATE OR REPLACE TEMP MACRO sent_count_formats() AS ['common', 'combined', 'vhost_combined', 'apache-custom'];
CREATE OR REPLACE TEMP MACRO rule_sent_count(format, bytes_meaning, completion) AS
    coalesce(completion IS NULL AND bytes_meaning = 'body' AND list_contains(sent_count_formats(), format), false);
-- Per file and window, the complete downloads from external addresses (as complete_downloads counts them,
-- queries/totals.sql) every line of which is such a count (rule_sent_count): complete means
-- the server logged the whole file as sent, not that the client received it. Said on every door (the answer's
-- complete_on_sent_counts and its warning, page 1, `files`), never a finding: it changes no outcome and no exit
-- code. Columns: file_key, window_no, complete (every complete download), on_sent_counts, formats (theirs).
-- events, downloads: the names of tables or views holding rule_events(src) and rule_downloads(...).
CREATE OR REPLACE TEMP MACRO rule_complete_on_sent_counts(events, downloads) AS TABLE
WITH judged AS (
    SELECT d.file_key, d.window_no, d.lines,
           bool_and(rule_sent_count(ev.format, e.bytes_meaning, e.completion)) AS on_sent_count,
           list(DISTINCT ev.format ORDER BY ev.format) AS formats
    FROM (SELECT file_key, window_no, lines, unnest(lines) AS line FROM query_table(downloads)
          WHERE outcome = 'complete' AND NOT coalesce(internal, false)) d
    JOIN query_table(events) e ON e.file_key = d.file_key AND e.evidence_id = d.line.evidence_id
                              AND e.line_no = d.line.line_no
    JOIN evidence ev ON ev.evidence_id = e.evidence_id
    GROUP BY d.file_key, d.window_no, d.lines
)
SELECT file_key, window_no, count(*) AS complete, count(*) FILTER (WHERE on_sent_count) AS on_sent_counts,
       list_sort(list_distinct(flatten(list(formats) FILTER (WHERE on_sent_count)))) AS formats
FROM judged GROUP BY file_key, window_no;

-- A file's last window when no 404/410 closes it (still available when the logs end, by the rule) and the file
-- was refused after that window's last available response (never available again in the evidence): 401, 403
-- or 451, which the rule counts as neither available nor unavailable. Yet a refusal is how many servers answer a
-- file taken down: S3 answers a deleted object with 403 AccessDenied where the reader may not list the bucket (a
-- public bucket's usual policy), and a file whose access was closed (Apache `Require all denied`, nginx `deny
-- all`, an ACL made private) answers 403 too. "After" is in the rule's own order (ts_utc, evidence_id, line_no):
-- a 403 on the line after the last 200, in the same second, is after it. A refusal to one client (hotlink
-- protection, a WAF, an expired signed URL, staff probing) proves no withdrawal: the warning needs refusals to at
-- least two external addresses (refused_addresses_needed). One row per such file: its window, the refusals after
-- it (every address, staff too: responses, addresses, external_addresses), their statuses, the first (with its
-- evidence line) and the last, and every other response after it (other_responses, other_statuses: a 302, a 500;
-- never 200/206/304 nor 404/410, which would have changed the window). Said, never counted: it changes no window.
-- src: the rule's input (all the file's requests); windows: rule_windows(...) of it.
CREATE OR REPLACE TEMP MACRO refused_addresses_needed() AS 2;
CREATE OR REPLACE TEMP MACRO refusal_statuses() AS [401, 403, 451];
CREATE OR REPLACE TEMP MACRO rule_refused_after(src, windows) AS TABLE
SELECT file_key, window_no, responses, addresses, external_addresses, statuses, first_at AS first_refused,
       first_evidence_id, first_line_no, last_at AS last_refused, other_responses, other_statuses
FROM rule_after_last_available(src, windows, refusal_statuses())
WHERE last_open AND external_addresses >= refused_addresses_needed();

-- A window after whose last available response the file's path was answered with redirects (301, 302, 303, 307,
-- 308) and never available again in that window (before its first 404/410, or before the logs end where none
-- closes it). A redirect neither opens nor closes a window (README: the log keeps no Location, so it cannot tell a
-- move, the file still reachable at the new place, from a withdrawal to a home page); a redirect BEFORE a later
-- available response in the window is a normal canonicalisation and says nothing. After the last one it may mark
-- the file moved or withdrawn then: said, never counted (red team 21a, redirect_end: 301s to 6 addresses after the
-- last 200 read as "open: no withdrawal seen" and were said nowhere). "After" is in the rule's own order (ts_utc,
-- evidence_id, line_no). One row per such window: the redirects (responses, addresses, statuses), the first (its
-- time and evidence line) and the last, and every other response in that span (other_responses, other_statuses:
-- a 403, a 500). The one rule of analyse's warning (queries/windows.sql redirects_after_window) and `files`'
-- (queries/files.sql redirects_after). src: the rule's input (all the file's requests); windows: rule_windows(...).
CREATE OR REPLACE TEMP MACRO redirect_statuses() AS [301, 302, 303, 307, 308];
CREATE OR REPLACE TEMP MACRO rule_redirects_after(src, windows) AS TABLE
SELECT file_key, window_no, responses, addresses, statuses, first_at AS first_redirect, first_evidence_id,
       first_line_no, last_at AS last_redirect, other_responses, other_statuses
FROM rule_after_last_available(src, windows, redirect_statuses())
WHERE responses >= 1;

-- Consecutive windows of one file (file_key) where the later opened within 10 minutes of the earlier's first
-- unavailable response (404/410), in another log stream than the one that logged it, and the reopening stream
-- logged no unavailable response of the file between the two: servers behind one load balancer whose clocks
-- differ (one server's 200s written after the other's first 404), or from which the file was removed one after
-- the other, make one withdrawal read as a withdrawal and a republication. Where the reopening server logged the
-- file gone itself, its own lines make the two windows (a republication, no clock). Said, never counted: the
-- windows stay as the rule makes them. The one rule of analyse's warning (queries/windows.sql
-- window_reopened_elsewhere) and `files`' (queries/files.sql reopened_elsewhere).
-- Columns: file_key, closed, reopened (window numbers), seconds (first unavailable to the reopening available
-- response), closed_by and reopened_by (the streams of those two lines).
CREATE OR REPLACE TEMP MACRO rule_reopened_elsewhere(src, windows) AS TABLE
WITH w AS (
    SELECT file_key, window_no, first_available, first_unavailable, first_evidence_id, unavailable_evidence_id
    FROM query_table(windows)
), pairs AS (
    SELECT a.file_key, a.window_no AS closed, b.window_no AS reopened, a.first_unavailable AS since,
           b.first_available AS back, ea.stream AS closed_by, eb.stream AS reopened_by
    FROM w a
    JOIN w b ON b.file_key = a.file_key AND b.window_no = a.window_no + 1
    JOIN evidence ea ON ea.evidence_id = a.unavailable_evidence_id
    JOIN evidence eb ON eb.evidence_id = b.first_evidence_id
    WHERE ea.stream IS DISTINCT FROM eb.stream AND date_diff('second', a.first_unavailable, b.first_available) <= 600
), own AS (        -- the reopening stream's own unavailable responses of the file between the two
    SELECT DISTINCT p.file_key, p.closed
    FROM pairs p
    JOIN query_table(src) r ON r.file_key = p.file_key AND rule_unavailable(r.status, r.completion)
                           AND r.ts_utc BETWEEN p.since AND p.back
    JOIN evidence er ON er.evidence_id = r.evidence_id AND er.stream IS NOT DISTINCT FROM p.reopened_by
)
SELECT p.file_key, p.closed, p.reopened, date_diff('second', p.since, p.back) AS seconds, p.closed_by, p.reopened_by
FROM pairs p ANTI JOIN own o ON o.file_key = p.file_key AND o.closed = p.closed;

-- A file's time is the request's arrival only where its format says so and nothing else (Apache's %t directive,
-- S3, classic ELB: evidence.time_meaning); CLF (Apache's arrival or nginx's end: the line does not say which),
-- nginx, IIS, CloudFront, ALB, JSON and a meaning not stated may mark the response's end, logged when the transfer
-- ended.
CREATE OR REPLACE TEMP MACRO rule_time_is_arrival(time_meaning) AS
    coalesce(regexp_matches(time_meaning, 'request was received|received the request')
             AND NOT regexp_matches(time_meaning, 'response|finished|completed|logged'), false);
-- Consecutive windows of one file (file_key) where every available response of the later lies within 10 minutes
-- after the earlier's first unavailable response, each in a log stream that logged an unavailable response of the
-- file itself between the two (the first 404's, or another server's behind one load balancer that logged its own
-- 404, or both: each line after its stream's own 404 on its own clock), each a transfer (a GET answered with the file's bytes:
-- rule_transfer) in a file whose time may mark the response's end (rule_time_is_arrival false) whose duration, where
-- the log gives it (duration_ms: IIS and CloudFront time-taken, nginx $request_time, ALB), does not start it after
-- that 404 (more than the second the 404 was logged in: a request begun after the withdrawal is a republication's):
-- a download begun before the withdrawal and ended after it (a file deleted while being sent is sent in full) is
-- logged after the first 404 and reads as a republication (red team 19, /tmp/redteam19/endtime: a window opened and
-- still available when the logs end). Said, never counted: the windows stay as the rule makes them. The one rule
-- of analyse's warning (queries/windows.sql window_reopened_in_flight) and `files`' column.
-- Columns: file_key, closed, reopened (window numbers), seconds (first unavailable to the reopening available
-- response), responses (the later window's available responses), stream (their streams, each of which logged its
-- own 404 before them, joined by ', ').
CREATE OR REPLACE TEMP MACRO rule_reopened_in_flight(events, windows) AS TABLE
WITH pairs AS (
    SELECT a.file_key, a.window_no AS closed, b.window_no AS reopened, b.grp, a.first_unavailable AS since,
           b.first_available AS back
    FROM query_table(windows) a
    JOIN query_table(windows) b ON b.file_key = a.file_key AND b.window_no = a.window_no + 1
    WHERE date_diff('second', a.first_unavailable, b.last_available) <= 600
), own AS (        -- each stream's first unavailable response of the file between the two windows
    SELECT p.file_key, p.closed, e.stream, min(u.ts_utc) AS gone
    FROM pairs p
    JOIN query_table(events) u ON u.file_key = p.file_key AND NOT u.avail AND u.ts_utc BETWEEN p.since AND p.back
    JOIN evidence e ON e.evidence_id = u.evidence_id
    GROUP BY ALL
), later AS (      -- the later window's available responses: each a transfer after its stream's own 404, its time
    -- maybe its end, not begun after that 404 where its duration is logged
    SELECT p.file_key, p.closed, count(*) AS responses,
           string_agg(DISTINCT e.stream, ', ' ORDER BY e.stream) AS stream,
           bool_and(o.gone IS NOT NULL AND NOT rule_time_is_arrival(e.time_meaning)
                        AND rule_transfer(r.method, r.status, r.bytes, r.bytes_known, r.completion)
                        AND NOT coalesce(r.ts_utc - to_milliseconds(r.duration_ms::BIGINT)
                                         > o.gone + INTERVAL 1 SECOND, false)) AS in_flight
    FROM pairs p
    JOIN query_table(events) r ON r.file_key = p.file_key AND r.u_seen = p.grp AND r.avail
    JOIN evidence e ON e.evidence_id = r.evidence_id
    LEFT JOIN own o ON o.file_key = p.file_key AND o.closed = p.closed AND o.stream IS NOT DISTINCT FROM e.stream
    GROUP BY ALL
)
SELECT p.file_key, p.closed, p.reopened, date_diff('second', p.since, p.back) AS seconds, l.responses, l.stream
FROM pairs p JOIN later l ON l.file_key = p.file_key AND l.closed = p.closed
WHERE l.in_flight;

-- A path names a file of its own (queries/files.sql file_spellings, and the other file of queries/target.sql
-- target_shared_spellings): a path a server that keeps case (nginx, Apache ...) logged (folded: its server ignores
-- case, IIS) and showed available there (available: rule_available on one of its lines). Such a file is every
-- line of its path on that server and every line of a server that ignores case equal to it but for case, as
-- --target counts it. A path that server only refused (a scanner's 404) is a file of its own lines alone: it takes
-- no line of a server that ignores case, which served another file.
CREATE OR REPLACE TEMP MACRO rule_names_file(folded, available) AS NOT folded AND coalesce(available, false);
