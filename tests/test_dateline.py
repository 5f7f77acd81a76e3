"""Datelines: the common German header layouts fill ``published`` and ``dateline_place``.

The header lines are written for these tests in the style of police, agency and press-portal releases.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ingest.dateline import Dateline, parse_date_value, parse_dateline, parse_header


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
        ("BERLIN. 13.12.2019 – Der Senat hat beschlossen.", date(2019, 12, 13), "Berlin"),  # gazetteer spelling
        # DATE, places in any order: the town is the place
        ("Brand\n22.07.2025 Gewerbegebiet, Nauen, Havelland\nText.", date(2025, 7, 22), "Nauen"),
        # Ort (Agentur) – after a title line
        ("Bahnstreik geht weiter\nNEW YORK (AP) – Die Gewerkschaft ruft auf.", None, "New York"),
        # Ort – after a teaser sentence (derStandard)
        (
            "Der Landtag berät das Budget, die Opposition ist dagegen. Graz – Die steirische Landesregierung hat.",
            None,
            "Graz",
        ),
        ("Ein Zug entgleiste, niemand wurde verletzt. Winterthur/Zürich – Am Montag kam ein Zug.", None, "Winterthur"),
        # a date without a place
        ("DIZ 13.12.2019\nDas Netzwerk traf sich.", date(2019, 12, 13), None),
        ("02.02.2025 13:09 Uhr\nEin Fahrzeug brannte.", date(2025, 2, 2), None),
        ("Pressemitteilung 14.03.2024\nText.", date(2024, 3, 14), None),
    ],
)
def test_header_layouts(text, published, place):
    assert parse_header(text) == (published, place)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Einbruch in Lagerhalle\n22.07.2025 Nauen, Gewerbegebiet, Havelland\nUnbekannte drangen ein.",
            Dateline(date(2025, 7, 22), "Nauen", "Havelland", "Gewerbegebiet"),
        ),
        (
            "Unfall auf der B1\n21.07.2025 Havelland, Falkensee, Spandauer Straße\nEin Radfahrer stürzte.",
            Dateline(date(2025, 7, 21), "Falkensee", "Havelland", "Spandauer Straße"),
        ),
        (
            "Diebstahl\n20.07.2025 Golm, Potsdam\nEin Fahrrad wurde gestohlen.",  # an Ortsteil the gazetteer lacks
            Dateline(date(2025, 7, 20), "Potsdam", None, "Golm"),
        ),
        (
            "Nauen, Havelland, 19.07.2025 – Die Stadt saniert die Brücke.",
            Dateline(date(2025, 7, 19), "Nauen", "Havelland", None),
        ),
    ],
)
def test_dateline_lists_sort_locality_district_and_detail(text, expected):
    assert parse_dateline(text) == expected


def test_teaser_that_is_not_a_place_is_no_dateline():
    assert parse_header("Franzosen verteidigen 2:1-Führung – Kritik am Schiedsrichter. Der Text folgt.")[1] is None
    assert parse_header("Privater Besuch ohne Öffentlichkeit – Der Papst empfing den Gast.")[1] is None


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


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "Neue Regeln für Flüge. Frankfurt am Main - Die AUA-Mutter Lufthansa startet neue Tarife.",
            "Frankfurt am Main",
        ),
        ("Verdi will streiken. Bonn – Die Gewerkschaft stellt sich auf einen langen Streik ein.", "Bonn"),
        # several places around a spaced slash: the first the gazetteer knows
        ("Die Konservativen setzten sich durch. Hanoi / Phnom Penh – Die Erwartungen waren hoch.", "Hanoi"),
        ("Neue Regeln im Land. St. Pölten / Wien – Die Landesregierung beschloss sie.", "St. Pölten"),
        ("Er kam. Ried/Wien – Die SV Ried verlor.", "Ried"),
        ("Spielplan der Oper. K. k. Hof - Operntheater heute: Lohengrin.", None),
        ("Anzeigen. Damen – Hüte und Mäntel zu herabgesetzten Preisen.", None),
        ("Anzeigen. Oder – wie es früher hieß – die Waarenbörse.", None),
    ],
)
def test_a_running_dateline_needs_a_place_and_a_dash_that_ends_it(text, place):
    assert parse_dateline(text).place == place


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("BOZEN. Der Verein lädt am Donnerstag in die Aula.", "Bozen"),
        ("\nLANA (fm). Wie im restlichen Land macht sich die Union stark.", "Lana"),
        ("Meran  (ki). Ende Dezember zog die Initiative Bilanz.", "Meran"),
        ("Bozen . Wer seine Meinung äußert, sollte seinen Namen nennen.", "Bozen"),
        ("BOZEN(pir). „Es geht nicht mehr um die Frage“, sagte sie.", "Bozen"),
        ("St. Gallen (sda) Die Kantonspolizei meldet einen Unfall.", "St. Gallen"),
        ("WIEN/BOZEN. Er war es, der die Frage vor die Vereinten Nationen brachte.", "Wien"),
        ("Unfall am Morgen\nLINZ. Ein Radfahrer wurde verletzt.", "Linz"),
        # no place, or no full stop and no sign: no dateline
        ("Achtung. Die Polizei warnt vor Trickbetrügern.", None),
        ("ÖVP. Die Partei tagt am Montag.", None),
        ("Bozen Theater & Bühne: „Tante Jutta“ läuft heute.", None),
        ("Er wohnt in Wien. Die Polizei kam am Abend.", None),
        # an abbreviation, a guest list or a listing after a plain "Place.": no running text begins
        ("Jos. Paulmann, Kaufmann, und Frau.", None),
        ("Würzburg. Edler v. Schüttelsberg, Gutsbesitzer.", None),
        ("Meidling. Morgen: 10. Sektion. Marsch ins Grüne.", None),
    ],
)
def test_a_place_with_a_full_stop_or_a_sign_at_a_line_start_is_a_dateline(text, place):
    """The layout of Austrian, South Tyrolean and Swiss papers: "BOZEN. …", "LANA (fm). …", "St. Gallen (sda) …"."""
    assert parse_dateline(text).place == place


def test_a_date_inside_a_running_line_is_no_publication_date():
    text = (
        "Verlauf\n\nAngriff auf Port Arthur\n\nDer japanische Angriff auf den Hafen Port Arthur erfolgte in der Nacht "
        "vom 8. Februar auf den 9. Februar 1904. Die Flotte lag vor Anker und wurde überrascht."
    )
    assert parse_dateline(text).published is None
    assert parse_dateline("Berlin, 13.12.2019 – " + "Die Polizei sucht Zeugen eines Unfalls in Mitte. " * 4).published
