"""Datelines: the common German header layouts fill ``published`` and ``dateline_place``.

The header lines are written for these tests in the style of police, agency and press-portal releases.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ingest.dateline import parse_date_value, parse_header


@pytest.mark.parametrize(
    ("text", "published", "place"),
    [
        # Ort, DATE
        ("Bruchsal, 13.12.2019 – Der Digital Hub lädt ein.", date(2019, 12, 13), "Bruchsal"),
        ("Königs Wusterhausen, 3. März 2024 – Die Stadt saniert die Brücke.", date(2024, 3, 3), "Königs Wusterhausen"),
        # DATE Ort
        (
            "Brand einer Scheune\n04.07.2025 Fürstenwalde/Spree\nAm Freitagabend brannte es.",
            date(2025, 7, 4),
            "Fürstenwalde/Spree",
        ),
        # DATE Ort, Kreis
        (
            "Einbruch in Kiosk\n05.07.2025 Schwedt/Oder, Uckermark\nUnbekannte drangen ein.",
            date(2025, 7, 5),
            "Schwedt/Oder",
        ),
        (
            "Unfall\n06.07.2025 Brandenburg an der Havel, Brandenburg an der Havel\nText.",
            date(2025, 7, 6),
            "Brandenburg an der Havel",
        ),
        ("07.07.2025 Frankfurt (Oder)\nEin Radfahrer wurde verletzt.", date(2025, 7, 7), "Frankfurt (Oder)"),
        # Ort (dpa) –
        ("Berlin (dpa) – Die Polizei hat am Montag einen Mann festgenommen.", None, "Berlin"),
        ("Potsdam (epd) - Die Landesregierung hat beschlossen.", None, "Potsdam"),
        # press portal
        ("Hamburg (ots) - Am Montagmorgen kam es zu einem Unfall.", None, "Hamburg"),
        ("Grünheide (Mark) (ots) - Die Feuerwehr rückte aus.", None, "Grünheide (Mark)"),
        # ORT. DATE –
        ("BERLIN. 13.12.2019 – Der Senat hat beschlossen.", date(2019, 12, 13), "BERLIN"),
        # a date without a place
        ("DIZ 13.12.2019\nDas Netzwerk traf sich.", date(2019, 12, 13), None),
        ("02.02.2025 13:09 Uhr\nEin Fahrzeug brannte.", date(2025, 2, 2), None),
        ("Pressemitteilung 14.03.2024\nText.", date(2024, 3, 14), None),
    ],
)
def test_header_layouts(text, published, place):
    assert parse_header(text) == (published, place)


def test_running_text_is_no_dateline():
    text = "Polizei meldet Einbruch\nIn der Nacht zu Montag drangen Unbekannte in einen Kiosk ein (siehe Foto) – das Geld fehlt."
    assert parse_header(text)[1] is None


@pytest.mark.parametrize("value", ["01.01.0000", "0000-01-01", "31.02.2024", "00.00.0000", "01.13.2020"])
def test_invalid_dates_are_none(value):
    assert parse_date_value(value) is None


def test_year_zero_in_a_header_is_not_a_date():
    assert parse_header("01.01.0000 Berlin\nText.") == (None, None)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1000, 1, 1), max_value=date(2099, 12, 31)))
def test_numeric_dates_round_trip(day):
    assert parse_date_value(day.strftime("%d.%m.%Y")) == day
    assert parse_header(f"{day.strftime('%d.%m.%Y')} Fürstenwalde/Spree, Oder-Spree\nText.") == (
        day,
        "Fürstenwalde/Spree",
    )


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_without_error(text):
    published, place = parse_header(text)
    assert published is None or isinstance(published, date)
    assert place is None or (place and place in text)


def test_a_date_phrase_is_no_place():
    text = "Präventionstage\nNr. 1254\nVon Montag, 3. Juni 2019 bis Freitag, 7. Juni 2019, beraten Fachleute."
    assert parse_header(text) == (date(2019, 6, 3), None)
