"""Canonical names of people: titles split off, the genitive "-s" undone where the name lists say so."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.nlp.lexicon import noun_gender
from pipeline.normalise.canonical import canonical_name, nominative_name


@pytest.mark.parametrize(
    ("mention", "name"),
    [
        ("Egon Schieles", "Egon Schiele"),  # "Egon Schieles Selbstbildnisse"
        ("Angela Merkels", "Angela Merkel"),
        ("Haiders", "Haider"),
        ("Bundeskanzlerin Angela Merkels", "Angela Merkel"),
        ("Johannes Brahms", "Johannes Brahms"),  # a surname with its own -s
        ("Karin Mertens", "Karin Mertens"),
        ("Serena Williams", "Serena Williams"),
        ("Jens", "Jens"),  # a first name
        ("Andreas", "Andreas"),
        ("Richard Strauss", "Richard Strauss"),
    ],
)
def test_a_persons_genitive_s_goes_only_where_the_name_lists_say_so(mention: str, name: str) -> None:
    assert canonical_name(mention, "PER") == name


@given(
    st.lists(st.sampled_from(["Egon", "Schieles", "Merkels", "Brahms", "Hans", "Dr.", "Frau", "Haiders"]), max_size=4)
)
def test_a_canonical_person_name_is_its_own_canonical_name(words: list[str]) -> None:
    name = canonical_name(" ".join(words), "PER")
    assert canonical_name(name, "PER") == name


@pytest.mark.parametrize(
    ("mention", "name"),
    [
        ("EU", "Europäische Union"),
        ("Europäischen Union", "Europäische Union"),
        ("UNO", "Vereinte Nationen"),
        ("UN", "Vereinte Nationen"),
        ("NATO", "Nato"),
        ("VfGH", "Verfassungsgerichtshof"),
        ("Siemens", "Siemens"),  # no alias: the name as written
    ],
)
def test_a_well_known_organisation_has_one_name_in_every_document(mention: str, name: str) -> None:
    assert canonical_name(mention, "ORG") == name


def test_an_alias_is_only_an_organisations():
    assert canonical_name("EU", "MISC") == "EU"  # "EU-Recht" reads are not the Union as an actor


# Names that begin with an adjective (issue: entity names as the text inflects them, "Österreichischen
# Rechtsanwaltskammertags", "Salzburger Hauptbahnhofs"): the adjectives take the nominative without article by the
# head noun's gender (Wiktionary genders, models/lexicon/noun_genders.txt.gz), the head loses its case ending.
@pytest.mark.parametrize(
    ("mention", "label", "name"),
    [
        ("Obersten Gerichtshofs", "ORG", "Oberster Gerichtshof"),
        ("Oberste Gerichtshof", "ORG", "Oberster Gerichtshof"),  # "der Oberste Gerichtshof", article cut
        ("Kunsthistorischen Museum", "ORG", "Kunsthistorisches Museum"),
        ("Österreichischen Rechtsanwaltskammertags", "ORG", "Österreichischer Rechtsanwaltskammertag"),
        ("Deutschen Archäologischen Instituts", "ORG", "Deutsches Archäologisches Institut"),
        ("Deutschen Fußball-Bundes", "ORG", "Deutscher Fußball-Bund"),
        ("Europäischen Forschungsrates", "ORG", "Europäischer Forschungsrat"),  # not "Forschungsrate" (f)
        ("Rote Kreuz", "ORG", "Rotes Kreuz"),
        ("Frankfurter Allgemeinen Zeitung", "ORG", "Frankfurter Allgemeine Zeitung"),
        ("Oberösterreichischen Nachrichten", "ORG", "Oberösterreichische Nachrichten"),  # a plural
        ("rot-blauen Koalition", "ORG", "rot-blaue Koalition"),
        ("Deutsche Bahn", "ORG", "Deutsche Bahn"),
        ("Salzburger Hauptbahnhofs", "LOC", "Salzburger Hauptbahnhof"),
        ("Bayerischen Platz", "LOC", "Bayerischer Platz"),
        ("Neuen Bergstraße", "LOC", "Neue Bergstraße"),
        ("Zweiten Weltkriegs", "MISC", "Zweiter Weltkrieg"),
        # no inflected adjective, or a head no noun list knows: as written
        ("Leipziger Volkszeitung", "ORG", "Leipziger Volkszeitung"),
        ("Danziger Werft", "ORG", "Danziger Werft"),
        ("Biesentaler Straße", "LOC", "Biesentaler Straße"),  # a place adjective whose place no list knows
        ("Kalischer Straße", "LOC", "Kalischer Straße"),  # "-isch" of the town Kalisch, no adjective in "-isch"
        ("Raiffeisen Bank International", "ORG", "Raiffeisen Bank International"),
        ("Golden State Warriors", "ORG", "Golden State Warriors"),
        ("Erste Group", "ORG", "Erste Group"),
    ],
)
def test_a_name_that_begins_with_an_adjective_is_named_in_the_nominative(mention: str, label: str, name: str):
    assert canonical_name(mention, label) == name


@pytest.mark.parametrize(
    ("before", "name"),
    [("die", "Freie Wähler"), ("den", "Freie Wähler"), ("dem", "Freier Wähler"), (None, "Freien Wähler")],
)
def test_a_noun_whose_plural_is_its_singular_takes_the_number_of_the_word_before(before, name):
    """ "die Freien Wähler" is a plural, "dem Freien Wähler" a singular; without the word before, as written."""
    assert " ".join(nominative_name(["Freien", "Wähler"], before)) == name


@given(
    st.sampled_from(["Groß", "Neu", "Kunsthistorisch", "Europäisch", "Oberst", "Deutsch", "Jüdisch"]),
    st.sampled_from(["e", "en", "er", "es", "em"]),
    st.sampled_from(["Gerichtshof", "Museum", "Koalition", "Friedhof", "Institut", "Bergstraße", "Nachrichten"]),
    st.sampled_from(["", "s", "es"]),
)
def test_the_nominative_of_a_name_is_its_own_nominative(stem, ending, head, case):
    """Whatever case the text uses, the canonical name ends the adjective by the head's gender, and canonicalising
    it again changes nothing. A capitalised "-er" stays as written: it may be a place adjective ("Kalischer")."""
    gender = noun_gender(head)[1][0]
    words = nominative_name([stem + ending, head + case if gender in "mn" else head])
    expected = "er" if ending == "er" else {"m": "er", "f": "e", "n": "es", "p": "e"}[gender]
    assert words[1] == head and words[0] == stem + expected
    assert nominative_name(words) == words


@pytest.mark.parametrize(
    ("mention", "name"),
    [
        ("ORF-Stiftungsrates", "ORF-Stiftungsrat"),  # the Rat, not the feminine "Rate"
        ("Hypo-Untersuchungsausschusses", "Hypo-Untersuchungsausschuss"),
        ("Max-Planck-Instituts", "Max-Planck-Institut"),
        ("Polizeiabschnitts 46", "Polizeiabschnitt 46"),
        ("Champions League", "Champions League"),  # a plural, not the genitive of "Champion"
        ("Rotes Kreuz", "Rotes Kreuz"),  # an adjective
        ("Baden-Württembergs Verkehrsministerium", "Baden-Württembergs Verkehrsministerium"),  # a place's genitive
        ("Österreichs Bundesheer", "Österreichs Bundesheer"),
    ],
)
def test_an_organisations_head_in_the_genitive_is_named_in_the_nominative(mention: str, name: str):
    assert canonical_name(mention, "ORG") == name


def test_a_genitive_article_reads_an_s_as_the_genitive_not_the_plural(shipped_model):
    from pipeline.nlp.model import load_model, resolve_model

    nlp = load_model(resolve_model(), model_only=True)
    doc = nlp("Die Chefin des Kulturbüros Sachsen sprach.")
    assert canonical_name("Kulturbüros Sachsen", "ORG", doc[3:5]) == "Kulturbüro Sachsen"
    assert canonical_name("Kulturbüros Sachsen", "ORG") == "Kulturbüros Sachsen"  # without the article: as written


def test_a_one_word_organisation_keeps_its_s_unless_an_article_makes_it_a_genitive(shipped_model):
    """ "Reuters" and "Podemos" are names, not the genitives of the nouns "Reuter" and "Podemo"; a compound noun's
    genitive loses its "s" after an adjective too, and so does a place's."""
    from pipeline.nlp.model import load_model, resolve_model

    nlp = load_model(resolve_model(), model_only=True)
    doc = nlp("Das berichtete Reuters, und Podemos legte zu.")
    assert canonical_name("Reuters", "ORG", doc[2:3]) == "Reuters"
    assert canonical_name("Podemos", "ORG", doc[5:6]) == "Podemos"
    doc = nlp("Ein Sprecher des Reuters sprach, ein Sprecher des deutschen Wirtschaftsministeriums auch.")
    assert canonical_name("Reuters", "ORG", doc[3:4]) == "Reuter"  # after "des": the genitive of a noun
    assert canonical_name("Wirtschaftsministeriums", "ORG", doc[9:10]) == "Wirtschaftsministerium"
    doc = nlp("Die Schulden Griechenlands wachsen.")
    assert canonical_name("Griechenlands", "ORG", doc[2:3]) == "Griechenland"
