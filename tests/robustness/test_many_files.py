"""A folder of many small files: every file registered and accounted for.

`make test` uses EXPOSURE_MANY_FILES (default 300) files; run with EXPOSURE_MANY_FILES=10000 for the full size.
What many small files cost is measured in `make bench`, never timed here.
"""

from __future__ import annotations

import os
from datetime import UTC
from pathlib import Path

from exposure import Case
from tests.logs import clf, t
from tests.robustness.case_state import accounting, count_lines

N_FILES = int(os.environ.get("EXPOSURE_MANY_FILES", "300"))


def test_folder_of_many_small_files(tmp_path: Path) -> None:
    root = tmp_path / "logs"
    for i in range(N_FILES):
        folder = root / f"srv{i % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        body = clf(f"192.0.2.{i % 250}", t(8, i // 3600 % 24, i // 60 % 60, i % 60), f"/f/{i}") + "\n"
        if i % 3 == 0:
            body += "# a comment\nnot a log line\n"
        (folder / f"access-{i:05d}.log").write_text(body)
    with Case(tmp_path / "case.duckdb") as case:
        result = case.ingest([root])
        rows = accounting(case.con)
        assert case.con.execute("SELECT count(*) FROM requests").fetchone()[0] == N_FILES
    assert len(result.files) == len(rows) == N_FILES
    assert all(r[2:5] == r[5:8] and sum(r[2:5]) == r[1] for r in rows)
    assert sum(r[3] for r in rows) == sum(r[4] for r in rows) == len(range(0, N_FILES, 3))


SIZE = 18412
IIS_HEAD = ("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Date: 2020-06-08 00:00:00\n"
            "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
            "cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes time-taken\n")
CF_HEAD = ("#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status "
           "cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header "
           "cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type "
           "cs-protocol-version\n")


def _mixed(i: int) -> tuple[str, bytes, str, int]:
    """The i-th file of a folder of tiny logs of mixed formats and rotations: (name, bytes on disk, expected
    verdict, expected requests). Kinds: an empty log, a header-only IIS file (IIS writes its header when it opens
    a file; one is read, the others are its copies), IIS with one request, a gzipped rotation, a CloudFront .gz, a
    Caddy JSON entry, a plain copy of the previous gzipped rotation, a log with a line no format reads, an empty
    rotation gzipped (logrotate's default ifempty) and a bzip2 rotation."""
    import bz2
    import gzip
    import json

    kind, when = i % 10, t(8, 9 + i // 60 % 10, i % 60)
    line = clf(f"192.0.2.{i % 250}", when, "/f.pdf", size=SIZE) + "\n"
    if kind == 0:
        return f"access.log.{i}", b"", "not a log", 0
    if kind == 1:
        return f"u_ex{i:06d}.log", IIS_HEAD.encode(), "ingested or duplicate", 0
    if kind == 2:
        return f"u_ex{i:06d}.log", (IIS_HEAD + f"2020-06-08 {when:%H:%M:%S} 10.0.0.1 GET /f.pdf - 443 - "
                                    f"203.0.113.{i % 250} UA+{i} - 200 0 0 {SIZE + 300} 15\n").encode(), "ingested", 1
    if kind == 3:
        return f"access.log.{i}.gz", gzip.compress(line.encode() * 3, mtime=0), "ingested", 3
    if kind == 4:
        return f"E2EXAMPLE.2020-06-08-{i:06d}.gz", gzip.compress((
            CF_HEAD + f"2020-06-08\t{when:%H:%M:%S}\tAMS50-C1\t{SIZE + 400}\t198.18.0.{i % 250}\tGET\t"
            f"d1.cloudfront.net\t/f.pdf\t200\t-\tUA%20{i}\t-\t-\tHit\tid{i}==\twww.example.nl\thttps\t180\t0.01\t-\t"
            "TLSv1.3\tX\tHit\tHTTP/2.0\n").encode(), mtime=0), "ingested", 1
    if kind == 5:
        entry = {"level": "info", "ts": when.replace(tzinfo=UTC).timestamp(), "logger": "http.log.access",
                 "msg": "handled request", "size": SIZE, "status": 200,
                 "request": {"remote_ip": f"198.51.100.{i % 250}", "method": "GET", "uri": "/f.pdf",
                             "proto": "HTTP/1.1", "headers": {"User-Agent": [f"UA {i}"]}}}
        return f"caddy-{i}.log", (json.dumps(entry) + "\n").encode(), "ingested", 1
    if kind == 6:
        return f"access.log.{i}", gzip.decompress(_mixed(i - 3)[1]), "duplicate", 3
    if kind == 7:
        return f"access.log.{i}", (line + "garbage line\n").encode(), "ingested", 1
    if kind == 8:
        return f"access.log.{i}.gz", gzip.compress(b"", mtime=0), "not a log", 0
    return f"access.log.{i}.bz2", bz2.compress(line.encode()), "ingested", 1


def test_folder_of_many_small_mixed_files(tmp_path: Path) -> None:
    """Every file of a folder of tiny logs of mixed formats and rotations gets its verdict and its accounting,
    and the totals are the sum of the files'."""
    import bz2
    import gzip

    root, expected = tmp_path / "logs", {}
    for i in range(N_FILES // 5):
        name, data, verdict, requests = _mixed(i)
        folder = root / f"srv{i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
        content = gzip.decompress(data) if name.endswith(".gz") else bz2.decompress(data) if name.endswith(".bz2") \
            else data
        expected[f"srv{i % 3}/{name}"] = (verdict, requests, count_lines(content))
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([root])
        rows = case.con.execute("SELECT path, verdict, lines, requests, rejected, skipped, decoded_bytes "
                                "FROM evidence").fetchall()
        findings = {Path(f.path).name: f.detail for f in case.findings() if f.kind == "not a log"}
        totals = case.totals("/f.pdf")
    got = {str(Path(p).relative_to(root)) if Path(p).is_absolute() else p.split("logs/", 1)[1]: r
           for p, *r in rows}
    assert set(got) == set(expected)
    for path, (verdict, lines, requests, rejected, skipped, decoded) in got.items():
        want_verdict, want_requests, want_lines = expected[path]
        assert verdict in want_verdict.split(" or "), path
        if verdict == "not a log":
            assert (decoded, findings[Path(path).name]) == (
                0, "empty: it holds no line, so no request (an empty log, or a file emptied)"), path
        else:
            assert (lines, requests, lines - requests - rejected - skipped) == (want_lines, want_requests, 0), path
    assert sum(r[0] == "ingested" for p, r in got.items() if p.endswith(".log") and "u_ex" in p
               and expected[p][0] != "ingested") == 1  # one header-only IIS file read, its copies duplicates
    counted = sum(r for v, r, _ in expected.values() if v == "ingested")
    assert (totals["requests"], totals["complete_downloads"]) == (counted, counted)
