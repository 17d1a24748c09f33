"""BRAT standoff annotations (.ann beside .txt), read strictly, and scoring the extractor on them.

    from kg.extract.brat import read_document, find_documents, evaluate_brat
    doc = read_document(Path("a.ann"))          # the text is a.txt (or ../text/a[.txt])
    doc.attributions()                           # Source / Cue / Content spans, linked
    report = evaluate_brat([Path("corpus/")])    # kg eval --brat corpus/

The format (https://brat.nlplab.org/standoff.html): one annotation per line, fields separated
by tabs, character offsets into the .txt read as is (no newline translation):

  T1<TAB>Content 52 87;90 120<TAB>text      a text-bound annotation; a discontinuous span
                                            lists its fragments "start end;start end" and
                                            its text joins them with single spaces
  R1<TAB>Attribution Arg1:T2 Arg2:T1        a binary relation between two annotations
  E1<TAB>Cue:T2 Source:T3 Content:T1        an event: its trigger, then role:argument pairs
  A1<TAB>Nested T1 [value]                  an attribute (M1 is the older form)
  N1<TAB>Reference T1 db:id<TAB>text        a normalisation
  #1<TAB>AnnotatorNotes T1<TAB>note         a note
  *<TAB>Equiv T1 T2                         an equivalence

Reading is strict: an unknown line, a malformed field, an offset outside the text, fragments
out of order, a stated text that differs from the text at the offsets (whitespace aside), a
duplicate id or a reference to an id that does not exist is an InputError naming file:line.

Attributions (PolNeAR, PARC): text-bound annotations typed Source, Cue and Content (any
letter case), linked by relations or events; each connected group with a Content or a Cue is
one attribution.

Scoring (evaluate_brat) extracts statements from each .txt and compares them with the Content
spans, as kg eval does with case files: a statement matches a Content span when they overlap
by at least half of the shorter of the two (one-to-one, largest overlaps first). Statement
precision and recall count those matches; speaker accuracy counts, among matched pairs whose
attribution has a Source, those where the mention the extractor took the speaker from (or,
when it took none, a mention of the same actor) overlaps the Source span; cue accuracy, among
pairs with a Cue, those whose attribution cue (the speech verb) stands inside the Cue span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from kg.errors import InputError

ROLES = ("source", "cue", "content")
MIN_OVERLAP = 0.5

_ID = re.compile(r"^(?:[TREAMN#]\d+|\*)$")
_TYPE = re.compile(r"^[^\s:]+$")
_OFFSETS = re.compile(r"^\d+ \d+(?:;\d+ \d+)*$")
_ROLE_ARG = re.compile(r"^([^\s:]+):([TE]\d+)$")
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class TextBound:
    id: str
    type: str
    fragments: tuple[tuple[int, int], ...]
    text: str
    line: int

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]

    @property
    def length(self) -> int:
        return sum(e - s for s, e in self.fragments)


@dataclass(frozen=True)
class Link:
    """A relation (R) or an event (E): typed, with role -> annotation id arguments."""

    id: str
    type: str
    args: tuple[tuple[str, str], ...]
    line: int
    trigger: str | None = None  # events only


@dataclass
class Attribution:
    source: list[TextBound] = field(default_factory=list)
    cue: list[TextBound] = field(default_factory=list)
    content: list[TextBound] = field(default_factory=list)

    def fragments(self, role: str) -> list[tuple[int, int]]:
        return sorted(f for tb in getattr(self, role) for f in tb.fragments)


@dataclass
class BratDocument:
    path: Path  # the .ann file
    text_path: Path
    text: str
    textbounds: dict[str, TextBound]
    links: list[Link]
    attributes: list[tuple[str, str, str, str | None, int]]  # id, name, target, value, line
    notes: list[tuple[str, str, str, int]]  # id, kind, target, line

    def attributions(self) -> list[Attribution]:
        """Source / Cue / Content annotations grouped by the relations and events that link them."""
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.get(x, x) != x:
                parent[x] = parent.get(parent[x], parent[x])
                x = parent[x]
            return x

        def union(a: str, b: str) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[rb] = ra

        event_trigger = {link.id: link.trigger for link in self.links if link.trigger}
        for link in self.links:
            ids = [arg for _, arg in link.args]
            if link.trigger:
                ids.append(link.trigger)
            ids = [event_trigger.get(i, i) for i in ids]
            for other in ids[1:]:
                union(ids[0], other)
        groups: dict[str, Attribution] = {}
        for tb in sorted(self.textbounds.values(), key=lambda t: (t.start, t.id)):
            role = tb.type.lower()
            if role not in ROLES:
                continue
            getattr(groups.setdefault(find(tb.id), Attribution()), role).append(tb)
        return [a for a in groups.values() if a.content or a.cue]


def _error(path: Path, line: int, message: str) -> InputError:
    return InputError(message, where=f"{path}:{line}")


def read_text(path: Path) -> str:
    """A document's text as BRAT counts offsets: UTF-8, newlines as they are in the file."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        raise InputError("the text file does not exist", where=str(path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"the text is not UTF-8 (byte {exc.start})", where=str(path)) from None
    except OSError as exc:
        raise InputError(f"the text cannot be read: {exc.strerror}", where=str(path)) from None


def text_for(ann_path: Path) -> Path:
    """The .txt of an .ann: beside it (a.txt), or in a sibling text/ directory, with or without
    .txt. PolNeAR's layout is attributions/NAME_ANNOTATOR.ann beside text/NAME.txt: the last
    "_" part of the name is the annotator's id, and several annotators' files share one text."""
    stem = ann_path.name[:-4] if ann_path.name.endswith(".ann") else ann_path.stem
    text_dir = ann_path.parent.parent / "text"
    names = [stem]
    if "_" in stem:
        names.append(stem.rsplit("_", 1)[0])
    candidates = [ann_path.with_name(stem + ".txt")]
    for name in names:
        candidates += [text_dir / name, text_dir / (name + ".txt")]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise InputError(f"no text for this annotation file (looked for {', '.join(str(c) for c in candidates)})",
                     where=str(ann_path))


def read_document(ann_path: Path, text_path: Path | None = None) -> BratDocument:
    """Read one .ann file (and its text) strictly; errors name file:line."""
    ann_path = Path(ann_path)
    text_path = Path(text_path) if text_path is not None else text_for(ann_path)
    text = read_text(text_path)
    try:
        with open(ann_path, encoding="utf-8", newline="") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise InputError("the annotation file does not exist", where=str(ann_path)) from None
    except UnicodeDecodeError as exc:
        raise InputError(f"the annotations are not UTF-8 (byte {exc.start})", where=str(ann_path)) from None
    except OSError as exc:
        raise InputError(f"the annotations cannot be read: {exc.strerror}", where=str(ann_path)) from None
    if raw.startswith("\ufeff"):
        raw = raw[1:]

    textbounds: dict[str, TextBound] = {}
    links: list[Link] = []
    attributes: list[tuple[str, str, str, str | None, int]] = []
    notes: list[tuple[str, str, str, int]] = []
    seen: dict[str, int] = {}
    references: list[tuple[str, int, str]] = []  # (id referred to, line, what refers)
    for number, line in _logical_lines(raw, text):
        if not line.strip():
            continue
        fields = line.split("\t")
        ident = fields[0]
        if not _ID.match(ident):
            raise _error(ann_path, number, f"unknown annotation id {ident!r} (T, R, E, A, M, N, # and * lines are known)")
        if ident != "*":
            if ident in seen:
                raise _error(ann_path, number, f"duplicate id {ident} (first on line {seen[ident]})")
            seen[ident] = number
        kind = ident[0]
        if kind == "T":
            textbounds[ident] = _textbound(ann_path, number, fields, text)
        elif kind == "R":
            if len(fields) < 2:
                raise _error(ann_path, number, "a relation needs a type and two arguments")
            parts = fields[1].split()
            if len(parts) != 3 or not _TYPE.match(parts[0]):
                raise _error(ann_path, number, f"a relation is 'Type Arg1:T1 Arg2:T2', got {fields[1]!r}")
            args = []
            for part in parts[1:]:
                match = _ROLE_ARG.match(part)
                if not match:
                    raise _error(ann_path, number, f"a relation argument is Role:Id, got {part!r}")
                args.append((match.group(1), match.group(2)))
                references.append((match.group(2), number, ident))
            links.append(Link(ident, parts[0], tuple(args), number))
        elif kind == "E":
            if len(fields) < 2 or not fields[1].strip():
                raise _error(ann_path, number, "an event needs Type:Trigger and its arguments")
            parts = fields[1].split()
            head = re.match(r"^([^\s:]+):(T\d+)$", parts[0])
            if not head:
                raise _error(ann_path, number, f"an event starts with Type:T-id, got {parts[0]!r}")
            references.append((head.group(2), number, ident))
            args = []
            for part in parts[1:]:
                match = _ROLE_ARG.match(part)
                if not match:
                    raise _error(ann_path, number, f"an event argument is Role:Id, got {part!r}")
                args.append((match.group(1), match.group(2)))
                references.append((match.group(2), number, ident))
            links.append(Link(ident, head.group(1), tuple(args), number, trigger=head.group(2)))
        elif kind in "AM":
            parts = fields[1].split() if len(fields) > 1 else []
            if len(parts) not in (2, 3) or not _TYPE.match(parts[0]):
                raise _error(ann_path, number, f"an attribute is 'Name Id [Value]', got {line!r}")
            references.append((parts[1], number, ident))
            attributes.append((ident, parts[0], parts[1], parts[2] if len(parts) == 3 else None, number))
        elif kind in "N#":
            parts = fields[1].split() if len(fields) > 1 else []
            if len(parts) < 2:
                raise _error(ann_path, number, f"a {'normalisation' if kind == 'N' else 'note'} needs a type and a target")
            references.append((parts[1], number, ident))
            notes.append((ident, parts[0], parts[1], number))
        else:  # "*": Equiv T1 T2 ...
            parts = fields[1].split() if len(fields) > 1 else []
            if len(parts) < 3:
                raise _error(ann_path, number, "an equivalence is 'Equiv T1 T2 ...'")
            for part in parts[1:]:
                references.append((part, number, ident))
    for target, number, what in references:
        if target not in seen:
            raise _error(ann_path, number, f"{what} refers to {target}, which is not in the file")
    return BratDocument(ann_path, text_path, text, textbounds, links, attributes, notes)


_TEXTBOUND_HEAD = re.compile(r"^T\d+\t[^\s:]+ (\d+ \d+(?:;\d+ \d+)*)\t")


def _logical_lines(raw: str, text: str) -> Iterable[tuple[int, str]]:
    """(line number, annotation line) pairs. A text-bound annotation whose span holds newlines may
    have them written raw into its text field (PolNeAR has a few): the physical lines that
    follow are part of that text as long as they continue the text at its offsets."""
    lines = [line.rstrip("\r") for line in raw.split("\n")]
    index = 0
    while index < len(lines):
        number, line = index + 1, lines[index]
        index += 1
        head = _TEXTBOUND_HEAD.match(line)
        if head:
            spans = (piece.split(" ") for piece in head.group(1).split(";"))
            actual = _WS.sub(" ", " ".join(text[int(s):int(e)] for s, e in spans)).strip()
            stated = line[head.end():]
            while (index < len(lines) and _WS.sub(" ", stated).strip() != actual
                   and actual.startswith(_WS.sub(" ", stated + "\n" + lines[index]).strip())):
                stated += "\n" + lines[index]
                index += 1
            line = line[:head.end()] + stated
        yield number, line


def _textbound(path: Path, number: int, fields: list[str], text: str) -> TextBound:
    if len(fields) != 3:
        raise _error(path, number, "a text-bound annotation has three tab-separated fields: id, 'Type start end', text")
    head = fields[1].split(" ", 1)
    if len(head) != 2 or not _TYPE.match(head[0]):
        raise _error(path, number, f"expected 'Type start end', got {fields[1]!r}")
    kind, offsets = head
    if not _OFFSETS.match(offsets):
        raise _error(path, number, f"offsets are 'start end' or 'start end;start end;...', got {offsets!r}")
    fragments = []
    for piece in offsets.split(";"):
        start, end = (int(x) for x in piece.split(" "))
        if not 0 <= start < end <= len(text):
            raise _error(path, number, f"the span {start}-{end} is not inside the text (length {len(text)})")
        fragments.append((start, end))
    stated = fields[2]
    # the stated text follows the fragments in the order written, which annotators do not always
    # keep in text order (PolNeAR: "Content 209 236;91 186"); the spans are kept sorted
    actual = " ".join(text[s:e] for s, e in fragments)
    if _WS.sub(" ", stated).strip() != _WS.sub(" ", actual).strip():
        raise _error(path, number, f"the annotation's text {stated[:60]!r} is not the text at {offsets}: {actual[:60]!r}")
    fragments.sort()
    for (_, end), (start, _) in zip(fragments, fragments[1:]):
        if start < end:
            raise _error(path, number, f"fragments overlap at {start}-{end}")
    return TextBound(fields[0], kind, tuple(fragments), stated, number)


def find_documents(paths: Iterable[Path | str]) -> list[Path]:
    """The .ann files under the given files and directories, in a stable order."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.ann") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise InputError("no such file or directory", where=str(path))
    return found


# --- scoring --------------------------------------------------------------------------------------


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    total = 0
    for s1, e1 in a:
        for s2, e2 in b:
            total += max(0, min(e1, e2) - max(s1, s2))
    return total


@dataclass
class BratScore:
    path: str
    gold: int = 0  # Content spans
    predicted: int = 0  # statements
    matched: int = 0
    speaker_total: int = 0
    speaker_right: int = 0
    cue_total: int = 0
    cue_right: int = 0
    details: list[dict[str, Any]] = field(default_factory=list)

    def __add__(self, other: "BratScore") -> "BratScore":
        return BratScore("(micro-average)", self.gold + other.gold, self.predicted + other.predicted,
                         self.matched + other.matched, self.speaker_total + other.speaker_total,
                         self.speaker_right + other.speaker_right, self.cue_total + other.cue_total,
                         self.cue_right + other.cue_right)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker(self) -> float:
        return self.speaker_right / self.speaker_total if self.speaker_total else 1.0

    @property
    def cue(self) -> float:
        return self.cue_right / self.cue_total if self.cue_total else 1.0

    def as_dict(self, details: bool = False) -> dict[str, Any]:
        out = {
            "path": self.path, "content_spans": self.gold, "statements": self.predicted, "matched": self.matched,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
            "speaker": {"right": self.speaker_right, "total": self.speaker_total, "accuracy": round(self.speaker, 4)},
            "cue": {"right": self.cue_right, "total": self.cue_total, "accuracy": round(self.cue, 4)},
        }
        if details:
            out["details"] = self.details
        return out


@dataclass
class BratReport:
    documents: list[BratScore]

    @property
    def total(self) -> BratScore:
        total = BratScore("(micro-average)")
        for score in self.documents:
            total = total + score
        return total

    def to_json(self, details: bool = False) -> dict[str, Any]:
        return {
            "documents": [d.as_dict(details) for d in self.documents],
            "micro": self.total.as_dict(),
            "criteria": {
                "statement_match": f"span overlap >= {MIN_OVERLAP:.0%} of the shorter span (BRAT Content), one-to-one",
                "speaker": "the speaker's mention overlaps the attribution's Source span",
                "cue": "the attribution cue (speech verb) stands inside the Cue span",
            },
        }

    def render_table(self) -> str:
        header = ("document", "content", "stmts", "P", "R", "F1", "speaker", "cue")
        rows = []
        for d in [*self.documents, self.total]:
            name = Path(d.path).name if d.path != "(micro-average)" else "MICRO (all)"
            rows.append((name, d.gold, d.predicted, f"{d.precision:.2f}", f"{d.recall:.2f}", f"{d.f1:.2f}",
                         f"{d.speaker:.2f} ({d.speaker_right}/{d.speaker_total})",
                         f"{d.cue:.2f} ({d.cue_right}/{d.cue_total})"))
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
        rule = line(tuple("-" * w for w in widths))
        return "\n".join([line(header), rule, *(line(r) for r in rows[:-1]), rule, line(rows[-1])])


def score_document(document: BratDocument) -> BratScore:
    from kg.extract import extract

    result = extract(document.text, source=str(document.text_path))
    score = BratScore(str(document.path))
    attributions = [a for a in document.attributions() if a.content]
    gold = [a.fragments("content") for a in attributions]
    statements = result.statements
    predicted = [[(s.start, s.end)] for s in statements]
    score.gold, score.predicted = len(gold), len(predicted)

    candidates = []
    for gi, g in enumerate(gold):
        g_len = sum(e - s for s, e in g)
        for pi, p in enumerate(predicted):
            shared = _overlap(g, p)
            if shared <= 0:
                continue
            ratio = shared / max(1, min(g_len, p[0][1] - p[0][0]))
            if ratio >= MIN_OVERLAP:
                candidates.append((-ratio, -shared, gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    mentions = result.mentions
    for _, _, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        score.matched += 1
        attribution, statement = attributions[gi], statements[pi]
        sources = attribution.fragments("source")
        if sources:
            score.speaker_total += 1
            spans = []
            if statement.speaker_mention is not None and statement.speaker_mention.end > statement.speaker_mention.start:
                spans = [(statement.speaker_mention.start, statement.speaker_mention.end)]
            else:
                spans = [(m.start, m.end) for m in mentions if m.actor is statement.speaker]
            right = _overlap(spans, sources) > 0
            score.speaker_right += right
            if not right:
                score.details.append({"wrong_speaker": document.text[statement.start:statement.end][:80],
                                      "predicted": statement.speaker.name,
                                      "gold": " … ".join(document.text[s:e] for s, e in sources)[:80]})
        cues = attribution.fragments("cue")
        if cues and statement.anchor >= 0:
            score.cue_total += 1
            score.cue_right += any(s <= statement.anchor < e for s, e in cues)
    for gi, g in enumerate(gold):
        if gi not in used_g:
            score.details.append({"missed": " … ".join(document.text[s:e] for s, e in g)[:100]})
    for pi, statement in enumerate(statements):
        if pi not in used_p:
            score.details.append({"extra": document.text[statement.start:statement.end][:100],
                                  "speaker": statement.speaker.name, "rule": statement.rule})
    return score


def evaluate_brat(paths: Iterable[Path | str]) -> BratReport:
    """Read every .ann under paths (with its text) and score the extractor on its attributions.

    A text annotated by several annotators (PolNeAR's agreement articles) is scored once, against
    the first of its annotation files in name order, so that it weighs as much as any other."""
    paths = list(paths)
    documents = find_documents(paths)
    if not documents:
        raise InputError("no .ann files found", where=", ".join(str(p) for p in paths))
    scored: set[Path] = set()
    scores = []
    for path in documents:
        text_path = text_for(path).resolve()
        if text_path in scored:
            continue
        scored.add(text_path)
        scores.append(score_document(read_document(path, text_path)))
    return BratReport(scores)
