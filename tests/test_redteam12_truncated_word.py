"""Red team 12, A: a case whose only incomplete evidence is a truncated file (a gzip rotation that ends inside its
compressed data) said on page 1 "INCOMPLETE: part of the evidence is damaged" beside "damaged: 0 · truncated: 1".
The headline names what was found (evidence_status.incompleteness): truncated, in English and in Dutch."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from tests.conftest import write_log
from tests.logs import clf, t

TARGET = "/docs/leak.xlsx"


@pytest.mark.usefixtures("html_only_reports")
@pytest.mark.parametrize(("lang", "said", "damaged"), [
    ("en", "INCOMPLETE: part of the evidence is truncated: a file ends early", "is damaged"),
    ("nl", "ONVOLLEDIG: een deel van het bewijs is afgekapt: een bestand houdt voortijdig op", "is beschadigd")])
def test_a_truncated_file_alone_is_called_truncated_not_damaged(tmp_path: Path, lang: str, said: str,
                                                                  damaged: str) -> None:
    logs = tmp_path / "logs" / "web1"
    write_log(logs / "access.log", [clf("198.51.100.2", t(12, h), TARGET if h == 9 else "/") for h in range(24)])
    day = "".join(clf(f"198.51.100.{3 + h % 5}", t(11, h, m), "/") + "\n" for h in range(24) for m in range(0, 60, 5))
    whole = gzip.compress(day.encode() * 4, mtime=0)
    (logs / "access.log.1.gz").write_bytes(whole[: len(whole) // 2])
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", TARGET, "--report",
                                      str(tmp_path / "report"), "--lang", lang, "--pin-time", "2020-08-01T12:00:00Z",
                                      "-q"], env={"COLUMNS": "200"})
    assert result.exit_code == 3, result.output
    html = (tmp_path / "report" / "report.html").read_text()
    start = html.index('<section id="cover"')
    cover = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html[start:html.index("</section>", start)]))
    assert said in cover, cover
    assert damaged not in cover, cover
