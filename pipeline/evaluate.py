"""``pressewerk evaluate`` and ``convert-gold``: score the full pipeline on gold JSONL.

Gold lines: ``{"id", "text", "date": "YYYY-MM-DD" | null, "entities": [[start, end, label(, value)], ...]}``.
Spans match by label and either exact character offsets (``--match exact``) or
any overlap (``--match overlap``); labels outside ``--labels`` are ignored on
both sides. ``value_f1`` (dates and times) counts a prediction as correct when
it overlaps a gold span of the same label with the same TIMEX value. The
``confusion`` object tells boundary errors (matched with overlap, not exactly)
from label errors (overlapping a gold span of another label).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.ingest.dateline import parse_date_value
from pipeline.ingest.formats import gold_document
from pipeline.settings import Settings
from pipeline.training.corpora import _blocks, iob1_to_iob2, map_tags

if TYPE_CHECKING:
    from pipeline.runner import BatchProcessor

LABEL_ALIASES = {
    "PER": "PER", "PERSON": "PER", "LOC": "LOC", "LOCATION": "LOC", "GPE": "LOC", "ORG": "ORG",
    "ORGANIZATION": "ORG", "ORGANISATION": "ORG", "MISC": "MISC", "OTH": "MISC", "DATE": "DATE", "TIME": "TIME",
    "DURATION": "DURATION", "SET": "SET",
}  # fmt: skip


MATCH_MODES = ("exact", "overlap")
Span3 = tuple[int, int, str]


@dataclass
class GoldDoc:
    id: str
    text: str
    date: date | None
    spans: list[tuple[int, int, str, str | None]]


def read_gold(path: Path) -> Iterator[GoldDoc]:
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            spans = []
            for entity in record.get("entities", []):
                start, end, label = int(entity[0]), int(entity[1]), str(entity[2])
                value = str(entity[3]) if len(entity) > 3 and entity[3] is not None else None
                spans.append((start, end, label, value))
            yield GoldDoc(str(record.get("id", lineno)), record["text"], parse_date_value(record.get("date")), spans)


def _prf(pred_hits: int, n_pred: int, gold_hits: int, n_gold: int) -> dict[str, float | int]:
    precision = pred_hits / n_pred if n_pred else 0.0
    recall = gold_hits / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "support": n_gold}


CLOCK_TIME = re.compile(r"\d{2}:\d{2}")
_CLOCK_IN_VALUE = re.compile(r"(^|T)(\d{1,2})[.:](\d{2})(?=$|[:.+Z-])")


def canonical_value(value: str) -> str:
    """A TIMEX3 value in one spelling: upper case, clock times as ``HH:MM`` (gold written by hand
    has "2010-02-25T20.30" and "2011-03-17T8:30" for ``2010-02-25T20:30`` and ``2011-03-17T08:30``)."""
    return _CLOCK_IN_VALUE.sub(lambda m: f"{m[1]}{int(m[2]):02d}:{m[3]}", value.strip().upper())


def same_value(predicted: str | None, gold: str) -> bool:
    """Compare ISO / TIMEX values leniently (case, clock spelling, a trailing time on a day value, a gold
    clock time "22:05" against the full point "2019-12-15T22:05")."""
    if predicted is None:
        return False
    p, g = canonical_value(predicted), canonical_value(gold)
    if CLOCK_TIME.fullmatch(g) and p.endswith("T" + g):
        return True
    return p == g or (len(g) > 10 and g[:10] == p) or (len(p) > 10 and p[:10] == g)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _span_counts(gold: list[Span3], pred: list[Span3], label: str, match: str) -> tuple[int, int, int, int]:
    """(predictions matched, predictions, gold matched, gold) of one label; exact or overlap matching."""
    g = [x for x in gold if x[2] == label]
    p = [x for x in pred if x[2] == label]
    if match == "exact":
        tp = len(set(g) & set(p))
        return tp, len(set(p)), tp, len(set(g))
    pred_hits = sum(any(_overlaps(x[:2], y[:2]) for y in g) for x in p)
    gold_hits = sum(any(_overlaps(x[:2], y[:2]) for y in p) for x in g)
    return pred_hits, len(p), gold_hits, len(g)


def confusion(pairs: list[tuple[list[Span3], list[Span3]]], labels: list[str]) -> dict:
    """Gold label x predicted label for overlapping spans, plus unmatched gold and predictions per label.

    ``matrix[gold][pred]`` counts gold spans overlapped by a prediction of that label; ``missed``
    counts gold spans no prediction overlaps, ``spurious`` predictions that overlap no gold span.
    """
    matrix = {g: dict.fromkeys(labels, 0) for g in labels}
    missed, spurious = dict.fromkeys(labels, 0), dict.fromkeys(labels, 0)
    for gold, pred in pairs:
        for g in gold:
            hits = {p[2] for p in pred if _overlaps(g[:2], p[:2])}
            for label in hits:
                matrix[g[2]][label] += 1
            missed[g[2]] += not hits
        for p in pred:
            spurious[p[2]] += not any(_overlaps(p[:2], g[:2]) for g in gold)
    return {"matrix": matrix, "missed": missed, "spurious": spurious}


def _value_counts(gold_doc: GoldDoc, mentions: list[dict], label: str) -> tuple[int, ...]:
    """(correct predictions, judged predictions, valued gold, valued gold found) of one label.

    Predictions overlapping a gold span without a value are not judged.
    """
    valued = [(s, e, v) for s, e, lab, v in gold_doc.spans if lab == label and v is not None]
    unvalued = [(s, e) for s, e, lab, v in gold_doc.spans if lab == label and v is None]
    if not valued:
        return 0, 0, 0, 0
    predicted = [m for m in mentions if m["label"] == label]
    judged = [m for m in predicted if not any(_overlaps((m["start_char"], m["end_char"]), u) for u in unvalued)]

    def right(m: dict, s: int, e: int, v: str) -> bool:
        return _overlaps((m["start_char"], m["end_char"]), (s, e)) and same_value(m.get("timex_value"), v)

    hits = sum(any(right(m, s, e, v) for s, e, v in valued) for m in judged)
    found = sum(any(right(m, s, e, v) for m in predicted) for s, e, v in valued)
    return hits, len(judged), len(valued), found


def parse_label_map(text: str) -> dict[str, str]:
    """ "DURATION=DATE,SET=DATE" -> {"DURATION": "DATE", "SET": "DATE"}."""
    mapping = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        predicted, sep, gold = item.partition("=")
        if not sep or not predicted.strip() or not gold.strip():
            raise ValueError(f"expected PREDICTED=GOLD, got {item!r}")
        mapping[predicted.strip()] = gold.strip()
    return mapping


def score(
    pairs: list[tuple[GoldDoc, list[dict]]],
    labels: list[str],
    match: str = "exact",
    label_map: dict[str, str] | None = None,
) -> dict:
    """Span P/R/F1 overall and per label, value P/R/F1 where the gold carries values, and a confusion table.

    ``match``: ``exact`` (same offsets) or ``overlap`` (any shared character); a label matches its
    own label only. ``label_map`` renames predicted labels first (``DURATION`` -> ``DATE`` for gold
    in a scheme that tags every temporal expression DATE, such as TIMEX2).
    """
    if match not in MATCH_MODES:
        raise ValueError(f"match must be one of {', '.join(MATCH_MODES)}, got {match!r}")
    label_map = label_map or {}
    wanted = set(labels)
    counts = {label: [0, 0, 0, 0] for label in labels}  # pred hits, preds, gold hits, gold
    value_counts = {label: [0, 0, 0, 0] for label in labels}  # correct preds, judged preds, gold, gold found
    span_pairs = []
    for gold_doc, raw_mentions in pairs:
        mentions = [{**m, "label": label_map.get(m["label"], m["label"])} for m in raw_mentions]
        mentions = [m for m in mentions if m["label"] in wanted]
        gold = sorted({(s, e, lab) for s, e, lab, _ in gold_doc.spans if lab in wanted})
        pred = sorted({(m["start_char"], m["end_char"], m["label"]) for m in mentions})
        span_pairs.append((gold, pred))
        for label in labels:
            for i, n in enumerate(_span_counts(gold, pred, label, match)):
                counts[label][i] += n
            for i, n in enumerate(_value_counts(gold_doc, mentions, label)):
                value_counts[label][i] += n
    per_label = {}
    for label in labels:
        per_label[label] = _prf(*counts[label])
        correct, judged, n_valued, found = value_counts[label]
        if n_valued:
            precision = correct / judged if judged else 0.0
            recall = found / n_valued
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            per_label[label]["value_f1"] = round(f1, 4)
            per_label[label]["value_precision"] = round(precision, 4)
            per_label[label]["value_recall"] = round(recall, 4)
    total = [sum(c[i] for c in counts.values()) for i in range(4)]
    return {
        "match": match,
        "overall": _prf(*total),
        "per_label": per_label,
        "confusion": confusion(span_pairs, labels),
    }


def evaluate_file(
    path: Path,
    settings: Settings,
    labels: list[str],
    match: str = "exact",
    label_map: dict[str, str] | None = None,
    processor: BatchProcessor | None = None,
) -> dict:
    """Run the full pipeline over the gold texts and score it (``processor``: reuse a loaded pipeline)."""
    from pipeline.runner import BatchProcessor

    processor = processor or BatchProcessor(settings)
    golds = list(read_gold(path))
    pairs = []
    words = 0
    started = time.perf_counter()
    docs = processor.nlp.pipe((g.text for g in golds), batch_size=settings.pipe_batch_size)
    for gold_doc, doc in zip(golds, docs, strict=True):
        document = gold_document(gold_doc.id, str(path), gold_doc.text, gold_doc.date)
        tables = processor.extract(document, doc)
        words += tables["documents"][0]["n_words"]
        pairs.append((gold_doc, tables["mentions"]))
    elapsed = time.perf_counter() - started
    result = {"n_docs": len(golds), "words_per_second": round(words / elapsed, 1) if elapsed else 0.0}
    result.update(score(pairs, labels, match, label_map))
    return result


def _tokens_to_record(record_id: str, words: list[str], tags: list[str]) -> dict:
    no_space_before = {".", ",", ";", ":", "!", "?", ")", "]", "“", "'"}
    text, spans, offsets = "", [], []
    for i, word in enumerate(words):
        if i and word not in no_space_before and words[i - 1] not in {"(", "[", "„"}:
            text += " "
        offsets.append((len(text), len(text) + len(word)))
        text += word
    start = None
    label = None
    for i, tag in enumerate([*tags, "O"]):
        if start is not None and not (tag.startswith("I-") and tag[2:] == label):
            spans.append([offsets[start][0], offsets[i - 1][1], label])
            start = None
        if tag.startswith("B-"):
            start, label = i, tag[2:]
    return {"id": record_id, "text": text, "date": None, "entities": spans}


def convert_gold_file(source: Path, fmt: str, target: Path) -> int:
    """GermEval (outer level), CoNLL-2003 (IOB2 or IOB1) or IOB1 token files to gold JSONL."""
    n = 0
    with target.open("w", encoding="utf-8") as out:
        for block in _blocks(source):
            if fmt == "germeval":
                words = [row[1] for row in block]
                raw = [row[2] for row in block]
                mapping = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "OTH": "MISC"}
            else:
                words = [row[0] for row in block]
                raw = iob1_to_iob2([row[-1] for row in block])
                kinds = {tag.split("-", 1)[1] for tag in raw if "-" in tag}
                mapping = {kind: LABEL_ALIASES.get(kind.upper(), kind.upper()) for kind in kinds}
            record = _tokens_to_record(f"{source.stem}-{n}", words, map_tags(raw, mapping))
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n
