"""Context of every mention: its sentence number and the sentence itself.

Sentences are counted from the start of the lead, after the title and the dateline,
so ``sentence = 0`` is the first sentence of the text proper. Mentions in the title
or the dateline get ``sentence = null`` and that line as ``sentence_text``. A new
paragraph always starts a new sentence, also where the sentence splitter ran the
lines together (a title without a full stop, a list item).
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc

from pipeline.normalise.stages import Extraction, register_stage

MAX_SENTENCE_CHARS = 500
HEADER_SECTIONS = ("title", "dateline")


def sentence_starts(doc: Doc, sections: list[tuple[int, int, str]]) -> list[int]:
    """Character offsets where the counted sentences start: after the header, sorted."""
    header_end = max((end for _, end, section in sections if section in HEADER_SECTIONS), default=0)
    starts = {start for start, _, section in sections if section not in HEADER_SECTIONS}
    if doc.has_annotation("SENT_START"):
        starts.update(sent.start_char for sent in doc.sents)
    text = doc.text
    starts = {s for s in starts if s >= header_end and text[s:].strip()}
    # A sentence starts at its first visible character.
    return sorted({s + len(text[s:]) - len(text[s:].lstrip()) for s in starts})


def capped(text: str, limit: int = MAX_SENTENCE_CHARS) -> str:
    """One line of at most ``limit`` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


@register_stage("context")
class SentenceContext:
    """``sentence`` (counted after title and dateline) and ``sentence_text`` of every mention."""

    def __call__(self, item: Extraction) -> Extraction:
        doc = item.doc
        sections = doc._.pressewerk_sections or []
        starts = sentence_starts(doc, sections)
        header = [(start, end) for start, end, section in sections if section in HEADER_SECTIONS]
        for mention in item.mentions:
            offset = mention["start_char"]
            line = next(((s, e) for s, e in header if s <= offset < e), None)
            if line is not None:
                mention["sentence"] = None
                mention["sentence_text"] = capped(doc.text[line[0] : line[1]])
                continue
            index = bisect_right(starts, offset) - 1
            if index < 0:  # text before the first counted sentence (no header found)
                mention["sentence"], start = None, 0
            else:
                mention["sentence"], start = index, starts[index]
            end = starts[index + 1] if index + 1 < len(starts) else len(doc.text)
            mention["sentence_text"] = capped(doc.text[start:end])
        return item
