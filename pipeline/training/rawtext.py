"""Raw German text for training static vectors: press releases plus the NER corpora's training text.

Held-out evaluation text (GermEval test part, SmartData dev) is left out.
One tokenised sentence-ish line per paragraph, lower-cased only where the tokenizer does.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import spacy

from pipeline.nlp.tokenizer import customize_tokenizer
from pipeline.training.corpora import germeval_split, read_europarl, read_germeval, read_mobie, read_wikiann

csv.field_size_limit(sys.maxsize)


def press_texts(data: Path) -> Iterator[str]:
    for path in sorted((data / "press" / "berlin_polizei").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                yield from (p for p in row.get("description", "").split("\n") if p.strip())


def corpus_texts(data: Path) -> Iterator[str]:
    ner = data / "ner"
    for i, sent in enumerate(read_germeval(ner / "germeval2014" / "NER-de-dev.tsv")):
        if germeval_split(i) == "train":
            yield " ".join(sent.words)
    for reader, path in (
        (read_europarl, ner / "europarl_de" / "train.tsv"),
        (read_wikiann, ner / "wikiann_de" / "train"),
        (read_mobie, ner / "mobie" / "train.conll2003"),
    ):
        for sent in reader(path):
            yield " ".join(sent.words)
    with (ner / "smartdata" / "train.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            yield from (p for p in json.loads(line)["text"].split("\n") if p.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("PRESSEWERK_DATA", "../shared/data")))
    parser.add_argument("--out", type=Path, default=Path("build/raw/text.txt"))
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tokenizer = customize_tokenizer(spacy.blank("de")).tokenizer
    n = 0
    with args.out.open("w", encoding="utf-8") as out:
        for text in (*press_texts(args.data), *corpus_texts(args.data)):
            out.write(" ".join(t.text for t in tokenizer(text) if not t.is_space) + "\n")
            n += 1
    print(json.dumps({"lines": n, "path": str(args.out)}))


if __name__ == "__main__":
    main()
