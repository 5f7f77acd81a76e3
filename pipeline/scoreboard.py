"""The scoreboard (``make eval``): every dev measure of every task on one loaded pipeline.

The sets are data (``configs/scoreboard.toml``). Gold that cannot be committed (NC corpora, corpora
converted to the press tokenizer) is built from ``$PRESSEWERK_DATA`` into ``build/gold/`` at run time;
a set whose data is missing is shown as ``n/a``, never silently dropped. The run prints one table,
writes ``build/scoreboard.json`` and rewrites the quality table in the README between its markers,
so the table is never copied by hand.

    python -m pipeline.scoreboard [--config configs/scoreboard.toml] [--only NAME] [--no-readme]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.settings import PROJECT_ROOT, Settings

DEFAULT_CONFIG = PROJECT_ROOT / "configs" / "scoreboard.toml"
README_START = "<!-- scoreboard:start -->"
README_END = "<!-- scoreboard:end -->"
TASKS = ("entities", "dates", "quotes")


@dataclass
class ScoreSet:
    """One line of the scoreboard."""

    name: str
    task: str
    gold: str
    genre: str = ""
    labels: list[str] = field(default_factory=lambda: ["PER", "LOC", "ORG"])
    match: str = "exact"
    map_label: str = ""
    figure: str = ""


def read_sets(path: Path) -> list[ScoreSet]:
    """The ``[[set]]`` tables of a scoreboard config; unknown keys or tasks are errors."""
    config = tomllib.loads(path.read_text(encoding="utf-8"))
    known = set(ScoreSet.__dataclass_fields__)
    sets = []
    for i, raw in enumerate(config.get("set", []), start=1):
        unknown = set(raw) - known
        if unknown:
            raise ValueError(f"{path}: set {i}: unknown key(s) {', '.join(sorted(unknown))}")
        entry = ScoreSet(**raw)
        if entry.task not in TASKS:
            raise ValueError(f"{path}: set {i} ({entry.name}): task must be one of {', '.join(TASKS)}")
        sets.append(entry)
    return sets


# --- gold builders -----------------------------------------------------------------------------------


def _sentences_to_gold(sentences: Iterable[Any], prefix: str, out: Path) -> Path:
    """Token-level sentences (pipeline.training.corpora) as evaluate JSONL in the press tokenization."""
    import spacy

    from pipeline.nlp.tokenizer import customize_tokenizer
    from pipeline.training.convert import to_doc, to_gold_record, write_jsonl

    nlp = customize_tokenizer(spacy.blank("de"))
    write_jsonl(out, (to_gold_record(to_doc(nlp, s, set()), f"{prefix}-{i}") for i, s in enumerate(sentences)))
    return out


def _converted(name: str) -> Callable[[Path, Path], Path]:
    def build(data: Path, build_dir: Path) -> Path:
        from pipeline.training.convert import write_gold_files

        target = build_dir / f"{name}.jsonl"
        if not target.exists():
            write_gold_files(data, build_dir)
        return target

    return build


def _ler_test_sample(data: Path, build_dir: Path, every: int = 10) -> Path:
    """Every ``every``-th sentence of the LER test split (court decisions; the model is not trained on it).

    Sentences citing laws, regulations, decisions or literature (LER types the PER/LOC/ORG scheme leaves
    unannotated) are left out: a name predicted inside "§ 3 BImSchG" would count as a false positive.
    """
    from pipeline.training.corpora import read_ler

    ler = read_ler(data / "ner" / "ler" / "test.conll")
    sentences = (s for i, s in enumerate(ler) if i % every == 0 and None not in s.tags)
    return _sentences_to_gold(sentences, "ler-test", build_dir / "ler_test_sample.jsonl")


def _newseye_test(data: Path, build_dir: Path) -> Path:
    """NewsEye German test split (historic newspapers; the model is not trained on it)."""
    from pipeline.training.corpora import read_hipe

    path = data / "ner" / "newseye_de" / "HIPE-2022-v2.1-newseye-test-de.tsv"
    return _sentences_to_gold(read_hipe(path, "newseye_de"), "newseye-test", build_dir / "newseye_test.jsonl")


def join_offset_gold(offsets_path: Path, texts_path: Path, target: Path) -> Path:
    """Gold kept as ids and offsets in the repo (NC texts) joined with the texts from ``../shared``.

    Each offsets line: ``{"id", "sha1", "date"?, "entities": [[start, end, label], ...]}``; ``sha1`` is the
    hash of the text the offsets index, so a changed source text is an error, not a silent shift.
    """
    texts = {}
    with texts_path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            texts[str(record["id"])] = record["text"]
    with offsets_path.open(encoding="utf-8") as source, target.open("w", encoding="utf-8") as out:
        for lineno, line in enumerate(source, start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            text = texts.get(str(record["id"]))
            if text is None:
                raise ValueError(f"{offsets_path}:{lineno}: id {record['id']} not in {texts_path}")
            if hashlib.sha1(text.encode("utf-8")).hexdigest() != record["sha1"]:
                raise ValueError(f"{offsets_path}:{lineno}: text of {record['id']} changed (sha1 differs)")
            gold = {"id": record["id"], "text": text, "date": record.get("date"), "entities": record["entities"]}
            out.write(json.dumps(gold, ensure_ascii=False) + "\n")
    return target


def _news_at(split: str) -> Callable[[Path, Path], Path]:
    def build(data: Path, build_dir: Path) -> Path:
        offsets = PROJECT_ROOT / "corpus" / "gold" / f"news_at_{split}.offsets.jsonl"
        if not offsets.exists():
            raise FileNotFoundError(offsets)
        texts = data / "news" / "derstandard_10kgnad.jsonl"
        return join_offset_gold(offsets, texts, build_dir / f"news_at_{split}.jsonl")

    return build


BUILDERS: dict[str, Callable[[Path, Path], Path]] = {
    "germeval_heldout": _converted("germeval_heldout"),
    "smartdata_dev": _converted("smartdata_dev"),
    "smartdata_dev_names": _converted("smartdata_dev_names"),
    "smartdata_dev_all": _converted("smartdata_dev_all"),
    "ler_test_sample": _ler_test_sample,
    "newseye_test": _newseye_test,
    "news_at_dev": _news_at("dev"),
    "news_at_heldout": _news_at("heldout"),
    "news_at_heldout2": _news_at("heldout2"),
    "news_at_heldout3": _news_at("heldout3"),
}


def resolve_gold(spec: str, data: Path, build_dir: Path) -> Path:
    """``builder:NAME``, ``data:REL`` (under ``$PRESSEWERK_DATA``) or a path relative to the project."""
    kind, sep, rest = spec.partition(":")
    if sep and kind == "builder":
        if rest not in BUILDERS:
            raise ValueError(f"unknown gold builder {rest!r}; known: {', '.join(sorted(BUILDERS))}")
        target = BUILDERS[rest](data, build_dir)
    elif sep and kind == "data":
        target = data / rest
    else:
        target = PROJECT_ROOT / spec
    if not target.exists():
        raise FileNotFoundError(target)
    return target


# --- scoring -----------------------------------------------------------------------------------------


def _f(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, int | float) else "–"


def summarise(entry: ScoreSet, result: dict[str, Any]) -> tuple[str, str]:
    """(headline figure, details) of one result, for the table."""
    if entry.task == "quotes":
        overall = result["overall"]
        return (
            f"F1 {_f(overall['f1'])}",
            f"P {_f(overall['precision'])} R {_f(overall['recall'])}, speaker accuracy "
            f"{_f(result['speaker_accuracy'])} ({result['speaker_support']}), {overall['support']} quotes",
        )
    per_label = result["per_label"]
    if entry.task == "dates":
        first = entry.labels[0]
        if entry.figure == "DATE recall":
            head = f"recall {_f(per_label[first]['recall'])}"
        elif entry.figure == "DATE value recall":
            head = f"value recall {_f(per_label[first].get('value_recall'))}"
        else:
            head = f"value F1 {_f(per_label[first].get('value_f1'))}"
        details = ", ".join(
            f"{label} span F1 {_f(per_label[label]['f1'])} / value F1 {_f(per_label[label].get('value_f1'))}"
            f" ({per_label[label]['support']})"
            for label in entry.labels
        )
        return head, details
    overall = result["overall"]
    details = f"P {_f(overall['precision'])} R {_f(overall['recall'])}; " + ", ".join(
        f"{label} {_f(per_label[label]['f1'])}" for label in entry.labels
    )
    return f"F1 {_f(overall['f1'])}", details


def run_set(entry: ScoreSet, gold: Path, settings: Settings, processor: Any) -> dict[str, Any]:
    """Score one set with the loaded pipeline."""
    if entry.task == "quotes":
        from pipeline.evaluate_quotes import evaluate_quotes_file

        return evaluate_quotes_file(gold, settings, processor=processor)
    from pipeline.evaluate import evaluate_file, parse_label_map

    return evaluate_file(gold, settings, entry.labels, entry.match, parse_label_map(entry.map_label), processor)


def render_table(rows: list[dict[str, Any]], words_per_second: float | None) -> str:
    """The Markdown table the README carries."""
    lines = [
        "| task | set | genre | figure | details |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(f"| {row['task']} | {row['name']} | {row['genre']} | **{row['figure']}** | {row['details']} |")
    if words_per_second:
        lines.append(f"\nWhole pipeline over the scoreboard's texts: {words_per_second:,.0f} words/s (one process).")
    return "\n".join(lines)


def update_readme(readme: Path, table: str) -> bool:
    """Replace the text between the scoreboard markers; False when the README has no markers."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        return False
    new = text[: start + len(README_START)] + "\n" + table + "\n" + text[end:]
    readme.write_text(new, encoding="utf-8")
    return True


def run_scoreboard(
    sets: list[ScoreSet],
    settings: Settings,
    data: Path,
    build_dir: Path,
    log: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
) -> dict[str, Any]:
    """Score every set on one loaded pipeline; a set without data is reported, not dropped."""
    from pipeline.runner import BatchProcessor

    build_dir.mkdir(parents=True, exist_ok=True)
    processor = BatchProcessor(settings)
    rows: list[dict[str, Any]] = []
    words = seconds = 0.0
    for entry in sets:
        row: dict[str, Any] = {"name": entry.name, "task": entry.task, "genre": entry.genre}
        try:
            gold = resolve_gold(entry.gold, data, build_dir)
        except (FileNotFoundError, ValueError) as error:
            row.update(figure="n/a", details=f"gold not available ({error})", result=None)
            rows.append(row)
            log(f"{entry.name}: n/a ({error})")
            continue
        started = time.perf_counter()
        result = run_set(entry, gold, settings, processor)
        elapsed = time.perf_counter() - started
        if result.get("words_per_second"):
            words += result["words_per_second"] * elapsed
            seconds += elapsed
        row["figure"], row["details"] = summarise(entry, result)
        row.update(result=result, seconds=round(elapsed, 1), gold=str(gold))
        rows.append(row)
        log(f"{entry.name}: {row['figure']} ({row['details']}) [{elapsed:.0f} s]")
    return {"rows": rows, "words_per_second": round(words / seconds, 1) if seconds else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("PRESSEWERK_DATA", "../shared/data")))
    parser.add_argument("--build", type=Path, default=PROJECT_ROOT / "build" / "gold")
    parser.add_argument("--only", action="append", default=[], help="score only sets whose name contains this")
    parser.add_argument("--readme", type=Path, default=PROJECT_ROOT / "README.md")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite the README's quality table")
    parser.add_argument("--json", type=Path, default=PROJECT_ROOT / "build" / "scoreboard.json")
    args = parser.parse_args(argv)
    try:
        sets = read_sets(args.config)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.only:
        sets = [s for s in sets if any(part.lower() in s.name.lower() for part in args.only)]
    board = run_scoreboard(sets, Settings.from_config(), args.data.resolve(), args.build)
    table = render_table(board["rows"], board["words_per_second"])
    print(table)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(board, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.no_readme and not args.only and not update_readme(args.readme, table):
        print(f"note: {args.readme} has no {README_START} … {README_END} markers; table not written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
