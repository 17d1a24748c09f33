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
"""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping

from kg.detect.facts import Actor, Facts, build_claims
from kg.errors import KGError
from kg.identity import is_fuzzy_date
from kg.output import render
from kg.privacy import Redactor
from kg.queries import get_query
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
    records: list[dict[str, Any]]
    filters: Filters = field(default_factory=Filters)
    group_by: str = "none"
    view: str = "all"

    def groups(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """(label, records) in the order of their strongest contradiction; one group without
        grouping."""
        if self.group_by == "none":
            return [("", self.records)]
        grouped: dict[str, list[dict[str, Any]]] = {}
        for record in self.records:
            grouped.setdefault(record["group"], []).append(record)
        return list(grouped.items())


def contradictions(store: GraphStore, filters: Filters | None = None, *, reveal: bool = False) -> QueryResult:
    """The rows of the `contradictions` named query under these filters, sensitive names redacted."""
    filters = filters or Filters()
    filters.check(store)
    return _contradiction_rows(store, filters, Redactor.for_store(store, reveal=reveal))


# The named query is read a page at a time: it folds only the page's contradictions, so a page
# of 50,000 fits LadybugDB's default 1 GB buffer pool where all 360,000 of a 100,000-article
# store did not; each page sorts every contradiction again, so pages are kept large.
PAGE_ROWS = 50_000


def _contradiction_rows(store: GraphStore, filters: Filters, redactor: Redactor | None = None) -> QueryResult:
    """Every row of the named query, each page redacted as it is read (when a redactor is given)."""
    query = get_query("contradictions")
    redact = redactor.result if redactor is not None else (lambda result: result)
    result = redact(query.run(store, {**filters.params(), "skip": 0, "limit": PAGE_ROWS}))
    page = result
    while len(page.rows) == PAGE_ROWS:
        page = redact(query.run(store, {**filters.params(), "skip": len(result.rows), "limit": PAGE_ROWS}))
        result.rows.extend(page.rows)
    return result


def build_report(store: GraphStore, filters: Filters | None = None, *, group_by: str = "none",
                 view: str = "all", reveal: bool = False) -> Report:
    if group_by not in GROUPINGS:
        raise KGError(f"group by one of {', '.join(GROUPINGS)}, not {group_by!r}")
    if view not in VIEWS:
        raise KGError(f"the view is one of {', '.join(VIEWS)}, not {view!r}")
    filters = filters or Filters()
    filters.check(store)
    records = _contradiction_rows(store, filters).records()
    voices = _voices(store, [_side_row(r, side) for r in records for side in _SIDES])
    for record in records:
        record["voice_a"], record["voice_b"] = voices.get(record["a"]), voices.get(record["b"])
    title = "Contradictions"
    if view == "denial-vs-testimony":
        title = "Official denial vs. survivor testimony"
        records = [oriented for r in records if (oriented := _official_denial_first(r)) is not None]
    if group_by != "none":
        _assign_groups(store, records, "Event" if group_by == "event" else "Topic", f"(no {group_by})")
        # Groups in the order of their strongest member; inside a group, strongest first.
        first = {}
        for position, record in enumerate(records):
            first.setdefault(record["group"], (record["group_id"] is None, position))
        records.sort(key=lambda r: first[r["group"]])
    redactor = Redactor.for_store(store, reveal=reveal)
    return Report(title=title, records=redactor.text(records),
                  filters=replace(filters, actor=redactor.text(filters.actor)), group_by=group_by, view=view)


def _side_row(record: Mapping[str, Any], side: str) -> dict[str, Any]:
    return {"id": record[side], "text": record[f"quote_{side}"], "stance": record[f"stance_{side}"],
            "speaker_role": record[f"role_{side}"], "speaker": record[f"speaker_id_{side}"]}


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


def _official_denial_first(record: dict[str, Any]) -> dict[str, Any] | None:
    """The record with the official's denial on side a and the survivor's testimony on side b,
    or None when it is not such a pair."""
    for denier, witness in (("a", "b"), ("b", "a")):
        if (record[f"voice_{denier}"] == "official" and record[f"stance_{denier}"] == "denial"
                and record[f"voice_{witness}"] == "survivor"):
            return record if denier == "a" else {_other_side(key): value for key, value in record.items()}
    return None


def _other_side(key: str) -> str:
    """The name of the same field on the other side: a <-> b, quote_a <-> quote_b."""
    for this, that in (("a", "b"), ("b", "a")):
        if key == this:
            return that
        if key.endswith("_" + this):
            return key[:-1] + that
    return key


def _assign_groups(store: GraphStore, records: list[dict[str, Any]], label: str, none_label: str) -> None:
    """Each record's group: an event (or topic) both sides are about, else one side b's account
    is about, else one of side a's; the one with the first label when several qualify."""
    ids = sorted({r[side] for r in records for side in _SIDES if r[side]})
    about: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    if ids:
        for statement, target, target_label in store.run(store.ontology.render(
                "UNWIND $ids AS wanted MATCH (s:{statement} {{id: wanted}}) OPTIONAL MATCH (s)-[:{rel}]->(t:{label}) "
                "WITH s, t WHERE t IS NOT NULL RETURN s.id, t.id, t.label",
                statement="Statement", rel="ABOUT", label=label), {"ids": ids}).rows:
            about[statement].add(target)
            labels[target] = target_label or target
    for record in records:
        side_a, side_b = about.get(record["a"], set()), about.get(record["b"], set())
        chosen = next((min(c, key=lambda t: (labels[t], t)) for c in (side_a & side_b, side_b, side_a) if c), None)
        record["group_id"] = chosen
        record["group"] = labels[chosen] if chosen else none_label


# --- per actor: how often they deny, whose accounts they deny ------------------------------------------


def actor_denials(store: GraphStore, filters: Filters | None = None, *, reveal: bool = False) -> QueryResult:
    """One row per actor who denies: their denial statements (in articles within the date
    range), the reported contradictions in which one of their denials stands against another
    speaker's account, and whose accounts those are. With an actor filter, only the actors
    in contradictions with that actor."""
    filters = filters or Filters()
    records = build_report(store, filters, reveal=True).records
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
    if fmt not in REPORT_FORMATS:
        raise KGError(f"the format is one of {', '.join(REPORT_FORMATS)}, not {fmt!r}")
    return {"table": render_report_table, "markdown": report_markdown, "html": report_html,
            "json": render_report_json}[fmt](report)


def render_report_table(report: Report) -> str:
    # The id to confirm or reject by, and the explanation (cut, as every long cell is: the other
    # formats give it whole).
    columns = ["id", "basis", "score", "speaker_a", "quote_a", "speaker_b", "quote_b", "explanation"]
    if report.view == "denial-vs-testimony":
        headers = ["id", "basis", "score", "official", "denial", "survivor", "testimony", "explanation"]
    else:
        headers = columns
    if report.group_by != "none":
        columns, headers = ["group", *columns], [report.group_by, *headers]
    return render(QueryResult(headers, [[r[c] for c in columns] for r in report.records]), "table")


def render_report_json(report: Report) -> str:
    return json.dumps(report.records, ensure_ascii=False, indent=2)


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
    where = _where(record, side)
    return (
        f"- **{_md(record[f'speaker_{side}'])}** ({role}, {_md(record[f'stance_{side}'])}): "
        f"“{_md(record[f'quote_{side}'])}” — {cited}{', ' + _md(where) if where else ''}"
    )


def _summary(report: Report) -> str:
    n = len(report.records)
    text = f"{n} contradiction{'s' if n != 1 else ''}, strongest first"
    if report.group_by != "none":
        text += f", grouped by {report.group_by}"
    return text + "."


def report_markdown(report: Report) -> str:
    lines = [f"# {_md(report.title)}", "", _summary(report), ""]
    if report.filters.describe():
        lines += [f"Filters: {_md(report.filters.describe())}", ""]
    heading = "##" if report.group_by == "none" else "###"
    number = 0
    for group, records in report.groups():
        if group:
            lines += [f"## {_md(group)}", ""]
        for record in records:
            number += 1
            lines += [
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
    return "\n".join(lines).rstrip() + "\n"


def render_markdown(result: QueryResult, title: str = "Contradictions") -> str:
    """The report of rows of the `contradictions` query (see `contradictions`), ungrouped."""
    return report_markdown(Report(title=title, records=result.records()))


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
    """A self-contained page: inline style, no script, and a policy that forbids any request."""
    return "\n".join([
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
        *body,
        "</body>",
        "</html>",
        "",
    ])


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


def report_html(report: Report) -> str:
    body = [f"<h1>{_h(report.title)}</h1>", f"<p>{_h(_summary(report))}</p>"]
    if report.filters.describe():
        body.append(f'<p class="filters">Filters: {_h(report.filters.describe())}</p>')
    number = 0
    for group, records in report.groups():
        if group:
            body.append(f"<section><h2>{_h(group)}</h2>")
        for record in records:
            number += 1
            body += [
                f'<article id="{_h(record["id"])}">',
                f"<h3>{number}. {_h(record['speaker_a'])} vs. {_h(record['speaker_b'])} ({_h(record['basis'])})</h3>",
                f'<p class="meta">Status: {_h(record["status"])} · score {record["score"]:g} · '
                f"<code>{_h(record['id'])}</code></p>",
                f'<div class="sides">{_html_side(record, "a")}{_html_side(record, "b")}</div>',
                f'<p class="explanation">{_h(record["explanation"])}</p>',
                "</article>",
            ]
        if group:
            body.append("</section>")
    return _page(report.title, body)


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
