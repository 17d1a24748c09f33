"""Python's cycle collector, paused over work that makes many objects and no reference cycles.

The collector is triggered by allocations; every object that outlives a few of its rounds is
scanned again and again until it reaches the oldest generation. Work that builds and keeps many
objects (an article's extraction, a writer unpickling the bundles of its workers, the detector's
claims) pays for those scans and gets nothing back: its objects die by reference count."""

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Pause the collector for the block; nested blocks leave it to the outermost to restart."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
