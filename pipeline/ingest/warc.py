"""Web archives (WARC 1.0/1.1, ``.warc`` and ``.warc.gz``), streamed record by record.

Every ``response`` record whose HTTP payload is HTML becomes one document (main
text through the HTML reader, the target URI as source id, the source
``crawl.warc.gz!record 12``); a response holding a document another reader
knows (PDF, DOCX, ...) is read by that reader. Requests, metadata and other
responses (images, scripts, redirects) are not press releases and are skipped.

The stream is decompressed as it is read (a ``.warc.gz`` is a series of gzip
members); every byte decompressed is charged to ``--max-archive-bytes`` and a
record's payload is read only up to ``--max-bytes``, so a decompression bomb is a
reject and memory stays flat. Header lines are read with a length limit.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import IO
from urllib.parse import urlsplit

from pipeline.ingest.document import Document, IngestError, Reject

Item = Document | Reject
LINE_LIMIT = 1 << 16
MAX_HEADERS = 500
CHUNK = 1 << 20
HTML_TYPES = ("text/html", "application/xhtml+xml")
DOCUMENT_TYPES = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "text/plain": ".txt",
}


def decompressed(stream: IO[bytes]) -> IO[bytes]:
    """The stream itself, or its gzip members decompressed on the fly."""
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[arg-type]
    if buffered.peek(2)[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=buffered)  # type: ignore[return-value]
    return buffered


def _headers(stream: IO[bytes]) -> dict[str, str]:
    """Header lines up to the blank line, names lower-cased; a line or block too long is an error."""
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADERS):
        line = stream.readline(LINE_LIMIT)
        if not line.endswith(b"\n"):
            raise IngestError("broken WARC", "header line too long or cut off")
        line = line.rstrip(b"\r\n")
        if not line:
            return headers
        name, _, value = line.decode("utf-8", "replace").partition(":")
        headers[name.strip().lower()] = value.strip()
    raise IngestError("broken WARC", f"more than {MAX_HEADERS} header lines")


def _skip(stream: IO[bytes], n: int) -> None:
    while n > 0:
        chunk = stream.read(min(CHUNK, n))
        if not chunk:
            raise IngestError("truncated WARC", "a record ends before its Content-Length")
        n -= len(chunk)


def _read_exactly(stream: IO[bytes], n: int) -> bytes:
    chunks, left = [], n
    while left > 0:
        chunk = stream.read(min(CHUNK, left))
        if not chunk:
            raise IngestError("truncated WARC", "a record ends before its Content-Length")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _dechunk(body: bytes) -> bytes:
    """An HTTP body sent with ``Transfer-Encoding: chunked``, joined."""
    out, position = [], 0
    while True:
        end = body.find(b"\r\n", position)
        if end < 0:
            break
        size = int(body[position:end].split(b";")[0].strip() or b"0", 16)
        if size == 0:
            break
        out.append(body[end + 2 : end + 2 + size])
        position = end + 2 + size + 2
    return b"".join(out)


def _decoded_body(body: bytes, encoding: str, limit: int) -> bytes:
    """The body with its ``Content-Encoding`` (gzip, deflate) undone, at most ``limit`` bytes."""
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflater = zlib.decompressobj(47 if encoding != "deflate" else zlib.MAX_WBITS)
        data = inflater.decompress(body, limit + 1)
        if len(data) > limit:
            raise IngestError("WARC record too large", f"payload expands past --max-bytes {limit:,} (bomb?)")
        return data
    if encoding not in ("", "identity"):
        raise IngestError("unsupported content encoding", encoding)
    return body


def http_payload(block: bytes, limit: int) -> tuple[str, bytes]:
    """(content type, body) of an HTTP response block."""
    head, separator, body = block.partition(b"\r\n\r\n")
    if not separator:
        head, separator, body = block.partition(b"\n\n")
    lines = head.decode("latin-1").splitlines()
    if not lines or not lines[0].startswith("HTTP/"):
        raise IngestError("broken WARC", "response record without an HTTP status line")
    fields = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    if "chunked" in fields.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    body = _decoded_body(body, fields.get("content-encoding", "").lower(), limit)
    return fields.get("content-type", "").split(";")[0].strip().lower(), body


def _name_for(uri: str, suffix: str) -> str:
    path = PurePosixPath(urlsplit(uri).path or "/")
    return path.name if path.suffix.lower() == suffix else (path.name or "index") + suffix


def _record(where: str, headers: dict[str, str], block: bytes, options) -> Iterator[Item]:  # type: ignore[no-untyped-def]
    from pipeline.ingest.formats import read_blob

    uri = headers.get("warc-target-uri", "").strip("<>")
    content_type, body = http_payload(block, options.max_bytes)
    if content_type in HTML_TYPES or (not content_type and body.lstrip()[:1] == b"<"):
        for item in read_blob(where, _name_for(uri, ".html"), body, options):
            if isinstance(item, Document):
                from pipeline.ingest.document import make_doc_id

                item.doc_id = make_doc_id(uri or where, item.text)
                item.meta = {**item.meta, "url": uri}
                item.format = "warc"
            yield item
    elif content_type in DOCUMENT_TYPES:
        yield from read_blob(where, _name_for(uri, DOCUMENT_TYPES[content_type]), body, options)


def read_warc(source: str, stream: IO[bytes], options) -> Iterator[Item]:  # type: ignore[no-untyped-def]
    """Every HTML (or document) response of a decompressed WARC stream (see :func:`decompressed`)."""
    reader = stream
    number = 0
    while True:
        line = reader.readline(LINE_LIMIT)
        while line in (b"\r\n", b"\n"):
            line = reader.readline(LINE_LIMIT)
        if not line:
            break
        number += 1
        where = f"{source}!record {number}"
        if number > options.max_archive_members:
            yield Reject(source, "ingest", "too many WARC records", f"more than {options.max_archive_members:,}")
            return
        if not line.startswith(b"WARC/"):
            raise IngestError("broken WARC", f"record {number} does not start with a WARC/ version line")
        headers = _headers(reader)
        try:
            length = int(headers.get("content-length", ""))
        except ValueError:
            raise IngestError("broken WARC", f"record {number} has no valid Content-Length") from None
        wanted = headers.get("warc-type") == "response" and "application/http" in headers.get("content-type", "")
        if not wanted:
            _skip(reader, length)
            continue
        if length > options.max_bytes:
            _skip(reader, length)
            yield Reject(
                where, "ingest", "WARC record too large", f"{length:,} bytes > --max-bytes {options.max_bytes:,}"
            )
            continue
        block = _read_exactly(reader, length)
        try:
            yield from _record(where, headers, block, options)
        except IngestError as error:
            yield Reject(where, "ingest", error.reason, error.detail)
