"""Publication date and dateline place from metadata values and release headers.

Handles the header shapes German releases use: "DIZ 13.12.2019",
"Bruchsal, 13.12.2019 –", "02.02.2025 13:09 Uhr", "Stuttgart, 4. Mai 2020:".
"""

from __future__ import annotations

import re
from datetime import date, datetime

from pipeline.german import month_number

_NUMERIC = re.compile(r"\b(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4}|\d{2})\b")
_WORDY = re.compile(r"\b(?P<d>\d{1,2})\.\s*(?P<m>[A-Za-zÄÖÜäöüß]{3,9}\.?)\s+(?P<y>\d{4})\b")
_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ][0-9:.+\-Z]*)?\b")
# "Bruchsal, 13.12.2019 –" / "Berlin (dpa) -": a capitalised place before a comma or agency.
_PLACE = re.compile(r"^\s*(?P<place>[A-ZÄÖÜ][\w.\-]+(?:[ /-][A-ZÄÖÜ][\w.\-]+){0,3})\s*(?:,|\(|\s[–-]\s)")
HEADER_LINES = 4


def _safe_date(year: int, month: int, day: int) -> date | None:
    if year < 100:
        year += 2000 if year < 70 else 1900
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
            value = _safe_date(int(match["y"]), month_no, int(match["d"]))
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


def parse_header(text: str) -> tuple[date | None, str | None]:
    """(published, dateline_place) from the first lines of a release."""
    lines = [line for line in text.split("\n")[: HEADER_LINES * 3] if line.strip()][:HEADER_LINES]
    for line in lines:
        if len(line) > 200:
            continue
        found = find_date(line)
        if found is None:
            continue
        published, match = found
        place_match = _PLACE.match(line[: match.start()] + ",")
        place = place_match["place"] if place_match and "," in line[: match.start() + 1] else None
        return published, place
    return None, None
