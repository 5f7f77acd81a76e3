"""Contact data: e-mail addresses, phone numbers (E.164 via phonenumbers), URLs and social handles."""

from __future__ import annotations

import re

import phonenumbers

from pipeline.normalise.stages import Extraction, register_stage
from pipeline.normalise.structure import section_at

EMAIL = re.compile(r"\b[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}\b")
URL = re.compile(
    r"\b(?:https?://[^\s<>\"'„“”»«]+|www\.[^\s<>\"'„“”»«]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:de|com|org|net|eu|info|at|ch|berlin|bayern)/[^\s<>\"'„“”»«]*)",
    re.IGNORECASE,
)
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_]{2,30}\b")
# Only texts with a run of 6+ digits (separators allowed) can hold a phone number; skip the slow matcher otherwise.
PHONE_HINT = re.compile(r"\d[\d \t/()\-–.]{4,}\d")
TRAILING = ".,;:!?)]}»“”'\""


def _url_value(raw: str) -> str:
    return raw if re.match(r"https?://", raw, re.IGNORECASE) else f"https://{raw}"


def find_contacts(text: str) -> list[dict]:
    """Contacts in text order: kind, normalised value, offsets."""
    found: list[dict] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, value: str, start: int, end: int) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append({"kind": kind, "value": value, "start_char": start, "end_char": end})

    for match in EMAIL.finditer(text):
        add("email", match.group().lower(), match.start(), match.end())
    for match in URL.finditer(text):
        raw = match.group().rstrip(TRAILING)
        add("url", _url_value(raw), match.start(), match.start() + len(raw))
    phones = (
        phonenumbers.PhoneNumberMatcher(text, "DE", leniency=phonenumbers.Leniency.VALID)
        if PHONE_HINT.search(text)
        else []
    )
    for match in phones:
        value = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        add("phone", value, match.start, match.end)
    for match in HANDLE.finditer(text):
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
