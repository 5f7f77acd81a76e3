"""``pressewerk_name_resolution``: one name, one reading per document, with knowledge of well-known names.

A reader resolves a name from the document: "Norbert Hofer … Hofer" is the person twice, even though Hofer is also a
supermarket chain; "Bank Austria (BA) … BA-Chefökonom" is the bank. This component, added after the model and the
other entity components, does the same:

- **particles stay inside a person** ("Alexander Van der Bellen", "Ursula von der Leyen", "Baschar al-Assad");
- **a person's surname** (or a particle-led tail: "Van der Bellen") repeated after the full name takes the full
  name's label and entity: the span's ``kb_id_`` is the full name, which the ``entities`` stage uses as its name;
  a repeat the model did not tag is added when it is no common noun; two surnames side by side ("holte Niessl
  Doskozil") are the two persons;
- **an acronym defined in brackets** ("Bundeskriminalamt (BKA)", "Bank Austria (BA)") is that organisation
  wherever it appears, compounds included ("BA-Chefökonom" → "BA");
- **knowledge as candidates**: a one-word ORG that is an acronym of an ordinary thing ("SMS", "USB", "LHC";
  ``lexicon.not_names``) goes unless the document defines it; a PER/LOC/MISC that is a well-known organisation
  ("Caritas", "Reddit"; ``lexicon.organisations``) becomes ORG unless its context reads it as a place or person; a
  known place in a list of places ("Salzburg, Graz, Innsbruck, Linz und Wien") is added; a one-word ORG that is a
  dictionary role noun ("den Kapitän") or a unit after a number ("38 Grad") goes unless it is a known organisation;
- **type words**: an administrative unit keeps its type word and is a place ("Bezirk Deutschlandsberg", "Provinz
  Faryab"), a facility with a name is a place ("Flughafen Mariscal Sucre"), a descriptive word goes ("Kanton
  [Baselland]", "Gemeinde [Hérémence]");
- **grammar and word knowledge**: a known place in the genitive is a place ("die Kunst Japans"); a place that is a
  common noun after an article is the noun ("in ihrem Essen"); a lone unknown word after a role noun is a person
  ("Regierungskollege Ostermayer"), so is a name after a foreign particle ("van der Vaart"); a name ending in an
  institution word is an organisation ("Leopold-Museum"), so is an organisation compounded with an institution
  head ("EU-Kommission"); a number after a place goes ("Faakersee 51"), a period with a year is no name ("Saison
  2006/07"); a name does not run on past a bracket ("Pfaffenhofen (PK) Viel"); a hashtag keeps its sign ("#Berlin").

Rule matches (``span.id_`` set) are never changed. Word lists: ``models/rules/name_resolution.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import numpy as np
from spacy.attrs import IS_TITLE, LOWER, ORTH
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc, Span, Token

from pipeline.german import NUMBER_WORDS
from pipeline.nlp import lexicon
from pipeline.nlp.appositions import names_after_type_nouns
from pipeline.nlp.doc_text import doc_text, token_orths
from pipeline.nlp.entity_sense import compound_head, strip_genitive, word_lists
from pipeline.nlp.model import PROJECT_ROOT
from pipeline.nlp.person_bounds import is_species, species_genera, split_person, weather_names
from pipeline.nlp.short_forms import short_form_repeats, short_forms

WORD_LISTS = PROJECT_ROOT / "models" / "rules" / "name_resolution.toml"
DEFINING_LABELS = {"ORG", "LOC", "MISC"}
ACRONYM = re.compile(r"^[A-ZÄÖÜ][A-ZÄÖÜa-z0-9&]*[A-ZÄÖÜ0-9][A-ZÄÖÜa-z0-9&]*$")
GENITIVE_S_BLOCKED = ("s", "x", "z", "ß")
PLACE_JOINERS = frozenset({"/", "-", "–", "—"})
NUMBER_JOINERS = frozenset({"/", "-", "–", ".", ","})
PLACE_PREPOSITIONS = frozenset({"am", "an", "im", "in", "bei", "ob", "unter", "vor"})  # "Washington am Hals"
ARTICLES = frozenset({"der", "die", "das", "the"})  # "Die Zeit", "Die Linke", "The Guardian"
GERMAN_NOBLE_PARTICLES = frozenset({"von", "zu", "vom"})  # "Papen" alone is Franz von Papen; "Bellen" is no name
ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")
NAME_LABELS = frozenset({"PER", "LOC", "ORG", "MISC"})


def _genitive_of_country(word: str) -> bool:
    """A listed country in the genitive ("Burundis", "Ugandas"), unless the word is an organisation's name."""
    return word.endswith("s") and word[:-1] in lexicon.countries() and word not in lexicon.organisations()


@dataclass(frozen=True)
class ResolutionLists:
    """The component's word lists (``models/rules/name_resolution.toml``)."""

    name_particles: frozenset[str]
    foreign_particles: frozenset[str]
    particle_followers: frozenset[str]
    hyphen_articles: tuple[str, ...]
    list_separators: frozenset[str]
    unit_words: frozenset[str]
    facility_words: frozenset[str]
    descriptor_words: frozenset[str]
    state_words: frozenset[str]
    locative_prepositions: frozenset[str]
    org_context_suffixes: tuple[str, ...]
    person_role_suffixes: tuple[str, ...]
    period_nouns: frozenset[str]
    institution_compound_heads: tuple[str, ...]
    institution_heads: tuple[str, ...]
    determiners: frozenset[str]
    numbered_place_words: frozenset[str]
    bare_name_slots: frozenset[str]
    source_verbs: frozenset[str]
    institution_words: frozenset[str]
    sports_country_codes: frozenset[str]
    abstract_noun_endings: tuple[str, ...]
    weather_system_words: frozenset[str]
    latin_epithet_endings: tuple[str, ...]
    apposition_heads: frozenset[str]
    apposition_head_suffixes: tuple[str, ...]
    apposition_openers: frozenset[str]
    apposition_media: frozenset[str]
    club_prefixes: frozenset[str]


@cache
def resolution_lists(path: Path = WORD_LISTS) -> ResolutionLists:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return ResolutionLists(
        name_particles=frozenset(data["name_particles"]),
        foreign_particles=frozenset(data["foreign_particles"]),
        particle_followers=frozenset(data["particle_followers"]),
        hyphen_articles=tuple(data["hyphen_articles"]),
        list_separators=frozenset(data["list_separators"]),
        unit_words=frozenset(data["unit_words"]),
        facility_words=frozenset(data["facility_words"]),
        descriptor_words=frozenset(data["descriptor_words"]),
        state_words=frozenset(data["state_words"]),
        locative_prepositions=frozenset(data["locative_prepositions"]),
        org_context_suffixes=tuple(data["org_context_suffixes"]),
        person_role_suffixes=tuple(data["person_role_suffixes"]),
        period_nouns=frozenset(data["period_nouns"]),
        institution_compound_heads=tuple(data["institution_compound_heads"]),
        institution_heads=tuple(data["institution_heads"]),
        determiners=frozenset(data["determiners"]),
        numbered_place_words=frozenset(data["numbered_place_words"]),
        bare_name_slots=frozenset(data["bare_name_slots"]),
        source_verbs=frozenset(data["source_verbs"]),
        institution_words=frozenset(data["institution_words"]),
        sports_country_codes=frozenset(data["sports_country_codes"]),
        abstract_noun_endings=tuple(data["abstract_noun_endings"]),
        weather_system_words=frozenset(data["weather_system_words"]),
        latin_epithet_endings=tuple(data["latin_epithet_endings"]),
        apposition_heads=frozenset(data["apposition_heads"]) | frozenset(data["apposition_media"]),
        apposition_media=frozenset(data["apposition_media"]),
        club_prefixes=frozenset(data["club_prefixes"]),
        apposition_head_suffixes=tuple(data["apposition_head_suffixes"]),
        apposition_openers=frozenset(data["determiners"]) | frozenset(data["apposition_prepositions"]),
    )


def _sentence_initial(token: Token) -> bool:
    """The token starts its sentence, also after extra white space (the sentencizer marks the space token that
    follows "stattfinden." in "stattfinden.  Die Zeit drängt", not "Die")."""
    if token.is_sent_start:
        return True
    return token.i > 0 and token.nbor(-1).is_space and bool(token.nbor(-1).is_sent_start)


def is_acronym(text: str) -> bool:
    """Two capitals or more, at most ten characters: "BKA", "ÖVP", "BaFin"; not "Ost"."""
    return 2 <= len(text) <= 10 and sum(ch.isupper() for ch in text) >= 2 and bool(ACRONYM.match(text))


def _common_noun(word: str) -> bool:
    """A noun of the noun list, or a compound ending in one that no name list knows ("Tennisfan")."""
    if word in lexicon.common_nouns():
        return True
    return word not in lexicon.first_names() and lexicon.noun_compound(word)


def _capitalised(token: Token) -> bool:
    return token.text[:1].isupper() and any(ch.isalpha() for ch in token.text)


class NameResolution:
    """Resolve a document's names against each other and against knowledge (see the module docstring)."""

    def __init__(self, vocab, name: str = "pressewerk_name_resolution", lists: ResolutionLists | None = None) -> None:
        self.name = name
        self.lists = lists or resolution_lists()
        self.titles = word_lists().titles
        self.org_head_suffixes = (*word_lists().org_head_suffixes, *self.lists.org_context_suffixes)
        strings = vocab.strings
        self._genitive_cache: dict[int, bool] = {}
        self.hash_id = strings.add("#")
        self.separator_ids = frozenset(strings.add(s) for s in self.lists.list_separators)

    def __call__(self, doc: Doc) -> Doc:
        original = list(doc.ents)
        ents = self.with_particles(doc, original)
        ents = self.particle_led_persons(doc, ents)
        ents = [self.with_leading_adjective(self.typed(span)) for span in ents]
        ents = [span for span in (self.without_trailing_number(span) for span in ents) if span is not None]
        ents = [self.without_trailing_phrase(span) for span in ents]
        ents = [span for span in (self.without_trailing_lowercase(span) for span in ents) if span is not None]
        ents = self.person_bounds(doc, ents)
        acronyms = self.defined_acronyms(doc, ents)
        ents = self.with_defined_labels(ents, acronyms)
        ents = [span for span in (self.by_knowledge(span, acronyms) for span in ents) if span is not None]
        ents = self.without_leading_words(ents)
        ents = self.first_name_and_surname(doc, ents)
        ents = self.resolve_persons(doc, ents)
        ents = self.resolve_acronyms(doc, ents, acronyms)
        ents = self.club_short_forms(doc, ents)
        ents = self.add_listed_places(doc, ents)
        ents = self.add_genitive_places(doc, ents)
        ents = self.add_listed_organisations(doc, ents)
        ents = self.add_geographic_names(doc, ents)
        ents = self.without_open_brackets(doc, ents)
        ents = self.without_inner_brackets(doc, ents)
        ents = self.split_joined_places(ents)
        ents = self.with_hashtags(doc, ents)
        ents = self.institution_compounds(doc, ents)
        ents = self.athletes_countries(doc, ents)
        ents = self.named_by_type_noun(doc, ents)
        if ents != original:
            doc.set_ents(sorted(ents, key=lambda s: s.start), default="outside")
        return doc

    def club_short_forms(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A club's short form after its full name is the club, not the place ("FC Barcelona … Barcelona";
        ``short_forms``)."""
        forms = short_forms(ents, self.lists.club_prefixes)
        new = short_form_repeats(doc, ents, forms, self.lists.locative_prepositions)
        return _replace(ents, new) if new else ents

    def named_by_type_noun(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A name after the noun of its kind is an organisation, the noun outside ("das Fachblatt Biology
        Letters", "der Sender Kronehit"; ``appositions``)."""
        lists = self.lists
        new = names_after_type_nouns(
            doc,
            ents,
            lists.apposition_heads,
            lists.apposition_head_suffixes,
            lists.apposition_openers,
            lists.apposition_media,
        )
        return _replace(ents, new) if new else ents

    def person_bounds(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A person ends before ordinary words and before a second person; species and weather systems are no
        persons (``person_bounds``)."""
        lists = self.lists
        particles = lists.name_particles | lists.foreign_particles
        ents = [part for span in ents for part in split_person(span, particles, lists.foreign_particles)]
        not_persons = species_genera(doc, ents, lists.latin_epithet_endings) | weather_names(
            doc, ents, lists.weather_system_words
        )
        endings = lists.latin_epithet_endings
        return [
            span
            for span in ents
            if not (is_species(span, endings) or (len(span) == 1 and span.text.lstrip("#") in not_persons))
        ]

    def athletes_countries(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """An IOC country code in brackets right after a person is the athlete's country, a place: "Tobias Kamke
        (GER)", "Hirscher (AUT)"; a listed organisation ("Wörner (ESA)") and a party ("Scholz (SPD)") stay."""
        person_ends = {span.end for span in ents if span.label_ == "PER"}
        codes = self.lists.sports_country_codes
        found = [
            Span(doc, end + 1, end + 2, label="LOC")
            for end in person_ends
            if end + 2 < len(doc)
            and doc[end].text == "("
            and doc[end + 2].text == ")"
            and doc[end + 1].text in codes
            and doc[end + 1].text not in lexicon.organisations()
        ]
        return _replace(ents, found) if found else ents

    # -- persons -------------------------------------------------------------------------------------------
    def _particle_run(self, doc: Doc, i: int) -> int:
        """End of a surname part starting with a particle at ``i`` ("von der Leyen"), or ``i`` when none."""
        lists = self.lists
        if i >= len(doc) or doc[i].lower_ not in lists.name_particles:
            return i
        j = i + 1
        while j < len(doc) and (doc[j].lower_ in lists.particle_followers or doc[j].text == "-"):
            j += 1
        if j < len(doc) and _capitalised(doc[j]) and not _sentence_initial(doc[j]) and doc[j].is_alpha:
            word = doc[j].text  # "Müller von der FPÖ", "Schmidt von Siemens", "Meier von Wien": no surname
            if not (
                is_acronym(word)
                or word in lexicon.organisations()
                or self.is_known_place(word)
                or word in lexicon.common_nouns()
            ):
                return j + 1
        return i

    def with_particles(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A person takes the particle-led rest of its name: "Alexander Van" + "der Bellen" → one PER."""
        extended: list[Span] = []
        other_label = {i for span in ents if span.label_ != "PER" for i in range(span.start, span.end)}
        for span in ents:
            if span.label_ != "PER" or span.id_:
                continue
            ends_in_particle = span[-1].lower_ in self.lists.name_particles and len(span) > 1
            first_name_only = (
                len(span) == 1 and span.text in lexicon.first_names() and span.text not in lexicon.surnames()
            )
            if not (ends_in_particle or first_name_only):
                continue  # "Mikl-Leitner zu Prölls Soziallandesrätin": a preposition after a whole name
            start = span.end - 1 if ends_in_particle else span.end
            end = self._particle_run(doc, start)
            if end <= span.end and start == span.end:
                nxt = doc[span.end] if span.end < len(doc) else None
                if nxt is not None and nxt.lower_.startswith(self.lists.hyphen_articles) and nxt.text[3:4].isupper():
                    end = span.end + 1  # "Baschar" + "al-Assad"
            if end > span.end and not any(i in other_label for i in range(span.end, end)):
                extended.append(Span(doc, span.start, end, label="PER", kb_id=span.kb_id_))
        if not extended:
            return ents
        return _replace(ents, extended)

    def particle_led_persons(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A lone name after a particle that is no German word is a person with that particle: "erklärt van der
        Vaart" (the model: LOC "Vaart") → PER "van der Vaart". Not after a capitalised word ("Rio de Janeiro")."""
        persons: list[Span] = []
        for span in ents:
            if span.id_ or span.label_ == "PER" or len(span) != 1 or span.start == 0:
                continue
            previous = doc[span.start - 1]
            if (
                previous.text not in self.lists.foreign_particles
                and previous.lower_ not in self.lists.particle_followers
            ):
                continue
            if self.is_known_place(span.text) or span.text in lexicon.organisations():
                continue
            start = span.start  # back over "van der", "de la", "da"
            while start > 0 and (
                doc[start - 1].text in self.lists.foreign_particles
                or doc[start - 1].lower_ in self.lists.particle_followers
            ):
                start -= 1
            while start < span.start and doc[start].text not in self.lists.foreign_particles:
                start += 1  # the run starts at a particle of a name ("von" alone is a preposition)
            if start == span.start:
                continue
            before = doc[start - 1] if start > 0 else None
            if before is not None and _capitalised(before) and not _sentence_initial(before):
                continue
            persons.append(Span(doc, start, span.end, label="PER", kb_id=span.kb_id_))
        return _replace(ents, persons) if persons else ents

    def person_tails(self, ents: list[Span]) -> dict[tuple[str, ...], str]:
        """Lower-case word tuples that refer back to one full name: ("hofer",) → "Norbert Hofer"."""
        found: dict[tuple[str, ...], set[str]] = {}
        for span in ents:
            if span.label_ != "PER" or len(span) < 2 or not self.is_full_name(span):
                continue
            words = list(span)
            particle = next((k for k, t in enumerate(words) if k > 0 and t.lower_ in self.lists.name_particles), None)
            last = len(words) - 1
            while last >= 2 and words[last - 1].text == "-" and not words[last - 2].whitespace_:
                last -= 2  # "Boutros-Ghali" is one surname
            tail = words[particle:] if particle is not None else words[last:]
            if not _capitalised(tail[-1]) or len(tail[-1].text) < 2 or len(tail) == len(words):
                continue
            found.setdefault(tuple(t.lower_ for t in tail), set()).add(span.text)
            if (
                len(tail) > 1
                and tail[0].lower_ in GERMAN_NOBLE_PARTICLES
                and tail[-1].text not in lexicon.common_nouns()
            ):
                found.setdefault((tail[-1].lower_,), set()).add(span.text)  # "Franz von Papen" … "Papens Vizekanzlei"
        # A surname two people share ("Fritz Grünbaum", "Elisabeth Grünbaum") is still a person, of unknown referent.
        return {tail: names.pop() if len(names) == 1 else "" for tail, names in found.items()}

    def split_two_persons(self, ents: list[Span], tails: dict[tuple[str, ...], str]) -> list[Span]:
        """ "Gudenus von Christandl" (passive "von") and "holte Niessl Doskozil" (subject and object side by side)
        are two persons when the document names both in full."""
        out: list[Span] = []
        glued = self.glued_persons(ents, tails)
        for span in ents:
            cut = next((t.i for t in span[1:-1] if t.lower_ in {"von", "vom"}), None)
            if any(span is g for g in glued):
                out.extend(Span(span.doc, i, i + 1, label="PER") for i in (span.start, span.start + 1))
                continue
            if span.label_ != "PER" or span.id_ or cut is None:
                out.append(span)
                continue
            left, right = span.doc[span.start : cut], span.doc[cut + 1 : span.end]
            if tuple(t.lower_ for t in left) in tails and tuple(t.lower_ for t in right) in tails:
                out.extend(Span(span.doc, part.start, part.end, label="PER") for part in (left, right))
            else:
                out.append(span)
        return out

    def glued_persons(self, ents: list[Span], tails: dict[tuple[str, ...], str]) -> list[Span]:
        """Two-word persons whose words are the surnames of two persons the document names in full ("holte Niessl
        Doskozil"); such spans look like full names themselves, so the full names are read without them. Not a
        span whose first word is a first name ("Karl Heinz" may be the person Karl Heinz)."""
        candidates = [
            span
            for span in ents
            if span.label_ == "PER"
            and not span.id_
            and len(span) == 2
            and (span[0].lower_,) in tails
            and (span[1].lower_,) in tails
            and span[0].text not in lexicon.first_names()
        ]
        if not candidates:
            return []
        others = self.person_tails([e for e in ents if all(e is not c for c in candidates)])
        return [
            span
            for span in candidates
            if others.get((span[0].lower_,))
            and others.get((span[1].lower_,))
            and others[(span[0].lower_,)] != others[(span[1].lower_,)]
        ]

    def is_full_name(self, span: Span) -> bool:
        """A first name and a surname, at most five words, no ordinary noun: "Norbert Hofer", "Alexander Van der
        Bellen"; not "Waldorf Frommer - Jupiter" nor "Justin Biebers Trennungssong Love Yourself"."""
        small = self.lists.name_particles | self.lists.particle_followers
        names = [t for t in span if t.lower_ not in small and t.text != "-"]
        if not 2 <= len(names) <= 5 or any(t.text == "-" and t.whitespace_ for t in span):
            return False
        for token in names:
            if not _capitalised(token):
                return False
            known = token.text in lexicon.first_names() or token.text in lexicon.surnames()
            if not known and (token.text in lexicon.common_nouns() or compound_head(token.text)):
                return False  # "Trennungssong"; "Anna" and "Koch" are names too
        if names[0].text in lexicon.first_names():
            return True
        last = names[-1].text.rsplit("-", 1)[-1]
        if last in lexicon.common_nouns():
            return False  # not "Odessas Gouverneur"
        if last in lexicon.surnames():
            return True
        # Names no list knows ("Boutros Boutros-Ghali", "Tswetan Wassilew"): two or three words, no place among them
        # and no particle between them ("Gudenus von Christandl" is two persons)
        plain = all(t in names or t.text == "-" for t in span)
        return plain and len(names) <= 3 and not any(self.is_known_place(t.text) for t in names)

    def resolve_persons(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Repeats of a surname (or particle-led tail) take the full name's label and entity."""
        tails = self.person_tails(ents)
        if not tails:
            return ents
        split = self.split_two_persons(ents, tails)
        if split != ents:
            ents, tails = split, self.person_tails(split)
        keys: dict[str, list[tuple[str, ...]]] = {}
        for tail in sorted(tails, key=len, reverse=True):
            keys.setdefault(tail[0], []).append(tail)
            if len(tail) == 1 and not tail[0].endswith(GENITIVE_S_BLOCKED):
                keys.setdefault(tail[0] + "s", []).append(tail)  # "Hofers Wahlkampf"
        hits = _positions(doc, keys, LOWER)
        matches: list[tuple[int, int, str]] = []
        for i in hits:
            for tail in keys[doc[i].lower_]:
                end = i + len(tail)
                if end > len(doc):
                    continue
                got = tuple(t.lower_ for t in doc[i:end])
                if i > 0 and doc[i - 1].text == "-" and not doc[i - 2].whitespace_:
                    break  # the end of another hyphenated name ("Boutros-Ghali" after "Ghali")
                if got == tail or (len(tail) == 1 and got[0] == tail[0] + "s"):
                    if _capitalised(doc[end - 1]):
                        matches.append((i, end, tails[tail]))
                    break
        return self._apply(doc, ents, matches, "PER", is_person=True)

    # -- acronyms ------------------------------------------------------------------------------------------
    def defined_acronyms(self, doc: Doc, ents: list[Span]) -> dict[str, tuple[str, str]]:
        """Acronyms defined in brackets after a name: "Bundeskriminalamt (BKA)" → {"BKA": ("ORG", "Bundeskriminalamt")}."""
        found: dict[str, set[tuple[str, str]]] = {}
        for span in ents:
            if span.label_ not in DEFINING_LABELS:
                continue
            long_end, bracket = span.end, span.end
            if len(span) > 3 and span[-3].text == "(" and span[-1].text == ")":
                long_end, bracket = span.end - 3, span.end - 3  # "Bank Austria (BA)" tagged as one span
            if bracket + 2 >= len(doc) or doc[bracket].text != "(" or doc[bracket + 2].text != ")":
                continue
            acronym = doc[bracket + 1].text
            long_form = doc[span.start : long_end]
            initials = {t.text[0] for t in long_form if t.text[:1].isupper()}
            if not is_acronym(acronym) or acronym[0] not in initials or acronym == long_form.text:
                continue
            # An unknown "place" that defines an acronym is an organisation ("Monte dei Paschi di Siena (MPS)").
            label = "ORG" if span.label_ == "LOC" and not self.is_known_place(long_form.text) else span.label_
            found.setdefault(acronym, set()).add((label, long_form.text))
        return {acronym: forms.pop() for acronym, forms in found.items() if len(forms) == 1}

    def with_defined_labels(self, ents: list[Span], acronyms: dict[str, tuple[str, str]]) -> list[Span]:
        """A long form takes the label its acronym definition gave it."""
        labels = {long_form: label for label, long_form in acronyms.values()}
        return [
            Span(s.doc, s.start, s.end, label=labels[s.text], kb_id=s.kb_id_, span_id=s.id_)
            if s.text in labels and labels[s.text] != s.label_ and not s.id_
            else s
            for s in ents
        ]

    def resolve_acronyms(self, doc: Doc, ents: list[Span], acronyms: dict[str, tuple[str, str]]) -> list[Span]:
        """Every occurrence of a defined acronym, alone or as a compound's first part, is its long form."""
        if not acronyms:
            return ents
        keys = {acronym: [(acronym,)] for acronym in acronyms}
        matches_by_label: dict[str, list[tuple[int, int, str]]] = {}
        for i in _positions(doc, keys, ORTH):
            label, long_form = acronyms[doc[i].text]
            matches_by_label.setdefault(label, []).append((i, i + 1, long_form))
        for label, matches in matches_by_label.items():
            ents = self._apply(doc, ents, matches, label, is_person=False)
        return ents

    def _apply(
        self, doc: Doc, ents: list[Span], matches: list[tuple[int, int, str]], label: str, is_person: bool
    ) -> list[Span]:
        """Give each match ``label`` and the full name as ``kb_id``; a match inside a longer entity is left alone."""
        by_token = {i: span for span in ents for i in range(span.start, span.end)}
        replace: list[Span] = []
        for start, end, full in matches:
            covering = {id(by_token[i]): by_token[i] for i in range(start, end) if i in by_token}.values()
            if any(s.start < start or s.end > end for s in covering):
                continue  # the full name itself, or a longer name ("Hofer KG")
            if any(s.id_ for s in covering):  # a rule match keeps its span and label; it learns its referent
                (span, *others) = covering
                if not others and span.label_ == label and (span.start, span.end) == (start, end) and not span.kb_id_:
                    replace.append(Span(doc, start, end, label=label, kb_id=full, span_id=span.id_))
                continue
            if len(covering) == 1:
                (span,) = covering
                if span.start == start and span.end == end and span.label_ == label and span.kb_id_ == full:
                    continue
                before = doc[span.start - 1] if span.start > 0 else None
                if (
                    is_person
                    and span.label_ == "LOC"
                    and self.is_known_place(span.text)
                    and before is not None
                    and before.lower_ in self.lists.locative_prepositions
                ):
                    continue  # "in Washington" the place, after "George Washington"; "Landau sagte" the person
            elif not covering:
                if not self.may_add(doc, start, end, is_person):
                    continue
                before = doc[start - 1] if start > 0 else None
                if (
                    is_person
                    and before is not None
                    and before.i not in by_token
                    and before.text in lexicon.first_names()
                ):
                    # "Dr. Christian Rödl" after "Bernd Rödl": another person of that family, or the same one again
                    named = doc[start - 1 : end]
                    replace.append(Span(doc, start - 1, end, label=label, kb_id=full if named.text == full else ""))
                    continue
            replace.append(Span(doc, start, end, label=label, kb_id=full))
        return _replace(ents, replace) if replace else ents

    def may_add(self, doc: Doc, start: int, end: int, is_person: bool) -> bool:
        """An untagged repeat is added when it cannot be an ordinary word: no common noun, not sentence-initial
        unless a name list knows it."""
        if not is_person or end - start > 1:  # an acronym, or a particle-led surname ("Van der Bellen")
            return True
        last = doc[end - 1]
        first = doc[start]
        word = last.text.removesuffix("s") if last.text not in lexicon.surnames() else last.text
        if last.text in lexicon.common_nouns() or word in lexicon.common_nouns():
            # "die Rückkehr von Jobs" is the person, "40 Jobs" and "der Richter" are words
            return not _sentence_initial(first) and doc[start - 1].lower_ in self.lists.bare_name_slots
        return not _sentence_initial(first) or last.text in lexicon.surnames() or word in lexicon.surnames()

    # -- one entity against knowledge ----------------------------------------------------------------------
    def is_known_place(self, text: str) -> bool:
        return text in lexicon.places() or text in lexicon.countries() or text in lexicon.geographic_names()

    def is_role_or_measure(self, span: Span) -> bool:
        """A one-word name that is a dictionary noun naming a person's role ("Kapitän", "Trainer") or, after a
        number, a unit ("38 Grad"): no organisation has such a name, unless knowledge says so."""
        if len(span) != 1 or span.text not in lexicon.common_nouns() or span.text in lexicon.organisations():
            return False
        if span.text.lower().endswith(self.lists.person_role_suffixes):
            return True
        doc = span.doc
        before = doc[span.start - 1] if span.start > 0 else None
        if before is None or before.text.endswith(".") or (span.end < len(doc) and doc[span.end].text == "-"):
            return False  # "der 2. Bundesliga", "neun Bundesliga-Duelle": the number is no measure of the name
        return before.like_num or NUMBER_WORDS.get(before.lower_, 0) > 1  # "38 Grad", "zehn Grad"

    def by_knowledge(self, span: Span, acronyms: dict[str, tuple[str, str]]) -> Span | None:
        """Knowledge of well-known names as candidates the context can overrule (see the module docstring)."""
        if span.id_:
            return span
        text = span.text
        if span.label_ == "ORG" and text in lexicon.not_names() and text not in acronyms:
            return span if text in lexicon.organisations() or self.after_org_noun(span) else None
        if self.is_noun_read_as_place(span):
            return None  # "in ihrem Essen", "die saure Sulz"
        if self.is_noun_before_hyphen(span):
            return None  # "Der Luxusauto-Hersteller", "Zweitliga-Absteiger"
        if (
            span.label_ == "ORG"
            and len(span) == 1
            and text.endswith(self.lists.abstract_noun_endings)
            and text in lexicon.common_nouns()
            and text not in lexicon.organisations()
        ):
            return None  # "Sorge um Wirtschaftskriminalität"
        if span.label_ == "ORG" and self.is_role_or_measure(span):
            return None  # "machte den Kapitän", "bis zu 38 Grad"
        last = span[-1].lower_
        if span.label_ in {"LOC", "PER"} and (
            last.endswith(self.lists.institution_heads) or last in self.lists.institution_words
        ):
            return Span(span.doc, span.start, span.end, label="ORG", kb_id=span.kb_id_)  # "Leopold-Museum"
        if self.after_person_role(span):
            return Span(
                span.doc, span.start, span.end, label="PER", kb_id=span.kb_id_
            )  # "Regierungskollege Ostermayer"
        if span.label_ in {"ORG", "MISC"} and text in lexicon.geographic_names():
            return Span(span.doc, span.start, span.end, label="LOC", kb_id=span.kb_id_)  # "Silicon Valley"
        if (
            span.label_ == "ORG"
            and len(span) == 1
            and (text in lexicon.countries() or _genitive_of_country(text))
            and not self.after_org_noun(span)
        ):
            return Span(
                span.doc, span.start, span.end, label="LOC", kb_id=span.kb_id_
            )  # "Israel", "Burundis Präsident"
        genitive_of = text[:-1] if len(span) == 1 and text.endswith("s") else ""
        if (
            span.label_ in {"LOC", "MISC", "PER"}
            and genitive_of in lexicon.organisations()
            and text not in lexicon.organisations()
            and genitive_of not in lexicon.countries()
            and text not in lexicon.first_names()
            and text not in lexicon.surnames()
        ):
            before = span.doc[span.start - 1] if span.start > 0 else None
            if before is None or before.text not in self.titles:
                return Span(span.doc, span.start, span.end, label="ORG", kb_id=genitive_of)  # "Googles Chef"
        if (
            span.label_ in {"LOC", "MISC", "PER"}
            and text in lexicon.organisations()
            and text not in lexicon.countries()
        ):
            doc = span.doc
            before = doc[span.start - 1] if span.start > 0 else None
            if span.label_ == "LOC" and before is not None and before.lower_ in self.lists.locative_prepositions:
                return span
            if span.label_ == "PER" and (
                len(span) > 1
                or (before is not None and (before.text in self.titles or before.text in lexicon.first_names()))
            ):
                return span
            return Span(doc, span.start, span.end, label="ORG", kb_id=span.kb_id_)
        return span

    def is_noun_before_hyphen(self, span: Span) -> bool:
        """A one-word name that is the first part of a hyphenated compound and an ordinary noun or a compound of
        one ("Luxusauto-Hersteller", "Sandplatz-Turnier", "Europacup-Gegner"): the word, not a name. Known names
        ("Volkswagen-Chef", "Commerzbank-Aktie", "Müller-Lüdenscheidt") and institution words stay."""
        if len(span) != 1 or span.end + 1 >= len(span.doc) or span.doc[span.end].text != "-" or span[0].whitespace_:
            return False
        text = span.text
        if text in lexicon.organisations() or self.is_known_place(text) or _is_name_word(text):
            return False
        if text.lower().endswith(self.org_head_suffixes):
            return False
        head = compound_head(text)
        if head is None or text.lower().endswith(tuple(word_lists().place_heads)):
            return False  # "Hofburg-Anwärter", "Wilhelminenberg-Kommission": a place's name
        return head == text or len(text) - len(head) >= 4

    def first_name_and_surname(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A first name and a surname are a person, also where the surname is a common noun: a lone first name
        takes the surname after it ("Bastian" + "Kraft" → "Bastian Kraft"), and an untagged pair is added
        ("Siegfried Fuchs"). The first name must be no common noun ("Kai", "Wanja" read otherwise)."""
        by_token = {i: span for span in ents for i in range(span.start, span.end)}
        first_names, surnames, nouns = lexicon.first_names(), lexicon.surnames(), lexicon.common_nouns()
        new: list[Span] = []
        ids = _first_name_ids()
        starts = [i for i, orth in enumerate(token_orths(doc)[:-1]) if orth in ids]
        for i in starts:
            token, after = doc[i], doc[i + 1]
            if token.text not in first_names or token.text in nouns or after.text not in surnames:
                continue
            if not (_capitalised(after) and after.is_alpha) or i + 1 in by_token or not token.whitespace_:
                continue
            span = by_token.get(i)
            if span is None and not _sentence_initial(token) and (i == 0 or not _capitalised(doc[i - 1])):
                new.append(Span(doc, i, i + 2, label="PER"))
            elif span is not None and span.label_ == "PER" and len(span) == 1 and not span.id_:
                new.append(Span(doc, i, i + 2, label="PER", kb_id=span.kb_id_))
        return _replace(ents, new) if new else ents

    def without_leading_words(self, ents: list[Span]) -> list[Span]:
        """A person span that starts with a word before a first name: a listed organisation is its own entity
        ("Naftogas Andrej Kobolew" → ORG "Naftogas" + PER "Andrej Kobolew"), a common noun or a compound of
        one goes ("Mäzen Bill Campbell" → "Bill Campbell", "Tennisfan Eva Longoria" → "Eva Longoria")."""
        out: list[Span] = []
        for span in ents:
            if span.label_ != "PER" or len(span) < 3 or span.id_ or not _capitalised(span[0]):
                out.append(span)
                continue
            word, following = span[0].text, span[1].text
            if following not in lexicon.first_names() or word in lexicon.first_names():
                out.append(span)
                continue
            doc = span.doc
            person = Span(doc, span.start + 1, span.end, label="PER", kb_id=span.kb_id_)
            if word in lexicon.organisations():
                out.extend((Span(doc, span.start, span.start + 1, label="ORG"), person))
            elif _common_noun(word) and word not in lexicon.surnames():
                out.append(person)  # "Mäzen Bill Campbell", "Tennisfan Eva Longoria"
            else:
                out.append(span)
        return out

    def is_noun_read_as_place(self, span: Span) -> bool:
        """A one-word place that is also a common noun, in a noun phrase (:func:`in_noun_phrase`): the noun.
        Countries, streets and stations keep their article ("in der Schweiz", "auf den Nordbahnhof")."""
        if span.label_ != "LOC" or len(span) != 1 or span.start == 0:
            return False
        text = span.text
        if text not in lexicon.common_nouns() or text in lexicon.countries() or text in lexicon.organisations():
            return False  # "die Hamas": an organisation the model read as a place
        lists = word_lists()
        if text in lists.regions:  # "des Bayern-Spiels", "die Mitte"
            return False
        lower = text.lower()
        if text in lists.street_words or text in lists.station_words or lower.endswith(lists.street_suffixes):
            return False
        return in_noun_phrase(span.doc, span.start, self.lists)

    def after_person_role(self, span: Span) -> bool:
        """A lone word the lists do not know as a place or organisation, right after a role noun: a person."""
        if len(span) != 1 or span.label_ == "PER" or span.start == 0:
            return False
        text = span.text
        if not text.isalpha() or text.isupper() or _is_genitive_place(text) or self.is_known_place(text):
            return False
        if text in lexicon.organisations() or text in lexicon.common_nouns():
            return False
        before = span.doc[span.start - 1]
        return before.text[:1].isupper() and before.lower_.endswith(self.lists.person_role_suffixes)

    def after_org_noun(self, span: Span) -> bool:
        """Organisation context: a noun heading organisations right before ("Flugbegleitergewerkschaft UFO")."""
        if span.start == 0:
            return False
        before = span.doc[span.start - 1].lower_
        return before.endswith(self.org_head_suffixes)

    def without_trailing_lowercase(self, span: Span) -> Span | None:
        """A name does not end in a lower-case word: "Sogea vorzulassen" → "Sogea", "Internationalen
        Währungsfonds für" → "Internationalen Währungsfonds", "Stronach de facto" → "Stronach"; a span with no
        capitalised word left is no name ("money and meaning"). One-word names ("dpa") are left alone."""
        if span.id_ or len(span) < 2 or span.label_ not in NAME_LABELS or not span[-1].is_lower:
            return span
        if any("¬" in token.text for token in span) or span[-1].text.capitalize() in lexicon.common_nouns():
            return span  # a word broken by OCR or by a line end ("Barce¬ lona", "Kahlenberg bahn")
        doc = span.doc
        if len(span) > 2 and doc[span.end - 2].text == "-" and not doc[span.end - 3].whitespace_:
            return span  # a hyphenated word ends in lower case ("Ban Ki-moon")
        end = span.end
        while end > span.start and (doc[end - 1].is_lower or doc[end - 1].is_punct):
            end -= 1
        if end == span.start or (end - span.start == 1 and len(doc[span.start]) == 1):
            return None  # a phrase, not a name with a stray word ("money and meaning", "I’m a chauvinist and")
        return Span(doc, span.start, end, label=span.label_, kb_id=span.kb_id_)

    def without_trailing_number(self, span: Span) -> Span | None:
        """A number after a name is no part of it: "Faakersee 51" (a count in a table), "Bayernring 44" (a house
        number) are the places; "Saison 2006/07" is a time, no name at all. Roads and lines keep their number
        ("B 312", "Autobahn 33"), organisations their unit ("Direktion 4", "Polizeiabschnitt 53")."""
        if span.id_ or len(span) < 2 or not span[-1].like_num or span.label_ not in {"LOC", "ORG"}:
            return span
        cut = span.end - 1
        while cut > span.start and (span.doc[cut - 1].like_num or span.doc[cut - 1].text in NUMBER_JOINERS):
            cut -= 1
        words = span.doc[span.start : cut]
        if len(words) == 1 and words[0].text in self.lists.period_nouns:
            return None
        if not len(words) or span.label_ != "LOC":
            return span
        last = words[-1]
        if not (last.is_alpha and len(last) > 2 and _capitalised(last)):
            return span
        if any(t.text in self.lists.numbered_place_words for t in words):
            return span
        return Span(span.doc, span.start, cut, label=span.label_, kb_id=span.kb_id_)

    def without_trailing_phrase(self, span: Span) -> Span:
        """A known place does not take the phrase after it: "Washington [am Hals]", "Berlin [am Hauptbahnhof]".
        A place named with its river or lake stays whole ("Frankfurt am Main", "Zell am See")."""
        if span.id_ or span.label_ != "LOC" or len(span) < 3 or span[-1].text not in lexicon.common_nouns():
            return span
        cut = next((t.i for t in span[1:] if t.lower_ in PLACE_PREPOSITIONS), None)
        if cut is None or self.is_known_place(span.text):
            return span
        head = span.doc[span.start : cut]
        if not self.is_known_place(head.text):
            return span
        return Span(span.doc, span.start, cut, label="LOC", kb_id=span.kb_id_)

    def with_leading_adjective(self, span: Span) -> Span:
        """A country's adjective the model left out is part of it: "der Demokratischen [Republik Kongo]"."""
        if span.id_ or span.label_ != "LOC" or span.start == 0 or len(span) < 2:
            return span
        before = span.doc[span.start - 1]
        if not before.is_title or f"{before.text} {span.text}" not in lexicon.country_forms():
            return span
        return Span(span.doc, span.start - 1, span.end, label="LOC", kb_id=span.kb_id_)

    def typed(self, span: Span) -> Span:
        """Type words: "Bezirk Deutschlandsberg" is one place, "Kanton Baselland" the place "Baselland"."""
        if span.id_ or len(span) < 2 or span.label_ not in {"ORG", "LOC"} or not _capitalised(span[1]):
            return span
        first = span[0].text
        if first in self.lists.unit_words or first in self.lists.facility_words:
            return span if span.label_ == "LOC" else Span(span.doc, span.start, span.end, label="LOC")
        if span.label_ == "LOC" and (first in self.lists.descriptor_words or self.is_noun_before_place(span)):
            return Span(span.doc, span.start + 1, span.end, label="LOC", kb_id=span.kb_id_)
        return span

    def is_noun_before_place(self, span: Span) -> bool:
        """ "Drehkreuz Frankfurt", "Westumfahrung München": an ordinary noun before a known place is the
        sentence's word, not the place's. Street, station and place nouns ("Bahnhof Zoo", "Marktplatz") stay."""
        first = span[0].text
        lists = word_lists()
        if len(first) < 5 or self.is_known_place(span.text):  # "Los Angeles", "Schwäbisch Hall", "Bad Ems"
            return False
        if first in self.lists.state_words or first in lists.street_words or first in lists.station_words:
            return False
        if first in lexicon.places() or first in lexicon.first_names() or first in lexicon.surnames():
            return False
        lower = first.lower()
        if lower.endswith(lists.street_suffixes) or lower.endswith(tuple(lists.place_heads)):
            return False
        if first not in lexicon.common_nouns() and compound_head(first) is None:
            return False
        rest = span.doc[span.start + 1 : span.end].text
        if rest in lexicon.common_nouns() and first.endswith(ADJECTIVE_ENDINGS):
            return False  # "Neues Ufer", "Potsdamer Platz": an adjective and a noun, not a noun before a town "Ufer"
        return self.is_known_place(rest) or (rest.endswith("s") and self.is_known_place(rest[:-1]))

    # -- places in lists -----------------------------------------------------------------------------------
    def add_listed_places(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A known place the model missed between list separators next to tagged places."""
        if len(doc) < 3:
            return ents
        ids = self.separator_ids  # a set look-up per token: np.isin sorts both arrays on every call
        separators = [i for i, orth in enumerate(token_orths(doc)) if orth in ids]
        if not separators:
            return ents
        label_at: dict[int, str] = {i: span.label_ for span in ents for i in range(span.start, span.end)}
        added: list[Span] = []
        for _ in range(2):  # a second pass reaches a missed place next to one added in the first
            for sep in separators:
                for cand, other in ((sep + 1, sep - 1), (sep - 1, sep + 1)):
                    if not (0 <= cand < len(doc) and 0 <= other < len(doc)):
                        continue
                    if cand in label_at or label_at.get(other) != "LOC":
                        continue
                    token = doc[cand]
                    if not token.is_alpha or not token.text[:1].isupper() or token.text in lexicon.common_nouns():
                        continue
                    if not self.is_known_place(token.text):
                        continue
                    added.append(Span(doc, cand, cand + 1, label="LOC"))
                    label_at[cand] = "LOC"
        return [*ents, *added] if added else ents

    def add_genitive_places(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A known place in the genitive that the model left untagged ("die Kunst Japans", "die Geschicke
        Mosbachs", "die Verfassung Griechenlandes"): the word is no common noun, no name of its own, and its stem
        is a known place. Only title-case words are looked at, each word form once per process."""
        if not len(doc):
            return ents
        titled = [(i, orth) for i, (orth, title) in enumerate(doc.to_array([ORTH, IS_TITLE]).tolist()) if title]
        if not titled:
            return ents
        cache, strings = self._genitive_cache, doc.vocab.strings
        found = set()
        for orth in {orth for _, orth in titled}:
            known = cache.get(orth)
            if known is None:
                known = cache[orth] = _is_genitive_place(strings[orth])
            if known:
                found.add(orth)
        if not found:
            return ents
        taken = {i for span in ents for i in range(span.start, span.end)}
        positions = [i for i, orth in titled if orth in found]
        added = [Span(doc, i, i + 1, label="LOC") for i in positions if i not in taken and _genitive_attribute(doc, i)]
        return [*ents, *added] if added else ents

    # -- brackets ------------------------------------------------------------------------------------------
    def without_open_brackets(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A name does not run into a bracket: "Hoerner Bank (Heidelberg" is the bank, then the place "Heidelberg";
        "Paul (Hochheim)" is Paul and the place. A bracket that belongs to the name stays ("Polizeidirektion 3
        (Ost)", "Frankfurt (Oder)", "Bank Austria (BA)")."""
        out: list[Span] = []
        for span in ents:
            opened = next((i for i in range(span.start + 1, span.end) if doc[i].text == "("), None)
            if span.id_ or opened is None:
                out.append(span)
                continue
            close = next((j for j in range(opened, span.end) if doc[j].text == ")"), None)
            inner_end = span.end if close is None else close
            while inner_end > opened + 1 and doc[inner_end - 1].is_punct:
                inner_end -= 1
            inner = doc[opened + 1 : inner_end]
            if close is not None and (close != span.end - 1 or not self._bracketed_place(span, inner)):
                out.append(span)  # a closed bracket that is part of the name
                continue
            out.extend(self._cut_at_bracket(span, opened, inner))
        return out

    def without_inner_brackets(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A place or person does not run on past a bracket: "Pfaffenhofen (PK) Viel" is the place (the agency's
        sign in brackets), "Steyr (Enns) 96" the town and its river. A bracket inside a name stays when capitalised
        name words follow it ("Frankfurt (Main) Hbf")."""
        if ")" not in doc_text(doc):
            return ents
        out: list[Span] = []
        for span in ents:
            opened = next((i for i in range(span.start + 1, span.end) if doc[i].text == "("), None)
            closed = next((j for j in range(span.start + 1, span.end - 1) if doc[j].text == ")"), None)
            if span.id_ or span.label_ not in {"LOC", "PER"} or opened is None or closed is None or closed < opened:
                out.append(span)
                continue
            inner = doc[opened + 1 : closed]
            after = doc[closed + 1 : span.end]
            if not is_acronym(inner.text) and all(_capitalised(t) and t.is_alpha for t in after):
                out.append(span)
                continue
            out.extend(self._cut_at_bracket(span, opened, inner))
        return out

    def with_hashtags(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A hashtag is the name with its sign, as written ("#Berlin", "#BVG"; the entity's name drops the sign),
        and a known place or country as a hashtag is a place even where the model missed it ("#Kroatien")."""
        if not len(doc) or "#" not in doc_text(doc):
            return ents
        hashes = np.flatnonzero(doc.to_array(ORTH) == self.hash_id).tolist()
        if not hashes:
            return ents
        by_start = {span.start: k for k, span in enumerate(ents)}
        taken = {i for span in ents for i in range(span.start, span.end)}
        out = list(ents)
        for i in hashes:
            if doc[i].whitespace_ or i + 1 >= len(doc) or i in taken:
                continue
            k = by_start.get(i + 1)
            if k is not None:
                span = out[k]
                out[k] = Span(doc, i, span.end, label=span.label_, kb_id=span.kb_id_, span_id=span.id_)
            elif i + 1 not in taken and _capitalised(doc[i + 1]) and self._hashtag_place(doc[i + 1].text):
                out.append(Span(doc, i, i + 2, label="LOC"))
        return out

    def institution_compounds(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """An organisation compounded with an institution's head is that institution: "EU-Kommission",
        "UN-Sicherheitsrat" (not "WPP-Tochter": a subsidiary is another company). It is another organisation than
        the one it names, so it does not take that one's referent: "EU-Kommission" is not "Europäische Union"."""
        taken = {i for span in ents for i in range(span.start, span.end)}
        out: list[Span] = []
        for span in ents:
            end = span.end
            if (
                span.label_ == "ORG"
                and end + 1 < len(doc)
                and doc[end].text == "-"
                and not doc[end - 1].whitespace_
                and not doc[end].whitespace_
                and end + 1 not in taken
                and doc[end + 1].is_alpha
                and doc[end + 1].lower_.endswith(self.lists.institution_compound_heads)
            ):
                span = Span(doc, span.start, end + 2, label="ORG", span_id=span.id_)
            out.append(span)
        return out

    def _hashtag_place(self, text: str) -> bool:
        return self.is_known_place(text) and text not in lexicon.common_nouns()  # not "#Hauptbahnhof"

    def split_joined_places(self, ents: list[Span]) -> list[Span]:
        """Places joined by a spaced separator are one place each: "Böblingen / Sindelfingen", "Süditalien -
        Serbien". Only when every part is a known place and the whole is not; unspaced joins stay whole
        ("Hamburg-Eißendorf", "Frankfurt/Main")."""
        out: list[Span] = []
        for span in ents:
            cuts = [
                t.i for t in span[1:-1] if t.text in PLACE_JOINERS and t.whitespace_ and span.doc[t.i - 1].whitespace_
            ]
            if span.id_ or span.label_ != "LOC" or not cuts or self.is_known_place(span.text):
                out.append(span)
                continue
            bounds = [span.start, *cuts, span.end]
            parts = [(a if a == span.start else a + 1, b) for a, b in pairwise(bounds)]
            if all(b > a and self._is_place_part(span.doc[a:b]) for a, b in parts):
                out.extend(Span(span.doc, a, b, label="LOC") for a, b in parts)
            else:
                out.append(span)
        return out

    def _is_place_part(self, part: Span) -> bool:
        """A known place that is no common noun ("Bad" in "Bad / Kleinen" is not a place of its own)."""
        text = part.text
        if len(part) == 1 and text in lexicon.common_nouns() and text not in word_lists().regions:
            return False
        return self.is_known_place(text)

    def _cut_at_bracket(self, span: Span, opened: int, inner: Span) -> list[Span]:
        """``span`` up to the bracket at ``opened``, and the bracketed words when they are a name of their own."""
        cut = [Span(span.doc, span.start, opened, label=span.label_, kb_id=span.kb_id_)]
        label = self._bracketed_label(inner, span.label_)
        if label:
            cut.append(Span(span.doc, inner.start, inner.end, label=label))
        return cut

    def _bracketed_place(self, span: Span, inner: Span) -> bool:
        """ "Graben (Bayern)": a known place in brackets, where the whole is no known place ("Frankfurt (Oder)")."""
        return len(inner) > 0 and self.is_known_place(inner.text) and not self.is_known_place(span.text)

    def _bracketed_label(self, inner: Span, outer: str) -> str | None:
        """The label of the words after an opening bracket, or None when they are no name of their own."""
        if not len(inner) or not _capitalised(inner[0]):
            return None
        if self.is_known_place(inner.text):
            return "LOC"
        if outer == "ORG" and is_acronym(inner.text):
            return "ORG"  # "Jungen Union (JU"
        if outer == "PER" and len(inner) > 1 and inner[0].text in lexicon.first_names():
            return "PER"  # "Gabi (Laura Osswald"
        return None

    def add_listed_organisations(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A well-known organisation the model left untagged ("Süddeutsche Zeitung", "VfGH", "Nato"), unless the
        words can be read otherwise: a one-word name must not be a common noun ("mit einem BMW"), a place or a
        person's name, nor start a sentence or follow a first name, and it must be on the curated list (parties,
        authorities, media); an acronym needs three letters and must not be an ordinary thing's (``not_names``)."""
        first_words = _listed_organisation_starts()
        ids = _organisation_start_ids()
        starts = [i for i, orth in enumerate(token_orths(doc)) if orth in ids]
        if not starts:
            return ents
        by_token = {i: span for span in ents for i in range(span.start, span.end)}
        added: list[Span] = []
        for start in starts:
            for words in first_words[doc[start].text]:  # longest first
                end = start + len(words)
                if end > len(doc) or not self._free_for_listed_name(by_token, start, end, len(words)):
                    continue
                if any(doc[start + k].text != word for k, word in enumerate(words)):
                    continue
                if len(words) == 1 and not (
                    self._listed_word_is_a_name(doc, start)
                    or self._coordinated_with_organisation(doc, start, ents)
                    or self._reads_as_a_source(doc, start)
                ):
                    continue
                if _sentence_initial(doc[start]) and doc[start].lower_ in ARTICLES:  # "Die Zeit ist reif"
                    continue
                added.append(Span(doc, start, end, label="ORG"))
                by_token.update({i: added[-1] for i in range(start, end)})
                break
        return _replace(ents, added) if added else ents

    @staticmethod
    def _free_for_listed_name(by_token: dict[int, Span], start: int, end: int, n_words: int) -> bool:
        """No entity there; or, for a listed name of several words, only model spans wholly inside it ("Team
        Stronach" over the place "Stronach"). Rule matches are never replaced."""
        covering = {id(by_token[i]): by_token[i] for i in range(start, end) if i in by_token}.values()
        if not covering:
            return True
        return n_words > 1 and all(not s.id_ and start <= s.start and s.end <= end for s in covering)

    def _reads_as_a_source(self, doc: Doc, i: int) -> bool:
        """A curated name that is also a common noun, as the source of a report: "laut Guardian", "berichtet der
        Guardian", "die Diakonie sprach von …" (the verb right after the name, an article right before it)."""
        if doc[i].text not in lexicon.curated_organisations() or i == 0:
            return False
        before = doc[i - 1].lower_
        if before == "laut":
            return True
        if before not in ARTICLES:
            return False
        verb_before = i >= 2 and doc[i - 2].lower_ in self.lists.source_verbs
        verb_after = i + 1 < len(doc) and doc[i + 1].lower_ in self.lists.source_verbs
        return verb_before or verb_after

    def add_geographic_names(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """A river, range, sea, landscape or district the model left untagged ("in den österreichischen Alpen",
        "auf der Donau", "in der Leopoldstadt"); not at a sentence start, not after a first name ("Václav Havel"),
        not as a part of a hyphenated word ("Donau-Universität", "West-Atlantik")."""
        first_words = _geographic_starts()
        ids = _geographic_start_ids()
        starts = [i for i, orth in enumerate(token_orths(doc)) if orth in ids]
        if not starts:
            return ents
        taken = {i for span in ents for i in range(span.start, span.end)}
        added: list[Span] = []
        for start in starts:
            if _sentence_initial(doc[start]) or (start > 0 and doc[start - 1].text in lexicon.first_names()):
                continue
            for words in first_words[doc[start].text]:  # longest first
                end = start + len(words)
                if end > len(doc) or any(i in taken for i in range(start, end)):
                    continue
                if any(doc[start + k].text != word for k, word in enumerate(words)):
                    continue
                if end < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_:
                    continue
                if start > 1 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_:
                    continue  # the second part of a hyphenated word ("Main-Taunus", "West-Atlantik")
                added.append(Span(doc, start, end, label="LOC"))
                taken.update(range(start, end))
                break
        return [*ents, *added] if added else ents

    def _coordinated_with_organisation(self, doc: Doc, i: int, ents: list[Span]) -> bool:
        """A curated name that is also a common noun, coordinated with an organisation the document tags: "Grüne
        und Neos", "Caritas, Diakonie und Volkshilfe" (not "Zeit und Geld": the other conjunct must be an ORG)."""
        if doc[i].text not in lexicon.curated_organisations() or _sentence_initial(doc[i]):
            return False
        org_ends = {span.end for span in ents if span.label_ == "ORG"}
        org_starts = {span.start for span in ents if span.label_ == "ORG"}
        before = i >= 2 and doc[i - 1].lower_ in self.lists.list_separators and i - 1 in org_ends
        after = i + 2 < len(doc) and doc[i + 1].lower_ in self.lists.list_separators and i + 2 in org_starts
        return before or after

    def _is_institution_compound(self, text: str) -> bool:
        """A curated name compounded with an organisation head ("Verfassungsgerichtshof", "Bundesrat"): one
        institution, unlike the everyday words some media and firms are named after ("Post", "Welt", "Verbund")."""
        if text not in lexicon.curated_organisations():
            return False
        lower = text.lower()
        return any(lower.endswith(head) and len(lower) - len(head) >= 4 for head in word_lists().org_head_suffixes)

    def _listed_word_is_a_name(self, doc: Doc, i: int) -> bool:
        token = doc[i]
        text = token.text
        if text in lexicon.common_nouns() and not self._is_institution_compound(text):
            return False  # "mit einem BMW", "die Allianz", "Post"
        if is_acronym(text):
            return len(text) > 2 and text not in lexicon.not_names()  # two letters are too often something else
        if not token.is_alpha or _sentence_initial(token) or self.is_known_place(text):
            return False
        if text in lexicon.first_names() or text in lexicon.surnames() or text not in lexicon.curated_organisations():
            return False  # a listed company's one word ("Humana", "Vistra") is too often something else
        return i == 0 or doc[i - 1].text not in lexicon.first_names()


def _is_name_word(text: str) -> bool:
    return text in lexicon.first_names() or text in lexicon.surnames()


def _genitive_attribute(doc: Doc, i: int) -> bool:
    """The word at ``i`` reads as a genitive attribute: after a noun ("im Süden Japans") or before a common noun,
    with no article or preposition of its own ("Österreichs Pläne"; not "auf dem Bodes", "des Fischbaches")."""
    before = doc[i - 1] if i > 0 else None
    after = doc[i + 1] if i + 1 < len(doc) else None
    if after is not None and after.is_alpha and after.text[0].isupper() and after.text not in lexicon.common_nouns():
        return False  # the first word of a longer name ("Flughafen Eleftherios Venizelos")
    if before is not None and before.text in lexicon.common_nouns() and not _sentence_initial(before):
        return True  # not after a name word ("der Financial Times")
    if before is not None and before.is_alpha and before.text.islower():
        return False
    return after is not None and after.is_alpha and after.text in lexicon.common_nouns()


def _is_genitive_place(text: str) -> bool:
    """ "Japans", "Griechenlandes": a capitalised word whose stem without the genitive ending is a known place
    and which is neither a common noun nor itself a known name."""
    if len(text) < 5 or not text.endswith("s") or not text[0].isupper() or not text[1:].islower() or not text.isalpha():
        return False
    if text in lexicon.common_nouns() or text in lexicon.places() or text in lexicon.surnames():
        return False
    if text in lexicon.first_names() or text in lexicon.organisations():
        return False
    stem = strip_genitive(text, lexicon.places())
    if stem == text:
        stem = strip_genitive(text, lexicon.countries())
    if stem == text or len(stem) < 4:
        return False
    personal = stem in lexicon.first_names() or (  # "Stanleys", "Hindenburgs"
        stem in lexicon.surnames() and stem not in lexicon.countries()
    )
    if personal or stem in lexicon.organisations():  # "Googles Autos"
        return False
    return stem not in lexicon.common_nouns() and not stem.endswith(GENITIVE_S_BLOCKED)


def _by_first_word(names: frozenset[str]) -> dict[str, list[tuple[str, ...]]]:
    """Names as word sequences by their first word, each word sequence longest first."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for name in names:
        words = tuple(name.split())
        if words:
            by_first.setdefault(words[0], []).append(words)
    return {first: sorted(set(seqs), key=len, reverse=True) for first, seqs in by_first.items()}


@cache
def _listed_organisation_starts() -> dict[str, list[tuple[str, ...]]]:
    """The organisations list by first word."""
    return _by_first_word(lexicon.organisations())


@cache
def _first_name_ids() -> frozenset[int]:
    """String ids of the first names that are no common nouns (a set: ``np.isin`` would hash the list per Doc)."""
    nouns = lexicon.common_nouns()
    return frozenset(hash_string(n) for n in lexicon.first_names() if n not in nouns)


@cache
def _geographic_starts() -> dict[str, list[tuple[str, ...]]]:
    """The geographic names by first word."""
    return _by_first_word(lexicon.geographic_names())


@cache
def _geographic_start_ids() -> frozenset[int]:
    return frozenset(hash_string(word) for word in _geographic_starts())


@cache
def _organisation_start_ids() -> frozenset[int]:
    """String ids of the organisations' first words (spaCy's ids are hashes of the text: no vocabulary needed)."""
    return frozenset(hash_string(word) for word in _listed_organisation_starts())


def in_noun_phrase(doc: Doc, i: int, lists: ResolutionLists) -> bool:
    """Token ``i`` heads a noun phrase: a determiner before it, or one and an adjective ("die saure Sulz"), or
    an adjective with the strong ending ("gutes Essen", "in politisches Neuland"). A town takes no article and no
    adjective without one ("in Essen", "das schöne Essen" is rare and reads as the noun)."""
    if i == 0:
        return False
    before, determiners = doc[i - 1], lists.determiners
    if before.lower_ in determiners or _strong_adjective(before):
        return True
    return i > 1 and _inflected_adjective(before, lists) and doc[i - 2].lower_ in determiners


def _inflected_adjective(token: Token, lists: ResolutionLists) -> bool:
    """A lower-case word with an adjective's ending that is no preposition or conjunction ("saure", "großen"; not
    the "in" of "die in Essen lebenden Menschen")."""
    word = token.text
    if not word.isalpha() or not word.islower() or word in lists.bare_name_slots or word in lists.locative_prepositions:
        return False
    return word.endswith(("e", "en", "er", "es", "em"))


def _strong_adjective(token: Token) -> bool:
    """An adjective with the strong ending that stands in place of an article ("gutes", "warmem"); "-em" words
    that end in "dem" are conjunctions and adverbs ("nachdem", "zudem")."""
    word = token.text
    if len(word) < 4 or not word.replace("-", "").isalpha() or not word.islower():
        return False
    return word.endswith("es") or (word.endswith("em") and not word.endswith("dem"))


def _positions(doc: Doc, keys: dict[str, list], attr: int) -> list[int]:
    """Token positions whose ``attr`` (ORTH or LOWER) is one of ``keys`` (a set look-up per token id)."""
    if not keys or not len(doc):
        return []
    wanted = {hash_string(key) for key in keys}
    return [i for i, key in enumerate(doc.to_array(attr).tolist()) if key in wanted]


def _replace(ents: list[Span], new: list[Span]) -> list[Span]:
    """``ents`` with ``new`` spans in, every old span that overlaps a new one out."""
    taken: set[int] = set()
    kept_new: list[Span] = []
    for span in sorted(new, key=lambda s: (s.start, -(s.end - s.start))):
        if not any(i in taken for i in range(span.start, span.end)):
            kept_new.append(span)
            taken.update(range(span.start, span.end))
    return [s for s in ents if not any(i in taken for i in range(s.start, s.end))] + kept_new


@Language.factory("pressewerk_name_resolution")
def create_name_resolution(nlp: Language, name: str) -> NameResolution:
    return NameResolution(nlp.vocab, name)
