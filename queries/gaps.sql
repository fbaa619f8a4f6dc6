-- name: stream_silences
-- The silences of every log stream (evidence.stream: one server's log, exposure/streams.py) that gaps are made
-- of: each silence longer than a minute (kind 'silence': from the line before it to the line after), and each
-- day's longest silence (kind 'day': gap_start the day at 00:00 UTC, gap_end that plus the silence; what the
-- stream's usual quiet time is made of). Computed once over every line of the case when an ingest settles and
-- kept in the case (exposure/derived.py: the table stream_silences, under the seal); the gaps for any threshold
-- (gap_macros below) are then read from it. Lines of every ingested file of the stream count, decided per copied
-- line (overlap_lines) from where its original is: a copied line whose original is in the same stream is left out
-- (the same moment, cited from the line it copies); every line of a compilation, a file named like a copy (or
-- silent) whose copied lines come from two or more streams (an excerpt of two servers' lines, with or without a
-- note of its own: no server's log; a server's name is a log, whatever parts of it other streams hold), is left
-- out (the originals stand in their own streams); any other copied line, whose original is another stream's,
-- stands in its own stream (a mirror's partial copy; a server's log whose lines a collection given first
-- holds). Where copies end a stream (its last 4 lines, one more than an overlap's run, each a copy of another
-- stream's line or a line that another stream's file copies and goes on after: a line of its own next there, or
-- a copy of this stream's next line; the same at its start, going on before), it makes no edge there, where its
-- file is a copy (excused): named like one and holding no line of its own, at either end (a backup's partial copy
-- stops where it was taken; one with a line of its own is some server's log, its edges its own: holed; a `tail -c`
-- excerpt so named begins where its log held the hours before), or a server-named take at its end (every line
-- shared with another stream, from one of that stream's files' first line on, none of that stream's lines before
-- the last it holds left out, by its line order across its files (file_order), not time: taken-1000/access.log
-- stops where taken-1800/access.log and the server's rotation, holding its lines, log on; kind 'take end', the
-- finding `presumed take`: content cannot tell it from a server that logged nothing but the same health checks,
-- so the end it excuses is said as an inference). A server's own traffic keeps its edges (one download, then a load balancer's health checks
-- another server logs too: its end is said). Copies to no log that goes on (`cat web1 web2`, cited before or after
-- web1: web2's line after web1's last, a line a third stream's file holds too, is no line of either; a
-- compilation's copies aside) and up to 3 copied lines at its end (a seam's health checks the next server's log
-- shares, a new server's 3 health checks another server logged too, cited first or not) end no stream: the edge
-- is measured from its last line, as for any other (a server that died is never lost). A
-- stream made only of copies of one other stream's lines says no silence that stream holds too (the same two
-- moments, nothing between them there: its original's, said there), nor one between two lines that are no
-- neighbours in the file they copy (two stretches of one log copied; the log logged between them); its other silences
-- stand (web1's lines copied from a collection that web2's lines fill: a real gap is never lost). The stray times
-- (below: no 1970 or 2099 bounds a silence or a stream's edge) are left out; files that are not logs too.
-- Also each place where a file's time runs back (kind 'back': the finding `time ran back`, findings.sql): a
-- request line whose UTC time is more than 10 minutes (threshold_minutes) before the line before it in the file
-- (line order), each of the next 20 lines (as many as the file has) staying more than 10 minutes before that
-- line too. Apache writes a request's START time when the request ends, so a long download is logged minutes or
-- hours late and steps back, and a few ending together (a download manager's parallel parts) step back a few
-- lines: then the present returns. A clock set back (or two servers' lines mixed in one file) keeps every line
-- after the step behind. UTC is compared: a change of offset written with the time (+0100 to +0200 at DST)
-- is no step; 10 minutes is well above a server's clock adjustments (NTP slews seconds) and below any clock
-- change that moves a window or a gap. gap_start is the time of the line before, gap_end the (earlier) time of
-- the line after, gap_minutes negative, offset_before and offset_after their UTC offsets as written.
-- And each stray time (kind 'stray': the finding `stray time`): a request line more than a day (1440 minutes,
-- threshold_minutes) from both the line before and the line after it in its file, on the same side of both (a
-- year 1970 or 2099 from a broken clock, a line from elsewhere); no long download is logged a day late. The line
-- after a stray is not a step back. gap_start is the stray's time, gap_end the line before's, gap_minutes the
-- distance between them (negative: the stray is earlier), start_* the stray line, end_* the line before, offset_before
-- the stray's offset, offset_after the line before's. A file's first or last line has one neighbour (a far end
-- when more than a day from it): it is a stray (kind 'edge stray') when another file holds lines too and it lies
-- beyond the evidence's time (the first to the last line of every file, any stream, but inner strays and far
-- ends) by more than that time's own length (at least a day), on the side away from its neighbour: the 1970 a
-- clock writes after a boot before NTP sets it, as a file's first line. A file of one line, a far first line the
-- evidence's other lines surround (a rotation of one line, a quiet start), a sparse log's ends (a line every 3
-- days), and a lone file's far first line (a 2099 line, then 2020: a clock set back after it looks the same, said
-- as `time ran back`) are no strays: they bound silences. gap_end is the neighbour's time (start_* the stray,
-- end_* the neighbour: the line after it for a first line, before it for a last).
-- And each seam where a stream's time runs back between its files (kind 'seam', also the finding `time ran
-- back`): a file of at least 21 request lines whose first 21 lines all lie more than 10 minutes before the end of
-- the stream's files that began before it, the two files no copy of one another (overlap_pairs): a clock set back at
-- a rotation (an NTP step, DST in local time), or two servers' logs taken for one stream; the step inside one file
-- cannot show it. Nor where every line of the file up to the earlier file's end copies a line of a third file
-- that the earlier file copies too (a rotation and the live log sharing an hour, each cited from a take of the
-- server's log that holds them): a copy repeats that time; a line of its own there keeps the step. Files are put in order by their start, the median time of their first 21 lines (then path, then
-- evidence id): a run of up to 10 wrong lines (1970 from a clock before NTP, a long download's start time written at
-- its end) cannot reorder a stream. A file's end is the latest of its last 21 lines no more than a day after their
-- median: no run of up to 10 wrong lines (a burst of 2099 anywhere in the file) sets it; a line later than the truth
-- is otherwise never written (Apache writes a request's start time). Not said where any line that decides it (a
-- file's first 21, the earlier file's last 21) is a fall-back hour's (--log-tz: `ambiguous local time`). A step
-- longer than one file's span is said against a neighbouring file of the stream, its size a lower bound (files in
-- time order cannot recover the true order; names are not read). A file of fewer than 21 lines is not
-- judged: its lines cannot be told from long downloads written late (as a file's last line is not judged for a
-- step back). Only where a stream's files follow one another: AWS's deliveries (S3, CloudFront, ALB/ELB)
-- interleave by design, as an export's numbered parts may. start_* the earlier file's end line, end_* the file's
-- start line (the first of its first 21 lines within a day of their median): the lines that decide the seam.
-- Columns: kind, stream, server, gap_start, gap_end (UTC), gap_minutes, the evidence lines that bound a
-- silence or a step back (start_evidence_id, start_line_no, end_evidence_id, end_line_no; NULL for a day),
-- offset_before, offset_after and threshold_minutes (a step back; else NULL). Each line is the
-- next of the line before it in (time, evidence id, line number) order; the lines are sorted one day at a time
-- and each day's last line linked to the next day's first: a sort of 20 M lines at once spilled past DuckDB's
-- memory limit (9 s; a day at a time 3.6 s).
WITH streams AS (   -- each stream numbered; its lines keyed by one integer (evidence id and line number)
    SELECT evidence_id, stream, server, dense_rank() OVER (ORDER BY stream) AS sid
    FROM evidence WHERE verdict = 'ingested' AND stream IS NOT NULL
), file_lines AS (  -- each file's request lines, counted (one aggregate: no second window pass over every line),
    -- and its first request line's number
    SELECT evidence_id, count(*) AS lines, min(line_no) AS first_line_no FROM requests GROUP BY evidence_id
), in_file AS (     -- each line with the lines before and after it in its file, in line order (one sort)
    SELECT s.sid, (r.evidence_id::BIGINT << 32) | r.line_no AS k, epoch_us(r.ts_utc) AS t, r.utc_offset_min AS o,
           lag((r.evidence_id::BIGINT << 32) | r.line_no) OVER f AS prev_k, lag(epoch_us(r.ts_utc)) OVER f AS prev_t,
           lag(r.utc_offset_min) OVER f AS prev_o, lead(epoch_us(r.ts_utc)) OVER f AS next_t,
           lead((r.evidence_id::BIGINT << 32) | r.line_no) OVER f AS next_k, lead(r.utc_offset_min) OVER f AS next_o,
           lag(epoch_us(r.ts_utc), 2) OVER f AS prev2_t, r.ts_flag AS flag, row_number() OVER f AS nth, n.lines
    FROM requests r JOIN streams s USING (evidence_id) JOIN file_lines n USING (evidence_id)
    WINDOW f AS (PARTITION BY r.evidence_id ORDER BY r.line_no)
), far AS MATERIALIZED (  -- computed once, read by the span, by judged's readers and for a step's next lines:
    -- an inner stray, a line more than a day from both lines around it, on the same side of both;
    -- a far end: a file's first or last line more than a day from its one neighbour (judged against the evidence)
    SELECT *, coalesce((t - prev_t > 86400e6 AND t - next_t > 86400e6)
                       OR (prev_t - t > 86400e6 AND next_t - t > 86400e6), false) AS inner_stray,
              lines > 1 AND ((nth = 1 AND abs(next_t - t) > 86400e6) OR (nth = lines AND abs(t - prev_t) > 86400e6))
                  AS far_end
    FROM in_file
), file_spans AS (  -- each file's time: its lines but inner strays and far ends
    SELECT k >> 32 AS evidence_id, min(t) AS lo, max(t) AS hi FROM far WHERE NOT inner_stray AND NOT far_end
    GROUP BY ALL
), span AS (        -- the evidence's time (every file's, any stream), its length (at least a day: the reach a far
    -- end must lie beyond), how many files hold it and, where one does, which
    SELECT min(lo) AS lo, max(hi) AS hi, greatest(max(hi) - min(lo), 86400e6) AS reach, count(*) AS files,
           min(evidence_id) AS one_file
    FROM file_spans
), judged AS NOT MATERIALIZED (  -- a stray: an inner stray, or a far end more than a day outside that span on its
    -- far side, where another file holds lines of the evidence's time (a lone file cannot tell which side is wrong).
    -- Worked out where it is read (its readers keep few of the lines: no second copy of every line); only a far end
    -- and a file's second line are judged against the span (the rest: no far end, so no edge)
    SELECT *, coalesce(prev_t, next_t) AS neighbour_t, inner_stray AS stray, false AS edge,
           coalesce(prev_t - prev2_t > 86400e6 AND prev_t - t > 86400e6, false) AS after_stray
    FROM far WHERE NOT far_end AND nth <> 2
    UNION ALL
    SELECT f.*, coalesce(f.prev_t, f.next_t) AS neighbour_t,
           f.inner_stray OR coalesce(f.far_end AND (s.files > 1 OR s.one_file <> f.k >> 32)
                                     AND ((f.t < s.lo - s.reach AND f.t < coalesce(f.prev_t, f.next_t) - 86400e6)
                                          OR (f.t > s.hi + s.reach AND f.t > coalesce(f.prev_t, f.next_t) + 86400e6)),
                                     false) AS stray,
           f.far_end AND NOT f.inner_stray AS edge,
           -- the line after a stray is no step back: an inner stray's, or a first line's late far end
           coalesce(f.prev_t - f.prev2_t > 86400e6 AND f.prev_t - f.t > 86400e6, false)
               OR coalesce(f.nth = 2 AND f.prev_t - f.t > 86400e6 AND f.prev_t > s.hi + s.reach
                           AND (s.files > 1 OR s.one_file <> f.k >> 32), false) AS after_stray
    FROM far f CROSS JOIN span s WHERE f.far_end OR f.nth = 2
), steps AS (       -- a step back (below, 'back') that the next 20 lines may decide: more than 10 minutes back, the
    -- next line more than 10 minutes before the line before too (else the next 20 cannot all stay back). A clock
    -- set back keeps them all behind; long downloads ending together (a download manager's parallel parts) step
    -- back a few lines, then the present returns
    SELECT k, nth FROM judged
    WHERE prev_t - t > 600e6 AND prev_t - next_t > 600e6 AND NOT after_stray
      AND NOT starts_with(coalesce(flag, ''), 'ambiguous local time')
), many_steps AS (  -- whether steps are many (more than one line in 64: a file of random times): then the next
    -- 20 lines are framed for every line once, as a join of 20 places per step would cost more
    SELECT (SELECT count(*) FROM steps) * 64 > (SELECT count(*) FROM far) AS many
), step_next AS (   -- the place (file, line count) of each of a step's next 20 lines (as many as the file has)
    SELECT s.k, ((s.k >> 32) << 32) | (s.nth + r.i) AS place FROM steps s CROSS JOIN range(1, 21) AS r(i)
    WHERE NOT (SELECT many FROM many_steps)
), next20 AS (      -- the latest of a step's next 20 lines: read for the steps alone, not framed for every line
    SELECT n.k, max(f.t) AS next20_t
    FROM step_next n
    JOIN (SELECT ((k >> 32) << 32) | nth AS place, t FROM far
          WHERE ((k >> 32) << 32) | nth IN (SELECT place FROM step_next)) f USING (place)
    WHERE NOT (SELECT many FROM many_steps)
    GROUP BY n.k
    UNION ALL
    SELECT k, next20_t FROM (
        SELECT k, max(t) OVER (PARTITION BY k >> 32 ORDER BY nth ROWS BETWEEN 1 FOLLOWING AND 20 FOLLOWING) AS next20_t
        FROM far WHERE (SELECT many FROM many_steps))
    WHERE k IN (SELECT k FROM steps)
), copies AS (     -- each copied line (overlap_lines) with the stream of the line it copies (its original)
    SELECT o.evidence_id, o.line_no, ks.sid AS original_sid, (o.evidence_id::BIGINT << 32) | o.line_no AS k,
           (o.kept_evidence_id::BIGINT << 32) | o.kept_line_no AS kept_k, cs.sid
    FROM overlap_lines o JOIN streams ks ON ks.evidence_id = o.kept_evidence_id
    LEFT JOIN streams cs ON cs.evidence_id = o.evidence_id
), named_like_copy AS ( -- the files whose name leaves their stream to their content: silent, a copy's, or in a
    -- copy's folder (evidence.named_like_copy: namekinds.named_like_copy, written at ingest), for compilations and
    -- excused
    SELECT evidence_id FROM evidence WHERE named_like_copy
), compilations AS ( -- a file whose copied lines come from two or more streams (its own counted): an excerpt or a
    -- collection of several servers' lines, no server's log; its lines stand in no stream's silences (their
    -- originals stand in their own), a line of its own (an investigator's note) neither. Only where its name leaves
    -- it to its content (silent, a copy's, or in a copy's folder: evidence.named_like_copy): a
    -- server's log parts of which two other streams hold (web1/access.log, its start in a take of the log, its end
    -- in a `tail -c` excerpt.log) keeps its lines, and the silences of its own lines are its gaps
    SELECT c.evidence_id FROM copies c JOIN named_like_copy USING (evidence_id)
    GROUP BY c.evidence_id HAVING count(DISTINCT c.original_sid) >= 2
), shared_with AS ( -- each line an overlap shares, with the stream of the file on its other side (a compilation's
    -- side left out: it holds every stream's lines)
    SELECT kept_k AS k, sid FROM copies WHERE evidence_id NOT IN (SELECT evidence_id FROM compilations)
    UNION ALL
    SELECT k, original_sid FROM copies WHERE kept_k >> 32 NOT IN (SELECT evidence_id FROM compilations)
), shared_all AS ( -- the files every request line of which is shared with another stream (a copy of its line or
    -- copied by its file): a take's first test
    SELECT t.evidence_id
    FROM (SELECT w.k >> 32 AS evidence_id, count(DISTINCT w.k) AS shared
          FROM shared_with w JOIN streams s ON s.evidence_id = w.k >> 32 AND w.sid <> s.sid GROUP BY ALL) t
    JOIN file_lines n USING (evidence_id) WHERE t.shared = n.lines
), first_reps AS ( -- each file's first request line as the line it stands for (the original it copies, else itself)
    SELECT f.k >> 32 AS evidence_id, s.sid, coalesce(c.kept_k, f.k) AS rep
    FROM far f JOIN streams s ON s.evidence_id = f.k >> 32 LEFT JOIN copies c ON c.k = f.k WHERE f.nth = 1
), take_of AS (    -- each such file and each other stream one of whose files begins with its first line (a prefix)
    SELECT DISTINCT a.evidence_id, b.sid AS of_sid, b.evidence_id AS of_file
    FROM first_reps a JOIN first_reps b ON b.rep = a.rep AND b.sid <> a.sid
    WHERE a.evidence_id IN (SELECT evidence_id FROM shared_all)
), take_reps AS (  -- the lines those files stand for
    SELECT f.k >> 32 AS evidence_id, coalesce(c.kept_k, f.k) AS rep
    FROM far f LEFT JOIN copies c ON c.k = f.k WHERE f.k >> 32 IN (SELECT evidence_id FROM take_of)
), file_order AS ( -- the files of the streams a take is judged against, in the stream's order: by the time of
    -- their first line (strays aside: file_spans), then evidence id (a rotation, access.log.1, before the live log)
    SELECT s.evidence_id, s.sid, dense_rank() OVER (PARTITION BY s.sid ORDER BY fs.lo, s.evidence_id) AS file_no
    FROM streams s JOIN file_spans fs USING (evidence_id)
    WHERE s.sid IN (SELECT of_sid FROM take_of)
), stream_lines AS ( -- their lines in the stream's line order (file, then line) and the line each stands for
    SELECT o.sid, (o.file_no::BIGINT << 32) | f.nth AS pos, coalesce(c.kept_k, f.k) AS rep
    FROM far f JOIN file_order o ON o.evidence_id = f.k >> 32 LEFT JOIN copies c ON c.k = f.k
), not_takes AS (  -- a prefix of another stream's log from one of its files' first line on that leaves out a line
    -- of that log before the last line it holds, by the stream's line order across its files (a server of its own
    -- logging some of the same lines: two servers behind one balancer, the same health checks in the same seconds,
    -- web2's download among them; the log split over a rotation and the live log: idfix F3, a take judged against
    -- access.log.1 alone left out the download access.log holds). Line order, not time: a line Apache writes at a
    -- request's end with its start time (a download 09:50:03 written at 10:05) lies after the take's last line in
    -- the file, whatever its time
    SELECT DISTINCT p.evidence_id, p.of_sid
    FROM take_of p JOIN file_order fo ON fo.evidence_id = p.of_file
    JOIN stream_lines j ON j.sid = p.of_sid
    WHERE j.pos >= ((fo.file_no::BIGINT << 32) | 1)
      AND j.pos < (SELECT max(l.pos) FROM stream_lines l
                   WHERE l.sid = p.of_sid
                     AND l.rep IN (SELECT r.rep FROM take_reps r WHERE r.evidence_id = p.evidence_id))
      AND NOT EXISTS (SELECT 1 FROM take_reps r WHERE r.evidence_id = p.evidence_id AND r.rep = j.rep)
), takes AS (      -- a server's log that is a take of another stream's log: every request line of it shared with
    -- another stream, its first line one of that stream's files' first, and every line that stream holds between
    -- its first and last line one of its own (a contiguous prefix: taken-1000/access.log, a take that
    -- taken-1800/access.log and the server's rotation hold from their first line on, nothing of theirs left out)
    SELECT DISTINCT evidence_id FROM take_of p ANTI JOIN not_takes n USING (evidence_id, of_sid)
), holed AS (      -- a file named like a copy with a request line of its own (a line no other file holds, either
    -- way): a log of some server, whatever its name, its edges its own (web3/access.log.bak: web3's own requests
    -- among the health checks web2 logs too: its end is web3's). A backup's copy with one line of its own inside
    -- says a false edge (stated: a known limit, with what bounds it, queries/findings.sql; a real end is never lost)
    SELECT n.evidence_id FROM file_lines n JOIN named_like_copy USING (evidence_id)
    WHERE n.lines > (SELECT count(DISTINCT w.k) FROM shared_with w WHERE w.k >> 32 = n.evidence_id)
), excused AS (    -- the files whose edges copies may excuse (lines, edges_of). A file named like a copy (silent, a
    -- copy's, in a copy's folder: evidence.named_like_copy), at its start and end: a backup's copy
    -- stops where it was taken, where it holds no line of its own (holed). A server's log only at its end, and only
    -- where it is a take (takes). A server's own traffic keeps its edges, whatever its first or last lines are (web1
    -- served one download, then logged only the load balancer's health checks web2 logged too, to 11:59: its end is
    -- said); so does a server's log whose lines are all the middle or the tail of another server's (two servers
    -- logging one balancer's checks, a server begun late): a `tail` excerpt under a server's name says a false start
    -- (stated; a real gap is never lost); and so does one that holds another server's checks from its first line on
    -- while that server logged a request of its own among them (web2's download at 05:00:30, not in web1's file:
    -- web1 logged the checks on its own)
    SELECT evidence_id, named AS start_excused, named OR take AS end_excused
    FROM (SELECT e.evidence_id, e.evidence_id IN (SELECT evidence_id FROM named_like_copy)
                     AND e.evidence_id NOT IN (SELECT evidence_id FROM holed) AS named,
                 e.evidence_id IN (SELECT evidence_id FROM takes) AS take
          FROM evidence e)
    WHERE named OR take
), third_beside AS ( -- a copied line of another stream's (copies) with a line of a third stream's next to it (a line
    -- a third stream's file holds too), unless that stream also holds the copied line's original (web1's rotation
    -- beside two takes of its log: one more copy): after (before) its original in the original's file (side
    -- 'original after', 'original before': copy_ends), after (before) the copy in the copy's file ('copy after',
    -- 'copy before': goes_on). One shape for the four
    SELECT b.k, b.side
    FROM (SELECT c.k, c.kept_k, c.sid, c.original_sid, 'original after' AS side, f.next_k AS next_to
          FROM copies c JOIN far f ON f.k = c.kept_k WHERE c.sid <> c.original_sid
          UNION ALL
          SELECT c.k, c.kept_k, c.sid, c.original_sid, 'original before', f.prev_k
          FROM copies c JOIN far f ON f.k = c.kept_k WHERE c.sid <> c.original_sid
          UNION ALL
          SELECT c.k, c.kept_k, c.sid, c.original_sid, 'copy after', f.next_k
          FROM copies c JOIN far f ON f.k = c.k WHERE c.sid <> c.original_sid
          UNION ALL
          SELECT c.k, c.kept_k, c.sid, c.original_sid, 'copy before', f.prev_k
          FROM copies c JOIN far f ON f.k = c.k WHERE c.sid <> c.original_sid) b
    WHERE EXISTS (SELECT 1 FROM shared_with w WHERE w.k = b.next_to AND w.sid NOT IN (b.sid, b.original_sid)
                    AND NOT EXISTS (SELECT 1 FROM shared_with v WHERE v.k = b.kept_k AND v.sid = w.sid))
), copy_ends AS (  -- a copied line whose original's file goes on after (before) it with a line a third stream's
    -- file holds too and that file not the line itself (third_beside: all.log = `cat web1 web2` cited first, web1's
    -- lines copies of it: web2's first line after web1's last): no log of it goes on there, its copy ends its stream
    -- as a line of its own does
    SELECT c.k, c.k IN (SELECT k FROM third_beside WHERE side = 'original after') AS after,
           c.k IN (SELECT k FROM third_beside WHERE side = 'original before') AS before
    FROM copies c JOIN far f ON f.k = c.kept_k
    WHERE c.sid <> c.original_sid
), goes_on AS (    -- an original line whose copy in another stream's file is followed (preceded) there by a line
    -- that file holds of its own, or by a copy of the original stream's next (earlier) line: the log it is a piece
    -- of goes on there (taken-1000/access.log, a take that taken-1800/access.log and web1's rotation continue).
    -- A line of a third stream after it (third_beside: `cat web1 web2`: web2's first line after web1's last, a copy
    -- of web2's or copied by web2's file) goes on no log
    SELECT c.kept_k >> 32 AS evidence_id, c.kept_k & 4294967295 AS line_no,
           bool_or(f.next_k IS NOT NULL AND (nx.evidence_id IS NULL OR nks.sid = c.original_sid)
                   AND c.k NOT IN (SELECT k FROM third_beside WHERE side = 'copy after')) AS after,
           bool_or(f.prev_k IS NOT NULL AND (pv.evidence_id IS NULL OR pks.sid = c.original_sid)
                   AND c.k NOT IN (SELECT k FROM third_beside WHERE side = 'copy before')) AS before
    FROM copies c
    JOIN far f ON f.k = c.k
    LEFT JOIN overlap_lines nx ON nx.evidence_id = f.next_k >> 32 AND nx.line_no = f.next_k & 4294967295
    LEFT JOIN streams nks ON nks.evidence_id = nx.kept_evidence_id
    LEFT JOIN overlap_lines pv ON pv.evidence_id = f.prev_k >> 32 AND pv.line_no = f.prev_k & 4294967295
    LEFT JOIN streams pks ON pks.evidence_id = pv.kept_evidence_id
    WHERE c.sid <> c.original_sid
    GROUP BY ALL
), lines AS (      -- the lines silences are made of: each line of the stream (judged above) but
    -- a stray time (a broken clock's 1970 or 2099 bounds no silence and no stream's edge), a copy's repeated line
    -- whose original is in the same stream (the same moment: target.sql leaves copies out everywhere), so a silence
    -- is bounded by the line the citation rule cites (queries/citation.sql: an intact copy first), and every line
    -- of a compilation (above). A copied line whose original is another stream's stands in its own stream (a
    -- mirror's partial copy, a server's log whose lines a collection given first holds: its stream would fall
    -- silent where it logged); `copied` marks it: no edge where it ends its stream (edges_of), and no silence of a
    -- stream of such lines of one stream alone that is no silence of its own (unsaid); goes_before and goes_after
    -- mark an original line whose copy another stream's file goes on before or after (goes_on): no edge either
    SELECT j.sid, CAST(make_timestamp(j.t) AS DATE) AS day, j.t, j.k, c.original_sid IS NOT NULL AS copied,
           c.original_sid,
           coalesce(tk.start_excused, false)
               AND (coalesce(g.before, false) OR (c.original_sid IS NOT NULL AND NOT coalesce(x.before, false)))
               AS goes_before,
           coalesce(tk.end_excused, false)
               AND (coalesce(g.after, false) OR (c.original_sid IS NOT NULL AND NOT coalesce(x.after, false)))
               AS goes_after
    FROM judged j LEFT JOIN copies c ON c.evidence_id = j.k >> 32 AND c.line_no = j.k & 4294967295
    LEFT JOIN excused tk ON tk.evidence_id = j.k >> 32
    LEFT JOIN goes_on g ON g.evidence_id = j.k >> 32 AND g.line_no = j.k & 4294967295
    LEFT JOIN copy_ends x ON x.k = j.k
    WHERE NOT coalesce(j.stray, false)  -- NULL: a far end where the evidence has no other line
      AND c.original_sid IS DISTINCT FROM j.sid
      AND (j.k >> 32) NOT IN (SELECT evidence_id FROM compilations)
), within AS (      -- the next line of the same day: sorted a day at a time (one sort of every line spills)
    SELECT sid, day, t, k, copied, goes_before, goes_after, lead(t) OVER w AS next_t, lead(k) OVER w AS next_k
    FROM lines WINDOW w AS (PARTITION BY sid, day ORDER BY t, k)
), ends AS (        -- per day, in one pass over its lines: its first and last line, as one number that sorts as
    -- (t, k), and whether each of its first and last 4 lines ends no stream there (first4, last4: goes_before,
    -- goes_after, read by edges_of); its longest silence between two of its lines; and the silences of more than
    -- a minute between them (the few kept whole: 'silence' below)
    SELECT sid, day, min(t::HUGEINT * 18446744073709551616 + k) AS first_line,
           max(t::HUGEINT * 18446744073709551616 + k) AS last_line,
           min_by(goes_before, t::HUGEINT * 18446744073709551616 + k, 4) AS first4,  -- first line first
           max_by(goes_after, t::HUGEINT * 18446744073709551616 + k, 4) AS last4,    -- last line first
           max(make_timestamp(next_t) - make_timestamp(t)) AS longest,
           list({'t': t, 'k': k, 'next_t': next_t, 'next_k': next_k}) FILTER (WHERE next_t - t > 59e6) AS long_pairs
    FROM within GROUP BY sid, day
), across AS (      -- a day's last line and the stream's next line: the first of its next day with lines
    SELECT sid, last_line, lead(first_line) OVER (PARTITION BY sid ORDER BY day) AS next_line FROM ends
), pairs AS (       -- a line and the stream's next line, where more than a minute may lie between them
    SELECT sid, p.t, p.k, p.next_t, p.next_k FROM (SELECT sid, unnest(long_pairs) AS p FROM ends)
    UNION ALL
    SELECT sid, (last_line >> 64)::BIGINT, (last_line & 18446744073709551615)::BIGINT,
           (next_line >> 64)::BIGINT, (next_line & 18446744073709551615)::BIGINT
    FROM across WHERE next_line IS NOT NULL
), silences AS (
    SELECT sid, make_timestamp(t) AS gap_start, make_timestamp(next_t) AS gap_end, k, next_k FROM pairs
), long_silences AS (  -- the silences longer than a minute (kind 'silence')
    SELECT * FROM silences WHERE date_diff('second', gap_start, gap_end) / 60.0 > 1
), copy_streams AS (   -- a stream every line of which copies a line of one other stream (its original stream)
    SELECT sid, any_value(original_sid) AS original_sid FROM lines
    GROUP BY sid HAVING bool_and(copied) AND count(DISTINCT original_sid) = 1
), unsaid AS (      -- a copy stream's silence that is no silence of its own: the original stream holds the same
    -- silence (said there), or the two lines it copies are no neighbours in their file (the copy took two stretches
    -- of a log that logged between them). A silence of two neighbours of a file the original stream
    -- fills from elsewhere stands (web1's log cited from a collection whose web2 lines fill it)
    SELECT l.sid, l.k
    FROM long_silences l JOIN copy_streams c USING (sid)
    JOIN copies a ON a.k = l.k JOIN copies b ON b.k = l.next_k
    WHERE EXISTS (SELECT 1 FROM long_silences o
                  WHERE o.sid = c.original_sid AND o.gap_start = l.gap_start AND o.gap_end = l.gap_end)
       OR NOT EXISTS (SELECT 1 FROM judged j WHERE j.k = a.kept_k AND j.next_k = b.kept_k)
), day_longest AS ( -- each day's longest silence: between two of its lines, or from its last line to the next
    SELECT sid, CAST(make_timestamp((last_line >> 64)::BIGINT) AS DATE) AS day,
           make_timestamp((next_line >> 64)::BIGINT) - make_timestamp((last_line >> 64)::BIGINT) AS longest
    FROM across WHERE next_line IS NOT NULL
    UNION ALL
    SELECT sid, day, longest FROM ends WHERE longest IS NOT NULL
), edges_of AS (   -- each stream's first and last line, and the evidence's (every stream's) first and last line;
    -- whether copies end the stream there: its first (last) 4 lines copy other streams' lines or are lines another
    -- stream's file copies and goes on before (after), in a file whose edges copies may excuse (excused: a
    -- backup's partial copy stops where the copy did, a take where a later take logs on). Up to 3 such lines (a rotation's seam the next server's log shares, a health
    -- check, a stream of 3 lines) end no stream: its edge is measured from its line as any other
    SELECT sid, first_line, last_line, evidence_first, evidence_last,
           len(list_filter(first4, lambda c: c)) = 4 AS first_copied,
           len(list_filter(last4, lambda c: c)) = 4 AS last_copied
    FROM (SELECT sid, min(first_line) AS first_line, max(last_line) AS last_line,
                 min(min(first_line)) OVER () AS evidence_first, max(max(last_line)) OVER () AS evidence_last,
                 flatten(list(first4 ORDER BY day))[1:4] AS first4,
                 flatten(list(last4 ORDER BY day DESC))[1:4] AS last4
          FROM ends GROUP BY sid)
), edges AS (     -- each file of a stream whose files follow one another in time (not AWS's deliveries, which
    -- interleave: S3, CloudFront, ALB/ELB; not an export's numbered parts): its first and last 21 request lines
    SELECT j.*, j.k >> 32 AS evidence_id, e.path, j.nth <= 21 AS head, j.lines - j.nth < 21 AS tail,
           starts_with(coalesce(j.flag, ''), 'ambiguous local time') AS ambiguous
    FROM judged j JOIN evidence e ON e.evidence_id = j.k >> 32
    WHERE (j.nth <= 21 OR j.lines - j.nth < 21) AND e.format NOT IN ('s3', 'cloudfront', 'alb', 'elb')
      AND NOT contains(coalesce(e.stream_reason, ''), 'numbered part')
), middles AS (    -- its start, the median time of its first 21 lines, and the median of its last 21: a run of up
    -- to 10 wrong lines (1970, 2099, a long download's start) sets neither; the latest of its first 21 lines
    -- ('stays back'); whether any of those lines is a fall-back hour's (--log-tz)
    SELECT sid, evidence_id, any_value(path) AS path, any_value(lines) AS lines,
           quantile_disc(t, 0.5) FILTER (WHERE head) AS start_t, quantile_disc(t, 0.5) FILTER (WHERE tail) AS end_mid,
           max(t) FILTER (WHERE head) AS first21_t,
           bool_or(ambiguous) FILTER (WHERE head) AS start_ambiguous, bool_or(ambiguous) FILTER (WHERE tail) AS end_ambiguous
    FROM edges GROUP BY sid, evidence_id
), file_ends AS (  -- the lines that decide a seam: its first line no more than a day from its start (its start
    -- line) and its latest of the last 21 lines no more than a day after their median (its end line, as one number
    -- that sorts as (t, k)); a line later than the truth is otherwise never written (Apache writes a request's
    -- start time)
    SELECT m.sid, m.evidence_id, m.path, m.lines, m.start_t, m.first21_t, m.start_ambiguous, m.end_ambiguous,
           min(d.k) FILTER (WHERE d.head AND abs(d.t - m.start_t) <= 86400e6) AS first_k,
           arg_min(d.t, d.k) FILTER (WHERE d.head AND abs(d.t - m.start_t) <= 86400e6) AS first_t,
           arg_min(d.o, d.k) FILTER (WHERE d.head AND abs(d.t - m.start_t) <= 86400e6) AS first_o,
           max(d.t::HUGEINT * 18446744073709551616 + d.k) FILTER (WHERE d.tail AND d.t - m.end_mid <= 86400e6)
               AS last_line,
           arg_max(d.o, d.t::HUGEINT * 18446744073709551616 + d.k) FILTER (WHERE d.tail AND d.t - m.end_mid <= 86400e6)
               AS last_o
    FROM middles m JOIN edges d USING (sid, evidence_id)
    GROUP BY ALL
), seams AS (       -- the latest line of the stream's files that began before it (start, evidence id)
    SELECT *, (before_line >> 64)::BIGINT AS before_t, (before_line & 18446744073709551615)::BIGINT AS before_k
    FROM (SELECT *, max(last_line) OVER p AS before_line, arg_max(last_o, last_line) OVER p AS before_o,
                 arg_max(end_ambiguous, last_line) OVER p AS before_ambiguous FROM file_ends
          WINDOW p AS (PARTITION BY sid ORDER BY start_t, path, evidence_id
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING))
), kept AS (
    SELECT 'silence' AS kind, sid, gap_start, gap_end, date_diff('second', gap_start, gap_end) / 60.0 AS gap_minutes,
           k, next_k, NULL::SMALLINT AS offset_before, NULL::SMALLINT AS offset_after, NULL::DOUBLE AS threshold_minutes
    FROM long_silences l ANTI JOIN unsaid u USING (sid, k)  -- a copy stream's silence said by its original
    UNION ALL
    SELECT 'day', sid, CAST(day AS TIMESTAMP), CAST(day AS TIMESTAMP) + max(longest), NULL, NULL, NULL, NULL, NULL, NULL
    FROM day_longest GROUP BY sid, day
    UNION ALL       -- a stream that stops before the evidence ends: from its last line to the evidence's last
    -- line (kind 'end'), and one that starts after the evidence begins: from the evidence's first line to its
    -- first (kind 'start'); its server may have served a file unseen there (gap_macros: a gap in a window only)
    SELECT 'end', sid, make_timestamp((last_line >> 64)::BIGINT), make_timestamp((evidence_last >> 64)::BIGINT),
           ((evidence_last >> 64) - (last_line >> 64))::DOUBLE / 60e6, (last_line & 18446744073709551615)::BIGINT,
           (evidence_last & 18446744073709551615)::BIGINT, NULL, NULL, NULL
    FROM edges_of WHERE ((evidence_last >> 64) - (last_line >> 64)) / 60e6 > 1 AND NOT last_copied
    UNION ALL       -- the end a server-named take's copies excuse (kind 'take end': the finding `presumed take`,
    -- findings.sql): content cannot tell a take from a server behind one balancer with another that logged nothing
    -- of its own but the same health checks, from the same first line on, where the other logged nothing of its own
    -- among them either: the end it would be is said as an inference, never silently left out
    SELECT 'take end', sid, make_timestamp((last_line >> 64)::BIGINT), make_timestamp((evidence_last >> 64)::BIGINT),
           ((evidence_last >> 64) - (last_line >> 64))::DOUBLE / 60e6, (last_line & 18446744073709551615)::BIGINT,
           (evidence_last & 18446744073709551615)::BIGINT, NULL, NULL, NULL
    FROM edges_of
    WHERE ((evidence_last >> 64) - (last_line >> 64)) / 60e6 > 1 AND last_copied
      AND ((last_line & 18446744073709551615) >> 32)::BIGINT IN (SELECT evidence_id FROM takes)
      AND ((last_line & 18446744073709551615) >> 32)::BIGINT NOT IN (SELECT evidence_id FROM named_like_copy)
    UNION ALL
    SELECT 'start', sid, make_timestamp((evidence_first >> 64)::BIGINT), make_timestamp((first_line >> 64)::BIGINT),
           ((first_line >> 64) - (evidence_first >> 64))::DOUBLE / 60e6,
           (evidence_first & 18446744073709551615)::BIGINT, (first_line & 18446744073709551615)::BIGINT,
           NULL, NULL, NULL
    FROM edges_of WHERE ((first_line >> 64) - (evidence_first >> 64)) / 60e6 > 1 AND NOT first_copied
    UNION ALL       -- the time runs back by more than 10 minutes and the next line stays back (see above)
    SELECT 'back', sid, make_timestamp(prev_t), make_timestamp(t), (t - prev_t) / 60e6, prev_k, k, prev_o, o, 10
    FROM judged LEFT JOIN next20 USING (k) WHERE prev_t - t > 600e6 AND NOT after_stray
                  -- the fall-back hour of a log without offsets (--log-tz) is read as its earlier instant and
                  -- flagged on its row: its second pass steps back an hour without any clock set back
                  AND NOT starts_with(coalesce(flag, ''), 'ambiguous local time')
                  -- a step of more than a day that the next line shares: no download is logged a day late
                  AND (prev_t - next20_t > 600e6 OR (prev_t - t > 86400e6 AND prev_t - next_t > 86400e6))
                  -- where the file begins to hold its own lines again (`cat a.log a.log`: exposure/overlap.py,
                  -- SELF_SQL) the time runs back with no clock set back: said as that overlap, whichever
                  -- file its copied lines are cited from (FOLLOW_SQL may cite another file's)
                  AND NOT (prev_k >> 32 = k >> 32 AND EXISTS (SELECT 1 FROM overlap_lines l
                                  WHERE l.evidence_id = k >> 32 AND l.line_no = k & 4294967295))
    UNION ALL       -- a stray time (see above): gap_start its time, gap_end the line before's; a file's first or
    -- last line judged stray (kind 'edge stray', see above): gap_end its one neighbour's time
    SELECT CASE WHEN edge THEN 'edge stray' ELSE 'stray' END, sid, make_timestamp(t),
           make_timestamp(CASE WHEN edge THEN neighbour_t ELSE prev_t END),
           (t - CASE WHEN edge THEN neighbour_t ELSE prev_t END) / 60e6, k,
           CASE WHEN edge THEN coalesce(prev_k, next_k) ELSE prev_k END, o,
           CASE WHEN NOT edge OR prev_k IS NOT NULL THEN prev_o ELSE next_o END, 1440
    FROM judged WHERE stray
    UNION ALL       -- a file that begins back in time where the stream's earlier file left off (see above)
    SELECT 'seam', sid, make_timestamp(before_t), make_timestamp(first_t), (first_t - before_t) / 60e6, before_k,
           first_k, before_o, first_o, 10
    FROM seams s
    WHERE before_t - first21_t > 600e6
      AND lines >= 21   -- fewer lines cannot be told from long downloads written late (a last line is not judged)
      -- a fall-back hour's lines (--log-tz) among the lines that decide it: an hour back without any clock set back
      AND NOT coalesce(start_ambiguous OR before_ambiguous, false)
      AND NOT EXISTS (SELECT 1 FROM overlap_pairs p     -- a copy repeats lines of the time it shares
                      WHERE (p.evidence_id = s.evidence_id AND p.kept_evidence_id = s.before_k >> 32)
                         OR (p.kept_evidence_id = s.evidence_id AND p.evidence_id = s.before_k >> 32))
      -- every line of the file up to the earlier file's end a copy of a line of a third file that the earlier
      -- file copies too (a rotation and the live log sharing an hour, each cited from a take that holds it): a copy
      -- repeats that time. A line of its own there (a clock set back: web1's own requests, beside the balancer's
      -- health checks both files copy from web0's log) is a step back
      AND NOT (EXISTS (SELECT 1 FROM overlap_lines a JOIN overlap_lines b USING (kept_evidence_id, kept_line_no)
                       WHERE a.evidence_id = s.evidence_id AND b.evidence_id = s.before_k >> 32)
               AND NOT EXISTS (SELECT 1 FROM far j
                               WHERE j.k >> 32 = s.evidence_id AND j.t BETWEEN s.first_t AND s.before_t
                                 AND NOT EXISTS (SELECT 1 FROM overlap_lines a
                                                 JOIN overlap_lines b USING (kept_evidence_id, kept_line_no)
                                                 WHERE a.evidence_id = s.evidence_id
                                                   AND a.line_no = j.k & 4294967295
                                                   AND b.evidence_id = s.before_k >> 32)))
)
SELECT c.kind, n.stream, s.server, c.gap_start, c.gap_end, c.gap_minutes,
       c.k >> 32 AS start_evidence_id, c.k & 4294967295 AS start_line_no,
       c.next_k >> 32 AS end_evidence_id, c.next_k & 4294967295 AS end_line_no,
       c.offset_before, c.offset_after, c.threshold_minutes
FROM kept c JOIN (SELECT DISTINCT sid, stream FROM streams) n USING (sid)
LEFT JOIN streams s ON s.evidence_id = (CASE WHEN c.kind = 'start' THEN c.next_k ELSE c.k END) >> 32  -- the stream's line
ORDER BY 2, 1 DESC, 4, 7, 8;

-- name: gap_macros
-- Defines the table macro evidence_gaps(gap_minutes, gap_factor) that the query gaps (below) and the findings
-- (findings.sql) read: periods with no log line at all, per log stream, that are longer than the stream's own
-- quiet times. A missing log rotation, a server outage, a logging failure or an unreadable file shows up here.
-- A silence (the table stream_silences: the block above, kept in the case) counts as a gap when it is longer
-- than both
--   * gap_minutes (default 60; never less than a minute), and
--   * gap_factor (default 2) times the stream's usual longest silence: the median, over the stream's whole
--     days (its first and last day left out), of each day's longest silence (a silence belongs to the day it
--     starts). Quiet nights are the usual longest silences of most logs; a stream with fewer than three whole
--     days has no usual silence and gap_minutes alone applies.
-- One row per gap: stream, server, last line before, first line after, minutes, the threshold that applied
-- (threshold_minutes, usual_silence_minutes) and the evidence lines that bound it.
-- A silence the hour the clocks go back explains is no gap (fold_silences): a file read with --log-tz writes that
-- span twice and every line of it is read as the earlier instant (queries/findings.sql ambiguous time), so the
-- second pass's lines sit an hour early and its true hour looks silent. A silence that begins within the span's
-- UTC image (from the stream's first to its last line read there) and ends after it, and that the span's length
-- (the zone's change: 60 minutes, Lord Howe 30) brings under the threshold, is said by that finding, not as a gap
-- (/tmp/review_copyrt/w/fold2.py: 'no log line for 64 minutes ... inside window 1' of a line every 4 minutes).
-- needs: stream_silences
CREATE OR REPLACE TEMP MACRO silences_judged(gap_minutes, gap_factor) AS TABLE
WITH days AS (
    SELECT stream, CAST(gap_start AS DATE) AS day, gap_end - gap_start AS longest
    FROM stream_silences WHERE kind = 'day'
), usual AS (       -- whole days only: the first and last day of a stream are cut by its start and end
    SELECT d.stream, CASE WHEN count(*) >= 3 THEN median(epoch(d.longest)) / 60.0 END AS usual_silence_minutes
    FROM days d
    JOIN (SELECT stream, min(day) AS first_day, max(day) AS last_day FROM days GROUP BY stream) b USING (stream)
    WHERE d.day > b.first_day AND d.day < b.last_day
    GROUP BY d.stream
), thresholds AS (
    SELECT s.stream, u.usual_silence_minutes,
           greatest(coalesce(gap_minutes, 60)::DOUBLE, 1.0,
                    coalesce(coalesce(gap_factor, 2)::DOUBLE * u.usual_silence_minutes, 0))
               AS threshold_minutes
    FROM (SELECT DISTINCT stream FROM stream_silences) s LEFT JOIN usual u USING (stream)
)
, folds AS (      -- per stream and day, the lines read in the hour the clocks go back (the earlier instant)
    SELECT e.stream, min(r.ts_utc) AS fold_lo, max(r.ts_utc) AS fold_hi, count(*) AS fold_lines,
           -- the span's length: the offset before the change less the offset a day later
           epoch(any_value(timezone(e.log_tz, timezone('UTC', r.ts_utc)) - r.ts_utc
                           - (timezone(e.log_tz, timezone('UTC', r.ts_utc + INTERVAL 1 day))
                              - (r.ts_utc + INTERVAL 1 day)))) / 60.0 AS fold_minutes
    FROM requests r JOIN evidence e USING (evidence_id)
    WHERE e.log_tz IS NOT NULL AND starts_with(coalesce(r.ts_flag, ''), 'ambiguous local time (DST fold)')
    GROUP BY e.stream, CAST(r.ts_utc AS DATE)
)
SELECT o.stream, o.server, o.gap_start, o.gap_end, o.gap_minutes,
       t.threshold_minutes, t.usual_silence_minutes,
       o.start_evidence_id, o.start_line_no, o.end_evidence_id, o.end_line_no,
       CASE o.kind WHEN 'end' THEN 'after its last line' WHEN 'start' THEN 'before its first line'
                   WHEN 'take end' THEN 'after a take''s last line' END AS edge,
       f.fold_lines, f.fold_minutes
FROM stream_silences o JOIN thresholds t USING (stream)
LEFT JOIN folds f ON f.stream = o.stream AND o.kind = 'silence' AND o.gap_start BETWEEN f.fold_lo AND f.fold_hi
                 AND o.gap_end > f.fold_hi AND o.gap_minutes - f.fold_minutes <= t.threshold_minutes
WHERE o.kind IN ('silence', 'end', 'start', 'take end') AND o.gap_minutes > t.threshold_minutes;
CREATE OR REPLACE TEMP MACRO evidence_gaps(gap_minutes, gap_factor) AS TABLE
SELECT * EXCLUDE (fold_lines, fold_minutes) FROM silences_judged(gap_minutes, gap_factor)
WHERE fold_lines IS NULL AND edge IS DISTINCT FROM 'after a take''s last line';
CREATE OR REPLACE TEMP MACRO take_ends(gap_minutes, gap_factor) AS TABLE   -- a presumed take's end (kind 'take end')
SELECT * EXCLUDE (fold_lines, fold_minutes) FROM silences_judged(gap_minutes, gap_factor)
WHERE edge = 'after a take''s last line';
CREATE OR REPLACE TEMP MACRO fold_silences(gap_minutes, gap_factor) AS TABLE   -- the hour the clocks go back explains
SELECT * FROM silences_judged(gap_minutes, gap_factor) WHERE fold_lines IS NOT NULL;

-- name: gaps
-- The gaps of the evidence, per log stream (see gap_macros above for the rule): stream, server, gap_start,
-- gap_end, gap_minutes, threshold_minutes, usual_silence_minutes and the evidence lines that bound each gap.
-- needs: gap_macros
-- params: gap_minutes?, gap_factor?
SELECT * FROM evidence_gaps(getvariable('gap_minutes'), getvariable('gap_factor'))
ORDER BY stream, gap_start;
