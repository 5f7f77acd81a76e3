"""Output folders and types: a run leaves only its own files; types survive loading in pandas, DuckDB and CSV."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE

from pipeline.runner import RunOptions, run
from pipeline.settings import Settings
from pipeline.sinks.schema import TABLES, pandas_csv_options


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


@pytest.fixture(scope="module")
def typed_out(tmp_path_factory, shipped_model) -> Path:
    """The sample release with the shipped model, in every format."""
    out = tmp_path_factory.mktemp("typed") / "out"
    run_into(out, shipped_model, {"parquet", "csv", "duckdb"})
    return out


def test_types_survive_pandas_parquet(typed_out):
    mentions = pd.read_parquet(typed_out / "mentions.parquet")
    assert str(mentions["sentence"].dtype) == "Int32" and mentions["sentence"].isna().any()
    assert mentions["sentence"].dropna().min() == 0
    entities = pd.read_parquet(typed_out / "entities.parquet")
    assert str(entities["geonames_id"].dtype) == "Int64" and str(entities["population"].dtype) == "Int64"
    assert entities["geonames_id"].isna().any() and entities["geonames_id"].notna().any()
    bruchsal = entities.loc[entities["name"] == "Stuttgart"].iloc[0]
    assert bruchsal["ags"] == "08111000" and isinstance(bruchsal["population"], int | np.integer)
    documents = pd.read_parquet(typed_out / "documents.parquet")
    assert documents.loc[0, "published"] == date(2019, 12, 13)


def test_types_survive_duckdb(typed_out):
    with duckdb.connect(str(typed_out / "pressewerk.duckdb"), read_only=True) as con:
        types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns").fetchall())
        assert types["ags"] == "VARCHAR" and types["population"] == "BIGINT" and types["published"] == "DATE"
        frame = con.execute("SELECT sentence FROM mentions").df()
        assert str(frame["sentence"].dtype) == "Int32"
        ags = con.execute("SELECT ags FROM entities WHERE name = 'Stuttgart'").fetchone()[0]
    assert ags == "08111000"
    csv_types = TABLES["entities"].duckdb_types()
    row = duckdb.execute(
        f"SELECT ags, population FROM read_csv('{typed_out / 'entities.csv'}', types = {csv_types}) "
        "WHERE name = 'Stuttgart'"
    ).fetchone()
    assert row[0] == "08111000" and isinstance(row[1], int)


def test_types_survive_csv_with_the_documented_recipe(typed_out):
    package = json.loads((typed_out / "datapackage.json").read_text(encoding="utf-8"))
    fields = {
        f["name"]: f["type"] for r in package["resources"] if r["name"] == "entities" for f in r["schema"]["fields"]
    }
    assert fields["ags"] == "string" and fields["population"] == "integer" and fields["first_seen"] == "date"
    entities = pd.read_csv(typed_out / "entities.csv", **pandas_csv_options("entities"))
    assert str(entities["population"].dtype) == "Int64" and str(entities["geonames_id"].dtype) == "Int64"
    assert entities.loc[entities["name"] == "Stuttgart", "ags"].item() == "08111000"
    assert pd.api.types.is_datetime64_any_dtype(entities["first_seen"])
    mentions = pd.read_csv(typed_out / "mentions.csv", **pandas_csv_options("mentions"))
    assert str(mentions["sentence"].dtype) == "Int32"
    plain = pd.read_csv(typed_out / "entities.csv")  # what the recipe prevents
    assert plain.loc[plain["name"] == "Stuttgart", "ags"].item() != "08111000"


def test_excel_csv_keeps_codes_as_text(tmp_path, blank_model):
    out = tmp_path / "xl"
    run_into(out, blank_model, {"csv"}, excel=True)
    frame = pd.read_csv(out / "entities.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert frame.loc[frame["name"] == "Stuttgart", "ags"].item() == '="08111000"'


def _query_in_forked_child() -> tuple[int, bool]:
    from pipeline.sinks import duck

    with duck.cursor() as con:
        return con.execute("SELECT 1 + 2").fetchone()[0], duck._database[0] == os.getpid()


def test_publishing_queries_share_one_database_and_each_cursor_keeps_its_own_tables():
    """Publishing, its checks and the report query one in-memory DuckDB database per process (opening one costs
    about 40 ms, a cursor under 1 ms). A part registered on one cursor is not seen by another, and a process forked
    after the database was opened opens its own."""
    import multiprocessing

    import pyarrow as pa

    from pipeline.sinks import duck

    with duck.cursor() as first, duck.cursor() as second:
        first.register("mention_parts", pa.table({"n": [1, 2]}))
        assert first.execute("SELECT sum(n) FROM mention_parts").fetchone() == (3,)
        with pytest.raises(duckdb.CatalogException):
            second.execute("SELECT * FROM mention_parts")
        assert first.execute("SELECT current_setting('threads')").fetchone() == (duck.THREADS,)
    opened = duck._database[1]
    with duck.cursor():
        assert duck._database[1] is opened
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.apply(_query_in_forked_child) == (3, True)
