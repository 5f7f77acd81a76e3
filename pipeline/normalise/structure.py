"""Press-release structure: title, dateline, lead, body and boilerplate sections.

Sections are character ranges kept on the Doc (``doc._.pressewerk_sections``) for
later stages; every mention gets the ``section`` it starts in. Mentions in the
boilerplate (about us, press contact, "Mehr Informationen", legal footer) are
kept and flagged by that section so BI users can filter them.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from pipeline.ingest.dateline import find_date
from pipeline.normalise.stages import Extraction, register_stage

Doc.set_extension("pressewerk_sections", default=None, force=True)

BOILERPLATE_START = re.compile(
    r"^\s*(?:über\s+(?:uns|die|den|das)\b|pressekontakt|medienkontakt|kontakt\b|ansprechpartner(?:in)?\b|"
    r"rückfragen|für\s+rückfragen|mehr\s+informationen|weitere\s+informationen|hinweis\s+(?:an|für)\s+(?:die\s+)?redaktion|"
    r"impressum|pressestelle\b|herausgeber\b|v\.\s?i\.\s?s\.\s?d\.\s?p|bildnachweis|fotonachweis|quelle:|"
    r"disclaimer|haftungsausschluss|newsletter|folgen\s+sie\s+uns|www\.|https?://)",
    re.IGNORECASE,
)
SECTIONS = ("title", "dateline", "lead", "body", "boilerplate")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Character ranges of blank-line separated paragraphs (single lines when there are no blank lines)."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text)]
    if len(spans) <= 2:
        spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    return [(s, e) for s, e in spans if text[s:e].strip()]


def split_sections(text: str) -> list[tuple[int, int, str]]:
    """(start, end, section) ranges covering the text's paragraphs in order."""
    parts = paragraphs(text)
    if not parts:
        return []
    result: list[tuple[int, int, str]] = []
    index = 0
    first_start, first_end = parts[0]
    first = text[first_start:first_end]
    if len(parts) > 1 and len(first) <= 200 and "\n" not in first.strip() and not first.rstrip().endswith((".", ":")):
        result.append((first_start, first_end, "title"))
        index = 1
    if index < len(parts):
        start, end = parts[index]
        block = text[start:end]
        found = find_date(block[:120])
        cut = re.search(r"\s[–—-]\s|:\s", block[found[1].end() : found[1].end() + 12]) if found else None
        if found is not None and found[1].start() < 60 and cut and block[found[1].end() + cut.end() :].strip():
            # "Bruchsal, 13.12.2019 – Der Text ...": the dateline ends at the dash or colon after the date.
            split_at = start + found[1].end() + cut.end()
            result.append((start, split_at, "dateline"))
            parts[index] = (split_at, end)
        elif found is not None and len(block) <= 80:
            result.append((start, end, "dateline"))
            index += 1
    boilerplate_from = next(
        (i for i in range(index, len(parts)) if i > index and BOILERPLATE_START.match(text[parts[i][0] : parts[i][1]])),
        None,
    )
    for i in range(index, len(parts)):
        start, end = parts[i]
        if boilerplate_from is not None and i >= boilerplate_from:
            section = "boilerplate"
        elif i == index:
            section = "lead"
        else:
            section = "body"
        result.append((start, end, section))
    return result


def section_at(sections: list[tuple[int, int, str]], offset: int) -> str:
    for start, end, section in sections:
        if start <= offset < end:
            return section
    previous = [section for start, _, section in sections if start <= offset]
    return previous[-1] if previous else "body"


@register_stage("structure")
class SectionStage:
    """Sets ``doc._.pressewerk_sections`` and each mention's ``section``."""

    def __call__(self, item: Extraction) -> Extraction:
        sections = split_sections(item.document.text)
        item.doc._.pressewerk_sections = sections
        for mention in item.mentions:
            mention["section"] = section_at(sections, mention["start_char"])
        return item
