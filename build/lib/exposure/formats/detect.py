"""Cheap format detection on a sample of a file's first lines (the full grammar runs at ingest)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from . import clf
from .base import LogFormat, sql_literal
from .registry import all_formats, detection_formats

SAMPLE_LINES = 200
MIN_MATCH_RATIO = 0.3  # below this share of sample lines matching, the file is "not a log"


@dataclass(frozen=True)
class Detection:
    format: LogFormat | None  # None: not a log
    matched: int
    sampled: int

    @property
    def ratio(self) -> float:
        return self.matched / self.sampled if self.sampled else 0.0


def sample_lines(content_head: bytes) -> list[str]:
    """Up to SAMPLE_LINES non-blank lines from the head of the content (the last, maybe cut, line dropped)."""
    lines = content_head.split(b"\n")
    if len(lines) > 1 and not content_head.endswith(b"\n"):
        lines = lines[:-1]
    out = []
    for raw in lines:
        text = raw.decode("utf-8", errors="replace").rstrip("\r")
        if text.strip() and not text.startswith("#"):
            out.append(text)
        if len(out) >= SAMPLE_LINES:
            break
    return out


def detect_format(con: duckdb.DuckDBPyConnection, content_head: bytes) -> Detection:
    """The format whose pattern matches most sample lines, or no format when too few lines match any."""
    texts = sample_lines(content_head)
    head_text = content_head[:16384].decode("utf-8", errors="replace")
    header_hits = [fmt for fmt in all_formats() if fmt.options.get("header_marker")
                   and fmt.options["header_marker"] in head_text
                   and re.search(fmt.options.get("header_regex", ""), head_text)]
    if not texts and not header_hits:
        return Detection(None, 0, 0)
    # a temporary table from a bound list (building Arrow arrays from Python objects would import pandas)
    con.execute("CREATE OR REPLACE TEMP TABLE sample AS SELECT unnest($1::VARCHAR[]) AS text", [texts])
    try:
        return _best_format(con, texts, header_hits)
    finally:
        con.execute("DROP TABLE IF EXISTS sample")


def _best_format(con: duckdb.DuckDBPyConnection, texts: list[str], header_hits: list[LogFormat]) -> Detection:
    best: LogFormat | None = None
    best_hits = 0
    for fmt in detection_formats():
        if not fmt.detect_regex:
            continue
        hits = con.execute(
            f"SELECT count(*) FROM sample WHERE regexp_matches(text, {sql_literal(fmt.detect_regex)})"
        ).fetchone()[0]
        if hits > best_hits:
            best, best_hits = fmt, hits
    # a header names the format; a line pattern of the same family (IIS without #Fields) does not overrule it
    if header_hits and (not texts or best_hits < len(texts) * MIN_MATCH_RATIO
                        or (best is not None and best.family == header_hits[0].family)):
        return Detection(header_hits[0], len(texts), len(texts))
    if best is None or best_hits < max(1, len(texts) * MIN_MATCH_RATIO):
        return Detection(None, best_hits, len(texts))
    if best.family == "clf":
        row = con.execute(clf.SAMPLE_STATS_SQL).fetchone()
        best = clf.refine({"matched": row[0], "vhost": row[1], "agent": row[2]})
    return Detection(best, best_hits, len(texts))
