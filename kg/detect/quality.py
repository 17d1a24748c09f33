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
against it). A detected pair stands for the statements folded into it as well (either speaker
saying the same again, counted in its explanation): it matches a curated pair
when its own statements or one of those do, and counts once.

    python -m kg.detect.quality [--verbose] [casefile|extraction ...]

prints recall and precision per case and mode (and with --verbose the curated pairs missed and
the detected pairs matching none, with their explanations).
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kg.casefile import casefile_bundle, read_casefile
from kg.detect import detect_in_facts
from kg.detect.engine import explain
from kg.detect.facts import read_facts
from kg.extract import extract
from kg.identity import contradiction_id
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
        facts = read_facts(store)
        offsets = {r[0]: (r[1], r[2]) for r in store.run(store.ontology.render(
            "MATCH (s:{label}) RETURN s.id, s.start_offset, s.end_offset", label="Statement")).rows}
    candidates, _ = detect_in_facts(facts)
    unique = {contradiction_id(c.a.id, c.b.id): c for c in reversed(candidates)}
    confirmed = [c for c in curated if c.confirmed]
    # Each detected pair with the pairs folded into it, as spans.
    detected = [([(offsets[a.id], offsets[b.id]) for a in (c.a, *c.also) for b in (c.b, *c.folded)], c)
                for c in unique.values()]
    recalled = [cp for cp in confirmed if any(_matches(pair, cp) for pairs, _ in detected for pair in pairs)]
    correct = [c for pairs, c in detected if any(_matches(pair, cp) for pair in pairs for cp in confirmed)]
    return Quality(
        case=case_path.parent.name, mode=mode, curated=len(confirmed), found=len(detected),
        recalled=len(recalled), correct=len(correct),
        misses=tuple(labels[(*c.a, *c.b)] for c in confirmed if c not in recalled),
        extras=tuple(f"{c.basis} {c.score}: {explain(facts, c)}" for _, c in detected if c not in correct),
    )


def main(argv: list[str]) -> None:
    verbose = "--verbose" in argv
    modes = [m for m in argv if m in MODES] or list(MODES)
    root = Path(__file__).resolve().parents[2] / "examples"
    cases = [root / "chechnya" / "case.yaml", *sorted((root / "gold").glob("*/case.yaml"))]
    with tempfile.TemporaryDirectory() as workdir:
        for mode in modes:
            results = [measure(case, mode, Path(workdir)) for case in cases]
            for q in results:
                print(f"{mode:10} {q.case:30} recall {q.recall:.2f} ({q.recalled}/{q.curated})"
                      f"  precision {q.precision:.2f} ({q.correct}/{q.found})")
                if verbose:
                    print("".join(f"    missed  {m}\n" for m in q.misses), end="")
                    print("".join(f"    extra   {e}\n" for e in q.extras), end="")
            curated, found = sum(q.curated for q in results), sum(q.found for q in results)
            recalled, correct = sum(q.recalled for q in results), sum(q.correct for q in results)
            print(f"{mode:10} {'all':30} recall {recalled / curated:.2f} ({recalled}/{curated})"
                  f"  precision {correct / max(found, 1):.2f} ({correct}/{found})")


if __name__ == "__main__":
    main(sys.argv[1:])
