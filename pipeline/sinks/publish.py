"""Turn finished batch parts into the final tables: Parquet, CSV, DuckDB, datapackage.json.

Batch tables are streamed part by part (memory does not grow with the archive);
aggregate tables (entities, aliases) are computed by DuckDB over the parts.
Every file is written under a temporary name and renamed into place.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.normalise.canonical import legal_form
from pipeline.normalise.fuzzy import Candidate, fuzzy_merges
from pipeline.sinks.parts import part_files
from pipeline.sinks.schema import AGGREGATE_TABLES, BATCH_TABLES, TABLES

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
AGGREGATES_SQL = {
    "entities": """
        WITH m AS (
            SELECT m.entity_id, m.label, m.name AS value, m.doc_id, d.published, regexp_replace(m.text, '\\s+', ' ', 'g') AS alias
            FROM read_parquet($mentions) m JOIN read_parquet($documents) d USING (doc_id)
            WHERE m.entity_id IS NOT NULL
        ), names AS (
            SELECT entity_id, value, count(*) AS n FROM m GROUP BY ALL
        ), best AS (
            SELECT entity_id, first(value ORDER BY n DESC, length(value), value) AS name FROM names GROUP BY entity_id
        )
        SELECT m.entity_id, min(m.label::VARCHAR) AS label, min(best.name) AS name,
               count(*) AS n_mentions, count(DISTINCT m.doc_id) AS n_docs, count(DISTINCT m.alias) AS aliases_count,
               min(m.published) AS first_seen, max(m.published) AS last_seen
        FROM m JOIN best USING (entity_id)
        GROUP BY m.entity_id ORDER BY m.entity_id
    """,
    "aliases": """
        SELECT entity_id, regexp_replace(text, '\\s+', ' ', 'g') AS alias, count(*) AS n_mentions
        FROM read_parquet($mentions) WHERE entity_id IS NOT NULL
        GROUP BY ALL ORDER BY entity_id, alias
    """,
}


def enrich_entities(entities: pa.Table) -> dict[str, pa.Array]:
    """Legal forms of organisations and coordinates of places (offline gazetteer)."""
    from pipeline.normalise.geocode import resolve

    names, labels = entities.column("name").to_pylist(), entities.column("label").to_pylist()
    forms = [legal_form(n) if label == "ORG" else None for n, label in zip(names, labels, strict=True)]
    loc_rows = [i for i, label in enumerate(labels) if label == "LOC"]
    places = dict(zip(loc_rows, resolve([names[i] for i in loc_rows]) if loc_rows else [], strict=True))
    columns: dict[str, list] = {"legal_form": forms}
    for column, attribute in (
        ("geonames_id", "geonames_id"), ("lat", "lat"), ("lon", "lon"),
        ("country_code", "country_code"), ("admin1", "admin1"), ("population", "population"),
    ):  # fmt: skip
        columns[column] = [
            getattr(places.get(i), attribute, None) if places.get(i) else None for i in range(len(names))
        ]
    return {name: pa.array(values) for name, values in columns.items()}


# Columns of aggregate tables computed in Python after the SQL.
ENRICH: dict[str, Callable[[pa.Table], dict[str, pa.Array]]] = {"entities": enrich_entities}


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


# Columns holding entity ids (quotes: '|'-separated lists), rewritten when entities merge.
ENTITY_ID_COLUMNS = {
    "mentions": ("entity_id",),
    "contacts": ("person_entity_id",),
    "relations": ("subject_entity_id", "object_entity_id"),
    "quotes": ("speaker_entity_ids",),
}


def _remap(data: pa.Table, table: str, mapping: dict[str, str]) -> pa.Table:
    for column in ENTITY_ID_COLUMNS.get(table, ()):
        values = data.column(column).to_pylist()
        if column.endswith("_ids"):
            values = ["|".join(dict.fromkeys(mapping.get(x, x) for x in v.split("|"))) if v else v for v in values]
        else:
            values = [mapping.get(v, v) if v else v for v in values]
        data = data.set_column(data.schema.get_field_index(column), column, pa.array(values, pa.string()))
    return data


def entity_candidates(out: Path) -> list[Candidate]:
    """Every entity of the run with its most frequent name and mention count, from the parts."""
    parts = [str(p) for p in part_files(out, "mentions")]
    if not parts:
        return []
    sql = """
        WITH v AS (SELECT entity_id, label::VARCHAR AS label, name AS value, count(*) AS n
                   FROM read_parquet($mentions) WHERE entity_id IS NOT NULL GROUP BY ALL)
        SELECT entity_id, min(label), first(value ORDER BY n DESC, length(value), value), sum(n)::BIGINT
        FROM v GROUP BY entity_id ORDER BY entity_id
    """
    with duckdb.connect() as con:
        rows = con.sql(sql, params={"mentions": parts}).fetchall()
    return [Candidate(entity, label, name or "", int(n)) for entity, label, name, n in rows]


def write_merges(out: Path, candidates: list[Candidate], mapping: dict[str, str]) -> None:
    """``merges.csv``: which entity ids the fuzzy step joined, for review."""
    names = {c.entity_id: c for c in candidates}
    with (out / ".merges.csv.tmp").open("w", encoding="utf-8", newline="") as handle:
        handle.write("label,merged_id,merged_name,into_id,into_name\n")
        for source, target in sorted(mapping.items()):
            cells = [names[source].label, source, names[source].name, target, names[target].name]
            handle.write(",".join('"' + str(c).replace('"', '""') + '"' for c in cells) + "\n")
    os.replace(out / ".merges.csv.tmp", out / "merges.csv")


def _stream_parts(table: str, out: Path, target: Path, mapping: dict[str, str] | None = None) -> int:
    schema = TABLES[table].arrow_schema()
    rows = 0
    with pq.ParquetWriter(target, schema) as writer:
        for part in part_files(out, table):
            data = pq.read_table(part).cast(schema)
            if mapping:
                data = _remap(data, table, mapping).cast(schema)
            rows += data.num_rows
            if data.num_rows:
                writer.write_table(data)
    return rows


def _aggregate(table: str, out: Path, target: Path) -> int:
    mentions = [str(out / "mentions.parquet")]
    documents = [str(out / "documents.parquet")]
    schema = TABLES[table].arrow_schema()
    if not pq.ParquetFile(mentions[0]).metadata.num_rows:
        pq.write_table(schema.empty_table(), target)
        return 0
    with duckdb.connect() as con:
        con.execute("SET threads TO 2")
        sql = AGGREGATES_SQL[table]
        params = {k: v for k, v in {"mentions": mentions, "documents": documents}.items() if f"${k}" in sql}
        result = con.sql(sql, params=params).to_arrow_table()
    if table in ENRICH and result.num_rows:
        for column, values in ENRICH[table](result).items():
            result = result.append_column(column, values)
    else:
        for column in TABLES[table].names:
            if column not in result.column_names:
                result = result.append_column(column, pa.nulls(result.num_rows))
    data = result.select(TABLES[table].names).cast(schema)
    pq.write_table(data, target)
    return data.num_rows


def neutralise_formulas(value: object) -> object:
    """Prefix cells that spreadsheets would run as formulas with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(parquet: Path, target: Path, excel: bool) -> None:
    """CSV from a Parquet table in chunks: UTF-8, or with --excel a BOM and ';'."""
    table = TABLES[parquet.stem]
    strings = [c.name for c in table.columns if c.kind in ("string", "label")]
    dates = [c.name for c in table.columns if c.kind == "date"]
    with target.open("w", encoding="utf-8", newline="") as handle:
        if excel:
            handle.write("\ufeff")
        first = True
        for batch in pq.ParquetFile(parquet).iter_batches(batch_size=50_000):
            frame = batch.to_pandas(integer_object_nulls=True)
            for name in strings:
                frame[name] = frame[name].astype(object).map(neutralise_formulas)
            for name in dates:  # plain YYYY-MM-DD, so CSV sniffers (DuckDB) read DATE, never TIMESTAMP
                frame[name] = frame[name].map(
                    lambda day: day.isoformat()[:10] if day is not None and day == day else None
                )
            frame.to_csv(
                handle,
                sep=";" if excel else ",",
                index=False,
                header=first,
                date_format="%Y-%m-%dT%H:%M:%S",
                lineterminator="\r\n" if excel else "\n",
            )
            first = False
        if first:
            handle.write((";" if excel else ",").join(table.names) + ("\r\n" if excel else "\n"))


def datapackage(formats: set[str], excel: bool) -> dict:
    """Frictionless Data Package describing every table written."""
    resources = []
    for name, table in TABLES.items():
        resource: dict = {
            "name": name,
            "profile": "tabular-data-resource",
            "description": table.description,
            "schema": table.table_schema(),
        }
        if "csv" in formats:
            resource.update(path=f"{name}.csv", format="csv", mediatype="text/csv", encoding="utf-8")
            if excel:
                resource["dialect"] = {"csv": {"delimiter": ";"}}
                resource["encoding"] = "utf-8-sig"
        else:
            resource.update(path=f"{name}.parquet", format="parquet")
        resources.append(resource)
    return {
        "name": "pressewerk-output",
        "title": "Pressewerk extraction tables",
        "profile": "tabular-data-package",
        "resources": resources,
    }


def publish(out: Path, formats: set[str], excel: bool = False) -> dict[str, int]:
    """Write all final tables from the parts; returns row counts per table."""
    counts: dict[str, int] = {}
    candidates = entity_candidates(out)
    mapping = fuzzy_merges(candidates)
    write_merges(out, candidates, mapping)
    for name in BATCH_TABLES:
        target = out / f"{name}.parquet"
        _atomic(target, lambda tmp, name=name: counts.__setitem__(name, _stream_parts(name, out, tmp, mapping)))
    for name in AGGREGATE_TABLES:
        target = out / f"{name}.parquet"
        _atomic(target, lambda tmp, name=name: counts.__setitem__(name, _aggregate(name, out, tmp)))
    if "csv" in formats:
        for name in TABLES:
            _atomic(out / f"{name}.csv", lambda tmp, name=name: write_csv(out / f"{name}.parquet", tmp, excel))
    if "duckdb" in formats:
        _atomic(out / "pressewerk.duckdb", lambda tmp: write_duckdb(out, tmp))
    package = datapackage(formats, excel)
    _atomic(out / "datapackage.json", lambda tmp: tmp.write_text(json.dumps(package, indent=2, ensure_ascii=False)))
    return counts


def write_duckdb(out: Path, target: Path) -> None:
    """One DuckDB database with every table."""
    target.unlink(missing_ok=True)
    with duckdb.connect(str(target)) as con:
        for name in TABLES:
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM read_parquet(?)', [str(out / f"{name}.parquet")])


def drop_unrequested(out: Path, formats: set[str]) -> None:
    """Parquet files are the working copy; remove them when only CSV was asked for."""
    if "parquet" not in formats and "csv" in formats:
        for name in TABLES:
            (out / f"{name}.parquet").unlink(missing_ok=True)
