"""Where a person's name begins and ends, and names that are no persons: plain functions on ``Span``\\ s.

Used by ``pressewerk_name_resolution``. A tagger that reads "lobte Mark Zuckerberg Deutschland" or "Lars von
Triers Film Dogville" runs a person on into the words after it; a reader stops at the name:

- **a name ends before an ordinary word**: a country or a common noun that no name list knows as a surname ends
  the person ("Mark Zuckerberg [Deutschland]", "Lars von Triers [Film Dogville]"), and so do a hyphenated compound
  of common nouns ("Googles [Musikstreaming-Dienst Play Music]", no person at all) and a spaced dash ("Waldorf
  Frommer [- Jupiter]");
- **two persons side by side** are two: a surname repeated with its first name ("Greenberg | Joseph Greenberg"),
  a capitalised particle after a surname ("forderte Kickl | Van der Bellen auf"); a middle name stays ("Wilton
  Daniel Gregory");
- **a species is no person**: a genus followed by its Latin epithet ("Servaea incana", "P. straeleni");
- **a weather system is no person**: the name after "Hurrikan", "Sturmtief", "Orkan" ("Hurrikan Alex").

Surnames that are common nouns ("Fuchs", "Kraft", "Rock") are in the surname list and stay.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from pipeline.nlp import lexicon

DASHES = frozenset({"-", "–", "—"})
MIN_EPITHET_CHARS = 5
GERMAN_ENDINGS = ("ei", "aus", "rum")  # "dabei", "überaus", "wiederum": German words with a Latin-looking end


def _is_name_word(text: str) -> bool:
    return text in lexicon.surnames() or text in lexicon.first_names()


def _ordinary_word(token: Token) -> bool:
    """A capitalised common noun no name list knows ("Film", "Flöte"; not "Fuchs", "Rock")."""
    text = token.text
    return token.is_title and text in lexicon.common_nouns() and not _is_name_word(text)


def _noun_compound(text: str) -> bool:
    """ "Musikstreaming-Dienst": a hyphenated compound of common nouns whose first part no name list knows
    ("Müller-Wohlfahrt" is a name)."""
    first, _, last = text.partition("-")
    if not (first and last[:1].isupper()):
        return False
    nouns = lexicon.common_nouns()
    return first in nouns and not _is_name_word(first) and last.rpartition("-")[2] in nouns


def _hyphenated(span: Span, j: int) -> str:
    """The word that starts at ``span[j]``, its hyphenated parts joined ("Musikstreaming" "-" "Dienst")."""
    text = span[j].text
    while j + 2 < len(span) and span[j + 1].text == "-" and not span[j].whitespace_ and not span[j + 1].whitespace_:
        text += "-" + span[j + 2].text
        j += 2
    return text


def _genitive_of_no_name(token: Token) -> bool:
    """ "Googles" before "Musikstreaming-Dienst": a genitive of a word no name list knows ("Merkels" is one)."""
    text = token.text
    return text.endswith("s") and not _is_name_word(text) and not _is_name_word(text[:-1])


def split_person(span: Span, particles: frozenset[str], foreign_particles: frozenset[str]) -> list[Span]:
    """The person(s) in a PER span that runs on into ordinary words or into a second person. ``particles`` are
    the words inside names ("von", "van", "der"), ``foreign_particles`` those that can begin a surname ("Van")."""
    if span.label_ != "PER" or span.id_ or len(span) < 2:
        return [span]
    doc = span.doc
    for j in range(1, len(span)):
        token, before = span[j], span[j - 1]
        if token.text in DASHES and before.whitespace_:
            return [_part(span, 0, j)]
        if before.lower_ in particles:
            continue  # "Albert von Belgien", "Elisabeth von Österreich"
        if token.text in lexicon.countries():
            if j == len(span) - 1 and j >= 2:  # "lobte Mark Zuckerberg Deutschland"; "Eduard Liechtenstein" stays
                return [_part(span, 0, j), Span(doc, span.start + j, span.end, label="LOC")]
            continue
        if _ordinary_word(token) and (j >= 2 or before.text in lexicon.surnames()):
            return [_part(span, 0, j)]  # not "Abdel [Asis] Nakur": one word of an unknown name is no name
        if _noun_compound(_hyphenated(span, j)):  # "Googles Musikstreaming-Dienst Play Music": a service
            return [] if j == 1 and _genitive_of_no_name(before) else [_part(span, 0, j)]
        if before.text in lexicon.first_names() or not before.is_title:
            continue
        if _ordinary_word(before):
            continue  # a role noun before the name ("Mäzen Bill Campbell"): ``without_leading_words``
        starts_a_name = (
            token.text in lexicon.first_names()
            and token.text not in lexicon.surnames()
            and token.text not in lexicon.common_nouns()
        )
        starts_particle_name = token.is_title and token.lower_ in foreign_particles and j + 1 < len(span)
        if starts_a_name and j + 1 < len(span) and span[-1].text == before.text:
            return [_part(span, 0, j), Span(doc, span.start + j, span.end, label="PER")]  # "Greenberg Joseph Greenberg"
        if starts_particle_name:
            return [_part(span, 0, j), Span(doc, span.start + j, span.end, label="PER")]
        if starts_a_name and j == len(span) - 1 and token.text == span[0].text:
            return [_part(span, 0, j)]  # "Sven Flohr Sven": a byline repeated
    return [span]


def _part(span: Span, start: int, end: int) -> Span:
    return Span(span.doc, span.start + start, span.start + end, label=span.label_, kb_id=span.kb_id_)


def is_species(span: Span, endings: tuple[str, ...]) -> bool:
    """A genus (or its initial, "P.") followed by a Latin epithet: "Servaea incana", "Plecodus straeleni"."""
    if len(span) != 1 or span.end >= len(span.doc):
        return False
    genus = span.text
    if genus in lexicon.countries() or genus in lexicon.places() or _is_name_word(genus):
        return False  # "in Ungarn überaus reichlich"
    return is_epithet(span.doc[span.end], endings)


def is_epithet(token: Token, endings: tuple[str, ...]) -> bool:
    text = token.text
    return (
        token.is_lower
        and token.is_alpha
        and len(text) >= MIN_EPITHET_CHARS
        and not token.is_stop
        and text.endswith(endings)
        and not text.endswith(GERMAN_ENDINGS)
    )


def species_genera(doc: Doc, ents: Iterable[Span], endings: tuple[str, ...]) -> set[str]:
    """The genus names of the document's species ("Servaea" of "Servaea incana"): their other mentions are no
    names either. An abbreviated genus ("P.") is dropped where it stands, never elsewhere."""
    return {span[0].text for span in ents if is_species(span, endings) and not span[0].text.endswith(".")}


def weather_names(doc: Doc, ents: Iterable[Span], weather_words: frozenset[str]) -> set[str]:
    """Names given to a weather system in the document ("Hurrikan Alex", "Mini-Hurrikan Danny", "Sturmtief
    Sabine"): the name is no person, here or later ("Alex war der früheste Hurrikan")."""
    names = set()
    for span in ents:
        if span.label_ != "PER" or span.start == 0 or len(span) > 1:
            continue
        before = doc[span.start - 1].text
        head = before.rsplit("-", 1)[-1]
        if before in weather_words or head in weather_words:
            names.add(span.text.lstrip("#"))
    return names
