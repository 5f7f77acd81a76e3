"""Crash-safe part files: each finished batch is one folder, published by an atomic rename.

``OUT/.parts/batch-000042/`` holds one Parquet file per table for batch 42 and
appears only once all of them are written; ``OUT/.parts/manifest.jsonl`` lists
finished batches with their doc ids. A run that was killed is resumed by skipping
the batches whose folder exists.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.sinks.schema import BATCH_TABLES, TABLES, to_arrow

PARTS = ".parts"


def parts_dir(out: Path) -> Path:
    return out / PARTS


def batch_dir(out: Path, batch_no: int) -> Path:
    return parts_dir(out) / f"batch-{batch_no:06d}"


def finished_batches(out: Path) -> set[int]:
    """Batches already published; half-written temp folders are removed."""
    root = parts_dir(out)
    if not root.is_dir():
        return set()
    done = set()
    for entry in root.iterdir():
        if entry.name.startswith("tmp-"):
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith("batch-") and entry.is_dir():
            done.add(int(entry.name.removeprefix("batch-")))
    return done


def write_batch(out: Path, batch_no: int, tables: dict[str, list[dict]]) -> None:
    """Write all tables of one batch and publish them with one rename."""
    root = parts_dir(out)
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f"tmp-{uuid.uuid4().hex}"
    tmp.mkdir()
    for name in BATCH_TABLES:
        pq.write_table(to_arrow(TABLES[name], tables.get(name, [])), tmp / f"{name}.parquet")
    for file in tmp.iterdir():
        with file.open("rb") as handle:
            os.fsync(handle.fileno())
    os.rename(tmp, batch_dir(out, batch_no))
    doc_ids = [row["doc_id"] for row in tables.get("documents", [])]
    with (root / "manifest.jsonl").open("a", encoding="utf-8") as manifest:
        manifest.write(
            json.dumps({"batch": batch_no, "documents": doc_ids, "rejects": len(tables.get("rejects", []))}) + "\n"
        )


def part_files(out: Path, table: str) -> list[Path]:
    """The table's part files in batch order."""
    root = parts_dir(out)
    if not root.is_dir():
        return []
    return sorted(p / f"{table}.parquet" for p in root.iterdir() if p.name.startswith("batch-"))
