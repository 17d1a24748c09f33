"""What the detector holds once it has run, by deep size, to find what grows with the corpus:

    PYTHONPATH=. python benchmarks/detector_sizes.py STORE

reads the facts of the store (read-only, the detector's pool), runs the Detector on them, and
prints RSS after each, then the deep size (sys.getsizeof over everything reachable, each object
counted once) of the facts, of the pairs kept, and of each of the Detector's attributes, the
per-claim caches one by one, largest first. An object shared with the facts is counted with
the facts."""

import sys

import kg.detect as detect
from kg.bench import current_rss_mb
from kg.collector import cycle_collector_paused
from kg.detect.engine import Detector
from kg.detect.facts import read_facts
from kg.stores.ladybug import LadybugStore

_LEAVES = (str, bytes, int, float, bool, type(None))


def deep_size(root: object, seen: set[int]) -> int:
    """Bytes reachable from root through containers, slots and instance dicts, skipping the
    objects already in `seen` (and adding those it counts)."""
    total, stack = 0, [root]
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, _LEAVES):
            continue
        if isinstance(item, (tuple, list, set, frozenset)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif getattr(type(item), "__slots__", None):
            stack.extend(getattr(item, name) for name in type(item).__slots__ if hasattr(item, name))
        elif hasattr(item, "__dict__"):
            stack.append(vars(item))
    return total


if __name__ == "__main__":
    with LadybugStore(sys.argv[1], read_only=True, buffer_pool_mb=detect.BUFFER_POOL_MB) as store:
        with cycle_collector_paused():
            facts = read_facts(store)
        with store.capped_cache(detect.CAPPED_CACHE_MB):
            print(f"after the read: RSS {current_rss_mb():.0f} MB", flush=True)
            with cycle_collector_paused():
                detector = Detector(facts)
                kept = detector.run()
            print(f"after the detection: RSS {current_rss_mb():.0f} MB, {len(kept)} pairs kept", flush=True)
    seen: set[int] = set()
    print(f"{'facts':32s} {deep_size(facts, seen) / 1e6:8.1f} MB")
    print(f"{'pairs kept':32s} {deep_size(kept, seen) / 1e6:8.1f} MB")
    sizes: dict[str, int] = {}
    for name, value in vars(detector).items():
        if name in ("_memo", "_large"):
            for answer, cache in value.items():
                sizes[f"{name}[{answer!r}]"] = deep_size(cache, seen)
        else:
            sizes[name] = deep_size(value, seen)
    for name, size in sorted(sizes.items(), key=lambda item: -item[1]):
        if size >= 1e5:
            print(f"{name:32s} {size / 1e6:8.1f} MB")
