"""Every reject reason and every finding kind the tool writes has its Dutch (report/wording.py, report/i18n.py):
the Dutch report never shows one as written in English (PREFIX_JSON_REASON and the glued and prefix reasons had
none; `prefixed lines`, `time ran back`, `stray time`, `possible copy` and `client not forwarded` were labelled
in English on the Dutch page). A reason added without its Dutch fails here."""

from __future__ import annotations

import gzip
import importlib
import pkgutil

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
    ]


def _unreadable_reasons() -> list[str]:
    """Why a file is unreadable, from the code that says it (exposure/evidence.py encoding_refusal)."""
    import bz2
    import codecs

    from exposure.evidence import encoding_refusal

    text = "198.51.100.1 - - [08/Jun/2020:10:00:00 +0200] \"GET / HTTP/1.1\" 200 1\n" * 4
    heads = [codecs.BOM_UTF16_LE + text.encode("utf-16-le"), text.encode("utf-16-le"), text.encode("utf-32-be"),
             b"\xfd7zXZ\x00" + bytes(40), b"PK\x03\x04" + bytes(40), gzip.compress(bz2.compress(text.encode()))]
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
