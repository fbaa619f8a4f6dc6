"""Every reject reason and every finding kind the tool writes has its Dutch (report/wording.py, report/i18n.py):
the Dutch report never shows one as written in English (PREFIX_JSON_REASON and the glued and prefix reasons had
none; `prefixed lines`, `time ran back`, `stray time`, `possible copy` and `client not forwarded` were labelled
in English on the Dutch page). A reason added without its Dutch fails here."""

from __future__ import annotations

import gzip
import importlib
import pkgutil
import re

import pytest

import exposure
from exposure.analysis.evidence_status import KINDS
from exposure.report.i18n import NL, strings
from exposure.report.wording import sentence


def _reason_constants() -> dict[str, str]:
    """Every module-level `*_REASON` text of the package: the reject reasons written whole."""
    found = {}
    for info in pkgutil.walk_packages(exposure.__path__, "exposure."):
        if info.name.startswith(("exposure.sql", "exposure.__main__")):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.endswith("_REASON") and isinstance(value, str) and getattr(module, "__name__", "") == info.name:
                found.setdefault(value, f"{info.name}.{name}")
    return found


def _made_reasons() -> list[str]:
    """Reasons made with values (a count, a path, a field): one of each form, from the code that makes it where it
    can be called, else as it writes it."""
    from exposure.formats import base, jsonl
    from exposure.lastline import LAST_LINE_CUT
    from exposure.lines import _long_reason

    lost = ("gzip member 1 (header at compressed byte 0) ends early: the file ends inside its compressed data, after "
            "202941 content bytes of the member")
    corrupted = ("corrupted: gzip member 1's CRC-32 and size match intact copy logs/access.log (its lines 7-8 in "
                 "this line's place): ")
    return [
        f"{LAST_LINE_CUT}: it ends in its bytes, which a count rests on: as read it may mislead",
        f"{LAST_LINE_CUT}: does not match the combined format",
        f"{LAST_LINE_CUT}: {base.GLUED_REASON}",
        corrupted + "this line's bytes differ from them, altered by the damage",
        corrupted + "this line's bytes are theirs but no line of theirs begins where it does: a line the damage "
                    "made (the line end before it altered)",
        corrupted + "this line's bytes differ from them, altered by the damage; read before the proof, it was "
                    f"rejected: {base.GLUED_REASON}",
        "corrupted: gzip member 2's CRC-32 and size match intact copy a.log (its line 9 runs on past the member's "
        "end, where this line begins): no line of theirs begins where it does: a line the damage made (the "
        "member's last byte altered to a line end)",
        "40 NUL bytes inside the line in place of content: what was written there is lost; the line joins a piece "
        "of a line before them to a piece after them",
        "begins after 40 NUL bytes in place of content: the start of the line may be lost with them",
        "begins after 4096 NUL bytes at the start of the file that end on a file-system block boundary (byte "
        "4096): a crash zeroed the blocks before it, and the start of the line may be lost with them",
        _long_reason(70000),
        f"begins after 40 NUL bytes in place of content: the start of the line may be lost with them; "
        f"{_long_reason(70000)}",
        # exposure/lines.py: a line beside content a damage lost (a gzip member cut short, a bad block), alone
        # and with each other or a line too long (lines._both), and exposure/evidence.py's NUL start of no line
        f"begins after lost content ({lost}): the start of the line is lost",
        f"cut off by lost content ({lost}): the rest of the line is lost",
        f"cut off where the content ends early ({lost}): the rest of the line is lost",
        f"begins after lost content ({lost}): the start of the line is lost; cut off by lost content ({lost}): the "
        "rest of the line is lost",
        f"begins after lost content ({lost}): the start of the line is lost; {_long_reason(70000)}; cut off where "
        f"the content ends early ({lost}): the rest of the line is lost",
        "begins after 40 NUL bytes at the start of the file and parses as no line: the start of the line may be lost "
        "with them",
        jsonl._foreign_reason("AWS WAF log", "time=timestamp,client=httpRequest.clientIp"),
        # a JSON layout exposure does not read at all (CloudFront v2 JSON): each of UNREAD_JSON_LAYOUTS
        *[jsonl._unread_reason(shape, how) for _key, shape, how in jsonl.UNREAD_JSON_LAYOUTS],
        "does not match the combined format",
        "invalid timestamp: 31/Jun/2020:09:59:11 +0200",
        "not a JSON object",
        "17 values under 6 fields",  # exposure/formats/w3c.py: a W3C line's value count against its #Fields
        "1 value under 33 fields",
    ]


def _unreadable_reasons() -> list[str]:
    """Why a file is unreadable, from the code that says it (exposure/evidence.py encoding_refusal)."""
    import bz2
    import codecs

    from exposure.evidence import encoding_refusal

    text = "198.51.100.1 - - [08/Jun/2020:10:00:00 +0200] \"GET / HTTP/1.1\" 200 1\n" * 4
    heads = [codecs.BOM_UTF16_LE + text.encode("utf-16-le"), text.encode("utf-16-le"), text.encode("utf-32-be"),
             b"\xfd7zXZ\x00" + bytes(40), b"PK\x03\x04" + bytes(40), gzip.compress(bz2.compress(text.encode())),
             b"PAR1" + bytes(40)]
    return [encoding_refusal(h) or h[:8].hex() for h in heads]


def test_the_walk_finds_the_reasons_written_whole() -> None:
    from exposure.formats import base

    found = _reason_constants()
    assert {base.GLUED_REASON, base.PREFIX_JSON_REASON, base.PREFIX_TIME_REASON, base.PREFIX_SYSLOG_REASON,
            base.PREFIX_FIELDS_REASON, base.CONTROL_CLIENT_REASON} <= set(found)


@pytest.mark.parametrize("reason", [*_reason_constants(), *_made_reasons(), *_unreadable_reasons()])
def test_every_reject_reason_has_its_dutch(reason: str) -> None:
    dutch = sentence(reason, strings("nl"))
    assert dutch != reason, f"no Dutch for: {reason}"
    # no part of it left in English (a reason joined to another, lines._both, said in Dutch in each part)
    for english in ("the start of the line", "the rest of the line", "lost content", "parses as no line",
                    "not parsed", "read before the proof", "neither request", "does not read", "deliver it"):
        assert english not in dutch, (english, dutch)
    assert sentence(reason, strings("en")) == reason


@pytest.mark.parametrize("kind", [k for k, _severity in KINDS])
def test_every_finding_kind_is_labelled_in_dutch(kind: str) -> None:
    # the label of a finding on page 1 and in the findings table (report/model.py _findings: kind_...), and of
    # its kind in the evidence status (finding_...)
    assert f"kind_{kind.replace(' ', '_')}" in NL and f"finding_{kind}" in NL


@pytest.mark.parametrize("reason", [*_reason_constants(), *_made_reasons()])
def test_the_warning_of_a_mostly_rejected_file_says_its_reason_in_dutch(reason: str) -> None:
    # exposure/answer.py: '<path>: N of M lines rejected: <rejected_said>', page 1's caveat: the reason is the
    # file's rejected_hint (a prefix, a JSON layout) as well as 'probably not the X format'; before, only the
    # latter was Dutch ('3 of 3 lines rejected: a request in a JSON layout exposure does not read ...' on the
    # Dutch page 1 of a CloudFront v2 JSON file)
    warning = f"/logs/cf/cloudfront.json: 3 of 3 lines rejected: {reason}"
    dutch = sentence(warning, strings("nl"))
    assert dutch == f"/logs/cf/cloudfront.json: 3 van 3 regels afgewezen: {sentence(reason, strings('nl'))}"


# words no Dutch sentence holds: a detail left (in part) in English on the Dutch page holds one of them
ENGLISH = re.compile(r"\b(?:the|its|and|with|which|were|from|after|their|this|could|when|where|such)\b")


def english_left(text: str) -> list[str]:
    """The English words of `text` but for option names (--client-ip-from) and an errno with no Dutch, which is
    framed as the system's own message (`weigering van het systeem (ENOKEY: required key not available)`)."""
    return ENGLISH.findall(re.sub(r"--\S+|\((?:[A-Z0-9]+): [^)]*\)", "", text))


def _os_reasons() -> list[str]:
    """Why the system refused a file, as exposure/discovery.py records it (os_reason), for every errno."""
    import errno
    import os

    from exposure.discovery import os_reason

    return [os_reason(OSError(code, os.strerror(code))) for code in sorted(errno.errorcode)]


def _input_reasons() -> list[str]:
    """Why an input is unreadable, every form exposure/discovery.py and formats/unread.py record."""
    import stat

    from exposure.discovery import NOT_UTF8_NAME
    from exposure.evidence import not_regular
    from exposure.formats import unread

    modes = [stat.S_IFIFO, stat.S_IFSOCK, stat.S_IFCHR, stat.S_IFBLK, stat.S_IFDIR]
    return [*[not_regular(m) for m in modes], NOT_UTF8_NAME, "a link to a missing file (/logs/gone.log)",
            "folder cannot be read: permission denied", "folder cannot be listed: is a directory",
            *[unread.refusal(shape) for shape, _re in unread.SHAPES]]


# the details queries/findings.sql writes of the stated kinds named in Dutch by report/findingwords.py, each form
FINDING_DETAILS = [
    "its UTC time runs back by 85 minutes at line 7: from 2020-06-08T11:25:00Z (line 6) to 2020-06-08T10:00:00Z, both "
    "written +0200, and the lines after stay back (a step of more than 10 minutes: the server's clock set back, or "
    "two servers' lines in one file; the times around it, and windows and gaps made of them, are suspect)",
    "its UTC time runs back by 60 minutes at line 7: from 2020-06-08T11:25:00Z (line 6) to 2020-06-08T10:25:00Z, "
    "written +0200 then +0100, and the lines after stay back (a step of more than 10 minutes: the server's clock set "
    "back, or two servers' lines in one file; the times around it, and windows and gaps made of them, are suspect); "
    "it runs back 2 times in all (lines 7, 12), the largest step 60 minutes",
    "its start (line 1, 2020-06-08T10:00:00Z) is 85 minutes before the end of /logs/web1/access.log-20200608 (line "
    "12, 2020-06-08T11:25:00Z), a file of the same stream web1/access.log that began before it, no UTC offset "
    "written, and the lines after stay back: the stream's time runs back between its files (a step of more than 10 "
    "minutes where one file gives way to the next: the server's clock set back at a rotation, or two servers' logs "
    "taken for one stream; the times around it, and windows and gaps made of them, are suspect; the files are put "
    "in order by their times, not their names, so a step longer than one file's span may be said against a "
    "neighbouring file of the stream, and its size is then a lower bound)",
    "line 4 is dated 1970-01-01T00:00:00Z (+0000), 18421.4 days before the line before it (line 3: "
    "2020-06-08T10:10:00Z) and the line after it (more than 1440 minutes from both: a clock wrong for that line, or a "
    "line from elsewhere); it counts as dated, and a window, download or gap made of it is suspect; 12 such lines "
    "in this file, the first 10 said (stream_silences, kind 'stray')",
    "line 1 (the file's first line) is dated 2099-01-01T00:00:00Z (no offset), 28696.6 days after the line after it "
    "(line 2: 2020-06-08T10:10:00Z) and outside the time every other line of the evidence covers (more than 1440 "
    "minutes from both: a clock wrong for that line, as one before NTP set it after a boot, or a line from "
    "elsewhere); it bounds no silence and no stream's edge, and a window or download made of it is suspect",
    "--client-ip-from xff: 8 of its 10 requests keep the connecting address as their client (7 with no "
    "X-Forwarded-For address: no such field on the line, or '-'; 1 whose header came from an address no "
    "--trusted-proxy holds: the header is then the client's own claim); an inference: where such a request came "
    "through the proxy, that address is the proxy's, not the client's",
    "read through a symbolic link: /logs/web5/access.log resolved to /srv/elsewhere/access.log when it was ingested "
    "(exposure verify names a link that resolves elsewhere since)",
    "activity entry 2 (2026-12-07 07:51:12 UTC): a command (ingest) did not finish (interrupted or killed) after: "
    "evidence 13 stored; repeated lines and byte meanings settled again [the streams and byte meanings of evidence "
    "13 left half written by the command that did not finish: worked out again from what is stored and sealed]",
    "1 of its 7 lines holds a lone CR (carriage return) with text after it (the first: line 3, at byte 413): lines "
    "end at LF in this file and no server writes that byte raw inside a line, so the text after it is further lines "
    "joined to it (files with other line ends joined, a file converted in part): the requests inside such lines are "
    "not counted (each is read as one line); read line 3 at its byte offset",
]


@pytest.mark.parametrize("detail", [*_os_reasons(), *_input_reasons(), *FINDING_DETAILS])
def test_every_finding_detail_and_input_refusal_is_said_in_dutch(detail: str) -> None:
    """The details of `time ran back`, `stray time`, `client not forwarded`, `through a link`, `interrupted
    command`, `joined lines`, and why an input is unreadable (the system's refusal, `permission denied`, `is a
    directory`; no regular file; a format exposure does not read) stood in English on the Dutch page 1 and in
    section 7; each is Dutch now, none of it left in English (report/findingwords.py)."""
    dutch = sentence(detail, strings("nl"))
    assert dutch != detail, f"no Dutch for: {detail}"
    left = english_left(dutch)
    assert not left, (left, dutch)
    assert sentence(detail, strings("en")) == detail


@pytest.mark.parametrize("reason", ["permission denied", "is a directory", "no such file or directory",
                                    "input/output error", "operation not permitted"])
def test_the_commonest_refusals_have_their_own_dutch(reason: str) -> None:
    assert "weigering van het systeem" not in sentence(reason, strings("nl"))
