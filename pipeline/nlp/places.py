"""Multi-word German place names as one LOC entity, from the gazetteer.

The model breaks "Brandenburg an der Havel" into "Brandenburg" + "Havel", cuts "Frankfurt (Oder)" at the bracket
and "Fürstenwalde/Spree" at the slash, or calls "Königs Wusterhausen" a person. This component, added after the
NER, finds every gazetteer name of several words, with a bracket or a slash in the text (on character offsets, so
it works with any tokenizer) and makes it one LOC entity, replacing the entities it overlaps. A longer entity that
contains the name ("Polizeidirektion Frankfurt (Oder)") is kept.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.doc_text import doc_text

_FIRST_WORD = re.compile(r"[^\W_][\w.-]{0,59}")  # bounded: linear on any text
QUALIFIERS = Path(__file__).with_name("data") / "place_qualifiers.txt"
_WORD_START = re.compile(r"(?<![\w-])[A-ZÄÖÜ]")
# A known town with a river or landscape the gazetteer uses as a qualifier: "Grünheide (Mark)", "Dahme/Mark".
# Not "Frankfurt (Reuters)" (an agency) nor "Berlin/Brandenburg" (two places).
_QUALIFIED = re.compile(
    r"(?P<town>[A-ZÄÖÜ][\w-]{1,40})(?: \((?P<bracket>[^()\n]{2,30})\)|/(?P<slash>[A-ZÄÖÜ][\w.-]{1,29}))"
)


@lru_cache(maxsize=1)
def names_by_first_word() -> dict[str, tuple[str, ...]]:
    """Gazetteer names of several words keyed by their first word, longest first."""
    from pipeline.normalise.geocode import gazetteer

    table: dict[str, list[str]] = {}
    for name in gazetteer().multiword_names():
        first = re.split(r"[ (/]", name, maxsplit=1)[0]
        table.setdefault(first, []).append(name)
    return {first: tuple(sorted(names, key=len, reverse=True)) for first, names in table.items()}


@lru_cache(maxsize=1)
def qualifiers() -> frozenset[str]:
    """Rivers and landscapes written after German place names: "Oder", "Spree", "Mark", "Märkische Schweiz"."""
    from pipeline.normalise.geocode import gazetteer

    found = set()
    for name in gazetteer().multiword_names():
        found.update(re.findall(r"\(([^()]{2,30})\)|/([^/]{2,30})$", name)[0] if re.search(r"[(/]", name) else ())
    lines = QUALIFIERS.read_text(encoding="utf-8").splitlines()
    found.update(line.strip() for line in lines if line.strip() and not line.startswith("#"))
    return frozenset(q for q in found if q and q[0].isupper())


def _german_town(name: str) -> bool:
    from pipeline.normalise.geocode import HOME_COUNTRIES, gazetteer

    return any(
        p.country_code in HOME_COUNTRIES and p.kind in {"municipality", "locality"}
        for p in gazetteer().candidates(name)
    )


def find_place_names(text: str) -> list[tuple[int, int]]:
    """Character offsets of multi-word place names in ``text``, left to right, not overlapping."""
    table = names_by_first_word()
    found: list[tuple[int, int]] = []
    position = 0
    for match in _WORD_START.finditer(text):
        start = match.start()
        if start < position:
            continue
        first_word = _FIRST_WORD.match(text, start)
        for name in table.get(first_word.group().rstrip(".") if first_word else "", ()):
            end = start + len(name)
            if text.startswith(name, start) and (end == len(text) or not text[end].isalnum()):
                found.append((start, end))
                position = end
                break
        else:
            qualified = _QUALIFIED.match(text, start)
            if (
                qualified
                and (qualified["bracket"] or qualified["slash"]) in qualifiers()
                and _german_town(qualified["town"])
            ):
                found.append(qualified.span())
                position = qualified.end()
    return found


class PlaceNames:
    """spaCy component: gazetteer place names of several words become one LOC entity."""

    def __init__(self, name: str = "pressewerk_places") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for start, end in find_place_names(doc_text(doc)):
            span = doc.char_span(start, end, label="LOC", alignment_mode="expand")
            if span is None:
                continue
            inside = [e for e in doc.ents if e.start <= span.start and span.end <= e.end and len(e) > len(span)]
            if not inside:
                spans.append(span)
        if not spans:
            return doc
        kept = [e for e in doc.ents if not any(e.start < s.end and s.start < e.end for s in spans)]
        doc.set_ents([*kept, *spans], default="unmodified")
        return doc


@Language.factory("pressewerk_places")
def create_place_names(nlp: Language, name: str) -> PlaceNames:
    return PlaceNames(name)
