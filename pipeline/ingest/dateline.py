"""Publication date and dateline place from metadata values and release headers.

A dateline is a leading or trailing date with a list of places ("Bruchsal, 13.12.2019 –", "22.07.2025 Nauen,
Gewerbegebiet, Havelland", "BERLIN. 13.12.2019 –"), or "Ort (Agentur) –" (press-portal "Hamburg (ots) -"), at the
start of the text, of a line after a title, or after a teaser sentence ("… gehört. Wien – …"). The items of the
list are sorted by the gazetteer (:func:`sort_places`): the first town is the dateline place, a district or state
the district, the rest (Ortsteil, street) the detail; names in capitals take the gazetteer's spelling. Dates
without a place ("DIZ 13.12.2019", "02.02.2025 13:09 Uhr") fill only the date.
Every pattern is linear-time: bounded repetitions, no nested quantifiers over the same characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from pipeline.german import month_number

_NUMERIC = re.compile(r"\b(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4}|\d{2})\b")
_WORDY = re.compile(r"\b(?P<d>\d{1,2})\.\s*(?P<m>[A-Za-zÄÖÜäöüß]{3,9}\.?)\s+(?P<y>\d{4})\b")
_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ][0-9:.+\-Z]*)?\b")
# A place name: capitalised words joined by blanks, slashes, hyphens or "an der"/"bei"/..., and an optional
# qualifier in brackets ("Frankfurt (Oder)", "Brandenburg an der Havel", "Fürstenwalde/Spree", "Königs Wusterhausen").
_WORD = r"[A-ZÄÖÜ][\w'’.-]{0,40}"
PLACE = (
    rf"{_WORD}(?:(?: (?:an der|an dem|am|bei|im|in der|ob der|vor der|unter der))? {_WORD}|/{_WORD}){{0,3}}"
    r"(?: \([A-ZÄÖÜ][a-zäöüß][\w. -]{0,30}\))?"
)
_DASH = r"\s*[–—-]\s"
# "Berlin (dpa) –", "Hamburg (ots/PRNewswire) -": a place before an agency in brackets and a dash or colon.
_AGENCY_LINE = re.compile(
    rf"^\s*(?P<place>{PLACE})\s\((?:dpa|ots|afp|ap|reuters|epd|kna|idw|dts|sid|[a-z]{{2,6}})(?:/[\w-]{{1,20}})?\)(?:{_DASH}|:\s)",
    re.IGNORECASE,
)
# A list of places in a dateline: locality, Ortsteil, street, district in any order ("Nauen, Gewerbegebiet, Havelland").
_ITEM = rf"{PLACE}(?: \d{{1,4}}[a-z]?)?"
PLACES = rf"{_ITEM}(?:,\s?{_ITEM}){{0,4}}"
# "Bruchsal, 13.12.2019 –", "Stuttgart, 4. Mai 2020", "Nauen, Havelland, 22.07.2025": places, a comma, the date.
_PLACES_COMMA = re.compile(rf"^\s*(?P<place>{PLACES})\s?,\s?(?:den\s)?$")
# "BERLIN. 13.12.2019 –": an upper-case place and a full stop before the date.
_PLACE_STOP = re.compile(r"^\s*(?P<place>[A-ZÄÖÜ][A-ZÄÖÜ/ -]{1,40}[A-ZÄÖÜ])\.\s?$")
# "04.07.2025 Fürstenwalde/Spree", "22.07.2025 Nauen, Gewerbegebiet, Havelland": the date, then places.
_AFTER_DATE = re.compile(rf"^[ ,]\s?(?P<place>{PLACES})\s*(?:$|{_DASH}|:\s)")
# "… gehört. Wien – Die Gewerkschaft", "Titel\nPotsdam (dpa) – …": places and a dash after a sentence or line end.
_JOIN = r"an der|an dem|am|an|bei|im|in der|in|ob der|vor der|unter der|de la|de|del|do|da|di|on|upon|sur|sul|al"
_RUN_WORD = r"[A-ZÄÖÜ][\w'’-]{0,40}"
_RUN_PLACE = (
    rf"(?:St\. )?{_RUN_WORD}(?:(?: (?:{_JOIN}))? {_RUN_WORD}| ?/ ?(?:St\. )?{_RUN_WORD}){{0,4}}"  # "Hanoi / Phnom Penh"
)
_SENTENCE_END = re.compile(r"(?:^|(?<=[.!?:\"“”»«)])\s+|\n)", re.MULTILINE)
_RUNNING = re.compile(
    rf"(?:\([\w/. -]{{2,30}}\) )?(?P<place>{_RUN_PLACE})(?:, [A-Z][\w ,.]{{0,50}}?)?(?: \([\w/. -]{{2,30}}\))?"
    r"\s(?:--\s|[–—]\s?(?=[A-ZÄÖÜ„\"»])|[–—-]\s)"
)  # "(Mynewsdesk) NEW YORK, NY and BERLIN, GERMANY -- …": an agency may come first, the place's state after it
# "BOZEN. Raiffeisen lädt …", "LANA (fm). Wie im …", "Linz. Die voestalpine …", "St. Gallen (sda) Die Polizei …":
# a place with a full stop, or with an author's or agency's short sign in brackets, at the start of a line (the
# layout of Austrian, South Tyrolean and Swiss papers).
_STOP_START = re.compile(
    rf"(?P<place>{_RUN_PLACE}) {{0,3}}(?:\((?P<sign>[\w/.-]{{1,12}})\))? {{0,3}}(?P<stop>\.)? {{1,4}}(?=[A-ZÄÖÜ„\"»])"
)  # spaces as typed: "Bozen . Wer", "Meran  (ki). Ende", "BOZEN(pir). „Es"
RUNNING_CHARS = 700
RUNNING_LINE = 120  # a longer line is running text: a date in it counts only near its start ("Berlin, 13.12.2019 – …")
HEADER_DATE_CHARS = 60
TOWN_KINDS = {"municipality", "locality"}
REGION_KINDS = {"district", "state", "country"}
_NOT_PLACES = {"uhr", "pressemitteilung", "pressemeldung", "meldung", "nr", "stand", "update", "aktualisiert"}
# A header starting with one of these is running text or a date phrase ("Von Montag, 3. Juni 2019"), not a place.
_NOT_PLACE_START = {
    "am", "an", "ab", "bis", "von", "vom", "seit", "zum", "zur", "im", "in", "der", "die", "das", "heute", "gestern",
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag",
}  # fmt: skip
HEADER_LINES = 4


def _safe_date(year_text: str, month: int, day: int) -> date | None:
    """A calendar date; two-digit years are 19xx/20xx, four-digit years before 1000 ("0000") are invalid."""
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if year < 70 else 1900
    elif year < 1000:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_date(text: str) -> tuple[date, re.Match[str]] | None:
    """First complete calendar date written in ``text`` (numeric, wordy or ISO)."""
    found: list[tuple[int, date, re.Match[str]]] = []
    for pattern in (_NUMERIC, _WORDY, _ISO):
        for match in pattern.finditer(text):
            month = match["m"]
            month_no = int(month) if month.isdigit() else month_number(month)
            if month_no is None:
                continue
            value = _safe_date(match["y"], month_no, int(match["d"]))
            if value is not None:
                found.append((match.start(), value, match))
                break
    if not found:
        return None
    _, value, match = min(found, key=lambda item: item[0])
    return value, match


def parse_date_value(value: object) -> date | None:
    """A metadata date (ISO, "02.02.2025 13:09 Uhr", "13. Dezember 2019", date objects)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    found = find_date(text)
    if found:
        return found[0]
    try:  # RSS: "Fri, 13 Dec 2019 10:00:00 +0100"
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


@dataclass(frozen=True)
class Dateline:
    """What a release's dateline says: its date and its list of places, sorted into their roles."""

    published: date | None = None
    place: str | None = None  # the locality: the dateline place
    district: str | None = None  # Landkreis, Bezirk, Kanton, Land named with it
    detail: str | None = None  # Ortsteil, street, Gewerbegebiet: the other items of the list


def _place(candidate: str | None) -> str | None:
    if not candidate:
        return None
    place = candidate.strip(" ,.")
    first = place.split(maxsplit=1)[0].casefold() if place else ""
    return None if place.casefold() in _NOT_PLACES or first in _NOT_PLACE_START else place


def _readings(name: str) -> set[str]:
    """Kinds of home places (Germany, Austria, Switzerland) the gazetteer gives a name; empty when unknown."""
    from pipeline.normalise.geocode import HOME_COUNTRIES, gazetteer

    return {p.kind for p in gazetteer().candidates(name) if p.country_code in HOME_COUNTRIES or p.kind == "country"}


def _dateline_dash(head: str, end: int) -> bool:
    """A plain hyphen ends a dateline only before a sentence's first word that is a function word ("Frankfurt am
    Main - Die AUA-Mutter"): OCR and plain text space out compounds with it too ("Hof - Operntheater",
    "London - Wall"). Dashes and "--" end one before any word."""
    dash = head[:end].rstrip()[-1:]
    if dash != "-" or head[:end].rstrip().endswith("--"):
        return True
    from spacy.lang.de.stop_words import STOP_WORDS

    following = re.match(r"\s*([\wÄÖÜäöüß]+)", head[end:])
    return following is not None and following.group(1).lower() in STOP_WORDS


def _reads_as_a_place(name: str) -> bool:
    """A word in running text before a dash is a dateline only if it reads as a place: no function word ("Oder –"
    in an advertisement), no common noun the municipality lists lack ("Bank –", "Damen –"); "Essen –" is a town."""
    from spacy.lang.de.stop_words import STOP_WORDS

    from pipeline.nlp import lexicon

    if " " in name or "-" in name:
        return True
    if name.lower() in STOP_WORDS:
        return False
    return name not in lexicon.common_nouns() or name in lexicon.places() or name in lexicon.countries()


def _known_place(name: str) -> bool:
    from pipeline.normalise.geocode import gazetteer

    return bool(gazetteer().candidates(name))


def sort_places(items: list[str]) -> Dateline:
    """A dateline's list of places in any order: the first town is the place, a district or state the district,
    the rest (Ortsteil, street, Gewerbegebiet) the detail. Without a known town the first item is the place."""
    from pipeline.normalise.geocode import gazetteer

    written = len(items)
    items = [i for i in (_place(item) for item in items) if i]
    if not items:
        return Dateline()
    kinds = [_readings(item) for item in items]
    towns = [i for i, k in enumerate(kinds) if k & TOWN_KINDS]
    regions = [i for i, k in enumerate(kinds) if k & REGION_KINDS and not k & TOWN_KINDS]
    if not towns and not regions and written > 1:
        return Dateline()  # "Epoch Times, Sonntag, 8. November 2015": no place of the list is known
    if not towns and (not regions or len(items) == 1):
        towns = [0]  # an unknown village or a region written alone ("Havelland –") is the place
        regions = [i for i in regions if i != 0]
    place = towns[0] if towns else regions.pop(0)
    district = next((i for i in regions if i != place), None)
    if district is None:  # "Brandenburg an der Havel, Brandenburg an der Havel": the city is its own district
        district = next((i for i in towns[1:] if items[i] == items[place]), None)
    rest = [items[i] for i in range(len(items)) if i not in {place, district}]
    spell = gazetteer().source_spelling
    return Dateline(
        place=spell(items[place]),
        district=spell(items[district]) if district is not None else None,
        detail=", ".join(rest) or None,
    )


def _split(places: str) -> list[str]:
    return [item.strip() for item in places.split(",") if item.strip()]


def dateline_in_line(line: str, date_match: re.Match[str] | None) -> Dateline:
    """The places of a header line in one of the layouts above (the date is filled by the caller)."""
    agency = _AGENCY_LINE.match(line)
    if agency:
        return sort_places([agency["place"]])
    if date_match is None:
        return Dateline()
    before, after = line[: date_match.start()], line[date_match.end() :]
    for pattern in (_PLACES_COMMA, _PLACE_STOP):
        found = pattern.match(before)
        if found:
            return sort_places(_split(found["place"]))
    if not before.strip():
        found = _AFTER_DATE.match(after)
        if found and not re.match(r"[ ,]\s?\d", after):
            return sort_places(_split(found["place"]))
    return Dateline()


def dateline_place(line: str, date_match: re.Match[str] | None) -> str | None:
    """The place of a header line in one of the layouts above, or None."""
    return dateline_in_line(line, date_match).place


def dateline_in_text(text: str) -> Dateline:
    """ "Ort –" or "Ort (Agentur) –" at the start of a line or after the teaser's or title's last sentence
    ("… beschränkt gehört. Wien – Die Gewerkschaft …"): the first of several places ("Wien/Graz") that the
    gazetteer knows is the place."""
    head = text[:RUNNING_CHARS]
    for boundary in _SENTENCE_END.finditer(head):
        found = _RUNNING.match(head, boundary.end())
        if found is None or not _dateline_dash(head, found.end()):
            continue
        names = [n.strip() for n in found["place"].split("/")]
        known = [n for n in names if _place(n) and _known_place(n) and _reads_as_a_place(n)]
        if known:
            return sort_places([known[0]])
    return Dateline()


def _opens_prose(found: re.Match[str]) -> bool:
    """What follows "Place." is a sentence: after a place in capitals or with a sign any word ("BOZEN. Raiffeisen
    lädt …"); after a plain "Linz." a function word ("Linz. Die …"), as "Jos. Paulmann" and "Würzburg. Edler v. …"
    (an abbreviation, a guest list) go on otherwise. "Meidling. Morgen: 10. Sektion" is a listing, not prose."""
    from spacy.lang.de.stop_words import STOP_WORDS

    following = re.match(r"[„\"»]?([\wÄÖÜäöüß]+)(:?)", found.string[found.end() : found.end() + 40])
    if following is None or following.group(2):
        return False
    return bool(found["sign"]) or found["place"].isupper() or following.group(1).lower() in STOP_WORDS


def dateline_at_line_start(text: str) -> Dateline:
    """ "BOZEN. …", "LANA (fm). …", "St. Gallen (sda) …" at the start of one of the first lines: a place the
    gazetteer knows that reads as one, ended by a full stop or followed by a short sign in brackets."""
    offset = 0
    for line in text[:RUNNING_CHARS].split("\n")[: HEADER_LINES * 3]:
        start = offset + len(line) - len(line.lstrip())
        offset += len(line) + 1
        found = _STOP_START.match(text, start)
        if found is None or not (found["stop"] or found["sign"]) or not _opens_prose(found):
            continue
        names = [n.strip() for n in found["place"].split("/")]  # "WIEN/BOZEN."
        known = [n for n in names if _place(n) and _known_place(n) and _reads_as_a_place(n)]
        if known:
            return sort_places([known[0]])
    return Dateline()


def parse_dateline(text: str) -> Dateline:
    """Date and places of a release from its first lines, else from its running start (teaser, then "Ort –")."""
    lines = [line for line in text.split("\n")[: HEADER_LINES * 3] if line.strip()][:HEADER_LINES]
    published: date | None = None
    places = Dateline()
    for line in lines:
        if len(line) > 300:
            line = line[:300]
        found = find_date(line[:200])
        if found is not None and len(line) > RUNNING_LINE and found[1].start() > HEADER_DATE_CHARS:
            found = None  # a date inside running text ("erfolgte in der Nacht vom 8. Februar 1904") is no header
        if places.place is None:
            places = dateline_in_line(line, found[1] if found else None)
        if found is not None and published is None:
            published = found[0]
        if published is not None and places.place is not None:
            break
        if published is not None and found is not None and len(line) > RUNNING_LINE:
            break  # a date inside running text: the header is over
    if places.place is None:
        places = dateline_in_text(text)
    if places.place is None:
        places = dateline_at_line_start(text)
    return Dateline(published, places.place, places.district, places.detail)


def parse_header(text: str) -> tuple[date | None, str | None]:
    """(published, dateline_place) from the first lines of a release."""
    dateline = parse_dateline(text)
    return dateline.published, dateline.place


DATELINE_CHARS = 800


def dateline_position(text: str, place: str) -> tuple[int, int] | None:
    """Character offsets of the dateline place in the text's head (its first whole-word occurrence), or None."""
    found = re.search(rf"(?<!\w){re.escape(place)}(?!\w)", text[:DATELINE_CHARS], re.IGNORECASE)
    return found.span() if found else None
