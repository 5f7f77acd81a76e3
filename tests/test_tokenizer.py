"""Press-text tokenizer rules on real German press text."""

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.nlp.tokenizer import create_tokenizer_callback, customize_tokenizer, trained_with_split_compounds


@pytest.fixture(scope="module")
def nlp():
    return customize_tokenizer(spacy.blank("de"))


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("DIZ 13.12.2019", ["DIZ", "13.12.2019"]),
        (
            "hat 2017 die Initiative gegründet, seit 2019.",
            ["hat", "2017", "die", "Initiative", "gegründet", ",", "seit", "2019", "."],
        ),
        ("am 9. Dezember", ["am", "9.", "Dezember"]),
        ("alle Kund:innen und Mitarbeiter*innen", ["alle", "Kund:innen", "und", "Mitarbeiter*innen"]),
        ("in Baden-Württemberg", ["in", "Baden-Württemberg"]),
        ("Mehr Informationen: www.digital-hubs-bw.de.", ["Mehr", "Informationen", ":", "www.digital-hubs-bw.de", "."]),
        ("Kontakt: presse@diz-bw.de", ["Kontakt", ":", "presse@diz-bw.de"]),
        ("vom 3.–5. Mai", ["vom", "3.", "–", "5.", "Mai"]),
        ("2019–2021", ["2019", "–", "2021"]),
        ("die Beteiligungs GmbH.", ["die", "Beteiligungs", "GmbH", "."]),
        ("Verein e.V. und Dr. Huber", ["Verein", "e.V.", "und", "Dr.", "Huber"]),
    ],
)
def test_press_tokens(nlp, text, tokens):
    assert [t.text for t in nlp(text)] == tokens


def test_rules_survive_save_and_load(nlp, tmp_path):
    nlp.to_disk(tmp_path / "m")
    loaded = spacy.load(tmp_path / "m")
    assert [t.text for t in loaded("seit 2019. Kund:innen")] == ["seit", "2019", ".", "Kund:innen"]


def test_customize_is_idempotent():
    nlp = customize_tokenizer(customize_tokenizer(spacy.blank("de")))
    assert [t.text for t in nlp("seit 2019.")] == ["seit", "2019", "."]


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Commerzbank-Chef Martin Blessing", ["Commerzbank", "-", "Chef", "Martin", "Blessing"]),
        ("der US-Autobauer", ["der", "US", "-", "Autobauer"]),
        ("den Siemens-Gamesa-Deal", ["den", "Siemens", "-", "Gamesa", "-", "Deal"]),
        ("(CNN-Reporter)", ["(", "CNN", "-", "Reporter", ")"]),
        ("die SPD-geführte Regierung", ["die", "SPD", "-", "geführte", "Regierung"]),
        ("in den 1990er-Jahren", ["in", "den", "1990er-Jahren"]),
        ("A-100 und B96-Abfahrt", ["A-100", "und", "B96-Abfahrt"]),
        ("per E-Mail in der U-Bahn", ["per", "E-Mail", "in", "der", "U-Bahn"]),
        ("nicht-öffentlich", ["nicht-öffentlich"]),
        ("aus Castrop-Rauxel und Nordrhein-Westfalen.", ["aus", "Castrop-Rauxel", "und", "Nordrhein-Westfalen", "."]),
        ("Polizei- und Feuerwehreinsatz", ["Polizei-", "und", "Feuerwehreinsatz"]),
        ("am 2019-12-13", ["am", "2019-12-13"]),
        # streets, buildings and institutions named after a person stay one name
        ("in der Otto-Braun-Straße.", ["in", "der", "Otto-Braun-Straße", "."]),
        ("am Kurt-Schumacher-Damm", ["am", "Kurt-Schumacher-Damm"]),
        ("im Max-Planck-Institut", ["im", "Max-Planck-Institut"]),
        ("Fritz-Reuter-Str. 5", ["Fritz-Reuter-Str.", "5"]),
    ],
)
def test_compounds_split_at_the_hyphen_after_a_name(nlp, text, tokens):
    assert [t.text for t in nlp(text)] == tokens


def test_models_trained_without_split_keep_compounds_whole():
    nlp = customize_tokenizer(spacy.blank("de"), split_compounds=False)
    assert [t.text for t in nlp("Commerzbank-Chef")] == ["Commerzbank-Chef"]
    assert not trained_with_split_compounds(nlp)


def test_training_callback_records_the_split_in_meta():
    nlp = create_tokenizer_callback(split_compounds=True)(spacy.blank("de"))
    assert trained_with_split_compounds(nlp)
    assert [t.text for t in nlp("US-Autobauer")] == ["US", "-", "Autobauer"]


_WORDS = st.sampled_from(
    [
        "Commerzbank",
        "Chef",
        "US",
        "Autobauer",
        "E",
        "Mail",
        "1990er",
        "Jahre",
        "nicht",
        "öffentlich",
        "Castrop",
        "Rauxel",
    ]
)
_GLUE = st.sampled_from(["-", " ", "- ", ". ", "–", ""])


@given(st.lists(st.tuples(_WORDS, _GLUE), min_size=1, max_size=8))
@settings(max_examples=200, deadline=None)
def test_split_tokens_keep_offsets(nlp, parts):
    text = "".join(word + glue for word, glue in parts)
    doc = nlp(text)
    assert doc.text == text
    for token in doc:
        assert text[token.idx : token.idx + len(token.text)] == token.text


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        # a missing space after an abbreviation's period: the next word is not cut into letters
        ("Die XY GmbH.Die Polizei kam.", ["Die", "XY", "GmbH.Die", "Polizei", "kam", "."]),
        ("beim DIZ.Berlin", ["beim", "DIZ.Berlin"]),
        ("Die XY GmbH. Die Polizei", ["Die", "XY", "GmbH", ".", "Die", "Polizei"]),
    ],
)
def test_an_abbreviation_period_inside_a_word_is_no_suffix(nlp, text, tokens):
    assert [t.text for t in nlp(text)] == tokens


_PRESS_CHARS = st.text(alphabet=st.sampled_from(list("aäbGHDIZMXY0129.-–:,*/ ")), max_size=40)


@given(_PRESS_CHARS)
@settings(max_examples=500, deadline=None)
def test_a_suffix_is_found_only_at_the_end(nlp, text):
    """spaCy cuts off as many characters as the suffix match is long, wherever it matched."""
    match = nlp.tokenizer.suffix_search(text)
    assert match is None or match.end() == len(text)


@given(_PRESS_CHARS)
@settings(max_examples=500, deadline=None)
def test_the_compound_hyphen_looks_ahead_first_and_finds_the_same_hyphens(text):
    """The lookahead that opens the compound-hyphen infix only saves time: the matches are those without it."""
    import re

    from pipeline.nlp.tokenizer import COMPOUND_HYPHEN_INFIX

    without = re.compile(COMPOUND_HYPHEN_INFIX.removeprefix("(?=-)"))
    assert COMPOUND_HYPHEN_INFIX.startswith("(?=-)")
    assert [m.span() for m in re.finditer(COMPOUND_HYPHEN_INFIX, text)] == [m.span() for m in without.finditer(text)]


def test_the_shipped_model_stores_the_expressions_it_runs_with(shipped_model):
    """Otherwise every start compiles them again (0.4 s)."""
    import srsly
    from spacy.util import compile_infix_regex, compile_suffix_regex

    from pipeline.nlp.tokenizer import (
        ACRONYM_PERIOD_SUFFIX,
        COMPOUND_HYPHEN_INFIX,
        NUMBER_DASH_INFIX,
        YEAR_PERIOD_SUFFIX,
    )

    stored = srsly.msgpack_loads((shipped_model / "tokenizer").read_bytes())
    defaults = spacy.blank("de").Defaults
    infixes = [NUMBER_DASH_INFIX, COMPOUND_HYPHEN_INFIX, *defaults.infixes]
    suffixes = [YEAR_PERIOD_SUFFIX, ACRONYM_PERIOD_SUFFIX, *defaults.suffixes]
    assert stored["infix_finditer"] == compile_infix_regex(infixes).pattern
    assert stored["suffix_search"] == compile_suffix_regex(suffixes).pattern
