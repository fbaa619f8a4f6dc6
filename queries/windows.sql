-- name: windows
-- One row per exposure window of the target: first/last available response, first unavailable (404/410)
-- response after it (NULL when the logs end first), whether it opened in the first hour of the evidence,
-- the file size used for completeness (given or inferred) and the evidence lines that bound it.
-- The true removal time lies between last_available and first_unavailable.
-- Column names are the JSON answer's (`window`, not the rule's window_no): quote it by hand, "window".
-- via: the --alias the window is of (NULL: the target's own path).
-- needs: target_macros
SELECT window_no AS "window", * EXCLUDE (window_no) FROM target_windows() ORDER BY via NULLS FIRST, "window";
