"""Normaliser stages: an ordered list of small steps each document passes.

A stage is a callable taking and returning an :class:`Extraction`. Adding one is
one class plus one line in the ``[normalise] stages`` list of the config. Stages
from other packages register through the entry point group ``pressewerk.stages``
(``name = "module:factory"``) or by calling :func:`register_stage` on import.

A stage that writes new fields declares them, with their types, as attributes of
its factory (or through ``register_stage(name, columns=..., tables=...)``):
``columns = {"mentions": [Column("polarity", "number", "...")]}`` adds columns to a
built-in table (documents: keys of ``item.fields``; mentions, contacts, quotes, ...),
``tables = [Table("sentiments", "...", (Column(...), ...))]`` adds tables (rows via
``item.rows("sentiments")``). Declared columns and tables reach Parquet, CSV, DuckDB
and ``datapackage.json``; a field or table nobody declared is not written, and the run
warns once (``run.json`` warnings and the summary).
"""

from __future__ import annotations

import difflib
import importlib.metadata
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from spacy.tokens import Doc

from pipeline.ingest.document import Document
from pipeline.timing import Timings

ENTRY_POINT_GROUP = "pressewerk.stages"


@dataclass
class Extraction:
    """Everything known about one document while it passes the stages."""

    document: Document
    doc: Doc
    reference_date: Any = None
    mentions: list[dict[str, Any]] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    fields: dict[str, Any] = field(default_factory=dict)

    def rows(self, table: str) -> list[dict[str, Any]]:
        """The rows of an extra table (contacts, quotes, ...), created on first use."""
        return self.tables.setdefault(table, [])


class ConfigError(ValueError):
    """A mistake in the pipeline config (unknown stage or component); the message is one line."""


def unknown_name(kind: str, name: str, valid: list[str], where: str = "") -> ConfigError:
    """``unknown normaliser stage 'datse' in [normalise] stages; did you mean 'dates'? valid: ...``."""
    close = difflib.get_close_matches(name, valid, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return ConfigError(f"unknown {kind} {name!r}{f' in {where}' if where else ''}{hint}; valid: {', '.join(valid)}")


class Stage(Protocol):
    def __call__(self, item: Extraction) -> Extraction: ...


_REGISTRY: dict[str, Callable[..., Stage]] = {}


def register_stage(
    name: str, *, columns: dict[str, list[Any]] | None = None, tables: list[Any] | None = None
) -> Callable[[Callable[..., Stage]], Callable[..., Stage]]:
    """Decorator: make a stage factory available under ``name`` in the config.

    ``columns`` (table name -> list of :class:`~pipeline.sinks.schema.Column`) and ``tables``
    (list of :class:`~pipeline.sinks.schema.Table`) declare what the stage adds to the output.
    """

    def decorate(factory: Callable[..., Stage]) -> Callable[..., Stage]:
        if columns is not None:
            factory.columns = columns  # type: ignore[attr-defined]
        if tables is not None:
            factory.tables = tables  # type: ignore[attr-defined]
        _REGISTRY[name] = factory
        return factory

    return decorate


@cache
def _load_entry_points() -> None:
    """Register the stages of installed plugins, once per process (scanning the installed packages costs ~20 ms)."""
    for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry.name not in _REGISTRY:
            _REGISTRY[entry.name] = entry.load()


def registered_stages() -> list[str]:
    _load_entry_points()
    return sorted(_REGISTRY)


def check_stage_names(names: list[str], where: str = "[normalise] stages") -> None:
    """Raise :class:`ConfigError` for the first name that is not a registered stage."""
    from pipeline import normalise  # noqa: F401  (registers the built-in stages)

    _load_entry_points()
    for name in names:
        if name not in _REGISTRY:
            raise unknown_name("normaliser stage", name, sorted(_REGISTRY), where)


def apply_stage_schema(names: list[str]) -> None:
    """Extend the output schema by the columns and tables the stages ``names`` declare."""
    from pipeline.sinks.schema import SchemaError, extend_schema

    check_stage_names(names)
    columns: dict[str, list[Any]] = {}
    tables: list[Any] = []
    for name in names:
        factory = _REGISTRY[name]
        declared = getattr(factory, "columns", None) or {}
        try:
            if not isinstance(declared, dict) or not isinstance(getattr(factory, "tables", None) or [], list | tuple):
                raise SchemaError("'columns' must map table names to lists of Column, 'tables' be a list of Table")
            for table, extra in declared.items():
                columns.setdefault(table, []).extend(extra)
            tables.extend(getattr(factory, "tables", None) or [])
            extend_schema(columns, tables)
        except SchemaError as error:
            raise ConfigError(f"stage {name!r}: {error}") from error


def build_stages(names: list[str], settings: dict[str, dict[str, Any]] | None = None) -> list[Stage]:
    """Instantiate the configured stages in order (their declared columns join the schema); unknown names are a
    config error."""
    from pipeline import normalise  # noqa: F401  (registers the built-in stages)

    _load_entry_points()
    settings = settings or {}
    apply_stage_schema(names)
    return [_REGISTRY[name](**settings.get(name, {})) for name in names]


def run_stages(
    stages: list[Stage], item: Extraction, timings: Timings | None = None, names: list[str] | None = None
) -> Extraction:
    """Pass ``item`` through ``stages``; with ``timings``, each stage's seconds go to ``normalise.<name>``."""
    if timings is None:
        for stage in stages:
            item = stage(item)
        return item
    names = names or [type(stage).__name__ for stage in stages]
    for name, stage in zip(names, stages, strict=True):
        started = time.perf_counter()
        item = stage(item)
        timings.add(f"normalise.{name}", time.perf_counter() - started)
    return item
