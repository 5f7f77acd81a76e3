"""Property tests for the ingest parsers: CSV rows, decoding, printable names."""

from __future__ import annotations

import csv
import io
import os

from hypothesis import example, given
from hypothesis import strategies as st

from pipeline.ingest.csvrecords import csv_rows
from pipeline.ingest.decode import decode_bytes, decode_record
from pipeline.ingest.document import printable

CELL = st.text(alphabet="abcÄÖÜäöüß ,;\"'\n\r\t.-–„“", max_size=30)
ROWS = st.lists(st.lists(CELL, min_size=1, max_size=4), min_size=1, max_size=8)


def _written(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: CRLF
    writer.writerow(["id", "a", "b", "c", "d"])
    for i, row in enumerate(rows):
        writer.writerow([f"r{i}", *row])
    return buffer.getvalue().encode()


@given(ROWS)
def test_rfc4180_rows_read_back_exactly(rows):
    lines = _written(rows).split(b"\n")
    parsed = [row.cells for row in csv_rows(lines, decode_record)]
    assert parsed[0] == ["id", "a", "b", "c", "d"]
    assert parsed[1:] == [[f"r{i}", *row] for i, row in enumerate(rows)]


@given(st.binary(max_size=300))
@example(b"\x00\n\x00\n,")  # a one-column header was said to be cut by ';', which no row holds
def test_any_bytes_give_rows_or_problems_in_line_order(data):
    lines = data.split(b"\n")
    previous_stop = 0
    for row in csv_rows(lines, decode_record):
        assert (row.cells is None) == (row.problem is not None)
        assert previous_stop <= row.start < row.stop <= len(lines)
        previous_stop = row.stop


@given(st.binary(max_size=200), st.binary(max_size=200))
def test_one_undecodable_row_does_not_touch_its_neighbours(left, right):
    good = "Straße in Köln".encode()
    lines = [b"title,text", b"A," + good, b"B," + left.replace(b"\n", b"").replace(b'"', b""), b"C," + good]
    rows = list(csv_rows(lines, decode_record))
    assert rows[1].cells == ["A", "Straße in Köln"]
    assert rows[-1].cells == ["C", "Straße in Köln"]


GERMAN = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ.,!?äöüßÄÖÜ", min_size=1, max_size=80)


@given(GERMAN, st.sampled_from(["utf-8", "cp1252"]))
def test_german_text_decodes_in_utf8_and_cp1252(text, encoding):
    if not text.strip():
        return
    decoded, found = decode_bytes(text.encode(encoding))
    assert decoded == text
    assert found == ("utf-8" if text.isascii() else encoding)


@given(st.binary(min_size=1, max_size=40).filter(lambda b: b"\x00" not in b and b"/" not in b))
def test_any_file_name_is_printable(raw):
    shown = printable(os.fsdecode(raw))
    assert shown.encode("utf-8")
    assert shown == raw.decode("utf-8", "backslashreplace")
