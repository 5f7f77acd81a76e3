"""``pressewerk_entity_sense``: make the statistical entities read the way a German reader reads them.

A small NER model trained on news and Wikipedia makes the same few mistakes on press releases over and over;
each step below fixes one class, with its word list kept as data in ``models/rules/entity_sense.toml``:

- **common nouns are not names**: in German every noun is capitalised, so a one-word PER/ORG/LOC that is an
  ordinary noun ("Lastwagen", "Tatort"; for persons also compounds of one, "Wohnungseinbruchdiebstahl") is dropped
  unless a name list knows it (first names, surnames, places, countries); a lone surname that is also a noun
  ("Schwarz") stays a person only after "Herr"/"Frau"/a title or when the document names the full person;
- **bare service nouns** ("die Polizei", "die Kriminalpolizei") are not organisations, while an authority noun with a
  place or region is one ("Staatsanwaltschaft Cottbus", "Berliner Feuerwehr", "Polizeidirektion Süd");
- **vehicle makes used for a vehicle** ("mit einem BMW", "der Marke Audi", "Audi-Fahrer") are not organisations;
- **currencies** are not entities, **laws** are MISC ("Betäubungsmittelgesetz", "StGB"), "Chr." in "v. Chr." is no
  person;
- **titles** stay outside person names ("Kaiser Meiji" → PER "Meiji");
- **places read whole**: street names ("Landsberger Allee", "Franklinstraße") are LOC, never ORG, a place adjective
  takes its street word ("Marzahner Promenade"), a station word its place ("U-Bahnhof Kottbusser Tor"), a house
  number is cut ("Zeppelinstraße 51" → "Zeppelinstraße");
- **names start at the name**: an ordinary noun and its article go ("Insolvenz der German Pellets GmbH" →
  "German Pellets GmbH", "Superstar Madonna" → "Madonna"), the head of an organisation name stays ("Gewerkschaft
  der …", "Universität Kiel"); an ordinary noun after a hyphen goes ("Lufthansa-Flugbegleiter" → "Lufthansa");
- **legal forms belong to the organisation**: "[Audi] AG" → "Audi AG", "[BlackRock], Inc." → "BlackRock, Inc.",
  "[Warner Bros.] [Entertainment GmbH]" → one organisation.

Rule matches (EntityRuler spans, ``span.id_`` set) are only extended over a legal form; the matches of the rules in
``noun_led_rules`` also lose a leading ordinary noun. Nothing else changes them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pipeline.nlp import lexicon
from pipeline.nlp.doc_text import doc_text, token_orths
from pipeline.nlp.model import PROJECT_ROOT

WORD_LISTS = PROJECT_ROOT / "models" / "rules" / "entity_sense.toml"
NAME_LABELS = {"PER", "ORG", "LOC", "MISC"}
# Determiners before a make that read it as a vehicle (masculine/neuter: "einen BMW", "dem Audi", "des VW").
VEHICLE_DETERMINERS = {
    "ein", "einen", "einem", "eines", "den", "dem", "des", "seinen", "seinem", "seines", "ihren", "ihrem", "ihres",
    "keinen", "keinem", "dessen", "deren", "diesen", "diesem", "dieses", "jenen", "jenem", "sein", "ihr", "mein",
    "dein", "unser", "kein",
}  # fmt: skip
DRIVER_WORDS = {"Fahrer", "Fahrerin", "Fahrers", "Fahrern", "Fahrerinnen", "Halter", "Halterin"}
ERA_ABBREVIATIONS = {"v.", "n.", "vor", "nach"}
NOBLE_TITLES_FOR_ANY_LABEL = {
    "Kaiser", "Kaiserin", "König", "Königin", "Papst", "Prinz", "Prinzessin", "Herzog", "Herzogin", "Graf", "Gräfin",
    "Fürst", "Fürstin", "Zar", "Zarin", "Sultan", "Scheich", "Kalif", "Pharao", "Kardinal", "Bischof", "Erzbischof",
    "Oberst", "Oberstleutnant", "Hauptmann", "Leutnant", "Oberleutnant", "Admiral", "Feldmarschall", "Generalmajor",
    "Generalleutnant", "Generaloberst", "Rittmeister", "Pater", "Abt", "Äbtissin", "Rabbiner", "Imam", "Kaplan",
    "Kurfürst", "Markgraf", "Landgraf", "Freiherr", "Freifrau",
}  # fmt: skip
ADDRESS_NUMBER = re.compile(r"^\d{1,4}[a-zA-Z]?$")
STREET_JOINERS = frozenset({"/", "Ecke"})  # "Danziger Straße/ Kastanienallee", "Schloßstraße Ecke Hauptstraße"
FEMININE_STREET_ENDINGS = ("straße", "strasse", "allee", "gasse", "chaussee", "promenade", "zeile")
PLACE_ADJECTIVE = re.compile(r"^[A-ZÄÖÜ][\w-]*(?:er|es|isches|ische|ischer|ischen)$")
COMPOUND_MIN_MODIFIER = 3
MIN_HEAD = 4


@dataclass(frozen=True)
class WordLists:
    """The component's word lists (``models/rules/entity_sense.toml``)."""

    generic_service_nouns: frozenset[str]
    authority_nouns: frozenset[str]
    authority_qualifiers: frozenset[str]
    vehicle_makes: frozenset[str]
    vehicle_cues: frozenset[str]
    currencies: frozenset[str]
    law_suffixes: tuple[str, ...]
    law_abbreviations: frozenset[str]
    titles: frozenset[str]
    street_words: frozenset[str]
    street_suffixes: tuple[str, ...]
    station_words: frozenset[str]
    place_heads: frozenset[str]
    regions: frozenset[str]
    org_head_suffixes: tuple[str, ...]
    legal_forms: tuple[str, ...]
    comma_legal_forms: tuple[str, ...]
    noun_led_rules: frozenset[str]


@cache
def word_lists(path: Path = WORD_LISTS) -> WordLists:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return WordLists(
        generic_service_nouns=frozenset(data["generic_service_nouns"]),
        authority_nouns=frozenset(data["authority_nouns"]),
        authority_qualifiers=frozenset(data["authority_qualifiers"]),
        vehicle_makes=frozenset(data["vehicle_makes"]),
        vehicle_cues=frozenset(data["vehicle_cues"]),
        currencies=frozenset(data["currencies"]),
        law_suffixes=tuple(data["law_suffixes"]),
        law_abbreviations=frozenset(data["law_abbreviations"]),
        titles=frozenset(data["titles"]),
        street_words=frozenset(data["street_words"]),
        street_suffixes=tuple(s.lower() for s in data["street_suffixes"]),
        station_words=frozenset(data["station_words"]),
        place_heads=frozenset(data["place_heads"]),
        regions=frozenset(data["regions"]),
        org_head_suffixes=tuple(s.lower() for s in data["org_head_suffixes"]),
        legal_forms=tuple(data["legal_forms"]),
        comma_legal_forms=tuple(data["comma_legal_forms"]),
        noun_led_rules=frozenset(data["noun_led_rules"]),
    )


def _alternatives(forms: tuple[str, ...]) -> str:
    """A regex alternation of ``forms``, longest first, any whitespace where a form has a space."""
    return "|".join(r"\s+".join(map(re.escape, f.split())) for f in sorted(forms, key=len, reverse=True))


@cache
def legal_form_after(lists: WordLists) -> re.Pattern[str]:
    """A legal form right after a name: " GmbH", "\nAG", ", Inc." (not "AG-Chef", not "SEK")."""
    return re.compile(
        rf"(?:\s+(?:{_alternatives(lists.legal_forms)})|\s*,\s*(?:{_alternatives(lists.comma_legal_forms)}))(?![\w-])"
    )


@cache
def legal_form_at_end(lists: WordLists) -> re.Pattern[str]:
    """A name that ends in a legal form ("Entertainment GmbH")."""
    return re.compile(rf"\S\s+(?:{_alternatives(lists.legal_forms)})$")


def strip_genitive(word: str, known: frozenset[str]) -> str:
    """``word`` without a genitive -s/-es when the bare form is in ``known`` ("Landeskriminalamtes" → ...amt)."""
    for ending in ("es", "s"):
        if word.endswith(ending) and word[: -len(ending)] in known:
            return word[: -len(ending)]
    return word


def is_name_word(word: str) -> bool:
    """A word some name list knows: first name, surname, place or country."""
    return (
        word in lexicon.first_names()
        or word in lexicon.surnames()
        or word in lexicon.places()
        or word in lexicon.countries()
    )


LINKING_ENDINGS = ("", "s", "es", "n", "en", "e", "er", "ens")


def is_noun_stem(stem: str, depth: int = 1) -> bool:
    """A compound modifier that is a noun, with or without its linking element ("Wohnungs", "Farb", "Hecken")."""
    nouns = lexicon.common_nouns()
    word = stem[:1].upper() + stem[1:]
    for ending in LINKING_ENDINGS:
        base = word[: len(word) - len(ending)] if ending and word.endswith(ending) else word if not ending else None
        if base and len(base) >= COMPOUND_MIN_MODIFIER and (base in nouns or base + "e" in nouns):
            return True
    return depth > 0 and compound_head(word, depth - 1) is not None


CONTACT_STRING = re.compile(r"\w@\w|://|^www\.", re.IGNORECASE)


INDEFINITE_ARTICLES = {"ein", "eine", "einen", "einem", "einer", "eines", "kein", "keine", "keinen", "keinem", "keiner"}


def is_counted_thing(span: Span) -> bool:
    """One written word after an indefinite article is a thing, not an organisation: "mit einer Bake",
    "über einen Messenger-Dienst"; not an acronym, nor a name that starts a compound ("eine Siemens-Sprecherin")."""
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    after = doc[span.end].text if span.end < len(doc) else ""
    text = span.text
    one_word = not any(t.whitespace_ for t in span[:-1])
    return before in INDEFINITE_ARTICLES and one_word and after != "-" and text[:1].isupper() and not text.isupper()


@lru_cache(maxsize=16_384)  # per word form: the same compounds come back document after document
def compound_head(word: str, depth: int = 1) -> str | None:
    """The noun head of a compound of nouns ("Wohnungseinbruchdiebstahl" → "Diebstahl"; "Grissmann" → None).

    Both parts must be nouns: a name that merely ends in one ("Grissmann", "Gazastreifen") is no compound noun.
    """
    if not word.isalpha():
        return None
    nouns = lexicon.common_nouns()
    first_cut = max(COMPOUND_MIN_MODIFIER, len(word) - lexicon.longest_common_noun())  # linear on a 1 MB "word"
    for cut in range(first_cut, len(word) - MIN_HEAD + 1):
        head = word[cut].upper() + word[cut + 1 :]
        if head in nouns and is_noun_stem(word[:cut], depth):
            return head
    return None


def is_common_noun(word: str, label: str, lists: WordLists) -> bool:
    """True when a one-word entity is an ordinary German noun or a compound of nouns."""
    if word in lexicon.common_nouns():
        return True
    head = compound_head(word)
    if head is None:
        return False
    return not (label == "LOC" and any(head.lower().startswith(h) for h in lists.place_heads))


def is_street(span_words: list[str], lists: WordLists) -> bool:
    last = span_words[-1]
    if len(span_words) > 1 and strip_genitive(last, lists.street_words) in lists.street_words:
        return True
    lower = last.lower()
    return any(lower.endswith(suffix) and len(lower) > len(suffix) + 2 for suffix in lists.street_suffixes)


class EntitySense:
    """Fix the recurring reading errors of statistical entities (see the module docstring)."""

    def __init__(self, name: str = "pressewerk_entity_sense", lists: WordLists | None = None) -> None:
        self.name = name
        self.lists = lists or word_lists()
        self._street_word: dict[str, bool] = {}  # per word form: a one-word street name (add_streets)
        self._kinds: dict[int, int] = {}  # per word form (orth id): what add_streets and add_authorities test
        self._last_kinds: tuple[list[int], list[int]] = ([], [])  # the orths and kinds of the last doc

    def __call__(self, doc: Doc) -> Doc:
        full_person_words = {span[-1].text for span in doc.ents if span.label_ == "PER" and len(span) > 1}
        ents: list[Span] = []
        for span in doc.ents:
            if span.id_:
                fixed = self.without_leading_noun(span) if span.id_ in self.lists.noun_led_rules else span
            else:
                fixed = self.fix(span, full_person_words)
            if fixed is not None:
                ents.append(fixed)
        rules = [span for span in ents if span.id_]  # a widened span ("Marzahner Promenade") may meet a neighbour
        ruled = _taken(doc, rules)
        ents = rules + [s for s in _longest_first([s for s in ents if not s.id_]) if not any(ruled[s.start : s.end])]
        ents = self.add_streets(doc, ents)
        ents = self.add_authorities(doc, ents)
        ents = self.with_legal_forms(doc, ents)
        if ents != list(doc.ents):
            doc.set_ents(sorted(ents, key=lambda s: s.start), default="outside")
        return doc

    # -- one entity ---------------------------------------------------------------------------------------
    def fix(self, span: Span, full_person_words: set[str]) -> Span | None:
        lists = self.lists
        text = span.text
        if CONTACT_STRING.search(text):
            return None  # an e-mail or web address is a contact (contacts table), not a name; "@handle" stays
        words = [t.text for t in span]
        if text in lists.currencies:  # GermEval's convention: a currency is MISC, never a person or organisation
            return span if span.label_ == "MISC" else Span(span.doc, span.start, span.end, label="MISC")
        if words[-1] in {"Chr.", "Chr"} and span.start > 0 and span.doc[span.start - 1].text in ERA_ABBREVIATIONS:
            return None
        if text in {"Chr.", "Chr"}:
            return None
        if self.is_law(words):
            return span if span.label_ == "MISC" else Span(span.doc, span.start, span.end, label="MISC")
        if self.is_vehicle(span):
            return None
        span = self.without_title(span)
        if span is None:
            return None
        span = self.without_leading_noun(span)
        span = self.without_noun_after_hyphen(span)
        span = without_trailing_function_words(span)
        span = without_leading_determiners(span) if span is not None else None
        if span is None:
            return None
        words = [t.text for t in span]
        if words[0] in lists.station_words:  # "S-Bahnhof Waidmannslust" is a place; "S-Bahnhof" alone is none
            return Span(span.doc, span.start, span.end, label="LOC") if len(words) > 1 else None
        if span.label_ in {"ORG", "PER", "MISC"} and is_street(words, lists) and not self._is_one_known_name(words):
            span = Span(span.doc, span.start, span.end, label="LOC")
        if span.label_ == "ORG" and len(span) > 1 and self.is_unnamed_service(span):
            return None
        if span.label_ == "ORG" and is_counted_thing(span):
            return None
        if span.label_ == "ORG" and len(span) > 2:
            span = self.from_authority_noun(span)
        if span.label_ == "PER" and (len(span) > 1 or "-" in span.text):
            span = self.person_extent(span)
            if span is None:
                return None
        if span.label_ == "LOC":
            span = self.place_extent(span)
        if len(span) == 1:
            return self.single_word(span, full_person_words)
        return span

    def person_extent(self, span: Span) -> Span | None:
        """A person ends in a name ("Corona-Virus" is none) and takes a first name before it ("Friedrich Wilhelm Höhn")."""
        last = span[-1].text.rsplit("-", 1)[-1]  # "Karl-Bonhoeffer-Nervenklinik": a clinic named after a person
        known_name = last in lexicon.surnames() or last in lexicon.first_names()
        after_hyphen = span[-1].text != last or (len(span) > 1 and span[-2].text == "-")
        if not known_name and (last in lexicon.common_nouns() or (after_hyphen and compound_head(last))):
            return None
        doc, start = span.doc, span.start
        while start > 0 and doc[start - 1].text in lexicon.first_names() and not doc[start - 1].is_sent_start:
            start -= 1
        return span if start == span.start else Span(doc, start, span.end, label="PER")

    def is_law(self, words: list[str]) -> bool:
        last = words[-1]
        if last in self.lists.law_abbreviations:
            return True
        lower = last.lower()
        return lower.endswith(self.lists.law_suffixes) and last[:1].isupper()

    def is_model_of_vehicle(self, span: Span) -> bool:
        """A model name after its make, the make used as a vehicle: "einem Renault Mégane Scénic", "seiner
        Mercedes A-Klasse", "einen Audi S6 Avant"."""
        doc = span.doc
        for i in range(span.start - 1, max(span.start - 4, -1), -1):
            word = doc[i].text
            if word in self.lists.vehicle_makes:
                return self.is_vehicle(Span(doc, i, i + 1, label="ORG"))
            if not (word[:1].isupper() or word[:1].isdigit()) or doc[i].is_punct:
                return False
        return False

    def is_vehicle(self, span: Span) -> bool:
        lists = self.lists
        first = span[0].text
        parts = first.split("-")
        if len(span) == 1 and len(parts) > 1 and parts[0] in lists.vehicle_makes:
            return parts[-1] in DRIVER_WORDS or parts[-1] in lists.vehicle_cues
        doc = span.doc
        if first not in lists.vehicle_makes:
            return self.is_model_of_vehicle(span)
        after = doc[span.end : span.end + 2]
        if (
            len(after) == 2
            and after[0].text == "-"
            and (after[1].text in DRIVER_WORDS or after[1].text in lists.vehicle_cues)
        ):
            return True
        if span.start == 0:
            return False
        before = doc[span.start - 1]
        if before.text in lists.vehicle_cues or before.lower_ in VEHICLE_DETERMINERS:
            return True
        return _is_inflected_adjective(before)

    def without_title(self, span: Span) -> Span | None:
        """Cut a leading title; a span that is only a title is no entity."""
        first = span[0].text
        if first not in self.lists.titles:
            return span
        if span.label_ != "PER" and first not in NOBLE_TITLES_FOR_ANY_LABEL:
            return span
        if len(span) == 1:
            return None
        rest = span[1:]
        if not rest[0].text[:1].isupper():
            return span
        return Span(span.doc, rest.start, rest.end, label="PER")

    def from_authority_noun(self, span: Span) -> Span:
        """ "Gemeinsame Meldung Polizei Berlin" → "Polizei Berlin": ordinary words before a named authority go."""
        for k in range(1, len(span) - 1):
            if strip_genitive(span[k].text, self.lists.authority_nouns) in self.lists.authority_nouns:
                before = span[:k]
                if any(
                    is_name_word(t.text) or self.is_known_place(t.text) or _is_place_adjective(t.text) for t in before
                ):
                    return span
                return Span(span.doc, span.start + k, span.end, label="ORG")
        return span

    def is_unnamed_service(self, span: Span) -> bool:
        """ "Gemeinsame Meldung Polizei": a service noun after ordinary words only, no name among them."""
        if not self.is_generic_service(span[-1].text):
            return False
        return not any(
            is_name_word(t.text) or self.is_known_place(t.text) or _is_place_adjective(t.text) for t in span[:-1]
        )

    def is_generic_service(self, word: str) -> bool:
        """A bare service noun ("Kriminalpolizei") or a compound ending in one ("Hauptstadtpolizei")."""
        services = self.lists.generic_service_nouns
        if strip_genitive(word, services) in services:
            return True
        head = compound_head(word)
        return head is not None and head in services

    def _is_one_known_name(self, words: list[str]) -> bool:
        return len(words) == 1 and is_name_word(words[0])

    def single_word(self, span: Span, full_person_words: set[str]) -> Span | None:
        lists = self.lists
        token = span[0]
        word = token.text
        label = span.label_
        if label in {"ORG", "LOC"} and self.is_generic_service(word):  # "Kriminalpolizei" is neither
            return None
        if label == "ORG":  # "Bundestag", "Telekom", "Kreml" are nouns in a dictionary too: only services go
            return span
        if label not in {"PER", "LOC"} or not is_common_noun(word, label, lists):
            return span
        if label == "PER":
            if word not in lexicon.common_nouns() and (word in lexicon.surnames() or word in lexicon.first_names()):
                return span  # "Grissmann": a known name that merely looks like a compound
            titled = token.i > 0 and token.doc[token.i - 1].text in lists.titles
            return span if titled or word in full_person_words else None
        if self.is_known_place(word) or self.names_a_street(token):
            return span
        return None

    def names_a_street(self, token: Token) -> bool:
        """A dictionary noun used as a street's name: "Hauptstraße 5", "Danziger Straße/ Kastanienallee", "Ecke
        Poststraße", "Richtung Lindenstraße", "in der Sandstraße" (a generic is "in einer Seitenstraße", "auf dem
        Gehweg")."""
        if not is_street([token.text], self.lists):
            return False
        doc, i = token.doc, token.i
        after = doc[i + 1].text if i + 1 < len(doc) else ""
        before = doc[i - 1].text if i else ""
        if ADDRESS_NUMBER.match(after) or after in STREET_JOINERS or before in STREET_JOINERS or before == "Richtung":
            return True
        feminine = token.lower_.endswith(FEMININE_STREET_ENDINGS)
        return feminine and i > 1 and doc[i - 1].lower_ in ("der", "die") and doc[i - 2].lower_ == "in"

    def is_known_place(self, word: str) -> bool:
        """A place name list knows the word (also in the genitive: "Bayerns", "Hessens")."""
        for form in (word, word[:-1] if word.endswith("s") else word):
            if form in lexicon.places() or form in lexicon.countries() or form in self.lists.regions:
                return True
        return False

    def place_extent(self, span: Span) -> Span:
        """Take a following street word and a preceding station word; cut a trailing house number or noun."""
        doc = span.doc
        start, end = span.start, span.end
        if end < len(doc) and doc[end].text in self.lists.street_words and PLACE_ADJECTIVE.match(doc[end - 1].text):
            end += 1
        if start > 0 and doc[start - 1].text in self.lists.station_words:
            start -= 1
        if (
            end - start > 1
            and ADDRESS_NUMBER.match(doc[end - 1].text)
            and is_street([t.text for t in doc[start : end - 1]], self.lists)
        ):
            end -= 1
        last = doc[end - 1].text
        if (
            end - start > 1
            and self.is_known_place(doc[end - 2].text)
            and not self.is_place_word(last)
            and not _is_place_adjective(last)  # "Bad Lippspringer"
            and self.is_ordinary_noun(last)
        ):
            end -= 1  # "in Schöneberg Feuerwerkslärm": the noun after the place is the sentence's, not the name's
        if (start, end) == (span.start, span.end):
            return span
        return Span(doc, start, end, label="LOC")

    # -- boundaries ----------------------------------------------------------------------------------------
    def is_org_head(self, word: str) -> bool:
        """A noun that heads organisation names ("Gesellschaft", "Bundesamt", "Bistums"): it stays in the span."""
        lower = word.lower()
        forms = {lower, lower[:-1] if lower.endswith("s") else lower, lower[:-2] if lower.endswith("es") else lower}
        return any(form.endswith(self.lists.org_head_suffixes) for form in forms)

    def is_ordinary_noun(self, word: str, surname_ok: bool = False) -> bool:
        """A common noun or compound of nouns, not the head of an organisation name and not a name.

        With ``surname_ok`` a noun that is also a surname ("Service", "Sänger") still counts as a noun.
        """
        if self.is_org_head(word) or word in self.lists.titles:
            return False
        if word in lexicon.first_names() or word in lexicon.places() or word in lexicon.countries():
            return False
        if not surname_ok and word in lexicon.surnames():
            return False
        return word in lexicon.common_nouns() or compound_head(word) is not None

    def without_leading_noun(self, span: Span) -> Span:
        """Cut an ordinary noun before the name it governs.

        "Insolvenz der German Pellets GmbH" → "German Pellets GmbH"; before a person only without a link word
        and when a known name follows ("Superstar Madonna" → "Madonna", but "Otto von Bismarck" stays). Heads of
        organisations ("Gesellschaft für …", "Universität Kiel") and streets ("Platz der Luftbrücke") stay.
        """
        if len(span) < 2 or span[0].text in self.lists.street_words:
            return span
        linked = span[1].lower_ in GENITIVE_LINKS
        rest = span[2:] if linked else span[1:]
        if not len(rest) or not rest[0].text[:1].isupper():
            return span
        if not self.is_ordinary_noun(span[0].text, surname_ok=linked and span.label_ != "PER"):
            return span
        if not linked and not (span.label_ == "PER" and is_name_word(rest[0].text)):
            return span
        return Span(span.doc, rest.start, rest.end, label=span.label_, span_id=span.id_)

    def is_place_word(self, word: str) -> bool:
        """A street, station or place noun ("Friedhof", "Uferweg", "Bahnhof"): the end of a place name."""
        lists = self.lists
        lower = word.lower()
        return (
            word in lists.street_words
            or word in lists.station_words
            or lower.endswith(lists.street_suffixes)
            or lower.endswith(tuple(lists.place_heads))
        )

    def without_noun_after_hyphen(self, span: Span) -> Span:
        """ "YouTube-Channel", "Lufthansa-Flugbegleiter" → the organisation before the hyphen.

        Only an ordinary noun of five letters or more goes: "UN-Sicherheitsrat", "Coca-Cola" and places
        ("St. Michael-Friedhof") stay.
        """
        if span.label_ != "ORG" or len(span) < 3 or span[-2].text != "-":
            return span
        tail = span[-1].text
        if len(tail) < MIN_HEAD + 1 or not self.is_ordinary_noun(tail) or self.is_ordinary_noun(span[-3].text):
            return span
        if self.is_place_word(tail):
            return span
        return Span(span.doc, span.start, span.end - 2, label="ORG", span_id=span.id_)

    def with_legal_forms(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """An organisation takes the legal form after it ("Audi AG", "BlackRock, Inc.") and the piece it belongs to
        ("Warner Bros." + "Entertainment GmbH"); a neighbour never overlaps, it only loses the legal form."""
        spans: list[Span | None] = sorted(ents, key=lambda s: s.start)
        text = doc_text(doc)
        for i, span in enumerate(spans):
            if span is None or span.label_ != "ORG":
                continue
            nxt = spans[i + 1] if i + 1 < len(spans) else None
            merged = self.merged_with_legal_piece(span, nxt)
            if merged is not None:
                spans[i], spans[i + 1] = None, merged
                continue
            after = spans[i + 2] if i + 2 < len(spans) else None
            spans[i], nxt = self.extended_over_legal_form(span, nxt, after, text)
            if i + 1 < len(spans):
                spans[i + 1] = nxt
        return [span for span in spans if span is not None]

    def merged_with_legal_piece(self, span: Span, nxt: Span | None) -> Span | None:
        """ "Warner Bros." directly before "Entertainment GmbH": one organisation (not before "Gesellschaft … mbH")."""
        if nxt is None or nxt.label_ != "ORG" or (span.id_ and nxt.id_):
            return None
        between = span.doc[span.end : nxt.start]
        if any(not t.is_space for t in between) or self.is_org_head(nxt[0].text):
            return None
        if not legal_form_at_end(self.lists).search(nxt.text):
            return None
        return Span(span.doc, span.start, nxt.end, label="ORG", span_id=span.id_ or nxt.id_)

    def extended_over_legal_form(
        self, span: Span, nxt: Span | None, after: Span | None, text: str
    ) -> tuple[Span, Span | None]:
        """``span`` over a directly following legal form; ``nxt`` without the tokens it gave up (None: none left).

        ``after`` is the span after ``nxt``: when the legal form would reach it, nothing changes. ``text`` is
        ``doc.text``.
        """
        doc = span.doc
        found = legal_form_after(self.lists).match(text, span.end_char)
        extended = doc.char_span(span.start_char, found.end(), label="ORG", span_id=span.id_) if found else None
        if extended is None:
            return span, nxt
        if nxt is None or nxt.start >= extended.end:
            return extended, nxt
        if nxt.id_ or nxt.start < span.end or (after is not None and after.start < extended.end):
            return span, nxt
        if nxt.end <= extended.end:
            return extended, None
        rest = doc[extended.end : nxt.end]
        label = "LOC" if len(rest) == 1 and self.is_known_place(rest[0].text) else nxt.label_
        return extended, Span(doc, rest.start, rest.end, label=label, span_id=nxt.id_)

    # -- spans the model missed ---------------------------------------------------------------------------
    def add_streets(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Street names the model left out: "Franklinstraße", "Prenzlauer Promenade", "Am Tierpark" is left alone."""
        taken = _taken(doc, ents)
        added: list[Span] = []
        for i, kind in enumerate(self.word_kinds(doc)):
            if taken[i] or not kind & (STREET_LIST_WORD | STREET_NAME):
                continue
            if kind & STREET_LIST_WORD and i > 0 and not taken[i - 1]:
                before = doc[i - 1]
                if PLACE_ADJECTIVE.match(before.text) and before.i > 0 and not before.is_sent_start:
                    added.append(Span(doc, before.i, i + 1, label="LOC"))
                    taken[before.i] = taken[i] = True
                continue
            if kind & STREET_NAME:
                added.append(Span(doc, i, i + 1, label="LOC"))
                taken[i] = True
        return [*ents, *added] if added else ents

    def word_kinds(self, doc: Doc) -> list[int]:
        """Per token, the word-form tests of the span finders as bits (:data:`STREET_LIST_WORD`, ...), computed once
        per word form: the loops over a document then only read integers."""
        orths = token_orths(doc)
        if orths == self._last_kinds[0]:  # add_streets and add_authorities read the same doc
            return self._last_kinds[1]
        cache, strings = self._kinds, doc.vocab.strings
        kinds = [cache.get(orth) for orth in orths]
        if None in kinds:
            for i, kind in enumerate(kinds):
                if kind is None:
                    kind = kinds[i] = self._kind_of(strings[orths[i]])
                    if len(cache) < 500_000:
                        cache[orths[i]] = kind
        self._last_kinds = (orths, kinds)
        return kinds

    def _kind_of(self, text: str) -> int:
        lists, kind = self.lists, 0
        if text[:1].isupper() and (text.isalpha() or text.endswith(".")):
            if text in lists.street_words:
                kind |= STREET_LIST_WORD
            if self.is_street_word(text):
                kind |= STREET_NAME
        if strip_genitive(text, lists.authority_nouns) in lists.authority_nouns:
            kind |= AUTHORITY_NOUN
        if _is_place_adjective(text):
            kind |= PLACE_ADJECTIVE_WORD
        return kind

    def is_street_word(self, word: str) -> bool:
        """A one-word street name ("Franklinstraße"), not a common noun; decided once per word form."""
        found = self._street_word.get(word)
        if found is None:
            if len(self._street_word) > 200_000:
                self._street_word.clear()
            found = self._street_word[word] = is_street([word], self.lists) and word not in lexicon.common_nouns()
        return found

    def add_authorities(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """ "Staatsanwaltschaft Cottbus", "Polizeidirektion Süd", "Berliner Feuerwehr" as one ORG."""
        lists = self.lists
        by_token: dict[int, Span] = {i: span for span in ents for i in range(span.start, span.end)}
        found: list[Span] = []
        kinds = self.word_kinds(doc)
        for i, kind in enumerate(kinds[:-1]):
            if kind & AUTHORITY_NOUN:
                nxt = doc[i + 1]
                place = by_token.get(nxt.i)
                if place is not None and place.label_ == "LOC" and place.start == nxt.i:
                    found.append(Span(doc, i, place.end, label="ORG"))
                elif nxt.text in lists.authority_qualifiers:
                    found.append(Span(doc, i, nxt.i + 1, label="ORG"))
            elif kind & PLACE_ADJECTIVE_WORD and i not in by_token and kinds[i + 1] & AUTHORITY_NOUN:
                found.append(Span(doc, i, i + 2, label="ORG"))
        if not found:
            return ents
        new_tokens = _taken(doc, found)
        kept = [span for span in ents if span.id_ or not any(new_tokens[span.start : span.end])]
        rule_tokens = {i for span in kept if span.id_ for i in range(span.start, span.end)}
        found = [new for new in found if not any(i in rule_tokens for i in range(new.start, new.end))]
        return kept + _longest_first(found)


GENITIVE_LINKS = {"der", "des", "von", "vom"}


LEADING_DETERMINERS = {
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "einem", "einen", "ihre", "ihrer",
    "ihren", "ihrem", "unsere", "unserer", "unseren", "unserem", "seine", "seiner", "seinen", "seinem",
}  # fmt: skip


def without_leading_determiners(span: Span) -> Span | None:
    """ "Ihrer Polizei" → "Polizei": articles and possessives are no part of a name (then the service check runs)."""
    start = span.start
    while start < span.end and span.doc[start].lower_ in LEADING_DETERMINERS:
        start += 1
    if start == span.start:
        return span
    return Span(span.doc, start, span.end, label=span.label_) if start < span.end else None


TRAILING_FUNCTION_WORDS = {
    "der",
    "des",
    "die",
    "das",
    "dem",
    "den",
    "und",
    "oder",
    "von",
    "vom",
    "im",
    "in",
    "am",
    "mit",
}


def without_trailing_function_words(span: Span) -> Span | None:
    """ "Kriminalpolizei der" (the model stopped before a rule span) → "Kriminalpolizei"; nothing left → None."""
    end = span.end
    while end > span.start and span.doc[end - 1].lower_ in TRAILING_FUNCTION_WORDS:
        end -= 1
    if end == span.end:
        return span
    return Span(span.doc, span.start, end, label=span.label_) if end > span.start else None


# Word-form tests of EntitySense.word_kinds, one bit each.
STREET_LIST_WORD = 1  # "Promenade", "Allee": a street word that needs a place adjective before it
STREET_NAME = 2  # "Franklinstraße": a one-word street name
AUTHORITY_NOUN = 4  # "Staatsanwaltschaft", "Polizeidirektion" (genitive too)
PLACE_ADJECTIVE_WORD = 8  # "Berliner"


def _is_place_adjective(text: str) -> bool:
    """ "Berliner" in "Berliner Feuerwehr": a place adjective in -er whose place the lexicon knows
    (:func:`lexicon.place_of_derivative`)."""
    if text.lower() in LEADING_DETERMINERS:  # "Ihrer Polizei": a possessive, not "Berliner"
        return False
    return lexicon.place_of_derivative(text) is not None


def _is_inflected_adjective(token: Token) -> bool:
    """A lower-case attributive adjective ("schwarzen", "gemieteten") before a noun."""
    text = token.text
    return text.islower() and text.isalpha() and len(text) > 3 and text.endswith(("en", "em", "er", "es", "e"))


def _taken(doc: Doc, ents: list[Span]) -> list[bool]:
    taken = [False] * len(doc)
    for span in ents:
        taken[span.start : span.end] = [True] * len(span)
    return taken


def _longest_first(spans: list[Span]) -> list[Span]:
    """Longest spans first, then the earliest; a span overlapping one already chosen goes (linear time)."""
    chosen: list[Span] = []
    taken = bytearray(max((s.end for s in spans), default=0))
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not any(taken[span.start : span.end]):
            chosen.append(span)
            taken[span.start : span.end] = b"\x01" * (span.end - span.start)
    return chosen


@Language.factory("pressewerk_entity_sense")
def create_entity_sense(nlp: Language, name: str) -> EntitySense:
    return EntitySense(name)
