"""Brown-cluster features for the embedded model's tok2vec.

The German Brown clusters in ``spacy-lookups-data`` (``de_lexeme_cluster``, built on a large
German corpus) say which words behave alike: "Schröder", "Merkel" and "Hendrix" share a
cluster, so a model trained on little annotated text still recognises surnames it never saw.
A cluster id is a bit path with a leading 1; its prefixes are coarser clusters.

- ``pressewerk.brown_clusters.v1`` (an ``[initialize.before_init]`` callback) copies the
  clusters of the most frequent words into ``nlp.vocab.lookups``, so they ship inside the
  model folder (``vocab/lookups.bin``), keyed by hash: no strings are added.
- ``pressewerk.ClusterHashEmbed.v1`` is spaCy's ``MultiHashEmbed`` with three more, narrow
  hashed columns: the full cluster and its 4- and 8-bit prefixes.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import spacy
from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array

from pipeline.nlp.packed import PackedIndex, pack

CLUSTER_TABLE = "lexeme_cluster"
PREFIX_BITS = (4, 8)


def read_clusters(min_log_prob: float) -> dict[str, int]:
    """Clusters of the words whose log probability is at least ``min_log_prob`` (spacy-lookups-data)."""
    import spacy_lookups_data

    folder = Path(spacy_lookups_data.__file__).parent / "data"
    with gzip.open(folder / "de_lexeme_cluster.json.gz", "rt", encoding="utf-8") as handle:
        clusters = json.load(handle)
    with gzip.open(folder / "de_lexeme_prob.json.gz", "rt", encoding="utf-8") as handle:
        probs = json.load(handle)
    return {word: cluster for word, cluster in clusters.items() if cluster and probs.get(word, -99.0) >= min_log_prob}


@spacy.registry.callbacks("pressewerk.brown_clusters.v1")
def create_cluster_loader(min_log_prob: float = -16.0) -> Callable[[Language], Language]:
    """``[initialize.before_init]``: put the German Brown clusters into the vocab's lookups."""

    def add_clusters(nlp: Language) -> Language:
        if CLUSTER_TABLE in nlp.vocab.lookups:
            nlp.vocab.lookups.remove_table(CLUSTER_TABLE)
        nlp.vocab.lookups.add_table(CLUSTER_TABLE, pack(read_clusters(min_log_prob)))
        return nlp

    return add_clusters


def _with_prefixes(cluster: int) -> tuple[int, ...]:
    """The cluster and its coarser ancestors (bit-path prefixes); 0 stays 0."""
    if not cluster:
        return (0,) * (1 + len(PREFIX_BITS))
    depth = cluster.bit_length() - 1
    return (cluster, *(cluster >> max(depth - bits, 0) for bits in PREFIX_BITS))


class _ClusterIndex:
    """The vocab's packed cluster table with each cluster's prefixes precomputed (fast per Doc)."""

    def __init__(self) -> None:
        self.index = PackedIndex(CLUSTER_TABLE)
        self.rows = np.zeros((0, 1 + len(PREFIX_BITS)), dtype=np.uint64)

    def _load(self, lookups) -> None:
        if self.index.changed(lookups):
            distinct, position = np.unique(self.index.table.values, return_inverse=True)
            prefixes = np.array([_with_prefixes(int(c)) for c in distinct], dtype=np.uint64)
            self.rows = prefixes.reshape((-1, 1 + len(PREFIX_BITS)))[position.reshape(-1)]

    def columns(self, doc: Doc) -> np.ndarray:
        """Per token: the cluster of its form, else of its lower-case form, and their prefixes; zeros if none."""
        self._load(doc.vocab.lookups)
        n_columns = 1 + len(PREFIX_BITS)
        if not len(doc) or not len(self.index.table):
            return np.zeros((len(doc), n_columns), dtype=np.uint64)
        keys = doc.to_array([ORTH, LOWER]).astype(np.uint64).reshape((len(doc), 2))
        table = self.index.table
        positions = np.minimum(np.searchsorted(table.keys, keys), len(table) - 1)
        found = table.keys[positions] == keys
        row = np.where(found[:, 0], positions[:, 0], positions[:, 1])
        columns = self.rows[row]
        columns[~(found[:, 0] | found[:, 1])] = 0
        return columns


_INDEX = _ClusterIndex()


def columns_extractor(
    name: str, columns: list[str | int], sources: list[Callable[[Doc], np.ndarray]]
) -> Model[list[Doc], list]:
    """spaCy's ``FeatureExtractor`` columns, then the columns each of ``sources`` computes for a doc."""

    def forward(model: Model, docs: list[Doc], is_train: bool):
        features = []
        for doc in docs:
            attrs = doc.to_array(model.attrs["columns"])
            if attrs.ndim == 1:
                attrs = attrs.reshape((attrs.shape[0], 1))
            combined = np.hstack([attrs.astype("uint64"), *(source(doc) for source in sources)])
            features.append(model.ops.asarray2i(combined, dtype="uint64"))
        return features, lambda d_features: []

    return Model(name, forward, attrs={"columns": columns})


def ClusterFeatureExtractor(columns: list[str | int]) -> Model[list[Doc], list]:
    """Like spaCy's ``FeatureExtractor``, plus the cluster columns at the end."""
    return columns_extractor("extract_cluster_features", columns, [_INDEX.columns])


@spacy.registry.architectures("pressewerk.ClusterHashEmbed.v1")
def ClusterHashEmbed(
    width: int, attrs: list[str], rows: list[int], cluster_rows: list[int], cluster_width: int = 32
) -> Model:
    """spaCy's MultiHashEmbed (no static vectors) with narrow hashed Brown-cluster columns.

    A cluster column has at most a few hundred distinct values, so ``cluster_width`` can be
    small, which keeps the Maxout that mixes all columns (and the model's speed) close to the
    plain MultiHashEmbed.
    """
    if len(rows) != len(attrs) or len(cluster_rows) != 1 + len(PREFIX_BITS):
        raise ValueError(f"rows must match attrs and cluster_rows must have {1 + len(PREFIX_BITS)} entries")
    widths = [width] * len(rows) + [cluster_width] * len(cluster_rows)
    embeddings = [
        HashEmbed(n_width, n_rows, column=i, seed=8 + i, dropout=0.0)
        for i, (n_width, n_rows) in enumerate(zip(widths, [*rows, *cluster_rows], strict=True))
    ]
    return chain(
        ClusterFeatureExtractor(attrs),
        list2ragged(),
        with_array(concatenate(*embeddings)),
        with_array(Maxout(width, sum(widths), nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )
