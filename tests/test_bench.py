"""`make bench`'s two-process figure for the bare model: the releases are split between the processes, none lost."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import bench


def test_the_two_model_processes_tag_every_release_once(shared_data):
    whole = bench.measure("model", shared_data, 7)
    split = bench.measure_model_parallel(shared_data, 7, processes=2)
    assert split["docs"] == whole["docs"] == 7
    assert split["words"] == whole["words"] > 0
    assert split["seconds"] > 0
