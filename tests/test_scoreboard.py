"""The scoreboard (``make eval``): sets as data, gold joined from ids and offsets, one table in the README."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import CORPUS

from pipeline.scoreboard import (
    DEFAULT_CONFIG,
    README_END,
    README_START,
    ScoreSet,
    join_offset_gold,
    read_sets,
    render_table,
    run_scoreboard,
    update_readme,
)
from pipeline.settings import Settings

ARTICLE = "Wien – Bundespräsident Alexander Van der Bellen traf in Graz den Bürgermeister Siegfried Nagl."


def test_shipped_config_covers_every_task() -> None:
    sets = read_sets(DEFAULT_CONFIG)
    assert {s.task for s in sets} == {"entities", "dates", "quotes"}
    assert any("GermEval" in s.name for s in sets) and any("KRAUTS" in s.name for s in sets)


def test_unknown_key_is_an_error(tmp_path: Path) -> None:
    config = tmp_path / "board.toml"
    config.write_text('[[set]]\nname = "x"\ntask = "entities"\ngold = "g.jsonl"\nlabel = ["PER"]\n')
    with pytest.raises(ValueError, match="unknown key"):
        read_sets(config)


def test_offset_gold_is_joined_with_its_text_and_checked(tmp_path: Path) -> None:
    texts = tmp_path / "news.jsonl"
    texts.write_text(json.dumps({"id": "a-1", "text": ARTICLE}, ensure_ascii=False) + "\n", encoding="utf-8")
    start = ARTICLE.index("Alexander")
    entry = {
        "id": "a-1",
        "sha1": hashlib.sha1(ARTICLE.encode()).hexdigest(),
        "entities": [[start, start + len("Alexander Van der Bellen"), "PER"]],
    }
    offsets = tmp_path / "gold.offsets.jsonl"
    offsets.write_text(json.dumps(entry) + "\n")
    gold = json.loads(join_offset_gold(offsets, texts, tmp_path / "gold.jsonl").read_text())
    s, e, label = gold["entities"][0]
    assert (gold["text"][s:e], label) == ("Alexander Van der Bellen", "PER")

    offsets.write_text(json.dumps({**entry, "sha1": "0" * 40}) + "\n")
    with pytest.raises(ValueError, match="changed"):
        join_offset_gold(offsets, texts, tmp_path / "gold.jsonl")


def test_readme_table_is_replaced_between_markers(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# X\n\n{README_START}\nold table\n{README_END}\n\nrest\n")
    rows = [{"task": "entities", "name": "press dev", "genre": "press", "figure": "F1 0.900", "details": "P 1"}]
    assert update_readme(readme, render_table(rows, 1234.0))
    text = readme.read_text()
    assert "old table" not in text and "**F1 0.900**" in text and "1,234 words/s" in text and text.endswith("rest\n")
    plain = tmp_path / "PLAIN.md"
    plain.write_text("no markers\n")
    assert not update_readme(plain, "table")


def test_scoreboard_scores_the_sample_release_and_reports_missing_gold(tmp_path: Path, shipped_model: Path) -> None:
    sets = [
        ScoreSet(name="sample", task="entities", gold=str(CORPUS / "gold" / "hubwerk01.jsonl"), labels=["PER", "LOC"]),
        ScoreSet(name="missing", task="entities", gold="corpus/gold/does_not_exist.jsonl"),
    ]
    board = run_scoreboard(sets, Settings.from_config(model=str(shipped_model)), tmp_path, tmp_path, log=lambda _: None)
    sample, missing = board["rows"]
    assert sample["result"]["per_label"]["PER"]["support"] > 0
    assert sample["figure"].startswith("F1 ") and sample["result"]["overall"]["f1"] > 0.5
    assert missing["figure"] == "n/a" and "not available" in missing["details"]
    assert board["words_per_second"] > 0
