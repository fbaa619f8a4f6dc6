"""Red team 10: with two targets or more (several --target, --under, --target-glob) every target after the first
listed as "possible copy (spelling): perhaps downloads of the target" each path holding its file name anywhere
(`/old/b.pdf` for `/docs/b.pdf`) and each path with a letter beyond ASCII, whatever its size: the statement that
keeps only the spellings (possible_copies.sql `DELETE FROM copy_spellings ...`) was taken for a definition and run
once per connection (analysis/analyser.py bind_copies). A false finding on page 1, the terminal and the JSON."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from exposure.cli import app
from tests.conftest import write_log
from tests.logs import clf, t


def test_the_second_target_has_only_its_own_spellings(tmp_path: Path) -> None:
    lines = [clf("198.51.100.1", t(8, 10), "/docs/a.pdf", size=1000),
             clf("198.51.100.2", t(8, 10, 1), "/docs/b.pdf", size=2000),
             clf("198.51.100.3", t(8, 10, 2), "/old/b.pdf", size=777),           # another file of the same name
             clf("198.51.100.4", t(8, 10, 3), "/docs/r\u00e9sum\u00e9.pdf", size=555),  # a name beyond ASCII
             clf("198.51.100.5", t(8, 10, 4), "/docs//b.pdf", status=206, size=100),  # b.pdf spelled otherwise
             clf("192.0.2.9", t(8, 12), "/docs/a.pdf", status=404, size=10)]
    log = write_log(tmp_path / "logs" / "access.log", lines)
    answer_file = tmp_path / "a.json"
    for order in (["/docs/a.pdf", "/docs/b.pdf"], ["/docs/b.pdf", "/docs/a.pdf"]):
        args = ["analyse", str(log), *[x for p in order for x in ("--target", p)], "--json", str(answer_file)]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        copies = {tg["path"]: [c["path"] for c in tg["possible_copies"]]
                  for tg in json.loads(answer_file.read_text(encoding="utf-8"))["targets"]}
        assert copies == {"/docs/a.pdf": [], "/docs/b.pdf": ["/docs//b.pdf"]}, order
