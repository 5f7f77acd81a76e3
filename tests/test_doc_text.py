"""``doc_text``: the Doc's text, built once, identical to spaCy's ``Doc.text``."""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.nlp.doc_text import TEXT_KEY, doc_text, token_orths, token_words
from pipeline.timing import Timings, timed_pipe

BLANK = spacy.blank("de")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_built_from_the_tokens_it_is_the_text_spacy_gives(text: str) -> None:
    doc = BLANK(text)
    assert doc_text(doc) == doc.text == text


def test_a_run_keeps_the_text_it_tokenised() -> None:
    texts = ["Die Polizei Berlin meldet:  zwei Festnahmen in Neukölln.\n", "Wien (APA) – Der Nationalrat tagt."]
    docs = list(timed_pipe(BLANK, texts, 8, Timings()))
    assert [doc.user_data[TEXT_KEY] for doc in docs] == texts
    assert [doc_text(doc) for doc in docs] == [doc.text for doc in docs]


def test_a_text_copied_from_another_doc_is_not_taken() -> None:
    doc = BLANK("Der Bundesrat in Bern tagt am Montag.")
    doc_text(doc)
    part = doc[1:4].as_doc(copy_user_data=True)
    assert doc_text(part) == part.text == "Bundesrat in Bern "


def _by_token(doc) -> tuple[list, list, list, list, list]:
    return (
        [t.text for t in doc],
        [t.lower_ for t in doc],
        [t.lemma_ for t in doc],
        [t.is_punct or t.is_space for t in doc],
        [t.orth for t in doc],
    )


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_token_lists_are_what_the_tokens_give(text: str) -> None:
    doc = BLANK(text)
    texts, lowers, lemmas, punct_or_space, orths = _by_token(doc)
    assert token_words(doc) == (texts, lowers, lemmas, punct_or_space)
    assert token_orths(doc) == orths
    assert token_words(doc) is token_words(doc) and token_orths(doc) is token_orths(doc)  # read once per Doc


def test_token_lists_of_a_tagged_release_carry_its_lemmas(shipped_model) -> None:
    from pipeline.nlp.model import load_model, resolve_model

    nlp = load_model(resolve_model(str(shipped_model)), model_only=True)
    doc = nlp("Die Beamten nahmen den Mann am Montag in Berlin-Neukölln fest. „Wir ermitteln“, sagte eine Sprecherin.")
    texts, lowers, lemmas, punct_or_space, orths = _by_token(doc)
    assert token_words(doc) == (texts, lowers, lemmas, punct_or_space)
    assert token_orths(doc) == orths
    assert token_words(doc)[2][texts.index("nahmen")] == "nehmen"
    assert token_words(doc)[3][texts.index("„")] and not token_words(doc)[3][texts.index("Wir")]


def test_token_lists_copied_from_another_doc_are_not_taken() -> None:
    doc = BLANK("Der Bundesrat in Bern tagt am Montag.")
    token_words(doc), token_orths(doc)
    part = doc[1:4].as_doc(copy_user_data=True)
    assert token_words(part)[0] == ["Bundesrat", "in", "Bern"]
    assert token_orths(part) == [t.orth for t in part]
