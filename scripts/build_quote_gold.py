"""Build the press quotation gold from the drawn releases and the hand annotations (offsets computed here).

The annotations (``corpus/gold/press_quotes_annotations.txt``) were written by reading the release texts; this
script only finds each annotated string in its text and writes the offsets. Format of the annotation file:

    @ berlin-polizei-1553113                     a release (its id)
    I | quote text | speaker surface             a quote: D(irect), I(ndirect), R(eported)
    F | text                                     a non-quote: F(inding), A(ppeal), O(ther)

A quote in two parts (interrupted by its frame) separates them with `` ## ``; ``-`` as speaker means none named.
A string that occurs more than once takes ``@N`` (its N-th occurrence, from 1) at its end. The speaker is the
occurrence (whole words) nearest to the quote. Whitespace in a string matches any run of whitespace in the text;
`` … `` stands for the shortest stretch between its two sides.

    .venv/bin/python scripts/build_quote_gold.py --draw /tmp/quote_draw
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

GOLD_DIR = Path(__file__).resolve().parent.parent / "corpus" / "gold"
ANNOTATIONS = GOLD_DIR / "press_quotes_annotations.txt"
QUOTE_KINDS = {"D": "direct", "I": "indirect", "R": "reported"}
NON_QUOTE_CLASSES = {"F": "finding", "A": "appeal", "O": "other"}
OCCURRENCE = re.compile(r"\s*@(\d+)$")


def pattern(phrase: str, whole_words: bool = False) -> re.Pattern[str]:
    """The phrase with any whitespace run matching any whitespace run; `` … `` stands for the shortest stretch
    of text between its two sides (for long quotes)."""
    sides = [r"\s+".join(re.escape(token) for token in side.split()) for side in phrase.split(" … ")]
    body = r".*?".join(sides)
    return re.compile(rf"(?<!\w){body}(?!\w)" if whole_words else body, re.DOTALL)


def find(text: str, phrase: str, after: int = 0) -> tuple[int, int]:
    """Offsets of the phrase (its ``@N``-th occurrence, or the first at or after ``after``)."""
    match = OCCURRENCE.search(phrase)
    nth = int(match.group(1)) if match else None
    phrase = OCCURRENCE.sub("", phrase)
    hits = [(m.start(), m.end()) for m in pattern(phrase).finditer(text)]
    if not hits:
        raise ValueError(f"not in text: {phrase!r}")
    if nth is not None:
        return hits[nth - 1]
    later = [h for h in hits if h[0] >= after]
    if len(hits) > 1 and (not later or after == 0):
        raise ValueError(f"ambiguous, give @N: {phrase!r}")
    return later[0] if later else hits[0]


def nearest_speaker(text: str, speaker: str, spans: list[list[int]], reported: bool) -> tuple[int, int]:
    """The whole-word occurrence of the speaker nearest to the quote, outside its spans (a gap between two spans
    counts as nearest); for a reported quote, whose span holds its frame, an occurrence inside the span first."""
    match = OCCURRENCE.search(speaker)
    phrase = OCCURRENCE.sub("", speaker)
    hits = [(m.start(), m.end()) for m in pattern(phrase, whole_words=True).finditer(text)]
    if not hits:
        raise ValueError(f"speaker not in text: {speaker!r}")
    if match:
        return hits[int(match.group(1)) - 1]
    start, end = spans[0][0], spans[-1][1]
    inside = [h for h in hits if start <= h[0] and h[1] <= end]
    if reported and inside:
        return inside[0]
    outside = [h for h in hits if not any(h[0] < e and s < h[1] for s, e in spans)]
    if not outside:
        raise ValueError(f"speaker only inside the quote: {speaker!r}")

    def distance(hit: tuple[int, int]) -> float:
        if hit[1] <= start:
            return start - hit[1]
        if hit[0] >= end:
            return hit[0] - end + 0.5
        return 0

    return min(outside, key=distance)


def parse_annotations(path: Path) -> dict[str, list[tuple[str, list[str]]]]:
    """Release id → annotation lines (code, fields)."""
    releases: dict[str, list[tuple[str, list[str]]]] = {}
    current = None
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            current = line[1:].strip()
            releases.setdefault(current, [])
            continue
        code, *fields = [f.strip() for f in line.split("|")]
        if current is None or code not in QUOTE_KINDS | NON_QUOTE_CLASSES:
            raise ValueError(f"{path}:{lineno}: bad annotation line {raw!r}")
        releases[current].append((code, fields))
    return releases


def annotate(record: dict, lines: list[tuple[str, list[str]]]) -> dict:
    """The record with quotes and non-quotes located in its text."""
    text = record["text"]
    quotes, non_quotes = [], []
    for code, fields in lines:
        if code in NON_QUOTE_CLASSES:
            start, end = find(text, fields[0])
            non_quotes.append({"start": start, "end": end, "class": NON_QUOTE_CLASSES[code], "text": text[start:end]})
            continue
        parts, speaker = fields[0].split(" ## "), fields[1]
        spans, after = [], 0
        for part in parts:
            span = find(text, part, after)
            spans.append(list(span))
            after = span[1]
        start, end = spans[0][0], spans[-1][1]
        quote = {
            "start": start,
            "end": end,
            "spans": spans,
            "quote_text": " ".join(text[s:e] for s, e in spans),
            "kind": QUOTE_KINDS[code],
            "speaker": None,
            "speaker_start": None,
            "speaker_end": None,
        }
        if speaker != "-":
            s_start, s_end = nearest_speaker(text, speaker, spans, code == "R")
            quote.update(speaker=text[s_start:s_end], speaker_start=s_start, speaker_end=s_end)
        quotes.append(quote)
    quotes.sort(key=lambda q: q["start"])
    non_quotes.sort(key=lambda q: q["start"])
    return {**record, "quotes": quotes, "non_quotes": non_quotes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draw", type=Path, required=True, help="folder written by draw_quote_gold.py")
    parser.add_argument("--annotations", type=Path, default=ANNOTATIONS)
    args = parser.parse_args()
    annotations = parse_annotations(args.annotations)
    for split in ("dev", "heldout"):
        records = [json.loads(line) for line in (args.draw / f"{split}.jsonl").read_text().splitlines() if line]
        done = [annotate(r, annotations[r["id"]]) for r in records if r["id"] in annotations]
        with (GOLD_DIR / f"press_quotes_{split}.jsonl").open("w", encoding="utf-8") as handle:
            for record in done:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"{split}: {len(done)} of {len(records)} releases annotated")


if __name__ == "__main__":
    main()
