"""``pressewerk evaluate --task quotes``: score the quotes table on quotation-attribution gold.

Gold lines (the format of the German news quotation attribution corpus):
``{"id", "text", "date", "quotes": [{"spans": [[start, end], ...], "kind", "speaker", ...}]}``.

- A found quote counts when its spans overlap a gold quote's spans by at least half of the shorter of the two
  (characters). Precision: found quotes that match some gold quote; recall: gold quotes some found quote matches.
  ``by_kind`` gives recall per gold kind and precision per found kind.
- Speaker accuracy is measured on the gold quotes that were found and have a gold speaker: correct when a
  matching found quote's speaker (its phrase or its resolved names) shares a word of at least three letters with
  the gold speaker, articles and pronouns aside. A gold speaker that is only a pronoun ("er") is scored against
  the gold speaker named last before it in the same article, so a found pronoun must be resolved to that name.
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.ingest.dateline import parse_date_value
from pipeline.ingest.formats import gold_document
from pipeline.settings import Settings

# Articles and pronouns: not evidence that two speaker phrases name the same speaker.
IGNORED_WORDS = frozenset({
    "der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem", "einen", "er", "sie", "es",
    "ihr", "ihm", "ihn", "ihnen", "wir", "ich", "man", "sein", "seine", "seiner", "seines", "seinem", "seinen",
    "ihre", "ihrer", "ihres", "ihrem", "ihren", "uns", "euch", "mir", "mich", "dir", "dich",
})  # fmt: skip
WORD = re.compile(r"\w{3,}")
# What no speaker phrase may start with or be headed by (checked on real output: scripts/check_speakers.py).
NOT_A_SPEAKER_START = frozenset({
    "am", "im", "in", "an", "auf", "nach", "vor", "mit", "bei", "beim", "zu", "zum", "zur", "über", "für", "aus",
    "unter", "seit", "während", "gegen", "laut", "gemäß", "zufolge", "und", "aber", "oder", "denn", "doch",
    "sondern", "genau", "zwischenzeitlich", "unterdessen", "indes", "dann", "auch", "zudem", "außerdem", "jedoch",
    "dabei", "danach", "anschließend", "zunächst", "zurzeit", "ähnlich", "man",
})  # fmt: skip
TIME_WORD = re.compile(
    r"^(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|heute|gestern|vorgestern)"
    r"(?:früh|morgen|vormittag|mittag|nachmittag|abend|nacht)?$|^uhr$|^\d{1,2}[.:]\d{2}$|"
    r"^(?:januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember)$|"
    r"^(?:morgen|vormittag|mittag|nachmittag|abend|nacht|wochenende|jahr|jahre|jahren|zeit)$"
)
DETERMINERS = frozenset({"der", "die", "das", "dem", "den", "des", "ein", "eine", "einer", "eines", "einem", "einen"})
OVERLAP = 0.5


@dataclass
class GoldQuote:
    spans: list[tuple[int, int]]
    kind: str
    speaker: str | None  # the annotated surface, a pronoun replaced by the gold speaker named before it


@dataclass
class GoldArticle:
    id: str
    text: str
    date: Any
    quotes: list[GoldQuote]


def speaker_words(text: str | None) -> set[str]:
    """Lower-case words of three letters or more, without articles and pronouns."""
    return {w for w in WORD.findall((text or "").lower()) if w not in IGNORED_WORDS}


def implausible_speaker(speaker_text: str | None) -> str | None:
    """Why a found speaker phrase cannot be a speaker (a preposition, conjunction or adverb first, a date or
    time word as its first noun), or None. Independent of how the quote stage finds speakers."""
    words = [w.strip(',.;:()„“"') for w in (speaker_text or "").split()]
    words = [w for w in words if w]
    if not words:
        return None
    if words[0].lower() in NOT_A_SPEAKER_START:
        return f"starts with {words[0]!r}"
    noun = next((w for w in words if w.lower() not in DETERMINERS and (w[:1].isupper() or w[:1].isdigit())), None)
    if noun is not None and TIME_WORD.match(noun.lower()):
        return f"a date or time: {noun!r}"
    return None


def read_quote_gold(path: Path) -> Iterator[GoldArticle]:
    """Gold articles; a malformed line is a ValueError naming the file and line."""
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                yield GoldArticle(
                    str(record.get("id", lineno)),
                    record["text"],
                    parse_date_value(record.get("date")),
                    _gold_quotes(record.get("quotes") or []),
                )
            except (ValueError, KeyError, TypeError, IndexError) as error:
                raise ValueError(f"{path}:{lineno}: not a quote gold record: {error}") from error


def _gold_quotes(records: list[dict]) -> list[GoldQuote]:
    quotes, last_named = [], None
    for record in sorted(records, key=lambda q: q["spans"][0][0] if q.get("spans") else q["start"]):
        spans = [(int(s), int(e)) for s, e in record.get("spans") or [[record["start"], record["end"]]]]
        speaker = record.get("speaker")
        if speaker and speaker_words(speaker):
            last_named = speaker
        elif speaker:
            speaker = last_named  # a pronoun: the speaker named last before it (None when there is none)
        quotes.append(GoldQuote(spans, str(record.get("kind") or "unknown"), speaker))
    return quotes


def _length(spans: Iterable[tuple[int, int]]) -> int:
    return sum(e - s for s, e in spans)


def overlaps(found: list[tuple[int, int]], gold: list[tuple[int, int]]) -> bool:
    """Overlap of at least half of the shorter span set."""
    shared = sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in found for s2, e2 in gold)
    shorter = min(_length(found), _length(gold))
    return shorter > 0 and shared >= OVERLAP * shorter


def _found_spans(row: dict[str, Any]) -> list[tuple[int, int]]:
    spans = row.get("spans")
    return [tuple(s) for s in json.loads(spans)] if spans else [(row["start_char"], row["end_char"])]


def _speaker_of(row: dict[str, Any]) -> str:
    """The found speaker's phrase and names as one string (names: a list, or '|'-separated in older output)."""
    names = row.get("speaker_names")
    if names is not None and not isinstance(names, str):
        names = " ".join(str(name) for name in names)
    return f"{row.get('speaker_text') or ''} {names or ''}"


def _prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> dict[str, float | int | None]:
    precision = tp_pred / n_pred if n_pred else 0.0
    recall = tp_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "support": n_gold}


def score_quotes(pairs: list[tuple[GoldArticle, list[dict[str, Any]]]]) -> dict[str, Any]:
    """Quote P/R/F1 overall and by kind, and speaker accuracy on found gold quotes with a speaker."""
    pred = defaultdict(lambda: [0, 0])  # kind -> matched found, found
    gold = defaultdict(lambda: [0, 0])  # kind -> found gold, gold
    speakers = [0, 0]  # correct, judged
    for article, rows in pairs:
        found = [(_found_spans(r), r) for r in rows]
        matched_rows = set()
        for quote in article.quotes:
            hits = [i for i, (spans, _) in enumerate(found) if overlaps(spans, quote.spans)]
            matched_rows.update(hits)
            gold[quote.kind][0] += bool(hits)
            gold[quote.kind][1] += 1
            if hits and quote.speaker:
                wanted = speaker_words(quote.speaker)
                speakers[1] += 1
                speakers[0] += any(wanted & speaker_words(_speaker_of(found[i][1])) for i in hits)
        for i, (_, row) in enumerate(found):
            pred[row["kind"]][0] += i in matched_rows
            pred[row["kind"]][1] += 1
    total_pred = [sum(v[i] for v in pred.values()) for i in range(2)]
    total_gold = [sum(v[i] for v in gold.values()) for i in range(2)]
    by_kind = {}
    for kind in sorted(set(pred) | set(gold)):
        by_kind[kind] = _prf(pred[kind][0], pred[kind][1], gold[kind][0], gold[kind][1])
        by_kind[kind]["found"] = pred[kind][1]
        if not pred[kind][1]:  # a kind the pipeline never outputs has a recall, but no precision
            by_kind[kind]["precision"] = by_kind[kind]["f1"] = None
    return {
        "overall": {**_prf(total_pred[0], total_pred[1], total_gold[0], total_gold[1]), "found": total_pred[1]},
        "by_kind": by_kind,
        "speaker_accuracy": round(speakers[0] / speakers[1], 4) if speakers[1] else 0.0,
        "speaker_support": speakers[1],
    }


def evaluate_quotes_file(path: Path, settings: Settings, processor: Any = None) -> dict[str, Any]:
    """Run the full pipeline over the gold articles and score its quotes table (``processor``: reuse one)."""
    from pipeline.runner import BatchProcessor

    processor = processor or BatchProcessor(settings)
    articles = list(read_quote_gold(path))
    pairs = []
    started = time.perf_counter()
    docs = processor.nlp.pipe((a.text for a in articles), batch_size=settings.pipe_batch_size)
    for article, doc in zip(articles, docs, strict=True):
        document = gold_document(article.id, str(path), article.text, article.date)
        pairs.append((article, processor.extract(document, doc).get("quotes", [])))
    result: dict[str, Any] = {"n_docs": len(articles), "seconds": round(time.perf_counter() - started, 1)}
    result.update(score_quotes(pairs))
    return result
