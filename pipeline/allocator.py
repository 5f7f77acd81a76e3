"""Keep freed heap memory in the process for the next batch instead of handing it back to the kernel.

A batch's model arrays are a few MB to tens of MB. With glibc's defaults such an array is ``mmap``-ed and
returned on ``free``, or the top of the heap is trimmed after it, so the next batch asks the kernel for the same
pages again and pays a page fault for each 4 KB. On 2,000 Berlin releases that was ~350,000 page faults and
about a tenth of the run. :func:`keep_freed_memory` raises glibc's mmap and trim thresholds with ``mallopt``,
so those pages are reused. Peak memory does not grow: the pages were in use a moment before.

The loaded model, word lists and gazetteer are millions of Python objects that live as long as the process. Each
full collection of Python's cycle collector walks them all (about 0.1 s a time, a dozen times per 2,000 releases),
and in a forked worker that walk writes to every page they lie on, so the copy-on-write copy becomes a real one.
While they load, the collector runs again and again over a heap that only grows (0.7 s per start). Inside
:func:`loading_long_lived` it is paused, and afterwards what is alive is moved out of its reach (``gc.freeze``); the
objects are handed back to it at exit, so extension modules see them freed.

After loading, a young-generation collection runs every :data:`YOUNG_COLLECTION_THRESHOLD` allocations instead of
Python's default 700: a document allocates tens of thousands of short-lived objects (Tokens, Spans, row dicts) that
reference counting frees anyway, and the 200+ collections per 600 releases (each promoting survivors towards the
full collections) became 8, saving about 0.2 s per 1,000 releases.
"""

from __future__ import annotations

import atexit
import ctypes
import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_MAX = 32 << 20  # glibc's largest allowed mmap threshold on 64-bit machines
YOUNG_COLLECTION_THRESHOLD = 20_000  # allocations between two collections of the youngest generation


def keep_freed_memory(trim_mb: int) -> bool:
    """Keep up to ``trim_mb`` MB of freed memory in the process (glibc on Linux); ``0`` keeps the C defaults.

    Returns whether the thresholds were set. Elsewhere (macOS, Windows, musl) nothing changes.
    """
    if trim_mb <= 0 or not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX)) and bool(mallopt(M_TRIM_THRESHOLD, trim_mb << 20))


@contextmanager
def loading_long_lived() -> Iterator[None]:
    """Load inside this block: no cycle collection while it runs, and what is alive after it is frozen.

    Afterwards the youngest generation is collected every :data:`YOUNG_COLLECTION_THRESHOLD` allocations (or
    as rarely as it was before, if that is rarer).
    """
    young, *older = gc.get_threshold()
    gc.set_threshold(0)  # not gc.disable(): loaders such as srsly's msgpack call gc.enable() when they are done
    try:
        yield
    finally:
        gc.set_threshold(max(young, YOUNG_COLLECTION_THRESHOLD) if young else 0, *older)
    if not gc.get_freeze_count():
        atexit.register(gc.unfreeze)
    gc.freeze()
