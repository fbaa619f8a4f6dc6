"""Red team 7: two S3 objects whose names say nothing (a link `link-outside`, a name with a newline) got the
stream `vhost:example-bucket` from their content while their siblings are in `s3:<folder>/`: the two files'
lines 100 minutes apart made a false gap "inside window 1" and page 1 called the figures a minimum. A silent
file of an S3 (or CloudFront) log joins the named stream AWS writes for the same bucket (distribution) when one
exists (exposure/streams.py, rule 2)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from exposure import AnalysisOptions, Case

SIZE = 18412
T0 = datetime(2020, 6, 8, 5, 0, tzinfo=UTC)


def _s3(t: datetime, ip: str, bucket: str = "example-bucket") -> str:
    ts = t.strftime("%d/%b/%Y:%H:%M:%S +0000")
    return (f'79a5 {bucket} [{ts}] {ip} - 3E57 REST.GET.OBJECT docs/x.xlsx "GET /docs/x.xlsx HTTP/1.1" 200 - '
            f'{SIZE} {SIZE} 70 10 "-" "Mozilla/5.0 (X11)" - AIDA SigV4 ECDHE-RSA-AES128-GCM-SHA256 - '
            f'{bucket}.s3.amazonaws.com TLSv1.2\n')


def _bucket(folder: Path, silent: dict[int, str], bucket: str = "example-bucket") -> None:
    """An S3 object every 5 minutes from 05:00 to 08:00; those numbered in `silent` under a name that says nothing."""
    folder.mkdir(parents=True)
    for i in range(37):
        t = T0 + timedelta(minutes=5 * i)
        name = silent.get(i, t.strftime("%Y-%m-%d-%H-%M-%S-") + f"{i:016X}")
        (folder / name).write_text(_s3(t, f"198.51.100.{i + 1}", bucket), encoding="ascii")


def test_a_silent_s3_object_joins_its_buckets_named_stream(tmp_path: Path) -> None:
    _bucket(tmp_path / "rt7-s3trap", {9: "link-outside", 29: "name with\nnewline"})
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path / "rt7-s3trap"])
        rows = case.sql("SELECT path, stream, stream_reason FROM evidence").values.tolist()
        streams = {Path(p).name: s for p, s, _r in rows}
        reasons = {Path(p).name: r for p, _s, r in rows}
        assert set(streams.values()) == {"s3:rt7-s3trap/"}
        assert reasons["link-outside"].startswith("content: s3 lines of example-bucket, which the named stream "
                                                  "s3:rt7-s3trap/ logs; name: says nothing")
        gaps = case.gaps()
        answer = case.analyse(["/docs/x.xlsx"], AnalysisOptions(size=SIZE))
    assert len(gaps) == 0
    [target] = answer["targets"]
    assert target["gaps"] == []
    assert target["totals"]["complete_downloads"] == 37


def test_a_silent_object_of_another_bucket_keeps_its_own_stream(tmp_path: Path) -> None:
    _bucket(tmp_path / "a", {})
    (tmp_path / "a" / "stray").write_text(_s3(T0, "198.51.100.200", "other-bucket"), encoding="ascii")
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path / "a"])
        [stream] = case.sql("SELECT stream FROM evidence WHERE path LIKE '%stray'").stream.tolist()
    assert stream == "vhost:other-bucket"


def test_a_log_of_another_format_never_joins_an_s3_stream(tmp_path: Path) -> None:
    """Review: an Apache vhost_combined file named like an S3 key (so its stream is `s3:web/`) and a file named
    `dump` logging the same host: `dump` joined `s3:web/`, and a false gap followed. Only S3 and CloudFront files
    join a named AWS stream."""
    line = '{} www.example.org:443 198.51.100.{} - - [08/Jun/2020:{:02d}:00:00 +0000] "GET /a HTTP/1.1" 200 5 "-" "M"\n'
    (tmp_path / "web").mkdir()
    (tmp_path / "web2").mkdir()
    (tmp_path / "web" / "2020-06-08-00-00-00-0123456789ABCDEF").write_text(
        "".join(line.format("", i, i).lstrip() for i in range(0, 3)))
    (tmp_path / "web2" / "dump").write_text("".join(line.format("", i, i).lstrip() for i in range(3, 6)))
    with Case(tmp_path / "case.duckdb") as case:
        case.ingest([tmp_path / "web", tmp_path / "web2"])
        got = dict(case.sql("SELECT path, stream FROM evidence").values.tolist())
    assert got[str(tmp_path / "web" / "2020-06-08-00-00-00-0123456789ABCDEF")] == "s3:web/"
    assert not got[str(tmp_path / "web2" / "dump")].startswith("s3:")
