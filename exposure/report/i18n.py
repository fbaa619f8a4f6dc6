"""Every fixed text of the report in English and Dutch (the regulator is Dutch).

One table of (en, nl) pairs keeps the two languages side by side, so a missing translation is visible
in review and caught by a test. Text from the logs or the case info is never translated.
"""

from __future__ import annotations

from typing import Any

from .. import cutwords
from ..findings import BAND_SIZE_LABEL
from ..plural import counted

LANGUAGES = ("en", "nl")

_S: dict[str, tuple[str, str]] = {
    "lang": ("en", "nl"),
    # cover
    "title": ("Exposure report", "Blootstellingsrapport"),
    "subtitle": ("Evidentiary timeline of a published file, from web-server access logs",
                 "Bewijstijdlijn van een gepubliceerd bestand, op basis van toegangslogs van de webserver"),
    "case_id": ("Case", "Zaak"),
    "controller": ("Controller", "Verwerkingsverantwoordelijke"),
    "report_version": ("Report version", "Rapportversie"),
    "generated_at": ("Generated at", "Gegenereerd op"),
    "tool": ("Tool", "Programma"),
    "command": ("Command", "Opdracht"),
    "change_log": ("Change log", "Wijzigingslog"),
    "version": ("Version", "Versie"),
    "date": ("Date", "Datum"),
    "change": ("Change", "Wijziging"),
    "headline": ("Headline figures", "Kerncijfers"),
    "target": ("File", "Bestand"),
    "windows": ("Exposure windows", "Blootstellingsvensters"),
    "complete_downloads": ("Complete downloads", "Volledige downloads"),
    "distinct_ips": ("Distinct external addresses", "Verschillende externe adressen"),
    "headline_note": ("External addresses only; downloads from the organisation's own addresses are counted apart. "
                      "An IP address is not a person: N addresses is not N people (NAT, VPNs, shared offices).",
                      "Alleen externe adressen; downloads vanaf de eigen adressen van de organisatie worden apart "
                      "geteld. Een IP-adres is geen persoon: N adressen zijn niet N mensen (NAT, VPN's, gedeelde "
                      "kantoren)."),
    "headline_no_internal": ("No own addresses were given (--internal): every address is counted as external. An "
                             "IP address is not a person: N addresses is not N people (NAT, VPNs, shared offices).",
                             "Er zijn geen eigen adressen opgegeven (--internal): elk adres telt als extern. Een "
                             "IP-adres is geen persoon: N adressen zijn niet N mensen (NAT, VPN's, gedeelde "
                             "kantoren)."),
    "own_not_given": ("own addresses: none given (--internal)", "eigen adressen: niet opgegeven (--internal)"),
    "headline_others": ("Not complete copies: {partial} partial and {undetermined} undetermined transfers from "
                        "external addresses (the summary has these and the HEAD, 304 and error responses).",
                        "Geen volledige kopieën: {partial} gedeeltelijke en {undetermined} onbepaalde overdrachten "
                        "naar externe adressen (de samenvatting geeft deze en de HEAD-, 304- en foutresponsen)."),
    "headline_minimum": ("These figures count what the readable logs show: while a server's log is silent inside a "
                         "window, or where evidence could not be read (below), more downloads cannot be ruled out. "
                         "They are a minimum.",
                         "Deze cijfers tellen wat de leesbare logs laten zien: waar de log van een server binnen een "
                         "venster zwijgt, of waar bewijs niet kon worden gelezen (hieronder), zijn meer downloads "
                         "niet uit te sluiten. Het zijn minimumaantallen."),
    "chart_gap": ("no log line (a server's gap)", "geen logregel (hiaat van een server)"),
    "overview_never": ("never available in the logs: no exposure window", "nooit beschikbaar in de logs: geen "
                       "blootstellingsvenster"),
    # of a file's complete downloads, the CDN's cache fills (cdn_complete_downloads), beside the figure in the table of
    # files; the note under the table says what they are (key_cdn says it in each file's answer)
    "overview_cdn": ("{n} by CDN", "{n} door CDN"),
    "overview_cdn_note": ("by CDN: of the complete downloads, those by a CDN filling its cache from the origin: the "
                          "CDN's copies, not a viewer's (see the caveats).",
                          "door CDN: het deel van de volledige downloads dat een CDN deed om zijn cache te vullen vanaf "
                          "de oorspronkelijke server: kopieën van het CDN, niet van een bezoeker (zie de kanttekeningen)."),
    "overview_first": ("First available (first window)", "Eerst beschikbaar (eerste venster)"),
    "overview_withdrawn": ("First unavailable (after the last window)", "Eerst onbeschikbaar (na het laatste venster)"),
    "key_sentence": ("In short: {complete:# complete download|# complete downloads} from "
                     "{ips:# external address|# external addresses}{own}, in "
                     "{n:# exposure window|# exposure windows}: {windows}.",
                     "Kort gezegd: {complete:# volledige download|# volledige downloads} vanaf "
                     "{ips:# extern adres|# externe adressen}{own}, in "
                     "{n:# blootstellingsvenster|# blootstellingsvensters}: {windows}."),
    "key_more_windows": ("; and {n:# more window|# more windows}, in the table of every window (section 1)",
                         "; en nog {n:# venster|# vensters}, in de tabel van alle vensters (hoofdstuk 1)"),
    "key_more_windows_open": ("; and {n:# more window|# more windows}, the last still available when the logs end, in "
                              "the table of every window (section 1)",
                              "; en nog {n:# venster|# vensters}, het laatste nog beschikbaar bij het einde van de "
                              "logs, in de tabel van alle vensters (hoofdstuk 1)"),
    "page_one_windows_more_open": ("and {n:# more window|# more windows}, {first} to the end of the logs, the last still "
                                   "available then: every window in section 1, every bound in the timeline (section 3)",
                                   "en nog {n:# venster|# vensters}, {first} tot het einde van de logs, het laatste "
                                   "dan nog beschikbaar: alle vensters in hoofdstuk 1, alle grenzen in de tijdlijn "
                                   "(hoofdstuk 3)"),
    "caveat_files": (" (said of {n} files)", " (gezegd van {n} bestanden)"),
    # a caveat said of several windows of one file, once (report/caveats.py): its first words, one window's and all
    "caveat_window": ("window {n}", "venster {n}"),
    "caveat_windows": ("windows {windows}", "vensters {windows}"),
    # pairs of windows that may be one (answer.reopened_elsewhere_sentence), several folded into one caveat
    "caveat_pair": ("{a} and {b}", "{a} en {b}"),
    "caveat_pairs": ("{n} pairs of windows{of} may each be one window ({pairs}): servers behind one load balancer "
                     "whose clocks differ, or from which the file was removed one after the other, make one "
                     "withdrawal read as a withdrawal and a republication; compare the servers' clocks before "
                     "reading them as two",
                     "{n} paren vensters{of} zijn mogelijk elk één venster ({pairs}): servers achter één load balancer "
                     "met verschillende klokken, of waarvan het bestand na elkaar is verwijderd, laten één "
                     "verwijdering lezen als een verwijdering en een herpublicatie; vergelijk de klokken van de "
                     "servers voordat u ze als twee leest"),
    "caveat_pairs_of": (" of --alias {path}", " van --alias {path}"),
    "page_one_windows_more": ("and {n:# more window|# more windows}, {first} to {last}: every window in section 1, "
                              "every bound in the timeline (section 3)",
                              "en nog {n:# venster|# vensters}, {first} tot {last}: alle vensters in hoofdstuk 1, "
                              "alle grenzen in de tijdlijn (hoofdstuk 3)"),
    # page 1 full with grave findings (report/model.py _windows_give_way): the windows' table in section 1
    "page_one_windows_elsewhere": ("The times of {n:the window|the # windows} with the log line of each: the table in "
                                   "section 1 (page 1 has no room for it beside the evidence status)",
                                   "De tijden van {n:het venster|de # vensters} met de logregel van elke tijd: de "
                                   "tabel in hoofdstuk 1 (pagina 1 heeft er geen ruimte voor naast de status van het "
                                   "bewijs)"),
    "size_votes_more": ("{n:# more window|# more windows} in section 6",
                        "nog {n:# venster|# vensters} in hoofdstuk 6"),
    "page_one_files_more": ("and {n:# more file|# more files}, {with_downloads} of them with complete downloads "
                            "({downloads} in all): each in the table of every file (section 1) and with its own "
                            "answer below",
                            "en nog {n:# bestand|# bestanden}, waarvan {with_downloads} met volledige downloads "
                            "({downloads} in totaal): elk in de tabel van alle bestanden (hoofdstuk 1) en met een "
                            "eigen antwoord hieronder"),
    "windows_all": ("Every window", "Alle vensters"),
    "aliases_all": ("Every path counted as this file (--alias)", "Elk pad meegeteld als dit bestand (--alias)"),
    "page_one_aliases_more": ("{n:# row|# rows} of --alias paths not shown here: every one in section 1, each path "
                              "whole in analysis.json (options.aliases)",
                              "{n:# rij|# rijen} van --alias-paden niet hier getoond: alle in hoofdstuk 1, elk pad "
                              "heel in analysis.json (options.aliases)"),
    "finding_caveat": ("caveat", "kanttekening"),
    "page_one_more_caveats": ("{n:# more caveat|# more caveats} ({kinds}): each said whole in section 1",
                              "nog {n:# kanttekening|# kanttekeningen} ({kinds}): elke kanttekening voluit in "
                              "hoofdstuk 1"),
    # the kinds page 1's counted line of caveats names (exposure/warningkinds.py KINDS: one label a kind)
    "caveat_kind_geoip_older": ("GeoIP database older than the requests", "GeoIP-database ouder dan de verzoeken"),
    "caveat_kind_utc_offsets": ("local times at one offset or zone", "lokale tijden op één offset of zone"),
    "caveat_kind_windows_may_be_one": ("windows that may be one (the servers' clocks)",
                                       "vensters die mogelijk één zijn (de klokken van de servers)"),
    "caveat_kind_cdn_fill": ("a CDN filling its cache", "een CDN dat zijn cache vult"),
    "caveat_kind_republication": ("a window that may be no republication",
                                  "een venster dat mogelijk geen herpublicatie is"),
    "caveat_kind_size_unknown": ("file size unknown", "bestandsgrootte onbekend"),
    "caveat_kind_open_at_start": ("a window that may have opened before the logs",
                                  "een venster dat mogelijk vóór de logs begon"),
    "caveat_kind_several_lengths": ("several lengths of the file", "meerdere lengtes van het bestand"),
    "caveat_kind_size_in_doubt": ("file size in doubt", "bestandsgrootte twijfelachtig"),
    "caveat_kind_above_size": ("responses larger than the file", "responsen groter dan het bestand"),
    "caveat_kind_error_page": ("a window closed by an error page", "een venster gesloten door een foutpagina"),
    "caveat_kind_identical_counts": ("identical byte counts judged partial",
                                     "gelijke aantallen bytes als gedeeltelijk beoordeeld"),
    "caveat_kind_partials_add_up": ("partial downloads that may add up to a copy",
                                    "gedeeltelijke downloads die samen een kopie kunnen zijn"),
    "caveat_kind_forwarded_parts": ("range parts of several forwarded clients",
                                    "deelresponsen van meerdere doorgestuurde clients"),
    "caveat_kind_withdrawn": ("a window that may have been withdrawn (refusals)",
                              "een venster dat mogelijk is ingetrokken (weigeringen)"),
    "caveat_kind_redirects_after": ("a window that ends in redirects (moved or withdrawn)",
                                    "een venster dat eindigt in doorverwijzingen (verplaatst of ingetrokken)"),
    "caveat_kind_shared_spelling": ("requests another file's spelling shares (IIS)",
                                    "verzoeken die een andere schrijfwijze deelt (IIS)"),
    "caveat_kind_alias_unanswered": ("an --alias path never available", "een --alias-pad nooit beschikbaar"),
    "caveat_kind_no_method": ("responses without a method", "responsen zonder methode"),
    "caveat_kind_inferred_sums": ("downloads inferred from range parts", "downloads afgeleid uit deelresponsen"),
    "caveat_kind_logged_twice": ("downloads logged by two tiers", "downloads door twee lagen gelogd"),
    "caveat_kind_several_hosts": ("requests on several hosts", "verzoeken aan meerdere hosts"),
    "caveat_kind_never_requested": ("a file never requested", "een bestand dat nooit is opgevraagd"),
    "caveat_kind_proxy_addresses": ("private client addresses (a proxy)", "privé-clientadressen (een proxy)"),
    "caveat_kind_mostly_rejected": ("a file mostly rejected", "een bestand grotendeels afgewezen"),
    "caveat_kind_clock_fold": ("responses in the hour the clocks go back",
                               "responsen in het uur dat de klok teruggaat"),
    "caveat_kind_sent_not_received": ("complete: logged as sent, not shown received",
                                      "volledig: als verzonden gelogd, niet als ontvangen getoond"),
    "caveat_kind_other": ("other", "overige"),
    "caveat_where": ("section 1", "hoofdstuk 1"),
    "clock_note": ("Times as the servers' clocks wrote them: the logs hold no evidence of clock synchronisation "
                   "(NTP); the clocks are assumed, not shown, to be right (section 6).",
                   "Tijden zoals de klokken van de servers ze schreven: de logs bevatten geen bewijs van "
                   "kloksynchronisatie (NTP); dat de klokken juist liepen is aangenomen, niet aangetoond "
                   "(hoofdstuk 6)."),
    "files_all": ("Every file", "Alle bestanden"),
    "key_alias": (" ({n} of them of the file under another name, --alias: in that name's own windows)",
                  " (waarvan {n} van het bestand onder een andere naam, --alias: in de eigen vensters van die naam)"),
    "key_inferred": (" ({n} of them inferred from the sum of range parts' byte counts, "
                     "{ips:# address|# addresses} only through them: the log states no range offsets)",
                     " (waarvan {n} afgeleid uit de som van de bytes van deelresponsen, "
                     "{ips:# adres|# adressen} alleen daardoor: de log vermeldt geen byteposities)"),
    "key_fetchers": ("; of the external ones, {n} by automated fetchers that name themselves so in their user agent "
                     "(web archives, crawlers, link previews: section 5)",
                     "; van de externe {n} door geautomatiseerde ophalers die zich zo noemen in hun user agent "
                     "(webarchieven, crawlers, linkvoorbeelden: hoofdstuk 5)"),
    "key_cdn": ("; of the external ones, {n} by a CDN filling its cache from the origin: the CDN's copies, not a "
                "viewer's (see the caveats)",
                "; van de externe {n} door een CDN dat zijn cache vult vanaf de oorspronkelijke server: kopieën van "
                "het CDN, niet van een bezoeker (zie de kanttekeningen)"),
    # of a file's complete downloads, those whose line logs no client address (queries/totals.sql
    # no_address_complete_downloads): counted as downloads, not among the addresses
    "key_no_address": ("; of the external ones, {n} logged without a client address ('-' or a proxy's 'unknown' where "
                       "the address stands): not counted among the addresses, which may be more",
                       "; van de externe {n} gelogd zonder adres van de client ('-' of 'unknown' van een proxy waar "
                       "het adres staat): niet meegeteld bij de adressen, die er meer kunnen zijn"),
    "key_own": (" (and {n} from the organisation's own addresses, counted apart)",
                " (en {n} vanaf de eigen adressen van de organisatie, apart geteld)"),
    "key_window": ("window {window} available from {first} until at least {last} (local time {first_local} until "
                   "{last_local})",
                   "venster {window} beschikbaar vanaf {first} tot ten minste {last} (lokale tijd {first_local} tot "
                   "{last_local})"),
    "key_window_open": ("window {window} available from {first} (local time {first_local}), still available when the "
                        "logs end",
                        "venster {window} beschikbaar vanaf {first} (lokale tijd {first_local}), nog beschikbaar bij "
                        "het einde van de logs"),
    "key_never": ("In short: the file was never available in the logs: no exposure window, "
                  "{complete:# complete download|# complete downloads}.",
                  "Kort gezegd: het bestand was in de logs nooit beschikbaar: geen blootstellingsvenster, "
                  "{complete:# volledige download|# volledige downloads}."),
    "key_status_complete": ("Evidence status: complete.", "Status van het bewijs: volledig."),
    # incomplete, yet every line read (evidence_status all_read: a damaged file decoded in full, a file changed
    # since ingest) and no log silent inside a window: the figures are not a minimum
    "key_status_incomplete_read": ("Evidence status: INCOMPLETE (below), though every line of it was read.",
                                   "Status van het bewijs: ONVOLLEDIG (hieronder), al is elke regel ervan gelezen."),
    "key_status_incomplete": ("Evidence status: INCOMPLETE, the figures are a minimum.",
                              "Status van het bewijs: ONVOLLEDIG, de aantallen zijn een minimum."),
    "status_line_incomplete": ("INCOMPLETE", "ONVOLLEDIG"),
    "page_one_more": ("and {n} more not named here ({kinds}): counted in the status above, each listed in section 7 "
                      "under “Every finding”",
                      "en nog {n} die hier niet genoemd worden ({kinds}): geteld in de status hierboven, elk opgesomd "
                      "in hoofdstuk 7 onder ‘Elke bevinding’"),
    "page_one_more_incomplete": ("{n:# more file|# more files} not read in full, not named here ({kinds}): each listed in section "
                                 "7 under “Every finding”",
                                 "nog {n:# niet volledig gelezen bestand|# niet volledig gelezen bestanden}, hier niet genoemd ({kinds}): elk opgesomd "
                                 "in hoofdstuk 7 onder ‘Elke bevinding’"),
    # the files page 1 names have findings it has no room for (glued lines beside a file's damage): their kinds
    "page_one_more_incomplete_named": ("more findings of the files named above, not named here ({kinds}): each "
                                       "listed in section 7 under “Every finding”",
                                       "nog bevindingen van de hierboven genoemde bestanden, hier niet genoemd "
                                       "({kinds}): elk opgesomd in hoofdstuk 7 onder ‘Elke bevinding’"),
    "stated_more": ("and {n} more (section 7, findings)", "en nog {n} (hoofdstuk 7, bevindingen)"),
    "pseudonymised": ("IP addresses in this report are pseudonymised (keyed HMAC-SHA256); the key is held by the "
                      "investigator and is not part of the report.",
                      "IP-adressen in dit rapport zijn gepseudonimiseerd (HMAC-SHA256 met sleutel); de sleutel berust "
                      "bij de onderzoeker en maakt geen deel uit van het rapport."),
    "contents": ("Contents", "Inhoud"),
    "to_be_supplied": ("to be supplied", "nog aan te leveren"),
    "not_available": ("not available from logs", "niet beschikbaar uit de logs"),
    "none": ("none", "geen"),
    "yes": ("yes", "ja"),
    "no": ("no", "nee"),
    # verification
    "evidence_bad": ("WARNING: evidence no longer matches what was analysed",
                     "WAARSCHUWING: bewijs komt niet meer overeen met wat is geanalyseerd"),
    "evidence_bad_detail": ("{n:# evidence file|# evidence files} changed or missing since ingest. The figures below were computed "
                            "from the content hashed at ingest; the raw lines of changed files are not read back.",
                            "{n:# bewijsbestand|# bewijsbestanden} gewijzigd of ontbrekend sinds inname. De cijfers hieronder zijn "
                            "berekend uit de inhoud die bij inname is gehasht; ruwe regels van gewijzigde bestanden "
                            "worden niet opnieuw gelezen."),
    "evidence_bad_more": ("and {n} more: every file changed or missing, with its whole SHA-256 at ingest and now, in "
                          "the evidence register (section 9)",
                          "en nog {n}: elk gewijzigd of ontbrekend bestand, met zijn hele SHA-256 bij inname en nu, in "
                          "het bewijsregister (hoofdstuk 9)"),
    "evidence_bad_none_named": ("{n:# file|# files}, each named with its whole SHA-256 at ingest and now in the "
                                "evidence register (section 9)",
                                "{n:# bestand|# bestanden}, elk genoemd met zijn hele SHA-256 bij inname en nu in het "
                                "bewijsregister (hoofdstuk 9)"),
    "evidence_bad_whole": ("Each SHA-256 whole, at ingest and now: the evidence register (section 9)",
                           "Elke SHA-256 heel, bij inname en nu: het bewijsregister (hoofdstuk 9)"),
    "case_digest": ("Case digest", "Zaakdigest"),
    "case_digest_note": ("the seal of the case file (SHA-256 chain link {link}) as of the last change to the "
                         "evidence; keep it outside the case (in the notification) and check it later with "
                         "exposure verify --anchor",
                         "het zegel van het zaakbestand (SHA-256-ketenschakel {link}) na de laatste wijziging van het "
                         "bewijs; bewaar het buiten de zaak (in de melding) en controleer het later met "
                         "exposure verify --anchor"),
    "case_digest_short": ("seal chain link {link}: keep it outside the case",
                          "schakel {link} van de zegelketen: bewaar het buiten de zaak"),
    "case_facts": ("Case facts", "Zaakgegevens"),
    "art33_supplied": ("Supplied for the notification", "Aangeleverd voor de melding"),
    "case_facts_whole": ("whole: section 8", "heel: hoofdstuk 8"),
    # one line on page 1 (report/casebox.py)
    "case_digest_temporary": ("none: a temporary case, gone when the command ended; ingest with --case for a digest "
                              "to keep",
                              "geen: een tijdelijke zaak, weg toen de opdracht eindigde; lees in met --case voor een "
                              "digest om te bewaren"),
    "seal_bad": ("WARNING: the case file was changed outside exposure",
                 "WAARSCHUWING: het zaakbestand is buiten exposure gewijzigd"),
    "seal_bad_detail": ("The seal of the case file does not hold: the stored evidence below may not be what was "
                        "ingested. Differences found when this report was made:",
                        "Het zegel van het zaakbestand klopt niet: het opgeslagen bewijs hieronder is mogelijk niet "
                        "wat is ingelezen. Verschillen gevonden bij het maken van dit rapport:"),
    "seal_more": ("and {n} more: the evidence register (section 9), the JSON answer (seal.findings) and exposure verify name "
                  "every difference",
                  "en nog {n}: het bewijsregister (hoofdstuk 9), het JSON-antwoord (seal.findings) en exposure verify "
                  "noemen elk verschil"),
    "seal_bad_counted": ("The seal of the case file does not hold: the stored evidence may not be what was ingested. "
                         "{n:# difference|# differences} found when this report was made: the evidence register "
                         "(section 9), the JSON answer (seal.findings) and exposure verify name every one.",
                         "Het zegel van het zaakbestand klopt niet: het opgeslagen bewijs is mogelijk niet wat is "
                         "ingelezen. {n:# verschil|# verschillen} gevonden bij het maken van dit rapport: het "
                         "bewijsregister (hoofdstuk 9), het JSON-antwoord (seal.findings) en exposure verify noemen "
                         "elk verschil."),
    "status_match": ("match", "gelijk"),
    "status_changed": ("CHANGED", "GEWIJZIGD"),
    "status_missing": ("MISSING", "ONTBREEKT"),
    "warnings": ("Warnings", "Waarschuwingen"),
    # summary
    "summary": ("Summary of findings", "Samenvatting van de bevindingen"),
    "summary_intro": ("Observations from the logs, per file. Each figure links to the table that backs it.",
                      "Waarnemingen uit de logs, per bestand. Elk cijfer verwijst naar de tabel die het onderbouwt."),
    "window": ("Window", "Venster"),
    "first_available": ("First available", "Eerst beschikbaar"),
    "last_available": ("Last available", "Laatst beschikbaar"),
    "first_unavailable": ("First unavailable", "Eerst onbeschikbaar"),
    "still_available": ("still available when the logs end", "nog beschikbaar bij het einde van de logs"),
    "open_at_log_start": ("opens within the first hour of the logs: publication may be earlier",
                          "begint in het eerste uur van de logs: publicatie kan eerder zijn"),
    "partial_downloads": ("Partial downloads (external)", "Gedeeltelijke downloads (extern)"),
    "cdn_downloads": ("Of them by a CDN filling its cache from the origin (the CDN's copies, not a viewer's)",
                      "Waarvan door een CDN dat zijn cache vult vanaf de oorspronkelijke server (kopieën van het CDN, "
                      "niet van een bezoeker)"),
    "internal_downloads": ("Complete downloads from own addresses", "Volledige downloads vanaf eigen adressen"),
    "undetermined_downloads": ("Undetermined (file size or bytes delivered unknown, or a count just below the "
                               "complete band)",
                               "Onbepaald (bestandsgrootte of geleverde bytes onbekend, of een aantal net onder de "
                               "band van volledige overdrachten)"),
    "head_requests": ("HEAD requests", "HEAD-verzoeken"),
    "not_modified": ("304 Not Modified", "304 (niet gewijzigd)"),
    "errors": ("Error responses (status 400 and up)", "Foutresponsen (status 400 en hoger)"),
    "requests": ("Requests for the file (external)", "Verzoeken om het bestand (extern)"),
    "size": ("File size", "Bestandsgrootte"),
    # where every count of the file includes headers and no log states its body's length: the band's edge is the
    # file with its response headers, never called the file's size
    "size_band_only": (BAND_SIZE_LABEL,
                       "Grootte van een volledige overdracht (het bestand met zijn responsheaders; de grootte van "
                       "het bestand zelf staat niet in de logs)"),
    "bytes": ("bytes", "bytes"),
    "exact_length": ("exact length", "exacte lengte"),
    "paths_ci": ("paths case-insensitive", "paden hoofdletterongevoelig"),
    "size_inferred": ("inferred from the logs", "afgeleid uit de logs"),
    "local": ("local", "lokaal"),
    "utc": ("UTC", "UTC"),
    # chart
    "chart": ("Timeline chart", "Tijdlijngrafiek"),
    "chart_caption": ("Requests for {path} over time (UTC). Shaded: exposure windows. Filled markers: complete "
                      "downloads by client class, numbered as in the timeline table; open triangles: partial "
                      "downloads; crosses: 404/410 responses.",
                      "Verzoeken om {path} in de tijd (UTC). Gearceerd: blootstellingsvensters. Gevulde markeringen: "
                      "volledige downloads per soort client, genummerd als in de tijdlijntabel; open driehoeken: "
                      "gedeeltelijke downloads; kruisjes: 404/410-responsen."),
    "overview": ("Overview of all files", "Overzicht van alle bestanden"),
    "overview_caption": ("Exposure windows (bars) and complete downloads (ticks) of every file, UTC.",
                         "Blootstellingsvensters (balken) en volledige downloads (streepjes) van elk bestand, UTC."),
    "lane_requests": ("all requests", "alle verzoeken"),
    "lane_unavailable": ("404 / 410", "404 / 410"),
    "lane_partial": ("partial", "gedeeltelijk"),
    "lane_complete": ("complete", "volledig"),
    "lane_internal": ("own addresses", "eigen adressen"),
    "time_utc": ("time (UTC)", "tijd (UTC)"),
    # timeline table
    "timeline": ("Timeline", "Tijdlijn"),
    "timeline_intro": ("Every window boundary and every complete and partial download, in time order. Each row cites "
                       "its evidence (file:line); the verbatim lines of downloads are in the appendix.",
                       "Elke venstergrens en elke volledige en gedeeltelijke download, in tijdsvolgorde. Elke regel "
                       "verwijst naar het bewijs (bestand:regel); de letterlijke regels van downloads staan in de "
                       "bijlage."),
    "row_no": ("#", "#"),
    "time": ("Time (UTC)", "Tijd (UTC)"),
    "time_local": ("Local time", "Lokale tijd"),
    "event": ("Event", "Gebeurtenis"),
    "address": ("Address", "Adres"),
    "detail": ("Detail", "Detail"),
    "evidence": ("Evidence", "Bewijs"),
    "ev_first_available": ("window {w}: first available (first observed publication)",
                           "venster {w}: eerst beschikbaar (eerste waargenomen publicatie)"),
    "ev_last_available": ("window {w}: last available", "venster {w}: laatst beschikbaar"),
    "ev_first_unavailable": ("window {w}: first unavailable (removed before this)",
                             "venster {w}: eerst onbeschikbaar (daarvoor verwijderd)"),
    "ev_still_available": ("window {w}: still available at the end of the logs",
                           "venster {w}: nog beschikbaar aan het einde van de logs"),
    "ev_download": ("{outcome} download", "{outcome} download"),
    "outcome_complete": ("complete", "volledige"),
    "outcome_partial": ("partial", "gedeeltelijke"),
    "outcome_undetermined": ("undetermined", "onbepaalde"),
    "damaged_mark": ("from a damaged file (its bytes may be altered)",
                     "uit een beschadigd bestand (de bytes kunnen veranderd zijn)"),
    "internal_mark": ("own address", "eigen adres"),
    "downloads": ("Downloads", "Downloads"),
    "outcome": ("Outcome", "Uitkomst"),
    "client_class": ("Client class", "Soort client"),
    "kind": ("Kind", "Soort"),
    "parts": ("parts", "delen"),
    "user_agent": ("User agent (as logged, unverified)", "User agent (zoals gelogd, niet geverifieerd)"),
    # per address
    "per_ip": ("Per address", "Per adres"),
    "ip_not_person": ("An IP address is not a person. Several people can share one address (NAT, carrier-grade "
                      "NAT, VPNs, shared offices, mobile networks) and one person can use several addresses: "
                      "N addresses is not N people.",
                      "Een IP-adres is geen persoon. Meerdere mensen kunnen één adres delen (NAT, carrier-grade NAT, "
                      "VPN's, gedeelde kantoren, mobiele netwerken) en één persoon kan meerdere adressen gebruiken: "
                      "N adressen is niet N mensen."),
    "complete": ("Complete", "Volledig"),
    "partial": ("Partial", "Gedeel\u00adtelijk"),
    "first_seen": ("First seen (UTC)", "Eerst gezien (UTC)"),
    "last_seen": ("Last seen (UTC)", "Laatst gezien (UTC)"),
    "country": ("Country", "Land"),
    "asn": ("ASN / organisation", "ASN / organisatie"),
    "network_type": ("Network type", "Soort netwerk"),
    "copy_before": ("Revalidated (304) without a complete download in the logs: held a copy obtained earlier or "
                    "elsewhere", "Gerevalideerd (304) zonder volledige download in de logs: had een kopie die eerder of "
                    "elders is verkregen"),
    "crawler_verified": ("crawler identity verified", "identiteit crawler geverifieerd"),
    "geo_missing": ("Country and network owner: not available (no GeoIP/ASN lookup in this analysis).",
                    "Land en netwerkeigenaar: niet beschikbaar (geen GeoIP/ASN-opzoeking in deze analyse)."),
    "internal": ("own", "eigen"),
    # spread
    "spread": ("Spread signals", "Signalen van verdere verspreiding"),
    "spread_intro": ("Clients whose copies may have travelled further: search engines, web archives, link previews "
                     "in chat apps, and pages that linked to the file. A user agent is a claim, not a verified "
                     "identity; every such client is still counted as a copy made.",
                     "Clients waarvan de kopie zich verder kan hebben verspreid: zoekmachines, webarchieven, "
                     "linkvoorbeelden in chatapps en pagina's die naar het bestand linkten. Een user agent is een "
                     "bewering, geen geverifieerde identiteit; elke zodanige client telt toch als gemaakte kopie."),
    "spread_classes": ("Complete downloads by client class", "Volledige downloads per soort client"),
    "referrers": ("Referring pages (Referer header of requests for the file)",
                  "Verwijzende pagina's (Referer-header van verzoeken om het bestand)"),
    "referrer": ("Referrer", "Verwijzer"),
    "count": ("Count", "Aantal"),
    "no_referrers": ("No request for the file carried a Referer header.",
                     "Geen enkel verzoek om het bestand had een Referer-header."),
    "spread_more": ("Further spread signals", "Verdere verspreidingssignalen"),
    "class_browser": ("browser", "browser"),
    "class_crawler": ("search-engine crawler", "zoekmachine\u00adcrawler"),
    "class_archive": ("web archive", "webarchief"),
    "class_link-preview": ("link preview", "linkvoorbeeld"),
    "class_cdn": ("CDN cache fill", "CDN vult cache"),
    "class_tool": ("tool / script", "tool / script"),
    "class_scanner": ("scanner", "scanner"),
    "class_monitoring": ("monitoring", "monitoring"),
    "class_unknown": ("unknown", "onbekend"),
    "class_internal": ("own address", "eigen adres"),
    # method
    "method": ("Method", "Methode"),
    "definitions": ("Definitions", "Definities"),
    "def_available": ("Available: a response for the file with status 200, 206 or 304, or an nginx 499 with bytes to a GET or HEAD "
                      "(any client, staff included). "
                      "Unavailable: 404 or 410. A window runs from the first available response to the last "
                      "available response before an unavailable one. Other statuses neither open nor close a window.",
                      "Beschikbaar: een respons voor het bestand met status 200, 206 of 304, of een nginx-499 met bytes op een GET of HEAD (elke "
                      "client, ook eigen "
                      "personeel). Onbeschikbaar: 404 of 410. Een venster loopt van de eerste beschikbare respons tot "
                      "de laatste beschikbare respons vóór een onbeschikbare. Andere statussen openen of sluiten geen "
                      "venster."),
    "def_complete": ("Complete download: a GET answered 200 whose bytes reach the file size; or one client's "
                     "(address + user agent) 206 range responses whose bytes, or byte ranges where logged, cover "
                     "the file.", "Volledige download: een GET met status 200 waarvan het aantal bytes de "
                     "bestandsgrootte bereikt; of de 206-deelresponsen van één client (adres + user agent) die samen "
                     "het bestand dekken (bytes, of byte-bereiken waar gelogd)."),
    "def_partial": ("Partial download: a 200 GET with fewer bytes than the file, or a range group that does not "
                    "cover the file (an aborted or interrupted transfer). A transfer the log itself calls aborted "
                    "(Apache %X, nginx $request_completion, IIS sc-win32-status 64/1236, CloudFront Error, and every "
                    "nginx 499 with bytes: the client closed the connection) is never complete: partial, or "
                    "undetermined where its count still holds the whole file (the server wrote every byte; whether "
                    "the client received them before it closed is not in the log).",
                    "Gedeeltelijke download: een 200-GET met minder bytes dan het bestand, of een groep "
                    "deelresponsen die het bestand niet dekt (afgebroken of onderbroken overdracht). Een overdracht "
                    "die de log zelf afgebroken noemt (Apache %X, nginx $request_completion, IIS sc-win32-status "
                    "64/1236, CloudFront Error, en elke nginx-499 met bytes: de client sloot de verbinding) is nooit "
                    "volledig: gedeeltelijk, of onbepaald waar het aantal bytes toch het hele bestand bevat (de server "
                    "schreef elke byte; of de client ze ontving voordat hij sloot staat niet in de log)."),
    "def_other": ("HEAD requests (headers only), 304 Not Modified (the client already held a copy and revalidated "
                  "it) and error responses are counted, never as downloads. Undetermined: no file size known, or the bytes "
                  "delivered not (no byte count logged, or one a copy's cut may have shortened), or a byte count "
                  "with headers just below the complete-transfer band (at most 256 bytes, no size given, no "
                  "completion flag on the line): a body cut short or a copy with smaller headers, the count cannot "
                  "say which.",
                  "HEAD-verzoeken (alleen headers), 304 (niet gewijzigd: de client had al een kopie en controleerde die) "
                  "en foutresponsen worden geteld, nooit als download. Onbepaald: geen bestandsgrootte bekend, of de "
                  "geleverde bytes niet (geen aantal bytes gelogd, of een dat door de afbreking van een kopie korter "
                  "kan zijn), of een aantal bytes met headers net onder de band van volledige overdrachten "
                  "(hoogstens 256 bytes, geen grootte opgegeven, geen voltooiingsvlag op de regel): een ingekorte "
                  "inhoud of een kopie met kleinere headers, het aantal zegt niet welke."),
    "def_internal": ("Own addresses ({cidrs}) are the publishing organisation's; their downloads are counted apart "
                     "and excluded from the headline figures. Distinct external addresses = external addresses with "
                     "at least one complete download.",
                     "Eigen adressen ({cidrs}) zijn van de publicerende organisatie; hun downloads worden apart "
                     "geteld en niet in de kerncijfers meegenomen. Verschillende externe adressen = externe adressen "
                     "met minstens één volledige download."),
    "size_inference": ("Size inference", "Bepaling van de bestandsgrootte"),
    "size_inference_text": ("Windows and downloads follow one rule (queries/downloads_rule.sql). Unless the size was "
                            "given, it is per window the object's exact length where the log states it (S3 "
                            "object_size, CloudFront sc-content-len, a Content-Range total), else the most common "
                            "byte count of the window's 200 GET responses (HEAD, 0 and '-' excluded). Where byte "
                            "counts include headers (each evidence file's recorded fact, below) a single transfer is "
                            "complete when it reaches the complete-transfer band: within the densest 2 KiB, the closely "
                            "spaced counts (steps of at most 256 bytes) most transfers reached, from the lowest count "
                            "of their run (steps of at most 64 bytes) most transfers reached (the higher on a tie); a "
                            "count not above the window's HEAD or 304 responses carried no body and is left out. A "
                            "count below that edge, by at most 256 bytes and within those closely spaced counts (the "
                            "band's floor), is undetermined where no size is given and the line carries no completion "
                            "flag: a body cut short or a copy with smaller headers, the count cannot say which; "
                            "further below partial.",
                            "Vensters en downloads volgen één regel (queries/downloads_rule.sql). Tenzij de grootte "
                            "is opgegeven, is die per venster de exacte objectlengte waar de log die geeft (S3 "
                            "object_size, CloudFront sc-content-len, een Content-Range-totaal), anders het meest "
                            "voorkomende aantal bytes van de 200-GET-responsen in dat venster (HEAD, 0 en '-' "
                            "uitgezonderd). Waar bytes ook headers tellen (een vastgelegd feit per bewijsbestand, "
                            "hieronder) is een enkele overdracht volledig als die de band van volledige overdrachten "
                            "haalt: binnen de dichtste 2 KiB de dicht opeenliggende aantallen (stappen van hoogstens "
                            "256 bytes) die de meeste overdrachten haalden, vanaf het laagste aantal van hun reeks "
                            "(stappen van hoogstens 64 bytes) die de meeste overdrachten haalden (de hogere bij "
                            "gelijkstand); een aantal niet boven de HEAD- of 304-responsen van het venster bevatte "
                            "geen inhoud en telt niet mee. Een aantal onder die rand, hoogstens 256 bytes en binnen "
                            "die dicht opeenliggende aantallen (de bodem van de band), is onbepaald waar geen grootte "
                            "is opgegeven en de regel geen voltooiingsvlag heeft: een ingekorte inhoud of een kopie "
                            "met kleinere headers, het aantal zegt niet welke; verder eronder gedeeltelijk."),
    "size_band_floor": ("complete-transfer band from {edge} bytes (counts with headers): a count from {floor} bytes "
                        "up to it undetermined, below {floor} bytes partial",
                        "band van volledige overdrachten vanaf {edge} bytes (aantallen met headers): een aantal "
                        "vanaf {floor} bytes tot daar onbepaald, onder {floor} bytes gedeeltelijk"),
    "size_votes": ("window {w}: {size} bytes, seen in {votes} of {sample} 200 GET responses",
                   "venster {w}: {size} bytes, gezien in {votes} van {sample} 200-GET-responsen"),
    "range_aggregation": ("Range aggregation", "Samenvoegen van deelresponsen"),
    "range_text": ("206 responses of one client (address + user agent) form one group until a gap of more than "
                   "{gap} minutes. Where the log gives byte offsets their union is compared with the body size; "
                   "otherwise the sum of body bytes; where counts include headers and no offsets are logged, the "
                   "sum less one header allowance (the most a 206's headers may take: the 200's headers where the size is "
                   "known, or the largest HEAD or 304 response, plus the Content-Range line and the longer status "
                   "line; else 1024 bytes) per part beyond the first must "
                   "reach the band, and a group that reaches it only with its headers, or whose sum lies just below "
                   "the band (from its floor up), is undetermined. A group counts once, at its last part.",
                   "206-responsen van één client (adres + user agent) vormen één groep tot een pauze van meer dan "
                   "{gap} minuten. Waar de log byte-posities geeft, wordt hun vereniging met de grootte van de "
                   "inhoud vergeleken, anders de som van de bytes; waar bytes ook headers tellen en geen posities "
                   "gelogd zijn, moet de som min één headertoeslag (het meeste dat de headers van een 206 kunnen beslaan: "
                   "die van de 200 waar de grootte bekend is, of de grootste HEAD- of 304-respons, plus de "
                   "Content-Range-regel en de langere statusregel; anders 1024 bytes) per deel na "
                   "het eerste de band halen, en een groep die die alleen met haar headers haalt, of waarvan de som "
                   "net onder de band ligt (vanaf haar bodem), is onbepaald. Een groep telt één keer, bij het "
                   "laatste deel."),
    "matching": ("Target matching", "Herkennen van het bestand"),
    "matching_text": ("A request is for the file when its path, percent-decoded and without query string, equals "
                      "the given path exactly (or the path as given); where an evidence file's paths are recorded as "
                      "case-insensitive (IIS/W3C) without regard to case. A host name, when given, must match the "
                      "logged virtual host where the log has one.",
                      "Een verzoek betreft het bestand als het pad, procent-gedecodeerd en zonder querystring, exact "
                      "gelijk is aan het opgegeven pad (of aan het pad zoals opgegeven); waar de paden van een "
                      "bewijsbestand als hoofdletterongevoelig zijn vastgelegd (IIS/W3C) zonder onderscheid tussen "
                      "hoofd- en kleine letters. Een opgegeven hostnaam moet overeenkomen met de gelogde virtuele "
                      "host als de log die heeft."),
    "time_meaning": ("What each timestamp means", "Wat elk tijdstip betekent"),
    "time_text": ("All times are shown in UTC with the local time ({zone}) beside them; the offset written in the "
                  "log is kept. The logs hold no evidence of clock synchronisation (NTP): the server clocks are "
                  "assumed, not shown, to be correct.",
                  "Alle tijden staan in UTC met de lokale tijd ({zone}) ernaast; de in de log geschreven offset is "
                  "bewaard. De logs bevatten geen bewijs van kloksynchronisatie (NTP): dat de serverklokken juist "
                  "liepen is aangenomen, niet aangetoond."),
    "format": ("Format", "Formaat"),
    "format_lacks": ("Fields the log format lacks", "Velden die het logformaat mist"),
    "lacks_text": ("Without a completion field (%X, $request_completion) or bytes on the wire (%O), an aborted "
                   "transfer can hide behind a full body byte count: a 'complete' download means the server logged "
                   "the full size, not that the client stored the file.",
                   "Zonder een voltooiingsveld (%X, $request_completion) of bytes over de lijn (%O) kan een "
                   "afgebroken overdracht schuilgaan achter een volledig aantal bytes: 'volledig' betekent dat de "
                   "server de volledige grootte logde, niet dat de client het bestand heeft opgeslagen."),
    "crawlers": ("Client classes", "Soorten clients"),
    "crawlers_text": ("Clients are classed from their user agent (browser, crawler, archive, link preview, tool, "
                      "...). A user agent is a claim: unless marked as verified (published crawler address ranges or "
                      "reverse DNS), a crawler class is not a verified identity. Crawlers are counted as copies made.",
                      "Clients worden ingedeeld op hun user agent (browser, crawler, archief, linkvoorbeeld, tool, "
                      "...). Een user agent is een bewering: tenzij als geverifieerd gemarkeerd (gepubliceerde "
                      "adresreeksen van crawlers of reverse DNS) is een crawler-indeling geen geverifieerde "
                      "identiteit. Crawlers tellen als gemaakte kopieën."),
    "queries": ("Queries", "Query's"),
    "queries_text": ("Every number in this report comes from these named queries (files in queries/), run on the "
                     "case database with the parameters shown in the options. Their full SQL text is in the file "
                     "{file} beside this report, whose SHA-256 is listed in {manifest}.",
                     "Elk getal in dit rapport komt uit deze benoemde query's (bestanden in queries/), uitgevoerd op "
                     "de zaakdatabase met de parameters uit de opties. De volledige SQL-tekst staat in het bestand "
                     "{file} naast dit rapport; de SHA-256 daarvan staat in {manifest}."),
    "query_name": ("Query", "Query"),
    "query_where": ("Defined in", "Gedefinieerd in"),
    "options": ("Options", "Opties"),
    # data quality
    "quality": ("Data quality and limitations", "Datakwaliteit en beperkingen"),
    "coverage": ("Coverage per evidence file", "Dekking per bewijsbestand"),
    "server": ("Server", "Server"),
    "file": ("File", "Bestand"),
    "first_time": ("First line (UTC)", "Eerste regel (UTC)"),
    "last_time": ("Last line (UTC)", "Laatste regel (UTC)"),
    "lines": ("Lines", "Regels"),
    "rejected": ("Rejected", "Afge\u00adwezen"),
    "skipped": ("Skipped", "Over\u00adgeslagen"),
    "gaps": ("Gaps: periods with no log lines at all", "Hiaten: perioden zonder enige logregel"),
    "gaps_text": ("Per log stream, every period without a single log line that is longer than the stream's own quiet "
                  "times (at least {minutes} minutes; see the method). A missing rotation, an outage or an unreadable "
                  "file looks like this: a gap inside a window means downloads in that period cannot be ruled out.",
                  "Per logstroom elke periode zonder één logregel die langer is dan de eigen stille tijden van die "
                  "logstroom (minstens {minutes} minuten; zie de methode). Een ontbrekende rotatie, een storing of "
                  "een onleesbaar bestand ziet er zo uit: een hiaat binnen een venster betekent dat downloads in "
                  "die periode niet uit te sluiten zijn."),
    "gap_from": ("From (UTC)", "Van (UTC)"),
    "gap_to": ("To (UTC)", "Tot (UTC)"),
    "gap_length": ("Length", "Duur"),
    # a gap at a stream's edge (queries/gaps.sql `edge`): the stream's own line bounds one side, the evidence's
    # last (first) line, another stream's, the other
    "gap_edge_after": ("after the stream's last line: it ends at the evidence's last line, another stream's",
                       "na de laatste regel van de logstroom: het loopt tot de laatste regel van het bewijs, van een "
                       "andere logstroom"),
    "gap_edge_before": ("before the stream's first line: it begins at the evidence's first line, another stream's",
                        "vóór de eerste regel van de logstroom: het begint bij de eerste regel van het bewijs, van "
                        "een andere logstroom"),
    "in_window": ("Inside a window", "Binnen een venster"),
    "no_gaps": ("No gaps: no stream was silent longer than its threshold (at least {minutes} minutes).",
                "Geen hiaten: geen logstroom was langer stil dan zijn drempel (minstens {minutes} minuten)."),
    "gap_summary": ("{server}: {n:# gap|# gaps}, longest {longest}", "{server}: {n:# hiaat|# hiaten}, langste {longest}"),
    "threshold": ("Threshold", "Drempel"),
    "rejects": ("Rejected lines", "Afgewezen regels"),
    "reason": ("Reason", "Reden"),
    "first_example": ("First occurrence", "Eerste voorkomen"),
    "no_rejects": ("No line was rejected.", "Er is geen regel afgewezen."),
    "accounting": ("Every line of every file is a request, a rejected line or a skipped line (blank or comment): "
                   "lines = requests + rejected + skipped.",
                   "Elke regel van elk bestand is een verzoek, een afgewezen regel of een overgeslagen regel (leeg of "
                   "commentaar): regels = verzoeken + afgewezen + overgeslagen."),
    "geoip": ("GeoIP and ASN databases", "GeoIP- en ASN-databases"),
    "geoip_note": ("Locations are those of the network, at country/city level with the database's accuracy radius; "
                   "never a street or a household.",
                   "Locaties zijn die van het netwerk, op land- of stadsniveau met de nauwkeurigheidsmarge van de "
                   "database; nooit een straat of huishouden."),
    "caches": ("Caches and CDNs", "Caches en CDN's"),
    "caches_text": ("Requests answered by a cache or CDN in front of the server never reach these logs. {detail}",
                    "Verzoeken die een cache of CDN vóór de server beantwoordt, komen nooit in deze logs. {detail}"),
    "cache_none": ("The logs carry no cache status field, so whether a cache or CDN was in front of the server is "
                   "not available from logs; ask the hosting party.",
                   "De logs hebben geen cachestatusveld; of er een cache of CDN vóór de server stond is niet "
                   "beschikbaar uit de logs; vraag dit na bij de hostingpartij."),
    "cache_some": ("{n:# request carries|# requests carry} a cache status.",
                   "{n:# verzoek heeft|# verzoeken hebben} een cachestatus."),
    "no_trace": ("Transfers that leave no trace", "Overdrachten zonder spoor"),
    "no_trace_text": ("Copies made outside this web server leave no trace here: forwarding of a downloaded copy "
                      "(e-mail, chat, shared drives), other mirrors or servers whose logs were not supplied, and "
                      "access through a cache. The number of copies in circulation can therefore be higher than the "
                      "number of downloads; it cannot be lower than the complete downloads found.",
                      "Kopieën die buiten deze webserver zijn gemaakt laten hier geen spoor na: doorsturen van een "
                      "gedownloade kopie (e-mail, chat, gedeelde mappen), andere spiegels of servers waarvan geen "
                      "logs zijn aangeleverd, en toegang via een cache. Het aantal kopieën in omloop kan daarom hoger "
                      "zijn dan het aantal downloads; lager dan het aantal gevonden volledige downloads kan niet."),
    "alternatives": ("Alternative explanations considered", "Overwogen alternatieve verklaringen"),
    "alt_1": ("A 'complete' 200 response may have been aborted by the client after the server logged it (see the "
              "missing fields above): no conclusion possible from these logs.",
              "Een 'volledige' 200-respons kan door de client zijn afgebroken nadat de server die logde (zie de "
              "ontbrekende velden hierboven): geen conclusie mogelijk uit deze logs."),
    "alt_2": ("Several downloads from one address may be one person retrying, or several people behind one NAT.",
              "Meerdere downloads vanaf één adres kunnen één persoon zijn die het opnieuw probeert, of meerdere "
              "mensen achter één NAT."),
    "alt_3": ("A client claiming to be a crawler may be a person using that user agent, unless verified.",
              "Een client die zich als crawler voordoet kan een persoon met die user agent zijn, tenzij geverifieerd."),
    "alt_4": ("The file may have been reachable before the first logged request or after the last one where the "
              "logs have gaps; the windows are bounds observed in the logs.",
              "Het bestand kan bereikbaar zijn geweest vóór het eerste gelogde verzoek, of tijdens hiaten in de logs; "
              "de vensters zijn grenzen zoals waargenomen in de logs."),
    "case_warnings": ("Warnings from the analysis", "Waarschuwingen uit de analyse"),
    # evidence status (page 1) and findings (queries/findings.sql)
    "status_gap": ("server {server} (stream {stream}): no log line from {start} to {end} ({length})",
                   "server {server} (logstroom {stream}): geen logregel van {start} tot {end} ({length})"),
    # the one wording of a time inside target windows (report/model.py inside): a gap, an incomplete file's time
    # without a line, a step back, a stray time; `windows` the windows joined with ", "
    "inside_windows": ("inside {windows}", "binnen {windows}"),
    # ... of gaps grouped across windows (report/pageone.py), and all of them in one counted line
    "inside_n_windows": ("inside {n:# window|# windows}", "binnen {n:# venster|# vensters}"),
    "gaps_counted": ("{n:# silence|# silences} of streams inside {windows:# window|# windows}: every one in "
                     "section 7 (gaps)",
                     "{n:# stilte|# stiltes} van logstromen binnen {windows:# venster|# vensters}: elk in "
                     "hoofdstuk 7 (hiaten)"),
    # page 1's line for several gaps of one family inside the same windows (report/pageone.py): `inside` is
    # inside_windows, `names` the first streams (gap_name_*) with gaps_named_more
    "gaps_end": ("{n:# stream falls|# streams fall} silent {inside}, after {n:its|their} last line (the stream "
                 "stops before the evidence ends, another stream logs on): {names}",
                 "{n:# logstroom valt|# logstromen vallen} stil {inside}, na {n:zijn|hun} laatste regel (de "
                 "logstroom stopt voor het einde van het bewijs, een andere logstroom logt door): {names}"),
    "gaps_start": ("{n:# stream is|# streams are} silent {inside}, before {n:its|their} first line (the stream "
                   "begins after the evidence begins): {names}",
                   "{n:# logstroom zwijgt|# logstromen zwijgen} {inside}, vóór {n:zijn|hun} eerste regel (de "
                   "logstroom begint na het begin van het bewijs): {names}"),
    "gaps_inner": ("{n:# silence|# silences} of a stream {inside}: {names}",
                   "{n:# stilte|# stiltes} van een logstroom {inside}: {names}"),
    # a gap at a stream's edge (findings.STREAM_EDGES, the finding's fact), said after its times on page 1's line
    # and in the findings table: the stream is silent because it stopped or had not begun, not in its middle
    "gap_edge_after its last line": (", after its last line (the stream stops before the evidence ends, another "
                                     "stream logs on)",
                                     ", na zijn laatste regel (de logstroom stopt voor het einde van het bewijs, een "
                                     "andere logstroom logt door)"),
    # a gap at a stream's edge bounded by a copy-named file with lines of its own (findings.sql: related_path, lines
    # its own, of_lines those another file shares): what bounds it, an inference
    "gap_copy_bounds": ("; an inference: the file that bounds it, {path}, is named like a copy and holds "
                        "{n:# request line|# request lines} of its own beside {shared} that repeat another file's: it "
                        "may be a copy taken at that line, not a server's silence",
                        "; een afleiding: het bestand dat het begrenst, {path}, heeft de naam van een kopie en bevat "
                        "{n:# eigen verzoekregel|# eigen verzoekregels} naast {shared} die regels van een ander bestand "
                        "herhalen: het kan een kopie zijn, genomen bij die regel, geen stilte van een server"),
    "gap_edge_before its first line": (", before its first line (the stream begins after the evidence begins)",
                                       ", vóór zijn eerste regel (de logstroom begint na het begin van het bewijs)"),
    "gap_name_end": ("{stream} from {start} ({length})", "{stream} vanaf {start} ({length})"),
    "gap_name_start": ("{stream} until {end} ({length})", "{stream} tot {end} ({length})"),
    "gap_name_inner": ("{stream} {start} – {end} ({length})", "{stream} {start} – {end} ({length})"),
    "gaps_named_more": ("and {n} more (section 7, gaps)", "en nog {n} (hoofdstuk 7, hiaten)"),
    "window_of": ("window {window} of {path}", "venster {window} van {path}"),
    "window_of_alias": ("window {window} of --alias {path}", "venster {window} van --alias {path}"),
    # a time after the last available response of a window never seen withdrawn (findings.OPEN_WINDOW)
    "window_open": (" (open: no withdrawal seen)", " (open: geen terugtrekking gezien)"),
    "windows_more": ("and {n:# more window|# more windows} (in_windows in analysis.json)",
                     "en nog {n:# venster|# vensters} (in_windows in analysis.json)"),
    "findings_each": ("Every finding", "Elke bevinding"),
    "findings_text": ("Everything found while reading the evidence. Incomplete: the answer rests on what could be "
                      "read (exit code 3). Stated: found, resolved or labelled (exit code 0).",
                      "Alles wat bij het lezen van het bewijs is gevonden. Onvolledig: het antwoord berust op wat "
                      "gelezen kon worden (afsluitcode 3). Vermeld: gevonden, opgelost of benoemd (afsluitcode 0)."),
    "severity": ("Severity", "Ernst"),
    "finding_kind": ("Finding", "Bevinding"),
    "stream": ("Stream", "Logstroom"),
    "what": ("What", "Wat"),
    "sev_incomplete": ("incomplete", "onvolledig"),
    "sev_stated": ("stated", "vermeld"),
    "kind_unreadable": ("unreadable", "onleesbaar"),
    "kind_damaged": ("damaged", "beschadigd"),
    "kind_truncated": ("truncated", "afgekapt"),
    "kind_empty_compressed": ("empty compressed file", "leeg gecomprimeerd bestand"),
    "kind_joined_lines": ("joined lines", "samengevoegde regels"),
    "kind_changed_during_read": ("changed during read", "gewijzigd tijdens het lezen"),
    "kind_suspicious_size": ("suspicious size", "verdachte grootte"),
    "kind_all_lines_rejected": ("every line rejected", "alle regels afgewezen"),
    "kind_prefixed_lines": ("lines behind a prefix", "regels achter een voorvoegsel"),
    "kind_glued_lines": ("lines holding another line", "regels die een andere regel bevatten"),
    "kind_gap_in_window": ("gap inside a window", "hiaat binnen een venster"),
    "kind_time_ran_back": ("time ran back", "tijd liep terug"),
    "kind_stray_time": ("line dated far from the lines around it", "regel ver van de regels eromheen gedateerd"),
    "kind_possible_copy": ("possible copy under another name", "mogelijke kopie onder een andere naam"),
    "kind_client_not_forwarded": ("client not from X-Forwarded-For", "cliënt niet uit X-Forwarded-For"),
    "kind_gap": ("gap", "hiaat"),
    "kind_presumed_take": ("presumed take", "als kopie opgevat"),
    "kind_overlap": ("overlap", "overlap"),
    "kind_duplicate": ("duplicate", "duplicaat"),
    "kind_cut_off": ("last line cut off", "laatste regel afgebroken"),
    "kind_cut_lines": ("lines cut off mid-file", "regels midden in het bestand afgebroken"),
    "kind_rejected_lines": ("rejected lines", "afgewezen regels"),
    "kind_inferred_stream": ("stream inferred", "logstroom afgeleid"),
    "kind_not_a_log": ("not a log", "geen log"),
    "kind_read_note": ("read note", "leesnotitie"),
    "kind_through_a_link": ("read through a link", "gelezen via een koppeling"),
    "kind_interrupted_command": ("command interrupted", "opdracht onderbroken"),
    "kind_byte-order_mark": ("byte-order mark", "byte-order mark"),
    "kind_inner_byte-order_marks": ("byte-order marks inside a file", "byte-order marks binnen een bestand"),
    "kind_not_utf-8": ("bytes that are not UTF-8", "bytes die geen UTF-8 zijn"),
    "kind_not_canonical_address": ("address not canonical", "adres niet canoniek"),
    "kind_case_changed_outside_exposure": ("case file changed outside exposure",
                                           "casusbestand buiten exposure gewijzigd"),
    "kind_changed_since_ingest": ("changed since ingest", "gewijzigd sinds inname"),
    "kind_missing": ("missing", "ontbrekend"),
    "detail_case_changed_outside_exposure": ("the case file was changed after exposure sealed it: the figures come "
                                             "from what it holds now (see the alert below and exposure verify)",
                                             "het casusbestand is gewijzigd nadat exposure het verzegelde: de cijfers "
                                             "komen uit wat het nu bevat (zie de waarschuwing hieronder en exposure "
                                             "verify)"),
    "detail_changed_since_ingest": ("the SHA-256 of the file on disk differs from the one recorded at ingest: the "
                                    "figures come from the content hashed at ingest",
                                    "de SHA-256 van het bestand op schijf verschilt van die bij inname: de cijfers "
                                    "komen uit de inhoud die bij inname is gehasht"),
    "detail_missing": ("the file is no longer at the path recorded at ingest: the figures come from the content "
                       "hashed at ingest",
                       "het bestand staat niet meer op het pad van de inname: de cijfers komen uit de inhoud die "
                       "bij inname is gehasht"),
    "detail_unreadable": ("could not be read ({detail}); {uncovered}",
                           "kon niet worden gelezen ({detail}); {uncovered}"),
    "detail_suspicious_size": ("its content passes the size rule: hashed, not parsed; {uncovered}",
                                "de inhoud overschrijdt de grootteregel: gehasht, niet geparst; {uncovered}"),
    "detail_changed_during_read": ("{lines:# line|# lines} read; the file changed while it was read; {uncovered}",
                                    "{lines:# regel|# regels} gelezen; het bestand veranderde tijdens het lezen; {uncovered}"),
    "detail_read_note": ("noted while reading, no damage: {detail}", "bij het lezen opgemerkt, geen schade: {detail}"),
    "detail_byte-order_mark": ("a UTF-8 byte-order mark was taken off before parsing",
                                "een UTF-8 byte-order mark is vóór het parsen verwijderd"),
    "detail_inner_byte-order_marks": ("{lines} of its {of_lines:# line|# lines} began with a UTF-8 byte-order mark inside the "
                                      "file (files joined end to end?), each taken off before parsing",
                                      "{lines} van de {of_lines:# regel|# regels} begonnen met een UTF-8 byte-order mark binnen "
                                      "het bestand (bestanden aan elkaar gevoegd?), elk vóór het ontleden verwijderd"),
    "detail_not_utf-8": ("{lines} of its {of_lines:# line|# lines} held bytes that are not UTF-8 (another encoding, "
                         "such as Latin-1): shown with U+FFFD in their place; the bytes as logged are in the file at "
                         "each row's byte_offset",
                         "{lines} van de {of_lines:# regel|# regels} bevatten bytes die geen UTF-8 zijn (een andere "
                         "codering, zoals Latin-1): getoond met U+FFFD op hun plaats; de bytes zoals gelogd staan in "
                         "het bestand op de byte_offset van elke rij"),
    "detail_not_canonical_address": (
        "{lines} of its {of_lines:# request|# requests} name their client in digits and dots that are no IPv4 address "
        "as a server writes one (the first: {fact}): Apache and nginx write four decimal numbers 0-255 without "
        "leading zeros, and a leading zero reads as octal to some tools (inet_aton: 010 is 8) and as decimal to "
        "others: a sign of an altered log or of another tool's; each such client is counted as written, a client of "
        "its own (network 'not canonical'), never located nor joined with an address it may stand for",
        "{lines} van de {of_lines:# verzoek|# verzoeken} noemen hun cliënt in cijfers en punten die geen IPv4-adres "
        "zijn zoals een server dat schrijft (het eerste: {fact}): Apache en nginx schrijven vier decimale getallen "
        "0-255 zonder voorloopnullen, en een voorloopnul lezen sommige programma's als octaal (inet_aton: 010 is 8) "
        "en andere als decimaal: een teken van een bewerkte log of van een ander programma; elke zulke cliënt is "
        "geteld zoals geschreven, als eigen cliënt (netwerk 'niet canoniek'), nooit gelokaliseerd en nooit "
        "samengevoegd met een adres waarvoor hij kan staan"),
    "kind_inferred_bytes": ("byte counts inferred", "bytetellingen afgeleid"),
    "kind_assumed_bytes": ("byte counts assumed", "bytetellingen aangenomen"),
    "kind_assumed_zone": ("time zone assumed", "tijdzone aangenomen"),
    "detail_assumed_zone": ("{lines} of its {of_lines:# request|# requests} were logged without a UTC offset and "
                            "read as UTC (no --log-tz when it was ingested): their zone is an assumption; ingest "
                            "again with --log-tz and the server's zone to read them in it",
                            "{lines} van de {of_lines:# verzoek|# verzoeken} zijn zonder UTC-offset gelogd en als UTC "
                            "gelezen (geen --log-tz bij het inlezen): hun tijdzone is een aanname; lees opnieuw in met "
                            "--log-tz en de tijdzone van de server"),
    "kind_zone_not_applied": ("--log-tz applied to no line", "--log-tz op geen regel toegepast"),
    "detail_zone_not_applied": ("--log-tz {fact} was given but applied to no line: every time in it carries its own "
                                "UTC offset or is UTC by its format ({format}), so the option changed nothing",
                                "--log-tz {fact} is opgegeven maar op geen regel toegepast: elk tijdstip erin heeft "
                                "een eigen UTC-offset of is UTC volgens het formaat ({format}), dus de optie "
                                "veranderde niets"),
    "assumed_zone_names": (" (zone names exposure does not read as an offset: {names})",
                           " (zonenamen die exposure niet als offset leest: {names})"),
    "kind_no_byte_counts": ("no byte counts logged", "geen bytetellingen gelogd"),
    "detail_no_byte_counts": ("{lines} of {of_lines} requests of server {server} ({format}) were logged without a "
                              "byte count: what they delivered is unknown, so such a transfer is partial where the "
                              "log marks it cut short, complete where the log marks it sent in full (IIS "
                              "sc-win32-status 0) or a range group's logged offsets cover the file, else "
                              "undetermined",
                              "{lines} van {of_lines} verzoeken van server {server} ({format}) zijn zonder "
                              "bytetelling gelogd: wat ze leverden is onbekend, dus zo'n overdracht is gedeeltelijk "
                              "waar de log haar als afgebroken markeert, volledig waar de log haar als geheel "
                              "verzonden markeert (IIS sc-win32-status 0) of de gelogde offsets van een reeks "
                              "deelverzoeken het hele bestand dekken, anders onbepaald"),
    "detail_inferred_bytes": ("what the byte counts of server {server} cover was inferred from the data: {fact} "
                               "(see the method)",
                               "wat de bytetellingen van server {server} omvatten is afgeleid uit de gegevens: {fact} "
                               "(zie de methode)"),
    "detail_assumed_bytes": ("what the byte counts of server {server} cover could not be decided from the data: "
                              "{fact} assumed (see the method)",
                              "wat de bytetellingen van server {server} omvatten was niet uit de gegevens af te "
                              "leiden: {fact} aangenomen (zie de methode)"),
    # a CRC-32 that fails decodes in full (its bytes may be altered); lost content does not decode
    "detail_damaged": ("{lines:# line|# lines} read from damaged content: what lies at the damage is lost or, where "
                        "only its check fails, altered; {uncovered}",
                        "{lines:# regel|# regels} gelezen uit beschadigde inhoud: wat op de beschadiging ligt is "
                        "verloren of, waar alleen de controle faalt, veranderd; {uncovered}"),
    # ... where only its check fails, nothing lost (placewords: decoded in full, maybe its altered lines proven)
    "detail_damaged_in_full": ("{lines:# line|# lines} read from damaged content: only its check fails; {uncovered}",
                               "{lines:# regel|# regels} gelezen uit beschadigde inhoud: alleen de controle faalt; "
                               "{uncovered}"),
    "detail_empty_compressed": ("named as compressed but empty (0 bytes; no compressor writes an empty file): "
                                "likely a copy cut to nothing, what it held is unknown; {uncovered}",
                                "genoemd als gecomprimeerd maar leeg (0 bytes; geen compressieprogramma schrijft een "
                                "leeg bestand): waarschijnlijk een tot niets afgekapte kopie, wat erin stond is "
                                "onbekend; {uncovered}"),
    "detail_joined_lines": ("{lines:# line|# lines} read; {detail}; {uncovered}",
                            "{lines:# regel|# regels} gelezen; {detail}; {uncovered}"),
    "detail_truncated": ("{lines:# line|# lines} read before the content ends early; {uncovered}",
                          "{lines:# regel|# regels} gelezen voordat de inhoud voortijdig eindigt; {uncovered}"),
    "detail_all_lines_rejected": ("{lines:its one line|every one of its # lines} was rejected by the {format} format: it is "
                                   "probably not that format (without --format each file's format is detected); "
                                   "{uncovered}",
                                   "{lines:zijn ene regel|elk van zijn # regels} is afgewezen door het formaat {format}: het is "
                                   "waarschijnlijk niet dat formaat (zonder --format wordt het formaat per bestand "
                                   "herkend); {uncovered}"),
    # every rejected line gave one reason that says how to read the file (queries/evidence_rules.sql rejected_hint)
    "detail_all_lines_rejected_hint": ("{lines:its one line|every one of its # lines} was rejected by the {format} "
                                       "format: {hint}; {uncovered}",
                                       "{lines:zijn ene regel|elk van zijn # regels} is afgewezen door het formaat "
                                       "{format}: {hint}; {uncovered}"),
    # lines rejected as standing behind a prefix (queries/findings.sql `prefixed lines`): the reason in the report's
    # language (report/wording.py REASONS_NL)
    "detail_prefixed_lines": ("{lines} of its {of_lines:# line|# lines} stand behind a prefix{run} and were "
                              "rejected by the {format} format, requests not counted: {hint}; {uncovered}",
                              "{lines} van de {of_lines:# regel|# regels} staan achter een voorvoegsel{run} en zijn "
                              "afgewezen door het formaat {format}, verzoeken niet geteld: {hint}; "
                              "{uncovered}"),
    # lines rejected as holding another line's start (queries/findings.sql `glued lines`)
    "detail_glued_lines": ("{lines} of its {of_lines:# line|# lines} {lines:holds|hold} the start of another log "
                           "line{run} (two lines written without a newline between them) and {lines:was|were} "
                           "rejected by the {format} format, requests not counted; {uncovered}",
                           "{lines} van de {of_lines:# regel|# regels} {lines:bevat|bevatten} het begin van een "
                           "andere logregel{run} (twee regels zonder regeleinde ertussen geschreven) en "
                           "{lines:is|zijn} afgewezen door het formaat {format}, verzoeken niet geteld; {uncovered}"),
    # ... either kind in a file of several runs of them, one finding each (findings.sql rejected_runs: line_ranges,
    # fact `run N of M`)
    "prefixed_run": (" ({one:line|lines} {ranges}: run {n} of {m} in this file{first})",
                     " ({one:regel|regels} {ranges}: reeks {n} van {m} in dit bestand{first})"),
    "prefixed_run_first": (", the first {said} said (table rejects)", ", de eerste {said} genoemd (tabel rejects)"),
    "detail_gap": ("server {server}: no log line from {start} to {end} ({length}; the threshold for this stream is "
                    "{threshold})", "server {server}: geen logregel van {start} tot {end} ({length}; de drempel "
                    "voor deze logstroom is {threshold})"),
    # queries/findings.sql 'presumed take': a server-named file taken for a take of another stream's log
    "detail_presumed_take": ("every request line of it is a line another stream holds, from the first line of one "
                             "of that stream's files on, none of that file's lines before its last one left out: "
                             "taken to be a copy of that log, so no log line from {start} to {end} ({length}) is no "
                             "gap of its stream; an inference: if it is a server's own log, that server logged "
                             "nothing then (the threshold for this stream is {threshold})",
                             "elke verzoekregel ervan is een regel van een andere logstroom, vanaf de eerste regel "
                             "van een van de bestanden van die stroom, zonder een regel van dat bestand vóór de "
                             "laatste over te slaan: opgevat als kopie van die log, dus geen logregel van {start} "
                             "tot {end} ({length}) is geen hiaat van de logstroom; een afleiding: is het de eigen "
                             "log van een server, dan logde die server in die tijd niets (de drempel voor deze "
                             "logstroom is {threshold})"),
    # {related}, {cited}: the file repeated, named as every door names it (exposure/overlapwords.py)
    "detail_overlap": ("{lines:# request line (line|# request lines (lines} {ranges}) {lines:repeats line|repeat "
                        "lines} {related_ranges} of {related}: counted once, cited from {cited}",
                        "{lines:# verzoekregel (regel|# verzoekregels (regels} {ranges}) {lines:herhaalt regel|"
                        "herhalen regels} {related_ranges} van {related}: één keer geteld, geciteerd uit {cited}"),
    "detail_duplicate": ("the same content as {related}: counted once, cited from {related}",
                          "dezelfde inhoud als {related}: één keer geteld, geciteerd uit {related}"),
    "detail_duplicate_damaged": ("the same content as {related}: counted once, cited from {related} as the copy "
                                 "whose reading found the content damaged: the damage may be this file's too (a "
                                 "copy of the same bytes, e.g. zcat's output of it), or this file is the intact "
                                 "original and only the check of {related} is damaged",
                                 "dezelfde inhoud als {related}: één keer geteld, geciteerd uit {related} als de "
                                 "kopie waarvan het lezen de inhoud beschadigd vond: de schade kan ook die van dit "
                                 "bestand zijn (een kopie van dezelfde bytes, bijv. de uitvoer van zcat ervan), of "
                                 "dit bestand is het onbeschadigde origineel en alleen de controle van {related} is "
                                 "beschadigd"),
    "detail_cut_off": ("its last line (line {lines}) has no newline: cut off mid-line, as a copy of a live log "
                        "is{cut}",
                        "de laatste regel (regel {lines}) heeft geen regeleinde: halverwege afgebroken, zoals bij een "
                        "kopie van een log dat nog beschreven wordt{cut}"),
    # where the cut of a file's last line fell (extra['cut_field'], exposure/lastline.py): the finding, the table;
    # the words are those of every door (exposure/cutwords.py)
    **cutwords.texts(),
    "cut_tag": ("cut", "afgebroken"),
    "detail_rejected_lines": ("{lines} of its {of_lines:# line|# lines} rejected, each with its reason{mostly}",
                               "{lines} van de {of_lines:# regel|# regels} afgewezen, elk met de reden{mostly}"),
    # a `rejected lines` finding whose fact is 'mostly rejected' (queries/evidence_rules.sql, mostly_rejected)
    # the hour the clocks go back / forward (queries/findings.sql ambiguous time, nonexistent time); the span, the
    # zone and the first line as the finding's detail names them (exposure/report/model.py _fold_said)
    "kind_ambiguous_time": ("times in the hour the clocks go back", "tijden in het uur dat de klok teruggaat"),
    "detail_ambiguous_time": ("{lines} of its {of_lines:# request|# requests} {lines:was|were} logged in the hour "
                              "the clocks go back ({span}, written twice) and {lines:is|are} read as the earlier "
                              "instant{later}",
                              "{lines} van de {of_lines:# verzoek|# verzoeken} {lines:is|zijn} gelogd in het uur dat "
                              "de klok teruggaat ({span}, twee keer geschreven) en gelezen als het eerdere "
                              "moment{later}"),
    "fold_first": (" (the first: line {first})", " (de eerste: regel {first})"),
    "fold_later": ("; the file's line order suggests {said} written in the second pass, an hour later (an "
                   "inference: not applied; the first: line {first})",
                   "; de regelvolgorde van het bestand suggereert dat {said} in de tweede doorgang geschreven "
                   "{many:is|zijn}, een uur later (een afleiding: niet toegepast; de eerste: regel {first})"),
    "fold_silence": ("; the stream's silence from {start} to {end} ({minutes} minutes) is the hour the clocks go "
                     "back: its second pass read an hour early, not a gap",
                     "; de stilte van de logstroom van {start} tot {end} ({minutes} minuten) is het uur dat de klok "
                     "teruggaat: de tweede doorgang een uur te vroeg gelezen, geen hiaat"),
    "fold_it": ("it was", "het"),
    "fold_some": ("{k} of them {k:was|were}", "{k} ervan"),
    "kind_nonexistent_time": ("times that never existed in the zone given",
                              "tijden die in de opgegeven zone nooit bestonden"),
    "detail_nonexistent_time": ("{lines} of its {of_lines:# request|# requests} {lines:was|were} logged at a local "
                                "time that never existed in {zone} (the hour the clocks go forward, {fact}), read "
                                "with the offset before the change: a server keeping that zone never writes one, so "
                                "its clock may not have kept {zone} and every time of the file may be off by the "
                                "difference (check --log-tz; the first: line {first})",
                                "{lines} van de {of_lines:# verzoek|# verzoeken} {lines:is|zijn} gelogd op een "
                                "lokale tijd die in {zone} nooit bestond (het uur dat de klok vooruitgaat, {fact}), "
                                "gelezen met de offset van vóór de wissel: een server die die zone aanhoudt schrijft "
                                "die nooit, dus zijn klok hield {zone} mogelijk niet aan en elke tijd van het bestand "
                                "kan verschoven zijn met het verschil (controleer --log-tz; de eerste: regel {first})"),
    "fold_second_pass": ("second pass by line order (an inference, not applied): {k} of {n}",
                         "tweede doorgang volgens de regelvolgorde (een afleiding, niet toegepast): {k} van {n}"),
    "rejected_mostly": ("probably not the {format} format", "waarschijnlijk niet het formaat {format}"),
    "detail_inferred_stream": ("its log stream {stream} was inferred from its content or from the file it copies",
                                "de logstroom {stream} is afgeleid uit de inhoud of uit het bestand dat het kopieert"),
    "detail_not_a_log": ("not an access log in any known format: not analysed",
                          "geen toegangslog in een bekend formaat: niet geanalyseerd"),
    "overlaps": ("Overlapping copies", "Overlappende kopieën"),
    "overlaps_text": ("Runs of request lines one file shares with another, found by content in any folder under any "
                      "name: counted once, cited from the original (see the citation rule in the method).",
                      "Reeksen verzoekregels die een bestand met een ander deelt, gevonden op inhoud in elke map "
                      "onder elke naam: één keer geteld, geciteerd uit het origineel (zie de citeerregel in de "
                      "methode)."),
    "no_overlaps": ("No file shares lines with another.", "Geen bestand deelt regels met een ander."),
    "copy": ("Copy", "Kopie"),
    "original": ("Original (cited)", "Origineel (geciteerd)"),
    "shared_lines": ("Shared lines", "Gedeelde regels"),
    "span_utc": ("Time span (UTC)", "Tijdvak (UTC)"),
    # method: streams, overlaps, the citation rule, gaps
    "evidence_rules": ("Log streams, copies and gaps", "Logstromen, kopieën en hiaten"),
    "streams_text": ("Each log file belongs to the log stream of one server, told by the names servers and log "
                     "shippers write (access.log, access.log.1, access.log-20200612.gz, u_exYYMMDD.log, S3, "
                     "CloudFront and load-balancer names), the folder added only to a server's default name; where "
                     "a name says nothing, by its content; a copy joins the stream of the file it copies. Gaps, "
                     "overlaps and coverage are per stream.",
                     "Elk logbestand hoort bij de logstroom van één server, bepaald door de namen die servers en "
                     "logverzenders schrijven (access.log, access.log.1, access.log-20200612.gz, u_exYYMMDD.log, "
                     "S3-, CloudFront- en loadbalancernamen), met de map alleen bij de standaardnaam van een "
                     "server; waar een naam niets zegt, door de inhoud; een kopie hoort bij de logstroom van het "
                     "bestand dat zij kopieert. Hiaten, overlap en dekking gelden per logstroom."),
    "overlap_rule_text": ("Two files overlap where they share a run of consecutive request lines that are the same in "
                          "every field and second: at least 3 lines, or all request lines of one file, or the end "
                          "of one file and the start of the other. Each shared line is counted once; two identical "
                          "requests in one file stay two; one or two identical lines in the middle of two servers' "
                          "logs are not an overlap.",
                          "Twee bestanden overlappen waar zij een reeks opeenvolgende verzoekregels delen die in "
                          "elk veld en elke seconde gelijk zijn: minstens 3 regels, of alle verzoekregels van één "
                          "bestand, of het einde van het ene en het begin van het andere bestand. Elke gedeelde "
                          "regel telt één keer; twee gelijke verzoeken in één bestand blijven twee; één of twee "
                          "gelijke regels midden in de logs van twee servers zijn geen overlap."),
    "citation_rule_text": ("The citation rule: of files that hold the same lines, the one cited is the server's "
                           "original: a file whose integrity check failed (its bytes may be altered) after any "
                           "other; then a name servers or rotation write before a name that says nothing before a "
                           "name people give a copy (or a file in a folder named like one); then an intact file "
                           "before one whose last line is cut off before a damaged or truncated one; then the "
                           "earliest ingested. The others are listed as its copies, whatever the order of ingest.",
                           "De citeerregel: van bestanden met dezelfde regels wordt het origineel van de server "
                           "geciteerd: een bestand waarvan de integriteitscontrole faalde (de bytes kunnen veranderd "
                           "zijn) na elk ander; dan een naam die servers of rotatie schrijven vóór een naam die niets zegt vóór "
                           "een naam die mensen een kopie geven (of een bestand in een map met zo'n naam); dan een "
                           "heel bestand vóór een met een afgebroken laatste regel vóór een beschadigd of "
                           "afgekapt bestand; dan het eerst ingelezen. De andere staan als kopie vermeld, in welke "
                           "volgorde ook ingelezen."),
    "gap_rule_text": ("A silence in a stream counts as a gap when it is longer than {minutes} minutes and longer "
                      "than {factor} times the stream's usual longest silence of a day (the median over its whole "
                      "days); a stream of fewer than three whole days has only the first threshold.",
                      "Een stilte in een logstroom telt als hiaat als zij langer is dan {minutes} minuten en langer "
                      "dan {factor} keer de gebruikelijke langste stilte per dag van die logstroom (de mediaan over "
                      "de hele dagen); een logstroom van minder dan drie hele dagen heeft alleen de eerste drempel."),
    # art 33
    "art33": ("Notification facts (GDPR Art. 33(3))", "Gegevens voor de melding (AVG art. 33 lid 3)"),
    "art33_intro": ("Facts supplied by the investigator in the case information, not derived from logs. Missing facts "
                    "are marked, never filled in.",
                    "Gegevens aangeleverd door de onderzoeker in de zaakinformatie, niet afgeleid uit logs. "
                    "Ontbrekende gegevens zijn gemarkeerd, nooit ingevuld."),
    "nature": ("Nature of the breach", "Aard van de inbreuk"),
    "data_categories": ("Categories of personal data", "Categorieën persoonsgegevens"),
    "data_subjects": ("Data subjects (minimum–maximum)", "Betrokkenen (minimum–maximum)"),
    "records": ("Records (minimum–maximum)", "Registraties (minimum–maximum)"),
    "contact_point": ("Contact point", "Contactpunt"),
    "consequences": ("Likely consequences", "Waarschijnlijke gevolgen"),
    "measures": ("Measures taken or proposed", "Genomen of voorgestelde maatregelen"),
    "incident_timeline": ("Incident timeline", "Tijdlijn van het incident"),
    "tl_occurrence": ("Occurrence (publication)", "Ontstaan (publicatie)"),
    "tl_detection": ("Detection", "Ontdekking"),
    "tl_awareness": ("Awareness (controller aware)", "Kennisname (verwerkingsverantwoordelijke op de hoogte)"),
    "tl_takedown": ("Takedown", "Verwijdering"),
    "tl_notification": ("Notification to the regulator", "Melding aan de toezichthouder"),
    "tl_ongoing": ("Exposure still ongoing", "Blootstelling nog gaande"),
    "from_logs": ("from the logs", "uit de logs"),
    "from_case_info": ("from the case information", "uit de zaakinformatie"),
    "source": ("Source", "Bron"),
    "no_case_info": ("No case information was supplied (--case-info): every fact below is to be supplied.",
                     "Er is geen zaakinformatie aangeleverd (--case-info): elk gegeven hieronder moet nog worden "
                     "aangeleverd."),
    # evidence register
    "register": ("Evidence register", "Bewijsregister"),
    "register_intro": ("Every input file, hashed when ingested and hashed again when this report was made. Inputs are "
                       "only ever read.",
                       "Elk invoerbestand, gehasht bij inname en opnieuw gehasht bij het maken van dit rapport. "
                       "Invoer wordt alleen gelezen."),
    "size_bytes": ("Size (bytes)", "Grootte (bytes)"),
    "mtime": ("Modified (UTC)", "Gewijzigd (UTC)"),
    "sha256_ingest": ("SHA-256 at ingest", "SHA-256 bij inname"),
    "sha256_now": ("Re-verified now", "Nu opnieuw gecontroleerd"),
    "verdict": ("Verdict", "Oordeel"),
    "custody": ("Chain of custody", "Bewaarketen"),
    "supplied_by": ("supplied by", "aangeleverd door"),
    "received": ("received", "ontvangen"),
    "how": ("how", "hoe"),
    "note": ("note", "opmerking"),
    "compression": ("compression", "compressie"),
    "content_sha256": ("content SHA-256", "SHA-256 van de inhoud"),
    "verdict_not a log": ("not a log", "geen log"),
    "activity": ("Activity log of the case", "Activiteitenlog van de zaak"),
    "verdict_inspected": ("inspected document", "onderzocht document"),
    "n_files": ("{n:# file|# files}", "{n:# bestand|# bestanden}"),
    "custody_short": ("custody", "bewaarketen"),
    "register_note": ("Every file was hashed again when this report was made ({at}); line counts and first and last "
                      "times per file are in the coverage table of section 7.",
                      "Elk bestand is opnieuw gehasht bij het maken van dit rapport ({at}); aantallen regels en eerste "
                      "en laatste tijden per bestand staan in de dekkingstabel van hoofdstuk 7."),
    # a seal that does not hold: every difference named in the register, as exposure verify names it (page 1 counts)
    "register_seal": ("Seal of the case file", "Zegel van het zaakbestand"),
    "register_seal_bad": ("The seal of the case file does not hold: the stored evidence may not be what was "
                          "ingested. {n:# difference|# differences} found when this report was made, each as "
                          "exposure verify names it:",
                          "Het zegel van het zaakbestand klopt niet: het opgeslagen bewijs is mogelijk niet wat is "
                          "ingelezen. {n:# verschil|# verschillen} gevonden bij het maken van dit rapport, elk zoals "
                          "exposure verify het noemt:"),
    "register_listing": ("{n:# file|# files}: each with two lines of fixed columns (the names repeat at the top of "
                         "every block): its number, path, verdict, format, compression and stream, then its SHA-256 at "
                         "ingest, the check when this report was made, size, modification time, lines, requests, "
                         "rejected and skipped lines and its first and last time (UTC). The same fields are in "
                         "analysis.json (evidence) for every file.",
                         "{n:# bestand|# bestanden}: elk met twee regels in vaste kolommen (de namen staan boven elk "
                         "blok): het nummer, pad, oordeel, formaat, compressie en logstroom, dan de SHA-256 bij inname, "
                         "de controle bij het maken van dit rapport, grootte, wijzigingstijd, regels, verzoeken, "
                         "afgewezen en overgeslagen regels en de eerste en laatste tijd (UTC). Dezelfde velden staan "
                         "voor elk bestand in analysis.json (evidence)."),
    "coverage_streams": ("{n:# file|# files} in {streams:# stream|# streams}: one row per stream here, with its first "
                         "and last file and the sums of their lines. The {n:# file's|# files'} own rows (lines, "
                         "requests, rejected, skipped, first and last time) are in the listing of the evidence "
                         "register (section 9) and in analysis.json (evidence).",
                         "{n:# bestand|# bestanden} in {streams:# logstroom|# logstromen}: hier één rij per "
                         "logstroom, met het eerste en laatste bestand en de sommen van hun regels. De eigen rijen "
                         "van {n:het bestand|de # bestanden} (regels, verzoeken, afgewezen, overgeslagen, eerste en "
                         "laatste tijd) staan in de lijst van het bewijsregister (hoofdstuk 9) en in analysis.json "
                         "(evidence)."),
    "files_count": ("Files", "Bestanden"),
    "listing_now": ("Now", "Nu"),
    "first_file": ("First file", "Eerste bestand"),
    "last_file": ("Last file", "Laatste bestand"),
    "register_note_listing": ("Every file was hashed again when this report was made ({at}).",
                              "Elk bestand is opnieuw gehasht bij het maken van dit rapport ({at})."),
    "custody_entry": ("Supplied by, received, how", "Aangeleverd door, ontvangen, hoe"),
    "custody_applies": ("Applies to", "Geldt voor"),
    "custody_pattern": ("{n:# file|# files} matching {pattern} (marked {ref} in the register)",
                        "{n:# bestand dat past|# bestanden die passen} bij {pattern} (gemarkeerd {ref} in het register)"),
    "custody_missing": ("no chain-of-custody entry for", "geen gegevens over de bewaarketen voor"),
    # an activity entry of this run's temporary case under --pin-time (report/model.py _activity): no time shown
    "activity_at_this_run": ("this run (time not shown: --pin-time)", "deze run (tijd niet getoond: --pin-time)"),
    "activity_intro": ("Every command run on this case file, as recorded by the tool when it was run (times in UTC, "
                       "as recorded). Report generation is recorded in the case but not listed here, so that "
                       "regenerating a report does not change it. The log names no user: the tool records the "
                       "command, its version and the time.",
                       "Elke opdracht die op dit zaakbestand is uitgevoerd, zoals het programma die vastlegde "
                       "(tijden in UTC, zoals vastgelegd). Het maken van rapporten wordt in de zaak vastgelegd maar "
                       "hier niet vermeld, zodat een rapport opnieuw maken het niet verandert. Het log noemt geen "
                       "gebruiker: het programma legt de opdracht, de versie en het tijdstip vast."),
    "recorded_at": ("Recorded at (UTC)", "Vastgelegd op (UTC)"),
    # inspection of the published file (exposure inspect)
    "inspection_title": ("What the file exposed, from inspection", "Wat het bestand blootgaf, uit onderzoek"),
    "inspection_source": ("Source: from inspection of {file} sha256 {sha}, inspected {at} (UTC) with exposure {version}.",
                          "Bron: uit onderzoek van {file} sha256 {sha}, onderzocht {at} (UTC) met exposure {version}."),
    "automated_estimate": ("Automated estimates.", "Automatische schattingen."),
    "automated_estimate_text": ("The findings and counts below were made by rules (header names, value shapes, "
                                "checksums), not by reading the data; each category gives its rule. They support, "
                                "and do not replace, the investigator's own figures above.",
                                "De bevindingen en aantallen hieronder zijn met regels gemaakt (kolomnamen, vorm van "
                                "waarden, controlegetallen), niet door de gegevens te lezen; elke categorie noemt "
                                "haar regel. Ze ondersteunen de eigen cijfers van de onderzoeker hierboven en "
                                "vervangen ze niet."),
    "inspection_incomplete": ("The inspection stopped at a limit: counts are lower bounds",
                              "Het onderzoek stopte bij een grens: aantallen zijn ondergrenzen"),
    "inspection_records": ("Records holding any value: {records} (visible {visible}, hidden {hidden}, whited out "
                           "{whited}); estimated data subjects: {subjects}.",
                           "Records met enige waarde: {records} (zichtbaar {visible}, verborgen {hidden}, wit op wit "
                           "{whited}); geschat aantal betrokkenen: {subjects}."),
    "inspection_findings": ("Hidden content and revealing artefacts", "Verborgen inhoud en onthullende sporen"),
    "finding": ("Finding", "Bevinding"),
    "where": ("Where", "Waar"),
    "range": ("Range", "Bereik"),
    "cells": ("Cells", "Cellen"),
    "rows": ("Rows", "Rijen"),
    "description": ("Description", "Omschrijving"),
    "no_findings": ("No hidden content found.", "Geen verborgen inhoud gevonden."),
    "inspection_categories": ("Personal data by category (automated estimate)",
                              "Persoonsgegevens per categorie (automatische schatting)"),
    "category": ("Category", "Categorie"),
    "value_count": ("Values", "Waarden"),
    "records_short": ("Records", "Records"),
    "area_visible": ("visible", "zichtbaar"),
    "area_hidden": ("hidden", "verborgen"),
    "area_whited_out": ("whited out", "wit op wit"),
    "rule": ("Rule", "Regel"),
    "categories_note": ("Visible, hidden and whited out count records. Sample values are not shown in this report.",
                        "Zichtbaar, verborgen en wit op wit tellen records. Voorbeeldwaarden staan niet in dit "
                        "rapport."),
    "no_categories": ("No personal data detected by the rules.", "Geen persoonsgegevens gevonden met de regels."),
    "link_title": ("Is this the file that was downloaded? Size per exposure window",
                   "Is dit het bestand dat is gedownload? Grootte per blootstellingsvenster"),
    "log_size": ("Size served (logs, bytes)", "Geleverde grootte (logs, bytes)"),
    "file_size": ("Inspected file (bytes)", "Onderzocht bestand (bytes)"),
    "size_verdict": ("Comparison", "Vergelijking"),
    "linked_by_case_info": ("linked in the case information", "gekoppeld in de zaakinformatie"),
    "inferred": ("inferred", "afgeleid"),
    "link_match": ("same size", "zelfde grootte"),
    "link_mismatch": ("different size: another version was served", "andere grootte: er stond een andere versie"),
    "link_unknown": ("no size in the logs for this window", "geen grootte in de logs voor dit venster"),
    "link_note": ("Equal sizes support, but do not prove, that this version of the file is what was served; a "
                  "different size means another version was online in that window.",
                  "Gelijke groottes ondersteunen, maar bewijzen niet, dat deze versie van het bestand is geleverd; "
                  "een andere grootte betekent dat er in dat venster een andere versie online stond."),
    "no_link": ("No analysed file ends with this document's name and the case information links none to it: "
                "no size comparison.",
                "Geen geanalyseerd bestand eindigt op de naam van dit document en de zaakinformatie koppelt er "
                "geen aan: geen vergelijking van groottes."),
    # appendix
    "appendix": ("Appendix: raw log lines of every counted download",
                 "Bijlage: ruwe logregels van elke getelde download"),
    "appendix_intro": ("The verbatim lines, read back from the evidence files after their hashes were checked. Byte "
                       "offsets of compressed files are in the decompressed content.",
                       "De letterlijke regels, opnieuw gelezen uit de bewijsbestanden nadat hun hashes zijn "
                       "gecontroleerd. Byte-posities in gecomprimeerde bestanden gelden voor de gedecomprimeerde "
                       "inhoud."),
    "line": ("line", "regel"),
    "repeats": ("repeats", "herhaalt"),
    "byte_offset": ("byte offset", "byte-positie"),
    "not_read_back": ("not read back: the evidence file changed or is missing",
                      "niet opnieuw gelezen: het bewijsbestand is gewijzigd of ontbreekt"),
    "download_short": ("D", "D"),
    "end_of_report": ("End of report", "Einde van het rapport"),
}

# Added for the answer on page 1, the evidence status, the evidence of every figure and the wording of values
# the analysis writes (enumerations, tool sentences). Keys with a prefix and a value are looked up as
# f"{prefix}_{value}" (see Strings.enum).
_ADDED: dict[str, tuple[str, str]] = {
    "answer": ("The answer", "Het antwoord"),
    "answer_intro": ("When the file was reachable and who obtained a complete copy, from the web-server logs. "
                     "Times in UTC, with local time ({zone}) beneath.",
                     "Wanneer het bestand bereikbaar was en wie een volledige kopie verkreeg, uit de logs van de "
                     "webserver. Tijden in UTC, met de lokale tijd ({zone}) eronder."),
    "size_how": ("how known", "hoe bepaald"),
    "internal_apart": ("complete downloads from the organisation's own addresses, counted apart",
                       "volledige downloads vanaf eigen adressen van de organisatie, apart geteld"),
    "no_windows": ("The file was never available in the logs: no exposure window.",
                   "Het bestand was in de logs nooit beschikbaar: geen blootstellingsvenster."),
    "windows_n": ("{n:# exposure window|# exposure windows}", "{n:# blootstellingsvenster|# blootstellingsvensters}"),
    "bound_evidence": ("Each time links to the log line that shows it.",
                       "Elk tijdstip verwijst naar de logregel waaruit het blijkt."),
    # evidence status
    "status_title": ("Evidence status", "Status van het bewijs"),
    "status_nothing_found": ("Nothing found about the evidence: {n} kinds of finding were looked for (damage, "
                             "unreadable files, gaps, overlapping copies, duplicates, rejected lines and others: "
                             "section 7) and none was found.",
                             "Niets gevonden over het bewijs: naar {n} soorten bevindingen is gezocht (beschadiging, "
                             "onleesbare bestanden, hiaten, overlappende kopieën, duplicaten, afgewezen regels en "
                             "andere: hoofdstuk 7) en geen ervan is gevonden."),
    "status_no_caveat": ("The answer has no caveat.", "Het antwoord heeft geen kanttekening."),
    "status_complete": ("Complete: the answer rests on all evidence supplied.",
                        "Volledig: het antwoord berust op al het aangeleverde bewijs."),
    "status_incomplete": ("INCOMPLETE: part of the evidence could not be read or no longer matches; the answer "
                          "is made from what could be read.",
                          "ONVOLLEDIG: een deel van het bewijs kon niet worden gelezen of komt niet meer overeen; "
                          "het antwoord is gemaakt uit wat wel kon worden gelezen."),
    "status_incomplete_kinds": ("INCOMPLETE: {what}; the answer is made from what could be read.",
                                "ONVOLLEDIG: {what}; het antwoord is gemaakt uit wat wel kon worden gelezen."),
    # ... where nothing was left unread (evidence_status all_read: a damaged file proven a corrupted copy, a changed one)
    "status_incomplete_kinds_read": ("INCOMPLETE: {what}.", "ONVOLLEDIG: {what}."),
    "status_incomplete_changed": ("part of the evidence no longer matches what was ingested",
                                  "een deel van het bewijs komt niet meer overeen met wat is ingenomen"),
    "status_incomplete_unreadable": ("part of the evidence could not be read",
                                     "een deel van het bewijs kon niet worden gelezen"),
    "status_incomplete_damaged": ("part of the evidence is damaged (each file and what its damage does: below)",
                                  "een deel van het bewijs is beschadigd (elk bestand en wat de beschadiging doet: "
                                  "hieronder)"),
    # each status sentence counts the files it speaks of (n: evidence_status.incomplete_files), its verb agreeing
    "status_incomplete_truncated": ("part of the evidence is truncated: {n:a file ends|# files end} early (each file "
                                    "and what is lost: below)",
                                    "een deel van het bewijs is afgekapt: {n:een bestand houdt|# bestanden houden} "
                                    "voortijdig op (elk bestand en wat er ontbreekt: hieronder)"),
    "status_incomplete_changing": ("{n:a file changed while it was|# files changed while they were} read (each file "
                                   "and what that does: below)",
                                   "{n:een bestand veranderde terwijl het werd|# bestanden veranderden terwijl ze "
                                   "werden} gelezen (elk bestand en wat dat doet: hieronder)"),
    "status_incomplete_joined": ("{n:a file holds|# files hold} lines joined to further lines, whose requests are "
                                 "not counted",
                                 "{n:een bestand bevat|# bestanden bevatten} regels waaraan verdere regels "
                                 "vastzitten, waarvan de verzoeken niet meetellen"),
    "status_files": ("{total:# evidence file|# evidence files}; {verified} re-hashed now and equal to the SHA-256 "
                     "at ingest",
                     "{total:# bewijsbestand|# bewijsbestanden}; {verified} nu opnieuw gehasht en gelijk aan de SHA-256 bij inname"),
    "status_files_unchecked": ("{total:# evidence file|# evidence files}; not re-hashed by this command (see "
                               "exposure verify)",
                               "{total:# bewijsbestand|# bewijsbestanden}; niet opnieuw gehasht door deze opdracht (zie exposure "
                               "verify)"),
    "status_n_changed": ("{n} changed", "{n} gewijzigd"),
    "status_n_missing": ("{n} missing", "{n} ontbrekend"),
    "not_checked": ("not checked", "niet gecontroleerd"),
    "effect": ("Effect on the answer", "Gevolg voor het antwoord"),
    "severity_incomplete": ("incomplete: the answer lacks part of this evidence",
                            "onvolledig: het antwoord mist een deel van dit bewijs"),
    "severity_stated": ("stated: resolved or reported; the answer is whole",
                        "vermeld: opgelost of gemeld; het antwoord is heel"),
    "findings": ("Findings about the evidence", "Bevindingen over het bewijs"),
    "findings_intro": ("Everything the tool found about the evidence files, with its effect on the answer. Page 1 "
                       "counts these; a kind not listed was looked for and not found.",
                       "Alles wat het programma over de bewijsbestanden vond, met het gevolg voor het antwoord. "
                       "Pagina 1 telt deze; een soort die hier niet staat is gezocht en niet gevonden."),
    "and_more": ("and {n} more (see the evidence register)", "en nog {n} (zie het bewijsregister)"),
    "finding_case changed outside exposure": ("case file changed outside exposure",
                                              "zaakbestand buiten exposure gewijzigd"),
    "finding_text_case changed outside exposure": (
        "The seal of the case file does not hold: rows, registry entries or the activity log were changed after "
        "exposure sealed them (first page: what differs; the evidence register, section 9, and exposure verify name every difference). The figures "
        "come from what the case holds now.",
        "Het zegel van het zaakbestand klopt niet: regels, registerregels of het activiteitenlog zijn gewijzigd "
        "nadat exposure ze verzegelde (eerste pagina: wat verschilt; het bewijsregister, hoofdstuk 9, en exposure verify noemen elk verschil). De "
        "cijfers komen uit wat de zaak nu bevat."),
    "finding_changed since ingest": ("changed since ingest", "gewijzigd sinds inname"),
    "finding_missing": ("missing", "ontbrekend"),
    "finding_damaged": ("damaged", "beschadigd"),
    "finding_truncated": ("truncated", "afgekapt"),
    "finding_empty compressed": ("empty compressed files", "lege gecomprimeerde bestanden"),
    "finding_joined lines": ("joined lines", "samengevoegde regels"),
    "finding_changed during read": ("changed while read", "gewijzigd tijdens het lezen"),
    "finding_unreadable": ("unreadable", "onleesbaar"),
    "finding_all lines rejected": ("every line rejected", "alle regels afgewezen"),
    "finding_prefixed lines": ("lines behind a prefix", "regels achter een voorvoegsel"),
    "finding_glued lines": ("lines holding another line", "regels die een andere regel bevatten"),
    "finding_gap in window": ("gaps inside a window", "hiaten binnen een venster"),
    "finding_overlap": ("overlapping copies", "overlappende kopieën"),
    "finding_duplicate": ("duplicates", "duplicaten"),
    "finding_not a log": ("not a log", "geen log"),
    "finding_interrupted command": ("commands interrupted", "onderbroken opdrachten"),
    "finding_possible copy": ("possible copies under other names", "mogelijke kopieën onder andere namen"),
    "finding_suspicious size": ("suspicious size", "verdachte grootte"),
    "finding_gap": ("gaps outside a window", "hiaten buiten een venster"),
    "finding_presumed take": ("server logs taken for a copy", "serverlogs als kopie opgevat"),
    "finding_stray time": ("lines dated far from the lines around them", "regels ver van de regels eromheen gedateerd"),
    "ran_back": ("{length} back", "{length} terug"),
    "finding_time ran back": ("time running back in a file", "tijd die terugloopt in een bestand"),
    "finding_cut off": ("last line cut off", "laatste regel afgebroken"),
    "finding_cut lines": ("lines cut off mid-file", "regels midden in het bestand afgebroken"),
    "finding_rejected lines": ("files with rejected lines", "bestanden met afgewezen regels"),
    "finding_read note": ("read notes", "leesnotities"),
    "finding_through a link": ("read through a link", "gelezen via een koppeling"),
    "finding_byte-order mark": ("byte-order marks", "byte-order marks"),
    "finding_inner byte-order marks": ("byte-order marks inside a file", "byte-order marks binnen een bestand"),
    "finding_not utf-8": ("bytes that are not UTF-8", "bytes die geen UTF-8 zijn"),
    "finding_not canonical address": ("addresses not written as servers write them",
                                      "adressen niet geschreven zoals servers ze schrijven"),
    "finding_client not forwarded": ("clients not from X-Forwarded-For", "cliënten niet uit X-Forwarded-For"),
    "finding_inferred stream": ("streams inferred", "logstromen afgeleid"),
    "finding_no byte counts": ("no byte counts logged", "geen bytetellingen gelogd"),
    "finding_assumed bytes": ("byte counts assumed", "bytetellingen aangenomen"),
    "finding_assumed zone": ("time zone assumed", "tijdzone aangenomen"),
    "finding_zone not applied": ("--log-tz applied to no line", "--log-tz op geen regel toegepast"),
    "finding_ambiguous time": ("times in the hour the clocks go back", "tijden in het uur dat de klok teruggaat"),
    "finding_nonexistent time": ("times that never existed in the zone given", "tijden die in de opgegeven zone nooit bestonden"),
    "finding_inferred bytes": ("byte counts inferred", "bytetellingen afgeleid"),
    "finding_text_suspicious size": ("Content past the size rule: hashed, not parsed; its lines are missing from "
                                     "the answer.",
                                     "Inhoud voorbij de grootteregel: gehasht, niet ontleed; de regels ontbreken in "
                                     "het antwoord."),
    "finding_text_gap": ("Periods longer than their stream's threshold (at least {minutes} minutes) without a "
                         "single log line, outside every window: said, not counted against the answer.",
                         "Perioden langer dan de drempel van hun logstroom (minstens {minutes} minuten) zonder één "
                         "logregel, buiten elk venster: vermeld, niet tegen het antwoord geteld."),
    "finding_text_presumed take": ("A file under a server's name holds nothing but lines of another log stream, "
                                   "from the first line of one of that stream's files on, with none of that file's "
                                   "lines before its last one left out: it is taken to be a copy of that log, and "
                                   "the time after its last line no gap; an inference: if it is a server's own log, "
                                   "that server logged nothing then.",
                                   "Een bestand met de naam van een server bevat alleen regels van een andere "
                                   "logstroom, vanaf de eerste regel van een van de bestanden van die stroom, "
                                   "zonder een regel van dat bestand vóór de laatste over te slaan: het wordt als "
                                   "kopie van die log opgevat, en de tijd na de laatste regel als geen hiaat; een "
                                   "afleiding: is het de eigen log van een server, dan logde die server in die tijd "
                                   "niets."),
    "finding_text_time ran back": ("A file's UTC time steps back by more than 10 minutes and the lines after stay "
                                   "back, within the file or from the end of its stream's earlier files to its "
                                   "start: the server's clock was set back, or two servers' lines are mixed in "
                                   "one file or one stream. The times around the step, and the windows and gaps made "
                                   "of them, are suspect.",
                                   "De UTC-tijd in een bestand springt meer dan 10 minuten terug en de regels erna "
                                   "blijven achter, binnen het bestand of van het einde van de eerdere "
                                   "bestanden van zijn logstroom naar zijn begin: de klok van de server is "
                                   "teruggezet, of de regels van twee servers staan door elkaar in één bestand of "
                                   "één logstroom. De tijden rond de sprong, en de vensters en hiaten die ze vormen, "
                                   "zijn verdacht."),
    "finding_text_stray time": ("A line is dated more than a day from both the line before and the line after "
                                "it (a year 1970 or 2099: a broken clock, or a line from elsewhere). It counts as "
                                "dated; a window, download or gap made of it is suspect.",
                                "Een regel is meer dan een dag verwijderd gedateerd van zowel de regel ervoor als "
                                "die erna (een jaar 1970 of 2099: een kapotte klok, of een regel van elders). Hij telt "
                                "zoals gedateerd; een venster, download of hiaat dat ermee gevormd is, is verdacht."),
    "finding_text_cut lines": ("A line of a combined file ends in its byte count, without the referrer and user "
                               "agent every line around it has: it was cut off mid-line and the rest of it lost. It "
                               "is counted as its request, its delivered bytes unknown (undetermined).",
                               "Een regel van een combined-bestand eindigt na het aantal bytes, zonder de referrer "
                               "en user agent die de regels eromheen hebben: hij is halverwege afgebroken en de rest "
                               "ervan is verloren. Hij telt als verzoek, het aantal geleverde bytes onbekend "
                               "(onbepaald)."),
    "finding_text_cut off": ("A plain-text copy stops mid-line: its last line is counted with the field the cut fell "
                             "in marked (a byte count that may be cut: undetermined), or rejected with its reason; "
                             "the rest is read in full.",
                             "Een platte-tekstkopie stopt halverwege een regel: de laatste regel is geteld met het "
                             "veld waarin de afbreking viel gemarkeerd (een aantal bytes dat afgebroken kan zijn: "
                             "onbepaald), of afgewezen met de reden; de rest is volledig gelezen."),
    "finding_text_rejected lines": ("Some lines of the file were rejected, each with its reason (see the rejected "
                                    "lines).",
                                    "Enkele regels van het bestand zijn afgewezen, elk met de reden (zie de "
                                    "afgewezen regels)."),
    "finding_text_read note": ("Noted while reading, without damage (padding after a compressed stream, a file "
                               "touched but unchanged while read).",
                               "Bij het lezen opgemerkt, zonder schade (opvulling na een gecomprimeerde stroom, een "
                               "bestand aangeraakt maar onveranderd tijdens het lezen)."),
    "finding_text_through a link": ("A file was reached through a symbolic link: the file read is where the link "
                                    "resolved when it was ingested, which may lie outside the folder given "
                                    "(exposure verify names a link that resolves elsewhere since).",
                                    "Een bestand is bereikt via een symbolische koppeling: het gelezen bestand is "
                                    "waar de koppeling bij inname naar wees, mogelijk buiten de opgegeven map "
                                    "(exposure verify meldt een koppeling die sindsdien elders heen wijst)."),
    "finding_text_byte-order mark": ("A UTF-8 byte-order mark was taken off before parsing.",
                                     "Een UTF-8 byte-order mark is vóór het ontleden verwijderd."),
    "finding_text_not utf-8": ("Lines held bytes that are not UTF-8 (another encoding, such as Latin-1): the report "
                               "shows U+FFFD in their place; the bytes as logged are in the evidence file.",
                               "Regels bevatten bytes die geen UTF-8 zijn (een andere codering, zoals Latin-1): het "
                               "rapport toont U+FFFD op hun plaats; de bytes zoals gelogd staan in het bewijsbestand."),
    "finding_text_not canonical address": (
        "Clients were written in digits and dots that are no IPv4 address as a server writes one (a leading zero: "
        "010.001.002.003): a sign of an altered log or of another tool's. Each is counted as written, as a client of "
        "its own, and never located or joined with an address it may stand for (010 is 10 read as decimal, 8 as "
        "octal).",
        "Cliënten zijn geschreven in cijfers en punten die geen IPv4-adres zijn zoals een server dat schrijft (een "
        "voorloopnul: 010.001.002.003): een teken van een bewerkte log of van een ander programma. Elk is geteld "
        "zoals geschreven, als eigen cliënt, en nooit gelokaliseerd of samengevoegd met een adres waarvoor het kan "
        "staan (010 is 10 decimaal gelezen, 8 octaal)."),
    "finding_text_inner byte-order marks": ("Lines inside a file began with a UTF-8 byte-order mark (files joined end "
                                            "to end?): each mark was taken off before parsing.",
                                            "Regels binnen een bestand begonnen met een UTF-8 byte-order mark "
                                            "(bestanden aan elkaar gevoegd?): elk teken is vóór het ontleden "
                                            "verwijderd."),
    "finding_text_client not forwarded": (
        "--client-ip-from xff was given, but some requests of the file carry no X-Forwarded-For address (no such "
        "field, or '-') or came from an address that is not a trusted proxy: their client is the connecting "
        "address, an inference (where they came through the proxy, that is the proxy's address).",
        "--client-ip-from xff is opgegeven, maar sommige verzoeken in het bestand hebben geen X-Forwarded-For-adres "
        "(geen zulk veld, of '-') of kwamen van een adres dat geen vertrouwde proxy is: hun cliënt is het "
        "verbindende adres, een afleiding (waar ze via de proxy kwamen, is dat het adres van de proxy)."),
    "finding_text_inferred stream": ("A file's log stream was inferred from its content where its name was "
                                     "silent, or from the file whose lines it repeats or that repeats all of its "
                                     "request lines.",
                                     "De logstroom van een bestand is afgeleid uit de inhoud waar de naam niets zei, "
                                     "of uit het bestand waarvan het de regels herhaalt of dat al zijn "
                                     "verzoekregels herhaalt."),
    "finding_text_no byte counts": ("Requests logged without a byte count (IIS 8.5-10 by default): what they "
                                    "delivered is unknown; those the log marks as cut short are partial, those it marks "
                                    "as sent in full (IIS sc-win32-status 0) complete, the rest undetermined unless "
                                    "logged range offsets cover the file.",
                                    "Verzoeken zonder bytetelling gelogd (IIS 8.5-10 standaard): wat ze leverden is "
                                    "onbekend; wat de log als afgebroken markeert is gedeeltelijk, wat hij als geheel "
                                    "verzonden markeert (IIS sc-win32-status 0) volledig, de rest onbepaald tenzij "
                                    "gelogde offsets van deelverzoeken het hele bestand dekken."),
    "finding_text_nonexistent time": ("Times read with --log-tz in the hour the clocks go forward, a local time that "
                                      "never existed in that zone: a server keeping it never writes one, so its clock "
                                      "may not have kept the zone given and every time of the file may be off (check "
                                      "--log-tz).",
                                      "Tijden gelezen met --log-tz in het uur dat de klok vooruitgaat, een lokale tijd "
                                      "die in die zone nooit bestond: een server die de zone aanhoudt schrijft die "
                                      "nooit, dus zijn klok hield de opgegeven zone mogelijk niet aan en elke tijd van "
                                      "het bestand kan verschoven zijn (controleer --log-tz)."),
    "finding_text_ambiguous time": ("Times read with --log-tz in the hour the clocks go back (the zone's own span, "
                                    "written twice: each file's finding names it): every such line is read as the "
                                    "earlier instant and stays there; "
                                    "where a file's line order suggests lines of the second pass, an hour later, "
                                    "their number is said (an inference: not applied; each file's counts are in its "
                                    "finding).",
                                    "Tijden gelezen met --log-tz in het uur dat de klok teruggaat (de eigen periode van de "
                                    "zone, twee keer geschreven: de bevinding van elk bestand noemt die): elke zulke regel is gelezen als het eerdere moment en "
                                    "blijft dat; waar de regelvolgorde van een bestand regels van de tweede doorgang "
                                    "suggereert, een uur later, staat hun aantal erbij (een afleiding: niet toegepast; "
                                    "de aantallen per bestand staan in zijn bevinding)."),
    "finding_text_zone not applied": ("Files read with --log-tz whose times all carry their own UTC offset or are "
                                      "UTC by their format (W3C/IIS date and time, S3, CloudFront): the zone was "
                                      "applied to none of their lines and changed nothing.",
                                      "Bestanden ingelezen met --log-tz waarvan alle tijden een eigen UTC-offset "
                                      "hebben of UTC zijn volgens hun formaat (W3C/IIS date en time, S3, "
                                      "CloudFront): de tijdzone is op geen van hun regels toegepast en veranderde "
                                      "niets."),
    "finding_text_assumed zone": ("Times logged without a UTC offset, or with a zone name exposure does not read "
                                  "as an offset (each file's names are in its finding), were read as UTC, no --log-tz having been "
                                  "given: the zone is an assumption, each such time off by the server's offset where "
                                  "it did not log UTC.",
                                  "Tijden zonder UTC-offset, of met een zonenaam die exposure niet als offset leest "
                                  "(de namen staan per bestand in zijn bevinding), zijn als UTC gelezen, zonder --log-tz: de tijdzone is een "
                                  "aanname, elk zo'n tijdstip verschoven met de offset van de server waar die niet in "
                                  "UTC logde."),
    "finding_text_assumed bytes": ("What a stream's byte counts cover could not be decided from the data and was "
                                   "assumed (see the method; --bytes states it).",
                                   "Wat de bytetellingen van een logstroom omvatten was niet uit de gegevens af te "
                                   "leiden en is aangenomen (zie de methode; --bytes legt het vast)."),
    "finding_text_inferred bytes": ("What a stream's byte counts cover was inferred from the data (see the "
                                    "method).",
                                    "Wat de bytetellingen van een logstroom omvatten is afgeleid uit de gegevens "
                                    "(zie de methode)."),
    "finding_text_changed since ingest": (
        "The file on disk no longer has the SHA-256 recorded at ingest. The figures come from the content hashed "
        "at ingest; its raw lines are not read back.",
        "Het bestand op schijf heeft niet meer de SHA-256 die bij inname is vastgelegd. De cijfers komen uit de "
        "inhoud die bij inname is gehasht; de ruwe regels worden niet opnieuw gelezen."),
    "finding_text_missing": ("The file is no longer at the path recorded at ingest.",
                             "Het bestand staat niet meer op het pad dat bij inname is vastgelegd."),
    "finding_text_damaged": ("A file's content is damaged (a compressed stream that does not decode, a failed "
                             "CRC check, NUL bytes in place of lines): every line that could be read is counted; "
                             "what the damage lost is missing from the answer, and a line it altered is counted as "
                             "read, each download resting on it marked as from a damaged file; but where a gzip "
                             "member is proven by its own CRC-32 a corrupted copy of an intact file's bytes (CRC-32 "
                             "detects accidental change, not an attacker's), its altered lines are rejected and the "
                             "intact file's lines are counted.",
                             "De inhoud van een bestand is beschadigd (een gecomprimeerde stroom die niet te "
                             "decoderen is, een mislukte CRC-controle, NUL-bytes op de plaats van regels): elke "
                             "regel die kon worden gelezen is geteld; wat de beschadiging verloor ontbreekt in het "
                             "antwoord, en een regel die zij veranderde telt zoals gelezen, elke download die erop "
                             "rust gemarkeerd als uit een beschadigd bestand; maar waar een gzip-member door zijn "
                             "eigen CRC-32 bewezen een beschadigde kopie is van de bytes van een intact bestand "
                             "(CRC-32 ontdekt toevallige verandering, niet die van een aanvaller), worden de "
                             "veranderde regels afgewezen en tellen de regels van het intacte bestand."),
    "finding_text_empty compressed": ("A file named as compressed (.gz, .bz2) holds 0 bytes, which no compressor "
                                      "writes: likely a copy cut to nothing; what it held is missing from the "
                                      "answer.",
                                      "Een bestand met een naam als gecomprimeerd (.gz, .bz2) bevat 0 bytes, wat geen "
                                      "compressieprogramma schrijft: waarschijnlijk een tot niets afgekapte kopie; "
                                      "wat erin stond ontbreekt in het antwoord."),
    "finding_text_truncated": ("The file ends early: the lines after the cut are missing from the answer.",
                               "Het bestand houdt te vroeg op: de regels na het afkappunt ontbreken in het "
                               "antwoord."),
    "finding_text_joined lines": ("Lines of the file hold further log lines after a raw carriage return (a line "
                                  "feed in a file whose lines end at CR), which no server writes inside a line: "
                                  "files with other line ends were joined, or the file was converted in part. The "
                                  "requests inside such lines are not counted: the answer may miss downloads.",
                                  "Regels van het bestand bevatten verdere logregels na een losse carriage return "
                                  "(een line feed in een bestand waarvan de regels op CR eindigen), die geen server "
                                  "midden in een regel schrijft: bestanden met andere regeleinden zijn "
                                  "samengevoegd, of het bestand is deels omgezet. De verzoeken in zulke regels "
                                  "tellen niet mee: het antwoord kan downloads missen."),
    "finding_text_changed during read": ("The file changed while it was read: what was read is counted, as "
                                         "hashed.",
                                         "Het bestand veranderde tijdens het lezen: wat gelezen is telt mee, zoals "
                                         "gehasht."),
    "finding_text_unreadable": ("The file or folder could not be read at all.",
                                "Het bestand of de map kon helemaal niet worden gelezen."),
    "finding_text_glued lines": ("Lines of the file hold the start of another log line: two lines were written "
                                 "without a newline between them (concurrent writers, a copy spliced together). "
                                 "They were rejected, the requests inside them not counted: the answer may miss "
                                 "downloads.",
                                 "Regels van het bestand bevatten het begin van een andere logregel: twee regels "
                                 "zijn zonder regeleinde ertussen geschreven (gelijktijdige schrijvers, een kopie "
                                 "aan elkaar geplakt). Ze zijn afgewezen, de verzoeken erin niet geteld: het "
                                 "antwoord kan downloads missen."),
    "finding_text_prefixed lines": ("Access lines stand behind a prefix a relay or a tool wrote (syslog, docker, "
                                    "kubectl): they were rejected, their requests not counted.",
                                    "Toegangsregels staan achter een voorvoegsel dat een doorgever of een hulpmiddel "
                                    "schreef (syslog, docker, kubectl): ze zijn afgewezen, hun verzoeken niet geteld."),
    "finding_text_all lines rejected": ("No line of the file could be parsed: probably another format.",
                                        "Geen enkele regel van het bestand kon worden ontleed: waarschijnlijk een "
                                        "ander formaat."),
    "finding_text_gap in window": ("Periods longer than their log stream's threshold (at least {minutes} minutes) "
                                   "without a single log line while the file was available: downloads then cannot "
                                   "be ruled out.",
                                   "Perioden langer dan de drempel van hun logstroom (minstens {minutes} minuten) "
                                   "zonder één logregel terwijl het bestand beschikbaar was: downloads in die tijd zijn niet uit te "
                                   "sluiten."),
    "finding_text_overlap": ("Request lines repeated in a later file, or later in the same file (a copy, a "
                             "rotation overlap, a file joined to itself), are counted once.",
                             "Verzoekregels die in een later bestand, of verderop in hetzelfde bestand, terugkomen "
                             "(een kopie, overlap bij rotatie, een bestand dat aan zichzelf is vastgeplakt) tellen "
                             "één keer."),
    "finding_text_duplicate": ("The same content as another file: counted once.",
                               "Dezelfde inhoud als een ander bestand: één keer geteld."),
    "finding_text_not a log": ("Not an access log: not analysed.", "Geen toegangslog: niet geanalyseerd."),
    "finding_text_interrupted command": (
        "A command that wrote to the case did not finish (killed or interrupted); the next command that opened the "
        "case recovered it: what it had stored, and what was worked out again and sealed, is in its activity entry.",
        "Een opdracht die naar de zaak schreef werd niet afgemaakt (afgebroken of onderbroken); de volgende opdracht "
        "die de zaak opende herstelde dat: wat er was opgeslagen, en wat opnieuw is afgeleid en verzegeld, staat in "
        "de bijbehorende activiteitsregel."),
    "finding_text_possible copy": ("Other paths answered with the file's size while it was available, or are its "
                                   "path spelled another way: perhaps more copies of the same file, not counted in "
                                   "the figures.",
                                   "Andere paden antwoordden met de grootte van het bestand terwijl het beschikbaar "
                                   "was, of zijn het pad ervan anders gespeld: mogelijk meer kopieën van hetzelfde "
                                   "bestand, niet meegeteld in de cijfers."),
    # page 1's line for possible copies: what the listed copies matched (queries/possible_copies.sql size_match),
    # one clause per kind found, then the end (report/model.py _copies_text)
    "copy_text_exact": ("Other paths answered with exactly the file's size while it was available: probably more "
                        "copies of the same file",
                        "Andere paden antwoordden met precies de grootte van het bestand terwijl het beschikbaar "
                        "was: waarschijnlijk meer kopieën van hetzelfde bestand"),
    "copy_text_band": ("Other paths answered within the file's complete-transfer band (byte counts include headers) "
                       "while it was available: probably more copies of the same file",
                       "Andere paden antwoordden binnen de band van volledige overdrachten van het bestand "
                       "(aantallen bytes bevatten headers) terwijl het beschikbaar was: waarschijnlijk meer kopieën "
                       "van hetzelfde bestand"),
    "copy_text_exact_band": ("Other paths answered with the file's size (exactly, or within its complete-transfer "
                             "band where byte counts include headers) while it was available: probably more copies "
                             "of the same file",
                             "Andere paden antwoordden met de grootte van het bestand (precies, of binnen de band "
                             "van volledige overdrachten waar aantallen bytes headers bevatten) terwijl het "
                             "beschikbaar was: waarschijnlijk meer kopieën van hetzelfde bestand"),
    "copy_text_spelling": ("{other} the file's path spelled another way that a server may serve as the file (a doubled "
                           "slash, ;parameters ...), whatever its size and time: perhaps downloads of the file",
                           "{other} het pad van het bestand anders gespeld, zoals een server het als het bestand "
                           "kan serveren (een dubbele slash, ;parameters ...), ongeacht grootte en tijd: "
                           "mogelijk downloads van het bestand"),
    "copy_text_spelling_only": ("Other paths are", "Andere paden zijn"),
    "copy_text_spelling_also": ("; others are", "; andere zijn"),
    "copy_text_end": (", not counted in the figures.", ", niet meegeteld in de cijfers."),
    # where a copy's requests are as much another copy's (possible_copies.sql shared_requests): said, not summed
    "copy_text_shared": (" Some of their requests are as much another copy's (a server that ignores case logged "
                         "them so): copies given together as --alias count them once.",
                         " Sommige van hun verzoeken zijn evengoed die van een andere kopie (een server die "
                         "hoofdletters negeert logde ze zo): samen als --alias gegeven tellen ze één keer mee."),
    # where a copy's requests are as much another target's of the run (shared_with): counted in it, no --alias
    "copy_text_shared_target": (" Some of their requests are as much another target's of this report (a server "
                                "that ignores case logged them so): counted in that target.",
                                " Sommige van hun verzoeken zijn evengoed die van een ander doelbestand van dit "
                                "rapport (een server die hoofdletters negeert logde ze zo): geteld bij dat "
                                "doelbestand."),
    # a copy's table cell (possible_copies.sql target_shared_requests, shared_requests, shared_with)
    "copy_target_shared": ("{n:# request|# requests} of the target's own left out",
                           "{n:# verzoek|# verzoeken} van het doelbestand zelf weggelaten"),
    "copy_shared": ("{n:# request is|# requests are} as much {others}'s",
                    "{n:# verzoek is|# verzoeken zijn} evengoed van {others}"),
    "copy_shared_target": ("counted in target {targets}", "geteld bij doelbestand {targets}"),
    # a possible copy's finding (report/findingwords.py possible_copy; the English is evidence_status._copy_text's)
    "copy_said_sized": ("served with a target's exact size (or within its complete-transfer band) while it was "
                        "available",
                        "geserveerd met de exacte grootte van een doelbestand (of binnen zijn band van volledige "
                        "overdrachten) terwijl het beschikbaar was"),
    "copy_said_spelling": ("a target's path spelled another way that a server may serve as the target (a doubled "
                           "slash, a ./ or x/../ segment, ;parameters, a trailing dot or blank, a backslash, letters "
                           "decomposed: NFD)",
                           "het pad van een doelbestand anders gespeld, dat een server als het doelbestand kan "
                           "serveren (een dubbele schuine streep, een ./- of x/../-deel, ;parameters, een punt of "
                           "spatie aan het eind, een backslash, letters ontleed: NFD)"),
    "copy_said_probably": ("probably another copy of the same file", "waarschijnlijk een andere kopie van hetzelfde "
                                                                     "bestand"),
    "copy_said_perhaps": ("perhaps downloads of the target", "misschien downloads van het doelbestand"),
    "copy_said_not_counted": ("not counted in the figures (--alias PATH counts it)",
                              "niet meegeteld in de cijfers (--alias PAD telt het mee)"),
    "copy_said_complete": ("with {n:# complete download|# complete downloads} by its own windows",
                           "met {n:# volledige download|# volledige downloads} in de eigen vensters"),
    "copy_said_for": ("for target {target}: ", "voor doelbestand {target}: "),
    "copy_is_target": ("a target of this report: counted in its own section",
                       "een doelbestand van dit rapport: geteld in zijn eigen onderdeel"),
    "overlap_file": ("Later file (not counted again)", "Later bestand (niet opnieuw geteld)"),
    "overlap_kept": ("Counted in", "Geteld in"),
    "line_range": ("lines {first}–{last}", "regels {first}–{last}"),
    # figures and their tables
    "requests_parsed": ("Requests", "Verzoeken"),
    "req_table": ("Every request for the file", "Elk verzoek om het bestand"),
    "req_table_intro": ("Every logged request for the file, external and own addresses, in time order. "
                        "'Counted in' names the figure of the summary each row counts towards: external rows make "
                        "up the requests figure; HEAD rows, 304 rows and rows with status 400 and up (external) "
                        "make up the HEAD, 304 and error figures.",
                        "Elk gelogd verzoek om het bestand, van externe en eigen adressen, in tijdsvolgorde. "
                        "'Telt in' noemt het cijfer uit de samenvatting waaraan de regel bijdraagt: externe regels "
                        "vormen het aantal verzoeken; HEAD-regels, 304-regels en regels met status 400 en hoger "
                        "(extern) vormen de cijfers voor HEAD, 304 en fouten."),
    "not_paged": ("{total:The # row of this table for this file is|The # rows of this table for this file are} not "
                  "on these pages: the report's tables hold {budget} rows each, given to files with the most complete downloads first, then in the "
                  "order of the files, and this file's did not fit; all of them are in {file}.",
                  "{total:De # rij van deze tabel voor dit bestand staat|De # rijen van deze tabel voor dit bestand "
                  "staan} niet op deze pagina's: elke tabel van "
                  "het rapport heeft {budget} rijen, eerst voor bestanden met de meeste volledige downloads, dan in de volgorde van "
                  "de bestanden, en die van dit bestand pasten er niet meer in; ze staan allemaal in {file}."),
    # a file past the page budget (model.page_shares): its timeline keeps its window rows, its downloads are not shown
    "timeline_not_paged": ("{total:Its # download is|Its # downloads are} not in this timeline (its rows here are its "
                           "windows): the report's tables hold {budget} rows each, given to files with the most "
                           "complete downloads first, and this file's did not fit; all of them are in {file}.",
                           "{total:Zijn # download staat|Zijn # downloads staan} niet in deze tijdlijn (de rijen hier "
                           "zijn de vensters): elke tabel van het rapport heeft {budget} rijen, eerst voor bestanden "
                           "met de meeste volledige downloads, en die van dit bestand pasten er niet meer in; ze staan "
                           "allemaal in {file}."),
    "raw_not_paged": ("The raw lines of {total:its # download are|its # downloads are} not shown here (this file's "
                      "tables did not fit in the report's {budget} rows); {file} (listed with its SHA-256 in "
                      "MANIFEST.sha256) has the verbatim line, file, line number, byte offset and file SHA-256 of "
                      "every one.",
                      "De ruwe regels van {total:zijn # download|zijn # downloads} staan hier niet (de tabellen van "
                      "dit bestand pasten niet in de {budget} rijen van het rapport); {file} (met zijn SHA-256 in "
                      "MANIFEST.sha256) heeft van elke regel de letterlijke tekst, het bestand, het regelnummer, de "
                      "byte-positie en de SHA-256 van het bestand."),
    "files_not_paged": ("The tables of {n} of {total} files are not on these pages: each table holds {budget} rows, "
                        "given to files with the most complete downloads first, then in the order of the files; each of "
                        "them says where its rows are (downloads.csv, timeline.csv, requests.csv, referrers.csv, "
                        "analysis.json). Their figures are in section 1.",
                        "De tabellen van {n} van {total} bestanden staan niet op deze pagina's: elke tabel heeft "
                        "{budget} rijen, eerst voor bestanden met de meeste volledige downloads, dan in de volgorde van de "
                        "bestanden; bij elk staat waar de rijen staan (downloads.csv, timeline.csv, requests.csv, "
                        "referrers.csv, analysis.json). Hun cijfers staan in deel 1."),
    "spread_capped": ("The first {shown} of {total} rows of this group are shown (in the order of the spread "
                      "signals); all of them are in {file} (spread, per file).",
                      "De eerste {shown} van {total} rijen van deze groep staan hier (in de volgorde van de "
                      "verspreidingssignalen); alle staan in {file} (spread, per bestand)."),
    "referrers_capped": ("The first {shown} of {total} referrers (most requests first) are shown; all of them are "
                         "in {file}.",
                         "De eerste {shown} van {total} verwijzers (de meeste verzoeken eerst) staan hier; ze staan "
                         "allemaal in {file}."),
    "req_capped": ("The first {shown} of {total} requests are shown; all of them are in {file}.",
                   "De eerste {shown} van {total} verzoeken staan hier; ze staan allemaal in {file}."),
    "downloads_capped": ("The first {shown} of {total} downloads are shown here, in the timeline and in the raw "
                         "lines of the appendix; all of them are in {file}.",
                         "De eerste {shown} van {total} downloads staan hier, in de tijdlijn en bij de ruwe regels "
                         "in de bijlage; ze staan allemaal in {file}."),
    "raw_capped": ("The raw lines of the first {shown} of {total} downloads are shown here; {file} (listed with its "
                   "SHA-256 in MANIFEST.sha256) has the verbatim line, file, line number, byte offset and file "
                   "SHA-256 of every one.",
                   "De ruwe regels van de eerste {shown} van {total} downloads staan hier; {file} (met zijn SHA-256 "
                   "in MANIFEST.sha256) heeft van elke download de letterlijke regel, het bestand, het regelnummer, "
                   "de byte-positie en de SHA-256 van het bestand."),
    "per_ip_capped": ("The first {shown} of {total} addresses in the order of the table (most complete downloads "
                      "first, then most partial, then the earliest seen) are shown; all of them are in {file} (per_ip).",
                      "De eerste {shown} van {total} adressen in de volgorde van de tabel (de meeste volledige "
                      "downloads eerst, dan de meeste gedeeltelijke, dan de vroegst geziene) staan hier; ze staan "
                      "allemaal in {file} (per_ip)."),
    "http_method": ("Method", "Methode"),
    "status": ("Status", "Status"),
    "counted_in": ("Counted in", "Telt in"),
    "in_head": ("HEAD", "HEAD"),
    "in_304": ("304", "304"),
    "in_error": ("error", "fout"),
    "in_requests": ("requests", "verzoeken"),
    "figure_backing": ("Backed by", "Onderbouwd door"),
    "row_filter_complete": ("rows 'complete', not own", "rijen 'volledig', niet eigen"),
    "row_filter_cdn": ("rows 'complete' of class 'CDN cache fill', not own",
                       "rijen 'volledig' met klasse 'CDN vult cache', niet eigen"),
    "row_filter_partial": ("rows 'partial', not own", "rijen 'gedeeltelijk', niet eigen"),
    "row_filter_internal": ("rows 'complete' marked own", "rijen 'volledig' gemarkeerd als eigen"),
    "row_filter_undetermined": ("rows 'undetermined', not own", "rijen 'onbepaald', niet eigen"),
    "row_filter_ips": ("addresses with at least one complete download, not own",
                       "adressen met minstens één volledige download, niet eigen"),
    "row_filter_head": ("rows with method HEAD, not own", "rijen met methode HEAD, niet eigen"),
    "row_filter_304": ("rows with status 304, not own", "rijen met status 304, niet eigen"),
    "row_filter_errors": ("rows with status 400 and up, not own", "rijen met status 400 en hoger, niet eigen"),
    "row_filter_requests": ("rows not marked own", "rijen die niet als eigen zijn gemarkeerd"),
    "table_downloads": ("downloads table", "tabel met downloads"),
    "table_per_ip": ("per-address table", "tabel per adres"),
    "table_requests": ("table of every request", "tabel met elk verzoek"),
    "removal_note_some": ("Where a window closes, the file was removed at an unknown moment between its last "
                          "available and its first unavailable response.",
                          "Waar een venster sluit, is het bestand op een onbekend moment verwijderd tussen de "
                          "laatste beschikbare en de eerste onbeschikbare respons."),
    "window_bounds": ("Window boundaries", "Venstergrenzen"),
    "raw_downloads": ("Downloads", "Downloads"),
    "bound_first_available": ("first available", "eerst beschikbaar"),
    "bound_last_available": ("last available", "laatst beschikbaar"),
    "bound_first_unavailable": ("first unavailable", "eerst onbeschikbaar"),
    "window_short": ("W", "V"),
    "takedown_window": ("window {w}: between {last} and {first}", "venster {w}: tussen {last} en {first}"),
    "still_online_window": ("window {w}: still available when the logs end ({last})",
                            "venster {w}: nog beschikbaar bij het einde van de logs ({last})"),
    "characters": ("characters", "tekens"),
    "display_limits": ("Long values", "Lange waarden"),
    "display_limits_text": ("Values written by the clients (paths, user agents, referrers) are shown up to {field} "
                            "characters, raw log lines up to {raw}; a longer value is cut with the marker … and "
                            "its full length in brackets. The CSV files, analysis.json and the evidence files keep "
                            "every value whole. Control and direction characters are shown as escapes (\\x1b, "
                            "\\u202e).",
                            "Waarden die de clients schrijven (paden, user agents, verwijzers) staan hier tot {field} "
                            "tekens, ruwe logregels tot {raw}; een langere waarde is afgekapt met het teken … en de "
                            "volledige lengte tussen haken. De CSV-bestanden, analysis.json en de bewijsbestanden "
                            "bevatten elke waarde volledig. Stuur- en richtingstekens staan als escape "
                            "(\\x1b, \\u202e)."),
    "geo_table_kind": ("Database", "Database"),
    "build_date": ("Built (UTC)", "Gebouwd (UTC)"),
    "db_source": ("Source", "Bron"),
    "db_path": ("File", "Bestand"),
    "older_than_events": ("Older than the events", "Ouder dan de gebeurtenissen"),
    "db_kind_city": ("city", "plaats"),
    "db_kind_asn": ("network (ASN)", "netwerk (ASN)"),
    "db_source_option": ("option", "optie"),
    "db_source_environment": ("environment variable", "omgevingsvariabele"),
    "db_source_default": ("default (packaged)", "standaard (meegeleverd)"),
    "spread_group_archives": ("Web archives", "Webarchieven"),
    "spread_group_crawlers": ("Crawlers", "Crawlers"),
    "spread_group_link_previews": ("Link previews", "Linkvoorbeelden"),
    "client_name": ("Client", "Client"),
    "verification": ("Identity", "Identiteit"),
    "result_complete": ("complete", "volledig"),
    "result_partial": ("partial", "gedeeltelijk"),
    "result_undetermined": ("undetermined", "onbepaald"),
    "inferred_mark": (" (inferred)", " (afgeleid)"),
    "of_them_inferred": ("{n} inferred", "{n} afgeleid"),
    "kind_single": ("single response", "enkele respons"),
    "kind_range": ("range responses", "deelresponsen"),
    "size_rule_given": ("given by the investigator (--size)", "opgegeven door de onderzoeker (--size)"),
    "size_rule_object_size": ("the object size the log records with each response",
                              "de objectgrootte die de log bij elke respons vastlegt"),
    "size_rule_most_common": ("inferred from the logs: the byte counts of the window's 200 GET responses (the "
                              "largest that several addresses logged, else the most common)",
                              "afgeleid uit de logs: de aantallen bytes van de 200-GET-responsen in het venster (het "
                              "grootste dat meerdere adressen logden, anders het meest voorkomende)"),
    "size_rule_band": ("inferred from the logs: the densest band of transfer sizes (byte counts include headers)",
                       "afgeleid uit de logs: de dichtste band van overdrachtsgroottes (aantallen bytes inclusief "
                       "headers)"),
    # the band rule where the streams it was measured on are named after it (size_band_streams, their names)
    "size_rule_band_of": ("inferred from the logs: the densest band of transfer sizes",
                          "afgeleid uit de logs: de dichtste band van overdrachtsgroottes"),
    "size_band_streams": ("of the {n:stream|streams} whose byte counts include headers:",
                          "van de {n:logstroom|logstromen} waarvan de aantallen bytes headers bevatten:"),
    "size_votes_short": ("window {w}: {votes} of {sample}", "venster {w}: {votes} van {sample}"),
    "size_votes_short_floor": ("window {w}: {votes} of {sample}, undetermined from {floor} bytes",
                               "venster {w}: {votes} van {sample}, onbepaald vanaf {floor} bytes"),
    "size_per_window": ("differs per window", "verschilt per venster"),
    "size_unknown": ("unknown", "onbekend"),
    "net_public": ("public", "openbaar"),
    "net_private": ("private", "privé"),
    "net_shared": ("shared (carrier-grade NAT)", "gedeeld (carrier-grade NAT)"),
    "net_loopback": ("loopback", "lokaal (loopback)"),
    "net_link-local": ("link-local", "link-lokaal"),
    "net_reserved": ("reserved", "gereserveerd"),
    "net_hostname": ("host name", "hostnaam"),
    "net_not canonical": ("not canonical", "niet canoniek"),
    "verdict_ingested": ("ingested", "ingelezen"),
    "verdict_duplicate": ("duplicate", "duplicaat"),
    "verdict_unreadable": ("unreadable", "onleesbaar"),
    "bytes_body": ("body", "inhoud"),
    "bytes_headers+body": ("headers and body", "headers en inhoud"),
    "bytes_none": ("none logged", "niet gelogd"),
    "target_n": ("File {n}", "Bestand {n}"),
    "basis_declared": ("declared", "vastgelegd"),
    "basis_inferred": ("inferred", "afgeleid"),
    "basis_given": ("given", "opgegeven"),
    "basis_assumed": ("assumed", "aangenomen"),
    # possible copies under other names (queries/possible_copies.sql) and --alias
    "possible_copies": ("Possible copies under other names", "Mogelijke kopieën onder andere namen"),
    "possible_copies_intro": (
        "Other paths that answered a GET with exactly the file's size (where byte counts include headers: within "
        "its complete-transfer band) while the file was available. Each is probably one more copy of the same "
        "file, under the names people give copies. Their downloads are judged by the same rule over their own "
        "windows and are not part of the figures of this report; the option --alias PATH counts one as the file. "
        "Also listed: the file's path spelled another way that a server may serve as the file, at any time and "
        "whatever its size (size match: the target's path spelled another way): perhaps downloads of the file.",
        "Andere paden die een GET beantwoordden met precies de grootte van het bestand (waar aantallen bytes "
        "headers bevatten: binnen de band van volledige overdrachten) terwijl het bestand beschikbaar was. Elk is "
        "waarschijnlijk nog een kopie van hetzelfde bestand, onder de namen die mensen kopieën geven. Hun downloads "
        "zijn met dezelfde regel over hun eigen vensters beoordeeld en tellen niet mee in de cijfers van dit "
        "rapport; de optie --alias PATH telt er een mee als het bestand. Ook vermeld: het pad van het bestand "
        "anders gespeld, zoals een server het als het bestand kan serveren, op elk moment en ongeacht de grootte "
        "(overeenkomst: het pad van het doel anders gespeld): mogelijk downloads van het bestand."),
    "no_possible_copies": ("None found: no other path answered with the file's size while it was available.",
                           "Geen gevonden: geen ander pad antwoordde met de grootte van het bestand terwijl het "
                           "beschikbaar was."),
    "copy_path": ("Path", "Pad"),
    "size_match": ("Size match", "Overeenkomst in grootte"),
    "size_match_exact": ("exact", "exact"),
    "size_match_band": ("in the complete-transfer band", "in de band van volledige overdrachten"),
    "size_match_spelling": ("the target's path spelled another way", "het pad van het doel anders gespeld"),
    "matching_responses": ("Matching responses", "Overeenkomende responsen"),
    "copy_available": ("Available (its own windows)", "Beschikbaar (eigen vensters)"),
    "copy_lines_more": ("and {n} more in analysis.json", "en nog {n} in analysis.json"),
    "aliases": ("Counted as this file (--alias)", "Meegeteld als dit bestand (--alias)"),
    "aliases_intro": ("The investigator decided that these paths served the same file: their downloads count in "
                      "the figures, each marked with the path it came through.",
                      "De onderzoeker stelde vast dat deze paden hetzelfde bestand aanboden: hun downloads tellen "
                      "mee in de cijfers, elk gemarkeerd met het pad waarlangs ze liepen."),
    "via": ("via", "via"),
}
if _ADDED.keys() & _S.keys():  # one text per key: a second definition would silently replace the first
    raise RuntimeError(f"report texts defined twice: {sorted(_ADDED.keys() & _S.keys())}")
_S.update(_ADDED)

EN: dict[str, str] = {k: v[0] for k, v in _S.items()}
NL: dict[str, str] = {k: v[1] for k, v in _S.items()}


class Strings(dict[str, str]):
    """The fixed texts of one language; `s.f(key, **values)` formats one."""

    def f(self, key: str, **values: Any) -> str:
        return counted(self[key], **values)

    def cls(self, client_class: str | None) -> str:
        return self.get(f"class_{client_class or 'unknown'}", client_class or self["class_unknown"])

    def enum(self, prefix: str, value: Any) -> str:
        """An enumerated value the analysis writes (outcome, kind, size rule, network type, verdict ...) in
        this language; a value without an entry is shown as it is (and a test lists the known ones)."""
        if value is None or value == "":
            return "–"
        return self.get(f"{prefix}_{value}", str(value))


def strings(lang: str) -> Strings:
    from ..errors import InputError

    if lang not in LANGUAGES:
        raise InputError(f"unknown report language '{lang}': use one of {', '.join(LANGUAGES)}")
    return Strings(EN if lang == "en" else NL)
