"""The readable terminal summary of a JSON answer (rich tables). Log content is printed as text, never markup."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text


def _t(value: Any) -> Text:
    return Text("" if value is None else str(value))


def print_evidence(console: Console, answer: dict[str, Any]) -> None:
    table = Table(title="Evidence", title_justify="left")
    for col in ("file", "verdict", "format", "lines", "requests", "rejected", "skipped", "sha256"):
        table.add_column(col, justify="right" if col in ("lines", "requests", "rejected", "skipped") else "left")
    for e in answer["evidence"]:
        verdict = e["verdict"] + (f" of {e['duplicate_of']}" if e.get("duplicate_of") else "")
        table.add_row(_t(e["path"]), _t(verdict), _t(e["format"]), _t(e["lines"]), _t(e["requests"]),
                      _t(e["rejected"]), _t(e["skipped"]), _t((e["sha256"] or "")[:16] + "…"))
    console.print(table)


def print_target(console: Console, target: dict[str, Any], zone: str) -> None:
    console.print(Text(f"\nTarget {target['path']}", style="bold"))
    size = target["size_bytes"]
    console.print(Text(f"File size: {size if size is not None else 'differs per window'} bytes"
                       + (" (inferred from the logs)" if target["size_inferred"] else " (given)")))
    win = Table(title=f"Exposure windows (UTC; local = {zone})", title_justify="left")
    for col in ("#", "first available", "last available", "first unavailable", "open at log start", "size"):
        win.add_column(col)
    for w in target["windows"]:
        win.add_row(_t(w["window"]), _t(f"{w['first_available']}\n{w['first_available_local']}"),
                    _t(f"{w['last_available']}\n{w['last_available_local']}"),
                    _t(f"{w['first_unavailable'] or 'still available at log end'}\n"
                       f"{w['first_unavailable_local'] or ''}"),
                    _t("yes" if w["open_at_log_start"] else "no"), _t(w["size_bytes"]))
    console.print(win)
    console.print(Text("The true removal time lies between last available and first unavailable.", style="dim"))
    totals = target["totals"]
    console.print(Text(
        f"Complete downloads: {totals['complete_downloads']} from {totals['distinct_ips']} external addresses; "
        f"partial: {totals['partial_downloads']}; internal complete: {totals['internal_complete_downloads']}; "
        f"HEAD: {totals['head_requests']}; 304: {totals['not_modified']}; errors: {totals['errors']}",
        style="bold"))
    dl = Table(title="Downloads", title_justify="left")
    for col in ("time (UTC)", "local", "address", "outcome", "class", "kind", "bytes", "evidence"):
        dl.add_column(col)
    for d in target["downloads"]:
        where = ", ".join(f"{e['file']}:{e['line']}" for e in d["evidence"][:3])
        if len(d["evidence"]) > 3:
            where += f" (+{len(d['evidence']) - 3})"
        dl.add_row(_t(d["time"]), _t(d["time_local"]), _t(d["client_ip"] + (" (internal)" if d["internal"] else "")),
                   _t(d["outcome"]), _t(d["client_class"]), _t(d["kind"]), _t(d["bytes"]), _t(where))
    console.print(dl)
    ips = Table(title="Per address (an IP address is not a person: NAT, VPNs and shared offices)",
                title_justify="left")
    for col in ("address", "complete", "partial", "internal", "copy before evidence", "first seen", "last seen",
                "class", "crawler verified", "network", "country", "city", "ASN", "AS organisation"):
        ips.add_column(col)
    for p in target["per_ip"]:
        verified = {True: "verified", False: "claimed, not verified"}.get(p.get("crawler_verified"), "")
        city = p.get("city") or ""
        if city and p.get("accuracy_radius") is not None:
            city += f" (±{p['accuracy_radius']} km)"
        ips.add_row(_t(p["client_ip"]), _t(p["complete"]), _t(p["partial"]), _t("yes" if p["internal"] else ""),
                    _t("yes" if p["copy_before_evidence"] else ""), _t(p["first_seen"]), _t(p["last_seen"]),
                    _t(", ".join(p.get("client_classes") or [p.get("client_class") or ""])), _t(verified),
                    _t(p.get("network_type")), _t(p.get("country")), _t(city),
                    _t(f"AS{p['asn']}" if p.get("asn") is not None else ""), _t(p.get("as_org")))
    console.print(ips)
    notes = sorted({p["geo_note"] for p in target["per_ip"] if p.get("geo_note") and "older" not in p["geo_note"]
                    and "before the requests" not in p["geo_note"]})
    for db in target.get("geoip_databases", []):
        console.print(Text(f"GeoIP {db['kind']}: {db['type']} built {db['build_date']} ({db['path']})"
                           + (": OLDER than the events, locations and networks may have changed"
                              if db["older_than_events"] else ""), style="dim"))
    for note in notes:
        console.print(Text(f"note: {note}", style="dim"))
    spread = target.get("spread")
    if spread:
        console.print(Text("Onward spread", style="bold"))
        for line in spread["summary"]:
            console.print(Text(f"- {line}"))
    for w in target["warnings"]:
        console.print(Text(f"warning: {w}", style="yellow"))


def print_answer(answer: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    print_evidence(console, answer)
    for target in answer["targets"]:
        print_target(console, target, answer["options"]["display_tz"])
    for w in answer["warnings"]:
        console.print(Text(f"warning: {w}", style="yellow"))
