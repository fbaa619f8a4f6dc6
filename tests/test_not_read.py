"""A success to a method that does not read the file (queries/downloads_rule.sql rule_reads, rule_not_read).

Before: the window rule took `status IN (200, 206, 304)` whatever the method, so a POST answered 200 on the
target's path between two 404s opened a window of its own (and `--under` listed a path only ever POSTed to). A
server answers 405 to a POST on a static file; a 200 there is an application route or a misconfiguration, not the
file reachable to a reader. Now only a GET or HEAD (or a line naming no method) shows the file available, in every
door (analyse, `files`, --under/--target-glob, the timeline, the portable SQL, the oracle), and the POSTs left out
are said (a warning, English and Dutch) and kept in the timeline ('not a read')."""

from __future__ import annotations

from pathlib import Path

from exposure import AnalysisOptions, Case
from tests.conftest import write_log
from tests.logs import clf, t

T = "/docs/x.pdf"
LINES = [clf("198.51.100.1", t(8, 8), T, size=5000),
         clf("198.51.100.2", t(8, 9), T, status=404, size=153),
         clf("198.51.100.3", t(8, 10), T, size=5000, method="POST"),   # was a second window, and a 'download'
         clf("198.51.100.4", t(8, 11), T, status=404, size=153),
         clf("198.51.100.5", t(8, 12), "/docs/form.pdf", size=700, method="PUT"),   # only ever PUT to
         clf("198.51.100.6", t(8, 13), T, status=404, size=153)]


def test_a_post_200_opens_no_window_in_any_door(tmp_path: Path) -> None:
    from exposure.export import export_parquet
    from exposure.portable import DuckDBEngine, run_portable
    from exposure.report import wording
    from exposure.report.i18n import strings
    from tests.parity import assert_same, case_rows, portable_rows

    write_log(tmp_path / "logs" / "access.log", LINES)
    options = AnalysisOptions(geoip_city="none")
    with Case(tmp_path / "c.duckdb") as case:
        case.ingest([tmp_path / "logs"])
        target = case.analyse([T], options)["targets"][0]
        expected = case_rows(case, options, T)
        frame = case.files()
        served = case.expand_targets(unders=["/docs"])
        timeline = case.timeline(T, options)
        export_parquet(case.file, tmp_path / "parquet")
    assert [(w["first_available"], w["first_unavailable"]) for w in target["windows"]] == [
        ("2020-06-08T08:00:00Z", "2020-06-08T09:00:00Z")]
    assert [d["client_ip"] for d in target["downloads"]] == ["198.51.100.1"]
    assert target["totals"]["errors"] == 3   # the three 404s; the POST 200 is no error
    row = frame[frame["path"] == T].iloc[0]
    assert (row["windows"], row["complete_downloads"], row["not_read_responses"]) == (1, 1, 1)
    assert served == [T]   # /docs/form.pdf: a PUT 200 alone never showed it served
    assert list(timeline["outcome"]) == ["complete", "unavailable (404)", "not a read (POST 200)",
                                         "unavailable (404)", "unavailable (404)"]
    got = portable_rows(run_portable(DuckDBEngine(), tmp_path / "parquet", T, options))
    assert_same(expected, got, "duckdb")
    assert len(got["windows"]) == 1
    [said] = [w for w in target["warnings"] if "left out of the windows" in w]
    assert said.startswith("1 response 200 to POST from 1 address from 2020-06-08T10:00:00Z to "
                           "2020-06-08T10:00:00Z left out of the windows and the downloads")
    assert said.endswith("first " + str(tmp_path / "logs" / "access.log") + ":3; the timeline shows each as "
                         "'not a read'")
    assert wording.sentence(said, strings("nl")).startswith("1 antwoord 200 op POST aan 1 adres van ")


def test_a_line_without_a_method_is_read_as_before(tmp_path: Path) -> None:
    """A format without %r/%m names no method: its 200 still shows the file available (a GET cannot be told
    apart), as before; only a named method that does not read the file is left out."""
    from exposure.ingest import IngestOptions

    write_log(tmp_path / "access.log", ['198.51.100.1 [08/Jun/2020:10:00:00 +0200] /docs/x.pdf 200 5000'])
    with Case() as case:
        case.ingest([tmp_path / "access.log"], IngestOptions(log_format="%h %t %U %>s %b"))
        target = case.analyse([T], AnalysisOptions(geoip_city="none"))["targets"][0]
    assert [w["first_available"] for w in target["windows"]] == ["2020-06-08T08:00:00Z"]
    assert not [w for w in target["warnings"] if "left out of the windows" in w]
