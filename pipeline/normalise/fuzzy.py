"""Conservative fuzzy merging of entities across the archive (rapidfuzz).

Exact variants already share an id (label + genitive-insensitive key). This step
only joins spellings that differ by a letter or two ("Senatsverwaltung für
Inneres und Sport" / "Senatsverwaltung für Innneres und Sport"). The rule,
documented and tested:

- same label, keys of at least ``MIN_LENGTH`` characters, ``fuzz.ratio >= THRESHOLD``
  (``PERSON_THRESHOLD`` for persons, whose surnames must also be identical);
- the digits of both names are identical ("Hannover 96" never joins "Hannover 98");
- candidates are compared within blocks sharing their first three key characters;
- a cluster takes the id of its most mentioned member (ties: the smaller id).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline.normalise.entities import loose_key

THRESHOLD = 92.0
PERSON_THRESHOLD = 95.0
MIN_LENGTH = 8


@dataclass(frozen=True)
class Candidate:
    entity_id: str
    label: str
    name: str
    mentions: int


def _compatible(a: Candidate, b: Candidate, key_a: str, key_b: str) -> bool:
    if re.findall(r"\d+", key_a) != re.findall(r"\d+", key_b):
        return False
    if a.label == "PER":
        return key_a.split()[-1] == key_b.split()[-1] and fuzz.ratio(key_a, key_b) >= PERSON_THRESHOLD
    return fuzz.ratio(key_a, key_b) >= THRESHOLD


def fuzzy_merges(candidates: list[Candidate]) -> dict[str, str]:
    """Map entity ids that should merge to the id of their cluster (only ids that change)."""
    parent = {c.entity_id: c.entity_id for c in candidates}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_id = {c.entity_id: c for c in candidates}
    blocks: dict[tuple[str, str], list[tuple[Candidate, str]]] = defaultdict(list)
    for candidate in sorted(candidates, key=lambda c: c.entity_id):
        key = loose_key(candidate.name, candidate.label)
        if len(key) >= MIN_LENGTH:
            blocks[(candidate.label, key[:3])].append((candidate, key))
    for members in blocks.values():
        for i, (a, key_a) in enumerate(members):
            for b, key_b in members[i + 1 :]:
                if abs(len(key_a) - len(key_b)) <= 3 and _compatible(a, b, key_a, key_b):
                    root_a, root_b = find(a.entity_id), find(b.entity_id)
                    if root_a != root_b:
                        parent[max(root_a, root_b)] = min(root_a, root_b)
    clusters: dict[str, list[str]] = defaultdict(list)
    for entity in parent:
        clusters[find(entity)].append(entity)
    mapping: dict[str, str] = {}
    for members in clusters.values():
        if len(members) < 2:
            continue
        keep = min(members, key=lambda e: (-by_id[e].mentions, e))
        mapping.update({member: keep for member in members if member != keep})
    return mapping
