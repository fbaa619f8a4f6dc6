"""Downloads: size inference, complete vs partial, range groups, HEAD/304/errors, internal, per address."""

from __future__ import annotations

from pathlib import Path

from exposure import AnalysisOptions, Case
from tests.conftest import write_log
from tests.logs import clf, t

T = "/docs/x.xlsx"
SIZE = 10_000
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/83.0 Safari/537.36"


def _answer(tmp_path: Path, lines: list[str], **opts) -> dict:
    write_log(tmp_path / "a.log", lines)
    with Case() as case:
        case.ingest([tmp_path / "a.log"])
        return case.analyse([T], AnalysisOptions(**opts))["targets"][0]


def test_size_inferred_from_most_common_200_get(tmp_path: Path) -> None:
    lines = [
        clf("198.51.100.1", t(8, 10), T, size=SIZE),
        clf("198.51.100.2", t(8, 11), T, size=SIZE),
        clf("198.51.100.3", t(8, 12), T, size=4096),   # aborted
        clf("198.51.100.4", t(8, 12, 1), T, method="HEAD", size=999),  # HEAD ignored for size
        clf("198.51.100.4", t(8, 12, 2), T, method="HEAD", size=999),
        clf("198.51.100.4", t(8, 12, 3), T, method="HEAD", size=999),
        clf("198.51.100.5", t(8, 13), T, size=0),
        clf("198.51.100.5", t(8, 13, 1), T, size=0),
        clf("198.51.100.5", t(8, 13, 2), T, size=0),
    ]
    target = _answer(tmp_path, lines)
    assert target["size_bytes"] == SIZE and target["size_inferred"] is True
    assert target["windows"][0]["size_votes"] == 2
    outcomes = [(d["client_ip"], d["outcome"]) for d in target["downloads"]]
    assert outcomes == [("198.51.100.1", "complete"), ("198.51.100.2", "complete"), ("198.51.100.3", "partial"),
                        ("198.51.100.5", "partial"), ("198.51.100.5", "partial"), ("198.51.100.5", "partial")]
    totals = target["totals"]
    assert (totals["complete_downloads"], totals["distinct_ips"], totals["partial_downloads"],
            totals["head_requests"]) == (2, 2, 4, 3)


def test_given_size_overrides_inference(tmp_path: Path) -> None:
    lines = [clf("198.51.100.1", t(8, 10), T, size=5000), clf("198.51.100.2", t(8, 11), T, size=5000)]
    target = _answer(tmp_path, lines, size=6000)
    assert target["size_bytes"] == 6000 and target["size_inferred"] is False
    assert [d["outcome"] for d in target["downloads"]] == ["partial", "partial"]


def test_range_groups_by_client_and_agent_with_30_minute_gap(tmp_path: Path) -> None:
    lines = [
        clf("198.51.100.9", t(8, 9), T, size=SIZE),  # sets the size
        clf("198.51.100.9", t(8, 9, 1), T, size=SIZE),
        # one client, three parts within 30 minutes covering the file: one complete download at the last part
        clf("198.51.100.1", t(8, 10, 0), T, status=206, size=4000, ua=CHROME),
        clf("198.51.100.1", t(8, 10, 20), T, status=206, size=4000, ua=CHROME),
        clf("198.51.100.1", t(8, 10, 45), T, status=206, size=2000, ua=CHROME),
        # same address, other agent: its own group (partial)
        clf("198.51.100.1", t(8, 10, 46), T, status=206, size=2000, ua="curl/7.68.0"),
        # parts split by a gap > 30 min: two partial groups although together they cover the file
        clf("198.51.100.2", t(8, 11, 0), T, status=206, size=6000),
        clf("198.51.100.2", t(8, 11, 31), T, status=206, size=4000),
    ]
    target = _answer(tmp_path, lines)
    ranges = [(d["client_ip"], d["time"], d["outcome"], d["parts"], d["bytes"]) for d in target["downloads"]
              if d["kind"] == "range"]
    assert ranges == [
        ("198.51.100.1", "2020-06-08T10:45:00Z", "complete", 3, 10000),
        ("198.51.100.1", "2020-06-08T10:46:00Z", "partial", 1, 2000),
        ("198.51.100.2", "2020-06-08T11:00:00Z", "partial", 1, 6000),
        ("198.51.100.2", "2020-06-08T11:31:00Z", "partial", 1, 4000),
    ]
    complete_range = next(d for d in target["downloads"] if d["kind"] == "range" and d["outcome"] == "complete")
    assert [e["line"] for e in complete_range["evidence"]] == [3, 4, 5]


def test_head_304_errors_internal_and_copy_before_evidence(tmp_path: Path) -> None:
    lines = [
        clf("198.51.100.1", t(8, 10), T, size=SIZE),
        clf("198.51.100.1", t(8, 11), T, status=304, size="-"),   # has a complete download
        clf("198.51.100.2", t(8, 12), T, status=304, size="-"),   # never downloaded: copy before evidence
        clf("198.51.100.3", t(8, 12, 5), T, method="HEAD", size="-"),
        clf("203.0.113.5", t(8, 13), T, size=SIZE),               # staff
        clf("203.0.113.5", t(8, 13, 5), T, method="HEAD", size="-"),
        clf("10.1.2.3", t(8, 14), T, size=SIZE),                  # private but not declared internal: external
        clf("198.51.100.4", t(9, 9), T, status=404),
        clf("198.51.100.5", t(9, 10), T, status=404),
    ]
    target = _answer(tmp_path, lines, internal=("203.0.113.0/24",))
    totals = target["totals"]
    assert {k: totals[k] for k in ("complete_downloads", "distinct_ips", "internal_complete_downloads",
                                   "partial_downloads", "head_requests", "not_modified", "errors")} == {
        "complete_downloads": 2, "distinct_ips": 2, "internal_complete_downloads": 1, "partial_downloads": 0,
        "head_requests": 1, "not_modified": 2, "errors": 2}
    per_ip = {p["client_ip"]: p for p in target["per_ip"]}
    assert per_ip["198.51.100.2"]["copy_before_evidence"] is True
    assert per_ip["198.51.100.1"]["copy_before_evidence"] is False
    assert per_ip["203.0.113.5"]["internal"] is True and per_ip["203.0.113.5"]["complete"] == 1
    assert [d["internal"] for d in target["downloads"]] == [False, True, False]


def test_crawlers_and_archives_count_as_copies_with_a_class(tmp_path: Path) -> None:
    bots = {
        "66.249.66.1": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "207.241.229.50": "Mozilla/5.0 (compatible; archive.org_bot +http://archive.org/details/archive.org_bot)",
        "149.154.161.207": "TelegramBot (like TwitterBot)",
        "198.51.100.20": "curl/7.68.0",
        "198.51.100.21": CHROME,
    }
    lines = [clf(ip, t(8, 10, i), T, size=SIZE, ua=ua) for i, (ip, ua) in enumerate(bots.items())]
    target = _answer(tmp_path, lines)
    assert target["totals"]["complete_downloads"] == 5 and target["totals"]["distinct_ips"] == 5
    classes = {d["client_ip"]: d["client_class"] for d in target["downloads"]}
    assert classes == {"66.249.66.1": "crawler", "207.241.229.50": "archive", "149.154.161.207": "link-preview",
                       "198.51.100.20": "tool", "198.51.100.21": "browser"}


def test_unknown_size_makes_completeness_undetermined(tmp_path: Path) -> None:
    lines = [clf("198.51.100.1", t(8, 10), T, status=206, size=500)]
    target = _answer(tmp_path, lines)
    assert [d["outcome"] for d in target["downloads"]] == ["undetermined"]
    assert any("size is unknown" in w for w in target["warnings"])


NGINX_SENT = '$remote_addr [$time_local] "$request" $status $bytes_sent $request_completion "$http_user_agent"'


def test_an_aborted_flag_decides_where_counts_include_headers(tmp_path: Path) -> None:
    """nginx `$bytes_sent $request_completion`: a transfer the log calls aborted is partial even when its
    header-inclusive count lies in the complete-transfer band (found by tests/test_oracle.py, seed 2: the
    aborted count was the band's edge and judged complete). The band still judges the flagged-complete ones."""
    from exposure.ingest import IngestOptions

    def line(ip: str, minute: int, sent: int, done: str, status: int = 200, method: str = "GET") -> str:
        return (f'{ip} [08/Jun/2020:12:{minute:02d}:00 +0200] "{method} {T} HTTP/1.1" {status} {sent} {done} '
                f'"{CHROME}"')

    write_log(tmp_path / "a.log", [
        line("198.51.100.1", 1, SIZE + 310, "OK"),
        line("198.51.100.2", 2, SIZE + 290, "OK"),
        line("198.51.100.3", 3, SIZE + 250, ""),  # stopped 50 bytes short: its count is in the band
        line("198.51.100.4", 4, 4000, ""),
        line("198.51.100.5", 5, 300, "OK", method="HEAD"),
    ])
    with Case() as case:
        case.ingest([tmp_path / "a.log"], IngestOptions(nginx_log_format=NGINX_SENT))
        target = case.analyse([T], AnalysisOptions())["targets"][0]
        frame = case.downloads(T, AnalysisOptions())
    outcomes = list(frame[["client_ip", "outcome", "size_rule"]].itertuples(index=False, name=None))
    assert outcomes == [("198.51.100.1", "complete", "completion"), ("198.51.100.2", "complete", "completion"),
                        ("198.51.100.3", "partial", "completion"), ("198.51.100.4", "partial", "completion")]
    assert target["totals"]["complete_downloads"] == 2


def test_a_range_group_across_a_withdrawal_is_judged_in_its_own_window(tmp_path: Path) -> None:
    """Parts of one client's range download on both sides of a withdrawal (410) and republication within 30
    minutes: one group (README: grouped by address, agent and gap), counted at its last part, in that part's
    window. That window has no size to judge by (no 200 in it; a republished file may be another version), so
    the group is undetermined: never judged by the size of the window before the withdrawal."""
    lines = [
        clf("198.51.100.9", t(8, 9), T, size=SIZE),  # window 1's size
        clf("198.51.100.1", t(8, 10, 0), T, status=206, size=3000, ua=CHROME),
        clf("198.51.100.7", t(8, 10, 5), T, status=410, size=200),  # withdrawn
        clf("198.51.100.8", t(8, 10, 8), T, status=304, size=0),  # published again: window 2 opens
        clf("198.51.100.1", t(8, 10, 10), T, status=206, size=3000, ua=CHROME),
    ]
    target = _answer(tmp_path, lines)
    assert [w["size_bytes"] for w in target["windows"]] == [SIZE, None]
    ranges = [(d["client_ip"], d["time"], d["window"], d["parts"], d["bytes"], d["outcome"])
              for d in target["downloads"] if d["kind"] == "range"]
    assert ranges == [("198.51.100.1", "2020-06-08T10:10:00Z", 2, 2, 6000, "undetermined")]
