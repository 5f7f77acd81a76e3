"""Quotes and who said them.

Direct quotes in „…“, "…", »…«, «…» and ‚…‘ are attributed by, in order:
a cue verb after the quote ("…“, betonten Frauke Goll und Gennadi Schermann"),
"so X" after it, "X: „…“" or "X sagte: „…“" before it, and otherwise the person
named nearest before the quote in the same sentence. Indirect speech
("X sagte, dass … sei") becomes a quote when the speaker is explicit. Several
speakers stay several.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from pipeline.normalise.stages import Extraction, register_stage

QUOTE = re.compile(r"„([^“”\"]{8,}?)[“”\"]|\"([^\"]{8,}?)\"|»([^«]{8,}?)«|«([^»]{8,}?)»|‚([^‘’]{8,}?)[‘’]")
CUES = [
    "sagte",
    "sagten",
    "sagt",
    "sagen",
    "betonte",
    "betonten",
    "betont",
    "betonen",
    "erklärte",
    "erklärten",
    "erklärt",
    "meinte",
    "meinten",
    "meint",
    "ergänzte",
    "ergänzten",
    "ergänzt",
    "unterstrich",
    "unterstrichen",
    "unterstreicht",
    "berichtete",
    "berichteten",
    "berichtet",
    "kommentierte",
    "kommentierten",
    "kommentiert",
    "resümierte",
    "resümierten",
    "bekräftigte",
    "bekräftigten",
    "versicherte",
    "versicherten",
    "mahnte",
    "mahnten",
    "forderte",
    "forderten",
    "warnte",
    "warnten",
    "erläuterte",
    "erläuterten",
    "erläutert",
    "hob",
    "hoben",
    "fügte",
    "fügten",
    "zeigte",
    "zeigten",
    "freute",
    "freuten",
    "freut",
    "äußerte",
    "äußerten",
    "teilte",
    "teilten",
    "stellte",
    "stellten",
    "so",
    "laut",
    "zitiert",
    "antwortete",
    "antworteten",
    "kündigte",
    "kündigten",
]
CUE_RE = "|".join(CUES)
SUBJUNCTIVE = re.compile(
    r"\b(?:sei|seien|habe|haben|werde|werden|könne|könnten|müsse|müssten|solle|wolle|gebe|wäre|hätte|würde|würden)\b"
)


def quote_id(doc_id: str, start: int) -> str:
    return hashlib.blake2b(f"{doc_id}:quote:{start}".encode(), digest_size=8).hexdigest()


def _people_between(people: list[dict], start: int, end: int) -> list[dict]:
    return [p for p in people if start <= p["start_char"] and p["end_char"] <= end]


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    return left + 1, right


def attribute(text: str, start: int, end: int, people: list[dict]) -> tuple[list[dict], str | None]:
    """Speakers and cue for the quote at text[start:end]."""
    after = text[end : end + 160]
    # "…“, betonten Frauke Goll und Gennadi Schermann, beide …" / "…“, so Huber."
    match = re.match(rf"\s*,?\s*(?P<cue>{CUE_RE})\b(?:\s+\w+){{0,2}}?\s+", after)
    if match:
        window_start = end + match.end()
        speakers = []
        cursor = window_start
        for person in sorted(people, key=lambda p: p["start_char"]):
            if person["start_char"] < window_start:
                continue
            gap = text[cursor : person["start_char"]]
            if person["start_char"] == window_start or re.fullmatch(r"\s*(?:und|sowie|,)\s*(?:\w+\s+){0,2}", gap):
                speakers.append(person)
                cursor = person["end_char"]
            else:
                break
        if speakers:
            return speakers, match["cue"]
    # "Stefan Huber: „…“" / "Huber sagte: „…“"
    before = text[max(0, start - 120) : start]
    match = re.search(rf"(?P<cue>{CUE_RE})?\s*:\s*$", before)
    if match:
        head = max(0, start - 120) + match.start()
        candidates = [p for p in people if p["end_char"] <= head and head - p["end_char"] <= 40]
        if candidates:
            return [candidates[-1]], match["cue"] or ":"
    # The nearest person before the quote in the same sentence.
    sentence_start, _ = _sentence_bounds(text, start, end)
    candidates = [p for p in people if sentence_start <= p["start_char"] and p["end_char"] <= start]
    if candidates:
        return [candidates[0]], None
    return [], None


def indirect_quotes(text: str, people: list[dict]) -> list[tuple[int, int, list[dict], str]]:
    """ "X sagte, dass … sei": (start, end, speakers, cue) of the dass-clause."""
    found = []
    for person in people:
        after = text[person["end_char"] : person["end_char"] + 300]
        match = re.match(rf"\s+(?P<cue>{CUE_RE})\b[^.\n„\"]{{0,40}}?,\s*dass\s+(?P<clause>[^.\n]+)", after)
        if match and SUBJUNCTIVE.search(match["clause"]):
            start = person["end_char"] + match.start("clause")
            found.append((start, start + len(match["clause"]), [person], match["cue"]))
    return found


def _row(
    doc_id: str, start: int, end: int, text: str, speakers: list[dict], cue: str | None, kind: str
) -> dict[str, Any]:
    return {
        "quote_id": quote_id(doc_id, start),
        "doc_id": doc_id,
        "start_char": start,
        "end_char": end,
        "text": text,
        "speaker_entity_ids": "|".join(dict.fromkeys(p["entity_id"] for p in speakers if p["entity_id"])) or None,
        "speaker_names": "|".join(dict.fromkeys(p["value"] or p["text"] for p in speakers)) or None,
        "cue": cue,
        "kind": kind,
    }


@register_stage("quotes")
class QuoteStage:
    """``quotes`` rows: direct quotes with their speakers, and explicit indirect speech."""

    def __call__(self, item: Extraction) -> Extraction:
        text = item.document.text
        doc_id = item.document.doc_id
        people = sorted((m for m in item.mentions if m["label"] == "PER"), key=lambda m: m["start_char"])
        rows = item.rows("quotes")
        for match in QUOTE.finditer(text):
            group = next(i for i in range(1, 6) if match.group(i) is not None)
            inner = match.group(group)
            if len(inner.split()) < 4 and not inner.rstrip().endswith((".", "!", "?", ",")):
                continue  # a quoted name or title ("Initiative Wirtschaft 4.0"), not speech
            speakers, cue = attribute(text, match.start(), match.end(), people)
            rows.append(_row(doc_id, match.start(group), match.end(group), inner, speakers, cue, "direct"))
        for start, end, speakers, cue in indirect_quotes(text, people):
            rows.append(_row(doc_id, start, end, text[start:end], speakers, cue, "indirect"))
        return item
