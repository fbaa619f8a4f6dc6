"""Cheap format detection on a sample of a file's first lines (the full grammar runs at ingest)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import duckdb

from . import clf, unread, w3c
from .base import LogFormat, sql_literal
from .registry import all_formats, detection_formats, get_format

SAMPLE_LINES = 200
MIN_MATCH_RATIO = 0.3  # below this share of sample lines matching, the file is "not a log"


@dataclass(frozen=True)
class Detection:
    format: LogFormat | None  # None: not a log
    matched: int
    sampled: int
    unread: str | None = None  # no format: what access log it looks like that the tool does not read

    @property
    def ratio(self) -> float:
        return self.matched / self.sampled if self.sampled else 0.0


def sample_lines(content_head: bytes) -> list[str]:
    """Up to SAMPLE_LINES non-blank lines from the head of the content (the last, maybe cut, line dropped)."""
    # decoded at once: "\n" is never part of a UTF-8 sequence, so each line decodes as it would alone
    lines = content_head.decode("utf-8", errors="replace").split("\n")
    if len(lines) > 1 and not content_head.endswith(b"\n"):
        lines = lines[:-1]
    out = []
    for raw in lines:
        text = raw.rstrip("\r")
        if text.strip() and not text.startswith("#"):
            out.append(text)
            if len(out) >= SAMPLE_LINES:
                break
    return out


def detect_format(con: duckdb.DuckDBPyConnection, content_head: bytes) -> Detection:
    """The format whose pattern matches most sample lines, or no format when too few lines match any."""
    return detect_formats(con, [content_head])[0]


def detect_formats(con: duckdb.DuckDBPyConnection, heads: list[bytes]) -> list[Detection]:
    """`detect_format` of each content head, every sample matched in one query (thousands of small files cost
    one scan, not one per file and pattern)."""
    texts = [sample_lines(head) for head in heads]
    header_hits = [_header_hits(head) for head in heads]
    files = [i for i, (t, h) in enumerate(zip(texts, header_hits, strict=True)) if t or h]
    hits: dict[int, list[int]] = {}
    stats: dict[int, tuple[int, int, int, int]] = {}
    shapes: dict[int, str] = {}
    if files:
        # a temporary table from bound lists (building Arrow arrays from Python objects would import pandas):
        # one text per file, its sample lines joined by "\n" (no sample line holds one) and split again in SQL,
        # so ten thousand files bind ten thousand values, not two hundred thousand
        con.execute("CREATE OR REPLACE TEMP TABLE sample AS SELECT f, unnest(string_split(lines, chr(10))) AS text "
                    "FROM (SELECT unnest($1::INTEGER[]) AS f, unnest($2::VARCHAR[]) AS lines) WHERE lines <> ''",
                    [files, ["\n".join(texts[i]) for i in files]])
        try:
            hits = _hits(con)
            # each file's winner before the CLF family's statistics: those (a 9-group pattern per line) are
            # matched only for the files CLF wins; the files no format fits are told apart as an access log we
            # do not read or a file that is no log
            first = {i: _best_format(hits.get(i, _no_hits()), (0, 0, 0, 0), len(texts[i]), header_hits[i]).format
                     for i in files}
            clf_files = [i for i, fmt in first.items() if fmt is not None and fmt.family == "clf"]
            unfit = [i for i, fmt in first.items() if fmt is None]
            shapes = _unread_shapes(con, unfit, texts) if unfit else {}
            if clf_files:
                con.execute("DELETE FROM sample WHERE NOT list_contains(?, f)", [clf_files])
                stats = {r[0]: tuple(r[1:]) for r in con.execute(clf.SAMPLE_STATS_SQL).fetchall()}
        finally:
            con.execute("DROP TABLE IF EXISTS sample")
    sampled = set(files)  # not `in files`: ten thousand files, a list scanned for each
    out = [_best_format(hits.get(i, _no_hits()), stats.get(i, (0, 0, 0, 0)), len(texts[i]), header_hits[i])
           if i in sampled else Detection(None, 0, 0) for i in range(len(heads))]
    return [Detection(None, d.matched, d.sampled, shapes[i]) if i in shapes and d.format is None else d
            for i, d in enumerate(out)]


def _unread_shapes(con: duckdb.DuckDBPyConnection, unfit: list[int], texts: list[list[str]]) -> dict[int, str]:
    """Per file of `unfit` whose sample lines mostly have the shape of an access log the tool does not read
    (formats/unread.py): that shape's name."""
    out = {}
    for f, n in _matches(con, [p for _, p in unread.SHAPES], unfit).items():
        best = max(range(len(n)), key=lambda k: (n[k], -k))
        if n[best] >= max(1, len(texts[f]) * MIN_MATCH_RATIO):
            out[f] = unread.SHAPES[best][0]
    return out


def _no_hits() -> list[int]:
    return [0] * len(_patterned())


def _header_hits(content_head: bytes) -> list[LogFormat]:
    """The formats whose header lines (lines that begin with '#', within the first 16 KiB) the content holds:
    a marker or header pattern inside a logged value (a user agent `curl+#Fields:`) names no format."""
    raw = content_head[:16384]
    marked = [fmt for fmt, marker in _headed() if marker in raw]  # most files name no header: no decoding
    if not marked:
        return []
    head_text = "\n".join(line for line in (raw_line.lstrip("\ufeff\x00") for raw_line in
                                             raw.decode("utf-8", errors="replace").splitlines())
                          if line.startswith("#"))
    return [fmt for fmt in marked if fmt.options["header_marker"] in head_text
            and re.search(fmt.options.get("header_regex", ""), head_text)]


def forced_format(name: str, options: dict[str, Any] | None, sample: bytes) -> LogFormat:
    """The format `--format NAME` reads a file with, given its first bytes: `iis` names both IIS forms (as
    `exposure formats` lists them), so a file whose header lines name no IIS header is read as IIS without its
    header, the one test detection makes (`_header_hits`)."""
    fmt = get_format(name, options)
    if fmt is w3c.IIS and w3c.IIS not in _header_hits(sample):
        return w3c.IIS_ASSUMED
    return fmt


@cache
def _headed() -> tuple[tuple[LogFormat, bytes], ...]:
    """The formats a header names, with their marker as UTF-8 (the registry is fixed for the process)."""
    return tuple((fmt, fmt.options["header_marker"].encode("utf-8")) for fmt in all_formats()
                 if fmt.options.get("header_marker"))


@cache
def _patterned() -> tuple[LogFormat, ...]:
    """The formats with a line pattern, in detection order (the registry is fixed for the process)."""
    return tuple(fmt for fmt in detection_formats() if fmt.detect_regex)


def _hits(con: duckdb.DuckDBPyConnection) -> dict[int, list[int]]:
    """Per sampled file: the lines each patterned format matches (a pattern several formats share, as the CLF
    family's members do, is matched once)."""
    patterns = list(dict.fromkeys(fmt.detect_regex for fmt in _patterned()))
    at = [patterns.index(fmt.detect_regex) for fmt in _patterned()]
    return {f: [n[i] for i in at] for f, n in _matches(con, patterns).items()}


def _matches(con: duckdb.DuckDBPyConnection, patterns: list[str], files: list[int] | None = None
             ) -> dict[int, list[int]]:
    """Per sampled file (of `files`, or every one): how many of its sample lines each pattern matches."""
    counts = ", ".join(f"count(*) FILTER (WHERE regexp_matches(text, {sql_literal(p)}))" for p in patterns)
    where = "" if files is None else "WHERE list_contains(?, f) "
    rows = con.execute(f"SELECT f, {counts} FROM sample {where}GROUP BY f", [] if files is None else [files])
    return {r[0]: list(r[1:]) for r in rows.fetchall()}


def _best_format(hits: list[int], clf_stats: tuple[int, int, int, int], sampled: int,
                 header_hits: list[LogFormat]) -> Detection:
    best: LogFormat | None = None
    best_hits = 0
    for fmt, n in zip(_patterned(), hits, strict=True):
        if n > best_hits:
            best, best_hits = fmt, n
    # a header names the format; a line pattern of the same family (IIS without #Fields) does not overrule it
    if header_hits and (not sampled or best_hits < sampled * MIN_MATCH_RATIO
                        or (best is not None and best.family == header_hits[0].family)):
        return Detection(header_hits[0], sampled, sampled)
    if best is None or best_hits < max(1, sampled * MIN_MATCH_RATIO):
        return Detection(None, best_hits, sampled)
    if best.family == "clf":
        best = clf.refine({"matched": clf_stats[0], "vhost": clf_stats[1], "agent": clf_stats[2],
                           "host_ident": clf_stats[3]})
    return Detection(best, best_hits, sampled)
