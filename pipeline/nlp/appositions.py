"""A name in apposition to the noun of its kind: "das Fachblatt Biology Letters", "der Sender Kronehit", "die Firma
Limbach Installtec GmbH", "dem US-Magazin Playboy". Plain functions used by ``pressewerk_name_resolution``.

The type noun says what the name is (an organisation: a medium, a company, an association, a band) and is not part
of it, as in the gold conventions ("das Fachjournal Phytotaxa" → "Phytotaxa"):

- a span that begins with the type noun loses it and is an organisation ("Fachblatt Biology Letters" → "Biology
  Letters", "Magazin Focus" MISC → ORG);
- a person, place or other name right after the type noun is that organisation ("der Sender Kronehit" PER → ORG);
- capitalised words the model left untagged after the type noun are the organisation, when the first is no common
  noun and no article ("dem US-Magazin Playboy"; not "die Zeitung Montag", "das Magazin Die Zeit").

The type noun must follow a determiner or preposition, so that it heads a noun phrase ("im Fachblatt", "des
Senders", "laut dem Magazin"). Rule matches (``span.id_``) are never changed.
"""

from __future__ import annotations

import numpy as np
from spacy.attrs import IS_TITLE, ORTH
from spacy.tokens import Doc, Span, Token

from pipeline.nlp import lexicon

MAX_NAME_WORDS = 4
ARTICLES = frozenset({"der", "die", "das", "den", "dem", "des", "the", "le", "la", "el", "il"})


def is_type_noun(token: Token, heads: frozenset[str], head_suffixes: tuple[str, ...]) -> bool:
    """ "Fachblatt", "Senders", "Nachrichtenagentur": a listed type noun, or a compound ending in a listed medium."""
    if not token.is_title:
        return False
    return token.text in heads or token.lower_.endswith(head_suffixes)


_TYPE_NOUN_IDS: dict[tuple[frozenset[str], tuple[str, ...]], dict[int, bool]] = {}


def _type_noun_positions(doc: Doc, heads: frozenset[str], head_suffixes: tuple[str, ...]) -> list[int]:
    """Positions of type nouns (not the last token), found on the ORTH array: one string test per word type,
    cached, never a ``Token`` per word."""
    known = _TYPE_NOUN_IDS.setdefault((heads, head_suffixes), {})
    strings = doc.vocab.strings
    found = []
    array = doc.to_array([ORTH, IS_TITLE])[:-1]
    titled = np.flatnonzero(array[:, 1])
    for i, orth in zip(titled.tolist(), array[titled, 0].tolist(), strict=True):
        is_type = known.get(orth)
        if is_type is None:
            text = strings[orth]
            is_type = known[orth] = text.istitle() and (text in heads or text.lower().endswith(head_suffixes))
        if is_type:
            found.append(i)
    return found


def _heads_a_phrase(doc: Doc, i: int, openers: frozenset[str]) -> bool:
    """The type noun at ``i`` follows a determiner or preposition, perhaps with a compound's first part ("dem
    US-Magazin": "dem" "US" "-" "Magazin") or one adjective ("das britische Fachblatt")."""
    k = i - 1
    if k >= 1 and doc[k].text == "-":
        k -= 2
    if k >= 0 and doc[k].is_lower and doc[k].lower_ not in openers and k >= 1:
        k -= 1  # one adjective
    return k >= 0 and doc[k].lower_ in openers


def _reads_as_a_person(span: Span) -> bool:
    """A person after an organisation noun is its owner or founder, not its name: "die Partei Frank Stronachs",
    "die Firma Müller"; only a one-word name no name list knows is read as the organisation ("Kronehit")."""
    if span.label_ != "PER":
        return False
    text = span.text
    return len(span) > 1 or text in lexicon.first_names() or text.removesuffix("s") in lexicon.surnames()


def _starts_a_name(token: Token) -> bool:
    """Capitalised, no article, no common noun unless a listed organisation ("die Zeitung Montag" is no name)."""
    if token.lower_ in ARTICLES or not (token.is_title or token.is_upper):
        return False
    return token.text not in lexicon.common_nouns() or token.text in lexicon.organisations()


def _name_run(doc: Doc, start: int) -> int:
    """End of the capitalised words from ``start`` (at most ``MAX_NAME_WORDS``)."""
    end = start
    while end < len(doc) and end - start < MAX_NAME_WORDS and (doc[end].is_title or doc[end].is_upper):
        if not doc[end].is_alpha and not any(c.isdigit() for c in doc[end].text):
            break
        end += 1
    return end


def names_after_type_nouns(
    doc: Doc,
    ents: list[Span],
    heads: frozenset[str],
    head_suffixes: tuple[str, ...],
    openers: frozenset[str],
    media: frozenset[str],
) -> list[Span]:
    """The organisation spans to put in (each replaces what overlaps it). Only a medium's noun ("Fachblatt",
    ``media`` and the ``head_suffixes``) is cut from a span; an organisation noun may begin the name ("Verband
    Österreichischer Zeitungen")."""
    candidates = _type_noun_positions(doc, heads, head_suffixes)
    if not candidates:
        return []
    by_start = {span.start: span for span in ents}
    covered = {i for span in ents for i in range(span.start, span.end)}
    new: list[Span] = []
    for i in candidates:
        token = doc[i]
        if not _heads_a_phrase(doc, i, openers):
            continue
        span = by_start.get(i)
        if span is not None:  # "Fachblatt Biology Letters": the type noun inside the span
            if not span.id_ and len(span) > 1 and doc[i + 1].is_title and is_type_noun(token, media, head_suffixes):
                new.append(Span(doc, i + 1, span.end, label="ORG", kb_id=span.kb_id_))
            continue  # "Verband Österreichischer Zeitungen" is the name
        if i in covered:
            compound = next((s for s in ents if s.start < i and s.end == i + 1), None)
            if compound is None or compound.id_ or doc[i - 1].text != "-" or compound.start >= i - 1:
                continue
            if not _starts_a_name(doc[i + 1]) or i + 1 in covered:
                continue  # "ZDF-Morgenmagazin" is the programme
            # "US-Magazin" as one span: the name before the hyphen is the mention ("US", a place), the noun no name
            part = doc[compound.start : i - 1]
            place = part.text in lexicon.countries() or (
                part.text in lexicon.places() and part.text not in lexicon.organisations()
            )
            label = "LOC" if place else compound.label_
            new.append(Span(doc, compound.start, i - 1, label=label, kb_id=compound.kb_id_))
        after = by_start.get(i + 1)
        if after is not None:  # "der Sender Kronehit" (PER)
            if not after.id_ and after.label_ != "ORG" and not _reads_as_a_person(after):
                new.append(Span(doc, after.start, after.end, label="ORG", kb_id=after.kb_id_))
            continue
        if i + 1 in covered or not _starts_a_name(doc[i + 1]):
            continue
        end = _name_run(doc, i + 1)
        if end + 1 < len(doc) and doc[end].is_lower and doc[end + 1].is_title:
            continue  # the name goes on: "der Verein Gemeinsam für Van der Bellen"
        if any(doc[k].text in lexicon.common_nouns() for k in range(i + 2, end)):
            continue  # the noun is the name's own: "Verband Österreichischer Zeitungen", "Verein Deutscher Ingenieure"
        if end > i + 1 and not any(k in covered for k in range(i + 1, end)):
            new.append(Span(doc, i + 1, end, label="ORG"))
    return new
