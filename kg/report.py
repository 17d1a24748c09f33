"""The contradictions report: the `contradictions` named query, filtered, grouped and rendered.

    report = build_report(store, Filters(basis="polarity", since="2018"), group_by="event")
    print(render_report(report, "html"))

Filters (status, basis, minimum score, an actor speaking on either side, a range of article
dates) reach the named query as parameters. On its rows the report adds each side's *voice*:

* ``official``: the speaker's role or actor type makes them one the way the detector sees it
  (kg.detect.facts: official, spokesperson, leader or perpetrator roles; a GovernmentBody), or
  the speaker is a member, spokesperson or leader of a GovernmentBody;
* ``survivor``: testimony by a survivor, victim or witness;
* ``independent``: other roles the detector counts as reporting from outside (activists,
  journalists, relatives ...).

It groups contradictions by the event or topic both sides are about (else the one the account
on side b is about, else side a's), shows the official-denial-vs-survivor-testimony view, and
tabulates per actor how often they deny and whose accounts they deny. Sensitive actors are
pseudonymised in every output unless reveal.

The records are read a page at a time, redacted, and kept in an anonymous temporary file
(kg.spill) until they are written, a record at a time (write_report): what stays in memory is
a page, an offset per record, and each statement's voice and group. At 100,000 articles (361,043
contradictions) the Markdown report peaks at 1.7 GB instead of 2.9 GB, the LadybugDB page
cache (1 GB) included, for 6% more CPU (benchmarks/RESULTS.md, session 12).
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Iterator, Mapping

from kg.detect.facts import Actor, Facts, build_claims
from kg.detect.text import fold
from kg.errors import KGError
from kg.identity import is_fuzzy_date
from kg.output import render, table_lines
from kg.privacy import Redactor
from kg.queries import get_query
from kg.spill import RecordSpill, SpilledSequence
from kg.stores.base import GraphStore, QueryResult

REPORT_FORMATS = ("table", "markdown", "html", "json")
GROUPINGS = ("none", "event", "topic")
VIEWS = ("all", "denial-vs-testimony")
SURVIVOR_ROLES = frozenset({"survivor", "victim", "witness"})
GOVERNMENT_TYPE = "GovernmentBody"
# Relationships by which a person speaks for a body.
_SPEAKS_FOR = ("MEMBER_OF", "SPOKESPERSON_FOR", "LEADER_OF")
_SIDES = ("a", "b")

# The article-date test of queries/contradictions.cypher: a date as precise as its source is in
# the range when it may fall in it (an article of 2018-07 is in a range starting 2018-07-15).
_IN_RANGE = ("($since = '' OR art.published >= $since OR $since STARTS WITH art.published) "
             "AND ($until = '' OR art.published <= $until OR art.published STARTS WITH $until)")


@dataclass(frozen=True)
class Filters:
    status: str = ""        # empty: open and confirmed
    basis: str = ""
    min_score: float = 0.0
    actor: str = ""         # id, name or alias of a speaker on either side
    since: str = ""         # article dates, YYYY[-MM[-DD]]
    until: str = ""

    def check(self, store: GraphStore) -> None:
        for name in ("status", "basis"):
            value, allowed = getattr(self, name), store.ontology.vocabulary(name)
            if value and value not in allowed:
                raise KGError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
        if not 0.0 <= self.min_score <= 1.0:
            raise KGError(f"the minimum score is between 0 and 1, not {self.min_score:g}")
        for name in ("since", "until"):
            value = getattr(self, name)
            if value and not is_fuzzy_date(value):
                raise KGError(f"{name}: expected YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
        # 2018-07 to 2018 is a range (July lies in 2018); 2019 to 2017 is none.
        if self.since and self.until and self.since > self.until and not self.since.startswith(self.until):
            raise KGError(f"since {self.since} is after until {self.until}: no article can be in that range")

    def params(self) -> dict[str, Any]:
        return {"status": self.status, "basis": self.basis, "min_score": self.min_score,
                "actor": self.actor, "since": self.since, "until": self.until}

    def describe(self) -> str:
        """The filters in force, in words; empty when none narrows the report."""
        parts = [f"status {self.status}" if self.status else "",
                 f"basis {self.basis}" if self.basis else "",
                 f"score at least {self.min_score:g}" if self.min_score else "",
                 f"actor {self.actor}" if self.actor else "",
                 f"articles from {self.since}" if self.since else "",
                 f"articles until {self.until}" if self.until else "",
                 "undated articles left out" if self.since or self.until else ""]
        return " · ".join(p for p in parts if p)


@dataclass
class Report:
    title: str
    records: Sequence[dict[str, Any]]   # in the order they are reported
    filters: Filters = field(default_factory=Filters)
    group_by: str = "none"
    view: str = "all"

    def close(self) -> None:
        """Let go of the spill file the records are read from (it also goes with the report)."""
        if isinstance(self.records, _SpilledRecords):
            self.records.close()

    def __enter__(self) -> "Report":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def groups(self) -> Iterator[tuple[str, Iterable[dict[str, Any]]]]:
        """(label, records) in the order of their strongest contradiction; one group without
        grouping. Each group's records are read as the group is."""
        if self.group_by == "none":
            yield "", self.records
            return
        for label, records in itertools.groupby(self.records, key=lambda record: record["group"]):
            yield label, records


def contradictions(store: GraphStore, filters: Filters | None = None, *, reveal: bool = False) -> QueryResult:
    """The rows of the `contradictions` named query under these filters, sensitive names redacted."""
    filters = filters or Filters()
    filters.check(store)
    redactor = Redactor.for_store(store, reveal=reveal)
    pages = _contradiction_pages(store, filters)
    result = redactor.result(next(pages))
    for page in pages:
        result.rows.extend(redactor.result(page).rows)
    return result


# The named query is read a page at a time: it folds only the page's contradictions, so a page
# of 50,000 fits LadybugDB's default 1 GB buffer pool where all 360,000 of a 100,000-article
# store did not; each page sorts every contradiction again, so pages are kept large.
PAGE_ROWS = 50_000


def _contradiction_pages(store: GraphStore, filters: Filters) -> Iterator[QueryResult]:
    """The rows of the named query a page at a time (at least one page, maybe empty)."""
    query = get_query("contradictions")
    skip = 0
    while True:
        page = query.run(store, {**filters.params(), "skip": skip, "limit": PAGE_ROWS})
        full = len(page.rows) == PAGE_ROWS
        yield page
        if not full:
            return
        skip += PAGE_ROWS


def build_report(store: GraphStore, filters: Filters | None = None, *, group_by: str = "none",
                 view: str = "all", reveal: bool = False) -> Report:
    """The report: its records are read from the store a page at a time, redacted, and kept in
    a spill file (kg.spill) until they are rendered, so that the memory it takes is a page and
    what each statement's voice and group need, whatever the number of contradictions."""
    if group_by not in GROUPINGS:
        raise KGError(f"group by one of {', '.join(GROUPINGS)}, not {group_by!r}")
    if view not in VIEWS:
        raise KGError(f"the view is one of {', '.join(VIEWS)}, not {view!r}")
    filters = filters or Filters()
    filters.check(store)
    redactor = Redactor.for_store(store, reveal=reveal)
    spill = RecordSpill()
    sides: dict[str, tuple] = {}        # statement id -> what its voice is worked out from (_SIDE_FIELDS)
    pairs: list[tuple[str, str]] = []   # (side a, side b) of each record, as the query gives them
    for page in _contradiction_pages(store, filters):
        # A row at a time, each let go once spilled: a page's rows, records and redacted records
        # held at once took 680 MB at 100,000 articles.
        rows = page.rows
        rows.reverse()
        while rows:
            record = dict(zip(page.columns, rows.pop()))
            for side in _SIDES:
                if record[side] not in sides:
                    sides[record[side]] = _side_fields(record, side)
            pairs.append((record["a"], record["b"]))
            spill.append(redactor.text(record))
    voices = _voices(store, [dict(zip(_SIDE_FIELDS, fields)) for fields in sides.values()])
    # Which records are reported, and whether their sides change places (the official's denial
    # on side a): (position in the spill, swapped).
    if view == "denial-vs-testimony":
        stances = {statement: fields[_SIDE_FIELDS.index("stance")] for statement, fields in sides.items()}
        chosen = [(position, swapped) for position, pair in enumerate(pairs)
                  if (swapped := _denial_side(pair, voices, stances)) is not None]
    else:
        chosen = [(position, False) for position in range(len(pairs))]
    del sides
    groups = None
    if group_by != "none":
        oriented = [pairs[position][::-1] if swapped else pairs[position] for position, swapped in chosen]
        groups = _Groups(store, "Event" if group_by == "event" else "Topic", f"(no {group_by})", oriented, redactor)
        # Groups in the order of their strongest member; inside a group, strongest first.
        labels = [groups.of(a, b) for a, b in oriented]
        first: dict[str, tuple[bool, int]] = {}
        for order, (group_id, label) in enumerate(labels):
            first.setdefault(label, (group_id is None, order))
        chosen = [chosen[order] for order in sorted(range(len(chosen)), key=lambda order: first[labels[order][1]])]
    title = "Official denial vs. survivor testimony" if view == "denial-vs-testimony" else "Contradictions"
    return Report(title=title, records=_SpilledRecords(spill, pairs, chosen, voices, groups),
                  filters=replace(filters, actor=redactor.text(filters.actor)), group_by=group_by, view=view)


class _SpilledRecords(SpilledSequence):
    """The report's records, read from the spill in the report's order, each with its sides'
    voices, its sides in the order of the view, and its group."""

    def __init__(self, spill: RecordSpill, pairs: list[tuple[str, str]], chosen: list[tuple[int, bool]],
                 voices: Mapping[str, str | None], groups: _Groups | None) -> None:
        self._spill, self._pairs, self._chosen, self._voices, self._groups = spill, pairs, chosen, voices, groups

    def __len__(self) -> int:
        return len(self._chosen)

    def _item(self, index: int) -> dict[str, Any]:
        position, swapped = self._chosen[index]
        record = self._spill[position]
        a, b = self._pairs[position]
        record["voice_a"], record["voice_b"] = self._voices.get(a), self._voices.get(b)
        if swapped:
            record = {_other_side(key): value for key, value in record.items()}
            a, b = b, a
        if self._groups is not None:
            record["group_id"], record["group"] = self._groups.of(a, b)
        return record

    def close(self) -> None:
        self._spill.close()


# What a side's voice is worked out from (see _voices): its words only as build_claims groups
# them, by a digest of their folded form, so that the quotes are not held.
_SIDE_FIELDS = ("id", "folded", "stance", "speaker_role", "speaker")


def _side_fields(record: Mapping[str, Any], side: str) -> tuple:
    folded = hashlib.blake2b(fold(record[f"quote_{side}"] or "").encode("utf-8"), digest_size=12).hexdigest()
    return (record[side], folded, record[f"stance_{side}"], record[f"role_{side}"], record[f"speaker_id_{side}"])


def _voices(store: GraphStore, rows: list[dict[str, Any]]) -> dict[str, str | None]:
    """Statement id -> official, survivor, independent or None (see the module docstring)."""
    speakers = sorted({r["speaker"] for r in rows if r["speaker"]})
    if not speakers:
        return {}
    o = store.ontology
    # Ids are looked up by key, and edges read from those ends (see kg.privacy._NAMES and
    # kg.viz.store._read_edges): an `IN $ids` test or a whole pattern costs LadybugDB a pass over the table.
    actors = {
        r[0]: Actor(r[0], r[1] or r[0], r[2], tuple(r[3] or ()), bool(r[4]))
        for r in store.run(o.render(
            "UNWIND $ids AS wanted MATCH (a:{label} {{id: wanted}}) "
            "RETURN a.id, a.name, a.actor_type, a.roles, a.collective",
            label="Actor"), {"ids": speakers}).rows
    }
    for_government: set[str] = set()
    for relation in _SPEAKS_FOR:
        for (speaker,) in store.run(o.render(
                "UNWIND $ids AS wanted MATCH (x:{label} {{id: wanted}}) OPTIONAL MATCH (x)-[:{rel}]->(g:{label}) "
                "WITH x, g WHERE g.actor_type = $type RETURN x.id",
                label="Actor", rel=relation), {"ids": speakers, "type": GOVERNMENT_TYPE}).rows:
            for_government.add(speaker)
    facts = Facts(claims=build_claims(rows, actors, read_text=False), actors=actors)
    voices: dict[str, str | None] = {}
    for claim in facts.claims:
        if claim.stance == "testimony" and claim.role in SURVIVOR_ROLES:
            voice = "survivor"
        elif claim.speaker in for_government:
            voice = "official"
        else:
            voice = facts.role_class(claim)
        voices.update(dict.fromkeys(claim.ids, voice))
    return voices


def _denial_side(pair: tuple[str, str], voices: Mapping[str, str | None],
                 stances: Mapping[str, str]) -> bool | None:
    """For the denial-vs-testimony view: whether the pair's sides change places to put the
    official's denial on side a and the survivor's testimony on side b; None when it is not
    such a pair."""
    for denier, witness in (pair, pair[::-1]):
        if voices.get(denier) == "official" and stances.get(denier) == "denial" and voices.get(witness) == "survivor":
            return denier != pair[0]
    return None


def _other_side(key: str) -> str:
    """The name of the same field on the other side: a <-> b, quote_a <-> quote_b."""
    for this, that in (("a", "b"), ("b", "a")):
        if key == this:
            return that
        if key.endswith("_" + this):
            return key[:-1] + that
    return key


class _Groups:
    """The group of each pair of statements: an event (or topic) both sides are about, else one
    side b's account is about, else one of side a's; the one with the first label when several
    qualify. Labels and ids are redacted as the records are."""

    def __init__(self, store: GraphStore, label: str, none_label: str, pairs: Iterable[tuple[str, str]],
                 redactor: Redactor) -> None:
        self._about: dict[str, set[str]] = defaultdict(set)
        self._labels: dict[str, str] = {}
        self._none = none_label
        ids = sorted({statement for pair in pairs for statement in pair if statement})
        if ids:
            for statement, target, target_label in store.run(store.ontology.render(
                    "UNWIND $ids AS wanted MATCH (s:{statement} {{id: wanted}}) OPTIONAL MATCH (s)-[:{rel}]->(t:{label}) "
                    "WITH s, t WHERE t IS NOT NULL RETURN s.id, t.id, t.label",
                    statement="Statement", rel="ABOUT", label=label), {"ids": ids}).rows:
                self._about[statement].add(target)
                self._labels[target] = target_label or target
        # Redacted once per group, not once per record that falls in it.
        self._shown = {target: (redactor.text(target), redactor.text(label)) for target, label in self._labels.items()}

    def of(self, a: str, b: str) -> tuple[str | None, str]:
        """(group id, label) of the pair with these sides; (None, the none label) for none."""
        side_a, side_b = self._about.get(a, set()), self._about.get(b, set())
        labels = self._labels
        chosen = next((min(c, key=lambda t: (labels[t], t)) for c in (side_a & side_b, side_b, side_a) if c), None)
        if chosen is None:
            return None, self._none
        return self._shown[chosen]


# --- per actor: how often they deny, whose accounts they deny ------------------------------------------


def actor_denials(store: GraphStore, filters: Filters | None = None, *, reveal: bool = False) -> QueryResult:
    """One row per actor who denies: their denial statements (in articles within the date
    range), the reported contradictions in which one of their denials stands against another
    speaker's account, and whose accounts those are. With an actor filter, only the actors
    in contradictions with that actor."""
    filters = filters or Filters()
    with build_report(store, filters, reveal=True) as built:
        names, voices, contradicted, accounts = _who_denies_whom(built.records)
    denials = _denial_counts(store, filters, names, voices)
    shown = set(contradicted) if filters.actor else set(contradicted) | set(denials)
    rows = [
        [names[actor], _most_common(voices[actor]), denials.get(actor, 0), contradicted[actor],
         [f"{name} ({n})" for name, n in sorted(accounts[actor].items(), key=lambda kv: (-kv[1], kv[0]))]]
        for actor in shown
    ]
    rows.sort(key=lambda row: (-row[3], -row[2], row[0]))
    result = QueryResult(["actor", "voice", "denials", "contradictions", "accounts_denied"], rows)
    return Redactor.for_store(store, reveal=reveal).result(result)


def _who_denies_whom(records: Iterable[Mapping[str, Any]]
                     ) -> tuple[dict[str, str], dict[str, Counter], Counter, dict[str, Counter]]:
    """Per denying speaker: their name, their voices, the contradictions in which one of their
    denials stands against another speaker's account, and those speakers."""
    names: dict[str, str] = {}
    voices: dict[str, Counter] = defaultdict(Counter)
    contradicted: Counter = Counter()
    accounts: dict[str, Counter] = defaultdict(Counter)
    for record in records:
        for denier, other in (("a", "b"), ("b", "a")):
            speaker, witness = record[f"speaker_id_{denier}"], record[f"speaker_id_{other}"]
            if record[f"stance_{denier}"] != "denial" or not speaker or speaker == witness:
                continue
            names[speaker] = record[f"speaker_{denier}"]
            voices[speaker][record[f"voice_{denier}"]] += 1
            contradicted[speaker] += 1
            accounts[speaker][record[f"speaker_{other}"]] += 1
    return names, voices, contradicted, accounts


def _denial_counts(store: GraphStore, filters: Filters, names: dict[str, str],
                   voices: dict[str, Counter]) -> dict[str, int]:
    """Denial statements per actor in the date range; fills in the names and voices of actors
    not met in the report."""
    rows = store.run(store.ontology.render(
        "MATCH (p:{actor})-[:{said}]->(s:{statement})-[:{reported}]->(art:{article}) "
        "WHERE s.stance = $stance AND " + _IN_RANGE + " "
        "RETURN DISTINCT p.id AS speaker, p.name AS name, s.id AS id, s.text AS text, "
        "s.speaker_role AS speaker_role",
        actor="Actor", said="SAID", statement="Statement", reported="REPORTED_IN", article="Article",
    ), {"stance": "denial", "since": filters.since, "until": filters.until}).records()
    unseen = [{**r, "stance": "denial"} for r in rows if r["speaker"] not in names]
    met = _voices(store, unseen)
    for row in unseen:
        names.setdefault(row["speaker"], row["name"])
        voices[row["speaker"]][met.get(row["id"])] += 1
    return dict(Counter(r["speaker"] for r in rows))


def _most_common(counts: Counter) -> str | None:
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0] or "~"))[0] if counts else None


# --- rendering ------------------------------------------------------------------------------------------


def render_report(report: Report, fmt: str) -> str:
    out = io.StringIO()
    write_report(report, fmt, out.write)
    return out.getvalue()


def write_report(report: Report, fmt: str, write: Callable[[str], Any]) -> None:
    """Write the report a record at a time with `write` (`render_report` gives it as a string)."""
    if fmt not in REPORT_FORMATS:
        raise KGError(f"the format is one of {', '.join(REPORT_FORMATS)}, not {fmt!r}")
    chunks = {"table": _table_chunks, "markdown": _markdown_chunks, "html": _html_chunks,
              "json": _json_chunks}[fmt](report)
    # Chunks are joined a batch at a time: one write per line costs more than the lines.
    batch: list[str] = []
    size = 0
    for chunk in chunks:
        batch.append(chunk)
        size += len(chunk)
        if size >= _WRITE_CHARS:
            write("".join(batch))
            batch, size = [], 0
    write("".join(batch))


_WRITE_CHARS = 1 << 20


def _table_chunks(report: Report) -> Iterator[str]:
    # The id to confirm or reject by, and the explanation (cut, as every long cell is: the other
    # formats give it whole).
    columns = ["id", "basis", "score", "speaker_a", "quote_a", "speaker_b", "quote_b", "explanation"]
    if report.view == "denial-vs-testimony":
        headers = ["id", "basis", "score", "official", "denial", "survivor", "testimony", "explanation"]
    else:
        headers = columns
    if report.group_by != "none":
        columns, headers = ["group", *columns], [report.group_by, *headers]
    lines = table_lines(headers, lambda: ([r[c] for c in columns] for r in report.records))
    yield next(lines)
    for line in lines:
        yield "\n" + line


def _json_chunks(report: Report) -> Iterator[str]:
    """As json.dumps(records, indent=2) gives them, a record at a time."""
    empty = True
    for record in report.records:
        encoded = json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        yield ("[\n  " if empty else ",\n  ") + encoded
        empty = False
    yield "[]" if empty else "\n]"


def _md(value: object) -> str:
    """Article text is data: keep it from turning into links, HTML or emphasis in Markdown."""
    text = " ".join(str(value if value is not None else "").split())
    for char, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = text.replace(char, escaped)
    for char in "\\`*_[]#|":
        text = text.replace(char, "\\" + char)
    return text


def _where(record: Mapping[str, Any], side: str) -> str:
    """Where the quote stands: its article's date and the characters it spans in the text."""
    parts = [str(record[f"date_{side}"])] if record.get(f"date_{side}") else []
    if record.get(f"start_{side}") is not None and record.get(f"end_{side}") is not None:
        parts.append(f"characters {record[f'start_{side}']}–{record[f'end_{side}']}")
    return ", ".join(parts)


def _md_side(record: Mapping[str, Any], side: str) -> str:
    role = _md(record[f"role_{side}"] or "unknown role")
    source = _md(record[f"source_{side}"] or "unknown source")
    publisher = _md(record[f"publisher_{side}"])
    cited = f"{source} ({publisher})" if publisher else source
    where = _md(_where(record, side))
    return (
        f"- **{_md(record[f'speaker_{side}'])}** ({role}, {_md(record[f'stance_{side}'])}): "
        f"“{_md(record[f'quote_{side}'])}” — {cited}{', ' + where if where else ''}"
    )


def _summary(report: Report) -> str:
    n = len(report.records)
    text = f"{n} contradiction{'s' if n != 1 else ''}, strongest first"
    if report.group_by != "none":
        text += f", grouped by {report.group_by}"
    return text + "."


def _markdown_chunks(report: Report) -> Iterator[str]:
    # Blank lines are held back until more text follows, so that the report ends with one newline.
    blanks = 0
    for line in _markdown_lines(report):
        if not line:
            blanks += 1
            continue
        yield "\n" * blanks + line + "\n"
        blanks = 0


def _markdown_lines(report: Report) -> Iterator[str]:
    yield from [f"# {_md(report.title)}", "", _summary(report), ""]
    if report.filters.describe():
        yield from [f"Filters: {_md(report.filters.describe())}", ""]
    heading = "##" if report.group_by == "none" else "###"
    number = 0
    for group, records in report.groups():
        if group:
            yield from [f"## {_md(group)}", ""]
        for record in records:
            number += 1
            yield from [
                f"{heading} {number}. {_md(record['speaker_a'])} vs. {_md(record['speaker_b'])} ({record['basis']})",
                "",
                f"Status: {record['status']} · score {record['score']:g} · `{record['id']}`",
                "",
                _md_side(record, "a"),
                _md_side(record, "b"),
                "",
                _md(record["explanation"]),
                "",
            ]


def render_markdown(result: QueryResult, title: str = "Contradictions") -> str:
    """The report of rows of the `contradictions` query (see `contradictions`), ungrouped."""
    return render_report(Report(title=title, records=result.records()), "markdown")


_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;background:#fff}
h1{font-size:1.6rem}h2{font-size:1.3rem;border-bottom:1px solid #ccc;margin-top:2rem}h3{font-size:1.1rem;margin-bottom:.3rem}
.meta,.filters,.source{color:#555;font-size:.9rem}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.side{margin:0;padding:.5rem .8rem;border-left:4px solid #888;background:#f6f6f6}
.side.a{border-color:#b3261e}.side.b{border-color:#1d5fa8}
.quote{font-style:italic}
.explanation{margin-top:.6rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}
@media (max-width:40rem){.sides{grid-template-columns:1fr}}
@media (prefers-color-scheme:dark){body{background:#121212;color:#e8e8e8}.side{background:#1e1e1e}.meta,.filters,.source{color:#aaa}}
"""


def _h(value: object) -> str:
    return html.escape(" ".join(str(value if value is not None else "").split()), quote=True)


def _page(title: str, body: Iterable[str]) -> str:
    return "".join(_page_lines(title, body))


def _page_lines(title: str, body: Iterable[str]) -> Iterator[str]:
    """A self-contained page, a line at a time: inline style, no script, and a policy that
    forbids any request."""
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(title)}</title>",
        f"<style>{_STYLE.strip()}</style>",
        "</head>",
        "<body>",
    ]
    for line in itertools.chain(head, body, ["</body>", "</html>"]):
        yield line + "\n"


def _html_side(record: Mapping[str, Any], side: str) -> str:
    source = _h(record[f"source_{side}"] or "unknown source")
    if record[f"publisher_{side}"]:
        source += f" ({_h(record[f'publisher_{side}'])})"
    if where := _where(record, side):
        source += f", {_h(where)}"
    return (
        f'<blockquote class="side {side}">'
        f"<p><strong>{_h(record[f'speaker_{side}'])}</strong> "
        f"({_h(record[f'role_{side}'] or 'unknown role')}, {_h(record[f'stance_{side}'])})</p>"
        f"<p class=\"quote\">“{_h(record[f'quote_{side}'])}”</p>"
        f'<p class="source">{source}</p></blockquote>'
    )


def _html_chunks(report: Report) -> Iterator[str]:
    return _page_lines(report.title, _html_body(report))


def _html_body(report: Report) -> Iterator[str]:
    yield from [f"<h1>{_h(report.title)}</h1>", f"<p>{_h(_summary(report))}</p>"]
    if report.filters.describe():
        yield f'<p class="filters">Filters: {_h(report.filters.describe())}</p>'
    number = 0
    for group, records in report.groups():
        if group:
            yield f"<section><h2>{_h(group)}</h2>"
        for record in records:
            number += 1
            yield from [
                f'<article id="{_h(record["id"])}">',
                f"<h3>{number}. {_h(record['speaker_a'])} vs. {_h(record['speaker_b'])} ({_h(record['basis'])})</h3>",
                f'<p class="meta">Status: {_h(record["status"])} · score {record["score"]:g} · '
                f"<code>{_h(record['id'])}</code></p>",
                f'<div class="sides">{_html_side(record, "a")}{_html_side(record, "b")}</div>',
                f'<p class="explanation">{_h(record["explanation"])}</p>',
                "</article>",
            ]
        if group:
            yield "</section>"


def render_table_result(result: QueryResult, fmt: str, title: str) -> str:
    """A plain table (such as the per-actor one) in any of the report formats."""
    if fmt in ("table", "json"):
        return render(result, fmt)
    if fmt == "markdown":
        def cell(value: object) -> str:
            return _md("; ".join(map(str, value)) if isinstance(value, list) else value)

        lines = [f"# {_md(title)}", "", "| " + " | ".join(result.columns) + " |",
                 "|" + " --- |" * len(result.columns)]
        lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in result.rows]
        return "\n".join(lines) + "\n"
    if fmt == "html":
        def html_cell(value: object) -> str:
            return _h("; ".join(map(str, value)) if isinstance(value, list) else value)

        body = [f"<h1>{_h(title)}</h1>", "<table>",
                "<tr>" + "".join(f"<th>{_h(c)}</th>" for c in result.columns) + "</tr>"]
        body += ["<tr>" + "".join(f"<td>{html_cell(v)}</td>" for v in row) + "</tr>" for row in result.rows]
        body.append("</table>")
        return _page(title, body)
    raise KGError(f"the format is one of {', '.join(REPORT_FORMATS)}, not {fmt!r}")
