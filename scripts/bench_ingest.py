"""Reading a long PDF against the NLP on its text: one JSON object.

    python scripts/bench_ingest.py [--pages 100] [--model models/de_pressewerk_ner]

Writes a PDF of ``--pages`` pages (the sample release repeated, with a running header and page
numbers, by the tests' own PDF writer), then times (median of 3) reading it into a Document
(``read_pdf_s``) and the full extraction on its text as ``pressewerk run`` does it: model, rule and
Pressewerk components, then the normaliser stages (``nlp_s``, one run). ``ratio`` = read / NLP.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from ingest_samples import layout, make_pdf  # noqa: E402

from pipeline.ingest.formats import IngestOptions, read_blob  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--model", default=str(ROOT / "models" / "de_pressewerk_ner"))
    args = parser.parse_args()

    sample = (ROOT / "corpus" / "releases" / "hubwerk01_netzwerktreffen.txt").read_text(encoding="utf-8")
    pages: list[list[str]] = []
    while len(pages) < args.pages:
        pages.extend(layout(sample))
    data = make_pdf(pages[: args.pages], header="DIZ | Pressemitteilung", footer="Seite {page}")
    options = IngestOptions(max_chars=10_000_000)

    timings = []
    for _ in range(3):
        started = time.perf_counter()
        (document,) = list(read_blob("bench.pdf", "bench.pdf", data, options))
        timings.append(time.perf_counter() - started)
    read_s = statistics.median(timings)

    from pipeline.runner import BatchProcessor
    from pipeline.settings import Settings

    processor = BatchProcessor(Settings.from_config(model=args.model)).warmed_up()
    processor.nlp.max_length = max(processor.nlp.max_length, len(document.text) + 1)
    started = time.perf_counter()
    tables = processor.extract(document, processor.nlp(document.text))
    nlp_s = time.perf_counter() - started
    pages_seen = {m["page"] for m in tables["mentions"]}
    print(
        json.dumps(
            {
                "pages": args.pages,
                "pdf_bytes": len(data),
                "chars": len(document.text),
                "read_pdf_s": round(read_s, 3),
                "nlp_s": round(nlp_s, 2),
                "ratio": round(read_s / nlp_s, 4),
                "mentions": len(tables["mentions"]),
                "pages_with_mentions": len(pages_seen - {None}),
            }
        )
    )


if __name__ == "__main__":
    main()
