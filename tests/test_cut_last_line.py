"""A file's last line cut off mid-line (a copy of a live log stops anywhere; exposure/lastline.py).

Cut inside its byte count, the count as read may have lost digits: the request counts, undetermined through
every door (the case's rule, `files`, the portable rule over the export, the findings), never complete and
never a partial of the digits read. Cut inside the user agent or the referrer after a whole status and count,
the line counts as its request with the cut field kept as read and named; cut in the status it stays rejected.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exposure import AnalysisOptions, Case
from exposure.portable import DuckDBEngine, run_portable
from tests.logs import clf, cloudfront_lines, t

TARGET = "/f.xlsx"
SIZE = 1000
UA = "Mozilla/5.0 (X11; Linux x86_64) Firefox/77.0"


def _log(path: Path, last: str) -> Path:
    """Three whole downloads of the target, then `last` with no newline (the copy stopped there)."""
    lines = [clf(f"198.51.100.{i}", t(10, 10, i), TARGET, size=SIZE) for i in range(1, 4)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\n".join(lines) + "\n" + last).encode())
    return path


WHOLE = clf("198.51.100.9", t(10, 11), TARGET, size=SIZE)  # ... 200 1000 "-" "Mozilla/5.0 (X11; ..."


def _cut_after(marker: str) -> str:
    """WHOLE cut just after the first occurrence of `marker`."""
    return WHOLE[:WHOLE.index(marker) + len(marker)]


def _last(case: Case) -> dict:
    frame = case.sql("SELECT bytes, user_agent, referer, extra['cut_field'] AS cut FROM requests "
                     "WHERE line_no = 4")
    return frame.to_dict("records")[0] if len(frame) else {}


@pytest.mark.parametrize("last", [_cut_after(" 200 10"), _cut_after(" 200 1000")], ids=["digits-lost", "count-ends"])
def test_a_last_line_cut_in_its_byte_count_is_undetermined_through_every_door(tmp_path: Path, last: str) -> None:
    log = _log(tmp_path / "web1" / "access.log", last)
    read = int(last.rsplit(" ", 1)[1])
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([log])
        assert _last(case) == {"bytes": read, "user_agent": None, "referer": None, "cut": "bytes"}  # kept as read
        for options in (AnalysisOptions(size=SIZE), AnalysisOptions()):
            got = case.downloads(TARGET, options)
            assert got["outcome"].tolist() == ["complete"] * 3 + ["undetermined"]
            assert got["bytes"].isna().tolist() == [False] * 3 + [True]
        files = case.files(targets=[TARGET]).to_dict("records")[0]
        assert (files["complete_downloads"], files["size_bytes"]) == (3, SIZE)  # the cut count never votes
        [cut] = [f for f in case.findings() if f.kind == "cut off"]
        assert cut.detail == ("its last line (line 4) has no newline: cut off mid-line, as a copy of a live log is; "
                              "it ends in its byte count, which may have lost digits: counted as a request whose "
                              "delivered bytes are unknown")
        case.export_parquet(tmp_path / "export")
        want = case.downloads(TARGET, AnalysisOptions())
    portable = run_portable(DuckDBEngine(), tmp_path / "export", TARGET, AnalysisOptions())
    rows = portable.downloads.to_pylist()
    assert [r["outcome"] for r in rows] == want["outcome"].tolist()
    assert [r["bytes_delivered"] for r in rows] == [SIZE] * 3 + [None]


@pytest.mark.parametrize(("last", "field", "ua", "referer", "words"), [
    pytest.param(_cut_after('"Mozilla/5.0 (X11'), "user_agent", "Mozilla/5.0 (X11", None, "user agent",
                 id="in-user-agent"),
    pytest.param(_cut_after('1000 "') + "https://example.org/a", "referer", None, "https://example.org/a", "referrer",
                 id="in-referrer"),
])
def test_a_last_line_cut_after_its_count_counts_with_its_cut_field_marked(tmp_path: Path, last: str, field: str,
                                                                         ua: str | None, referer: str | None,
                                                                         words: str) -> None:
    """The finding and the warning say the cut in the same words (exposure/cutwords.py): the finding said
    `user_agent`, the report `user agent`, the warning a sentence of its own (three texts for one mark)."""
    log = _log(tmp_path / "web1" / "access.log", last)
    with Case(tmp_path / "case.duckdb") as case:
        result = case.ingest([log])
        assert case.sql("SELECT count(*) AS n FROM rejects").iat[0, 0] == 0
        assert _last(case) == {"bytes": SIZE, "user_agent": ua, "referer": referer, "cut": field}
        got = case.downloads(TARGET, AnalysisOptions(size=SIZE))
        assert got["outcome"].tolist() == ["complete"] * 4
        [cut] = [f for f in case.findings() if f.kind == "cut off"]
        said = (f"the cut falls in its {words} (kept as read, marked cut), after its status and byte count: counted "
                "as a request")
        assert cut.detail.endswith("; " + said)
    [warning] = [w for f in result.files for w in f.warnings if "has no newline" in w]
    assert warning == "last line (4) has no newline: cut off mid-line (a copy of a live log?): " + said


def test_a_last_line_cut_in_its_status_stays_rejected(tmp_path: Path) -> None:
    log = _log(tmp_path / "web1" / "access.log", _cut_after('HTTP/1.1" 20'))
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([log])
        reasons = case.sql("SELECT line_no, reason FROM rejects").values.tolist()
        assert _last(case) == {}
    assert [n for n, _ in reasons] == [4]
    assert reasons[0][1].startswith("last line has no newline: cut off mid-line (a copy of a live log?): ")


def test_a_json_line_cut_in_its_user_agent_counts_and_one_cut_in_its_count_is_undetermined(tmp_path: Path) -> None:
    def line(i: int, tail: str) -> str:
        return (f'{{"time":"2020-06-10T10:0{i}:00+02:00","remote_addr":"198.51.100.{i}","request_method":"GET",'
                f'"request_uri":"{TARGET}","status":200,{tail}')

    whole = [line(i, f'"body_bytes_sent":{SIZE},"http_user_agent":{json.dumps(UA)}}}') for i in range(1, 4)]
    for name, tail, outcome in (("ua", f'"body_bytes_sent":{SIZE},"http_user_agent":"Mozil', "complete"),
                                ("count", '"body_bytes_sent":10', None)):
        log = tmp_path / name / "access.log"
        log.parent.mkdir(parents=True)
        log.write_bytes(("\n".join(whole) + "\n" + line(4, tail)).encode())
        with Case(tmp_path / f"{name}.duckdb") as case:
            case.ingest([log])
            got = case.downloads(TARGET, AnalysisOptions(size=SIZE))["outcome"].tolist()
            rejected = case.sql("SELECT count(*) FROM rejects").iat[0, 0]
        # a JSON number cut at the line's end leaves no closing to supply: rejected, never a firm count
        assert (got, rejected) == ((["complete"] * 4, 0) if outcome else (["complete"] * 3, 1)), name


def test_no_repair_where_the_client_may_be_in_the_cut_field(tmp_path: Path) -> None:
    """With --client-ip-from xff the client may come from a field after the cut (an X-Forwarded-For the cut took):
    a last line cut in its user agent stays rejected rather than be counted for the connecting address."""
    from exposure.ingest import IngestOptions

    log = _log(tmp_path / "web1" / "access.log", _cut_after('"Mozilla/5.0 (X11'))
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([log], IngestOptions(client_ip_from="xff", trusted_proxies=("10.0.0.0/8",)))
        assert [n for (n,) in case.sql("SELECT line_no FROM rejects").values.tolist()] == [4]
        assert _last(case) == {}


def _cloudfront(rows: list[dict[str, str]], cut_after: str) -> str:
    """A CloudFront log of `rows` (field -> value), its last line cut just after `cut_after`; its #Fields the
    standard ones with sc-content-len moved last (a line cut in it still has every field before it)."""
    from exposure.formats import cloudfront
    fields = [f for f in cloudfront.STANDARD_FIELDS if f != "sc-content-len"] + ["sc-content-len"]
    lines = cloudfront_lines(rows, fields, TARGET)
    lines[-1] = lines[-1][:lines[-1].rindex(cut_after) + len(cut_after)]
    return "#Version: 1.0\n#Fields: " + " ".join(fields) + "\n" + "\n".join(lines)


BIG = 2_000_000  # the object: a client's 206 part covers its first quarter


def test_a_cut_object_length_never_sets_the_windows_size(tmp_path: Path) -> None:
    """Review: a CloudFront last line cut inside sc-content-len (2000000 read as 2000) was marked 'bytes' (its
    whole sc-bytes undetermined) and its length 2000 voted for the window's size: a 206 part covering 0-499999
    became a complete download. The cut length is marked as such and never a size; the count stays known."""
    log = tmp_path / "cf" / "E2EXAMPLE.2020-06-10-10.abcd1234"
    log.parent.mkdir(parents=True)
    log.write_text(_cloudfront([
        {"c-ip": "198.51.100.6", "sc-status": "206", "sc-bytes": "500371", "sc-content-len": "500000",
         "sc-range-start": "0", "sc-range-end": "499999"},
        {"c-ip": "198.51.100.9", "sc-status": "200", "sc-bytes": str(BIG + 400), "sc-content-len": str(BIG)},
    ], "\t2000"))
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([log])
        cut = case.sql("SELECT bytes, object_size, extra['cut_field'] AS m FROM requests WHERE line_no = 4")
        assert cut.to_dict("records") == [{"bytes": BIG + 400, "object_size": 2000, "m": "object_size"}]
        got = case.downloads(TARGET, AnalysisOptions())
        # the part: its object's size is not known (the cut length is none), never complete; the 200's whole
        # count is judged as any 200's (the band of the window's whole counts)
        assert list(zip(got["client_ip"], got["outcome"], got["size_bytes"], strict=True)) == [
            ("198.51.100.6", "undetermined", BIG + 400), ("198.51.100.9", "complete", BIG + 400)]
        case.export_parquet(tmp_path / "export")
    portable = run_portable(DuckDBEngine(), tmp_path / "export", TARGET, AnalysisOptions())
    assert [r["outcome"] for r in portable.downloads.to_pylist()] == got["outcome"].tolist()


@pytest.mark.parametrize(("lang", "said", "label"), [
    pytest.param("en", "it ends in its byte count, which may have lost digits", "Undetermined (file size or bytes "
                 "delivered unknown, or a count just below the complete band)", id="en"),
    pytest.param("nl", "hij eindigt in het aantal bytes, dat cijfers kwijt kan zijn", "Onbepaald (bestandsgrootte of "
                 "geleverde bytes onbekend, of een aantal net onder de band van volledige overdrachten)", id="nl"),
])
def test_the_report_says_where_the_cut_fell_and_marks_the_cut_row(tmp_path: Path, lang: str, said: str,
                                                                   label: str) -> None:
    """Review: the report rendered the cut off finding without where the cut fell (both languages), its page-1
    text said the last line 'is rejected with its reason', the undetermined download was 'file size unknown'
    though the size is known (1000), and requests.csv showed bytes 10 with no mark."""
    import csv
    import html

    from exposure.report import ReportSettings
    log = _log(tmp_path / "web1" / "access.log", _cut_after(" 200 10"))
    out = tmp_path / "report"
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([log])
        case.report([TARGET], out, settings=ReportSettings(pdf=False, lang=lang))
    page = html.unescape((out / "report.html").read_text(encoding="utf-8"))
    assert said in page and label in page
    assert "its last line is rejected with its reason" not in page
    with (out / "requests.csv").open(encoding="utf-8") as f:
        rows = [(r["bytes"], r["cut_field"]) for r in csv.DictReader(f)]
    assert rows == [("1000", "")] * 3 + [("10", "bytes")]


def test_cut_counts_never_outvote_whole_ones_for_the_size(tmp_path: Path) -> None:
    """Two copies cut in the same count (200 10 where 1000 was written) outnumber the one whole 1000: were they
    votes, the size would be 10 and the 500-byte partial a complete download."""
    other = clf("198.51.100.8", t(10, 12), TARGET, size=SIZE)  # another request: no copy of the first cut line
    whole = [clf("198.51.100.1", t(10, 10), TARGET, size=SIZE), clf("198.51.100.2", t(10, 10, 1), TARGET, size=500)]
    for server, text in (("web1", "\n".join(whole) + "\n" + _cut_after(" 200 10")),
                         ("web2", other[:other.index(" 200 10") + 7])):
        path = tmp_path / server / "access.log"
        path.parent.mkdir(parents=True)
        path.write_text(text)
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path])
        got = case.downloads(TARGET, AnalysisOptions())
        files = case.files(targets=[TARGET]).to_dict("records")[0]
    assert got["outcome"].tolist() == ["complete", "partial", "undetermined", "undetermined"]
    assert files["size_bytes"] == SIZE


def test_a_cut_last_line_of_a_file_damaged_elsewhere_is_its_own_finding(tmp_path: Path) -> None:
    """Red team 14 (E_messy): a file whose first block is NUL bytes (damaged) and whose copy stopped mid-line: the
    ingest said "last line has no newline: cut off mid-line", the findings and page 1 said "cut off 0". The damage
    at its start does not explain its end: both are findings. A gzip cut short keeps only its truncated finding
    (its last line's end is lost with the rest: final_newline unknown)."""
    import gzip

    log = _log(tmp_path / "web1" / "access.log", _cut_after(" 200 1000 \"-\" \"Mozilla"))
    log.write_bytes(b"\0" * 4096 + log.read_bytes())
    whole = (tmp_path / "web2" / "access.log.1.gz")
    whole.parent.mkdir()
    packed = gzip.compress(("\n".join(clf(f"198.51.100.{i}", t(10, 12 + i // 60, i % 60), TARGET, size=SIZE)
                                      for i in range(1, 200)) + "\n").encode())
    whole.write_bytes(packed[:len(packed) // 2])
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([log, whole])
        kinds = {(f.kind, Path(f.path).parent.name) for f in case.findings() if f.path}
        assert {("damaged", "web1"), ("cut off", "web1"), ("truncated", "web2")} <= kinds
        assert ("cut off", "web2") not in kinds
        assert case.sql("SELECT final_newline::VARCHAR AS n FROM evidence ORDER BY path")["n"].fillna("null").tolist() == [
            "false", "null"]
