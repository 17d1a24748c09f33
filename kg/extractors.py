"""The extractor plug-in point.

An extractor turns an article's text into records: a callable
`extract(text, *, url, title, publisher, published, source)` returning an object with
`to_bundle()` (an ArticleBundle) and `to_json()` (the `kg extract` contract). kg's own
rule-based extractor is registered as `rules`; another package (a statistical or LLM
extractor) adds its own under the entry-point group `kg.extractors`:

    [project.entry-points."kg.extractors"]
    my-llm = "my_package.module:extract"
"""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import entry_points
from typing import Callable

from kg.errors import KGError

GROUP = "kg.extractors"


@lru_cache(maxsize=None)
def available_extractors() -> dict[str, str]:
    """Extractor names and where they come from (entry points, plus the built-in one)."""
    found = {"rules": "kg.extract:extract"}
    for point in entry_points(group=GROUP):
        found[point.name] = point.value
    return found


def get_extractor(name: str = "rules") -> Callable:
    if name == "rules":
        from kg.extract import extract

        return extract
    for point in entry_points(group=GROUP):
        if point.name == name:
            return point.load()
    raise KGError(f"no extractor named {name!r} (available: {', '.join(sorted(available_extractors()))})")
