"""A possible copy's complete downloads are what `--alias PATH` would add (README: adding --alias PATH adds exactly
its complete downloads): the copy's figures read the lines the target's rule would read, on the target's host
(queries/target.sql on_target_host), and a copy of several targets is said for each target as analysed for it.

The logs: nginx vhost_combined or combined (access.log: $1 the host:port where logged, then the combined fields) and
IIS W3C (u_ex200608.log); the counts in the comments are awk's over them.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from exposure.cli import app
from tests.logs import clf, t
from tests.test_under_case_folding import ingested

runner = CliRunner(env={"COLUMNS": "200"})


def _analysed(case: Path, out: Path, *options: str) -> tuple[dict, str]:  # type: ignore[type-arg]
    """analyse's JSON answer and its terminal text (blanks folded)."""
    result = runner.invoke(app, ["analyse", "--case", str(case), *options, "--json", str(out)])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text()), " ".join(result.output.split())


def test_a_copy_on_another_host_is_not_the_targets_copy(tmp_path: Path) -> None:
    """vhost_combined: a.example.nl served /t.pdf 3 times and /copy.pdf once (awk '$1 ~ /^a/ && $8 == "/copy.pdf"':
    1), b.example.nl /copy.pdf twice. --target https://a.example.nl/t.pdf: the copy /copy.pdf has 1 complete
    download (192.0.2.14), what --alias /copy.pdf adds (the alias is matched on a.example.nl alone). Before: 3
    (b.example.nl's 2 counted, 'with 3 complete downloads' on the terminal). Seen red with copy_matches' and
    copy_raw's on_target_host left out."""
    nginx = "".join("a.example.nl:443 " + clf(f"192.0.2.{m}", t(8, 9, m), "/t.pdf", size=100290) + "\n"
                    for m in (1, 2, 3)) \
        + "a.example.nl:443 " + clf("192.0.2.14", t(8, 9, 14), "/copy.pdf", size=100290) + "\n" \
        + "".join("b.example.nl:443 " + clf(f"192.0.2.{m}", t(8, 9, m), "/copy.pdf", size=100290) + "\n"
                  for m in (20, 21))
    case = ingested(tmp_path, nginx=nginx)
    target = ["--target", "https://a.example.nl/t.pdf"]
    answer, said = _analysed(case, tmp_path / "a.json", *target)
    [section] = answer["targets"]
    assert [(c["path"], c["complete_downloads"], c["client_ips"]) for c in section["possible_copies"]] == [
        ("/copy.pdf", 1, ["192.0.2.14"])]
    assert "with 1 complete download by its own windows" in said
    aliased, _ = _analysed(case, tmp_path / "b.json", *target, "--alias", "/copy.pdf")
    added = aliased["targets"][0]["totals"]["complete_downloads"] - section["totals"]["complete_downloads"]
    assert added == 1
