"""An example Pressewerk stage: money amounts as a new table, first mentions as a new mention column.

Declares what it writes (``columns`` and ``tables`` on the class), so the fields reach every output format.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.normalise.stages import Extraction, register_stage
from pipeline.sinks.schema import Column, Table

DATA = Path(__file__).parent


def _read_tsv(name: str) -> dict[str, str]:
    rows = (line.split("\t") for line in (DATA / name).read_text(encoding="utf-8").splitlines())
    return {row[0]: row[1] for row in rows if len(row) == 2 and not row[0].startswith("#")}


CURRENCIES = _read_tsv("currencies.tsv")
SCALES = {word: float(factor) for word, factor in _read_tsv("scales.tsv").items()}


def _alternatives(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_SCALE = rf"(?:\s+(?P<scale>{_alternatives(list(SCALES))}))?"
_CURRENCY = _alternatives(list(CURRENCIES))
AMOUNT = re.compile(
    rf"(?<![\w,.])(?:(?P<number>{NUMBER}){_SCALE}\s*(?P<currency>{_CURRENCY})(?![\w-])"
    rf"|(?P<currency_first>{_CURRENCY})\s*(?P<number_after>{NUMBER}){_SCALE.replace('scale', 'scale_after')}(?![\w,]))"
)


def parse_number(text: str) -> float:
    """German number: '.' groups thousands, ',' is the decimal mark ('3.500,50' -> 3500.5)."""
    return float(text.replace(".", "").replace(",", "."))


@register_stage(
    "amounts",
    columns={
        "mentions": [Column("first_in_doc", "boolean", "Names: first mention of its entity in the document")],
        "documents": [Column("n_amounts", "integer", "Money amounts named in the text (example stage)")],
    },
    tables=[
        Table(
            "amounts",
            "Money amounts named in documents (example stage pressewerk-amounts).",
            (
                Column("doc_id", "string", "Document", True),
                Column("start_char", "offset", "Start offset in the document text", True),
                Column("end_char", "offset", "End offset (exclusive)", True),
                Column("text", "string", "Amount as written", True),
                Column("value", "number", "Amount in units of the currency (3,5 Millionen -> 3500000)", True),
                Column("currency", "label", "ISO 4217 code", True),
            ),
            primary_key=("doc_id", "start_char"),
            foreign_keys=(("doc_id", "documents", "doc_id"),),
        )
    ],
)
class Amounts:
    """Money amounts, the first mention of each entity, and the number of amounts per document."""

    def __call__(self, item: Extraction) -> Extraction:
        text, doc_id = item.document.text, item.document.doc_id
        rows = item.rows("amounts")
        for found in AMOUNT.finditer(text):
            number = found["number"] or found["number_after"]
            scale = found["scale"] or found["scale_after"]
            currency = found["currency"] or found["currency_first"]
            rows.append(
                {
                    "doc_id": doc_id,
                    "start_char": found.start(),
                    "end_char": found.end(),
                    "text": found.group(),
                    "value": parse_number(number) * SCALES.get(scale or "", 1.0),
                    "currency": CURRENCIES[currency],
                }
            )
        item.fields["n_amounts"] = len(rows)
        seen: set[str] = set()
        for mention in sorted(item.mentions, key=lambda m: m["start_char"]):
            entity = mention.get("entity_id")
            mention["first_in_doc"] = None if entity is None else entity not in seen
            seen.add(entity)
        return item
