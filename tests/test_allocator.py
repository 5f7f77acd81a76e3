"""The allocator setting: freed model-sized arrays are reused, not faulted in again from the kernel."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from pipeline.allocator import keep_freed_memory
from pipeline.settings import Settings

GROWING_ARRAYS = textwrap.dedent(
    """
    import resource, sys
    import numpy as np
    from pipeline.allocator import keep_freed_memory
    keep_freed_memory(int(sys.argv[1]))
    start = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for mb in list(range(1, 21)) * 2:  # arrays of 1 to 20 MB, as a batch's model arrays grow and shrink
        array = np.ones(mb << 18, dtype="float32")
        del array
    print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - start)
    """
)


def page_faults(trim_mb: int) -> int:
    """Minor page faults of the arrays; numpy's huge-page advice is off, so a fault is always one 4 KB page (with
    it, the count depended on whether the kernel had 2 MB pages free, and the test failed now and then)."""
    env = {**os.environ, "NUMPY_MADVISE_HUGEPAGE": "0"}
    completed = subprocess.run(
        [sys.executable, "-c", GROWING_ARRAYS, str(trim_mb)], capture_output=True, text=True, check=True, env=env
    )
    return int(completed.stdout.strip())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_freed_arrays_are_reused_instead_of_faulted_in_again() -> None:
    pages_of_largest = (20 << 20) // 4096
    kept = page_faults(512)
    assert kept < pages_of_largest * 1.5  # only the largest array's pages are ever asked for
    assert page_faults(0) > kept * 2  # glibc's defaults hand them back and fault them in again


def test_zero_keeps_the_c_library_defaults() -> None:
    assert keep_freed_memory(0) is False


def test_the_setting_is_read_from_the_config_and_changes_no_row(tmp_path) -> None:
    config = tmp_path / "pressewerk.cfg"
    from pipeline.settings import DEFAULT_CONFIG

    config.write_text(DEFAULT_CONFIG.read_text().replace("keep_freed_mb = 512", "keep_freed_mb = 0"))
    assert Settings.from_config(config).keep_freed_mb == 0
    assert Settings.from_config().keep_freed_mb == 512
    assert Settings.from_config(config).fingerprint() == Settings.from_config().fingerprint()


COLLECTIONS_WHILE_LOADING = textwrap.dedent(
    """
    import gc, sys
    from pipeline.allocator import YOUNG_COLLECTION_THRESHOLD, loading_long_lived
    runs = []
    gc.callbacks.append(lambda phase, info: runs.append(info["generation"]) if phase == "start" else None)
    before = gc.get_threshold()
    with loading_long_lived():
        gc.enable()  # what srsly's msgpack loader does when it is done
        table = [[i, [i]] for i in range(200_000)]  # a loaded table: hundreds of thousands of tracked objects
        during = len(runs)
    after = gc.get_threshold()
    restored = after == (YOUNG_COLLECTION_THRESHOLD, *before[1:]) and before[0] < YOUNG_COLLECTION_THRESHOLD
    runs.clear()
    young = [[i] for i in range(YOUNG_COLLECTION_THRESHOLD // 2)]  # short-lived containers of one document
    print(during, restored, gc.get_freeze_count() >= len(table), len(runs))
    """
)


def test_loading_runs_no_collection_and_freezes_what_it_loaded() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", COLLECTIONS_WHILE_LOADING], capture_output=True, text=True, check=True
    )
    during, restored, frozen, afterwards = completed.stdout.split()
    assert during == "0"  # without the block, 200,000 new containers start hundreds of collections
    assert restored == "True" and frozen == "True"
    assert afterwards == "0"  # 10,000 new containers: 14 collections at Python's default threshold of 700


def test_loading_keeps_collection_off_where_it_was_off() -> None:
    script = "import gc\nfrom pipeline.allocator import loading_long_lived\ngc.set_threshold(0)\n"
    script += "with loading_long_lived():\n    pass\nprint(gc.get_threshold()[0])\n"
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "0"


def test_frozen_objects_are_freed_at_exit() -> None:
    """DuckDB's bindings report every object still alive at exit as a leak; frozen ones are handed back first."""
    script = "import duckdb\nfrom pipeline.allocator import loading_long_lived\nwith loading_long_lived():\n"
    script += "    con = duckdb.connect()\n    con.execute('select 1').fetchall()\n"
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "leak" not in completed.stderr
