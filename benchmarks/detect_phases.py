"""The detector on one store without writing, with the peak RSS of each of its phases (reading
the statements, detecting, reading stored contradictions, grouping stories, explaining and
classifying) and a digest of its report, so that a change can be shown to keep the output
while it changes the memory:

    PYTHONPATH=. python benchmarks/detect_phases.py STORE

prints the pairs, the wall time and the process's peak RSS, the sha256 of the report's
to_dict() (without its seconds), then one line per phase: seconds, highest RSS sampled (every
0.25 s) and RSS at its end. The store is opened read-only."""

import hashlib
import json
import resource
import sys
import threading
import time

import kg.detect as detect
from kg.bench import current_rss_mb
from kg.stores.ladybug import LadybugStore

PHASES = ("read_facts", "detect_in_facts", "read_existing", "Corroborator", "copy_groups", "_Supports", "fold_copies")


def _timed(name: str, spans: list) -> None:
    original = getattr(detect, name)

    def run(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spans.append((name, start, time.perf_counter()))
    setattr(detect, name, run)


if __name__ == "__main__":
    samples: list[tuple[float, int]] = []
    spans: list[tuple[str, float, float]] = []

    def sample() -> None:
        while True:
            samples.append((time.perf_counter(), current_rss_mb()))
            time.sleep(0.25)
    threading.Thread(target=sample, daemon=True).start()
    for phase in PHASES:
        _timed(phase, spans)
    start = time.perf_counter()
    with LadybugStore(sys.argv[1], read_only=True, buffer_pool_mb=detect.BUFFER_POOL_MB) as store:
        report = detect.detect_contradictions(store, write=False)
    end = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10
    record = report.to_dict()
    record.pop("seconds")
    digest = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
    print(f"{len(report.detected)} pairs, {report.claims} claims, {report.statements} statements: "
          f"{end - start:.1f} s, peak {peak} MB, report sha256 {digest[:16]}")
    last = max(span[2] for span in spans)
    for name, first, final in spans + [("explain and classify", last, end)]:
        inside = [rss for at, rss in samples if first <= at <= final] or [0]
        print(f"{name:22s} {final - first:8.1f} s  highest {max(inside):6.0f} MB  at end {inside[-1]:6.0f} MB")
