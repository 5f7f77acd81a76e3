"""Score the dateline reader against the dateline gold: releases in ``corpus`` and derStandard articles.

``corpus/gold/datelines_press.jsonl``: one row per release (a file of ``corpus/releases`` or a gold release by id)
with its layout and the expected dateline place (null: no dateline). ``corpus/gold/datelines_derstandard.jsonl``:
ids and the character offsets of the dateline place in ``../shared/data/news/derstandard_10kgnad.jsonl`` (NC: the
text stays there), null where the article has no dateline.

    .venv/bin/python scripts/check_datelines.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from pipeline.ingest.dateline import parse_dateline

ROOT = Path(__file__).resolve().parents[1]


def _score(pairs: list[tuple[str, str | None, str | None]]) -> dict:
    wrong = [{"id": i, "expected": e, "found": f} for i, e, f in pairs if e != f]
    with_place = [p for p in pairs if p[1] is not None]
    filled = sum(1 for _, e, f in with_place if f == e)
    return {
        "documents": len(pairs),
        "with_dateline": len(with_place),
        "dateline_right": filled,
        "no_dateline_right": sum(1 for _, e, f in pairs if e is None and f is None),
        "accuracy": round((len(pairs) - len(wrong)) / len(pairs), 4) if pairs else None,
        "wrong": wrong,
    }


def press(root: Path = ROOT) -> dict:
    pairs = []
    gold_texts: dict[str, dict[str, str]] = {}
    for line in (root / "corpus" / "gold" / "datelines_press.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if "source" in row:
            name, text = row["source"], (root / row["source"]).read_text(encoding="utf-8")
        else:
            if row["gold"] not in gold_texts:
                lines = (root / row["gold"]).read_text(encoding="utf-8").splitlines()
                gold_texts[row["gold"]] = {d["id"]: d["text"] for d in map(json.loads, lines)}
            name, text = row["id"], gold_texts[row["gold"]][row["id"]]
        pairs.append((name, row["place"], parse_dateline(text).place))
    return _score(pairs)


def derstandard(data: Path, root: Path = ROOT) -> dict:
    articles = {}
    with (data / "news" / "derstandard_10kgnad.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            articles[article["id"]] = article["text"]
    pairs = []
    for line in (root / "corpus" / "gold" / "datelines_derstandard.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        text = articles[row["id"]]
        expected = text[row["start"] : row["end"]] if row["start"] is not None else None
        pairs.append((row["id"], expected, parse_dateline(text).place))
    return _score(pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=Path(os.environ.get("PRESSEWERK_DATA", ROOT.parent / "shared" / "data"))
    )
    args = parser.parse_args()
    print(json.dumps({"press": press(), "derstandard": derstandard(args.data)}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
