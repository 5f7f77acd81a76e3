"""First stages: mentions out of the spaCy Doc, with canonical surface text."""

from __future__ import annotations

import hashlib

from spacy.tokens import Span

from pipeline.ingest.dateline import dateline_position
from pipeline.nlp.dates import TEMPORAL_LABELS
from pipeline.normalise.dates import range_parts
from pipeline.normalise.stages import Extraction, register_stage
from pipeline.normalise.surface import canonical_surface

# Span groups written by Pressewerk's own spaCy components (dates, times).
SPAN_GROUPS = ("pressewerk_dates",)
# Ranges ("1983 bis 1990", "3. bis 5. Mai") are two TIMEX3 expressions: one mention per end.
# The dateline place ("Hollywood – …") is a place, whatever the model read there.
DATELINE_RELABELS = frozenset({"ORG", "PER", "MISC"})
RANGE_RULES = {"date_year_range", "date_day_range", "date_month_range", "time_clock"}


DATELINE_SOURCE = "rule:dateline"  # the place a release was written in, from its dateline


def mention_id(doc_id: str, start: int, end: int, label: str) -> str:
    return hashlib.blake2b(f"{doc_id}:{start}:{end}:{label}".encode(), digest_size=8).hexdigest()


def span_source(span: Span) -> str:
    """``model`` for statistical entities, ``rule:<id>`` for rule and date matches."""
    return f"rule:{span.id_}" if span.id_ else "model"


@register_stage("mentions")
class CollectMentions:
    """One row per entity and per date/time span, in text order."""

    def __call__(self, item: Extraction) -> Extraction:
        doc, doc_id = item.doc, item.document.doc_id
        place = item.document.dateline_place
        dateline = dateline_position(item.document.text, place) if place else None
        spans = list(doc.ents)
        for group in SPAN_GROUPS:
            if group in doc.spans:
                spans.extend(doc.spans[group])
        for span in sorted(spans, key=lambda s: (s.start_char, -s.end_char)):
            for start, end, range_end in _pieces(span):
                text = span.text[start - span.start_char : end - span.start_char]
                temporal = span.label_ in TEMPORAL_LABELS
                label, source = span.label_, span_source(span)
                if (start, end) == dateline and label in DATELINE_RELABELS and not span.id_:
                    label, source = "LOC", DATELINE_SOURCE  # "Hollywood – Der US-Schauspieler …" is the place
                item.mentions.append(
                    {
                        "mention_id": mention_id(doc_id, start, end, label),
                        "doc_id": doc_id,
                        "start_char": start,
                        "end_char": end,
                        "text": text,
                        "label": label,
                        "source": source,
                        "sentence": None,  # set by the context stage
                        "sentence_text": None,
                        "name": None if temporal else canonical_surface(text),
                        "value": None,  # internal: the entities stage puts the canonical name here
                        "entity_id": None,
                        "_span": span,
                        "_range": range_end,
                    }
                )
        return item


def _pieces(span: Span) -> list[tuple[int, int, tuple[str, str] | None]]:
    """(start, end, range end) of the mentions of a span: the span, or the two ends of a range."""
    parts = range_parts(span.text) if span.id_ in RANGE_RULES else None
    if parts is None:
        return [(span.start_char, span.end_char, None)]
    pieces = []
    for end, (start, stop) in zip(("left", "right"), parts, strict=True):
        piece = span.text[start:stop]
        start += len(piece) - len(piece.lstrip())
        stop -= len(piece) - len(piece.rstrip())
        pieces.append((span.start_char + start, span.start_char + stop, (end, span.text)))
    return pieces
