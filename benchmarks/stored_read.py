"""The detector's read of the contradictions already stored, alone, with the embedded store's
page cache capped or not, to size the cap (kg.detect.CAPPED_CACHE_MB):

    PYTHONPATH=. python benchmarks/stored_read.py STORE [MEGABYTES]

opens the store read-only with the detector's pool (kg.detect.BUFFER_POOL_MB), caps the cache at
MEGABYTES if given, reads the stored contradictions (linked to no claims), and prints the rows,
the seconds, and the RSS before and after the read with the highest sampled (every 0.1 s).
A cap too small for a page of the read fails with LadybugDB's "buffer pool is full"."""

import contextlib
import sys
import threading
import time

import kg.detect as detect
from kg.bench import current_rss_mb
from kg.detect.facts import read_existing
from kg.stores.ladybug import LadybugStore


if __name__ == "__main__":
    cap = int(sys.argv[2]) if len(sys.argv) > 2 else None
    highest = [0]

    def sample() -> None:
        while True:
            highest[0] = max(highest[0], current_rss_mb())
            time.sleep(0.1)
    with LadybugStore(sys.argv[1], read_only=True, buffer_pool_mb=detect.BUFFER_POOL_MB) as store:
        with store.capped_cache(cap) if cap else contextlib.nullcontext():
            before = highest[0] = current_rss_mb()
            threading.Thread(target=sample, daemon=True).start()
            start = time.perf_counter()
            stored = read_existing(store, [])
            seconds = time.perf_counter() - start
            after = current_rss_mb()
    print(f"cache {cap or detect.BUFFER_POOL_MB} MB: {len(stored)} stored, {seconds:.1f} s, "
          f"RSS {before:.0f} -> {after:.0f} MB (highest {max(highest[0], after):.0f} MB)")
