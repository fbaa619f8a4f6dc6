"""Personal-data detectors: checksums, shapes and header hints, with valid and invalid examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from exposure.inspect import inspect_file
from exposure.inspect.model import VISIBLE, Value, mask
from exposure.inspect.personal import categorise, header_category, is_nl_plate, valid_bsn, valid_iban


@pytest.mark.parametrize(("bsn", "ok"), [("111222333", True), ("123456782", True), ("12345678", False),
                                         ("123456789", False), ("000000000", False), ("11122233", False),
                                         ("111.222.333", True)])
def test_bsn_11_check(bsn: str, ok: bool) -> None:
    assert valid_bsn(bsn) is ok


@pytest.mark.parametrize(("iban", "ok"), [("NL91ABNA0417164300", True), ("NL91 ABNA 0417 1643 00", True),
                                          ("GB82WEST12345698765432", True), ("NL91ABNA0417164301", False),
                                          ("NL91ABNA041716430", False)])
def test_iban_mod97(iban: str, ok: bool) -> None:
    assert valid_iban(iban) is ok


@pytest.mark.parametrize(("plate", "ok"), [("12-ABC-3", True), ("AB-12-CD", True), ("1-ABC-23", True),
                                           ("XX-999-X", True), ("12-34-56", False), ("ABCD-12", False)])
def test_dutch_side_codes(plate: str, ok: bool) -> None:
    assert is_nl_plate(plate) is ok


@pytest.mark.parametrize(("header", "category"), [("Achternaam", "name"), ("Geboortedatum", "date_of_birth"),
                                                  ("Nationaliteit", "nationality"), ("V-nummer", "v_number"),
                                                  ("Bestandsnaam", None), ("Locatienaam", None),
                                                  ("COA-locatie", "residence"), ("Kenteken", "licence_plate")])
def test_header_hints(header: str, category: str | None) -> None:
    assert header_category(header) == category


def _cats(text: str, header: str | None = None, column: str = "c") -> dict[str, list[str]]:
    return categorise(Value("r1", column, header, text, VISIBLE))


def test_value_rules() -> None:
    assert _cats("mail j.jansen@example.nl of bel +31 6 12345678", column="") == {
        "email": ["j.jansen@example.nl"], "phone": ["+31 6 12345678"]}
    assert _cats("geboren op 12-03-1990 te Utrecht", column="")["date_of_birth"] == ["12-03-1990"]
    assert _cats("1234 AB Utrecht", column="")["postcode"] == ["1234 AB"]
    assert "v_number" in _cats("v-nummer 2345678901", column="")
    assert _cats("NW92BDK81") == {"passport": ["NW92BDK81"]}
    assert _cats("12-05-1990") == {}  # a date without a birth header is not a date of birth
    assert _cats("12-05-1990", header="Geboortedatum") == {"date_of_birth": ["12-05-1990"]}
    assert _cats("12-05-2990", header="Geboortedatum") == {}
    assert _cats("Jan de Vries", header="Naam") == {"name": ["Jan de Vries"]}
    assert _cats("Jan de Vries") == {}  # no header, no name
    assert _cats("Eritrese") == {"nationality": ["Eritrese"]}
    assert _cats("2345678901", header="V-nummer") == {"v_number": ["2345678901"]}
    assert _cats("123456789") == {}  # fails the 11-check


def test_mask_keeps_shape() -> None:
    assert mask("Jan de Vries") == "J** d* V****"
    assert mask("06-12345678") == "0*-1*******"


def test_csv_counts_are_visible(tmp_path: Path) -> None:
    path = tmp_path / "lijst.csv"
    path.write_text("naam;iban;telefoon\nAnna Bakker;NL91ABNA0417164300;0612345678\n"
                    "Piet Smit;NL91ABNA0417164301;0687654321\n", encoding="utf-8")
    insp = inspect_file(path)
    assert insp.doc_type == "csv" and insp.findings == []
    assert insp.category("name").records_visible == 2
    assert insp.category("iban").values == 1  # the second fails mod-97
    assert insp.category("phone").records == 2
    assert insp.data_subjects_estimate == 2
