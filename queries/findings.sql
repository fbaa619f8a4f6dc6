-- name: findings
-- Everything found about the evidence, one row per finding: the one list the JSON answer (findings), the
-- report's first page, the terminal summary of ingest and analyse and the exit code read (exposure/findings.py).
-- severity says what it does to the answer:
--   incomplete  the answer rests on evidence the tool could not fully read (exit code 3): a file or folder
--               that could not be opened, listed or read as text (unreadable), content past the size rule
--               (suspicious size: hashed, not parsed), a file damaged, truncated or changed during read
--               (evidence.damage: the lines read are kept), a file of which every line that is not blank or a
--               comment was rejected (all lines rejected: probably not the format it was read as, e.g. a
--               --format forced on it), a file with lines that stand behind a prefix (prefixed lines: syslog,
--               docker, kubectl; evidence_rules.sql prefixed_lines: requests not counted), a file with lines
--               holding another line's start (glued lines: two lines written without a newline between them,
--               evidence_rules.sql glued_lines: their requests not counted), a file damaged before any line of it could be read (not a log then),
--               a file of 0 bytes named as compressed (empty compressed: no compressor writes one, so a copy
--               cut to nothing), a file whose lines hold further lines after a raw CR (an LF in a CR file) with
--               text on both sides (joined lines: exposure/lines.py; their requests are not counted);
--               A damaged gzip member proven by its CRC-32 a corrupted copy of an intact file's bytes
--               (corrupted_members, exposure/corruption.py) is said in its `damaged` detail, which stays.
--   stated      found, resolved or labelled, and said (exit code 0): a gap in a stream, an overlap (its lines
--               counted once), a
--               duplicate (counted once), a last line cut off mid-line, a file with some lines
--               rejected, what reading noted without damage (read note: padding after a compressed stream, a
--               file touched but unchanged while read ...), a UTF-8 byte-order mark taken off, lines holding
--               bytes that are not UTF-8 (not utf-8: shown with U+FFFD), requests whose client is digits and
--               dots that are no IPv4 address as a server writes one (not canonical address: `010.001.002.003`, a
--               sign of an altered log or another tool's), a stream inferred
--               from a file's content or from the file it copies, requests of a file read with --client-ip-from
--               xff whose client is still the connecting address (client not forwarded: no X-Forwarded-For address,
--               or a header from an address no --trusted-proxy holds), what a stream's byte counts cover where its
--               format cannot say (inferred or assumed), requests whose times carry no UTC offset read as UTC
--               without --log-tz (assumed zone: the zone is an assumption), a file read with --log-tz whose times
--               all carry their own offset or are UTC by format (zone not applied: the option changed nothing), a file reached through a symbolic link (where it
--               resolved: fact), a file that is not a log, requests logged without a byte count that is
--               not 0 bytes (no byte counts: lines of of_lines requests; fact 'none' where none has one), a
--               command that did not finish and was recovered on the next writable open (interrupted command:
--               its activity entry, what it had done and what the recovery did).
-- Columns: severity, kind, path (as given plus the sub-path; NULL for a gap), evidence_id, stream, server,
-- detail (what and why, in words), related_path (the original of a copy), uncovered_start and uncovered_end
-- (UTC: the time an incomplete file leaves without a line in its stream, from the stream's neighbouring files;
-- for a gap, the gap), then the facts the detail is made of: lines (lines read, rejected, repeated; the line
-- cut off; the files of a stream), of_lines (the file's lines), minutes and threshold_minutes (a gap),
-- line_ranges and related_line_ranges (an overlap; line_ranges also a run of lines behind a prefix in a file of
-- several, its fact `run N of M`, one finding per run, the first 10), format, fact (the value inferred: a stream, what byte counts
-- cover; for `cut off` the field the cut fell in, extra['cut_field']; for an incomplete file none of whose lines
-- was read, the time it is placed by: `name <time>` or `modified <time>`; for an overlap whose kept file's path
-- names two evidence files, which it is and its id: `earlier 4`, `later 4`, `elsewhere 4`: queries/overlapwords.sql). Whether a gap lies inside a target's window is added by the answer (findings.py).
-- needs: gap_macros, evidence_rules, cut_words, overlap_words, address_macros
-- params: gap_minutes?, gap_factor?
WITH incomplete_files AS (
    SELECT evidence_id, path, stream, server, last_time, mtime_utc, name_time_utc, name_time_kind, lines, rejected, format, read_errors,
           damage_offset, damage_detail, damages, suspicious, verdict, lost_bytes, decoded_bytes,
           CASE WHEN verdict = 'unreadable' AND suspicious IS NOT NULL THEN 'suspicious size'
                WHEN verdict = 'unreadable' THEN 'unreadable'
                -- 0 bytes named as compressed (exposure/evidence.py, COMPRESSED_NAMES): a copy cut to nothing
                WHEN size_bytes = 0 AND damage = 'truncated' THEN 'empty compressed'
                WHEN damage IS NOT NULL THEN damage            -- damaged | truncated | joined lines | changed during read
                WHEN requests = 0 THEN 'all lines rejected'
                WHEN prefixed_lines(evidence_id) > 0 THEN 'prefixed lines'
                ELSE 'glued lines' END AS kind,
           CASE WHEN verdict = 'ingested' AND rejected > 0 THEN prefixed_lines(evidence_id) ELSE 0 END AS prefixed,
           CASE WHEN verdict = 'ingested' AND rejected > 0 THEN glued_lines(evidence_id) ELSE 0 END AS glued
    FROM evidence
    WHERE verdict = 'unreadable'
       OR (verdict = 'ingested' AND (damage IS NOT NULL OR (requests = 0 AND rejected > 0)))
       -- access lines behind a prefix (syslog, docker, kubectl: evidence_rules.sql prefixed_lines): requests that
       -- could not be read, whatever their share of the file's lines
       OR (verdict = 'ingested' AND rejected > 0 AND prefixed_lines(evidence_id) > 0)
       -- lines holding another line's start (evidence_rules.sql glued_lines): two requests each not counted
       OR (verdict = 'ingested' AND rejected > 0 AND glued_lines(evidence_id) > 0)
       -- damaged before a line could be read (a rotation cut off in its first block): what it held is unknown,
       -- so it is missing evidence, not "not a log"
       OR (verdict = 'not a log' AND damage IS NOT NULL)
), incomplete AS (  -- one row per file and kind: a file's lines behind a prefix and its glued lines are each
    -- said beside its other kind (damage, a prefix), with the time their own runs leave uncovered (rejected_runs),
    -- never hidden by it; none beside `all lines rejected`, which says every line (its hint the reasons')
    SELECT * FROM incomplete_files
    UNION ALL
    SELECT i.* REPLACE (k.also AS kind, NULL AS damage_offset, NULL AS damage_detail, NULL AS damages,
                        NULL AS lost_bytes)
    FROM incomplete_files i, (VALUES ('prefixed lines'), ('glued lines')) k(also)
    WHERE i.kind NOT IN ('all lines rejected', k.also)
      AND CASE k.also WHEN 'prefixed lines' THEN i.prefixed ELSE i.glued END > 0
), stream_lines AS (    -- the lines of the streams an incomplete file is in (none to read when there is none)
    SELECT e.stream, r.ts_utc, r.evidence_id, r.byte_offset
    FROM requests r JOIN evidence e USING (evidence_id)
    WHERE e.verdict = 'ingested' AND e.stream IS NOT NULL AND e.stream IN (SELECT stream FROM incomplete)
), run_files AS (
    SELECT DISTINCT evidence_id FROM incomplete WHERE kind IN ('prefixed lines', 'glued lines')
), rejected_runs AS (  -- lines behind a prefix, and lines holding another line's start, each kind in runs of
    -- consecutive such lines (no request line between them; a line rejected for another reason or skipped does not
    -- end a run), numbered in the file: each run leaves the time between its own readable neighbours uncovered,
    -- never the readable lines between two runs
    SELECT evidence_id, run_kind, min(byte_offset) AS first_offset, max(byte_offset) AS last_offset,
           min(line_no) AS first_line, max(line_no) AS last_line,
           row_number() OVER (PARTITION BY evidence_id, run_kind ORDER BY min(line_no)) AS run_no,
           count(*) OVER (PARTITION BY evidence_id, run_kind) AS run_count
    FROM (SELECT x.evidence_id, x.run_kind, x.byte_offset, x.line_no, coalesce(q.n, 0) AS requests_before
          FROM (SELECT evidence_id, byte_offset, line_no,
                       CASE WHEN prefixed_reason(reason) THEN 'prefixed lines' ELSE 'glued lines' END AS run_kind
                FROM rejects
                WHERE (prefixed_reason(reason) OR glued_reason(reason))
                  AND evidence_id IN (SELECT evidence_id FROM run_files)) x
          ASOF LEFT JOIN (SELECT evidence_id, line_no,
                                 row_number() OVER (PARTITION BY evidence_id ORDER BY line_no) AS n
                          FROM requests WHERE evidence_id IN (SELECT evidence_id FROM run_files)) q
            ON q.evidence_id = x.evidence_id AND x.line_no > q.line_no)
    GROUP BY evidence_id, run_kind, requests_before
), parts AS (      -- a file damaged in more than one place: each damage apart (damages), in content order.
    -- What each part leaves unread lies from part_offset to part_resume (content offsets): a damage's lines resume
    -- at its offset; lines behind a prefix are rejected lines amid readable ones: each run of them (rejected_runs,
    -- the first 10 of a file) from its first such line to its last, so the time uncovered lies between the run's
    -- readable neighbours
    SELECT * EXCLUDE (part), part.content_offset AS part_offset, part.content_offset AS part_resume,
           part.detail AS part_detail,
           row_number() OVER (PARTITION BY evidence_id ORDER BY part.content_offset, part.detail) AS part_no,
           len(damages) AS part_count
    FROM (SELECT *, unnest(damages) AS part FROM incomplete WHERE len(damages) > 1)
    UNION ALL BY NAME
    SELECT i.*, coalesce(i.damage_offset, x.first_offset) AS part_offset,
           coalesce(i.damage_offset, x.last_offset) AS part_resume,
           x.run_no, x.run_count, x.first_line AS run_first, x.last_line AS run_last
    FROM incomplete i
    LEFT JOIN rejected_runs x ON x.run_kind = i.kind AND x.evidence_id = i.evidence_id AND x.run_no <= 10
    WHERE coalesce(len(i.damages), 0) <= 1
), rotation_lo AS (  -- an unread rotation (evidence.name_time_kind, read from the name with its time:
    -- exposure/streams.py): the last line of the stream's rotations dated before it
    SELECT p.evidence_id, max(s.ts_utc) AS lo
    FROM parts p
    JOIN evidence e ON e.stream = p.stream AND e.name_time_kind = 'rotation' AND e.name_time_utc < p.name_time_utc
    JOIN stream_lines s ON s.evidence_id = e.evidence_id
    WHERE p.name_time_kind = 'rotation' AND p.name_time_utc IS NOT NULL
    GROUP BY p.evidence_id
), rotation_hi AS (  -- ... and the first line after that of those dated after it and of the live log (a server's
    -- name with no rotation: the file it writes now, newer than every rotation); a line at or before the last of
    -- those before it places nothing (an export named by its own date, access.log-20260102, may hold older lines)
    SELECT p.evidence_id, min(s.ts_utc) AS hi
    FROM parts p LEFT JOIN rotation_lo l USING (evidence_id)
    JOIN evidence e ON e.stream = p.stream
                   AND (e.name_time_kind = 'live' OR (e.name_time_kind = 'rotation' AND e.name_time_utc > p.name_time_utc))
    JOIN stream_lines s ON s.evidence_id = e.evidence_id AND s.ts_utc > coalesce(l.lo, TIMESTAMP '0001-01-01')
    WHERE p.name_time_kind = 'rotation' AND p.name_time_utc IS NOT NULL
    GROUP BY p.evidence_id
), placed AS (      -- a file none of whose lines was read is placed by the time its name gives (an S3 key's, a
    -- CloudFront log hour, a rotation's date: evidence.name_time_utc, what it is evidence.name_time_kind), else by
    -- its mtime (that of a copy may lie long after its lines); which, is the fact of the finding (`name <time>` |
    -- `modified <time>`, exposure/placewords.py says it)
    -- A name time is no moment of the lines: an S3 key's is when AWS delivered them (they lie before it, after the
    -- stream's previous delivery; with none, the hour before), a CloudFront name's the hour they lie in. Such a file
    -- is placed over that span (placed_lo .. placed_hi): the stream may lack lines there, whatever other files hold.
    -- A rotation's date (logrotate's dateext, `access.log-20200612`: exposure/streams.py) is neither: the day it was
    -- rotated (or, with dateyesterday, the day before) in the server's zone; what it says for certain is the file's
    -- place among the stream's rotations, so it is placed from the last line of the rotations dated before it to
    -- the first line after that of those dated after it or of the live log (NULL: the stream's start or end).
    -- With no dated rotation beside it and no live log, it is placed by its name's date among the stream's lines
    -- (numbered rotations, .1 .2, say nothing of their order against dated ones): from the last line at or before
    -- it to the next (placed_lo, placed_hi NULL: the rule of a modification time, anchored at the name's date)
    SELECT p.*, coalesce(p.name_time_utc, p.mtime_utc) AS anchor,
           CASE WHEN p.name_time_utc IS NULL THEN NULL
                WHEN p.name_time_kind = 'cloudfront' THEN p.name_time_utc
                WHEN p.name_time_kind = 's3'
                THEN coalesce((SELECT max(e.name_time_utc) FROM evidence e
                               WHERE e.stream = p.stream AND e.name_time_kind = 's3'
                                 AND e.name_time_utc < p.name_time_utc),
                              p.name_time_utc - INTERVAL 1 HOUR)
                ELSE l.lo END AS placed_lo,
           CASE WHEN p.name_time_utc IS NULL THEN NULL
                WHEN p.name_time_kind = 'cloudfront' THEN p.name_time_utc + INTERVAL 1 HOUR
                WHEN p.name_time_kind = 's3' THEN p.name_time_utc
                ELSE h.hi END AS placed_hi,
           CASE WHEN p.stream IS NULL OR EXISTS (SELECT 1 FROM stream_lines s WHERE s.evidence_id = p.evidence_id)
                THEN NULL
                WHEN p.name_time_utc IS NOT NULL THEN 'name ' || strftime(p.name_time_utc, '%Y-%m-%dT%H:%M:%SZ')
                WHEN p.mtime_utc IS NOT NULL THEN 'modified ' || strftime(p.mtime_utc, '%Y-%m-%dT%H:%M:%SZ')
                END AS placed_by
    FROM parts p LEFT JOIN rotation_lo l USING (evidence_id) LEFT JOIN rotation_hi h USING (evidence_id)
), uncovered AS (   -- from the file's last line before the damage or the run's first prefixed line
    -- (part_offset; with none before it: the stream's last line before the file's first line after the damage or
    -- the run's last prefixed line (part_resume), a crash that zeroed its first blocks; with no line read at all:
    -- before the time it is placed by) to the stream's next line: in another file, or in this one after the damage
    -- or the run
    SELECT i.*, coalesce((SELECT max(s.ts_utc) FROM stream_lines s
                          WHERE s.evidence_id = i.evidence_id AND s.byte_offset < coalesce(i.part_offset, 1e18)),
                         (SELECT max(s.ts_utc) FROM stream_lines s
                          WHERE s.stream = i.stream
                            AND s.ts_utc <= coalesce((SELECT min(f.ts_utc) FROM stream_lines f
                                                      WHERE f.evidence_id = i.evidence_id
                                                        AND f.byte_offset >= coalesce(i.part_resume, 1e18)),
                                                     i.anchor)
                            AND (s.evidence_id <> i.evidence_id OR i.part_offset IS NULL))) AS lo,
           -- placed over the span its name gives (placed_lo .. placed_hi), not from its anchor: a rotation with
           -- neither a dated rotation nor a live log beside it is placed by its anchor, its name's date
           starts_with(i.placed_by, 'name ')
               AND (i.name_time_kind IS DISTINCT FROM 'rotation' OR i.placed_lo IS NOT NULL OR i.placed_hi IS NOT NULL)
               AS by_span
    FROM placed i
), proven AS (     -- a damaged gzip member proven a corrupted copy of an intact file's bytes (exposure/corruption.py)
    SELECT m.evidence_id, m.content_start,
           format('; gzip member {} is proven a corrupted copy of {} (lines {}-{}) by its CRC-32: those bytes have the '
                  'CRC-32 and size its trailer records (CRC-32 detects accidental change, not an attacker''s); its '
                  'lines that are not that file''s lines in their place ({}) are rejected (corrupted), the others are '
                  'that file''s lines, counted from it', m.member, k.path, m.kept_first_line_no, m.kept_last_line_no,
                  m.differing_lines) AS said
    FROM corrupted_members m JOIN evidence k ON k.evidence_id = m.kept_evidence_id
), timed AS (      -- the steps back and stray times of each file (queries/gaps.sql), per kind and file: how
    -- many, at which lines (a step back: the line after it), the largest, offsets as written (+0200, none)
    SELECT *, count(*) OVER w AS n, min(gap_minutes) OVER w AS most,
           array_to_string(list(CASE WHEN kind IN ('back', 'seam') THEN end_line_no ELSE start_line_no END
                                ORDER BY start_line_no) OVER w, ', ') AS at_lines,
           row_number() OVER (w ORDER BY start_line_no) AS nth,
           list_transform([offset_before, offset_after],
                          lambda o: coalesce(format('{}{:02d}{:02d}', CASE WHEN o < 0 THEN '-' ELSE '+' END,
                                                    abs(o) // 60, abs(o) % 60), 'no offset')) AS offsets
    FROM stream_silences WHERE kind IN ('back', 'stray', 'edge stray', 'seam')
    WINDOW w AS (PARTITION BY kind, CASE kind WHEN 'seam' THEN end_evidence_id ELSE start_evidence_id END)
), findings AS (
    SELECT 'incomplete' AS severity, u.kind, u.path, u.evidence_id, u.stream, u.server,
           CASE WHEN u.kind = 'all lines rejected'
                THEN format('every one of its {} lines that is not blank or a comment was rejected by the {} format: {}',
                            u.rejected, u.format,
                            coalesce(rejected_hint(u.evidence_id),
                                     format('it is probably not {} (without --format the format of each file is '
                                            'detected)', u.format)))
                WHEN u.kind = 'prefixed lines'
                THEN format('{} of its {} lines stand behind a prefix{} and were rejected by the {} format, requests '
                            'not counted: {}', u.prefixed, u.lines,
                            -- several runs: one finding each (the first 10), as a file damaged in several places
                            rejected_run_said(u.run_first, u.run_last, u.run_no, u.run_count), u.format,
                            (SELECT min(reason) FROM rejects r WHERE r.evidence_id = u.evidence_id
                               AND prefixed_reason(r.reason)))
                WHEN u.kind = 'glued lines'
                THEN format('{} of its {} lines {} the start of another log line{} and {} rejected by the {} format (two '
                            'lines written without a newline between them: concurrent writers, a copy spliced '
                            'together), requests not counted (the first: line {})', u.glued, u.lines,
                            CASE WHEN u.glued = 1 THEN 'holds' ELSE 'hold' END,
                            rejected_run_said(u.run_first, u.run_last, u.run_no, u.run_count),
                            CASE WHEN u.glued = 1 THEN 'was' ELSE 'were' END, u.format,
                            (SELECT min(r.line_no) FROM rejects r WHERE r.evidence_id = u.evidence_id
                               AND glued_reason(r.reason)))
                WHEN u.kind = 'suspicious size' THEN u.suspicious
                WHEN u.kind = 'unreadable' THEN u.read_errors
                WHEN u.kind = 'empty compressed' THEN u.damage_detail
                -- cut before a line could be read, or damaged where it was sampled (a gzip member cut and run into
                -- the next: its decoded bytes garbled, exposure/ingest.py _choose_formats): never 'too little read'
                -- of a file of which thousands of bytes were decoded
                WHEN u.verdict = 'not a log'
                THEN format('{}: {} (no request read from it)', coalesce(u.damage_detail, u.read_errors, u.kind),
                            CASE WHEN coalesce(u.decoded_bytes, 0) > 0 AND u.kind = 'damaged'
                                 THEN format('the {} bytes decoded from it show no known format where it was '
                                             'damaged', u.decoded_bytes)
                                 ELSE 'too little of it could be read to tell its format' END)
                WHEN u.part_count > 1
                THEN format('{}{} ({} lines read; damage {} of {} in this file)', u.part_detail,
                            coalesce((SELECT string_agg(p.said, '' ORDER BY p.content_start) FROM proven p
                                      WHERE p.evidence_id = u.evidence_id AND p.content_start = u.part_offset), ''),
                            u.lines, u.part_no, u.part_count)
                ELSE format('{}{} ({} lines read)', coalesce(u.damage_detail, u.read_errors, u.kind),
                            coalesce((SELECT string_agg(p.said, '' ORDER BY p.content_start) FROM proven p
                                      WHERE p.evidence_id = u.evidence_id), ''), u.lines)
                END AS detail,
           NULL::VARCHAR AS related_path,
           -- a file damaged where no content was lost (a gzip member whose CRC-32 fails decodes in full: every line is
           -- read, some may hold altered bytes) leaves no time uncovered: its fact says so (exposure/placewords.py)
           CASE WHEN u.kind = 'damaged' AND u.lost_bytes = 0 THEN NULL
                WHEN u.by_span THEN u.placed_lo ELSE u.lo END AS uncovered_start,
           CASE WHEN u.kind = 'damaged' AND u.lost_bytes = 0 THEN NULL
                WHEN u.by_span THEN u.placed_hi
                ELSE (SELECT min(s.ts_utc) FROM stream_lines s
                      WHERE s.stream = u.stream AND s.ts_utc > coalesce(u.lo, TIMESTAMP '0001-01-01')
                        AND (s.evidence_id <> u.evidence_id OR s.byte_offset >= coalesce(u.part_resume, 1e18)))
                END AS uncovered_end,
           CASE WHEN u.kind = 'all lines rejected' THEN u.rejected WHEN u.kind = 'prefixed lines' THEN u.prefixed
                WHEN u.kind = 'glued lines' THEN u.glued ELSE u.lines END AS lines, u.lines AS of_lines,
           NULL::DOUBLE AS minutes, NULL::DOUBLE AS threshold_minutes,
           -- a run of lines behind a prefix in a file of several: its lines, and `run N of M` (the fact)
           CASE WHEN u.run_count > 1 THEN prefix_run_lines(u.run_first, u.run_last) END AS line_ranges,
           NULL::VARCHAR AS related_line_ranges, u.format,
           -- ... and where the member damaged here is proven a corrupted copy (corrupted_members), its altered lines
           -- are the ones the proof names: said instead (exposure/placewords.py)
           CASE WHEN u.kind = 'damaged' AND u.lost_bytes = 0
                 AND EXISTS (SELECT 1 FROM corrupted_members m WHERE m.evidence_id = u.evidence_id
                               AND (coalesce(u.part_count, 1) <= 1 OR m.content_start = u.part_offset))
                THEN 'decoded in full, altered lines proven'
                WHEN u.kind = 'damaged' AND u.lost_bytes = 0 THEN 'decoded in full'
                WHEN u.run_count > 1
                THEN format('run {} of {}{}', u.run_no, u.run_count,
                            if(u.run_count > 10 AND u.run_no = 10, ', the first 10 said', ''))
                ELSE u.placed_by END AS fact
    FROM uncovered u
    UNION ALL
    -- the length said is never at or below the threshold said (exposure/timefmt.gap_lengths, the same rule for the
    -- report): whole minutes where they keep it above, else both to the second, the threshold rounded down
    SELECT 'stated', 'gap', NULL, NULL, g.stream, g.server,
           format('no log line for {}{} (a gap: longer than this stream''s threshold of {}{})',
                  CASE WHEN g.whole OR g.gap_s % 60 = 0 THEN format('{} minutes', g.gap_m)
                       ELSE format('{} min {} s', g.gap_s // 60, g.gap_s % 60) END,
                  CASE g.edge WHEN 'after its last line' THEN ' after its last line (the stream stops before the '
                                   'evidence ends, another stream logs on)'
                              WHEN 'before its first line' THEN ' before its first line (the stream starts after '
                                   'the evidence begins, another stream logs before it)' ELSE '' END,
                  CASE WHEN g.whole OR g.threshold_s % 60 = 0 THEN format('{} minutes', g.threshold_m)
                       ELSE format('{} min {} s', g.threshold_s // 60, g.threshold_s % 60) END,
                  CASE WHEN g.usual_silence_minutes IS NOT NULL
                       THEN format('; its usual longest silence of a day is {} minutes',
                                   round(g.usual_silence_minutes)::BIGINT) ELSE '' END)
           -- an edge bounded by a file named like a copy that repeats another file's lines beside a few of its
           -- own (a backup taken a moment after its original, a line written meanwhile): it keeps its stream and its
           -- edge (a server's only log under a copy's name must say its end), said with what it is (idfix F4)
           || CASE WHEN c.evidence_id IS NOT NULL
                   THEN format('; an inference: the file that bounds it, {}, is named like a copy and holds {} of its '
                               'own beside {} that {} lines of {}: it may be a copy taken at that line, not a '
                               'server''s silence',
                               c.path, CASE WHEN c.requests - c.shared = 1 THEN '1 request line'
                                            ELSE format('{} request lines', c.requests - c.shared) END,
                               c.shared, CASE WHEN c.shared = 1 THEN 'repeats' ELSE 'repeat' END, c.other)
                   ELSE '' END,
           c.path, g.gap_start, g.gap_end, c.requests - c.shared, c.shared, g.gap_minutes, g.threshold_minutes, NULL,
           NULL, NULL, g.edge
    FROM (SELECT *, round(gap_minutes) > round(threshold_minutes) AS whole,
                 CASE WHEN round(gap_minutes) > round(threshold_minutes) THEN round(gap_minutes)
                      ELSE round(gap_minutes * 60) // 60 END::BIGINT AS gap_m,
                 CASE WHEN round(gap_minutes) > round(threshold_minutes) THEN round(threshold_minutes)
                      ELSE floor(threshold_minutes * 60) // 60 END::BIGINT AS threshold_m,
                 round(gap_minutes * 60)::BIGINT AS gap_s, floor(threshold_minutes * 60)::BIGINT AS threshold_s
          FROM evidence_gaps(getvariable('gap_minutes'), getvariable('gap_factor'))) g
    LEFT JOIN (     -- a copy-named file, its request lines shared with other files (either side of an overlap)
        SELECT e.evidence_id, e.path, e.requests, count(DISTINCT x.line_no) AS shared, mode(o.path) AS other
        FROM evidence e
        JOIN (SELECT evidence_id, line_no, kept_evidence_id AS other_id FROM overlap_lines
              UNION ALL
              SELECT kept_evidence_id, kept_line_no, evidence_id FROM overlap_lines) x USING (evidence_id)
        JOIN evidence o ON o.evidence_id = x.other_id
        WHERE e.named_like_copy GROUP BY ALL
    ) c ON c.evidence_id = CASE g.edge WHEN 'after its last line' THEN g.start_evidence_id
                                       WHEN 'before its first line' THEN g.end_evidence_id END
       AND c.requests > c.shared
    UNION ALL       -- a server-named file taken for a take of another stream's log (queries/gaps.sql takes, kind
    -- 'take end'): its end is no gap by that inference, and what it would be is said (content cannot tell a take
    -- from a second server behind one balancer that logged the same health checks, and nothing else, from the
    -- other's first line on)
    SELECT 'stated', 'presumed take', e.path, e.evidence_id, g.stream, g.server,
           format('every request line of it is a line another stream holds, from the first line of one of that '
                  'stream''s files on, none of that file''s lines before its last one left out (by line order): '
                  'it is taken to be a copy of that log taken at its last line (a take), so the {0} minutes '
                  'without a log line after its last line are no gap of its stream; an inference: if it is a '
                  'server''s own log (a second server behind one load balancer that logged the same health checks '
                  'and nothing else), that server logged nothing in those {0} minutes (longer than its stream''s '
                  'threshold of {1} minutes)',
                  round(g.gap_minutes)::BIGINT, floor(g.threshold_minutes)::BIGINT),
           NULL, g.gap_start, g.gap_end, NULL, NULL, g.gap_minutes, g.threshold_minutes, NULL, NULL, NULL, g.edge
    FROM take_ends(getvariable('gap_minutes'), getvariable('gap_factor')) g
    JOIN evidence e ON e.evidence_id = g.start_evidence_id
    UNION ALL       -- a file whose time runs back and stays back (queries/gaps.sql: stream_silences, kind 'back')
    SELECT 'stated', 'time ran back', e.path, e.evidence_id, e.stream, e.server,
           format('its UTC time runs back by {} minutes at line {}: from {} (line {}) to {}, {}, and the lines after '
                  'stay back (a step of more than {} minutes: the server''s clock set back, or two servers'' lines in '
                  'one file; the times around it, and windows and gaps made of them, are suspect){}',
                  round(-b.gap_minutes)::BIGINT, b.end_line_no, strftime(b.gap_start, '%Y-%m-%dT%H:%M:%SZ'),
                  b.start_line_no, strftime(b.gap_end, '%Y-%m-%dT%H:%M:%SZ'),
                  CASE WHEN b.offset_before IS NULL AND b.offset_after IS NULL THEN 'no UTC offset written'
                       WHEN b.offset_before IS NOT DISTINCT FROM b.offset_after
                       THEN format('both written {}', b.offsets[1])
                       ELSE format('written {} then {}', b.offsets[1], b.offsets[2]) END,
                  round(b.threshold_minutes)::BIGINT,
                  CASE WHEN b.n > 1 THEN format('; it runs back {} times in all (lines {}), the largest step {} '
                                                'minutes', b.n, b.at_lines, round(-b.most)::BIGINT)
                       ELSE '' END),
           -- the first step's own span (the time its clock went through twice), never the hull of every step: a
           -- far step elsewhere in the file made it decades wide and put it 'inside' any window (review)
           NULL, least(b.gap_start, b.gap_end), greatest(b.gap_start, b.gap_end), b.end_line_no, e.lines,
           -b.gap_minutes, b.threshold_minutes, b.at_lines, NULL, e.format, NULL
    FROM timed b JOIN evidence e ON e.evidence_id = b.start_evidence_id
    WHERE b.kind = 'back' AND b.nth = 1
    UNION ALL       -- a file that begins back in time where its stream's earlier file left off (kind 'seam')
    SELECT 'stated', 'time ran back', e.path, e.evidence_id, e.stream, e.server,
           format('its start (line {}, {}) is {} minutes before the end of {} (line {}, {}), a file of the same '
                  'stream {} that began before it, {}, and the lines after stay back: the stream''s time runs back '
                  'between its files (a step of more than {} minutes where one file gives way to the next: the '
                  'server''s clock set back at a rotation, or two servers'' logs taken for one stream; the times '
                  'around it, and windows and gaps made of them, are suspect; the files are put in order by their '
                  'times, not their names, so a step longer than one file''s span may be said against a neighbouring '
                  'file of the stream, and its size is then a lower bound)',
                  b.end_line_no, strftime(b.gap_end, '%Y-%m-%dT%H:%M:%SZ'), round(-b.gap_minutes)::BIGINT, a.path,
                  b.start_line_no, strftime(b.gap_start, '%Y-%m-%dT%H:%M:%SZ'), e.stream,
                  CASE WHEN b.offset_before IS NULL AND b.offset_after IS NULL THEN 'no UTC offset written'
                       WHEN b.offset_before IS NOT DISTINCT FROM b.offset_after
                       THEN format('both written {}', b.offsets[1])
                       ELSE format('written {} then {}', b.offsets[1], b.offsets[2]) END,
                  round(b.threshold_minutes)::BIGINT),
           a.path, least(b.gap_start, b.gap_end), greatest(b.gap_start, b.gap_end), b.end_line_no, e.lines,
           -b.gap_minutes, b.threshold_minutes, b.at_lines, NULL, e.format, NULL
    FROM timed b JOIN evidence e ON e.evidence_id = b.end_evidence_id
    JOIN evidence a ON a.evidence_id = b.start_evidence_id
    WHERE b.kind = 'seam' AND b.nth = 1
    UNION ALL       -- a line dated far from both lines around it (queries/gaps.sql: kind 'stray'), the first 10 of a file
    SELECT 'stated', 'stray time', e.path, e.evidence_id, e.stream, e.server,
           format(CASE WHEN b.kind = 'stray'
                       THEN 'line {} is dated {} ({}), {} days {} the line before it (line {}: {}) and the line after '
                            'it (more than {} minutes from both: a clock wrong for that line, or a line from '
                            'elsewhere); it counts as dated, and a window, download or gap made of it is suspect{}'
                       -- kind 'edge stray': a file's first or last line, judged against the evidence's other lines
                       ELSE 'line {} (the file''s ' || CASE WHEN b.end_line_no > b.start_line_no THEN 'first'
                            ELSE 'last' END || ' line) is dated {} ({}), {} days {} the line '
                            || CASE WHEN b.end_line_no > b.start_line_no THEN 'after' ELSE 'before' END
                            || ' it (line {}: {}) and outside the time every other line of the evidence covers (more '
                            'than {} minutes from both: a clock wrong for that line, as one before NTP set it after a '
                            'boot, or a line from elsewhere); it bounds no silence and no stream''s edge, and a window '
                            'or download made of it is suspect{}' END,
                  b.start_line_no, strftime(b.gap_start, '%Y-%m-%dT%H:%M:%SZ'), b.offsets[1],
                  format('{:.1f}', abs(b.gap_minutes) / 1440), CASE WHEN b.gap_minutes > 0 THEN 'after' ELSE 'before' END,
                  b.end_line_no, strftime(b.gap_end, '%Y-%m-%dT%H:%M:%SZ'), round(b.threshold_minutes)::BIGINT,
                  CASE WHEN b.n > 10 AND b.nth = 10
                       THEN format('; {} such lines in this file, the first 10 said (stream_silences, kind ''stray'')',
                                   b.n) ELSE '' END),
           NULL, b.gap_start, b.gap_start, b.start_line_no, e.lines, b.gap_minutes, b.threshold_minutes,
           NULL, NULL, e.format, NULL
    FROM timed b JOIN evidence e ON e.evidence_id = b.start_evidence_id
    WHERE b.kind IN ('stray', 'edge stray') AND b.nth <= 10
    UNION ALL
    SELECT 'stated', 'overlap', e.path, e.evidence_id, e.stream, e.server,
           format('{} request {} ({} {}, {} to {} UTC) {} {} of {}: counted once, from {}',
                  p.shared_lines, if(p.shared_lines = 1, 'line', 'lines'), if(p.shared_lines = 1, 'line', 'lines'),
                  p.line_ranges, strftime(p.first_time, '%Y-%m-%dT%H:%M:%SZ'),
                  strftime(p.last_time, '%Y-%m-%dT%H:%M:%SZ'),
                  if(p.shared_lines = 1, 'repeats line', 'repeat lines'), p.kept_line_ranges,
                  -- a path naming two evidence files (a live log ingested again after it grew; one relative path
                  -- given from two folders) is said with the kept one's evidence id (queries/overlapwords.sql)
                  kept_said(p.which, kept_named(p.which, k.path, k.abs_path), k.evidence_id, 'en'),
                  cited_said(p.which, kept_named(p.which, k.path, k.abs_path), k.evidence_id, 'en')),
           kept_named(p.which, k.path, k.abs_path), NULL, NULL, p.shared_lines, e.lines, NULL, NULL, p.line_ranges,
           p.kept_line_ranges, NULL, p.which || ' ' || k.evidence_id
    FROM (SELECT o.*, kept_version(e.path, e.abs_path, e.evidence_id, k.path, k.abs_path, k.evidence_id) AS which
          FROM overlap_pairs o JOIN evidence e USING (evidence_id)
          JOIN evidence k ON k.evidence_id = o.kept_evidence_id) p
    JOIN evidence e USING (evidence_id) JOIN evidence k ON k.evidence_id = p.kept_evidence_id
    UNION ALL
    SELECT 'stated', 'duplicate', e.path, e.evidence_id, e.stream, e.server,
           format('the same content as {}: counted once, from {} ({})', o.path, o.path,
                  -- identical_citation: the damaged copy is cited (the safer), but which file is whose copy the
                  -- content cannot tell: a plain file may be zcat's output of the damaged .gz (the damage its
                  -- too) or the intact original of a .gz whose stored check alone was damaged
                  CASE WHEN o.damage = 'damaged' AND e.damage IS DISTINCT FROM 'damaged'
                       THEN format('cited as the copy whose reading found the content damaged: the damage may be '
                                   'this file''s too (a copy of the same bytes, e.g. zcat''s output of it), or this '
                                   'file is the intact original and only the check of {} is damaged', o.path)
                       ELSE 'cited by the citation rule: ' || c.cite_reason END),
           o.path, NULL, NULL, e.lines, e.lines, NULL, NULL, NULL, NULL, NULL,
           -- fact: 'cited damaged' where the damaged copy is cited (the report's words, exposure/report/i18n.py)
           CASE WHEN o.damage = 'damaged' AND e.damage IS DISTINCT FROM 'damaged' THEN 'cited damaged' END
    FROM evidence e JOIN evidence o ON o.evidence_id = e.duplicate_of
    JOIN evidence_citation c ON c.evidence_id = o.evidence_id
    WHERE e.verdict = 'duplicate'
    UNION ALL
    SELECT 'stated', 'cut off', path, e.evidence_id, stream, server,
           format('its last line (line {}) has no newline: cut off mid-line, as a copy of a live log is', lines)
           -- the fields the cut fell in (exposure/lastline.py: the marked row is kept in requests_all, the store of
           -- every column), in the words of queries/cutwords.sql, the one text source every door reads (the
           -- report says them in its language)
           || coalesce('; ' || cut_said(c.cut_field), ''),
           -- fact: the mark of the fields the cut fell in
           NULL, NULL, NULL, lines, lines, NULL, NULL, NULL, NULL, NULL, c.cut_field
    FROM evidence e
    LEFT JOIN (SELECT evidence_id, line_no, extra['cut_field'] AS cut_field FROM requests_all
               WHERE evidence_id IN (SELECT evidence_id FROM evidence WHERE final_newline = false)
                 AND extra['cut_field'] IS NOT NULL) c ON c.evidence_id = e.evidence_id AND c.line_no = e.lines
    -- a file damaged elsewhere (NUL bytes at its start, a member failing its CRC) or with joined lines still ends
    -- without a newline of its own; one whose content ends early has final_newline NULL (its end is lost, said by
    -- its truncated finding), and a change during the read ends the read, not the line
    WHERE verdict = 'ingested' AND final_newline = false AND (damage IS NULL OR damage IN ('damaged', 'joined lines'))
    UNION ALL
    -- lines of a combined file cut right after or inside their byte count, mid-file (exposure/midcut.py): each
    -- counted, its bytes unknown (cut_field 'bytes' on a line that is not the file's cut last line); its words
    -- queries/cutwords.sql cut_lines_said, which the ingest's warning says too
    SELECT 'stated', 'cut lines', e.path, e.evidence_id, e.stream, e.server, cut_lines_said(c.n, c.first_line),
           NULL, NULL, NULL, c.n, e.lines, NULL, NULL, NULL, NULL, e.format, 'bytes'
    FROM evidence e
    JOIN (SELECT r.evidence_id, count(*) AS n, min(r.line_no) AS first_line
          FROM requests_all r JOIN evidence x USING (evidence_id)
          WHERE x.format IN ('combined', 'vhost_combined') AND r.extra['cut_field'] = 'bytes'
            AND (r.line_no < x.lines OR x.final_newline IS DISTINCT FROM false)
          GROUP BY 1) c ON c.evidence_id = e.evidence_id
    WHERE e.verdict = 'ingested'
    UNION ALL
    SELECT 'stated', 'read note', path, evidence_id, stream, server, read_errors,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM evidence WHERE verdict IN ('ingested', 'not a log') AND damage IS NULL AND read_errors IS NOT NULL
    UNION ALL
    SELECT 'stated', 'byte-order mark', path, evidence_id, stream, server,
           format('a {} byte-order mark was taken off before parsing (the first line starts at byte 3)', bom),
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM evidence WHERE verdict = 'ingested' AND bom IS NOT NULL
    UNION ALL
    SELECT 'stated', 'inner byte-order marks', path, evidence_id, stream, server,
           format('{} of its {} lines began with a UTF-8 byte-order mark inside the file (files joined end to end?), '
                  'each taken off before parsing (the first: line {})', bom_lines, lines, first_bom_line),
           NULL, NULL, NULL, bom_lines, lines, NULL, NULL, NULL, NULL, NULL, NULL
    FROM evidence WHERE verdict = 'ingested' AND bom_lines IS NOT NULL
    UNION ALL
    -- lines holding bytes that are not UTF-8 (a Latin-1 user agent): each shown with U+FFFD in their place, never
    -- silently: the raw bytes stay in the file at the row's byte_offset (requests.bad_utf8, rejects.bad_utf8); a
    -- skipped line (a W3C `#Remark:`) that held such bytes counts too (skipped.bad_utf8), of every line of the file
    SELECT 'stated', 'not utf-8', e.path, e.evidence_id, e.stream, e.server,
           format('{} of its {} lines held bytes that are not UTF-8 (another encoding, such as Latin-1): shown with '
                  'U+FFFD in their place (the first: line {}); the bytes as logged are in the file at each row''s '
                  'byte_offset (column bad_utf8)', u.n, e.lines, u.first_line),
           NULL, NULL, NULL, u.n, e.lines, NULL, NULL, NULL, NULL, NULL, NULL
    FROM evidence e
    JOIN (SELECT evidence_id, count(*) AS n, min(line_no) AS first_line
          FROM (SELECT evidence_id, line_no FROM requests_all WHERE bad_utf8
                UNION ALL SELECT evidence_id, line_no FROM rejects WHERE bad_utf8
                UNION ALL SELECT evidence_id, line_no FROM skipped WHERE bad_utf8)
          GROUP BY evidence_id) u ON u.evidence_id = e.evidence_id
    WHERE e.verdict = 'ingested'
    UNION ALL
    -- requests whose client is written in digits and dots that are no IPv4 address as a server writes one
    -- (addresses.sql address_not_canonical, exposure/clients.py not_canonical: `010.001.002.003`): a sign of an
    -- altered log or another tool's; each such client counted as written, a client of its own, network
    -- `not canonical`. fact: the first such client (digits and dots only, by the rule)
    SELECT 'stated', 'not canonical address', e.path, e.evidence_id, e.stream, e.server,
           format('{} of its {} requests name their client in digits and dots that are no IPv4 address as a server '
                  'writes one (the first: line {}, {}): Apache and nginx write four decimal numbers 0-255 without '
                  'leading zeros, and a leading zero reads as octal to some tools (inet_aton: 010 is 8) and as decimal '
                  'to others: a sign of an altered log or of another tool''s; each such client is counted as written, '
                  'a client of its own (network ''not canonical''), never located nor joined with an address it may '
                  'stand for', u.n, e.requests, u.first_line, u.first_client),
           NULL, NULL, NULL, u.n, e.requests, NULL, NULL, NULL, NULL, NULL, u.first_client
    FROM evidence e
    JOIN (SELECT evidence_id, count(*) AS n, min(line_no) AS first_line, arg_min(client, line_no) AS first_client
          FROM requests WHERE address_not_canonical(client)
          GROUP BY evidence_id) u ON u.evidence_id = e.evidence_id
    WHERE e.verdict = 'ingested'
    UNION ALL
    SELECT 'stated', 'rejected lines', path, evidence_id, stream, server,
           format('{} of its {} lines rejected, each with its reason (table rejects){}', rejected, lines,
                  CASE WHEN mostly_rejected(rejected, lines) THEN ': ' || rejected_said(evidence_id, format) ELSE '' END),
           -- fact: where the rule holds, the reject reason that says how to read the file (rejected_hint), else
           -- 'mostly rejected' (the report says it in its language)
           NULL, NULL, NULL, rejected, lines, NULL, NULL, NULL, NULL, format,
           CASE WHEN mostly_rejected(rejected, lines) THEN coalesce(rejected_hint(evidence_id), 'mostly rejected') END
    FROM evidence WHERE verdict = 'ingested' AND rejected > 0 AND requests > 0
    UNION ALL       -- --client-ip-from xff, and requests that could not give the forwarded address (ingest.py)
    SELECT 'stated', 'client not forwarded', path, evidence_id, stream, server,
           format('--client-ip-from xff: {} of its {} requests keep the connecting address as their client ({}); '
                  'an inference: where such a request came through the proxy, that address is the proxy''s, not the '
                  'client''s', xff_absent + xff_untrusted, requests,
                  array_to_string(list_filter(
                      [CASE WHEN xff_absent > 0 THEN format('{} with no X-Forwarded-For address: no such field on '
                                                             'the line, or ''-''', xff_absent) END,
                       CASE WHEN xff_untrusted > 0 THEN format('{} whose header came from an address no '
                                                                '--trusted-proxy holds: the header is then the '
                                                                'client''s own claim', xff_untrusted) END],
                      lambda x: x IS NOT NULL), '; ')),
           NULL, NULL, NULL, xff_absent + xff_untrusted, requests, NULL, NULL, NULL, NULL, format, NULL
    FROM evidence WHERE verdict = 'ingested' AND client_from = 'xff' AND xff_absent + xff_untrusted > 0
    UNION ALL
    SELECT 'stated', 'inferred stream', path, evidence_id, stream, server,
           format('its stream {} was inferred: {}', stream, stream_reason),
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, stream
    FROM evidence
    WHERE verdict = 'ingested' AND (stream_reason LIKE 'content:%' OR stream_reason LIKE 'copy:%'
                                    OR stream_reason LIKE 'repeated whole:%')  -- exposure/streams.py _join_copies
    UNION ALL       -- times written without a UTC offset (Apache %{...}t, Caddy's wall forms, a W3C date-local), or
                    -- with a zone name exposure does not read as an offset (%Z BST: exposure/formats/custom.py
                    -- UNKNOWN_ZONE_FLAG), read with no --log-tz: read as UTC, each row flagged (exposure/formats/base.py
                    -- NO_ZONE_FLAG, one of the '; '-separated parts of ts_flag wherever it sits); the zone is an
                    -- assumption, per file, and the names not read are said
    SELECT 'stated', 'assumed zone', e.path, e.evidence_id, e.stream, e.server,
           format('{} of its {} requests were logged without a UTC offset{} and read as UTC (no --log-tz was given '
                  'when it was ingested): their zone is an assumption, each of their times off by the server''s '
                  'offset where it did not log UTC (the first: line {}); ingest again with --log-tz ZONE to read '
                  'them in the server''s zone', z.n, e.requests,
                  CASE WHEN z.named > 0 THEN format(' ({} of them with a zone name exposure does not read as an '
                                                    'offset: {})', z.named, array_to_string(z.names, ', '))
                       ELSE '' END, z.first_line),
           NULL, NULL, NULL, z.n, e.requests, NULL, NULL, NULL, NULL, e.format,
           CASE WHEN z.named > 0 THEN array_to_string(z.names, ', ') END   -- fact: the zone names not read
    FROM evidence e
    JOIN (SELECT evidence_id, count(*) AS n, min(line_no) AS first_line,
                 count(*) FILTER (WHERE unknown_zone IS NOT NULL) AS named,
                 list(DISTINCT unknown_zone ORDER BY unknown_zone) FILTER (WHERE unknown_zone IS NOT NULL) AS names
          FROM (SELECT evidence_id, line_no,
                       list_filter(string_split(ts_flag, '; '),
                                   lambda p: starts_with(p, 'zone name not known, not read as an offset: '))[1]
                           [length('zone name not known, not read as an offset: ') + 1:] AS unknown_zone
                FROM requests
                WHERE list_contains(string_split(ts_flag, '; '),
                                    'no UTC offset in the log and no --log-tz: read as UTC'))
          GROUP BY evidence_id) z
      ON z.evidence_id = e.evidence_id
    WHERE e.verdict = 'ingested'
    UNION ALL       -- a file ingested with --log-tz (evidence.log_tz: the zone given) none of whose requests had its
                    -- time read in that zone (no row flagged 'local time read in --log-tz ZONE': exposure/formats/base.py
                    -- ZONE_READ_FLAG): its times carry their own offset (CLF [..+0200], JSON with an offset) or are UTC by
                    -- its format (W3C/IIS date time, S3, CloudFront), so the option changed nothing. The words are the
                    -- ingest's warning (exposure/ingest.py zone_not_applied); fact: the zone
    SELECT 'stated', 'zone not applied', e.path, e.evidence_id, e.stream, e.server,
           format('--log-tz {} was given but applied to no line: every time in it carries its own UTC offset or is '
                  'UTC by its format ({}), so the option changed nothing', e.log_tz, e.format),
           NULL, NULL, NULL, 0, e.requests, NULL, NULL, NULL, NULL, e.format, e.log_tz
    FROM evidence e
    WHERE e.verdict = 'ingested' AND e.log_tz IS NOT NULL AND e.requests > 0
      AND NOT EXISTS (SELECT 1 FROM requests r
                      WHERE r.evidence_id = e.evidence_id AND contains(r.ts_flag, 'local time read in --log-tz '))
    UNION ALL       -- times in the hour the clocks go back, read with --log-tz: written twice (the zone's repeated
                    -- span: 02:00-02:59 Europe/Amsterdam, 01:00-01:59 America/New_York, 01:30-01:59 Lord Howe; taken
                    -- from the zone's rules at the file's first such line: the change after it, the local times
                    -- from its new offset to its old), each names two instants. Every such line is
                    -- read as the earlier instant (exposure/formats/base.py FOLD_FLAG) and stays there: no stored time
                    -- is moved (a move decided per file gives a copy or a part of the log other times than the whole
                    -- file, and a line logged late by a long request a false hour). The file's line order is said as
                    -- an inference only: where the file's local time runs back by more than 30 minutes inside the
                    -- hour and the fold line after it (if any) stays more than 10 minutes back too, that line and
                    -- every fold line of the same day after it suggest the second pass. fact: 'second pass K of N'
    SELECT 'stated', 'ambiguous time', e.path, e.evidence_id, e.stream, e.server,
           format('{} of its {} {} {} logged in the hour the clocks go back ({} {}, written twice) and {} read as the '
                  'earlier instant{}',
                  f.n, e.requests, CASE WHEN e.requests = 1 THEN 'request' ELSE 'requests' END,
                  CASE WHEN f.n = 1 THEN 'was' ELSE 'were' END, f.span, e.log_tz,
                  CASE WHEN f.n = 1 THEN 'is' ELSE 'are' END,
                  CASE WHEN f.later = 0 THEN format(' (the first: line {})', f.first_line)
                       ELSE format('; the file''s line order suggests {} written in the second pass, an hour later '
                                   '(an inference: not applied; the first: line {})',
                                   CASE WHEN f.n = 1 THEN 'it was'
                                        WHEN f.later = 1 THEN '1 of them was'
                                        ELSE format('{} of them were', f.later) END, f.first_line) END)
           -- the silence it explains (queries/gaps.sql fold_silences): said here, not as a gap
           || coalesce((SELECT format('; the stream''s silence from {} to {} ({} minutes) is the hour the clocks go '
                                      'back: its second pass read an hour early, not a gap',
                                      strftime(min(x.gap_start), '%Y-%m-%dT%H:%M:%SZ'),
                                      strftime(min(x.gap_end), '%Y-%m-%dT%H:%M:%SZ'),
                                      round(min(x.gap_minutes))::BIGINT)
                        FROM fold_silences(getvariable('gap_minutes'), getvariable('gap_factor')) x
                        WHERE x.stream = e.stream HAVING count(*) > 0), ''),
           NULL, NULL, NULL, f.n, e.requests, NULL, NULL, NULL, NULL, e.format,
           format('second pass {} of {}', f.later, f.n)
    FROM evidence e
    JOIN (WITH fold AS (    -- the fold lines of files read with --log-tz, their local time as written
              SELECT r.evidence_id, r.line_no, r.ts_utc, ev.log_tz,
                     timezone(ev.log_tz, timezone('UTC', r.ts_utc)) AS loc
              FROM requests r JOIN evidence ev USING (evidence_id)
              WHERE ev.log_tz IS NOT NULL AND starts_with(coalesce(r.ts_flag, ''), 'ambiguous local time (DST fold)')
          ), ordered AS (
              SELECT *, CAST(loc AS DATE) AS fold_day,
                     max(loc) OVER (PARTITION BY evidence_id, CAST(loc AS DATE) ORDER BY line_no
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before_max,
                     lead(loc) OVER (PARTITION BY evidence_id, CAST(loc AS DATE) ORDER BY line_no) AS next_loc
              FROM fold
          ), steps AS (     -- where the file's time runs back into the second pass (the inference)
              SELECT evidence_id, fold_day, min(line_no) AS step_line
              FROM ordered
              WHERE loc < before_max - INTERVAL 30 minute
                AND (next_loc IS NULL OR next_loc < before_max - INTERVAL 10 minute)
              GROUP BY ALL
          ), turn AS (      -- the zone's change after the file's first fold line (read as the earlier instant, so
                            -- before it): the first minute whose offset differs, and the offsets either side
              SELECT evidence_id, min(m) AS at_utc, any_value(log_tz) AS log_tz
              FROM (SELECT evidence_id, log_tz, min(ts_utc) AS t0 FROM fold GROUP BY ALL) first_fold,
                   unnest(range(date_trunc('minute', t0), date_trunc('minute', t0) + INTERVAL 3 hour,
                                INTERVAL 1 minute)) AS u(m)
              WHERE timezone(log_tz, timezone('UTC', m)) - m
                    <> timezone(log_tz, timezone('UTC', date_trunc('minute', t0))) - date_trunc('minute', t0)
              GROUP BY evidence_id
          )
          SELECT o.evidence_id, count(*) AS n, min(o.line_no) AS first_line,
                 count(*) FILTER (WHERE o.line_no >= s.step_line) AS later,
                 -- the repeated span, local: from the change read in the new offset to the minute before it read
                 -- in the old
                 any_value(format('{}-{}', strftime(timezone(t.log_tz, timezone('UTC', t.at_utc)), '%Y-%m-%d %H:%M'),
                                  strftime(timezone(t.log_tz, timezone('UTC', t.at_utc - INTERVAL 1 minute)),
                                           '%H:%M'))) AS span
          FROM ordered o LEFT JOIN steps s USING (evidence_id, fold_day) LEFT JOIN turn t USING (evidence_id)
          GROUP BY o.evidence_id) f
      ON f.evidence_id = e.evidence_id
    WHERE e.verdict = 'ingested' AND e.log_tz IS NOT NULL
    UNION ALL       -- times read with --log-tz in the hour the clocks go forward (02:00-02:59 Europe/Amsterdam on the
                    -- last Sunday of March): no such local time exists, so a server keeping that zone never writes
                    -- one; read with the offset before the change (exposure/formats/base.py GAP_FLAG). Their presence
                    -- says the server's clock did not keep the zone given: every time of the file may be off. fact:
                    -- the hour
    SELECT 'stated', 'nonexistent time', e.path, e.evidence_id, e.stream, e.server,
           format('{} of its {} requests {} logged at a local time that never existed in {} (the hour the clocks go '
                  'forward, {}), read with the offset before the change: a server keeping that zone never writes '
                  'one, so its clock may not have kept {} and every time of the file may be off by the difference '
                  '(check --log-tz; the first: line {})',
                  f.n, e.requests, CASE WHEN f.n = 1 THEN 'was' ELSE 'were' END, e.log_tz, f.hour, e.log_tz,
                  f.first_line),
           NULL, NULL, NULL, f.n, e.requests, NULL, NULL, NULL, NULL, e.format, f.hour
    FROM evidence e
    JOIN (SELECT evidence_id, count(*) AS n, min(line_no) AS first_line,
                 -- as written: read with the offset in force before the change (a day before it)
                 strftime(min(ts_utc + (timezone(ev.log_tz, timezone('UTC', ts_utc - INTERVAL 1 day))
                                        - (ts_utc - INTERVAL 1 day))), '%Y-%m-%d %H:00') AS hour
          FROM requests JOIN evidence ev USING (evidence_id)
          WHERE starts_with(coalesce(ts_flag, ''), 'nonexistent local time (DST gap)')
          GROUP BY evidence_id) f
      ON f.evidence_id = e.evidence_id
    WHERE e.verdict = 'ingested' AND e.log_tz IS NOT NULL
    UNION ALL       -- what a stream's byte counts cover, where its format cannot say (queries/facts.sql)
    SELECT 'stated', CASE bytes_basis WHEN 'inferred' THEN 'inferred bytes' ELSE 'assumed bytes' END, NULL, NULL,
           stream, any_value(server),
           format('byte counts of server {}: {}{}', any_value(server), bytes_basis_detail,
                  CASE WHEN bytes_basis = 'assumed' THEN '; give --bytes body|headers to state it' ELSE '' END),
           NULL, NULL, NULL, count(*), NULL, NULL, NULL, NULL, NULL, NULL, any_value(bytes_meaning)
    FROM evidence
    WHERE verdict = 'ingested' AND bytes_basis IN ('inferred', 'assumed')
    GROUP BY stream, bytes_basis, bytes_basis_detail
    UNION ALL       -- requests logged without a byte count that is not 0 bytes (IIS 8.5-10's default #Fields has
    SELECT 'stated', 'no byte counts', NULL, NULL, stream, any_value(server),  -- no sc-bytes): per stream
           format('byte counts of server {}: {} of {} requests in {} ({}) logged without one: what they '
                  'delivered is unknown, so a transfer among them is partial where the log marks it cut short, '
                  'complete where the log marks it sent in full (IIS sc-win32-status 0) or a range group''s '
                  'logged offsets cover the file, else undetermined',
                  any_value(server), sum(unsized_requests), sum(requests),
                  format('{} file{}', count(*), CASE WHEN count(*) = 1 THEN '' ELSE 's' END),
                  string_agg(DISTINCT format, ', ' ORDER BY format)),
           NULL, NULL, NULL, sum(unsized_requests), sum(requests), NULL, NULL, NULL, NULL,
           string_agg(DISTINCT format, ', ' ORDER BY format), CASE WHEN bool_and(bytes_meaning = 'none') THEN 'none' END
    FROM evidence
    WHERE verdict = 'ingested' AND unsized_requests > 0
    GROUP BY stream
    UNION ALL       -- an input reached through a symbolic link: where it resolved (it may lie outside the folder given)
    SELECT 'stated', 'through a link', path, evidence_id, stream, server,
           format('read through a symbolic link: {} resolved to {} when it was ingested (exposure verify names a '
                  'link that resolves elsewhere since)', via_link, abs_path),
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, abs_path
    FROM evidence WHERE via_link IS NOT NULL
    UNION ALL
    SELECT 'stated', 'not a log', path, evidence_id, NULL, NULL,
           CASE WHEN decoded_bytes = 0 THEN 'empty: it holds no line, so no request (an empty log, or a file emptied)'
                ELSE 'not an access log in any known format: not analysed' END,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM evidence WHERE verdict = 'not a log' AND damage IS NULL
    UNION ALL       -- a command that did not finish (killed, or stopped while it recovered one), and what the next
                    -- writable open did about it: its `recovered` entry in the activity log (exposure/case.py)
    SELECT 'stated', 'interrupted command', NULL, NULL, NULL, NULL,
           format('activity entry {} ({} UTC): {}', seq, strftime(at_utc, '%Y-%m-%d %H:%M:%S'), detail),
           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM activity WHERE command = 'recovered'
)
SELECT * FROM findings
ORDER BY severity <> 'incomplete',
         list_position(['unreadable', 'damaged', 'truncated', 'empty compressed', 'joined lines', 'changed during read', 'suspicious size',
                        'all lines rejected', 'prefixed lines', 'glued lines', 'gap', 'presumed take', 'time ran back', 'stray time', 'overlap', 'duplicate', 'cut off', 'cut lines', 'rejected lines',
                        'read note', 'byte-order mark', 'inner byte-order marks', 'not utf-8', 'not canonical address', 'client not forwarded', 'inferred stream', 'assumed zone', 'zone not applied', 'ambiguous time', 'nonexistent time', 'no byte counts', 'assumed bytes', 'inferred bytes',
                        'through a link', 'not a log', 'interrupted command'], kind),
         path, stream, uncovered_start, detail;
