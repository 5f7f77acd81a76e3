"""Press-text tokenizer rules added on top of spaCy's German defaults.

The same function runs when the embedded model is trained and whenever any
German model (embedded or official) is loaded, so tokenisation is identical.
"""

from __future__ import annotations

import re

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex, compile_suffix_regex

# "Kund:innen", "Mitarbeiter*innen", "Bürger_innen", "Lehrer/innen": one token.
GENDER_FORM = r"[^\W\d_]+[:*_/][Ii]nnen"
# ISO dates and timestamps stay one token: "2019-12-13", "2016-03-24T14:21:36+01:00".
ISO_DATE = r"[12]\d{3}-[01]\d-[0-3]\d(?:T[0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-][01]\d:?[0-5]\d)?)?"
# A four-digit year before a sentence-final period: "seit 2019." -> "2019" "."
YEAR_PERIOD_SUFFIX = r"(?<=\b[12]\d{3})\."
# "... GmbH." / "... das DIZ." at a sentence end: the period is punctuation, not part of the name.
ACRONYM_PERIOD_SUFFIX = r"(?<=[a-zäöüß][A-ZÄÖÜ])\.|(?<=[A-ZÄÖÜ]{2})\."
# En and em dashes between numbers split ranges: "3.–5. Mai", "2019–2021" (ISO "2019-12-13" stays whole).
NUMBER_DASH_INFIX = r"(?<=[0-9.])[–—](?=[0-9])"


def _strict_url_pattern(url_match) -> re.Pattern[str]:
    """spaCy's URL pattern, refusing candidates that end in punctuation."""
    base = url_match.__self__
    body = re.sub(r"^(\(\?\w+\))*\^?", "", base.pattern)
    return re.compile(r"^(?=.*[^.,;:!?)\]»“”\"'])" + body, base.flags)


def customize_tokenizer(nlp: Language) -> Language:
    """Set the press-text rules on ``nlp.tokenizer``; safe to call twice.

    All rules are compiled regexes, so they are saved with the model.
    """
    tokenizer = nlp.tokenizer
    tokenizer.suffix_search = compile_suffix_regex(
        [YEAR_PERIOD_SUFFIX, ACRONYM_PERIOD_SUFFIX, *nlp.Defaults.suffixes]
    ).search
    tokenizer.infix_finditer = compile_infix_regex([NUMBER_DASH_INFIX, *nlp.Defaults.infixes]).finditer
    tokenizer.token_match = re.compile(rf"^(?:{GENDER_FORM}|{ISO_DATE})$").match
    tokenizer.url_match = _strict_url_pattern(nlp.Defaults.url_match).match
    return nlp


@spacy.registry.callbacks("pressewerk.press_tokenizer.v1")
def create_tokenizer_callback():
    """Config hook: ``[nlp.after_creation] @callbacks = "pressewerk.press_tokenizer.v1"``."""
    return customize_tokenizer
