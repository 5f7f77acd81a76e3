"""Check the press quotation gold: offsets, kinds, classes, and that non-quotes do not overlap quotes.

    .venv/bin/python scripts/check_quote_gold.py corpus/gold/press_quotes_dev.jsonl corpus/gold/press_quotes_heldout.jsonl

Prints one line per problem and exits 1 when there is any; also reads each file with the evaluator's reader.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from pipeline.evaluate_quotes import read_quote_gold

KINDS = {"direct", "indirect", "reported"}
CLASSES = {"finding", "appeal", "other"}
OPENING_MARKS = '„“"‚»«'
CLOSING_MARKS = '“”"‘«»'
NER_GOLD = ("press_dev.jsonl", "press_heldout.jsonl")


def check_quote(text: str, quote: dict) -> list[str]:
    """Problems of one quote: span offsets, quote text, kind, speaker offsets."""
    problems = []
    spans = quote["spans"]
    if not spans or any(not (0 <= s < e <= len(text)) for s, e in spans):
        return [f"bad spans {spans}"]
    if any(spans[i][1] > spans[i + 1][0] for i in range(len(spans) - 1)):
        problems.append(f"spans out of order {spans}")
    if (quote["start"], quote["end"]) != (spans[0][0], spans[-1][1]):
        problems.append(f"start/end {quote['start']},{quote['end']} do not bound spans {spans}")
    if " ".join(text[s:e] for s, e in spans) != quote["quote_text"]:
        problems.append(f"quote_text differs from text at spans: {quote['quote_text']!r}")
    if any(text[s:e] != text[s:e].strip() for s, e in spans):
        problems.append(f"span with outer whitespace: {quote['quote_text']!r}")
    if quote["kind"] not in KINDS:
        problems.append(f"unknown kind {quote['kind']!r}")
    if quote["kind"] == "direct" and not (
        text[spans[0][0]] in OPENING_MARKS and text[spans[-1][1] - 1] in CLOSING_MARKS
    ):
        problems.append(f"direct quote without its quotation marks: {quote['quote_text']!r}")
    speaker = quote.get("speaker")
    if speaker is None:
        if quote.get("speaker_start") is not None or quote.get("speaker_end") is not None:
            problems.append("speaker offsets without a speaker")
    elif text[quote["speaker_start"] : quote["speaker_end"]] != speaker:
        problems.append(f"speaker {speaker!r} not at {quote['speaker_start']}:{quote['speaker_end']}")
    return problems


def check_record(record: dict) -> list[str]:
    """Problems of one release."""
    text, problems = record["text"], []
    for key in ("id", "source", "date", "text", "quotes", "non_quotes"):
        if key not in record:
            problems.append(f"missing key {key}")
    quote_spans = []
    for quote in record["quotes"]:
        problems += check_quote(text, quote)
        quote_spans += [tuple(s) for s in quote["spans"]]
    if len(quote_spans) != len(set(quote_spans)):
        problems.append("the same quote span twice")
    for item in record["non_quotes"]:
        start, end = item["start"], item["end"]
        if not (0 <= start < end <= len(text)) or text[start:end] != item["text"]:
            problems.append(f"non-quote text not at {start}:{end}: {item['text']!r}")
        if item["class"] not in CLASSES:
            problems.append(f"unknown non-quote class {item['class']!r}")
        if any(start < e and s < end for s, e in quote_spans):
            problems.append(f"non-quote overlaps a quote: {item['text']!r}")
    return [f"{record['id']}: {p}" for p in problems]


def main(paths: list[str]) -> int:
    problems, ids = [], Counter()
    gold_dir = Path(paths[0]).parent
    ner_ids = {
        json.loads(line).get("id")
        for name in NER_GOLD
        for line in (gold_dir / name).open(encoding="utf-8")
        if line.strip()
    }
    kinds, classes, releases = Counter(), Counter(), 0
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            releases += 1
            ids[record["id"]] += 1
            if record["id"] in ner_ids:
                problems.append(f"{record['id']}: also in the press NER gold")
            problems += check_record(record)
            kinds.update(q["kind"] for q in record["quotes"])
            classes.update(n["class"] for n in record["non_quotes"])
        list(read_quote_gold(Path(path)))  # the evaluator reads it
    problems += [f"{i}: {n} times" for i, n in ids.items() if n > 1]
    for problem in problems:
        print(problem)
    print(f"{releases} releases; quotes {dict(kinds)}; non-quotes {dict(classes)}; {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
