"""Personal data in what was exposed: categories per value, counted per record and per area.

Counts are automated estimates. A column whose header names a category (naam, geboortedatum, kenteken ...)
lets its values count when they have the right shape; elsewhere only values that prove themselves count
(a checksum, or an unambiguous pattern). `RULES` states each rule; it goes into every report beside the counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date

from .model import AREAS, HIDDEN, SAMPLE_SIZE, VISIBLE, WHITED_OUT, CategoryCount, Value

RULES = {
    "name": "a value shaped like a name (letters, spaces, hyphens, apostrophes; 1-6 words, no digits) in a "
            "column headed naam/name/voornaam/achternaam/surname/...",
    "date_of_birth": "a date from 1900 up to today in a column headed geboortedatum/date of birth/dob/..., or "
                     "a date written after 'geboren (op)', 'geb.', 'date of birth' in text",
    "nationality": "a value in a column headed nationaliteit/nationality/land van herkomst, or a cell that is "
                   "exactly a nationality (Dutch or English adjective)",
    "phone": "a Dutch number (+31, 0031 or 0 and 9 more digits) or an international number (+ or 00, country "
             "code, 7-13 digits); in a column headed telefoon/mobiel/phone also 9-10 bare digits",
    "email": "an address of the form local@domain.tld",
    "postcode": "a Dutch postcode: 4 digits (not starting with 0) and 2 capitals, not SA/SD/SS",
    "address": "a value in a column headed adres/address/straat/huisnummer",
    "residence": "a value in a column headed woonplaats/verblijfplaats/opvanglocatie/COA-locatie/azc",
    "licence_plate": "a Dutch licence plate in one of the side-codes 1-14 written with hyphens (e.g. 12-ABC-3), "
                     "or without hyphens in a column headed kenteken/licence plate",
    "bsn": "9 digits (8 with a leading zero added) passing the BSN 11-check, standalone or in a column headed "
           "BSN/burgerservicenummer/sofinummer (about 1 in 11 random 9-digit numbers also pass)",
    "v_number": "10 digits in a column headed v-nummer/vreemdelingennummer, or after 'v-nummer' in text",
    "passport": "a Dutch passport/ID-card number shape (2 letters, 6 letters or digits, 1 digit; no letter O; "
                "at least 2 digits), or 6-9 letters/digits with a digit in a column headed paspoort/passport/"
                "documentnummer",
    "iban": "an IBAN whose mod-97 checksum is valid",
}
SUBJECT_CATEGORIES = ("name", "date_of_birth", "bsn", "v_number", "passport", "email", "phone", "iban")
SUBJECTS_RULE = ("records (rows, paragraphs or lines) holding at least one of: " + ", ".join(SUBJECT_CATEGORIES)
                 + "; one person on several rows counts several times, several persons on one row once")

_HEADERS: list[tuple[str, re.Pattern[str]]] = [
    ("date_of_birth", re.compile(r"\b(geboortedatum|geb\.? ?datum|date of birth|birth ?date|dob|geboren|"
                                 r"birthday|geb\.)")),
    ("nationality", re.compile(r"\b(nationaliteit(en)?|nationality|land van herkomst|herkomstland|"
                               r"country of origin)\b")),
    ("bsn", re.compile(r"\b(bsn|burgerservicenummer|sofi-?nummer|citizen service number)\b")),
    ("v_number", re.compile(r"\b(v-?nummer|v-?nr|vreemdelingennummer)\b")),
    ("passport", re.compile(r"\b(paspoort(nummer)?|passport( number| no)?|documentnummer|id-?nummer)\b")),
    ("iban", re.compile(r"\b(iban|rekeningnummer|bankrekening(nummer)?|account number)\b")),
    ("licence_plate", re.compile(r"\b(kentekens?|licen[cs]e plate|nummerbord|number plate)\b")),
    ("postcode", re.compile(r"\b(postcode|zip( code)?|postal code)\b")),
    ("email", re.compile(r"\b(e-?mail(adres)?|mail)\b")),
    ("phone", re.compile(r"\b(telefoon(nummer)?|tel\.?( ?nr)?|telnr|mobiel(e nummer)?|gsm|phone|mobile)\b")),
    ("address", re.compile(r"\b(adres|address|woonadres|straat(naam)?|huisnummer)\b")),
    ("residence", re.compile(r"\b(woonplaats|verblijfplaats|verblijfslocatie|opvanglocatie|coa-? ?locatie|azc|"
                             r"place of residence)\b")),
    ("name", re.compile(r"\b(naam|name|achternaam|voornaam|voornamen|roepnaam|surname|first ?name|last ?name|"
                        r"given name|family name|voorletters|full name|naam betrokkene)\b")),
]
_NOT_A_NAME = re.compile(r"\b(bestand|plaats|straat|locatie|bedrijf|organisatie|gemeente|file|user|gebruiker|"
                         r"instantie|school|project|document|product|host|domain|sheet|tab)")

NATIONALITIES = {
    "nederlandse", "dutch", "eritrese", "eritrean", "syrische", "syrian", "afghaanse", "afghan", "iraakse",
    "iraqi", "iraanse", "iranian", "somalische", "somali", "nigeriaanse", "nigerian", "marokkaanse", "moroccan",
    "turkse", "turkish", "algerijnse", "algerian", "libische", "libyan", "soedanese", "sudanese", "ethiopische",
    "ethiopian", "jemenitische", "yemeni", "georgische", "georgian", "albanese", "albanian", "oekraïense",
    "ukrainian", "russische", "russian", "chinese", "vietnamese", "pakistaanse", "pakistani", "indiase",
    "indian", "guinese", "guinean", "ghanese", "ghanaian", "kameroense", "cameroonian", "congolese",
    "tunesische", "tunisian", "egyptische", "egyptian", "braziliaanse", "brazilian", "colombiaanse",
    "colombian", "venezolaanse", "venezuelan", "poolse", "polish", "roemeense", "romanian", "bulgaarse",
    "bulgarian", "hongaarse", "hungarian", "stateloos", "stateless", "onbekend (nationaliteit)",
}

_EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
_PHONE_NL = re.compile(r"(?<![\w+])(?:\+31|0031|0)(?:[ \-]?\(0\))?[ \-]?[1-9](?:[ \-]?\d){8}(?![\d\-])")
_PHONE_INTL = re.compile(r"(?<![\w+])(?:\+|00)(?!31)[1-9]\d{0,2}(?:[ \-]?\d){6,12}(?![\d\-])")
_POSTCODE = re.compile(r"\b[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}\b")
_SIDE_CODES = ("LL-99-99", "99-99-LL", "99-LL-99", "LL-99-LL", "LL-LL-99", "99-LL-LL", "99-LLL-9", "9-LLL-99",
               "LL-999-L", "L-999-LL", "LLL-99-L", "L-99-LLL", "9-LL-999", "999-LL-9")


def _side_code_regex(sep: str) -> str:
    return "|".join("".join("[A-Z]" if ch == "L" else r"\d" if ch == "9" else sep for ch in code)
                    for code in _SIDE_CODES)


_PLATE = re.compile(r"(?<![\w-])(?:" + _side_code_regex("-") + r")(?![\w-])")
_PLATE_BARE = re.compile(r"^(?:" + _side_code_regex("") + r")$")
_BSN = re.compile(r"(?<![\w\-+./])\d{9}(?![\w\-])")
_PASSPORT_NL = re.compile(r"\b[A-NP-Z]{2}[A-NP-Z0-9]{6}\d\b")
_V_NUMBER_TEXT = re.compile(r"(?i)\b(?:v-?nummer|vreemdelingennummer|v-nr\.?)\s*:?\s*(\d{10})\b")
_DOB_TEXT = re.compile(r"(?i)\b(?:geboren(?: op)?|geb\.|geboortedatum|date of birth|born(?: on)?|dob)\s*:?\s*"
                       r"(\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2} [a-z]+ \d{4})")
_NAME_SHAPE = re.compile(r"^[^\W\d_][^\W\d_'’.\- ]*(?:[ '’.\-]+[^\W\d_]+)*\.?$", re.UNICODE)
_DATE_SHAPES = (re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$"), re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$"))


def valid_bsn(text: str) -> bool:
    """The BSN 11-check: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a multiple of 11 (8 digits get a leading 0)."""
    digits = re.sub(r"[ .]", "", text)
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not digits.isdigit() or int(digits) == 0:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0


def valid_iban(text: str) -> bool:
    """ISO 13616: move the first four characters to the end, letters to numbers, the result mod 97 is 1."""
    iban = text.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", iban):
        return False
    if iban.startswith("NL") and len(iban) != 18:
        return False
    digits = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


def is_nl_plate(text: str, bare_ok: bool = False) -> bool:
    value = text.strip().upper()
    return bool(_PLATE.fullmatch(value) or (bare_ok and _PLATE_BARE.match(value)))


def plausible_birth_date(text: str, is_date: bool = False) -> bool:
    for shape in _DATE_SHAPES:
        m = shape.match(text.strip())
        if not m:
            continue
        a, b, c = (int(x) for x in m.groups())
        y, mo, d = (a, b, c) if shape is _DATE_SHAPES[0] else (c, b, a)
        try:
            when = date(y, mo, d)
        except ValueError:
            return False
        return date(1900, 1, 1) <= when <= date.today()
    return False


def header_category(header: str | None) -> str | None:
    """The category a column header announces, or None."""
    if not header:
        return None
    text = re.sub(r"[_\s]+", " ", header.strip().lower()).strip(" :")
    if not text or len(text) > 60:
        return None
    for category, pattern in _HEADERS:
        if pattern.search(text):
            if category == "name" and _NOT_A_NAME.search(text):
                continue
            return category
    return None


def _phones(text: str) -> list[str]:
    found = [m.group(0) for m in _PHONE_NL.finditer(text)]
    found += [m.group(0) for m in _PHONE_INTL.finditer(text)]
    return found


def _with_header(category: str, text: str, is_date: bool) -> list[str]:
    """Values of a column headed as `category` that have the category's shape."""
    t = text.strip()
    digits = re.sub(r"[ .\-]", "", t)
    checks: dict[str, Callable[[], bool]] = {
        "name": lambda: len(t) <= 80 and len(t.split()) <= 6 and bool(_NAME_SHAPE.match(t)),
        "date_of_birth": lambda: plausible_birth_date(t, is_date),
        "nationality": lambda: len(t) <= 40 and bool(re.fullmatch(r"[^\W\d_][^\W\d_ \-()]*( [^\W\d_()\-]+)*", t)),
        "address": lambda: any(ch.isalpha() for ch in t),
        "residence": lambda: any(ch.isalpha() for ch in t),
        "bsn": lambda: valid_bsn(t),
        "v_number": lambda: digits.isdigit() and len(digits) == 10,
        "passport": lambda: bool(re.fullmatch(r"[A-Z0-9]{6,9}", t.upper())) and any(c.isdigit() for c in t),
        "licence_plate": lambda: is_nl_plate(t, bare_ok=True),
        "phone": lambda: bool(_phones(t)) or (digits.isdigit() and len(digits) in (9, 10) and digits[0] != "0"
                                              and digits[0] in "123456789"),
    }
    check = checks.get(category)
    return [t] if check is not None and check() else []


def _in_text(text: str, is_cell: bool) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}

    def add(category: str, items: Iterable[str]) -> None:
        items = list(items)
        if items:
            out.setdefault(category, []).extend(items)

    add("email", (m.group(0) for m in _EMAIL.finditer(text)))
    add("iban", (m.group(0) for m in _IBAN.finditer(text) if valid_iban(m.group(0))))
    add("phone", _phones(text))
    add("postcode", (m.group(0) for m in _POSTCODE.finditer(text)))
    add("licence_plate", (m.group(0) for m in _PLATE.finditer(text)))
    add("bsn", (m.group(0) for m in _BSN.finditer(text) if valid_bsn(m.group(0))))
    add("passport", (m.group(0) for m in _PASSPORT_NL.finditer(text) if sum(c.isdigit() for c in m.group(0)) >= 2))
    add("v_number", (m.group(1) for m in _V_NUMBER_TEXT.finditer(text)))
    add("date_of_birth", (m.group(1) for m in _DOB_TEXT.finditer(text)))
    if is_cell and text.strip().lower() in NATIONALITIES:
        add("nationality", [text.strip()])
    return out


_NUMBERISH = {"bsn", "phone", "passport", "v_number", "iban", "licence_plate", "postcode", "date_of_birth"}


def categorise(value: Value) -> dict[str, list[str]]:
    """Category -> matched strings for one value (header rule first, then value rules)."""
    found: dict[str, list[str]] = {}
    category = header_category(value.header)
    if category:
        hits = _with_header(category, value.text, value.is_date)
        if hits:
            found[category] = hits
    for cat, hits in _in_text(value.text, is_cell=bool(value.column)).items():
        if cat in found or (category in _NUMBERISH and cat in _NUMBERISH and found):
            continue
        found[cat] = hits
    return found


def _best(a: str | None, b: str) -> str:
    """The area of a record: visible if any value of it is visible, else whited-out, else hidden."""
    order = {VISIBLE: 0, WHITED_OUT: 1, HIDDEN: 2}
    return b if a is None or order[b] < order[a] else a


def count_categories(values: list[Value], show_values: bool) -> tuple[list[CategoryCount], int, dict[str, int]]:
    """(categories found, data subjects estimate, records by area) for the collected values."""
    from .model import mask

    counts: dict[str, CategoryCount] = {}
    record_area: dict[str, dict[str, str]] = {}  # category -> record -> area
    subjects: dict[str, str] = {}
    all_records: dict[str, str] = {}
    for value in values:
        all_records[value.record] = _best(all_records.get(value.record), value.area)
        for category, hits in categorise(value).items():
            c = counts.setdefault(category, CategoryCount(category, RULES[category]))
            c.values += len(hits)
            setattr(c, "values_" + value.area.replace("-", "_"), getattr(c, "values_" + value.area.replace("-", "_"))
                    + len(hits))
            areas = record_area.setdefault(category, {})
            areas[value.record] = _best(areas.get(value.record), value.area)
            for hit in hits:
                if len(c.samples) < SAMPLE_SIZE:
                    c.samples.append(hit if show_values else mask(hit))
            if category in SUBJECT_CATEGORIES:
                subjects[value.record] = value.area
    for category, areas in record_area.items():
        c = counts[category]
        c.records = len(areas)
        c.records_visible = sum(1 for a in areas.values() if a == VISIBLE)
        c.records_hidden = sum(1 for a in areas.values() if a == HIDDEN)
        c.records_whited_out = sum(1 for a in areas.values() if a == WHITED_OUT)
    ordered = [counts[k] for k in RULES if k in counts]
    by_area = {a: sum(1 for v in all_records.values() if v == a) for a in AREAS}
    return ordered, len(subjects), by_area
