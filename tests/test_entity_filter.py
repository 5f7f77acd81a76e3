"""``pressewerk_entity_filter`` on German sentences: spans that cannot be names are dropped, names stay."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span

from pipeline.nlp.filters import EntityFilter


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("de")


def filtered(nlp, text: str, spans: list[tuple[str, str]]) -> list[tuple[str, str]]:
    doc = nlp(text)
    ents = []
    for surface, label in spans:
        start = text.index(surface)
        ents.append(doc.char_span(start, start + len(surface), label=label))
    doc.set_ents(ents)
    return [(e.text, e.label_) for e in EntityFilter()(doc).ents]


def test_a_plain_lower_case_word_is_no_organisation(nlp):
    assert filtered(nlp, "Es hat nur so gewimmelt von Fehlern.", [("gewimmelt", "ORG")]) == []
    assert filtered(nlp, "Die Lage war intensivmedizinisch schwierig.", [("intensivmedizinisch", "ORG")]) == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Das meldete die dpa am Abend.", "dpa"),  # a listed agency
        ("Er verkaufte es auf eBay weiter.", "eBay"),  # its own spelling
        ("Laut anleihencheck.de steigt der Kurs.", "anleihencheck.de"),
        ("Das tunesische Justizministerium widersprach.", "tunesische Justizministerium"),
    ],
)
def test_organisations_spelt_in_lower_case_stay(nlp, text: str, span: str):
    assert filtered(nlp, text, [(span, "ORG")]) == [(span, "ORG")]


def test_a_rule_match_is_kept_whatever_its_spelling(nlp):
    doc = nlp("Es hat gewimmelt.")
    doc.set_ents([Span(doc, 2, 3, label="ORG", span_id="rule:test")])
    assert [e.text for e in EntityFilter()(doc).ents] == ["gewimmelt"]


def test_a_misc_that_starts_in_plain_lower_case_is_an_adjective_not_a_name(nlp):
    text = "Die Ukraine hofft auf europäische Kredite, er kaufte ein iPhone und sah Angry Birds."
    spans = [("europäische", "MISC"), ("iPhone", "MISC"), ("Angry Birds", "MISC")]
    assert filtered(nlp, text, spans) == [("iPhone", "MISC"), ("Angry Birds", "MISC")]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Die Belege schickte das Kiewer ORF-Büro an die Buchhaltung in Wien.", "Kiewer"),
        ("Sie kam nach der Pekinger Weltfrauenkonferenz 1995 zurück.", "Pekinger"),
        ("Ein Waldviertler Sozialarbeiter muss 1.100 Euro Strafe zahlen.", "Waldviertler"),
        ("Er hatte sich im Altausseer Ortsteil Fischerndorf einquartiert.", "Altausseer"),
        ("Eine Gruppe Banater kam aus dem rumänischen Banat.", "Banater"),
        ("Der Münchner Stadtrat tagt am Montag.", "Münchner"),
        ("In einem Lichtenrader Einfamilienhaus wurde ein 84-Jähriger getötet aufgefunden.", "Lichtenrader"),
    ],
)
def test_a_word_derived_from_a_place_is_no_place(nlp, text, word):
    assert filtered(nlp, text, [(word, "LOC")]) == []


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("Der Zug fährt über Hannover nach Trier.", [("Hannover", "LOC"), ("Trier", "LOC")]),  # places in "-er"
        ("Sie flog nach Denver und weiter nach Manchester.", [("Denver", "LOC"), ("Manchester", "LOC")]),
        ("Flüchtlinge ertranken im Mittelmeer.", [("Mittelmeer", "LOC")]),  # no listed stem
        ("Das Wiener Rathaus liegt am Ring.", [("Wiener Rathaus", "LOC")]),  # a building's name of two words
        ("Die Kiewer Regierung widersprach.", [("Kiewer Regierung", "ORG")]),  # only LOC is checked
    ],
)
def test_places_ending_in_er_and_longer_names_stay(nlp, text, spans):
    assert filtered(nlp, text, spans) == spans


def test_derived_words_and_their_places() -> None:
    from pipeline.nlp.lexicon import place_of_derivative

    derived = {
        "Kiewer": "Kiew",
        "Altausseer": "Altaussee",
        "Celler": "Celle",
        "Lichtenrader": "Lichtenrade",
        "Münchner": "München",
        "Waldviertler": "Waldviertel",
    }
    assert {word: place_of_derivative(word) for word in derived} == derived
    assert [place_of_derivative(w) for w in ("Hannover", "Peter", "Bauer", "Mittelmeer", "kiewer", "Kiew")] == [
        None
    ] * 6


def test_the_entity_senses_read_place_adjectives_through_the_same_look_up() -> None:
    """Street extents and authority names ask ``entity_sense._is_place_adjective``; it answers what
    ``lexicon.place_of_derivative`` answers, so "Münchner" and "Celler" count as well as "Berliner"."""
    from pipeline.nlp.entity_sense import _is_place_adjective

    assert [_is_place_adjective(w) for w in ("Berliner", "Münchner", "Celler", "Lichtenrader")] == [True] * 4
    assert [_is_place_adjective(w) for w in ("Hannover", "Walter", "Ihrer", "Mittelmeer", "berliner")] == [False] * 5
