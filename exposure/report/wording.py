"""Texts other modules write in English, in the report's language.

The analysis, the formats and the inspection word their findings in English once, where the rule lives
(a GeoIP note, a crawler verification, a reject reason, what a format's timestamp means, a hidden-content
technique, a personal-data rule); the JSON answer keeps that English. The Dutch report words the same facts
from the Dutch texts below: a sentence is recognised by its pattern and its values (log-derived or numbers)
are carried over; a fixed text is looked up whole. The English report shows the text as written. A text
with no Dutch wording is shown as written, and the tests of the Dutch report fail on it, so a new English
sentence elsewhere needs its Dutch here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..formats import base as formats_base
from ..formats import clf as formats_clf
from ..formats import w3c as formats_w3c
from ..geo import DEFAULT_CITY_LABEL
from ..inspect.xlsx import TINY_FONT_PT
from ..lastline import LAST_LINE_CUT
from ..plural import counted, plural
from . import findingwords
from .i18n import Strings

# -- fixed texts of the formats (exposure/formats: time_meaning, bytes_meaning, lacks) --------------------------
FORMAT_NL = {
    "Apache %t: when the request was received; nginx $time_local: when the response finished (the log line "
    "itself does not say which server wrote it)":
        "Apache %t: wanneer het verzoek binnenkwam; nginx $time_local: wanneer de respons klaar was (de logregel "
        "zelf zegt niet welke server hem schreef)",
    "nginx $time_local/$time_iso8601 and Caddy ts: when the response was logged; Traefik StartUTC: when the "
    "request started":
        "nginx $time_local/$time_iso8601 en Caddy ts: wanneer de respons werd gelogd; Traefik StartUTC: wanneer "
        "het verzoek begon",
    "CloudFront date and time: UTC, when the edge server finished responding":
        "CloudFront-datum en -tijd: UTC, wanneer de edge-server klaar was met antwoorden",
    "IIS/W3C date and time: UTC, when the response was logged (after the transfer ended); date-local/time-local: "
    "local time without offset":
        "IIS/W3C-datum en -tijd: UTC, wanneer de respons werd gelogd (na afloop van de overdracht); "
        "date-local/time-local: lokale tijd zonder offset",
    "W3C date and time: UTC by the W3C draft; what the writer logs it at is not stated":
        "W3C-datum en -tijd: UTC volgens het W3C-concept; op welk moment de schrijver logt is niet vermeld",
    "S3 time: when the request was received (UTC, offset as written)":
        "S3-tijd: wanneer het verzoek binnenkwam (UTC, offset zoals geschreven)",
    "ALB time: UTC, when the load balancer generated the response":
        "ALB-tijd: UTC, wanneer de load balancer de respons maakte",
    "Classic ELB time: UTC, when the load balancer received the request from the client":
        "Classic ELB-tijd: UTC, wanneer de load balancer het verzoek van de client ontving",
    "when the request was received (Apache %t)": "wanneer het verzoek binnenkwam (Apache %t)",
    "lighttpd %t: when the request was done and logged (the response's end)":
        "lighttpd %t: wanneer het verzoek klaar was en gelogd (het einde van de respons)",
    "when the response was completed (Apache %{end:...}t)": "wanneer de respons klaar was (Apache %{end:...}t)",
    "when the response was completed and logged (nginx $time_local / $msec)":
        "wanneer de respons klaar was en gelogd (nginx $time_local / $msec)",
    "as the directive says": "zoals de directive zegt",
    "as the mapped time field records (see --json-fields)": "zoals het gekoppelde tijdveld vastlegt (zie "
                                                            "--json-fields)",
    "as the mapped time field records": "zoals het gekoppelde tijdveld vastlegt",
    "%O (bytes on the wire)": "%O (bytes over de lijn)",
    "%X / $request_completion (whether the transfer completed)":
        "%X / $request_completion (of de overdracht voltooid is)",
    "byte offsets of range responses": "byte-posities van deelresponsen",
    "whether the transfer completed (unless $request_completion is logged)":
        "of de overdracht voltooid is (tenzij $request_completion gelogd is)",
    "whether the transfer completed (sc-content-len is announced, not delivered: the complete-transfer band of "
    "sc-bytes, above it, decides)":
        "of de overdracht voltooid is (sc-content-len is aangekondigd, niet geleverd: de band van volledige "
        "overdrachten in sc-bytes, boven die waarde, beslist)",
    "a body-only byte count (%b): the bytes include response headers":
        "een aantal bytes van alleen de inhoud (%b): de bytes omvatten de headers van de respons",
    "the object's length (sc-bytes includes headers: the complete-transfer band is inferred)":
        "de lengte van het object (sc-bytes omvat headers: de band van volledige overdrachten wordt afgeleid)",
    "the object's length (sent_bytes includes headers: the complete-transfer band is inferred)":
        "de lengte van het object (sent_bytes omvat headers: de band van volledige overdrachten wordt afgeleid)",
    "whether the transfer completed": "of de overdracht voltooid is",
    "body-only byte count (%b / $body_bytes_sent): bytes include response headers":
        "aantal bytes van alleen de inhoud (%b / $body_bytes_sent): bytes omvatten de headers van de respons",
}

# -- the inspection (exposure/inspect): technique texts per finding kind, units and places ----------------------
INSPECT_NL = {
    "hidden_sheet": "werkblad is verborgen (Opmaak > Blad > Zichtbaar maken toont het)",
    "very_hidden_sheet": "werkblad is 'zeer verborgen' (alleen zichtbaar via de VBA-editor of de XML van het "
                         "bestand)",
    "hidden_rows": "rijen zijn verborgen",
    "zero_height_rows": "rijen hebben hoogte nul",
    "collapsed_group_rows": "rijen zitten in een samengevouwen overzichtsgroep",
    "filtered_rows": "rijen zijn verborgen door een autofilter",
    "hidden_columns": "kolommen zijn verborgen",
    "zero_width_columns": "kolommen hebben breedte nul",
    "collapsed_group_columns": "kolommen zitten in een samengevouwen overzichtsgroep",
    "font_equals_fill": "tekstkleur is gelijk aan de celachtergrond (bijv. wit op wit)",
    "near_invisible_font": "tekstkleur verschilt nauwelijks van de achtergrond (contrast onder 1,5:1)",
    "tiny_font": f"lettergrootte onder {TINY_FONT_PT:g} pt",
    "hidden_text": "tekst opgemaakt als verborgen (w:vanish): niet getoond of afgedrukt tenzij 'verborgen tekst "
                   "weergeven' aan staat",
    "tracked_deletion": "verwijderde tekst bewaard als bijgehouden wijziging: het bestand bevat hem nog",
    "tracked_insertion": "ingevoegde tekst bewaard als bijgehouden wijziging (met auteur en datum)",
    "white_text": "tekst in dezelfde kleur als de achtergrond",
    "near_invisible_text": "tekstkleur verschilt nauwelijks van de achtergrond (contrast onder 1,5:1)",
    "tiny_text": "tekst kleiner dan 4 pt",
    "covered_text": "tekst onder een gevulde rechthoek of afbeelding die erna is getekend (mislukte lakking): hij "
                    "kan worden geselecteerd, gekopieerd en uitgelezen",
    "background_coloured_text": "tekst in dezelfde kleur als wat erachter ligt (bijv. wit op wit)",
    "comments": "opmerkingen bewaard in het document",
    "annotations": "aantekeningen (opmerkingen, notities, markeringen)",
    "document_properties": "documenteigenschappen of metadata noemen personen die het bestand maakten of "
                           "opsloegen",
    "incremental_updates": "revisies (incrementele updates): eerdere versies blijven in het bestand",
    "defined_name_hidden_area": "een gedefinieerde naam verwijst naar een verborgen gebied",
    "formula_cached_values": "formules bewaren hun laatst berekende waarde in het bestand: die waarden zijn "
                             "leesbaar, ook als de bron ontbreekt",
    "external_links": "koppelingen naar andere werkmappen; waarden daaruit staan in dit bestand",
}
UNIT_NL = {"cells": "cellen", "characters": "tekens", "properties": "eigenschappen", "comments": "opmerkingen",
           "annotations": "aantekeningen", "words removed": "verwijderde woorden", "runs": "tekstdelen",
           "names": "namen", "links": "koppelingen", "formulas": "formules", "values": "waarden"}
WHERE_NL = {"document": "document", "workbook": "werkmap", "file": "bestand", "metadata": "metadata"}

# -- personal-data rules (exposure/inspect/personal.py RULES), by category ------------------------------------
RULES_NL = {
    "name": "een waarde in de vorm van een naam (letters, spaties, koppeltekens, apostroffen; 1-6 woorden, geen "
            "cijfers) in een kolom met kop naam/voornaam/achternaam/... (of dezelfde kop in het Engels)",
    "date_of_birth": "een datum van 1900 tot vandaag in een kolom met kop geboortedatum/geb. datum/... (of dezelfde "
                     "kop in het Engels), of een datum na 'geboren (op)' of 'geb.' (of het Engels daarvan) in tekst",
    "nationality": "een waarde in een kolom met kop nationaliteit/land van herkomst (of dezelfde kop in het Engels), "
                   "of een cel die precies een nationaliteit is (Nederlands of Engels bijvoeglijk naamwoord)",
    "phone": "een Nederlands nummer (+31, 0031 of 0 en nog 9 cijfers) of een internationaal nummer (+ of 00, "
             "landcode, 7-13 cijfers); in een kolom met kop telefoon/mobiel (of Engels) ook 9-10 losse cijfers",
    "email": "een adres van de vorm lokaal@domein.tld",
    "postcode": "een Nederlandse postcode: 4 cijfers (niet beginnend met 0) en 2 hoofdletters, niet SA/SD/SS",
    "address": "een waarde in een kolom met kop adres/straat/huisnummer (of dezelfde kop in het Engels)",
    "residence": "een waarde in een kolom met kop woonplaats/verblijfplaats/opvanglocatie/COA-locatie/azc",
    "licence_plate": "een Nederlands kenteken in een van de sidecodes 1-14 met koppeltekens (bijv. 12-ABC-3), of "
                     "zonder koppeltekens in een kolom met kop kenteken (of dezelfde kop in het Engels)",
    "bsn": "9 cijfers (8 met een voorloopnul erbij) die de elfproef voor het BSN doorstaan, los of in een kolom "
           "met kop BSN/burgerservicenummer/sofinummer (ongeveer 1 op 11 willekeurige getallen van 9 cijfers "
           "doorstaat die ook)",
    "v_number": "10 cijfers in een kolom met kop v-nummer/vreemdelingennummer, of na 'v-nummer' in tekst",
    "passport": "de vorm van een Nederlands paspoort- of ID-kaartnummer (2 letters, 6 letters of cijfers, 1 "
                "cijfer; geen letter O; minstens 2 cijfers), of 6-9 letters/cijfers met een cijfer in een kolom met "
                "kop paspoort/documentnummer (of dezelfde kop in het Engels)",
    "iban": "een IBAN waarvan het mod-97-controlegetal klopt",
}
CATEGORY_NL = {"name": "naam", "date_of_birth": "geboortedatum", "nationality": "nationaliteit",
               "phone": "telefoonnummer", "email": "e-mailadres", "postcode": "postcode", "address": "adres",
               "residence": "woonplaats", "licence_plate": "kenteken", "bsn": "BSN", "v_number": "v-nummer",
               "passport": "paspoort- of ID-nummer", "iban": "IBAN"}
FINDING_KIND_NL = {
    "hidden_sheet": "verborgen werkblad", "very_hidden_sheet": "zeer verborgen werkblad",
    "hidden_rows": "verborgen rijen", "zero_height_rows": "rijen met hoogte nul",
    "collapsed_group_rows": "samengevouwen rijen", "filtered_rows": "weggefilterde rijen",
    "hidden_columns": "verborgen kolommen", "zero_width_columns": "kolommen met breedte nul",
    "collapsed_group_columns": "samengevouwen kolommen", "font_equals_fill": "tekst in achtergrondkleur",
    "near_invisible_font": "bijna onzichtbare tekst", "tiny_font": "minuscule letters",
    "hidden_text": "verborgen tekst", "tracked_deletion": "bijgehouden verwijdering",
    "tracked_insertion": "bijgehouden invoeging", "white_text": "tekst in achtergrondkleur",
    "near_invisible_text": "bijna onzichtbare tekst", "tiny_text": "minuscule tekst",
    "covered_text": "bedekte tekst", "background_coloured_text": "tekst in achtergrondkleur",
    "comments": "opmerkingen", "annotations": "aantekeningen", "document_properties": "documenteigenschappen",
    "incremental_updates": "incrementele updates", "defined_name_hidden_area": "naam naar verborgen gebied",
    "formula_cached_values": "bewaarde formulewaarden", "external_links": "externe koppelingen",
}

# -- sentences of the analysis (GeoIP notes, crawler verification, reject reasons, warnings) -------------------
Rule = tuple[re.Pattern[str], Callable[[re.Match[str], Strings], str]]


_PIECE = re.compile(r"(.+): (\d+) partials from download (\d+), up to (\d+) of (\d+) bytes", re.S)
_MORE = re.compile(r"and (\d+) more")
_AGENT = re.compile(r"(.+) and (\S+) \((\d+) addresses of both families with one user agent, their pieces in one run "
                    r"without a pause of more than (\d+) minutes, one dual-stack host or several clients with one "
                    r"agent, an inference\)")
_NET64 = re.compile(r"(\S+) \((\d+) addresses of one IPv6 /64 network, (.+) and (\S+), one LAN or one host's changing "
                    r"addresses, an inference\)")


def _alias_nl(alias: str | None) -> str:
    """` of --alias /a.pdf` in Dutch (answer._partials_adding_up)."""
    return f" van --alias {alias.removeprefix(' of --alias ')}" if alias else ""


def _holder_nl(holder: str) -> str:
    """An address, `2001:db8:1:1::/64 (2 addresses of one IPv6 /64 network, ...)` or `a and b (2 addresses of both
    families with one user agent, ...)` in Dutch (answer._holder)."""
    if m := _NET64.fullmatch(holder):
        return (f"{m[1]} ({m[2]} adressen van één IPv6-/64-netwerk, {m[3]} en {m[4]}, één LAN of de wisselende "
                "adressen van één host, een afleiding)")
    if m := _AGENT.fullmatch(holder):
        return (f"{m[1]} en {m[2]} ({m[3]} adressen van beide families met één user agent, hun stukken in één "
                f"reeks zonder pauze van meer dan {m[4]} minuten, één dual-stack host of meer clients met één agent, "
                "een afleiding)")
    return holder


def _pieces_nl(named: str) -> str:
    """`198.51.100.20: 2 partials from download 4, up to 2000000 of 2000000 bytes; and 3 more` in Dutch."""
    out = []
    for item in named.split("; "):
        piece, more = _PIECE.fullmatch(item), _MORE.fullmatch(item)
        out.append(f"{_holder_nl(piece[1])}: {piece[2]} gedeeltelijk vanaf download {piece[3]}, tot {piece[4]} van "
                   f"{piece[5]} bytes" if piece else f"en nog {more[1]}" if more else _holder_nl(item))
    return "; ".join(out)


def _net(m: re.Match[str], s: Strings) -> str:
    return s.enum("net", m.group(1))


def _more_nl(named: str) -> str:
    """The tail of a list of names whose rest is counted (`, b 2 and 7 more`: answer.HOSTS_SAID), in Dutch."""
    return re.sub(r" and ([0-9]+) more$", r" en \1 meer", named)


def _cdn_fill_nl(m: re.Match[str]) -> str:
    """answer.cdn_fill_sentence in Dutch: a CDN that filled its cache from the origin in the windows named."""
    of = f" van --alias {m[2]}" if m[2] else ""
    def shown(found: str) -> str:
        return re.sub(r" and (\d+) more$", r" en nog \1", found)

    held = ("de zaak bevat CloudFront-logs: " + counted("{n:# download|# downloads}", n=int(m[7])) + " daar"
            if m[7] is not None else
            "er zit geen CloudFront-log in de zaak: lever de standaardlogs van de distributie aan")
    if m[8] is not None:
        held += (", geen van " + counted("{n:# adres|# adressen}", n=int(m[8])) + " die de vullingen noemden "
                 f"(X-Forwarded-For) binnen 15 minuten: {shown(m[9])}, dus er ontbreken mogelijk CloudFront-logs")
    windows = m[1].replace("windows", "vensters").replace("window", "venster").replace(" and ", " en ")
    return (f"{windows}{of}: het bestand is {m[3]} keer ({m[4]} volledig) opgehaald door een CDN dat zijn cache "
            f"vult ({m[5]}, volgens zijn user agent, vanaf {shown(m[6])}): bezoekers die het van het CDN kregen staan "
            f"alleen in de eigen logs van het CDN ({held}; queries/cdn.sql cdn_cache_fills)")


# -- where a GeoIP database came from (exposure/geo.py): the packaged one's label in words, a path given as given
GEOIP_SOURCE_NL = {DEFAULT_CITY_LABEL: "pakket maxminddb-geolite2: GeoLite2-City.mmdb"}


def geoip_source(path: str, s: Strings) -> str:
    """A GeoIP database's path or label (geo.py DEFAULT_CITY_LABEL) in the report's language."""
    return GEOIP_SOURCE_NL.get(path, path) if s["lang"] == "nl" else path


# -- reject reasons written whole (exposure/formats/base.py *_REASON, exposure/lastline.py) --------------------
REASONS_NL = {
    formats_base.GLUED_REASON:
        "bevat het begin van een andere logregel (twee regels zonder regeleinde ertussen geschreven: gelijktijdige "
        "schrijvers, een aan elkaar geplakte kopie): geen van beide verzoeken telt mee",
    formats_base.JOINED_REASON:
        "bevat verdere regels na het andere regeleinde (een losse CR waar regels op LF eindigen, een LF waar ze op "
        "CR eindigen): samengevoegde regels (bestanden met andere regeleinden samengevoegd, een deels omgezet "
        "bestand), de verzoeken erna tellen niet mee",
    formats_base.PREFIX_TIME_REASON:
        "het veld van het clientadres bevat een tijd of een syslog-prioriteit (de regel staat achter een voorvoegsel: "
        "syslog, docker --timestamps, kubectl --timestamps): geen clientadres: haal eerst het voorvoegsel weg",
    formats_base.PREFIX_SYSLOG_REASON:
        "de regel begint met een syslog-tijd (de regel staat achter een voorvoegsel: syslog): geen regel van het "
        "formaat: haal eerst het voorvoegsel weg",
    formats_base.PREFIX_JSON_REASON:
        "de regel begint met iets vóór zijn JSON-object (de regel staat achter een voorvoegsel: syslog, docker "
        "--timestamps, kubectl --timestamps): geen JSON-object: haal eerst het voorvoegsel weg",
    formats_base.PREFIX_FIELDS_REASON:
        "de velden client, ident en gebruiker bevatten een voorvoegsel (een syslog-tijd en host, het adres en label "
        "van een doorgever, een naam van docker compose of kubectl) en het eigen adres, ident en gebruiker van de "
        "regel staan erna: geen clientadres: haal eerst het voorvoegsel weg",
    formats_base.CONTROL_CLIENT_REASON:
        "stuurtekens in het veld van het clientadres (NUL-bytes van een beschadigde schrijfactie?)",
    formats_clf.UNPAIRED_QUOTE_REASON:
        "een aanhalingsteken zonder paar: de regel eindigt of begint binnen een veld tussen aanhalingstekens (verzoek, "
        "referer of user agent): afgebroken, of een stuk van een gesplitste regel",
    formats_w3c.FTP_REASON:
        "een FTP-opdracht (een log van de FTP-dienst van Microsoft): geen HTTP-verzoek, exposure leest geen FTP-logs",
    LAST_LINE_CUT: "laatste regel heeft geen regeleinde: midden in de regel afgebroken (een kopie van een lopende log?)",
}
# exposure/corruption.py: why a line of a member proven a corrupted copy is rejected
_CORRUPTED_WHY_NL = {
    "this line's bytes differ from them, altered by the damage":
        "de bytes van deze regel wijken daarvan af, veranderd door de beschadiging",
    "this line's bytes are theirs but no line of theirs begins where it does: a line the damage made (the line end "
    "before it altered)":
        "de bytes van deze regel zijn die van de kopie, maar geen regel daarvan begint waar deze begint: een regel "
        "die de beschadiging maakte (het regeleinde ervoor veranderd)",
}


def _lines_nl(where: str) -> str:
    """`line 7` / `lines 7-8` (a proof's intact lines) in Dutch."""
    return where.replace("lines ", "regels ", 1) if where.startswith("lines ") else where.replace("line ", "regel ", 1)


def _corrupted_nl(m: re.Match[str], s: Strings) -> str:
    why = _CORRUPTED_WHY_NL.get(m[4], m[4])
    read = f"; vóór het bewijs was de regel bij het lezen al afgewezen: {sentence(m[5], s)}" if m[5] else ""
    return (f"beschadigd: CRC-32 en grootte van gzip-member {m[1]} passen bij de intacte kopie {m[2]} (haar "
            f"{_lines_nl(m[3])} op de plaats van deze regel): {why}{read}")


# exposure/formats/jsonl.py UNREAD_JSON_LAYOUTS: (what it looks like, how to have it read) in Dutch, per layout
_UNREAD_NL = {
    "foreign_w3c": ("de velden van een W3C extended log als JSON-sleutels: de JSON-uitvoer van CloudFront standard "
                    "logging v2, of een IIS-log als JSON verzonden",
                    "lever hem in zijn W3C-tekstvorm (CloudFront: het uitvoerformaat w3c, met zijn #Fields-regel; IIS: "
                    "zijn u_ex-bestanden), die exposure leest met de betekenis van elk veld (sc-bytes telt de headers "
                    "mee)"),
}


def _unread_nl(m: re.Match[str]) -> str:
    """A JSON layout exposure does not read (jsonl._unread_reason) in Dutch; a layout without its Dutch as written."""
    from ..formats.jsonl import UNREAD_JSON_LAYOUTS

    for key, shape, how in UNREAD_JSON_LAYOUTS:
        if (shape, how) == (m[1], m[2]) and key in _UNREAD_NL:
            return (f"een verzoek in een JSON-indeling die exposure niet leest (het lijkt op: {_UNREAD_NL[key][0]}): "
                    f"{_UNREAD_NL[key][1]}")
    return m[0]


SENTENCES_NL: list[Rule] = [
    # reject reasons (REASONS_NL): a fixed one, and a cut last line's said before the reason it was rejected with
    (re.compile("|".join(re.escape(r) for r in REASONS_NL)), lambda m, s: REASONS_NL[m[0]]),
    (re.compile(re.escape(LAST_LINE_CUT) + r": it ends in its (.+), which a count rests on: as read it may mislead",
                re.S),
     lambda m, s: f"{REASONS_NL[LAST_LINE_CUT]}: hij eindigt in zijn {m[1]}, waarop een telling rust: zoals gelezen "
                  "kan hij misleiden"),
    (re.compile(re.escape(LAST_LINE_CUT) + r": (.+)", re.S),
     lambda m, s: f"{REASONS_NL[LAST_LINE_CUT]}: {sentence(m[1], s)}"),
    # exposure/corruption.py (_act)
    (re.compile(r"corrupted: gzip member (\d+)'s CRC-32 and size match intact copy (.+) \(its (lines? [\d-]+) in "
                r"this line's place\): (.+?)(?:; read before the proof, it was rejected: (.+))?", re.S),
     _corrupted_nl),
    (re.compile(r"corrupted: gzip member (\d+)'s CRC-32 and size match intact copy (.+) \(its line (\d+) runs on "
                r"past the member's end, where this line begins\): no line of theirs begins where it does: a line "
                r"the damage made \(the member's last byte altered to a line end\)", re.S),
     lambda m, s: (f"beschadigd: CRC-32 en grootte van gzip-member {m[1]} passen bij de intacte kopie {m[2]} (haar "
                   f"regel {m[3]} loopt door voorbij het einde van de member, waar deze regel begint): geen regel "
                   "daarvan begint waar deze begint: een regel die de beschadiging maakte (de laatste byte van de "
                   "member veranderd in een regeleinde)")),
    # exposure/evidence.py (NUL bytes in place of content) and exposure/lines.py (a line too long to parse)
    (re.compile(r"(\d+) NUL bytes inside the line in place of content: what was written there is lost; the line "
                r"joins a piece of a line before them to a piece after them"),
     lambda m, s: (f"{m[1]} NUL-bytes midden in de regel in plaats van inhoud: wat daar geschreven was is verloren; "
                   "de regel voegt een stuk regel ervoor samen met een stuk erna")),
    (re.compile(r"begins after (\d+) NUL bytes in place of content: the start of the line may be lost with them"),
     lambda m, s: (f"begint na {m[1]} NUL-bytes in plaats van inhoud: het begin van de regel kan ermee verloren "
                   "zijn")),
    (re.compile(r"begins after (\d+) NUL bytes at the start of the file that end on a file-system block boundary "
                r"\(byte (\d+)\): a crash zeroed the blocks before it, and the start of the line may be lost with "
                r"them"),
     lambda m, s: (f"begint na {m[1]} NUL-bytes aan het begin van het bestand die eindigen op een blokgrens van het "
                   f"bestandssysteem (byte {m[2]}): een crash zette de blokken ervoor op nul, en het begin van de "
                   "regel kan ermee verloren zijn")),
    (re.compile(r"a line of (\d+) bytes, longer than (\d+): not parsed; its first (\d+) bytes are kept here, all "
                r"of it is in the file at its byte offset"),
     lambda m, s: (f"een regel van {m[1]} bytes, langer dan {m[2]}: niet ontleed; de eerste {m[3]} bytes staan "
                   "hier, de hele regel staat in het bestand op zijn byte-positie")),
    # exposure/lines.py: a line beside content a damage lost (its detail as the damage says it), and such a line
    # that is also cut off (lines._both): each part in Dutch
    (re.compile(r"(.+?); (cut off (?:by lost content|where the content ends early) \(.+\): the rest of the line is "
                r"lost)", re.S),
     lambda m, s: f"{sentence(m[1], s)}; {sentence(m[2], s)}"),
    (re.compile(r"begins after lost content \((.+)\): the start of the line is lost", re.S),
     lambda m, s: f"begint na verloren inhoud ({m[1]}): het begin van de regel is verloren"),
    (re.compile(r"cut off by lost content \((.+)\): the rest of the line is lost", re.S),
     lambda m, s: f"afgebroken door verloren inhoud ({m[1]}): de rest van de regel is verloren"),
    (re.compile(r"cut off where the content ends early \((.+)\): the rest of the line is lost", re.S),
     lambda m, s: f"afgebroken waar de inhoud te vroeg eindigt ({m[1]}): de rest van de regel is verloren"),
    # exposure/evidence.py: NUL bytes at the start of a file before content that parses as no line
    (re.compile(r"begins after (\d+) NUL bytes at the start of the file and parses as no line: the start of the line "
                r"may be lost with them"),
     lambda m, s: (f"begint na {m[1]} NUL-bytes aan het begin van het bestand en is als geen regel te lezen: het "
                   "begin van de regel kan ermee verloren zijn")),
    (re.compile(r"(.+?); (a line of \d+ bytes, longer than .+)", re.S),
     lambda m, s: f"{sentence(m[1], s)}; {sentence(m[2], s)}"),
    # exposure/evidence.py (encoding_refusal, _archive_refusal): why a file is unreadable; commands as written
    (re.compile(r"a (ZIP|tar) archive of files, which exposure does not open: extract it first \((.+)\) and give "
                r"the folder"),
     lambda m, s: f"een {m[1]}-archief van bestanden, dat exposure niet opent: pak het eerst uit ({m[2]}) en geef de map"),
    (re.compile(r"(\S+)-compressed content, which exposure does not decode \(it reads gzip and bzip2\): decompress "
                r"it first \((.+)\) and give the result"),
     lambda m, s: (f"{m[1]}-gecomprimeerde inhoud, die exposure niet decodeert (het leest gzip en bzip2): pak het "
                   f"eerst uit ({m[2]}) en geef het resultaat")),
    (re.compile(r"a Parquet table, which exposure does not read \(CloudFront's standard logging v2 delivers a log so "
                r"where asked\): deliver the log in its W3C text form \(CloudFront: the w3c output format, with its "
                r"#Fields line\), which exposure reads with each field's meaning"),
     lambda m, s: ("een Parquet-tabel, die exposure niet leest (CloudFronts standard logging v2 levert een log zo "
                   "waar daarom gevraagd is): lever de log in zijn W3C-tekstvorm (CloudFront: het uitvoerformaat w3c, "
                   "met zijn #Fields-regel), die exposure leest met de betekenis van elk veld")),
    (re.compile(r"its content is (\S+)-compressed again \(compressed twice\): exposure decodes one layer; "
                r"decompress it once first and give the result"),
     lambda m, s: (f"de inhoud is nog eens {m[1]}-gecomprimeerd (twee keer gecomprimeerd): exposure decodeert één "
                   "laag; pak het eerst één keer uit en geef het resultaat")),
    (re.compile(r"(\S+) text( without a byte-order mark)?: convert to UTF-8 first \((.+)\)"),
     lambda m, s: (f"{m[1]}-tekst{' zonder byte-order mark' if m[2] else ''}: zet hem eerst om naar UTF-8 "
                   f"({m[3]})")),
    # exposure/formats/jsonl.py (_unread_reason): a layout exposure does not read at all, said in Dutch
    (re.compile(r"a request in a JSON layout exposure does not read \(it looks like: (.+?)\): (.+)", re.S),
     lambda m, s: _unread_nl(m)),
    # exposure/formats/jsonl.py (_foreign_reason): the layout and the option are data and a command line
    (re.compile(r"a request in a JSON layout exposure does not read by default \(it looks like: (.+?)\): give "
                r"--json-fields '(.*)'", re.S),
     lambda m, s: (f"een verzoek in een JSON-indeling die exposure standaard niet leest (het lijkt op: {m[1]}): "
                   f"geef --json-fields '{m[2]}'")),
    # exposure/geo.py
    (re.compile(r"(\S+) address: not looked up"), lambda m, s: f"{_net(m, s)} adres: niet opgezocht"),
    (re.compile(r"not in (\S+) \(built (\S+)\)"), lambda m, s: f"niet in {m[1]} (gebouwd {m[2]})"),
    (re.compile(r"(\S+) was built (\S+), before the requests it describes(?: \(first (\S+)\))?: the address may "
                r"have moved to another network or place since"),
     lambda m, s: (f"{m[1]} is gebouwd op {m[2]}, vóór de verzoeken die het beschrijft"
                   + (f" (eerste {m[3]})" if m[3] else "") + ": het adres kan sindsdien naar een ander netwerk of "
                   "een andere plaats zijn verhuisd")),
    # exposure/formats/base.py and jsonl.py (reject reasons; the value after the colon is from the log)
    (re.compile(r"does not match the (\S+) format"), lambda m, s: f"past niet bij het formaat {m[1]}"),
    (re.compile(r"invalid timestamp: (.*)", re.S), lambda m, s: f"ongeldig tijdstip: {m[1]}"),
    (re.compile(r"invalid status: (.*)", re.S), lambda m, s: f"ongeldige status: {m[1]}"),
    (re.compile(r"invalid byte count: (.*)", re.S), lambda m, s: f"ongeldig aantal bytes: {m[1]}"),
    (re.compile(r"not a JSON object"), lambda m, s: "geen JSON-object"),
    # exposure/formats/w3c.py: a W3C line with more or fewer values than its fields
    (re.compile(r"([0-9]+) values? under ([0-9]+) fields"),
     lambda m, s: f"{m[1]} {'waarde' if m[1] == '1' else 'waarden'} onder {m[2]} velden"),
    # exposure/facts.py and queries/facts.sql (the basis of a file's byte meaning)
    (re.compile(r"declared by the (\S+) format: (.+)", re.S), lambda m, s: f"vastgelegd door het formaat {m[1]}: {m[2]}"),
    (re.compile(r"given: --bytes (\S+)"), lambda m, s: f"opgegeven: --bytes {m[1]}"),
    (re.compile(r"no byte count logged: not one of the file's requests has one"),
     lambda m, s: "geen bytetelling gelogd: geen enkel verzoek in het bestand heeft er een"),
    (re.compile(r"inferred from (.+)", re.S), lambda m, s: "afgeleid uit " + _facts_detail(m[1], s)),
    (re.compile(r"assumed body: the data did not decide yet \((.+)\)", re.S),
     lambda m, s: f"aangenomen: alleen de inhoud; de gegevens beslisten (nog) niet ({m[1]})"),
    (re.compile(r"assumed body: the data did not decide \((.+)\)", re.S),
     lambda m, s: f"aangenomen: alleen de inhoud; de gegevens beslisten niet ({_facts_detail(m[1], s)})"),
    # exposure/inspect (notes of an inspection)
    (re.compile(r"the workbook contains macros \(xl/vbaProject\.bin\); they were not run or read"),
     lambda m, s: "de werkmap bevat macro's (xl/vbaProject.bin); die zijn niet uitgevoerd of gelezen"),
    (re.compile(r"only the first (\d+) bytes were read \(limit\)"),
     lambda m, s: f"alleen de eerste {m[1]} bytes zijn gelezen (grens)"),
    (re.compile(r"scan stopped after (\d+) (values|cells) \(limit\): counts are lower bounds"),
     lambda m, s: (f"doorzoeken gestopt na {m[1]} {'waarden' if m[2] == 'values' else 'cellen'} (grens): "
                   "aantallen zijn ondergrenzen")),
    (re.compile(r"encrypted with an empty user password: anyone can open it"),
     lambda m, s: "versleuteld met een leeg gebruikerswachtwoord: iedereen kan het openen"),
    (re.compile(r"text read from the first (\d+) of (\d+) pages \(limit\)"),
     lambda m, s: f"tekst gelezen van de eerste {m[1]} van {m[2]} pagina's (grens)"),
    # exposure/answer.py (warnings)
    (re.compile(r"window (\d+): no 200 GET response with a byte count, so the file size is unknown and "
                r"completeness is undetermined; give --size"),
     lambda m, s: (f"venster {m[1]}: geen 200-GET-respons met een aantal bytes, dus de bestandsgrootte is "
                   "onbekend en volledigheid onbepaald; geef --size")),
    (re.compile(r"window (\d+)( of --alias .+?)?: (\d+) clients?'s? partial downloads may together hold the file "
                r"\((.+)\): a resume \(a 200 cut short, then a 206 for the rest\) and pieces more than (\d+) minutes "
                r"apart count as partial each; not counted \(queries/windows\.sql partials_adding_up\)", re.S),
     lambda m, s: (f"venster {m[1]}{_alias_nl(m[2])}: de gedeeltelijke downloads van {m[3]} "
                   f"{'client' if m[3] == '1' else 'clients'} kunnen samen het bestand bevatten "
                   f"({_pieces_nl(m[4])}): een hervatting (een afgebroken 200, dan een 206 voor de rest) en stukken "
                   f"meer dan {m[5]} minuten uit elkaar tellen elk als gedeeltelijk; niet geteld (queries/windows.sql "
                   "partials_adding_up)")),
    (re.compile(r"window (\d+)( of --alias .+?)?: (\d+) clients?'s? partial downloads may together hold the file "
                r"\(((?:[^()]|\([^()]*\))+)\)", re.S),   # page 1's form (report/caveats.py); an IPv6 /64's own ( )
     lambda m, s: (f"venster {m[1]}{_alias_nl(m[2])}: de gedeeltelijke downloads van {m[3]} "
                   f"{'client' if m[3] == '1' else 'clients'} kunnen samen het bestand bevatten ({_pieces_nl(m[4])})")),
    (re.compile(r"download (\d+)( of --alias .+?)? \(a range group of (\d+) parts from (\S+), complete( \(inferred\))?\) "
                r"joins parts whose X-Forwarded-For names different clients \((.+)\): behind a proxy the pieces of "
                r"several clients with one user agent may read as one copy that none of them held; give "
                r"--client-ip-from xff with --trusted-proxy holding \S+ to count each forwarded client apart "
                r"\(queries/windows\.sql ranges_across_forwarded\)", re.S),
     lambda m, s: (f"download {m[1]}{_alias_nl(m[2])} (een groep deelresponsen van {m[3]} delen van {m[4]}, "
                   f"volledig{' (afgeleid)' if m[5] else ''}) voegt delen samen waarvan X-Forwarded-For verschillende "
                   f"clients noemt ({m[6]}): achter een proxy kunnen de stukken van meerdere clients met één user "
                   "agent lezen als één kopie die geen van hen had; geef --client-ip-from xff met --trusted-proxy "
                   f"die {m[4]} bevat om elke doorgestuurde client apart te tellen (queries/windows.sql "
                   "ranges_across_forwarded)")),
    (re.compile(r"window (\d+): the log counts no bytes of the file's transfers, so no size can judge them \(a "
                r"given --size neither\): each is complete or partial only by the log's own word on its send \(IIS "
                r"sc-win32-status\) or a range group's offsets, else undetermined"),
     lambda m, s: (f"venster {m[1]}: het log telt geen bytes van de overdrachten van het bestand, dus geen grootte "
                   "kan ze beoordelen (ook een opgegeven --size niet): elke overdracht is volledig of gedeeltelijk "
                   "alleen volgens het eigen woord van het log over de verzending (IIS sc-win32-status) of de "
                   "offsets van een groep deelresponsen, anders onbepaald")),
    (re.compile(r"(\d+) external requests? counted here came from a server that ignores case \(IIS\) and may as "
                r"well be of (.+), (another file|other files), counted there too: the logs "
                r"cannot tell which file (?:it|each) fetched", re.S),
     lambda m, s: (f"{m[1]} extern verzoek dat hier telt kwam" if m[1] == "1" else
                   f"{m[1]} externe verzoeken die hier tellen kwamen")
     + " van een server die hoofdletters negeert (IIS) en " + ("kan" if m[1] == "1" else "kunnen")
     + f" evengoed van {m[2]} zijn, "
     + ("een ander bestand" if m[3] == "another file" else "andere bestanden")
     + ", " + ("dat" if m[3] == "another file" else "die") + " "
     + ("het" if m[1] == "1" else "ze") + (" ook telt" if m[3] == "another file" else " ook tellen") + ": de logs "
       "kunnen niet zeggen welk bestand " + ("het" if m[1] == "1" else "elk") + " ophaalde"),
    (re.compile(r"window (\d+): two or more lengths stated: its responses state (\d+) lengths of the file "
                r"\((.+) bytes\)\. A 200 of a length other .*rule_version_bounds\)", re.S),
     lambda m, s: (f"venster {m[1]}: twee of meer lengtes genoemd: de antwoorden noemen {m[2]} lengtes van het "
                   f"bestand ({m[3].replace(' and ', ' en ')} bytes). Een 200 met een andere lengte dan die van het "
                   "venster (de opgegeven grootte, anders de meest voorkomende) leverde een heel object dat de log "
                   "niet kan benoemen (een andere versie van het bestand, of een ander object op dat pad zoals een "
                   "foutpagina: de log bewaart geen "
                   "inhoudstype): onbepaald als hij zijn eigen lengte haalt, gedeeltelijk als hij korter is, nooit "
                   "volledig (rule_never_complete); een download in delen die geen eigen lengte noemt is alleen "
                   "volledig als hij de grootste dekt, gedeeltelijk alleen als hij korter is dan de kleinste, anders "
                   "onbepaald (queries/downloads_rule.sql rule_version_bounds)")),
    (re.compile(r"window (\d+): size in doubt: 200 responses state (\d+) sizes of the file, each logged by "
                r"several addresses \((.+)\): the log counts body bytes only .*The largest, ([0-9\u202f]+) bytes, is taken "
                r".*rule_sizes_in_doubt\)", re.S),
     lambda m, s: (f"venster {m[1]}: grootte twijfelachtig: 200-antwoorden noemen {m[2]} groottes van het bestand, "
                   f"elk gelogd door meerdere adressen ({m[3].replace(' by ', ' door ').replace(' addresses', ' adressen')}): de log telt alleen "
                   "bytes van de inhoud en noemt geen lengte, dus een foutpagina die met 200 op het pad van het "
                   "bestand werd beantwoord wordt gelogd zoals het bestand; de grootte van het bestand is een "
                   f"twijfelachtige afleiding. De grootste, {m[4]} bytes, wordt genomen (een ingekorte kopie is een "
                   "kleiner aantal, nooit een groter), nooit een kleinere meerderheid; een kleiner aantal dat door "
                   "evenveel adressen is gelogd is onbepaald (een andere versie, een foutpagina of ingekorte kopieën: "
                   "het aantal zegt niet welke), nooit gedeeltelijk (rule_counts_in_doubt); elk ander kleiner aantal "
                   "wordt ertegen gedeeltelijk beoordeeld. Geef --size om naar de eigen grootte van het bestand te "
                   "beoordelen (queries/downloads_rule.sql rule_sizes_in_doubt)")),
    (re.compile(r"window (\d+): size in doubt: a 200 logged a larger body count \(([0-9\u202f]+) bytes\) than the "
                r"size taken \(([0-9\u202f]+) bytes, .*rule_sizes_in_doubt\)", re.S),
     lambda m, s: (f"venster {m[1]}: grootte twijfelachtig: een 200-antwoord logde een groter aantal bytes inhoud "
                   f"({m[2]} bytes) dan de genomen grootte ({m[3]} bytes, het grootste aantal dat meerdere adressen "
                   "logden, anders het meest voorkomende): de log telt alleen bytes van de inhoud en noemt geen "
                   "lengte, en een ingekorte kopie is een kleiner aantal, nooit een groter, dus het grotere aantal is "
                   "een ander object op het pad van het bestand of het bestand zelf, waar de antwoorden van de "
                   "genomen grootte dan bij achterblijven; de grootte van het bestand is een twijfelachtige "
                   "afleiding, het grotere aantal onbepaald. Geef --size om naar de eigen grootte van het bestand te "
                   "beoordelen (queries/downloads_rule.sql rule_sizes_in_doubt)")),
    (re.compile(r"window (\d+): (\d+) responses? holds? more body bytes than the file's size \(([0-9\u202f]+) bytes\): "
                r"another object .*rule_above_size\)", re.S),
     lambda m, s: (f"venster {m[1]}: {m[2]} {'antwoord bevat' if m[2] == '1' else 'antwoorden bevatten'} meer "
                   f"bytes inhoud dan de grootte van het bestand ({m[3]} bytes): een ander object op dat pad (een "
                   "foutpagina groter dan het bestand, een andere versie), nooit het bestand: onbepaald, nooit "
                   "volledig (queries/downloads_rule.sql rule_above_size)")),
    (re.compile(r"window (\d+): closed by an error page: its first unavailable response is a CloudFront Error "
                r"result answering 200, .*the log does not say", re.S),
     lambda m, s: (f"venster {m[1]}: gesloten door een foutpagina: het eerste onbeschikbare antwoord is een CloudFront-"
                   "resultaat Error met status 200, een eigen foutpagina die op het pad van het bestand in plaats van "
                   "het bestand werd geserveerd (queries/downloads_rule.sql rule_error_page); gelezen als "
                   "onbeschikbaar, zoals een 404, een afleiding: welke fout van de oorsprong de pagina verving (het "
                   "bestand verwijderd, of een serverfout) zegt de log niet")),
    (re.compile(r"the windows(?: of --alias (.+))? rest on (\d+) responses? of the file \((\d+) unavailable\) logged "
                r"in the hour the clocks go back \(--log-tz: finding ambiguous time\), each read as the earlier "
                r"instant; first (.+): one written in the second pass reads an hour early, .*suspect", re.S),
     lambda m, s: (f"de vensters{f' van --alias {m[1]}' if m[1] else ''} rusten op {m[2]} "
                   f"{'antwoord' if m[2] == '1' else 'antwoorden'} van het bestand ({m[3]} onbeschikbaar) gelogd in "
                   "het uur dat de klok teruggaat (--log-tz, zie die bevinding), elk gelezen als het "
                   f"eerdere moment; eerste {m[4]}: een antwoord uit de tweede doorgang staat een uur te vroeg, dus "
                   "een 404 kan vóór de antwoorden komen die hij volgde en geen venster sluiten, of een 200 binnen "
                   "een venster dat een 404 sloot: de grenzen van de vensters zijn daar twijfelachtig")),
    (re.compile(r"window (\d+) opens within the first hour of the evidence: the publication time may be earlier "
                r"than the logs"),
     lambda m, s: (f"venster {m[1]} begint in het eerste uur van het bewijs: de publicatie kan eerder zijn dan "
                   "de logs")),
    (re.compile(r"window (\d+)(?: of --alias (.+))?: (\d+) responses 200 from (\d+) addresses each delivered "
                r"exactly (\d+) bytes, less than the given size (\d+) \(--size\): each is counted partial\. "
                r"Identical counts from several clients are what complete copies look like where the server "
                r"compressed the response \(Apache mod_deflate, nginx gzip: the log counts the compressed body\) or "
                r"served another version of the file: check the size and the server's compression", re.S),
     lambda m, s: (f"venster {m[1]}{f' van --alias {m[2]}' if m[2] else ''}: {m[3]} antwoorden 200 aan "
                   f"{m[4]} adressen leverden elk precies {m[5]} bytes, minder dan de opgegeven grootte {m[6]} "
                   "(--size): elk telt als gedeeltelijk. Gelijke aantallen bij meerdere clients zijn hoe volledige "
                   "kopieën eruitzien als de server de respons comprimeerde (Apache mod_deflate, nginx gzip: de log "
                   "telt de gecomprimeerde inhoud) of een andere versie van het bestand leverde: controleer de "
                   "grootte en de compressie van de server")),
    (re.compile(r"window (\d+)(?: of --alias (.+))?: (\d+) responses 200 from (\d+) addresses each delivered "
                r"exactly the given size (\d+) \(--size\) in byte counts that include the headers: each is counted "
                r"partial \(headers are never 0 bytes\)\. If this log counts the body alone \(see its byte meaning "
                r"in the evidence\), they are complete copies: give --bytes body", re.S),
     lambda m, s: (f"venster {m[1]}{f' van --alias {m[2]}' if m[2] else ''}: {m[3]} antwoorden 200 aan "
                   f"{m[4]} adressen leverden elk precies de opgegeven grootte {m[5]} (--size) in aantallen bytes "
                   "met de headers: elk telt als gedeeltelijk (headers zijn nooit 0 bytes). Telt deze log alleen de "
                   "inhoud (zie de betekenis van de bytes in het bewijs), dan zijn het volledige kopieën: geef "
                   "--bytes body")),
    # exposure/answer.py several_hosts_sentence
    (re.compile(r"(.+) was requested on (\d+) hosts \((.+?) (\d+) requests?((?:, .+)?)\): its windows and downloads "
                r"count them as one file; where they are different sites, give --target https://HOST(.+) to count "
                r"one", re.S),
     lambda m, s: (f"{m[1]} is opgevraagd op {m[2]} hosts ({m[3]} {m[4]} {'verzoek' if m[4] == '1' else 'verzoeken'}"
                   f"{_more_nl(m[5])}): de vensters en downloads tellen ze als één bestand; zijn het verschillende sites, geef "
                   f"dan --target https://HOST{m[6]} om er één te tellen")),
    (re.compile(r"window (\d+)(?: of --alias (.+?))? may have been withdrawn: (\d+) refusals? \(([0-9/]+)\) to "
                r"(\d+) address(?:es)? from (\S+) to (\S+) and (no other response|(\d+) other responses? "
                r"\(([0-9/]+)\)) after its last available response, never available again, though no 404 or 410 "
                r"closes the window \(still available when the logs end, by the rule\); first refusal (.+); S3 "
                r"answers a deleted object with 403 where the reader may not list the bucket, and a file whose "
                r"access was closed answers 403 too", re.S),
     lambda m, s: (f"venster {m[1]}{f' van --alias {m[2]}' if m[2] else ''} is mogelijk teruggetrokken: {m[3]} "
                   f"{'weigering' if m[3] == '1' else 'weigeringen'} ({m[4]}) aan {m[5]} "
                   f"{'adres' if m[5] == '1' else 'adressen'} van {m[6]} tot {m[7]} en "
                   + ("geen ander antwoord" if m[9] is None else
                      f"{m[9]} {'ander antwoord' if m[9] == '1' else 'andere antwoorden'} ({m[10]})")
                   + " na het laatste beschikbare antwoord, nooit meer beschikbaar, al sluit geen 404 of 410 het "
                   f"venster (volgens de regel nog beschikbaar als de logs eindigen); eerste weigering {m[11]}; S3 "
                   "antwoordt op een verwijderd object met 403 als de lezer de bucket niet mag opsommen, en een "
                   "bestand waarvan de toegang is afgesloten antwoordt ook 403")),
    # exposure/answer.py redirects_after_sentence
    (re.compile(r"window (\d+)(?: of --alias (.+?))?: after its last available response the path answered "
                r"redirects and never showed the file available again \((\d+) requests? \(([0-9/]+)\) from (\d+) "
                r"address(?:es)?, first (\S+) (.+?)(?:; (\d+) other responses? \(([0-9/]+)\))?\): the file may have "
                r"been moved or withdrawn then; the window's end is the last response that showed it available", re.S),
     lambda m, s: (f"venster {m[1]}{f' van --alias {m[2]}' if m[2] else ''}: na het laatste beschikbare antwoord "
                   "antwoordde het pad met doorverwijzingen en toonde het bestand nooit meer beschikbaar "
                   f"({m[3]} {'verzoek' if m[3] == '1' else 'verzoeken'} ({m[4]}) van {m[5]} "
                   f"{'adres' if m[5] == '1' else 'adressen'}, eerste {m[6]} {m[7]}"
                   + ("" if m[8] is None else
                      f"; {m[8]} {'ander antwoord' if m[8] == '1' else 'andere antwoorden'} ({m[9]})")
                   + "): het bestand is toen mogelijk verplaatst of ingetrokken; het einde van het venster is het "
                   "laatste antwoord dat het beschikbaar toonde")),
    (re.compile(r"and (\d+) more windows with identical counts (below|equal to) the given size "
                r"\(queries/windows\.sql counts_below_given_size\)"),
     lambda m, s: (f"en nog {m[1]} vensters met gelijke aantallen "
                   + ("onder" if m[2] == "below" else "gelijk aan") + " de opgegeven grootte "
                   "(queries/windows.sql counts_below_given_size)")),
    (re.compile(r"the (city|asn) database (\S+) \((.+)\) was built (\S+), before the requests: its results "
                r"\(geo_note\) may no longer describe the addresses"),
     lambda m, s: (f"de {s.enum('db_kind', m[1])}-database {m[2]} ({geoip_source(m[3], s)}) is gebouwd op "
                   f"{m[4]}, vóór de verzoeken: de resultaten ervan (geo_note) beschrijven de adressen mogelijk niet "
                   "meer")),
    (re.compile(r"--alias (.+) was never answered with a response that shows the file available \(200, 206, 304 "
                r"or a 499 with bytes, to a GET or HEAD: rule_available\) in the evidence: it adds nothing", re.S),
     lambda m, s: (f"--alias {m[1]} is in het bewijs nooit beantwoord met een antwoord dat het bestand beschikbaar "
                   "toont (200, 206, 304 of een 499 met bytes, op een GET of HEAD: rule_available): het voegt niets "
                   "toe")),
    (re.compile(r"(\d+) responses? 200/206 \(or 499 with bytes\) from (?:an )?external address(?:es)? names? no method \(the log records "
                r"none\): never "
                r"counted as downloads, a GET cannot be told from a HEAD, so complete downloads may be missing; read "
                r"the method with the format \(%r or %m in --log-format, \$request or \$request_method in "
                r"--nginx-log-format, method= in --json-fields\)"),
     lambda m, s: (counted("{n:# antwoord 200/206 (of 499 met bytes) aan een extern adres noemt|# antwoorden "
                           "200/206 (of 499 met bytes) aan externe adressen noemen}", n=int(m[1])) + " geen methode (de log legt die niet "
                   "vast): nooit als download geteld, een GET is niet van een HEAD te onderscheiden, dus volledige "
                   "downloads kunnen ontbreken; lees de methode met het formaat (%r of %m in --log-format, "
                   "$request of $request_method in --nginx-log-format, method= in --json-fields)")),
    # page 1 says it without the servers' counts and the advice (report/caveats.py _page_one), section 1 whole
    (re.compile(r"(?:(\d+) of the (\d+) complete downloads|the 1 complete download) rests? on a body byte count "
                r"alone \(([^:]+?)(: Apache's %b counts what the server handed to its output, so a client that broke "
                r"off is logged with the whole size; nginx's \$body_bytes_sent counts what was sent)?\): complete "
                r"means the server logged the whole file as sent, not that the client received it"
                r"(; a log with %O or %X tells)?"),
     lambda m, s: ((f"{m[1]} van de {m[2]} volledige downloads berust" + ("" if m[1] == "1" else "en")
                    if m[2] else "de ene volledige download berust")
                   + f" alleen op een aantal bytes inhoud ({m[3]}"
                   + (": Apache's %b telt wat de server aan zijn uitvoer gaf, dus een client die afbrak wordt met de "
                      "hele grootte gelogd; nginx' $body_bytes_sent telt wat verzonden is" if m[4] else "")
                   + "): volledig betekent dat de server het hele bestand als verzonden logde, niet dat de client "
                   "het ontving" + ("; een log met %O of %X zegt het" if m[5] else ""))),
    (re.compile(r"(\d+) complete downloads? (?:is|are) inferred from the sum of range parts' byte counts "
                r"\(downloads? ([\d, ]+)(?: and (\d+) more)?\): the log states no range offsets, so a part fetched "
                r"again adds to the sum as if it were new bytes; (?:(\d+) of them adds? up to more than the file \(bytes "
                r"fetched more than once, or a multipart/byteranges response whose count holds its boundaries and part "
                r"headers\); )?(\d+) external address(?:es)? (?:is|are) counted only "
                r"through such downloads"),
     lambda m, s: (counted("{n:# volledige download is|# volledige downloads zijn}", n=int(m[1]))
                   + " afgeleid uit de som van de bytes van deelresponsen ("
                   + counted("{n:download|downloads}", n=int(m[1])) + f" {m[2]}"
                   + (f" en nog {m[3]}" if m[3] else "") + "): de log vermeldt geen byteposities, dus een deel dat "
                   "opnieuw is opgehaald telt mee alsof het nieuwe bytes waren; "
                   + (counted("{n:# ervan komt|# ervan komen}", n=int(m[4])) + " op meer dan het bestand (bytes "
                      "meer dan eens opgehaald, of een multipart/byteranges-respons waarvan het aantal de grenzen en "
                      "deelkoppen meetelt); " if m[4] else "")
                   + counted("{n:# extern adres wordt|# externe adressen worden}", n=int(m[5]))
                   + " alleen door zulke downloads geteld")),
    (re.compile(r"windows (\d+) and (\d+)(?: of --alias (.+?))? may be one: window \d+ opened (\d+) seconds? after "
                r"window \d+'s first unavailable response, in the log of another server \(stream (.+); the "
                r"unavailable response is stream (.+)'s\): servers behind one load balancer whose clocks differ, or "
                r"from which the file was removed one after the other, make one withdrawal read as a withdrawal and "
                r"a republication; compare the servers' clocks before reading them as two \(queries/windows\.sql "
                r"window_reopened_elsewhere\)", re.S),
     lambda m, s: (f"vensters {m[1]} en {m[2]}{f' van --alias {m[3]}' if m[3] else ''} zijn mogelijk één: venster "
                   f"{m[2]} begon " + counted("{n:# seconde|# seconden}", n=int(m[4]))
                   + f" na het eerste onbeschikbare antwoord van venster {m[1]}, in de log van een andere server "
                   f"(stroom {m[5]}; het onbeschikbare antwoord is van stroom {m[6]}): servers achter één load "
                   "balancer met verschillende klokken, of waarvan het bestand na elkaar is verwijderd, laten één "
                   "verwijdering lezen als een verwijdering en een herpublicatie; vergelijk de klokken van de servers "
                   "voordat u ze als twee leest (queries/windows.sql window_reopened_elsewhere)")),
    (re.compile(r"window (\d+)(?: of --alias (.+?))? may be no republication: its available responses \((\d+), each "
                r"a transfer of the file, the first (\d+) seconds? after window (\d+)'s first unavailable response, "
                r"all within 10 minutes of it\) are each in a log that logged the file unavailable "
                r"itself before it \(stream (.+)\), whose times may mark a response's end \(nginx \$time_local, IIS, "
                r"CloudFront: logged when the transfer ended\): a download "
                r"begun before the withdrawal and ended after it \(a file deleted while being sent is sent in full\) "
                r"is logged after the first 404; check the server's software and its request times before reading it "
                r"as a republication \(queries/windows\.sql window_reopened_in_flight\)", re.S),
     lambda m, s: (f"venster {m[1]}{f' van --alias {m[2]}' if m[2] else ''} is mogelijk geen herpublicatie: zijn "
                   f"beschikbare antwoorden ({m[3]}, elk een overdracht van het bestand, het eerste "
                   + counted("{n:# seconde|# seconden}", n=int(m[4]))
                   + f" na het eerste onbeschikbare antwoord van venster {m[5]}, alle binnen 10 minuten daarvan) staan "
                   f"elk in een log die het bestand zelf eerder onbeschikbaar logde (stroom {m[6]}), waarvan de tijden het einde van een antwoord kunnen zijn (nginx "
                   "$time_local, IIS, CloudFront: gelogd toen de overdracht eindigde): een download die vóór de "
                   "verwijdering begon en erna eindigde (een bestand dat tijdens het verzenden wordt verwijderd, "
                   "wordt helemaal verzonden) wordt na de eerste 404 gelogd; controleer de software van de server "
                   "en zijn aanvraagtijden voordat u het als een herpublicatie leest (queries/windows.sql "
                   "window_reopened_in_flight)")),
    (re.compile(r"(\d+) downloads? of this file may be counted twice \((\d+) complete; the first: download "
                r"(\d+)\): stream (.+) logged (?:it|them) from (.+) with an X-Forwarded-For naming the connecting "
                r"address of a download of the file that stream (.+) logged within 15 minutes, as a proxy's log and "
                r"the log of the server behind it both do; answer from one of the two tiers' logs: leave the other's "
                r"files out of the case \(queries/tiers\.sql downloads_logged_twice\)", re.S),
     lambda m, s: (counted("{n:# download van dit bestand telt mogelijk twee keer|# downloads van dit bestand tellen "
                           "mogelijk twee keer}", n=int(m[1]))
                   + f" ({m[2]} volledig; de eerste: download {m[3]}): stroom {m[4]} logde "
                   + ("hem" if m[1] == "1" else "ze") + f" vanaf {m[5]} met een X-Forwarded-For die het verbindende "
                   f"adres noemt van een download van het bestand die stroom {m[6]} binnen 15 minuten logde, zoals de "
                   "log van een proxy en die van de server erachter allebei doen; antwoord uit de logs van een van "
                   "beide lagen: laat de bestanden van de andere uit de zaak (queries/tiers.sql "
                   "downloads_logged_twice)")),
    (re.compile(r"(windows? [\d, and]+?)(?: of --alias (.+?))?: the file was fetched (\d+) times? \((\d+) complete\) by a CDN "
                r"filling its cache \((.+?), by its user agent, from (.+)\): viewers who got it from the CDN appear only "
                r"in the CDN's own logs \((?:the case holds CloudFront logs: (\d+) downloads? there(?:, none by (\d+) "
                r"address(?:es)? the fills named \(X-Forwarded-For\) within 15 minutes: (.+), so CloudFront logs may be missing)?"
                r"|no CloudFront log is in the case: supply the distribution's standard logs); queries/cdn\.sql "
                r"cdn_cache_fills\)", re.S),
     lambda m, s: _cdn_fill_nl(m)),
    (re.compile(r"the logs write (\d+) UTC offsets \((\S+) on (\d+) request lines?, (.+): a change of daylight saving "
                r"time, or servers in other zones\): every local time is shown at (\S+), the (most common|lower of the "
                r"offsets written on as many request lines \(a tie\)), not at the "
                r"offset its own line wrote; the UTC times are exact; give --display-tz with the zone's name \(e\.g\. "
                r"Europe/Amsterdam\) for each time's wall-clock time"),
     lambda m, s: (f"de logs schrijven {m[1]} UTC-offsets ({m[2]} op "
                   + counted("{n:# verzoekregel|# verzoekregels}", n=int(m[3])) + ", "
                   + re.sub(r" on (\d+)", r" op \1", m[4]) + ": een wissel van zomertijd, of servers in andere "
                   f"zones): elke lokale tijd staat op {m[5]}, "
                   + ("de meest voorkomende" if m[6] == "most common"
                      else "de laagste van de offsets die op evenveel verzoekregels staan (gelijkspel)")
                   + ", niet op de offset die de eigen regel schreef; de UTC-tijden zijn exact; geef --display-tz met "
                   "de naam van de zone (bijv. Europe/Amsterdam) voor de kloktijd van elke tijd")),
    (re.compile(r"files were read with --log-tz in (\d+) zones \((.+)\): every local time is shown at (\S+), not in "
                r"those zones; the UTC times are exact; give --display-tz with the zone's name for each time's "
                r"wall-clock time there"),
     lambda m, s: (f"bestanden zijn met --log-tz in {m[1]} zones gelezen ({m[2]}): elke lokale tijd staat op {m[3]}, "
                   "niet in die zones; de UTC-tijden zijn exact; geef --display-tz met de naam van de zone voor de "
                   "kloktijd van elke tijd daar")),
    (re.compile(r"every local time is shown in (\S+), the zone given with --log-tz, beside the UTC offsets the logs "
                r"write \((\S+) on (\d+) request lines?((?:, \S+ on \d+)*)\): a line from a server in another zone "
                r"shows its time in \S+, not at the offset it wrote; the UTC times are exact; give --display-tz to "
                r"show another zone"),
     lambda m, s: (f"elke lokale tijd staat in {m[1]}, de zone gegeven met --log-tz, naast de UTC-offsets die de "
                   f"logs schrijven ({m[2]} op " + counted("{n:# verzoekregel|# verzoekregels}", n=int(m[3]))
                   + re.sub(r" on (\d+)", r" op \1", m[4]) + f"): een regel van een server in een andere zone "
                   f"toont zijn tijd in {m[1]}, niet op de offset die hij schreef; de UTC-tijden zijn exact; geef "
                   "--display-tz voor een andere zone")),
    (re.compile(r"(.+) was never requested in the evidence: no windows, no downloads", re.S),
     lambda m, s: f"{m[1]} is in het bewijs nooit opgevraagd: geen vensters, geen downloads"),
    (re.compile(r"(\d+) of (\d+) client addresses are private or shared: the logs probably show a proxy or load "
                r"balancer, not the clients \(see the X-Forwarded-For options\)"),
     lambda m, s: (f"{m[1]} van {m[2]} clientadressen zijn privé of gedeeld: de logs tonen waarschijnlijk een "
                   "proxy of load balancer, niet de clients (zie de opties voor X-Forwarded-For)")),
    (re.compile(r"(.+): (\d+) of (\d+) lines rejected: probably not the (\S+) format", re.S),
     lambda m, s: f"{m[1]}: {m[2]} van {m[3]} regels afgewezen: waarschijnlijk niet het formaat {m[4]}"),
    # ... or its reason (evidence_rules.sql rejected_hint: a prefix, a JSON layout), in Dutch
    (re.compile(r"(.+): (\d+) of (\d+) lines rejected: (.+)", re.S),
     lambda m, s: f"{m[1]}: {m[2]} van {m[3]} regels afgewezen: {sentence(m[4], s)}"),
    # the findings' details (report/findingwords.py): a time that ran back, a stray time, a client not forwarded,
    # a link, an interrupted command, why an input is unreadable
    *findingwords.RULES_NL,
]


_FACTS_NL: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"no path with 3 or more complete-looking transfers \(200 GETs within 64 bytes of each other\)"),
     "geen pad met 3 of meer schijnbaar volledige overdrachten (200-GET's binnen 64 bytes van elkaar)"),
    (re.compile(r"(\d+) (?:paths'|path's) complete transfers byte-identical"),
     lambda m: f"volledige overdrachten van {plural(int(m[1]), '# pad', '# paden')} byte-gelijk"),
    (re.compile(r"(\d+) of (\d+) (?:paths'|path's) complete transfers spread by (\d+)-(\d+) bytes, (\d+) byte-identical"),
     lambda m: f"volledige overdrachten van {m[1]} van {plural(int(m[2]), '# pad', '# paden')} gespreid over {m[3]}-{m[4]} "
               f"bytes, {m[5]} byte-gelijk"),
    (re.compile(r"no response without a body \(HEAD, 304\)"), "geen respons zonder inhoud (HEAD, 304)"),
    (re.compile(r"(\d+) responses? without a body \(HEAD, 304\) logged with no bytes"),
     lambda m: f"{plural(int(m[1]), '# respons', '# responsen')} zonder inhoud (HEAD, 304) gelogd zonder bytes"),
    (re.compile(r"(\d+) responses? without a body \(HEAD, 304\) logged with (\d+)-(\d+) bytes \(their headers\)"),
     lambda m: f"{plural(int(m[1]), '# respons', '# responsen')} zonder inhoud (HEAD, 304) gelogd met {m[2]}-{m[3]} bytes "
               "(hun headers)"),
    (re.compile(r"(\d+) responses without a body \(HEAD, 304\): (\d+) logged with (\d+)-(\d+) bytes, (\d+) with none"),
     r"\1 responsen zonder inhoud (HEAD, 304): \2 gelogd met \3-\4 bytes, \5 zonder"),
]


def _facts_detail(text: str, s: Strings) -> str:
    """The evidence queries/facts.sql gives for a byte meaning, part by part ('; ')."""
    out = []
    for part in text.split("; "):
        for pattern, dutch in _FACTS_NL:
            if pattern.fullmatch(part):
                part = pattern.sub(dutch, part)
                break
        out.append(part)
    return "; ".join(out)


def sentence(text: str | None, s: Strings) -> str | None:
    """A sentence the analysis wrote in English, in the report's language (as written when no wording fits)."""
    if text is None or s["lang"] == "en":
        return text
    for pattern, word in SENTENCES_NL:
        if m := pattern.fullmatch(text):
            return word(m, s)
    return text


# queries/spread.sql: a crawler claim and how it was checked, then where the operator's ranges came from
# (exposure/clients.py OperatorRanges.source: "URL, recorded DATE", or "NOTE (URL)" for an operator
# that publishes no ranges or whose ranges are not shipped).
_CLAIMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"verified: address in the published ranges of (.+)", re.S),
     "geverifieerd: adres in de gepubliceerde reeksen van {op}"),
    (re.compile(r"claimed, not verified: address outside the shipped ranges of (.+)", re.S),
     "beweerd, niet geverifieerd: adres buiten de meegeleverde reeksen van {op}"),
    (re.compile(r"claimed, not verifiable from logs: no published ranges known for (.+)()", re.S),
     "beweerd, niet te verifiëren uit de logs: geen gepubliceerde reeksen bekend voor {op}"),
    (re.compile(r"claimed, not verified: no published ranges shipped for (.+)()", re.S),
     "beweerd, niet geverifieerd: geen gepubliceerde reeksen meegeleverd voor {op}"),
    (re.compile(r"claimed, not verifiable from logs: (.+?): (.+)", re.S),
     "beweerd, niet te verifiëren uit de logs: {op} publiceert geen adreslijst die hier is meegeleverd; bevestig "
     "het adres met reverse DNS of het ASN"),
]
_RECORDED = re.compile(r"(.+), recorded (\S+)", re.S)
_URL = re.compile(r"[a-z]+://[^\s()]+")
_ASN = re.compile(r"AS\d+(?: \([A-Z0-9-]+\))?")


def _cited(source: str) -> str:
    """What identifies a ranges source without its English prose: its URL, else the networks (AS numbers) it
    names, else the shipped file it is recorded in."""
    if found := _URL.search(source):
        return found[0]
    if found := _ASN.findall(source):
        return ", ".join(found)
    return "exposure/data/crawler_ranges.json"


def verification(text: str | None, s: Strings) -> tuple[str | None, str | None]:
    """A crawler verification as (the claim and how it was checked, in the report's language; the source of
    the operator's ranges, quoted as data). The source's own note is English prose from the shipped ranges
    file: the Dutch report cites its URL and words the advice itself."""
    if text is None:
        return None, None
    for pattern, dutch in _CLAIMS:
        if m := pattern.fullmatch(text):
            op, source = (_bracketed_tail(m[1]) if m.lastindex == 1 else (m[1], m[2] or None))
            if s["lang"] == "en":
                return (text[:len(text) - len(f" ({source})")] if source and text.endswith(f" ({source})")
                        else text[:len(text) - len(f": {source}")] if source else text), source
            if source:
                recorded = _RECORDED.fullmatch(source)
                source = _cited(recorded[1] if recorded else source) + (
                    f", vastgelegd {recorded[2]}" if recorded else "")
            return dutch.format(op=op), source
    return text, None


def _bracketed_tail(text: str) -> tuple[str, str | None]:
    """("Name", "source") from "Name (source)", the source being the last bracketed part, brackets inside it
    included: "Internet Archive (AS7941 (INTERNET-ARCHIVE), its networks, recorded 2026-12-04)"."""
    if not text.endswith(")"):
        return text, None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            return (text[:i - 1], text[i + 1:-1]) if i > 0 and text[i - 1] == " " else (text, None)
    return text, None


def fixed(text: str | None, table: dict[str, str], s: Strings) -> str | None:
    """A fixed English text (a format's meaning, a technique) looked up whole in a Dutch table."""
    if text is None or s["lang"] == "en":
        return text
    return table.get(text, text)


def format_lacks(text: str | None, s: Strings) -> str | None:
    """The fields a format lacks, joined with '; ' by the analysis: each one in the report's language."""
    if not text or s["lang"] == "en":
        return text
    return "; ".join(FORMAT_NL.get(part, part) for part in text.split("; "))


_ROWS = re.compile(r"; rows ([\d, \-–]+)$")


def finding(kind: str, description: str, s: Strings) -> tuple[str, str]:
    """(label, description) of an inspection finding: the English as stored, or the Dutch wording of its kind
    with the rows it names."""
    if s["lang"] == "en":
        return kind.replace("_", " "), description
    label = FINDING_KIND_NL.get(kind, kind.replace("_", " "))
    text = INSPECT_NL.get(kind, description)
    if rows := _ROWS.search(description):
        text += f"; rijen {rows[1]}"
    return label, text


def place(where: str | None, s: Strings) -> str | None:
    """Where an inspection finding is: a sheet name stays; the tool's own words are translated."""
    if where is None or s["lang"] == "en":
        return where
    if where.startswith("pages "):
        return "pagina's " + where[len("pages "):]
    return WHERE_NL.get(where, where)


def unit(name: str | None, s: Strings) -> str | None:
    return name if name is None or s["lang"] == "en" else UNIT_NL.get(name, name)


def category(name: str, s: Strings) -> str:
    return name.replace("_", " ") if s["lang"] == "en" else CATEGORY_NL.get(name, name.replace("_", " "))


def rule(category_name: str, text: str | None, s: Strings) -> str | None:
    return text if s["lang"] == "en" else RULES_NL.get(category_name, text)
