"""Batch runs: resume after kill -9, identical rows with workers and on Dask, stable ids."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.runner import RunOptions, run
from pipeline.settings import Settings

TEMPLATE = (
    "Berlin, {day:02d}.03.2024 – Die Polizei Berlin meldet einen Einsatz in Neukölln. Stefan Huber vom DIZ sagte am "
    "Montag in Köln: „Wir sind zufrieden.“ Die Ermittlungen dauern an, Meldung {i}."
)
TABLES = ("documents", "mentions", "rejects", "entities", "aliases")


def make_archive(root: Path, n: int) -> Path:
    folder = root / "in"
    folder.mkdir()
    rows = ["text,title,date"] + [
        f'"{TEMPLATE.format(day=i % 28 + 1, i=i)}",Meldung {i},{i % 28 + 1:02d}.03.2024' for i in range(n)
    ]
    rows.append('"",leer,01.03.2024')
    (folder / "archiv.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "kaputt.txt").write_bytes(b"%PDF-1.4")
    return folder


def rows(out: Path) -> dict[str, set[tuple]]:
    result = {}
    for table in TABLES:
        frame = pd.read_parquet(out / f"{table}.parquet").astype(str)
        result[table] = set(map(tuple, frame.itertuples(index=False)))
    return result


def cli(folder: Path, out: Path, model: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable,
        "-m",
        "pipeline",
        "run",
        str(folder),
        "--out",
        str(out),
        "--model",
        str(model),
        "--quiet",
        *extra,
    ]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return make_archive(tmp_path_factory.mktemp("batch"), 600)


@pytest.fixture(scope="module")
def reference(archive, blank_model, tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "out"
    assert cli(archive, out, blank_model).wait(timeout=600) == 3
    return rows(out)


def test_accounting(reference):
    assert len(reference["documents"]) == 600
    assert len(reference["rejects"]) == 2


@pytest.mark.parametrize("parts_before_kill", [0, 3, 8])
def test_kill_and_resume_gives_identical_rows(archive, blank_model, reference, tmp_path, parts_before_kill):
    out = tmp_path / "out"
    process = cli(archive, out, blank_model, "--config", str(small_batches(tmp_path)))
    deadline = time.monotonic() + 300
    parts = out / ".parts"
    while time.monotonic() < deadline and process.poll() is None:
        done = len(list(parts.glob("batch-*"))) if parts.is_dir() else 0
        if done >= parts_before_kill and (parts_before_kill or parts.is_dir()):
            break
        time.sleep(0.01)
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    resumed = cli(archive, out, blank_model, "--config", str(small_batches(tmp_path)))
    assert resumed.wait(timeout=600) == 3, resumed.stderr.read().decode()
    assert rows(out) == reference


def small_batches(tmp_path: Path) -> Path:
    from pipeline.settings import DEFAULT_CONFIG

    config = tmp_path / "small.cfg"
    if not config.exists():
        config.write_text(DEFAULT_CONFIG.read_text().replace("batch_docs = 64", "batch_docs = 16"))
    return config


def test_force_starts_over(archive, blank_model, reference, tmp_path):
    out = tmp_path / "out"
    assert cli(archive, out, blank_model).wait(timeout=600) == 3
    assert cli(archive, out, blank_model, "--force").wait(timeout=600) == 3
    assert rows(out) == reference


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_two_workers_same_rows(archive, blank_model, reference, tmp_path, monkeypatch, start_method):
    import multiprocessing

    import pipeline.runner

    if start_method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"{start_method} is not available here")
    monkeypatch.setattr(
        pipeline.runner, "_pool_context", lambda: (multiprocessing.get_context(start_method), start_method == "fork")
    )
    settings = Settings.from_config(model=str(blank_model))
    run(settings, RunOptions([str(archive)], tmp_path / "out", {"parquet"}, workers=2))
    assert rows(tmp_path / "out") == reference


def test_dask_local_cluster_same_rows(archive, blank_model, reference, tmp_path):
    settings = Settings.from_config(model=str(blank_model))
    run(settings, RunOptions([str(archive)], tmp_path / "out", {"parquet"}, workers=2, engine="dask"))
    assert rows(tmp_path / "out") == reference


def test_a_resumed_run_reads_parquet_parts_of_an_older_version(archive, blank_model, reference, tmp_path):
    """Parts were Parquet files before they became Arrow IPC files: a run resumed over a mix of both (every other
    batch converted back, as an older version left it) publishes the same rows."""
    import pyarrow.parquet as pq

    from pipeline.sinks.parts import PART_SUFFIX, part_files, read_part

    out = tmp_path / "out"
    config = str(small_batches(tmp_path))
    assert cli(archive, out, blank_model, "--config", config).wait(timeout=600) == 3
    converted = 0
    for table in TABLES[:3]:  # documents, mentions, rejects: the batch tables of the reference
        for number, part in enumerate(part_files(out, table)):
            assert part.suffix == PART_SUFFIX
            if number % 2:
                pq.write_table(read_part(part), part.with_suffix(".parquet"))
                part.unlink()
                converted += 1
    assert converted > 3
    for table in TABLES:
        (out / f"{table}.parquet").unlink()
    assert cli(archive, out, blank_model, "--config", config).wait(timeout=600) == 3
    assert {p.suffix for p in part_files(out, "mentions")} == {".parquet", PART_SUFFIX}
    assert rows(out) == reference


def test_entity_ids_stable_across_runs_and_archives(archive, blank_model, reference, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "x.txt").write_text("Stefan Huber besuchte am 2. März 2024 Köln.", encoding="utf-8")
    settings = Settings.from_config(model=str(blank_model))
    run(settings, RunOptions([str(other)], tmp_path / "out", {"parquet"}))
    entities = pd.read_parquet(tmp_path / "out" / "entities.parquet")
    ref_entities = {(row[1], row[2]): row[0] for row in reference["entities"]}
    for row in entities.itertuples():
        assert ref_entities[(row.label, row.name)] == row.entity_id


def test_a_memory_zone_spans_batches_and_frees_their_words():
    import spacy

    from pipeline.runner import MemoryZone

    nlp = spacy.blank("de")
    zone = MemoryZone(nlp, docs=2, permanent_strings=0)
    zone.enter()
    nlp("Die Rauchmelderprüfkolonne kam.")
    zone.count(1)
    assert "Rauchmelderprüfkolonne" in nlp.vocab.strings  # the zone is still open after one document
    zone.enter()  # the next batch enters the open zone, no nesting
    nlp("Der Ordnungsamtsaußendienst auch.")
    zone.count(1)
    assert "Rauchmelderprüfkolonne" not in nlp.vocab.strings
    assert "Ordnungsamtsaußendienst" not in nlp.vocab.strings


def test_words_are_kept_until_the_permanent_budget_is_used_then_zones_free_them():
    """The first word forms of a run stay (tokenised and cached, as spaCy caches nothing inside a zone); once the
    vocabulary has grown by the budget, zones free what each adds, so memory stays bounded."""
    import spacy

    from pipeline.runner import MemoryZone

    nlp = spacy.blank("de")
    zone = MemoryZone(nlp, docs=1, permanent_strings=3)
    zone.enter()
    nlp("Die Rauchmelderprüfkolonne kam zur Brandschutzbegehung.")
    zone.count(1)
    assert "Rauchmelderprüfkolonne" in nlp.vocab.strings  # no zone yet: the budget was not used up
    zone.enter()
    nlp("Der Ordnungsamtsaußendienst auch.")
    zone.count(1)
    assert "Rauchmelderprüfkolonne" in nlp.vocab.strings  # kept for good
    assert "Ordnungsamtsaußendienst" not in nlp.vocab.strings  # added inside a zone, freed with it


def test_the_memory_zone_length_changes_no_row(archive, blank_model, reference, tmp_path):
    """Zones from the first batch on (no permanent budget), 70 documents each: the rows of a run without zones."""
    settings = Settings.from_config(model=str(blank_model), memory_zone_docs=70, permanent_strings=0)
    run(settings, RunOptions([str(archive)], tmp_path / "out", {"parquet"}))
    assert rows(tmp_path / "out") == reference


def test_commits_keep_batch_order_and_raise_a_failed_commit(tmp_path):
    """Batches are committed in order on the background thread; a commit that fails is raised, not lost."""
    from pipeline.sinks.parts import Committer, finished_batches, parts_dir, stage_batch

    out = tmp_path / "out"
    committer = Committer(out)
    for number in (0, 1, 2):
        row = {"doc_id": f"d{number}", "source": "x.txt", "n_words": 3, "text": "Ein kurzer Text.", "status": "ok"}
        committer.submit(number, stage_batch(out, {"documents": [row]}))
    committer.close()
    manifest = (parts_dir(out) / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[0] for line in manifest] == ['{"batch": 0', '{"batch": 1', '{"batch": 2']
    assert set(finished_batches(out)) == {0, 1, 2}
    broken = stage_batch(out, {"documents": []})
    shutil.rmtree(broken.folder)  # its files are gone before the commit
    committer = Committer(out)
    committer.submit(0, broken)
    with pytest.raises(OSError):
        committer.close()


def test_the_warm_up_converts_rows_to_arrow_before_workers_fork(blank_model):
    """The warm-up (done once before the workers fork) converts a text's rows to Arrow, so no worker loads pyarrow's
    conversion again. In the CLI's own process it does so without importing pandas. A fresh process, as a run's is."""
    code = (
        "import sys; from pipeline.runner import BatchProcessor; from pipeline.settings import Settings; "
        "from pipeline.sinks.schema import convert_without_pandas; convert_without_pandas(); "
        f"p = BatchProcessor(Settings.from_config(model={str(blank_model)!r})); "
        "p.warmed_up(); print('pyarrow' in sys.modules, 'pandas' in sys.modules)"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.split() == ["True", "False"]


CLI_RUN = """
import sys
from pipeline.cli import app
try:
    app(sys.argv[1:], prog_name="pressewerk")
except SystemExit:
    pass
print("pandas" in sys.modules)
"""


@pytest.mark.parametrize(("formats", "pandas_imported"), [("parquet", False), ("both", True)])
def test_the_cli_converts_rows_without_pandas_and_its_csv_writer_still_imports_it(
    blank_model, tmp_path, formats, pandas_imported
):
    """pyarrow's first conversion would import pandas (0.4 s of a one-release run) only to ask whether the rows are
    pandas objects. The CLI's process converts without it; the CSV writer, which needs pandas, still gets it and
    writes the rows of the Parquet table."""
    release = tmp_path / "release.txt"
    release.write_text("Die Polizei Berlin meldete am Montag einen Einsatz in Berlin-Mitte.", encoding="utf-8")
    out = tmp_path / "out"
    command = ["run", str(release), "--out", str(out), "--format", formats, "--model", str(blank_model), "--quiet"]
    completed = subprocess.run([sys.executable, "-c", CLI_RUN, *command], capture_output=True, text=True, check=True)
    assert completed.stdout.split()[-1] == str(pandas_imported)
    mentions = pd.read_parquet(out / "mentions.parquet")
    assert {"Polizei Berlin", "Montag"} <= set(mentions["text"])
    if formats == "both":
        written = pd.read_csv(out / "mentions.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        assert written[["text", "label"]].values.tolist() == mentions[["text", "label"]].values.tolist()


def test_part_batches_stream_the_columns_of_every_part_and_fill_what_an_old_part_lacks(tmp_path):
    """Publishing reads the mention parts as one stream of Arrow batches; a Parquet part of an older version that has
    no ``name`` column gives nulls there, in the table's types."""
    import pyarrow.parquet as pq

    from pipeline.sinks.parts import commit_batch, part_batches, part_files, read_part, stage_batch

    out = tmp_path / "out"
    for number, name in enumerate(["Polizei Berlin", "Feuerwehr Berlin"]):
        mention = {"mention_id": f"m{number}", "doc_id": f"d{number}", "entity_id": f"e{number}", "label": "ORG"}
        mention |= {"start_char": 0, "end_char": len(name), "text": name, "name": name, "source": "model"}
        commit_batch(out, number, stage_batch(out, {"mentions": [mention]}))
    old = part_files(out, "mentions")[1]
    pq.write_table(read_part(old).drop_columns(["name"]), old.with_suffix(".parquet"))
    old.unlink()
    reader = part_batches(out, "mentions", ["entity_id", "name", "label"])
    table = reader.read_all()
    assert table.to_pylist() == [
        {"entity_id": "e0", "name": "Polizei Berlin", "label": "ORG"},
        {"entity_id": "e1", "name": None, "label": "ORG"},
    ]
    assert table.schema.field("label").type == read_part(part_files(out, "mentions")[0]).schema.field("label").type
