-- name: windows
-- One row per exposure window of the target: first/last available response, first unavailable (404/410)
-- response after it (NULL when the logs end first), whether it opened in the first hour of the evidence,
-- the file size used for completeness (given or inferred) and the evidence lines that bound it.
-- The true removal time lies between last_available and first_unavailable.
-- needs: target_macros
SELECT * FROM target_windows() ORDER BY window_no;
