"""Draw the Berlin police releases for the quotation gold (deterministic, fixed seed).

Half of the draws come from releases whose body has a speech or report cue (``sagte``, ``gab … an``, ``laut``,
``zufolge``, quotation marks, …), the other half from all releases, alternating, so that statements, findings and
appeals all occur. Releases already in the press NER gold are excluded; releases with an empty body or a body over
4,000 characters (the longest 1 %) are left out so that every drawn release can be read in full. Every third drawn
release goes to held-out.

    .venv/bin/python scripts/draw_quote_gold.py --out /tmp/quote_draw   # writes dev.jsonl and heldout.jsonl there
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from pathlib import Path

SEED = 20261204
N_RELEASES = 48
MAX_BODY_CHARS = 4000
PRESS_DIR = Path("/work/shared/data/press/berlin_polizei")
GOLD_DIR = Path(__file__).resolve().parent.parent / "corpus" / "gold"
EXCLUDE_GOLD = ("press_dev.jsonl", "press_heldout.jsonl")
CUE = re.compile(
    r"\bsagte|\berklärte|\bteilten?\b[^.]{0,80}\bmit\b|\bgaben?\b[^.]{0,80}\ban\b|\bberichtete|\bäußerte"
    r"|\blaut\b|\bzufolge\b|\bAngaben\b|[„\"“]"
)
LINK_NUMBER = re.compile(r"\.(\d+)\.php")


def release_id(link: str) -> str:
    """``berlin-polizei-<number from the link>``."""
    match = LINK_NUMBER.search(link)
    if not match:
        raise ValueError(f"no release number in link {link!r}")
    return f"berlin-polizei-{match.group(1)}"


def iso_date(value: str) -> str:
    """``02.02.2025 13:09 Uhr`` → ``2025-02-02``."""
    day, month, year = value.split()[0].split(".")
    return f"{year}-{month}-{day}"


def load_releases(press_dir: Path) -> list[dict]:
    """All releases, one per link (the first row of a duplicated link), sorted by release number."""
    releases: dict[str, dict] = {}
    for path in sorted(press_dir.glob("berlin_polizei_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row["link"] and LINK_NUMBER.search(row["link"]):
                    releases.setdefault(row["link"], row)
    return sorted(releases.values(), key=lambda r: int(LINK_NUMBER.search(r["link"]).group(1)))


def excluded_ids(gold_dir: Path) -> set[str]:
    """Ids and links of releases already in the press NER gold."""
    seen: set[str] = set()
    for name in EXCLUDE_GOLD:
        for line in (gold_dir / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                seen.update(filter(None, (record.get("id"), record.get("source"))))
    return seen


def draw(releases: list[dict], exclude: set[str], seed: int = SEED, n: int = N_RELEASES) -> list[dict]:
    """Alternate a draw among cue releases and a draw among all releases, without repeats."""
    pool = [
        r
        for r in releases
        if r["link"] not in exclude
        and release_id(r["link"]) not in exclude
        and r["description"].strip()
        and len(r["description"]) <= MAX_BODY_CHARS
    ]
    cued = [r for r in pool if CUE.search(r["description"])]
    rng = random.Random(seed)
    drawn: list[dict] = []
    taken: set[str] = set()
    while len(drawn) < n:
        source = cued if len(drawn) % 2 == 0 else pool
        choice = rng.choice(source)
        if choice["link"] in taken:
            continue
        taken.add(choice["link"])
        drawn.append(choice)
    return drawn


def gold_record(row: dict) -> dict:
    """A quote-gold line without annotations; text built as in ``press_dev.jsonl``."""
    return {
        "id": release_id(row["link"]),
        "source": row["link"],
        "date": iso_date(row["date"]),
        "text": row["title"] + "\n\n" + row["description"],
        "quotes": [],
        "non_quotes": [],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for dev.jsonl and heldout.jsonl")
    args = parser.parse_args()
    drawn = draw(load_releases(PRESS_DIR), excluded_ids(GOLD_DIR))
    args.out.mkdir(parents=True, exist_ok=True)
    splits = {"dev": [], "heldout": []}
    for index, row in enumerate(drawn):
        splits["heldout" if index % 3 == 2 else "dev"].append(gold_record(row))
    for name, records in splits.items():
        with (args.out / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"{name}: {len(records)} releases, {sum(bool(CUE.search(r['text'])) for r in records)} with a cue")


if __name__ == "__main__":
    main()
