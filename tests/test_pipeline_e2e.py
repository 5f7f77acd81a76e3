"""End to end with the shipped model: the sample release through `pressewerk run` to tables."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import CORPUS, SAMPLE
from frictionless import Package


def pressewerk(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory, shipped_model) -> Path:
    out = tmp_path_factory.mktemp("e2e") / "out"
    result = pressewerk("run", str(SAMPLE), "--out", str(out), "--format", "both,duckdb", "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def test_people_places_and_ministry(sample_out):
    mentions = pd.read_parquet(sample_out / "mentions.parquet")
    by_label = mentions.groupby("label", observed=True)["text"].apply(set).to_dict()
    for person in [
        "Stefan Huber",
        "Frauke Goll",
        "Gennadi Schermann",
        "Jakob Ilg",
        "Kevina Glaser",
        "Ulrich Winchenbach",
    ]:
        assert person in by_label["PER"], person
    for place in ["Bruchsal", "Stuttgart", "Pforzheim", "Böblingen", "Karlsruhe"]:
        assert place in by_label["LOC"], place
    assert "Ministerium für Wirtschaft, Arbeit und Wohnungsbau Baden-Württemberg" in by_label["ORG"]


def test_document_row(sample_out):
    documents = pd.read_parquet(sample_out / "documents.parquet")
    assert len(documents) == 1
    row = documents.iloc[0]
    assert row["published"] == date(2019, 12, 13)
    assert row["title"] == "Hubwerk01 öffnet seine Türen für das Digital Hub-Netzwerk BW"
    assert row["language"] == "de" and row["status"] == "ok"
    assert row["model"].startswith("pressewerk_ner-")
    text = SAMPLE.read_text(encoding="utf-8").strip()
    assert row["n_chars"] == len(text)


def test_offsets_point_into_the_text(sample_out):
    text = SAMPLE.read_text(encoding="utf-8").strip()
    mentions = pd.read_parquet(sample_out / "mentions.parquet")
    for row in mentions.itertuples():
        assert text[row.start_char : row.end_char] == row.text


def test_arrow_types(sample_out):
    mentions = pq.read_schema(sample_out / "mentions.parquet")
    assert str(mentions.field("start_char").type) == "int32"
    assert str(mentions.field("label").type).startswith("dictionary")
    assert str(pq.read_schema(sample_out / "documents.parquet").field("published").type) == "date32[day]"


def test_duckdb_reads_every_table(sample_out):
    with duckdb.connect(str(sample_out / "pressewerk.duckdb"), read_only=True) as con:
        people = con.execute("SELECT count(*) FROM entities WHERE label = 'PER'").fetchone()[0]
        joined = con.execute(
            "SELECT count(*) FROM mentions m JOIN documents d USING (doc_id) WHERE m.label = 'DATE'"
        ).fetchone()[0]
    assert people >= 6
    assert joined >= 6
    parquet_rows = duckdb.execute(
        "SELECT count(*) FROM read_parquet(?)", [str(sample_out / "mentions.parquet")]
    ).fetchone()[0]
    assert parquet_rows == len(pd.read_csv(sample_out / "mentions.csv"))


def test_entities_one_row_per_name(sample_out):
    entities = pd.read_parquet(sample_out / "entities.parquet")
    assert entities["entity_id"].is_unique
    huber = entities[entities["name"] == "Stefan Huber"]
    assert len(huber) == 1 and huber.iloc[0]["n_mentions"] >= 2


def test_datapackage_is_valid(sample_out):
    report = Package(str(sample_out / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_run_json_provenance(sample_out):
    info = json.loads((sample_out / "run.json").read_text())
    assert info["model"]["name"] == "pressewerk_ner"
    assert info["counts"]["inputs"] == info["counts"]["tables"]["documents"] + info["counts"]["tables"]["rejects"]
    assert info["pipeline_version"]


def test_excel_csv(tmp_path, shipped_model):
    out = tmp_path / "xl"
    result = pressewerk("run", str(SAMPLE), "--out", str(out), "--format", "csv", "--excel", "--quiet")
    assert result.returncode == 0, result.stderr
    raw = (out / "mentions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b";" in raw.split(b"\r\n")[0]
    frame = pd.read_csv(out / "mentions.csv", sep=";", encoding="utf-8-sig")
    assert {"mention_id", "start_char", "label"} <= set(frame.columns)
    assert Package(str(out / "datapackage.json")).validate().valid


def test_unreadable_input_is_rejected_and_run_goes_on(tmp_path, shipped_model):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "gut.txt").write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (inputs / "kaputt.txt").write_bytes(b"%PDF-1.5 binary")
    result = pressewerk("run", str(inputs), "--out", str(tmp_path / "out"), "--quiet")
    assert result.returncode == 3, result.stderr
    rejects = pd.read_parquet(tmp_path / "out" / "rejects.parquet")
    assert rejects.iloc[0]["reason"] == "not text"
    assert len(pd.read_parquet(tmp_path / "out" / "documents.parquet")) == 1


def test_usage_errors_exit_2(tmp_path):
    assert pressewerk("run", str(tmp_path / "nothing-here"), "--out", str(tmp_path / "o"), "--quiet").returncode == 2
    assert pressewerk("run", str(SAMPLE), "--format", "xlsx", "--out", str(tmp_path / "o")).returncode == 2


def test_the_command_ends_with_every_file_whole(sample_out):
    """`pressewerk` skips the interpreter's teardown (`cli.exit_now`): nothing may be left half written."""
    files = [p.relative_to(sample_out) for p in sample_out.rglob("*")]
    half_written = (".wal", ".tmp")
    leftovers = [
        f for f in files if f.suffix in half_written or (f.name.startswith((".", "tmp-")) and f != Path(".parts"))
    ]
    assert leftovers == []
    run = json.loads((sample_out / "run.json").read_text(encoding="utf-8"))
    assert all((sample_out / name).is_file() for name in run["files"])


@pytest.mark.parametrize(
    ("code", "status", "stderr"), [(None, 0, ""), (3, 3, ""), ("Abbruch: kein Modell", 1, "Abbruch")]
)
def test_exit_now_reads_its_code_as_sys_exit_does(code, status, stderr):
    script = f"from pipeline.cli import exit_now\nprint('Zeilen gepuffert')\nexit_now({code!r})\nprint('nie')"
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert completed.returncode == status
    assert completed.stdout == "Zeilen gepuffert\n"  # buffered output is flushed, nothing runs after
    assert stderr in completed.stderr


def test_show_writes_displacy_page(tmp_path, shipped_model):
    page = tmp_path / "sample.html"
    result = pressewerk("show", str(SAMPLE), "--html", str(page))
    assert result.returncode == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert "Stefan Huber" in html and "DATE" in html and "<mark" in html


def test_make_run_corpus_is_all_processed(tmp_path, shipped_model):
    result = pressewerk("run", str(CORPUS / "releases"), "--out", str(tmp_path / "c"), "--format", "both", "--quiet")
    assert result.returncode == 0, result.stderr
    assert Package(str(tmp_path / "c" / "datapackage.json")).validate().valid


def test_berlin_police_csv_with_field_options(tmp_path, shipped_model, shared_data):
    archive = shared_data / "press" / "berlin_polizei" / "berlin_polizei_2024.csv"
    out = tmp_path / "polizei"
    result = pressewerk(
        "run", str(archive), "--out", str(out), "--quiet", "--limit", "40",
        "--text-field", "description", "--title-field", "title", "--date-field", "date",
    )  # fmt: skip
    assert result.returncode in (0, 3), result.stderr
    documents = pd.read_parquet(out / "documents.parquet")
    assert len(documents) == 40
    assert documents["published"].notna().all()
    assert all(2014 <= d.year <= 2026 for d in documents["published"])
    assert documents["title"].str.len().min() > 0
    entities = pd.read_parquet(out / "entities.parquet")
    places = entities[(entities["label"] == "LOC") & entities["lat"].notna()]
    assert len(places) >= 5
    assert (places["admin1"] == "Berlin").sum() >= 3
