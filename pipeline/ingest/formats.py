"""One reader per input format: bytes in, documents (or rejects) out."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from pipeline.ingest.dateline import parse_date_value, parse_header
from pipeline.ingest.decode import clean_text, decode_bytes
from pipeline.ingest.document import Document, IngestError, Reject, make_doc_id

csv.field_size_limit(sys.maxsize)

Item = Document | Reject


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """Field names and limits; every limit is a CLI option."""

    text_field: str | None = None
    title_field: str | None = None
    date_field: str | None = None
    id_field: str | None = None
    max_bytes: int = 20_000_000
    max_chars: int = 1_000_000
    max_archive_members: int = 100_000
    max_archive_bytes: int = 2_000_000_000
    max_archive_depth: int = 2


TEXT_FIELDS = ("text", "body", "content", "description", "fulltext")
TITLE_FIELDS = ("title", "headline", "titel", "ueberschrift")
DATE_FIELDS = ("date", "published", "datum", "pubdate", "published_at")
ID_FIELDS = ("id", "doc_id", "link", "url", "guid")


def _pick(record: dict, explicit: str | None, candidates: tuple[str, ...]) -> str | None:
    """The field to use: the explicit one, else the first candidate present."""
    if explicit:
        return explicit
    lowered = {key.lower(): key for key in record if isinstance(key, str)}
    for name in candidates:
        if name in lowered:
            return lowered[name]
    return None


def build_document(
    source_id: str,
    source: str,
    text: str,
    options: IngestOptions,
    title: str | None = None,
    published: object = None,
    meta: dict[str, str] | None = None,
) -> Document:
    """Validate ``text`` and fill title, published and dateline from the header."""
    text = clean_text(text).strip("\n ")
    if not text.strip():
        raise IngestError("empty text", "no characters other than white space")
    if len(text) > options.max_chars:
        raise IngestError("document too long", f"{len(text):,} characters > --max-chars {options.max_chars:,}")
    header_date, place = parse_header(text)
    if title is None or not str(title).strip():
        first = next((line.strip() for line in text.split("\n") if line.strip()), "")
        title = first[:300]
    return Document(
        doc_id=make_doc_id(source_id, text),
        source=source,
        text=text,
        title=clean_text(str(title)).strip(),
        published=parse_date_value(published) or header_date,
        dateline_place=place,
        meta=meta or {},
    )


def read_text(source: str, name: str, data: bytes, options: IngestOptions) -> Iterator[Item]:
    """Plain text and Markdown: one document per file."""
    text, encoding = decode_bytes(data)
    yield build_document(name, source, text, options, meta={"encoding": encoding})


def read_html(source: str, name: str, data: bytes, options: IngestOptions) -> Iterator[Item]:
    """HTML: main text by trafilatura (navigation and boilerplate removed)."""
    import trafilatura
    from selectolax.lexbor import LexborHTMLParser

    html, encoding = decode_bytes(data)
    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_recall=True)
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        raise IngestError("no main text in HTML", "trafilatura found no article text")
    title = getattr(extracted, "title", None)
    if not title:
        node = LexborHTMLParser(html).css_first("title")
        title = node.text(strip=True) if node else None
    published = getattr(extracted, "date", None)
    yield build_document(name, source, text, options, title=title, published=published, meta={"encoding": encoding})


def _record_document(record: object, source: str, fallback_id: str, options: IngestOptions) -> Document:
    if not isinstance(record, dict):
        raise IngestError("not a JSON object", f"got {type(record).__name__}")
    text_key = _pick(record, options.text_field, TEXT_FIELDS)
    if text_key is None or text_key not in record:
        raise IngestError("missing text field", f"no field {text_key or '/'.join(TEXT_FIELDS)!r}")
    text = record[text_key]
    if not isinstance(text, str):
        raise IngestError("text field is not a string", f"{text_key!r} is {type(text).__name__}")
    title_key = _pick(record, options.title_field, TITLE_FIELDS)
    date_key = _pick(record, options.date_field, DATE_FIELDS)
    id_key = _pick(record, options.id_field, ID_FIELDS)
    source_id = str(record.get(id_key) or fallback_id) if id_key else fallback_id
    return build_document(
        source_id,
        source,
        text,
        options,
        title=record.get(title_key) if title_key else None,
        published=record.get(date_key) if date_key else None,
    )


def _guarded(source: str, record: object, fallback_id: str, options: IngestOptions) -> Item:
    """A document from one record, or a reject naming what is wrong with it."""
    try:
        return _record_document(record, source, fallback_id, options)
    except IngestError as error:
        return Reject(source, "ingest", error.reason, error.detail)


def read_jsonl(source: str, name: str, data: bytes, options: IngestOptions) -> Iterator[Item]:
    """JSON Lines: one document per line; a broken line is rejected, the rest go on."""
    text, _ = decode_bytes(data)
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield Reject(where, "ingest", "malformed JSON line", str(error))
            continue
        yield _guarded(where, record, f"{name}:{lineno}", options)


def read_json(source: str, name: str, data: bytes, options: IngestOptions) -> Iterator[Item]:
    """A JSON object or an array of objects."""
    text, _ = decode_bytes(data)
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise IngestError("malformed JSON", str(error)) from error
    records = payload if isinstance(payload, list) else [payload]
    for index, record in enumerate(records):
        where = f"{source}#{index}" if len(records) > 1 else source
        yield _guarded(where, record, f"{name}#{index}", options)


def read_csv(source: str, name: str, data: bytes, options: IngestOptions) -> Iterator[Item]:
    """CSV exports (quoted multi-line fields allowed); one document per row."""
    text, _ = decode_bytes(data)
    try:
        dialect = csv.Sniffer().sniff(text[:20_000], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    fields = reader.fieldnames or []
    text_key = _pick(dict.fromkeys(fields), options.text_field, TEXT_FIELDS)
    if text_key is None or text_key not in fields:
        raise IngestError("CSV has no text column", f"wanted {text_key or '/'.join(TEXT_FIELDS)!r}, columns: {fields}")
    for row_no, row in enumerate(reader, start=1):
        where = f"{source}#row{row_no}"
        if None in row:
            yield Reject(where, "ingest", "malformed CSV row", f"{len(row[None])} cells more than the header")
            continue
        yield _guarded(where, row, f"{name}#row{row_no}", options)


def read_xml(source: str, name: str, data: bytes, options: IngestOptions) -> Iterator[Item]:
    """RSS/Atom feeds and XML exports (defusedxml)."""
    from pipeline.ingest.xmlfeeds import read_xml as read_feed

    yield from read_feed(source, name, data, options)


READERS: dict[str, Callable[[str, str, bytes, IngestOptions], Iterator[Item]]] = {
    ".txt": read_text,
    ".md": read_text,
    ".text": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".json": read_json,
    ".csv": read_csv,
    ".xml": read_xml,
    ".rss": read_xml,
    ".atom": read_xml,
}


def reader_for(name: str) -> Callable[[str, str, bytes, IngestOptions], Iterator[Item]] | None:
    """The reader for a file name by its suffix, or None."""
    return READERS.get(PurePosixPath(name).suffix.lower())


def read_blob(source: str, name: str, data: bytes, options: IngestOptions) -> Iterator[Item]:
    """Read one file's bytes with the reader its name asks for; errors become rejects."""
    reader = reader_for(name)
    if reader is None:
        yield Reject(source, "ingest", "unsupported file type", f"suffix {PurePosixPath(name).suffix or '(none)'!r}")
        return
    if len(data) > options.max_bytes:
        yield Reject(source, "ingest", "file too large", f"{len(data):,} bytes > --max-bytes {options.max_bytes:,}")
        return
    try:
        yield from reader(source, PurePosixPath(name).name, data, options)
    except IngestError as error:
        yield Reject(source, "ingest", error.reason, error.detail)
    except Exception as error:  # a reader bug or a library failure must not end the run
        yield Reject(source, "ingest", "reader failed", f"{type(error).__name__}: {error}")
