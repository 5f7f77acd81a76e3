"""TIMEX3 values of German durations ("drei Jahre" -> ``P3Y``) and sets ("jeden Montag" -> ``XXXX-WXX-1``).

Only the found span is read. Unspecified amounts become ``X`` ("mehrere Stunden" -> ``PTXH``),
as TimeML writes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.german import WEEKDAYS
from pipeline.nlp import timex_words as lex

_UNIT_TOKEN = re.compile(r"\d+(?:,\d+)?|[\wäöüß]+")


@dataclass(frozen=True)
class SetValue:
    """A TIMEX3 SET: the period, its quantifier (``EVERY``) and frequency (``2X``)."""

    value: str | None
    quant: str | None = None
    freq: str | None = None


def duration_value(amount: float | None, designator: str) -> str:
    """ISO 8601 duration: ``P3Y``, ``PT5H``, ``PXD``; fractions of a unit as ``P1.5Y``."""
    if amount is None:
        number = "X"
    elif amount == int(amount):
        number = str(int(amount))
    else:
        number = f"{amount:g}"
    time_part = designator.startswith("T")
    return f"P{'T' if time_part else ''}{number}{designator.removeprefix('T')}"


def _amount(word: str) -> tuple[bool, float | None]:
    """(is an amount, its value) of "drei", "24", "1,5", "mehrere"."""
    word = word.lower().rstrip("-")
    if re.fullmatch(r"\d+(?:,\d+)?", word):
        return True, float(word.replace(",", "."))
    if word in lex.AMOUNT_WORDS:
        return True, lex.AMOUNT_WORDS[word]
    return False, None


def normalise_duration(text: str) -> str | None:
    """ "drei Jahre" -> P3Y, "24 Stunden" -> PT24H, "ein halbes Jahr" -> P6M, "dreitägige" -> P3D."""
    low = " ".join(text.lower().split())
    if low in lex.DURATION_ADVERBS:
        return lex.DURATION_ADVERBS[low]
    tokens = _UNIT_TOKEN.findall(low.replace("-", " "))
    if not tokens:
        return None
    if len(tokens) == 1 or (len(tokens) == 2 and tokens[0].isdigit() and "-" in low):
        word = tokens[-1]
        for suffix, designator in lex.DURATION_ADJECTIVE_SUFFIXES.items():
            if m := re.fullmatch(rf"(\w*?)-?{suffix}(?:e|en|er|es|em)?", "".join(tokens)):
                ok, amount = _amount(m[1])
                return duration_value(amount, designator) if ok else None
        if word in lex.PLURAL_UNITS:
            return duration_value(None, lex.DURATION_UNITS[word])
        return None
    unit = tokens[-1]
    if unit not in lex.DURATION_UNITS:
        return None
    designator = lex.DURATION_UNITS[unit]
    if tokens[-2] in ("halbes", "halbe", "halben"):
        half = {"Y": (6, "M"), "D": (12, "TH"), "TH": (30, "TM"), "CE": (50, "Y"), "M": (2, "W")}
        number, smaller = half.get(designator, (None, designator))
        return duration_value(number, smaller) if number else duration_value(0.5, designator)
    ok, amount = _amount(tokens[-2])
    if not ok:
        amount = None  # "die letzten Jahre"
    return duration_value(amount, designator)


def normalise_set(text: str) -> SetValue:
    """ "jährlich" -> P1Y, "jeden Montag" -> XXXX-WXX-1 EVERY, "zweimal pro Woche" -> P1W 2X."""
    low = " ".join(text.lower().split())
    tokens = low.split()
    freq = None
    if tokens and tokens[0] in lex.TIMES_WORDS:
        freq = f"{lex.TIMES_WORDS[tokens[0]]}X"
        tokens = tokens[1:]
    quant = None
    if tokens and tokens[0] in lex.EVERY_WORDS:
        quant = "EVERY"
        tokens = tokens[1:]
    elif tokens and tokens[0] in lex.PER_WORDS | {"im", "in", "am"}:
        tokens = [t for t in tokens[1:] if t not in ("der", "die")]
    if not tokens:
        return SetValue(None)
    last = tokens[-1]
    for word, value in lex.SET_WORDS.items():
        if re.fullmatch(rf"{word}(?:e|en|er|es|em)?", last):
            return SetValue(value, quant, freq)
    weekday = re.fullmatch(r"({})[se]?".format("|".join(WEEKDAYS)), last)
    if weekday:
        return SetValue(f"XXXX-WXX-{WEEKDAYS[weekday[1]] + 1}", quant or "EVERY", freq)
    if last in lex.SET_UNITS:
        return SetValue(lex.SET_UNITS[last], quant, freq)
    if len(tokens) == 2 and last in lex.DURATION_UNITS:  # "alle zwei Wochen"
        ok, amount = _amount(tokens[0])
        if ok and amount is not None:
            return SetValue(duration_value(amount, lex.DURATION_UNITS[last]), quant, freq)
    return SetValue(None, quant, freq)
