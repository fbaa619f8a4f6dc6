"""Write sample_logs/signalen-mensenhandel-2017-2020.xlsx: the 2020 pattern with fictional people.

A visible summary (a few rows), a whited-out block (white font on white fill) and ~1,100 hidden rows of
fictional names, dates of birth, nationalities, phone numbers, licence plates and reception locations.
Seeded (`random.Random(20200608)`) with fixed document dates and zip timestamps: two runs give the same bytes.
Every person is invented; phone numbers use the 06-1234xxxx style but are random.
"""

from __future__ import annotations

import io
import random
import re
import sys
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

OUT = Path(__file__).resolve().parent.parent / "sample_logs" / "signalen-mensenhandel-2017-2020.xlsx"
FIXED = datetime(2020, 6, 5, 9, 30, 0)
WHITED_OUT = 24
HIDDEN = 1100
FIRST = ["Amina", "Yonas", "Fatima", "Mohammed", "Senait", "Ahmad", "Grace", "Blessing", "Omar", "Mariam",
         "Tesfay", "Hawa", "Ali", "Joy", "Rahel", "Karim", "Nour", "Samuel", "Esther", "Yusuf", "Layla", "Daniel"]
LAST = ["Tesfamariam", "Haile", "Okafor", "Nwosu", "Rahimi", "Haidari", "Abdi", "Warsame", "Benali", "El Idrissi",
        "Kebede", "Mensah", "Osei", "Yilmaz", "Kaya", "Hosseini", "Ghebre", "Adeyemi", "Bakari", "Diallo"]
NATIONALITIES = ["Eritrese", "Nigeriaanse", "Syrische", "Afghaanse", "Somalische", "Marokkaanse", "Guinese",
                 "Ethiopische", "Iraanse", "Ghanese"]
LOCATIONS = ["azc Ter Apel", "azc Budel-Cranendonck", "azc Zweeloo", "azc Gilze", "azc Dronten", "azc Musselkanaal",
             "azc Heerlen", "azc Zeist", "azc Amersfoort", "azc Burgum"]
SIGNALS = ["arbeidsuitbuiting", "seksuele uitbuiting", "criminele uitbuiting", "onbekend"]
PLATE_CODES = ["99-LLL-9", "9-LLL-99", "LL-999-L", "L-999-LL", "LLL-99-L", "99-LL-LL"]
LETTERS = "BDFGHJKLNPRSTVXZ"
HEADER = ["Registratienr", "Datum signaal", "Achternaam", "Voornaam", "Geboortedatum", "Nationaliteit",
          "Telefoon", "Kenteken", "COA-locatie", "Soort signaal"]


def _plate(rng: random.Random) -> str:
    code = rng.choice(PLATE_CODES)
    return "".join(rng.choice(LETTERS) if c == "L" else str(rng.randint(0, 9)) if c == "9" else c for c in code)


def _record(rng: random.Random, n: int) -> list[object]:
    signal_day = date(2017, 1, 1) + timedelta(days=rng.randrange(0, 1250))
    birth = date(1975, 1, 1) + timedelta(days=rng.randrange(0, 365 * 27))
    return [f"SIG-{signal_day.year}-{n:04d}", signal_day, rng.choice(LAST), rng.choice(FIRST), birth,
            rng.choice(NATIONALITIES), f"06-{rng.randint(10000000, 99999999)}",
            _plate(rng) if rng.random() < 0.3 else None, rng.choice(LOCATIONS), rng.choice(SIGNALS)]


def build() -> bytes:
    rng = random.Random(20200608)
    wb = Workbook()
    ws = wb.active
    ws.title = "Signalen 2017-2020"
    ws.append(["Signalen mensenhandel bij COA-locaties, 2017-2020 (bijlage bij Wob-besluit, FICTIEF VOORBEELD)"])
    ws.append([])
    ws.append(["Jaar", "Aantal signalen", "Doorverwezen naar CoMensha"])
    for year, total, referred in ((2017, 212, 148), (2018, 287, 201), (2019, 334, 240), (2020, 291, 205)):
        ws.append([year, total, referred])
    ws.append([])
    white = Font(color="FFFFFFFF")
    fill = PatternFill("solid", fgColor="FFFFFFFF")
    first_white = ws.max_row + 1
    ws.append(HEADER)
    for n in range(1, WHITED_OUT + 1):
        ws.append(_record(rng, n))
    for row in ws.iter_rows(min_row=first_white, max_row=ws.max_row):
        for cell in row:
            cell.font, cell.fill = white, fill
    first_hidden = ws.max_row + 1
    ws.append(HEADER)
    for n in range(WHITED_OUT + 1, WHITED_OUT + HIDDEN + 1):
        ws.append(_record(rng, n))
    for r in range(first_hidden, ws.max_row + 1):
        ws.row_dimensions[r].hidden = True
    for row in ws.iter_rows(min_row=first_white, max_row=ws.max_row, min_col=2, max_col=5):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "dd-mm-yyyy"
    wb.properties.creator = "Fictieve Medewerker"
    wb.properties.lastModifiedBy = "Fictieve Medewerker"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    raw = io.BytesIO()
    wb.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite the zip with fixed entry timestamps (openpyxl stamps the wall clock)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl sets `modified` to now on save
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", body)
            dst.writestr(fixed, body)
    return out.getvalue()


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    out.write_bytes(build())
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
