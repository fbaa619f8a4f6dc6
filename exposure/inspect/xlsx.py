"""XLSX/XLSM: what a reader of the workbook could not see but anyone could unhide or read out.

The sheets are streamed with lxml iterparse (not openpyxl's full load), so memory stays flat and the scan
stops at `Limits.max_cells`; styles, workbook, comments and links are small parts parsed whole.
A cell's area: hidden (hidden or very hidden sheet, hidden or zero-height row, hidden or zero-width column,
collapsed outline group, row hidden by an autofilter), else whited-out (font colour equal to or barely
distinguishable from its fill, or a font under 4 pt), else visible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..errors import InspectError
from ..plural import plural
from . import colours
from .model import (
    HIDDEN,
    SAMPLE_SIZE,
    VISIBLE,
    WHITED_OUT,
    Finding,
    Inspection,
    Value,
    a1_column,
    a1_index,
    row_spans,
)
from .ooxml import NS, Package, record_properties
from .personal import header_category

TINY_FONT_PT = 4.0
DATE_FORMAT_IDS = set(range(14, 23)) | {45, 46, 47}
_S = f"{{{NS['s']}}}"
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")
_NAME_REF = re.compile(r"(?:'((?:[^']|'')+)'|([^!,'\[\]]+))!\$?([A-Z]{1,3})?\$?(\d+)?(?::\$?([A-Z]{1,3})?\$?(\d+)?)?")
_DEFAULT_THEME = ["FFFFFF", "000000", "E7E6E6", "44546A", "4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5",
                  "70AD47"]
TECHNIQUES = {
    "hidden_sheet": "sheet is hidden (Format > Sheet > Unhide shows it)",
    "very_hidden_sheet": "sheet is 'very hidden' (only visible through the VBA editor or the file's XML)",
    "hidden_rows": "rows are hidden",
    "zero_height_rows": "rows have zero height",
    "collapsed_group_rows": "rows are in a collapsed outline group",
    "filtered_rows": "rows are hidden by an autofilter",
    "hidden_columns": "columns are hidden",
    "zero_width_columns": "columns have zero width",
    "collapsed_group_columns": "columns are in a collapsed outline group",
    "font_equals_fill": "font colour equals the cell background (e.g. white on white)",
    "near_invisible_font": "font colour barely differs from the background (contrast under 1.5:1)",
    "tiny_font": f"font size under {TINY_FONT_PT:g} pt",
}


@dataclass
class _Style:
    visibility: str | None = None  # font_equals_fill | near_invisible_font
    tiny: bool = False
    is_date: bool = False


@dataclass
class _Acc:
    """Accumulates one technique on one sheet."""

    cells: int = 0
    rows: dict[int, int] = field(default_factory=dict)  # row -> cells
    cols: set[int] = field(default_factory=set)
    row_samples: list[tuple[int, str]] = field(default_factory=list)

    def add(self, row: int, col: int, text: str) -> None:
        self.cells += 1
        self.rows[row] = self.rows.get(row, 0) + 1
        self.cols.add(col)
        if len(self.row_samples) < SAMPLE_SIZE:
            self.row_samples.append((row, text))

    @property
    def samples(self) -> list[str]:
        return [t for _, t in self.row_samples]

    def split(self, rows: set[int]) -> tuple[_Acc, _Acc]:
        """(the part in `rows`, the rest)."""
        inside, rest = _Acc(cols=set(self.cols)), _Acc(cols=set(self.cols))
        for row, n in self.rows.items():
            part = inside if row in rows else rest
            part.rows[row] = n
            part.cells += n
        for row, text in self.row_samples:
            (inside if row in rows else rest).row_samples.append((row, text))
        return inside, rest


def _theme_colours(pkg: Package, wb_rels: dict[str, tuple[str, str, str]]) -> list[str]:
    theme_part = next((t for kind, t, _ in wb_rels.values() if kind == "theme"), None)
    if not theme_part or not pkg.has(theme_part):
        return _DEFAULT_THEME
    root = pkg.xml(theme_part)
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    scheme = root.find(f".//{a}clrScheme")
    if scheme is None:
        return _DEFAULT_THEME
    out = []
    for tag in ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6"):
        el = scheme.find(f"{a}{tag}")
        val = None
        if el is not None and len(el):
            child = el[0]
            val = child.get("lastClr") or child.get("val")
        out.append(val or _DEFAULT_THEME[len(out)])
    return out


def _colour(el: Any, theme: list[str], default: colours.RGB | None) -> colours.RGB | None:
    if el is None:
        return default
    rgb: colours.RGB | None = None
    if el.get("rgb"):
        rgb = colours.from_hex(el.get("rgb"))
    elif el.get("theme") is not None:
        idx = int(el.get("theme"))
        rgb = colours.from_hex(theme[idx]) if 0 <= idx < len(theme) else None
    elif el.get("indexed") is not None:
        from openpyxl.styles.colors import COLOR_INDEX  # only here: importing openpyxl costs 0.1-0.3 s

        idx = int(el.get("indexed"))
        if idx < len(COLOR_INDEX):
            rgb = colours.from_hex(COLOR_INDEX[idx])
        else:
            rgb = default  # 64/65: system foreground/background
    elif el.get("auto"):
        rgb = default
    if rgb is None:
        return default
    tint = float(el.get("tint", "0") or 0)
    if tint < 0:
        rgb = (rgb[0] * (1 + tint), rgb[1] * (1 + tint), rgb[2] * (1 + tint))
    elif tint > 0:
        rgb = tuple(c + (1 - c) * tint for c in rgb)  # type: ignore[assignment]
    return rgb


def _is_date_code(code: str) -> bool:
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code).lower()
    return bool(re.search(r"[dmy]", bare)) and "general" not in bare


def _styles(pkg: Package, part: str | None, theme: list[str]) -> list[_Style]:
    if not part or not pkg.has(part):
        return []
    root = pkg.xml(part)
    custom = {int(n.get("numFmtId")): n.get("formatCode", "") for n in root.iterfind("s:numFmts/s:numFmt", NS)}
    fonts = []
    for font in root.iterfind("s:fonts/s:font", NS):
        sz = font.find("s:sz", NS)
        fonts.append((_colour(font.find("s:color", NS), theme, colours.BLACK),
                      float(sz.get("val")) if sz is not None and sz.get("val") else 11.0))
    fills: list[colours.RGB | None] = []
    for fill in root.iterfind("s:fills/s:fill", NS):
        pattern = fill.find("s:patternFill", NS)
        if pattern is not None and pattern.get("patternType") not in (None, "none"):
            fills.append(_colour(pattern.find("s:fgColor", NS), theme, colours.WHITE))
        elif fill.find("s:gradientFill", NS) is not None:
            fills.append(None)  # a gradient has no single colour: never call its text invisible
        else:
            fills.append(colours.WHITE)
    out = []
    for xf in root.iterfind("s:cellXfs/s:xf", NS):
        font_id, fill_id, fmt_id = (int(xf.get(k, "0")) for k in ("fontId", "fillId", "numFmtId"))
        colour, size = fonts[font_id] if font_id < len(fonts) else (colours.BLACK, 11.0)
        bg = fills[fill_id] if fill_id < len(fills) else colours.WHITE
        vis = colours.visibility(colour, bg) if bg is not None else None
        out.append(_Style(
            visibility={"same_colour": "font_equals_fill", "near_invisible": "near_invisible_font"}.get(vis or ""),
            tiny=size < TINY_FONT_PT,
            is_date=fmt_id in DATE_FORMAT_IDS or (fmt_id in custom and _is_date_code(custom[fmt_id]))))
    return out


def _shared_strings(pkg: Package, part: str | None, cap: int) -> list[str]:
    if not part or not pkg.has(part):
        return []
    out: list[str] = []
    for event, el in pkg.iterparse(part, (_S + "si",)):
        if event == "end":
            out.append("".join(t.text or "" for t in el.iter(_S + "t") if t.getparent().tag != _S + "rPh"))
            el.clear()
            if len(out) > cap:
                break
    return out


def _excel_date(serial: float, date1904: bool) -> str | None:
    try:
        base = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
        value = base + timedelta(days=serial)
    except (OverflowError, ValueError):
        return None
    return value.strftime("%Y-%m-%d") if value.time() == datetime.min.time() else value.isoformat(sep=" ")


class _SheetScan:
    def __init__(self, name: str, state: str) -> None:
        self.name = name
        self.state = state
        self.acc: dict[str, _Acc] = {}
        self.hidden_rows: dict[int, str] = {}  # row -> technique
        self.hidden_cols: dict[int, str] = {}
        self.filter_range: tuple[int, int] | None = None
        self.filter_active = False
        self.max_row = 0

    def add(self, kind: str, row: int, col: int, text: str) -> None:
        self.acc.setdefault(kind, _Acc()).add(row, col, text)


def inspect_xlsx(pkg: Package, insp: Inspection) -> None:
    limits = pkg.limits
    wb_part = "xl/workbook.xml"
    if not pkg.has(wb_part):
        raise InspectError(f"damaged spreadsheet: {wb_part} is missing")
    wb = pkg.xml(wb_part)
    wb_rels = pkg.rels(wb_part)
    date1904 = (wb.find("s:workbookPr", NS) is not None
                and wb.find("s:workbookPr", NS).get("date1904") in ("1", "true"))
    theme = _theme_colours(pkg, wb_rels)
    styles = _styles(pkg, next((t for k, t, _ in wb_rels.values() if k == "styles"), None), theme)
    strings = _shared_strings(pkg, next((t for k, t, _ in wb_rels.values() if k == "sharedStrings"), None),
                              limits.max_cells)
    rid = f"{{{NS['r']}}}id"
    scans: list[_SheetScan] = []
    budget = [limits.max_cells]
    formula = _Acc()
    external_formula = 0
    for sheet in wb.iterfind("s:sheets/s:sheet", NS):
        name = sheet.get("name", "?")
        state = sheet.get("state", "visible")
        kind, part, _ = wb_rels.get(sheet.get(rid, ""), ("", "", ""))
        if kind != "worksheet" or not pkg.has(part):
            continue  # chart sheets and dialog sheets hold no cells
        scan = _SheetScan(name, state)
        scans.append(scan)
        external_formula += _scan_sheet(pkg, part, scan, styles, strings, date1904, insp, budget, formula)
        _comments(pkg, part, scan, insp)
        if budget[0] <= 0 and insp.complete:
            insp.complete = False
            insp.notes.append(f"scan stopped after {limits.max_cells} cells (limit): counts are lower bounds")
    for scan in scans:
        _emit_sheet_findings(scan, insp)
    if formula.cells:
        extra = f"; {external_formula} refer to another workbook" if external_formula else ""
        insp.findings.append(Finding(
            "formula_cached_values", "workbook",
            f"formulas store their last computed value in the file{extra}: the values can be read even when "
            "the source is gone or hidden", cells=formula.cells, rows=len(formula.rows),
            samples=[insp.sample(s) for s in formula.samples]))
    _defined_names(wb, scans, insp)
    _external_links(pkg, wb_rels, insp)
    record_properties(pkg, insp)


def _scan_sheet(pkg: Package, part: str, scan: _SheetScan, styles: list[_Style], strings: list[str],
                date1904: bool, insp: Inspection, budget: list[int], formula: _Acc) -> int:
    tags = tuple(_S + t for t in ("sheetFormatPr", "col", "row", "c", "autoFilter", "filterColumn"))
    sheet_hidden = scan.state in ("hidden", "veryHidden")
    default_hidden = False
    headers: dict[int, str] = {}
    row_no = 0
    row_reason: str | None = None
    row_cells: list[tuple[int, str, int, bool]] = []  # col, text, style index, is formula
    external = 0
    col_next = 0

    def flush_row() -> None:
        if not row_cells:
            return
        hinted = [(c, t) for c, t, _, _ in row_cells if header_category(t)]
        is_header = len(hinted) >= 2 and all(not _looks_numeric(t) for _, t in hinted)
        if is_header:  # a header row names the columns below it; its own cells are not data
            for c, t, _, _ in row_cells:
                headers[c] = t
        for c, text, s, _ in row_cells:
            style = styles[s] if s < len(styles) else _Style()
            area = VISIBLE
            if sheet_hidden:
                scan.add("very_hidden_sheet" if scan.state == "veryHidden" else "hidden_sheet", row_no, c, text)
                area = HIDDEN
            if row_reason:
                scan.add(row_reason, row_no, c, text)
                area = HIDDEN
            if c in scan.hidden_cols:
                scan.add(scan.hidden_cols[c], row_no, c, text)
                area = HIDDEN
            if style.visibility:
                scan.add(style.visibility, row_no, c, text)
                area = WHITED_OUT if area == VISIBLE else area
            if style.tiny:
                scan.add("tiny_font", row_no, c, text)
                area = WHITED_OUT if area == VISIBLE else area
            insp.values.append(Value(f"{scan.name}!{row_no}", f"{scan.name}!{a1_column(c)}",
                                     None if is_header else headers.get(c),
                                     text, area, is_date=style.is_date and _looks_numeric(text) is False))
        row_cells.clear()

    for event, el in pkg.iterparse(part, tags):
        tag = el.tag[len(_S):]
        if event == "start":
            if tag == "row":
                row_no = int(el.get("r") or row_no + 1)
                col_next = 0
                hidden = el.get("hidden") in ("1", "true") or default_hidden
                zero = el.get("ht") is not None and float(el.get("ht")) == 0
                level = int(el.get("outlineLevel", "0") or 0)
                row_reason = None
                if hidden:
                    row_reason = "collapsed_group_rows" if level > 0 else "hidden_rows"
                elif zero:
                    row_reason = "zero_height_rows"
                if row_reason:
                    scan.hidden_rows[row_no] = row_reason
                scan.max_row = max(scan.max_row, row_no)
            continue
        if tag == "sheetFormatPr":
            default_hidden = el.get("zeroHeight") in ("1", "true")
        elif tag == "col":
            lo, hi = int(el.get("min", "1")), int(el.get("max", "1"))
            reason = None
            if el.get("hidden") in ("1", "true"):
                reason = "collapsed_group_columns" if int(el.get("outlineLevel", "0") or 0) > 0 else "hidden_columns"
            elif el.get("width") is not None and float(el.get("width")) == 0:
                reason = "zero_width_columns"
            if reason:
                for c in range(lo, min(hi, 16384) + 1):
                    scan.hidden_cols[c] = reason
        elif tag == "c":
            col_next += 1
            ref = _CELL_REF.match(el.get("r", ""))
            col = a1_index(ref.group(1)) if ref else col_next
            col_next = col
            text, is_formula, is_date_value = _cell_text(el, strings, styles, date1904)
            if is_formula and el.find(_S + "v") is not None:
                formula.add(row_no, col, text)
                f = el.find(_S + "f")
                if f is not None and f.text and re.search(r"\[\d+\]", f.text):
                    external += 1
            if text != "" and budget[0] > 0:
                budget[0] -= 1
                row_cells.append((col, text, int(el.get("s", "0") or 0), is_formula))
            el.clear()
        elif tag == "row":
            flush_row()
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]
            if budget[0] <= 0:
                break
        elif tag == "autoFilter":
            ref = el.get("ref", "")
            m = re.match(r"^\$?[A-Z]+\$?(\d+)(?::\$?[A-Z]+\$?(\d+))?$", ref)
            if m:
                scan.filter_range = (int(m.group(1)), int(m.group(2) or m.group(1)))
            scan.filter_active = scan.filter_active or el.find(_S + "filterColumn") is not None
    flush_row()
    if scan.filter_range and scan.filter_active:
        _reclassify_filtered(scan)
    return external


def _reclassify_filtered(scan: _SheetScan) -> None:
    """Rows hidden inside an active autofilter were hidden by the filter, not by hand (known only at the end)."""
    lo, hi = scan.filter_range or (0, -1)
    filtered = {r for r, reason in scan.hidden_rows.items() if reason == "hidden_rows" and lo < r <= hi}
    for row in filtered:
        scan.hidden_rows[row] = "filtered_rows"
    acc = scan.acc.pop("hidden_rows", None)
    if acc is None or not filtered:
        if acc is not None:
            scan.acc["hidden_rows"] = acc
        return
    inside, rest = acc.split(filtered)
    if inside.cells:
        scan.acc["filtered_rows"] = inside
    if rest.cells:
        scan.acc["hidden_rows"] = rest


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _cell_text(el: Any, strings: list[str], styles: list[_Style], date1904: bool) -> tuple[str, bool, bool]:
    t = el.get("t", "n")
    is_formula = el.find(_S + "f") is not None
    if t == "inlineStr":
        is_el = el.find(_S + "is")
        return ("".join(x.text or "" for x in is_el.iter(_S + "t")) if is_el is not None else ""), is_formula, False
    v = el.find(_S + "v")
    raw = v.text if v is not None and v.text is not None else ""
    if raw == "":
        return "", is_formula, False
    if t == "s":
        try:
            return strings[int(raw)], is_formula, False
        except (ValueError, IndexError):
            return "", is_formula, False
    if t == "b":
        return ("TRUE" if raw == "1" else "FALSE"), is_formula, False
    if t in ("str", "e", "d"):
        return raw, is_formula, t == "d"
    s = int(el.get("s", "0") or 0)
    if s < len(styles) and styles[s].is_date:
        try:
            as_date = _excel_date(float(raw), date1904)
        except ValueError:
            as_date = None
        if as_date:
            return as_date, is_formula, True
    if raw.endswith(".0"):
        raw = raw[:-2]
    return raw, is_formula, False


def _emit_sheet_findings(scan: _SheetScan, insp: Inspection) -> None:
    for kind, text in TECHNIQUES.items():
        acc = scan.acc.get(kind)
        if kind in ("hidden_sheet", "very_hidden_sheet") and scan.state == {"hidden_sheet": "hidden",
                                                                            "very_hidden_sheet": "veryHidden"}[kind]:
            acc = acc or _Acc()
        elif acc is None:
            continue
        if acc is None:
            continue
        rng = None
        desc = text
        if acc.rows:
            rng = (f"{a1_column(min(acc.cols))}{min(acc.rows)}:{a1_column(max(acc.cols))}{max(acc.rows)}")
            desc += f"; rows {row_spans(sorted(acc.rows))}"
        if kind.endswith("_columns"):
            cols = sorted(c for c, r in scan.hidden_cols.items() if r == kind)
            desc += "; columns " + ", ".join(a1_column(c) for c in cols[:20]) + ("…" if len(cols) > 20 else "")
        insp.findings.append(Finding(kind, scan.name, desc, rng, acc.cells, len(acc.rows),
                                     samples=[insp.sample(s) for s in acc.samples]))
    # Hidden rows or columns holding no value are still worth a line: they can hide formatting or be filled later.
    empty_rows = [r for r, reason in scan.hidden_rows.items() if not any(r in a.rows for a in scan.acc.values())]
    if empty_rows and not any(f.where == scan.name and f.kind.endswith("_rows") for f in insp.findings):
        insp.findings.append(Finding("hidden_rows", scan.name, "rows are hidden but hold no value; rows "
                                     + row_spans(empty_rows), None, 0, len(empty_rows)))


def _comments(pkg: Package, sheet_part: str, scan: _SheetScan, insp: Inspection) -> None:
    for kind, target, mode in pkg.rels(sheet_part).values():
        if mode == "External" or not pkg.has(target) or kind not in ("comments", "threadedComment"):
            continue
        root = pkg.xml(target)
        authors = [a.text or "" for a in root.iterfind("s:authors/s:author", NS)]
        items = []
        if kind == "comments":
            for c in root.iterfind("s:commentList/s:comment", NS):
                text = "".join(t.text or "" for t in c.iter(_S + "t"))
                aid = int(c.get("authorId", "-1") or -1)
                items.append((c.get("ref", ""), text, authors[aid] if 0 <= aid < len(authors) else ""))
        else:
            tc = "{http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments}"
            for c in root.iter(tc + "threadedComment"):
                t = c.find(tc + "text")
                items.append((c.get("ref", ""), t.text if t is not None and t.text else "", ""))
        if not items:
            continue
        for ref, text, _ in items:
            insp.values.append(Value(f"{scan.name}!comment {ref}", "", None, text, HIDDEN))
        people = sorted({a for _, _, a in items if a})
        label = "threaded comments" if kind == "threadedComment" else "comments/notes"
        insp.findings.append(Finding(
            "comments", scan.name, f"{label} attached to cells "
            + ", ".join(r for r, _, _ in items[:10]) + (f"; authors: {len(people)}" if people else ""),
            cells=len(items), rows=len({_CELL_REF.match(r).group(2) for r, _, _ in items if _CELL_REF.match(r)}),
            unit="comments", samples=[insp.sample(t) for _, t, _ in items[:SAMPLE_SIZE]]))


def _defined_names(wb: Any, scans: list[_SheetScan], insp: Inspection) -> None:
    by_name = {s.name: s for s in scans}
    for dn in wb.iterfind("s:definedNames/s:definedName", NS):
        name = dn.get("name", "")
        if name.startswith("_xlnm."):
            continue  # built-in names (print area, filter database)
        ref = dn.text or ""
        reasons = set()
        for m in _NAME_REF.finditer(ref):
            sheet = (m.group(1) or "").replace("''", "'") or (m.group(2) or "").strip()
            scan = by_name.get(sheet)
            if scan is None:
                continue
            if scan.state != "visible":
                reasons.add(f"sheet '{sheet}' is {scan.state}")
            r1, r2 = m.group(4), m.group(6) or m.group(4)
            c1, c2 = m.group(3), m.group(5) or m.group(3)
            if r1:
                rows = range(int(r1), int(r2) + 1)
                if any(r in scan.hidden_rows for r in rows):
                    reasons.add("range includes hidden rows")
            if c1:
                cols = range(a1_index(c1), a1_index(c2) + 1)
                if any(c in scan.hidden_cols for c in cols):
                    reasons.add("range includes hidden columns")
        if dn.get("hidden") in ("1", "true"):
            reasons.add("the name itself is hidden")
        if reasons:
            insp.findings.append(Finding("defined_name_hidden_area", "workbook",
                                         f"defined name '{name}' -> {ref}: " + "; ".join(sorted(reasons)),
                                         ref, cells=1, unit="names"))


def _external_links(pkg: Package, wb_rels: dict[str, tuple[str, str, str]], insp: Inspection) -> None:
    targets = []
    cached = 0
    for kind, part, _ in sorted(wb_rels.values()):
        if kind != "externalLink" or not pkg.has(part):
            continue
        for _k, target, _m in pkg.rels(part).values():
            targets.append(target)
        root = pkg.xml(part)
        for cell in root.iter(_S + "cell"):
            v = cell.find(_S + "v")
            if v is not None and v.text:
                cached += 1
                insp.values.append(Value(f"{part}!{cell.get('r', '')}", "", None, v.text, HIDDEN))
    if targets:
        insp.findings.append(Finding(
            "external_links", "workbook",
            f"links to {plural(len(targets), '# other workbook', '# other workbooks')}; {cached} values from them are cached in this file",
            cells=cached, unit="cached values", samples=[insp.sample(t) for t in targets[:SAMPLE_SIZE]]))
