"""The gated Matcher finds exactly what spaCy's Matcher finds, only faster (lexeme flags, windows)."""

from __future__ import annotations

import pickle

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher

from pipeline.nlp.dates import PATTERNS, TIMEX_PATTERNS, DateDetector
from pipeline.nlp.gated_matcher import (
    FIRST_USER_FLAG,
    LAST_USER_FLAG,
    GatedMatcher,
    WordClasses,
    as_flags,
    pattern_length,
    word_test,
)
from pipeline.nlp.tokenizer import customize_tokenizer

# Words the date rules use, and ordinary words around them.
SAMPLE = (
    "am Montag , 12. Mai 2023 gegen 14:30 Uhr seit drei Jahren jeden Freitag im Jahr 2001 Anfang des 19. "
    "Jahrhunderts in den 1990er-Jahren zwischen März und April vom 3. bis 6. April 2017 Mitte 2017 heute "
    "morgen abends zweimal pro Woche etwa fünf Tage später KW 12 Q3 2024 damals derzeit Sommer des Jahres "
    "2005 Nacht zum Sonntag 03.05.2022 2009-2011 Saison 2007 / 08 der Polizist fuhr nach Berlin und sah "
    "einen Mann mit 24 Jahren , der 1.508 Euro trug ; Hausnummer 17 , Nr. 2017 , 44 v. Chr. tagelang"
)
WORDS = SAMPLE.split(" ")


def _all_matches(matcher: Matcher, doc) -> set[tuple[str, int, int]]:
    return {(doc.vocab.strings[m], s, e) for m, s, e in matcher(doc)}


@pytest.fixture(scope="module")
def nlp():
    return customize_tokenizer(spacy.blank("de"))


@pytest.fixture(scope="module")
def pipeline_nlp():
    from pipeline.nlp import build_nlp
    from pipeline.settings import Settings

    settings = Settings.from_config()
    return build_nlp(settings.model, settings.rules, settings.components)[0]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40), st.integers(1, 12))
def test_gated_matcher_finds_what_the_matcher_finds(nlp, words, window):
    """Per window, only the patterns whose required words occur there run: nothing is lost."""
    doc = spacy.tokens.Doc(nlp.vocab, words=words)
    classes = WordClasses(nlp.vocab)
    flagged = as_flags(nlp.vocab, [PATTERNS], budget=40)[0]
    gated = GatedMatcher(nlp.vocab, PATTERNS, classes, flagged)
    plain = Matcher(nlp.vocab)
    for _, rule_id, patterns in PATTERNS:
        plain.add(rule_id, patterns)
    windows = [(start, min(start + window, len(doc))) for start in range(0, len(doc), window)]
    expected = set()
    for start, end in windows:
        expected |= {(r, start + s, start + e) for r, s, e in _all_matches(plain, doc[start:end])}
    found = {(doc.vocab.strings[m], s, e) for m, s, e in gated(doc, windows, classes.masks(doc))}
    assert found == expected


@pytest.mark.parametrize("window", [6, 9, 15, 200])
def test_gated_matcher_on_ordered_text(nlp, window):
    """Whole expressions in their order ("vom 3. bis 6. April 2017", "44 v. Chr."): the same matches."""
    doc = nlp(SAMPLE)
    for rules in (PATTERNS, TIMEX_PATTERNS):
        classes = WordClasses(nlp.vocab)
        gated = GatedMatcher(nlp.vocab, rules, classes, as_flags(nlp.vocab, [rules], budget=40)[0])
        plain = Matcher(nlp.vocab)
        for _, rule_id, patterns in rules:
            plain.add(rule_id, patterns)
        windows = [(start, min(start + window, len(doc))) for start in range(0, len(doc), window // 2)]
        expected = set()
        for start, end in windows:
            expected |= {(r, start + s, start + e) for r, s, e in _all_matches(plain, doc[start:end])}
        found = {(doc.vocab.strings[m], s, e) for m, s, e in gated(doc, windows, classes.masks(doc))}
        assert found == expected and len(found) > 10


def test_word_classes_give_each_word_its_tests(nlp):
    classes = WordClasses(nlp.vocab)
    month = classes.bit("month", word_test({"LOWER": {"IN": ["mai", "juni"]}})[1])
    year = classes.bit("year", word_test({"SHAPE": "dddd"})[1])
    decade = classes.bit("decade", word_test({"TEXT": {"REGEX": r"^\d{3}0er$"}})[1])
    doc = spacy.tokens.Doc(nlp.vocab, words=["Im", "MAI", "2023", "und", "1990er", "Juni"])
    assert classes.masks(doc) == [0, month, year, 0, decade, month]


def test_lexeme_flags_are_shared_and_leave_some_free():
    """Two rule sets on one vocabulary reuse the same flags; the date detector takes none (measured: flags cost
    every new word form more than they save in its windows), so spaCy's 45 user flags stay free."""
    nlp = customize_tokenizer(spacy.blank("de"))
    DateDetector(nlp)
    assert not any(f in nlp.vocab.lex_attr_getters for f in range(FIRST_USER_FLAG, LAST_USER_FLAG + 1))
    as_flags(nlp.vocab, [PATTERNS], budget=20)
    taken = {f for f in range(FIRST_USER_FLAG, LAST_USER_FLAG + 1) if f in nlp.vocab.lex_attr_getters}
    as_flags(nlp.vocab, [PATTERNS], budget=20)
    again = {f for f in range(FIRST_USER_FLAG, LAST_USER_FLAG + 1) if f in nlp.vocab.lex_attr_getters}
    assert taken == again and 0 < len(taken) <= 20


def test_flag_values_are_each_tests_own(nlp):
    """A flag reads its bit of one mask computed per word form: each flag still answers its own test."""
    vocab = customize_tokenizer(spacy.blank("de")).vocab
    specs = [{"LOWER": {"IN": ["mai", "juni"]}}, {"SHAPE": {"IN": ["dddd", "dd"]}}, {"TEXT": {"REGEX": r"^\d{3}0er$"}}]
    rules = [("DATE", f"r{i}", [[spec, {"TEXT": "x"}]]) for i, spec in enumerate(specs)]
    flagged = as_flags(vocab, [rules], budget=3)[0]
    for word in ["Mai", "2023", "1990er", "Haus", "12", "JUNI"]:
        lexeme = vocab[word]
        for spec, (_, _, ((flag_spec, _),)) in zip(specs, flagged, strict=True):
            (flag,) = flag_spec
            assert lexeme.check_flag(int(flag.removeprefix("FLAG"))) == word_test(spec)[1](
                word, word.lower(), lexeme.shape_
            )


def test_pipeline_with_dates_pickles(nlp):
    """Worker processes get the vocabulary by pickle: its flag tests must travel with it."""
    nlp = customize_tokenizer(spacy.blank("de"))
    nlp.add_pipe("pressewerk_dates")
    copy = pickle.loads(pickle.dumps(nlp))
    doc = copy("Am Montag, 12. Mai 2023, gegen 14:30 Uhr und seit drei Jahren jeden Freitag.")
    found = [(s.text, s.label_) for s in doc.spans["pressewerk_dates"]]
    assert ("Montag, 12. Mai 2023", "DATE") in found
    assert ("14:30 Uhr", "TIME") in found
    assert ("jeden Freitag", "SET") in found


def test_all_date_rules_keep_their_meaning_with_flags(nlp):
    """Every rule compiled with flags matches the same spans as its readable form on rule-rich text."""
    doc = nlp(" ".join(WORDS))
    for rules in (PATTERNS, TIMEX_PATTERNS):
        plain, flagged_matcher = Matcher(nlp.vocab), Matcher(nlp.vocab, validate=False)
        for (_, rule_id, patterns), (_, _, flagged) in zip(rules, as_flags(nlp.vocab, [rules], 40)[0], strict=True):
            plain.add(rule_id, patterns)
            flagged_matcher.add(rule_id, flagged)
        assert _all_matches(plain, doc) == _all_matches(flagged_matcher, doc)
        assert _all_matches(plain, doc)


def test_the_shipped_pipeline_runs_its_rules_through_the_gated_matcher(shipped_model):
    """The packaged pipeline loads its entity ruler from disk with spaCy's plain Matcher: it is gated on load, and
    the gated matcher finds what the plain one finds on a release with legal forms and authorities."""
    from pipeline.nlp import build_nlp
    from pipeline.nlp.gated_matcher import _RulerMatcher
    from pipeline.nlp.rules import RULER_NAME, SHIPPED_RULES

    nlp, _ = build_nlp(str(shipped_model), [str(SHIPPED_RULES)], [], True, False)
    ruler = nlp.get_pipe(RULER_NAME)
    assert isinstance(ruler.matcher, _RulerMatcher)
    text = (
        "Die Müller Logistik GmbH und das Bundesministerium für Gesundheit teilten mit, dass das Landesamt für "
        "Umwelt Brandenburg die Anlage der Schmidt & Partner KG in Potsdam geprüft habe."
    )
    doc = nlp.make_doc(text)
    gated = {(nlp.vocab.strings[m], s, e) for m, s, e in ruler.matcher(doc)}
    assert gated == _all_matches(ruler.matcher._matcher, doc)
    assert any(key.endswith("org-legal-form") for key, _, _ in gated)


# -- the entity rules: anchored windows ------------------------------------------------------------------------

OPS = [None, "?", "!", "{2}", "{0,2}", "{1,3}", "+", "*"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(OPS)), min_size=1, max_size=5),
    st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=25),
)
def test_pattern_length_bounds_every_match(nlp, pattern, words):
    """No match is longer than ``pattern_length`` says; ``None`` only for unbounded operators."""
    spec = [{"LOWER": word, **({"OP": op} if op else {})} for word, op in pattern]
    length = pattern_length(spec)
    assert (length is None) == any(op in ("+", "*") for _, op in pattern)
    matcher = Matcher(nlp.vocab)
    matcher.add("p", [spec])
    doc = spacy.tokens.Doc(nlp.vocab, words=words)
    if length is not None:
        assert all(end - start <= length for _, start, end in matcher(doc))


RULE_TEXTS = [
    "Die weiteren Ermittlungen führt ein Fachkommissariat der Polizeidirektion 3 (Ost). Einsatzkräfte des "
    "Polizeiabschnitts 53 nahmen ihn fest, das Landeskriminalamt Berlin und die Mordkommission übernahmen.",
    "Die DIZ | Digitales Innovationszentrum GmbH wurde vom Ministerium für Wirtschaft, Arbeit und Wohnungsbau "
    "Baden-Württemberg als Vernetzungsstelle des Digital Hub Netzwerks BW beauftragt.",
    "Der Dax schloss 1,2 Prozent höher, der MDax legte zu; in Wien gab der ATX nach, der Euro Stoxx 50 stieg.",
    "Die Senatsverwaltung für Justiz und Verbraucherschutz fördert das Projekt, die Müller & Söhne KG auch.",
    "Ein Mann wurde am Montag in Neukölln festgenommen. Er hatte zuvor einen Laden überfallen.",
]


@pytest.mark.parametrize("text", RULE_TEXTS)
def test_gated_entity_rules_find_what_the_matcher_finds(pipeline_nlp, text):
    """The shipped entity rules, run only around each pattern's rarest required word: the same matches as spaCy's
    Matcher on the whole text, on texts with and without rule hits."""
    ruler = pipeline_nlp.get_pipe("pressewerk_rules")
    doc = pipeline_nlp.make_doc(text)
    gated = ruler.matcher(doc)
    plain = ruler.matcher._matcher(doc)
    assert sorted(gated) == sorted(plain)
    if "Polizeidirektion" in text:
        assert gated


def test_anchored_windows_cover_each_match(pipeline_nlp):
    """Windows reach a pattern's longest match around its anchor word, and a text without rule words has none."""
    ruler = pipeline_nlp.get_pipe("pressewerk_rules")
    gated = ruler.matcher._gated
    doc = pipeline_nlp.make_doc(RULE_TEXTS[0])
    windows = gated.gated.anchored_windows(gated.classes.masks(doc))
    assert windows and all(0 <= start < end <= len(doc) for start, end in windows)
    for _, start, end in ruler.matcher._matcher(doc):
        assert any(ws <= start and end <= we for ws, we in windows)
    assert gated.gated.anchored_windows(gated.classes.masks(pipeline_nlp.make_doc("Ein Mann ging heim."))) == []
