"""Normaliser stages: an ordered list of small steps each document passes.

A stage is a callable taking and returning an :class:`Extraction`. Adding one is
one class plus one line in the ``[normalise] stages`` list of the config. Stages
from other packages register through the entry point group ``pressewerk.stages``
(``name = "module:factory"``) or by calling :func:`register_stage` on import.
"""

from __future__ import annotations

import importlib.metadata
import time
from collections.abc import Callable
from dataclasses import dataclass, field
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


class Stage(Protocol):
    def __call__(self, item: Extraction) -> Extraction: ...


_REGISTRY: dict[str, Callable[..., Stage]] = {}


def register_stage(name: str) -> Callable[[Callable[..., Stage]], Callable[..., Stage]]:
    """Decorator: make a stage factory available under ``name`` in the config."""

    def decorate(factory: Callable[..., Stage]) -> Callable[..., Stage]:
        _REGISTRY[name] = factory
        return factory

    return decorate


def _load_entry_points() -> None:
    for entry in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry.name not in _REGISTRY:
            _REGISTRY[entry.name] = entry.load()


def registered_stages() -> list[str]:
    _load_entry_points()
    return sorted(_REGISTRY)


def build_stages(names: list[str], settings: dict[str, dict[str, Any]] | None = None) -> list[Stage]:
    """Instantiate the configured stages in order; unknown names are a config error."""
    from pipeline import normalise  # noqa: F401  (registers the built-in stages)

    _load_entry_points()
    settings = settings or {}
    missing = [name for name in names if name not in _REGISTRY]
    if missing:
        raise ValueError(f"unknown normaliser stage(s) {missing}; known: {sorted(_REGISTRY)}")
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
