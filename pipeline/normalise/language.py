"""Language of a document: German function words first, langdetect only when unsure."""

from __future__ import annotations

import re

from pipeline.normalise.stages import Extraction, register_stage

_GERMAN = set(
    [
        "der",
        "die",
        "das",
        "und",
        "ist",
        "nicht",
        "mit",
        "von",
        "zu",
        "den",
        "ein",
        "eine",
        "im",
        "auf",
        "für",
        "sich",
        "des",
        "dem",
        "wurde",
        "werden",
        "sind",
        "auch",
        "es",
        "als",
        "bei",
        "nach",
        "wird",
    ]
)
_OTHER = set(
    [
        "the",
        "and",
        "of",
        "to",
        "is",
        "that",
        "for",
        "with",
        "le",
        "la",
        "les",
        "et",
        "est",
        "un",
        "une",
        "el",
        "los",
        "las",
        "que",
        "y",
        "del",
        "il",
        "di",
        "che",
    ]
)
# "in", "was" and "des" are German as well as English or French: they tell nothing, so neither list needs them.
_WORD = re.compile(r"[^\W\d_]+")
SHORT_TEXT_WORDS = 20  # below this langdetect's letter statistics are a guess; function words decide


def detect_language(text: str) -> str:
    """ISO 639-1 code; "und" when nothing can be said (too little text)."""
    words = _WORD.findall(text[:2000].lower())
    if len(words) < 3:
        return "und"
    german = sum(w in _GERMAN for w in words)
    other = sum(w in _OTHER for w in words)
    if german >= 2 and german >= 2 * other:
        return "de"
    if german and not other and len(words) < SHORT_TEXT_WORDS:  # a heading: "Gemeinsame Meldung Polizei und …"
        return "de"
    try:
        from langdetect import DetectorFactory, detect

        DetectorFactory.seed = 0
        return detect(text[:2000])
    except Exception:  # langdetect raises on texts without features
        return "und"


@register_stage("language")
class DetectLanguage:
    """Sets ``language`` and flags documents that are not German (status ``not_german``)."""

    def __call__(self, item: Extraction) -> Extraction:
        language = detect_language(item.document.text)
        item.fields["language"] = language
        item.fields["status"] = "ok" if language in ("de", "und") else "not_german"
        return item
