"""Draw the derStandard.at articles for the Austrian news NER gold (deterministic, fixed seed).

The articles come from ``../shared/data/news/derstandard_10kgnad.jsonl`` (CC BY-NC-SA: the texts are never
committed; the gold keeps only ids, a text hash and offsets). Articles over 3,500 characters are skipped so that
every drawn article can be read in full. The draw is stratified over ``category``: each category's articles are
shuffled with the seed, and the draw takes one article from each category in turn (round-robin), in a category
order shuffled afresh (same seeded generator) every round, until 45 are drawn. Every third drawn article goes to
held-out (30 dev, 15 held-out). (With one fixed order of the 9 categories, "every third" would send the same 3
categories to held-out and none of them to dev.)

A second, fresh held-out set (``heldout2``, 24 articles) was drawn after the first held-out third had been scored
once: the same stratified procedure with its own seed, over the articles that are in neither the first draw nor
the first 300 lines of the file (the articles read during development runs, ``pressewerk run … --limit 300``).
A third (``heldout3``, 24 articles) was drawn the same way after ``heldout2`` had been scored once, with the next
seed, over the articles in none of the earlier draws and not read during development.

    .venv/bin/python scripts/draw_news_gold.py                  # prints the draw: split, id, category, length
    .venv/bin/python scripts/draw_news_gold.py --out /tmp/news  # also writes dev/heldout/heldout2/heldout3.jsonl there
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

SEED = 20261204
N_ARTICLES = 45
FRESH_SEED = 20261206
FRESH_SEEDS = {"heldout2": FRESH_SEED, "heldout3": 20261207}  # in draw order: each excludes the ones before it
N_FRESH = 24
READ_DURING_DEVELOPMENT = 300  # the first lines of the file, run and read during development
MAX_CHARS = 3500
NEWS_PATH = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "news" / "derstandard_10kgnad.jsonl"
SHARED_NEWS_PATH = Path("/work/shared/data/news/derstandard_10kgnad.jsonl")


def default_news_path() -> Path:
    """The news file under ``../shared`` of the project (falls back to ``/work/shared``)."""
    return NEWS_PATH if NEWS_PATH.exists() else SHARED_NEWS_PATH


def load_articles(path: Path) -> list[dict]:
    """All articles of the JSONL file, in file order."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def draw(articles: list[dict], seed: int = SEED, n: int = N_ARTICLES, max_chars: int = MAX_CHARS) -> list[dict]:
    """Round-robin over the categories (seeded order), each category's articles in a seeded shuffle."""
    rng = random.Random(seed)
    by_category: dict[str, list[dict]] = {}
    for article in articles:
        if len(article["text"]) <= max_chars:
            by_category.setdefault(article["category"], []).append(article)
    categories = sorted(by_category)
    for category in categories:
        pool = sorted(by_category[category], key=lambda a: str(a["id"]))
        rng.shuffle(pool)
        by_category[category] = pool
    drawn: list[dict] = []
    while len(drawn) < n and any(by_category.values()):
        rng.shuffle(categories)  # a fresh order each round, so "every third" does not always hit the same categories
        for category in categories:
            if by_category[category] and len(drawn) < n:
                drawn.append(by_category[category].pop(0))
    return drawn


def split(drawn: list[dict]) -> tuple[list[dict], list[dict]]:
    """Every third drawn article (3rd, 6th, …) is held-out; the others are dev."""
    dev = [a for i, a in enumerate(drawn, start=1) if i % 3 != 0]
    heldout = [a for i, a in enumerate(drawn, start=1) if i % 3 == 0]
    return dev, heldout


def fresh_draws(articles: list[dict]) -> dict[str, list[dict]]:
    """The fresh held-out sets, in order: each the same draw over the articles never drawn before and never read
    during development."""
    taken = {str(a["id"]) for a in draw(articles)}
    taken |= {str(a["id"]) for a in articles[:READ_DURING_DEVELOPMENT]}
    drawn: dict[str, list[dict]] = {}
    for name, seed in FRESH_SEEDS.items():
        rest = [a for a in articles if str(a["id"]) not in taken]
        drawn[name] = draw(rest, seed=seed, n=N_FRESH)
        taken |= {str(a["id"]) for a in drawn[name]}
    return drawn


def fresh_draw(articles: list[dict]) -> list[dict]:
    """The second held-out set (``heldout2``), drawn after the first held-out third was spent."""
    return fresh_draws(articles)["heldout2"]


def parts(articles: list[dict]) -> dict[str, list[dict]]:
    """Every split of the gold: ``dev`` and ``heldout`` (the first draw), then the fresh draws (``heldout2``, …)."""
    dev, heldout = split(draw(articles))
    return {"dev": dev, "heldout": heldout, **fresh_draws(articles)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--news", type=Path, default=None, help="the derStandard JSONL (default: ../shared)")
    parser.add_argument("--out", type=Path, default=None, help="folder for dev.jsonl and heldout.jsonl (not the repo)")
    args = parser.parse_args()
    for name, part in parts(load_articles(args.news or default_news_path())).items():
        for article in part:
            print(f"{name}\t{article['id']}\t{article['category']}\t{len(article['text'])}")
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            with (args.out / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
                for article in part:
                    handle.write(json.dumps(article, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
