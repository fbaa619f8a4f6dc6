-- name: per_ip
-- One row per client address that downloaded (completely or partly) or revalidated (304) the target:
-- complete and partial download counts (complete_inferred: of the complete ones, those inferred from a sum of
-- range parts, outcome_inferred), first and last request for the target, internal flag, and
-- copy_before_evidence = it got a 304 but has no complete download anywhere in the evidence (it held a
-- copy obtained before the logs begin, or through a cache).
-- needs: target_macros
WITH d AS (
    SELECT client, count(*) FILTER (WHERE outcome = 'complete') AS complete,
           count(*) FILTER (WHERE outcome = 'complete' AND outcome_inferred) AS complete_inferred,
           count(*) FILTER (WHERE outcome = 'partial') AS partial,
           count(*) FILTER (WHERE outcome = 'undetermined') AS undetermined
    FROM target_downloads() GROUP BY client
), r AS (
    SELECT client, bool_or(internal) AS internal, min(ts_utc) AS first_seen, max(ts_utc) AS last_seen,
           count(*) FILTER (WHERE status = 304) AS not_modified,
           count(*) AS requests
    FROM target_requests() GROUP BY client
)
SELECT r.client AS client_ip, coalesce(d.complete, 0) AS complete,
       coalesce(d.complete_inferred, 0) AS complete_inferred, coalesce(d.partial, 0) AS partial,
       coalesce(d.undetermined, 0) AS undetermined, r.internal,
       r.not_modified > 0 AND coalesce(d.complete, 0) = 0 AS copy_before_evidence,
       r.not_modified, r.requests, r.first_seen, r.last_seen
FROM r LEFT JOIN d USING (client)
WHERE d.client IS NOT NULL OR r.not_modified > 0
ORDER BY complete DESC, partial DESC, first_seen, client_ip;
