"""How well the detector finds the contradictions curators recorded in case files.

    measure(Path("examples/gold/ardenza-club-raid/case.yaml"), "extraction", workdir)

Two modes, each on a fresh embedded store holding one article:

* ``casefile``: the case file's own statements, actors and events, without its contradictions;
  a detected pair matches a curated one when it joins the same two statements.
* ``extraction``: only what the rule-based extractor reads in the article text (with the case
  file's title, publisher and date); a detected pair matches a curated one when each of its
  statements overlaps one curated side by at least half of the shorter span (the extractor cuts
  statements differently from the curator).

Recall is the share of confirmed curated pairs that some detected pair matches; precision the
share of detected pairs that match a confirmed curated pair (a pair the curators rejected counts
against it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kg.casefile import casefile_bundle, read_casefile
from kg.detect import detect_contradictions
from kg.extract import extract
from kg.records import ArticleBundle
from kg.stores.ladybug import LadybugStore

Mode = Literal["casefile", "extraction"]
MODES: tuple[Mode, ...] = ("casefile", "extraction")
MIN_OVERLAP = 0.5
Span = tuple[int, int]


@dataclass(frozen=True)
class CuratedPair:
    a: Span
    b: Span
    basis: str
    confirmed: bool


@dataclass(frozen=True)
class Quality:
    case: str
    mode: str
    curated: int          # confirmed curated pairs
    found: int            # detected pairs
    recalled: int         # confirmed pairs some detected pair matches
    correct: int          # detected pairs that match a confirmed pair
    misses: tuple[str, ...] = ()   # "basis: a-text / b-text" of the confirmed pairs not found
    extras: tuple[str, ...] = ()   # explanations of the detected pairs matching none

    @property
    def recall(self) -> float:
        return self.recalled / self.curated if self.curated else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0


def _overlaps(x: Span, y: Span) -> bool:
    shorter = min(x[1] - x[0], y[1] - y[0])
    return shorter > 0 and min(x[1], y[1]) - max(x[0], y[0]) >= MIN_OVERLAP * shorter


def _matches(pair: tuple[Span, Span], curated: CuratedPair) -> bool:
    x, y = pair
    return (_overlaps(x, curated.a) and _overlaps(y, curated.b)) or (_overlaps(x, curated.b) and _overlaps(y, curated.a))


def measure(case_path: Path, mode: Mode, workdir: Path) -> Quality:
    """Detect on one case's article in the given mode and compare with its curated pairs."""
    case = read_casefile(case_path)
    spans = {item["id"]: case.spans[(item["id"], "text")] for item in case.items("statements")}
    texts = {item["id"]: item["text"] for item in case.items("statements")}
    curated = [
        CuratedPair((spans[c["a"]].start, spans[c["a"]].end), (spans[c["b"]].start, spans[c["b"]].end),
                    c["basis"], c["status"] != "rejected")
        for c in case.items("contradictions")
    ]
    labels = {(spans[c["a"]].start, spans[c["a"]].end, spans[c["b"]].start, spans[c["b"]].end):
              f"{c['basis']}: {texts[c['a']]} / {texts[c['b']]}" for c in case.items("contradictions")}
    if mode == "casefile":
        full = casefile_bundle(case)
        bundle = ArticleBundle(
            origin=full.origin, article=full.article,
            nodes=[n for n in full.nodes if n.label != "Contradiction"],
            edges=[e for e in full.edges if e.type != "INVOLVES"],
        )
    else:
        article = case.article
        bundle = extract(case.text, title=article["title"], publisher=article["publisher"],
                         published=article["published"], source=str(case_path)).to_bundle()
    workdir.mkdir(parents=True, exist_ok=True)
    with LadybugStore(workdir / f"{case_path.parent.name}-{mode}") as store:
        store.write_bundles([bundle])
        report = detect_contradictions(store, write=False)
        offsets = {r[0]: (r[1], r[2]) for r in store.run(store.ontology.render(
            "MATCH (s:{label}) RETURN s.id, s.start_offset, s.end_offset", label="Statement")).rows}
    confirmed = [c for c in curated if c.confirmed]
    detected = [((offsets[d.a], offsets[d.b]), d) for d in report.detected]
    recalled = [c for c in confirmed if any(_matches(pair, c) for pair, _ in detected)]
    correct = [d for pair, d in detected if any(_matches(pair, c) for c in confirmed)]
    return Quality(
        case=case_path.parent.name, mode=mode, curated=len(confirmed), found=len(detected),
        recalled=len(recalled), correct=len(correct),
        misses=tuple(labels[(*c.a, *c.b)] for c in confirmed if c not in recalled),
        extras=tuple(f"{d.basis} {d.score}: {d.explanation}" for _, d in detected if d not in correct),
    )
