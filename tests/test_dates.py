"""German date and time detection (rules) and normalisation anchored to the release date."""

from __future__ import annotations

import csv
from datetime import date

import pytest
import spacy
from conftest import CORPUS
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.german import MONTHS
from pipeline.nlp.dates import SPAN_KEY
from pipeline.nlp.tokenizer import customize_tokenizer
from pipeline.normalise.dates import normalise_date, normalise_expression, normalise_time
from pipeline.normalise.durations import normalise_duration, normalise_set

REF = date(2019, 12, 13)
MONTH_NAMES = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]


@pytest.fixture(scope="module")
def nlp():
    nlp = customize_tokenizer(spacy.blank("de"))
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("pressewerk_dates")
    return nlp


def found(nlp, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)
    return [(span.text, span.label_) for span in doc.spans[SPAN_KEY]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DIZ 13.12.2019", ("13.12.2019", "DATE")),
        ("Stand 13.12.19", ("13.12.19", "DATE")),
        ("am 13. Dezember 2019", ("13. Dezember 2019", "DATE")),
        ("vom 13. Dez. 2019 an", ("13. Dez. 2019", "DATE")),
        ("seit Dezember 2019", ("Dezember 2019", "DATE")),
        ("am 2019-12-13", ("2019-12-13", "DATE")),
        ("hat 2017 die Initiative gegründet", ("2017", "DATE")),
        ("standen am 9. Dezember auf der Agenda", ("9. Dezember", "DATE")),
        ("zum 1. März eingerichtet", ("1. März", "DATE")),
        ("im Oktober", ("Oktober", "DATE")),
        ("Am 13.12. kam es", ("13.12.", "DATE")),
        ("Heute beginnt", ("Heute", "DATE")),
        ("wurde gestern festgenommen", ("gestern", "DATE")),
        ("kommt morgen an", ("morgen", "DATE")),
        ("am Montag", ("Montag", "DATE")),
        ("vergangene Woche", ("vergangene Woche", "DATE")),
        ("im vergangenen Oktober", ("vergangenen Oktober", "DATE")),
        ("nächstes Jahr", ("nächstes Jahr", "DATE")),
        ("vor zwei Wochen", ("vor zwei Wochen", "DATE")),
        ("in drei Monaten", ("drei Monaten", "DATE")),
        ("Anfang 2020", ("Anfang 2020", "DATE")),
        ("bis Mitte Mai", ("Mitte Mai", "DATE")),
        ("Ende des Jahres", ("Ende des Jahres", "DATE")),
        ("im Herbst", ("Herbst", "DATE")),
        ("im ersten Quartal 2021", ("ersten Quartal 2021", "DATE")),
        ("im ersten Halbjahr", ("ersten Halbjahr", "DATE")),
        ("seit 2017", ("2017", "DATE")),
        ("Seit 2015 Mitglied des Vorstands.", ("2015", "DATE")),
        ("2019 wurden 400 Menschen verletzt.", ("2019", "DATE")),
        ("vom 3. bis 5. Mai 2020", ("3. bis 5. Mai 2020", "DATE")),
        ("am 3.–5. Mai", ("3.–5. Mai", "DATE")),
        ("2019–2021", ("2019–2021", "DATE")),
        ("zwischen Januar und März", ("Januar und März", "DATE")),
        ("bis Ende 2022", ("Ende 2022", "DATE")),
        ("um 15 Uhr", ("15 Uhr", "TIME")),
        ("um 15:11 Uhr", ("15:11 Uhr", "TIME")),
        ("gegen 14.30 Uhr", ("14.30 Uhr", "TIME")),
        ("am Abend", ("Abend", "TIME")),
    ],
)
def test_detects(nlp, text, expected):
    assert expected in found(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "Die Kosten stiegen um 2.000 Euro und 15 Prozent.",
        "Die Initiative Wirtschaft 4.0 fungiert als Dach.",
        "Version 2.3.1 wurde veröffentlicht.",
        "Telefon 0721 123456 oder Fax 0721 123457.",
        "Die Pressemitteilung Nr. 0300 betrifft den Einsatz.",
        "gemeinsam mit den 36 Partnerorganisationen",
        "Das DIZ wird im dreijährigen Förderzeitraum fungieren.",
        "Rund 2000 Menschen demonstrierten.",
        "Nr. 2017 der Reihe",
        "Der Schaden beläuft sich auf etwa 1000 Euro.",
        "Rund 2000 Krankenhaus-Beschäftigte wollen streiken.",
        "Der IC 2030 nach Hannover Hbf fällt aus, der ICE 1296 fährt später.",
        "Die Kolleginnen und Kollegen trafen sich mit der Leitung, die mit dem Team sprach.",
    ],
)
def test_not_dates(nlp, text):
    assert [t for t in found(nlp, text) if t[1] == "DATE"] == []


@pytest.mark.parametrize(
    ("text", "context", "value", "granularity"),
    [
        ("13.12.2019", "", "2019-12-13", "day"),
        ("9. Dezember", "standen am 9. Dezember auf der Agenda", "2019-12-09", "day"),
        ("vergangenen Oktober", "im vergangenen Oktober.", "2019-10", "month"),
        ("4. Mai 2020", "", "2020-05-04", "day"),
        ("4. Mai", "Am 4. Mai steht der nächste Digitalgipfel an.", "2020-05-04", "day"),
        ("2017", "", "2017", "year"),
        ("1. März 2019", "", "2019-03-01", "day"),
        ("Dezember 2015", "", "2015-12", "month"),
        ("vergangene Woche", "", "2019-W49", "week"),
        ("ersten Quartal 2021", "", "2021-Q1", "quarter"),
        ("Herbst", "im Herbst", "2019-FA", "season"),
        ("Sommer 2019", "", "2019-SU", "season"),
        ("3. bis 5. Mai 2020", "", "2020-05-03/2020-05-05", "day"),
        ("2019–2021", "", "2019/2021", "year"),
        ("gestern", "", "2019-12-12", "day"),
        # REF is a Friday: "vergangenen Freitag" is a week ago, a bare "Freitag" in the past tense today
        ("vergangenen Freitag", "Am vergangenen Freitag wurde er festgenommen.", "2019-12-06", "day"),
        ("Freitag", "Am Freitag wurde er festgenommen.", "2019-12-13", "day"),
        ("vergangenen Donnerstag", "Am vergangenen Donnerstag kam er.", "2019-12-12", "day"),
        ("nächstes Jahr", "", "2020", "year"),
        ("vor zwei Wochen", "", "2019-W48", "week"),
        ("Anfang 2020", "", "2020", "year"),
    ],
)
def test_normalises(text, context, value, granularity):
    result = normalise_date(text, REF, context)
    assert (result.value, result.granularity) == (value, granularity)
    assert result.start <= result.end


@pytest.mark.parametrize(
    ("text", "context", "value"),
    [
        (
            "Nachmittag des vergangenen Donnerstags",
            "Am Nachmittag des vergangenen Donnerstags brannte es.",
            "2019-12-12TAF",
        ),
        ("Nacht des Samstags", "In der Nacht des Samstags brannte ein Auto.", "2019-12-07TNI"),  # that one, not every
        (
            "Morgenstunden des heutigen Tages",
            "bis in die Morgenstunden des heutigen Tages wurde gelöscht.",
            "2019-12-13TMO",
        ),
    ],
)
def test_a_part_of_a_day_named_in_the_genitive_takes_that_day(text, context, value):
    from pipeline.normalise.dates import normalise_expression

    assert normalise_expression(text, "TIME", REF, context) == value


def test_never_pads_what_the_text_did_not_say():
    december = normalise_date("Dezember 2015", REF)
    assert december.value == "2015-12" and december.start == date(2015, 12, 1) and december.end == date(2015, 12, 31)
    assert normalise_date("2017", REF).value == "2017"


def test_no_reference_keeps_relative_values_null():
    assert normalise_date("gestern", None).value is None
    assert normalise_date("am Montag", None).value is None
    assert normalise_date("9. Dezember", None).value == "XXXX-12-09"
    assert normalise_date("13.12.2019", None).value == "2019-12-13"


def test_times():
    assert normalise_time("15 Uhr") == "15:00"
    assert normalise_time("14.30 Uhr") == "14:30"
    assert normalise_time("15:11 Uhr") == "15:11"
    assert normalise_time("Abend") == "EV"


def test_expression_table_value_accuracy():
    path = CORPUS / "dates" / "expressions.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert len(rows) >= 250
    assert {row["timex_type"] for row in rows} == {"DATE", "TIME", "DURATION", "SET"}
    assert {"PRESENT_REF", "PAST_REF", "FUTURE_REF", "195", "18", "2019-W50-WE"} <= {row["expected"] for row in rows}
    misses = []
    for row in rows:
        reference = date.fromisoformat(row["reference_date"])
        value = normalise_expression(row["expression"], row["timex_type"], reference, row["context"])
        if (value or "") != row["expected"]:
            misses.append((row["expression"], row["reference_date"], row["expected"], value))
    accuracy = 1 - len(misses) / len(rows)
    assert accuracy >= 0.95, misses


dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))


@settings(max_examples=300, deadline=None)
@given(day=dates)
def test_numeric_round_trip(day):
    assert normalise_date(f"{day.day}.{day.month}.{day.year}", REF).value == day.isoformat()
    assert normalise_date(f"{day.day:02d}.{day.month:02d}.{day.year}", None).value == day.isoformat()
    assert normalise_date(day.isoformat(), None).value == day.isoformat()


@settings(max_examples=300, deadline=None)
@given(day=dates, abbreviate=st.booleans())
def test_written_round_trip(day, abbreviate):
    month = MONTH_NAMES[day.month - 1]
    if abbreviate and len(month) > 4:
        month = month[:3] + "."
    assert normalise_date(f"{day.day}. {month} {day.year}", REF).value == day.isoformat()
    assert normalise_date(f"{MONTH_NAMES[day.month - 1]} {day.year}", REF).value == f"{day.year:04d}-{day.month:02d}"


@settings(max_examples=200, deadline=None)
@given(day=dates, reference=dates)
def test_partial_dates_are_the_nearest_occurrence(day, reference):
    if (day.month, day.day) == (2, 29):
        return
    value = normalise_date(f"{day.day}. {MONTH_NAMES[day.month - 1]}", reference)
    resolved = date.fromisoformat(value.value)
    assert (resolved.month, resolved.day) == (day.month, day.day)
    assert abs((resolved - reference).days) <= 366 // 2 + 1


@settings(max_examples=100, deadline=None)
@given(day=dates)
def test_detector_finds_written_dates(nlp, day):
    text = f"Die Veranstaltung fand am {day.day}. {MONTH_NAMES[day.month - 1]} {day.year} in Köln statt."
    assert (f"{day.day}. {MONTH_NAMES[day.month - 1]} {day.year}", "DATE") in found(nlp, text)


def test_month_names_cover_abbreviations():
    assert all(name.lower() in MONTHS for name in MONTH_NAMES)


def temporal_mentions(nlp, text: str, published: date | None = None) -> list[dict]:
    """Every mention after the mentions and dates stages."""
    from pipeline.ingest.document import Document
    from pipeline.normalise.dates import NormaliseDates
    from pipeline.normalise.mentions import CollectMentions
    from pipeline.normalise.stages import Extraction

    item = Extraction(document=Document(doc_id="t", source="t", text=text, published=published), doc=nlp(text))
    return NormaliseDates()(CollectMentions()(item)).mentions


def date_values(nlp, text: str, published: date | None = None) -> list[tuple[str, str | None]]:
    """(text, value) of every DATE mention after the mentions and dates stages."""
    return [(m["text"], m["timex_value"]) for m in temporal_mentions(nlp, text, published) if m["label"] == "DATE"]


# Sentences from GermEval 2014 (Wikipedia and news, CC BY 4.0): anaphoric dates count from the
# last date the text gave, not from the publication date.
@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        (
            "1983 wurden Agenturen in Kanada angeschlossen , drei Jahre später folgte mit Großbritannien das erste "
            "Land in Europa .",
            None,
            [("1983", "1983"), ("drei Jahre später", "1986")],
        ),
        (
            "Nachdem er 1937 Generaldirektor der Veitscher Magnesitwerke geworden war , wurde er nach dem Anschluss "
            "Österreichs ein Jahr später seines Postens enthoben .",
            None,
            [("1937", "1937"), ("ein Jahr später", "1938")],
        ),
        (
            "1966 besuchten sowohl Elisabeth II. als auch der für die Rastafari wichtige Haile Selassie unter großem "
            "Jubel die Insel , im gleichen Jahr fand mit den British Empire and Commonwealth Games das größte "
            "sportliche Ereignis der Geschichte des Landes statt .",
            None,
            [("1966", "1966"), ("gleichen Jahr", "1966")],
        ),
        (
            "Die Statistik des Jahres 2003 führt 39 325 Erschossene auf , ein Jahr später sind es 36 119.",
            date(2005, 10, 24),
            [("Jahres 2003", "2003"), ("ein Jahr später", "2004")],
        ),
        (
            "Am 5. Dezember 1941 begann die Gegenoffensive. Am nächsten Tag zog sich die Armee zurück. Im Jahr darauf "
            "kam sie wieder, im Sommer desselben Jahres stand sie an der Wolga. Heute erinnert ein Denkmal daran.",
            None,
            [
                ("5. Dezember 1941", "1941-12-05"),
                ("nächsten Tag", "1941-12-06"),
                ("Jahr darauf", "1942"),
                ("Sommer desselben Jahres", "1942-SU"),
                ("Heute", "PRESENT_REF"),
            ],
        ),
    ],
)
def test_anaphoric_dates_count_from_the_narrative_time(nlp, text, published, expected):
    assert date_values(nlp, text, published) == expected


def test_history_text_without_reference_takes_the_year_of_the_narrative(nlp):
    text = "Im Sommer 1942 zog die Armee nach Süden. Im November stand sie vor Stalingrad; drei Tage danach kam der Angriff."
    assert date_values(nlp, text) == [("Sommer 1942", "1942-SU"), ("November", "1942-11"), ("drei Tage danach", None)]
    assert date_values(nlp, "Im Winter 1941/42 stand die Armee vor Moskau.") == [("Winter 1941/42", "1941-WI")]
    # Deictic words refer to the unknown time of writing: still null, even with a narrative anchor.
    assert date_values(nlp, "1990 wurde das Werk gebaut. Vor zwei Jahren wurde es geschlossen.")[1] == (
        "Vor zwei Jahren",
        None,
    )
    # With a release date, partial dates keep the release-date rule.
    assert date_values(nlp, "1990 wurde das Werk gebaut. Am 9. Dezember wurde es geschlossen.", REF)[1] == (
        "9. Dezember",
        "2019-12-09",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Im Jahr 44 v. Chr. wurde Caesar ermordet.", [("Jahr 44 v. Chr.", "BC0044")]),
        ("Caesar starb am 15. März 44 v. Chr. in Rom.", [("15. März 44 v. Chr.", "BC0044-03-15")]),
        ("Im 3. Jahrhundert v. Chr. lebte er.", [("3. Jahrhundert v. Chr.", "BC02")]),
        ("Galba ( 68 n. Chr.) folgte Nero.", [("68 n. Chr.", "0068")]),
        ("Im Spätsommer 1944 wurde Paris befreit.", [("Spätsommer 1944", "1944-SU")]),
        ("Ende der 1980er-Jahre fiel die Mauer.", [("Ende der 1980er-Jahre", "198")]),
    ],
)
def test_history_expressions(nlp, text, expected):
    assert date_values(nlp, text) == expected


# TIMEX3 classes beyond calendar dates (issue #14), in sentences written for these tests.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Damals ermittelte die Kriminalpolizei.", ("Damals", "DATE")),
        ("Die Brücke wurde vor kurzem saniert.", ("vor kurzem", "DATE")),
        ("In der Vergangenheit kam es hier zu Unfällen.", ("Vergangenheit", "DATE")),
        ("Der Umsatz stieg gegenüber dem Vorjahr.", ("Vorjahr", "DATE")),
        ("Am Wochenende wurde eingebrochen.", ("Wochenende", "DATE")),
        ("Die Siedlung entstand in den fünfziger Jahren.", ("fünfziger Jahren", "DATE")),
        ("Sie stammt aus der ersten Hälfte des 15. Jahrhunderts.", ("ersten Hälfte des 15. Jahrhunderts", "DATE")),
        ("Im Sommer des Jahres 2005 brannte es.", ("Sommer des Jahres 2005", "DATE")),
        ("Im Jahr 2001 wurde der Verein gegründet.", ("Jahr 2001", "DATE")),
        ("In der Nacht des 14. August brannte eine Scheune.", ("Nacht des 14. August", "TIME")),
        ("Er starb am Nachmittag des vergangenen Freitags.", ("Nachmittag des vergangenen Freitags", "TIME")),
        ("In der Nacht des Samstags brannte ein Auto.", ("Nacht des Samstags", "TIME")),
        ("Bis in die Morgenstunden des heutigen Tages wurde gelöscht.", ("Morgenstunden des heutigen Tages", "TIME")),
        ("Am Freitagabend wurde die Feuerwehr alarmiert.", ("Freitagabend", "TIME")),
        ("Er saß drei Jahre in Haft.", ("drei Jahre", "DURATION")),
        ("Seit zwei Wochen wird die Frau vermisst.", ("zwei Wochen", "DURATION")),
        ("Der Einsatz dauerte etwa eine Stunde.", ("etwa eine Stunde", "DURATION")),
        ("Die dreitägige Konferenz beginnt.", ("dreitägige", "DURATION")),
        ("Das Fest findet jährlich statt.", ("jährlich", "SET")),
        ("Der Markt ist jeden Montag geöffnet.", ("jeden Montag", "SET")),
        ("Die Gruppe trifft sich zweimal pro Woche.", ("zweimal pro Woche", "SET")),
        ("Die Bibliothek ist montags geschlossen.", ("montags", "SET")),
        ("In der Silvesternacht brannten mehrere Mülltonnen.", ("Silvesternacht", "TIME")),
        ("Am Neujahrsmorgen fand ein Passant den Mann.", ("Neujahrsmorgen", "TIME")),
        ("Mitteilung vom 12 / 09 / 15 -- die Firma gab bekannt", ("12 / 09 / 15", "DATE")),
        ("Stand: 25/12/2015", ("25/12/2015", "DATE")),
    ],
)
def test_detects_timex3_classes(nlp, text, expected):
    assert expected in found(nlp, text)


@pytest.mark.parametrize(
    "text", ["Das sind 3/4 der Fälle.", "Stand 31/02/15", "Er las Band 2/3/4 der Reihe.", "Die Tagesmitternacht"]
)
def test_no_slash_date_or_holiday_part_where_none_is(nlp, text):
    assert not [t for t, label in found(nlp, text) if label in ("DATE", "TIME")]


def test_holiday_parts_read_back():
    """Every "holiday + part of day" word the detector knows has a day and a part of day."""
    from pipeline.nlp.dates import _HOLIDAY_NAMES
    from pipeline.nlp.timex_words import holiday_part_forms

    forms = holiday_part_forms(_HOLIDAY_NAMES)
    assert {"silvesternacht", "neujahrsmorgen", "weihnachtsabend", "osternacht", "pfingstmontagabend"} <= forms
    for form in forms:
        value = normalise_expression(form.capitalize(), "TIME", REF)
        assert value is not None and value[:4].isdigit() and value[10:11] == "T", (form, value)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=date(1950, 1, 1), max_value=date(2049, 12, 31)))
def test_slash_dates_read_day_first_or_as_the_release_date_says(day):
    """A day-first reading when only it is possible; with both possible, the one nearest the release."""
    text = f"{day.day:02d}/{day.month:02d}/{day.year}"
    value = normalise_date(text, day).value
    assert value == day.isoformat()
    if day.day > 12:
        assert normalise_date(text, None).value == day.isoformat()


@pytest.mark.parametrize(
    "text",
    [
        "Der 34 Jahre alte Mann wurde festgenommen.",
        "Die Beschuldigten im Alter zwischen 25 und 57 Jahren schwiegen.",
        "Der Zug fuhr früher als geplant ab.",
        "Der 25-Jährige flüchtete.",
        "Ein 36 Jahre\n    alter Mann wurde festgenommen.",
        "Die Verletzten im Alter von zweimal 30 sowie jeweils einmal 39 und 42 Jahren kamen in Kliniken.",
        "Es stritten drei Männer im Alter von 23 Jahren, 30 Jahren und 49 Jahren.",
        "Er hielt zwei Kinder im Alter von elf und zwölf Jahren fest.",
    ],
)
def test_ages_and_comparisons_are_not_timexes(nlp, text):
    assert [t for t in found(nlp, text) if t[1] in ("DURATION", "DATE")] == []


@settings(max_examples=200, deadline=None)
@given(
    amount=st.integers(min_value=1, max_value=999),
    unit=st.sampled_from(
        [("Jahre", "P{}Y"), ("Monate", "P{}M"), ("Wochen", "P{}W"), ("Tage", "P{}D"), ("Stunden", "PT{}H"),
         ("Minuten", "PT{}M")]
    ),
)  # fmt: skip
def test_duration_values(amount, unit):
    word, value = unit
    assert normalise_duration(f"{amount} {word}") == value.format(amount)
    assert normalise_duration(f"etwa {amount} {word}") == value.format(amount)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=30))
def test_duration_and_set_normalisers_never_crash(text):
    normalise_duration(text)
    normalise_set(text)
    normalise_expression(text, "TIME", REF)


def test_a_span_of_time_before_later_is_no_duration(nlp):
    assert [t for t in found(nlp, "Er starb wenige Tage später im Krankenhaus.") if t[1] == "DURATION"] == []
    assert ("rund zwei Stunden", "DURATION") in found(nlp, "Die Straße war rund zwei Stunden gesperrt.")


def test_set_quantifier_and_frequency():
    assert normalise_set("jeden Montag") == normalise_set("montags")
    assert (normalise_set("jeden Montag").value, normalise_set("jeden Montag").quant) == ("XXXX-WXX-1", "EVERY")
    twice = normalise_set("zweimal pro Woche")
    assert (twice.value, twice.quant, twice.freq) == ("P1W", None, "2X")
    assert normalise_set("alle zwei Wochen").value == "P2W"


def test_times_take_the_narrative_day(nlp):
    # Issue #12: "gestern ... gegen 22:05 Uhr" is yesterday evening, not the release date.
    monday = date(2019, 12, 16)
    mentions = temporal_mentions(nlp, "Gestern Abend kam es gegen 22:05 Uhr zu einem Brand.", monday)
    time = next(m for m in mentions if m["text"] == "22:05 Uhr")
    assert time["timex_value"] == "2019-12-15T22:05" and time["time"] == "22:05"
    assert time["datetime"].isoformat() == "2019-12-15T22:05:00"
    # Without any date in the text the release date is the day.
    time = next(m for m in temporal_mentions(nlp, "Gegen 9 Uhr stürzte ein Radfahrer.", monday) if m["label"] == "TIME")
    assert time["timex_value"] == "2019-12-16T09:00"


def test_past_tense_weekday_evening_is_before_the_release(nlp):
    monday = date(2019, 12, 16)
    for text in (
        "Am Freitagabend wurde die Feuerwehr zu einem Brand alarmiert.",
        "Am Freitagabend alarmierten Anwohner die Polizei.",
        "Ein Mann soll am Freitagabend einen Radfahrer geschlagen haben.",
    ):
        time = next(m for m in temporal_mentions(nlp, text, monday) if m["label"] == "TIME")
        assert time["timex_value"] == "2019-12-13TEV", text


def test_ranges_are_two_timexes_with_the_range_as_start_and_end(nlp):
    mentions = [m for m in temporal_mentions(nlp, "Von 1983 bis 1990 lebte sie in Köln.") if m["label"] == "DATE"]
    assert [(m["text"], m["timex_value"]) for m in mentions] == [("1983", "1983"), ("1990", "1990")]
    assert {(m["value_start"], m["value_end"]) for m in mentions} == {(date(1983, 1, 1), date(1990, 12, 31))}
    mentions = [m for m in temporal_mentions(nlp, "Die Messe läuft vom 3. bis 5. Mai 2020.") if m["label"] == "DATE"]
    assert [(m["text"], m["timex_value"]) for m in mentions] == [("3.", "2020-05-03"), ("5. Mai 2020", "2020-05-05")]


def test_nun_is_not_a_timex_in_an_undated_narrative(nlp):
    text = "1940 griff die Armee an. Von nun an stand sie vor Paris."
    assert date_values(nlp, text) == [("1940", "1940")]
    assert ("nun", "PRESENT_REF") in date_values(nlp, text, REF)  # with a release date: the time of writing


def test_a_weekday_after_a_year_is_no_day_of_that_year(nlp):
    # an undated article: "Montag" after "1977" was the value 1977; a weekday needs a day to count from
    text = "1977 erwachte die Villa wieder. Heute, Montag, fährt der Außenminister vor."
    assert dict(date_values(nlp, text))["Montag"] is None
    text = "Am 9. März 1977 erwachte die Villa wieder. Am Montag fuhr der Außenminister vor."
    assert dict(date_values(nlp, text))["Montag"] == "1977-03-07"  # the Monday nearest the day the text gave
    text = "1940 griff die Armee an. Am Sonntag, 5. Mai, fiel die Stadt."
    assert dict(date_values(nlp, text))["Sonntag, 5. Mai"] == "1940-05-05"  # a day of the month takes the year


def test_flashbacks_do_not_move_the_narrative_year(nlp):
    text = "Im Jahr 1862 griff die Armee an, zwei Jahre zuvor war sie gegründet worden. Im Oktober zog sie ab."
    assert date_values(nlp, text)[-1] == ("Oktober", "1862-10")


# Issue #21: reference words only where they are temporal adverbials (sentences written for these tests).
@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Damals war die Brücke noch aus Holz.", "Damals"),
        ("Die Halle ist jetzt mit neuen Geräten ausgestattet.", "jetzt"),
        ("Jetzt haben Forscher gezeigt, wie es geht.", "Jetzt"),
        ("Früher lag hier ein Hafen.", "Früher"),
        ("Der Bürgermeister hat kürzlich das Amt übergeben.", "kürzlich"),
        ("Die neue Linie soll bald fahren.", "bald"),
        ("Die Brücke wurde vor kurzem saniert.", "vor kurzem"),
        ("Von nun an gilt die neue Regel.", "nun"),
        ("In naher Zukunft soll die Halle öffnen.", "naher Zukunft"),
        ("In der Vergangenheit kam es hier zu Unfällen.", "Vergangenheit"),
    ],
)
def test_reference_words_that_are_temporal_adverbials(nlp, text, word):
    assert (word, "DATE") in found(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "Bislang unbekannte Täter brachen in das Vereinsheim ein.",  # modifies an adjective before its noun
        "Die bisher Unbekannten flüchteten zu Fuß.",  # a nominalised adjective after an article
        "Die damals zuständige Richterin schwieg.",
        "Der damals 20-Jährige wurde verurteilt.",
        "Die früher selbstständige Gemeinde gehört zur Stadt.",
        "Ein kürzlich eröffnetes Café wurde beschädigt.",
        "Die Kriminalpolizei ermittelt nun.",  # "nun": a connective, not a time
        "Nun ja, so war es eben.",
        "Das ist nun einmal so.",
        "Ob er nun drei oder zehn Euro zahlte, weiß niemand.",
        "Was nun?",
        "Die Ermittlungen dauern derzeit an.",  # frame words: the clause's tense says when
        "Hinweise auf die Täter gibt es bislang nicht.",
        "Künftig sollen die Busse öfter fahren.",
        "Die Stadt investiert in Schulen für die Zukunft.",  # "Zukunft" is a time only after "in"
        "Der Blick richtet sich in die Zukunft.",
        "Der Streit soll der Vergangenheit angehören.",
    ],
)
def test_reference_words_that_are_no_timex(nlp, text):
    values = [m["timex_value"] for m in temporal_mentions(nlp, text, REF) if m["label"] == "DATE"]
    assert not any(v and v.endswith("_REF") for v in values), text


WEDNESDAY = date(2019, 12, 11)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Am Freitag wurde der Mann festgenommen.", "2019-12-06"),  # past tense looks back
        ("Am Montag hat die Polizei zwei Männer festgenommen.", "2019-12-09"),  # perfect
        ("Die Polizei sucht den Mann, der am Montag eine Frau überfiel.", "2019-12-09"),  # the relative clause's verb
        ("Ein Mann soll am Montag einen Radfahrer geschlagen haben.", "2019-12-09"),  # a report of the past
        ("Seit Montag wird die Frau vermisst.", "2019-12-09"),
        ("Am Freitag wird der Ausschuss über den Antrag beraten.", "2019-12-13"),  # future looks forward
        ("Das Konzert findet am Samstag im Stadtpark statt.", "2019-12-14"),  # present of a schedule
        ("Am Montag steht die Abstimmung im Landtag an.", "2019-12-16"),
        ("Die Ausstellung öffnet am Montag, teilte die Stadt mit.", "2019-12-16"),  # not the reporting verb
        ("Im Oktober stieg die Zahl der Einbrüche.", "2019-10"),
        ("Im Oktober beginnt der Umbau der Schule.", "2020-10"),
        ("Im Sommer wurde das Freibad saniert.", "2019-SU"),
        ("Im Sommer soll das Freibad öffnen.", "2020-SU"),
    ],
)
def test_the_tense_of_the_governing_clause_anchors_weekdays_months_and_seasons(nlp, text, expected):
    assert expected in [value for _, value in date_values(nlp, text, WEDNESDAY)], text


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
    st.sampled_from(["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]),
)
@settings(max_examples=200, deadline=None)
def test_past_tense_weekdays_lie_before_the_release_and_future_ones_after(reference, weekday):
    back = date.fromisoformat(normalise_date(weekday, reference, f"Am {weekday} wurde der Mann festgenommen.").value)
    ahead = date.fromisoformat(normalise_date(weekday, reference, f"Am {weekday} wird der Ausschuss beraten.").value)
    assert 0 <= (reference - back).days <= 6 and 0 <= (ahead - reference).days <= 6
    assert back.strftime("%A") == ahead.strftime("%A")


def test_vague_periods_are_durations_and_heute_can_mean_nowadays(nlp):
    mentions = temporal_mentions(nlp, "In den vergangenen Jahren stieg die Zahl der Unfälle.", REF)
    assert [(m["label"], m["timex_value"]) for m in mentions] == [("DURATION", "PXY")]
    text = "Früher lag hier ein Hafen, heute steht dort ein Museum. Der Mann wurde heute festgenommen."
    assert date_values(nlp, text, REF) == [("Früher", "PAST_REF"), ("heute", "PRESENT_REF"), ("heute", "2019-12-13")]
    assert ("heute", "PRESENT_REF") in date_values(nlp, "1950 lebten 300 Menschen im Dorf, heute sind es 3000.", REF)


def test_days_counted_from_the_release_with_a_part_of_day_are_times(nlp):
    saturday = date(2013, 11, 30)
    text = "Die Bibliothek ist am morgigen Sonntag ab 10 Uhr offen. Die Wahl endete gestern Abend."
    values = {m["text"]: m["timex_value"] for m in temporal_mentions(nlp, text, saturday)}
    assert values["morgigen Sonntag"] == "2013-12-01" and values["10 Uhr"] == "2013-12-01T10:00"
    assert values["gestern Abend"] == "2013-11-29TEV"
    night = temporal_mentions(nlp, "In der vergangenen Nacht brannte ein Auto.", saturday)
    assert [(m["label"], m["timex_value"]) for m in night] == [("TIME", "2013-11-29TNI")]


def test_each_item_of_a_listing_takes_its_own_day(nlp):
    saturday = date(2013, 11, 30)
    text = (
        "Kassel: Flohmarkt auf dem Friedrichsplatz, heute 15 Uhr, morgen 10 Uhr. "
        "Baunatal: Lesung im Stadtmuseum, 20 Uhr. "
        "Gestern Nachmittag wurde ein Mann überfallen. Gegen 15 Uhr kam die Polizei."
    )
    times = [m["timex_value"] for m in temporal_mentions(nlp, text, saturday) if m["label"] == "TIME"]
    assert times == [
        "2013-11-30T15:00",
        "2013-12-01T10:00",
        "2013-11-30T20:00",  # a new item: not the day before it ("morgen")
        "2013-11-29TAF",
        "2013-11-29T15:00",  # a story goes on: the narrative day
    ]


def test_vague_ago_is_no_date_and_counts_per_year_are_no_years(nlp):
    mentions = temporal_mentions(nlp, "Vor einigen Tagen hielten Beamte ein Fahrzeug an.", REF)
    assert [(m["label"], m["text"], m["timex_value"]) for m in mentions] == [("DURATION", "einigen Tagen", "PXD")]
    text = "Die Stadt zählte 2700 Einbrüche, 1200 im Jahr 2017 und 1500 im vergangenen Jahr."
    assert date_values(nlp, text, REF) == [("Jahr 2017", "2017"), ("vergangenen Jahr", "2018")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Der VW Golf mit den Kennzeichen B-MS 1573 brannte aus.", []),
        ("Der Wagen mit dem Kennzeichen HH-XY 1999 fuhr davon.", []),
        ("Ein Transporter (LOS-A 2019) wurde sichergestellt.", []),
        ("Das Haus wurde 1573 gebaut, das Kennzeichen B-MS 1573 ist neu.", [("1573", "DATE")]),
        ("Die ARD berichtete 2014 darüber.", [("2014", "DATE")]),
    ],
)
def test_the_number_of_a_licence_plate_is_no_year(nlp, text, expected):
    assert found(nlp, text) == expected


CLAUSE_WORDS = ["Am", "Freitag", "wurde", "der", "Mann", "festgenommen", "und", "sagte", "Polizei", "wird", "beraten"]
CLAUSE_MARKS = [",", ".", ";", ":", "–", "„", "“", "(", ")", "?"]
SENTENCIZED = customize_tokenizer(spacy.blank("de"))
SENTENCIZED.add_pipe("sentencizer")


@given(st.lists(st.sampled_from(CLAUSE_WORDS * 3 + CLAUSE_MARKS), min_size=1, max_size=160), st.data())
@settings(max_examples=300, deadline=None)
def test_a_clause_reaches_the_nearest_break_on_each_side_within_its_sentence(words, data):
    """The clause around a date, found from the Doc's break positions, is the one a walk token by token finds: from
    the span to the nearest clause break either side, at most MAX_CONTEXT_TOKENS away, inside the sentence."""
    from pipeline.normalise.tense import CLAUSE_BREAKS, MAX_CONTEXT_TOKENS, clause_of, sentence_of, words_between

    doc = SENTENCIZED(" ".join(words))
    start = data.draw(st.integers(0, len(doc) - 1))
    span = doc[start : data.draw(st.integers(start + 1, len(doc)))]
    sentence = sentence_of(span)
    low, high = max(sentence.start, span.start - MAX_CONTEXT_TOKENS), min(sentence.end, span.end + MAX_CONTEXT_TOKENS)
    first, last = span.start, span.end
    while first > low and doc[first - 1].text not in CLAUSE_BREAKS:
        first -= 1
    while last < high and doc[last].text not in CLAUSE_BREAKS:
        last += 1
    assert clause_of(span) == (words_between(doc, first, last), doc[low:high])


def test_the_dates_of_one_clause_share_its_tense(nlp):
    """ "am Freitag gegen 22 Uhr" in one past-tense clause: the weekday and the time both look back."""
    doc = nlp("Am Freitag gegen 22 Uhr wurde der Mann festgenommen, die Verhandlung beginnt am Montag.")
    from pipeline.normalise.tense import PAST, tense_of_span

    spans = {span.text: span for span in doc.spans[SPAN_KEY]}
    assert tense_of_span(spans["Freitag"]) == tense_of_span(spans["22 Uhr"]) == PAST
    assert tense_of_span(spans["Montag"]) != PAST
