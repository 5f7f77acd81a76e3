"""``pressewerk show``: a displaCy page of one document's entities, dates and times."""

from __future__ import annotations

import json
from pathlib import Path

from spacy import displacy

from pipeline.ingest import IngestOptions, iter_items
from pipeline.ingest.document import Document
from pipeline.ingest.sources import locate_source


def _document_from_out(doc_id: str, out: Path) -> Document:
    import duckdb

    table = out / "documents.parquet"
    if not table.is_file():
        raise FileNotFoundError(f"no {table}: run `pressewerk run ... --out {out}` first or pass a file")
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


def render_document(document: Document, model: str | None = None) -> str:
    from pipeline.runner import BatchProcessor
    from pipeline.settings import Settings

    settings = Settings.from_config(model=model)
    processor = BatchProcessor(settings)
    doc = processor.nlp(document.text)
    rows = processor.extract(document, doc)["mentions"]
    spans = [{"start": m["start_char"], "end": m["end_char"], "label": m["label"]} for m in rows]
    payload = {
        "text": document.text,
        "ents": sorted(spans, key=lambda s: s["start"]),
        "title": document.title or document.source,
    }
    colors = {
        "DATE": "#c7e9c0",
        "TIME": "#a1d99b",
        "PER": "#fdd0a2",
        "ORG": "#c6dbef",
        "LOC": "#fcbba1",
        "MISC": "#e5e5e5",
    }
    return displacy.render(payload, style="ent", manual=True, page=True, options={"colors": colors})


def render_target(target: str, out: Path, model: str | None = None) -> str:
    """Render a file's first document, or a doc_id from a run's output folder."""
    path = Path(target)
    if path.exists():
        for item in iter_items([target], IngestOptions()):
            if isinstance(item, Document):
                return render_document(item, model)
        raise KeyError(f"{target} holds no readable document")
    return render_document(_document_from_out(target, out), model)
