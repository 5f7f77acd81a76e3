"""``pressewerk_entity_filter``: drop statistical entities that cannot be German names.

German names start with a capital letter, so a PER or LOC that is written in
lower case ("auszutauschen", "deutschen") is an error of the model; a nobiliary
particle ("von Werthern") is allowed before a capitalised word; a MISC that starts with a word in plain lower
case is an adjective ("europäische", "russisch"), not a name ("iPhone" stays). A one-word ORG may be
spelt in lower case ("dpa", "eBay", "anleihencheck.de"), but a plain lower-case word
("gewimmelt") is none. Entities of
pure digits or punctuation are dropped for every label. Person names carry no
digits: a PER with a letter-digit word ("Hubwerk01", "Studio54") is a brand or an
organisation and becomes ORG. A one-word LOC derived from a listed place ("das Kiewer Büro", "eine Gruppe
Banater") is an adjective or a name for its people, not a place (GermEval's LOCderiv). Rule matches are kept.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from pipeline.nlp.doc_text import token_orths

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
        if span.label_ == "LOC" and len(span) == 1 and _derived_from_a_place(span[0].text):
            return False
        return all(t.lower_ in PARTICLES for t in span[: first_upper.i - span.start])
    if span.label_ == "ORG":
        return _plausible_organisation(span)
    if span.label_ == "MISC":
        first = span[0].text  # "europäische", "russisch", "zweiten Liga": an adjective, no name
        return not (first.isalpha() and first.islower())  # "iPhone", "eBay" have a capital
    return True


def _derived_from_a_place(word: str) -> bool:
    """ "Kiewer" ("das Kiewer Büro"), "Banater" ("eine Gruppe Banater"): an adjective or a name for a place's people,
    not the place."""
    from pipeline.nlp import lexicon

    return lexicon.place_of_derivative(word) is not None


def _plausible_organisation(span: Span) -> bool:
    """A one-word organisation in lower case is spelt its own way ("dpa", "eBay", "anleihencheck.de") or listed;
    a plain lower-case word ("gewimmelt", "intensivmedizinisch") is none."""
    if len(span) > 1:
        return True  # "tunesische Justizministerium": an adjective may lead a name
    word = span[0].text
    if not word.isalpha() or not word.islower():
        return True
    from pipeline.nlp import lexicon

    return word in lexicon.organisations()


def relabelled(span: Span) -> Span:
    """A statistical PER with a fused letter-digit word ("Hubwerk01") as ORG; anything else unchanged."""
    if span.label_ == "PER" and not span.id_ and any(_letters_and_digits(t.text) for t in span):
        return Span(span.doc, span.start, span.end, label="ORG")
    return span


def _letters_and_digits(text: str) -> bool:
    return any(ch.isalpha() for ch in text) and any(ch.isdigit() for ch in text)


class EntityFilter:
    def __init__(self, name: str = "pressewerk_entity_filter") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ents = [relabelled(span) for span in doc.ents if plausible(span)]
        if ents != list(doc.ents):
            doc.set_ents(ents, default="unmodified")
            doc.ents = ents
        return doc


@Language.factory("pressewerk_entity_filter")
def create_entity_filter(nlp: Language, name: str) -> EntityFilter:
    return EntityFilter(name)


class ConsistentEntities:
    """One name, one reading per document: unlabelled repeats of a name the document labels get its label.

    The model may tag "Hubwerk01" in the title and miss it in "Vorstand des Hubwerk01";
    names the document labels two ways, or that are never capitalised, are left alone. A repeat takes the
    referent (``kb_id``) its name has everywhere else in the document ("Christandl" → "Jürg Christandl").
    """

    def __init__(self, name: str = "pressewerk_consistent_entities") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        readings: dict[tuple[str, ...], set[str]] = {}
        referents: dict[tuple[str, ...], set[str]] = {}
        for span in doc.ents:
            if any(t.text[:1].isupper() for t in span):
                words = tuple(t.text for t in span)
                readings.setdefault(words, set()).add(span.label_)
                referents.setdefault(words, set()).add(span.kb_id_)
        names = {words: labels.pop() for words, labels in readings.items() if len(labels) == 1}
        if not names:
            return doc
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for words in sorted(names, key=len, reverse=True):  # longest name first
            by_first.setdefault(words[0], []).append(words)
        taken = [False] * len(doc)
        for span in doc.ents:
            taken[span.start : span.end] = [True] * len(span)
        orths = token_orths(doc)
        first_ids = {get_string_id(first) for first in by_first}
        strings, n = doc.vocab.strings, len(doc)
        added = []
        free_from = 0  # a name found covers its words: the next one starts after it
        for i in [i for i, orth in enumerate(orths) if orth in first_ids]:
            if i < free_from or taken[i]:
                continue
            for words in by_first[strings[orths[i]]]:
                end = i + len(words)
                if end <= n and not any(taken[i:end]) and tuple(strings[o] for o in orths[i:end]) == words:
                    referent = referents[words]  # "Christandl" after "Jürg Christandl": that person
                    kb_id = next(iter(referent)) if len(referent) == 1 else ""
                    added.append(Span(doc, i, end, label=names[words], kb_id=kb_id))
                    taken[i:end] = [True] * len(words)
                    free_from = end
                    break
        if added:
            doc.set_ents([*doc.ents, *added], default="unmodified")
        return doc


@Language.factory("pressewerk_consistent_entities")
def create_consistent_entities(nlp: Language, name: str) -> ConsistentEntities:
    return ConsistentEntities(name)
