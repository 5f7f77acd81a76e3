"""The Python API: the whole extraction on texts, returning the tables ``pressewerk run`` writes.

    import pipeline
    tables = pipeline.extract(["Die Polizei Berlin meldete am 9. Dezember 2019 ..."])
    tables.mentions  # a pandas DataFrame, typed as in mentions.parquet

Texts pass the same steps as in ``pressewerk run``: ingest checks (a text that cannot be
a document becomes a ``rejects`` row), :meth:`pipeline.runner.BatchProcessor.process` per
batch (model, rules, components, normaliser stages), then the run's publishing step
(entities, aliases, fuzzy clusters, places) into a temporary folder that is read back.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.ingest import Document, IngestError, Reject
from pipeline.settings import DEFAULT_CONFIG, Settings

TextInput = str | Document | Mapping[str, Any]


class Tables(dict):
    """The output tables by name (``documents``, ``mentions``, ``entities``, ...), as pandas DataFrames.

    Tables are also attributes: ``tables.mentions`` is ``tables["mentions"]``.
    """

    def __getattr__(self, name: str) -> pd.DataFrame:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"no table {name!r}; tables: {', '.join(self)}") from None


def _items(texts: Iterable[TextInput], settings: Settings) -> Iterator[Document | Reject]:
    """Documents (or rejects) from plain strings, :class:`Document` objects or mappings with text/title/date/id."""
    from pipeline.ingest.formats import build_document

    for number, value in enumerate(texts):
        if isinstance(value, Document):
            yield value
            continue
        record = {"text": value} if isinstance(value, str) else dict(value)
        source = str(record.get("id") or f"text:{number}")
        try:
            text = record.get("text")
            if not isinstance(text, str):
                raise IngestError("no text", f"expected a string, got {type(text).__name__}")
            yield build_document(
                source, source, text, settings.ingest, title=record.get("title"), published=record.get("date")
            )
        except IngestError as error:
            yield Reject(source, "ingest", error.reason, error.detail)


def extract(
    texts: Iterable[TextInput],
    *,
    model: str | None = None,
    rules: Iterable[str | Path] = (),
    reference_date: date | None = None,
    config: str | Path | None = None,
    settings: Settings | None = None,
) -> Tables:
    """Run the whole extraction on ``texts`` and return every output table as a pandas DataFrame.

    ``texts``: strings, :class:`~pipeline.ingest.Document` objects, or mappings with ``text`` and
    optionally ``title``, ``date`` (YYYY-MM-DD) and ``id``. ``model``, ``rules`` (extra rule folders),
    ``reference_date`` and ``config`` are the options of ``pressewerk run``; ``settings`` replaces them all.
    Invalid rules or config names raise before any text is processed (``RuleError``, ``ConfigError``).
    """
    from pipeline.nlp.rules import load_rules
    from pipeline.runner import BatchProcessor, make_batches, undeclared_warnings
    from pipeline.sinks.parts import commit_batch, stage_batch
    from pipeline.sinks.publish import publish
    from pipeline.sinks.schema import TABLES

    if settings is None:
        settings = Settings.from_config(Path(config or DEFAULT_CONFIG), model=model, reference_date=reference_date)
        settings.rules = settings.rules + [str(r) for r in rules]
    load_rules([Path(r) for r in settings.rules])
    settings.validate()
    processor = BatchProcessor(settings)
    undeclared: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="pressewerk-") as folder:
        out = Path(folder)
        for batch in make_batches(_items(texts, settings), settings.batch_docs):
            staged = stage_batch(out, processor.process(batch))
            undeclared |= staged.undeclared
            commit_batch(out, batch.number, staged)
        publish(out, {"parquet"})
        for message in undeclared_warnings(undeclared):
            warnings.warn(message, stacklevel=2)
        return Tables({name: pd.read_parquet(out / f"{name}.parquet") for name in TABLES})
