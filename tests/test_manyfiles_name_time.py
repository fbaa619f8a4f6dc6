"""Many files: `evidence.name_time_utc` (the time an S3 key's or a CloudFront log's name gives, read from the
name, not from the lines) was in the case but not in the JSON answer's evidence list. It is now, as UTC ISO text,
and null for a file whose name gives no time. Its meaning differs by service (an S3 key's is AWS's delivery
time, after the lines; a CloudFront name's the start of the lines' hour): `name_time_meaning` says which, and that
it is read from the name (queries/evidence_rules.sql name_time_meaning)."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from exposure.cli import app
from tests.test_redteam7_silent_s3 import _s3
from tests.test_servers_w3c import CF_ROWS, TARGET, _cloudfront

T0 = datetime(2020, 6, 8, 3, 0, tzinfo=UTC)


def test_the_json_evidence_list_says_the_time_each_name_gives(tmp_path: Path) -> None:
    logs = tmp_path / "bucket-logs"
    logs.mkdir()
    for i in range(3):  # an S3 object every 5 minutes, its lines a minute before its key's (delivery) time
        t = T0 + timedelta(minutes=5 * i)
        (logs / (t.strftime("%Y-%m-%d-%H-%M-%S-") + f"{i:016X}")).write_text(
            _s3(t - timedelta(minutes=1), f"198.51.100.{i + 1}"), encoding="ascii")
    (logs / "copy-of-objects.log").write_text(_s3(T0, "198.51.100.9"), encoding="ascii")  # no time in its name
    out = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", "/docs/x.xlsx", "--json", str(out), "-q"],
                                terminal_width=200)
    assert result.exit_code == 0, result.output
    said = {Path(e["path"]).name: e["name_time_utc"] for e in json.loads(out.read_text())["evidence"]}
    assert said == {"2020-06-08-03-00-00-0000000000000000": "2020-06-08T03:00:00Z",
                    "2020-06-08-03-05-00-0000000000000001": "2020-06-08T03:05:00Z",
                    "2020-06-08-03-10-00-0000000000000002": "2020-06-08T03:10:00Z",
                    "copy-of-objects.log": None}
    meant = {Path(e["path"]).name: e["name_time_meaning"] for e in json.loads(out.read_text())["evidence"]}
    delivery = ("read from the file's name: the time AWS delivered the file, after its lines (an S3 server access "
                "log key)")
    assert meant == {"2020-06-08-03-00-00-0000000000000000": delivery,
                     "2020-06-08-03-05-00-0000000000000001": delivery,
                     "2020-06-08-03-10-00-0000000000000002": delivery,
                     "copy-of-objects.log": None}


def test_a_cloudfront_name_time_is_said_to_be_the_start_of_the_lines_hour(tmp_path: Path) -> None:
    logs = tmp_path / "cf"
    logs.mkdir()
    (logs / "E2ABCDEF123456.2020-06-08-09.a1b2c3d4").write_text(_cloudfront(CF_ROWS), encoding="ascii")
    out = tmp_path / "a.json"
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, "--json", str(out), "-q"],
                                terminal_width=200)
    assert result.exit_code == 0, result.output
    [e] = json.loads(out.read_text())["evidence"]
    assert (e["name_time_utc"], e["name_time_meaning"]) == (
        "2020-06-08T09:00:00Z",
        "read from the file's name: the start of the hour its lines fall in (a CloudFront log)")
