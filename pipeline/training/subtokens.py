"""Tags for the sub-tokens the press tokenizer cuts a corpus word into.

Corpora are tokenised their own way: "Commerzbank-Chef" is one word there, three tokens
("Commerzbank" "-" "Chef") for the press tokenizer. A word's tag is spread over its sub-tokens:

- an entity word (``B-LOC`` "Baden-Württembergs") covers all of them (``B-LOC I-LOC I-LOC``);
- a GermEval ``*part`` word ("Commerzbank-Chef", ``B-ORGpart``) becomes the entity on the name
  segments only (``B-ORG O O``); when no segment can be told apart as the name ("Venusphase"),
  the word's tokens are left *missing* (None);
- an ``O`` word of a corpus that does not annotate names inside words is ``O`` where a segment is
  a lower-case word, punctuation or a common noun, and missing where it could be a name.
"""

from __future__ import annotations

from pipeline.nlp.lexicon import common_nouns, compound_head


def _is_segment(token: str) -> bool:
    return token != "-"


def _ordinary_word(token: str) -> bool:
    """Lower-case, punctuation or an ordinary noun (possibly a compound: "Spitzenkandidat")."""
    return not token[:1].isupper() or compound_head(token) is not None


def name_range(subwords: list[str]) -> tuple[int, int] | None:
    """The sub-token range [start, end) of the name inside a split compound, or None.

    "Commerzbank" "-" "Chef" -> (0, 1); "Siemens" "-" "Gamesa" "-" "Deal" -> (0, 3);
    "Bundes" "-" "SPD" -> (2, 3); "Venusphase" -> None.
    """
    segments = [i for i, token in enumerate(subwords) if _is_segment(token)]
    if len(segments) < 2:
        return None
    first, last = subwords[segments[0]], subwords[segments[-1]]
    if _ordinary_word(last):
        return segments[0], segments[-2] + 1
    if first in common_nouns() or not first[:1].isupper():
        return segments[1], segments[-1] + 1
    return None


def _entity_tags(label: str, start: int, end: int, n: int) -> list[str | None]:
    return [("B-" if i == start else "I-") + label if start <= i < end else "O" for i in range(n)]


def expand_tag(subwords: list[str], tag: str | None, part: str | None, annotates_parts: bool) -> list[str | None]:
    """Tags of a word's sub-tokens (see the module docstring); ``part`` is a GermEval ``*part`` label."""
    n = len(subwords)
    if n == 1:
        return [tag]
    if tag is None:
        return [None] * n
    if tag != "O":
        label = tag[2:]
        return [tag] + [f"I-{label}"] * (n - 1)
    if part is not None:
        span = name_range(subwords)
        return [None] * n if span is None else _entity_tags(part, *span, n)
    if annotates_parts:
        return ["O"] * n
    nouns = common_nouns()
    return [None if token[:1].isupper() and token not in nouns else "O" for token in subwords]
