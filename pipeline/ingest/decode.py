"""Bytes to clean Unicode text: encoding detection, binary sniffing, NFC.

Order: byte-order mark, UTF-16 by its NUL bytes, an XML/HTML declaration, UTF-8,
cp1252, then charset-normalizer among 8-bit code pages. UTF-16 is never guessed
without a BOM or NUL-byte evidence, so a short cp1252 text stays cp1252.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from pipeline.ingest.document import IngestError

_BINARY_MAGIC = {
    b"%PDF": "PDF document",
    b"PK\x03\x04": "zip archive",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\x1f\x8b": "gzip data",
    b"\xd0\xcf\x11\xe0": "MS Office document",
    b"\x7fELF": "executable",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# C0/C1 control characters other than tab and newline, and lone surrogates; replaced by a space.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\ufeff\ud800-\udfff]")
# Encoding declarations in the head of XML and HTML files (bounded: linear time).
_DECLARED = (
    re.compile(rb"<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']", re.IGNORECASE),
    re.compile(rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?([A-Za-z0-9._:-]{1,40})", re.IGNORECASE),
)
# Browsers read a declared Latin-1 or ASCII as cp1252 (WHATWG Encoding); so do we.
_WHATWG_ALIASES = {"latin_1": "cp1252", "iso8859_1": "cp1252", "ascii": "cp1252"}
_FALLBACK_CODEPAGES = ["cp1252", "iso8859_15", "latin_1", "cp850", "mac_roman"]


def sniff_binary(data: bytes) -> str | None:
    """Name of a binary format recognised in ``data``, else None."""
    for magic, name in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return name
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16_by_zeros(head):
        return None
    controls = sum(1 for byte in head if byte < 0x20 and byte not in (9, 10, 12, 13)) + head.count(0x7F)
    if controls > max(len(head) * 0.05, 2):
        return "binary data (control bytes)"
    return None


def utf16_by_zeros(head: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when every other byte is NUL (UTF-16 without a BOM), else None."""
    zeros = head.count(0)
    if len(head) < 4 or zeros * 2 < len(head) - 2:
        return None
    if head[1::2].count(0) == zeros:
        return "utf-16-le"
    if head[0::2].count(0) == zeros:
        return "utf-16-be"
    return None


def clean_text(text: str) -> str:
    """NFC, Unix newlines, control characters and lone surrogates replaced by spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text)
    return unicodedata.normalize("NFC", text)


def declared_encoding(data: bytes) -> str | None:
    """The Python codec named by an XML declaration or HTML ``<meta charset>`` in the head, if known."""
    head = data[:4096]
    for pattern in _DECLARED:
        match = pattern.search(head)
        if match:
            try:
                name = codecs.lookup(match.group(1).decode("ascii")).name.replace("-", "_")
            except LookupError:
                return None
            return _WHATWG_ALIASES.get(name, name)
    return None


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(data: bytes, declared: str | None) -> tuple[str, str] | None:
    """(raw text, encoding) by the rules in the module docstring, or None."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data, encoding)
            return (text, encoding) if text is not None else None
    by_zeros = utf16_by_zeros(data[:4096])
    if by_zeros:
        text = _strict(data, by_zeros)
        return (text, by_zeros) if text is not None else None
    utf8 = _strict(data, "utf-8")
    if declared and not declared.startswith(("utf_16", "utf_32")):
        # A legacy declaration on text that is valid, non-ASCII UTF-8 is a stale header: keep UTF-8.
        if utf8 is not None and not declared.startswith("utf") and not data.isascii():
            return utf8, "utf-8"
        text = _strict(data, declared)
        if text is not None:
            return text, declared
    if utf8 is not None:
        return utf8, "utf-8"
    cp1252 = _strict(data, "cp1252")
    if cp1252 is not None:
        return cp1252, "cp1252"
    best = from_bytes(data[:1_000_000], cp_isolation=_FALLBACK_CODEPAGES).best()
    if best is None:
        return None
    return data.decode(best.encoding, errors="replace"), best.encoding


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``; returns (text, encoding) or raises :class:`IngestError`."""
    if not data:
        raise IngestError("empty file", "0 bytes")
    kind = sniff_binary(data)
    if kind:
        raise IngestError("not text", f"looks like {kind}")
    found = _detect(data, declared)
    if found is None:
        raise IngestError("undecodable text", "no encoding fits (tried BOM, declaration, UTF-8, cp1252, 8-bit pages)")
    text, encoding = found
    return clean_text(text), encoding


def decode_record(data: bytes) -> tuple[str, str]:
    """Decode one record (a CSV row, a JSON line) of a file whose encoding may be mixed."""
    found = _detect(data, None)
    if found is None:
        raise IngestError("undecodable text", "no encoding fits this record")
    return found


def utf16_encoding(data: bytes) -> str | None:
    """``utf-16`` (BOM) or ``utf-16-le``/``-be`` (NUL bytes) when records cannot be split on bytes, else None."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return utf16_by_zeros(data[:4096])
