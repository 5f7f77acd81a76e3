"""``doc_text``: the Doc's text, built once, identical to spaCy's ``Doc.text``."""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.nlp.doc_text import TEXT_KEY, doc_text
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
