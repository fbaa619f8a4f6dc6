"""XLSX hiding techniques, each built in tmp_path with openpyxl and asserted with its counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName

from exposure.errors import InspectError
from exposure.inspect import Limits, inspect_file


def _save(wb: Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def _patch(path: Path, part: str, old: bytes, new: bytes) -> None:
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    assert old in parts[part]
    parts[part] = parts[part].replace(old, new, 1)
    with zipfile.ZipFile(path, "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)


def _people(ws, first_row: int, n: int) -> None:
    for i in range(n):
        ws.cell(first_row + i, 1, f"Persoon{chr(65 + i % 26)} Jansen")
        ws.cell(first_row + i, 2, f"06-{12345670 + i}")


def test_clean_workbook_has_no_findings(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Jaar", "Aantal"])
    ws.append([2019, 12])
    ws.append([2020, 15])
    insp = inspect_file(_save(wb, tmp_path / "clean.xlsx"))
    assert insp.doc_type == "xlsx"
    assert insp.findings == []
    assert insp.categories == []
    assert insp.records_by_area == {"visible": 3, "hidden": 0, "whited-out": 0}


def test_hidden_rows_columns_sheets_and_white_text(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Naam", "Telefoon", "Opmerking"])
    _people(ws, 2, 10)
    for r in range(5, 9):  # 4 hidden rows, 2 cells each
        ws.row_dimensions[r].hidden = True
    ws.column_dimensions["C"].hidden = True
    ws["C3"] = "verborgen kolom"
    for r in (10, 11):
        for c in (1, 2):
            ws.cell(r, c).font = Font(color="FFFFFFFF")
            ws.cell(r, c).fill = PatternFill("solid", fgColor="FFFFFFFF")
    ws["A11"].font = Font(color="FFFFFFFF")  # white on no fill still sits on white paper
    ws["D2"] = "klein"
    ws["D2"].font = Font(size=1)
    ws["E2"] = "bijna onzichtbaar"
    ws["E2"].font = Font(color="FFFAFAFA")
    hidden = wb.create_sheet("Geheim")
    hidden.sheet_state = "hidden"
    hidden.append(["Naam", "BSN"])
    hidden.append(["Piet Pietersen", "111222333"])
    very = wb.create_sheet("Diep")
    very.sheet_state = "veryHidden"
    very["A1"] = "x"
    path = _save(wb, tmp_path / "h.xlsx")
    _patch(path, "xl/worksheets/sheet1.xml", b'<row r="9"', b'<row r="9" ht="0" customHeight="1"')  # zero height
    insp = inspect_file(path)
    by = {(f.kind, f.where): f for f in insp.findings}
    assert by[("hidden_rows", "Data")].rows == 4
    assert by[("hidden_rows", "Data")].cells == 8
    assert by[("hidden_rows", "Data")].range == "A5:B8"
    assert by[("zero_height_rows", "Data")].rows == 1
    assert by[("zero_height_rows", "Data")].cells == 2
    assert by[("hidden_columns", "Data")].cells == 2  # C1 header and C3
    assert by[("font_equals_fill", "Data")].cells == 4
    assert by[("font_equals_fill", "Data")].rows == 2
    assert by[("tiny_font", "Data")].cells == 1
    assert by[("near_invisible_font", "Data")].cells == 1
    assert by[("hidden_sheet", "Geheim")].cells == 4
    assert by[("very_hidden_sheet", "Diep")].cells == 1
    names = insp.category("name")
    assert names.records == 11  # 10 on Data, 1 on the hidden sheet
    assert names.records_visible == 3  # rows 2-4
    assert names.records_hidden == 4 + 1 + 1  # rows 5-8, zero-height row 9, hidden sheet
    assert names.records_whited_out == 2
    assert insp.category("bsn").records_hidden == 1
    assert insp.category("phone").values == 10


def test_autofilter_and_outline_groups(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Naam", "Status"])
    for i in range(6):
        ws.append([f"Klaas{chr(65 + i)} de Boer", "open" if i % 2 else "dicht"])
    ws.auto_filter.ref = "A1:B7"
    ws.auto_filter.add_filter_column(1, ["open"])
    for r in (2, 4, 6):
        ws.row_dimensions[r].hidden = True
    ws.append(["groep"])
    ws.row_dimensions.group(9, 11, outline_level=1, hidden=True)
    for r in (9, 10, 11):
        ws.cell(r, 1, f"Groeplid{r} Smit")
    insp = inspect_file(_save(wb, tmp_path / "f.xlsx"))
    filtered = insp.finding("filtered_rows")
    assert (filtered.rows, filtered.cells) == (3, 6)
    assert insp.finding("hidden_rows") is None
    collapsed = insp.finding("collapsed_group_rows")
    assert (collapsed.rows, collapsed.cells) == (3, 3)


def test_comments_defined_names_formulas_properties(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Blad1"
    ws["A1"] = "Totaal"
    ws["A1"].comment = Comment("Controleren met Jan de Vries, 06-12345678", "Medewerker")
    ws["B2"] = "geheim"
    ws.row_dimensions[2].hidden = True
    wb.defined_names["Lijst"] = DefinedName("Lijst", attr_text="Blad1!$A$2:$B$2")
    wb.defined_names["Zichtbaar"] = DefinedName("Zichtbaar", attr_text="Blad1!$A$1")
    wb.properties.creator = "Anna Bakker"
    insp = inspect_file(_save(wb, tmp_path / "c.xlsx"), show_values=True)
    comments = insp.finding("comments")
    assert comments.cells == 1 and "Jan de Vries" in comments.samples[0]
    names = insp.findings_of("defined_name_hidden_area")
    assert len(names) == 1 and "'Lijst'" in names[0].description
    props = insp.finding("document_properties")
    assert props.samples == ["creator: Anna Bakker"]
    assert insp.category("phone").records_hidden == 1  # the comment counts as hidden


def test_cached_formula_values_and_external_link(tmp_path: Path) -> None:
    import zipfile

    wb = Workbook()
    wb.active["A1"] = "=1+1"
    path = _save(wb, tmp_path / "f.xlsx")
    # openpyxl never writes cached values: put one in, as Excel does.
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>").replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")
    if b"<v>2</v>" not in parts["xl/worksheets/sheet1.xml"]:
        parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(b"<f>1+1</f>",
                                                                                      b"<f>1+1</f><v>2</v>")
    out = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(out, "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)
    insp = inspect_file(out, show_values=True)
    f = insp.finding("formula_cached_values")
    assert f.cells == 1 and f.samples == ["2"]


def test_cell_limit_gives_bounded_inspection(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    for i in range(50):
        ws.append([f"v{i}", i])
    insp = inspect_file(_save(wb, tmp_path / "big.xlsx"), limits=Limits(max_cells=20))
    assert not insp.complete
    assert "limit" in insp.notes[0]
    assert insp.records == 10


def test_malformed_and_encrypted(tmp_path: Path) -> None:
    wb = Workbook()
    good = _save(wb, tmp_path / "g.xlsx").read_bytes()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(good[: len(good) // 2])
    with pytest.raises(InspectError, match="damaged"):
        inspect_file(bad)
    enc = tmp_path / "enc.xlsx"
    enc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le"))
    with pytest.raises(InspectError, match="encrypted"):
        inspect_file(enc)
    bomb = tmp_path / "bomb.xlsx"
    import zipfile
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", b" " * 4096)
    with pytest.raises(InspectError, match="limit|zip bomb"):
        inspect_file(bomb, limits=Limits(max_part_bytes=1024))


def test_sample_spreadsheet_reproduces_the_2020_pattern() -> None:
    path = Path(__file__).resolve().parents[2] / "sample_logs" / "signalen-mensenhandel-2017-2020.xlsx"
    insp = inspect_file(path)
    assert insp.finding("hidden_rows").rows == 1101  # header + 1,100 records
    assert insp.finding("font_equals_fill").rows == 25
    assert insp.data_subjects_estimate == 1124
    name = insp.category("name")
    assert (name.records_visible, name.records_hidden, name.records_whited_out) == (0, 1100, 24)
    assert all("*" in s for s in name.samples)


def test_white_text_in_an_indexed_colour_is_whited_out(tmp_path: Path) -> None:
    """A colour given by its index in the legacy palette (indexed="9": white, openpyxl's COLOR_INDEX) is read
    as that colour: white text on a white fill so given is whited out, like the same text in RGB."""
    from openpyxl.styles.colors import Color

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Naam", "Telefoon"])
    _people(ws, 2, 3)
    for c in (1, 2):
        ws.cell(3, c).font = Font(color=Color(indexed=9))
        ws.cell(3, c).fill = PatternFill("solid", fgColor=Color(indexed=9))
    insp = inspect_file(_save(wb, tmp_path / "indexed.xlsx"))
    by = {(f.kind, f.where): f for f in insp.findings}
    assert by[("font_equals_fill", "Data")].cells == 2
    assert insp.category("name").records_whited_out == 1
