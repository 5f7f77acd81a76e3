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


@pytest.mark.parametrize(
    ("mention", "name"),
    [
        ("EU", "Europäische Union"),
        ("Europäischen Union", "Europäische Union"),
        ("UNO", "Vereinte Nationen"),
        ("UN", "Vereinte Nationen"),
        ("NATO", "Nato"),
        ("VfGH", "Verfassungsgerichtshof"),
        ("Siemens", "Siemens"),  # no alias: the name as written
    ],
)
def test_a_well_known_organisation_has_one_name_in_every_document(mention: str, name: str) -> None:
    assert canonical_name(mention, "ORG") == name


def test_an_alias_is_only_an_organisations():
    assert canonical_name("EU", "MISC") == "EU"  # "EU-Recht" reads are not the Union as an actor
