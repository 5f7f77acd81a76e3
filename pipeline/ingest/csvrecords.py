"""CSV rows (RFC 4180) cut from lines, so that one broken row never takes its neighbours with it.

A row is a run of lines that together hold an even number of quote characters (a
doubled quote ``""`` counts twice, so RFC 4180 escapes keep the balance). A line
that opens a quote that no later line closes, or whose quoted field would swallow
the following lines without ending in a clean ``",`` is a broken row on its own;
reading goes on with the next line. Each line is decoded with its row, so a file
of mixed encodings loses only the rows that fit no encoding. The end of every
row is looked up in a table of quote parities computed once (linear time).
"""

from __future__ import annotations

import contextlib
import csv
import io
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from pipeline.ingest.document import IngestError

csv.field_size_limit(sys.maxsize)

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_ROWS = 20  # data rows read ahead to check the delimiter the header suggests
Decoder = Callable[[bytes | str], tuple[str, str]]


@dataclass(frozen=True, slots=True)
class CsvRow:
    """Lines ``start``..``stop`` (0-based, exclusive) as cells, or ``problem`` when they are no clean row."""

    start: int
    stop: int
    cells: list[str] | None
    encoding: str | None = None
    problem: tuple[str, str] | None = None  # (reason, detail)

    @property
    def lines(self) -> str:
        return f"line {self.start + 1}" + (f"-{self.stop}" if self.stop > self.start + 1 else "")


class QuoteBalance:
    """Where the row that starts on a given line ends, by the parity of quote characters."""

    def __init__(self, lines: Sequence[bytes] | Sequence[str]) -> None:
        n = len(lines)
        self.n = n
        quote: bytes | str = b'"' if n and isinstance(lines[0], bytes) else '"'
        prefix = [0] * (n + 1)  # prefix[k]: parity of the quotes in lines[:k]
        for k, line in enumerate(lines):
            prefix[k + 1] = prefix[k] ^ (line.count(quote) & 1)  # type: ignore[arg-type]
        self.prefix = prefix
        # next_with[v][k]: the smallest j >= k with prefix[j] == v, or n + 1.
        self.next_with = [[n + 1] * (n + 2), [n + 1] * (n + 2)]
        for k in range(n, 0, -1):
            for v in (0, 1):
                self.next_with[v][k] = k if prefix[k] == v else self.next_with[v][k + 1]

    def end(self, start: int) -> int | None:
        """The exclusive end line of the row starting at ``start``; None when its quote never closes."""
        stop = self.next_with[self.prefix[start]][start + 1]
        return stop if stop <= self.n else None


def guess_delimiter(header: str) -> str:
    """The delimiter that occurs most often in the header line outside quotes (``,`` on a tie or none)."""
    outside = "".join(part for index, part in enumerate(header.split('"')) if index % 2 == 0)
    counts = {delimiter: outside.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def choose_delimiter(header: str, samples: Sequence[str]) -> str:
    """The delimiter that cuts the header and most sample rows into the same number of cells (>= 2).

    The header alone decides when no sample is given or no delimiter fits the rows better than its guess;
    so a file whose header says ``,`` but whose rows use ``;`` is read with ``;``.
    """
    guess = guess_delimiter(header)

    def fit(delimiter: str) -> int:
        width = len(parse_csv_record(header, delimiter) or [])
        if width < 2:
            return 0
        return sum(1 for sample in samples if len(parse_csv_record(sample, delimiter) or []) == width)

    scores = {delimiter: fit(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (scores[d], d == guess))
    return best if scores[best] > scores[guess] else guess


def _outside_quotes(text: str) -> str:
    return "".join(part for index, part in enumerate(text.split('"')) if index % 2 == 0)


def check_delimiter(header: str, samples: Sequence[str], delimiter: str) -> None:
    """Raise when the rows are cut by another delimiter than the header's.

    That is: the header's delimiter does not cut every sample row into the header's cells, while
    another one, absent from the header, does (the same number of times in every row, outside
    quotes). Such a file was exported with one separator and given a header with another; read with
    the header's, its rows would be cut at the wrong places (titles holding text, texts a fragment).
    """
    if len(samples) < 2:
        return
    head = _outside_quotes(header)
    gaps = head.count(delimiter)
    if not gaps:  # a one-column header: no other delimiter can cut the rows into its one cell
        return
    rows = [_outside_quotes(sample) for sample in samples]
    if all(row.count(delimiter) == gaps for row in rows):
        return
    for other in DELIMITERS:
        if other != delimiter and other not in head and all(row.count(other) == gaps for row in rows):
            raise IngestError(
                "CSV delimiter mismatch",
                f"the header is split by {delimiter!r} but every row by {other!r} ({gaps + 1} cells)",
            )


def _samples(lines: Sequence[bytes] | Sequence[str], balance: QuoteBalance, decode: Decoder, n: int) -> list[str]:
    """The decoded text of the first ``n`` non-blank rows (header included) that decode, for the delimiter choice."""
    found: list[str] = []
    start = 0
    while start < len(lines) and len(found) < n:
        stop = balance.end(start) or start + 1
        raw = _joined(lines, start, stop)
        if raw.strip():
            with contextlib.suppress(IngestError):
                found.append(decode(raw)[0])
        start = stop
    return found


def parse_csv_record(text: str, delimiter: str, strict: bool = False) -> list[str] | None:
    """The cells of one record, or None when ``text`` is not exactly one CSV record."""
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, doublequote=True, strict=strict)
        rows = [row for row in reader if row]
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


def _joined(lines: Sequence[bytes] | Sequence[str], start: int, stop: int) -> bytes | str:
    part = lines[start:stop]
    return (b"\n" if isinstance(part[0], bytes) else "\n").join(part)  # type: ignore[arg-type]


def csv_rows(lines: Sequence[bytes] | Sequence[str], decode: Decoder) -> Iterator[CsvRow]:
    """Every non-blank row of a CSV file, the header first; broken rows come with a problem, never raise."""
    balance = QuoteBalance(lines)
    samples = _samples(lines, balance, decode, SAMPLE_ROWS + 1)
    delimiter = choose_delimiter(samples[0], samples[1:]) if samples else ","
    if samples:
        check_delimiter(samples[0], samples[1:], delimiter)
    start = 0
    while start < len(lines):
        stop = balance.end(start)
        if stop is None:
            yield CsvRow(start, start + 1, None, problem=("malformed CSV row", "unbalanced quote, no closing '\"'"))
            start += 1
            continue
        raw = _joined(lines, start, stop)
        if not raw.strip():
            start = stop
            continue
        try:
            text, encoding = decode(raw)
        except IngestError as error:
            yield CsvRow(start, stop, None, problem=(error.reason, error.detail))
            start = stop
            continue
        cells = parse_csv_record(text, delimiter, strict=True)
        if cells is None and stop - start > 1:
            # A quote opened on this line ends badly further down: only this line is broken.
            yield CsvRow(start, start + 1, None, problem=("malformed CSV row", "unbalanced quote"))
            start += 1
            continue
        cells = cells if cells is not None else parse_csv_record(text, delimiter)
        problem = None if cells is not None else ("malformed CSV row", "not one CSV record")
        yield CsvRow(start, stop, cells, encoding, problem)
        start = stop
