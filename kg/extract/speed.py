"""Articles per second per core, for the whole extraction (extract() and its JSON), on seed-sized
articles: the seed and the gold articles of examples/ (3-4.5 thousand characters each).

    python -m kg.extract.speed [SECONDS]     # prints articles/s (CPU time) and memory growth

CPU time (time.process_time) is counted, not wall time, so that other work on a shared machine
changes the figure less; it is still one core's share, so run it on a quiet machine.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from dataclasses import dataclass

from kg.extract import extract, load_lexicon
from kg.resources import resource_path


@dataclass(frozen=True)
class Speed:
    articles: int
    seconds: float  # CPU seconds
    characters: float  # mean characters per article
    growth_bytes: int  # traced memory after the second half of the run, minus after the first

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def seed_sized_texts() -> list[str]:
    examples = resource_path("examples")
    paths = [examples / "chechnya" / "article.txt", *sorted(examples.glob("gold/*/article.txt"))]
    return [path.read_text(encoding="utf-8") for path in paths]


def measure(texts: list[str], seconds: float = 5.0, published: str = "2018-07") -> Speed:
    """Extract the texts round and round for about `seconds` of CPU time; then trace memory over
    two more equal rounds (traced separately, since tracing slows Python down)."""
    load_lexicon()
    for text in texts:  # warm-up: compiled patterns and caches
        extract(text, published=published).to_json()
    count = 0
    start = time.process_time()
    while time.process_time() - start < seconds:
        for text in texts:
            extract(text, published=published).to_json()
            count += 1
    elapsed = time.process_time() - start
    tracemalloc.start()
    try:
        for text in texts * 5:
            extract(text, published=published).to_json()
        first = tracemalloc.get_traced_memory()[0]
        for text in texts * 5:
            extract(text, published=published).to_json()
        second = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return Speed(count, elapsed, sum(map(len, texts)) / len(texts), second - first)


def main(argv: list[str]) -> None:
    seconds = float(argv[0]) if argv else 5.0
    speed = measure(seed_sized_texts(), seconds)
    print(f"{speed.per_second:.1f} articles/s per core ({speed.articles} articles of {speed.characters:.0f} "
          f"characters in {speed.seconds:.2f} s CPU); memory growth over 5 more rounds: {speed.growth_bytes} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
