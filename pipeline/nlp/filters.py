"""``pressewerk_entity_filter``: drop statistical entities that cannot be German names.

German names start with a capital letter, so a PER or LOC that is written in
lower case ("auszutauschen", "deutschen") is an error of the model; a nobiliary
particle ("von Werthern") is allowed before a capitalised word. Entities of
pure digits or punctuation are dropped for every label. Rule matches are kept.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

PARTICLES = {
    "von",
    "van",
    "de",
    "der",
    "den",
    "zu",
    "vom",
    "di",
    "da",
    "del",
    "della",
    "le",
    "la",
    "al",
    "bin",
    "ibn",
    "ten",
    "ter",
}
CAPITALISED_LABELS = {"PER", "LOC"}


def plausible(span: Span) -> bool:
    if span.id_:  # a rule found it
        return True
    if not any(ch.isalpha() for ch in span.text):
        return False
    if span.label_ in CAPITALISED_LABELS:
        first_upper = next((t for t in span if t.text[:1].isupper()), None)
        if first_upper is None:
            return False
        return all(t.lower_ in PARTICLES for t in span[: first_upper.i - span.start])
    return True


class EntityFilter:
    def __init__(self, name: str = "pressewerk_entity_filter") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ents = [span for span in doc.ents if plausible(span)]
        if len(ents) != len(doc.ents):
            doc.set_ents(ents, default="unmodified")
            doc.ents = ents
        return doc


@Language.factory("pressewerk_entity_filter")
def create_entity_filter(nlp: Language, name: str) -> EntityFilter:
    return EntityFilter(name)
