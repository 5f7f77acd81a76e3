"""The output tables, declared once: Arrow schemas and the Frictionless Table Schemas come from here."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field, replace

import pyarrow as pa

_ARROW = {
    "string": pa.string(),
    "label": pa.dictionary(pa.int32(), pa.string()),
    "offset": pa.int32(),
    "integer": pa.int64(),
    "date": pa.date32(),
    "datetime": pa.timestamp("s"),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "string_list": pa.list_(pa.string()),
}
_DUCKDB = {
    "string": "VARCHAR",
    "label": "VARCHAR",
    "offset": "INTEGER",
    "integer": "BIGINT",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "string_list": "VARCHAR[]",
}
# pandas dtypes the tables load with: nullable integers stay integers, codes stay strings.
_PANDAS = {
    "string": "string",
    "label": "category",
    "offset": "Int32",
    "integer": "Int64",
    "number": "float64",
    "boolean": "boolean",
}
_PANDAS_METADATA = {"offset": ("int32", "Int32"), "integer": ("int64", "Int64"), "boolean": ("boolean", "boolean")}
_FRICTIONLESS = {
    "string": "string",
    "label": "string",
    "offset": "integer",
    "integer": "integer",
    "date": "date",
    "datetime": "datetime",
    "number": "number",
    "boolean": "boolean",
    "string_list": "array",  # CSV: a JSON array
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    description: str
    required: bool = False
    long_text: bool = False  # whole texts: in CSV only on request (Excel cuts cells at 32,767 characters)
    code: bool = False  # digits with leading zeros (AGS "08"): the --excel CSV keeps them text


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, column)
    order_by: tuple[str, ...] = field(default=())

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def arrow_schema(self) -> pa.Schema:
        """The Arrow schema, with pandas metadata so ``pd.read_parquet`` gives nullable integers (Int64)."""
        fields = [pa.field(c.name, _ARROW[c.kind], nullable=not c.required) for c in self.columns]
        return pa.schema(fields, metadata={b"pandas": json.dumps(self._pandas_metadata()).encode()})

    def _pandas_metadata(self) -> dict:
        columns = []
        for c in self.columns:
            pandas_type, numpy_type = _PANDAS_METADATA.get(c.kind, (None, None))
            if numpy_type is None:  # pandas infers these from the Arrow type
                pandas_type, numpy_type = {"date": ("date", "object"), "datetime": ("datetime", "datetime64[s]"),
                                           "number": ("float64", "float64")}.get(c.kind, ("unicode", "object"))  # fmt: skip
                if c.kind == "label":
                    pandas_type, numpy_type = "categorical", "int32"
            columns.append(
                {"name": c.name, "field_name": c.name, "pandas_type": pandas_type, "numpy_type": numpy_type,
                 "metadata": None}
            )  # fmt: skip
        return {"index_columns": [], "column_indexes": [], "columns": columns, "creator": {"library": "pressewerk"}}

    def pandas_csv_options(self) -> dict:
        """Keyword arguments for ``pd.read_csv`` of this table's CSV: ``dtype`` and ``parse_dates``."""
        return {
            "dtype": {c.name: _PANDAS[c.kind] for c in self.columns if c.kind in _PANDAS},
            "parse_dates": [c.name for c in self.columns if c.kind in ("date", "datetime")],
        }

    def duckdb_types(self) -> dict[str, str]:
        """Column types for DuckDB's ``read_csv(..., types = {...})`` (codes stay VARCHAR)."""
        return {c.name: _DUCKDB[c.kind] for c in self.columns}

    def csv_columns(self, with_long_text: bool = False) -> list[Column]:
        """The columns a CSV file of this table holds."""
        return [c for c in self.columns if with_long_text or not c.long_text]

    def table_schema(self, columns: list[Column] | None = None, decimal_comma: bool = False) -> dict:
        """Frictionless Table Schema descriptor (of ``columns``, default all)."""
        schema: dict = {
            "fields": [
                {
                    "name": c.name,
                    "type": _FRICTIONLESS[c.kind],
                    "description": c.description,
                    **({"decimalChar": ","} if decimal_comma and c.kind == "number" else {}),
                    **({"constraints": {"required": True}} if c.required else {}),
                }
                for c in (self.columns if columns is None else columns)
            ],
            "missingValues": [""],
        }
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": col, "reference": {"resource": table, "fields": ref}}
                for col, table, ref in self.foreign_keys
            ]
        return schema

    def create_sql(self) -> str:
        """DuckDB ``CREATE TABLE`` with the declared types, NOT NULL, primary and foreign keys."""
        lines = [f'"{c.name}" {_DUCKDB[c.kind]}{" NOT NULL" if c.required else ""}' for c in self.columns]
        if self.primary_key:
            lines.append("PRIMARY KEY (" + ", ".join(f'"{k}"' for k in self.primary_key) + ")")
        lines.extend(f'FOREIGN KEY ("{col}") REFERENCES "{table}" ("{ref}")' for col, table, ref in self.foreign_keys)
        return f'CREATE TABLE "{self.name}" (\n    ' + ",\n    ".join(lines) + "\n)"


C = Column
TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "documents",
            "One row per input document that was processed.",
            (
                C("doc_id", "string", "Stable id: hash of source id and text", True),
                C("source", "string", "Input path relative to its input root, with !member, :line N, :row N", True),
                C("title", "string", "Title from metadata or the first line"),
                C("published", "date", "Release date from metadata or the dateline"),
                C(
                    "dateline_place",
                    "string",
                    "Place named in the dateline (the locality, in the gazetteer's spelling)",
                ),
                C("dateline_district", "string", "District or state the dateline names with its place"),
                C("dateline_detail", "string", "The dateline's other places: Ortsteil, street, Gewerbegebiet"),
                C("dateline_entity_id", "string", "LOC entity of the dateline place"),
                C("encoding", "label", "Character encoding the text was decoded from (utf-8, cp1252, utf-16, ...)"),
                C("format", "label", "Input format: txt, html, json, jsonl, csv, xml, pdf, docx, odt, eml, mbox, warc"),
                C("text", "string", "Full text the offsets of mentions, contacts and quotes refer to", long_text=True),
                C("language", "label", "ISO 639-1 code of the detected language"),
                C("n_chars", "integer", "Characters of text"),
                C("n_words", "integer", "Word tokens"),
                C("status", "label", "ok, or a flag such as not_german"),
                C("model", "string", "NER model name and version"),
                C("pipeline_version", "string", "Pressewerk version"),
            ),
            primary_key=("doc_id",),
            foreign_keys=(("dateline_entity_id", "entities", "entity_id"),),
            order_by=("doc_id",),
        ),
        Table(
            "mentions",
            "One row per entity, date or time mention, with character offsets into the document text.",
            (
                C("mention_id", "string", "Stable id of the mention", True),
                C("doc_id", "string", "Document of the mention", True),
                C("start_char", "offset", "Start offset (characters, 0-based) in the document text", True),
                C("end_char", "offset", "End offset (exclusive)", True),
                C("text", "string", "Text as written", True),
                C("label", "label", "PER, LOC, ORG, MISC, DATE, TIME or a rule label", True),
                C("source", "label", "model, or rule:<id> for rule matches", True),
                C("entity_id", "string", "Entity the mention belongs to (names only)"),
                C("name", "string", "PER/ORG/LOC/MISC: canonical name of the entity"),
                C("sentence", "offset", "Sentence number after the title and dateline (0-based); null in them"),
                C("section", "label", "title, dateline, lead, body or boilerplate"),
                C(
                    "sentence_text",
                    "string",
                    "The sentence (or title, dateline) holding the mention, at most 500 characters",
                ),
                C("cluster_id", "string", "Entity after the run's fuzzy step: the entity_id of its cluster"),
                C("timex_type", "label", "Temporal expressions: TIMEX3 type DATE, TIME, DURATION or SET"),
                C("timex_value", "string", "TIMEX3 value: 2019-12-09, 2019-W50, 198, 2019-12-09T15:30, P3Y, PAST_REF"),
                C("granularity", "label", "Dates: century ... day, weekend, reference; times: minute, part_of_day"),
                C("value_start", "date", "Dates and times: first day covered (a range: the range's first day)"),
                C("value_end", "date", "Dates and times: last day covered (a range: the range's last day)"),
                C("time", "string", "Times: HH:MM, or the part of day (MO, MI, AF, EV, NI)"),
                C("quant", "label", "Sets: TIMEX3 quantifier (EVERY)"),
                C("freq", "label", "Sets: TIMEX3 frequency (2X for zweimal)"),
                C("is_relative", "boolean", "Dates: resolved against the reference date or the narrative time"),
                C("datetime", "datetime", "Date and time combined where both are given"),
                C(
                    "place_id",
                    "string",
                    "Places: gazetteer place in this document (a row of places)",
                ),
                C("town_entity_id", "string", "Streets: entity of the town the street is in"),
                C("page", "offset", "PDF: page (1-based) the mention starts on; null for formats without pages"),
            ),
            primary_key=("mention_id",),
            foreign_keys=(
                ("doc_id", "documents", "doc_id"),
                ("entity_id", "entities", "entity_id"),
                ("town_entity_id", "entities", "entity_id"),
                ("cluster_id", "entities", "entity_id"),
                ("place_id", "places", "place_id"),
            ),
            order_by=("doc_id", "start_char"),
        ),
        Table(
            "entities",
            "One row per real-world entity across the whole run.",
            (
                C("entity_id", "string", "Stable id (hash of label and canonical name)", True),
                C("label", "label", "PER, LOC, ORG, MISC or a rule label", True),
                C("name", "string", "Canonical name", True),
                C("cluster_id", "string", "entity_id of the spelling variants the fuzzy step joined it with", True),
                C("n_mentions", "integer", "Mentions in all documents"),
                C("n_docs", "integer", "Documents mentioning it"),
                C("aliases_count", "integer", "Distinct surface forms"),
                C("first_seen", "date", "Earliest published date of a document mentioning it"),
                C("last_seen", "date", "Latest published date of a document mentioning it"),
                C("legal_form", "label", "Organisations: legal form in the name (GmbH, AG, e.V., Stiftung, ...)"),
                C("geonames_id", "integer", "Places: GeoNames id"),
                C("lat", "number", "Places: latitude (WGS84)"),
                C("lon", "number", "Places: longitude (WGS84)"),
                C("country_code", "label", "Places: ISO 3166 country code"),
                C("admin1", "string", "Places: first-level division (Bundesland)"),
                C("population", "integer", "Places: population (GeoNames)"),
                C("place_type", "label", "Places: country, state, district, municipality, locality, street or other"),
                C(
                    "ags",
                    "string",
                    "Places: official key: AGS (Land, Kreis, Gemeinde), Swiss BFS number, ISO code",
                    code=True,
                ),
                C("town_entity_id", "string", "Streets: entity of the town the street is in"),
                C("place_id", "string", "Places: the gazetteer place most documents meant (a row of places)"),
            ),
            primary_key=("entity_id",),
            foreign_keys=(("place_id", "places", "place_id"),),
            order_by=("entity_id",),
        ),
        Table(
            "places",
            "One row per gazetteer place the run refers to (mentions, entities, datelines), with its coordinates.",
            (
                C(
                    "place_id",
                    "string",
                    "DE:<AGS>, CH:<BFS number>, CH-B:<Bezirk>, CH-K:<Kanton>, AT:<Land>, "
                    "gn:<GeoNames id>, country:<ISO>; two ids joined by + for a double name's midpoint",
                    True,
                ),
                C("name", "string", "Name (German where the gazetteer has it)", True),
                C("place_type", "label", "country, state, district, municipality or locality", True),
                C("lat", "number", "Latitude (WGS84); districts and states: centroid of their municipalities"),
                C("lon", "number", "Longitude (WGS84)"),
                C("country", "label", "ISO 3166 country code"),
                C("state", "string", "Bundesland, Kanton"),
                C("district", "string", "Kreis, Bezirk"),
                C(
                    "official_key",
                    "string",
                    "AGS (Germany), BFS number (Switzerland), Land digit (Austria), ISO code",
                    code=True,
                ),
                C("population", "integer", "Inhabitants (GeoNames, Destatis)"),
                C("geonames_id", "integer", "GeoNames id where known"),
            ),
            primary_key=("place_id",),
            order_by=("place_id",),
        ),
        Table(
            "aliases",
            "Surface forms of each entity.",
            (
                C("entity_id", "string", "Entity", True),
                C("alias", "string", "Surface form as normalised text", True),
                C("n_mentions", "integer", "Mentions written this way"),
            ),
            primary_key=("entity_id", "alias"),
            foreign_keys=(("entity_id", "entities", "entity_id"),),
            order_by=("entity_id", "alias"),
        ),
        Table(
            "contacts",
            "E-mail addresses, phone numbers, URLs and handles found in documents.",
            (
                C("doc_id", "string", "Document", True),
                C("kind", "label", "email, phone, url or handle", True),
                C("value", "string", "Normalised: lower-case e-mail, E.164 phone, URL with scheme", True),
                C("start_char", "offset", "Start offset in the document text", True),
                C("end_char", "offset", "End offset (exclusive)", True),
                C("person_entity_id", "string", "Person the contact belongs to (contact blocks)"),
            ),
            primary_key=("doc_id", "start_char", "kind"),
            foreign_keys=(("doc_id", "documents", "doc_id"), ("person_entity_id", "entities", "entity_id")),
        ),
        Table(
            "quotes",
            "Quotations (direct, indirect, reported, free indirect speech) with their speakers.",
            (
                C("quote_id", "string", "Stable id", True),
                C("doc_id", "string", "Document", True),
                C("start_char", "offset", "Start offset of the first span", True),
                C("end_char", "offset", "End offset (exclusive) of the last span", True),
                C(
                    "spans",
                    "string",
                    "All character spans as JSON [[start, end], ...] (a quote interrupted by its frame has two)",
                    True,
                ),
                C("text", "string", "Quoted text without the quotation marks, spans joined by ' … '", True),
                C(
                    "speaker_text",
                    "string",
                    "The speaker's whole noun phrase as written ('Ein Sprecher des Senders', 'er')",
                ),
                C(
                    "speaker_entity_ids",
                    "string_list",
                    "Entity id of each name in speaker_names, same length and order (null where a name has none)",
                ),
                C(
                    "speaker_names",
                    "string_list",
                    "Speakers' names (a pronoun's antecedent); pairs by position with speaker_entity_ids",
                ),
                C("speaker_role", "string", "Role noun in the speaker phrase (Sprecher, Außenministerin)"),
                C(
                    "speaker_resolved",
                    "label",
                    "How the speaker was found: name, organisation, role, phrase, pronoun, previous",
                ),
                C(
                    "cue",
                    "string",
                    "Cue: speech-verb lemma (sagen, mitteilen), source word (laut, zufolge, nach, so) or ':'",
                ),
                C("kind", "label", "direct, indirect, reported or free_indirect", True),
            ),
            primary_key=("quote_id",),
            foreign_keys=(("doc_id", "documents", "doc_id"),),
        ),
        Table(
            "relations",
            "Relations between entities: role_at, member_of, located_in, part_of.",
            (
                C("doc_id", "string", "Document", True),
                C("subject_entity_id", "string", "Subject entity", True),
                C("subject", "string", "Subject name", True),
                C("relation", "label", "role_at, member_of, located_in or part_of (a unit of an organisation)", True),
                C("role", "string", "Role or function (role_at)"),
                C("object_entity_id", "string", "Object entity", True),
                C("object", "string", "Object name", True),
                C("title", "string", "Person title (Dr., Prof., Ministerin, ...)"),
                C("start_char", "offset", "Start of the evidence in the document text", True),
                C("end_char", "offset", "End of the evidence (exclusive)", True),
            ),
            foreign_keys=(
                ("doc_id", "documents", "doc_id"),
                ("subject_entity_id", "entities", "entity_id"),
                ("object_entity_id", "entities", "entity_id"),
            ),
        ),
        Table(
            "rejects",
            "Inputs that did not become documents, and why.",
            (
                C("source", "string", "Input path relative to its input root, with !member, :line N, :row N", True),
                C("stage", "label", "Stage that rejected it (ingest, dedupe, nlp)", True),
                C("reason", "string", "Short reason", True),
                C("detail", "string", "Details for the person fixing the input"),
            ),
            order_by=("source", "reason"),
        ),
    )
}

# Columns computed by the runner at the end, never by a batch.
AGGREGATE_TABLES = ("entities", "aliases", "places")
BATCH_TABLES = [name for name in TABLES if name not in AGGREGATE_TABLES]
# Row keys the built-in stages use between themselves and never write; keys starting with "_" are private too.
INTERNAL_FIELDS = {"mentions": ("value",)}
# The built-in tables; TABLES is these plus what the configured stages declare (see extend_schema).
BUILT_IN_TABLES = dict(TABLES)


class SchemaError(ValueError):
    """A stage's declaration clashes with the output schema (one line)."""


def extend_schema(columns: dict[str, list[Column]], tables: list[Table]) -> None:
    """Make ``TABLES`` the built-in tables plus ``columns`` (added to existing tables) and new ``tables``.

    Called with the declarations of the configured stages (``pipeline.normalise.stages``), in every
    process that processes or publishes batches; calling it again starts from the built-in tables.
    """
    extended = dict(BUILT_IN_TABLES)
    for name, extra in columns.items():
        if name not in extended or name in AGGREGATE_TABLES:
            valid = ", ".join(t for t in extended if t not in AGGREGATE_TABLES)
            raise SchemaError(f"a stage declares columns for the table {name!r}; stages can add columns to {valid}")
        table = extended[name]
        for column in extra:
            _check_column(column, table.names, name)
        extended[name] = replace(table, columns=table.columns + tuple(extra))
    for table in tables:
        if table.name in extended:
            raise SchemaError(f"a stage declares the table {table.name!r}, which already exists")
        if not table.name.isidentifier() or not table.name.islower():
            raise SchemaError(f"table name {table.name!r} must be lower-case letters, digits and _")
        seen: list[str] = []
        for column in table.columns:
            _check_column(column, seen, table.name)
            seen.append(column.name)
        extended[table.name] = table
    TABLES.clear()
    TABLES.update(extended)
    BATCH_TABLES[:] = [name for name in TABLES if name not in AGGREGATE_TABLES]


def _check_column(column: Column, existing: list[str], table: str) -> None:
    if column.kind not in _ARROW:
        raise SchemaError(f"column {table}.{column.name}: type {column.kind!r} is not one of {', '.join(_ARROW)}")
    if column.name in existing:
        raise SchemaError(f"column {table}.{column.name} already exists")
    if not column.name.isidentifier() or column.name.startswith("_"):
        raise SchemaError(f"column name {column.name!r} must be letters, digits and _ (not leading)")


def undeclared_fields(tables: dict[str, list[dict]]) -> set[str]:
    """``table.field`` of every row key and table the schema does not declare (they are not written)."""
    found: set[str] = set()
    for name, rows in tables.items():
        if name not in TABLES:
            if rows:
                found.add(f"{name} (table)")
            continue
        known = set(TABLES[name].names) | set(INTERNAL_FIELDS.get(name, ()))
        for row in rows:
            found |= {f"{name}.{key}" for key in row if key not in known and not key.startswith("_")}
    return found


class _PandasUnimportable:
    """A ``sys.meta_path`` finder that makes ``import pandas`` fail (see :func:`convert_without_pandas`)."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("pandas is not needed to convert rows to Arrow")


_converted_once = False


def convert_without_pandas() -> None:
    """Make pyarrow's first conversion of Python objects with pandas unimportable, once per process.

    pyarrow imports pandas on its first conversion (0.4 s of a one-document run, apache/arrow#34994) only to ask
    whether the objects are pandas ones; rows never are. After a failed import it takes pandas as absent for that
    question, and still imports it when a table is converted *to* pandas (the CSV writer). Called by the CLI only, in
    the process it owns: in someone else's process ``pa.array(series)`` would then read a pandas Series as a plain
    sequence until pyarrow next imports pandas. Where pandas is imported already nothing is done.
    """
    global _converted_once
    if _converted_once:
        return
    _converted_once = True
    if "pandas" in sys.modules:
        return
    finder = _PandasUnimportable()
    sys.meta_path.insert(0, finder)
    try:
        pa.array([0])
    finally:
        sys.meta_path.remove(finder)


def to_arrow(table: Table, rows: list[dict]) -> pa.Table:
    """Rows (dicts; missing keys are null) to an Arrow table of the declared schema."""
    columns = {name: [row.get(name) for row in rows] for name in table.names}
    return pa.table(
        {
            c.name: pa.array(columns[c.name], type=_ARROW[c.kind] if c.kind != "label" else pa.string())
            for c in table.columns
        }
    ).cast(table.arrow_schema())


def pandas_csv_options(table: str) -> dict:
    """``pd.read_csv(out / "entities.csv", **pandas_csv_options("entities"))``: typed columns from a CSV."""
    return TABLES[table].pandas_csv_options()
