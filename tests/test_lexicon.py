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
