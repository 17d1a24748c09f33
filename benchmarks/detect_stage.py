"""The detector stage of `kg bench` (pipeline.detect) on stores already written, one process
each, printing kg bench's records as JSON lines: for measuring a detector change on the stores of
an earlier run without extracting and loading again.

    PYTHONPATH=. python benchmarks/detect_stage.py RAW-1000 RAW-10000 RAW-100000

The sizes are taken to be 1,000, 10,000 and 100,000 articles, in that order."""

import json, sys
from kg.bench import run_isolated, stage_pipeline_detect, _record
if __name__ == "__main__":
    for size, store in zip((1000, 10000, 100000), sys.argv[1:]):
        result = run_isolated(stage_pipeline_detect, {"store_dir": store}, None)
        record = _record("pipeline.detect", "ladybug", size, result)
        print(json.dumps(record), flush=True)
