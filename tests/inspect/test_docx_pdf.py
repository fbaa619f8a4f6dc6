"""DOCX and PDF hiding techniques built in tmp_path (python-docx + raw XML; reportlab + pypdf)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import RGBColor

from exposure.errors import InspectError
from exposure.inspect import inspect_file

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(path: Path, body_xml: str, comments: str | None = None) -> Path:
    doc = Document()
    doc.add_paragraph("PLACEHOLDER")
    doc.core_properties.author = "python-docx"
    doc.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"<w:p><w:r><w:t>PLACEHOLDER</w:t></w:r></w:p>", body_xml.encode())
    if comments:
        parts["word/comments.xml"] = (f'<w:comments xmlns:w="{W}">{comments}</w:comments>').encode()
        parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rIdC1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/comments" Target="comments.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return path


def test_clean_docx_has_no_findings(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("Een gewone zin zonder geheimen.")
    doc.save(tmp_path / "clean.docx")
    insp = inspect_file(tmp_path / "clean.docx")
    assert insp.doc_type == "docx" and insp.findings == [] and insp.categories == []


def test_docx_hidden_tracked_comments_white(tmp_path: Path) -> None:
    body = (
        '<w:p><w:r><w:t xml:space="preserve">Zichtbaar. </w:t></w:r>'
        '<w:r><w:rPr><w:vanish/></w:rPr><w:t>BSN 111222333</w:t></w:r></w:p>'
        '<w:p><w:del w:id="1" w:author="K. Jansen" w:date="2020-06-01T10:00:00Z"><w:r>'
        '<w:delText>mail piet@example.nl</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="K. Jansen" w:date="2020-06-01T10:00:00Z"><w:r><w:t>nieuw</w:t></w:r></w:ins></w:p>'
        '<w:p><w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>wit op wit</w:t></w:r></w:p>'
        '<w:p><w:r><w:rPr><w:color w:val="FFFFFF"/><w:shd w:val="clear" w:fill="000000"/></w:rPr>'
        '<w:t>wit op zwart</w:t></w:r></w:p>'
    )
    comment = '<w:comment w:id="0" w:author="A. de Wit"><w:p><w:r><w:t>bel 06-12345678</w:t></w:r></w:p></w:comment>'
    insp = inspect_file(_docx(tmp_path / "h.docx", body, comment), show_values=True)
    kinds = {f.kind: f for f in insp.findings}
    assert set(kinds) == {"hidden_text", "tracked_deletion", "tracked_insertion", "white_text", "comments"}
    assert kinds["hidden_text"].cells == len("BSN 111222333")
    assert kinds["tracked_deletion"].samples == ["mail piet@example.nl"]
    assert "authors: 1" in kinds["tracked_deletion"].description
    assert kinds["white_text"].cells == len("wit op wit")  # white on black shading is readable
    assert kinds["comments"].cells == 1
    assert insp.category("bsn").records_hidden == 1
    assert insp.category("email").records_hidden == 1
    assert insp.category("phone").records_hidden == 1


def test_docx_table_headers_and_white_run(tmp_path: Path) -> None:
    doc = Document()
    table = doc.add_table(rows=3, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Naam", "Geboortedatum"
    table.cell(1, 0).text, table.cell(1, 1).text = "Fatima Haidari", "12-03-1990"
    table.cell(2, 0).text, table.cell(2, 1).text = "Omar Benali", "01-01-1985"
    run = table.cell(2, 0).paragraphs[0].runs[0]
    run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    doc.save(tmp_path / "t.docx")
    insp = inspect_file(tmp_path / "t.docx")
    assert insp.finding("white_text").rows == 1
    name = insp.category("name")
    assert (name.records, name.records_visible, name.records_whited_out) == (2, 1, 1)
    assert insp.category("date_of_birth").records == 2


def _pdf(draw) -> bytes:  # noqa: ANN001
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(400, 400))
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_clean_pdf_has_no_findings(tmp_path: Path) -> None:
    def draw(c):  # noqa: ANN001, ANN202
        c.setFillColorRGB(0.9, 0.9, 0.9)
        c.rect(40, 280, 200, 40, fill=1, stroke=0)  # background box drawn first: text on it is visible
        c.setFillColorRGB(0, 0, 0)
        c.drawString(50, 300, "Openbaar besluit")

    (tmp_path / "clean.pdf").write_bytes(_pdf(draw))
    insp = inspect_file(tmp_path / "clean.pdf")
    assert insp.doc_type == "pdf" and insp.findings == [] and insp.categories == []


def test_pdf_covered_white_annotation_and_incremental(tmp_path: Path) -> None:
    from pypdf import PdfWriter
    from pypdf.annotations import Text

    def draw(c):  # noqa: ANN001, ANN202
        c.drawString(50, 350, "Besluit op uw verzoek")
        c.drawString(50, 300, "Naam: Jan Jansen BSN 111222333")
        c.setFillColorRGB(0, 0, 0)
        c.rect(45, 295, 300, 16, fill=1, stroke=0)  # black box drawn after the text
        c.setFillColorRGB(1, 1, 1)
        c.drawString(50, 200, "wit op wit")

    base = _pdf(draw)
    writer_inc = PdfWriter(io.BytesIO(base), incremental=True)
    writer_inc.add_annotation(0, Text(text="notitie: bel 06-12345678", rect=(10, 10, 30, 30)))
    inc = io.BytesIO()
    writer_inc.write(inc)
    path = tmp_path / "r.pdf"
    path.write_bytes(inc.getvalue())
    insp = inspect_file(path, show_values=True)
    kinds = {f.kind: f for f in insp.findings}
    assert kinds["covered_text"].cells == len("Naam:JanJansenBSN111222333")
    assert "111222333" in kinds["covered_text"].samples[0]
    assert kinds["background_coloured_text"].cells == len("witopwit")
    assert kinds["annotations"].cells == 1
    assert kinds["incremental_updates"].rows == 2
    assert insp.category("bsn").records_hidden == 1
    assert insp.category("phone").records_hidden == 1


def test_pdf_malformed_and_encrypted(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer<<>>\n")
    with pytest.raises(InspectError):
        inspect_file(tmp_path / "bad.pdf")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf(lambda c: c.drawString(50, 50, "x")))))
    writer.encrypt(user_password="geheim", owner_password="eigenaar")
    with open(tmp_path / "enc.pdf", "wb") as fh:
        writer.write(fh)
    with pytest.raises(InspectError, match="password"):
        inspect_file(tmp_path / "enc.pdf")
