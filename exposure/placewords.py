"""The time an incomplete file leaves uncovered in its stream, and where a file with no line read is placed in
its stream's time, in words, English and Dutch: the one text source and the one sentence (`uncovered`) the finding
(terminal, JSON answer's evidence status) and the report read.

queries/findings.sql places such a file (unreadable, or damaged before its first line) by the time its name gives
(evidence.name_time_utc: an S3 server access log key's time, a CloudFront log's hour, a rotation's date;
exposure/streams.py), else
by its modification time, and records which in the finding's `fact`: `name <time>` or `modified <time>` (UTC).
The name's time is an inference from the name; a modification time is the only time known of the file, and a
copy's lies long after its lines.
"""

from __future__ import annotations

KINDS = ("name", "modified")
DECODED_IN_FULL = "decoded in full"  # the fact of a damaged file that lost no content (queries/findings.sql)
PROVEN_IN_FULL = "decoded in full, altered lines proven"  # ... its damaged member proven a corrupted copy
LANGS = ("en", "nl")

# (English, Dutch), by the report's key (exposure/report/i18n.py takes them in)
TEXTS: dict[str, tuple[str, str]] = {
    "uncovered": ("stream {stream} has no line from {start} to {end}",
                  "logstroom {stream} heeft geen regel van {start} tot {end}"),
    "uncovered_stream_start": ("the start of the stream", "het begin van de logstroom"),
    "uncovered_stream_end": ("the end of the stream", "het einde van de logstroom"),
    "uncovered_none": ("nothing of it is lost: every byte decoded, altered bytes may lie in any of its lines",
                       "er is niets van verloren: elke byte is gedecodeerd, veranderde bytes kunnen in elk van zijn "
                       "regels liggen"),
    "uncovered_proven": ("nothing of it is lost: every byte decoded; its altered lines are the ones the CRC-32 proof "
                         "names (rejected as corrupted), its other lines the intact copy's",
                         "er is niets van verloren: elke byte is gedecodeerd; de veranderde regels zijn die het "
                         "CRC-32-bewijs noemt (afgewezen als beschadigd), de andere regels die van de intacte kopie"),
    "uncovered_unknown": ("the time it leaves uncovered in stream {stream} is unknown",
                          "de tijd die het in logstroom {stream} onbedekt laat is onbekend"),
    "uncovered_unknown_nostream": ("the time it leaves uncovered is unknown",
                                   "de tijd die het onbedekt laat is onbekend"),
    "placed_name": ("no request line of it was read: placed by the time its name gives, {time}, an inference from the "
                    "name (the time of an S3 key is when its lines were delivered, after them and after the "
                    "previous delivery of the stream; that of a CloudFront name the hour they lie in; a rotation's date places it "
                    "among the stream's rotations, after the lines of those dated before it and before the lines of "
                    "those dated after it and of the live log)",
                    "geen verzoekregel ervan is gelezen: geplaatst op de tijd die de naam geeft, {time}, afgeleid uit de "
                    "naam (de tijd van een S3-sleutel is die van de aflevering, na de regels en na de vorige "
                    "aflevering van de logstroom; die van een CloudFront-naam het uur waarin ze liggen; de datum van een "
                    "rotatie plaatst het tussen de rotaties van de logstroom, na de regels van die met een eerdere "
                    "datum en voor de regels van die met een latere en van het lopende log)"),
    # the span such a file is placed over: the stream may lack lines there (other files may hold some)
    "uncovered_placed": ("stream {stream} may lack lines from {start} to {end}",
                         "logstroom {stream} kan regels missen van {start} tot {end}"),
    "placed_modified": ("no request line of it was read and its name gives no time: placed by its modification time, "
                        "{time}, the only time known of it; a copy's modification time may lie long after its lines",
                        "geen verzoekregel ervan is gelezen en de naam geeft geen tijd: geplaatst op de wijzigingstijd, "
                        "{time}, de enige bekende tijd ervan; de wijzigingstijd van een kopie kan lang na de regels "
                        "liggen"),
}


def placed(fact: str | None) -> tuple[str, str] | None:
    """(kind, time) of a finding's fact that says how the file was placed, or None."""
    kind, _, time = (fact or "").partition(" ")
    return (kind, time) if kind in KINDS and time else None


def said(fact: str | None, lang: str = "en") -> str:
    """How the file was placed in its stream's time, in `lang`; empty when the fact says nothing of it."""
    if (found := placed(fact)) is None:
        return ""
    return TEXTS[f"placed_{found[0]}"][LANGS.index(lang)].format(time=found[1])


def may_lack(fact: str | None, stream: str, start: str, end: str, lang: str = "en") -> str | None:
    """A file placed by its name's time is placed over a span in which its stream may lack lines (not one in which
    it has none: other files may hold some): that, in `lang`; None for any other finding."""
    found = placed(fact)
    if found is None or found[0] != "name":
        return None
    return TEXTS["uncovered_placed"][LANGS.index(lang)].format(stream=stream, start=start, end=end)


def uncovered(fact: str | None, stream: str | None, start: str | None, end: str | None, lang: str = "en") -> str:
    """The time an incomplete file leaves uncovered in its stream (`start`, `end`: UTC text, None where the stream
    begins or ends there), with how a file none of whose lines was read was placed, in `lang`: the one sentence
    the finding (exposure/findings.py, Finding.span) and the report (exposure/report/model.py) say."""
    i = LANGS.index(lang)
    if fact == DECODED_IN_FULL:  # damaged where nothing was lost (queries/findings.sql): no time is uncovered
        return TEXTS["uncovered_none"][i]
    if fact == PROVEN_IN_FULL:  # ... and the damaged member proven a corrupted copy: its altered lines known
        return TEXTS["uncovered_proven"][i]
    if start is None and end is None:
        return (TEXTS["uncovered_unknown"][i].format(stream=stream) if stream is not None
                else TEXTS["uncovered_unknown_nostream"][i])
    start = start or TEXTS["uncovered_stream_start"][i]
    end = end or TEXTS["uncovered_stream_end"][i]
    placed_as = said(fact, lang)
    sentence = may_lack(fact, str(stream), start, end, lang) or TEXTS["uncovered"][i].format(
        stream=stream, start=start, end=end)
    return sentence + (f" ({placed_as})" if placed_as else "")
