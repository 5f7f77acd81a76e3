"""Python stages extend the output: declared columns and tables reach Parquet, CSV, DuckDB and datapackage.json."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from frictionless import Package

from pipeline.normalise.stages import ConfigError, register_stage
from pipeline.runner import RunOptions, run
from pipeline.settings import DEFAULT_CONFIG, Settings
from pipeline.sinks.schema import Column, extend_schema

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "pressewerk_amounts"
TEXT = (
    "Land fördert Hubwerk01 mit 3,5 Millionen Euro\n\n"
    "Stuttgart, 13.12.2019 – Das Land Baden-Württemberg unterstützt das Hubwerk01 in Bruchsal mit "
    "3,5 Millionen Euro. Stefan Huber sagte, der Eintritt koste 12 €. Huber dankte Stuttgart. "
    "Die Euro-Zone bleibt unberührt."
)


@pytest.fixture(autouse=True)
def built_in_schema():
    yield
    extend_schema({}, [])


@pytest.fixture(scope="module")
def amounts_stage() -> None:
    sys.path.insert(0, str(EXAMPLE))
    import pressewerk_amounts  # noqa: F401  (registers the stage, as its entry point does when installed)


def config_with(tmp_path: Path, *stages: str) -> Path:
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    config = tmp_path / "pressewerk.cfg"
    config.write_text(text.replace('"relations"]', '"relations", ' + ", ".join(f'"{s}"' for s in stages) + "]"))
    return config


def run_text(tmp_path: Path, model: Path, config: Path, formats: set[str]) -> tuple[Path, dict]:
    inputs = tmp_path / "in"
    inputs.mkdir(exist_ok=True)
    (inputs / "pm.txt").write_text(TEXT, encoding="utf-8")
    settings = Settings.from_config(config, model=str(model))
    out = tmp_path / "out"
    run(settings, RunOptions([str(inputs)], out, formats))
    return out, json.loads((out / "run.json").read_text(encoding="utf-8"))


def test_declared_columns_and_tables_reach_every_format(tmp_path, blank_model, amounts_stage):
    out, info = run_text(tmp_path, blank_model, config_with(tmp_path, "amounts"), {"parquet", "csv", "duckdb"})
    amounts = pd.read_parquet(out / "amounts.parquet")
    assert amounts[["text", "value", "currency"]].values.tolist() == [
        ["3,5 Millionen Euro", 3_500_000.0, "EUR"],
        ["3,5 Millionen Euro", 3_500_000.0, "EUR"],
        ["12 €", 12.0, "EUR"],
    ]
    mentions = pd.read_parquet(out / "mentions.parquet")
    huber = mentions[mentions["name"].isin(["Stefan Huber", "Huber"])].sort_values("start_char")
    assert huber["first_in_doc"].tolist() == [True, False]
    assert str(mentions["first_in_doc"].dtype) == "boolean"
    assert pd.read_parquet(out / "documents.parquet").loc[0, "n_amounts"] == 3
    assert {"amounts.parquet", "amounts.csv"} <= set(info["files"]) and info["counts"]["tables"]["amounts"] == 3
    assert not info["warnings"]
    csv = pd.read_csv(out / "amounts.csv")
    assert csv["value"].tolist() == [3_500_000.0, 3_500_000.0, 12.0]
    with duckdb.connect(str(out / "pressewerk.duckdb"), read_only=True) as con:
        types = dict(
            con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'amounts'").fetchall()
        )
        assert types["value"] == "DOUBLE" and types["start_char"] == "INTEGER"
        assert con.execute("SELECT count(*) FROM amounts JOIN documents USING (doc_id)").fetchone()[0] == 3
        assert con.execute("SELECT n_amounts FROM documents").fetchone()[0] == 3
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "amounts")
    assert {f["name"]: f["type"] for f in resource["schema"]["fields"]}["value"] == "number"
    assert Package(str(out / "datapackage.json")).validate().valid


@register_stage("undeclared_example")
class WritesUndeclared:
    """Writes a mention field and a table it never declared."""

    def __call__(self, item):
        for mention in item.mentions:
            mention["polarity"] = 0.5
        item.rows("sentiments").append({"doc_id": item.document.doc_id})
        return item


def test_undeclared_fields_warn_once(tmp_path, blank_model):
    out, info = run_text(tmp_path, blank_model, config_with(tmp_path, "undeclared_example"), {"parquet"})
    assert len(info["warnings"]) == 1
    assert "mentions.polarity" in info["warnings"][0] and "sentiments (table)" in info["warnings"][0]
    assert "polarity" not in pd.read_parquet(out / "mentions.parquet").columns


@register_stage("clashing_example", columns={"mentions": [Column("label", "string", "again")]})
class Clashes:
    def __call__(self, item):
        return item


def test_a_clashing_declaration_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match=r"stage 'clashing_example': column mentions\.label already exists"):
        Settings.from_config(config_with(tmp_path, "clashing_example")).validate()
