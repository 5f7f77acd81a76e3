"""``pressewerk evaluate`` and ``convert-gold``: score the full pipeline on gold JSONL.

Gold lines: ``{"id", "text", "date": "YYYY-MM-DD" | null, "entities": [[start, end, label(, value)], ...]}``.
Spans match exactly by character offsets and label; labels outside ``--labels``
are ignored on both sides. ``value_f1`` (dates and times) counts a prediction
as correct when it overlaps a gold span of the same label with the same
normalised value.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.ingest.dateline import parse_date_value
from pipeline.ingest.document import Document
from pipeline.settings import Settings
from pipeline.training.corpora import _blocks, iob1_to_iob2, map_tags

LABEL_ALIASES = {
    "PER": "PER", "PERSON": "PER", "LOC": "LOC", "LOCATION": "LOC", "GPE": "LOC", "ORG": "ORG",
    "ORGANIZATION": "ORG", "ORGANISATION": "ORG", "MISC": "MISC", "OTH": "MISC", "DATE": "DATE", "TIME": "TIME",
}  # fmt: skip


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


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float | int]:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "support": n_gold}


def same_value(predicted: str | None, gold: str) -> bool:
    """Compare ISO / TIMEX values leniently (case, a trailing time on a day value)."""
    if predicted is None:
        return False
    p, g = predicted.strip().upper(), gold.strip().upper()
    return p == g or (len(g) > 10 and g[:10] == p) or (len(p) > 10 and p[:10] == g)


def score(pairs: list[tuple[GoldDoc, list[dict]]], labels: list[str]) -> dict:
    """Span P/R/F1 overall and per label; value P/R/F1 for labels whose gold carries values."""
    wanted = set(labels)
    counts = {label: [0, 0, 0] for label in labels}  # tp, pred, gold
    value_counts = {label: [0, 0, 0, 0] for label in labels}  # correct preds, judged preds, gold, gold found
    for gold_doc, mentions in pairs:
        gold = {(s, e, lab) for s, e, lab, _ in gold_doc.spans if lab in wanted}
        pred = {(m["start_char"], m["end_char"], m["label"]) for m in mentions if m["label"] in wanted}
        for label in labels:
            g = {x for x in gold if x[2] == label}
            p = {x for x in pred if x[2] == label}
            counts[label][0] += len(g & p)
            counts[label][1] += len(p)
            counts[label][2] += len(g)
        valued = [(s, e, lab, v) for s, e, lab, v in gold_doc.spans if lab in wanted and v is not None]
        unvalued = [(s, e, lab) for s, e, lab, v in gold_doc.spans if lab in wanted and v is None]
        for label in {lab for _, _, lab, _ in valued}:
            g = [x for x in valued if x[2] == label]
            p = [m for m in mentions if m["label"] == label]
            judged = [
                m
                for m in p
                if not any(s < m["end_char"] and m["start_char"] < e and lab == label for s, e, lab in unvalued)
            ]
            hits = sum(
                any(s < m["end_char"] and m["start_char"] < e and same_value(m.get("value"), v) for s, e, _, v in g)
                for m in judged
            )
            found = sum(
                any(s < m["end_char"] and m["start_char"] < e and same_value(m.get("value"), v) for m in p)
                for s, e, _, v in g
            )
            for i, n in enumerate((hits, len(judged), len(g), found)):
                value_counts[label][i] += n
    per_label = {}
    for label in labels:
        tp, n_pred, n_gold = counts[label]
        per_label[label] = _prf(tp, n_pred, n_gold)
        correct, judged, n_valued, found = value_counts[label]
        if n_valued:
            precision = correct / judged if judged else 0.0
            recall = found / n_valued
            f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            per_label[label]["value_f1"] = round(f1, 4)
            per_label[label]["value_precision"] = round(precision, 4)
            per_label[label]["value_recall"] = round(recall, 4)
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {"overall": _prf(*total), "per_label": per_label}


def evaluate_file(path: Path, settings: Settings, labels: list[str]) -> dict:
    """Run the full pipeline over the gold texts and score it."""
    from pipeline.runner import BatchProcessor

    processor = BatchProcessor(settings)
    golds = list(read_gold(path))
    pairs = []
    words = 0
    started = time.perf_counter()
    docs = processor.nlp.pipe((g.text for g in golds), batch_size=settings.pipe_batch_size)
    for gold_doc, doc in zip(golds, docs, strict=True):
        document = Document(doc_id=gold_doc.id, source=str(path), text=gold_doc.text, published=gold_doc.date)
        tables = processor.extract(document, doc)
        words += tables["documents"][0]["n_words"]
        pairs.append((gold_doc, tables["mentions"]))
    elapsed = time.perf_counter() - started
    result = {"n_docs": len(golds), "words_per_second": round(words / elapsed, 1) if elapsed else 0.0}
    result.update(score(pairs, labels))
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
