"""Share of the quote stage in the processing time of Berlin police releases, as ONE JSON object.

The whole per-document work of a run (``nlp.pipe`` with the configured pipeline plus every normaliser
stage) is timed around ``BatchProcessor.extract``, and the quote stage inside it on its own. Reading the
CSV files and writing tables are left out of the denominator, so ``quote_share`` is an upper bound of the
stage's share of end-to-end time.

    .venv/bin/python scripts/time_quotes.py --docs 1000
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_model import berlin_texts

from pipeline.ingest.document import Document
from pipeline.normalise.quotes import QuoteStage
from pipeline.runner import BatchProcessor
from pipeline.settings import Settings


class Timed:
    """Wraps a stage and adds up the seconds spent in it."""

    def __init__(self, stage: QuoteStage) -> None:
        self.stage, self.seconds = stage, 0.0

    def __call__(self, item):
        started = time.perf_counter()
        try:
            return self.stage(item)
        finally:
            self.seconds += time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("PRESSEWERK_DATA", "../shared/data")))
    parser.add_argument("--docs", type=int, default=1000)
    args = parser.parse_args()
    texts = berlin_texts(args.data, args.docs)
    settings = Settings.from_config()
    processor = BatchProcessor(settings).warmed_up()
    timed = None
    for i, stage in enumerate(processor.stages):
        if isinstance(stage, QuoteStage):
            timed = processor.stages[i] = Timed(stage)
    if timed is None:
        raise SystemExit("the quotes stage is not configured")
    quotes = 0
    started = time.perf_counter()
    for n, doc in enumerate(processor.nlp.pipe(texts, batch_size=settings.pipe_batch_size)):
        tables = processor.extract(Document(doc_id=str(n), source="berlin", text=doc.text), doc)
        quotes += len(tables.get("quotes", []))
    total = time.perf_counter() - started
    print(json.dumps({
        "docs": len(texts), "quotes": quotes, "processing_s": round(total, 2),
        "quote_stage_s": round(timed.seconds, 3), "quote_share": round(timed.seconds / total, 4),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
