"""Page 1 stays page 1 when the evidence is messy or the answer has several files: the evidence status and every
line about the findings are on the first sheet of the PDF (what does not fit is summarised with its count and a
pointer, never dropped), incomplete findings come first and look unlike the others, and the report's identity
(case, report version, generation time) is on page 1 too. Each case is rendered once per module (PDF included)."""

from __future__ import annotations

import contextlib
import html as htmllib
import json
import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exposure.cli import app
from exposure.report.i18n import EN, Strings
from exposure.warningkinds import warning_kind
from tests.conftest import write_log
from tests.evidence_trees import SIZE, TARGET, flat_folder, truncate_gzip
from tests.logs import clf

from .conftest import need
from .test_layout import pdf_text

PIN = "2020-08-01T12:00:00Z"
TRUNCATED = 9  # rotations cut short: one incomplete finding each
REJECTS = 8  # files with one rejected line each
NEVER = "/docs/never-requested.pdf"
OTHER = "/docs/other.pdf"


def _analyse(logs: Path, out: Path, *targets: str) -> dict:
    args = ["analyse", str(logs), *[a for t in targets for a in ("--target", t)], "--report", str(out),
            "--pin-time", PIN, "-q"]
    result = CliRunner().invoke(app, args, env={"COLUMNS": "120"})
    assert result.exit_code in (0, 3), result.output
    return json.loads((out / "analysis.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The evidence trees' two servers with a 13-hour silence inside the window, nine more servers' rotations cut
    short, eight files with a rejected line, a duplicate and three files that are not logs."""
    root = tmp_path_factory.mktemp("many")
    logs = flat_folder(root / "logs", hole=True)
    for k in range(TRUNCATED):
        start = datetime(2020, 6, 10, k)
        gz = write_log(logs / f"web{k + 3}-access.log-20200611.gz",
                       [clf(f"198.51.100.{k + 1}", start + timedelta(seconds=10 * i), f"/p/{k}/{i}", size=900 + i)
                        for i in range(300)], compress="gzip")
        truncate_gzip(gz, keep=0.5)
    for k in range(REJECTS):
        lines = [clf("192.0.2.7", datetime(2020, 6, 9, 8, k, i), f"/r/{k}/{i}") for i in range(4)]
        write_log(logs / f"extra/host{k}-access.log", [*lines[:2], f"not a request line {k}", *lines[2:]])
    (logs / "copy.gz").write_bytes((logs / "web1-access.log-20200612.gz").read_bytes())
    for k in range(3):
        (logs / f"notes{k}.txt").write_text("minutes of a meeting\nnothing here is a log\n", encoding="utf-8")
    out = root / "report"
    return out, _analyse(logs, out, TARGET)


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """Three targets: the evidence trees' file, a second file a third server served three times, and one never
    requested."""
    root = tmp_path_factory.mktemp("three")
    logs = flat_folder(root / "logs")
    write_log(logs / "web3-access.log",
              [clf("93.184.216.34", datetime(2020, 6, 12, 9, 0, i), OTHER, size=SIZE // 2) for i in range(3)])
    out = root / "report"
    return out, _analyse(logs, out, TARGET, OTHER, NEVER)


def _status_lines(out: Path) -> list[tuple[str, str]]:
    """Page 1's lines about the findings in the HTML: (class, text without tags) in document order."""
    html = (out / "report.html").read_text(encoding="utf-8")
    block = html[html.index('id="status-list"'):html.index("</ul>", html.index('id="status-list"'))]
    items = re.findall(r'<li class="([^"]+)"[^>]*>(.*?)</li>', block, flags=re.S)
    return [(cls, " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", text.replace("<wbr>", ""))).split()))
            for cls, text in items]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.slow  # a PDF of a case of its own (20-45 s): started first
def test_many_findings_stay_on_page_one_summarised_never_dropped(many: tuple[Path, dict]) -> None:
    out, answer = many
    findings = answer["findings"]
    incomplete = [f for f in findings if f["severity"] == "incomplete"]
    assert len(incomplete) == TRUNCATED and {f["kind"] for f in incomplete} == {"truncated"}
    kinds = {f["kind"]: f["count"] for f in answer["evidence_status"]["findings"]}
    assert kinds["rejected lines"] == REJECTS + TRUNCATED and kinds["duplicate"] == 1 and kinds["not a log"] == 3
    page1, page2 = pdf_text(out / "report.pdf", 1), pdf_text(out / "report.pdf", 2)
    assert EN["status_title"] in page1 and EN["status_incomplete"].split(":")[0] in page1
    for kind, count in kinds.items():  # the status line counts every kind found
        assert f"{EN.get('finding_' + kind, kind)}: {count}" in page1, kind
    lines = _status_lines(out)
    # every line about the findings is on page 1, none of them spills onto page 2
    for _, text in lines:
        assert _flat(text)[:60] in _flat(page1), text
        assert _flat(text)[:60] not in _flat(page2), text
    # incomplete findings first; what is not named one by one is counted in the last line, with a pointer
    classes = [cls for cls, _ in lines]
    assert classes[:1] == ["incomplete"] and classes.index("more") == len(classes) - 1
    # incomplete findings past the bound are counted in a line of their own, marked INCOMPLETE, never folded into
    # the plain last line (review: three truncated files were hidden under "and 6 more (truncated, ...)")
    [marked] = [text for cls, text in lines if "more-incomplete" in cls]
    assert marked.startswith(EN["status_line_incomplete"]) and EN["finding_truncated"] not in lines[-1][1]
    named_incomplete = int(re.search(r"\d+", marked.split(":", 1)[1]).group())
    assert classes.count("incomplete") + named_incomplete == len(incomplete)
    # every caveat is said on page 1 (EVIDENCE.md 11, 17), never counted in the last line
    # every gap inside the window too, one by one or (here: the extra hosts' streams fall silent after their last
    # line) a line per family with its count
    html = (out / "report.html").read_text(encoding="utf-8")
    gaps = sum(int(n) for n in re.findall(r'<li class="gap-in-window" data-count="(\d+)"', html))
    assert gaps == len(answer["targets"][0]["gaps"])
    named = sum(classes.count(cls) for cls in ("incomplete", "caveat", "stated")) + gaps
    # the answer's warnings; what the complete downloads rest on is the note beside the figures (sent_not_received)
    caveats = len(answer["warnings"]) + sum(1 for t in answer["targets"] for w in t["warnings"]
                                            if warning_kind(w) != "sent_not_received")
    assert classes.count("caveat") == caveats
    assert _flat("6 of the 6 complete downloads rest on a body byte count alone") in _flat(page1)
    listable = len(incomplete) + len(answer["targets"][0]["gaps"]) + caveats + sum(
        1 for f in answer["evidence_status"]["findings"] if f["severity"] == "stated" and f["kind"] != "gap in window")
    more = int(re.search(r"\d+", lines[-1][1]).group())
    assert named + named_incomplete + more == listable and more > 0
    assert len(lines) <= 6
    assert Strings(EN).f("page_one_more", n=more, kinds="").split("(")[0] in lines[-1][1]


@pytest.mark.slow  # a PDF of a case of its own (20-45 s): started first
def test_incomplete_findings_look_unlike_the_others(many: tuple[Path, dict]) -> None:
    """An incomplete finding's line is in the alert colour and marked, not only first (a stated one is muted)."""
    html = (many[0] / "report.html").read_text(encoding="utf-8")
    css = html[html.index("<style>"):html.index("</style>")]
    rule = re.search(r"\.status-list li\.incomplete\s*\{([^}]*)\}", css)
    assert rule and "var(--alert)" in rule.group(1), "no alert colour for an incomplete finding's line"
    first = _status_lines(many[0])[0]
    assert first[0] == "incomplete" and first[1].startswith(EN["status_line_incomplete"])


@pytest.mark.slow  # a PDF of a case of its own (20-45 s): started first
def test_several_files_keep_the_evidence_status_on_page_one(three: tuple[Path, dict]) -> None:
    out, answer = three
    assert [t["totals"]["complete_downloads"] for t in answer["targets"]] == [6, 3, 0]
    assert [len(t["windows"]) for t in answer["targets"]] == [1, 1, 0]
    page1 = pdf_text(out / "report.pdf", 1)
    assert EN["status_title"] in page1 and EN["status_complete"].split(":")[0] in page1
    flat = _flat(page1)
    for t in (TARGET, OTHER, NEVER):
        assert t in flat
    # the table of files gives local time beside UTC, as every other time of the report
    html = (out / "report.html").read_text(encoding="utf-8")
    table = html[html.index('id="answer-overview"'):html.index("</table>", html.index('id="answer-overview"'))]
    first, second = answer["targets"][0]["windows"][0], answer["targets"][1]["windows"][0]
    assert first["first_available_local"] == "2020-06-11T11:00:05+02:00"
    for local in (first["first_available_local"], first["first_unavailable_local"], second["first_available_local"]):
        assert local in table, local
    # the file never requested is said to be so in its row of the table on page 1, not left as dashes
    assert f"3. {NEVER} 0 {EN['overview_never']} 0 0" in page1


def test_page_one_says_which_report_it_is(sample_reports: dict[str, Path]) -> None:
    """Case, report version and generation time on the first sheet (Art. 33(4): a notification in phases must
    say which version the reader holds); they were in the facts table, which the findings push onto page 2."""
    page1 = pdf_text(sample_reports["en"] / "report.pdf", 1)
    assert "SAMPLE-2020-COA-01" in page1
    assert re.search(re.escape(EN["report_version"]) + r":? 1\.1\b", page1), page1[:400]
    assert "2020-08-01T12:00:00Z" in page1


def test_the_sample_names_all_its_findings_on_page_one(sample_reports: dict[str, Path]) -> None:
    """The sample's caveats (its city database is older than the requests: EVIDENCE.md 17, said on page 2 before;
    86.87.220.15's two partial downloads may together hold the file: queries/windows.sql partials_adding_up) and
    its stated findings are said on page 1: six kinds since `not utf-8` (one line of web2 holds a Latin-1 byte),
    more than page 1's PAGE_ONE_LINES hold after the caveats, so the last line names the kinds left over (counted
    in the status line above, listed in section 7)."""
    lines = _status_lines(sample_reports["en"])
    assert [cls for cls, _ in lines] == ["caveat"] * 2 + ["stated"] * 2 + ["more"]
    assert all(k in lines[-1][1] for k in ("not UTF-8", "inferred", "not a log")), lines[-1]
    assert lines[0][1].startswith("Caveat : the city database GeoLite2-City (")
    assert "was built 2018-07-03T21:26:56Z, before the requests" in lines[0][1]
    assert lines[1][1].startswith("Caveat : window 2: 1 client's partial downloads may together hold the file "
                                  "(86.87.220.15)")
    page1 = _flat(pdf_text(sample_reports["en"] / "report.pdf", 1))
    for _, text in lines:
        assert _flat(text) in page1, text
    # what complete rests on (rule_complete_on_sent_counts): the note beside the figures, not a line of the list (a
    # statement of what the count means, not a finding); why and what tells in section 1
    assert _flat("11 of the 11 complete downloads rest on a body byte count alone (combined): complete means the "
                 "server logged the whole file as sent, not that the client received it (section 1)") in page1


def test_the_answer_is_one_sentence_in_the_text_layer(sample_reports: dict[str, Path]) -> None:
    """What a reader copies from page 1 (pdftotext -layout) holds the answer as one sentence, in reading order:
    complete downloads from how many addresses, the own apart, each window in UTC and local time, the evidence
    status. The figures stood in three boxes (number above label, side by side): copied, they read "11 7 3"."""
    out = sample_reports["en"]
    answer = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    layout = subprocess.run([need("pdftotext"), "-layout", "-f", "1", "-l", "1", str(out / "report.pdf"), "-"],
                            capture_output=True, text=True, check=True).stdout
    text = " ".join(layout.split())
    start = text.index("In short: ")
    assert text[start:].startswith("In short: 11 complete downloads from 7 external addresses (1 of them inferred "
                                   "from the sum of range parts' byte counts, 1 address only through them: the log "
                                   "states no range offsets) (and 3 from the organisation's own addresses, counted "
                                   "apart); of the external ones, 4 by automated fetchers that name themselves so in "
                                   "their user agent (web archives, crawlers, link previews: section 5), in 2 exposure "
                                   "windows: window 1 ")
    windows = [Strings(EN).f("key_window", window=w["window"], first=w["first_available"], last=w["last_available"],
                             first_local=w["first_available_local"], last_local=w["last_available_local"])
               for w in answer["targets"][0]["windows"]]
    sentence = _flat("; ".join(windows) + ". " + EN["key_status_complete"])
    assert sentence in _flat(text[start:]), text[start:start + 600]
    assert "2020-06-08T12:12:18Z" in windows[0] and "2020-06-08T14:12:18+02:00" in windows[0]
    fonts = subprocess.run([need("pdffonts"), str(out / "report.pdf")], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(row.split()[-5] == "yes" for row in fonts), fonts  # every font embedded


def test_many_changed_files_are_named_up_to_a_bound_and_counted(tmp_path: Path) -> None:
    """Nine evidence files changed after ingest: page 1's alert names the first six with both hashes and counts the
    other three, pointing to the register (which names all nine); it listed every one, without bound."""
    from exposure import AnalysisOptions, Case
    from exposure.report import ReportSettings

    logs = tmp_path / "logs"
    files = [write_log(logs / f"web{k}-access.log", [clf("198.51.100.9", datetime(2020, 6, 11, 9, k, 0), TARGET)])
             for k in range(9)]
    # relative paths, from the case's folder: page 1 holds the same text wherever pytest's temporary folder lies
    with contextlib.chdir(tmp_path), Case(Path("case.duckdb")) as case:
        case.ingest([Path("logs")])
        for f in files:
            with open(f, "a", encoding="utf-8") as fh:
                fh.write("tampered\n")
        result = case.report([TARGET], Path("out"), AnalysisOptions(),
                             ReportSettings(pin_time=datetime.fromisoformat(PIN), pdf=False))
    assert [v.status for v in result.evidence_problems] == ["changed"] * 9
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8").replace("<wbr>", "")
    alert = html[html.index('id="evidence-alert"'):html.index("</div>", html.index('id="evidence-alert"'))]
    named = re.findall(r"logs/web(\d)-access\.log", alert)
    assert len(named) == 6 and len(set(named)) == 6
    assert f'<li class="more"><a href="#register">{Strings(EN).f("evidence_bad_more", n=3)}</a></li>' in alert
    register = html[html.index('data-section="register"'):]
    assert all(f"web{k}-access.log" in register for k in range(9))


def test_the_answer_sentence_names_two_windows_and_the_alias_downloads() -> None:
    """Eight windows made a sentence of 14 lines that pushed the status off page 1, and downloads under an
    --alias name were counted in the figure with only the target's windows named (review). Two windows, as many as
    page 1's table of windows shows (three and the page's caveats pushed the last finding line off page 1)."""
    from exposure.report.model import _key_sentence

    windows = [{"window": n, "first_unavailable": f"2020-06-0{n}T12:00:00Z", "first_available": f"2020-06-0{n}T10:00:00Z",
                "last_available": f"2020-06-0{n}T11:00:00Z", "first_available_local": "x", "last_available_local": "y"}
               for n in range(1, 9)]
    downloads = [{"via": None, "outcome": "complete", "internal": False},
                 {"via": "/old/x.xlsx", "outcome": "complete", "internal": False},
                 {"via": "/old/x.xlsx", "outcome": "complete", "internal": False},
                 {"via": "/old/x.xlsx", "outcome": "partial", "internal": False}]
    t = {"windows": windows, "downloads": downloads,
         "totals": {"complete_downloads": 3, "distinct_ips": 3, "internal_complete_downloads": 0}}
    text = _key_sentence(t, False, Strings(EN))
    assert "window 2 available" in text and "window 3 available" not in text
    assert "; and 6 more windows, in the table of every window (section 1)" in text
    assert "(2 of them of the file under another name, --alias: in that name's own windows)" in text
