"""Turn finished batch parts into the final tables: Parquet, CSV, DuckDB, datapackage.json.

Batch tables are streamed part by part (memory does not grow with the archive);
aggregate tables (entities, aliases) are computed by DuckDB over the parts.
Every file is written under a temporary name and renamed into place.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.normalise.aliases import short_form_clusters, short_form_evidence
from pipeline.normalise.canonical import legal_form
from pipeline.normalise.fuzzy import Candidate, fuzzy_clusters
from pipeline.sinks import duck
from pipeline.sinks.parts import part_batches, part_files, read_part
from pipeline.sinks.schema import AGGREGATE_TABLES, BATCH_TABLES, TABLES, to_arrow

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
AGGREGATES_SQL = {
    "entities": """
        WITH m AS (
            SELECT m.entity_id, m.cluster_id, m.label, m.name AS value, m.doc_id, d.published, regexp_replace(m.text, '\\s+', ' ', 'g') AS alias,
                   m.place_id, m.town_entity_id
            FROM read_parquet($mentions) m JOIN read_parquet($documents) d USING (doc_id)
            WHERE m.entity_id IS NOT NULL
        ), names AS (
            SELECT entity_id, value, count(*) AS n FROM m GROUP BY ALL
        ), ranked AS (  -- a name whose genitive also occurs ("Landeskriminalamt" / "…amtes") is the nominative
            SELECT a.*, EXISTS (
                SELECT 1 FROM names b WHERE b.entity_id = a.entity_id AND b.value IN (a.value || 's', a.value || 'es')
            ) AS nominative
            FROM names a
        ), best AS (
            SELECT entity_id, first(value ORDER BY nominative DESC, n DESC, length(value), value) AS name
            FROM ranked GROUP BY entity_id
        ), places AS (
            SELECT entity_id, place_id, count(*) AS n FROM m WHERE place_id IS NOT NULL GROUP BY ALL
        ), best_place AS (  -- the place most documents meant; a tie goes to the smaller id, so every run agrees
            SELECT entity_id, first(place_id ORDER BY n DESC, place_id) AS place_id FROM places GROUP BY entity_id
        )
        SELECT m.entity_id, min(m.cluster_id) AS cluster_id, min(m.label::VARCHAR) AS label, min(best.name) AS name,
               count(*) AS n_mentions, count(DISTINCT m.doc_id) AS n_docs, count(DISTINCT m.alias) AS aliases_count,
               min(m.published) AS first_seen, max(m.published) AS last_seen,
               min(best_place.place_id) AS document_place_id, min(m.town_entity_id) AS town_entity_id
        FROM m JOIN best USING (entity_id) LEFT JOIN best_place USING (entity_id)
        GROUP BY m.entity_id ORDER BY m.entity_id
    """,
    "aliases": """
        SELECT entity_id, regexp_replace(text, '\\s+', ' ', 'g') AS alias, count(*) AS n_mentions
        FROM read_parquet($mentions) WHERE entity_id IS NOT NULL
        GROUP BY ALL ORDER BY entity_id, alias
    """,
}


def enrich_entities(entities: pa.Table) -> dict[str, pa.Array]:
    """Legal forms of organisations; coordinates, place type and AGS of the place most documents meant."""
    from pipeline.normalise.geocode import gazetteer, one_reading, resolve_with_anchors
    from pipeline.normalise.places import is_street

    names, labels = entities.column("name").to_pylist(), entities.column("label").to_pylist()
    forms = [legal_form(n) if label == "ORG" else None for n, label in zip(names, labels, strict=True)]
    place_ids = entities.column("document_place_id").to_pylist()
    towns = entities.column("town_entity_id").to_pylist()
    places = {i: gazetteer().place(place_ids[i]) for i, label in enumerate(labels) if label == "LOC"}
    # Names no document could place (ambiguous, no region of their own) take the region of the run's places; a
    # name of one reading that its documents left unplaced was rejected there ("in die Provence": no village).
    open_rows = [
        i
        for i, place in places.items()
        if place is None and not towns[i] and not is_street(names[i]) and not one_reading(names[i])
    ]
    anchors = [place for place in places.values() if place is not None]
    places.update(zip(open_rows, resolve_with_anchors([names[i] for i in open_rows], anchors), strict=True))
    columns: dict[str, list] = {"legal_form": forms}
    columns["place_id"] = [
        places[i].place_id if places.get(i) and not (towns[i] or is_street(names[i])) else None
        for i in range(len(names))
    ]
    columns["place_type"] = [
        None
        if label != "LOC"
        else "street"
        if towns[i] or is_street(names[i])
        else places[i].kind
        if places[i]
        else "other"
        for i, label in enumerate(labels)
    ]
    for column, attribute in (
        ("geonames_id", "geonames_id"), ("lat", "lat"), ("lon", "lon"),
        ("country_code", "country_code"), ("admin1", "admin1"), ("population", "population"), ("ags", "ags"),
    ):  # fmt: skip
        columns[column] = [
            getattr(places.get(i), attribute, None) if places.get(i) else None for i in range(len(names))
        ]
    return {name: pa.array(values) for name, values in columns.items()}


PLACE_COLUMNS = (
    ("name", "name"), ("place_type", "kind"), ("lat", "lat"), ("lon", "lon"), ("country", "country_code"),
    ("state", "admin1"), ("district", "district"), ("official_key", "ags"), ("population", "population"),
    ("geonames_id", "geonames_id"),
)  # fmt: skip


def places_rows(out: Path) -> list[dict]:
    """Every gazetteer place a mention or an entity of the run refers to, with its coordinates."""
    from pipeline.normalise.geocode import gazetteer

    sql = """
        SELECT place_id FROM read_parquet($mentions) WHERE place_id IS NOT NULL
        UNION SELECT place_id FROM read_parquet($entities) WHERE place_id IS NOT NULL ORDER BY 1
    """
    with duck.cursor() as con:
        ids = [
            row[0]
            for row in con.sql(
                sql, params={"mentions": str(out / "mentions.parquet"), "entities": str(out / "entities.parquet")}
            ).fetchall()
        ]
    rows = []
    for place_id in ids:
        place = gazetteer().place(place_id)
        if place is None:  # a place of an older gazetteer: kept as a bare key so the join holds
            rows.append({"place_id": place_id, "name": place_id, "place_type": "other"})
            continue
        rows.append({"place_id": place_id, **{column: getattr(place, attr) for column, attr in PLACE_COLUMNS}})
    return rows


def fill_mention_places(out: Path) -> None:
    """LOC mentions their document could not place take the place of their entity (resolved over the run)."""
    schema = TABLES["mentions"].arrow_schema()
    sql = """
        SELECT m.* REPLACE (coalesce(m.place_id, CASE WHEN m.label::VARCHAR = 'LOC' THEN e.place_id END) AS place_id)
        FROM read_parquet($mentions) m LEFT JOIN read_parquet($entities) e USING (entity_id)
        ORDER BY m.doc_id, m.start_char, m.mention_id
    """
    target = out / "mentions.parquet"
    tmp = target.with_name(".mentions.filled.parquet")
    with duck.cursor() as con:
        reader = con.sql(
            sql, params={"mentions": str(target), "entities": str(out / "entities.parquet")}
        ).to_arrow_reader(50_000)
        with pq.ParquetWriter(tmp, schema) as writer:
            for batch in reader:
                writer.write_table(_conform(pa.Table.from_batches([batch]), schema))
    os.replace(tmp, target)


# Columns of aggregate tables computed in Python after the SQL.
ENRICH: dict[str, Callable[[pa.Table], dict[str, pa.Array]]] = {"entities": enrich_entities}


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def entity_candidates(out: Path) -> list[Candidate]:
    """Every entity of the run with its most frequent name and mention count, from the parts."""
    if not part_files(out, "mentions"):
        return []
    sql = """
        WITH v AS (SELECT entity_id, label::VARCHAR AS label, name AS value, count(*) AS n
                   FROM mention_parts WHERE entity_id IS NOT NULL GROUP BY ALL)
        SELECT entity_id, min(label), first(value ORDER BY n DESC, length(value), value), sum(n)::BIGINT
        FROM v GROUP BY entity_id ORDER BY entity_id
    """
    with duck.cursor() as con:
        con.register("mention_parts", part_batches(out, "mentions", ["entity_id", "label", "name"]))
        rows = con.sql(sql).fetchall()
    return [Candidate(entity, label, name or "", int(n)) for entity, label, name, n in rows]


def short_form_rows(out: Path) -> list[tuple[str, str, str, str]]:
    """(label, text, entity id, name) of every name mention whose text is not its entity's name ("Doskozil" →
    "Hans Peter Doskozil"), from the parts: how the run's documents tied short forms."""
    if not part_files(out, "mentions"):
        return []
    sql = """
        SELECT label::VARCHAR, text, entity_id, name FROM mention_parts
        WHERE entity_id IS NOT NULL AND label::VARCHAR IN ('PER', 'ORG', 'LOC', 'MISC') AND lower(text) <> lower(name)
        GROUP BY ALL ORDER BY ALL
    """
    with duck.cursor() as con:
        con.register("mention_parts", part_batches(out, "mentions", ["label", "text", "entity_id", "name"]))
        return con.sql(sql).fetchall()


MERGES_HEADER = ("label", "entity_id", "name", "n_mentions", "cluster_id", "cluster_name", "joined_as")


def write_merges(
    out: Path, candidates: list[Candidate], clusters: dict[str, str], short_forms: set[str] | None = None
) -> None:
    """``merges.csv``: every entity the run's joins put into another one's cluster, for review; ``joined_as``
    says how: ``spelling`` (the fuzzy step) or ``short form`` (a surname or acronym, :mod:`aliases`)."""
    names = {c.entity_id: c for c in candidates}
    short_forms = short_forms or set()
    rows = (
        (
            names[member].label,
            member,
            names[member].name,
            names[member].mentions,
            cluster,
            names[cluster].name,
            "short form" if member in short_forms else "spelling",
        )
        for member, cluster in sorted(clusters.items())
        if member != cluster
    )
    _atomic(out / "merges.csv", lambda tmp: write_rows_csv(tmp, MERGES_HEADER, rows))


def write_rows_csv(target: Path, header: Iterable[str], rows: Iterable[Iterable[object]]) -> None:
    """A small CSV (RFC 4180, UTF-8) whose cells pass the formula guard."""
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([neutralise_formulas(cell) for cell in row] for row in rows)


def _with_clusters(data: pa.Table, clusters: dict[str, str]) -> pa.Table:
    """Mentions get the cluster id of their entity (their own entity id when the fuzzy step joined nothing)."""
    ids = data.column("entity_id").to_pylist()
    values = pa.array([clusters.get(e, e) if e else None for e in ids], pa.string())
    return data.set_column(data.schema.get_field_index("cluster_id"), "cluster_id", values)


ROW_GROUP_ROWS = 65_536  # rows per row group of a final table: parts are gathered up to this many


def _stream_parts(table: str, out: Path, target: Path, clusters: dict[str, str]) -> int:
    """One table from its parts, in part order, in row groups of about ``ROW_GROUP_ROWS`` (memory stays flat)."""
    schema = TABLES[table].arrow_schema()
    rows, pending, pending_rows = 0, [], 0
    with pq.ParquetWriter(target, schema) as writer:
        for part in part_files(out, table):
            data = _conform(read_part(part), schema)
            if "cluster_id" in schema.names:
                data = _with_clusters(data, clusters).cast(schema)
            rows += data.num_rows
            if data.num_rows:
                pending.append(data)
                pending_rows += data.num_rows
            if pending_rows >= ROW_GROUP_ROWS:
                writer.write_table(pa.concat_tables(pending), row_group_size=ROW_GROUP_ROWS)
                pending, pending_rows = [], 0
        if pending:
            writer.write_table(pa.concat_tables(pending), row_group_size=ROW_GROUP_ROWS)
    return rows


def _conform(data: pa.Table, schema: pa.Schema) -> pa.Table:
    """A part in the table's schema; columns the part lacks (written before they existed) are null, and a
    '|'-separated string column of a part written before it became a list column is split."""
    if data.schema.equals(schema):  # a part of this version
        return data
    for field in schema:
        if field.name not in data.column_names:
            data = data.append_column(field.name, pa.nulls(data.num_rows, field.type))
        elif pa.types.is_list(field.type) and pa.types.is_string(data.schema.field(field.name).type):
            values = [v.split("|") if v else None for v in data.column(field.name).to_pylist()]
            data = data.set_column(data.schema.get_field_index(field.name), field.name, pa.array(values, field.type))
    return data.select(schema.names).cast(schema)


def _aggregate(table: str, out: Path, target: Path) -> int:
    if table == "places":
        data = to_arrow(TABLES["places"], places_rows(out))
        pq.write_table(data, target)
        return data.num_rows
    mentions = [str(out / "mentions.parquet")]
    documents = [str(out / "documents.parquet")]
    schema = TABLES[table].arrow_schema()
    if not pq.ParquetFile(mentions[0]).metadata.num_rows:
        pq.write_table(schema.empty_table(), target)
        return 0
    with duck.cursor() as con:
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


def write_csv(parquet: Path, target: Path, excel: bool, long_text: bool = False) -> None:
    """CSV from a Parquet table in chunks: UTF-8, or with --excel a BOM, ';' and decimal commas.

    Whole texts (``documents.text``) are left out unless ``long_text``.
    """
    table = TABLES[parquet.stem]
    columns = [c.name for c in table.csv_columns(long_text)]
    strings = [c.name for c in table.csv_columns(long_text) if c.kind in ("string", "label")]
    dates = [c.name for c in table.csv_columns(long_text) if c.kind == "date"]
    lists = [c.name for c in table.csv_columns(long_text) if c.kind == "string_list"]
    codes = [c.name for c in table.csv_columns(long_text) if c.code] if excel else []
    with target.open("w", encoding="utf-8", newline="") as handle:
        if excel:
            handle.write("\ufeff")
        first = True
        for batch in pq.ParquetFile(parquet).iter_batches(batch_size=50_000, columns=columns):
            frame = batch.to_pandas(integer_object_nulls=True)
            for name in strings:
                frame[name] = frame[name].astype(object).map(neutralise_formulas)
            for name in lists:  # a JSON array per cell: ["Anna Roth", null]
                frame[name] = frame[name].map(
                    lambda cell: None if cell is None else json.dumps(list(cell), ensure_ascii=False)
                )
            for name in codes:  # ="08111000": Excel shows the text, never the number 8111000
                frame[name] = frame[name].map(lambda code: f'="{code}"' if isinstance(code, str) else code)
            for name in dates:  # plain YYYY-MM-DD, so CSV sniffers (DuckDB) read DATE, never TIMESTAMP
                frame[name] = frame[name].map(
                    lambda day: day.isoformat()[:10] if day is not None and day == day else None
                )
            frame.to_csv(
                handle,
                sep=";" if excel else ",",
                decimal="," if excel else ".",
                index=False,
                header=first,
                date_format="%Y-%m-%dT%H:%M:%S",
                lineterminator="\r\n" if excel else "\n",
            )
            first = False
        if first:
            handle.write((";" if excel else ",").join(columns) + ("\r\n" if excel else "\n"))


def datapackage(formats: set[str], excel: bool, long_text: bool = False) -> dict:
    """Frictionless Data Package describing every table written."""
    resources = []
    for name, table in TABLES.items():
        resource: dict = {"name": name, "profile": "tabular-data-resource", "description": table.description}
        if "csv" in formats:
            resource["schema"] = table.table_schema(table.csv_columns(long_text), decimal_comma=excel)
            resource.update(path=f"{name}.csv", format="csv", mediatype="text/csv", encoding="utf-8")
            if excel:
                resource["dialect"] = {"csv": {"delimiter": ";"}}
                resource["encoding"] = "utf-8-sig"
        else:
            resource["schema"] = table.table_schema()
            resource.update(path=f"{name}.parquet", format="parquet")
        resources.append(resource)
    return {
        "name": "pressewerk-output",
        "title": "Pressewerk extraction tables",
        "profile": "tabular-data-package",
        "resources": resources,
    }


def publish(out: Path, formats: set[str], excel: bool = False, csv_text: bool = False) -> dict[str, int]:
    """Write all final tables from the parts; returns row counts per table."""
    counts: dict[str, int] = {}
    candidates = entity_candidates(out)
    from pipeline.normalise.geocode import is_known_place

    clusters = fuzzy_clusters(candidates, is_known_place=is_known_place)
    clusters, short_forms = short_form_clusters(candidates, short_form_evidence(short_form_rows(out)), clusters)
    write_merges(out, candidates, clusters, short_forms)
    for name in BATCH_TABLES:
        target = out / f"{name}.parquet"
        _atomic(target, lambda tmp, name=name: counts.__setitem__(name, _stream_parts(name, out, tmp, clusters)))
    for name in AGGREGATE_TABLES:
        target = out / f"{name}.parquet"
        _atomic(target, lambda tmp, name=name: counts.__setitem__(name, _aggregate(name, out, tmp)))
        if name == "entities":
            fill_mention_places(out)
    if "csv" in formats:
        for name in TABLES:
            _atomic(
                out / f"{name}.csv", lambda tmp, name=name: write_csv(out / f"{name}.parquet", tmp, excel, csv_text)
            )
    if "duckdb" in formats:
        _atomic(out / "pressewerk.duckdb", lambda tmp: write_duckdb(out, tmp))
    package = datapackage(formats, excel, csv_text)
    _atomic(out / "datapackage.json", lambda tmp: tmp.write_text(json.dumps(package, indent=2, ensure_ascii=False)))
    return counts


def write_duckdb(out: Path, target: Path) -> None:
    """One DuckDB database with every table, typed and keyed as ``datapackage.json`` declares.

    Referenced tables are filled first, so DuckDB checks every foreign key on insert.
    """
    target.unlink(missing_ok=True)
    with duckdb.connect(str(target)) as con:
        for name in _referenced_first(TABLES):
            table = TABLES[name]
            columns = ", ".join(f'"{c}"' for c in table.names)
            con.execute(table.create_sql())
            con.execute(f'INSERT INTO "{name}" SELECT {columns} FROM read_parquet(?)', [str(out / f"{name}.parquet")])


def _referenced_first(tables: dict) -> list[str]:
    """Table names ordered so that every table comes after the tables its foreign keys reference."""
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = [
            name
            for name, table in tables.items()
            if name not in ordered and all(ref in ordered or ref == name for _, ref, _ in table.foreign_keys)
        ]
        if not ready:
            raise ValueError("foreign keys between the tables form a cycle")
        ordered.extend(ready)
    return ordered


def drop_unrequested(out: Path, formats: set[str]) -> None:
    """Parquet files are the working copy; remove them when only CSV was asked for."""
    if "parquet" not in formats and "csv" in formats:
        for name in TABLES:
            (out / f"{name}.parquet").unlink(missing_ok=True)


# Files every run writes besides the tables (run.json last); only these and the tables are ever removed.
RUN_FILES = ("datapackage.json", "merges.csv", "report.html", "run.json")
DUCKDB_FILE = "pressewerk.duckdb"
_OWN_SUFFIXES = (".parquet", ".csv", ".duckdb", ".json", ".html")


def table_files(formats: set[str], table_names: Iterable[str]) -> list[str]:
    """The table files a run with ``formats`` leaves in its folder (Parquet stays unless only CSV was asked for)."""
    keep_parquet = "parquet" in formats or "csv" not in formats
    files = []
    for name in table_names:
        files += [f"{name}.parquet"] * keep_parquet + [f"{name}.csv"] * ("csv" in formats)
    return files + [DUCKDB_FILE] * ("duckdb" in formats)


def remove_stale_files(
    out: Path, written: Iterable[str], previous: Iterable[str], table_names: Iterable[str]
) -> list[str]:
    """Remove what an earlier run wrote into ``out`` and this run did not; returns the removed paths.

    Candidates are the files the earlier ``run.json`` listed, every table file any format would give
    (``TABLE.parquet``, ``TABLE.csv``), the DuckDB file and earlier show pages. Foreign files are never touched.
    """
    root = out.resolve()
    candidates = set(previous) | set(table_files({"parquet", "csv", "duckdb"}, table_names))
    candidates |= {f"show/{page.name}" for page in (out / "show").glob("*.html")}
    removed = []
    for name in sorted(candidates - set(written)):
        path = (out / name).resolve()
        if path.parent not in (root, root / "show") or not path.name.endswith(_OWN_SUFFIXES) or not path.is_file():
            continue
        path.unlink()
        removed.append(name)
    return removed


def previous_files(out: Path) -> list[str]:
    """The files the earlier run in ``out`` listed in its ``run.json`` (none when there is none)."""
    try:
        files = json.loads((out / "run.json").read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [name for name in files if isinstance(name, str)]
