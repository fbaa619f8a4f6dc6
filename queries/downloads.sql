-- name: downloads
-- Every download attempt of the target: single 200 GET transfers and grouped 206 range transfers, with
-- outcome complete | partial | undetermined (no file size known), in time order, each citing its lines.
-- Internal (staff) addresses are included and flagged.
-- needs: target_macros
SELECT d.*, row_number() OVER (ORDER BY time, client, user_agent, kind) AS download_no
FROM target_downloads() d
ORDER BY time, client, user_agent, kind;
