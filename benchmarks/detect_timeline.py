"""The detector on one store, with a timeline: every 5 s, the wall time, the RSS, the CPU time and
the innermost frames of kg the main thread is in (stderr); at the end the detector's counters
(stderr) and its summary, CPU seconds and peak RSS (stdout). For finding which phase of a run
(reading, detection, grouping stories, explaining, writing) holds the memory or the time.

    PYTHONPATH=. /usr/bin/time -v python benchmarks/detect_timeline.py STORE [--no-write]

The store is changed (detections written) unless --no-write: run it on a copy."""

import os
import resource
import sys
import threading
import time
import traceback

from kg.detect import BUFFER_POOL_MB, detect_contradictions
from kg.stores.ladybug import LadybugStore


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _sample(main: threading.Thread, started: float) -> None:
    while True:
        time.sleep(5)
        frames = traceback.extract_stack(sys._current_frames().get(main.ident))
        inside = [f"{os.path.basename(f.filename)}:{f.name}" for f in frames if f"{os.sep}kg{os.sep}" in f.filename]
        print(f"{time.time() - started:7.0f}s {_rss_mb():7.0f}MB cpu {time.process_time():7.0f} "
              f"{' > '.join(inside[-4:])}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    threading.Thread(target=_sample, args=(threading.main_thread(), time.time()), daemon=True).start()
    write = "--no-write" not in sys.argv[2:]
    cpu = time.process_time()
    report = detect_contradictions(LadybugStore(sys.argv[1], buffer_pool_mb=BUFFER_POOL_MB), write=write)
    print(report.stats, file=sys.stderr)
    print(report.summary(), "| cpu", round(time.process_time() - cpu, 1), "s | peak RSS",
          round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), "MB")
