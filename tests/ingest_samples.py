"""Writers for small PDF, DOCX, ODT, EML, mbox and WARC files, so tests make their own inputs.

The PDF writer is a minimal one of its own: Helvetica with WinAnsiEncoding (German letters, „quotes“,
dashes), one text line per ``Td``, optional running header and footer with page numbers, a metadata
title, an image-only page for a "scan" and an ``/Encrypt`` dictionary for a locked file.
"""

from __future__ import annotations

import email.policy
import gzip
import io
import textwrap
import zipfile
from email.message import EmailMessage
from xml.sax.saxutils import escape

PAGE_HEIGHT = 842
TOP = 790
LEADING = 14
PARAGRAPH_GAP = 10


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def layout(text: str, width: int = 90, lines_per_page: int = 48) -> list[list[str]]:
    """Paragraphs wrapped at ``width`` characters and cut into pages; "" marks a paragraph gap."""
    pages: list[list[str]] = [[]]
    for paragraph in (p for p in text.split("\n\n") if p.strip()):
        for line in [*textwrap.wrap(paragraph.replace("\n", " "), width), ""]:
            if len(pages[-1]) >= lines_per_page:
                pages.append([])
            pages[-1].append(line)
    return pages


def _content(lines: list[str], header: str | None, footer: str | None, heading: str | None = None) -> bytes:
    ops = [b"BT /F1 11 Tf"]
    y = TOP
    if header:
        ops.append(b"/F1 8 Tf 1 0 0 1 250 815 Tm " + _pdf_string(header) + b" Tj /F1 11 Tf")
    if heading:
        ops.append(f"/F1 16 Tf 1 0 0 1 72 {y} Tm ".encode() + _pdf_string(heading) + b" Tj /F1 11 Tf")
        y -= 30
    for line in lines:
        if line:
            ops.append(f"1 0 0 1 72 {y} Tm ".encode() + _pdf_string(line) + b" Tj")
            y -= LEADING
        else:
            y -= PARAGRAPH_GAP
    if footer:
        ops.append(b"/F1 8 Tf 1 0 0 1 280 30 Tm " + _pdf_string(footer) + b" Tj")
    ops.append(b"ET")
    return b"\n".join(ops)


def make_pdf(
    pages: list[list[str]],
    title: str | None = None,
    header: str | None = None,
    footer: str | None = None,
    scan: bool = False,
    encrypt: bool = False,
    heading: str | None = None,
) -> bytes:
    """A PDF of ``pages`` (lists of lines); ``footer`` may hold ``{page}``; ``scan``: image-only pages;
    ``heading``: a 16-point line above the first page's text."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]  # 1, 2 (pages: filled below)
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")  # 3
    kids = []
    for number, lines in enumerate(pages, start=1):
        if scan:
            image = b"\xff" * (16 * 16)
            objects.append(
                b"<< /Type /XObject /Subtype /Image /Width 16 /Height 16 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(image) + image + b"\nendstream"
            )
            image_ref = len(objects)
            stream = b"q 500 0 0 700 50 70 cm /Im1 Do Q"
            resources = b"<< /XObject << /Im1 %d 0 R >> >>" % image_ref
        else:
            stream = _content(
                lines, header, footer.format(page=number) if footer else None, heading if number == 1 else None
            )
            resources = b"<< /Font << /F1 3 0 R >> >>"
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_ref = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 %d] /Resources %s /Contents %d 0 R >>"
            % (PAGE_HEIGHT, resources, content_ref)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    info = None
    if title:
        objects.append(b"<< /Title " + _pdf_string(title) + b" >>")
        info = len(objects)
    encrypt_ref = None
    if encrypt:  # standard security handler, RC4 40 bit, with a user password nobody knows
        objects.append(b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -44 >>" % (b"ab" * 32, b"cd" * 32))
        encrypt_ref = len(objects)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objects) + 1)
    trailer += b" /Info %d 0 R" % info if info else b""
    trailer += b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (encrypt_ref, b"01" * 16, b"01" * 16) if encrypt_ref else b""
    out.write(b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


# --- DOCX and ODT -----------------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w_paragraph(text: str, style: str | None = None) -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{props}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def make_docx(
    paragraphs: list[str],
    title: str | None = None,
    header: str | None = None,
    table: list[list[str]] | None = None,
    bomb_bytes: int = 0,
) -> bytes:
    """A Word file: the first paragraph as ``Title`` style when ``title`` is None, a table after the first."""
    body = []
    for index, text in enumerate(paragraphs):
        body.append(_w_paragraph(text, "Title" if index == 0 and title is None else None))
        if index == 0 and table:
            rows = "".join(
                "<w:tr>" + "".join(f"<w:tc>{_w_paragraph(cell)}</w:tc>" for cell in row) + "</w:tr>" for row in table
            )
            body.append(f"<w:tbl>{rows}</w:tbl>")
    if bomb_bytes:
        body.append("<w:p><w:r><w:t>" + "A" * bomb_bytes + "</w:t></w:r></w:p>")
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{"".join(body)}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", document)
        if header:
            archive.writestr("word/header1.xml", f'<w:hdr xmlns:w="{W_NS}">{_w_paragraph(header)}</w:hdr>')
        if title:
            archive.writestr(
                "docProps/core.xml",
                '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
                f' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{escape(title)}</dc:title></cp:coreProperties>',
            )
    return buffer.getvalue()


ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
)


def make_odt(paragraphs: list[str], header: str | None = None, table: list[list[str]] | None = None) -> bytes:
    """An OpenDocument text: the first paragraph a heading, a running header in styles.xml."""
    body = []
    for index, text in enumerate(paragraphs):
        if index == 0:
            body.append(f'<text:h text:outline-level="1">{escape(text)}</text:h>')
            if table:
                rows = "".join(
                    "<table:table-row>"
                    + "".join(f"<table:table-cell><text:p>{escape(c)}</text:p></table:table-cell>" for c in row)
                    + "</table:table-row>"
                    for row in table
                )
                body.append(f"<table:table>{rows}</table:table>")
        else:
            body.append(f"<text:p>{escape(text)}</text:p>")
    content = f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODT_NS}><office:body><office:text>{"".join(body)}</office:text></office:body></office:document-content>'
    styles = (
        f"<office:document-styles {ODT_NS}><office:master-styles><style:master-page><style:header>"
        f"<text:p>{escape(header or '')}</text:p></style:header></style:master-page></office:master-styles>"
        "</office:document-styles>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("styles.xml", styles)
    return buffer.getvalue()


# --- e-mail -----------------------------------------------------------------------------------------------------


def make_eml(
    text: str,
    subject: str,
    date: str = "Fri, 13 Dec 2019 10:00:00 +0100",
    html: bool = False,
    attachments: dict[str, bytes] | None = None,
) -> bytes:
    """An e-mail with ``text`` as its plain (or only HTML) body and the given attachments."""
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = "Pressestelle <presse@example.de>"
    message["To"] = "redaktion@example.de"
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = f"<{abs(hash((text, subject)))}@example.de>"
    if html:
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
        message.set_content(
            f"<html><head><title>{escape(subject)}</title></head><body><article>{paragraphs}</article></body></html>",
            subtype="html",
        )
    else:
        message.set_content(text)
    for name, data in (attachments or {}).items():
        maintype, subtype = ("application", "pdf") if name.endswith(".pdf") else ("application", "octet-stream")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def make_mbox(messages: list[bytes]) -> bytes:
    """An mboxrd mailbox: "From " separator lines, body lines starting with "From " quoted as ">From "."""
    out = []
    for message in messages:
        lines = message.replace(b"\r\n", b"\n").split(b"\n")
        quoted = [b">" + line if line.lstrip(b">").startswith(b"From ") else line for line in lines]
        out.append(b"From presse@example.de Fri Dec 13 10:00:00 2019\n" + b"\n".join(quoted).rstrip(b"\n") + b"\n\n")
    return b"".join(out)


# --- WARC -------------------------------------------------------------------------------------------------------


def warc_record(kind: str, uri: str, block: bytes, content_type: str) -> bytes:
    headers = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2019-12-13T10:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{abs(hash((kind, uri))):032x}>\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    )
    return headers.encode() + block + b"\r\n\r\n"


def http_response(body: bytes, content_type: str = "text/html; charset=utf-8") -> bytes:
    return f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body


def html_page(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    return (
        f'<html><head><meta charset="utf-8"><title>{escape(title)}</title></head><body><nav><a href="/">Start</a>'
        f"</nav><article><h1>{escape(title)}</h1>{paragraphs}</article><footer>Impressum</footer></body></html>"
    ).encode()


def make_warc(records: list[bytes], compress: bool = True) -> bytes:
    """A WARC file; compressed, each record is its own gzip member (as crawlers write them)."""
    if not compress:
        return b"".join(records)
    return b"".join(gzip.compress(record) for record in records)
