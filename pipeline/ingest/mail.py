"""E-mail: single messages (``.eml``) and mailboxes (``.mbox``), with the standard library's ``email``.

Each message is one record: its subject is the title, its ``Date`` header the
release date, its text the ``text/plain`` part (else the ``text/html`` part
through the HTML reader). Attachments that are documents (PDF, DOCX, ODT, TXT,
HTML, ...) are records of their own, named ``pm.eml!pm.pdf`` or
``mail.mbox!message 3!pm.pdf``; at most ``--max-attachments`` per message are read.
Other attachments (images, signatures) are not press releases and are skipped.

A mailbox is streamed message by message ("From " separator lines, mboxrd
``>From`` unquoting); every message is read up to ``--max-bytes`` and the whole
mailbox up to ``--max-archive-bytes``, counted on the bytes actually read.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import PurePosixPath
from typing import IO

from pipeline.ingest.document import Document, IngestError, Reject, printable

Item = Document | Reject
LINE_LIMIT = 1 << 16
_FROM_QUOTED = re.compile(rb"^>(>*From )")


def _published(message: EmailMessage) -> object:
    raw = message.get("Date")
    if not raw:
        return None
    try:
        return parsedate_to_datetime(str(raw))
    except (TypeError, ValueError, IndexError):
        return str(raw)


def _part_text(part: EmailMessage) -> tuple[str, str | None]:
    """(text, encoding) of a text part: its declared charset, else (wrong or unknown) our own detection."""
    from pipeline.ingest.decode import decode_bytes

    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset()
    if charset:
        try:
            return payload.decode(charset), charset
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(payload) if payload.strip() else ("", None)


def _body(message: EmailMessage) -> tuple[str, str | None, str | None]:
    """(text, title found in the HTML, encoding) of the body: the plain text, else the HTML's main text."""
    from pipeline.ingest.formats import html_main_text

    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        raise IngestError("e-mail without text", "no text/plain or text/html body")
    text, encoding = _part_text(part)  # type: ignore[arg-type]
    if part.get_content_type() == "text/html" and text.strip():
        main, title, _ = html_main_text(text)
        return main, title, encoding
    return text, None, encoding


def _attachments(message: EmailMessage) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) of the attachments that some reader can read."""
    from pipeline.ingest.formats import reader_for

    body = message.get_body(preferencelist=("plain", "html"))
    for part in message.walk():
        if part is body or part.is_multipart():
            continue
        filename = part.get_filename()
        if not filename or part.get_content_maintype() == "message":
            continue
        name = PurePosixPath(filename.replace("\\", "/")).name
        if reader_for(name) is not None and PurePosixPath(name).suffix.lower() not in (".eml", ".mbox"):
            yield name, part.get_payload(decode=True) or b""


def read_message(source: str, name: str, data: bytes, options, record_format: str = "eml") -> Iterator[Item]:  # type: ignore[no-untyped-def]
    """One message as a document (or a reject), then one record per document attachment."""
    from pipeline.ingest.formats import build_document, read_blob

    message = email.message_from_bytes(data, policy=email.policy.default)
    if message.defects and not message.keys():
        raise IngestError("not an e-mail", "; ".join(type(d).__name__ for d in message.defects[:3]))
    subject = str(message.get("Subject") or "").strip() or None
    try:
        text, html_title, encoding = _body(message)
        message_id = str(message.get("Message-ID") or "").strip() or name
        document = build_document(
            message_id,
            source,
            text,
            options,
            title=subject or html_title,
            published=_published(message),
            encoding=encoding,
        )
        document.format = record_format
        yield document
    except IngestError as error:
        yield Reject(source, "ingest", error.reason, error.detail)
    attachments = _attachments(message)  # type: ignore[arg-type]
    for count, (filename, payload) in enumerate(attachments, start=1):
        if count > options.max_attachments:
            rest = 1 + sum(1 for _ in attachments)
            yield Reject(source, "ingest", "too many attachments", f"{rest:,} after the first {count - 1:,} not read")
            return
        yield from read_blob(f"{source}!{printable(filename)}", filename, payload, options)


def read_eml(source: str, name: str, data: bytes, options) -> Iterator[Item]:  # type: ignore[no-untyped-def]
    """A single e-mail file."""
    yield from read_message(source, name, data, options)


def _messages(stream: IO[bytes], max_bytes: int) -> Iterator[bytes | None]:
    """Each message of an mbox stream (None for one longer than ``max_bytes``, which is skipped)."""
    lines: list[bytes] = []
    size = 0
    too_large = False
    started = False
    at_line_start = True
    while True:
        line = stream.readline(LINE_LIMIT)
        if not line:
            break
        if at_line_start and line.startswith(b"From "):
            if started:
                yield None if too_large else b"".join(lines)
            started, lines, size, too_large = True, [], 0, False
            at_line_start = line.endswith(b"\n")
            continue
        at_line_start = line.endswith(b"\n")
        if not started:
            if line.strip():
                raise IngestError("not a mailbox", "does not start with a 'From ' line")
            continue
        size += len(line)
        if size > max_bytes:
            too_large, lines = True, []
        elif not too_large:
            lines.append(_FROM_QUOTED.sub(rb"\1", line))
    if started:
        yield None if too_large else b"".join(lines)


def read_mbox(source: str, stream: IO[bytes], options) -> Iterator[Item]:  # type: ignore[no-untyped-def]
    """Every message of a mailbox, streamed; a message past ``--max-bytes`` is a reject."""
    count = 0
    for count, data in enumerate(_messages(stream, options.max_bytes), start=1):
        where = f"{source}!message {count}"
        if count > options.max_archive_members:
            yield Reject(source, "ingest", "too many messages", f"more than {options.max_archive_members:,}")
            return
        if data is None:
            yield Reject(where, "ingest", "message too large", f"more than --max-bytes {options.max_bytes:,}")
            continue
        try:
            yield from read_message(where, f"message {count}", data, options, record_format="mbox")
        except IngestError as error:
            yield Reject(where, "ingest", error.reason, error.detail)
        except Exception as error:  # one bad message must not take the rest of the mailbox with it
            yield Reject(where, "ingest", "message failed", f"{type(error).__name__}: {error}")
    if count == 0:
        yield Reject(source, "ingest", "no records", "the mailbox holds no message")
