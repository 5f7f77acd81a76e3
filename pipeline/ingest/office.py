"""Word (DOCX) and OpenDocument (ODT) files: the body text, read from the zip with defusedxml.

Paragraphs and headings come in document order, one paragraph per block; a table
becomes one line per row with its cells separated by tabs. Headers, footers,
footnotes, comments and deleted text live in other parts or elements and are left
out. Each XML part is unpacked at most up to ``--max-bytes`` (counted on the bytes
actually read), so a zip bomb inside the file is a reject and memory stays flat.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from pipeline.ingest.document import Document, IngestError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
CHUNK = 1 << 20


def _part(archive: zipfile.ZipFile, name: str, limit: int, required: bool = True) -> bytes | None:
    """One part of the package, unpacked up to ``limit`` bytes (a bomb is an :class:`IngestError`)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        if required:
            raise IngestError("broken document", f"no {name} in the package") from None
        return None
    if info.flag_bits & 0x1:
        raise IngestError("encrypted document", f"{name} is password-protected")
    chunks, total = [], 0
    with archive.open(info) as handle:
        while chunk := handle.read(min(CHUNK, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise IngestError("document expands too far", f"{name} unpacks past {limit:,} bytes (zip bomb?)")
    return b"".join(chunks)


def _xml(data: bytes, name: str) -> Element:
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise IngestError("unsafe XML refused", f"{name}: {type(error).__name__}") from error
    except ParseError as error:
        raise IngestError("broken document", f"{name}: {error}") from error


def _package(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE: an encrypted OOXML file or an old .doc
            raise IngestError("encrypted document", "an encrypted or legacy (OLE) Office file, not a zip") from error
        raise IngestError("broken document", f"not a readable zip package: {error}") from error


# --- DOCX -------------------------------------------------------------------------------------------------------


def _docx_runs(paragraph: Element) -> str:
    """The visible text of a ``w:p``: text, tabs and breaks; deleted text and field codes left out."""
    parts = []
    for node in paragraph.iter():
        tag = node.tag
        if tag == f"{W}t" and node.text:
            parts.append(node.text)
        elif tag == f"{W}tab":
            parts.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")
    return "".join(parts).strip()


def _docx_style(paragraph: Element) -> str:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return (style.get(f"{W}val") or "") if style is not None else ""


def _docx_blocks(body: Element) -> Iterator[tuple[str, str]]:
    """(kind, text) of each block in order: ``title``, ``heading``, ``paragraph`` or ``table`` rows."""
    for block in body:
        if block.tag == f"{W}p":
            text = _docx_runs(block)
            if text:
                style = _docx_style(block).lower()
                kind = (
                    "title"
                    if style == "title"
                    else "heading"
                    if style.startswith(("heading", "berschrift"))
                    else "paragraph"
                )
                yield kind, text
        elif block.tag == f"{W}tbl":
            for row in block.iter(f"{W}tr"):
                cells = [" ".join(filter(None, map(_docx_runs, cell.iter(f"{W}p")))) for cell in row.iter(f"{W}tc")]
                if any(cells):
                    yield "table", "\t".join(cells)
        elif block.tag == f"{W}sdt":  # a content control: its blocks sit in w:sdtContent
            content = block.find(f"{W}sdtContent")
            if content is not None:
                yield from _docx_blocks(content)


def _meta_title(archive: zipfile.ZipFile, name: str, limit: int) -> str | None:
    data = _part(archive, name, min(limit, 1_000_000), required=False)
    if not data:
        return None
    node = _xml(data, name).find(f".//{DC}title")
    return node.text.strip() if node is not None and node.text and node.text.strip() else None


def _with_title(blocks: list[tuple[str, str]], meta_title: str | None) -> tuple[str, str | None]:
    text = "\n\n".join(text for _, text in blocks)
    heading = next((text for kind, text in blocks if kind == "title"), None)
    heading = heading or next((text for kind, text in blocks[:3] if kind == "heading"), None)
    return text, meta_title or heading


def docx_text(data: bytes, limit: int) -> tuple[str, str | None]:
    """(body text, title) of a DOCX file."""
    with _package(data) as archive:
        root = _xml(_part(archive, "word/document.xml", limit) or b"", "word/document.xml")
        body = root.find(f"{W}body")
        blocks = list(_docx_blocks(body)) if body is not None else []
        return _with_title(blocks, _meta_title(archive, "docProps/core.xml", limit))


# --- ODT --------------------------------------------------------------------------------------------------------


def _odt_inline(element: Element) -> str:
    """The text of a ``text:p``/``text:h``: spans, links, ``text:s`` spaces, tabs, line breaks; notes left out."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == f"{TEXT}s":
            parts.append(" " * int(child.get(f"{TEXT}c", "1") or 1))
        elif tag == f"{TEXT}tab":
            parts.append("\t")
        elif tag == f"{TEXT}line-break":
            parts.append("\n")
        elif tag not in (f"{TEXT}note", f"{OFFICE}annotation", f"{TEXT}tracked-changes"):
            parts.append(_odt_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _odt_blocks(container: Element) -> Iterator[tuple[str, str]]:
    for block in container:
        tag = block.tag
        if tag in (f"{TEXT}p", f"{TEXT}h"):
            text = _odt_inline(block).strip()
            if text:
                style = (block.get(f"{TEXT}style-name") or "").lower()
                kind = "title" if style == "title" else "heading" if tag == f"{TEXT}h" else "paragraph"
                yield kind, text
        elif tag == f"{TABLE}table":
            for row in block.iter(f"{TABLE}table-row"):
                cells = [
                    " ".join(filter(None, (_odt_inline(p).strip() for p in cell.iter(f"{TEXT}p"))))
                    for cell in row
                    if cell.tag == f"{TABLE}table-cell"
                ]
                if any(cells):
                    yield "table", "\t".join(cells)
        elif tag in (f"{TEXT}list", f"{TEXT}list-item", f"{TEXT}section", f"{TEXT}list-header") or tag not in (
            f"{TEXT}tracked-changes",
            f"{OFFICE}forms",
            f"{TEXT}sequence-decls",
        ):
            yield from _odt_blocks(block)


def odt_text(data: bytes, limit: int) -> tuple[str, str | None]:
    """(body text, title) of an ODT file."""
    with _package(data) as archive:
        root = _xml(_part(archive, "content.xml", limit) or b"", "content.xml")
        body = root.find(f"{OFFICE}body/{OFFICE}text")
        blocks = list(_odt_blocks(body)) if body is not None else []
        return _with_title(blocks, _meta_title(archive, "meta.xml", limit))


def read_docx(source: str, name: str, data: bytes, options) -> Iterator[Document]:  # type: ignore[no-untyped-def]
    """A Word document: one document."""
    from pipeline.ingest.formats import build_document

    text, title = docx_text(data, options.max_bytes)
    yield build_document(name, source, text, options, title=title)


def read_odt(source: str, name: str, data: bytes, options) -> Iterator[Document]:  # type: ignore[no-untyped-def]
    """An OpenDocument text: one document."""
    from pipeline.ingest.formats import build_document

    text, title = odt_text(data, options.max_bytes)
    yield build_document(name, source, text, options, title=title)
