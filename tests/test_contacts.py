"""Phone numbers validated with phonenumbers: the digits German press text holds that are no phone.

The sentences are written for these tests in the style of police and press-office releases.
"""

from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalise.contacts import find_contacts


def phones(text: str) -> list[str]:
    return [c["value"] for c in find_contacts(text) if c["kind"] == "phone"]


@pytest.mark.parametrize(
    "text",
    [
        "Am 04.07.2025 gegen 22:05 Uhr bemerkte ein Anwohner den Brand.",  # date
        "Die Tat ereignete sich am 4.7.25 in der Nacht.",  # short date
        "Der Einsatz dauerte von 10:00 - 12:00 Uhr.",  # time range
        "Die Sprechzeiten sind von 9.30 – 11.45 Uhr.",  # dotted time range
        "Das Fahrzeug wurde in 15370 Fredersdorf-Vogelsdorf gefunden.",  # postcode
        "Pressemitteilung Nr. 0122 vom Dienstag",  # case number
        "Das Aktenzeichen lautet Az. 2 Js 1234/22.",  # file number
        "Es entstand ein Schaden von 15.000 Euro.",  # amount with thousands separator
        "Die Beute hatte einen Wert von 250000 Euro.",  # plain amount
        "Spenden bitte an IBAN DE89 3704 0044 0532 0130 00.",  # IBAN
        "Der Zeuge nannte das Kennzeichen 0815 4711 42.",  # number after a cue
        "am 04.07.2025, am 12.07.2025 und am 1.8.2025",  # a list of dates
    ],
)
def test_digits_that_are_no_phone(text):
    assert phones(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hinweise nimmt die Kriminalpolizei unter (030) 4664-912345 entgegen.", ["+49304664912345"]),
        ("Zeugen melden sich bitte unter der Rufnummer 0331 283-0.", ["+493312830"]),
        ("Tel.: +49 30 4664 4664, Fax 030 4664-4664999", ["+493046644664", "+493046644664999"]),
        ("Das Bürgertelefon 0800 1100 110 ist geschaltet.", ["+498001100110"]),
        ("Sie erreichen uns unter 030 46 64 - 97 11 00.", ["+49304664971100"]),
        ("per Telefax unter der Nummer (030) 4664-953199, per E-Mail", ["+49304664953199"]),
    ],
)
def test_real_phone_numbers(text, expected):
    assert phones(text) == expected


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2049, 12, 31)), st.sampled_from(["%d.%m.%Y", "%d.%m.%y"]))
def test_no_written_date_is_a_phone(day, layout):
    text = f"Der Vorfall vom {day.strftime(layout)} wird untersucht."
    assert phones(text) == []


@pytest.mark.parametrize("token", ["a-" * 450_000, "1-" * 450_000, "x@" * 450_000, "a." * 450_000, "0" * 900_000])
def test_long_adversarial_tokens_take_bounded_time(token):
    started = time.perf_counter()
    find_contacts(f"Kontakt: {token} Ende")
    assert time.perf_counter() - started < 15


def test_no_phone_on_berlin_releases_is_a_date(shared_data):
    from pipeline.ingest import Document, IngestOptions, iter_items

    options = IngestOptions(text_field="description", title_field="title", date_field="date")
    files = sorted((shared_data / "press" / "berlin_polizei").glob("*.csv"))
    found: list[str] = []
    seen = 0
    for item in iter_items([str(f) for f in files], options):
        if not isinstance(item, Document):
            continue
        seen += 1
        for contact in find_contacts(item.text):
            if contact["kind"] == "phone":
                found.append(item.text[contact["start_char"] : contact["end_char"]])
        if seen >= 1500:
            break
    assert seen >= 1000
    dates = [raw for raw in found if _reads_as_date(raw)]
    assert dates == []


def _reads_as_date(raw: str) -> bool:
    """Whether the digits of a phone match are a valid day.month.year."""
    parts = [p for p in raw.replace(" ", ".").split(".") if p]
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return False
    day, month, year = (int(p) for p in parts)
    try:
        date(year if year > 99 else 2000 + year, month, day)
    except ValueError:
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["www", ".", "de", "com", "/", ":", "http", "s", "polizei", "berlin", " ", "-", "WWW", "DE", "x"]
        ),
        max_size=14,
    ).map("".join)
)
def test_a_url_always_holds_its_hint(text):
    """The URL expression runs only on texts with "://", "www." or ".tld/": no URL it finds lacks them."""
    from pipeline.normalise.contacts import URL, URL_HINT

    assert URL.search(text) is None or URL_HINT.search(text) is not None
