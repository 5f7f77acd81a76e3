"""Output snapshot: a canonical digest of every table a run produces on a fixed set of releases.

Speed work must not change what the pipeline extracts. This script runs the pipeline (the default
configuration, the model the run would use) on ``corpus/releases`` and writes, per table, the rows
sorted as canonical JSON lines (``<table>.jsonl``, small enough to diff; ``documents.text`` as its
hash) and a ``digest.json`` with the row count and the SHA-256 of all rows (text included).
``tests/test_snapshot.py`` runs it again and compares.

When an extraction change is intended, regenerate the snapshot and commit it with the change::

    .venv/bin/python scripts/snapshot.py --update

``--check`` compares without writing (exit 1 and a row diff on a difference); ``--inputs`` and
``--snapshot`` point it at other releases (e.g. Berlin releases in a scratch folder, never committed).
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import math
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_INPUTS = [str(ROOT / "corpus" / "releases")]
DEFAULT_SNAPSHOT = ROOT / "tests" / "snapshots" / "corpus_releases"
TABLES = ("documents", "mentions", "entities", "places", "aliases", "contacts", "quotes", "relations", "rejects")
LONG_COLUMNS = {("documents", "text")}  # kept in the digest, shown as a hash in the row files
UPDATE_COMMAND = ".venv/bin/python scripts/snapshot.py --update"


def _plain(value: Any) -> Any:
    """A JSON value with one spelling per value (dates ISO, floats by repr, NaN as null)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return None if math.isnan(value) else repr(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def canonical_rows(table: str, rows: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """(full rows, rows to show) as sorted canonical JSON lines; long text columns shown by their hash."""
    full, shown = [], []
    for row in rows:
        plain = {k: _plain(v) for k, v in row.items()}
        full.append(json.dumps(plain, sort_keys=True, ensure_ascii=False))
        for column in [c for t, c in LONG_COLUMNS if t == table and isinstance(plain.get(c), str)]:
            plain[column] = "sha256:" + hashlib.sha256(plain[column].encode()).hexdigest()[:16]
        shown.append(json.dumps(plain, sort_keys=True, ensure_ascii=False))
    order = sorted(range(len(full)), key=full.__getitem__)
    return [full[i] for i in order], [shown[i] for i in order]


def read_tables(out: Path) -> dict[str, list[dict[str, Any]]]:
    """The rows of every table a run wrote as Parquet into ``out``."""
    import pyarrow.parquet as pq

    return {t: pq.read_table(out / f"{t}.parquet").to_pylist() for t in TABLES if (out / f"{t}.parquet").is_file()}


def run_pipeline(inputs: list[str], out: Path, ingest: dict[str, str] | None = None, limit: int | None = None) -> None:
    """One run with the default configuration, the same code path as ``pressewerk run``."""
    from pipeline.ingest import IngestOptions
    from pipeline.runner import RunOptions, run
    from pipeline.settings import Settings

    settings = Settings.from_config()
    if ingest:
        settings.ingest = IngestOptions(**ingest)
    run(settings, RunOptions(inputs, out, {"parquet"}, limit=limit, force=True))


def snapshot(inputs: list[str], ingest: dict[str, str] | None = None, limit: int | None = None) -> dict[str, Any]:
    """``{"digest": {table: {rows, sha256}}, "rows": {table: [shown JSON lines]}}`` of one fresh run."""
    with tempfile.TemporaryDirectory() as scratch:
        run_pipeline(inputs, Path(scratch) / "out", ingest, limit)
        tables = read_tables(Path(scratch) / "out")
    digest, shown = {}, {}
    for table in TABLES:
        full, rows = canonical_rows(table, tables.get(table, []))
        digest[table] = {"rows": len(full), "sha256": hashlib.sha256("\n".join(full).encode()).hexdigest()}
        shown[table] = rows
    return {"digest": digest, "rows": shown}


def write_snapshot(folder: Path, result: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in result["rows"].items():
        (folder / f"{table}.jsonl").write_text("".join(f"{r}\n" for r in rows), encoding="utf-8")
    (folder / "digest.json").write_text(json.dumps(result["digest"], indent=2) + "\n", encoding="utf-8")


def differences(folder: Path, result: dict[str, Any], max_lines: int = 40) -> list[str]:
    """Human-readable differences between the stored snapshot and ``result``; empty when identical."""
    stored = json.loads((folder / "digest.json").read_text(encoding="utf-8"))
    lines: list[str] = []
    for table in TABLES:
        if stored.get(table) == result["digest"][table]:
            continue
        before = (folder / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
        diff = list(difflib.unified_diff(before, result["rows"][table], "snapshot", "now", lineterm="", n=0))
        lines.append(f"{table}: {stored.get(table)} -> {result['digest'][table]}")
        lines += diff[2 : 2 + max_lines] or ["(rows shown are equal: the difference is in a long text column)"]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", nargs="+", default=DEFAULT_INPUTS)
    parser.add_argument("--snapshot", type=Path, default=DEFAULT_SNAPSHOT, help="snapshot folder")
    parser.add_argument("--fields", help="CSV/JSON field names text,title,date (e.g. description,title,date)")
    parser.add_argument("--limit", type=int)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--update", action="store_true", help="write the snapshot")
    action.add_argument("--check", action="store_true", help="compare with the snapshot")
    args = parser.parse_args()
    ingest = None
    if args.fields:
        text, title, day = args.fields.split(",")
        ingest = {"text_field": text, "title_field": title, "date_field": day}
    result = snapshot(args.inputs, ingest, args.limit)
    if args.update:
        write_snapshot(args.snapshot, result)
        print(json.dumps(result["digest"]))
        return 0
    found = differences(args.snapshot, result)
    print("\n".join(found) if found else "identical")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
