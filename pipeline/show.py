"""``pressewerk show``: one document's entities, dates and times as a displaCy page.

Hovering a highlighted span shows what the tables hold for it: the resolved value
(canonical name, ISO date, time) and the entity and cluster ids. A doc_id of a run
is rendered from that run's tables (``documents.text`` and ``mentions``), so the
page shows exactly the rows a BI user sees; a file is run through the pipeline.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from spacy import displacy

from pipeline.ingest import IngestOptions, iter_items
from pipeline.ingest.document import Document
from pipeline.ingest.sources import locate_source

COLORS = {
    "DATE": "#c7e9c0",
    "TIME": "#a1d99b",
    "PER": "#fdd0a2",
    "ORG": "#c6dbef",
    "LOC": "#fcbba1",
    "MISC": "#e5e5e5",
}
# displaCy's entity template plus a title (the hover text) and the entity id as data attributes.
ENT_TEMPLATE = """
<mark class="entity" title="{hover}" data-entity-id="{entity_id}" style="background: {bg}; padding: 0.45em 0.6em; margin: 0 0.25em; line-height: 1; border-radius: 0.35em;">
    {text}
    <span style="font-size: 0.8em; font-weight: bold; line-height: 1; border-radius: 0.35em; vertical-align: middle; margin-left: 0.5rem">{label}</span>
</mark>
"""
PAGE = """<!doctype html>
<html lang="de">
<head><meta charset="utf-8"><title>{title} – Pressewerk</title></head>
<body style="font-size:16px;font-family:system-ui,sans-serif;padding:2rem 2rem 4rem;max-width:60rem;line-height:2.4">
<h1 style="font-size:1.4rem;line-height:1.3">{title}</h1>
<p style="color:#666;font-size:.85rem;line-height:1.3">{source}</p>
{content}
</body>
</html>
"""
# Mention columns that hold a resolved value, in the order they are shown.
VALUE_COLUMNS = ("name", "value", "timex_value", "value_start", "value_end", "time", "datetime")


def hover_text(mention: dict[str, Any]) -> str:
    """ "LOC · Warschauer Straße · entity 1a2b… · cluster 1a2b…": what the tables say about a mention."""
    parts = [str(mention["label"])]
    shown: set[str] = set()
    for column in VALUE_COLUMNS:
        value = mention.get(column)
        if value is not None and str(value) not in shown:  # a one-day date: value_start = value_end
            shown.add(str(value))
            parts.append(f"{column}: {value}")
    if mention.get("entity_id"):
        parts.append(f"entity_id: {mention['entity_id']}")
    if mention.get("cluster_id") and mention.get("cluster_id") != mention.get("entity_id"):
        parts.append(f"cluster_id: {mention['cluster_id']}")
    return " · ".join(parts)


def render_page(text: str, title: str, source: str, mentions: Iterable[dict[str, Any]]) -> str:
    """A self-contained German page highlighting ``mentions`` (rows with start_char, end_char, label, ...)."""
    spans = [
        {
            "start": m["start_char"],
            "end": m["end_char"],
            "label": m["label"],
            "params": {"hover": html.escape(hover_text(m), quote=True), "entity_id": m.get("entity_id") or ""},
        }
        for m in sorted(mentions, key=lambda m: (m["start_char"], -m["end_char"]))
    ]
    # displaCy cannot draw overlapping spans: keep the first (longest) of each overlap.
    kept: list[dict[str, Any]] = []
    for span in spans:
        if not kept or span["start"] >= kept[-1]["end"]:
            kept.append(span)
    content = displacy.render(
        {"text": text, "ents": kept},
        style="ent",
        manual=True,
        page=False,
        options={"colors": COLORS, "template": ENT_TEMPLATE},
    )
    return PAGE.format(title=html.escape(title), source=html.escape(source), content=content)


def render_document(document: Document, model: str | None = None) -> str:
    """Run one document through the pipeline and render its mentions."""
    from pipeline.runner import BatchProcessor
    from pipeline.settings import Settings

    processor = BatchProcessor(Settings.from_config(model=model))
    rows = processor.extract(document, processor.nlp(document.text))["mentions"]
    return render_page(document.text, document.title or document.source, document.source, rows)


def render_from_tables(doc_id: str, out: Path) -> str | None:
    """The page of a document of the run in ``out``, from its tables; None when they hold no text."""
    import duckdb

    documents, mentions = out / "documents.parquet", out / "mentions.parquet"
    if not documents.is_file() or not mentions.is_file():
        raise FileNotFoundError(f"no {documents}: run `pressewerk run ... --out {out}` first or pass a file")
    if "text" not in pq.read_schema(documents).names:  # written before documents had the text
        return None
    with duckdb.connect() as con:
        params = {"doc": doc_id}
        found = con.sql(
            f"SELECT text, title, source FROM read_parquet('{_sql_path(documents)}') WHERE doc_id = $doc", params=params
        ).fetchall()
        row = found[0] if found else None
        if row is None:
            raise KeyError(f"doc_id {doc_id} is not in {documents}")
        sql = f"SELECT * FROM read_parquet('{_sql_path(mentions)}') WHERE doc_id = $doc ORDER BY start_char"
        rows = con.sql(sql, params=params).to_arrow_table().to_pylist()
    text, title, source = row
    return render_page(text or "", title or source, source, rows)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def write_show_pages(out: Path, doc_ids: Iterable[str]) -> dict[str, Path]:
    """``out/show/<doc_id>.html`` for each document; returns the pages written.

    The same pages as :func:`render_from_tables`, with each table read once for all of them.
    """
    from pipeline.sinks import duck

    wanted = list(dict.fromkeys(doc_ids))
    documents, mentions = out / "documents.parquet", out / "mentions.parquet"
    folder = out / "show"
    folder.mkdir(exist_ok=True)
    if not wanted or not documents.is_file() or not mentions.is_file():
        return {}
    if "text" not in pq.read_schema(documents).names:  # written before documents had the text
        return {}
    with duck.cursor() as con:
        params = {"ids": wanted}
        found = con.sql(
            f"SELECT doc_id, text, title, source FROM read_parquet('{_sql_path(documents)}') "
            "WHERE list_contains($ids, doc_id)",
            params=params,
        ).fetchall()
        sql = f"SELECT * FROM read_parquet('{_sql_path(mentions)}') WHERE list_contains($ids, doc_id)"
        rows = con.sql(sql, params=params).to_arrow_table().to_pylist()
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: r["start_char"]):
        by_doc.setdefault(row["doc_id"], []).append(row)
    texts = {doc_id: (text, title, source) for doc_id, text, title, source in found}
    pages: dict[str, Path] = {}
    for doc_id in wanted:
        if doc_id not in texts:
            continue
        text, title, source = texts[doc_id]
        target = folder / f"{doc_id}.html"
        target.write_text(render_page(text or "", title or source, source, by_doc.get(doc_id, [])), encoding="utf-8")
        pages[doc_id] = target
    return pages


def _document_from_source(doc_id: str, out: Path) -> Document:
    import duckdb

    table = out / "documents.parquet"
    row = duckdb.execute("SELECT source FROM read_parquet(?) WHERE doc_id = ?", [str(table), doc_id]).fetchone()
    if row is None:
        raise KeyError(f"doc_id {doc_id} is not in {table}")
    run_info = out / "run.json"
    inputs = json.loads(run_info.read_text())["config"]["inputs"] if run_info.is_file() else []
    path = locate_source(row[0], inputs)
    if path is None:
        raise FileNotFoundError(f"the source {row[0]} of {doc_id} is not under the run's inputs {inputs}")
    for item in iter_items([str(path)], IngestOptions()):
        if isinstance(item, Document) and item.doc_id == doc_id:
            return item
    raise KeyError(f"doc_id {doc_id} no longer found in its source {row[0]}")


def render_target(target: str, out: Path, model: str | None = None) -> str:
    """Render a file's first document, or a doc_id from a run's output folder."""
    path = Path(target)
    if path.exists():
        for item in iter_items([target], IngestOptions()):
            if isinstance(item, Document):
                return render_document(item, model)
        raise KeyError(f"{target} holds no readable document")
    page = render_from_tables(target, out)
    return page if page is not None else render_document(_document_from_source(target, out), model)
