"""Red team 10: page 1 with several files whose paths are long. A site that answers 200 to any path lets a sender
name the files `--under` finds; each row of page 1's table of files showed its path up to 200 characters (a
third of the page wide: seven lines), and a path of combining marks up to 200 characters before escaping (700
when shown: 24 lines). Six such rows pushed the evidence status and the INCOMPLETE finding to page 2. Page 1's
paths are now bounded by what is shown, escapes included (report/html.py PAGE_ONE_ROW_PATH, PAGE_ONE_PATH); the
count of a cut stands outside the value's <bdi>, so after Arabic it never reads `307] …`."""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path

from exposure import AnalysisOptions, Case
from exposure.report import ReportSettings
from exposure.report.i18n import EN
from tests.conftest import write_log
from tests.logs import clf

from .conftest import need
from .test_layout import pdf_text

ARABIC = "/d/" + "\u0627" * 300 + ".pdf"


def _case(root: Path) -> Path:
    lines = [clf(f"198.51.100.{f * 10 + i + 1}", datetime(2020, 6, 10, 10, f * 5 + i), path, size=1000 + f)
             for f, path in enumerate(["/d/" + "e\u0301" * 200 + ".pdf", ARABIC,
                                       *[f"/d/report-{f}-" + "x" * 190 + ".pdf" for f in range(5)]])
             for i in range(3)]
    write_log(root / "logs" / "web1-access.log", lines)
    # a rotation cut short: an INCOMPLETE finding page 1 must name
    content = "".join(clf("198.51.100.99", datetime(2020, 6, 9, h), "/o.html", size=10) + "\n" for h in range(24))
    packed = gzip.compress(content.encode())
    (root / "logs" / "web1-access.log-20200609.gz").write_bytes(packed[:len(packed) - 20])
    return root / "logs"


def test_long_paths_never_push_the_evidence_status_off_page_one(tmp_path: Path) -> None:
    need("pdftotext")
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([_case(tmp_path)])
        case.report(case.sql("SELECT DISTINCT path FROM requests WHERE path LIKE '/d/%' ORDER BY 1")["path"].tolist(),
                    out, AnalysisOptions(), ReportSettings())
    page1 = pdf_text(out / "report.pdf", 1)
    assert EN["status_title"] in page1
    assert "INCOMPLETE" in page1 and "web1-access.log-20200609.gz" in "".join(page1.split())
    html = (out / "report.html").read_text(encoding="utf-8")
    table = html[html.index('id="answer-overview"'):html.index("</table>", html.index('id="answer-overview"'))].replace("<wbr>", "")
    # page 1's rows are bounded by what is shown: 100 e + U+0301 (700 characters shown) are cut
    assert "e\\u0301e\\u0301e\\u0301e\\u0301e\\u0301e\\u0301e\\u0301e\\u0301e\\u0301e\\u0301" not in table
    assert "</bdi> [407 characters]" in table
    # the count of a cut is outside the isolated value (Arabic: the 7th file, in section 1's table)
    assert f"</bdi> [{len(ARABIC)} characters]" in html


def test_a_gap_line_on_page_one_names_a_long_path_bounded(tmp_path: Path) -> None:
    """Each gap inside a window is said on page 1 with its file's path: a 1,500-character path was said whole
    (a third of page 1 for one line); it is cut to what page 1 shows of a path, with its full length."""
    long_path = "/d/" + "g" * 1500 + ".pdf"
    lines = [clf("198.51.100.1", datetime(2020, 6, 10, 10), long_path, size=1000),
             clf("198.51.100.2", datetime(2020, 6, 10, 16), long_path, size=1000),  # six silent hours inside
             clf("198.51.100.3", datetime(2020, 6, 10, 17), long_path, status=404, size=10)]
    log = write_log(tmp_path / "logs" / "web1-access.log", lines)
    out = tmp_path / "out"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([log])
        case.report([long_path], out, AnalysisOptions(), ReportSettings(pdf=False))
    html = (out / "report.html").read_text(encoding="utf-8").replace("<wbr>", "")
    block = html[html.index('id="status-list"'):html.index("</ul>", html.index('id="status-list"'))]
    [gap] = [li for li in block.split("<li")[1:] if 'class="gap-in-window"' in li]
    assert f"inside window 1 of /d/{'g' * 197}… [{len(long_path)} characters]" in gap
    assert "g" * 300 not in gap
