"""PDF with a text layer to one document (pypdfium2: PDFium, Apache-2.0/BSD-3-Clause).

Per page, PDFium gives the text in reading order with its line breaks and the
position of each line. Lines become paragraphs by their vertical gaps (a gap
clearly wider than the page's usual line pitch, or a change of font size, starts
a paragraph); running headers and footers (the same line, digits aside, at the
top or bottom of most pages) and page numbers are dropped; a word hyphenated at
a line end is joined ("Zusammen-" + "arbeit"), while a hyphen before a capital
("Baden-" + "Württemberg"), after a digit or an acronym ("100-" + "prozentig")
or before "und"/"oder" ("Ein- und Ausgang") stays. The document keeps the offset
where each page begins, so every mention knows its page.

A PDF without any text (a scan), an encrypted one, one that PDFium cannot open
and one cut off before its ``%%EOF`` are rejects that say so.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from statistics import median

from pipeline.ingest.decode import clean_text
from pipeline.ingest.document import Document, IngestError

DATA = Path(__file__).with_name("data")
# "Seite 3", "- 3 -", "3 / 12", "Seite 3 von 12", "S. 3", "Page 3 of 12": a line that is only a page number.
PAGE_NUMBER = re.compile(r"(?:seite|page|s\.)?\s*[-–—]?\s*\d{1,4}\s*[-–—]?\s*(?:(?:von|of|/)\s*\d{1,4})?", re.I)
SENTENCE_END = (".", "!", "?", ":", '"', "“", "”", "«", "»", ")")
BULLETS = ("•", "◦", "▪", "‣", "·", "– ", "- ", "* ")
FIT_MARGIN = 4.0  # slack in font sizes (some 8 letters) before a line counts as ended early: wraps are uneven
EDGE_LINES = 3  # lines at the top and at the bottom of a page that may be a running header or footer
RUNNING_PAGES = 2  # a line at the top or bottom of two pages or more is running (a chapter's head: some pages only)
HEADING_WINDOW = 6  # a title is among the first lines of the first page with text
HEADING_SCALE = 1.15  # ... and set at least this much larger than the page's median font size
TRAILER_WINDOW = 2048  # %%EOF must lie in the last bytes of a complete PDF
BAD_TITLES = re.compile(r"^(untitled|unbenannt|microsoft word|dokument\d*|document\d*|\S+\.(docx?|pdf|odt))", re.I)


@dataclass(slots=True)
class Line:
    text: str
    bottom: float
    height: float  # font size of its first letter or digit
    paragraph_start: bool = False
    right: float = 0.0  # right edge of its last character
    first_word: float = 0.0  # width of its first word
    room: float = 0.0  # space left to the page's right margin: a next word that fitted here was not wrapped


@cache
def _kept_before() -> frozenset[str]:
    """Words that follow a hyphen that stays at a line end ("Ein- und Ausgang"); a data file."""
    lines = (DATA / "hyphen_keep_before.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _open(data: bytes):  # type: ignore[no-untyped-def]
    import pypdfium2 as pdfium

    if not data.strip():
        raise IngestError("empty file", f"{len(data)} bytes")
    if b"%PDF" not in data[:1024]:
        raise IngestError("not a PDF", "no %PDF header")
    if b"%%EOF" not in data[-TRAILER_WINDOW:]:
        raise IngestError("truncated PDF", "the file ends before its %%EOF marker")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        message = str(error)
        if "password" in message.lower():
            raise IngestError("encrypted PDF", "password-protected; cannot read its text") from error
        raise IngestError("broken PDF", message) from error


def _page_lines(page) -> list[Line]:  # type: ignore[no-untyped-def]
    """The page's text lines with the bottom and height of their first character.

    PDFium joins a line that ends in a hyphen to the next one and marks the place with U+FFFE;
    the lines are cut apart again there (with their hyphen), so that :func:`join_lines` decides.
    """
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        lines, start = [], 0
        for raw in re.split(r"(\r\n|\n|\r|\ufffe)", text):
            if raw in ("\r\n", "\n", "\r", "\ufffe"):
                if raw == "\ufffe" and lines:
                    lines[-1].text += "-"
                start += len(raw)
                continue
            stripped = raw.strip()
            if stripped:
                first = start + (len(raw) - len(raw.lstrip()))
                word_end = first + len(stripped.split(maxsplit=1)[0]) - 1
                try:
                    left, bottom = textpage.get_charbox(first, loose=True)[:2]
                    right = textpage.get_charbox(first + len(stripped) - 1, loose=True)[2]
                    word_right = textpage.get_charbox(word_end, loose=True)[2]
                    letter = next((i for i, char in enumerate(stripped) if char.isalnum()), 0)
                    size = pdfium_c.FPDFText_GetFontSize(textpage.raw, first + letter)  # not a bullet's
                except Exception:  # a generated character without a box
                    left = bottom = right = word_right = size = 0.0
                line = Line(clean_text(stripped), bottom, size, right=right, first_word=max(word_right - left, 0.0))
                lines.append(line)
            start += len(raw)
        return lines
    finally:
        textpage.close()


def _signature(text: str) -> str:
    """A line with its digits and spacing blurred, so "Seite 2" and "Seite 3" look the same."""
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", text)).strip().lower()


def remove_running_lines(pages: list[list[Line]]) -> list[list[Line]]:
    """Pages without page numbers and without lines repeated at the top or bottom of most pages."""
    edge_counts: Counter[str] = Counter()
    for lines in pages:
        edges = {_signature(line.text) for line in lines[:EDGE_LINES] + lines[-EDGE_LINES:]}
        edge_counts.update(edges)
    running = {sig for sig, count in edge_counts.items() if count >= RUNNING_PAGES}
    cleaned = []
    for lines in pages:
        edge = set(range(min(EDGE_LINES, len(lines)))) | set(range(max(0, len(lines) - EDGE_LINES), len(lines)))
        cleaned.append(
            [
                line
                for index, line in enumerate(lines)
                if not (index in edge and (_signature(line.text) in running or PAGE_NUMBER.fullmatch(line.text)))
            ]
        )
    return cleaned


def ends_short(line: Line, following: Line) -> bool:
    """``line`` ends its paragraph by length: the first word of ``following`` would have fitted after it."""
    if line.text.endswith("-") or line.height <= 0:
        return False
    return line.room >= following.first_word + FIT_MARGIN * line.height


def mark_paragraphs(lines: list[Line]) -> None:
    """Set ``paragraph_start`` and ``room`` by the gaps, font sizes and lengths of the lines.

    A paragraph starts after a gap clearly wider than the page's line pitch, where the font size
    changes, at a bullet, and after a line whose room at the end would have taken the next line's
    first word (a paragraph's last line or a heading).
    """
    gaps = [above.bottom - below.bottom for above, below in pairwise(lines)]
    positive = [gap for gap in gaps if gap > 0]
    pitch = median(positive) if positive else 0.0
    margin = max((line.right for line in lines), default=0.0)
    for line in lines:
        line.room = margin - line.right
    for index, line in enumerate(lines):
        if index == 0:
            line.paragraph_start = False  # decided across the page break
            continue
        above, gap = lines[index - 1], gaps[index - 1]
        wide_gap = pitch > 0 and (gap > pitch * 1.3 or gap < 0)
        size_change = above.height > 0 and abs(line.height - above.height) > 0.15 * above.height
        line.paragraph_start = wide_gap or size_change or ends_short(above, line) or line.text.startswith(BULLETS)


_HYPHENATED = re.compile(r"(\w+)-$")


def join_lines(previous: str, following: str) -> str:
    """How two lines of one paragraph join: ``join`` (hyphen dropped), ``keep`` (hyphen kept) or ``space``."""
    match = _HYPHENATED.search(previous)
    if not match or len(previous) < 2 or not following[:1].isalpha():
        return "space"
    first = match.group(1)
    next_word = re.match(r"[\w.]+", following)
    if following[0].isupper() or first[-1].isdigit() or (first.isupper() and len(first) > 1):
        return "keep"  # Baden-|Württemberg, 100-|prozentig, CDU-|geführt: the hyphen is part of the word
    if next_word and next_word.group(0).rstrip(".") in _kept_before():
        return "space"  # Ein- und Ausgang
    return "join"


def assemble(pages: list[list[Line]]) -> tuple[str, tuple[int, ...]]:
    """The document text and the offset where each page begins."""
    parts: list[str] = []
    length = 0
    page_starts: list[int] = []
    previous: Line | None = None
    for lines in pages:
        page_starts.append(length)
        for index, line in enumerate(lines):
            text = line.text
            if previous is None:
                separator = ""
            else:
                continues = index > 0 and not line.paragraph_start
                if index == 0:  # across a page break: one paragraph when a full line's sentence goes on
                    continues = not ends_short(previous, line) and not previous.text.endswith(SENTENCE_END)
                    continues = continues and not line.text.startswith(BULLETS)
                if not continues:
                    separator = "\n\n"
                else:
                    how = join_lines(previous.text, text)
                    if how == "join":  # drop the hyphen at the end of the line before
                        parts[-1] = parts[-1][:-1]
                        length -= 1
                    separator = " " if how == "space" else ""
            if index == 0:
                page_starts[-1] = length + len(separator)
            parts.append(separator + text)
            length += len(separator) + len(text)
            previous = line
    return "".join(parts), tuple(page_starts)


def _title(document) -> str | None:  # type: ignore[no-untyped-def]
    try:
        title = (document.get_metadata_value("Title") or "").strip()
    except Exception:
        return None
    return title if title and not BAD_TITLES.match(title) else None


def first_heading(pages: list[list[Line]]) -> str | None:
    """The first line of the first page set clearly larger than its body text, among its first few lines."""
    lines = next((lines for lines in pages if lines), [])
    sizes = [line.height for line in lines if line.height > 0]
    if not sizes:
        return None
    body = median(sizes)
    return next((line.text for line in lines[:HEADING_WINDOW] if line.height > HEADING_SCALE * body), None)


def pdf_text(data: bytes, max_pages: int) -> tuple[str, tuple[int, ...], str | None, int]:
    """(text, page start offsets, metadata title, pages) of a PDF, or :class:`IngestError`."""
    document = _open(data)
    try:
        n_pages = len(document)
        if n_pages == 0:
            raise IngestError("empty PDF", "no pages")
        if n_pages > max_pages:
            raise IngestError("PDF has too many pages", f"{n_pages:,} pages > --max-pages {max_pages:,}")
        pages = []
        for index in range(n_pages):
            page = document[index]
            try:
                pages.append(_page_lines(page))
            finally:
                page.close()
        if not any(pages):
            raise IngestError("PDF without text layer", f"{n_pages} page(s) with no text: a scan? run OCR first")
        pages = remove_running_lines(pages)
        for lines in pages:
            mark_paragraphs(lines)
        text, page_starts = assemble(pages)
        return text, page_starts, _title(document) or first_heading(pages), n_pages
    finally:
        document.close()


def read_pdf(source: str, name: str, data: bytes, options) -> Iterator[Document]:  # type: ignore[no-untyped-def]
    """A PDF with a text layer: one document, its pages kept as offsets."""
    from pipeline.ingest.formats import build_document

    text, page_starts, title, n_pages = pdf_text(data, options.max_pages)
    document = build_document(name, source, text, options, title=title, meta={"pages": str(n_pages)})
    if document.text != text:  # build_document trimmed or cleaned: page offsets would shift
        shift = text.find(document.text)
        page_starts = tuple(max(0, start - shift) for start in page_starts) if shift >= 0 else ()
    document.page_starts = page_starts
    yield document
