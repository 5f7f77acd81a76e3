"""Shared fixtures: paths, a small deterministic model, the shipped model and sample texts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import spacy

from pipeline.nlp.tokenizer import customize_tokenizer

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SAMPLE = CORPUS / "releases" / "hubwerk01_netzwerktreffen.txt"
SHIPPED_MODEL = ROOT / "models" / "de_pressewerk_ner"
SHARED_DATA = Path(os.environ.get("PRESSEWERK_DATA", ROOT.parent / "shared" / "data"))

# Entities of the sample release, for the deterministic rule-based test model.
RULER_PATTERNS = [
    {"label": "PER", "pattern": "Stefan Huber"},
    {"label": "PER", "pattern": "Huber"},
    {"label": "PER", "pattern": "Jakob Ilg"},
    {"label": "ORG", "pattern": "DIZ"},
    {"label": "ORG", "pattern": "Hubwerk01"},
    {"label": "LOC", "pattern": "Bruchsal"},
    {"label": "LOC", "pattern": "Stuttgart"},
    {"label": "LOC", "pattern": "Baden-Württemberg"},
    {"label": "LOC", "pattern": "Köln"},
    {"label": "LOC", "pattern": "Berlin"},
]


@pytest.fixture(scope="session")
def blank_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A blank German pipeline with an EntityRuler as its "NER": fast and deterministic."""
    nlp = customize_tokenizer(spacy.blank("de"))
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", name="ner_rules")
    ruler.add_patterns(RULER_PATTERNS)
    nlp.meta["name"] = "blank_test"
    nlp.meta["version"] = "0.0.1"
    path = tmp_path_factory.mktemp("models") / "blank_test"
    nlp.to_disk(path)
    return path


@pytest.fixture(scope="session")
def shipped_model() -> Path:
    if not (SHIPPED_MODEL / "config.cfg").is_file():
        pytest.fail(f"the embedded model is missing: {SHIPPED_MODEL} (run `make model`)")
    return SHIPPED_MODEL


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


def mention(text: str, name: str, label: str, occurrence: int = 0) -> dict:
    """A mention row of ``name`` (its n-th occurrence in ``text``), as the normaliser stages see it."""
    from pipeline.normalise.entities import entity_id

    start = -1
    for _ in range(occurrence + 1):
        start = text.index(name, start + 1)
    return {
        "start_char": start,
        "end_char": start + len(name),
        "text": name,
        "value": name,
        "label": label,
        "entity_id": entity_id(label, name),
    }


def draw_entities(doc, data, max_spans: int) -> None:
    """Set up to ``max_spans`` non-overlapping entities of one to three tokens, drawn by hypothesis."""
    from hypothesis import strategies as st
    from spacy.tokens import Span

    starts = sorted(data.draw(st.sets(st.integers(0, len(doc) - 1), max_size=max_spans)))
    spans, last_end = [], 0
    for start in starts:
        if start < last_end:
            continue
        end = data.draw(st.integers(start + 1, min(len(doc), start + 3)))
        spans.append(Span(doc, start, end, label=data.draw(st.sampled_from(["PER", "ORG", "LOC", "MISC"]))))
        last_end = end
    doc.set_ents(spans)
