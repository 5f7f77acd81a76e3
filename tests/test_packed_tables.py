"""Packed word tables (`pipeline.nlp.packed`): the same answers as a dict, read from the shipped model."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st
from spacy.attrs import LOWER, ORTH
from spacy.lookups import Lookups
from spacy.strings import get_string_id

from pipeline.nlp import clusters, lexfeatures, lexicon
from pipeline.nlp import model as model_module
from pipeline.nlp.model import resolve_model
from pipeline.nlp.packed import KEYS, VALUES, PackedTable, pack, pack_lookups

WORDS = st.text(alphabet="abcdeäöüßABCÄÖÜ-", min_size=1, max_size=12)


@given(st.dictionaries(WORDS, st.integers(min_value=0, max_value=2**40), max_size=60), st.lists(WORDS, max_size=30))
def test_a_packed_table_answers_like_the_dict_it_was_made_from(entries, queries):
    table = PackedTable(*pack(entries).values())
    values, found = table.lookup(np.array([get_string_id(q) for q in queries], dtype=np.uint64))
    assert found.tolist() == [q in entries for q in queries]
    assert values.tolist() == [entries.get(q, 0) for q in queries]
    assert [table.get(q) for q in queries] == [entries.get(q) for q in queries]
    assert len(table) == len(entries)


def test_values_take_the_narrowest_unsigned_type():
    assert pack({"Polizei": 3, "Berlin": 200})[VALUES].dtype == np.uint8
    assert pack({"Polizei": 70_000})[VALUES].dtype == np.uint32
    assert pack({})[KEYS].dtype == np.uint64


def test_a_table_of_plain_entries_is_packed_in_place():
    lookups = Lookups()
    lookups.add_table("plain", {"Polizei": 1, "Wache": 2})
    lookups.add_table("packed", pack({"Berlin": 5}))
    assert pack_lookups(lookups, ["plain", "packed", "absent"]) == ["plain"]
    restored = Lookups().from_bytes(lookups.to_bytes())
    for name, word, value in (("plain", "Wache", 2), ("packed", "Berlin", 5)):
        assert isinstance(restored.get_table(name)[KEYS], np.ndarray)
        assert PackedTable.of(restored.get_table(name)).get(word) == value


def _reference_columns(nlp, doc) -> tuple[np.ndarray, np.ndarray]:
    """The features as a plain dict reading of the same tables gives them: cluster of the form, else of its
    lower-case form; flags and frequency of the form, else the compound flag of a listed noun at its end."""
    cluster_table = PackedTable.of(nlp.vocab.lookups.get_table(clusters.CLUSTER_TABLE))
    lexical_table = PackedTable.of(nlp.vocab.lookups.get_table(lexfeatures.LEXICAL_TABLE))
    cluster_rows, lexical_rows = [], []
    for token in doc:
        cluster = cluster_table.get(token.orth) or cluster_table.get(token.lower) or 0
        cluster_rows.append(clusters._with_prefixes(cluster))
        value = lexical_table.get(token.orth)
        if value is None:
            heads = [token.text[i].upper() + token.text[i + 1 :] for i in range(1, len(token.text) - 3)]
            nouns = [lexical_table.get(head) for head in heads] if token.text[:1].isupper() else []
            lexical_rows.append((lexfeatures.NOUN_HEAD if any(v and v & lexfeatures.NOUN for v in nouns) else 0, 0))
        else:
            lexical_rows.append(lexfeatures.split_value(value))
    return np.array(cluster_rows, dtype=np.uint64), np.array(lexical_rows, dtype=np.uint64)


@pytest.mark.parametrize(
    "text",
    [
        "Gerhard Schröder traf Angela Merkel in Xqzvbrkl.",
        "Die Kriminalpolizei ermittelt wegen Enkeltrickbetrügereien und Wohnungseinbruchdiebstahls in BERLIN.",
        "Der Bürgermeister von Bad Ischl, Hannes Heide (SPÖ), eröffnete am 3. Mai die Landesausstellung.",
        "",
    ],
)
def test_the_shipped_model_reads_its_packed_tables_like_a_dict(shipped_model, text):
    nlp = model_module.load_model(resolve_model(str(shipped_model)), model_only=True)
    for name in (clusters.CLUSTER_TABLE, lexfeatures.LEXICAL_TABLE):  # shipped packed: nothing to hash at start-up
        assert isinstance(nlp.vocab.lookups.get_table(name)[KEYS], np.ndarray)
    assert lexicon.longest_common_noun() + 1 < 100  # the reference reads every tail: no length bound needed
    doc = nlp.make_doc(text)
    cluster_columns, lexical_columns = _reference_columns(nlp, doc)
    assert clusters._INDEX.columns(doc).tolist() == cluster_columns.reshape((len(doc), 3)).tolist()
    assert lexfeatures._INDEX.columns(doc).tolist() == lexical_columns.reshape((len(doc), 2)).tolist()
    assert doc.to_array([ORTH, LOWER]).shape[0] == len(doc)


def test_a_model_built_now_packs_its_tables_at_initialisation():
    nlp = spacy.blank("de")
    clusters.create_cluster_loader(-8.0)(nlp)
    table = nlp.vocab.lookups.get_table(clusters.CLUSTER_TABLE)
    assert isinstance(table[KEYS], np.ndarray) and len(PackedTable.of(table)) > 100
    expected = clusters.read_clusters(-8.0)
    word = next(iter(expected))
    assert PackedTable.of(table).get(word) == expected[word]
