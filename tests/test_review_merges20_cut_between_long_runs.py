"""Review of merges 20: a copy identical but for one line cut off mid-line in its byte count (`200 10`, read as a
request), the lines around it runs of MIN_RUN lines or more. w3cfix's bridge (BRIDGE_SQL) was narrowed to runs too
short alone (37a379c: 'two long runs around a cut line are counted once already'): the runs were, but the cut line,
no line of either run, was not listed as the copy of the whole one, so the copy's cut line counted as a download
attempt of its own beside the original's complete one (/tmp/review_merges20/c6_cut_mid_long: 20 lines, line 10 the
target's, cut: 5 complete and 1 undetermined download where the logs hold 5; overlap 19 lines). Now the cut line is
listed as the copy: 5 complete, 0 undetermined, 20 lines listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case

pytestmark = pytest.mark.slow

TARGET = "/docs/x.xlsx"


def _line(i: int) -> str:
    client, path, size = (f"198.51.100.{i}", TARGET, 18412) if i % 4 == 1 else (f"192.0.2.{i}", "/index.html", 500)
    return (f'{client} - - [08/Jun/2020:09:{i:02d}:00 +0000] "GET {path} HTTP/1.1" 200 {size} "-" '
            '"Mozilla/5.0 (X11; Linux x86_64)"')


@pytest.mark.parametrize("lines", [20, 11], ids=["runs-9-and-10", "runs-5-and-5"])
def test_a_cut_line_between_two_long_runs_is_the_copy_of_the_whole_one(tmp_path: Path, lines: int) -> None:
    original = [_line(i) for i in range(lines)]
    cut = 9 if lines == 20 else 5  # a target line (i % 4 == 1)
    assert TARGET in original[cut]
    copy = list(original)
    copy[cut] = original[cut][:original[cut].index(" 18412") + 3]  # `200 18`: a request, its count cut
    paths = []
    for name, content in {"web1/access.log": original, "handed_over/access.log": copy}.items():
        path = tmp_path / "logs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(content) + "\n")
        paths.append(path)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest(paths)
        got = case.downloads(TARGET, AnalysisOptions(size=18412))
        listed = int(case.sql("SELECT count(*) FROM overlap_lines").iat[0, 0])
    outcomes = sorted(zip(got["outcome"], got["client_ip"], strict=True))
    wanted = sorted(("complete", f"198.51.100.{i}") for i in range(lines) if i % 4 == 1)
    assert outcomes == wanted
    assert listed == lines
