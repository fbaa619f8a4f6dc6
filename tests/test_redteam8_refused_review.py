"""Review of red team 8's "may have been withdrawn" warning (queries/downloads_rule.sql rule_refused_after).

The warning said "after its last available response it was only refused" while a 302 and a 500 came after too;
one 403 to one address a second after the last 200 (hotlink protection, a WAF) raised it; a 403 on the line
after the last 200 in the same second was not "after" it, though the rule orders responses by (time, evidence
file, line); and page 1 cut the caveat before its numbers. Now: refusals to at least two external addresses,
compared in the rule's order, every other response said with its statuses, the numbers first."""

from __future__ import annotations

from pathlib import Path

from tests.servers import analyse
from tests.test_redteam8_refused import _log
from tests.test_servers_aws import TARGET

LOG = "2020-06-08-12-00-00-ABCDEF0123456789"


def _withdrawn(answer) -> list[str]:  # type: ignore[no-untyped-def]
    return [w for w in answer.target["warnings"] if "may have been withdrawn:" in w]


def test_other_responses_after_the_last_available_one_are_said_with_their_statuses(tmp_path: Path) -> None:
    answer = analyse(tmp_path, LOG, _log(("10:00:00", "198.51.100.9", 403, "AccessDenied"),
                                         ("10:10:00", "198.51.100.8", 302, "-"),
                                         ("10:20:00", "198.51.100.8", 500, "InternalError"),
                                         ("11:00:00", "198.51.100.10", 403, "AccessDenied")), TARGET)
    assert answer.exit_code == 0, answer.output
    log = tmp_path / "logs" / LOG
    assert _withdrawn(answer) == [
        "window 1 may have been withdrawn: 2 refusals (403) to 2 addresses from 2020-06-08T10:00:00Z to "
        "2020-06-08T11:00:00Z and 2 other responses (302/500) after its last available response, never available "
        "again, though no 404 or 410 closes the window (still available when the logs end, by the rule); first "
        f"refusal {log}:4; S3 answers a deleted object with 403 where the reader may not list the bucket, and a "
        "file whose access was closed answers 403 too"]
    # the 302 after the last available response is said too (rule_redirects_after), the refusals as others
    assert [w for w in answer.target["warnings"] if "answered redirects" in w] == [
        "window 1: after its last available response the path answered redirects and never showed the file "
        f"available again (1 request (302) from 1 address, first 2020-06-08T10:10:00Z {log}:5; 3 other responses "
        "(403/500)): the file may have been moved or withdrawn then; the window's end is the last response that "
        "showed it available"]
    from exposure.report.i18n import strings
    from exposure.report.wording import sentence
    assert sentence(_withdrawn(answer)[0], strings("nl")).startswith(
        "venster 1 is mogelijk teruggetrokken: 2 weigeringen (403) aan 2 adressen van 2020-06-08T10:00:00Z tot "
        "2020-06-08T11:00:00Z en 2 andere antwoorden (302/500) na het laatste beschikbare antwoord")


def test_a_refusal_to_one_external_address_raises_no_warning(tmp_path: Path) -> None:
    one = analyse(tmp_path / "one", LOG, _log(("09:02:01", "198.51.100.9", 403, "AccessDenied"),
                                              ("09:30:00", "198.51.100.9", 403, "AccessDenied")), TARGET)
    assert one.exit_code == 0, one.output
    assert _withdrawn(one) == []
    # a second refused address is staff (--internal): still one external address
    staff = analyse(tmp_path / "staff", LOG, _log(("09:02:01", "198.51.100.9", 403, "AccessDenied"),
                                                  ("09:30:00", "10.0.0.5", 403, "AccessDenied")), TARGET,
                    "--internal", "10.0.0.0/8")
    assert staff.exit_code == 0, staff.output
    assert _withdrawn(staff) == []


def test_a_refusal_in_the_same_second_as_the_last_200_is_after_it_by_line(tmp_path: Path) -> None:
    answer = analyse(tmp_path, LOG, _log(("09:02:00", "198.51.100.9", 403, "AccessDenied"),
                                         ("10:00:00", "198.51.100.10", 403, "AccessDenied")), TARGET)
    log = tmp_path / "logs" / LOG
    [said] = _withdrawn(answer)
    assert said.startswith("window 1 may have been withdrawn: 2 refusals (403) to 2 addresses from "
                           "2020-06-08T09:02:00Z to 2020-06-08T10:00:00Z and no other response after")
    assert f"first refusal {log}:4;" in said


def test_page_one_keeps_the_numbers_and_dates_of_the_caveat(tmp_path: Path) -> None:
    """Page 1 shows PAGE_ONE_CAVEAT characters of a caveat: the counts and both dates are within them, in
    English and in Dutch."""
    from exposure.escaping import shorten
    from exposure.report.html import PAGE_ONE_CAVEAT
    from exposure.report.i18n import strings
    from exposure.report.wording import sentence

    answer = analyse(tmp_path, LOG, _log(("10:00:00", "198.51.100.9", 403, "AccessDenied"),
                                         ("10:10:00", "198.51.100.8", 500, "InternalError"),
                                         ("11:30:00", "198.51.100.10", 451, "-")), TARGET)
    [said] = _withdrawn(answer)
    for text, numbers in ((said, "2 refusals (403/451) to 2 addresses from 2020-06-08T10:00:00Z to "
                                 "2020-06-08T11:30:00Z and 1 other response (500)"),
                          (sentence(said, strings("nl")), "2 weigeringen (403/451) aan 2 adressen van "
                                                          "2020-06-08T10:00:00Z tot 2020-06-08T11:30:00Z en 1 ander "
                                                          "antwoord (500)")):
        assert numbers in shorten(text, PAGE_ONE_CAVEAT)
