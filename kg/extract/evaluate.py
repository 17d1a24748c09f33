"""Score the extractor against curated case files.

    kg eval                                   # the seed and examples/gold/*/case.yaml
    kg eval PATH... [--json] [--details]

For each case file the article text is extracted (with the case file's title, publisher and
publication date) and compared with what the annotator recorded:

  actors      precision / recall / F1; a predicted actor matches a gold one when any of their
              names or aliases have the same identity.name_key (one-to-one)
  statements  precision / recall / F1 by span: a predicted statement matches a gold one when
              their spans overlap by at least half of the shorter span (one-to-one, largest
              overlaps first)
  speaker     on matched statements: the predicted speaker's name or an alias matches the gold
              speaker's name or an alias (identity.name_key equality: strict). Reported beside it,
              "speaker~": the content words of one name all stand in the other ("Interior Ministry"
              for the gold "Korvanian Interior Ministry"), since case files give canonical names
              the article itself does not use
  stance      on matched statements: the same stance (kind is reported too)
  events      precision / recall / F1: same event type and overlapping spans (one-to-one)

Numbers are per article and micro-averaged over all of them (sums of counts, then ratios).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from kg import identity
from kg.casefile import read_casefile
from kg.extract import extract
from kg.resources import resource_path

MIN_OVERLAP = 0.5


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Ratio:
    right: int = 0
    total: int = 0

    def __add__(self, other: "Ratio") -> "Ratio":
        return Ratio(self.right + other.right, self.total + other.total)

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {"right": self.right, "total": self.total, "accuracy": round(self.value, 4)}


@dataclass
class ArticleScore:
    path: str
    title: str
    actors: Counts = field(default_factory=Counts)
    statements: Counts = field(default_factory=Counts)
    speaker: Ratio = field(default_factory=Ratio)
    speaker_lenient: Ratio = field(default_factory=Ratio)
    stance: Ratio = field(default_factory=Ratio)
    kind: Ratio = field(default_factory=Ratio)
    events: Counts = field(default_factory=Counts)
    details: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def as_dict(self, details: bool = False) -> dict[str, Any]:
        out = {
            "path": self.path, "title": self.title,
            "actors": self.actors.as_dict(), "statements": self.statements.as_dict(),
            "speaker": self.speaker.as_dict(), "speaker_lenient": self.speaker_lenient.as_dict(), "stance": self.stance.as_dict(), "kind": self.kind.as_dict(),
            "events": self.events.as_dict(),
        }
        if details:
            out["details"] = self.details
        return out


@dataclass
class Report:
    articles: list[ArticleScore]

    @property
    def total(self) -> ArticleScore:
        total = ArticleScore(path="(micro-average)", title="all articles")
        for a in self.articles:
            total.actors += a.actors
            total.statements += a.statements
            total.speaker += a.speaker
            total.speaker_lenient += a.speaker_lenient
            total.stance += a.stance
            total.kind += a.kind
            total.events += a.events
        return total

    def to_json(self, details: bool = False) -> dict[str, Any]:
        return {
            "articles": [a.as_dict(details) for a in self.articles],
            "micro": self.total.as_dict(),
            "criteria": {
                "statement_match": f"span overlap >= {MIN_OVERLAP:.0%} of the shorter span, one-to-one",
                "event_match": "same type and overlapping spans, one-to-one",
                "actor_match": "identity.name_key of a name or alias, one-to-one",
            },
        }

    def render_table(self) -> str:
        header = ("article", "actors P/R/F1", "stmt P", "stmt R", "stmt F1", "speaker", "speaker~", "stance",
                  "events P/R/F1")
        rows = []
        for a in [*self.articles, self.total]:
            name = Path(a.path).parent.name if a.path != "(micro-average)" else "MICRO (all)"
            rows.append((
                name,
                f"{a.actors.precision:.2f}/{a.actors.recall:.2f}/{a.actors.f1:.2f}",
                f"{a.statements.precision:.2f}", f"{a.statements.recall:.2f}", f"{a.statements.f1:.2f}",
                f"{a.speaker.value:.2f} ({a.speaker.right}/{a.speaker.total})",
                f"{a.speaker_lenient.value:.2f}",
                f"{a.stance.value:.2f} ({a.stance.right}/{a.stance.total})",
                f"{a.events.precision:.2f}/{a.events.recall:.2f}/{a.events.f1:.2f}",
            ))
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
        out = [line(header), line(tuple("-" * w for w in widths))]
        out += [line(r) for r in rows[:-1]]
        out += [line(tuple("-" * w for w in widths)), line(rows[-1])]
        return "\n".join(out)


# --- matching --------------------------------------------------------------------------------------


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _match_spans(gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]], *,
                 min_ratio: float, compatible=lambda g, p: True) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), largest relative overlaps first."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            shared = _overlap(g, p)
            if shared <= 0 or not compatible(gi, pi):
                continue
            ratio = shared / max(1, min(g[1] - g[0], p[1] - p[0]))
            if ratio >= min_ratio:
                candidates.append((-ratio, -shared, gi, pi))
    candidates.sort()
    used_g, used_p, pairs = set(), set(), []
    for _, _, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


def _keys(names: Iterable[str | None]) -> set[str]:
    return {identity.name_key(n) for n in names if n}


_FUNCTION_WORDS = frozenset({"the", "of", "for", "in", "a", "an", "and", "at", "by", "from", "on", "to", "s", "who"})


def _words(key: str) -> frozenset[str]:
    # plural and singular alike ("prosecutors" / "Prosecutor General's Office")
    return frozenset((w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
                     for w in re.split(r"[^\w]+", key) if w and w not in _FUNCTION_WORDS)


def lenient_same(predicted: set[str], gold: set[str]) -> bool:
    """Same actor by name, loosely: equal keys, or one name's content words all in the other's."""
    if predicted & gold:
        return True
    for p in predicted:
        pw = _words(p)
        for g in gold:
            gw = _words(g)
            if pw and gw and (pw <= gw or gw <= pw):
                return True
    return False


def score_casefile(path: Path) -> ArticleScore:
    case = read_casefile(path)
    article = case.article
    result = extract(
        case.text, url=article["url"], title=article["title"], publisher=article["publisher"],
        published=article["published"], source=str(path),
    ).to_json()
    score = ArticleScore(path=str(path), title=article["title"] or "")
    details: dict[str, list[dict[str, Any]]] = {
        "missed_statements": [], "extra_statements": [], "wrong_speaker": [], "wrong_stance": [],
        "missed_actors": [], "extra_actors": [], "missed_events": [], "extra_events": [],
    }

    # actors
    gold_actors = {a["id"]: a for a in case.items("actors")}
    gold_keys = {h: _keys([a["name"], *(a["aliases"] or [])]) for h, a in gold_actors.items()}
    predicted_actors = result["actors"]
    predicted_keys = [_keys([a["name"], *a["aliases"]]) for a in predicted_actors]
    used: set[int] = set()
    for handle, keys in gold_keys.items():
        hit = next((i for i, pk in enumerate(predicted_keys) if i not in used and pk & keys), None)
        if hit is None:
            score.actors.fn += 1
            details["missed_actors"].append({"name": gold_actors[handle]["name"]})
        else:
            used.add(hit)
            score.actors.tp += 1
    for i, actor in enumerate(predicted_actors):
        if i not in used:
            score.actors.fp += 1
            details["extra_actors"].append({"name": actor["name"], "type": actor["type"], "rule": actor["rule"]})

    # statements
    gold_statements = case.items("statements")
    gold_spans = [(case.spans[(s["id"], "text")].start, case.spans[(s["id"], "text")].end) for s in gold_statements]
    predicted = result["statements"]
    predicted_spans = [(s["start"], s["end"]) for s in predicted]
    pairs = _match_spans(gold_spans, predicted_spans, min_ratio=MIN_OVERLAP)
    score.statements.tp = len(pairs)
    score.statements.fn = len(gold_spans) - len(pairs)
    score.statements.fp = len(predicted_spans) - len(pairs)
    aliases_of = {a["id"]: _keys([a["name"], *a["aliases"]]) for a in predicted_actors}
    matched_g = {g for g, _ in pairs}
    matched_p = {p for _, p in pairs}
    for gi, pi in pairs:
        gold, pred = gold_statements[gi], predicted[pi]
        gold_speaker = gold_keys.get(gold["speaker"], set())
        pred_speaker = aliases_of.get(pred["speaker"], _keys([pred["speaker_name"]]))
        score.speaker.total += 1
        score.speaker_lenient.total += 1
        score.speaker_lenient.right += lenient_same(pred_speaker, gold_speaker)
        if gold_speaker & pred_speaker:
            score.speaker.right += 1
        else:
            details["wrong_speaker"].append({"text": pred["text"][:80], "gold": gold_actors[gold["speaker"]]["name"],
                                             "predicted": pred["speaker_name"], "rule": pred["rule"]})
        score.stance.total += 1
        if gold["stance"] == pred["stance"]:
            score.stance.right += 1
        else:
            details["wrong_stance"].append({"text": pred["text"][:80], "gold": gold["stance"],
                                            "predicted": pred["stance"], "cue": pred["cue"]})
        score.kind.total += 1
        score.kind.right += gold["kind"] == pred["kind"]
    for gi, gold in enumerate(gold_statements):
        if gi not in matched_g:
            details["missed_statements"].append({"text": case.text[gold_spans[gi][0]:gold_spans[gi][1]][:100],
                                                 "speaker": gold_actors[gold["speaker"]]["name"]})
    for pi, pred in enumerate(predicted):
        if pi not in matched_p:
            details["extra_statements"].append({"text": pred["text"][:100], "speaker": pred["speaker_name"],
                                                "rule": pred["rule"]})

    # events
    gold_events = case.items("events")
    gold_event_spans = [(case.spans[(e["id"], "evidence")].start, case.spans[(e["id"], "evidence")].end)
                        for e in gold_events]
    predicted_events = result["events"]
    event_pairs = _match_spans(
        gold_event_spans, [(e["start"], e["end"]) for e in predicted_events], min_ratio=0.0,
        compatible=lambda g, p: gold_events[g]["type"] == predicted_events[p]["type"],
    )
    score.events.tp = len(event_pairs)
    score.events.fn = len(gold_events) - len(event_pairs)
    score.events.fp = len(predicted_events) - len(event_pairs)
    matched_ge = {g for g, _ in event_pairs}
    matched_pe = {p for _, p in event_pairs}
    for gi, event in enumerate(gold_events):
        if gi not in matched_ge:
            details["missed_events"].append({"type": event["type"], "evidence": event["evidence"][:80]})
    for pi, event in enumerate(predicted_events):
        if pi not in matched_pe:
            details["extra_events"].append({"type": event["type"], "text": event["text"][:80]})
    score.details = details
    return score


def evaluate(gold_casefile_paths: Iterable[Path | str]) -> Report:
    """Extract each case file's article and score it against the case file."""
    return Report([score_casefile(Path(p)) for p in gold_casefile_paths])


def default_paths() -> list[Path]:
    examples = resource_path("examples")
    return [examples / "chechnya" / "case.yaml", *sorted(examples.glob("gold/*/case.yaml"))]
