"""XML inputs (RSS/Atom feeds of press releases, simple XML exports), parsed safely with defusedxml.

Entity expansion, external entities and DTD tricks ("billion laughs") are refused by
defusedxml and become a reject; no XML ever reaches the standard library parser.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from pipeline.ingest.decode import declared_encoding, decode_bytes
from pipeline.ingest.document import Document, IngestError, Reject

ITEM_TAGS = {"item", "entry", "release", "pressemitteilung", "article", "document"}
TEXT_TAGS = ("encoded", "content", "description", "summary", "text", "body")
TITLE_TAGS = ("title", "headline")
DATE_TAGS = ("pubDate", "published", "updated", "date")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(element: Element, names: tuple[str, ...]) -> str | None:
    children = {_local(child.tag): child for child in element}
    for name in names:
        child = children.get(name)
        if child is not None:
            text = "".join(child.itertext()).strip()
            if text:
                return text
    return None


def _html_to_text(fragment: str) -> str:
    if "<" not in fragment:
        return fragment
    from selectolax.lexbor import LexborHTMLParser

    return LexborHTMLParser(fragment).text(separator="\n", strip=True)


def read_xml(source: str, name: str, data: bytes, options) -> Iterator[Document | Reject]:
    """One document per feed item, or one for the whole file when it has no items."""
    from pipeline.ingest.formats import build_document

    text, encoding = decode_bytes(data, declared_encoding(data))
    try:
        # Parsed as text: the bytes were decoded above (declaration honoured), so expat must not decode again.
        root = fromstring(text, forbid_dtd=True)
    except DefusedXmlException as error:
        raise IngestError("unsafe XML refused", f"{type(error).__name__}: {error}") from error
    except ParseError as error:
        raise IngestError("malformed XML", str(error)) from error
    items = [element for element in root.iter() if _local(element.tag).lower() in ITEM_TAGS]
    if not items:
        body = "\n".join(part.strip() for part in root.itertext() if part.strip())
        yield build_document(name, source, body, options, encoding=encoding)
        return
    for index, item in enumerate(items):
        where = f"{source}:item {index + 1}"
        body = _child_text(item, TEXT_TAGS)
        if not body:
            yield Reject(where, "ingest", "feed item without text", "no content, description or summary")
            continue
        guid = _child_text(item, ("guid", "id", "link")) or f"{name}#item{index + 1}"
        try:
            yield build_document(
                guid, where, _html_to_text(body), options,
                title=_child_text(item, TITLE_TAGS), published=_child_text(item, DATE_TAGS), encoding=encoding,
            )  # fmt: skip
        except IngestError as error:
            yield Reject(where, "ingest", error.reason, error.detail)
        except Exception as error:  # one bad item must not take the rest of the feed with it
            yield Reject(where, "ingest", "record failed", f"{type(error).__name__}: {error}")
