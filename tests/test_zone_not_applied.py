"""--log-tz applied to nothing is said (exposure/formats/base.py ZONE_READ_FLAG, queries/findings.sql).

Before: `ingest --log-tz Europe/Amsterdam` of a combined log whose times carry `+0200` changed nothing and nothing
said so; the registry's log_tz was NULL for an IIS date-local file whose times were converted (so it recorded
neither the option nor its use). Now every row whose time was read in the zone carries the flag 'local time read
in --log-tz ZONE', evidence.log_tz is the zone given, the ingest says per file and per command whether it was
applied, and a file read with it none of whose rows carries the flag is a finding (`zone not applied`: terminal,
JSON, the report's page 1), in the ingest's words."""

from __future__ import annotations

from pathlib import Path

from exposure import AnalysisOptions, Case
from exposure.ingest import IngestOptions
from exposure.report.i18n import strings
from tests.conftest import write_log
from tests.logs import clf, t

T = "/f.xlsx"
ZONE = "Europe/Amsterdam"
IIS_LOCAL = ("#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n"
             "#Fields: date-local time-local s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
             "cs(User-Agent) sc-status sc-substatus sc-win32-status sc-bytes time-taken\n"
             "2020-06-10 12:00:00 10.0.0.1 GET /f.xlsx - 443 - 198.51.100.1 UA 200 0 0 1000 10\n"
             "2020-06-10 13:00:00 10.0.0.1 GET /f.xlsx - 443 - 198.51.100.2 UA 200 0 0 1000 10\n")


def _logs(tmp_path: Path) -> tuple[Path, Path]:
    clf_log = tmp_path / "web1" / "access.log"
    write_log(clf_log, [clf("198.51.100.3", t(10, 8), T), clf("198.51.100.4", t(10, 9), T)])
    iis = tmp_path / "web2" / "u_ex200610.log"
    iis.parent.mkdir()
    iis.write_text(IIS_LOCAL)
    return clf_log, iis


def test_a_zone_applied_to_no_line_is_said_and_one_applied_is_recorded(tmp_path: Path) -> None:
    clf_log, iis = _logs(tmp_path)
    with Case() as case:
        result = case.ingest([clf_log, iis], IngestOptions(log_tz=ZONE))
        registry = dict(case.sql("SELECT format, log_tz FROM evidence ORDER BY format").itertuples(index=False))
        flagged = case.sql("SELECT e.format, count(*) FROM requests r JOIN evidence e USING (evidence_id) "
                           "WHERE contains(r.ts_flag, 'local time read in --log-tz Europe/Amsterdam') "
                           "GROUP BY ALL").values.tolist()
        times = case.sql("SELECT min(ts_utc) FROM requests r JOIN evidence e USING (evidence_id) "
                         "WHERE e.format = 'iis'").iat[0, 0]
        answer = case.analyse([T], AnalysisOptions(geoip_city="none"))
    by_format = {f.format: f for f in result.files}
    assert (by_format["combined"].zone_read, by_format["iis"].zone_read) == (0, 2)
    said = ("--log-tz Europe/Amsterdam was given but applied to no line: every time in it carries its own UTC offset "
            "or is UTC by its format (combined), so the option changed nothing")
    assert by_format["combined"].warned == [("zone not applied", said)]
    assert by_format["iis"].warned == []
    assert result.zone_said == ("--log-tz Europe/Amsterdam: applied to 2 requests of 1 file; 1 file read with it "
                                "carries its own UTC offset or is UTC by its format")
    assert registry == {"combined": ZONE, "iis": ZONE}   # the zone given, to every file read with it
    assert flagged == [["iis", 2]]
    assert str(times) == "2020-06-10 10:00:00+00:00"   # 12:00 CEST read in the zone
    [finding] = [f for f in answer["findings"] if f["kind"] == "zone not applied"]
    assert (finding["path"], finding["detail"], finding["fact"], finding["of_lines"]) == (
        str(clf_log), said, ZONE, 2)
    nl = strings("nl")
    assert nl.f("detail_zone_not_applied", fact=ZONE, format="combined").startswith(
        "--log-tz Europe/Amsterdam is opgegeven maar op geen regel toegepast")


def test_a_zone_given_again_to_files_already_in_the_case_is_a_warning(tmp_path: Path) -> None:
    """Files already in the case are not read again: a --log-tz given now changes none of their times."""
    clf_log, iis = _logs(tmp_path)
    with Case() as case:
        case.ingest([clf_log, iis])
        again = case.ingest([clf_log, iis], IngestOptions(log_tz=ZONE))
        plain = case.ingest([clf_log])
    assert again.zone_unused
    assert again.zone_said == ("--log-tz Europe/Amsterdam: applied to no line; 2 files already in the case keep the "
                               "times of their first ingest")
    assert plain.zone_said is None and not plain.zone_unused
