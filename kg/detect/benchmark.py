"""How the detector scales: time and peak memory on generated statements of growing size.

    python -m kg.detect.benchmark 10000 100000 1000000

Each size runs in a fresh child process (kg.bench.run_isolated), so its peak resident memory is
its own: the generated statements (kg.detect.synthetic) and the detection on them. Printed per
size: seconds to generate, seconds (wall and CPU) to detect, peak RSS, pairs compared and
contradictions kept, and the growth exponent k of detection time (seconds ~ statements^k)
against the next smaller size. CPU seconds are the steadier measure on a shared machine.
"""

from __future__ import annotations

import math
import resource
import sys
import time

from kg.bench import peak_rss_mb, run_isolated


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure_size(n: int, seed: int = 1) -> dict:
    """Generate about n statements and detect on them, in this process."""
    from collections import Counter

    from kg.detect import stream_in_facts
    from kg.detect.synthetic import synthetic_statements

    started = time.perf_counter()
    facts = synthetic_statements(n, seed=seed)
    generated, generated_rss, cpu = time.perf_counter(), peak_rss_mb(), _cpu()
    # Kept pairs are handed on in chunks as they become final, as a writer would take them.
    stats: Counter = Counter()
    found = sum(len(chunk) for chunk in stream_in_facts(facts, stats=stats))
    return {
        "statements": facts.statements, "claims": len(facts.claims),
        "generate_s": round(generated - started, 1), "generate_rss_mb": generated_rss,
        "detect_s": round(time.perf_counter() - generated, 1), "detect_cpu_s": round(_cpu() - cpu, 1),
        # Unrounded, for the exponent: at a few thousand statements a tenth of a second is most of it.
        "detect_cpu_exact_s": _cpu() - cpu,
        "pairs_compared": stats["pairs compared"], "found": found,
    }


def scaling(sizes: list[int], seed: int = 1, timeout: float | None = None) -> list[dict]:
    rows = []
    for n in sizes:
        row = {"size": n, **run_isolated(measure_size, {"n": n, "seed": seed}, timeout)}
        if rows and "error" not in row and "error" not in rows[-1]:
            before = rows[-1]
            if before["detect_cpu_exact_s"] > 0 and row["statements"] != before["statements"]:
                row["exponent"] = round(math.log(row["detect_cpu_exact_s"] / before["detect_cpu_exact_s"])
                                        / math.log(row["statements"] / before["statements"]), 2)
        rows.append(row)
    return rows


def render(rows: list[dict]) -> str:
    head = (f"{'statements':>10} {'generate s':>10} {'detect s':>9} {'cpu s':>8} {'peak MB':>8} "
            f"{'pairs':>10} {'found':>9} {'k':>5}")
    lines = [head]
    for r in rows:
        if "error" in r:
            lines.append(f"{r['size']:>10} {r['error']}")
            continue
        lines.append(f"{r['statements']:>10} {r['generate_s']:>10} {r['detect_s']:>9} {r['detect_cpu_s']:>8} "
                     f"{r['peak_rss_mb']:>8.0f} {r['pairs_compared']:>10} {r['found']:>9} "
                     f"{r.get('exponent', ''):>5}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(scaling([int(a) for a in sys.argv[1:]] or [10_000, 100_000])), flush=True)
