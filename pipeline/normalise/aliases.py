"""Short forms across the archive: a surname or an acronym that a document tied to a full name joins that
name's cluster in the documents that use the short form alone.

Within a document, name resolution ties "Doskozil" to "Hans Peter Doskozil" and "EZB" to "Europäische
Zentralbank" (the mention keeps its text, its ``name`` is the full name). A release that writes only "Doskozil"
has no full name to tie it to, so its entity is "Doskozil". At the end of a run this step reads how the run's
documents tied short forms and puts such an entity into the full name's cluster (``cluster_id``, listed in
``merges.csv``). It is as careful as the fuzzy step:

- the evidence is the run's own: some document tied this short form to the full name, and every document that
  tied it tied it to the same entity (or spellings of it the fuzzy step joined);
- the short form is one by its letters: a person's surname is the end of the full name ("Doskozil", "Van der
  Bellen"), and no first name ("Ali" alone is anyone called Ali, not "Muhammad Ali"); an acronym ("EZB", "ÖVP") or a known short name ("Uno") of an organisation, place or other name;
  or its words stand in the full name ("Rapid" in "SK Rapid Wien"); a street is never one of its town's street
  ("Schulstraße" alone may be the Schulstraße of any district);
- no other entity of the run could be meant: no second person of that surname ("Thomas Müller" and "Gerd
  Müller" leave "Müller" alone), no second name holding those words.

Entity ids never change; ``cluster_id`` is the full name's cluster, whatever the mention counts.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from pipeline.nlp import lexicon
from pipeline.nlp.resolution import is_acronym
from pipeline.normalise.entities import loose_key
from pipeline.normalise.fuzzy import Candidate

# (label, loose key of a mention's text) -> ids of the entities documents tied that text to
Evidence = dict[tuple[str, str], set[str]]


def short_form_evidence(rows: Iterable[tuple[str, str, str, str]]) -> Evidence:
    """How the run's documents tied short forms: ``rows`` are (label, mention text, entity id, entity name)."""
    evidence: Evidence = defaultdict(set)
    for label, text, entity, name in rows:
        key, full = loose_key(text, label), loose_key(name, label)
        if not key or key == full:
            continue
        if label == "PER" and key.endswith("s") and full.endswith(" " + key[:-1]):
            key = key[:-1]  # "Doskozils": the genitive of the surname
        evidence[(label, key)].add(entity)
    return evidence


def _words_within(short: list[str], full: list[str]) -> bool:
    n = len(short)
    return 0 < n < len(full) and any(full[i : i + n] == short for i in range(len(full) - n + 1))


def is_short_form(label: str, short: str, full: str) -> bool:
    """``short`` can name what ``full`` names by its letters alone (see the module's rules)."""
    short_words, full_words = loose_key(short, label).split(), loose_key(full, label).split()
    if label == "PER":
        if short.strip() in lexicon.first_names():
            return False  # "Ali" alone is anyone called Ali, not "Muhammad Ali"
        return 0 < len(short_words) < len(full_words) and full_words[-len(short_words) :] == short_words
    if "," in full:
        return False  # a street keyed by its town ("Schulstraße, Wedding"): the lone street may be another one
    return is_acronym(short.replace(".", "")) or " " not in short.strip() or _words_within(short_words, full_words)


def _rivals(candidate: Candidate, index: dict[tuple[str, str], list[Candidate]]) -> list[str]:
    """Entities of the run that the short form could name as well, by their letters (``index``: see
    :func:`_word_index`)."""
    if candidate.label != "PER" and is_acronym(candidate.name.replace(".", "")):
        return []  # an acronym's expansion is not in its letters; the evidence decides
    key = loose_key(candidate.name, candidate.label).split()
    if not key:
        return []
    rivals = []
    for other in index.get((candidate.label, key[-1]), ()):
        words = loose_key(other.name, other.label).split()
        if other.entity_id == candidate.entity_id or len(words) <= len(key):
            continue
        if candidate.label == "PER":
            if words[-len(key) :] == key and other.name.split()[0] in lexicon.first_names():
                rivals.append(other.entity_id)  # "Gerd Müller"; not the glued "Niessl Doskozil"
        elif _words_within(key, words):
            rivals.append(other.entity_id)
    return rivals


def _folded(name: str, label: str) -> str:
    """The loose key without accents: "Francois Hollande" is "François Hollande" written without a cedilla."""
    decomposed = unicodedata.normalize("NFKD", loose_key(name, label))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _word_index(candidates: list[Candidate]) -> dict[tuple[str, str], list[Candidate]]:
    """(label, word) -> the candidates of that label whose name holds the word (persons: as their last word)."""
    index: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        words = loose_key(candidate.name, candidate.label).split()
        for word in words[-1:] if candidate.label == "PER" else set(words):
            index[(candidate.label, word)].append(candidate)
    return index


def short_form_clusters(
    candidates: list[Candidate], evidence: Evidence, clusters: dict[str, str]
) -> tuple[dict[str, str], set[str]]:
    """``clusters`` (the fuzzy step's) with every short-form entity in its full name's cluster.

    Returns the new mapping (entity -> cluster id, for every entity of a cluster of two or more) and the ids of
    the entities that joined as a short form.
    """
    by_id = {c.entity_id: c for c in candidates}
    parent = {c.entity_id: clusters.get(c.entity_id, c.entity_id) for c in candidates}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    by_key: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_key[(candidate.label, loose_key(candidate.name, candidate.label))].append(candidate)
    index = _word_index(candidates)
    joined: set[str] = set()
    for (label, key), shorts in sorted(by_key.items()):
        tied = {e for e in evidence.get((label, key), ()) if e in by_id}
        for short in shorts:
            targets = tied - {short.entity_id}
            if not targets or not all(is_short_form(label, short.name, by_id[t].name) for t in targets):
                continue
            roots = {find(t) for t in targets}
            spellings = {_folded(by_id[t].name, label) for t in targets}
            rivals = {find(r) for r in _rivals(short, index) if _folded(by_id[r].name, label) not in spellings}
            if len(roots) != 1 or not rivals <= roots:
                continue
            root = roots.pop()
            if find(short.entity_id) != root:
                parent[find(short.entity_id)] = root
                joined.add(short.entity_id)
    members: dict[str, list[str]] = defaultdict(list)
    for entity in parent:
        members[find(entity)].append(entity)
    mapping = {m: root for root, group in members.items() if len(group) > 1 for m in group}
    return mapping, joined
