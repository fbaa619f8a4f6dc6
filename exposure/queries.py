"""Named SQL from `queries/*.sql`, bound through DuckDB variables so analysts can run the same text by hand.

A file holds blocks introduced by `-- name: NAME`, followed by comment lines that say what the block
returns. Parameters are read with `getvariable('name')`; we set them with bound values (`SET VARIABLE
name = ?`), so log content and user input never become SQL text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from .errors import QueryError

QUERY_DIR = Path(__file__).resolve().parent.parent / "queries"
_NAME = re.compile(r"^--\s*name:\s*([A-Za-z_][A-Za-z0-9_]*)\s*$")
_VARIABLE = re.compile(r"getvariable\('([A-Za-z_][A-Za-z0-9_]*)'\)")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    file: str
    line: int  # 1-based line of the `-- name:` marker
    doc: str
    sql: str

    @property
    def parameters(self) -> list[str]:
        return sorted(set(_VARIABLE.findall(self.sql)))


def query_dir() -> Path:
    if QUERY_DIR.is_dir():
        return QUERY_DIR
    raise QueryError(f"query folder not found: {QUERY_DIR}")


def parse_file(path: Path) -> list[NamedQuery]:
    """Split one .sql file into its named blocks; a file without names is one block named after the file."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    marks = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _NAME.match(line))]
    if not marks:
        return [NamedQuery(path.stem, path.name, 1, "", text.strip())]
    out = []
    for k, (start, name) in enumerate(marks):
        end = marks[k + 1][0] if k + 1 < len(marks) else len(lines)
        body = lines[start + 1:end]
        doc_lines = []
        for line in body:
            if line.startswith("--"):
                doc_lines.append(line.lstrip("-").strip())
            else:
                break
        sql = "\n".join(body).strip()
        if not sql.replace("--", "").strip():
            raise QueryError(f"{path.name}:{start + 1}: query {name!r} has no SQL")
        out.append(NamedQuery(name, path.name, start + 1, " ".join(doc_lines), sql))
    return out


@cache
def load_all() -> dict[str, NamedQuery]:
    found: dict[str, NamedQuery] = {}
    for path in sorted(query_dir().glob("*.sql")):
        for q in parse_file(path):
            if q.name in found:
                other = found[q.name]
                raise QueryError(f"{path.name}:{q.line}: query {q.name!r} already defined in {other.file}:{other.line}")
            found[q.name] = q
    return found


def get(name: str) -> NamedQuery:
    queries = load_all()
    if name not in queries:
        raise QueryError(f"no query named {name!r} in {query_dir()}")
    return queries[name]


def bind(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> None:
    """Set each parameter as a DuckDB variable with a bound value (never interpolated into SQL)."""
    for key, value in params.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise QueryError(f"invalid parameter name: {key!r}")
        con.execute(f"SET VARIABLE {key} = ?", [value])


def statements(sql: str) -> list[str]:
    """Split a block into statements on semicolons at line ends (our files keep one statement per `;\\n`)."""
    parts = re.split(r";[ \t]*(?:\n|$)", sql)
    return [p.strip() for p in parts if _has_code(p)]


def _has_code(part: str) -> bool:
    return any(line.strip() and not line.strip().startswith("--") for line in part.splitlines())
