"""`make bench`'s two-process figure for the bare model: the releases are split between the processes, none lost."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import bench


def test_the_two_model_processes_tag_every_release_once(shared_data):
    whole = bench.measure("model", shared_data, 7)
    split = bench.measure_model_parallel(shared_data, 7, processes=2)
    assert split["docs"] == whole["docs"] == 7
    assert split["words"] == whole["words"] > 0
    assert split["seconds"] > 0


def test_the_stage_figures_split_every_second_between_the_model_and_the_rest(shared_data):
    """``model_s_per_1k`` + ``non_model_s_per_1k`` are all the run's stage seconds per 1,000 releases; the model's
    components and its loading on one side, ingest, Pressewerk's components, the normalisers and writing on the
    other."""
    e2e = bench.measure("e2e", shared_data, 7)
    figures = bench.stage_figures(e2e)
    seconds = e2e["timings"]["stages"]["seconds"]
    per_1k = 1000 / e2e["docs"]
    shipped = ("load_nlp", "nlp.tokenizer", "nlp.sentencizer", "nlp.tok2vec", "nlp.ner", "nlp.lemmatizer")
    assert abs(figures["model_s_per_1k"] - sum(seconds[k] for k in shipped) * per_1k) < 0.02
    assert abs(figures["model_s_per_1k"] + figures["non_model_s_per_1k"] - sum(seconds.values()) * per_1k) < 0.02
    assert figures["non_model_s_per_1k"] >= (seconds["normalise.dates"] + seconds["write_parts"]) * per_1k > 0
    assert bench.paired({"words": 100, "seconds": 2.0}, {"words": 100, "seconds": 1.0}) == 0.5
