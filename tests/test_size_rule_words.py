"""readme6: a window served by S3 (exact object size) and IIS (byte counts with headers) was said as "size 2345678
bytes: the complete-transfer band (byte counts include headers); the object size the log states": the rules
sorted by name, so the size read as the band's. The rules are said in the order they give the size (given, the
object size, the most common count, then the band header-inclusive counts are judged by), in the JSON answer,
on the terminal and on page 1."""

from __future__ import annotations

import html as html_text
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from tests.test_redteam7_silent_s3 import SIZE, _s3

FIELDS = ("date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) "
          "sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken")


def _iis(t: datetime, ip: str) -> str:
    return (f"{t:%Y-%m-%d %H:%M:%S} 10.1.1.4 GET /docs/x.xlsx - 443 - {ip} Mozilla/5.0 - 200 0 0 {SIZE + 312} "
            "420 31")


@pytest.mark.usefixtures("html_only_reports")
def test_the_size_is_said_by_the_rule_that_gives_it(tmp_path: Path) -> None:
    t0 = datetime(2020, 6, 8, 5, 0)
    s3 = tmp_path / "logs" / "s3"
    s3.mkdir(parents=True)
    for i in range(3):
        t = t0 + timedelta(hours=i)
        (s3 / (t + timedelta(minutes=30)).strftime("%Y-%m-%d-%H-%M-%S-0000000000000A0B")).write_text(
            _s3(t, f"198.51.100.{i + 1}"))
    iis = tmp_path / "logs" / "iis" / "W3SVC1" / "u_ex200608.log"
    iis.parent.mkdir(parents=True)
    iis.write_text("#Version: 1.0\n#Fields: " + FIELDS + "\n"
                   + "".join(_iis(t0 + timedelta(hours=i, minutes=10), f"198.51.100.{i + 20}") + "\n"
                             for i in range(3)))
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", "/docs/x.xlsx", "--json",
                                      str(tmp_path / "a.json"), "--report", str(tmp_path / "report"),
                                      "--pin-time", "2020-08-01T12:00:00Z"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    target = json.loads((tmp_path / "a.json").read_text())["targets"][0]
    assert [w["size_rule"] for w in target["windows"]] == ["object_size+band"]
    assert target["size_rule"] == "object_size+band"
    [line] = [ln.strip() for ln in result.output.splitlines() if ln.strip().startswith("size ")]
    assert line.startswith(f"size {SIZE} bytes: the object size the log states; the complete-transfer band"), line
    page = re.sub(r"\s+", " ", html_text.unescape(re.sub(r"<[^>]+>", "", (tmp_path / "report" / "report.html")
                                                           .read_text().replace("<wbr>", ""))))
    assert "the object size the log records with each response; inferred from the logs: the densest band" in page, \
        page[page.index("File size"):][:300]
