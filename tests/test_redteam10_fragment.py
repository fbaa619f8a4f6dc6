"""Red team 10 review: a `#fragment` was taken for the target spelled otherwise (possible_copies.sql
server_spelling dropped everything from `#`). But paths are stored percent-decoded: `GET /docs/x.xlsx%231` asks
for another file, literally named `x.xlsx#1` (Apache and nginx serve it as that file), and was listed as "the
target's path spelled another way: perhaps downloads of the target"; a target whose own name holds an encoded `#`
(`/docs/C%23-guide.pdf`) was compared as `/docs/C`, so `C#-guide.pdf.bak` spelled it. The stored path cannot tell
a literal `#` from `%23`, so a fragment is no spelling (a literal `GET /docs/x.xlsx#a` is another path, listed
when it served the target's size, as any other path)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from exposure.cli import app
from tests.conftest import write_log
from tests.logs import clf, t


def _copies(tmp_path: Path, target: str, lines: list[str]) -> tuple[list[dict], str]:
    log = write_log(tmp_path / "logs" / "access.log", lines)
    answer_file = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["analyse", str(log), "--target", target, "--json", str(answer_file)])
    assert result.exit_code == 0, result.output
    return json.loads(answer_file.read_text(encoding="utf-8"))["targets"][0]["possible_copies"], result.output


def test_an_encoded_hash_is_another_file_never_a_spelling(tmp_path: Path) -> None:
    target = "/docs/x.xlsx"
    copies, output = _copies(tmp_path, target, [
        clf("192.0.2.1", t(8, 10), target, size=5000),
        clf("198.51.100.1", t(8, 10, 5), target + "%231", size=777),      # the file `x.xlsx#1`
        clf("198.51.100.2", t(8, 10, 6), target + "%23.bak", size=888),   # the file `x.xlsx#.bak`
        clf("192.0.2.9", t(9, 12), target, status=404, size=200)])
    assert copies == []
    assert "perhaps downloads of the target" not in output


def test_a_target_with_an_encoded_hash_in_its_name_is_compared_whole(tmp_path: Path) -> None:
    target = "/docs/C#-guide.pdf"
    copies, output = _copies(tmp_path, target, [
        clf("192.0.2.1", t(8, 10), "/docs/C%23-guide.pdf", size=5000),
        clf("198.51.100.1", t(8, 10, 5), "/docs/C%23-guide.pdf.bak", status=206, size=700),  # another file
        clf("198.51.100.2", t(8, 10, 6), "/docs//C%23-guide.pdf", status=206, size=800),    # a spelling
        clf("192.0.2.9", t(9, 12), "/docs/C%23-guide.pdf", status=404, size=200)])
    assert [(c["path"], c["size_match"]) for c in copies] == [("/docs//C#-guide.pdf", "spelling")]
