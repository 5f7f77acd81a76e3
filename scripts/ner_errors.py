"""List the entity errors of the full pipeline on a gold JSONL file: misses, spurious, boundary and label errors.

    python scripts/ner_errors.py --gold corpus/gold/press_dev.jsonl --labels PER,LOC,ORG

One line per error with its sentence context, for reading (``pressewerk evaluate`` gives the numbers).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from pipeline.evaluate import read_gold
from pipeline.ingest.document import Document
from pipeline.runner import BatchProcessor
from pipeline.settings import Settings


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"{left}[{text[start:end]}]{right}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--labels", default="PER,LOC,ORG")
    parser.add_argument("--model", default=None)
    parser.add_argument("--config", type=Path, default=None, help="pipeline configuration (default: the shipped one)")
    args = parser.parse_args()
    labels = set(args.labels.split(","))
    config = {"path": args.config} if args.config else {}
    processor = BatchProcessor(Settings.from_config(**config, model=args.model))
    kinds: Counter[str] = Counter()
    for gold in read_gold(args.gold):
        doc = processor.nlp(gold.text)
        tables = processor.extract(Document(doc_id=gold.id, source="gold", text=gold.text, published=gold.date), doc)
        pred = {(m["start_char"], m["end_char"], m["label"]) for m in tables["mentions"] if m["label"] in labels}
        gold_spans = {(s, e, lab) for s, e, lab, _ in gold.spans if lab in labels}
        for s, e, lab in sorted(pred - gold_spans):
            overlap = [g for g in gold_spans if g[0] < e and s < g[1]]
            kind = "spurious" if not overlap else ("label" if any(g[:2] == (s, e) for g in overlap) else "boundary")
            kinds[f"{kind} {lab}"] += 1
            print(
                f"{kind:9} {lab:4} {_context(gold.text, s, e)}  gold={[gold.text[g[0] : g[1]] + '/' + g[2] for g in overlap]}"
            )
        for s, e, lab in sorted(gold_spans - pred):
            if not any(p[0] < e and s < p[1] for p in pred):
                kinds[f"missed {lab}"] += 1
                print(f"missed    {lab:4} {_context(gold.text, s, e)}")
    for kind, n in kinds.most_common():
        print(f"# {n:4} {kind}")


if __name__ == "__main__":
    main()
