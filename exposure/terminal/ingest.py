"""What an ingest says on the terminal: progress while it reads (a terminal only), then one line per file that
is worth a line and a count for the rest ("45 files already in case" once, never 45 lines)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from ..escaping import visible
from ..plural import plural
from ..seal import read_again_said
from . import STATED_SHOWN, capped, capped_by, say, shown_verdict, verdict_tally

if TYPE_CHECKING:
    from ..ingest import FileOutcome, IngestResult

Progress = Callable[[str, int, int, int], None]


@contextmanager
def progress(out: Console, quiet: bool) -> Iterator[tuple[Progress | None, Callable[[FileOutcome], None] | None]]:
    """(on_progress, on_file) for `ingest_paths` that draw files, lines, bytes and the rate on `out`, only when
    `out` is a terminal and not --quiet; (None, None) otherwise (a pipe or a log file never gets a bar)."""
    if quiet or not out.is_terminal:
        yield None, None
        return
    from rich.progress import Progress as Bar
    from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.fields[files]} files"), TextColumn("{task.completed:,.0f} lines"),
               TextColumn("{task.fields[size]}"), TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
               TextColumn("{task.description}", markup=False))  # a file's name: never rich markup
    with Bar(*columns, console=out, transient=True) as bar:
        task = bar.add_task("", total=None, files=0, size="0 MB", rate="")
        started = time.monotonic()
        done = {"files": 0, "bytes": 0, "current": 0}

        def on_progress(path: str, _lines_in_file: int, chunk_lines: int, bytes_in_file: int) -> None:
            done["current"] = bytes_in_file
            total = done["bytes"] + bytes_in_file
            elapsed = max(time.monotonic() - started, 1e-6)
            lines = bar.tasks[0].completed + chunk_lines
            bar.update(task, completed=lines, files=done["files"], size=f"{total / 1e6:,.1f} MB",
                       rate=f"{lines / elapsed / 1e6:.2f} M lines/s, {total / elapsed / 1e6:.0f} MB/s",
                       description=visible(Path(path).name))  # a name may hold ESC, BEL, U+202E

        def on_file(_outcome: FileOutcome) -> None:
            done["files"] += 1
            done["bytes"] += done["current"]
            done["current"] = 0
            bar.update(task, files=done["files"])

        yield on_progress, on_file


def _worth_a_line(f: FileOutcome) -> bool:
    """A file said on a line of its own: anything but an ingest that read every line as a request or a skip, or
    a file that was already in the case."""
    if f.verdict == "already in case":
        return False
    return f.verdict != "ingested" or bool(f.rejected or f.damage or f.warnings or f.replaces)


def file_line(f: FileOutcome) -> str:
    """`verdict: path [format] lines=... requests=... rejected=... skipped=... (damage)`, path in full."""
    extra = f" of evidence {f.duplicate_of}" if f.duplicate_of else ""
    counts = (f" [{f.format}] lines={f.lines} requests={f.requests} rejected={f.rejected} skipped={f.skipped}"
              if f.verdict == "ingested" else "")
    reason = f" ({f.reason})" if f.reason and f.verdict == "unreadable" else ""
    cites = (f" (now the original cited: evidence {', '.join(map(str, f.replaces))} listed as its copy, by the "
             "citation rule)") if f.replaces else ""
    return (f"{shown_verdict(f.verdict, f.damage is not None)}{extra}: {f.path}{counts}{reason}"
            + (f" ({f.damage})" if f.damage else "") + cites)


def recount_lines(result: IngestResult) -> list[str]:
    """`recounted by this command: path [format] lines=... (damage)`: each file this command did not ingest whose
    counts its steps over the case changed (IngestResult.recounted), with the registry's counts now; up to
    STATED_SHOWN, the rest counted (their total is the summary's, each one's counts its registry row)."""
    return capped([f"recounted by this command: {f.path} [{f.format}] lines={f.lines} requests={f.requests} "
                   f"rejected={f.rejected} skipped={f.skipped}" + (f" ({f.damage})" if f.damage else "")
                   for f in result.recounted],
                  lambda n: f"recounted by this command: {plural(n, '# more file', '# more files')} (each one in the "
                            "case's evidence registry, the table `evidence`)")


def file_lines(files: list[FileOutcome]) -> list[str]:
    """A line for each file worth one (file_line), in input order: every one whose evidence is incomplete; of the
    others up to STATED_SHOWN per verdict, the rest counted after them (a thousand small files with a rejected
    line each are 10 lines and a count; each file's `rejected lines` finding and its registry row remain)."""
    return capped_by([f for f in files if _worth_a_line(f)], lambda f: None if f.incomplete else f.verdict,
                     file_line, lambda verdict, n: f"{verdict}: {plural(n, '# more file', '# more files')} (each one "
                                                   "in the case's evidence registry, the table `evidence`)")


def summary_lines(result: IngestResult) -> list[str]:
    """The count of every verdict, once: `45 files already in case`, or `41 files ingested (lines=... ...),
    2 duplicate, 2 not a log`; the files read again because no link had sealed them (exposure/seal.py); and
    whether --log-tz, where given, was applied (IngestResult.zone_said)."""
    files = result.files
    if not files:
        return []
    # whether --log-tz was applied, and to what (a warning where to nothing: print_ingest)
    zone = [result.zone_said] if result.zone_said and not result.zone_unused else []
    if all(f.verdict == "already in case" for f in files):
        return [f"{plural(len(files), '# file', '# files')} already in case", *zone, *_recounted_said(result)]
    tally = verdict_tally((shown_verdict(f.verdict, f.damage is not None), f.lines, f.requests, f.rejected, f.skipped)
                          for f in files)
    mended = read_again_said([(f.reread, f.evidence_id, f.path) for f in files if f.reread and f.evidence_id is not None])
    return [f"{plural(len(files), '# file', '# files')}: {tally}", *([mended] if mended else []), *zone,
            *_recounted_said(result)]


def _recounted_said(result: IngestResult) -> list[str]:
    if not (files := result.recounted):
        return []
    lines, requests, rejected, skipped = (sum(getattr(f, k) for f in files)
                                          for k in ("lines", "requests", "rejected", "skipped"))
    return [f"{plural(len(files), '# file', '# files')} already in the case recounted by this command (lines={lines} "
            f"requests={requests} rejected={rejected} skipped={skipped}: the registry's counts now)"]


def print_ingest(out: Console, result: IngestResult, quiet: bool) -> None:
    """Warnings always (paths in full); unless --quiet, a line for each file worth one, the count of the rest, and
    what the data said about byte counts where the format could not. The byte counts' lines of many log streams
    are capped (terminal.capped): each stream's own is its finding (`assumed bytes`, `inferred bytes`)."""
    assumed = capped(result.bytes_warnings, lambda n: f"byte counts of {_streams(n)}: assumed body as well: the "
                     "data did not decide (each one's finding `assumed bytes` says why); give --bytes body|headers "
                     "to state it")
    unused = [f"warning: {result.zone_said}"] if result.zone_unused else []
    for w in read_warning_lines(result) + [f"warning: {w}" for w in assumed] + unused:
        say(out, w)
    if quiet:
        return
    for line in file_lines(result.files) + recount_lines(result):
        say(out, line)
    for line in summary_lines(result):
        say(out, line)
    inferred = [(stream, meaning, detail) for stream, meaning, basis, detail in result.byte_facts
                if basis == "inferred"]
    rest = Counter(meaning for _stream, meaning, _detail in inferred[STATED_SHOWN:])
    for line in capped([f"byte counts of server {stream or '(none)'}: {meaning}, {detail}"
                        for stream, meaning, detail in inferred],
                       lambda n: f"byte counts of {_streams(n)}: inferred as well ("
                                 + ", ".join(f"{k} {m}" for m, k in sorted(rest.items()))
                                 + "; each one's finding `inferred bytes` says from what)"):
        say(out, line)


def read_warning_lines(result: IngestResult) -> list[str]:
    """`warning: path: what reading found`: every one of an incomplete file and every input passed over; of the
    others (a cut last line, a mostly rejected file, an overlap, a note on reading) up to STATED_SHOWN per kind, the
    rest counted after them (each is also its file's finding, listed in full where the findings are)."""
    return capped_by(result.read_warnings_by_kind, lambda w: w[0], lambda w: f"warning: {w[1]}",
                     lambda kind, n: f"warning: {kind}: {plural(n, '# more warning', '# more warnings')} of this kind "
                                     "(each one its file's finding: the JSON answer, the report and `exposure sql "
                                     "findings`)")


def _streams(n: int) -> str:
    return plural(n, "# more log stream", "# more log streams")
