"""One reader per input format: bytes in, documents (or rejects) out."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from pipeline.ingest.csvrecords import csv_rows
from pipeline.ingest.dateline import parse_date_value, parse_dateline
from pipeline.ingest.decode import (
    clean_text,
    declared_encoding,
    decode_bytes,
    decode_record,
    sniff_binary,
    utf16_encoding,
)
from pipeline.ingest.document import Document, IngestError, Reject, make_doc_id

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
    max_pages: int = 1_000
    max_attachments: int = 100


TEXT_FIELDS = ("text", "body", "content", "description", "fulltext")
TITLE_FIELDS = ("title", "headline", "titel", "ueberschrift")
DATE_FIELDS = ("date", "published", "datum", "pubdate", "published_at")
ID_FIELDS = ("id", "doc_id", "link", "url", "guid")


def _pick(record: dict, explicit: str | None, candidates: tuple[str, ...], option: str) -> str | None:
    """The field to use: the explicit one, else the first candidate present (any case).

    Two spellings of one field ("text" and "TEXT") with different values are ambiguous: an
    :class:`IngestError` that asks for ``--OPTION``; with equal values the lower-case one is taken.
    """
    if explicit:
        return explicit
    spellings: dict[str, list[str]] = {}
    for key in record:
        if isinstance(key, str):
            spellings.setdefault(key.lower(), []).append(key)
    for name in candidates:
        keys = spellings.get(name)
        if not keys:
            continue
        if len({json.dumps(record[key], sort_keys=True, default=str) for key in keys}) > 1:
            shown = " and ".join(repr(key) for key in keys)
            raise IngestError("ambiguous field", f"{shown} differ only in case; name the one to use with --{option}")
        return name if name in keys else keys[0]
    return None


MAX_TITLE = 300
# A sentence end: . ! ? … before a capitalised word; a period after a number or a short word (9. Dezember, Dr.) is not.
_SENTENCE_END = re.compile(r"(?P<word>\w*)[.!?…](?=\s+[A-ZÄÖÜ„\"»])")


def cut_title(line: str, limit: int = MAX_TITLE) -> str:
    """A title from the first line of a text: whole when it fits, else cut at a sentence or word boundary.

    A cut title ends at the last sentence end within ``limit`` when that keeps at least a third of it,
    else at the last word boundary, and carries "…"; a single word longer than ``limit`` is cut inside.
    """
    if len(line) <= limit:
        return line
    line = " ".join(line.split())
    if len(line) <= limit:
        return line
    head = line[: limit - 1]
    sentences = [
        m.end()
        for m in _SENTENCE_END.finditer(line[:limit])
        if m.end() >= limit // 3 and not m["word"].isdigit() and len(m["word"]) > 3
    ]
    if sentences:
        return line[: sentences[-1]]
    space = head.rfind(" ") if line[limit - 1] != " " else limit - 1
    cut = head[:space] if space > 0 else head
    return cut.rstrip(" ,;:-–") + "…"


def build_document(
    source_id: str,
    source: str,
    text: str,
    options: IngestOptions,
    title: str | None = None,
    published: object = None,
    meta: dict[str, str] | None = None,
    encoding: str | None = None,
) -> Document:
    """Validate ``text`` and fill title, published and dateline from the header."""
    text = clean_text(text).strip("\n ")
    if not text.strip():
        raise IngestError("empty text", "no characters other than white space")
    if not any(char.isalnum() for char in text):
        raise IngestError("no words", f"{len(text):,} characters without a letter or digit")
    if len(text) > options.max_chars:
        raise IngestError("document too long", f"{len(text):,} characters > --max-chars {options.max_chars:,}")
    dateline = parse_dateline(text)
    if title is None or not str(title).strip():
        first = next((line.strip() for line in text.split("\n") if line.strip()), "")
        title = cut_title(first)
    return Document(
        doc_id=make_doc_id(source_id, text),
        source=source,
        text=text,
        title=clean_text(str(title)).strip(),
        published=parse_date_value(published) or dateline.published,
        dateline_place=dateline.place,
        dateline_district=dateline.district,
        dateline_detail=dateline.detail,
        encoding=encoding,
        meta=meta or {},
    )


def gold_document(doc_id: str, source: str, text: str, published: object = None) -> Document:
    """A gold text as ``build_document`` reads it (its date, else the header's, and its dateline), but the text
    kept as it is, because the gold's offsets point into it: what ``evaluate`` scores is what a run extracts."""
    dateline = parse_dateline(text)
    return Document(
        doc_id=doc_id,
        source=source,
        text=text,
        published=parse_date_value(published) or dateline.published,
        dateline_place=dateline.place,
        dateline_district=dateline.district,
        dateline_detail=dateline.detail,
    )


def read_text(source: str, name: str, data: bytes, options: IngestOptions) -> Iterator[Item]:
    """Plain text and Markdown: one document per file."""
    text, encoding = decode_bytes(data)
    yield build_document(name, source, text, options, encoding=encoding)


def html_main_text(html: str) -> tuple[str, str | None, str | None]:
    """(main text, title, date) of an HTML page by trafilatura (navigation and boilerplate removed)."""
    import trafilatura
    from selectolax.lexbor import LexborHTMLParser

    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, favor_recall=True)
    text = getattr(extracted, "text", None) if extracted is not None else None
    if not text or not text.strip():
        raise IngestError("no main text in HTML", "trafilatura found no article text")
    title = getattr(extracted, "title", None)
    if not title:
        node = LexborHTMLParser(html).css_first("title")
        title = node.text(strip=True) if node else None
    return text, title, getattr(extracted, "date", None)


def read_html(source: str, name: str, data: bytes, options: IngestOptions) -> Iterator[Item]:
    """HTML: main text by trafilatura; ``<meta charset>`` is honoured."""
    html, encoding = decode_bytes(data, declared_encoding(data))
    text, title, published = html_main_text(html)
    yield build_document(name, source, text, options, title=title, published=published, encoding=encoding)


def _record_document(
    record: object, source: str, fallback_id: str, options: IngestOptions, encoding: str | None
) -> Document:
    if not isinstance(record, dict):
        raise IngestError("not a JSON object", f"got {type(record).__name__}")
    text_key = _pick(record, options.text_field, TEXT_FIELDS, "text-field")
    if text_key is None or text_key not in record:
        raise IngestError("missing text field", f"no field {text_key or '/'.join(TEXT_FIELDS)!r}")
    text = record[text_key]
    if not isinstance(text, str):
        raise IngestError("text field is not a string", f"{text_key!r} is {type(text).__name__}")
    title_key = _pick(record, options.title_field, TITLE_FIELDS, "title-field")
    date_key = _pick(record, options.date_field, DATE_FIELDS, "date-field")
    id_key = _pick(record, options.id_field, ID_FIELDS, "id-field")
    source_id = str(record.get(id_key) or fallback_id) if id_key else fallback_id
    return build_document(
        source_id,
        source,
        text,
        options,
        title=record.get(title_key) if title_key else None,
        published=record.get(date_key) if date_key else None,
        encoding=encoding,
    )


def _guarded(source: str, record: object, fallback_id: str, options: IngestOptions, encoding: str | None) -> Item:
    """A document from one record, or a reject naming what is wrong with it; never raises."""
    try:
        return _record_document(record, source, fallback_id, options, encoding)
    except IngestError as error:
        return Reject(source, "ingest", error.reason, error.detail)
    except Exception as error:  # a library failure on one record must not take its neighbours with it
        return Reject(source, "ingest", "record failed", f"{type(error).__name__}: {error}")


def _lines(data: bytes) -> tuple[list[bytes] | list[str], str | None]:
    """The file's lines: bytes (each decoded on its own later) or, for UTF-16, decoded text and its encoding."""
    utf16 = utf16_encoding(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError as error:
            raise IngestError("undecodable text", f"{utf16}: {error}") from error
        return text.split("\n" if "\n" in text else "\r"), utf16
    data = data.removeprefix(codecs.BOM_UTF8)
    return data.split(b"\n" if b"\n" in data else b"\r"), None  # old Mac files end lines with CR only


def _decoded(raw: bytes | str, encoding: str | None) -> tuple[str, str]:
    """One record's text and encoding (records of byte files are decoded one by one)."""
    if isinstance(raw, str):
        return raw, encoding or "utf-16"
    return decode_record(raw)


def _check_text_file(data: bytes) -> None:
    """Raise for an empty or binary file before it is cut into records."""
    if not data.strip():
        raise IngestError("empty file", f"{len(data)} bytes")
    kind = sniff_binary(data)
    if kind:
        raise IngestError("not text", f"looks like {kind}")


def read_jsonl(source: str, name: str, data: bytes, options: IngestOptions) -> Iterator[Item]:
    """JSON Lines: one document per line; a broken line is rejected, the rest go on."""
    _check_text_file(data)
    lines, encoding = _lines(data)
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        where = f"{source}:line {lineno}"
        try:
            line, line_encoding = _decoded(raw, encoding)
            record = json.loads(line)
        except IngestError as error:
            yield Reject(where, "ingest", error.reason, error.detail)
            continue
        except (ValueError, RecursionError) as error:  # also: huge integers, nesting too deep
            yield Reject(where, "ingest", "malformed JSON line", f"{type(error).__name__}: {str(error)[:200]}")
            continue
        yield _guarded(where, record, f"{name}:{lineno}", options, line_encoding)


def read_json(source: str, name: str, data: bytes, options: IngestOptions) -> Iterator[Item]:
    """A JSON object or an array of objects."""
    text, encoding = decode_bytes(data)
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise IngestError("malformed JSON", f"{type(error).__name__}: {str(error)[:200]}") from error
    records = payload if isinstance(payload, list) else [payload]
    for index, record in enumerate(records):
        where = f"{source}:record {index + 1}" if len(records) > 1 else source
        yield _guarded(where, record, f"{name}#{index}", options, encoding)


def read_csv(source: str, name: str, data: bytes, options: IngestOptions) -> Iterator[Item]:
    """CSV exports (RFC 4180: doubled quotes, quoted multi-line fields); one document or reject per row."""
    _check_text_file(data)
    lines, encoding = _lines(data)
    rows = csv_rows(lines, lambda raw: _decoded(raw, encoding))
    header_row = next(rows, None)
    header = [cell.strip() for cell in (header_row.cells or [])] if header_row else []
    text_key = _pick(dict.fromkeys(header), options.text_field, TEXT_FIELDS, "text-field")
    if text_key is None or text_key not in header:
        raise IngestError("CSV has no text column", f"wanted {text_key or '/'.join(TEXT_FIELDS)!r}, columns: {header}")
    for row_no, row in enumerate(rows, start=1):
        where = f"{source}:row {row_no}"
        if row.problem or row.cells is None:
            reason, detail = row.problem or ("malformed CSV row", "")
            yield Reject(where, "ingest", reason, f"{row.lines}: {detail}")
        elif len(row.cells) > len(header):
            extra = len(row.cells) - len(header)
            yield Reject(where, "ingest", "malformed CSV row", f"{row.lines}: {extra} cells more than the header")
        else:
            record = dict(zip(header, row.cells, strict=False))
            yield _guarded(where, record, f"{name}#row{row_no}", options, row.encoding)


def read_xml(source: str, name: str, data: bytes, options: IngestOptions) -> Iterator[Item]:
    """RSS/Atom feeds and XML exports (defusedxml)."""
    from pipeline.ingest.xmlfeeds import read_xml as read_feed

    yield from read_feed(source, name, data, options)


def read_pdf(source: str, name: str, data: bytes, options: IngestOptions) -> Iterator[Item]:
    """PDF with a text layer (pypdfium2); pages kept as offsets."""
    from pipeline.ingest.pdf import read_pdf as read

    yield from read(source, name, data, options)


def read_docx(source: str, name: str, data: bytes, options: IngestOptions) -> Iterator[Item]:
    """Word documents."""
    from pipeline.ingest.office import read_docx as read

    yield from read(source, name, data, options)


def read_odt(source: str, name: str, data: bytes, options: IngestOptions) -> Iterator[Item]:
    """OpenDocument texts."""
    from pipeline.ingest.office import read_odt as read

    yield from read(source, name, data, options)


def read_eml(source: str, name: str, data: bytes, options: IngestOptions) -> Iterator[Item]:
    """One e-mail message and its document attachments."""
    from pipeline.ingest.mail import read_eml as read

    yield from read(source, name, data, options)


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
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".odt": read_odt,
    ".eml": read_eml,
}
# documents.format by the suffix of the file a document was read from; containers set their own (mbox, warc).
FORMATS = {
    ".md": "txt", ".text": "txt", ".htm": "html", ".ndjson": "jsonl", ".rss": "xml", ".atom": "xml",
}  # fmt: skip


def format_of(name: str) -> str:
    """``documents.format`` of a file: its suffix without the dot, with aliases folded (``.htm`` → ``html``)."""
    suffix = PurePosixPath(name).suffix.lower()
    return FORMATS.get(suffix, suffix.lstrip("."))


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
    produced = 0
    try:
        for item in reader(source, PurePosixPath(name).name, data, options):
            produced += 1
            if isinstance(item, Document) and item.format is None:
                item.format = format_of(name)
            yield item
    except IngestError as error:
        produced += 1
        yield Reject(source, "ingest", error.reason, error.detail)
    except Exception as error:  # a reader bug or a library failure must not end the run
        produced += 1
        yield Reject(source, "ingest", "reader failed", f"{type(error).__name__}: {error}")
    if not produced:  # a CSV with a header only, an empty JSON array: the file is still one input
        yield Reject(source, "ingest", "no records", "the file holds no record")
