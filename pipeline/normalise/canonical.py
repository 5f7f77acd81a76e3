"""Canonical names: German inflection undone, titles split off person names."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span

from pipeline.nlp import lexicon
from pipeline.nlp.entity_sense import compound_head

PERSON_TITLES = (
    "Herr", "Herrn", "Frau", "Dr.", "Prof.", "Professor", "Professorin", "Dipl.-Ing.", "Ing.",
    "Minister", "Ministerin", "Staatssekretär", "Staatssekretärin", "Bürgermeister",
    "Bürgermeisterin", "Oberbürgermeister", "Oberbürgermeisterin", "Präsident", "Präsidentin",
    "Ministerpräsident", "Ministerpräsidentin", "Bundeskanzler", "Bundeskanzlerin", "Landrat",
    "Landrätin", "Senator", "Senatorin", "MdB", "MdL", "h.c.", "med.", "rer.", "nat.", "phil.",
)  # fmt: skip
_TITLE_SET = {t.casefold() for t in PERSON_TITLES}


LEGAL_FORM = re.compile(
    r"(?:^|\s)(?P<form>gGmbH|GmbH\s*&\s*Co\.\s*KG(?:aA)?|GmbH|mbH|gAG|AG|SE|KGaA|KG|OHG|GbR|UG(?:\s*\(haftungsbeschränkt\))?|"
    r"e\.\s?V\.|eG|e\.K\.|AöR|Ltd\.?|Inc\.?|S\.A\.|B\.V\.)$"
    r"|^(?P<kind>Stiftung|Verband|Verein|Genossenschaft)\b|\b(?P<suffix>[Ss]tiftung|[Vv]erband|[Vv]erein)$"
)


def legal_form(name: str) -> str | None:
    """The legal form an organisation name carries: "MFG … mbH" -> "mbH", "Stiftung Warentest" -> "Stiftung"."""
    match = LEGAL_FORM.search(name.strip())
    if not match:
        return None
    form = match["form"] or match["kind"] or match["suffix"]
    return (
        re.sub(r"\s+", " ", form).capitalize()
        if form.lower() in {"stiftung", "verband", "verein"}
        else re.sub(r"\s+", " ", form)
    )


# Role nouns written before a name: "Polizeipräsidentin", "Bezirksbürgermeister", "Pressesprecherin".
ROLE_TITLE = re.compile(
    r"^[A-ZÄÖÜ][a-zäöüß]*(?:präsident|sprecher|meister|minister|senator|direktor|leiter|vorsitzende|beauftragte|rat|rätin)(?:in)?$"
)


def is_title_word(word: str) -> bool:
    return word.casefold() in _TITLE_SET or bool(ROLE_TITLE.match(word))


def split_person_title(name: str) -> tuple[str, str | None]:
    """("Polizeipräsidentin Dr. Barbara Slowik") -> ("Barbara Slowik", "Polizeipräsidentin Dr.")."""
    words = name.split()
    titles: list[str] = []
    while len(words) > 1 and is_title_word(words[0]):
        titles.append(words.pop(0))
    return " ".join(words), (" ".join(titles) or None)


def _bare_name_in_s(words: list[str], before: str | None) -> bool:
    """A one-word organisation in "-s", no compound, with no genitive article before it: the "s" is the name's
    ("Reuters", "Holmes", "Podemos"), not the genitive of the nouns "Reuter", "Holm". A compound noun's genitive
    ("Wirtschaftsministeriums", "Abdullah-Zentrums") and a place's ("Griechenlands") still lose it."""
    if len(words) != 1 or not words[0].endswith("s") or (before is not None and before.lower() in GENITIVE_SINGULAR):
        return False
    stem = words[0][:-1]
    if "-" in stem or stem in lexicon.places() or stem in lexicon.countries():
        return False  # "Abdullah-Zentrums", "Griechenlands"
    return compound_head(stem) is None  # "des deutschen Wirtschaftsministeriums": a compound noun's genitive


def _uninflect_head(words: list[str], lemmas: list[str] | None, before: str | None = None) -> list[str]:
    """Undo the genitive/dative ending of the head noun when the lemma confirms it."""
    if not words:
        return words
    head = words[0]
    lemma = lemmas[0] if lemmas else None
    if lemma and lemma != head and head.startswith(lemma) and head[len(lemma) :] in {"s", "es", "n", "en", "ns"}:
        return [lemma, *words[1:]]
    # No lemma for a rare compound: a genitive "-s"/"-es" goes when what is left is a masculine or neuter noun of the
    # dictionary or a compound ending in one ("Polizeiabschnitts 46" -> "Polizeiabschnitt 46", "ORF-Stiftungsrates"
    # -> "ORF-Stiftungsrat", not the feminine "Stiftungsrate").
    place = head[:-1] in lexicon.places() or head[:-1] in lexicon.countries()
    attribute = len(words) > 1 and (adjective_stem(head) is not None or place)
    if len(head) > 4 and head[0].isupper() and head.endswith("s") and not attribute:
        # not "Rotes Kreuz" (an adjective) or "Baden-Württembergs Verkehrsministerium" (a place's genitive)
        found = lexicon.noun_gender(head)
        if found is not None and found[1] == "p" and before is not None and before.lower() in GENITIVE_SINGULAR:
            found = lexicon.noun_gender(head[:-1])  # "des Kulturbüros Sachsen": not the plural "Büros"
            found = found if found is not None and found[1][0] in "mn" else None
        if found is not None and found[0] != head and found[1] != "p":
            return [found[0], *words[1:]]
    return words


NAME_ADJECTIVES = Path(__file__).with_name("data") / "name_adjectives.toml"
NOMINATIVE_ENDING = {"m": "er", "f": "e", "n": "es", "p": "e"}  # without article: "Oberster", "Neue", "Rotes"
GENITIVE_SINGULAR = frozenset({"des", "eines", "dieses", "jenes", "meines", "seines", "ihres", "unseres"})
SINGULAR_BEFORE = frozenset({"im", "am", "vom", "zum", "beim", "dem", "des", "eines", "einem", "ans", "ins"})
DEFINITE_SINGULAR = {"m": {"der", "dieser", "jener"}, "n": {"das", "dieses", "jenes"}, "f": {"die", "diese", "jene"}}


@lru_cache(maxsize=1)
def _name_adjectives() -> tuple[tuple[str, ...], frozenset[str]]:
    data = tomllib.loads(NAME_ADJECTIVES.read_text(encoding="utf-8"))
    return tuple(data["suffixes"]), frozenset(data["stems"])


@lru_cache(maxsize=65536)
def adjective_stem(word: str) -> str | None:
    """ "Obersten" → "Oberst", "rot-blauen" → "rot-blau", "Kunsthistorische" → "Kunsthistorisch"; None for a word
    that is no inflected adjective ("Golden", "Raiffeisen", "Salzburger")."""
    suffixes, stems = _name_adjectives()
    last = word.rsplit("-", 1)[-1].lower()
    for ending in lexicon.ADJECTIVE_ENDINGS:  # the two-letter endings before "-e"
        stem = last.removesuffix(ending)
        if stem != last and len(stem) >= 2 and (stem in stems or stem.endswith(suffixes)):
            if ending == "er" and word[:1].isupper():
                # "Leipziger", "Biesentaler", "Kalischer": the adjective of a place, which no noun list knows. An
                # inflected "-er" is a masculine nominative ("Oberster") or a rare genitive or dative without article
                return None
            return word[: len(word) - len(ending)]
    return None


def _place_adjective(word: str) -> bool:
    """ "Salzburger", "Frankfurter", "Zürcher": a capitalised adjective of a place, never inflected."""
    return len(word) > 4 and word[0].isupper() and word.endswith("er") and adjective_stem(word) is None


def nominative_name(words: list[str], before: str | None = None) -> list[str]:
    """A name's leading adjectives in the nominative without article, by the gender of the head noun after them,
    and the head without its case ending: "Obersten Gerichtshofs" → "Oberster Gerichtshof", "Kunsthistorischen
    Museum" → "Kunsthistorisches Museum", "Neuen Bergstraße" → "Neue Bergstraße", "Oberösterreichischen
    Nachrichten" → "Oberösterreichische Nachrichten", "Salzburger Hauptbahnhofs" → "Salzburger Hauptbahnhof".

    ``before`` is the word before the name in the text: with a noun whose plural is written like its singular
    ("Freien Wähler"), "im"/"dem"/"des" make it singular, anything else plural; without it such a name stays as
    written, and so does a name whose head no noun list knows ("Golden State Warriors").
    """
    stems: list[str | None] = []
    for word in words[:-1]:
        stem = adjective_stem(word)
        if stem is None and not _place_adjective(word):
            break
        stems.append(stem)
    if not stems:
        return words
    head = len(stems)
    found = lexicon.noun_gender(words[head])
    if found is None:
        return words
    nominative, gender = found
    if gender.endswith("p") and len(gender) == 2:  # "Wähler": singular or plural, as the article says
        endings = {w.removeprefix(s) for w, s in zip(words, stems, strict=False) if s is not None}
        if endings <= {"er", "es", "em"}:
            gender = gender[0]  # "Freier Wähler", "Deutsches Theater": a strong singular
        elif before is None:
            return words
        elif "en" in endings:  # "im Deutschen Theater" / "die Freien Wähler"
            gender = gender[0] if before.lower() in SINGULAR_BEFORE else "p"
        else:  # "der Freie Wähler", "das Deutsche Theater" / "Freie Wähler"
            gender = gender[0] if before.lower() in DEFINITE_SINGULAR[gender[0]] else "p"
    ending = NOMINATIVE_ENDING[gender]
    adjectives = [word if stem is None else stem + ending for word, stem in zip(words, stems, strict=False)]
    return [*adjectives, nominative, *words[head + 1 :]]


def person_nominative(name: str) -> str:
    """A person's name without the genitive "-s": "Egon Schieles" -> "Egon Schiele", "Merkels" -> "Merkel".

    Only when the surname list knows the name without the "-s" and knows neither the name itself as a surname
    nor as a first name: "Johannes Brahms", "Mertens", "Jens" and "Andreas" keep theirs.
    """
    words = name.split(" ")
    last = words[-1] if words else ""
    if len(last) < 4 or not last.endswith("s") or last.endswith(("ss", "xs", "zs")) or not last[0].isupper():
        return name
    surnames = lexicon.surnames()
    if last in surnames or last in lexicon.first_names() or last[:-1] not in surnames:
        return name
    return " ".join([*words[:-1], last[:-1]])


def canonical_name(name: str, label: str, span: Span | None = None) -> str:
    """The name a mention stands for: "des Ministeriums für X" -> "Ministerium für X"."""
    if label == "PER":
        return person_nominative(split_person_title(name)[0])
    words = name.split()
    lemmas = None
    if span is not None and len(span) and span.doc.has_annotation("LEMMA"):
        # Only the head (first) word inflects: "Ministeriums für Wirtschaft, Arbeit und Wohnungsbau".
        first = next((t for t in span if not t.is_space), None)
        if first is not None and words and first.text == words[0]:
            lemmas = [first.lemma_]
    before = span.doc[span.start - 1].text if span is not None and span.start > 0 else None
    if words and words[0].casefold() in {"der", "die", "das", "des", "dem", "den"} and len(words) > 1:
        before = words[0]
        words = words[1:]
        lemmas = None
    if label == "LOC":
        from pipeline.normalise.geocode import gazetteer

        joined = gazetteer().source_spelling(" ".join(words))  # "NEW YORK" -> "New York"
        return gazetteer().canonical(joined) or " ".join(nominative_name(joined.split(), before))
    nominative = nominative_name(words, before)  # "Obersten Gerichtshofs" -> "Oberster Gerichtshof"
    # Only the first word inflects in "Ministeriums für Wirtschaft" / "Landkreises Karlsruhe".
    if nominative != words:
        name = " ".join(nominative)
    elif label == "ORG" and span is not None and _bare_name_in_s(words, before):
        name = " ".join(words)  # "von Reuters", "Holmes hatte": not the nouns "Reuter" and "Holm" in the genitive
    else:
        name = " ".join(_uninflect_head(words, lemmas, before))
    if label == "ORG":
        from pipeline.nlp.lexicon import organisation_aliases

        return organisation_aliases().get(name, name)  # "EU" → "Europäische Union", in every document
    return name
