"""Many files, the register's dense listing (report/inventory.py) as the review of bigreport found it: (1) a path
was cut to PATH_LIMIT before --pseudonymise-ips walked the model, so an address cut in two kept its prefix in the
listing; (2) a long line ran off the landscape page (white-space: pre), losing a path's tail, verdict, format and
stream; (3) Dutch: counts with a comma (13,482 reads 13.482 in Dutch), column names cut before their soft hyphen
was removed ('Afgewez'), 'format' in English."""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from exposure import AnalysisOptions, Case
from exposure.report import ReportSettings, inventory
from exposure.report.i18n import strings
from tests.conftest import write_log
from tests.logs import clf, t

PIN = datetime(2020, 8, 1, 12, 0, tzinfo=UTC)
TARGET = "/docs/leak.xlsx"


def _unwrapped(text: str) -> list[str]:
    """The listing's lines as they were before wrapping (a continuation line joined to the line before)."""
    out: list[str] = []
    for line in text.split("\n"):
        if line.startswith(inventory.CONTINUED):
            out[-1] += line[len(inventory.CONTINUED):]
        else:
            out.append(line)
    return out


def test_a_long_path_is_cut_after_its_addresses_are_pseudonymised(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inventory, "INVENTORY_ROWS", 1)
    logs = tmp_path / "logs"
    tail = "-192.0.2.1.log"
    room = 1006 - len(str(logs)) - 1 - len(tail)
    parts = []
    while room > 0:  # folders of at most 200 characters (a name's limit is 255)
        parts.append("d" * min(200, room - 1 if room > 201 else room))
        room -= len(parts[-1]) + 1
    long_path = logs.joinpath(*parts[:-1], parts[-1] + tail)
    assert len(str(long_path)) == 1006
    write_log(long_path, [clf("192.0.2.1", t(8, 10), TARGET, size=4000)])
    write_log(logs / "b.log", [clf("198.51.100.8", t(8, 11), TARGET, size=4000)])
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as c:
        c.ingest([logs])
        c.report([TARGET], out, AnalysisOptions(size=4000), ReportSettings(pin_time=PIN, pdf=False, pseudonymise=True))
    html = (out / "report.html").read_text(encoding="utf-8").replace("<wbr>", "")
    register = html.split('<section id="register"', 1)[1].split("</section>", 1)[0]
    text = unescape("".join(re.findall(r'<pre class="inventory">(.*?)</pre>', register, re.S)))
    answer = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    whole = next(e["path"] for e in answer["evidence"] if e["path"].endswith(".log") and len(e["path"]) > 1000)
    assert re.search(r"-ip-[0-9a-f]{12}\.log$", whole)  # 192.0.2.1 is a client of the case: replaced in names too
    assert "192.0.2" not in text and "192.0.2" not in html
    first = next(line for line in _unwrapped(text) if "dddd" in line)
    assert re.match(r" +\d  ", first) and first[8:].startswith(whole[:1000])  # cut in the pseudonymised path
    assert max(len(line) for line in text.split("\n")) <= inventory.LINE_WIDTH


def _entry(**kw: Any) -> dict[str, Any]:
    e = {"path": "/var/log/nginx/access.log", "verdict_text": "read", "format": "combined", "compression": "none",
         "stream": "web1/access.log", "custody_refs": [], "sha256": "a" * 64, "status": "match",
         "size_bytes": 13482, "mtime": "2020-06-09T00:00:00Z", "lines": 1234567, "requests": 1234000,
         "rejected": 13482, "skipped": 1085, "first_time": "2020-06-08T00:00:01Z", "last_time": "2020-06-08T23:59:59Z",
         "content_sha256": None, "current_sha256": None}
    return {**e, **kw}


def test_every_field_of_a_long_entry_stays_on_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inventory, "INVENTORY_ROWS", 0)
    s = strings("en")
    path = "/srv/" + "/".join(f"folder{i:03d}" for i in range(60)) + "/access.log"  # 665 characters
    stream = "web1/" + "s" * 300
    e = _entry(path=path, format="custom " + "f" * 150, compression="gzip", stream=stream, custody_refs=[3, 4],
               content_sha256="b" * 64, status="changed", current_sha256="c" * 64)
    blocks = inventory.listing([e, _entry()], s)
    assert blocks is not None and len(blocks) == 1
    lines = blocks[0].split("\n")
    assert max(len(line) for line in lines) <= inventory.LINE_WIDTH == 212
    assert sum(line.startswith(inventory.CONTINUED) for line in lines) == 5  # 665 + 150 + 300 characters
    whole = _unwrapped(blocks[0])
    assert whole[2] == (f"     1  {path}  (read · custom {'f' * 150} · gzip · {stream})  [{s['custody_short']} C3, C4]")
    assert re.split(" +", whole[3].strip(" ")) == ["a" * 64, s["status_changed"], "13\u202f482", "2020-06-09T00:00:00Z", "1\u202f234\u202f567",
                                "1\u202f234\u202f000", "13\u202f482", "1\u202f085", "2020-06-08T00:00:01Z",
                                "2020-06-08T23:59:59Z"]
    assert whole[4] == f"        {s['content_sha256']}: {'b' * 64}"
    assert whole[5] == f"        {s['sha256_now']}: {'c' * 64}"
    assert whole[6].startswith("     2  /var/log/nginx/access.log  (read · combined · web1/access.log)")


def test_the_dutch_listing_names_every_column_whole_and_writes_counts_as_the_report_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inventory, "INVENTORY_ROWS", 0)
    blocks = inventory.listing([_entry()], strings("nl"))
    assert blocks is not None
    head, columns, first, second = blocks[0].split("\n")
    assert head == "     #  Bestand (oordeel · formaat · compressie · logstroom)"
    assert columns.endswith("Regels Verzoeken Afgewezen Overgeslagen  Eerste regel (UTC)    Laatste regel (UTC)")
    assert "," not in second and "." not in second.split("Z")[1]
    assert re.split(" +", second.strip(" "))[2:] == ["13\u202f482", "2020-06-09T00:00:00Z", "1\u202f234\u202f567", "1\u202f234\u202f000",
                                  "13\u202f482", "1\u202f085", "2020-06-08T00:00:01Z", "2020-06-08T23:59:59Z"]
    # each value ends where its column name ends (right-aligned counts) or starts where it starts
    for name, value in (("Afgewezen", "13\u202f482"), ("Overgeslagen", "1\u202f085"), ("Verzoeken", "1\u202f234\u202f000")):
        assert columns.index(name) + len(name) == second.index(value, columns.index(name) - 3) + len(value)
    assert second.index("2020-06-08T00:00:01Z") == columns.index("Eerste regel (UTC)")
    assert max(len(line) for line in blocks[0].split("\n")) <= inventory.LINE_WIDTH
