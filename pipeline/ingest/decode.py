"""Bytes to clean Unicode text: encoding detection, binary sniffing, NFC."""

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
# C0/C1 control characters other than tab and newline; replaced by a space.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\ufeff]")


def sniff_binary(data: bytes) -> str | None:
    """Name of a binary format recognised in ``data``, else None."""
    for magic, name in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return name
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    zeros = head.count(b"\x00")
    if zeros * 2 >= len(head) - 2 and (head[1::2].count(0) == zeros or head[0::2].count(0) == zeros):
        return None  # UTF-16 without BOM: a zero in every other byte
    controls = sum(1 for byte in head if byte < 0x20 and byte not in (9, 10, 12, 13)) + head.count(0x7F)
    if controls > max(len(head) * 0.05, 2):
        return "binary data (control bytes)"
    return None


def clean_text(text: str) -> str:
    """NFC, Unix newlines, control characters replaced by spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text)
    return unicodedata.normalize("NFC", text)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data``; returns (text, encoding) or raises :class:`IngestError`."""
    if not data:
        raise IngestError("empty file", "0 bytes")
    kind = sniff_binary(data)
    if kind:
        raise IngestError("not text", f"looks like {kind}")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return clean_text(data.decode(encoding)), encoding
            except UnicodeDecodeError as error:
                raise IngestError("undecodable text", f"{encoding} with BOM: {error}") from error
    try:
        return clean_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(
        data[:1_000_000], cp_isolation=["cp1252", "latin_1", "utf_16_le", "utf_16_be", "iso8859_15"]
    ).best()
    if best is None:
        raise IngestError("undecodable text", "no encoding fits (tried UTF-8, UTF-16, cp1252, latin-1)")
    encoding = best.encoding
    return clean_text(data.decode(encoding, errors="replace")), encoding
