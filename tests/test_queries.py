"""Named queries declare what they need (`-- needs:`) and their parameters (`-- params:`) in their own file, and
the declarations are true: every parameter a block reads with getvariable() is declared and nothing else,
every need exists, and the SQL ships inside the package."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from exposure import Case, QueryError
from exposure.queries import (
    PROVIDED_TABLES,
    load_all,
    named_query,
    needed_blocks,
    parse_text,
    query_dir,
    sql_root,
)

ROOT = Path(__file__).resolve().parent.parent
TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"
READS = re.compile(r"getvariable\('([A-Za-z_][A-Za-z0-9_]*)'\)")
SETS = re.compile(r"^\s*SET\s+VARIABLE\s+([A-Za-z_][A-Za-z0-9_]*)\b", re.IGNORECASE | re.MULTILINE)


def _code(sql: str) -> str:
    """The SQL without comments (a comment may mention a parameter it does not read)."""
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


BLOCKS = sorted(load_all().values(), key=lambda q: q.name)


@pytest.mark.parametrize("block", BLOCKS, ids=[b.name for b in BLOCKS])
def test_declared_parameters_are_the_ones_read(block) -> None:
    """A value the block sets itself (SET VARIABLE, possible_copies.sql copy_size_edges) is no parameter."""
    read = set(READS.findall(_code(block.sql))) - set(SETS.findall(_code(block.sql)))
    if read:
        assert block.params is not None, f"{block.file}:{block.line} {block.name}: add -- params: {sorted(read)}"
    assert set(block.parameters) == read, f"{block.file}:{block.line} {block.name}"


@pytest.mark.parametrize("block", BLOCKS, ids=[b.name for b in BLOCKS])
def test_every_need_exists(block) -> None:
    names = set(load_all())
    for need in block.needs:
        assert need in names or need in PROVIDED_TABLES, f"{block.file}:{block.line} {block.name} needs {need!r}"
    needed_blocks(block)  # resolves, no cycle


def test_target_queries_need_target_macros() -> None:
    for name in ("windows", "downloads", "per_ip", "totals", "timeline", "report_target_requests"):
        assert [b.name for b in needed_blocks(load_all()[name])] == ["download_rule", "figure_macros",
                                                                     "target_macros"]
    assert [b.name for b in needed_blocks(load_all()["client_profiles"])] == ["download_rule", "figure_macros",
                                                                              "target_macros", "client_claims"]
    # the download rule is one block that both doors need (queries/downloads_rule.sql), and so are the answer's
    # figures (queries/totals.sql figure_macros: totals and `files` read the same definitions)
    assert [b.name for b in needed_blocks(load_all()["files"])] == ["download_rule", "file_spellings", "files_requests",
                                                                    "figure_macros"]
    target = load_all()["target_macros"]
    assert target.optional == {"target_host", "target_aliases", "target_alias_alts", "target_folded", "size"}
    assert set(target.parameters) == {"target_path", "target_alt", "target_host", "target_aliases",
                                      "target_alias_alts", "target_folded", "size", "range_gap_minutes"}
    # possible copies run over the target's macros (its windows) and `files`' one rule of which spellings are one
    # file (file_spellings), with no parameter of their own
    assert [b.name for b in needed_blocks(load_all()["possible_copies"])] == ["download_rule", "figure_macros",
                                                                              "target_macros", "copy_matches",
                                                                              "file_spellings", "copy_macros"]
    assert set(load_all()["copy_macros"].parameters) <= set(target.parameters)
    assert set(load_all()["copy_matches"].parameters) <= set(target.parameters)


def test_declarations_are_parsed() -> None:
    text = ("-- name: a\n-- What a returns.\n-- needs: b\n-- params: x, y?\nSELECT getvariable('x'), getvariable('y');\n"
            "-- name: b\n-- params: none\nCREATE OR REPLACE TEMP MACRO bm() AS TABLE SELECT 1;\n")
    a, b = parse_text(text, "t.sql", "t")
    assert (a.name, a.doc, a.needs, a.parameters, a.optional) == ("a", "What a returns.", ("b",), ["x", "y"], {"y"})
    assert (b.needs, b.parameters, b.params) == ((), [], ())
    # an analyst's own file without -- params: takes the names it reads, all required
    [own] = parse_text("SELECT getvariable('ip');\n", "mine.sql", "mine")
    assert (own.name, own.params, own.parameters, own.optional) == ("mine", None, ["ip"], set())
    with pytest.raises(QueryError, match="bad parameter"):
        parse_text("-- name: c\n-- params: x-y\nSELECT 1;\n", "t.sql", "t")


def test_a_cycle_of_needs_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = {q.name: q for q in parse_text("-- name: p\n-- needs: q\nSELECT 1;\n-- name: q\n-- needs: p\nSELECT 2;\n",
                                            "t.sql", "t")}
    monkeypatch.setattr("exposure.queries.get", lambda name: blocks[name])
    with pytest.raises(QueryError, match="needs it back"):
        needed_blocks(blocks["p"])


def test_sql_ships_in_the_package() -> None:
    """The queries are read through importlib.resources from exposure.sql, which is the repository's queries/
    in a development install (the wheel test checks the installed copy)."""
    assert query_dir().resolve() == (ROOT / "queries").resolve()
    assert (sql_root() / "target.sql").is_file() and (sql_root() / "portable" / "windows_downloads.sql").is_file()
    assert named_query("queries/windows.sql").name == "windows"


def test_optional_parameters_reset_and_required_ones_enforced(sample_case_path: Path) -> None:
    with Case(sample_case_path, read_only=True) as case:
        default = case.query("gaps")
        assert len(case.query("gaps", gap_minutes=500)) < len(default)  # declared gap_minutes?: NULL = 60
        assert len(case.query("gaps")) == len(default)  # unset again: back to the default
        with pytest.raises(Exception, match="has no parameter size"):
            case.query("gaps", size=3)
        windows = case.query("windows", target=TARGET)
        assert list(windows["window"]) == [1, 2]


def test_a_python_variable_is_never_read_by_name(sample_case_path: Path) -> None:
    """Replacement scans are off on a case: SQL reads only registered frames and tables, never a local."""
    leaked = pd.DataFrame({"client": ["84.29.143.61"]})  # a local of the frame that runs the SQL below
    with Case(sample_case_path, read_only=True) as case:
        with pytest.raises(duckdb.CatalogException, match="leaked"):
            case.con.execute("SELECT * FROM leaked")  # a replacement scan would find the local right here
        with case.file.registered("leaked", leaked):
            assert case.sql("SELECT count(*) AS n FROM leaked")["n"].tolist() == [1]
        with pytest.raises(QueryError):
            case.sql("SELECT * FROM leaked")  # unregistered when the block ends


def test_a_comment_line_ending_in_a_semicolon_ends_no_statement() -> None:
    """rt7fix: a comment in findings.sql that ended in `);` split the query there: `exposure sql findings` failed
    with a parser error while the answer (which runs the block whole) worked."""
    from exposure.queries import statements

    sql = "CREATE TEMP MACRO m() AS 1;\nSELECT 1 AS a,\n  -- a comment (one that ends in a semicolon);\n  2 AS b;\n"
    assert statements(sql) == ["CREATE TEMP MACRO m() AS 1", "SELECT 1 AS a,\n  -- a comment (one that ends in a "
                                                             "semicolon);\n  2 AS b"]
    assert statements("SELECT 1;  \n-- only a comment;\n") == ["SELECT 1"]
