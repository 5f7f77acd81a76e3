"""Canonical names of people: titles split off, the genitive "-s" undone where the name lists say so."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.normalise.canonical import canonical_name


@pytest.mark.parametrize(
    ("mention", "name"),
    [
        ("Egon Schieles", "Egon Schiele"),  # "Egon Schieles Selbstbildnisse"
        ("Angela Merkels", "Angela Merkel"),
        ("Haiders", "Haider"),
        ("Bundeskanzlerin Angela Merkels", "Angela Merkel"),
        ("Johannes Brahms", "Johannes Brahms"),  # a surname with its own -s
        ("Karin Mertens", "Karin Mertens"),
        ("Serena Williams", "Serena Williams"),
        ("Jens", "Jens"),  # a first name
        ("Andreas", "Andreas"),
        ("Richard Strauss", "Richard Strauss"),
    ],
)
def test_a_persons_genitive_s_goes_only_where_the_name_lists_say_so(mention: str, name: str) -> None:
    assert canonical_name(mention, "PER") == name


@given(
    st.lists(st.sampled_from(["Egon", "Schieles", "Merkels", "Brahms", "Hans", "Dr.", "Frau", "Haiders"]), max_size=4)
)
def test_a_canonical_person_name_is_its_own_canonical_name(words: list[str]) -> None:
    name = canonical_name(" ".join(words), "PER")
    assert canonical_name(name, "PER") == name
