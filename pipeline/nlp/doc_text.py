"""A Doc's text, built once.

spaCy's ``Doc.text`` joins a new Token object per token on every call. Components and stages that search the text
(place names, legal forms, quotes, sentence starts) read it through :func:`doc_text`, which keeps it in
``doc.user_data``; a run stores the text it tokenised there before the first component (:func:`remember_text`).
"""

from __future__ import annotations

from spacy.attrs import IS_PUNCT, IS_SPACE, LEMMA, LOWER, ORTH, SPACY
from spacy.strings import StringStore
from spacy.tokens import Doc

TEXT_KEY = "pressewerk.text"
WORDS_KEY = "pressewerk.token_words"
ORTHS_KEY = "pressewerk.token_orths"

# Per token of a Doc: its text, lower-case form, lemma ("" without a lemmatizer), and whether it is punctuation or
# space. Plain lists (msgpack can store them with the Doc's user data).
TokenWords = tuple[list[str], list[str], list[str], list[bool]]


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


class _DecodedStrings(dict):
    """Hash -> string, decoded from a ``StringStore`` once per process and kept (``StringStore[hash]`` decodes a new
    ``str`` on every call). A hash stands for one string in every store, so one memo serves all; it is emptied when
    it reaches :data:`DECODED_STRINGS_MAX` entries, so a long run's memory stays bounded."""

    def __init__(self) -> None:
        super().__init__()
        self.store: StringStore | None = None

    def __missing__(self, key: int) -> str:
        value = self.store[key]
        if len(self) >= DECODED_STRINGS_MAX:
            self.clear()
        self[key] = value
        return value


DECODED_STRINGS_MAX = 50_000  # about the word forms of 2,000 releases: a few MB
_DECODED = _DecodedStrings()


def decoded(store: StringStore) -> _DecodedStrings:
    """The process's hash -> string memo, reading what it lacks from ``store``."""
    _DECODED.store = store
    return _DECODED


def token_words(doc: Doc) -> TokenWords:
    """Texts, lower-case forms, lemmas and punctuation-or-space flags of all tokens, read from the token arrays the
    first time and kept in ``doc.user_data``: stages that walk tokens read strings from lists instead of making a
    Token object per look-up. Call it once the Doc's tokens and lemmas are final (after the spaCy components)."""
    words = doc.user_data.get(WORDS_KEY)
    if words is None or len(words[0]) != len(doc):
        if len(doc):
            string = decoded(doc.vocab.strings).__getitem__
            columns = doc.to_array([ORTH, LOWER, LEMMA, IS_PUNCT, IS_SPACE]).T
            words = (
                list(map(string, columns[0].tolist())),
                list(map(string, columns[1].tolist())),
                list(map(string, columns[2].tolist())),
                ((columns[3] | columns[4]) != 0).tolist(),
            )
        else:
            words = ([], [], [], [])
        doc.user_data[WORDS_KEY] = words
    return words


def token_orths(doc: Doc) -> list[int]:
    """The word-form hashes (``ORTH``) of all tokens as a list, read once per Doc and kept in ``doc.user_data``:
    the components that look for listed first words read the same list instead of converting the array again.
    Treat it as read-only."""
    orths = doc.user_data.get(ORTHS_KEY)
    if orths is None or len(orths) != len(doc):
        orths = doc.user_data[ORTHS_KEY] = doc.to_array(ORTH).tolist() if len(doc) else []
    return orths
