"""Lines standing behind a prefix (syslog, docker compose, kubectl; normalise_sql's codes 9 and 10) after the review
of red team 16 (/tmp/review_redteam16): such a line is an access line that could not be read, so its file leaves the
evidence incomplete (exit 3, page 1, terminal) whatever share of its lines it is; an absolute request target never
exempts a line (only a virtual host written as a field of the line does); a user name the client wrote never makes
a genuine line a "prefix"; the fast CLF path (pieces of 64 lines or more) never reads a priority as the client."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.formats.base import GLUED_REASON, PREFIX_FIELDS_REASON, PREFIX_SYSLOG_REASON, PREFIX_TIME_REASON
from exposure.ingest import IngestOptions
from exposure.report.i18n import EN, NL, Strings
from exposure.report.model import _findings
from exposure.report.wording import sentence
from tests.servers import accounted, analyse

TARGET = "/docs/x.xlsx"


def _line(client: str, minute: int, target: str = TARGET, user: str = "-") -> str:
    return (f'{client} - {user} [08/Jun/2020:09:{minute:02d}:00 +0200] "GET {target} HTTP/1.1" 200 18412 "-" '
            f'"Mozilla/5.0"\n')


def _incomplete(answer, kind: str) -> dict:
    [finding] = [f for f in answer.cli["findings"] if f["severity"] == "incomplete"]
    assert finding["kind"] == kind, finding
    return finding


def test_an_absolute_target_never_exempts_a_prefixed_line(tmp_path: Path) -> None:
    # t5: a proxy probe (`GET http://www.baidu.com/`) among docker compose lines made the file "rejected lines"
    # (stated), the target "never requested", exit 0; t2/abs: all absolute-form, 5 downloads from `web-1`
    text = (_line("web-1 | 198.51.100.9", 0, "http://www.baidu.com/")
            + "".join(_line(f"web-1 | 198.51.100.{i}", i, f"http://www.example.nl{TARGET}") for i in range(1, 6)))
    answer = analyse(tmp_path, "messages", text, TARGET)
    assert answer.exit_code == 3, answer.output
    assert answer.totals["complete_downloads"] == 0 and answer.downloads == []
    finding = _incomplete(answer, "all lines rejected")
    assert finding["lines"] == 6 and finding["detail"].endswith(f"format: {PREFIX_FIELDS_REASON}"), finding
    accounted(answer)


def test_one_prefixed_line_leaves_the_file_incomplete(tmp_path: Path) -> None:
    # 8 requests and one line behind a syslog prefix: a request that was not counted, never only "stated"
    text = "".join(_line(f"198.51.100.{i}", i) for i in range(1, 9)) + _line("<190>198.51.100.9", 9)
    answer = analyse(tmp_path, "access.log", text, TARGET)
    assert answer.exit_code == 3, answer.output
    assert answer.totals["complete_downloads"] == 8
    finding = _incomplete(answer, "prefixed lines")
    assert (finding["lines"], finding["of_lines"]) == (1, 9)
    assert finding["detail"] == ("1 of its 9 lines stand behind a prefix and were rejected by the combined format, "
                                 f"requests not counted: {PREFIX_TIME_REASON}")
    for lang, words in ((EN, "stand behind a prefix"), (NL, "achter een voorvoegsel")):  # page 1
        [said] = [f for f in _findings(answer.cli, Strings(lang)) if f["kind"] == "prefixed lines"]
        # the reason in the page's language (saidfix: every reject reason has its Dutch, wording.sentence)
        reason = PREFIX_TIME_REASON if lang == EN else sentence(PREFIX_TIME_REASON, Strings(lang))
        assert reason != PREFIX_TIME_REASON or lang == EN, reason
        assert words in said["text"] and reason in said["text"], said["text"]


def test_the_terminal_says_a_prefixed_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from exposure.cli import app
    from tests.servers import GEO_OFF

    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "access.log").write_text("".join(_line(f"198.51.100.{i}", i) for i in range(1, 9))
                                     + _line("web-1 | 198.51.100.9", 9))
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, *GEO_OFF], terminal_width=400)
    assert result.exit_code == 3, result.output
    assert ("incomplete: prefixed lines: " + str(logs / "access.log") + ": 1 of its 9 lines stand behind a prefix"
            in result.output), result.output


def test_a_user_name_the_client_wrote_never_rejects_its_line_as_a_prefix(tmp_path: Path) -> None:
    # t4/xff: an X-Forwarded-For-first layout (`$http_x_forwarded_for - $remote_user [...]`): the client sends
    # `X-Forwarded-For: evil` and a user `1.2.3.4 alice x`; %l is the server's `-`. A request, counted, no prefix
    text = "".join(_line(f"198.51.100.{i}", i) for i in range(1, 4)) + _line("evil", 5, user="1.2.3.4 alice x")
    answer = analyse(tmp_path, "access.log", text, TARGET, "--format", "combined")
    assert answer.exit_code == 0, answer.output
    assert answer.totals["complete_downloads"] == 4
    assert sorted(c for c, _ in answer.outcomes()) == ["198.51.100.1", "198.51.100.2", "198.51.100.3", "evil"]
    assert answer.rejects == []


def test_a_user_name_spelling_a_line_start_is_said_as_glued_never_counted_silently(tmp_path: Path) -> None:
    # `evil - 1.2.3.4 - - [time] "GET ...`: byte for byte what a line cut after its `%h - ` then the next line
    # leaves (red team 17 review, t10/c015: a download by the wrong address, silent). The two cannot be told
    # apart; the line is rejected as glued lines, exit 3, its line named: never a request from a wrong address
    text = "".join(_line(f"198.51.100.{i}", i) for i in range(1, 4)) + _line("evil", 5, user="1.2.3.4 - -")
    answer = analyse(tmp_path, "access.log", text, TARGET, "--format", "combined")
    assert answer.exit_code == 3, answer.output
    assert answer.totals["complete_downloads"] == 3
    assert [(r["line_no"], r["reason"]) for r in answer.rejects] == [(4, GLUED_REASON)]


@pytest.mark.parametrize("prefix", [
    # rsyslog `%fromhost-ip% %msg%`: the relay's address first, then the tag (t2/ipfx: 5 downloads from the relay)
    pytest.param("203.0.113.250 nginx:", id="relay-address-and-tag"),
    pytest.param("203.0.113.250 nginx[1234]:", id="relay-address-and-tag-pid"),
])
@pytest.mark.parametrize("user", [pytest.param("-", id="no-user"),
                                  # t2/user: a user name with a space (clients `Jun`)
                                  pytest.param("John Doe", id="user-with-space")])
def test_a_relay_or_syslog_prefix_is_rejected_whatever_the_user(tmp_path: Path, prefix: str, user: str) -> None:
    text = "".join(_line(f"{prefix} 198.51.100.{i}", i, user=user) for i in range(1, 6))
    answer = analyse(tmp_path, "messages", text, TARGET)
    assert answer.exit_code == 3, answer.output
    assert answer.downloads == [] and answer.totals["complete_downloads"] == 0
    assert {r["reason"] for r in answer.rejects} == {PREFIX_FIELDS_REASON}


def test_a_traditional_syslog_prefix_with_a_user_name_holding_a_space_is_rejected(tmp_path: Path) -> None:
    text = "".join(_line(f"Jun 18 09:00:0{i} web1 nginx: 198.51.100.{i}", i, user="John Doe") for i in range(1, 6))
    answer = analyse(tmp_path, "messages", text, TARGET)
    assert answer.exit_code == 3, answer.output
    assert answer.downloads == [] and answer.totals["complete_downloads"] == 0
    assert {r["reason"] for r in answer.rejects} == {PREFIX_FIELDS_REASON}


@pytest.mark.parametrize("n", [pytest.param(10, id="full-path"), pytest.param(70, id="fast-path")])
@pytest.mark.parametrize("prefix, reason", [
    pytest.param("<190>", PREFIX_TIME_REASON, id="priority"),
    pytest.param("2020-06-08T09:00:00.000000+02:00:", PREFIX_TIME_REASON, id="time"),
    pytest.param("web-1 | ", PREFIX_FIELDS_REASON, id="compose"),
])
def test_a_prefix_is_rejected_on_either_path(tmp_path: Path, n: int, prefix: str, reason: str) -> None:
    # t1: 10 lines `<190>198.51.100.N - - ...` all rejected, 70 lines (the fast CLF path) 70 downloads from
    # clients `<190>198.51.100.1`
    text = "".join(f'{prefix}198.51.100.{i} - - [08/Jun/2020:10:{i // 60:02d}:{i % 60:02d} +0000] "GET /f.pdf '
                   f'HTTP/1.1" 200 1000 "-" "x"\n' for i in range(1, n + 1))
    answer = analyse(tmp_path, "a.log", text, "/f.pdf", cli=False)
    assert answer.rows == [] and answer.downloads == []
    assert len(answer.rejects) == n and {r["reason"] for r in answer.rejects} == {reason}


def test_a_time_is_no_ipv6_address() -> None:
    import duckdb

    from exposure.formats.base import ADDRESS_AFTER_RE, ADDRESS_RE

    got = duckdb.connect().execute("SELECT list_transform(?, lambda a: regexp_matches(a, ?)), regexp_matches(?, ?)",
                     [["09:01:00", "2001:db8::1", "::1", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1", "198.51.100.1"],
                             ADDRESS_RE, "web1 09:01:00 nginx: x", ADDRESS_AFTER_RE]).fetchone()
    assert got == ([False, True, True, True, True, True], False)


def test_the_prefix_reasons_are_the_ones_the_rules_match() -> None:
    # one rule: the reasons normalise_sql writes are the ones queries/evidence_rules.sql matches whole
    import duckdb

    from exposure import queries

    con = duckdb.connect()
    con.execute("CREATE TABLE rejects (evidence_id INTEGER, reason VARCHAR)")
    con.execute(queries.get("evidence_rules").sql)
    got = con.execute("SELECT list_transform(?, lambda r: prefixed_reason(r))",
                      [[PREFIX_TIME_REASON, PREFIX_FIELDS_REASON, PREFIX_SYSLOG_REASON,
                        "invalid timestamp: x: take the prefix off first", PREFIX_TIME_REASON + " "]]).fetchone()[0]
    assert got == [True, True, True, False, False]


def test_a_reason_quoting_the_line_is_never_page_ones_hint(tmp_path: Path) -> None:
    # t3: every line's time is `<img src=x onerror=alert(1)>: take the prefix off first`: the one reason,
    # `invalid timestamp: <img ...>: take the prefix off first`, was taken as the hint of how to read the file
    text = "".join(f'198.51.100.{i} - - [<img src=x onerror=alert(1)>: take the prefix off first] "GET {TARGET} '
                   f'HTTP/1.1" 200 18412 "-" "x"\n' for i in range(1, 4))
    answer = analyse(tmp_path, "access.log", text, TARGET)
    assert answer.exit_code == 3, answer.output
    finding = _incomplete(answer, "all lines rejected")
    assert finding["detail"].endswith("format: it is probably not combined (without --format the format of each file "
                                      "is detected)"), finding["detail"]
    for lang in (EN, NL):
        [said] = [f for f in _findings(answer.cli, Strings(lang)) if f["kind"] == "all lines rejected"]
        assert "<img" not in said["text"] and "take the prefix off" not in said["text"], said["text"]


def test_a_syslog_day_padded_with_a_space_says_take_the_prefix_off(tmp_path: Path) -> None:
    # t4/jun8: `Jun  8 09:01:00 web1 nginx: ...` (two spaces) matched no shape: "probably not combined", no hint;
    # among genuine lines it was only "rejected lines" (stated)
    text = "".join(_line(f"198.51.100.{i}", i) for i in range(1, 4)) + _line("Jun  8 09:04:00 web1 nginx: 198.51.100.4", 4)
    answer = analyse(tmp_path, "messages", text, TARGET)
    assert answer.exit_code == 3, answer.output
    assert [r["reason"] for r in answer.rejects] == [PREFIX_SYSLOG_REASON]
    finding = _incomplete(answer, "prefixed lines")
    assert finding["detail"].endswith(PREFIX_SYSLOG_REASON), finding
    answer = analyse(tmp_path / "all", "messages",
                     "".join(_line(f"Jun  8 09:0{i}:00 web1 nginx: 198.51.100.{i}", i) for i in range(1, 4)), TARGET,
                     "--format", "combined", ingest=IngestOptions(format="combined"))
    assert _incomplete(answer, "all lines rejected")["detail"].endswith(f"format: {PREFIX_SYSLOG_REASON}")


def test_prefixed_lines_leave_uncovered_only_the_time_between_their_readable_neighbours(tmp_path: Path) -> None:
    # 1,000 lines over 10 hours (one each 36 s), lines 121-123 behind a syslog prefix (hour 2): the time uncovered
    # lay from the file's last line (09:59:24) to "the end of the stream", as for a file damaged at its end; it lies
    # between line 120 (01:11:24) and line 124 (01:13:48), the rule of a damage inside a file
    from datetime import datetime, timedelta

    def at(i: int) -> datetime:
        return datetime(2020, 6, 8) + timedelta(seconds=36 * i)

    text = "".join(("Jun  8 " + at(i).strftime("%H:%M:%S") + " web1 nginx: " if 120 <= i <= 122 else "")
                   + f'198.51.100.{i % 200 + 1} - - [{at(i).strftime("%d/%b/%Y:%H:%M:%S")} +0000] "GET {TARGET} '
                     f'HTTP/1.1" 200 18412 "-" "Mozilla/5.0"\n' for i in range(1000))
    answer = analyse(tmp_path, "access.log", text, TARGET)
    assert answer.exit_code == 3, answer.output
    finding = _incomplete(answer, "prefixed lines")
    assert (finding["lines"], finding["of_lines"]) == (3, 1000)
    assert (finding["uncovered_start"], finding["uncovered_end"]) == ("2020-06-08T01:11:24Z", "2020-06-08T01:13:48Z")
    for lang in (EN, NL):  # page 1
        [said] = [f for f in _findings(answer.cli, Strings(lang)) if f["kind"] == "prefixed lines"]
        assert "01:11:24" in said["text"] and "01:13:48" in said["text"], said["text"]
    logs = tmp_path / "logs"  # the terminal
    from typer.testing import CliRunner

    from exposure.cli import app
    from tests.servers import GEO_OFF
    result = CliRunner().invoke(app, ["analyse", str(logs), "--target", TARGET, *GEO_OFF], terminal_width=400)
    assert result.exit_code == 3
    assert "has no line from 2020-06-08T01:11:24Z to 2020-06-08T01:13:48Z" in result.output, result.output


def test_an_identd_answer_before_an_address_the_user_holds_is_refused_as_prefixed_a_limit(tmp_path: Path) -> None:
    # A limit (README): Apache `IdentityCheck On` (%l: the client's identd answer) with HostnameLookups (%h: a short
    # name) and a user the client wrote holding an address: `pc3 alice 198.51.100.3 - -` reads exactly as stern's
    # `web-7d4b9c-x2k4p nginx 198.51.100.1 - -` or a kubectl/compose/syslog prefix ending in a word. Exempting it
    # (6ca5836) let those prefixes through as requests from `[pod/...]`, `web-1`, `Jun` (exit 0, /tmp/review_prefixfix
    # t1, t3, t7, t8, t10): a wrong client counted silently. So such a line is refused as prefixed (said, exit 3);
    # a client address with an identd answer, or a host-name client with a plain user, stays a request
    def ident_line(client: str, ident: str, user: str, minute: int) -> str:
        return (f'{client} {ident} {user} [08/Jun/2020:09:{minute:02d}:00 +0200] "GET {TARGET} HTTP/1.1" 200 18412 '
                f'"-" "Mozilla/5.0"\n')

    text = (ident_line("198.51.100.1", "alice", "-", 1) + ident_line("pc2", "root", "-", 2)
            + ident_line("pc3", "alice", "198.51.100.3 - -", 3) + ident_line("localhost", "root", "10.0.0.5 admin x", 5))
    answer = analyse(tmp_path, "access.log", text, TARGET)
    assert answer.exit_code == 3, answer.output
    assert [(r["client"], r["ident"], r["userid"]) for r in answer.rows] == [
        ("198.51.100.1", "alice", None), ("pc2", "root", None)]
    assert [r["reason"] for r in answer.rejects] == [PREFIX_FIELDS_REASON, PREFIX_FIELDS_REASON]
    finding = _incomplete(answer, "prefixed lines")
    assert (finding["lines"], finding["of_lines"]) == (2, 4)
    accounted(answer)


def test_a_file_of_syslog_lines_padded_with_a_space_says_take_the_prefix_off_without_format(tmp_path: Path) -> None:
    # t4/jun8 without --format: no format fits `Jun  8 09:01:00 web1 nginx: ...`; the file was "an access log in a
    # format exposure does not read" with the layout options as its advice, no word of the prefix. Then (review of
    # prefixfix) it ended "not the format's line: take the prefix off first", though no format was chosen, and
    # dropped the layout options, still needed where the layout after the prefix is custom
    from exposure.formats.unread import PREFIX_SYSLOG_REFUSAL

    text = "".join(_line(f"Jun  8 09:0{i}:00 web1 nginx: 198.51.100.{i}", i) for i in range(1, 6))
    answer = analyse(tmp_path, "messages", text, TARGET)
    assert answer.exit_code == 3, answer.output
    finding = _incomplete(answer, "unreadable")
    assert finding["detail"].endswith(f"its requests are not in the answer: {PREFIX_SYSLOG_REFUSAL}"), finding
    assert "format's line" not in finding["detail"], finding
    assert "take the prefix off first" in PREFIX_SYSLOG_REFUSAL and "--log-format" in PREFIX_SYSLOG_REFUSAL
    assert f"incomplete: unreadable: {tmp_path / 'logs' / 'messages'}: " in answer.output  # the terminal
    assert PREFIX_SYSLOG_REFUSAL in answer.output, answer.output
    [said] = [f for f in _findings(answer.cli, Strings(EN)) if f["kind"] == "unreadable"]  # page 1
    assert PREFIX_SYSLOG_REFUSAL in said["text"], said["text"]
    [said] = [f for f in _findings(answer.cli, Strings(NL)) if f["kind"] == "unreadable"]  # in Dutch since saidfix2
    assert "haal eerst het voorvoegsel weg" in said["text"] and "--log-format" in said["text"], said["text"]


def _minutes(prefixed: dict[int, str], n: int = 100) -> str:
    """n lines one a minute from 08:00 (line k at minute k-1), the lines `prefixed` names behind their prefix."""
    return "".join(prefixed.get(k, "") + f'198.51.100.{k % 250} - - [08/Jun/2020:{8 + (k - 1) // 60:02d}:'
                   f'{(k - 1) % 60:02d}:00 +0000] "GET {TARGET} HTTP/1.1" 200 18412 "-" "Mozilla/5.0"\n'
                   for k in range(1, n + 1))


@pytest.mark.parametrize("prefix", [pytest.param(lambda t: "web1 nginx: ", id="relay-tag"),
                                    pytest.param(lambda t: f"Jun  8 {t} web1 nginx: ", id="syslog-day-padded")])
def test_each_run_of_prefixed_lines_leaves_only_its_own_neighbours_uncovered(tmp_path: Path, prefix) -> None:
    # review of prefixfix t4, t9: lines 10 (08:09) and 90 (09:29) of 100 behind a prefix: the file said 'no line from
    # 08:08:00Z to 09:30:00Z' (the first prefixed line to the last), though 79 counted lines lie inside. Each run
    # between its own readable neighbours: 08:08-08:10 and 09:28-09:30, one finding each (as a file damaged in
    # two places)
    from typer.testing import CliRunner

    from exposure.cli import app
    from tests.servers import GEO_OFF

    answer = analyse(tmp_path, "access.log", _minutes({10: prefix("08:09:00"), 90: prefix("09:29:00")}), TARGET)
    assert answer.exit_code == 3, answer.output
    assert answer.totals["complete_downloads"] == 98
    said = sorted((f for f in answer.cli["findings"] if f["kind"] == "prefixed lines"), key=lambda f: f["fact"])
    assert [(f["uncovered_start"], f["uncovered_end"], f["line_ranges"], f["fact"], f["lines"], f["of_lines"])
            for f in said] == [("2020-06-08T08:08:00Z", "2020-06-08T08:10:00Z", "10", "run 1 of 2", 2, 100),
                               ("2020-06-08T09:28:00Z", "2020-06-08T09:30:00Z", "90", "run 2 of 2", 2, 100)]
    assert "stand behind a prefix (line 10: run 1 of 2 in this file) and were rejected" in said[0]["detail"]
    en, nl = (sorted(f["text"] for f in _findings(answer.cli, Strings(lang)) if f["kind"] == "prefixed lines")
              for lang in (EN, NL))  # page 1
    assert [("(line 10: run 1 of 2 in this file)" in t, "08:08:00Z" in t and "08:10:00Z" in t, "09:30" in t)
            for t in en] == [(True, True, False), (False, False, True)], en
    assert [("(regel 90: reeks 2 van 2 in dit bestand)" in t, "09:28:00Z" in t and "09:30:00Z" in t, "08:08" in t)
            for t in nl] == [(False, False, True), (True, True, False)], nl
    result = CliRunner().invoke(app, ["analyse", str(tmp_path / "logs"), "--target", TARGET, *GEO_OFF],
                                terminal_width=400)
    assert result.exit_code == 3
    assert "has no line from 2020-06-08T08:08:00Z to 2020-06-08T08:10:00Z" in result.output, result.output
    assert "has no line from 2020-06-08T09:28:00Z to 2020-06-08T09:30:00Z" in result.output, result.output
    assert "to 2020-06-08T09:30:00Z" not in result.output.replace("09:28:00Z to 2020-06-08T09:30:00Z", "")


def test_prefixed_first_and_last_lines_leave_the_streams_edges_uncovered(tmp_path: Path) -> None:
    # review of prefixfix t5_0_99: the first and last lines behind a prefix said the uncovered time 'is unknown';
    # each edge is known: before the first readable line (08:01), after the last (09:38)
    answer = analyse(tmp_path, "access.log", _minutes({1: "web1 nginx: ", 100: "web1 nginx: "}), TARGET)
    assert answer.exit_code == 3, answer.output
    said = sorted((f for f in answer.cli["findings"] if f["kind"] == "prefixed lines"), key=lambda f: f["fact"])
    assert [(f["uncovered_start"], f["uncovered_end"], f["line_ranges"]) for f in said] == [
        (None, "2020-06-08T08:01:00Z", "1"), ("2020-06-08T09:38:00Z", None, "100")]
    texts = [f["text"] for f in _findings(answer.cli, Strings(EN)) if f["kind"] == "prefixed lines"]
    assert not [t for t in texts if "unknown" in t], texts


def test_many_runs_of_prefixed_lines_say_the_first_ten_and_how_many(tmp_path: Path) -> None:
    # 12 runs (lines 5, 10, ... 60; 61-62 one run): the first 10 said, one finding each, the 10th with the count
    prefixed = {k: "web1 nginx: " for k in [*range(5, 56, 5), 61, 62]}
    answer = analyse(tmp_path, "access.log", _minutes(prefixed, 70), TARGET)
    assert answer.exit_code == 3, answer.output
    said = [f for f in answer.cli["findings"] if f["kind"] == "prefixed lines"]
    assert sorted(f["fact"] for f in said) == sorted([f"run {n} of 12" for n in range(1, 10)]
                                                      + ["run 10 of 12, the first 10 said"])
    assert all(f["lines"] == 13 for f in said)
    [tenth] = [f for f in said if f["fact"].startswith("run 10 ")]
    assert (tenth["line_ranges"], tenth["uncovered_start"], tenth["uncovered_end"]) == (
        "50", "2020-06-08T08:48:00Z", "2020-06-08T08:50:00Z")
    assert "(line 50: run 10 of 12 in this file, the first 10 said (table rejects))" in tenth["detail"]
    [nl] = [f["text"] for f in _findings(answer.cli, Strings(NL)) if (f.get("fact") or "").startswith("run 10 ")]
    assert "(regel 50: reeks 10 van 12 in dit bestand, de eerste 10 genoemd (tabel rejects))" in nl, nl
