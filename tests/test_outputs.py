"""Output folders and types: a run leaves only its own files; types survive loading in pandas, DuckDB and CSV."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SAMPLE

from pipeline.runner import RunOptions, run
from pipeline.settings import Settings


def run_into(out: Path, model: Path, formats: set[str], force: bool = False, **options: object) -> dict:
    settings = Settings.from_config(model=str(model))
    run(settings, RunOptions([str(SAMPLE)], out, formats, force=force, **options))
    return json.loads((out / "run.json").read_text(encoding="utf-8"))


def own_files(out: Path) -> set[str]:
    """Every file in ``out`` except the resume parts."""
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and ".parts" not in p.parts}


def test_a_run_leaves_only_its_own_files(tmp_path, blank_model):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.csv").write_text("meine,notizen\n", encoding="utf-8")  # a foreign file: never touched
    info = run_into(out, blank_model, {"parquet", "csv", "duckdb"})
    assert {"mentions.csv", "mentions.parquet", "pressewerk.duckdb", "report.html", "run.json"} <= set(info["files"])
    assert own_files(out) == set(info["files"]) | {"notes.csv"}
    assert any(name.startswith("show/") for name in info["files"])

    info = run_into(out, blank_model, {"parquet"}, force=True)  # Parquet only: the CSVs and DuckDB file go
    assert own_files(out) == set(info["files"]) | {"notes.csv"}
    assert not list(out.glob("mentions.csv")) and not (out / "pressewerk.duckdb").exists()
    assert {"mentions.csv", "pressewerk.duckdb"} <= set(info["removed_files"])

    info = run_into(out, blank_model, {"csv"})  # resumed, another format set: the Parquet tables go
    assert own_files(out) == set(info["files"]) | {"notes.csv"}
    assert (out / "entities.csv").is_file() and not (out / "entities.parquet").exists()
    assert (out / "notes.csv").read_text(encoding="utf-8") == "meine,notizen\n"
