"""Publication date and dateline place from metadata values and release headers.

Handles the header shapes German releases use: "Bruchsal, 13.12.2019 –" and "Stuttgart, 4. Mai 2020:"
(Ort, DATE), "04.07.2025 Fürstenwalde/Spree" (DATE Ort), "04.07.2025 Fürstenwalde/Spree, Oder-Spree"
(DATE Ort, Kreis), "Berlin (dpa) –" and press-portal headers "Hamburg (ots) -" (Ort (Agentur) –),
"BERLIN. 13.12.2019 –" (ORT. DATE –), and dates without a place ("DIZ 13.12.2019", "02.02.2025 13:09 Uhr").
Every pattern is linear-time: bounded repetitions, no nested quantifiers over the same characters.
"""

from __future__ import annotations

import re
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
# "Bruchsal, 13.12.2019 –", "Stuttgart, 4. Mai 2020": a place, a comma, the date.
_PLACE_COMMA = re.compile(rf"^\s*(?P<place>{PLACE})\s?,\s?$")
# "BERLIN. 13.12.2019 –": an upper-case place and a full stop before the date.
_PLACE_STOP = re.compile(r"^\s*(?P<place>[A-ZÄÖÜ][A-ZÄÖÜ/ -]{1,40}[A-ZÄÖÜ])\.\s?$")
# "04.07.2025 Fürstenwalde/Spree" or "04.07.2025 Fürstenwalde/Spree, Oder-Spree" (the district is dropped).
_AFTER_DATE = re.compile(rf"^[ ,]\s?(?P<place>{PLACE})(?:,\s?{PLACE})?\s*(?:$|{_DASH}|:\s)")
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


def _place(candidate: str | None) -> str | None:
    if not candidate:
        return None
    place = candidate.strip(" ,.")
    first = place.split(maxsplit=1)[0].casefold() if place else ""
    return None if place.casefold() in _NOT_PLACES or first in _NOT_PLACE_START else place


def dateline_place(line: str, date_match: re.Match[str] | None) -> str | None:
    """The place of a header line in one of the layouts above, or None."""
    agency = _AGENCY_LINE.match(line)
    if agency:
        return _place(agency["place"])
    if date_match is None:
        return None
    before, after = line[: date_match.start()], line[date_match.end() :]
    for pattern in (_PLACE_COMMA, _PLACE_STOP):
        found = pattern.match(before)
        if found:
            return _place(found["place"])
    if not before.strip():
        found = _AFTER_DATE.match(after)
        if found and not re.match(r"[ ,]\s?\d", after):
            return _place(found["place"])
    return None


def parse_header(text: str) -> tuple[date | None, str | None]:
    """(published, dateline_place) from the first lines of a release."""
    lines = [line for line in text.split("\n")[: HEADER_LINES * 3] if line.strip()][:HEADER_LINES]
    published: date | None = None
    place: str | None = None
    for line in lines:
        if len(line) > 300:
            line = line[:300]
        found = find_date(line[:200])
        place = place or dateline_place(line, found[1] if found else None)
        if found is not None and published is None:
            published = found[0]
        if published is not None and place is not None:
            break
        if published is not None and found is not None and len(line) > 120:
            break  # a date inside running text: the header is over
    return published, place
