"""Context of every mention: its sentence number and the sentence itself.

Sentences are counted from the start of the lead, after the title and the dateline,
so ``sentence = 0`` is the first sentence of the text proper. Mentions in the title
or the dateline get ``sentence = null`` and that line as ``sentence_text``. A new
paragraph always starts a new sentence, also where the sentence splitter ran the
lines together (a title without a full stop, a list item).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc

from pipeline.nlp.doc_text import doc_text
from pipeline.normalise.stages import Extraction, register_stage

MAX_SENTENCE_CHARS = 500
HEADER_SECTIONS = ("title", "dateline")
_VISIBLE = re.compile(r"\S")


def sentence_starts(doc: Doc, sections: list[tuple[int, int, str]], text: str | None = None) -> list[int]:
    """Character offsets where the counted sentences start: after the header, sorted (``text`` is ``doc.text``)."""
    header_end = max((end for _, end, section in sections if section in HEADER_SECTIONS), default=0)
    starts = {start for start, _, section in sections if section not in HEADER_SECTIONS}
    if len(doc) and doc.has_annotation("SENT_START"):
        # the start characters of doc.sents, from the arrays: token 0 and every token marked as a sentence start
        columns = doc.to_array([SENT_START, IDX])
        starts.add(0)
        starts.update(columns[1:, 1][columns[1:, 0] == 1].tolist())
    text = doc_text(doc) if text is None else text
    visible = (_VISIBLE.search(text, s) for s in starts if s >= header_end)
    return sorted({found.start() for found in visible if found is not None})  # at its first visible character


def capped(text: str, limit: int = MAX_SENTENCE_CHARS) -> str:
    """One line of at most ``limit`` characters, cut at a word with an ellipsis."""
    text = " ".join(text[: limit * 4].split())  # bounded work, however long the input
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def sentence_text(text: str, start: int, end: int, mention: tuple[int, int], limit: int = MAX_SENTENCE_CHARS) -> str:
    """The sentence ``text[start:end]`` as one line; a longer one is cut to a window around the mention."""
    if end - start > limit:
        middle = (mention[0] + mention[1]) // 2
        window_start = max(start, min(middle - limit // 2, end - limit))
        window = capped(text[window_start : min(end, window_start + limit * 2)], limit - 1)
        return window if window_start == start else "…" + window
    return capped(text[start:end], limit)


@register_stage("context")
class SentenceContext:
    """``sentence`` (counted after title and dateline) and ``sentence_text`` of every mention."""

    def __call__(self, item: Extraction) -> Extraction:
        doc, text = item.doc, item.document.text
        sections = doc._.pressewerk_sections or []
        starts = sentence_starts(doc, sections, text)
        header = [(start, end) for start, end, section in sections if section in HEADER_SECTIONS]
        for mention in item.mentions:
            offset = mention["start_char"]
            line = next(((s, e) for s, e in header if s <= offset < e), None)
            if line is not None:
                start, end = line
                mention["sentence"] = None
            else:
                index = bisect_right(starts, offset) - 1
                # Text before the first counted sentence (no header found) has no number.
                mention["sentence"], start = (index, starts[index]) if index >= 0 else (None, 0)
                end = starts[index + 1] if index + 1 < len(starts) else len(text)
            span = (offset, mention["end_char"])
            mention["sentence_text"] = sentence_text(text, start, end, span)
        return item
