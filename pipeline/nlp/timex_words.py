"""Word lists for German temporal expressions beyond calendar dates (data only, no logic).

Shared by the detector (``pipeline.nlp.dates``) and the normalisers
(``pipeline.normalise.dates``, ``pipeline.normalise.durations``). Values follow TimeML/TIMEX3.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from pathlib import Path

# Deictic words without a calendar value: TIMEX3 reference values, and where each is a timex
# (``data/reference_words.toml``; the rules are in ``reference_use``).
REFERENCE_DATA = Path(__file__).with_name("data") / "reference_words.toml"
with REFERENCE_DATA.open("rb") as _handle:
    _REFERENCE = tomllib.load(_handle)
# word -> (value, use); use: adverbial, after_preposition, frame or in_phrase.
REFERENCE_USES: dict[str, tuple[str, str]] = {w: (v, u) for w, (v, u) in _REFERENCE["words"].items()}
PHRASE_USES: dict[tuple[str, str], tuple[str, str]] = {
    tuple(p.split()): (v, u) for p, (v, u) in _REFERENCE["phrases"].items()
}
NOUN_USES: dict[str, tuple[str, str]] = {w: (v, u) for w, (v, u) in _REFERENCE["nouns"].items()}
REFERENCE_RULES: dict[str, list[str]] = _REFERENCE["rules"]
# When "heute" means "nowadays" (PRESENT_REF) rather than the release day.
NOWADAYS_CONTRAST_WORDS = frozenset(_REFERENCE["heute"]["contrast_words"])
NOWADAYS_CONTRAST_YEARS: int = _REFERENCE["heute"]["contrast_years"]
NOWADAYS_BEFORE = frozenset(_REFERENCE["heute"]["before"])
# Every reference word and its value (the normaliser reads them all) ...
REFERENCE_WORDS: dict[str, str] = {w: v for w, (v, _) in REFERENCE_USES.items()}
REFERENCE_NOUNS: dict[str, str] = {w: v for w, (v, _) in NOUN_USES.items()}
REFERENCE_PHRASES: dict[tuple[str, str], str] = {p: v for p, (v, _) in PHRASE_USES.items()}
# ... the detector only those that can be a timex ("frame" words never are).
DETECTED_REFERENCE_WORDS = sorted(w for w, (_, use) in REFERENCE_USES.items() if use != "frame")
DETECTED_REFERENCE_PHRASES = sorted(p for p, (_, use) in PHRASE_USES.items() if use != "frame")

# Adjectives of a day counted from the release, and the day word they stand for: "am gestrigen Nachmittag",
# "am morgigen Sonntag", "vom vorgestrigen Tage".
RELATIVE_DAY_ADJECTIVES: dict[str, str] = {
    "vorgestrig": "vorgestern", "gestrig": "gestern", "heutig": "heute", "morgig": "morgen",
    "übermorgig": "übermorgen",
}  # fmt: skip
RELATIVE_DAY_FORMS: dict[str, str] = {
    stem + ending: day for stem, day in RELATIVE_DAY_ADJECTIVES.items() for ending in ("e", "en", "er", "es", "em")
}
# "vergangene Nacht" is the night that began yesterday evening, "kommende Nacht" the one beginning tonight.
NIGHT_MODIFIERS: dict[str, str] = {
    "vergangene": "gestern", "vergangenen": "gestern", "letzte": "gestern", "letzten": "gestern",
    "kommende": "heute", "kommenden": "heute", "diese": "heute", "dieser": "heute",
}  # fmt: skip

# Units of a duration and their ISO 8601 designator (time units after "T").
DURATION_UNITS: dict[str, str] = {
    "sekunde": "TS", "sekunden": "TS", "minute": "TM", "minuten": "TM", "stunde": "TH", "stunden": "TH",
    "tag": "D", "tage": "D", "tagen": "D", "tages": "D", "woche": "W", "wochen": "W",
    "monat": "M", "monate": "M", "monaten": "M", "monats": "M", "quartal": "Q", "quartale": "Q", "quartalen": "Q",
    "jahr": "Y", "jahre": "Y", "jahren": "Y", "jahres": "Y",
    "jahrzehnt": "DE", "jahrzehnte": "DE", "jahrzehnten": "DE", "jahrhundert": "CE", "jahrhunderte": "CE",
    "jahrhunderten": "CE",
}  # fmt: skip
# Plural units after "seit" / "die letzten" without a number: an unspecified amount ("seit Jahren" -> PXY).
PLURAL_UNITS = {
    "sekunden", "minuten", "stunden", "tagen", "tage", "wochen", "monaten", "monate", "jahren", "jahre",
    "jahrzehnten", "jahrzehnte", "jahrhunderten", "jahrhunderte",
}  # fmt: skip
# Amounts: numbers spelled out, fractions and vague quantities (None = unspecified, "X" in TIMEX3).
AMOUNT_WORDS: dict[str, float | None] = {
    "ein": 1, "eine": 1, "einem": 1, "einen": 1, "einer": 1, "eines": 1, "zwei": 2, "drei": 3, "vier": 4,
    "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12,
    "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18,
    "neunzehn": 19, "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60,
    "siebzig": 70, "achtzig": 80, "neunzig": 90, "hundert": 100, "beiden": 2, "beide": 2,
    "eineinhalb": 1.5, "anderthalb": 1.5, "zweieinhalb": 2.5, "dreieinhalb": 3.5, "halbe": 0.5,
    "halben": 0.5, "halbes": 0.5,
    "einige": None, "einigen": None, "mehrere": None, "mehreren": None, "wenige": None, "wenigen": None,
    "paar": None, "viele": None, "vielen": None, "etliche": None, "etlichen": None,
}  # fmt: skip
# Words in front of an amount that TIMEX3 keeps inside the span (mod = APPROX, MORE_THAN, ...).
APPROXIMATORS = {
    "etwa", "rund", "knapp", "fast", "über", "gut", "gute", "guten", "circa", "ca.", "mindestens", "höchstens",
    "ungefähr",
}  # fmt: skip
# Adjectives and adverbs of duration: "dreitägigen", "24-stündige", "jahrelang".
DURATION_ADJECTIVE_SUFFIXES: dict[str, str] = {
    "sekündig": "TS",
    "minütig": "TM",
    "stündig": "TH",
    "tägig": "D",
    "wöchig": "W",
    "monatig": "M",
}
DURATION_ADVERBS: dict[str, str] = {
    "stundenlang": "PTXH", "tagelang": "PXD", "wochenlang": "PXW", "monatelang": "PXM", "jahrelang": "PXY",
    "jahrzehntelang": "PXDE", "jahrhundertelang": "PXCE",
}  # fmt: skip
# Words after an amount and a unit that make it an age or a size, not a duration ("34 Jahre alt").
NOT_DURATION_AFTER = {
    "alt", "alte", "alter", "alten", "altes", "jung", "junge", "jungen", "junger", "älter", "ältere", "älteren",
    "jünger", "jüngere", "jüngeren",
}  # fmt: skip

# Sets: adverbs and adjectives of frequency ("jährlich", "die täglichen ...").
SET_WORDS: dict[str, str] = {
    "stündlich": "PT1H", "täglich": "P1D", "tagtäglich": "P1D", "allabendlich": "XXXX-XX-XXTEV",
    "allmorgendlich": "XXXX-XX-XXTMO", "wöchentlich": "P1W", "allwöchentlich": "P1W", "monatlich": "P1M",
    "vierteljährlich": "P3M", "quartalsweise": "P3M", "halbjährlich": "P6M", "jährlich": "P1Y",
    "alljährlich": "P1Y", "ganzjährig": "P1Y",
}  # fmt: skip
SET_ENDINGS = ("", "e", "en", "er", "es", "em")
# "jeden Montag", "jede Woche", "alle zwei Jahre".
EVERY_WORDS = {"jeden", "jede", "jedes", "jedem", "jeder", "alle", "allen"}
PER_WORDS = {"pro", "je"}
TIMES_WORDS: dict[str, int] = {
    "einmal": 1, "zweimal": 2, "dreimal": 3, "viermal": 4, "fünfmal": 5, "sechsmal": 6, "zehnmal": 10,
}  # fmt: skip
# Set units: singular forms after "jeden"/"pro" and their TIMEX3 period.
SET_UNITS: dict[str, str] = {
    "sekunde": "PT1S", "minute": "PT1M", "stunde": "PT1H", "tag": "P1D", "woche": "P1W", "monat": "P1M",
    "quartal": "P3M", "jahr": "P1Y", "wochenende": "XXXX-WXX-WE", "morgen": "XXXX-XX-XXTMO",
    "vormittag": "XXXX-XX-XXTMO", "mittag": "XXXX-XX-XXTMI", "nachmittag": "XXXX-XX-XXTAF",
    "abend": "XXXX-XX-XXTEV", "nacht": "XXXX-XX-XXTNI",
}  # fmt: skip

# Decades in words: "die fünfziger Jahre".
DECADE_WORDS: dict[str, int] = {
    "zwanziger": 2, "dreißiger": 3, "vierziger": 4, "fünfziger": 5, "sechziger": 6, "siebziger": 7,
    "achtziger": 8, "neunziger": 9,
}  # fmt: skip
# Compounds counted from the narrative time: "im Vorjahr", "am Folgetag".
ANAPHORIC_NOUNS: dict[str, tuple[str, int]] = {
    "vorjahr": ("jahr", -1), "vorjahres": ("jahr", -1), "vorjahrs": ("jahr", -1), "folgejahr": ("jahr", 1),
    "folgejahres": ("jahr", 1), "vormonat": ("monat", -1), "vormonats": ("monat", -1), "folgemonat": ("monat", 1),
    "folgemonats": ("monat", 1), "vorwoche": ("woche", -1), "folgewoche": ("woche", 1), "vortag": ("tag", -1),
    "vortages": ("tag", -1), "folgetag": ("tag", 1), "folgetages": ("tag", 1),
}  # fmt: skip
# Genitive month forms in history text ("des 9. Februars 1904").
MONTH_GENITIVES = {"januars": 1, "februars": 2, "märzes": 3, "aprils": 4, "mais": 5, "junis": 6, "julis": 7,
                   "augusts": 8, "septembers": 9, "oktobers": 10, "novembers": 11, "dezembers": 12}  # fmt: skip

# Parts of a day that join a holiday into one word ("Silvesternacht", "Neujahrsmorgen"), longest first.
DAYPART_ENDINGS = ("nachmittag", "vormittag", "morgen", "mittag", "abend", "nacht")


def holiday_part(word: str, holidays: Collection[str]) -> tuple[str, str] | None:
    """("silvester", "nacht") for "Silvesternacht", ("neujahr", "morgen") for "Neujahrsmorgen"; else None."""
    low = word.lower()
    for part in DAYPART_ENDINGS:
        if low.endswith(part) and len(low) > len(part):
            stem = low[: -len(part)]
            bare = stem.removesuffix("s")
            for name in (stem, bare, stem + "en", bare + "en", stem + "n"):
                if name in holidays:
                    return name, part
            return None
    return None


def holiday_part_forms(holidays: Collection[str]) -> set[str]:
    """Every lower-case "holiday + part of day" word that ``holiday_part`` reads."""
    forms = set()
    for name in holidays:
        for stem in {name, name + "s", name.removesuffix("en") + "s", name.removesuffix("n"), name.removesuffix("en")}:
            forms |= {stem + part for part in DAYPART_ENDINGS if holiday_part(stem + part, holidays) == (name, part)}
    return forms
