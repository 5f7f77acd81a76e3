"""Canonical names: German inflection undone, titles split off person names."""

from __future__ import annotations

import re

from spacy.tokens import Span

PERSON_TITLES = (
    "Herr", "Herrn", "Frau", "Dr.", "Prof.", "Professor", "Professorin", "Dipl.-Ing.", "Ing.",
    "Minister", "Ministerin", "Staatssekretär", "Staatssekretärin", "Bürgermeister",
    "Bürgermeisterin", "Oberbürgermeister", "Oberbürgermeisterin", "Präsident", "Präsidentin",
    "Ministerpräsident", "Ministerpräsidentin", "Bundeskanzler", "Bundeskanzlerin", "Landrat",
    "Landrätin", "Senator", "Senatorin", "MdB", "MdL", "h.c.", "med.", "rer.", "nat.", "phil.",
)  # fmt: skip
_TITLE_SET = {t.casefold() for t in PERSON_TITLES}
_GENITIVE = re.compile(r"^(?P<stem>[A-ZÄÖÜ][\w\-]+?)(?:es|s)$")


def split_person_title(name: str) -> tuple[str, str | None]:
    """("Dr. Stefan Huber") -> ("Stefan Huber", "Dr.")."""
    words = name.split()
    titles: list[str] = []
    while len(words) > 1 and words[0].casefold() in _TITLE_SET:
        titles.append(words.pop(0))
    return " ".join(words), (" ".join(titles) or None)


def _uninflect_head(words: list[str], lemmas: list[str] | None) -> list[str]:
    """Undo the genitive/dative ending of the head noun when the lemma confirms it."""
    if not words:
        return words
    head = words[0]
    lemma = lemmas[0] if lemmas else None
    if lemma and lemma != head and head.startswith(lemma) and head[len(lemma) :] in {"s", "es", "n", "en", "ns"}:
        return [lemma, *words[1:]]
    return words


def canonical_name(name: str, label: str, span: Span | None = None) -> str:
    """The name a mention stands for: "des Ministeriums für X" -> "Ministerium für X"."""
    if label == "PER":
        return split_person_title(name)[0]
    words = name.split()
    lemmas = None
    if span is not None and len(span) and span.doc.has_annotation("LEMMA"):
        tokens = [t for t in span if not t.is_space]
        if len(tokens) == len(words):
            lemmas = [t.lemma_ for t in tokens]
    if words and words[0].casefold() in {"der", "die", "das", "des", "dem", "den"} and len(words) > 1:
        words = words[1:]
        lemmas = lemmas[1:] if lemmas else None
    # Only the first word inflects in "Ministeriums für Wirtschaft" / "Landkreises Karlsruhe".
    if len(words) == 1 and label == "LOC":
        match = _GENITIVE.match(words[0])
        if match and lemmas and lemmas[0] == match["stem"]:
            return match["stem"]
        return words[0]
    return " ".join(_uninflect_head(words, lemmas))
