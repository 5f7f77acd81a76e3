"""Speakers on real output: no quote of Berlin police releases or Austrian news has a speaker that is a date, a
time word, a conjunction or a preposition. Prints ONE JSON object per genre with the offending rows.

    .venv/bin/python scripts/check_speakers.py --berlin 1000 --austrian 500

The Austrian articles (derStandard, 10kGNAD) are CC BY-NC-SA: read from ``$PRESSEWERK_DATA``, never copied.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_model import berlin_texts

from pipeline.evaluate_quotes import implausible_speaker
from pipeline.ingest.document import Document
from pipeline.runner import BatchProcessor
from pipeline.settings import Settings

AUSTRIAN = Path("news") / "derstandard_10kgnad.jsonl"


def austrian_texts(data: Path, limit: int) -> list[str]:
    with (data / AUSTRIAN).open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for _, line in zip(range(limit), handle, strict=False)]


def quote_rows(processor: BatchProcessor, texts: list[str]) -> Iterator[dict]:
    """The quotes table rows of ``texts``, through the same extraction path as ``pressewerk run``."""
    docs = processor.nlp.pipe(texts, batch_size=processor.settings.pipe_batch_size)
    for n, doc in enumerate(docs):
        yield from processor.extract(Document(doc_id=str(n), source="check", text=doc.text), doc).get("quotes", [])


def check(processor: BatchProcessor, texts: list[str]) -> dict:
    rows = list(quote_rows(processor, texts))
    bad = [
        {"speaker_text": r["speaker_text"], "why": why, "cue": r["cue"], "text": r["text"][:120]}
        for r in rows
        if (why := implausible_speaker(r["speaker_text"])) is not None
    ]
    with_speaker = sum(1 for r in rows if r["speaker_text"])
    return {"docs": len(texts), "quotes": len(rows), "with_speaker": with_speaker, "implausible": bad}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("PRESSEWERK_DATA", "../shared/data")))
    parser.add_argument("--berlin", type=int, default=1000)
    parser.add_argument("--austrian", type=int, default=500)
    args = parser.parse_args()
    processor = BatchProcessor(Settings.from_config())
    result = {
        "berlin": check(processor, berlin_texts(args.data, args.berlin)),
        "austrian": check(processor, austrian_texts(args.data, args.austrian)),
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
