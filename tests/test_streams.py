"""Log streams (exposure/streams.py): the names servers and log shippers write, content where names are silent,
copies joining what they copy, and --stream-from."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure import Case
from exposure.errors import InputError
from exposure.ingest import IngestOptions
from exposure.streams import check_stream_from, read_name
from tests.conftest import write_log
from tests.evidence_trees import day_lines, gzip_lines
from tests.logs import clf, t

ELB = ("123456789012_elasticloadbalancing_eu-west-1_app.my-lb.1234567890abcdef_20200612T1015Z_10.0.0.1_2kb3nfhv"
       ".log.gz")


@pytest.mark.parametrize(("path", "stream", "server", "kind"), [
    pytest.param("/e/web1/access.log", "web1/access.log", "web1", "server", id="live"),
    pytest.param("/e/web1/access.log.1", "web1/access.log", "web1", "server", id="numbered"),
    pytest.param("/e/web1/access.log.2.gz", "web1/access.log", "web1", "server", id="numbered-gz"),
    pytest.param("/e/web1/access.log-20200612", "web1/access.log", "web1", "server", id="dateext"),
    pytest.param("/e/web1/access.log-20200612.gz", "web1/access.log", "web1", "server", id="dateext-gz"),
    pytest.param("/e/flat/web1-access.log-20200612.gz", "web1-access.log", "web1", "server", id="named-server"),
    pytest.param("/e/web1/var/log/nginx/access.log", "web1/nginx/access.log", "web1", "server", id="nginx-folder"),
    pytest.param("/e/2020/06/web1/ssl_access_log-20200612", "web1/ssl_access_log", "web1", "server", id="ssl"),
    pytest.param("/e/x/example.com.access.log.1", "example.com.access.log", "example.com", "server", id="vhost"),
    pytest.param("/e/x/web2-access-20200612.log", "web2-access.log", "web2", "server", id="rotatelogs"),
    pytest.param("/e/srv1/LogFiles/W3SVC1/u_ex200612.log", "srv1/W3SVC1/u_ex.log", "srv1", "server", id="iis"),
    pytest.param("/e/srv1/W3SVC2/u_extend12.log", "srv1/W3SVC2/u_extend.log", "srv1", "server", id="iis-extend"),
    pytest.param("/e/b/logs/2020-06-12-10-15-30-0123456789ABCDEF", "s3:b/", "b", "server", id="s3"),
    pytest.param("/e/cf/E2ABCDEF12345.2020-06-12-10.abcdef01.gz", "cloudfront:E2ABCDEF12345", "E2ABCDEF12345",
                 "server", id="cloudfront"),
    pytest.param("/e/cf/example-prefix/EMLARXS9EXAMPLE.2019-11-14-20.RT4KCN4SGK9.gz", "cloudfront:EMLARXS9EXAMPLE",
                 "EMLARXS9EXAMPLE", "server", id="cloudfront-aws-docs-unique-id"),  # AWS's own example of the name
    pytest.param(f"/e/AWSLogs/123456789012/elasticloadbalancing/eu-west-1/2020/06/12/{ELB}",
                 "elb:123456789012/eu-west-1/app.my-lb.1234567890abcdef", "app.my-lb.1234567890abcdef", "server",
                 id="alb"),
    pytest.param("/e/export1/part-00001.log", "export1/part.log", "export1", "server", id="part-number"),
    pytest.param("/e/spark/part-r-00000", "spark/part-r", "spark", "server", id="hadoop-part"),
    pytest.param("/e/web1/access-0007.log", "web1/access.log", "web1", "server", id="default-name-part"),
    pytest.param("/e/x/web2.log", "x/web2.log", "x", "server", id="server-number-kept"),
    pytest.param("/e/x/web12-access.log", "web12-access.log", "web12", "server", id="named-server-number-kept"),
    pytest.param("/e/handover/access.log.copy", "handover/access.log", "handover", "copy", id="dot-copy"),
    pytest.param("/e/web1/copy of access.log", "web1/access.log", "web1", "copy", id="copy-of"),
    pytest.param("/e/web1/kopie van access.log.1", "web1/access.log", "web1", "copy", id="kopie"),
    pytest.param("/e/web1/access (1).log", "web1/access.log", "web1", "copy", id="numbered-copy"),
    pytest.param("/e/web1/access.log.bak", "web1/access.log", "web1", "copy", id="bak"),
    pytest.param("/e/web1/access.log_old", "web1/access.log", "web1", "copy", id="old"),
    # takefix: every name a desktop gives a copy is a copy's (GNOME, Windows, macOS Finder; an editor's backups)
    pytest.param("/e/web1/access (copy).log", "web1/access.log", "web1", "copy", id="gnome-copy"),
    pytest.param("/e/web1/access (another copy).log", "web1/access.log", "web1", "copy", id="gnome-another-copy"),
    pytest.param("/e/web1/access (3rd copy).log", "web1/access.log", "web1", "copy", id="gnome-3rd-copy"),
    pytest.param("/e/web1/excerpt (copy).log", "web1/excerpt.log", "web1", "copy", id="gnome-copy-server-name"),
    pytest.param("/e/web1/access - Copy.log", "web1/access.log", "web1", "copy", id="windows-copy"),
    pytest.param("/e/web1/access - Copy (2).log", "web1/access.log", "web1", "copy", id="windows-copy-2"),
    pytest.param("/e/web1/access copy.log", "web1/access.log", "web1", "copy", id="macos-copy"),
    pytest.param("/e/web1/access copy 2.log", "web1/access.log", "web1", "copy", id="macos-copy-2"),
    pytest.param("/e/web1/access.log.orig", "web1/access.log", "web1", "copy", id="orig"),
    pytest.param("/e/web1/access.log~", "web1/access.log", "web1", "copy", id="tilde"),
    pytest.param("/e/backup/web1/access.log-20200612", "web1/access.log", "web1", "server", id="backup-folder"),
    pytest.param("/e/export/logs.txt", None, None, "silent", id="silent-in-export"),
    pytest.param("/e/x/logs.txt", None, None, "silent", id="silent"),
])
def test_names_servers_and_shippers_write(path: str, stream: str | None, server: str | None, kind: str) -> None:
    reading = read_name(path, path)
    assert (reading.stream, reading.server, reading.kind) == (stream, server, kind), reading.reason
    # a folder named like a copy's is said apart from the name (the citation rule weighs it second)
    assert reading.copy_folder == next((f for f in ("backup", "export") if f"/{f}/" in path), None)


def test_stream_from_is_checked() -> None:
    assert check_stream_from("name") == "name" and check_stream_from(r"(?P<stream>web\d)") is not None
    with pytest.raises(InputError, match="neither name, folder nor a regular expression"):
        check_stream_from("web(")
    with pytest.raises(InputError):
        IngestOptions(stream_from="(").validated()


def _streams(case: Case) -> dict[str, tuple[str, str]]:
    return {Path(p).name: (s, r) for p, s, r in case.sql(
        "SELECT path, stream, stream_reason FROM evidence WHERE stream IS NOT NULL").values.tolist()}


def test_silent_names_take_the_stream_from_content(tmp_path: Path) -> None:
    w3c = ["#Software: Microsoft Internet Information Services 10.0", "#Version: 1.0",
           "#Fields: date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port "
           "cs-username c-ip cs(User-Agent) sc-status sc-substatus sc-win32-status sc-bytes time-taken",
           "2020-06-08 10:00:00 W3SVC3 WEB07 10.0.0.7 GET /a - 443 - 192.0.2.1 Mozilla/5.0 200 0 0 512 15"]
    write_log(tmp_path / "in" / "data.txt", w3c)
    write_log(tmp_path / "in" / "export.dat", [
        f"www.example.org:443 {clf('192.0.2.2', t(8, 10 + i), '/b')}" for i in range(3)])
    write_log(tmp_path / "in" / "dump", [clf("192.0.2.3", t(8, 10 + i), "/c") for i in range(3)])
    with Case() as case:
        case.ingest([tmp_path / "in"])
        streams = _streams(case)
    assert streams["data.txt"][0] == "w3c:WEB07/W3SVC3"
    assert streams["data.txt"][1].startswith("content: s-computername WEB07, s-sitename W3SVC3, s-ip 10.0.0.7")
    assert streams["export.dat"][0] == "vhost:www.example.org"
    assert streams["dump"] == ("in/combined", "content: combined format in folder in; name: says nothing about a server")


def test_numbered_parts_of_one_export_are_one_stream(tmp_path: Path) -> None:
    """An export's numbered parts (`part-00001.log` ...) are one stream, so what is inferred per stream (the
    byte counts' meaning) is inferred and said once, not once per file; servers' own numbers stay apart."""
    for n in range(3):
        write_log(tmp_path / "in" / "firehose" / f"part-{n:05d}.log",
                  [clf(f"192.0.2.{n}", t(8, 10 + n, i), "/a", size=100 + i) for i in range(3)])
    for n in (1, 2):
        write_log(tmp_path / "in" / "flat" / f"web{n}.log", [clf("192.0.2.9", t(9, 10 + n), "/b")])
    for n in (1, 2):  # a default name's parts are one export; servers numbered with zeros or 5 digits are not
        write_log(tmp_path / "in" / "dump" / f"access-{n:04d}.log", [clf("192.0.2.8", t(9, 10 + n), "/c")])
    servers = ("node-0001.log", "node-0002.log", "web-10001.log", "web-10002.log", "access-10443.log")
    for k, name in enumerate(servers):
        write_log(tmp_path / "in" / "nodes" / name, [clf("192.0.2.7", t(9, 10), f"/d{k}")])
    with Case() as case:
        result = case.ingest([tmp_path / "in"])
        streams = _streams(case)
    assert {streams[f"part-{n:05d}.log"][0] for n in range(3)} == {"firehose/part.log"}
    assert streams["part-00002.log"][1] == "name: part.log numbered part (-00002) in folder firehose"
    assert (streams["web1.log"][0], streams["web2.log"][0]) == ("flat/web1.log", "flat/web2.log")
    assert {streams[f"access-{n:04d}.log"][0] for n in (1, 2)} == {"dump/access.log"}
    assert [streams[name][0] for name in servers] == [
        "nodes/node-0001.log", "nodes/node-0002.log", "nodes/web-10001.log", "nodes/web-10002.log",
        "access-10443.log"]  # the last named for its server part as `access-web1.log` would be
    assert sorted(s for s, *_ in result.byte_facts) == sorted(
        ["dump/access.log", "firehose/part.log", "flat/web1.log", "flat/web2.log",
         *(streams[name][0] for name in servers)])  # byte meanings said once per stream


def test_stream_from_pattern_name_and_folder(tmp_path: Path) -> None:
    for server in ("web1", "web2"):
        write_log(tmp_path / "in" / server / "access.log", day_lines(server, 10)[:5])
        write_log(tmp_path / "in" / "flat" / f"{server}_x.log", day_lines(server, 11)[:5])
    with Case() as case:
        case.ingest([tmp_path / "in"], IngestOptions(stream_from=r"(web\d)"))
        rows = case.sql("SELECT path, stream, stream_reason FROM evidence ORDER BY path").values.tolist()
        # flat/web1_x.log, flat/web2_x.log, web1/access.log, web2/access.log: the group is the stream
        assert [s for _, s, _ in rows] == ["web1", "web2", "web1", "web2"]
        assert rows[0][2] == r"--stream-from (web\d): web1"
        # the rule is kept in the case: a later ingest of a new file without --stream-from applies it to every
        # file again
        write_log(tmp_path / "in" / "web3" / "access.log", day_lines("web1", 12)[:5])
        case.ingest([tmp_path / "in"])
        assert [s for _, s in case.sql("SELECT path, stream FROM evidence ORDER BY path").values.tolist()] == \
            ["web1", "web2", "web1", "web2", "web3"]
        case.ingest([tmp_path / "in"], IngestOptions(stream_from="name"))
        assert {s for _, s in case.sql("SELECT path, stream FROM evidence").values.tolist()} == \
            {"access.log", "web1_x.log", "web2_x.log"}
        case.ingest([tmp_path / "in"], IngestOptions(stream_from="folder"))
        assert sorted(case.sql("SELECT stream FROM evidence").stream) == sorted(
            [str(tmp_path / "in" / "flat")] * 2 + [str(tmp_path / "in" / f"web{n}") for n in (1, 2, 3)])


def test_a_copy_joins_the_stream_it_copies_by_content(tmp_path: Path) -> None:
    """Identical content in a folder of its own and a silent name: the copy's stream is its original's."""
    day = day_lines("web1", 11)
    (tmp_path / "web1").mkdir()
    (tmp_path / "web1" / "access.log-20200612.gz").write_bytes(gzip_lines(day))
    write_log(tmp_path / "usb" / "stick" / "day11.txt", day)
    with Case() as case:
        case.ingest([tmp_path])
        streams = _streams(case)
        verdicts = dict(case.sql("SELECT path, verdict FROM evidence").values.tolist())
    assert streams["day11.txt"][0] == streams["access.log-20200612.gz"][0] == "web1/access.log"
    assert streams["day11.txt"][1].startswith("copy: the same content as ")
    assert verdicts[str(tmp_path / "usb" / "stick" / "day11.txt")] == "duplicate"
