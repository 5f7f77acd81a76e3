"""Seconds per stage of a run: ingest, the tokenizer and each spaCy component, each normaliser, writing.

:class:`Timings` adds up seconds under stage names; worker processes send theirs back with each batch
and the runner merges them into ``run.json``. :func:`timed_pipe` is ``nlp.pipe`` (spaCy's own
single-process code path, so the Docs are the same) with each component timed on its own: a
component's time is the time spent pulling documents through it minus the time of the components
before it, which it pulls through.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import _pipe

TOKENIZER = "nlp.tokenizer"


def _tokenised(nlp: Language, text: str | Doc) -> Doc:
    """The tokenizer's Doc of ``text``, which keeps ``text`` for :func:`pipeline.nlp.doc_text.doc_text`."""
    from pipeline.nlp.doc_text import remember_text  # here: importing pipeline.nlp loads every component

    return remember_text(nlp._ensure_doc(text), text) if isinstance(text, str) else text


class Timings:
    """Seconds per stage name, added up."""

    def __init__(self, seconds: dict[str, float] | None = None) -> None:
        self.seconds: dict[str, float] = dict(seconds or {})

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def merge(self, other: dict[str, float]) -> None:
        for name, seconds in other.items():
            self.add(name, seconds)

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - started)

    def take(self) -> dict[str, float]:
        """The seconds so far, and start again from zero (what a worker sends back per batch)."""
        seconds, self.seconds = self.seconds, {}
        return seconds

    def rounded(self, digits: int = 3) -> dict[str, float]:
        return {name: round(seconds, digits) for name, seconds in self.seconds.items()}


class TimedIterator:
    """Adds the seconds spent in ``next()`` of ``items`` to ``timings[name]`` (inclusive of what it pulls)."""

    def __init__(self, items: Iterable[Any], timings: Timings, name: str) -> None:
        self.items, self.timings, self.name = iter(items), timings, name

    def __iter__(self) -> TimedIterator:
        return self

    def __next__(self) -> Any:
        started = time.perf_counter()
        try:
            return next(self.items)
        finally:
            self.timings.add(self.name, time.perf_counter() - started)


def timed_pipe(nlp: Language, texts: Iterable[str], batch_size: int, timings: Timings) -> Iterator[Doc]:
    """``nlp.pipe(texts, batch_size=batch_size)`` in one process, the seconds of each component in ``timings``."""
    inclusive = Timings()
    names = [TOKENIZER]
    docs: Iterable[Doc] = TimedIterator((_tokenised(nlp, text) for text in texts), inclusive, TOKENIZER)
    for name, proc in nlp.pipeline:
        docs = _pipe(
            docs,
            proc=proc,
            name=name,
            default_error_handler=nlp.default_error_handler,
            kwargs={"batch_size": batch_size},
        )
        names.append(f"nlp.{name}")
        docs = TimedIterator(docs, inclusive, names[-1])
    try:
        yield from docs
    finally:
        before = 0.0
        for name in names:
            spent = inclusive.seconds.get(name, 0.0)
            timings.add(name, spent - before)
            before = spent
