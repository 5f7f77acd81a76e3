"""A Doc's text, built once.

spaCy's ``Doc.text`` joins a new Token object per token on every call. Components and stages that search the text
(place names, legal forms, quotes, sentence starts) read it through :func:`doc_text`, which keeps it in
``doc.user_data``; a run stores the text it tokenised there before the first component (:func:`remember_text`).
"""

from __future__ import annotations

from spacy.attrs import ORTH, SPACY
from spacy.tokens import Doc

TEXT_KEY = "pressewerk.text"


def remember_text(doc: Doc, text: str) -> Doc:
    """Keep ``text``, the string ``doc`` was tokenised from (spaCy keeps every character), for :func:`doc_text`."""
    doc.user_data[TEXT_KEY] = text
    return doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, built from the token arrays the first time and kept in ``doc.user_data``."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None or not _fits(doc, text):  # none yet, or copied with the user data of another Doc
        strings = doc.vocab.strings
        columns = doc.to_array([ORTH, SPACY]).tolist() if len(doc) else []
        text = "".join(strings[orth] + " " if space else strings[orth] for orth, space in columns)
        doc.user_data[TEXT_KEY] = text
    return text


def _fits(doc: Doc, text: str) -> bool:
    """Whether ``text`` can be the Doc's: its length and its last token agree (cheap: one Token)."""
    if not len(doc):
        return text == ""
    last = doc[-1]
    return len(text) == last.idx + len(last.text_with_ws) and text.endswith(last.text_with_ws)
