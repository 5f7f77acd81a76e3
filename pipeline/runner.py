"""The one runner that wires ingest -> nlp -> normalise -> sinks.

Ingestion runs in the main process and cuts the stream of documents and rejects
into numbered batches (deterministic: same inputs, same batches). Each batch is
processed by a :class:`BatchProcessor` (in-process, in worker processes, or on
Dask workers) and written as one crash-safe part; finished parts are skipped when
a killed run is started again. At the end the parts become the final tables.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from spacy.attrs import IS_PUNCT, IS_SPACE

from pipeline import __version__
from pipeline.allocator import keep_freed_memory, loading_long_lived
from pipeline.ingest import Document, Reject, UsageError, iter_items
from pipeline.ingest.sources import resolve_inputs
from pipeline.nlp.model import ModelChoice
from pipeline.normalise import Extraction, build_stages, run_stages
from pipeline.settings import Settings
from pipeline.sinks.checks import output_warnings
from pipeline.sinks.parts import (
    Committer,
    StagedBatch,
    drop_batch,
    finished_batches,
    parts_dir,
    stage_batch,
)
from pipeline.sinks.publish import (
    RUN_FILES,
    drop_unrequested,
    previous_files,
    publish,
    remove_stale_files,
    table_files,
)
from pipeline.sinks.schema import BATCH_TABLES, TABLES, to_arrow
from pipeline.timing import TOKENIZER, TimedIterator, Timings, timed_pipe

Item = Document | Reject
PRIVATE_KEYS = ("_span",)


class RunConflict(Exception):
    """The output folder holds a different run (resume refused; use --force)."""


@dataclass
class Batch:
    number: int
    items: list[Item]


@dataclass
class RunStats:
    inputs: int = 0
    documents: int = 0
    rejects: int = 0
    duplicates: int = 0
    batches: int = 0
    skipped_batches: int = 0
    words: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    removed_files: list[str] = field(default_factory=list)


def make_batches(items: Iterable[Item], batch_docs: int, limit: int | None = None) -> Iterator[Batch]:
    """Numbered batches; duplicates (same doc_id) become rejects in the batch they appear."""
    seen: dict[str, str] = {}
    current: list[Item] = []
    number = 0
    documents = 0
    for item in items:
        if isinstance(item, Document):
            if limit is not None and documents >= limit:
                break
            first = seen.get(item.doc_id)
            if first is not None:
                item = Reject(item.source, "dedupe", "duplicate document", f"same doc_id {item.doc_id} as {first}")
            else:
                seen[item.doc_id] = item.source
                documents += 1
        current.append(item)
        if sum(isinstance(i, Document) for i in current) >= batch_docs or len(current) >= batch_docs * 4:
            yield Batch(number, current)
            number += 1
            current = []
    if current:
        yield Batch(number, current)


def batch_fingerprint(batch: Batch) -> str:
    """A hash of everything the batch's rows are made from: a resumed run reuses a part only if it matches."""
    digest = hashlib.blake2b(digest_size=16)
    for item in batch.items:
        if isinstance(item, Document):
            fields = (
                item.doc_id, item.source, item.title, item.published, item.dateline_place, item.dateline_district,
                item.dateline_detail, item.encoding, item.format, item.page_starts,
            )  # fmt: skip
        else:
            fields = (item.source, item.stage, item.reason, item.detail)
        digest.update(repr(fields).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _n_words(doc: Any) -> int:
    """Word tokens (not punctuation or white space), counted on the Doc's arrays."""
    if not len(doc):
        return 0
    flags = doc.to_array([IS_PUNCT, IS_SPACE])
    return int(len(doc) - (flags.sum(axis=1) > 0).sum())


class MemoryZone:
    """One spaCy memory zone kept open over several batches, closed after ``docs`` documents.

    Word forms a zone adds to the vocabulary are freed when it closes, so memory stays flat over any number of
    documents. Inside a zone spaCy caches nothing: every word form is split into tokens and gets its lexeme anew in
    each zone. So the first ``permanent_strings`` strings a run adds are kept for good, like the model's own vocabulary
    (the frequent words of an archive come first, and stay tokenised and cached), and zones start only once the
    vocabulary has grown by that much: memory is bounded by that budget plus one zone. spaCy zones must not nest:
    every other ``memory_zone`` of the processor closes this one first.
    """

    def __init__(self, nlp: Any, docs: int, permanent_strings: int = 0) -> None:
        self.nlp, self.docs = nlp, max(1, docs)
        self.permanent_strings = max(0, permanent_strings)
        self._base = len(nlp.vocab.strings)
        self._stack: ExitStack | None = None
        self._seen = 0

    def enter(self) -> None:
        """Open a zone unless one is open or the permanent vocabulary is still filling up."""
        if self._stack is None and len(self.nlp.vocab.strings) - self._base >= self.permanent_strings:
            stack = ExitStack()
            stack.enter_context(self.nlp.memory_zone())
            self._stack, self._seen = stack, 0

    def count(self, documents: int) -> None:
        """Documents done in the open zone; closes it once it has seen enough."""
        self._seen += documents
        if self._seen >= self.docs:
            self.close()

    def close(self) -> None:
        """Free the zone's word forms (nothing made inside it may be used afterwards)."""
        if self._stack is not None:
            stack, self._stack = self._stack, None
            stack.close()


class BatchProcessor:
    """Turns a batch into table rows; one per process, the model loaded once."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.timings = Timings()  # seconds per component and stage; workers send them back per batch
        keep_freed_memory(settings.keep_freed_mb)  # in every process that extracts: this one, a pool or Dask worker
        with loading_long_lived():  # model, rules and tables live as long as the process
            with self.timings.timed("load_nlp"):
                from pipeline.nlp import build_nlp

                self.nlp, self.model_choice = build_nlp(
                    settings.model,
                    settings.rules,
                    settings.components,
                    settings.rules_before_model,
                    settings.overwrite_ents,
                )
            self.model_name = f"{self.nlp.meta.get('name', self.model_choice.name)}-{self.nlp.meta.get('version', '0')}"
            with self.timings.timed("load_stages"):
                self.stages = build_stages(settings.stages, {"dates": {"reference_date": settings.reference_date}})
        self.zone = MemoryZone(self.nlp, settings.memory_zone_docs, settings.permanent_strings)

    def extract(self, document: Document, doc: Any) -> dict[str, list[dict]]:
        """All table rows of one document from its processed Doc."""
        item = Extraction(document=document, doc=doc, reference_date=self.settings.reference_date)
        item = run_stages(self.stages, item, self.timings, self.settings.stages)
        mentions = [
            {**{k: v for k, v in m.items() if k not in PRIVATE_KEYS}, "page": document.page_of(m["start_char"])}
            for m in item.mentions
        ]
        row = {
            "doc_id": document.doc_id,
            "source": document.source,
            "title": document.title,
            "published": document.published,
            "dateline_place": document.dateline_place,
            "dateline_district": document.dateline_district,
            "dateline_detail": document.dateline_detail,
            "encoding": document.encoding,
            "format": document.format,
            "language": "de",
            "status": "ok",
            "text": document.text,
            "n_chars": len(document.text),
            "n_words": _n_words(doc),
            "model": self.model_name,
            "pipeline_version": __version__,
            **item.fields,
        }
        tables = {"documents": [row], "mentions": mentions}
        for name, rows in item.tables.items():
            tables.setdefault(name, []).extend(rows)
        return tables

    def warmed_up(self) -> BatchProcessor:
        """Run one short German text through everything, so lazy tables (gazetteer, ...) are loaded now.

        Its rows are converted to Arrow too (not written): workers forked after this inherit pyarrow's conversion
        code ready (and pandas, where pyarrow imported it: the CLI's own process does not,
        :func:`pipeline.sinks.schema.convert_without_pandas`).
        """
        self.zone.close()
        text = "Die Polizei Berlin meldete am 9. Dezember 2019 um 15 Uhr einen Einsatz in Neukölln."
        with loading_long_lived(), self.nlp.memory_zone():
            tables = self.extract(Document(doc_id="warm-up", source="warm-up", text=text), self.nlp(text))
            for name in BATCH_TABLES:
                to_arrow(TABLES[name], tables.get(name, []))
        return self

    def _process_one(self, document: Document) -> dict[str, list[dict]]:
        try:
            return self.extract(document, self.nlp(document.text))
        except Exception as error:  # one bad document must not stop the run
            return {
                "rejects": [
                    {
                        "source": document.source,
                        "stage": "nlp",
                        "reason": "processing failed",
                        "detail": f"{type(error).__name__}: {error}",
                    }
                ]
            }

    def process(self, batch: Batch) -> dict[str, list[dict]]:
        tables: dict[str, list[dict]] = {"rejects": []}
        documents = []
        for item in batch.items:
            if isinstance(item, Reject):
                tables["rejects"].append(
                    {"source": item.source, "stage": item.stage, "reason": item.reason, "detail": item.detail}
                )
            else:
                documents.append(item)
        results: list[dict[str, list[dict]]] = []
        try:
            self.zone.enter()
            texts = (d.text for d in documents)
            docs = timed_pipe(self.nlp, texts, self.settings.pipe_batch_size, self.timings)
            results = [self.extract(document, doc) for document, doc in zip(documents, docs, strict=True)]
            self.zone.count(len(documents))
        except Exception:
            # Find the document that failed: process one by one, each failure becomes a reject.
            self.zone.close()
            results = []
            for document in documents:
                with self.nlp.memory_zone():
                    results.append(self._process_one(document))
        for result in results:
            for name, rows in result.items():
                tables.setdefault(name, []).extend(rows)
        return tables


_WORKER: tuple[BatchProcessor, Path] | None = None


def _init_worker(settings: Settings | None, out: Path) -> None:
    """Pool initializer: with ``fork`` the parent's warmed-up processor is inherited, else it is built here."""
    global _WORKER
    processor = _WORKER[0] if _WORKER is not None and settings is None else BatchProcessor(settings)
    _WORKER = (processor, out)


def _process_in_worker(batch: Batch) -> tuple[int, StagedBatch, dict[str, float]]:
    """Process and stage one batch in a worker; only the small summary and its timings travel back."""
    assert _WORKER is not None
    processor, out = _WORKER
    return batch.number, *_process_and_stage(processor, batch, out)


def _process_and_stage(processor: BatchProcessor, batch: Batch, out: Path) -> tuple[StagedBatch, dict[str, float]]:
    """Rows of one batch written as its part files, and the seconds this took per stage."""
    tables = processor.process(batch)
    with processor.timings.timed("write_parts"):
        staged = stage_batch(out, tables)
    return staged, processor.timings.take()


def _pool_context() -> tuple[BaseContext, bool]:
    """``fork`` where the platform has it (workers inherit the loaded model), else ``spawn``."""
    if "fork" in get_all_start_methods():
        return get_context("fork"), True
    return get_context("spawn"), False


def run_local(
    batches: Iterable[Batch],
    settings: Settings,
    workers: int,
    out: Path,
    on_result: Callable[[int, StagedBatch, dict[str, float]], None],
    timings: Timings | None = None,
) -> None:
    """Process batches in this process (1 worker) or in a pool of worker processes.

    With ``fork`` the model is loaded and warmed up once, here, and each worker starts
    with its own copy-on-write copy; with ``spawn`` each worker loads it once. Workers
    write their batch's part files themselves; this process only publishes them
    (rename + manifest), so the manifest has one writer.
    """
    global _WORKER
    if workers <= 1:
        processor = BatchProcessor(settings)
        for batch in batches:
            on_result(batch.number, *_process_and_stage(processor, batch, out))
        return
    context, inherits = _pool_context()
    if inherits:
        _WORKER = (BatchProcessor(settings).warmed_up(), out)
        loading = _WORKER[0].timings.take()  # the workers inherit the loaded model: counted once, here
        if timings is not None:
            timings.merge(loading)
    initargs = (None if inherits else settings, out)
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=initargs) as pool:
            pending: set[Future] = set()
            for batch in batches:
                pending.add(pool.submit(_process_in_worker, batch))
                if len(pending) >= workers * 2:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        on_result(*future.result())
            for future in pending:
                on_result(*future.result())
    finally:
        _WORKER = None


@dataclass
class RunOptions:
    inputs: list[str]
    out: Path
    formats: set[str]
    workers: int = 1
    limit: int | None = None
    force: bool = False
    excel: bool = False
    engine: str = "local"
    scheduler: str | None = None
    csv_text: bool = False
    report: bool = True


def check_output_folder(out: Path) -> None:
    """Raise :class:`UsageError` unless ``out`` is (or can be made) a folder this process can write into."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as error:
        raise UsageError(f"cannot write to the output folder {out}: {error.strerror or error}") from error


def _check_resume(out: Path, settings: Settings, options: RunOptions) -> dict[int, str]:
    """Finished batches (number -> fingerprint) of the run in ``out``; a new marker when there is none."""
    marker = parts_dir(out) / "run-config.json"
    fingerprint = {"settings": settings.fingerprint(), "inputs": options.inputs, "limit": options.limit}
    if options.force and out.exists():
        shutil.rmtree(parts_dir(out), ignore_errors=True)
    if marker.is_file():
        try:
            previous = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise RunConflict(f"the resume marker {marker} is damaged ({error}); use --force to start over") from error
        if previous != fingerprint:
            raise RunConflict(f"{out} holds the parts of a different run; use --force to start over")
        return finished_batches(out)
    parts_dir(out).mkdir(parents=True, exist_ok=True)
    tmp = marker.with_suffix(".tmp")
    tmp.write_text(json.dumps(fingerprint), encoding="utf-8")
    os.replace(tmp, marker)
    return {}


def run(settings: Settings, options: RunOptions, progress: Callable[[RunStats], None] | None = None) -> RunStats:
    """Run the whole pipeline; returns counts. Raises RunConflict / UsageError / RuleError early."""
    started = time.perf_counter()
    out = options.out
    resolve_inputs(options.inputs)  # a missing input is a usage error before any work
    check_output_folder(out)
    earlier_files = previous_files(out)
    done = _check_resume(out, settings, options)
    stats = RunStats()
    timings = Timings()
    # Validate rules and model before reading any document.
    from pipeline.nlp.model import resolve_model
    from pipeline.nlp.rules import load_rules

    load_rules([Path(r) for r in settings.rules])
    settings.validate()
    choice = resolve_model(settings.model)

    def count(batch: Batch) -> Batch:
        for item in batch.items:
            stats.inputs += 1
            if isinstance(item, Document):
                stats.documents += 1
            else:
                stats.rejects += 1
                stats.duplicates += item.stage == "dedupe"
        return batch

    fingerprints: dict[int, str] = {}

    def todo() -> Iterator[Batch]:
        items = iter_items(options.inputs, settings.ingest, exclude=[out])
        for batch in TimedIterator(make_batches(items, settings.batch_docs, options.limit), timings, "ingest"):
            count(batch)
            stats.batches += 1
            fingerprints[batch.number] = batch_fingerprint(batch)
            if done.get(batch.number) == fingerprints[batch.number]:
                stats.skipped_batches += 1
                continue
            if batch.number in done:  # its inputs changed since the part was written
                drop_batch(out, batch.number)
            yield batch

    undeclared: set[str] = set()
    committer = Committer(out)

    def on_result(number: int, staged: StagedBatch, seconds: dict[str, float]) -> None:
        timings.merge(seconds)
        undeclared.update(staged.undeclared)
        with timings.timed("write_parts"):
            committer.submit(number, staged, fingerprints[number])
        stats.words += staged.n_words
        if progress:
            progress(stats)

    t0 = time.perf_counter()
    try:
        if options.engine == "dask":
            from pipeline.engines.dask_engine import run_dask

            run_dask(
                todo(),
                settings,
                options.scheduler,
                options.workers,
                lambda n, tables, seconds: on_result(n, stage_batch(out, tables), seconds),
            )
        else:
            run_local(todo(), settings, options.workers, out, on_result, timings)
    finally:
        with timings.timed("write_parts"):
            committer.close()  # every staged batch committed, also when the run stops early
    for number in set(done) - set(fingerprints):  # parts of records the inputs no longer hold
        drop_batch(out, number)
    stats.timings["process_s"] = round(time.perf_counter() - t0, 3)
    t1 = time.perf_counter()
    with timings.timed("publish"):
        counts = publish(out, options.formats, options.excel, options.csv_text)
        stats.warnings = output_warnings(out, counts) + undeclared_warnings(undeclared)
    stats.timings["publish_s"] = round(time.perf_counter() - t1, 3)
    stats.timings["total_s"] = round(time.perf_counter() - started, 3)
    stats.timings["stages"] = stage_table(timings, settings)
    write_run_json(out, settings, options, stats, counts, choice)
    pages: list[Path] = []
    if options.report:  # reads run.json; run.json is written again with the report's seconds
        with timings.timed("report"):
            from pipeline.sinks.report import write_report

            pages = write_report(out)
        stats.timings["total_s"] = round(time.perf_counter() - started, 3)
        stats.timings["stages"] = stage_table(timings, settings)
        write_run_json(out, settings, options, stats, counts, choice)
    drop_unrequested(out, options.formats)
    files = table_files(options.formats, TABLES) + [f for f in RUN_FILES if options.report or f != "report.html"]
    files += [page.relative_to(out).as_posix() for page in pages[1:]]
    stats.removed_files = remove_stale_files(out, files, earlier_files, TABLES)
    write_run_json(out, settings, options, stats, counts, choice, sorted(files))
    if progress:
        progress(stats)
    return stats


def undeclared_warnings(undeclared: set[str]) -> list[str]:
    """One warning naming every field or table a stage wrote without declaring it (they are not in the output)."""
    if not undeclared:
        return []
    return [
        f"not written, no stage declared them: {', '.join(sorted(undeclared))} "
        "(declare columns and tables on the stage, see pipeline/normalise/stages.py)"
    ]


def stage_table(timings: Timings, settings: Settings) -> dict[str, Any]:
    """Seconds per stage in pipeline order, and each one's share of all measured seconds.

    ``model`` is the tokenizer plus the components of the model itself (every spaCy component that is
    neither a rule component nor a configured Pressewerk component). With several workers the seconds
    are added over the workers, so they can exceed the wall-clock ``total_s``.
    """
    from pipeline.nlp.rules import RULER_NAME

    order = ("ingest", "load", "nlp.tokenizer", "nlp.", "normalise.", "write_parts", "publish", "report")
    rank = {name: next((i for i, p in enumerate(order) if name.startswith(p)), len(order)) for name in timings.seconds}
    rounded = timings.rounded()
    seconds = {name: rounded[name] for name in sorted(rank, key=rank.__getitem__)}  # a stable sort: pipe order
    own = {f"nlp.{name}" for name in [*settings.components, RULER_NAME]}
    model = [name for name in seconds if name == TOKENIZER or (name.startswith("nlp.") and name not in own)]
    total = sum(seconds.values()) or 1.0
    model_seconds = sum(seconds[name] for name in model)
    return {
        "seconds": seconds,
        "model_components": model,
        "model_s": round(model_seconds, 3),
        "model_share": round(model_seconds / total, 4),
        "shares": {name: round(value / total, 4) for name, value in seconds.items() if name not in model},
    }


def _count_merges(path: Path) -> Counter[str]:
    """Rows of ``merges.csv`` by ``joined_as`` (``spelling``, ``short form``)."""
    if not path.is_file():
        return Counter()
    with path.open(encoding="utf-8", newline="") as handle:
        return Counter(row.get("joined_as", "spelling") for row in csv.DictReader(handle))


def write_run_json(
    out: Path,
    settings: Settings,
    options: RunOptions,
    stats: RunStats,
    counts: dict,
    choice: ModelChoice,
    files: list[str] | None = None,
) -> None:
    """``run.json``: version, model, config, counts, timings, warnings and the files the run wrote."""
    location = choice.location
    meta_path = Path(location) / "meta.json"
    meta = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
    merges = _count_merges(out / "merges.csv")
    info = {
        "pipeline_version": __version__,
        "model": {"name": meta.get("name", choice.name), "version": meta.get("version"), "location": location},
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "config": {
            "inputs": options.inputs,
            "formats": sorted(options.formats),
            "workers": options.workers,
            "engine": options.engine,
            "limit": options.limit,
            "excel": options.excel,
            "stages": settings.stages,
            "components": settings.components,
            "rules": settings.rules,
            "batch_docs": settings.batch_docs,
            "reference_date": settings.reference_date.isoformat()
            if isinstance(settings.reference_date, date)
            else None,
        },
        "counts": {
            "inputs": stats.inputs,
            "documents": stats.documents,
            "rejects": stats.rejects,
            "duplicates": stats.duplicates,
            "batches": stats.batches,
            "resumed_batches": stats.skipped_batches,
            "fuzzy_entity_merges": merges["spelling"],
            "short_form_merges": merges["short form"],
            "tables": counts,
        },
        "timings": stats.timings,
        "warnings": stats.warnings,
        "files": files or [],
        "removed_files": stats.removed_files,
    }
    tmp = out / ".run.json.tmp"
    tmp.write_text(json.dumps(info, indent=2, ensure_ascii=False))
    os.replace(tmp, out / "run.json")
