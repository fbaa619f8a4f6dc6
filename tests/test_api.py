"""The Python API on the sample case: real values from sample_logs/README.md and tests/data/sample_truth.json."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

import exposure
from exposure import AnalysisOptions, Case, InputError, QueryError

TARGET = "/documenten/wob/2020/signalen-mensenhandel-2017-2020.xlsx"
STAFF = AnalysisOptions(internal=("203.0.113.0/24",))


@pytest.fixture(scope="module")
def case(sample_case_path: Path):
    with Case(sample_case_path, read_only=True) as c:
        yield c


def test_public_names_are_importable() -> None:
    for name in exposure.__all__:
        assert hasattr(exposure, name), name
    assert {"Case", "AnalysisOptions", "open_case", "named_query"} <= set(exposure.__all__)


def test_evidence_and_rejects(case: Case) -> None:
    ev = case.evidence()
    ingested = ev[ev.verdict == "ingested"]
    assert (ingested.lines == ingested.requests + ingested.rejected + ingested.skipped).all()
    assert set(ev.verdict) == {"ingested", "duplicate", "not a log"}
    assert isinstance(case.evidence(arrow=True), pa.Table)
    assert case.evidence(arrow=True).num_rows == len(ev)
    assert list(case.rejects().columns[:3]) == ["path", "evidence_id", "line_no"]


def test_requests_all_and_target(case: Case) -> None:
    first = case.requests(limit=5)
    assert len(first) == 5 and first.ts_utc.is_monotonic_increasing
    assert {"evidence_path", "line_no"} <= set(first.columns)
    tr = case.requests(TARGET, STAFF)
    assert len(tr) == 46  # 41 external + 5 internal (sample totals)
    assert int(tr.internal.sum()) == 5
    journalist = case.requests(TARGET, STAFF, client="84.29.143.61")
    assert list(journalist.status) == [200, 304, 200, 304, 404]
    hit = journalist.iloc[0]
    assert (Path(hit.evidence_path).name, int(hit.line_no)) == ("access.log-20200609.gz", 239)
    assert isinstance(case.requests(TARGET, arrow=True, limit=2), pa.Table)
    with pytest.raises(InputError):
        case.requests(limit=-1)


def test_windows_downloads_per_ip_agree_with_truth(case: Case, sample_truth: dict) -> None:
    w = case.windows(TARGET, STAFF)
    assert str(w.first_available.dt.tz) == "UTC"  # frames say their zone
    got = [(r.first_available.strftime("%Y-%m-%dT%H:%M:%SZ"), r.last_available.strftime("%Y-%m-%dT%H:%M:%SZ"))
           for r in w.itertuples()]
    assert got == [(x["first_available"], x["last_available"]) for x in sample_truth["windows"]]
    d = case.downloads(TARGET, STAFF)
    ext = d[(d.outcome == "complete") & ~d.internal]
    assert len(ext) == len(sample_truth["complete_downloads"]) == 11
    assert ext.client_ip.nunique() == 7
    p = case.per_ip(TARGET, STAFF, arrow=True)
    assert isinstance(p, pa.Table)
    before = [r["client_ip"] for r in p.to_pylist() if r["copy_before_evidence"]]
    assert before == ["86.84.12.77"]


def test_timeline_outcomes(case: Case) -> None:
    t = case.timeline(TARGET, STAFF)
    assert t.time.is_monotonic_increasing and len(t) == 46
    counts = t.outcome.value_counts().to_dict()
    assert counts["complete"] == 13  # 11 external + 3 internal, minus the range download (3 parts)
    assert counts["range part (complete)"] == 3
    assert counts["HEAD"] == 4 and counts["not modified (304)"] == 3
    assert counts["unavailable (404)"] == 14
    ranged = t[t.outcome == "range part (complete)"]
    assert ranged.download_no.nunique() == 1 and set(ranged.client_ip) == {"77.172.203.9"}
    downloads = case.downloads(TARGET, STAFF)
    assert downloads.set_index("download_no").loc[int(ranged.download_no.iloc[0]), "outcome"] == "complete"
    # its three parts carry no offsets (combined): complete by their byte sum, an inference said on every row
    assert ranged.outcome_inferred.all() and not t[t.outcome != "range part (complete)"].outcome_inferred.any()
    assert downloads.set_index("download_no").loc[int(ranged.download_no.iloc[0]), "outcome_inferred"]


def test_gaps(case: Case) -> None:
    g = case.gaps(gap_minutes=300)
    assert len(g) > 0 and (g.gap_minutes > 300).all() and (g.threshold_minutes >= 300).all()
    # below the stream's own quiet times (twice its usual longest silence of a day) nothing counts ...
    assert (g.gap_minutes > 2 * g.usual_silence_minutes).all()
    # ... unless the factor is lowered: quiet nights then count too
    assert len(case.gaps(gap_minutes=60, gap_factor=0.5)) > len(g)
    with pytest.raises(InputError):
        case.gaps(gap_minutes=0)


def test_files_agree_with_the_target_analysis(case: Case, sample_truth: dict) -> None:
    f = case.files(under="/documenten/wob/2020", internal=STAFF.internal).set_index("path")
    row = f.loc[TARGET]
    totals = case.totals(TARGET, STAFF)
    w = case.windows(TARGET, STAFF)
    assert row.complete_downloads == totals["complete_downloads"] == 11
    assert row.distinct_ips == totals["distinct_ips"] == 7
    assert row.internal_complete_downloads == totals["internal_complete_downloads"] == 3
    assert row.partial_downloads == totals["partial_downloads"] == 7
    assert row.windows == len(w) == 2
    assert row.first_available == w.first_available.min() and row.last_available == w.last_available.max()
    assert row.withdrawn_at == w.first_unavailable.iloc[-1]
    assert row.size_bytes == sample_truth["size_bytes"] == w.size_bytes.iloc[0]
    # the never-available .bak paths are listed, after the withdrawn files
    assert f.windows.tolist()[-2:] == [0, 0]
    assert (f.closed_windows.iloc[:4] > 0).all()


def test_files_selection(case: Case) -> None:
    xlsx = case.files(glob="*.xlsx")
    assert xlsx.path.tolist() == [TARGET]
    assert case.files(under="/documenten/wob/2020-nothing").empty
    with pytest.raises(InputError):
        case.files(under="/a", glob="*")


def test_expand_targets(case: Case) -> None:
    got = case.expand_targets(["/x.pdf"], globs=["/documenten/wob/2020/*.pdf"], unders=["/documenten/wob/2020"])
    assert got[0] == "/x.pdf"
    assert got[1:4] == sorted(got[1:4]) and all(p.endswith(".pdf") for p in got[1:4])
    assert got[4:] == [TARGET]  # the .bak paths were never served
    with pytest.raises(InputError, match="matches no path"):
        case.expand_targets(globs=["/nope/*"])


def test_sql_binds_hostile_strings(case: Case) -> None:
    hostile = "x' OR 1=1; DROP TABLE requests; --"
    df = case.sql("SELECT count(*) AS n FROM requests WHERE client = $ip", ip=hostile)
    assert int(df.n.iloc[0]) == 0
    df = case.sql("SELECT $v AS v", v=hostile)
    assert df.v.iloc[0] == hostile
    assert int(case.sql("SELECT count(*) AS n FROM requests WHERE client = $ip", ip="84.29.143.61").n.iloc[0]) > 0
    assert isinstance(case.sql("SELECT 1 AS a", arrow=True), pa.Table)
    with pytest.raises(QueryError):
        case.sql("SELECT * FROM no_such_table")


def test_query_named_and_by_file(case: Case) -> None:
    by_name = case.query("windows", target=TARGET)
    by_file = case.query("queries/windows.sql", target=TARGET)
    pd.testing.assert_frame_equal(by_name, by_file)
    totals = case.query("totals", target=TARGET, internal="203.0.113.0/24")
    assert int(totals.complete_downloads.iloc[0]) == 11
    # a hostile target is a bound value: nothing matches, nothing breaks
    assert case.query("windows", target="/x' OR '1'='1").empty
    with pytest.raises(InputError, match="no parameter"):
        case.query("gaps", gap_minute=5)
    with pytest.raises(InputError, match="one target"):
        case.query("downloads")
    with pytest.raises(QueryError):
        case.query("no_such_query")


def test_query_resets_optional_parameters(case: Case) -> None:
    short = case.query("gaps", gap_minutes=30, gap_factor=0.5)
    default = case.query("gaps")
    assert len(default) == len(case.gaps(60)) < len(short)
