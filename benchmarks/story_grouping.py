"""Story grouping alone (kg.detect.corroborate), as the detector's prefetch runs it: the first N
article ids of a store, in id order, grouped into stories by one Corroborator.

Prints one JSON record: the articles, the CPU of reading and shingling the texts, the CPU of the
rest (candidate pairs and their verification), the peak RSS before and after, the number of
stories and a digest of the article -> story map (equal digests, equal grouping).

Example (the store is only read; run each size in a process of its own, for its peak RSS):
    nice -n 15 python benchmarks/story_grouping.py /tmp/kg-bench6/raw-100000-seed1 30000
"""

from __future__ import annotations

import hashlib
import json
import resource
import sys
import time

from kg.detect.corroborate import Corroborator
from kg.stores.ladybug import LadybugStore


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(store_path: str, articles: int) -> None:
    store = LadybugStore(store_path, read_only=True)
    ids = sorted(row[0] for row in store.run("MATCH (a:Article) RETURN a.id").rows)[:articles]
    corroborator = Corroborator(store)
    shingling = [0.0]
    read_and_shingle = corroborator._shingled

    def timed_shingling(wanted: list[str]):
        start = time.process_time()
        try:
            return read_and_shingle(wanted)
        finally:
            shingling[0] += time.process_time() - start

    corroborator._shingled = timed_shingling
    rss_before = peak_rss_mb()
    start = time.process_time()
    corroborator._group(ids)
    cpu = time.process_time() - start
    stories = corroborator._story
    print(json.dumps({
        "articles": len(ids),
        "cpu_s": round(cpu, 1),
        "read_shingle_cpu_s": round(shingling[0], 1),
        "pairs_cpu_s": round(cpu - shingling[0], 1),
        "peak_rss_before_mb": round(rss_before),
        "peak_rss_mb": round(peak_rss_mb()),
        "stories": len(set(stories.values())),
        "digest": hashlib.sha256(repr(sorted(stories.items())).encode()).hexdigest()[:16],
    }))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
