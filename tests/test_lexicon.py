"""The shipped word lists in models/lexicon on real German words."""

import pytest

from pipeline.nlp import lexicon


@pytest.mark.parametrize(
    ("table", "present", "absent"),
    [
        (lexicon.common_nouns, ["Polizei", "Tatort", "Euro", "Diebstahls", "Fahrzeuge"], ["Berlin", "Audi", "laufen"]),
        (lexicon.first_names, ["Stefan", "Melania", "Aylin"], ["Polizei", "Berlin"]),
        (lexicon.surnames, ["Müller", "Trump", "Schröder"], ["Polizei"]),
        (lexicon.countries, ["Frankreich", "Französische Republik", "Deutschland"], ["Berlin"]),
        (lexicon.places, ["Berlin", "München", "Königs Wusterhausen", "Frankfurt am Main"], ["Polizei"]),
        (
            lexicon.geographic_names,
            ["Donau", "Karpaten", "Nordsee", "Silicon Valley", "Leopoldstadt"],
            ["Oder", "Main"],
        ),
        (lexicon.curated_organisations, ["Diakonie", "KommAustria", "Albertina", "Innenministerium"], ["Opel"]),
    ],
)
def test_tables_know_german_words(table, present, absent):
    words = table()
    assert isinstance(words, frozenset)
    assert all(word in words for word in present), [w for w in present if w not in words]
    assert not any(word in words for word in absent)


def test_tables_are_loaded_once():
    assert lexicon.common_nouns() is lexicon.common_nouns()


@pytest.mark.parametrize(
    ("word", "head"),
    [
        ("Wohnungseinbruchdiebstahl", "Diebstahl"),
        ("Polizei", "Polizei"),
        ("Heckenbrand", "Brand"),
        ("berlin", None),
        ("Xyzq", None),
    ],
)
def test_compound_head(word, head):
    assert lexicon.compound_head(word) == head


def test_missing_table_names_the_file(tmp_path):
    with pytest.raises(lexicon.LexiconMissing, match=r"nouns\.txt\.gz"):
        lexicon.read_table("nouns", tmp_path)


@pytest.mark.parametrize(
    ("name", "forms", "not_forms"),
    [
        ("Rotes Kreuz", {"Rote Kreuz", "Roten Kreuz", "Roten Kreuzes"}, {"Rotes Kreuz", "Roten Kreuzs"}),
        ("Europäische Union", {"Europäischen Union"}, {"Europäische Union"}),
        ("Neue Zürcher Zeitung", {"Neuen Zürcher Zeitung"}, set()),
    ],
)
def test_a_name_that_begins_with_an_adjective_has_its_inflected_forms(name, forms, not_forms):
    found = lexicon.inflected_forms(name)
    assert forms <= found
    assert not found & not_forms


@pytest.mark.parametrize("name", ["Siemens", "Bank Austria", "Caritas Wien", "Vfl Wolfsburg", "dm drogerie markt"])
def test_a_name_without_a_leading_adjective_has_no_inflected_forms(name):
    assert lexicon.inflected_forms(name) == set()


def test_the_shipped_organisations_know_inflected_forms_media_and_journals():
    known = {"Deutschen Bahn", "Roten Kreuzes", "Europäischen Union", "Kronehit", "Welt am Sonntag", "Nature"}
    assert known <= lexicon.organisations()
    assert not {"20 Minuten", "Der Bund", "Heute"} & lexicon.organisations()


def test_a_noun_compound_is_two_nouns_not_a_name_ending_in_one():
    from pipeline.nlp.lexicon import noun_compound

    assert noun_compound("Tennisfan") and noun_compound("Kulturbüro") and noun_compound("Bürgermeister")
    assert not noun_compound("Nguyen")  # "Ngu" is no noun, though "Yen" is
    assert not noun_compound("Schönberg") and not noun_compound("Müller")
