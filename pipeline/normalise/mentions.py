"""First stages: mentions out of the spaCy Doc, with canonical surface text."""

from __future__ import annotations

import hashlib

from spacy.tokens import Span

from pipeline.normalise.stages import Extraction, register_stage
from pipeline.normalise.surface import canonical_surface

# Span groups written by Pressewerk's own spaCy components (dates, times).
SPAN_GROUPS = ("pressewerk_dates",)


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
        spans = list(doc.ents)
        for group in SPAN_GROUPS:
            if group in doc.spans:
                spans.extend(doc.spans[group])
        for span in sorted(spans, key=lambda s: (s.start_char, -s.end_char)):
            item.mentions.append(
                {
                    "mention_id": mention_id(doc_id, span.start_char, span.end_char, span.label_),
                    "doc_id": doc_id,
                    "start_char": span.start_char,
                    "end_char": span.end_char,
                    "text": span.text,
                    "label": span.label_,
                    "source": span_source(span),
                    "sentence": None,  # set by the context stage
                    "sentence_text": None,
                    "name": canonical_surface(span.text),
                    "value": None,
                    "entity_id": None,
                    "_span": span,
                }
            )
        return item
