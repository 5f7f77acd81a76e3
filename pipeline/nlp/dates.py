"""German temporal expressions found by rules: the ``pressewerk_dates`` spaCy component.

spaCy's German models have no DATE label and ``dateparser.search`` turns German
function words into weekdays, so dates are found with token patterns (spaCy
Matcher) and only the found spans are normalised later. Spans go to
``doc.spans["pressewerk_dates"]`` with a TIMEX3 type as label (DATE, TIME,
DURATION, SET) and the pattern id in ``span.id_``; leading prepositions ("am",
"im", "seit", ...) stay outside the span. Word lists live in ``timex_words``.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from pipeline.german import MONTHS, WEEKDAYS
from pipeline.nlp import timex_words as lex
from pipeline.nlp.doc_text import doc_text
from pipeline.nlp.gated_matcher import GatedMatcher, WordTest, WordTestFn, as_flags, shared_classes
from pipeline.nlp.reference_use import reference_is_timex

SPAN_KEY = "pressewerk_dates"
TEMPORAL_LABELS = ("DATE", "TIME", "DURATION", "SET")

_MONTH_NAMES = sorted(MONTHS)
_WEEKDAY_RE = r"^(?:{})(?:s)?(?:morgen|vormittag|mittag|nachmittag|abend|nacht)?$".format("|".join(WEEKDAYS))
# Token shapes (hash lookups) instead of regular expressions keep the detector cheap;
# the numbers are range-checked in ``_plausible``.
DAY = {"SHAPE": {"IN": ["d.", "dd."]}}
MONTH = {"LOWER": {"IN": _MONTH_NAMES}}
MONTH_OR_GENITIVE = {"LOWER": {"IN": _MONTH_NAMES + sorted(lex.MONTH_GENITIVES)}}
MONTH_ABBR_DOT = [{"LOWER": {"IN": [m + "." for m in _MONTH_NAMES if len(m) <= 4]}}]
YEAR = {"SHAPE": "dddd"}
NUMDATE = {"SHAPE": {"IN": [f"{d}.{m}.{y}" for d in ("d", "dd") for m in ("d", "dd") for y in ("dd", "dddd")]}}
DAY_OR_MONTH = {"SHAPE": {"IN": ["d", "dd"]}}
SHORT_OR_FULL_YEAR = {"SHAPE": {"IN": ["dd", "dddd"]}}  # "12/09/15", "12 / 09 / 2015"
PARTIAL_NUMDATE = {"SHAPE": {"IN": ["d.d.", "d.dd.", "dd.d.", "dd.dd."]}}
ISODATE = {
    "SHAPE": {
        "IN": [
            "dddd-dd-dd",
            "dddd-dd-ddXdd:dd",
            "dddd-dd-ddXdd:dd:dd",
            "dddd-dd-ddXdd:dd:ddX",
            "dddd-dd-ddXdd:dd:dd+dd:dd",
        ]
    }
}
WEEKDAY_ABBR = {
    "TEXT": {"IN": ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So", "Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."]}
}
HOLIDAY_WORDS = [
    "Neujahr", "Neujahrstag", "Heiligabend", "Weihnachten", "Silvester", "Ostern", "Ostersonntag", "Ostermontag",
    "Karfreitag", "Gründonnerstag", "Karsamstag", "Pfingsten", "Pfingstsonntag", "Pfingstmontag", "Fronleichnam",
    "Rosenmontag", "Faschingsdienstag", "Fastnachtsdienstag", "Aschermittwoch", "Weiberfastnacht", "Allerheiligen",
    "Reformationstag", "Nikolaustag", "Valentinstag", "Jahresanfang", "Jahresbeginn", "Jahresmitte", "Jahresende",
    "Jahreswechsel",
]  # fmt: skip
_HOLIDAY_NAMES = {w.lower() for w in HOLIDAY_WORDS if not w.startswith("Jahres")}  # feasts, not "Jahresende"
_DAYPARTS = ("", "morgen", "vormittag", "mittag", "nachmittag", "abend", "nacht")
WEEKDAY = {"LOWER": {"IN": [f"{day}{s}{part}" for day in WEEKDAYS for s in ("", "s") for part in _DAYPARTS]}}
DASH = {"TEXT": {"IN": ["-", "–", "—", "bis", "/"]}}
REL_DAY = {"LOWER": {"IN": ["heute", "gestern", "vorgestern", "übermorgen"]}}
MODIFIER = {
    "LOWER": {
        "IN": [
            "vergangene", "vergangenen", "vergangenes", "letzte", "letzten", "letztes", "vorigen", "voriges",
            "kommende", "kommenden", "kommendes", "nächste", "nächsten", "nächstes", "diese", "diesen",
            "dieses", "diesem", "dieser", "laufenden", "laufendes", "selben", "gleichen", "folgenden",
            "darauffolgenden", "vorletzten", "übernächsten", "jetzigen", "aktuellen",
        ]
    }
}  # fmt: skip
UNIT = {
    "LOWER": {
        "IN": [
            "woche", "wochen", "monat", "monats", "monate", "monaten", "jahr", "jahres", "jahrs",
            "jahre", "jahren", "wochenende", "wochenendes", "quartal", "quartals", "halbjahr",
            "halbjahres", "jahrzehnt", "jahrzehnts", "tag", "tage", "tagen", "tages", "saison",
        ]
    }
}  # fmt: skip
_SEASON_WORDS = ["frühling", "frühlings", "frühjahr", "frühjahrs", "sommer", "sommers", "herbst", "herbstes",
                 "herbsts", "winter", "winters"]  # fmt: skip
# "Spätsommer 1944", "Frühherbst": the season, a little earlier or later.
SEASON = {
    "LOWER": {
        "IN": _SEASON_WORDS
        + [f"{early_late}{word}" for early_late in ("früh", "spät", "hoch") for word in _SEASON_WORDS[4:]]
    }
}
PART = {"LOWER": {"IN": ["anfang", "anfangs", "mitte", "ende", "beginn", "start", "ausgang"]}}
ORDINAL = {
    "LOWER": {
        "IN": [f"{w}{e}" for w in ("erste", "zweite", "dritte", "vierte", "letzte") for e in ("", "n", "m", "s")]
        + ["1.", "2.", "3.", "4."]
    }
}
QUARTER_UNIT = {"LOWER": {"IN": ["quartal", "quartals", "halbjahr", "halbjahres", "jahreshälfte", "hälfte"]}}
COUNT_WORDS = [
    "ein",
    "eine",
    "einem",
    "einen",
    "einer",
    "zwei",
    "drei",
    "vier",
    "fünf",
    "sechs",
    "sieben",
    "acht",
    "neun",
    "zehn",
    "elf",
    "zwölf",
    "zwanzig",
    "dreißig",
    "wenigen",
    "mehreren",
    "einigen",
    "paar",
]
COUNT = {"LOWER": {"IN": COUNT_WORDS}}
COUNT_DIGITS = {"SHAPE": {"IN": ["d", "dd", "ddd"]}}
COUNT_UNIT = {
    "LOWER": {
        "IN": [
            "tag",
            "tage",
            "tagen",
            "woche",
            "wochen",
            "monat",
            "monaten",
            "monate",
            "jahr",
            "jahren",
            "jahre",
            "jahrzehnten",
        ]
    }
}
# "drei Jahre später", "zwei Tage danach": counted from the narrative time, not from today.
APPROX_WORD = {"LOWER": {"IN": ["etwa", "knapp", "rund"]}}
APPROX = {
    "LOWER": {"IN": ["etwa", "knapp", "rund", "fast", "über", "gut", "circa", "ca.", "mindestens", "höchstens"]},
    "OP": "?",
}
AFTER_WORD = {"LOWER": {"IN": ["später", "danach", "darauf", "zuvor", "vorher", "davor", "früher"]}}
CLOCK = {"SHAPE": {"IN": ["d:dd", "dd:dd", "d.dd", "dd.dd"]}}
HOUR = {"SHAPE": {"IN": ["d", "dd"]}}
UHR = {"LOWER": {"IN": ["uhr", "h"]}}
DAYPART = {"LOWER": {"IN": ["morgen", "vormittag", "mittag", "nachmittag", "abend", "nacht", "mitternacht", "früh"]}}
DAYPART_ADV = {"LOWER": {"IN": ["morgens", "vormittags", "mittags", "nachmittags", "abends", "nachts"]}}
ARTICLE = {"LOWER": {"IN": ["des", "der", "dieses", "diesen", "nächsten", "kommenden", "vergangenen", "laufenden"]}}
CENTURY = {"LOWER": {"IN": ["jahrhundert", "jahrhunderts", "jahrhunderten", "jh."]}}
DECADE = {"TEXT": {"REGEX": r"^\d{3}0er(?:-[Jj]ahre[n]?)?$"}}
# "44 v. Chr.", "68 n. Chr.", "im 3. Jahrhundert vor Christus".
ERA = [{"LOWER": {"IN": ["v.", "n.", "vor", "nach"]}}, {"LOWER": {"IN": ["chr.", "christus"]}}]
ANY_YEAR = {"SHAPE": {"IN": ["d", "dd", "ddd", "dddd"]}}
WEEK_NUMBER = {"TEXT": {"IN": [str(n) for n in range(1, 54)]}}

# Prepositions that introduce an expression but stay outside its span.
LEADING = {
    "am",
    "im",
    "vom",
    "zum",
    "seit",
    "bis",
    "ab",
    "von",
    "um",
    "gegen",
    "an",
    "in",
    "zwischen",
    "ca.",
    "etwa",
    "zur",
    "den",
    "dem",
    "der",
    "des",
    "und",
    "oder",
}
# Words before a bare month or season that make it a date ("im Mai", "seit Herbst", "diesen Sommer").
_PERIOD_CONTEXT = [
    "im",
    "seit",
    "bis",
    "ab",
    "vom",
    "zum",
    "anfang",
    "mitte",
    "ende",
    "diesem",
    "diesen",
    "jeden",
    "kommenden",
    "vergangenen",
    "nächsten",
    "letzten",
]
MONTH_CONTEXT = {"LOWER": {"IN": [*_PERIOD_CONTEXT, "von", "zwischen", "und", "oder", "monat"]}}
SEASON_CONTEXT = {"LOWER": {"IN": _PERIOD_CONTEXT}}

# (label, pattern id, token patterns); the longest match wins, then the earliest.
PATTERNS: list[tuple[str, str, list[list[dict]]]] = [
    (
        "DATE",
        "date_numeric",
        [[NUMDATE], [DAY_OR_MONTH, {"TEXT": "/"}, DAY_OR_MONTH, {"TEXT": "/"}, SHORT_OR_FULL_YEAR]],
    ),
    ("DATE", "date_iso", [[ISODATE], [WEEKDAY_ABBR, {"TEXT": ","}, NUMDATE]]),
    (
        "DATE",
        "date_week",
        [
            [{"LOWER": {"IN": ["kw", "kalenderwoche"]}}, WEEK_NUMBER, YEAR],
            [{"LOWER": {"IN": ["kw", "kalenderwoche"]}}, WEEK_NUMBER],
            [{"TEXT": {"IN": [f"KW{n}" for n in range(1, 54)]}}],
        ],
    ),
    (
        "DATE",
        "date_holiday",
        [
            [{"TEXT": {"IN": HOLIDAY_WORDS}}],
            [{"TEXT": {"IN": HOLIDAY_WORDS}}, YEAR],
            [{"LOWER": "christi"}, {"LOWER": "himmelfahrt"}],
            [{"LOWER": "tag"}, {"LOWER": "der"}, {"LOWER": "deutschen"}, {"LOWER": "einheit"}],
            [{"LOWER": {"IN": ["ersten", "zweiten", "1.", "2."]}}, {"LOWER": "weihnachtsfeiertag"}],
        ],
    ),
    (
        "DATE",
        "date_month_rel_year",
        [
            [
                MONTH,
                {
                    "LOWER": {
                        "IN": ["vorigen", "letzten", "vergangenen", "dieses", "laufenden", "nächsten", "kommenden"]
                    }
                },
                {"LOWER": "jahres"},
            ]
        ],
    ),
    ("DATE", "date_day_month", [[DAY, MONTH, YEAR], [DAY, MONTH], [DAY, *MONTH_ABBR_DOT, YEAR]]),
    ("DATE", "date_partial_numeric", [[{"LOWER": {"IN": ["am", "vom", "zum", "bis", "ab", "seit"]}}, PARTIAL_NUMDATE]]),
    (
        "DATE",
        "date_weekday",
        [
            [WEEKDAY],
            [WEEKDAY, {"TEXT": ",", "OP": "?"}, NUMDATE],
            [WEEKDAY, {"TEXT": ",", "OP": "?"}, {"LOWER": "den", "OP": "?"}, DAY, MONTH, YEAR],
            [WEEKDAY, {"TEXT": ",", "OP": "?"}, {"LOWER": "den", "OP": "?"}, DAY, MONTH],
            [WEEKDAY, {"TEXT": ",", "OP": "?"}, {"LOWER": "den", "OP": "?"}, DAY],
        ],
    ),
    ("DATE", "date_month_year", [[MONTH, YEAR], [*MONTH_ABBR_DOT, YEAR], [MONTH_CONTEXT, MONTH]]),
    ("DATE", "date_year", [[YEAR]]),
    (
        "DATE",
        "date_year_range",
        [
            [YEAR, DASH, YEAR],
            [{"SHAPE": {"IN": ["dddd-dddd", "dddd-dd"]}}],
            [YEAR, {"TEXT": "/"}, {"SHAPE": "dd"}],
            [{"LOWER": "saison"}, YEAR, {"TEXT": "/"}, {"SHAPE": {"IN": ["dd", "ddd", "dddd"]}}],
        ],
    ),
    (
        "DATE",
        "date_day_range",
        [
            [DAY, DASH, DAY, MONTH, YEAR],
            [DAY, DASH, DAY, MONTH],
            [DAY, DASH, NUMDATE],
            [PARTIAL_NUMDATE, DASH, NUMDATE],
        ],
    ),
    (
        "DATE",
        "date_month_range",
        [
            [{"LOWER": "zwischen"}, MONTH, {"LOWER": "und"}, MONTH, YEAR],
            [{"LOWER": "zwischen"}, MONTH, {"LOWER": "und"}, MONTH],
            [MONTH, DASH, MONTH, YEAR],
            [MONTH, {"LOWER": "bis"}, MONTH],
        ],
    ),
    ("DATE", "date_relative_day", [[REL_DAY], [{"TEXT": "morgen"}]]),
    (
        "DATE",
        "date_relative",
        [
            [MODIFIER, UNIT],
            [MODIFIER, MONTH],
            [MODIFIER, WEEKDAY],
            [MODIFIER, SEASON],
            [MODIFIER, {"LOWER": {"IN": ["woche", "monat", "jahr"]}}, {"LOWER": "am", "OP": "?"}, WEEKDAY],
        ],
    ),
    (
        "DATE",
        "date_ago",
        [[{"LOWER": {"IN": ["vor", "in"]}}, APPROX, n, COUNT_UNIT] for n in (COUNT, COUNT_DIGITS)],
    ),
    (
        "DATE",
        "date_anaphoric",
        [
            *([n, COUNT_UNIT, AFTER_WORD] for n in (COUNT, COUNT_DIGITS)),
            *([approx, n, COUNT_UNIT, AFTER_WORD] for n in (COUNT, COUNT_DIGITS) for approx in (APPROX_WORD,)),
            [APPROX, COUNT, {"LOWER": "halbes"}, {"LOWER": "jahr"}, AFTER_WORD],
            [{"LOWER": {"IN": ["tag", "woche", "monat", "jahr"]}}, {"LOWER": {"IN": ["darauf", "danach", "zuvor"]}}],
            *(
                [*head, *same_year]
                for head in ([], [SEASON], [MONTH], [DAY, MONTH], [PART, MONTH], [PART])
                for same_year in (
                    [{"LOWER": "desselben"}, {"LOWER": {"IN": ["jahres", "jahrs"]}}],
                    [
                        {"LOWER": "des"},
                        {"LOWER": {"IN": ["selben", "gleichen", "folgenden", "darauffolgenden"]}},
                        {"LOWER": {"IN": ["jahres", "jahrs"]}},
                    ],
                )
            ),
        ],
    ),
    (
        "DATE",
        "date_season",
        [
            [SEASON_CONTEXT, SEASON],
            [SEASON, YEAR],
            [SEASON_CONTEXT, SEASON, YEAR],
            [SEASON, YEAR, {"TEXT": "/"}, {"SHAPE": "dd"}],
        ],
    ),
    (
        "DATE",
        "date_part_of",
        [
            [PART, YEAR],
            [PART, MONTH],
            [PART, MONTH, YEAR],
            [PART, ARTICLE, UNIT],
            [PART, ARTICLE, MODIFIER, UNIT],
            [PART, ARTICLE, UNIT, YEAR],
            [PART, DAYPART_ADV],
            [PART, {"LOWER": {"IN": ["der", "des"]}}, {"LOWER": {"IN": ["woche", "monats", "jahres"]}}],
        ],
    ),
    (
        "DATE",
        "date_quarter",
        [
            [ORDINAL, QUARTER_UNIT],
            [ORDINAL, QUARTER_UNIT, YEAR],
            [{"TEXT": {"IN": ["Q1", "Q2", "Q3", "Q4"]}}, YEAR],
            [{"SHAPE": {"IN": ["Xd/dd", "Xd/dddd"]}}],
        ],
    ),
    ("DATE", "date_century", [[DAY, CENTURY], [DAY, {"LOWER": {"IN": ["jahrhundert", "jh"]}}]]),
    (
        "DATE",
        "date_era",
        [[ANY_YEAR, *ERA], [DAY, MONTH, ANY_YEAR, *ERA], [MONTH, ANY_YEAR, *ERA], [DAY, CENTURY, *ERA]],
    ),
    ("DATE", "date_decade", [[DECADE, {"LOWER": {"IN": ["jahre", "jahren", "jahrenden"]}}], [DECADE]]),
    ("TIME", "time_clock", [[CLOCK, UHR], [HOUR, UHR], [CLOCK], [CLOCK, DASH, CLOCK, UHR], [HOUR, DASH, HOUR, UHR]]),
    (
        "TIME",
        "time_daypart",
        [
            [{"LOWER": {"IN": ["am", "in", "gegen"]}}, {"LOWER": {"IN": ["der", "die"]}, "OP": "?"}, DAYPART],
            [DAYPART_ADV],
        ],
    ),
]

# A bare year is a date only in a date-like context (not "2000 Menschen", "Nr. 2017", "IC 2030").
_BARE_YEAR_BLOCKERS_BEFORE = {
    "nr.", "nr", "tel.", "tel", "fax", "plz", "nummer", "gruppe", "az", "aktenzeichen", "kw", "paragraf", "§",
    "art.", "abs.", "zimmer", "raum", "haus", "hausnummer", "postfach", "gleis", "linie", "bus", "tram", "zug",
    "flug", "route", "version", "modell", "typ", "ic", "ice", "ec", "ece", "ir", "re", "rb", "s", "u", "m", "x",
}  # fmt: skip
# Approximations make the number a quantity when a noun follows ("rund 2000 Beschäftigte", "etwa 1000 Euro").
_APPROXIMATORS = {"rund", "etwa", "ca.", "circa", "knapp", "fast", "über", "unter", "mehr", "weniger", "insgesamt"}
# Before a counted noun the number is still a year after these ("im Jahr 2017 Euro ...", "seit 2015 Mitglied").
_YEAR_WORDS_BEFORE = {"im", "jahr", "jahres", "anno", "jahrgang", "seit", "ab", "bis", "vor", "nach", "von", "um"}
_COUNTABLE_AFTER = re.compile(
    r"^(?:[A-ZÄÖÜ][\w-]*[a-zäöüß](?:en|er|e|n|s)|Euro|EUR|Dollar|Franken|Prozent|Mio\.?|Mrd\.?|Meter|km|kg|Tonnen"
    r"|Stück|Mal|Menschen|Personen|Leute)$"
)
_MONTH_WORDS_AFTER = set(WEEKDAYS) | set(MONTHS)


# A year is not "in" a year: a number before "im Jahr 2018", "im vergangenen Jahr" is a count.
_YEAR_PERIOD_AFTER = {"jahr", "vorjahr", "vergangenen", "letzten", "laufenden", "selben", "gleichen", "folgenden"}


def _bare_year_ok(span: Span) -> bool:
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    if before is not None and (
        before.lower_ in _BARE_YEAR_BLOCKERS_BEFORE
        or before.like_num
        or before.text in {"/", "+", "-", "€", "$", "%"}
        or (before.text == "." and not before.whitespace_)
    ):
        return False
    if after is not None:
        following = doc[span.end + 1] if span.end + 1 < len(doc) else None
        if after.lower_ == "im" and following is not None and following.lower_ in _YEAR_PERIOD_AFTER:
            return False  # "1200 im Jahr 2018 und 1500 im vergangenen Jahr": counts per year
        if after.like_num or after.text in {"%", "€", "$", "m", "m²", "km", "kg", "t", "/", "-"}:
            return False
        noun_after = after.text[:1].isupper() and after.text not in _MONTH_WORDS_AFTER and after.is_alpha
        if noun_after and before is not None and before.lower_ in _APPROXIMATORS:
            return False
        # "2017 Euro", "2000 Teilnehmer": a count, unless the word before says year ("im Jahr 2017 Euro...").
        countable = (
            after.text[:1].isupper() and after.text not in _MONTH_WORDS_AFTER and _COUNTABLE_AFTER.match(after.text)
        )
        if countable and (before is None or before.lower_ not in _YEAR_WORDS_BEFORE):
            return False
    return True


def _is_day(day: int, month: int) -> bool:
    """A day of a month in some year (29 February included)."""
    return 1 <= month <= 12 and 1 <= day <= (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)


# The letters of a German licence plate before its number: district code, hyphen, one or two letters ("B-MS 1573").
_PLATE_LETTERS = re.compile(r"(?<![\w-])[A-ZÄÖÜ]{1,3}-[A-Z]{1,2} $")


def _after_plate_letters(token: Token) -> bool:
    """A number that ends a licence plate ("Kennzeichen B-MS 1573") is no year; "Fußball-WM 2014" keeps it."""
    text = doc_text(token.doc)
    return _PLATE_LETTERS.search(text, max(0, token.idx - 10), token.idx) is not None


def _plausible(span: Span) -> bool:
    """Range checks for the numbers that the shape patterns accepted."""
    if span[-1].lower_ in ("chr.", "christus"):
        return True  # era years are any number: "44 v. Chr."
    if span.id_ == "date_numeric" and len(span) == 5:  # "12 / 09 / 15": day and month, either order
        first, second = int(span[0].text), int(span[2].text)
        if not any(_is_day(day, month) for day, month in ((first, second), (second, first))):
            return False
    if span[0].shape_ == "dddd" and _after_plate_letters(span[0]):
        return False
    for token in span:
        shape, text = token.shape_, token.text
        if shape == "dddd" and not 1000 <= int(text) <= 2099:
            return False
        if shape in ("d.", "dd.") and not 1 <= int(text[:-1]) <= 31:
            return False
        if shape.startswith("d") and shape.count(".") >= 2:
            day, month = text.split(".")[:2]
            if not (day.isdigit() and month.isdigit() and 1 <= int(day) <= 31 and 1 <= int(month) <= 12):
                return False
        if span.label_ == "TIME" and shape in ("d:dd", "dd:dd", "d.dd", "dd.dd"):
            hour, minute = re.split(r"[:.]", text)
            if int(hour) > 24 or int(minute) > 59:
                return False
        if span.label_ == "TIME" and shape in ("d", "dd") and int(text) > 24:
            return False
        if shape in ("Xd/dd", "Xd/dddd") and text[0] not in "HQ":
            return False
    return True


def _weekday_ok(span: Span) -> bool:
    """ "Montag" is a date; a lower-case word or the surname in "Jan Freitag" is not."""
    for token in span:
        if re.match(_WEEKDAY_RE, token.lower_):
            before = token.doc[token.i - 1] if token.i > 0 else None
            return token.text[:1].isupper() and not (before is not None and before.ent_type_ == "PER")
    return True


def _trim(span: Span) -> Span | None:
    """Drop leading prepositions/articles; None if nothing date-like remains."""
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in LEADING:
        if span.doc[start].lower_ == "jahr" and not span.doc[start + 1].like_num:
            break  # "im Jahr 2017" -> "2017", but "Jahr darauf" keeps its noun
        start += 1
    return Span(span.doc, start, span.end, label=span.label, span_id=span.id)


# TIMEX3 classes beyond calendar dates: reference words, durations, sets.
_SET_FORMS = [w + e for w in lex.SET_WORDS for e in lex.SET_ENDINGS]
_DURATION_ADJECTIVE = r"^(?:\d+-?|{})(?:{})(?:e|en|er|es|em)?$".format(
    "|".join(k for k, v in lex.AMOUNT_WORDS.items() if v is not None and k.isalpha()),
    "|".join(lex.DURATION_ADJECTIVE_SUFFIXES),
)
AMOUNT = {"LOWER": {"IN": sorted(lex.AMOUNT_WORDS)}}
AMOUNT_DIGITS = {"SHAPE": {"IN": ["d", "dd", "ddd", "d,d", "dd,d"]}}
MORE_LESS = [{"LOWER": {"IN": ["mehr", "weniger"]}}, {"LOWER": "als"}]
DURATION_UNIT = {"LOWER": {"IN": sorted(lex.DURATION_UNITS)}}
PLURAL_UNIT = {"LOWER": {"IN": sorted(lex.PLURAL_UNITS)}}
LAST_NEXT = {"LOWER": {"IN": ["letzten", "vergangenen", "nächsten", "kommenden", "ersten", "folgenden", "ganzen"]}}
DAYPART_NOUN = {"LOWER": {"IN": ["morgen", "vormittag", "mittag", "nachmittag", "abend", "nacht", "morgenstunden",
                                 "abendstunden", "nachmittagsstunden", "mittagsstunden", "vormittagsstunden"]}}  # fmt: skip
YEAR_NOUN = {"LOWER": {"IN": ["jahr", "jahre", "jahres"]}}
THIS_LAST_NEXT = {"LOWER": {"IN": ["dieses", "diesen", "letzten", "vergangenen", "vorigen", "nächsten",
                                   "kommenden", "laufenden", "folgenden", "selben", "gleichen"]}}  # fmt: skip

TIMEX_PATTERNS: list[tuple[str, str, list[list[dict]]]] = [
    (
        "DATE",
        "date_reference",
        [
            [{"LOWER": {"IN": lex.DETECTED_REFERENCE_WORDS}}],
            *([{"LOWER": first}, {"LOWER": second}] for first, second in lex.DETECTED_REFERENCE_PHRASES),
            # "in Zukunft", "in der Vergangenheit", "in naher Zukunft"; not "für die Zukunft".
            [
                {"LOWER": "in"},
                {"LOWER": {"IN": lex.REFERENCE_RULES["noun_premodifiers"]}, "OP": "?"},
                {"LOWER": {"IN": lex.REFERENCE_RULES["noun_premodifiers"]}, "OP": "?"},
                {"LOWER": {"IN": sorted(lex.REFERENCE_NOUNS)}},
            ],
            [{"LOWER": {"IN": ["dieser", "jener"]}}, {"LOWER": "zeit"}],
        ],
    ),
    ("DATE", "date_heuer", [[{"LOWER": "heuer"}]]),
    ("DATE", "date_anaphoric_noun", [[{"LOWER": {"IN": sorted(lex.ANAPHORIC_NOUNS)}}]]),
    ("DATE", "date_weekend", [[{"LOWER": {"IN": ["wochenende", "wochenendes"]}}]]),
    (
        "DATE",
        "date_century_decade",
        [
            [THIS_LAST_NEXT, {"LOWER": {"IN": ["jahrhundert", "jahrhunderts", "jahrhundertwende"]}}],
            [{"LOWER": {"IN": sorted(lex.DECADE_WORDS)}}, {"LOWER": {"IN": ["jahre", "jahren", "jahrenden"]}}],
            [PART, {"LOWER": {"IN": ["des", "der"]}}, DAY, CENTURY],
            [PART, {"LOWER": {"IN": ["des", "der"]}}, DAY, CENTURY, *ERA],
            [PART, {"LOWER": "der"}, DECADE, {"LOWER": {"IN": ["jahre", "jahren"]}, "OP": "?"}],
            [PART, {"LOWER": "der"}, {"LOWER": {"IN": sorted(lex.DECADE_WORDS)}}, {"LOWER": "jahre"}],
            [ORDINAL, {"LOWER": "hälfte"}, {"LOWER": "des"}, DAY, CENTURY],
            [ORDINAL, {"LOWER": "hälfte"}, {"LOWER": "der"}, DECADE, {"LOWER": {"IN": ["jahre"]}, "OP": "?"}],
            [{"LOWER": {"IN": ["frühen", "späten"]}}, DECADE, {"LOWER": {"IN": ["jahren", "jahre"]}, "OP": "?"}],
        ],
    ),
    (
        "DATE",
        "date_extent",
        [
            [YEAR_NOUN, YEAR],
            [YEAR_NOUN, ANY_YEAR, *ERA],
            [MONTH, {"LOWER": "des"}, {"LOWER": {"IN": ["jahres", "jahrs"]}}, YEAR],
            [SEASON, {"LOWER": "des"}, {"LOWER": {"IN": ["jahres", "jahrs"]}}, YEAR],
            [DAY, MONTH_OR_GENITIVE, {"LOWER": "des"}, {"LOWER": {"IN": ["jahres", "jahrs"]}}, YEAR],
            [DAY, MONTH_OR_GENITIVE, YEAR],
            [DAY, MONTH, THIS_LAST_NEXT, {"LOWER": {"IN": ["jahres", "jahrs"]}}],
            [SEASON, THIS_LAST_NEXT, {"LOWER": {"IN": ["jahres", "jahrs"]}}],
            [SEASON, {"LOWER": "des"}, THIS_LAST_NEXT, {"LOWER": {"IN": ["jahres", "jahrs"]}}],
            [PART, {"LOWER": "des"}, {"LOWER": {"IN": ["jahres", "jahrs"]}}, YEAR],
        ],
    ),
    (
        "TIME",
        "time_daypart_of_day",
        [
            [DAYPART_NOUN, {"LOWER": {"IN": ["des", "vom"]}}, DAY, MONTH_OR_GENITIVE, YEAR],
            [DAYPART_NOUN, {"LOWER": {"IN": ["des", "vom"]}}, DAY, MONTH_OR_GENITIVE],
            [{"LOWER": {"IN": ["frühen", "späten"]}}, DAYPART_NOUN, {"LOWER": "des"}, DAY, MONTH_OR_GENITIVE],
            [{"LOWER": "nacht"}, {"LOWER": {"IN": ["zu", "zum", "zur", "auf"]}}, {"LOWER": "den", "OP": "?"}, WEEKDAY],
            [{"LOWER": {"IN": ["frühen", "späten"]}}, DAYPART_NOUN, {"LOWER": "des"}, DAY, MONTH_OR_GENITIVE, YEAR],
            [WEEKDAY, DAYPART_NOUN],
            # "am Nachmittag des vergangenen Donnerstag(s)", "in der Nacht des Samstags", "des gestrigen Tages"
            [DAYPART_NOUN, {"LOWER": "des"}, MODIFIER, WEEKDAY],
            [DAYPART_NOUN, {"LOWER": "des"}, {"LOWER": {"IN": [f"{day}s" for day in WEEKDAYS]}}],
            [DAYPART_NOUN, {"LOWER": "des"}, {"LOWER": {"IN": sorted(lex.RELATIVE_DAY_FORMS)}}, {"LOWER": "tages"}],
            # "gestern Abend", "heute Nachmittag", "morgen früh", "am gestrigen Nachmittag", "vergangene Nacht"
            [{"LOWER": {"IN": ["vorgestern", "gestern", "heute", "morgen", "übermorgen"]}}, DAYPART_NOUN],
            [{"LOWER": {"IN": ["heute", "morgen"]}}, {"LOWER": "früh"}],
            [{"LOWER": {"IN": sorted(lex.RELATIVE_DAY_FORMS)}}, DAYPART_NOUN],
            [{"LOWER": {"IN": sorted(lex.NIGHT_MODIFIERS)}}, {"LOWER": "nacht"}],
        ],
    ),
    # "am morgigen Sonntag", "am gestrigen Tag", "seit dem vorgestrigen Tage"
    (
        "DATE",
        "date_relative_day_adjective",
        [[{"LOWER": {"IN": sorted(lex.RELATIVE_DAY_FORMS)}}, {"LOWER": {"IN": ["tag", "tage", "tages", *WEEKDAYS]}}]],
    ),
    ("TIME", "time_holiday_part", [[{"LOWER": {"IN": sorted(lex.holiday_part_forms(_HOLIDAY_NAMES))}}]]),
    (
        "DURATION",
        "duration_amount",
        [
            [APPROX, AMOUNT, DURATION_UNIT],
            [APPROX, AMOUNT_DIGITS, DURATION_UNIT],
            [*MORE_LESS, AMOUNT, DURATION_UNIT],
            [*MORE_LESS, AMOUNT_DIGITS, DURATION_UNIT],
            [APPROX, AMOUNT, {"LOWER": {"IN": ["halbes", "halbe", "halben"]}}, DURATION_UNIT],
            [APPROX, {"SHAPE": {"IN": ["d-", "dd-", "ddd-", "dddd-"]}}, DURATION_UNIT],
            [LAST_NEXT, AMOUNT, DURATION_UNIT],
            [LAST_NEXT, AMOUNT_DIGITS, DURATION_UNIT],
            [LAST_NEXT, PLURAL_UNIT],
            [{"LOWER": {"IN": ["seit", "über", "für"]}}, PLURAL_UNIT],
            [{"LOWER": {"IN": sorted(lex.DURATION_ADVERBS)}}],
            [{"LOWER": {"REGEX": _DURATION_ADJECTIVE}}],
        ],
    ),
    (
        "SET",
        "set_frequency",
        [
            [{"LOWER": {"IN": _SET_FORMS}}],
            [{"LOWER": {"IN": sorted(lex.EVERY_WORDS)}}, {"LOWER": {"IN": sorted(lex.SET_UNITS)}}],
            [{"LOWER": {"IN": sorted(lex.EVERY_WORDS)}}, WEEKDAY],
            [{"LOWER": {"IN": sorted(lex.EVERY_WORDS)}}, AMOUNT, PLURAL_UNIT],
            [{"LOWER": {"IN": sorted(lex.EVERY_WORDS)}}, AMOUNT_DIGITS, PLURAL_UNIT],
            [{"LOWER": {"IN": sorted(lex.PER_WORDS)}}, {"LOWER": {"IN": sorted(lex.SET_UNITS)}}],
            [
                {"LOWER": {"IN": sorted(lex.TIMES_WORDS)}},
                {"LOWER": {"IN": ["pro", "je", "im", "in", "am"]}},
                {"LOWER": {"IN": ["der", "die"]}, "OP": "?"},
                {"LOWER": {"IN": sorted(lex.SET_UNITS)}},
            ],
            [{"LOWER": {"IN": sorted(lex.TIMES_WORDS)}}, {"LOWER": {"IN": _SET_FORMS}}],
            [{"LOWER": {"IN": [f"{day}s" for day in WEEKDAYS]}}],
            [{"LOWER": {"IN": ["alle", "allen"]}}, {"LOWER": {"IN": [f"{day}e" for day in WEEKDAYS]}}],
        ],
    ),
]


_WEEKDAY_PARTS = re.compile(r"^(?:{})(?:morgen|vormittag|mittag|nachmittag|abend|nacht)$".format("|".join(WEEKDAYS)))
_WEEKDAY_PLURALS = {f"{day}s" for day in WEEKDAYS}
_DURATION_KEEP = lex.APPROXIMATORS | {"mehr", "weniger"}


def _trim_duration(span: Span) -> Span:
    """Prepositions leave a duration ("seit zwei Wochen"), approximators stay ("etwa fünf Tage")."""
    start = span.start
    while start < span.end - 1 and (
        (span.doc[start].lower_ in LEADING and span.doc[start].lower_ not in _DURATION_KEEP)
        or (span.doc[start].lower_ in ("seit", "über", "für") and start == span.end - 2)
    ):
        start += 1
    return Span(span.doc, start, span.end, label=span.label, span_id=span.id)


def _timex_ok(span: Span) -> bool:
    """Vetoes for the wider TIMEX3 classes: ages are not durations, "früher als" is a comparison."""
    doc, rule = span.doc, span.id_
    after = next((t for t in doc[span.end : span.end + 3] if not t.is_space), None)
    if rule == "date_reference" and span[-1].lower_ == "früher" and after is not None and after.lower_ == "als":
        return False
    if rule == "date_reference" and not reference_is_timex(span):
        return False  # "bislang unbekannte Täter", "Nun ja", "ermittelt nun"
    if rule == "date_weekday" and span[0].lower_ in _WEEKDAY_PLURALS:
        return False  # "montags" is a set
    if span.label_ == "DURATION":
        if after is not None and after.lower_ in lex.NOT_DURATION_AFTER:
            return False  # "34 Jahre alt"
        if after is not None and after.lower_ in ("später", "danach", "darauf", "zuvor", "vorher", "davor"):
            return False  # "wenige Tage später" points to a date, it is no duration
        if _after_age_word(span):
            return False  # "im Alter von 16, 17 und 19 Jahren"
    return True


_AGE_LIST_WORDS = {
    ",", "und", "oder", "bis", "zwischen", "von", "-", "–", "sowie", "jeweils", "einmal", "zweimal", "dreimal",
    "ca.", "circa", "etwa", "rund", "knapp", "über", "unter",
}  # fmt: skip


_AGE_UNITS = {"jahr", "jahre", "jahren", "monat", "monate", "monaten", "wochen"}


def _after_age_word(span: Span) -> bool:
    """True if the amount ends a list of ages: "im Alter von 16, 17 und 19 Jahren"."""
    i = span.start - 1
    while i >= 0 and (
        span.doc[i].like_num
        or span.doc[i].lower_ in _AGE_LIST_WORDS
        or span.doc[i].lower_ in lex.AMOUNT_WORDS  # "elf und zwölf Jahren"
        or span.doc[i].lower_ in _AGE_UNITS  # "23 Jahren, 30 Jahren und 49 Jahren"
    ):
        i -= 1
    return i >= 0 and span.doc[i].lower_ in ("alter", "alters", "altersgruppe")


def _relabel(span: Span) -> Span:
    """TIMEX3 types: "Freitagabend" is a TIME (a part of a day), not a DATE."""
    if span.label_ == "DATE" and len(span) == 1 and _WEEKDAY_PARTS.match(span[0].lower_):
        return Span(span.doc, span.start, span.end, label="TIME", span_id=span.id)
    return span


# Every pattern holds a digit or one of these words; matches reach at most this far around it.
WINDOW_BEFORE, WINDOW_AFTER = 4, 4
# Lexeme flags for the date patterns' sets and expressions (spaCy has 45 for users). None: every new word form pays
# every flag's test when it enters the vocabulary, and the Matcher runs only in windows around trigger words, where
# flags saved less than they cost (2,000 Berlin releases: tokenizer -0.19 s, date detection +0.01 s).
LEXEME_FLAGS = 0


def trigger_words() -> set[str]:
    """Lower-case words that can anchor a temporal expression (from the pattern vocabulary)."""
    words: set[str] = set()
    for spec in (MONTH, *MONTH_ABBR_DOT, WEEKDAY, REL_DAY, UNIT, SEASON, PART, QUARTER_UNIT, COUNT_UNIT, DAYPART,
                 DAYPART_ADV, CENTURY, UHR):  # fmt: skip
        words |= {w.lower() for w in spec["LOWER"]["IN"]}
    words |= {w.lower() for w in HOLIDAY_WORDS} | {
        "morgen",
        "kw",
        "kalenderwoche",
        "himmelfahrt",
        "einheit",
        "weihnachtsfeiertag",
    }
    return words


def digit_shapes() -> set[str]:
    """Token shapes with digits that some pattern accepts (not "24-Jähriger", "1.508", phone numbers)."""
    shapes = {"Xd", "XXd", "XXdd"}  # "Q1", "KW5", "KW50"
    for _, _, patterns in PATTERNS + TIMEX_PATTERNS:
        for pattern in patterns:
            for token in pattern:
                spec = token.get("SHAPE")
                shapes |= {spec} if isinstance(spec, str) else set(spec["IN"]) if isinstance(spec, dict) else set()
    return shapes


def timex_trigger_words() -> set[str]:
    """Lower-case words that can anchor an expression of ``TIMEX_PATTERNS``."""
    return (
        set(lex.DETECTED_REFERENCE_WORDS) | set(lex.REFERENCE_NOUNS)
        | {second for _, second in lex.DETECTED_REFERENCE_PHRASES}
        | set(lex.ANAPHORIC_NOUNS) | set(lex.DECADE_WORDS) | set(lex.DURATION_UNITS) | set(lex.DURATION_ADVERBS)
        | set(_SET_FORMS) | set(lex.SET_UNITS) | set(lex.TIMES_WORDS) | set(lex.MONTH_GENITIVES)
        | set(DAYPART_NOUN["LOWER"]["IN"]) | lex.EVERY_WORDS | {f"{day}s" for day in WEEKDAYS}
        | {f"{day}e" for day in WEEKDAYS}
        | {"heuer", "wochenende", "wochenendes", "jahrhundert", "jahrhunderts", "jahrhundertwende", "zeit"}
        | set(lex.RELATIVE_DAY_FORMS) | {"früh"}
        | lex.holiday_part_forms(_HOLIDAY_NAMES)
    )  # fmt: skip


_ADJECTIVE_SUFFIXES = tuple(
    suffix + ending for suffix in lex.DURATION_ADJECTIVE_SUFFIXES for ending in ("", "e", "en", "er", "es", "em")
)


def _decade_word(text: str, lower: str, shape: str) -> bool:
    return "d" in shape and "0er" in lower  # "1990er", "80er-Jahre"


def _timex_word(text: str, lower: str, shape: str) -> bool:
    return lower.endswith(_ADJECTIVE_SUFFIXES) or (lower.endswith(("er", "jahre", "jahren")) and "d" in shape)


def trigger_tests(timex: bool) -> tuple[WordTestFn, ...]:
    """Tests for a word that can anchor a date (``timex=False``) or a wider TIMEX3 expression."""
    if timex:
        return WordTest("LOWER", {"IN": sorted(timex_trigger_words())}), _timex_word
    return (
        WordTest("LOWER", {"IN": sorted(trigger_words())}),
        WordTest("SHAPE", {"IN": sorted(digit_shapes())}),
        _decade_word,
    )


class DateDetector:
    """Matcher-based detector of German temporal expressions (TIMEX3 DATE, TIME, DURATION, SET).

    The Matcher runs only in windows around trigger words, and there only with the patterns whose
    required words the window holds (``gated_matcher``): the stage stays a small share of a run.
    """

    def __init__(self, nlp: Language, name: str = "pressewerk_dates") -> None:
        self.name = name
        self.labels = {rule_id: label for label, rule_id, _ in PATTERNS + TIMEX_PATTERNS}
        for rules in (PATTERNS, TIMEX_PATTERNS):  # a wrong pattern fails here, with spaCy's message
            matcher = Matcher(nlp.vocab, validate=True)
            for _, rule_id, patterns in rules:
                matcher.add(rule_id, patterns)
        self.classes = shared_classes(nlp)
        self.trigger_bits = [self.classes.bit(f"trigger:{t}", *trigger_tests(timex=t)) for t in (False, True)]
        matched = as_flags(nlp.vocab, (PATTERNS, TIMEX_PATTERNS), budget=LEXEME_FLAGS)
        # Two matchers, each run only in windows around its own trigger words.
        self.matcher = GatedMatcher(nlp.vocab, PATTERNS, self.classes, matched[0])
        self.timex_matcher = GatedMatcher(nlp.vocab, TIMEX_PATTERNS, self.classes, matched[1])

    def windows(self, doc: Doc, timex: bool = False, masks: list[int] | None = None) -> list[tuple[int, int]]:
        """Token ranges around words that can anchor a temporal expression; the Matcher runs only there."""
        masks = masks if masks is not None else self.classes.masks(doc)
        bit = self.trigger_bits[1 if timex else 0]
        ranges: list[tuple[int, int]] = []
        n = len(doc)
        for i, mask in enumerate(masks):
            if mask & bit:
                start, end = max(i - WINDOW_BEFORE, 0), min(i + WINDOW_AFTER, n)
                if ranges and start <= ranges[-1][1]:
                    ranges[-1] = (ranges[-1][0], end)
                else:
                    ranges.append((start, end))
        return ranges

    def matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        masks = self.classes.masks(doc)
        found = set()
        for matcher, timex in ((self.matcher, False), (self.timex_matcher, True)):
            found.update(matcher(doc, self.windows(doc, timex, masks), masks))
        return sorted(found, key=lambda m: (m[1], m[2]))

    def find(self, doc: Doc) -> list[Span]:
        spans = []
        for match_id, start, end in self.matches(doc):
            rule_id = doc.vocab.strings[match_id]
            span = Span(doc, start, end, label=self.labels[rule_id], span_id=rule_id)
            span = _trim_duration(span) if span.label_ == "DURATION" else _trim(span)
            if span is None or not _plausible(span) or not _timex_ok(span):
                continue
            if rule_id == "date_year" and not _bare_year_ok(span):
                continue
            if rule_id in ("date_weekday", "date_relative") and not _weekday_ok(span):
                continue
            if rule_id == "date_relative" and _vague_period(span):
                continue  # "in den vergangenen Jahren": a duration of unknown length, no date
            if rule_id == "date_ago" and any(lex.AMOUNT_WORDS.get(t.lower_, 0) is None for t in span):
                continue  # "vor einigen Tagen": no day to name; the duration "einigen Tagen" stays
            spans.append(_relabel(span))
        # On equal length a calendar date or time wins over a duration or set ("in drei Monaten").
        spans.sort(key=lambda s: s.label_ in ("DURATION", "SET"))
        return sorted((s for s in filter_spans(spans) if not _inside_entity(s)), key=lambda s: s.start)

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[SPAN_KEY] = self.find(doc)
        return doc


_LAST_NEXT_WORDS = frozenset(LAST_NEXT["LOWER"]["IN"]) | {"vorigen", "vorletzten"}


def _vague_period(span: Span) -> bool:
    """ "vergangenen Jahren", "den letzten Wochen", "kommenden Monaten": a plural unit after last/next
    is a stretch of time of unknown length (TIMEX3 DURATION ``PXY``), not a date."""
    return len(span) == 2 and span[0].lower_ in _LAST_NEXT_WORDS and span[1].lower_ in lex.PLURAL_UNITS


def _inside_entity(span: Span) -> bool:
    """Years inside names ("Wirtschaft 4.0", "Hannover 96", "FSV Mainz 05") are not dates."""
    return any(t.ent_type_ in {"ORG", "MISC"} for t in span) and span.label_ == "DATE" and len(span) == 1


@Language.factory("pressewerk_dates")
def create_date_detector(nlp: Language, name: str) -> DateDetector:
    return DateDetector(nlp, name)
