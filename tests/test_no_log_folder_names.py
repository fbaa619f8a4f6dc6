"""A folder none of whose files is an access log is refused in one line that says what it held: how many files
and which (up to 3, relative to the folder, escaped for the terminal), not the bare "no access log found" that
left the investigator to guess (a GCS usage CSV, an Azure Storage log: red team 17)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from exposure.cli import app


def test_the_refusal_names_what_the_folder_held(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    (logs / "gcs").mkdir(parents=True)
    (logs / "gcs" / "usage_2020_06_08_v0").write_text('"time_micros","c_ip","cs_method"\n"1","198.51.100.1","GET"\n')
    (logs / "azure.log").write_text("2.0;2020-06-08T10:00:00.0000000Z;GetBlob;Success;200\n")
    (logs / "evil\x1b[31m.log").write_text("hello\n")
    (logs / "notes.txt").write_text("nothing\n")
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", "/x.xlsx"])
    assert result.exit_code == 2
    [line] = result.output.splitlines()
    assert line == (f"exposure: error: {logs}: no access log found in this folder: 4 files, none in a known format "
                    "(azure.log, evil\\x1b[31m.log, gcs/usage_2020_06_08_v0 and 1 more; `exposure formats` lists "
                    "the formats read, --format forces one)")
