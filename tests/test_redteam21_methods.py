"""Red team 21: only a GET or a HEAD (or a line naming no method) shows the file available.

The window rule took any response 200/206/304 at the file's path as the file available, whatever its method:
- /tmp/redteam21/opt: two GETs 200, a GET 404, a CORS preflight OPTIONS 200 (Apache answers OPTIONS 200 with its
  Allow header whether or not the file is there; nginx CORS snippets answer it from the configuration), a GET 404,
  an upload PUT 200, a GET 404: three exposure windows where the file was online once;
- /tmp/redteam21/s3c: an S3 object made private (the owner's REST.PUT.ACL 200), refused to anonymous readers (403
  AccessDenied), then the console reading its ACL and tags (REST.GET.ACL, REST.GET.OBJECT_TAGGING 200): the window
  ran to the console's last read, 28 minutes past the last response that served the object, and the warning that
  the file may have been withdrawn at the first refusal was not said.
None of these responses carries the file (the S3 operation names are kept as the method, exposure/formats/s3.py);
a POST or OPTIONS 499 was already no window (test_client_closed). queries/downloads_rule.sql rule_available,
its portable twin and the oracle read the method alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case
from tests.conftest import write_log
from tests.logs import clf, t
from tests.parity import portable_equals_case

pytestmark = pytest.mark.slow

T = "/docs/x.pdf"
SIZE = 100_000
OPTIONS = AnalysisOptions(geoip_city="none")

# the file online 10:00-10:01, gone at 10:10; an OPTIONS 200 and a PUT 200 later, each followed by a 404
WRITES_AFTER = [clf("198.51.100.1", t(8, 10), T, size=SIZE),
                clf("198.51.100.2", t(8, 10, 1), T, size=SIZE),
                clf("198.51.100.3", t(8, 10, 10), T, status=404, size=153),
                clf("198.51.100.4", t(8, 10, 20), T, size=0, method="OPTIONS"),
                clf("198.51.100.5", t(8, 10, 21), T, status=404, size=153),
                clf("198.51.100.6", t(8, 10, 25), T, size=0, method="PUT"),
                clf("198.51.100.7", t(8, 10, 26), T, status=404, size=153)]


def test_an_options_or_put_answered_200_opens_no_window(tmp_path: Path) -> None:
    write_log(tmp_path / "logs" / "access.log", WRITES_AFTER)
    got = portable_equals_case(tmp_path, tmp_path / "logs", T, OPTIONS)
    with Case(tmp_path / "case.duckdb") as case:
        target = case.analyse([T], OPTIONS)["targets"][0]
        frame = case.files()
    assert [(w["first_available"], w["last_available"], w["first_unavailable"]) for w in target["windows"]] == [
        ("2020-06-08T10:00:00Z", "2020-06-08T10:01:00Z", "2020-06-08T10:10:00Z")]
    assert len(got["windows"]) == 1
    assert [d["outcome"] for d in target["downloads"]] == ["complete", "complete"]
    assert frame[frame["path"] == T].iloc[0]["windows"] == 1


def _s3(minute: int, ip: str, operation: str, status: int, error: str, sent: str, size: str, uri: str,
        requester: str = "-") -> str:
    return (f'79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be bucket [10/Jun/2020:10:{minute:02d}:00 '
            f'+0000] {ip} {requester} 3E57427F3EX{minute}{ip[-2:]} {operation} docs/x.pdf "{uri}" {status} {error} '
            f'{sent} {size} 70 10 "-" "Mozilla/5.0" - Ijhuy7sQ= SigV4 ECDHE-RSA-AES128-SHA AuthHeader '
            f'bucket.s3.amazonaws.com TLSv1.2 - -')


ADMIN = "arn:aws:iam::123456789012:user/admin"
MADE_PRIVATE = [
    _s3(10, "198.51.100.1", "REST.GET.OBJECT", 200, "-", str(SIZE), str(SIZE), f"GET {T} HTTP/1.1"),
    _s3(11, "198.51.100.2", "REST.GET.OBJECT", 200, "-", str(SIZE), str(SIZE), f"GET {T} HTTP/1.1"),
    _s3(12, "198.51.100.3", "REST.GET.OBJECT", 200, "-", str(SIZE), str(SIZE), f"GET {T} HTTP/1.1"),
    _s3(30, "203.0.113.5", "REST.PUT.ACL", 200, "-", "-", "-", f"PUT {T}?acl HTTP/1.1", ADMIN),
    _s3(35, "198.51.100.60", "REST.GET.OBJECT", 403, "AccessDenied", "243", "-", f"GET {T} HTTP/1.1"),
    _s3(36, "198.51.100.61", "REST.GET.OBJECT", 403, "AccessDenied", "243", "-", f"GET {T} HTTP/1.1"),
    _s3(40, "203.0.113.5", "REST.GET.ACL", 200, "-", "1200", "-", f"GET {T}?acl HTTP/1.1", ADMIN),
    _s3(41, "203.0.113.5", "REST.GET.OBJECT_TAGGING", 200, "-", "120", "-", f"GET {T}?tagging HTTP/1.1", ADMIN),
    _s3(50, "198.51.100.62", "REST.GET.OBJECT", 403, "AccessDenied", "243", "-", f"GET {T} HTTP/1.1"),
]


def test_an_s3_objects_acl_and_tags_do_not_show_it_available(tmp_path: Path) -> None:
    write_log(tmp_path / "logs" / "2020-06-10-10-00-00-ABCDEF0123456789", MADE_PRIVATE)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path / "logs"])
        target = case.analyse([T], OPTIONS)["targets"][0]
    [window] = target["windows"]
    assert (window["first_available"], window["last_available"], window["first_unavailable"]) == (
        "2020-06-10T10:10:00Z", "2020-06-10T10:12:00Z", None)
    assert window["refused_after"] == "2020-06-10T10:35:00Z"
    assert any(w.startswith("window 1 may have been withdrawn: 3 refusals (403) to 3 addresses from "
                            "2020-06-10T10:35:00Z") for w in target["warnings"])
    assert target["totals"]["complete_downloads"] == 3
