"""Contact data: e-mail addresses, phone numbers (E.164 via phonenumbers), URLs and social handles.

Phone numbers are what ``phonenumbers.PhoneNumberMatcher`` (region DE, leniency VALID) accepts, less what German
text writes with digits but is no phone: dates ("04.07.2025"), times and time ranges ("10:00 - 12:00"), amounts
("15.000 Euro"), case and record numbers ("Nr. 0122", "Az. 2 Js 1234/22"), postcodes ("15370 Fredersdorf") and
bank details (IBAN). Every regular expression here has bounded repetitions, so a 900,000-character token costs
linear time.
"""

from __future__ import annotations

import re

import phonenumbers

from pipeline.normalise.stages import Extraction, register_stage
from pipeline.normalise.structure import section_at

EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.[a-zA-Z]{2,24}\b")
URL = re.compile(
    r"\b(?:https?://[^\s<>\"'„“”»«]{1,2000}|www\.[^\s<>\"'„“”»«]{1,2000}|"
    r"(?<![\w.-])[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8}\.(?:de|com|org|net|eu|info|at|ch|berlin|bayern)/[^\s<>\"'„“”»«]{0,2000})",
    re.IGNORECASE,
)
# Every URL holds one of these: a text without them skips the URL expression (it tries at every word boundary).
URL_HINT = re.compile(r"://|www\.|\.(?:de|com|org|net|eu|info|at|ch|berlin|bayern)/", re.IGNORECASE)
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_]{2,30}\b")
# Only texts with a run of 6+ digits (separators allowed) can hold a phone number; skip the slow matcher otherwise.
PHONE_HINT = re.compile(r"\d[\d \t/()\-–.]{4,40}\d")
# Digits that are no phone number: a date, a time (range), a thousands-separated amount.
NOT_A_PHONE = re.compile(
    r"\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})?|\d{1,2}[:.]\d{2}\s?(?:[-–]|Uhr|h\b)|\d{1,3}(?:\.\d{3})+(?:,\d+)?"
)
# Words just before or after that make digits something else: case numbers, amounts, bank details, postcodes.
BEFORE_NOT_A_PHONE = re.compile(
    r"\b(?:Nr\.?|Nummer|Az\.?|Aktenzeichen|Tgb\.?|IBAN|BIC|BLZ|Konto\w{0,10}|Kennzeichen|PLZ|Js|Ds)\s?:?\s?$",
    re.IGNORECASE,
)
AFTER_NOT_A_PHONE = re.compile(r"^\s?(?:€|Euro|EUR|Uhr|Jahre|km|m\b|kg|Prozent|%|[A-ZÄÖÜ][a-zäöüß]{2,})")
# A bare five-digit group followed by a capitalised word is a postcode ("15370 Fredersdorf").
POSTCODE = re.compile(r"^\d{5}$")
TRAILING = ".,;:!?)]}»“”'\""


def _url_value(raw: str) -> str:
    return raw if re.match(r"https?://", raw, re.IGNORECASE) else f"https://{raw}"


def is_phone_text(text: str, start: int, end: int) -> bool:
    """False for digits phonenumbers accepts that are a date, time, amount, case number, postcode or IBAN."""
    raw = text[start:end]
    if NOT_A_PHONE.search(raw) or POSTCODE.match(raw.strip()):
        return False
    before, after = text[max(0, start - 20) : start], text[end : end + 20]
    dialled = raw.lstrip().startswith(("+", "(0"))  # "(030) 4664-953199" after "Nummer" is a phone
    if (BEFORE_NOT_A_PHONE.search(before) and not dialled) or re.search(r"\bDE\d{2}\s?$", before):
        return False
    return not (AFTER_NOT_A_PHONE.match(after) and not raw.lstrip().startswith(("+", "(", "0")))


def find_contacts(text: str) -> list[dict]:
    """Contacts in text order: kind, normalised value, offsets."""
    found: list[dict] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, value: str, start: int, end: int) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append({"kind": kind, "value": value, "start_char": start, "end_char": end})

    for match in EMAIL.finditer(text) if "@" in text else ():
        add("email", match.group().lower(), match.start(), match.end())
    for match in URL.finditer(text) if URL_HINT.search(text) else ():
        raw = match.group().rstrip(TRAILING)
        add("url", _url_value(raw), match.start(), match.start() + len(raw))
    phones = (
        phonenumbers.PhoneNumberMatcher(text, "DE", leniency=phonenumbers.Leniency.VALID)
        if PHONE_HINT.search(text)
        else []
    )
    for match in phones:
        if not is_phone_text(text, match.start, match.end):
            continue
        value = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        add("phone", value, match.start, match.end)
    for match in HANDLE.finditer(text) if "@" in text else ():
        add("handle", match.group(), match.start(), match.end())
    return sorted(found, key=lambda c: c["start_char"])


@register_stage("contacts")
class ContactStage:
    """``contacts`` rows; a contact in the boilerplate is tied to the person named just before it there."""

    def __call__(self, item: Extraction) -> Extraction:
        doc_id = item.document.doc_id
        sections = item.doc._.pressewerk_sections or []
        people = [m for m in item.mentions if m["label"] == "PER" and m.get("section") == "boilerplate"]
        rows = item.rows("contacts")
        for contact in find_contacts(item.document.text):
            person = None
            if section_at(sections, contact["start_char"]) == "boilerplate":
                before = [
                    p
                    for p in people
                    if p["end_char"] <= contact["start_char"] and contact["start_char"] - p["end_char"] < 300
                ]
                person = before[-1]["entity_id"] if before else None
            rows.append({"doc_id": doc_id, **contact, "person_entity_id": person})
        return item
