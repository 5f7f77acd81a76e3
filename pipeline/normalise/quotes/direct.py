"""Direct quotes: text in quotation marks, one quote per frame-interrupted pair ("„…“, sagte Huber, „…“")."""

from __future__ import annotations

import re
from dataclasses import dataclass

# No quote body holds its own opening mark, except one closed pair of „…“ inside „…“ (a title quoted in a quote:
# „Der Hashtag „Reden ist Gold“ gilt für uns“), and none is longer than MAX_QUOTE: linear on unclosed marks (each
# step of a body starts with a different character, so the engine never has two ways to read it).
QUOTE = re.compile(
    r"„((?:[^“”\"„]|„[^“”\"„]{1,300}[“”]){2,5000}?)[“”\"]|\"([^\"]{2,5000}?)\"|»([^«»]{2,5000}?)«|«([^»«]{2,5000}?)»"
    r"|‚([^‘’‚]{8,5000}?)[‘’]"
)
# What may stand between the two parts of one interrupted quote: a short frame ending in a comma or colon.
INTERRUPTION = re.compile(r"[\s,]*[^.!?„“”\"»«\n]{2,90}?[,:]\s*")
MAX_QUOTE_CHARS = 3000


@dataclass
class Marked:
    """One run of quoted text: ``outer`` includes the marks, ``inner`` is the text between them."""

    outer: tuple[int, int]
    inner: tuple[int, int]


def marked_quotes(text: str) -> list[Marked]:
    """Every quotation-marked span (short ones are kept only when a cue frames them, see ``looks_like_name``)."""
    found = []
    for match in QUOTE.finditer(text):
        group = next(i for i in range(1, 6) if match.group(i) is not None)
        inner = match.group(group)
        if len(inner) > MAX_QUOTE_CHARS:
            continue
        found.append(Marked((match.start(), match.end()), (match.start(group), match.end(group))))
    return found


def group_interrupted(text: str, quotes: list[Marked]) -> list[list[Marked]]:
    """Join a quote with the next one when only a short frame ending in ',' or ':' stands between them."""
    groups: list[list[Marked]] = []
    for quote in quotes:
        if groups:
            previous = groups[-1][-1]
            between = text[previous.outer[1] : quote.outer[0]]
            first = text[previous.inner[0] : previous.inner[1]].rstrip()
            if INTERRUPTION.fullmatch(between) and not first.endswith((".", "!", "?")):
                groups[-1].append(quote)
                continue
        groups.append([quote])
    return groups


def looks_like_name(inner: str) -> bool:
    """A quoted name or title ("Initiative Wirtschaft 4.0"), not speech: short and without closing punctuation."""
    return len(inner.split()) < 4 and not inner.rstrip().endswith((".", "!", "?", ","))


def is_partial_quote(inner: str) -> bool:
    """A few words quoted inside the reporter's sentence ("als „übertrieben“", "einen „wahren Patrioten“"):
    they start lower-case, unlike names and titles ("Die Zeit"); domains ("tagesschau.de") aside."""
    words = inner.split()
    return bool(words) and words[0][:1].islower() and not any("." in w.rstrip(".") for w in words)
