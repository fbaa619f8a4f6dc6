"""A crowded case for page 1 (tests/report/test_page_one_crowded.py): 11 published files (9 downloaded, 2 never
requested) and every kind of finding at least once: a file that cannot be read (UTF-16), a damaged one (NUL bytes),
a truncated .gz, an empty .gz, joined and glued lines, rejected lines, a cut last line, silences inside windows,
an overlapping copy, two UTC offsets, two lengths of one file, a window closed by an error page, a window reopened
by another server's log within two minutes, a file refused after its window. Its Dutch page 1 ran its last lines
and case box onto page 2 (/tmp/pagefix/c2)."""

from __future__ import annotations

import gzip
from datetime import datetime, timedelta
from pathlib import Path

from exposure.formats.cloudfront import STANDARD_FIELDS
from tests.logs import clf, cloudfront_lines

TARGETS = [f"/docs/bijlage-{k}-persoonsgegevens.xlsx" for k in range(1, 9)]
PDF = "/docs/rapport-2020.pdf"
NEVER = ["/docs/nooit-gevraagd-1.xlsx", "/docs/nooit-gevraagd-2.xlsx"]
SIZE = 50_000


def _d(day: int, h: int, m: int = 0, s: int = 0) -> datetime:
    return datetime(2020, 6, day, h, m, s)


def _web(n: int, start: datetime, stop: datetime, silent: tuple = (), extra: tuple = (), offset: int = 120) -> list[str]:
    """A line every 10 minutes from 198.51.100.n, none while `silent`, with `extra` (time, line) among them."""
    rows, w = [], start
    while w < stop:
        if not any(a <= w < b for a, b in silent):
            rows.append((w, clf(f"198.51.100.{n}", w, "/index.html", size=800, offset_min=offset)))
        w += timedelta(minutes=10)
    return [line for _, line in sorted([*rows, *extra])]


def _cf(ip: str, length: int, result: str = "Hit") -> dict[str, str]:
    return {"c-ip": ip, "sc-status": "200", "sc-bytes": str(length + 412), "sc-content-len": str(length),
            "x-edge-result-type": result, "x-edge-response-result-type": result, "x-edge-detailed-result-type": result}


def _cf_log(rows: list[dict[str, str]], hour: str) -> str:
    lines = [line.replace("\t10:", f"\t{hour}:") for line in cloudfront_lines(rows, list(STANDARD_FIELDS), PDF)]
    return "#Version: 1.0\n#Fields: " + " ".join(STANDARD_FIELDS) + "\n" + "\n".join(lines) + "\n"


def build(logs: Path) -> list[str]:
    """Write the case's logs under `logs`; the --target arguments."""
    ex1, ex2 = [], []
    for k, target in enumerate(TARGETS, start=1):
        for i in range(3):
            when = _d(10, 8 + k, 5 * i, 7)
            ex1.append((when, clf(f"84.29.{k}.{i + 1}", when, target, size=SIZE + k)))
            later = when + timedelta(minutes=1)
            ex2.append((later, clf(f"85.30.{k}.{i + 1}", later, target, size=SIZE + k)))
    # bijlage-1 removed on web1 at 11 June 12:00, served by web2 two minutes later (window_reopened_elsewhere)
    ex1 += [(_d(11, 12, 0, 5), clf("84.29.50.1", _d(11, 12, 0, 5), TARGETS[0], status=404, size=153)),
            (_d(11, 13, 0, 5), clf("84.29.50.2", _d(11, 13, 0, 5), TARGETS[0], status=404, size=153))]
    ex2.append((_d(11, 12, 2, 5), clf("85.30.50.1", _d(11, 12, 2, 5), TARGETS[0], size=SIZE + 1)))
    w1 = _web(1, _d(10, 0), _d(12, 0), silent=((_d(10, 14), _d(10, 19)),), extra=tuple(ex1))
    w2 = _web(2, _d(10, 0), _d(12, 0), silent=((_d(10, 16), _d(10, 22)),), extra=tuple(ex2))
    w2 = w2[:50] + ["this is not a log line"] * 3 + w2[50:]
    w2[-1] = w2[-1][:w2[-1].index('" 200 ') + 7]  # cut in its byte count
    for name, lines in (("web1/access.log", w1), ("web2/access.log", w2), ("web1-copy/access.log", w1[100:160])):
        (logs / name).parent.mkdir(parents=True, exist_ok=True)
        (logs / name).write_text("\n".join(lines) + "\n")
    web3 = _web(3, _d(9, 0), _d(12, 0), extra=((_d(10, 9, 30), clf("86.1.1.1", _d(10, 9, 30), TARGETS[2], size=SIZE + 3)),))
    (logs / "web3").mkdir()
    packed = gzip.compress(("\n".join(web3) + "\n").encode(), mtime=0)
    (logs / "web3" / "access.log.2.gz").write_bytes(packed[:len(packed) // 2])
    (logs / "web3" / "access.log").write_text("\n".join(_web(3, _d(12, 0), _d(12, 6))) + "\n")
    (logs / "web4").mkdir()
    (logs / "web4" / "access.log").write_bytes(("\n".join(_web(4, _d(10, 0), _d(10, 3))) + "\n").encode("utf-16"))
    (logs / "web5").mkdir()
    w5 = [line.encode() for line in _web(5, _d(10, 0), _d(11, 0))]
    (logs / "web5" / "access.log").write_bytes(b"\n".join(w5[:40]) + b"\n" + b"\0" * 4096 + b"\n".join(w5[40:]) + b"\n")
    # web6 writes UTC (+0000): two offsets; a glued and a joined line; bijlage-3 refused after its window; an empty .gz
    w6 = [clf("198.51.100.6", _d(10, h, m), "/index.html", size=800, offset_min=0) for h in range(24) for m in (0, 30)]
    w6 += [clf(f"198.51.100.6{i}", _d(10, 23, 45 + i), TARGETS[2], status=403, size=200, offset_min=0) for i in (6, 7)]
    w6 = w6[:10] + [w6[10] + w6[11]] + w6[12:20] + [w6[20] + "\r" + w6[21]] + w6[22:]
    (logs / "web6").mkdir()
    (logs / "web6" / "access.log").write_text("\n".join(w6) + "\n")
    (logs / "web6" / "access.log.3.gz").write_bytes(b"")
    (logs / "cdn").mkdir()
    error_page = [_cf("198.51.100.11", 600_000), _cf("198.51.100.12", 600_000), _cf("198.51.100.13", 600_000),
                  _cf("198.51.100.21", 1234, "Error"), _cf("198.51.100.22", 1234, "Error")]
    (logs / "cdn" / "E2EXAMPLE.2020-06-10-10.a1b2c3d4").write_text(_cf_log(error_page, "10"))
    lengths = [_cf("198.51.100.31", 600_000), _cf("198.51.100.32", 590_000), _cf("198.51.100.33", 590_000)]
    (logs / "cdn" / "E2EXAMPLE.2020-06-10-09.b1b2c3d4").write_text(_cf_log(lengths, "09"))
    return [a for t in [*TARGETS, PDF, *NEVER] for a in ("--target", t)]
