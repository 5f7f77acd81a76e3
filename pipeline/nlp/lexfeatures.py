"""Lexical-knowledge features for the embedded model's tok2vec.

In German every noun is capitalised, so shape alone cannot tell "Wohnungseinbruchdiebstahl" from
"Wagenknecht". Each word form gets a small integer of flags from the shipped word lists
(:mod:`pipeline.nlp.lexicon`) plus a frequency bucket (``de_lexeme_prob`` of spacy-lookups-data):

- common noun (an inflected form in german-nouns), compound ending in a common noun ("…diebstahl"),
  first name, surname, place, country;
- frequency bucket: ``int(-log p)`` (4 … 16) for the ~210k words with log p ≥ -16, else 0.

``pressewerk.lexical_tables.v1`` (``[initialize.before_init]``) stores the table in the vocab's
lookups (next to the Brown clusters), so it ships in the model folder, keyed by hash.
``pressewerk.LexicalHashEmbed.v1`` is ``ClusterHashEmbed`` plus two narrow hashed columns: the
flags and the frequency bucket. A capitalised word missing from the table ("Enkeltrickbetrügereien")
gets the compound flag at run time when its tail is a listed noun ("Betrügereien").
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array

from pipeline.nlp import clusters, lexicon
from pipeline.nlp.packed import PackedIndex, pack

LEXICAL_TABLE = "lexeme_lexicon"
NOUN, NOUN_HEAD, FIRST_NAME, SURNAME, PLACE, COUNTRY = (1 << i for i in range(6))
FREQ_SHIFT = 8
MIN_HEAD_CHARS = lexicon.MIN_HEAD_CHARS
N_COLUMNS = 2


def word_frequencies(min_log_prob: float) -> dict[str, int]:
    """Frequency bucket ``int(-log p)`` of the words with log probability ≥ ``min_log_prob``."""
    import spacy_lookups_data

    folder = Path(spacy_lookups_data.__file__).parent / "data"
    with gzip.open(folder / "de_lexeme_prob.json.gz", "rt", encoding="utf-8") as handle:
        probs = json.load(handle)
    return {word: max(int(-p), 1) for word, p in probs.items() if p >= min_log_prob}


def lexical_table(min_log_prob: float) -> dict[str, int]:
    """Flags | bucket << FREQ_SHIFT for every word form in a word list or the frequency list."""
    table: dict[str, int] = {}
    for flag, words in (
        (NOUN, lexicon.common_nouns()),
        (FIRST_NAME, lexicon.first_names()),
        (SURNAME, lexicon.surnames()),
        (PLACE, lexicon.places()),
        (COUNTRY, lexicon.countries()),
    ):
        for word in words:
            if " " not in word:
                table[word] = table.get(word, 0) | flag
    for word, bucket in word_frequencies(min_log_prob).items():
        table[word] = table.get(word, 0) | bucket << FREQ_SHIFT
    for word, value in table.items():
        if not value & NOUN and word[:1].isupper() and lexicon.compound_head(word):
            table[word] = value | NOUN_HEAD
    return table


@spacy.registry.callbacks("pressewerk.lexical_tables.v1")
def create_table_loader(min_log_prob: float = -16.0) -> Callable[[Language], Language]:
    """``[initialize.before_init]``: Brown clusters and lexical flags into the vocab's lookups."""
    add_clusters = clusters.create_cluster_loader(min_log_prob)

    def add_tables(nlp: Language) -> Language:
        add_clusters(nlp)
        if LEXICAL_TABLE in nlp.vocab.lookups:
            nlp.vocab.lookups.remove_table(LEXICAL_TABLE)
        nlp.vocab.lookups.add_table(LEXICAL_TABLE, pack(lexical_table(min_log_prob)))
        return nlp

    return add_tables


def split_value(value: int) -> tuple[int, int]:
    """(flags, frequency bucket) of a table value."""
    return value & ((1 << FREQ_SHIFT) - 1), value >> FREQ_SHIFT


class _LexicalIndex:
    """The vocab's packed lexical table; words not in it are looked at once and cached."""

    def __init__(self) -> None:
        self.index = PackedIndex(LEXICAL_TABLE)
        self.unlisted: dict[int, tuple[int, int]] = {}

    def _unlisted(self, key: int, text: str) -> tuple[int, int]:
        """A word missing from the table: compound flag if a tail of it is a listed noun."""
        found = self.unlisted.get(key)
        if found is not None:
            return found
        flags = 0
        if text[:1].isupper():
            first = max(1, len(text) - lexicon.longest_common_noun())  # no noun is longer: linear on a 1 MB word
            tails = [text[start].upper() + text[start + 1 :] for start in range(first, len(text) - MIN_HEAD_CHARS + 1)]
            if tails:
                values, listed = self.index.table.lookup(np.array([get_string_id(t) for t in tails], dtype=np.uint64))
                if bool((listed & (values & np.uint64(NOUN) != 0)).any()):
                    flags = NOUN_HEAD
        self.unlisted[key] = (flags, 0)
        return self.unlisted[key]

    def columns(self, doc: Doc) -> np.ndarray:
        """Per token: (flags, frequency bucket) of its form."""
        if self.index.changed(doc.vocab.lookups):
            self.unlisted = {}
        keys = doc.to_array(ORTH).astype(np.uint64).reshape(-1)
        values, found = self.index.table.lookup(keys)
        rows = np.empty((len(doc), N_COLUMNS), dtype=np.uint64)
        rows[:, 0] = values & np.uint64((1 << FREQ_SHIFT) - 1)
        rows[:, 1] = values >> np.uint64(FREQ_SHIFT)
        missing = np.flatnonzero(~found)
        if missing.size:
            strings = doc.vocab.strings  # a word's text only for words missing from the table: no Token per token
            for i in missing.tolist():
                rows[i] = self._unlisted(int(keys[i]), strings[int(keys[i])])
        return rows


_INDEX = _LexicalIndex()


def token_features(doc: Doc) -> list[tuple[int, int]]:
    """(flags, frequency bucket) of each token, as the model sees them."""
    return [tuple(row) for row in _INDEX.columns(doc).tolist()]


def LexicalFeatureExtractor(columns: list[str | int]) -> Model[list[Doc], list]:
    """spaCy's ``FeatureExtractor`` columns, then the Brown-cluster and the lexical columns."""
    return clusters.columns_extractor("extract_lexical_features", columns, [clusters._INDEX.columns, _INDEX.columns])


@spacy.registry.architectures("pressewerk.LexicalHashEmbed.v1")
def LexicalHashEmbed(
    width: int,
    attrs: list[str],
    rows: list[int],
    cluster_rows: list[int],
    lexical_rows: list[int],
    cluster_width: int = 32,
    lexical_width: int = 16,
) -> Model:
    """``ClusterHashEmbed`` plus hashed columns for the lexical flags and the frequency bucket."""
    n_clusters = 1 + len(clusters.PREFIX_BITS)
    if len(rows) != len(attrs) or len(cluster_rows) != n_clusters or len(lexical_rows) != N_COLUMNS:
        raise ValueError(f"rows must match attrs, cluster_rows needs {n_clusters} entries and lexical_rows {N_COLUMNS}")
    widths = [width] * len(rows) + [cluster_width] * n_clusters + [lexical_width] * N_COLUMNS
    all_rows = [*rows, *cluster_rows, *lexical_rows]
    embeddings = [
        HashEmbed(n_width, n_rows, column=i, seed=8 + i, dropout=0.0)
        for i, (n_width, n_rows) in enumerate(zip(widths, all_rows, strict=True))
    ]
    return chain(
        LexicalFeatureExtractor(attrs),
        list2ragged(),
        with_array(concatenate(*embeddings)),
        with_array(Maxout(width, sum(widths), nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )


@spacy.registry.architectures("pressewerk.LexicalCharEmbed.v1")
def LexicalCharEmbed(
    width: int,
    attrs: list[str],
    rows: list[int],
    cluster_rows: list[int],
    lexical_rows: list[int],
    cluster_width: int = 32,
    lexical_width: int = 16,
    char_rows: int = 2000,
    n_chars: int = 8,
    char_width: int = 16,
) -> Model:
    """``LexicalHashEmbed`` plus spaCy's ``CharacterEmbed`` (the first and last ``n_chars`` characters of each
    word, ``char_width`` wide each), mixed by a Maxout layer: the character-level variant measured for the model
    card (``docs/model.md``)."""
    from spacy.ml.models.tok2vec import CharacterEmbed

    lexical = LexicalHashEmbed(width, attrs, rows, cluster_rows, lexical_rows, cluster_width, lexical_width)
    chars = CharacterEmbed(width, char_rows, char_width, n_chars, include_static_vectors=False, feature="LOWER")
    n_in = width + width  # CharacterEmbed mixes its characters and LOWER embedding down to ``width``
    return chain(
        concatenate(lexical, chars),
        with_array(Maxout(width, n_in, nP=3, dropout=0.0, normalize=True)),
    )
