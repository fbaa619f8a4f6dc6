"""The case connection's sandbox: what SQL run on a case may reach, and the one line that says it was refused.

A case is opened with DuckDB's external access off: no statement can read or write a file other than the
case itself (`COPY ... TO`, `read_text`, `read_csv`, `ATTACH`, `EXPORT DATABASE`, `glob`), reach the network
(`https://` paths) or install and load extensions (`INSTALL httpfs`, `LOAD`). These switches are fixed when
the database starts: `SET enable_external_access = true` is refused while it runs. Nothing the tool does needs
them: evidence is read by Python and reaches DuckDB as registered Arrow data, the Parquet export is written
by pyarrow, DuckDB's own spill files are not external access.

The configuration is then locked (`lock_configuration`), so no statement changes a setting (memory, threads,
temp folder, profiling output, logging to a file): at once for a read-only case (the SQL door of `exposure
sql`, notebooks), and on a writable case at the first ad-hoc query (`Case.sql`, `Case.query`), because an
ingest before it still sets its memory limit.
"""

from __future__ import annotations

import duckdb

# Fixed at connect time; DuckDB refuses to turn any of them back on while the database runs.
CONNECT_CONFIG: dict[str, str | bool] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}

REFUSED = ("refused: SQL on a case runs sandboxed (no files but the case, no network, no extensions, "
           "no settings)")
_LOCKED = "the configuration has been locked"
_EXTERNAL = ("disabled by configuration", "disabled through configuration", "Cannot enable external access",
             "while database is running")


# What ad-hoc SQL may run on a case: statements that read. A writable case would otherwise take an UPDATE of
# the registry or a CREATE OR REPLACE of the view a citation reads from the notebook door; the seal notices such
# a change only on the next command, and a replaced view stops the next answer.
# (Not EXPLAIN: EXPLAIN ANALYZE runs the statement it explains.)
READING = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.PRAGMA, duckdb.StatementType.CALL,
                     duckdb.StatementType.SET, duckdb.StatementType.VARIABLE_SET})


def reads_only(con: duckdb.DuckDBPyConnection, query: str) -> str | None:
    """The one line refusing `query` when one of its statements would change the case (None: it only reads)."""
    for statement in con.extract_statements(query):
        if statement.type not in READING:
            return (f"{REFUSED}: ad-hoc SQL reads the case and never changes it, and this is a "
                    f"{statement.type.name} statement")
    return None


def lock(con: duckdb.DuckDBPyConnection) -> None:
    """Lock the connection's configuration for the rest of its life (idempotent)."""
    if not locked(con):
        con.execute("SET lock_configuration = true")


def locked(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT current_setting('lock_configuration')").fetchall()[0][0])


def first_line(exc: BaseException) -> str:
    """DuckDB's message in one line (it may span lines: a caret under the statement, a hint), raw: the door that
    shows it makes it visible (exposure/terminal, the report), once."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    return lines[0] if lines else type(exc).__name__


def refusal(exc: duckdb.Error) -> str | None:
    """The one line for a statement the sandbox refused (None: another error)."""
    text = str(exc)
    if isinstance(exc, duckdb.PermissionException) or _LOCKED in text or any(s in text for s in _EXTERNAL):
        return f"{REFUSED}: {first_line(exc)}"
    return None
