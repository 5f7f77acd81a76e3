"""Build the Austrian news NER gold offsets from the annotation strings (no article text goes into the repo).

``corpus/gold/news_at_annotations.txt`` holds one line per annotated name: ``ID<TAB>LABEL<TAB>surface<TAB>which``.
``which`` is ``*`` (every occurrence of the surface in the article that is not inside a longer annotated name) or
occurrence numbers ``1,3`` (1-based, counted over the surface's whole-word occurrences, see below). LABEL ``-``
marks occurrences that are explicitly *not* an entity (a person's surname that is also a company, a common word), so
that the completeness check does not list them. ``#`` starts a comment line.

An occurrence is whole-word: no letter or digit right before or after it (a hyphen is a boundary, so ``ÖVP`` is
found in ``ÖVP-Chef``; a digit right before a name that starts with a letter is one too, because results tables
glue scores to names: "4:2Toronto Maple Leafs"). The script reads each article from ``../shared``, finds every string, and fails on a
surface that is not in the text, an occurrence number out of range, overlapping spans or an unknown id. It then
lists for review every whole-word occurrence of an annotated surface that is neither annotated, inside an
annotated name nor excluded, every occurrence followed by a genitive ``s`` that is not annotated, and every
unannotated occurrence of a surface annotated in another article (one name, one treatment across the gold).

    .venv/bin/python scripts/build_news_gold.py            # writes corpus/gold/news_at_{dev,heldout,heldout2,heldout3}.offsets.jsonl
    .venv/bin/python scripts/build_news_gold.py --check    # only checks and lists, writes nothing
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from draw_news_gold import default_news_path, load_articles, parts

GOLD_DIR = Path(__file__).resolve().parent.parent / "corpus" / "gold"
ANNOTATIONS = GOLD_DIR / "news_at_annotations.txt"
LABELS = {"PER", "LOC", "ORG"}
EXCLUDE = "-"


class GoldError(ValueError):
    """An annotation line that does not fit its article."""


@dataclass
class Annotation:
    lineno: int
    doc_id: str
    label: str
    surface: str
    which: str


@dataclass
class Article:
    doc_id: str
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    excluded: list[tuple[int, int]] = field(default_factory=list)


def read_annotations(path: Path) -> list[Annotation]:
    """Parse the annotation lines; malformed lines are an error."""
    annotations = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4:
            raise GoldError(f"{path.name}:{lineno}: expected 4 tab-separated fields, got {len(parts)}: {line!r}")
        doc_id, label, surface, which = parts
        if label not in LABELS | {EXCLUDE}:
            raise GoldError(f"{path.name}:{lineno}: unknown label {label!r}")
        if surface != surface.strip() or not surface:
            raise GoldError(f"{path.name}:{lineno}: surface with outer blanks or empty: {surface!r}")
        if which != "*" and not re.fullmatch(r"\d+(,\d+)*", which):
            raise GoldError(f"{path.name}:{lineno}: occurrence must be * or numbers like 1,3: {which!r}")
        annotations.append(Annotation(lineno, doc_id, label, surface, which))
    return annotations


def occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    """Whole-word occurrences of ``surface`` (no letter or digit directly before or after)."""
    before = r"(?<![^\W\d_])" if surface[:1].isalpha() else r"(?<![^\W_])"  # "4:2Toronto" (a glued score)
    pattern = re.compile(before + re.escape(surface) + r"(?![^\W_])")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _overlaps(span: tuple[int, int], others: list[tuple[int, int, str]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end, _ in others)


def _inside(span: tuple[int, int], others: list[tuple[int, int, str]]) -> bool:
    return any(start <= span[0] and span[1] <= end for start, end, _ in others)


def apply(article: Article, annotations: list[Annotation]) -> None:
    """Numbered lines first, then ``*`` lines from the longest surface down (a name inside a longer one is skipped)."""
    numbered = [a for a in annotations if a.which != "*"]
    starred = sorted((a for a in annotations if a.which == "*"), key=lambda a: -len(a.surface))
    for ann in numbered + starred:
        found = occurrences(article.text, ann.surface)
        where = f"line {ann.lineno} ({ann.doc_id} {ann.label} {ann.surface!r})"
        if not found:
            raise GoldError(f"{where}: surface not in the text")
        if ann.which == "*":
            chosen = [span for span in found if not _overlaps(span, article.spans)]
            if not chosen and ann.label != EXCLUDE:
                raise GoldError(f"{where}: every occurrence is already inside another annotation")
        else:
            numbers = [int(n) for n in ann.which.split(",")]
            if any(n < 1 or n > len(found) for n in numbers):
                raise GoldError(f"{where}: occurrence out of range (found {len(found)})")
            chosen = [found[n - 1] for n in numbers]
        for start, end in chosen:
            if ann.label == EXCLUDE:
                article.excluded.append((start, end))
                continue
            if _overlaps((start, end), article.spans):
                raise GoldError(f"{where}: span {start}-{end} overlaps another annotation")
            article.spans.append((start, end, ann.label))
    article.spans.sort()


def review(article: Article, elsewhere: set[str] = frozenset()) -> list[str]:
    """Occurrences left unannotated and not excluded: of a surface annotated in this article (and its genitive
    ``s``), and of a surface annotated in another article (``elsewhere``), so that one name is treated alike."""
    warnings = []
    excluded = [(s, e, EXCLUDE) for s, e in article.excluded]
    own = {article.text[s:e] for s, e, _ in article.spans}
    candidates = [(surface, "here") for surface in sorted(own)]
    candidates += [(surface, "elsewhere") for surface in sorted(set(elsewhere) - own)]
    for surface, where in candidates:
        found = occurrences(article.text, surface)
        if where == "here":
            found += occurrences(article.text, surface + "s")
        for start, end in found:
            if _inside((start, end), article.spans) or _inside((start, end), excluded):
                continue
            context = article.text[max(0, start - 30) : end + 30].replace("\n", " ")
            note = "annotated here" if where == "here" else "annotated in another article"
            warnings.append(f"{article.doc_id} {start}-{end} {article.text[start:end]!r} ({note}): …{context}…")
    return warnings


def build(news_path: Path, annotations_path: Path) -> tuple[dict[str, list[Article]], list[str]]:
    """The drawn articles of each split with their spans, and the review list."""
    splits = parts(load_articles(news_path))
    by_id = {str(a["id"]): a for part in splits.values() for a in part}
    grouped: dict[str, list[Annotation]] = {}
    for ann in read_annotations(annotations_path):
        if ann.doc_id not in by_id:
            raise GoldError(f"line {ann.lineno}: id {ann.doc_id} is not a drawn article")
        grouped.setdefault(ann.doc_id, []).append(ann)
    built: dict[str, list[Article]] = {}
    for name, part in splits.items():
        built[name] = []
        for record in part:
            article = Article(str(record["id"]), record["text"])
            apply(article, grouped.get(article.doc_id, []))
            built[name].append(article)
    every = [a for articles in built.values() for a in articles]
    surfaces = {a.doc_id: {a.text[s:e] for s, e, _ in a.spans} for a in every}
    warnings: list[str] = []
    for article in every:
        elsewhere = {x for doc_id, names in surfaces.items() if doc_id != article.doc_id for x in names}
        warnings.extend(review(article, elsewhere))
    return built, warnings


def write(built: dict[str, list[Article]], gold_dir: Path) -> None:
    """One offsets line per article (articles without annotations are left out: not annotated yet)."""
    for name, articles in built.items():
        with (gold_dir / f"news_at_{name}.offsets.jsonl").open("w", encoding="utf-8") as handle:
            for article in articles:
                if not article.spans and not article.excluded:
                    continue
                record = {
                    "id": article.doc_id,
                    "sha1": hashlib.sha1(article.text.encode("utf-8")).hexdigest(),
                    "date": None,
                    "entities": [[s, e, label] for s, e, label in article.spans],
                }
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--news", type=Path, default=None, help="the derStandard JSONL (default: ../shared)")
    parser.add_argument("--annotations", type=Path, default=ANNOTATIONS)
    parser.add_argument("--check", action="store_true", help="check and list only, write nothing")
    args = parser.parse_args()
    news = args.news or default_news_path()
    if not news.exists():
        sys.exit(f"error: {news} not found (the derStandard texts live in ../shared, never in the repo)")
    try:
        built, warnings = build(news, args.annotations)
    except GoldError as error:
        sys.exit(f"error: {error}")
    for warning in warnings:
        print("review:", warning)
    for name, articles in built.items():
        done = [a for a in articles if a.spans or a.excluded]
        counts = Counter(label for a in done for _, _, label in a.spans)
        print(f"{name}: {len(done)}/{len(articles)} articles annotated, {dict(sorted(counts.items()))}")
    if not args.check:
        write(built, GOLD_DIR)


if __name__ == "__main__":
    main()
