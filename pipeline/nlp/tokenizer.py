"""Press-text tokenizer rules added on top of spaCy's German defaults.

The same function runs when the embedded model is trained and whenever any
German model (embedded or official) is loaded, so tokenisation is identical.
"""

from __future__ import annotations

import re

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.util import compile_infix_regex, compile_suffix_regex

from pipeline.nlp.lexicon import hyphenated_places

# "Kund:innen", "Mitarbeiter*innen", "Bürger_innen", "Lehrer/innen": one token.
GENDER_FORM = r"[^\W\d_]+[:*_/][Ii]nnen"
# ISO dates and timestamps stay one token: "2019-12-13", "2016-03-24T14:21:36+01:00".
ISO_DATE = r"[12]\d{3}-[01]\d-[0-3]\d(?:T[0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-][01]\d:?[0-5]\d)?)?"
# The suffix and infix expressions are searched at every position of every word: each of ours opens with a
# lookahead for the one character it consumes ("(?=\.)", "(?=-)"), so any other position fails at once instead of
# trying its lookbehinds (the compound hyphen has 39). Same matches, a third less time in the tokenizer's searches.
# A four-digit year before a sentence-final period: "seit 2019." -> "2019" "."
YEAR_PERIOD_SUFFIX = r"(?=\.)(?<=\b[12]\d{3})\."
# "... GmbH." / "... das DIZ." at a sentence end: the period is punctuation, not part of the name. One
# alternative, so the "$" that every suffix gets holds for both ("GmbH.Die" is not cut after "GmbH.").
ACRONYM_PERIOD_SUFFIX = r"(?=\.)(?:(?<=[a-zäöüß][A-ZÄÖÜ])|(?<=[A-ZÄÖÜ]{2}))\."
# En and em dashes between numbers split ranges: "3.–5. Mai", "2019–2021" (ISO "2019-12-13" stays whole).
NUMBER_DASH_INFIX = r"(?<=[0-9.])[–—](?=[0-9])"
# A hyphen after a capitalised word of two or more letters and before a letter splits a compound, so a
# name inside it is its own token: "Commerzbank-Chef" -> "Commerzbank" "-" "Chef", "US-Autobauer",
# "Siemens-Gamesa-Deal". Digits on either side keep the token whole ("1990er-Jahre", "A-100", "2009-2011"),
# as do one-letter heads ("E-Mail", "U-Bahn"), lower-case ones ("nicht-öffentlich") and hyphenated place
# names ("Baden-Württemberg", "Castrop-Rauxel": special cases from models/lexicon/hyphenated_places).
# Python's lookbehind has a fixed width, hence one alternative per length of the left word.
_CAPITALISED_WORD_BEFORE = "|".join(rf"(?<=\b[A-ZÄÖÜ][^\W\d_]{{{n}}})" for n in range(1, 40))
COMPOUND_HYPHEN_INFIX = rf"(?=-)(?:{_CAPITALISED_WORD_BEFORE})-(?=[^\W\d_])"
# Compounds that name a street, square, building or institution after a person or place stay one token:
# "Otto-Braun-Straße", "Karl-Marx-Allee", "Kurt-Schumacher-Haus", "Max-Planck-Institut" are one place or
# organisation, and their pieces would read as a person.
NAMED_PLACE_HEADS = (
    "Straße|Strasse|Str\\.|Allee|Damm|Platz|Weg|Ring|Ufer|Chaussee|Brücke|Promenade|Steig|Gasse|Pfad|Park|"
    "Markt|Tor|Kanal|Graben|Garten|Haus|Hof|Bahnhof|Bahn|Kaserne|Stadion|Halle|Saal|Siedlung|Kiez|Viertel|"
    "Kolonie|Zentrum|Center|Klinik|Klinikum|Krankenhaus|Schule|Gymnasium|Universität|Institut|Stiftung|Museum|"
    "Preis|Kirche|Denkmal|Arena|Forum|Campus|Turm|See|Insel|Feld|Wald|Heide|Brunnen"
)
NAMED_PLACE_COMPOUND = rf"(?:[A-ZÄÖÜ][^\W\d_]*-)+(?:{NAMED_PLACE_HEADS})(?:e|n|en|s|es|er|ern)?"
# nlp.meta key under which a trained pipeline records that it was trained on split compounds.
META_KEY = "pressewerk_tokenizer"


def _pattern(method) -> tuple[str, int] | None:
    """(expression, flags) of a compiled pattern's bound method (``Pattern.search``), else None."""
    compiled = getattr(method, "__self__", None)
    return (compiled.pattern, compiled.flags) if isinstance(compiled, re.Pattern) else None


def _strict_url_pattern(url_match) -> re.Pattern[str]:
    """spaCy's URL pattern, refusing candidates that end in punctuation."""
    base = url_match.__self__
    body = re.sub(r"^(\(\?\w+\))*\^?", "", base.pattern)
    return re.compile(r"^(?=.*[^.,;:!?)\]»“”\"'])" + body, base.flags)


def customize_tokenizer(nlp: Language, split_compounds: bool = True) -> Language:
    """Set the press-text rules on ``nlp.tokenizer``; safe to call twice.

    ``split_compounds`` adds :data:`COMPOUND_HYPHEN_INFIX` (and keeps hyphenated place names
    whole); a model must run with the tokenisation it was trained on, so
    :func:`pipeline.nlp.model.load_model` passes what the model's meta says
    (:func:`trained_with_split_compounds`; models without the record, such as the official ones, get no split). All rules are compiled regexes, so they
    are saved with the model.
    """
    tokenizer = nlp.tokenizer
    infixes = [NUMBER_DASH_INFIX, *([COMPOUND_HYPHEN_INFIX] if split_compounds else []), *nlp.Defaults.infixes]
    suffixes = [YEAR_PERIOD_SUFFIX, ACRONYM_PERIOD_SUFFIX, *nlp.Defaults.suffixes]
    whole = [GENDER_FORM, ISO_DATE, *([NAMED_PLACE_COMPOUND] if split_compounds else [])]
    # A model saved with these rules (the embedded one) has them already: compiling them again costs ~1 s a start.
    suffix_expression = "|".join(piece + "$" for piece in suffixes if piece.strip())  # as compile_suffix_regex
    if _pattern(tokenizer.suffix_search) != (suffix_expression, re.UNICODE):
        tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    if _pattern(tokenizer.infix_finditer) != ("|".join(p for p in infixes if p.strip()), re.UNICODE):
        tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    whole_expression = rf"^(?:{'|'.join(whole)})$"
    if _pattern(tokenizer.token_match) != (whole_expression, re.UNICODE):
        tokenizer.token_match = re.compile(whole_expression).match
    url = _strict_url_pattern(nlp.Defaults.url_match)
    if _pattern(tokenizer.url_match) != (url.pattern, url.flags):
        tokenizer.url_match = url.match
    if split_compounds:
        for name in sorted(hyphenated_places()):
            tokenizer.add_special_case(name, [{ORTH: name}])
    return nlp


def trained_with_split_compounds(nlp: Language) -> bool:
    """Whether ``nlp`` was trained on split hyphenated compounds (recorded in its meta)."""
    return bool(nlp.meta.get(META_KEY, {}).get("split_compounds", False))


@spacy.registry.callbacks("pressewerk.press_tokenizer.v1")
def create_tokenizer_callback(split_compounds: bool = True):
    """Config hook: ``[nlp.after_creation] @callbacks = "pressewerk.press_tokenizer.v1"``."""

    def customize(nlp: Language) -> Language:
        nlp.meta[META_KEY] = {"split_compounds": split_compounds}
        return customize_tokenizer(nlp, split_compounds)

    return customize
