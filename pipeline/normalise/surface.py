"""Canonical surface text of a mention: one spelling for quote, dash and space variants."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans(
    {"„": '"', "“": '"', "”": '"', "»": '"', "«": '"', "‚": "'", "‘": "'", "’": "'", "`": "'", "´": "'"}
)
_DASH_IN_WORD = re.compile(
    r"(?<=\w)\s*[\u2010\u2011\u2012\u2013\u2014\u2212]\s*(?=\w)|(?<=\w)-\s+(?=\w)(?!und\b|oder\b)"
)
_EDGE = " \t\n\"'()[]{}<>.,;:!?*/|#"


def canonical_surface(text: str) -> str:
    """NFC, one space, straight quotes, ASCII hyphens in compounds, no edge punctuation.

    >>> canonical_surface("  „Baden–Württemberg“ ")
    'Baden-Württemberg'
    """
    text = unicodedata.normalize("NFC", text).translate(_QUOTES).replace("\u00ad", "")
    text = _SPACES.sub(" ", text)
    text = _DASH_IN_WORD.sub("-", text)
    stripped = text.strip(_EDGE)
    # Keep the period of a trailing abbreviation ("e.V.", "Co.", "Dr.").
    if text.rstrip(_EDGE.replace(".", "")).endswith(".") and re.search(r"(?:\b\w{1,3}\.)+$", text.strip(" \"'()")):
        stripped = text.strip(" \t\n\"'()[]{}<>,;:!?*/|")
    # Keep the bracket that closes a qualifier: "Frankfurt (Oder)", "Grünheide (Mark)".
    if stripped.count("(") == stripped.count(")") + 1 and text[text.index(stripped) + len(stripped) :].startswith(")"):
        stripped += ")"
    return stripped


@lru_cache(maxsize=65536)
def match_key(text: str) -> str:
    """Case- and punctuation-insensitive key used to compare names."""
    text = canonical_surface(text).casefold()
    return re.sub(r"[^\w]+", " ", text).strip()
