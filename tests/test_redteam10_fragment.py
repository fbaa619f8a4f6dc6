"""Red team 10: a request target with a fragment (`GET /docs/x.xlsx#a`). Browsers never send one, but a client
the adversary writes can; Apache (apr_uri_parse) and nginx end the path at `#` and serve the file, and the log
keeps the `#a`. The case stores the path `/docs/x.xlsx#a`, another path: a range download under it (206
parts, no response with the target's size) was neither counted nor listed ("possible copies: none"). It is now
a possible copy by spelling (queries/possible_copies.sql server_spelling drops a fragment), listed whatever
its size, never counted unless --alias says so."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from exposure.cli import app
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/x.xlsx"


def test_a_download_under_a_fragment_is_listed_as_a_spelling(tmp_path: Path) -> None:
    lines = [clf("192.0.2.1", t(8, 10), TARGET, size=5000),
             clf("198.51.100.1", t(8, 11, 0, 0), TARGET + "#a", status=206, size=2000),
             clf("198.51.100.1", t(8, 11, 0, 1), TARGET + "#a", status=206, size=3000),
             clf("198.51.100.2", t(8, 11, 5), "/docs/y.xlsx#x.xlsx", status=206, size=3000),
             clf("192.0.2.9", t(9, 12), TARGET, status=404, size=200)]
    log = write_log(tmp_path / "logs" / "access.log", lines)
    answer_file = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["analyse", str(log), "--target", TARGET, "--json", str(answer_file)])
    assert result.exit_code == 0, result.output
    target = json.loads(answer_file.read_text(encoding="utf-8"))["targets"][0]
    assert target["totals"]["complete_downloads"] == 1  # the target's own 200; the fragment is not counted
    # another file whose fragment happens to hold the name is no spelling of the target
    [copy] = target["possible_copies"]
    assert (copy["path"], copy["size_match"], copy["matching_responses"]) == (TARGET + "#a", "spelling", 2)
    assert "a #fragment" in result.output
