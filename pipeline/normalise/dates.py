"""Normalise detected German temporal expressions to TIMEX3 values, anchored to the release date.

DATE and TIME values are ISO 8601 (``2019-12``, ``2019-W50-WE``, ``2019-12-13T15:30``) or TIMEX3
reference values (``PAST_REF``); DURATION and SET values come from ``durations``.

Values never say more than the text: "Dezember 2015" is ``2015-12`` (month
granularity), not a day. Relative expressions ("gestern", "vergangene Woche",
"am Montag") need a reference date, the document's ``published`` date or
``--reference-date``; without one their value stays null, never today's date.

Year inference for partial dates ("am 9. Dezember", "im Oktober"), documented rule:
take the occurrence nearest to the reference date; if the sentence is clearly in
the past tense and that occurrence lies after the reference date, take the one
before it; if it is clearly about the future and the occurrence lies before, take
the one after it. "im vergangenen Oktober" is always the last October before the
reference; "im kommenden Mai" the next May after it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from spacy.tokens import Span

from pipeline.german import MONTHS, NUMBER_WORDS, WEEKDAYS, month_number
from pipeline.nlp import timex_words as lex
from pipeline.nlp.dates import TEMPORAL_LABELS
from pipeline.normalise.durations import normalise_duration, normalise_set
from pipeline.normalise.stages import Extraction, register_stage
from pipeline.normalise.tense import sentence_of, tense_of, tense_of_span

SEASONS = {"frühling": "SP", "frühjahr": "SP", "sommer": "SU", "herbst": "FA", "winter": "WI"}
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
DAYPARTS = {
    "morgen": "MO", "morgens": "MO", "früh": "MO", "vormittag": "MO", "vormittags": "MO",
    "mittag": "MI", "mittags": "MI", "nachmittag": "AF", "nachmittags": "AF",
    "abend": "EV", "abends": "EV", "nacht": "NI", "nachts": "NI", "mitternacht": "NI",
}  # fmt: skip
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_SEP = re.compile(r"\s*(?:–|—|-|/|\bbis\b|\bund\b)\s*")


@dataclass(frozen=True)
class DateValue:
    """A normalised date expression."""

    value: str | None
    granularity: str | None
    start: date | None = None
    end: date | None = None
    is_relative: bool = False


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _year(text: str, reference: date | None = None) -> int:
    """A written year; two digits take the century that puts it nearest to the reference date
    (without one, the 20th: "1.9.39" in a history text is 1939)."""
    value = int(text)
    if len(text) > 2:
        return value
    if reference is None:
        return 1900 + value
    century = reference.year // 100 * 100
    return min((century - 100 + value, century + value, century + 100 + value), key=lambda y: abs(y - reference.year))


def day_value(day: date, relative: bool = False) -> DateValue:
    return DateValue(day.isoformat(), "day", day, day, relative)


def month_value(year: int, month: int, relative: bool = False) -> DateValue:
    return DateValue(f"{year:04d}-{month:02d}", "month", date(year, month, 1), _month_end(year, month), relative)


def year_value(year: int, relative: bool = False) -> DateValue:
    return DateValue(f"{year:04d}", "year", date(year, 1, 1), date(year, 12, 31), relative)


def week_value(day: date, relative: bool = True) -> DateValue:
    iso = day.isocalendar()
    monday = day - timedelta(days=day.weekday())
    return DateValue(f"{iso.year:04d}-W{iso.week:02d}", "week", monday, monday + timedelta(days=6), relative)


def weekend_value(saturday: date, relative: bool = True) -> DateValue:
    """TIMEX3 ``2019-W50-WE``: Saturday and Sunday of that ISO week."""
    iso = saturday.isocalendar()
    return DateValue(f"{iso.year:04d}-W{iso.week:02d}-WE", "weekend", saturday, saturday + timedelta(days=1), relative)


def _weekend_saturday(reference: date, tense: int) -> date:
    """ "am Wochenende": the one the reference lies in, else the last (past tense) or next one;
    without a tense, Monday to Wednesday look back and Thursday to Friday ahead."""
    if reference.weekday() >= 5:
        return reference - timedelta(days=reference.weekday() - 5)
    previous = reference - timedelta(days=reference.weekday() + 2)
    upcoming = previous + timedelta(weeks=1)
    if tense < 0:
        return previous
    if tense > 0:
        return upcoming
    return previous if reference.weekday() <= 2 else upcoming


def reference_value(word: str) -> DateValue:
    """Deictic words without a calendar value: ``PRESENT_REF``, ``PAST_REF``, ``FUTURE_REF``."""
    return DateValue(word, "reference", is_relative=True)


def century_value(century: int, relative: bool = False) -> DateValue:
    """ "19. Jahrhundert" is century 18 in TIMEX3 (``18``: the years 1800-1899)."""
    return DateValue(
        f"{century:02d}", "century", date(max(century * 100, 1), 1, 1), date(century * 100 + 99, 12, 31), relative
    )


def decade_value(decade: int, relative: bool = False) -> DateValue:
    """ "die 1990er Jahre" -> ``199``."""
    return DateValue(f"{decade // 10:03d}", "decade", date(decade, 1, 1), date(decade + 9, 12, 31), relative)


def season_value(year: int, code: str, relative: bool = False) -> DateValue:
    first, last = SEASON_MONTHS[code]
    end_year = year + 1 if code == "WI" else year
    return DateValue(f"{year:04d}-{code}", "season", date(year, first, 1), _month_end(end_year, last), relative)


def quarter_value(year: int, quarter: int, half: bool = False, relative: bool = False) -> DateValue:
    if half:
        first = 1 if quarter == 1 else 7
        return DateValue(
            f"{year:04d}-H{quarter}", "half_year", date(year, first, 1), _month_end(year, first + 5), relative
        )
    first = 3 * (quarter - 1) + 1
    return DateValue(f"{year:04d}-Q{quarter}", "quarter", date(year, first, 1), _month_end(year, first + 2), relative)


def infer_year(month: int, day: int | None, reference: date, tense: int) -> int:
    """Year of a partial date by the documented nearest-occurrence rule."""
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            point = date(year, month, day or 15)
        except ValueError:
            continue
        candidates.append((abs((point - reference).days), year, point))
    _, year, point = min(candidates)
    if day is None and month == reference.month:
        return reference.year
    if tense < 0 and point > reference:
        year -= 1
    elif tense > 0 and point < reference:
        year += 1
    return year


def _part_of(value: DateValue, part: str) -> DateValue:
    """ "Anfang"/"Mitte"/"Ende" narrow start and end to a third of the period."""
    if value.start is None or value.end is None:
        return value
    length = (value.end - value.start).days + 1
    third = max(length // 3, 1)
    if part in ("anfang", "anfangs", "beginn", "start"):
        return DateValue(
            value.value, value.granularity, value.start, value.start + timedelta(days=third - 1), value.is_relative
        )
    if part == "mitte":
        return DateValue(
            value.value,
            value.granularity,
            value.start + timedelta(days=third),
            value.end - timedelta(days=third),
            value.is_relative,
        )
    return DateValue(
        value.value, value.granularity, value.end - timedelta(days=third - 1), value.end, value.is_relative
    )


_MONTH_GENITIVE = re.compile(r"\b({})s\b".format("|".join(m.removesuffix("s") for m in lex.MONTH_GENITIVES)))


def _half_of(value: DateValue, first: bool) -> DateValue:
    """ "erste Hälfte des 15. Jahrhunderts": the value stays, start and end narrow to that half."""
    if value.start is None or value.end is None:
        return value
    middle = value.start + (value.end - value.start) / 2
    if first:
        return DateValue(value.value, value.granularity, value.start, middle, value.is_relative)
    return DateValue(value.value, value.granularity, middle + timedelta(days=1), value.end, value.is_relative)


def _number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def _relative_unit(unit: str, offset: int, reference: date) -> DateValue | None:
    unit = unit.lower()
    if unit.startswith("woche") and not unit.startswith("wochenende"):
        return week_value(reference + timedelta(weeks=offset))
    if unit.startswith("wochenende"):
        saturday = reference + timedelta(
            days=(5 - reference.weekday()) % 7 if offset >= 0 else -((reference.weekday() - 5) % 7 or 7)
        )
        saturday += timedelta(weeks=max(offset - 1, 0)) if offset > 0 else timedelta(0)
        return weekend_value(saturday)
    if unit.startswith("monat"):
        year, month = _shift_month(reference.year, reference.month, offset)
        return month_value(year, month, True)
    if unit.startswith("jahrzehnt"):
        decade = (reference.year // 10 + offset) * 10
        return DateValue(f"{decade // 10:03d}", "decade", date(decade, 1, 1), date(decade + 9, 12, 31), True)
    if unit.startswith("jahr") or unit == "saison":
        return year_value(reference.year + offset, True)
    if unit.startswith("quartal"):
        quarter = (reference.month - 1) // 3 + 1 + offset
        year = reference.year + (quarter - 1) // 4
        return quarter_value(year, (quarter - 1) % 4 + 1, relative=True)
    if unit.startswith("halbjahr"):
        half = (reference.month - 1) // 6 + 1 + offset
        year = reference.year + (half - 1) // 2
        return quarter_value(year, (half - 1) % 2 + 1, half=True, relative=True)
    if unit.startswith("tag"):
        return day_value(reference + timedelta(days=offset), True)
    return None


_OFFSET_WORDS = {
    "vergangene": -1, "vergangenen": -1, "vergangenes": -1, "letzte": -1, "letzten": -1, "letztes": -1,
    "vorigen": -1, "voriges": -1, "vorletzten": -2, "kommende": 1, "kommenden": 1, "kommendes": 1,
    "nächste": 1, "nächsten": 1, "nächstes": 1, "übernächsten": 2, "diese": 0, "diesen": 0, "dieses": 0,
    "diesem": 0, "dieser": 0, "laufenden": 0, "laufendes": 0, "jetzigen": 0, "aktuellen": 0,
}  # fmt: skip
_REL_DAYS = {"heute": 0, "gestern": -1, "vorgestern": -2, "morgen": 1, "übermorgen": 2}


_VAGUE_PLURALS = {"jahre", "jahren", "monate", "monaten", "wochen", "tage", "tagen", "jahrzehnte", "jahrzehnten"}


def _day_of_month(day: int, reference: date, tense: int, weekday: int | None = None) -> date:
    """ "Samstag, 30.": that day in a month near the reference, on the right weekday if one is."""
    candidates = []
    for delta in (-1, 0, 1):
        year, month = _shift_month(reference.year, reference.month, delta)
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    matching = [c for c in candidates if weekday is None or c.weekday() == weekday]
    candidates = matching or candidates
    if tense < 0:
        past = [c for c in candidates if c <= reference]
        candidates = past or candidates
    elif tense > 0:
        future = [c for c in candidates if c >= reference]
        candidates = future or candidates
    return min(candidates, key=lambda c: abs((c - reference).days))


def _easter(year: int) -> date:
    from dateutil.easter import easter

    return easter(year)


HOLIDAYS_FIXED = {
    "neujahr": (1, 1), "neujahrstag": (1, 1), "heiligabend": (12, 24), "heiligen abend": (12, 24),
    "weihnachten": (12, 25), "weihnachtstag": (12, 25), "1. weihnachtsfeiertag": (12, 25),
    "ersten weihnachtsfeiertag": (12, 25), "2. weihnachtsfeiertag": (12, 26), "zweiten weihnachtsfeiertag": (12, 26),
    "weihnachtsabend": (12, 24), "silvester": (12, 31), "tag der deutschen einheit": (10, 3), "tag der arbeit": (5, 1),
    "allerheiligen": (11, 1), "reformationstag": (10, 31), "nikolaus": (12, 6), "nikolaustag": (12, 6),
    "valentinstag": (2, 14), "heilige drei könige": (1, 6), "mariä himmelfahrt": (8, 15),
}  # fmt: skip
HOLIDAYS_EASTER = {
    "ostern": 0, "ostersonntag": 0, "ostermontag": 1, "karfreitag": -2, "gründonnerstag": -3, "karsamstag": -1,
    "pfingsten": 49, "pfingstsonntag": 49, "pfingstmontag": 50, "himmelfahrt": 39, "christi himmelfahrt": 39,
    "fronleichnam": 60, "rosenmontag": -48, "faschingsdienstag": -47, "fastnachtsdienstag": -47,
    "aschermittwoch": -46, "weiberfastnacht": -52,
}  # fmt: skip


HOLIDAY_NAMES = frozenset(HOLIDAYS_FIXED) | frozenset(HOLIDAYS_EASTER)


def _holiday(low: str, reference: date | None, tense: int = 0) -> DateValue | None:
    """Named holidays, movable feasts counted from Easter; the year from the text or the reference."""
    m = re.fullmatch(r"(.+?)(?:\s+(\d{4}))?", low)
    name = m[1] if m else low
    if name not in HOLIDAYS_FIXED and name not in HOLIDAYS_EASTER:
        return None

    def on(year: int) -> date:
        if name in HOLIDAYS_FIXED:
            return date(year, *HOLIDAYS_FIXED[name])
        return _easter(year) + timedelta(days=HOLIDAYS_EASTER[name])

    if m and m[2]:
        return day_value(on(int(m[2])))
    if reference is None:
        return DateValue(None, "day", is_relative=True)
    candidates = [on(year) for year in (reference.year - 1, reference.year, reference.year + 1)]
    if tense < 0:
        candidates = [c for c in candidates if c <= reference]
    elif tense > 0:
        candidates = [c for c in candidates if c >= reference]
    return day_value(min(candidates, key=lambda c: abs((c - reference).days)), relative=True)


def _weekday_date(weekday: int, reference: date, tense: int, offset: int | None) -> date:
    if offset is not None and offset != 0:
        base = reference + timedelta(weeks=offset)
        return base + timedelta(days=weekday - base.weekday())
    back = (reference.weekday() - weekday) % 7
    forward = (weekday - reference.weekday()) % 7
    if back == 0:
        return reference
    # News report what happened: without a future marker a bare weekday is the most recent one.
    if tense > 0:
        return reference + timedelta(days=forward)
    return reference - timedelta(days=back)


# Anaphoric expressions count from the narrative time: the last date the text resolved
# ("1983 ... drei Jahre später" -> 1986), not from the publication date.
_ANAPHORIC_OFFSETS = {
    "selben": 0, "gleichen": 0, "demselben": 0, "desselben": 0, "folgenden": 1, "darauffolgenden": 1,
    "nachfolgenden": 1, "nächsten": 1, "vorangegangenen": -1, "vorhergehenden": -1, "neuen": 1,
}  # fmt: skip
_AFTER_WORDS = {"später": 1, "danach": 1, "darauf": 1, "zuvor": -1, "vorher": -1, "davor": -1, "früher": -1}
_GRANULARITY_RANK = {"day": 0, "week": 1, "month": 2, "quarter": 3, "half_year": 3, "season": 3, "year": 4}


@dataclass(frozen=True)
class Anchor:
    """The narrative time: a resolved date and how precisely the text gave it."""

    day: date
    granularity: str

    @classmethod
    def of(cls, value: DateValue) -> Anchor | None:
        """The anchor a resolved mention sets (a range anchors at its end)."""
        if value.value is None or value.start is None or value.granularity not in _GRANULARITY_RANK:
            return None
        return cls(value.end if "/" in value.value and value.end else value.start, value.granularity)


def _from_anchor(unit: str, offset: int, anchor: Anchor | None) -> DateValue:
    """``offset`` units from the anchor; null when the anchor is coarser than the unit ("1983 ... am Tag darauf")."""
    granularity = _granularity_of_unit(unit)
    if anchor is None or granularity is None or _GRANULARITY_RANK[granularity] < _GRANULARITY_RANK[anchor.granularity]:
        return DateValue(None, granularity, is_relative=True)
    return _relative_unit(unit, offset, anchor.day) or DateValue(None, granularity, is_relative=True)


def anchor_value(anchor: Anchor) -> DateValue:
    """The narrative time itself, at its granularity ("zu dieser Zeit")."""
    day = anchor.day
    if anchor.granularity == "day":
        return day_value(day, True)
    if anchor.granularity == "month":
        return month_value(day.year, day.month, True)
    if anchor.granularity == "week":
        return week_value(day)
    return year_value(day.year, True)


def normalise_anaphoric(low: str, anchor: Anchor | None) -> DateValue | None:
    """ "drei Jahre später", "im Jahr darauf", "am folgenden Tag", "im selben Jahr", "im Vorjahr";
    None if not anaphoric."""
    if low in lex.ANAPHORIC_NOUNS:
        unit, offset = lex.ANAPHORIC_NOUNS[low]
        return _from_anchor(unit, offset, anchor)
    if low in ("dieser zeit", "jener zeit"):
        return anchor_value(anchor) if anchor else DateValue(None, None, is_relative=True)
    if m := re.fullmatch(
        r"(?:etwa\s+|knapp\s+|rund\s+)?ein(?:em|es)?\s+halbes\s+jahr\s+(später|danach|zuvor|vorher)", low
    ):
        return _from_anchor("monat", 6 * _AFTER_WORDS[m[1]], anchor)
    if m := re.fullmatch(
        r"(?:etwa\s+|knapp\s+|rund\s+|gut\s+)?(\w+)\s+(tag|woche|monat|jahr)\w*\s+(später|danach|darauf|zuvor|vorher|davor|früher)",
        low,
    ):
        amount = _number(m[1])
        if amount is None:
            return DateValue(None, _granularity_of_unit(m[2]), is_relative=True)
        return _from_anchor(m[2], _AFTER_WORDS[m[3]] * amount, anchor)
    if m := re.fullmatch(r"(tag|woche|monat|jahr)\w*\s+(darauf|danach|zuvor|vorher|davor)", low):
        return _from_anchor(m[1], _AFTER_WORDS[m[2]], anchor)
    m = re.fullmatch(r"(?:des\s+|der\s+)?(\w+)\s+(tag|tages|woche|monat|monats|jahr|jahres|quartal\w*)", low)
    if (
        m
        and m[1] in _ANAPHORIC_OFFSETS
        and (m[1] != "nächsten" or m[2].startswith("tag"))
        and (m[1] != "neuen" or m[2].startswith("jahr"))
    ):
        return _from_anchor(m[2], _ANAPHORIC_OFFSETS[m[1]], anchor)
    if m := re.fullmatch(r"(.+?)\s+(?:des\s*)?(selben|gleichen|folgenden|darauffolgenden)\s+jahres", low):
        offset = _ANAPHORIC_OFFSETS[m[2]]
        if anchor is None:
            return DateValue(None, None, is_relative=True)
        inner = normalise_single(f"{m[1]} {anchor.day.year + offset}", None)
        return DateValue(inner.value, inner.granularity, inner.start, inner.end, True)
    return None


def _normalise_era(low: str) -> DateValue | None:
    """ "44 v. Chr." -> ``BC0044`` (TIMEX3), "15. März 44 v. Chr." -> ``BC0044-03-15``, "3. Jh. v. Chr." -> ``BC02``.

    Years are taken literally (no two-digit expansion); AD years drop the era.
    """
    m = re.fullmatch(r"(.+?)\s*(v\.|vor|n\.|nach)\s*(?:chr\.|christus)", low)
    if m is None:
        return None
    body, before_christ = m[1].strip(), m[2] in ("v.", "vor")
    prefix = "BC" if before_christ else ""
    if c := re.fullmatch(r"(\d{1,2})\.\s*(?:jahrhundert\w*|jh\.?)", body):
        return DateValue(f"{prefix}{int(c[1]) - 1:02d}", "century")
    d = re.fullmatch(rf"(?:(?:(\d{{1,2}})\.\s*)?({_MONTH_RE})\.?\s+)?(\d{{1,4}})", body)
    if d is None:
        return None
    year = int(d[3])
    month = month_number(d[2]) if d[2] else None
    day = int(d[1]) if d[1] else None
    value = f"{prefix}{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")
    granularity = "day" if day else "month" if month else "year"
    if before_christ or year < 1:
        return DateValue(value, granularity)
    if day:
        return day_value(date(year, month, day))
    return month_value(year, month) if month else year_value(year)


_SLASH_DATE = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4}|\d{2})")


def _slash_date(first: int, second: int, year: int, reference: date | None) -> date:
    """ "12/09/15": day first (German), month first only when the day cannot be a month or the
    release date says so ("12/09/15" in a release of 10 December 2015 is US-style 9 December)."""
    readings = []
    for day, month in ((first, second), (second, first)):
        try:
            readings.append(date(year, month, day))
        except ValueError:
            continue
    if not readings:
        raise ValueError(f"no day in {first}/{second}/{year}")
    if reference is None or len(readings) == 1:
        return readings[0]
    return min(readings, key=lambda day: abs((day - reference).days))


def normalise_single(text: str, reference: date | None, tense: int = 0, before: str = "") -> DateValue:
    """One date expression (no range) to a :class:`DateValue`."""
    raw = " ".join(text.split())
    low = _MONTH_GENITIVE.sub(lambda m: m[1], raw.lower())
    # "Jahr 2001", "April des Jahres 1918", "Sommer des Jahres 2005": the year decides.
    low = re.sub(r"^(?:im\s+|das\s+|dem\s+)?jahr(?:e|es|s)?\s+(?=\d)", "", low)
    low = re.sub(r"\s+des\s+jahr(?:es|s)\s+(?=\d{3,4}$)", " ", low)
    if low in lex.REFERENCE_WORDS:
        return reference_value(lex.REFERENCE_WORDS[low])
    if low.split()[-1:] and low.split()[-1] in lex.REFERENCE_NOUNS and len(low.split()) <= 3:
        return reference_value(lex.REFERENCE_NOUNS[low.split()[-1]])  # "Zukunft", "naher Zukunft"
    if low in ("vor kurzem", "seit kurzem", "kurzem"):
        return reference_value("PAST_REF")
    if low == "heuer":
        return year_value(reference.year, True) if reference else DateValue(None, "year", is_relative=True)
    if low in ("wochenende", "wochenendes"):
        if reference is None:
            return DateValue(None, "weekend", is_relative=True)
        return weekend_value(_weekend_saturday(reference, tense))
    if m := re.fullmatch(
        r"(.+?)\s+(?:des\s+)?(dieses|diesen|letzten|vergangenen|vorigen|nächsten|kommenden|laufenden)\s+jahr(?:es|s)",
        low,
    ):
        if reference is None:
            return DateValue(None, None, is_relative=True)
        inner = normalise_single(f"{m[1]} {reference.year + _OFFSET_WORDS[m[2]]:04d}", None)
        return DateValue(inner.value, inner.granularity, inner.start, inner.end, True)
    # Weekday in front of a full date: the date decides.
    low = re.sub(
        r"^(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag)\s*,?\s*(?:den\s+)?(?=\d)", "", low
    )
    low = re.sub(r"^(?:mo|di|mi|do|fr|sa|so)\.?,\s*(?=\d)", "", low)
    if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.\s?(\d{4}|\d{2})", low):
        return day_value(date(_year(m[3], reference), int(m[2]), int(m[1])))
    if m := _SLASH_DATE.fullmatch(low):
        return day_value(_slash_date(int(m[1]), int(m[2]), _year(m[3], reference), reference))
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:t[\d:.]+(?:z|[+-]\d{2}:?\d{2})?)?", low):
        return day_value(date(int(m[1]), int(m[2]), int(m[3])))
    if m := re.fullmatch(
        r"(?:kw|kalenderwoche)\s*(\d{1,2})(?:\s*/?\s*(\d{4}))?|(\d{1,2})\.\s*(?:kw|kalenderwoche)(?:\s+(\d{4}))?", low
    ):
        week, year = (m[1], m[2]) if m[1] else (m[3], m[4])
        if year is None and reference is None:
            return DateValue(f"XXXX-W{int(week):02d}", "week", is_relative=True)
        year_no = int(year) if year else reference.isocalendar().year
        monday = date.fromisocalendar(year_no, int(week), 1)
        return DateValue(f"{year_no:04d}-W{int(week):02d}", "week", monday, monday + timedelta(days=6), year is None)
    if m := re.fullmatch(r"jahres(anfang|beginn|mitte|ende|wechsel)(?:\s+(\d{4}))?", low):
        if m[2] is None and reference is None:
            return DateValue(None, "year", is_relative=True)
        year = int(m[2]) if m[2] else reference.year
        if m[1] == "wechsel":
            return DateValue(
                f"{year:04d}-12-31/{year + 1:04d}-01-01", "day", date(year, 12, 31), date(year + 1, 1, 1), m[2] is None
            )
        return _part_of(year_value(year, m[2] is None), {"beginn": "anfang"}.get(m[1], m[1]))
    if holiday := _holiday(low, reference, tense):
        return holiday
    if m := re.fullmatch(
        rf"({_MONTH_RE})\s+(vorigen|letzten|vergangenen|dieses|diesen|laufenden|nächsten|kommenden)\s+jahres", low
    ):
        if reference is None:
            return DateValue(f"XXXX-{month_number(m[1]):02d}", "month", is_relative=True)
        return month_value(reference.year + _OFFSET_WORDS[m[2]], month_number(m[1]), True)
    if re.fullmatch(r"(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag)s", low):
        return DateValue(None, None)  # "mittwochs": every Wednesday, not a date
    if m := re.fullmatch(
        r"(montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag)\s*,?\s*(?:den\s+)?(\d{1,2})\.",
        text.lower().strip(),
    ):
        if reference is None:
            return DateValue(None, "day", is_relative=True)
        return day_value(_day_of_month(int(m[2]), reference, tense, WEEKDAYS[m[1]]), True)
    if m := re.fullmatch(rf"(\d{{1,2}})\.\s*({_MONTH_RE})\.?\s*(\d{{4}})", low):
        return day_value(date(int(m[3]), month_number(m[2]), int(m[1])))
    if m := re.fullmatch(rf"({_MONTH_RE})\.?\s*(\d{{4}})", low):
        return month_value(int(m[2]), month_number(m[1]))
    if m := re.fullmatch(r"(?:saison\s+)?(\d{4})", low):
        return year_value(int(m[1]))
    if m := re.fullmatch(r"(?:(?:der|den|die)\s+)?(?:frühen\s+|späten\s+)?(\d{2})(\d)0er(?:[\s-]+jahr\w*)?", low):
        return decade_value(int(m[1] + m[2] + "0"))
    if m := re.fullmatch(r"(?:(?:der|den|die)\s+)?(?:frühen\s+|späten\s+)?(\d)0er(?:[\s-]+jahr\w*)?", low):
        return decade_value(1900 + int(m[1]) * 10)  # "die 20er Jahre"
    if m := re.fullmatch(r"(?:(?:der|den|die)\s+)?({})\s+jahr\w*".format("|".join(lex.DECADE_WORDS)), low):
        return decade_value(1900 + lex.DECADE_WORDS[m[1]] * 10)  # "die fünfziger Jahre": the 20th century's
    if m := re.fullmatch(r"(?:des\s+)?(\d{1,2})\.\s*(?:jahrhundert\w*|jh\.?)", low):
        return century_value(int(m[1]) - 1)
    if m := re.fullmatch(r"(\w+)\s+jahrhundert\w*", low):
        if m[1] in _OFFSET_WORDS and reference is not None:
            return century_value(reference.year // 100 + _OFFSET_WORDS[m[1]], True)
        if m[1] in _OFFSET_WORDS:
            return DateValue(None, "century", is_relative=True)
    if m := re.fullmatch(r"(erste[nmrs]?|zweite[nmrs]?|letzte[nmrs]?)\s+hälfte\s+(?:des|der)\s+(.+)", low):
        return _half_of(normalise_single(m[2], reference, tense, before), m[1].startswith("erst"))
    if m := re.fullmatch(r"(?:q([1-4])\s*(\d{4})|q([1-4])/(\d{2,4}))", low):
        quarter, year = (m[1], m[2]) if m[1] else (m[3], m[4])
        return quarter_value(_year(year, reference), int(quarter))
    if m := re.fullmatch(r"(anfang|anfangs|mitte|ende|beginn|start|ausgang)\s+(.+)", low):
        inner = normalise_single(re.sub(r"^(?:des|der)\s+(?=\d|\w+er\s+jahre)", "", m[2]), reference, tense, before)
        return _part_of(inner, m[1])
    if m := re.fullmatch(
        r"(erste[nms]?|zweite[nms]?|dritte[nms]?|vierte[nms]?|letzte[nms]?|[1-4]\.)\s+(quartal\w*|halbjahr\w*|jahreshälfte|hälfte)(?:\s+(\d{4}))?",
        low,
    ):
        ordinal = {"erst": 1, "zwei": 2, "drit": 3, "vier": 4, "letz": -1}.get(m[1][:4])
        ordinal = int(m[1][0]) if m[1][0].isdigit() else ordinal
        half = not m[2].startswith("quartal")
        if ordinal == -1:
            ordinal = 2 if half else 4
        if m[3]:
            return quarter_value(int(m[3]), ordinal, half)
        if reference is None:
            return DateValue(
                f"XXXX-{'H' if half else 'Q'}{ordinal}", "half_year" if half else "quarter", is_relative=True
            )
        value = quarter_value(reference.year, ordinal, half, relative=True)
        return value
    if era := _normalise_era(low):
        return era
    if m := re.fullmatch(r"(frühling|frühjahr|sommer|herbst|winter)\s+(\d{4})\s*/\s*(\d{2}|\d{4})", low):
        return season_value(int(m[2]), SEASONS[m[1]])  # "Winter 1941/42"
    season_match = re.fullmatch(
        r"(?:(\w+)\s+)?(?:früh|spät|hoch)?(frühling|frühjahr|sommer|herbst|winter)s?\w*(?:\s+(\d{4}))?", low
    )
    if season_match and (season_match[1] is None or season_match[1] in _OFFSET_WORDS):
        code = SEASONS[season_match[2]]
        if season_match[3]:
            return season_value(int(season_match[3]), code)
        if reference is None:
            return DateValue(f"XXXX-{code}", "season", is_relative=True)
        offset = _OFFSET_WORDS.get(season_match[1] or "")
        mid_month = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}[code]
        year = infer_year(mid_month, None, reference, -1 if offset == -1 else 1 if offset == 1 else tense)
        if code == "WI" and reference.month >= 11 and offset is None:
            year = reference.year + 1
        return season_value(year - (1 if code == "WI" else 0), code, relative=True)
    if m := re.fullmatch(rf"(\d{{1,2}})\.\s*({_MONTH_RE})\.?", low):
        month, day = month_number(m[2]), int(m[1])
        if reference is None:
            return DateValue(f"XXXX-{month:02d}-{day:02d}", "day", is_relative=True)
        return day_value(date(infer_year(month, day, reference, tense), month, day), True)
    if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.", low):
        day, month = int(m[1]), int(m[2])
        if reference is None:
            return DateValue(f"XXXX-{month:02d}-{day:02d}", "day", is_relative=True)
        return day_value(date(infer_year(month, day, reference, tense), month, day), True)
    if m := re.fullmatch(rf"(?:(\w+)\s+)?({_MONTH_RE})", low):
        month = month_number(m[2])
        offset = _OFFSET_WORDS.get(m[1] or "")
        if reference is None:
            return DateValue(f"XXXX-{month:02d}", "month", is_relative=True)
        if offset is not None and offset != 0:
            year = reference.year + (0 if (offset < 0) == (month < reference.month) else offset)
            if offset < 0 and month >= reference.month:
                year = reference.year - 1
            if offset > 0 and month <= reference.month:
                year = reference.year + 1
            return month_value(year, month, True)
        return month_value(infer_year(month, None, reference, tense), month, True)
    if (m := re.fullmatch(r"(\w+)\s+(?:tag|tage|tages|\w+tag|mittwoch|sonnabend)", low)) and m[
        1
    ] in lex.RELATIVE_DAY_FORMS:
        low = lex.RELATIVE_DAY_FORMS[m[1]]  # "morgigen Sonntag", "vorgestrigen Tage": the day word decides
    if low in _REL_DAYS:
        return (
            day_value(reference + timedelta(days=_REL_DAYS[low]), True)
            if reference
            else DateValue(None, "day", is_relative=True)
        )
    weekday_match = re.fullmatch(
        r"(?:(\w+)\s+)?(?:(?:woche|monat)\s+)?(?:am\s+)?(montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag)s?\w*",
        low,
    )
    if weekday_match:
        if reference is None:
            return DateValue(None, "day", is_relative=True)
        offset = _OFFSET_WORDS.get(weekday_match[1] or "")
        day = _weekday_date(
            WEEKDAYS[weekday_match[2]],
            reference,
            -1 if offset == -1 else tense,
            offset if offset not in (-1, None) else None,
        )
        if offset == -1 and day == reference:
            day -= timedelta(weeks=1)  # "vergangenen Freitag" written on a Friday: a week ago, not today
        return day_value(day, True)
    if m := re.fullmatch(r"(\w+)\s+(\w+)", low):
        if m[1] in _OFFSET_WORDS and m[2] in _VAGUE_PLURALS:
            return DateValue(None, None)  # "in den letzten Jahren": a vague period, not a date
        if m[1] in _OFFSET_WORDS:
            if reference is None:
                return DateValue(None, _granularity_of_unit(m[2]), is_relative=True)
            value = _relative_unit(m[2], _OFFSET_WORDS[m[1]], reference)
            if value is not None:
                return value
    if m := re.fullmatch(
        r"(?:(vor|in)\s+)?(?:(?:knapp|rund|etwa|fast|gut|über|circa|ca\.)\s+)?(\w+)\s+(tag\w*|woche\w*|monat\w*|jahr\w*)",
        low,
    ):
        direction = m[1] or before.lower()
        amount = _number(m[2])
        if amount is not None and direction in ("vor", "in"):
            if reference is None:
                return DateValue(None, _granularity_of_unit(m[3]), is_relative=True)
            sign = -1 if direction == "vor" else 1
            return _relative_unit(m[3], sign * amount, reference) or DateValue(None, None, is_relative=True)
    if m := re.fullmatch(r"(?:(?:des|der)\s+)?(?:(\w+)\s+)?(woche|monats|jahres|jahrs|jahr|monat|tag)", low):
        offset = _OFFSET_WORDS.get(m[1] or "", 0) if m[1] is None or m[1] in _OFFSET_WORDS else None
        if offset is not None:
            if reference is None:
                return DateValue(None, _granularity_of_unit(m[2]), is_relative=True)
            return _relative_unit(m[2], offset, reference) or DateValue(None, None)
    return DateValue(None, None)


def _granularity_of_unit(unit: str) -> str | None:
    unit = unit.lower()
    for prefix, name in (
        ("woche", "week"),
        ("monat", "month"),
        ("jahr", "year"),
        ("tag", "day"),
        ("quartal", "quarter"),
    ):
        if unit.startswith(prefix):
            return name
    return None


def range_parts(text: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Character offsets of the two ends of a range in ``text`` ("1983 bis 1990", "1911/12"), else None."""
    if m := re.fullmatch(r"(\d{4})/(\d{2}|\d{4})", text):
        return m.span(1), m.span(2)
    if re.search(r"\d{4}-\d{2}-\d{2}", text) or text.lower().startswith("saison"):
        return None
    sep = _SEP.search(text)
    if sep is None or sep.start() == 0 or sep.end() == len(text):
        return None
    return (0, sep.start()), (sep.end(), len(text))


def _split_range(text: str) -> tuple[str, str] | None:
    low = " ".join(text.split())
    if re.fullmatch(r"saison \d{4}/\d{2,4}", low.lower()):
        low = low[len("saison ") :]
    parts = range_parts(low)
    if parts is None:
        return None
    (ls, le), (rs, re_) = parts
    left, right = low[ls:le].strip(), low[rs:re_].strip()
    if re.fullmatch(r"\d{4}", left) and re.fullmatch(r"\d{2}", right):
        right = left[:2] + right  # "1911/12"
    return left, right


def _complete_left(left: str, right: str) -> str:
    """ "3." + "5. Mai 2020" -> "3. Mai 2020"; "Januar" + "März 2020" -> "Januar 2020"."""
    if re.fullmatch(r"\d{1,2}\.", left):
        if m := re.fullmatch(rf"\d{{1,2}}\.\s*((?:{_MONTH_RE})\.?(?:\s+\d{{4}})?)", right, flags=re.I):
            return f"{left} {m[1]}"
        if m := re.fullmatch(r"\d{1,2}\.(\d{1,2}\.(?:\d{2,4})?)", right):
            return f"{left}{m[1]}"
    if re.fullmatch(r"\d{1,2}\.\d{1,2}\.", left) and (m := re.fullmatch(r"\d{1,2}\.\d{1,2}\.(\d{2,4})", right)):
        return f"{left}{m[1]}"
    if re.fullmatch(rf"(?:{_MONTH_RE})\.?", left, flags=re.I) and (m := re.search(r"(\d{4})$", right)):
        return f"{left} {m[1]}"
    if re.fullmatch(rf"\d{{1,2}}\.\s*(?:{_MONTH_RE})\.?", left, flags=re.I) and (m := re.search(r"(\d{4})$", right)):
        return f"{left} {m[1]}"
    return left


def normalise_range(text: str, reference: date | None, tense: int = 0) -> tuple[DateValue, DateValue] | None:
    """The two ends of a range ("3. bis 5. Mai 2020", "zwischen Mai und September"), each completed
    from the other; None when ``text`` is no range or an end has no value."""
    split = _split_range(text)
    if not split:
        return None
    left_text, right_text = split
    right = normalise_single(right_text, reference, tense)
    left = normalise_single(_complete_left(left_text, right_text), reference, tense)
    left_month = month_number(left_text) if re.fullmatch(rf"(?:{_MONTH_RE})\.?", left_text.lower()) else None
    if left_month and left.is_relative and right.start is not None:
        # "zwischen Mai und September": the range ends where the text resolves its end.
        left = month_value(right.start.year - (left_month > right.start.month), left_month, True)
    if not (left.value and right.value):
        return None
    return left, right


_YEAR_IN_TEXT = re.compile(r"\b(1\d{3}|20\d{2})\b")


def means_nowadays(sentence: str, before: str, reference: date) -> bool:
    """ "heute" as "nowadays" (PRESENT_REF), not the release day: its sentence sets it against an earlier
    time ("Früher war hier ein Hafen, heute ...", "1950 lebten hier 300 Menschen, heute ...") or it
    follows "von" ("die Jugend von heute")."""
    if before.lower() in lex.NOWADAYS_BEFORE:
        return True
    if re.search(r"\d\s*Uhr\b|\d[:.]\d\d\b", sentence):
        return False  # "Heute um 19.30 Uhr": a day with a clock time
    words = {w.lower() for w in re.findall(r"\w+", sentence)}
    if words & lex.NOWADAYS_CONTRAST_WORDS:
        return True
    return any(int(y) <= reference.year - lex.NOWADAYS_CONTRAST_YEARS for y in _YEAR_IN_TEXT.findall(sentence))


def normalise_date(
    text: str,
    reference: date | None,
    context: str = "",
    before: str = "",
    anchor: Anchor | None = None,
    tense: int | None = None,
) -> DateValue:
    """A DATE span's text (ranges included) to its normalised value.

    ``anchor`` is the narrative time (the last date resolved before this mention); anaphoric
    expressions count from it, or from the reference date when the text has none yet. ``tense``
    is that of the governing clause (``tense.tense_of_span``); without it, that of ``context``.
    """
    tense = tense_of(context) if tense is None else tense
    try:
        low = " ".join(text.split()).lower()
        if low == "heute" and reference is not None and means_nowadays(context, before, reference):
            return reference_value("PRESENT_REF")
        fallback = Anchor(reference, "day") if reference is not None else None
        anaphoric = normalise_anaphoric(low, anchor or fallback)
        if anaphoric is not None:
            return anaphoric
        ends = normalise_range(text, reference, tense)
        if ends:
            left, right = ends
            return DateValue(
                f"{left.value}/{right.value}",
                left.granularity,
                left.start,
                right.end,
                left.is_relative or right.is_relative,
            )
        return normalise_single(text, reference, tense, before)
    except (ValueError, OverflowError):
        return DateValue(None, None)


# Relative to the moment of writing even in a narrative; without a reference date these stay null
# ("heute" and "jetzt" are the TIMEX3 PRESENT_REF).
_DEICTIC = re.compile(r"\b(?:gestern|vorgestern|morgen|übermorgen|aktuell\w*)\b|^(?:vor|in)\s")
_PRESENT = re.compile(r"^(?:heute|heutigen tag|heutzutage)$")
_NAMES_WEEKDAY = re.compile(r"\b(?:{})".format("|".join(WEEKDAYS)))
_DAY_OF_MONTH = re.compile(r"\d|\b(?:{})\b".format("|".join(MONTHS)))


def normalise_in_narrative(text: str, anchor: Anchor, before: str = "") -> DateValue:
    """A text without a reference date (a history article): partial dates take the narrative time.

    "1940 ... im Mai" -> 1940-05: the year of the last date the text gave (HeidelTime's narrative
    mode); a weekday the nearest one to a day the text gave, none after a coarser date ("1977 … Heute, Montag").
    "heute" is ``PRESENT_REF``; other deictic words
    ("vor zwei Jahren", "gestern") stay null: they refer to the unknown time of writing.
    """
    low = " ".join(text.split()).lower()
    if _PRESENT.match(low):
        return reference_value("PRESENT_REF")
    if _DEICTIC.search(low):
        return DateValue(None, None, is_relative=True)
    weekday = bool(_NAMES_WEEKDAY.search(low)) and not _DAY_OF_MONTH.search(low)  # "Montag", not "Montag, 5. Mai"
    if weekday and anchor.granularity not in ("day", "week"):
        return DateValue(None, "day", is_relative=True)  # "1977 … Heute, Montag": no day of a year is meant
    with_year = None if weekday else normalise_date(f"{text} {anchor.day.year:04d}", None)  # "Mai" + the year
    if with_year is not None and with_year.value is not None and "X" not in with_year.value:
        return DateValue(with_year.value, with_year.granularity, with_year.start, with_year.end, True)
    value = normalise_date(text, anchor.day, "", before, anchor)
    return DateValue(value.value, value.granularity, value.start, value.end, True)


def normalise_time(text: str) -> str | None:
    """ "15 Uhr" -> "15:00", "gegen 14.30 Uhr" -> "14:30", ranges "HH:MM/HH:MM", parts of day "EV"."""
    low = text.lower()
    clocks = re.findall(r"\b([01]?\d|2[0-4])(?:[:.]([0-5]\d))?\b(?!\.\d)", low)
    if clocks and re.search(r"\d", low) and re.search(r"uhr|\d[:.]\d\d|\bh\b", low):
        values = [f"{int(h) % 24:02d}:{m or '00'}" for h, m in clocks[:2]]
        return "/".join(values)
    for word in reversed(re.findall(r"\w+", low)):  # the last word: "morgen Abend" is an evening
        word = word.removesuffix("stunden")  # "Morgenstunden"
        if word in DAYPARTS:
            return DAYPARTS[word]
        if holiday := lex.holiday_part(word, HOLIDAY_NAMES):
            return DAYPARTS[holiday[1]]  # "Silvesternacht"
        if part := _WEEKDAY_PART.fullmatch(word):
            return DAYPARTS[part[2]]
    return None


_WEEKDAY_PART = re.compile(r"({})(morgen|vormittag|mittag|nachmittag|abend|nacht)".format("|".join(WEEKDAYS)))
_DAYPART_WORDS = r"(?:frühen\s+|späten\s+)?(?:morgen|vormittag|mittag|nachmittag|abend|nacht|mitternacht)\w*"


def day_text_of_time(text: str) -> str | None:
    """The date inside a TIME span: "Nacht des 14. August" -> "14. August", "Freitagabend" -> "Freitag"."""
    low = " ".join(text.split()).lower()
    if part := _WEEKDAY_PART.fullmatch(low):
        return part[1]
    if low in HOLIDAY_NAMES:
        return low  # "Weihnachtsabend" is 24 December
    if holiday := lex.holiday_part(low, HOLIDAY_NAMES):
        return holiday[0]  # "Neujahrsmorgen" -> "neujahr"
    if m := re.fullmatch(rf"(\w+)\s+(?:{_DAYPART_WORDS}|früh)", low):
        if m[1] in WEEKDAYS or m[1] in _REL_DAYS:
            return m[1]  # "Freitag Abend", "gestern Abend", "morgen früh"
        if m[1] in lex.RELATIVE_DAY_FORMS:
            return lex.RELATIVE_DAY_FORMS[m[1]]  # "gestrigen Nachmittag"
        if m[1] in lex.NIGHT_MODIFIERS and low.endswith("nacht"):
            return lex.NIGHT_MODIFIERS[m[1]]  # "vergangene Nacht": the night that began yesterday
        return None
    if m := re.fullmatch(rf"{_DAYPART_WORDS}\s+(?:des|vom|zu|zum|zur|auf)\s+(?:den\s+)?(.+)", low):
        day = m[1]
        if night := re.fullmatch(r"(\d{1,2}\.)\s+(?:auf|zum)\s+(?:den\s+)?(.+)", day):
            return _complete_left(night[1], night[2])  # "Nacht vom 16. auf den 17. April": the 16th
        if day.endswith("s") and day[:-1].split()[-1] in WEEKDAYS:
            return day[:-1]  # "Nacht des Samstags": that Saturday, not every one
        return day
    if m := re.fullmatch(r"(\d{1,2}\.\s*\w+\.?(?:\s+\d{4})?)\s*,\s*.+", low):
        return m[1]  # "8. Mai, 23:01 Uhr"
    return None


CONTEXT_CHARS = 200
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-ZÄÖÜ„\"])|\n")


def context_of(text: str, start: int, end: int) -> tuple[str, str]:
    """The sentence around text[start:end] (at most 200 characters each side) and the word before it."""
    left = text[max(0, start - CONTEXT_CHARS) : start]
    right = text[end : end + CONTEXT_CHARS]
    cuts = list(_SENTENCE_END.finditer(left))
    left = left[cuts[-1].end() :] if cuts else left
    cut = _SENTENCE_END.search(right)
    right = right[: cut.start() + 1] if cut else right
    words = left.split()
    return left + text[start:end] + right, words[-1] if words else ""


_BACKWARD = re.compile(r"zuvor|vorher|davor|früher|\bletzte|\bvorige|\bvergangene|^vor(?:jahr|monat|woche|tag)|^vor\s")


@dataclass
class Narrative:
    """The narrative time while reading a document: the last date resolved, and the last day."""

    reference: date | None
    anchor: Anchor | None = None

    def day(self) -> date | None:
        """The day a bare time ("gegen 22:05 Uhr") belongs to: the last day the text gave, or the
        reference date while the text has given no date yet."""
        if self.anchor is None:
            return self.reference
        return self.anchor.day if self.anchor.granularity == "day" else None

    def follow(self, text: str, value: DateValue) -> None:
        """Move the narrative time, except for flashbacks ("zwei Jahre zuvor", "im letzten Jahr")."""
        anchor = Anchor.of(value)
        if anchor is not None and not _BACKWARD.search(text.lower()):
            self.anchor = anchor


def resolve_date(text: str, narrative: Narrative, context: str, before: str, tense: int | None = None) -> DateValue:
    """A DATE span's value against the reference date, else the narrative time."""
    value = normalise_date(text, narrative.reference, context, before, narrative.anchor, tense)
    if narrative.reference is None and narrative.anchor is not None and value.is_relative and _unresolved(value):
        value = normalise_in_narrative(text, narrative.anchor, before)
    return value


def resolve_range_end(full: str, end: str, narrative: Narrative, context: str, tense: int | None = None) -> DateValue:
    """One end of a range split into two mentions: its own value, the whole range's first and last day."""
    whole = resolve_date(full, narrative, context, "", tense)
    if not whole.value or "/" not in whole.value:
        return whole
    left, right = whole.value.split("/", 1)
    return DateValue(left if end == "left" else right, whole.granularity, whole.start, whole.end, whole.is_relative)


_ITEM_HEAD_WORDS = {"/", "-", "–", "&", "und", "i.", "a.", "am", "an", "der", "im", "in"}
ITEM_HEAD_TOKENS = 8


def _sentence_start(span: Span | None) -> int | None:
    if span is None or not span.doc.has_annotation("SENT_START"):
        return None
    return sentence_of(span).start


def opens_listing_item(sentence: Span) -> bool:
    """True for an item of a listing or agenda: a short heading of names and a colon first
    ("Kassel: Lesung im Stadtmuseum, 19 Uhr.", "Kassel / Umland Theater & Bühne Baunatal: …").
    Each item is read on its own: its times take the day it names, else the reference date."""
    words = [t for t in sentence[: ITEM_HEAD_TOKENS + 1] if not t.is_space]
    for i, token in enumerate(words):
        if token.text == ":":
            return i > 0
        if not (token.text[:1].isupper() or token.lower_ in _ITEM_HEAD_WORDS):
            return False
    return False


@register_stage("dates")
class NormaliseDates:
    """TIMEX3 values for DATE, TIME, DURATION and SET mentions.

    Relative expressions count from the release date, anaphoric ones and bare times from the
    narrative time (the last date the text resolved before them).
    """

    def __init__(self, reference_date: date | None = None) -> None:
        self.reference_date = reference_date

    def __call__(self, item: Extraction) -> Extraction:
        narrative = Narrative(item.document.published or item.reference_date or self.reference_date)
        text = item.document.text
        if narrative.reference is None:
            # In an undated narrative "nun" is the story's "then", not the moment of writing.
            item.mentions = [m for m in item.mentions if not (m["label"] == "DATE" and m["text"].lower() == "nun")]
        last_sentence = None
        for mention in item.mentions:
            label = mention["label"]
            if label not in TEMPORAL_LABELS:
                continue
            context, before = context_of(text, mention["start_char"], mention["end_char"])
            mention["timex_type"] = label
            span = mention.get("_span")
            tense = tense_of_span(span) if span is not None and label in ("DATE", "TIME") else None
            sentence = _sentence_start(span)
            if sentence is not None and sentence != last_sentence:
                last_sentence = sentence
                if opens_listing_item(sentence_of(span)):
                    narrative.anchor = None  # "Kassel: Lesung im Stadtmuseum, 19 Uhr.": a new item
            if label == "DATE":
                self._date(mention, narrative, context, before, tense)
            elif label == "TIME":
                self._time(mention, narrative, context, tense)
            elif label == "DURATION":
                mention.update(timex_value=normalise_duration(mention["text"]), is_relative=False)
            else:
                found = normalise_set(mention["text"])
                mention.update(timex_value=found.value, quant=found.quant, freq=found.freq, is_relative=False)
        return item

    @staticmethod
    def _date(mention: dict, narrative: Narrative, context: str, before: str, tense: int | None) -> None:
        range_end = mention.get("_range")
        if range_end:
            value = resolve_range_end(range_end[1], range_end[0], narrative, context, tense)
        else:
            value = resolve_date(mention["text"], narrative, context, before, tense)
        if (not range_end or range_end[0] == "left") and before.lower() != "bis":
            narrative.follow(mention["text"], value)  # "bis 1881" ends a period, the narrative stays
        mention.update(
            timex_value=value.value,
            granularity=value.granularity,
            value_start=value.start,
            value_end=value.end,
            is_relative=value.is_relative,
        )

    @staticmethod
    def _time(mention: dict, narrative: Narrative, context: str, tense: int | None) -> None:
        range_end = mention.get("_range")
        time = resolve_time(mention["text"], narrative, context, range_end, tense)
        mention.update(
            time=time.clock,
            timex_value=time.timex_value,
            granularity="minute" if time.clock and ":" in time.clock else "part_of_day",
            value_start=time.day,
            value_end=time.day,
            is_relative=time.day is not None and not time.own_day,
        )
        if time.clock and ":" in time.clock and time.day is not None:
            hour, minute = map(int, time.clock.split(":"))
            mention["datetime"] = datetime(time.day.year, time.day.month, time.day.day, hour % 24, minute)


@dataclass(frozen=True)
class TimeValue:
    """A TIME expression: clock time or part of day, and the day it belongs to."""

    clock: str | None
    day: date | None
    own_day: bool = False

    @property
    def timex_value(self) -> str | None:
        """TIMEX3 ``2019-12-13T15:30`` / ``2019-12-13TEV``; ``XXXX-XX-XXT15:30`` when the day is unknown."""
        if not self.clock:
            return None
        return f"{self.day.isoformat() if self.day else 'XXXX-XX-XX'}T{self.clock}"


def resolve_time(
    text: str,
    narrative: Narrative,
    context: str = "",
    range_end: tuple[str, str] | None = None,
    tense: int | None = None,
) -> TimeValue:
    """A TIME span: its own day ("Nacht des 14. August", "Freitagabend") or the narrative day."""
    clock = normalise_time(range_end[1] if range_end else text)
    if clock and "/" in clock:
        clock = clock.split("/")[1 if range_end and range_end[0] == "right" else 0]
    day_text = day_text_of_time(text)
    if day_text is None:
        return TimeValue(clock, narrative.day())
    own = resolve_date(day_text, narrative, context, "", tense)
    if own.granularity != "day" or own.start is None:
        return TimeValue(clock, None, True)
    narrative.follow(day_text, own)
    return TimeValue(clock, own.start, True)


def normalise_expression(text: str, timex_type: str, reference: date | None, context: str = "") -> str | None:
    """The TIMEX3 value of one expression of a known type, the reference date as the narrative day."""
    if timex_type == "DURATION":
        return normalise_duration(text)
    if timex_type == "SET":
        return normalise_set(text).value
    narrative = Narrative(reference)
    if timex_type == "TIME":
        return resolve_time(text, narrative, context).timex_value
    return resolve_date(text, narrative, context, "").value


def _unresolved(value: DateValue) -> bool:
    return value.value is None or "X" in value.value
