"""The case-info TOML is typed by the investigator, yet printed on page 1 as it is (its title in the heading, the
case id and report version in the identity line and the running header): a right-to-left override in the title
read "report exe.pdf" on the page, and a 2,000-character title pushed the evidence status off page 1. Both are
refused with one line saying which key and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.errors import InputError
from exposure.report.caseinfo import PAGE_ONE_FACT, load_case_info


def _toml(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "case.toml"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(("key", "char"), [("title", "\u202e"), ("id", "\u200b"), ("controller", "\x1b")])
def test_an_invisible_character_in_a_case_fact_is_refused(tmp_path: Path, key: str, char: str) -> None:
    path = _toml(tmp_path, f'[case]\n{key} = "Leak of report\\u{ord(char):04X}fdp.exe"\n')  # a TOML escape
    with pytest.raises(InputError, match=rf"case info: case.{key} holds the invisible character U\+{ord(char):04X}"):
        load_case_info(path)


def test_line_breaks_and_tabs_in_a_long_fact_are_kept(tmp_path: Path) -> None:
    info = load_case_info(_toml(tmp_path, '[breach]\nconsequences = """First line.\n\tSecond line."""\n'))
    assert info.consequences == "First line.\n\tSecond line."


@pytest.mark.parametrize("key", ["title", "id", "report_version"])
def test_a_page_one_fact_longer_than_a_line_is_refused(tmp_path: Path, key: str) -> None:
    fits = load_case_info(_toml(tmp_path, f'[case]\n{key} = "{"x" * PAGE_ONE_FACT}"\n'))
    assert fits is not None
    with pytest.raises(InputError, match=rf"case info: case.{key} is 201 characters long: page 1 prints it whole"):
        load_case_info(_toml(tmp_path, f'[case]\n{key} = "{"x" * (PAGE_ONE_FACT + 1)}"\n'))


@pytest.mark.parametrize("name", ["\u0645\u0647\u200c\u0633\u0627", "\u0639\u0644\u064a\u200f", "Ge\u00admeen\u00adte",
                                  "Zo\u00eb \u2013 caf\u00e9"], ids=["persian-zwnj", "arabic-rlm", "soft-hyphen", "dutch"])
def test_the_marks_a_script_needs_are_kept(tmp_path: Path, name: str) -> None:
    """A Persian name needs its zero-width non-joiner, an Arabic one may carry a right-to-left mark, Dutch text a
    soft hyphen: none reorders or hides text (the value sits in its own <bdi>); refusing them misspelled names."""
    assert load_case_info(_toml(tmp_path, f'[case]\ncontroller = "{name}"\n')).controller == name
