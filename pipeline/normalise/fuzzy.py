"""Conservative fuzzy merging of entities across the archive (rapidfuzz).

Exact variants already share an id (label + genitive-insensitive key). This step
only joins spellings that differ by a letter or two ("Senatsverwaltung für
Inneres und Sport" / "Senatsverwaltung für Innneres und Sport"). The rule,
documented and tested:

- same label, keys of at least ``MIN_LENGTH`` characters, the same words but one, and that word
  (at least 5 letters) spelled alike: ``fuzz.ratio >= THRESHOLD`` ("Seydlitzstaße" / "Seydlitzstraße";
  not "Goebelstraße" / "Goebenstraße", 92.3 after case folding); for persons ``PERSON_THRESHOLD`` and never the surname;
- or the same letters with different spacing ("Pietschker Straße" / "Pietschkerstraße");
- the digits of both names are identical ("Hannover 96" never joins "Hannover 98");
- two places the gazetteer knows under different names never join ("Schönewalde" / "Schönwalde"):
  the ``is_known_place`` predicate decides;
- candidates are compared within blocks sharing their first three key characters;
- a cluster takes the id of its most mentioned member (ties: the smaller id) as its ``cluster_id``.

Entity ids are never rewritten: they stay a pure function of label and name, so a
document run alone and inside an archive gives every name the same ``entity_id``;
the joins of one run are the ``cluster_id`` column (and ``merges.csv``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline.normalise.entities import loose_key
from pipeline.normalise.surface import match_key

THRESHOLD = 93.0
PERSON_THRESHOLD = 95.0
MIN_LENGTH = 8


@dataclass(frozen=True)
class Candidate:
    entity_id: str
    label: str
    name: str
    mentions: int


def _words(name: str) -> list[str]:
    return match_key(name).replace("-", " ").split()


def _compatible(a: Candidate, b: Candidate, key_a: str, key_b: str) -> bool:
    """Same words but one, and that one spelled almost alike; or the same letters spaced differently."""
    if key_a.replace(" ", "") == key_b.replace(" ", ""):
        return True  # "Pietschker Straße" / "Pietschkerstraße", "Hondafahrer" / "Honda-Fahrer"
    words_a, words_b = _words(a.name), _words(b.name)
    if len(words_a) != len(words_b):
        return False
    differing = [(x, y) for x, y in zip(words_a, words_b, strict=True) if x != y]
    if len(differing) != 1:
        return False
    x, y = differing[0]
    if re.findall(r"\d+", x) != re.findall(r"\d+", y) or min(len(x), len(y)) < 5:
        return False
    if a.label == "PER":
        return x != words_a[-1] and fuzz.ratio(x, y) >= PERSON_THRESHOLD
    return fuzz.ratio(x, y) >= THRESHOLD


def fuzzy_clusters(candidates: list[Candidate], is_known_place: Callable[[str], bool] | None = None) -> dict[str, str]:
    """The cluster id of every entity that joins another one (entities that stay alone are left out).

    ``is_known_place(name)``: a cluster holds at most one place it accepts, so two known
    places never join, not even through a misspelling between them.
    """
    parent = {c.entity_id: c.entity_id for c in candidates}
    by_id = {c.entity_id: c for c in candidates}
    places = {
        c.entity_id: {loose_key(c.name, c.label)}
        if c.label == "LOC" and is_known_place is not None and is_known_place(c.name)
        else set()
        for c in candidates
    }

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    blocks: dict[tuple[str, str], list[tuple[Candidate, str]]] = defaultdict(list)
    for candidate in sorted(candidates, key=lambda c: c.entity_id):
        key = loose_key(candidate.name, candidate.label)
        if len(key) >= MIN_LENGTH:
            blocks[(candidate.label, key[:3])].append((candidate, key))
    for members in blocks.values():
        by_length: dict[int, list[int]] = defaultdict(list)  # keys of more than two letters' difference never join
        for i, (_, key) in enumerate(members):
            by_length[len(key)].append(i)
        for i, (a, key_a) in enumerate(members):
            near = sorted(j for n in range(len(key_a) - 2, len(key_a) + 3) for j in by_length.get(n, ()) if j > i)
            for b, key_b in (members[j] for j in near):  # in block order, as every pair was compared before
                if not _compatible(a, b, key_a, key_b):
                    continue
                root_a, root_b = find(a.entity_id), find(b.entity_id)
                if root_a == root_b or len(places[root_a] | places[root_b]) > 1:
                    continue
                root, child = min(root_a, root_b), max(root_a, root_b)
                parent[child] = root
                places[root] |= places[child]
    clusters: dict[str, list[str]] = defaultdict(list)
    for entity in parent:
        clusters[find(entity)].append(entity)
    mapping: dict[str, str] = {}
    for members in clusters.values():
        if len(members) < 2:
            continue
        keep = min(members, key=lambda e: (-by_id[e].mentions, e))
        mapping.update({member: keep for member in members})
    return mapping
