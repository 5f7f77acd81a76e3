"""`make bench-model`: words per second of the shipped model alone, one process, on the Berlin police releases."""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import spacy

from pipeline.ingest import Document, IngestOptions, iter_items
from pipeline.nlp.model import EMBEDDED_MODEL, pressewerk_components


def berlin_texts(data: Path, limit: int | None) -> list[str]:
    options = IngestOptions(text_field="description", title_field="title", date_field="date")
    texts = []
    for item in iter_items([str(data / "press" / "berlin_polizei")], options):
        if isinstance(item, Document):
            texts.append(item.text)
            if limit and len(texts) >= limit:
                break
    return texts


def words_in(doc) -> int:
    return sum(1 for t in doc if not (t.is_punct or t.is_space))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("PRESSEWERK_DATA", "../shared/data")))
    parser.add_argument("--model", type=Path, default=EMBEDDED_MODEL)
    parser.add_argument("--docs", type=int, default=3000, help="releases to process (0 = all)")
    args = parser.parse_args()
    texts = berlin_texts(args.data, args.docs or None)
    nlp = spacy.load(args.model, exclude=pressewerk_components(str(args.model)))  # the model alone
    list(nlp.pipe(texts[:50]))  # warm-up
    started = time.perf_counter()
    words = sum(words_in(doc) for doc in nlp.pipe(texts, batch_size=64))
    seconds = time.perf_counter() - started
    size = sum(f.stat().st_size for f in args.model.rglob("*") if f.is_file())
    print(
        json.dumps(
            {
                "model": f"{nlp.meta['name']}-{nlp.meta['version']}",
                "pipeline": nlp.pipe_names,
                "docs": len(texts),
                "words": words,
                "seconds": round(seconds, 2),
                "words_per_second": round(words / seconds, 1),
                "model_mb": round(size / 2**20, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
