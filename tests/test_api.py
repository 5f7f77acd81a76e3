"""The complete spaCy pipeline (a plain spacy.load) and the Python API give what `pressewerk run` finds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import spacy
from conftest import CORPUS, SHIPPED_MODEL

import pipeline
from pipeline.nlp.dates import SPAN_KEY
from pipeline.nlp.rules import RULER_NAME, SHIPPED_RULES, load_rules
from pipeline.runner import RunOptions, run
from pipeline.settings import Settings

RELEASE = CORPUS / "releases" / "smartdata_dev_3.txt"
TEMPORAL = {"DATE", "TIME", "DURATION", "SET"}


@pytest.fixture(scope="module")
def release_run(tmp_path_factory, shipped_model) -> Path:
    out = tmp_path_factory.mktemp("api") / "out"
    run(Settings.from_config(), RunOptions([str(RELEASE)], out, {"parquet"}))
    return out


def test_spacy_load_gives_the_run_entities_and_dates(release_run):
    nlp = spacy.load(SHIPPED_MODEL)
    assert RULER_NAME in nlp.pipe_names and "pressewerk_dates" in nlp.pipe_names
    text = pd.read_parquet(release_run / "documents.parquet").loc[0, "text"]
    mentions = pd.read_parquet(release_run / "mentions.parquet")
    doc = nlp(text)
    names = mentions[~mentions["label"].isin(TEMPORAL)]
    found = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
    assert set(zip(names["start_char"], names["end_char"], names["label"], strict=True)) == found
    assert len(found) >= 5
    dates = mentions[mentions["label"].isin(TEMPORAL)]
    spans = [(s.start_char, s.end_char, s.label_) for s in doc.spans[SPAN_KEY]]
    assert len(dates) >= 1 and len(spans) >= 1
    for start, end, label in zip(dates["start_char"], dates["end_char"], dates["label"], strict=True):
        assert any(s <= start and end <= e and label == lab for s, e, lab in spans), (start, end, label)  # ranges split


def test_the_packaged_rules_are_the_shipped_rules():
    """models/rules edited without re-packaging: `python -m pipeline.training.package --complete models/de_pressewerk_ner`."""
    patterns = spacy.load(SHIPPED_MODEL).get_pipe(RULER_NAME).patterns
    shipped = [rule.as_pattern() for rule in load_rules([SHIPPED_RULES])]
    assert sorted(json.dumps(p, sort_keys=True) for p in patterns) == sorted(
        json.dumps(p, sort_keys=True) for p in shipped
    )


def test_re_packaging_in_place_keeps_the_model_card(tmp_path):
    import shutil

    from pipeline.training.package import complete_in_place

    folder = tmp_path / "de_pressewerk_ner"
    shutil.copytree(SHIPPED_MODEL, folder)
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert card.startswith("# Model card")
    complete_in_place(folder)
    assert (folder / "README.md").read_text(encoding="utf-8") == card
    assert (folder / "meta.json").is_file()


def test_the_run_uses_the_packaged_pipeline_as_loaded(tmp_path):
    from pipeline.nlp import complete_pipeline
    from pipeline.nlp.model import load_model, resolve_model
    from pipeline.runner import BatchProcessor

    settings = Settings.from_config()
    assert BatchProcessor(settings).nlp.pipe_names == spacy.load(SHIPPED_MODEL).pipe_names
    nlp = load_model(resolve_model())
    packaged = [nlp.get_pipe(name) for name in nlp.pipe_names]
    rules = load_rules([Path(r) for r in settings.rules])
    complete_pipeline(nlp, rules, settings.components, settings.rules_before_model, settings.overwrite_ents)
    assert [nlp.get_pipe(name) for name in nlp.pipe_names] == packaged  # kept as loaded, nothing rebuilt
    extra = tmp_path / "extra.jsonl"  # --rules DIR: the packaged ruler is replaced by one with all rules
    extra.write_text('{"label": "EVENT", "pattern": "Digital-Gipfel", "id": "gipfel"}\n', encoding="utf-8")
    complete_pipeline(nlp, [*rules, *load_rules([extra])], settings.components[:2])
    assert nlp.get_pipe(RULER_NAME) is not packaged[nlp.pipe_names.index(RULER_NAME)]
    assert [e.label_ for e in nlp("Der Digital-Gipfel beginnt.").ents] == ["EVENT"]
    assert [n for n in nlp.pipe_names if n.startswith("pressewerk_") and n != RULER_NAME] == settings.components[:2]
    assert not any(n.startswith("pressewerk_") for n in load_model(resolve_model(), model_only=True).pipe_names)


def test_extract_returns_the_run_tables(release_run):
    tables = pipeline.extract([{"text": RELEASE.read_text(encoding="utf-8"), "id": "pm-3"}, "   "])
    assert isinstance(tables, pipeline.Tables) and isinstance(tables.mentions, pd.DataFrame)
    keys = ["start_char", "end_char", "label", "entity_id", "timex_value"]
    ran = pd.read_parquet(release_run / "mentions.parquet")[keys]
    assert tables.mentions[keys].astype(str).values.tolist() == ran.astype(str).values.tolist()
    ran_entities = pd.read_parquet(release_run / "entities.parquet")
    assert sorted(tables.entities["name"]) == sorted(ran_entities["name"])
    assert len(tables.documents) == 1 and tables.rejects.loc[0, "reason"] == "empty text"
    assert str(tables.mentions["sentence"].dtype) == "Int32"


def test_version_option():
    result = subprocess.run([sys.executable, "-m", "pipeline", "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == f"pressewerk {pipeline.__version__}"
