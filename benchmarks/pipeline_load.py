"""`kg bench`'s pipeline.load stage on its own (raw articles through extraction and loading), with
the CPU of the writing process and of the extracting workers apart, for runs too long to repeat
inside `kg bench`.

    PYTHONPATH=. /usr/bin/time -v python benchmarks/pipeline_load.py CORPUS STORE [WORKERS]

CORPUS is a folder of `kg generate` (its */article.txt are read, not the case files); STORE is
made afresh (removed first if it exists)."""

import resource
import sys
import time

from kg.bench import stage_pipeline_load
from kg.loading import DEFAULT_PER_TRANSACTION

if __name__ == "__main__":  # the workers are spawned and import this file
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    cpu = time.process_time()
    record = stage_pipeline_load(sys.argv[1], sys.argv[2], DEFAULT_PER_TRANSACTION, workers, progress=False)
    writer_cpu = time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{record['items']} articles, {record['statements']} statements in {record['seconds']:.1f} s; "
          f"CPU: writer {writer_cpu:.1f} s, workers {children.ru_utime + children.ru_stime:.1f} s")
