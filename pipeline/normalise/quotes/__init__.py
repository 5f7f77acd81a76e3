"""Quotes and who said them: the ``quotes`` stage.

One row per quotation, with all its character spans (a quote interrupted by its frame, "„…“, sagte Huber,
„…“", is one row), its kind (``direct``, ``indirect``, ``reported``, ``free_indirect``), its cue (the speech verb
lemma or the source word: ``sagen``, ``mitteilen``, ``laut``, ``zufolge``, ``so``, ``:``) and its speaker: the whole
noun phrase, the PER/ORG entities in it, its role noun, and how it was found (``name``, ``organisation``,
``role``, ``phrase``, ``pronoun`` resolved to the last person or organisation named before, or ``previous``, the
speaker of the quote before). Word lists live in ``cues.toml``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pipeline.normalise.quotes.frames import Quote, QuoteFinder
from pipeline.normalise.stages import Extraction, register_stage

__all__ = ["QuoteStage", "find_quotes", "quote_rows", "speaker_pairs"]


def quote_id(doc_id: str, start: int) -> str:
    return hashlib.blake2b(f"{doc_id}:quote:{start}".encode(), digest_size=8).hexdigest()


def find_quotes(doc: Any, mentions: list[dict[str, Any]], text: str | None = None) -> list[Quote]:
    """All quotations of a processed Doc, given its PER/ORG mentions (with ``entity_id`` where known)."""
    return QuoteFinder(doc, mentions, text).find()


def speaker_pairs(quote: Quote) -> tuple[list[str], list[str | None]]:
    """The speaker's names and their entity ids as two aligned lists (pair by position; an id is None where
    the name has no entity): the persons in the phrase, else its organisations ("Jakob Ilg vom DIZ" is Jakob
    Ilg, not the DIZ)."""
    speaker = quote.speaker
    if speaker is None:
        return [], []
    people = [m for m in speaker.entities if m["label"] == "PER"] or speaker.entities
    pairs = dict.fromkeys((m.get("value") or m["text"], m.get("entity_id")) for m in people)
    return [name for name, _ in pairs], [entity for _, entity in pairs]


def quote_rows(doc_id: str, text: str, quotes: list[Quote]) -> list[dict[str, Any]]:
    """``quotes`` table rows."""
    rows = []
    for quote in quotes:
        speaker = quote.speaker
        start, end = quote.spans[0][0], quote.spans[-1][1]
        names, ids = speaker_pairs(quote)
        how = speaker.resolved if speaker else None
        if speaker and quote.inherited:
            how = "previous"
        rows.append(
            {
                "quote_id": quote_id(doc_id, start),
                "doc_id": doc_id,
                "start_char": start,
                "end_char": end,
                "spans": json.dumps([list(span) for span in quote.spans]),
                "text": " … ".join(text[s:e] for s, e in quote.spans),
                "speaker_text": speaker.text if speaker else None,
                "speaker_entity_ids": ids or None,
                "speaker_names": names or None,
                "speaker_role": speaker.role if speaker else None,
                "speaker_resolved": how,
                "cue": quote.cue,
                "kind": quote.kind,
            }
        )
    return rows


@register_stage("quotes")
class QuoteStage:
    """``quotes`` rows: direct, indirect, reported and free indirect speech with their speakers."""

    def __call__(self, item: Extraction) -> Extraction:
        mentions = [m for m in item.mentions if m["label"] in ("PER", "ORG", "DATE", "TIME")]
        quotes = find_quotes(item.doc, mentions, item.document.text)
        item.rows("quotes").extend(quote_rows(item.document.doc_id, item.document.text, quotes))
        return item
