"""Raw articles through extraction and loading, as `kg bench`'s pipeline.load stage does, on its
own: the CPU of the writing process and of the extracting workers apart, for runs too long to
repeat inside `kg bench`.

    PYTHONPATH=. /usr/bin/time -v python benchmarks/pipeline_load.py CORPUS STORE [WORKERS]

CORPUS is a folder of `kg generate` (its */article.txt are read, not the case files); STORE is
made afresh (removed first if it exists)."""

import resource
import shutil
import sys
import time
from pathlib import Path

from kg.loading import load_paths
from kg.stores.ladybug import LadybugStore

if __name__ == "__main__":  # the workers are spawned and import this file
    corpus, store_dir = Path(sys.argv[1]), Path(sys.argv[2])
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    shutil.rmtree(store_dir, ignore_errors=True)
    paths = sorted(corpus.glob("*/article.txt"))
    with LadybugStore(store_dir) as store:
        started, cpu = time.perf_counter(), time.process_time()
        report = load_paths(store, paths, workers=workers)
        seconds, writer_cpu = time.perf_counter() - started, time.process_time() - cpu
        statements = store.counts()["Statement"]
    workers_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{report.articles} articles, {statements} statements in {seconds:.1f} s; CPU: writer "
          f"{writer_cpu:.1f} s, workers {workers_cpu.ru_utime + workers_cpu.ru_stime:.1f} s")
