"""The terminal: the one place where consoles are made and where text from the logs is printed.

Every command prints through here, so two rules hold everywhere:

- **Inert.** A value from the logs (a path, user agent, referrer, address, file name) is written by whoever sent
  the request or made the file. Raw, an ESC sequence clears the screen or retitles the window and U+202E makes
  `exe.fdp` read `pdf.exe`. Every such value is printed through `exposure.escaping.visible` (`\\x1b`, `\\u202e`),
  as rich Text, never as markup. The JSON and CSV outputs keep the value as logged, but when they are printed
  on a terminal (`--csv`/`--json` of `files` and `sql` without a redirect) they are made visible too.
- **Whole.** Output to a pipe or file is never cut or wrapped (rich would cut it at 80 columns): paths are
  printed in full, so `grep` and `cut` see what the case holds. On a terminal, lines wrap where the terminal
  wraps them and table cells fold; nothing is replaced by an ellipsis.
- **Bounded.** Only a value longer than any path a server accepts (`escaping.TERMINAL_LIMIT`, 8,192 characters)
  is cut, with its full length (`escaping.bounded`): a 1 MB path or user agent sent to make the answer
  unreadable (and every table row as wide as it) stays whole in `--json`/`--csv` and in the case.

The answer's layout is `exposure.terminal.answer`, the ingest's summary and progress `exposure.terminal.ingest`,
a target's timeline `exposure.terminal.timeline`, an inspection `exposure.terminal.inspection`.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any, TypeVar

from rich.console import Console
from rich.text import Text

from ..escaping import bounded, json_visible, visible
from ..plural import plural

if TYPE_CHECKING:
    import pandas as pd
    from rich.table import Table

    from ..findings import Finding

# A pipe or a file has no width: rich's default there is 80 columns, which cuts tables and wraps lines.
UNBOUNDED = 1_000_000
# Lines of one kind of stated fact listed on a terminal (the paths of a grouped finding, the findings of one kind,
# the streams whose byte counts were inferred or assumed); the rest are counted on one line. Every incomplete
# finding is listed whatever the number; the JSON answer, the report and `exposure sql findings` list every one.
STATED_SHOWN = 10
T = TypeVar("T")


def console(stderr: bool = False, file: IO[str] | None = None) -> Console:
    """A console for stdout (or stderr): a terminal's own width, else no width at all (a pipe, a file)."""
    probe = Console(stderr=stderr, file=file)
    if probe.is_terminal:
        return Console(stderr=stderr, file=file, highlight=False)
    return Console(stderr=stderr, file=file, highlight=False, width=UNBOUNDED, no_color=True)


def stdout() -> Console:
    return console()


def stderr() -> Console:
    return console(stderr=True)


def write_data(text: str, file: IO[str] | None = None, *, json_text: bool = False) -> None:
    """CSV or JSON output: byte for byte to a pipe or a file (the data as logged, for programs); on a terminal
    made visible, since a logged ESC or U+009B would otherwise run there: CSV line by line, JSON with JSON's own
    escapes (`json_visible`: it still decodes to the values as logged)."""
    out = file or sys.stdout
    if out.isatty():
        text = json_visible(text) if json_text else "\n".join(visible(line) for line in text.split("\n"))
    out.write(text)


def text(value: Any) -> Text:
    """A value as inert text: None is empty, a list is one item per line, everything visible."""
    if value is None:
        return Text("")
    if isinstance(value, list | tuple):
        return Text("\n".join(visible(bounded(str(v))) for v in value))
    return Text(visible(bounded(str(value))))


def say(out: Console, line: str, style: str | None = None) -> None:
    """One line, made visible, never markup, never wrapped by rich (a terminal wraps it itself)."""
    out.print(Text(visible(bounded(line)), style=style or ""), soft_wrap=True)


def say_all(out: Console, lines: Iterable[str], style: str | None = None) -> None:
    for line in lines:
        say(out, line, style)


def print_findings(out: Console, lines: Sequence[str]) -> None:
    """Findings about the evidence, one line each (paths in full): the one place they are printed."""
    say_all(out, lines)


def capped(lines: Sequence[str], more: Callable[[int], str]) -> list[str]:
    """The first STATED_SHOWN of `lines` (stated facts of one kind) and, when there are more, `more(n)` for the
    n left, on one line: a thousand small files or sixty one-file streams never flood the terminal."""
    if len(lines) <= STATED_SHOWN:
        return list(lines)
    return [*lines[:STATED_SHOWN], more(len(lines) - STATED_SHOWN)]


def capped_by(items: Sequence[T], kind: Callable[[T], str | None], line: Callable[[T], str],
              more: Callable[[str, int], str]) -> list[str]:
    """The lines of `items` in their order: every item of no kind (its evidence incomplete); of each kind the
    first STATED_SHOWN, then `more(kind, n)` for the n left (capped)."""
    groups: dict[str, list[T]] = {}
    for item in items:
        if (k := kind(item)) is not None:
            groups.setdefault(k, []).append(item)
    out = []
    for item in items:
        k = kind(item)
        if k is None:
            out.append(line(item))
        elif item is groups[k][0]:
            out += capped([line(g) for g in groups[k]], lambda n, k=k: more(k, n))
    return out


def finding_list(findings: Sequence[Finding], quiet: bool = False) -> list[str]:
    """Each finding's line (Finding.line, paths in full), in the list's order: every incomplete one; unless
    `quiet`, the stated ones too, capped per kind (the line after the last one listed counts the rest)."""
    return capped_by([f for f in findings if f.incomplete or not quiet],
                     lambda f: None if f.incomplete else f.kind, lambda f: f.line(),
                     lambda kind, n: f"stated: {kind}: {plural(n, '# more finding', '# more findings')} of this kind "
                                     "(each one in the JSON answer, the report and `exposure sql findings`)")


def shown_verdict(verdict: str, damaged: bool) -> str:
    """A file's verdict as the terminal says it: a file damaged before a line of it could be read (the registry's
    `not a log` with damage: an empty .gz, a rotation cut in its first block) is missing evidence, an incomplete
    finding (queries/findings.sql), so `incomplete`, never `not a log`."""
    return "incomplete" if verdict == "not a log" and damaged else verdict


def verdict_tally(files: Iterable[tuple[str, int | None, int | None, int | None, int | None]]) -> str:
    """`41 ingested (lines=... requests=... rejected=... skipped=...), 2 duplicate, 2 not a log` from (verdict,
    lines, requests, rejected, skipped) per file: the one wording of the evidence's verdicts (ingest and answer)."""
    files = list(files)
    ingested = [f for f in files if f[0] == "ingested"]
    parts = []
    if ingested:
        lines, requests, rejected, skipped = (sum(f[i] or 0 for f in ingested) for i in range(1, 5))
        parts.append(f"{len(ingested)} ingested (lines={lines} requests={requests} rejected={rejected} "
                     f"skipped={skipped})")
    parts += [f"{n} {v}" for v, n in sorted(Counter(f[0] for f in files).items()) if v != "ingested"]
    return ", ".join(parts)


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]],
          numeric: Iterable[str] = ()) -> Table:
    """A table whose cells are inert text; cells fold on a narrow terminal, never end in an ellipsis."""
    from rich.table import Table  # imported by the commands that print one (9 ms: ingest prints none)

    right = set(numeric)
    out = Table(title=text(title) if title is not None else None, title_justify="left", highlight=False)
    for col in columns:
        out.add_column(text(col), overflow="fold", justify="right" if col in right else "left")
    for row in rows:
        out.add_row(*(text(v) for v in row))
    return out


def print_frame(out: Console, df: pd.DataFrame, title: str | None = None) -> None:
    """A query result as a table of every row (`exposure sql`, `files`), then its row count."""
    from ..tabular import records

    rows = records(df)
    numeric = [str(c) for c in df.columns if df[c].dtype.kind in "iuf"]
    out.print(table(title, [str(c) for c in df.columns], [list(r.values()) for r in rows], numeric))
    say(out, plural(len(rows), "# row", "# rows"))
