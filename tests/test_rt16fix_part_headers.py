"""Review of red team 16, F1 and F5: a band_sum range group (IIS: counts with headers, no offsets) is complete only
where its sum, less the MOST each part's 206 headers may take, still reaches the file. The least a 206's headers
take (256 bytes) made parts each short of their range complete; a 304 of another client (150 bytes) lowered the
allowance further. The allowance is an upper estimate (part_headers in queries/downloads_rule.sql): the 200's
headers where the size is known (band less size) or a measured HEAD answered 200 (never a 304: it carries fewer
headers than a 206), plus what a 206 adds (status line and Content-Range: 38 bytes and three numbers of the size's
digits), else 1024. The inputs are the review's (/tmp/review_rt16left/r1/gen.py); the last two tests are
/tmp/filesfix/headers' faults in this module's IIS log."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers import analyse
from tests.test_rt16_chunk_headers import HEAD, TARGET, WHOLE, _line


def _log(groups: dict[str, list[int]], extra: tuple[str, ...] = ()) -> str:
    lines = [_line(n, f"1.0.0.{n + 1}", "Mozilla/5.0", 200, c) for n, c in enumerate(WHOLE)] + list(extra)
    for k, (ip, counts) in enumerate(groups.items()):
        lines += [_line(60 + 10 * k, ip, "IDM/6.38", 206, c) for c in counts]
    return HEAD + "".join(lines)


def _ranges(tmp_path: Path, text: str, size: int | None = None) -> dict[str, tuple[str, int]]:
    answer = analyse(tmp_path, "u_ex200608.log", text, TARGET, size=size)
    api = {d["client_ip"]: (d["outcome"], d["bytes"]) for d in answer.downloads if d["kind"] == "range"}
    cli = {d["client_ip"]: (d["outcome"], d["bytes"]) for d in answer.cli["targets"][0]["downloads"]
           if d["kind"] == "range"}
    assert api == cli
    return api


def test_eight_parts_each_87_bytes_of_body_short_are_never_complete(tmp_path: Path) -> None:
    # r1/a: 8 parts of 125,000 + 350 headers, each 87 body bytes missing (696 short): the sum less 256 per part
    # reached the band; nothing bounds the headers (no size, no HEAD/304): 1024 per part, undetermined
    got = _ranges(tmp_path, _log({"2.0.0.1": [125_350 - 87] * 8}))
    assert got == {"2.0.0.1": ("undetermined", 1_002_104)}


def test_thirty_two_parts_each_140_bytes_short_are_never_complete(tmp_path: Path) -> None:
    # r1/b: 32 parts of 31,250 + 400 headers, each 140 body bytes missing (4,480 short)
    got = _ranges(tmp_path, _log({"2.0.0.2": [31_250 + 400 - 140] * 32}))
    assert got == {"2.0.0.2": ("undetermined", 1_008_320)}


def test_a_small_304_of_another_client_does_not_lower_the_allowance_below_a_206s(tmp_path: Path) -> None:
    # r1/c: a 304 of 150 bytes bounds no 206 (it lacks Content-Type, Content-Length, Content-Range, Accept-Ranges):
    # nothing bounds the headers, 1024 per part; parts each 200 bytes short (125,200) sum 1,001,600: undetermined
    text = _log({"2.0.0.3": [125_200] * 8}, (_line(30, "1.0.0.9", "Mozilla/5.0", 304, 150),))
    assert _ranges(tmp_path, text) == {"2.0.0.3": ("undetermined", 1_001_600)}


def test_with_the_size_parts_whose_sum_surely_holds_the_file_are_complete(tmp_path: Path) -> None:
    # --size 1,000,000: the 200's headers are 312 (band less size), a 206's at most 312 + 38 + 21 = 371; parts of
    # 125,000 + 420 are surely whole (1,003,360 - 8 x 371 = 1,000,392); parts of 125,000 + 350 (each could have
    # 21 header bytes more than that, the body 21 less) are undetermined
    text = _log({"2.0.0.1": [125_420] * 8, "2.0.0.9": [125_350] * 8})
    got = _ranges(tmp_path, text, size=1_000_000)
    assert got == {"2.0.0.1": ("complete", 1_003_360), "2.0.0.9": ("undetermined", 1_002_800)}


def test_the_portable_sql_and_the_oracle_take_the_same_allowance(tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    from exposure import AnalysisOptions
    from tests.oracle_rule import Row, downloads, windows
    from tests.parity import portable_equals_case

    counts = {"2.0.0.1": 125_420, "2.0.0.9": 125_350}
    log = tmp_path / "logs" / "u_ex200608.log"
    log.parent.mkdir()
    log.write_text(_log({ip: [c] * 8 for ip, c in counts.items()}, (_line(30, "1.0.0.9", "Mozilla/5.0", 304, 150),)))
    for size, allowance in ((None, 1024), (1_000_000, 312 + 38 + 21)):  # the 304 bounds nothing
        got = portable_equals_case(tmp_path / str(size), log.parent, TARGET,
                                   AnalysisOptions(geoip_city="none", size=size))
        assert got["windows"][0]["part_headers"] == allowance
        t0 = datetime(2020, 6, 8, 8, 0)
        rows = [Row(t0 + timedelta(minutes=n), f"1.0.0.{n + 1}", "Mozilla/5.0", "GET", 200, c, True, None, None,
                    None) for n, c in enumerate(WHOLE)]
        rows.append(Row(t0 + timedelta(minutes=30), "1.0.0.9", "Mozilla/5.0", "GET", 304, 150, True, None, None, None))
        for k, (ip, count) in enumerate(counts.items()):
            rows += [Row(t0 + timedelta(minutes=60 + 10 * k), ip, "IDM/6.38", "GET", 206, count, True, None, None,
                         None) for _ in range(8)]
        oracle = {d.client: d.outcome for d in downloads(windows(rows, t0, size), size) if d.kind == "range"}
        portable = {d["client_ip"] if "client_ip" in d else d["client"]: d["outcome"] for d in got["downloads"]
                    if d["kind"] == "range"}
        assert oracle == portable
        # the 304 bounds nothing: 1024 per part, neither sum surely holds the file (it made 209 per part, and both
        # complete, the 350-byte parts too, each 21 body bytes short where a 206 carries the 200's 312 + 59);
        # with the size the 200's 312 bytes bound it (371): only the 420-byte parts surely hold the file
        assert oracle == ({"2.0.0.1": "complete", "2.0.0.9": "undetermined"} if size
                          else {"2.0.0.1": "undetermined", "2.0.0.9": "undetermined"})


def _head(minute: int, ip: str, status: int, count: int) -> str:
    """A header-only response of the file: a HEAD answered 200, or a GET answered 304."""
    line = _line(minute, ip, "Mozilla/5.0", status, count)
    return line.replace(" GET ", " HEAD ") if status == 200 else line


@pytest.mark.slow
def test_a_304_is_no_bound_of_a_206s_headers(tmp_path: Path) -> None:
    """Two parts each 60 body bytes short (500,000 + 371 headers - 60: 500,311), no size: a 304 of 150 bytes made
    the allowance 150 + 59 = 209, and 1,000,622 - 209 - 59 reached the band (1,000,312): complete, 120 bytes of the
    file never sent. A 304 carries fewer headers than a 206 (no Content-Type, Content-Length, Content-Range,
    Accept-Ranges): it bounds nothing, 1024 per part, undetermined. Red with the 304 back in head_only."""
    text = _log({"2.0.0.4": [500_311] * 2}, (_head(30, "1.0.0.9", 304, 150),))
    assert _ranges(tmp_path, text) == {"2.0.0.4": ("undetermined", 1_000_622)}


@pytest.mark.slow
def test_the_band_holds_a_200s_headers_not_a_206s(tmp_path: Path) -> None:
    """A HEAD answered 200 measures the 200's headers (312), a 206's at most 312 + 38 + 3 x 7 digits = 371. The band
    (1,000,312) holds one 200's headers, so the last part's 59 bytes more are taken off too: two parts each 20 body
    bytes short (500,351) were complete (1,000,702 - 371 >= 1,000,312), now undetermined; two whole parts
    (500,371) stay complete, inferred from the sum. Red with the band branch's part_headers_more taken out."""
    text = _log({"2.0.0.5": [500_351] * 2, "2.0.0.6": [500_371] * 2}, (_head(30, "1.0.0.9", 200, 312),))
    assert _ranges(tmp_path, text) == {"2.0.0.5": ("undetermined", 1_000_702), "2.0.0.6": ("complete", 1_000_742)}
