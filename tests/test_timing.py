"""Seconds per stage (run.json), the timed nlp.pipe, and the prebuilt table store."""

from __future__ import annotations

import json
import pickle

import pytest
import spacy

from pipeline.runner import RunOptions, run
from pipeline.settings import Settings
from pipeline.tablestore import StoredTable, cached_pickle, stored_tables, write_tables
from pipeline.timing import TOKENIZER, Timings, timed_pipe

TEXTS = [
    "Die Polizei Berlin meldete am 9. Dezember 2019 einen Einsatz in Neukölln. Stefan Huber vom DIZ war vor Ort.",
    "In Köln sprach Jakob Ilg mit Vertretern aus Baden-Württemberg über den Standort Bruchsal.",
    "",
]


def test_timed_pipe_gives_the_docs_of_nlp_pipe_and_times_every_component(blank_model):
    nlp = spacy.load(blank_model)
    timings = Timings()
    timed = list(timed_pipe(nlp, TEXTS, 2, timings))
    plain = list(nlp.pipe(TEXTS, batch_size=2))
    assert [d.to_json() for d in timed] == [d.to_json() for d in plain]
    assert [(e.text, e.label_) for e in timed[0].ents] == [("Berlin", "LOC"), ("Stefan Huber", "PER"), ("DIZ", "ORG")]
    assert set(timings.seconds) == {TOKENIZER, *(f"nlp.{name}" for name in nlp.pipe_names)}
    assert all(seconds > -1e-3 for seconds in timings.seconds.values())


def test_run_json_has_seconds_and_shares_per_stage(blank_model, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i, text in enumerate(TEXTS[:2]):
        (folder / f"meldung{i}.txt").write_text(text, encoding="utf-8")
    settings = Settings.from_config(model=str(blank_model))
    run(settings, RunOptions([str(folder)], tmp_path / "out", {"parquet"}))
    stages = json.loads((tmp_path / "out" / "run.json").read_text())["timings"]["stages"]
    expected = {"ingest", "load_nlp", TOKENIZER, "nlp.pressewerk_dates", "write_parts", "publish", "report"}
    expected |= {f"normalise.{name}" for name in settings.stages}
    assert expected <= set(stages["seconds"])
    assert stages["model_components"] == [TOKENIZER, "nlp.sentencizer", "nlp.ner_rules"]
    assert "nlp.pressewerk_dates" in stages["shares"] and TOKENIZER not in stages["shares"]
    assert sum(stages["shares"].values()) + stages["model_share"] == pytest.approx(1.0, abs=0.01)


def test_no_report_skips_the_report(blank_model, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "meldung.txt").write_text(TEXTS[0], encoding="utf-8")
    run(
        Settings.from_config(model=str(blank_model)),
        RunOptions([str(folder)], tmp_path / "out", {"parquet"}, report=False),
    )
    assert (tmp_path / "out" / "run.json").is_file() and not (tmp_path / "out" / "report.html").exists()
    assert "report" not in json.loads((tmp_path / "out" / "run.json").read_text())["timings"]["stages"]["seconds"]


def test_stored_table_reads_values_on_demand(tmp_path):
    path = tmp_path / "tables.sqlite"
    write_tables(path, {"names": [("berlin", ["Berlin", 3]), ("köln", ["Köln"]), ("leer", None)], "lists": []})
    tables = stored_tables(path, ["names", "lists"])
    names = tables["names"]
    assert names.get("berlin") == ["Berlin", 3] and names["köln"] == ["Köln"]
    assert "leer" not in names and names.get("leer", "fehlt") == "fehlt" and names.get(7) is None
    with pytest.raises(KeyError):
        names["hamburg"]
    assert sorted(names) == ["berlin", "köln"] and len(names) == 2 and len(tables["lists"]) == 0
    again = pickle.loads(pickle.dumps(names))
    assert isinstance(again, StoredTable) and again["berlin"] == ["Berlin", 3]
    assert stored_tables(path, ["names", "missing"]) is None
    assert stored_tables(tmp_path / "none.sqlite", ["names"]) is None


def test_cached_pickle_rebuilds_when_the_source_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSEWERK_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "wörter.txt"
    source.write_text("Polizei\nTatort\n", encoding="utf-8")
    builds = []

    def build() -> frozenset[str]:
        builds.append(1)
        return frozenset(source.read_text(encoding="utf-8").split())

    assert cached_pickle("test-words", [source], build) == {"Polizei", "Tatort"}
    assert cached_pickle("test-words", [source], build) == {"Polizei", "Tatort"} and len(builds) == 1
    source.write_text("Polizei\nTatort\nEuro\n", encoding="utf-8")
    assert cached_pickle("test-words", [source], build) == {"Polizei", "Tatort", "Euro"} and len(builds) == 2
