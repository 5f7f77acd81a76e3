"""The tables a run produces on ``corpus/releases`` are exactly the stored snapshot.

Speed work keeps outputs identical. When an extraction change is intended, regenerate the snapshot
with ``.venv/bin/python scripts/snapshot.py --update`` and commit it with the change.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("snapshot_script", ROOT / "scripts" / "snapshot.py")
snapshot_script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(snapshot_script)


def test_tables_equal_the_snapshot(shipped_model):
    result = snapshot_script.snapshot(snapshot_script.DEFAULT_INPUTS)
    assert result["digest"]["mentions"]["rows"] > 0
    found = snapshot_script.differences(snapshot_script.DEFAULT_SNAPSHOT, result)
    assert not found, (
        "tables differ from tests/snapshots/corpus_releases; if the change is intended, run "
        f"`{snapshot_script.UPDATE_COMMAND}`\n" + "\n".join(found)
    )


def test_canonical_rows_ignore_row_order_and_hide_long_text():
    rows = [{"doc_id": "b", "text": "x" * 50, "n": 1.5}, {"doc_id": "a", "text": "kurz", "n": float("nan")}]
    full, shown = snapshot_script.canonical_rows("documents", rows)
    again, _ = snapshot_script.canonical_rows("documents", rows[::-1])
    assert full == again
    assert '"n": null' in full[0] and "x" * 50 in full[1]
    assert "x" * 50 not in shown[1] and "sha256:" in shown[1]
