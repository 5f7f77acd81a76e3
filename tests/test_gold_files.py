"""The gold annotated for Pressewerk is consistent: offsets, kinds, and the files rebuild from their sources."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import CORPUS, ROOT

GOLD = CORPUS / "gold"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_quote_gold_offsets_kinds_and_non_quotes_are_consistent() -> None:
    check = _script("check_quote_gold")
    for name in ("press_quotes_dev.jsonl", "press_quotes_heldout.jsonl"):
        for line in (GOLD / name).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            assert check.check_record(record) == [], record["id"]


def test_quote_checker_catches_a_shifted_offset() -> None:
    check = _script("check_quote_gold")
    quoted = next(r for r in map(json.loads, (GOLD / "press_quotes_dev.jsonl").open()) if r["quotes"])
    assert check.check_record(quoted) == []
    quoted["quotes"][0]["start"] += 1
    assert check.check_record(quoted) != []


def test_news_gold_rebuilds_identically_from_the_annotations(shared_data: Path, tmp_path: Path) -> None:
    news = shared_data / "news" / "derstandard_10kgnad.jsonl"
    if not news.exists():
        pytest.skip("derStandard texts not available")
    build = _script("build_news_gold")
    built, _ = build.build(news, GOLD / "news_at_annotations.txt")
    build.write(built, tmp_path)
    for split in ("dev", "heldout", "heldout2", "heldout3"):
        name = f"news_at_{split}.offsets.jsonl"
        assert (tmp_path / name).read_text(encoding="utf-8") == (GOLD / name).read_text(encoding="utf-8")


def test_news_gold_spans_are_names_without_blank_edges(shared_data: Path) -> None:
    news = shared_data / "news" / "derstandard_10kgnad.jsonl"
    if not news.exists():
        pytest.skip("derStandard texts not available")
    texts = {json.loads(line)["id"]: json.loads(line)["text"] for line in news.open(encoding="utf-8")}
    for line in (GOLD / "news_at_dev.offsets.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        text = texts[record["id"]]
        for start, end, label in record["entities"]:
            surface = text[start:end]
            assert label in {"PER", "LOC", "ORG"}, (record["id"], label)
            assert surface and surface == surface.strip(), (record["id"], surface)


def test_fresh_news_draws_avoid_every_earlier_draw_and_the_articles_read_in_development(shared_data: Path) -> None:
    news = shared_data / "news" / "derstandard_10kgnad.jsonl"
    if not news.exists():
        pytest.skip("derStandard texts not available")
    draw = _script("draw_news_gold")
    articles = draw.load_articles(news)
    splits = draw.parts(articles)
    fresh = {a["id"] for a in splits["heldout2"]}
    first = {a["id"] for a in splits["dev"] + splits["heldout"]}
    read = {a["id"] for a in articles[: draw.READ_DURING_DEVELOPMENT]}
    assert len(fresh) == draw.N_FRESH
    assert not fresh & first
    assert not fresh & read
    assert all(len(a["text"]) <= draw.MAX_CHARS for a in splits["heldout2"])
    third = {a["id"] for a in splits["heldout3"]}
    assert len(third) == draw.N_FRESH
    assert not third & (first | read | fresh)
    assert all(len(a["text"]) <= draw.MAX_CHARS for a in splits["heldout3"])


def test_news_gold_finds_a_name_glued_to_a_score() -> None:
    build = _script("build_news_gold")
    text = "Ergebnisse: Boston Bruins - Toronto 4:2Toronto kam nicht an. Toronto2 ist kein Name."
    assert [text[s:e] for s, e in build.occurrences(text, "Toronto")] == ["Toronto", "Toronto"]
    assert build.occurrences("B125", "125") == []
