"""Onward spread of a target: archives, crawlers and link-preview fetchers that took it, referrers of its
downloads, and a short factual summary. The numbers come from queries/spread.sql; this module only shapes
them and words the summary (facts from the evidence, no speculation about what happened afterwards).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .. import queries
from ..plural import counted as plural_counted
from ..timefmt import DisplayZone, iso_utc
from .targets import Target

if TYPE_CHECKING:
    from .analyser import Analyser
    from .options import AnalysisOptions

CLASS_PHRASE = {"archive": "a web-archive crawler", "crawler": "a crawler", "link-preview": "a link-preview fetcher"}
GROUP = {"archive": "archives", "crawler": "crawlers", "link-preview": "link_previews"}


def plain_value(value: Any) -> Any:
    """A value of a row as plain Python (Arrow's rows are; a NaN is None): the answer's and the spread's."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _list(value: Any) -> list[Any]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    return [plain_value(v) for v in list(value)]


def spread_frames(analysis: Analyser, target: Target, options: AnalysisOptions) -> dict[str, Any]:
    """Run the spread queries for one target: client_profiles, spread_fetchers, spread_referrers,
    geoip_databases, each as rows (dicts, from Arrow: no pandas on the answer's path)."""
    out = {"geoip_databases": analysis.target_query("geoip_databases", target, options, arrow=True).to_pylist()}
    analysis.case.run(queries.get("client_claims"))
    for name in ("client_profiles", "spread_fetchers", "spread_referrers"):
        out[name] = analysis.case.frame(queries.get(name).sql, arrow=True).to_pylist()
    return out


def client_profiles(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """client_ip -> the per_ip keys this issue adds (country, city, asn, as_org, network_type, client_class, ...),
    from the query's Arrow rows (plain Python values; a list column is NULL when it would be empty)."""
    return {row["client_ip"]: {
        "country": row["country"],
        "city": row["city"],
        "accuracy_radius": row["accuracy_radius"],
        "asn": row["asn"],
        "as_org": row["as_org"],
        "network_type": row["network_type"],
        "geo_note": row["geo_note"],
        "client_class": row["client_class"],
        "client_classes": row["client_classes"] or [],
        "client_names": row["client_names"] or [],
        "crawler_verified": row["crawler_verified"],
        "crawler_verification": row["verification"] or [],
    } for row in rows}


def geoip_section(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{
        "kind": row["kind"],
        "type": row["database_type"],
        "path": row["path"],
        "source": row["source"],
        "build_date": iso_utc(row["build_date"]),
        "sha256": row["sha256"],
        "older_than_events": bool(plain_value(row["older_than_events"])) if plain_value(row["older_than_events"]) is not None else None,
    } for row in rows]


def spread_section(frames: dict[str, list[dict[str, Any]]], zone: DisplayZone) -> dict[str, Any]:
    """The target's `spread` key: archives, crawlers, link_previews, referrers and summary."""
    out: dict[str, Any] = {"archives": [], "crawlers": [], "link_previews": [], "referrers": [], "summary": []}
    for row in frames["spread_fetchers"]:
        times = [iso_utc(t) for t in _list(row["complete_times"])]
        out[GROUP[row["client_class"]]].append({
            "client_name": plain_value(row["client_name"]),
            "crawler_tags": [t for t in (plain_value(row["crawler_tags"]) or "").split(",") if t],
            "client_ip": row["client_ip"],
            "user_agent": plain_value(row["user_agent"]),
            "crawler_verified": plain_value(row["crawler_verified"]),
            "verification": plain_value(row["verification"]),
            "first_request": iso_utc(row["first_request"]),
            "first_request_local": zone.local(row["first_request"]),
            "last_request": iso_utc(row["last_request"]),
            "requests": int(row["requests"]),
            "statuses": _list(row["statuses"]),
            "complete": int(row["complete"]),
            "partial": int(row["partial"]),
            "complete_at": times,
            "country": plain_value(row["country"]),
            "asn": plain_value(row["asn"]),
            "as_org": plain_value(row["as_org"]),
            "geo_note": plain_value(row["geo_note"]),
        })
    for row in frames["spread_referrers"]:
        out["referrers"].append({
            "site": plain_value(row["site"]),
            "category": row["category"],
            "downloads": int(row["downloads"]),
            "complete": int(row["complete"]),
            "first_download": iso_utc(row["first_download"]),
            "last_download": iso_utc(row["last_download"]),
            "pages": _list(row["pages"]),
        })
    out["summary"] = summary(out)
    return out


# The summary's wording in English (the JSON answer) and Dutch (the Dutch report): one place for both.
PHRASES: dict[str, tuple[str, str]] = {
    "archive": ("a web-archive crawler", "een webarchiefcrawler"),
    "crawler": ("a crawler", "een crawler"),
    "search-engine": ("a search-engine crawler", "een zoekmachinecrawler"),
    "link-preview": ("a link-preview fetcher", "een ophaler van linkvoorbeelden"),
    "verified": ("verified", "geverifieerd"),
    "claimed": ("claimed, not verified", "beweerd, niet geverifieerd"),
    # an operator that publishes no ranges (queries/spread.sql begins its verification with these words)
    "unverifiable": ("claimed, not verifiable from logs", "beweerd, niet te verifiëren uit de logs"),
    "who": ("{phrase} ({name}, {status}) from {ip}", "{phrase} ({name}, {status}) vanaf {ip}"),
    "one_copy": ("a complete copy", "een volledige kopie"),
    "copies": ("{n} complete copies", "{n} volledige kopieën"),
    "obtained": ("{who} obtained {copies} at {times}", "{who} verkreeg {copies} op {times}"),
    "and": ("and", "en"),
    "at": ("at {t}", "op {t}"),
    "between": ("between {a} and {b}", "tussen {a} en {b}"),
    "once": ("once", "één keer"),
    "times": ("{n} times", "{n} keer"),
    "requested": ("{who} requested it {times} {when} (status {statuses}) without a complete copy",
                  "{who} deed {times} een verzoek {when} (status {statuses}) zonder volledige kopie"),
    "pasted": (": someone pasted the link into {name}", ": iemand plakte de link in {name}"),
    "none": ("no web archive, crawler or link-preview fetcher requested it in the evidence",
             "geen webarchief, crawler of ophaler van linkvoorbeelden vroeg het op in het bewijs"),
    "counted": ("{n:# download|# downloads} ({c} complete)", "{n:# download|# downloads} ({c} volledig)"),
    "no_referrer": ("{counted} carried no referrer", "{counted} {n:had|hadden} geen verwijzer"),
    "referred": ("{counted} {n:was|were} referred from {site} ({category})",
                 "{counted} {n:kwam|kwamen} via {site} ({category})"),
}
CATEGORY_NL = {"app": "app", "chat web client": "chat-webclient", "webmail": "webmail",
               "search engine": "zoekmachine", "social network": "sociaal netwerk",
               "publication site": "publicatiesite", "other site": "andere site", "no referrer": "geen verwijzer"}


def _times(times: list[str], p: dict[str, str]) -> str:
    if len(times) <= 2:
        return f" {p['and']} ".join(times)
    return ", ".join(times[:-1]) + f" {p['and']} " + times[-1]


def claim_status(verified: bool | None, verification: str | Sequence[str] | None, lang: str = "en") -> str:
    """A crawler claim's status in words, the one label of the terminal, the JSON summary and the report: verified,
    claimed, not verified (an address outside the operator's ranges), or claimed, not verifiable from logs (every
    claim of an operator that publishes no ranges: the verification queries/spread.sql wrote says so); "" where
    nothing was claimed (`verified` None)."""
    p = {key: pair[lang == "nl"] for key, pair in PHRASES.items()}
    if verified is None:
        return ""
    if verified:
        return p["verified"]
    texts = [verification] if isinstance(verification, str) else list(verification or [])
    unverifiable = bool(texts) and all(t.startswith(PHRASES["unverifiable"][0]) for t in texts)
    return p["unverifiable"] if unverifiable else p["claimed"]


def summary(spread: dict[str, Any], lang: str = "en") -> list[str]:
    """Factual sentences, one per fetcher and per referrer site, in time order within each group; `lang` is
    en (the JSON answer) or nl (the Dutch report)."""
    p = {key: pair[lang == "nl"] for key, pair in PHRASES.items()}
    lines: list[str] = []
    for group, cls in (("archives", "archive"), ("crawlers", "crawler"), ("link_previews", "link-preview")):
        for item in spread[group]:
            phrase = p["search-engine"] if "search-engine" in item["crawler_tags"] else p[cls]
            who = p["who"].format(phrase=phrase, name=item["client_name"], ip=item["client_ip"],
                                  status=claim_status(bool(item["crawler_verified"]), item["verification"], lang))
            if item["complete"]:
                copies = p["one_copy"] if item["complete"] == 1 else p["copies"].format(n=item["complete"])
                text = p["obtained"].format(who=who, copies=copies, times=_times(item["complete_at"], p))
            else:
                statuses = ", ".join(str(s) for s in item["statuses"])
                when = (p["at"].format(t=item["first_request"]) if item["first_request"] == item["last_request"]
                        else p["between"].format(a=item["first_request"], b=item["last_request"]))
                times = p["once"] if item["requests"] == 1 else p["times"].format(n=item["requests"])
                text = p["requested"].format(who=who, times=times, when=when, statuses=statuses)
            if cls == "link-preview":
                text += p["pasted"].format(name=item["client_name"])
            lines.append(text)
    if not any(spread[g] for g in ("archives", "crawlers", "link_previews")):
        lines.append(p["none"])
    for ref in spread["referrers"]:
        counted = plural_counted(p["counted"], n=ref["downloads"], c=ref["complete"])
        if ref["category"] == "no referrer":
            lines.append(plural_counted(p["no_referrer"], counted=counted, n=ref["downloads"]))
        else:
            category = CATEGORY_NL.get(ref["category"], ref["category"]) if lang == "nl" else ref["category"]
            lines.append(plural_counted(p["referred"], counted=counted, n=ref["downloads"], site=ref["site"],
                                        category=category))
    return lines
