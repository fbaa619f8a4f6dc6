"""Named SQL from `queries/*.sql`, bound through DuckDB variables so analysts can run the same text by hand.

A file holds blocks introduced by `-- name: NAME`, followed by comment lines that say what the block returns
and two declarations, so that nothing about a block has to be guessed from its SQL:

    -- needs: target_macros, client_info     blocks run first (each once, in order), or tables the tool writes
    -- params: target_path, size?            its getvariable() parameters; `?`: optional, NULL means its default
                                             (a value the block sets itself, SET VARIABLE, is none)

Parameters are read with `getvariable('name')`; we set them with bound values (`SET VARIABLE name = ?`), so
log content and user input never become SQL text. The SQL ships inside the package (`exposure.sql`, mapped
onto the repository's `queries/` folder by pyproject.toml) and is read with importlib.resources.

An analyst's own .sql file may leave out `-- params:`: its parameters are then the getvariable() names it
reads, all required (tests/test_queries.py holds the project's own files to their declarations).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import duckdb

from .errors import QueryError

SQL_PACKAGE = "exposure.sql"
# Tables the tool writes before a query that needs them runs (a `-- needs:` entry that is not a block):
# client_info from --internal (and per target: network type, GeoIP/ASN), ua_class from the user agents,
# geoip_databases the databases used.
# stream_silences is kept in the case at ingest (exposure/derived.py).
PROVIDED_TABLES = ("client_info", "ua_class", "geoip_databases", "stream_silences")
_NAME = re.compile(r"^--\s*name:\s*([A-Za-z_][A-Za-z0-9_]*)\s*$")
_DECLARATION = re.compile(r"^--\s*(needs|params):\s*(.*?)\s*$")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_VARIABLE = re.compile(r"getvariable\('([A-Za-z_][A-Za-z0-9_]*)'\)")


@dataclass(frozen=True)
class Param:
    name: str
    optional: bool  # NULL (not given) means the query's default


@dataclass(frozen=True)
class NamedQuery:
    name: str
    file: str
    line: int  # 1-based line of the `-- name:` marker
    doc: str
    sql: str
    needs: tuple[str, ...] = ()  # blocks (or PROVIDED_TABLES) that must run / exist first, as declared
    params: tuple[Param, ...] | None = None  # as declared; None: not declared (an analyst's own file)

    @property
    def parameters(self) -> list[str]:
        """The block's parameter names, sorted: declared, or for an undeclared file those it reads."""
        if self.params is None:
            return sorted(set(_VARIABLE.findall(self.sql)))
        return sorted(p.name for p in self.params)

    @property
    def optional(self) -> set[str]:
        """Parameters that may be left unset (NULL means the query's default)."""
        return {p.name for p in self.params or () if p.optional}


def sql_root() -> Traversable:
    """The folder of the packaged SQL (the repository's queries/)."""
    try:
        return resources.files(SQL_PACKAGE)
    except ModuleNotFoundError:
        raise QueryError(f"the query package {SQL_PACKAGE} is not installed") from None


def query_dir() -> Path:
    """The packaged SQL as a file-system folder (a regular or editable install keeps the files on disk)."""
    root = sql_root()
    if isinstance(root, Path) and root.is_dir():
        return root
    path = Path(str(root))
    if path.is_dir():
        return path
    raise QueryError(f"query folder not found: {root}")


def _params(text: str, where: str) -> tuple[Param, ...]:
    out = []
    for item in (t.strip() for t in text.split(",")):
        if not item or item == "none":
            continue
        name = item.rstrip("?")
        if not _IDENT.fullmatch(name):
            raise QueryError(f"{where}: bad parameter '{item}' in -- params:")
        out.append(Param(name, item.endswith("?")))
    return tuple(out)


def _needs(text: str, where: str) -> tuple[str, ...]:
    out = tuple(t.strip() for t in text.split(",") if t.strip() and t.strip() != "none")
    bad = [n for n in out if not _IDENT.fullmatch(n)]
    if bad:
        raise QueryError(f"{where}: bad name '{bad[0]}' in -- needs:")
    return out


def _block(name: str, file: str, line: int, body: list[str]) -> NamedQuery:
    """A block from its lines after the marker: leading comments are its doc and declarations."""
    doc_lines: list[str] = []
    declared: dict[str, str] = {}
    for text in body:
        if not text.startswith("--"):
            break
        m = _DECLARATION.match(text)
        if m:
            if m.group(1) in declared:
                raise QueryError(f"{file}:{line}: query '{name}' declares -- {m.group(1)}: twice")
            declared[m.group(1)] = m.group(2)
        else:
            doc_lines.append(text.lstrip("-").strip())
    where = f"{file}:{line}"
    sql = "\n".join(body).strip()
    if not sql.replace("--", "").strip():
        raise QueryError(f"{where}: query '{name}' has no SQL")
    return NamedQuery(name, file, line, " ".join(d for d in doc_lines if d), sql,
                      needs=_needs(declared.get("needs", ""), where),
                      params=_params(declared["params"], where) if "params" in declared else None)


def parse_text(text: str, file: str, stem: str) -> list[NamedQuery]:
    """Split one .sql text into its named blocks; a text without names is one block named `stem`."""
    lines = text.splitlines()
    marks = [(i, m.group(1)) for i, line in enumerate(lines) if (m := _NAME.match(line))]
    if not marks:
        return [_block(stem, file, 1, lines)]
    out = []
    for k, (start, name) in enumerate(marks):
        end = marks[k + 1][0] if k + 1 < len(marks) else len(lines)
        out.append(_block(name, file, start + 1, lines[start + 1:end]))
    return out


def parse_file(path: Path | Traversable) -> list[NamedQuery]:
    """The named blocks of one .sql file."""
    return parse_text(path.read_text(encoding="utf-8"), path.name, Path(path.name).stem)


@cache
def load_all() -> dict[str, NamedQuery]:
    """Every named block of the packaged SQL (top-level files; queries/portable/ is another dialect)."""
    found: dict[str, NamedQuery] = {}
    files = sorted((f for f in sql_root().iterdir() if f.name.endswith(".sql") and f.is_file()),
                   key=lambda f: f.name)
    for path in files:
        for q in parse_file(path):
            if q.name in found:
                other = found[q.name]
                raise QueryError(f"{path.name}:{q.line}: query {q.name!r} already defined in {other.file}:{other.line}")
            found[q.name] = q
    return found


def get(name: str) -> NamedQuery:
    queries = load_all()
    if name not in queries:
        raise QueryError(f"no query named '{name}' in {SQL_PACKAGE} (queries/); named queries: "
                         f"{', '.join(sorted(queries))}; or give the path of a .sql file")
    return queries[name]


def named_query(text: str) -> NamedQuery:
    """A named query by NAME (`windows`), or the query of a .sql file (`queries/windows.sql`, your own file).
    A file with several named blocks runs the block named after the file (files.sql -> files)."""
    if not text.endswith(".sql") and "/" not in text and os.sep not in text:
        return get(text)
    path = Path(text)
    blocks: list[NamedQuery]
    if path.is_file():
        blocks = parse_file(path)
    elif path.parent.name == "queries" and (sql_root() / path.name).is_file():
        blocks = parse_file(sql_root() / path.name)
    else:
        raise QueryError(f"no query file {text}")
    if len(blocks) == 1:
        return blocks[0]
    for block in blocks:
        if block.name == path.stem:
            return block
    raise QueryError(f"{path} holds several queries ({', '.join(b.name for b in blocks)}): give one by name")


def needed_blocks(query: NamedQuery) -> list[NamedQuery]:
    """The blocks `query` declares it needs, and theirs, each once, every block after the blocks it needs."""
    out: list[NamedQuery] = []
    seen: set[str] = set()

    def visit(block: NamedQuery, chain: tuple[str, ...]) -> None:
        for need in block.needs:
            if need in PROVIDED_TABLES or need in seen:
                continue
            if need in chain:
                raise QueryError(f"query {block.name!r} ({block.file}) needs {need!r}, which needs it back")
            dep = get(need)
            visit(dep, (*chain, need))
            seen.add(need)
            out.append(dep)

    visit(query, (query.name,))
    return out


def needed_tables(query: NamedQuery) -> set[str]:
    """The tool-written tables (PROVIDED_TABLES) `query` or a block it needs declares."""
    return {n for b in [*needed_blocks(query), query] for n in b.needs if n in PROVIDED_TABLES}


def bind(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> None:
    """Set each parameter as a DuckDB variable with a bound value (never interpolated into SQL)."""
    for key, value in params.items():
        if not _IDENT.fullmatch(key):
            raise QueryError(f"invalid parameter name: '{key}'")
        con.execute(f"SET VARIABLE {key} = ?", [value])


def held(con: duckdb.DuckDBPyConnection, names: Sequence[str]) -> dict[str, tuple[Any, str]]:
    """What each variable holds now, as DuckDB writes it (text: INTERVAL '1 month' and '30 days', -0.0 and 0.0 stay
    apart, as they would not as Python values), with its DuckDB type, read in one statement (never set: NULL)."""
    for name in names:
        if not _IDENT.fullmatch(name):
            raise QueryError(f"invalid parameter name: '{name}'")
    if not names:
        return {}
    row = con.execute("SELECT " + ", ".join(f"getvariable('{n}')::VARCHAR, typeof(getvariable('{n}'))" for n in names)
                      ).fetchall()[0]  # read to its end: DuckDB 2.0 holds the connection for an unfinished result
    return {n: (row[2 * i], row[2 * i + 1]) for i, n in enumerate(names)}


def finish_open_result(con: duckdb.DuckDBPyConnection) -> None:
    """Run a result the connection has not read to its end to its end (DuckDB 2.0: an open result blocks other
    work on the connection, and one reading a registered view would go on reading what it shows next)."""
    complete = getattr(con, "complete", None)
    if complete is not None:
        complete()


def register(con: duckdb.DuckDBPyConnection, name: str, data: Any) -> None:
    """Make `data` (a pandas DataFrame or an Arrow table) readable in SQL as the view `name`: the one way Python
    data reaches a query (case connections have replacement scans off, so no query reads a variable by name).
    A result the connection has not read to its end is run to its end first (DuckDB refuses to register
    while one is open; nothing of it is read afterwards)."""
    finish_open_result(con)
    con.register(name, data)


def unregister(con: duckdb.DuckDBPyConnection, *names: str) -> None:
    """Drop registered views (a name never registered is fine)."""
    finish_open_result(con)
    for name in names:
        con.unregister(name)


def statements(sql: str) -> list[str]:
    """Split a block into statements on semicolons at line ends (our files keep one statement per `;\\n`); a
    comment line ending in one ends none (a statement split there ran half of itself: a parser error)."""
    parts: list[str] = []
    lines: list[str] = []
    for line in sql.splitlines():
        code = line.rstrip(" \t")
        if code.endswith(";") and not code.lstrip().startswith("--"):
            lines.append(code[:-1])
            parts.append("\n".join(lines))
            lines = []
        else:
            lines.append(line)
    parts.append("\n".join(lines))
    return [p.strip() for p in parts if _has_code(p)]


_MACRO_DEFINITION = re.compile(r"CREATE\s+OR\s+REPLACE\s+TEMP(ORARY)?\s+MACRO\s", re.IGNORECASE)


def defines_macros_only(block: NamedQuery) -> bool:
    """Whether every statement of the block defines a temporary macro (CREATE OR REPLACE TEMP MACRO), nothing else:
    no table, view, row or variable."""
    stmts = [_code(s) for s in statements(block.sql)]
    return bool(stmts) and all(_MACRO_DEFINITION.match(s) for s in stmts)


def _code(stmt: str) -> str:
    """A statement without its leading comment lines."""
    lines = stmt.splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("--")):
        lines.pop(0)
    return "\n".join(lines).lstrip()


def run(con: duckdb.DuckDBPyConnection, block: NamedQuery) -> None:
    """Run every statement of a named block (definitions: macros, temporary tables) on `con`."""
    for stmt in statements(block.sql):
        con.execute(stmt)


def _has_code(part: str) -> bool:
    return any(line.strip() and not line.strip().startswith("--") for line in part.splitlines())


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert rows (column name -> value; a column a row does not give is NULL) in one statement: each column
    bound as one typed list and unnested (no parameter per value, no Python objects turned into Arrow, which
    would import pandas)."""
    if not rows:
        return
    names = list(dict.fromkeys(name for row in rows for name in row))
    insert_columns(con, table, {n: [row.get(n) for row in rows] for n in names})


def insert_columns(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, list[Any]],
                   constants: dict[str, Any] | None = None) -> None:
    """Insert rows given as columns of equal length (a column not given is NULL), as insert_rows does;
    `constants` are columns with one value for every row (bound once)."""
    if not columns or not next(iter(columns.values())):
        return
    constants = constants or {}
    types = {r[0]: r[1] for r in con.execute(f"DESCRIBE {table}").fetchall()}  # the table a query would find
    names = [*columns, *constants]
    unknown = [n for n in names if n not in types]
    if unknown:
        raise ValueError(f"{table} has no columns {unknown}")
    cols = ", ".join(f"unnest(${i}::{types[n]}[]) AS {n}" if n in columns else f"${i}::{types[n]} AS {n}"
                     for i, n in enumerate(names, 1))
    con.execute(f"INSERT INTO {table} BY NAME SELECT {cols}",  # noqa: S608
                [*columns.values(), *constants.values()])
