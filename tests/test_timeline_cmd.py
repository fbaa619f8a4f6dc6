"""`exposure timeline`: one line per request of the target, in time order."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from exposure.cli import app

runner = CliRunner(env={"COLUMNS": "200"})
TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"


def test_timeline_lines(sample_case_path: Path, sample_truth: dict) -> None:
    result = runner.invoke(app, ["timeline", "--case", str(sample_case_path), "--target", TARGET,
                                 "--internal", "203.0.113.0/24", "--display-tz", "Europe/Amsterdam"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "46 requests" in lines[0] and "Europe/Amsterdam" in lines[0]
    body = lines[1:]
    assert len(body) == 46
    assert body == sorted(body)  # ISO UTC first: time order
    first = body[0]
    for part in ("2020-06-08T12:12:18Z", "2020-06-08T14:12:18+02:00", "84.29.143.61", "browser", "GET", "200",
                 f" {sample_truth['size_bytes']} ", "complete #1", "window 1", "access.log-20200609.gz:239"):
        assert part in first, (part, first)
    # the sample's download 8: three 206 parts of a combined log (no offsets), complete by their byte sum
    assert sum("range part (complete) inferred #8" in ln for ln in body) == 3
    assert sum("(internal)" in ln for ln in body) == 5
    assert sum("unavailable (404)" in ln for ln in body) == 14


def test_timeline_log_offset_by_default_and_errors(sample_case_path: Path) -> None:
    result = runner.invoke(app, ["timeline", "--case", str(sample_case_path), "--target", TARGET])
    assert result.exit_code == 0, result.output
    assert "UTC+02:00" in result.output.splitlines()[0]
    result = runner.invoke(app, ["timeline", "--case", str(sample_case_path), "--target", TARGET,
                                 "--display-tz", "Mars/Olympus"])
    assert result.exit_code == 2 and "unknown time zone" in result.output


def test_timeline_prints_log_content_as_text(tmp_path: Path) -> None:
    from exposure import Case

    log = tmp_path / "logs" / "access.log"
    log.parent.mkdir()
    log.write_text('[bold]10.0.0.1 - - [08/Jun/2020:14:00:00 +0200] "GET /f.pdf HTTP/1.1" 200 10 "-" "x"\n'
                   '[red]x[/red] - - [08/Jun/2020:14:01:00 +0200] "GET /f.pdf HTTP/1.1" 200 10 "-" "[b]ua"\n')
    case_file = tmp_path / "c.duckdb"
    with Case(case_file) as c:
        c.ingest([log.parent])
        n = len(c.requests("/f.pdf"))
    result = runner.invoke(app, ["timeline", "--case", str(case_file), "--target", "/f.pdf"])
    assert result.exit_code == 0, result.output
    assert f"{n} requests" in result.output
    if n == 2:  # the hostname-looking client is kept verbatim, never interpreted as markup
        assert "[red]x[/red]" in result.output


def test_timeline_of_a_path_never_requested_warns_as_analyse_does(sample_case_path: Path) -> None:
    """It printed "0 requests" and nothing else: a typo in --target read as "nobody downloaded it"."""
    from exposure.answer import never_requested

    result = runner.invoke(app, ["timeline", "--case", str(sample_case_path), "--target", TARGET + ".typo"])
    assert result.exit_code == 0, result.output
    assert f"warning: {never_requested(TARGET + '.typo')}" in result.output
    assert "never requested" not in runner.invoke(app, ["timeline", "--case", str(sample_case_path),
                                                        "--target", TARGET]).output
