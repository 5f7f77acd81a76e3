"""The records that ingestion hands to the rest of the pipeline."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date


class IngestError(Exception):
    """A source that cannot become a document; becomes a ``rejects`` row."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(slots=True)
class Document:
    """One press release as read from its source, before any NLP."""

    doc_id: str
    source: str
    text: str
    title: str | None = None
    published: date | None = None
    dateline_place: str | None = None
    dateline_district: str | None = None  # district or state the dateline names with its place
    dateline_detail: str | None = None  # Ortsteil, street: the dateline's other places
    encoding: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    format: str | None = None  # txt, html, json, csv, xml, pdf, docx, odt, eml, warc
    page_starts: tuple[int, ...] = ()  # paged formats (PDF): offset in ``text`` where each page begins

    def page_of(self, offset: int) -> int | None:
        """The 1-based page holding character ``offset``, or None for a format without pages."""
        if not self.page_starts:
            return None
        return max(1, bisect_right(self.page_starts, offset))


def printable(name: str) -> str:
    """``name`` with undecodable bytes (surrogate escapes) shown as ``\\xNN``, never raising."""
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "backslashreplace")
    return raw.decode("utf-8", "backslashreplace")


@dataclass(slots=True)
class Reject:
    """An input that did not become a document, with the reason why."""

    source: str
    stage: str
    reason: str
    detail: str = ""

    def __post_init__(self) -> None:
        # Error messages may quote undecodable names; tables need valid UTF-8.
        self.source, self.detail = printable(self.source), printable(self.detail)


def make_doc_id(source_id: str, text: str) -> str:
    """Stable id: the same source id and text give the same id on any machine."""
    digest = hashlib.blake2b(f"{source_id}\x00{text}".encode("utf-8", "surrogatepass"), digest_size=8)
    return digest.hexdigest()
