"""The Dutch of the findings' details that queries/findings.sql, exposure/discovery.py and the formats word in
English (report/wording.py's way: a sentence recognised by its pattern, its values carried over): a file whose
time ran back, a stray time, a client not forwarded, a file read through a link, an interrupted command, and why
an input is unreadable (the system's refusal, a file that is no regular file, a name that is not UTF-8, a format
exposure does not read). A possible copy is worded from the target's rows (`possible_copy`), never parsed back
from its English. A new English form without its Dutch here is shown as written, and tests/report/
test_dutch_words.py fails on it.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable, Sequence
from typing import Any

from ..discovery import NOT_UTF8_NAME, os_reason
from ..formats import unread
from ..plural import plural
from .i18n import Strings

Rule = tuple[re.Pattern[str], Callable[[re.Match[str], Strings], str]]

_SUSPECT = ("the times around it, and windows and gaps made of them, are suspect")
_SUSPECT_NL = "de tijden eromheen, en vensters en hiaten die ervan zijn gemaakt, zijn verdacht"
_OFFSETS = r"(no UTC offset written|both written (\S+)|written (\S+) then (\S+))"


def _offsets(m: re.Match[str], at: int) -> str:
    """queries/findings.sql's offsets of a step back (group `at` and the three after it) in Dutch."""
    if m[at + 1]:
        return f"beide geschreven als {m[at + 1]}"
    if m[at + 2]:
        return f"geschreven als {m[at + 2]} en daarna {m[at + 3]}"
    return "geen UTC-offset geschreven"


def _days(text: str) -> str:
    return text.replace(".", ",")  # a decimal comma: 18421.4 reads as eighteen million in Dutch


def _when(word: str) -> str:
    return {"after": "na", "before": "vóór"}[word]


def _parts_nl(parts: str) -> str:
    """queries/findings.sql's kinds of request that kept the connecting address, each in Dutch."""
    out = []
    for part in parts.split("; "):
        if m := re.fullmatch(r"(\d+) with no X-Forwarded-For address: no such field on the line, or '-'", part):
            out.append(f"{m[1]} zonder X-Forwarded-For-adres: geen zulk veld op de regel, of '-'")
        elif m := re.fullmatch(r"(\d+) whose header came from an address no --trusted-proxy holds: the header is then "
                               r"the client's own claim", part):
            out.append(f"{m[1]} waarvan de header kwam van een adres dat geen --trusted-proxy bevat: de header is dan "
                       "de eigen bewering van de client")
        else:
            out.append(part)
    return "; ".join(out)


def _command_nl(command: str | None) -> str:
    if not command:
        return ""
    if command == " (its mark of running names no command exposure writes: not quoted)":
        return " (de markering van de lopende opdracht noemt geen opdracht die exposure schrijft: niet geciteerd)"
    return command


# the count of a file's stray lines past the 10 said (queries/findings.sql `stray time`), both forms
_STRAY_MORE = r"(?:; (\d+) such lines in this file, the first 10 said \(stream_silences, kind 'stray'\))?"


def _offset(written: str) -> str:
    return "geen offset" if written == "no offset" else written


def _stray_more(more: str | None) -> str:
    return (f"; {more} zulke regels in dit bestand, de eerste 10 genoemd (stream_silences, soort 'stray')"
            if more else "")


# -- why an input is unreadable (exposure/discovery.py os_reason, not_regular, NOT_UTF8_NAME; formats/unread.py) --
# the system's refusals reading may meet, by errno (os_reason writes the system's own English, lower-cased)
ERRNO_NL = {
    "EACCES": "toegang geweigerd", "EPERM": "bewerking niet toegestaan", "EISDIR": "is een map",
    "ENOENT": "bestand of map bestaat niet", "ENOTDIR": "is geen map",
    "ELOOP": "te veel niveaus van symbolische koppelingen", "ENAMETOOLONG": "bestandsnaam te lang",
    "EIO": "invoer-/uitvoerfout", "ENXIO": "apparaat of adres bestaat niet", "ENODEV": "apparaat bestaat niet",
    "EBUSY": "apparaat of bron bezet", "ESTALE": "verouderde bestandsverwijzing (stale file handle)",
    "ETIMEDOUT": "verbinding verlopen", "EOVERFLOW": "waarde te groot voor het gegevenstype",
    "EFBIG": "bestand te groot", "ENOMEM": "onvoldoende geheugen", "EMFILE": "te veel geopende bestanden",
    "ENFILE": "te veel geopende bestanden in het systeem", "EAGAIN": "bron tijdelijk niet beschikbaar",
    "EINVAL": "ongeldig argument", "ENOTCONN": "transportverbinding is niet verbonden",
    "EHOSTDOWN": "host is niet bereikbaar", "EOPNOTSUPP": "bewerking niet ondersteund",
    "EINTR": "onderbroken systeemaanroep", "EBADF": "ongeldige bestandsdescriptor",
    "EREMOTEIO": "invoer-/uitvoerfout op afstand", "ECONNRESET": "verbinding verbroken door de andere kant",
}


def _reason(code: int) -> str:
    """The reason exposure/discovery.py os_reason records for a refusal of errno `code`."""
    return os_reason(OSError(code, os.strerror(code)))


def os_said(text: str) -> str | None:
    """A system's refusal as os_reason writes it (`permission denied`), in Dutch: by its errno, or one without a
    Dutch wording here framed as the system's message; None for a text that is no system's refusal."""
    for code, name in sorted(errno.errorcode.items()):
        if text == _reason(code):
            return ERRNO_NL.get(name) or f"weigering van het systeem ({name}: {text})"
    return None


_SPECIAL_NL = {"a named pipe (FIFO)": "een named pipe (FIFO)", "a socket": "een socket",
               "a character device": "een character device", "a block device": "een block device",
               "a folder": "een map"}
_SHAPES_NL = {unread.SYSLOG_PREFIXED: "toegangsregels achter een syslog-voorvoegsel",
              "HTTP request lines with statuses in an unknown layout":
                  "HTTP-verzoekregels met statussen in een onbekende indeling"}
_LAYOUT_NL = ("waar --log-format, --nginx-log-format of --json-fields de indeling kan vastleggen, neem het dan apart in "
              "met die optie (een optie geldt voor elk bestand van één inname)")


def _refusal_nl(m: re.Match[str], s: Strings) -> str:
    shape = _SHAPES_NL.get(m[1], m[1])
    head = (f"een toegangslog in een formaat dat exposure niet leest (het lijkt op: {shape}): de verzoeken ervan "
            "zitten niet in het antwoord")
    if m[1] == unread.SYSLOG_PREFIXED:
        return (f"{head}: de regels beginnen met een syslog-tijd (ze staan achter een voorvoegsel: syslog): haal eerst "
                f"het voorvoegsel weg; daarna, {_LAYOUT_NL}")
    return f"{head}; {_LAYOUT_NL}"


RULES_NL: list[Rule] = [
    # queries/findings.sql `time ran back`: a step back inside a file, then one from its stream's earlier file
    (re.compile(r"its UTC time runs back by (\d+) minutes at line (\d+): from (\S+) \(line (\d+)\) to (\S+), "
                + _OFFSETS + r", and the lines after stay back \(a step of more than (\d+) minutes: the server's "
                r"clock set back, or two servers' lines in one file; " + _SUSPECT + r"\)(?:; it runs back (\d+) "
                r"times in all \(lines (.+)\), the largest step (\d+) minutes)?", re.S),
     lambda m, s: (f"de UTC-tijd loopt {m[1]} minuten terug bij regel {m[2]}: van {m[3]} (regel {m[4]}) naar {m[5]}, "
                   f"{_offsets(m, 6)}, en de regels erna blijven terug (een stap van meer dan {m[10]} minuten: de "
                   f"klok van de server teruggezet, of regels van twee servers in één bestand; {_SUSPECT_NL})"
                   + (f"; hij loopt in totaal {m[11]} keer terug (regels {m[12]}), de grootste stap {m[13]} minuten"
                      if m[11] else ""))),
    (re.compile(r"its start \(line (\d+), (\S+)\) is (\d+) minutes before the end of (.+) \(line (\d+), (\S+)\), a "
                r"file of the same stream (.+) that began before it, " + _OFFSETS + r", and the lines after stay "
                r"back: the stream's time runs back between its files \(a step of more than (\d+) minutes where one "
                r"file gives way to the next: the server's clock set back at a rotation, or two servers' logs taken "
                r"for one stream; " + _SUSPECT + r"; the files are put in order by their times, not their names, so "
                r"a step longer than one file's span may be said against a neighbouring file of the stream, and its "
                r"size is then a lower bound\)", re.S),
     lambda m, s: (f"zijn begin (regel {m[1]}, {m[2]}) ligt {m[3]} minuten vóór het einde van {m[4]} (regel {m[5]}, "
                   f"{m[6]}), een bestand van dezelfde logstroom {m[7]} dat eerder begon, {_offsets(m, 8)}, en de "
                   "regels erna blijven terug: de tijd van de logstroom loopt terug tussen zijn bestanden (een stap "
                   f"van meer dan {m[12]} minuten waar het ene bestand overgaat in het volgende: de klok van de "
                   "server teruggezet bij een rotatie, of de logs van twee servers voor één logstroom gehouden; "
                   f"{_SUSPECT_NL}; de bestanden staan op volgorde van hun tijden, niet van hun namen, dus een stap "
                   "langer dan de duur van één bestand kan tegen een naburig bestand van de logstroom worden "
                   "gezegd, en zijn grootte is dan een ondergrens)")),
    # queries/findings.sql `stray time`: a line far from both lines around it, then a file's first or last line
    (re.compile(r"line (\d+) is dated (\S+) \((.+?)\), ([\d.]+) days (after|before) the line before it \(line (\d+): "
                r"(\S+)\) and the line after it \(more than (\d+) minutes from both: a clock wrong for that line, or a "
                r"line from elsewhere\); it counts as dated, and a window, download or gap made of it is suspect"
                + _STRAY_MORE, re.S),
     lambda m, s: (f"regel {m[1]} is gedateerd {m[2]} ({_offset(m[3])}), "
                   f"{_days(m[4])} dagen {_when(m[5])} de regel ervoor (regel {m[6]}: {m[7]}) en de regel erna (meer "
                   f"dan {m[8]} minuten van beide: een klok die voor die regel verkeerd liep, of een regel van "
                   "elders); hij telt als gedateerd, en een venster, download of hiaat dat ervan is gemaakt is "
                   f"verdacht{_stray_more(m[9])}")),
    (re.compile(r"line (\d+) \(the file's (first|last) line\) is dated (\S+) \((.+?)\), ([\d.]+) days (after|before) "
                r"the line (after|before) it \(line (\d+): (\S+)\) and outside the time every other line of the "
                r"evidence covers \(more than (\d+) minutes from both: a clock wrong for that line, as one before NTP "
                r"set it after a boot, or a line from elsewhere\); it bounds no silence and no stream's edge, and a "
                r"window or download made of it is suspect" + _STRAY_MORE, re.S),
     lambda m, s: (f"regel {m[1]} (de {'eerste' if m[2] == 'first' else 'laatste'} regel van het bestand) is "
                   f"gedateerd {m[3]} ({_offset(m[4])}), {_days(m[5])} dagen "
                   f"{_when(m[6])} de regel {'erna' if m[7] == 'after' else 'ervoor'} (regel {m[8]}: {m[9]}) en "
                   f"buiten de tijd die elke andere regel van het bewijs beslaat (meer dan {m[10]} minuten van beide: "
                   "een klok die voor die regel verkeerd liep, zoals een die NTP pas na het opstarten gelijkzette, "
                   "of een regel van elders); hij begrenst geen stilte en geen rand van een logstroom, en een venster "
                   f"of download dat ervan is gemaakt is verdacht{_stray_more(m[11])}")),
    # queries/findings.sql `client not forwarded`
    (re.compile(r"--client-ip-from xff: (\d+) of its (\d+) requests keep the connecting address as their client "
                r"\((.+)\); an inference: where such a request came through the proxy, that address is the proxy's, "
                r"not the client's", re.S),
     lambda m, s: (f"--client-ip-from xff: {m[1]} van " + plural(int(m[2]), "het ene verzoek", "de # verzoeken")
                   + f" {'houdt' if m[1] == '1' else 'houden'} het verbindende adres als client ({_parts_nl(m[3])}); "
                   "een afleiding: waar zo'n verzoek via de proxy kwam, is dat adres dat van de proxy, niet dat van "
                   "de client")),
    # queries/findings.sql `through a link`
    (re.compile(r"read through a symbolic link: (.+) resolved to (.+) when it was ingested \(exposure verify names a "
                r"link that resolves elsewhere since\)", re.S),
     lambda m, s: (f"gelezen via een symbolische koppeling: {m[1]} verwees naar {m[2]} toen het werd ingenomen "
                   "(exposure verify noemt een koppeling die sindsdien elders uitkomt)")),
    # queries/findings.sql `interrupted command`: its `recovered` activity entry (exposure/case.py), whose record is
    # quoted as written in the activity log (section 8); what it says is worded here
    (re.compile(r"activity entry (\d+) \((.+?) UTC\): a command( \(.+?\))? did not finish \(interrupted or killed\) "
                r"after: .+", re.S),
     lambda m, s: (f"activiteitsregel {m[1]} ({m[2]} UTC): een opdracht{_command_nl(m[3])} is niet afgemaakt "
                   "(onderbroken of gestopt); de volgende opdracht die de zaak opende, herstelde haar: herhaalde "
                   "regels en bytebetekenissen opnieuw vastgesteld; wat de onderbroken opdracht had opgeslagen en "
                   f"wat opnieuw is uitgewerkt en verzegeld staat in regel {m[1]} van het activiteitenlog, zoals "
                   "vastgelegd")),
    (re.compile(r"activity entry (\d+) \((.+?) UTC\): .+", re.S),
     lambda m, s: (f"activiteitsregel {m[1]} ({m[2]} UTC): een onderbroken opdracht, hersteld door de volgende; wat "
                   f"er gebeurde staat in regel {m[1]} van het activiteitenlog, zoals vastgelegd")),
    # exposure/evidence.py joined_said: the damage `joined lines`
    (re.compile(r"(\d+) of its (\d+) lines? (?:holds|hold) (an LF \(line feed\)|a lone CR \(carriage return\)) with "
                r"text after it \(the first: line (\d+), at byte (\d+)\): lines end at (CR|LF) in this file and no "
                r"server writes that byte raw inside a line, so the text after it is further lines joined to (?:it|them) "
                r"\(files with other line ends joined, a file converted in part\): the requests inside such lines are "
                r"not counted \(each is read as one line\); read line \d+ at its byte offset(?: \((\d+) lines? read\))?", re.S),
     lambda m, s: (f"{m[1]} van " + plural(int(m[2]), "zijn ene regel", "zijn # regels")
                   + f" {'bevat' if m[1] == '1' else 'bevatten'} "
                   + ("een LF (line feed)" if m[3].startswith("an LF") else "een losse CR (carriage return)")
                   + f" met tekst erna (de eerste: regel {m[4]}, op byte {m[5]}): regels eindigen in dit bestand op "
                   f"{m[6]} en geen server schrijft die byte onbewerkt midden in een regel, dus de tekst erna is "
                   "verdere regels die eraan vastzitten (bestanden met andere regeleinden samengevoegd, een deels "
                   "omgezet bestand): de verzoeken in zulke regels tellen niet mee (elk wordt als één regel gelezen); "
                   f"lees regel {m[4]} op zijn byte-positie"
                   + (f" ({m[7]} {plural(int(m[7]), 'regel', 'regels')} gelezen)" if m[7] else ""))),
    # why an input is unreadable
    (re.compile(r"folder cannot be (read|listed): (.+)", re.S),
     lambda m, s: (f"map kan niet worden {'gelezen' if m[1] == 'read' else 'opgesomd'}: "
                   f"{os_said(m[2]) or m[2]}")),
    (re.compile(r"a link to a missing file \((.+)\)", re.S),
     lambda m, s: f"een koppeling naar een ontbrekend bestand ({m[1]})"),
    (re.compile(r"(a named pipe \(FIFO\)|a socket|a character device|a block device|a folder), not a regular file: "
                r"not read"),
     lambda m, s: f"{_SPECIAL_NL[m[1]]}, geen gewoon bestand: niet gelezen"),
    (re.compile(re.escape(NOT_UTF8_NAME)),
     lambda m, s: ("de naam is geen geldige UTF-8: niet gelezen (kopieer het onder een UTF-8-naam om het te lezen); "
                   "elke byte die geen UTF-8 is, staat in het pad als \\xNN")),
    (re.compile(r"an access log in a format exposure does not read \(it looks like: (.+?)\): its requests are not in "
                r"the answer(?:: .+|; where .+)", re.S),
     _refusal_nl),
    # the system's own refusal (os_reason: `permission denied`), each errno's text matched whole
    (re.compile("|".join(re.escape(_reason(code)) for code in sorted(errno.errorcode))),
     lambda m, s: os_said(m[0]) or m[0]),
]


# -- a possible copy (exposure/analysis/evidence_status.py copy_findings), from the targets' rows ---------------------
def possible_copy(path: str, targets: Sequence[dict[str, Any]], s: Strings) -> str | None:
    """A possible copy's sentence in the report's language, from each target's row of it (possible_copies.sql):
    what matched, its complete downloads by its own windows, whether it is counted; None where no target lists it."""
    mine = [(t["path"], c) for t in targets for c in t.get("possible_copies") or [] if c["path"] == path]
    if not mine:
        return None
    run = [t["path"] for t in targets]
    spelled = any(c.get("size_match") == "spelling" for _, c in mine)
    what = s["copy_said_spelling"] if spelled else s["copy_said_sized"]
    kind = s["copy_said_perhaps"] if spelled else s["copy_said_probably"]
    counted_in = s["copy_is_target"] if path in run else s["copy_said_not_counted"]

    def clause(c: dict[str, Any]) -> str:
        said = s.f("copy_said_complete", n=c["complete_downloads"])
        if c.get("target_shared_requests"):
            said += f" ({s.f('copy_target_shared', n=c['target_shared_requests'])})"
        if c.get("shared_requests"):
            others = list(c.get("shared_with") or ())
            said += "; " + s.f("copy_shared", n=c["shared_requests"], others=", ".join(others))
            if targets_shared := [o for o in others if o in run]:
                said += "; " + s.f("copy_shared_target", targets=", ".join(targets_shared))
        return said

    if len({repr(sorted(c.items())) for _, c in mine}) == 1:
        return f"{what}, {clause(mine[0][1])}: {kind}, {counted_in}"
    return f"{what}: {kind}, {counted_in}; " + "; ".join(s.f("copy_said_for", target=t) + clause(c)
                                                           for t, c in mine)
