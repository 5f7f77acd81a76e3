"""The allocator setting: freed model-sized arrays are reused, not faulted in again from the kernel."""

from __future__ import annotations

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
    completed = subprocess.run(
        [sys.executable, "-c", GROWING_ARRAYS, str(trim_mb)], capture_output=True, text=True, check=True
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
