"""Exit codes of the `exposure` command: one meaning each, documented in the README.

- COMPLETE (0): a complete answer. Findings the tool resolved or stated keep 0: duplicates and overlaps
  counted once, gaps in the logs reported, inferences labelled, some lines of a file rejected, files that are
  not logs listed.
- NO_ANSWER (2): nothing was answered: bad arguments or options, no readable input, a case that cannot be
  opened, an unexpected failure (said in one line, never a traceback).
- INCOMPLETE (3): an answer was produced and written in full, but from incomplete evidence: a damaged or
  truncated file, a file that changed while it was read, an unreadable file or folder, a file of which every
  line was rejected (which includes a forced --format that fits none of a file's lines). For `verify`: an
  evidence file changed or missing, or the case's seal does not hold.
- INTERRUPTED (130): stopped by Ctrl-C (SIGINT) or SIGTERM (kill, timeout, a stopped job); the case is left as
  it was before the interrupted step.

1 is never returned on purpose: Python itself exits 1 on a crash, so it is kept apart from every answer.
"""

from __future__ import annotations

COMPLETE = 0
NO_ANSWER = 2
INCOMPLETE = 3
INTERRUPTED = 130
