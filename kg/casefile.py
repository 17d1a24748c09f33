"""Case files: an investigator's curated record of one article, validated and turned into records.

The format is declared in loaders/casefile.yaml; this module reads that declaration and checks
every case file against it (unknown fields, types, vocabularies, references, quotes), then
builds an ArticleBundle. Nothing reaches a store before the whole file has passed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Mapping

from kg import identity
from kg.errors import AmbiguousQuoteError, CaseFileError, QuoteNotFoundError
from kg.ontology import Ontology, load_ontology
from kg.records import ArticleBundle, EdgeRecord, NodeRecord
from kg.resources import resource_path
from kg.yamlsafe import LineDict, LineList, load_yaml_file, read_text_file

_HANDLE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_INT = re.compile(r"^[+-]?\d+$")
_TRUE, _FALSE = {"true", "yes"}, {"false", "no"}
_SCALAR_TYPES = {"string", "text", "date", "int", "bool", "handle", "ref", "quote", "vocab"}

# The case file's name for a vocabulary that is not a single ontology property.
_ACTOR_RELATION = "actorRelation"


# --- the schema, read from loaders/casefile.yaml -----------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    required: bool = False
    default: Any = None
    of: str | None = None
    to: tuple[str, ...] = ()
    vocabulary: str | None = None
    fields: Mapping[str, "FieldSpec"] = field(default_factory=dict)


@dataclass(frozen=True)
class SectionSpec:
    name: str
    shape: str  # mapping | list
    required: bool
    fields: Mapping[str, FieldSpec]
    exactly_one_of: tuple[str, ...] = ()


def _flag(raw: Mapping[str, Any], key: str) -> bool:
    return str(raw.get(key, "false")).lower() == "true"


def _field_spec(name: str, raw: Mapping[str, Any], where: str) -> FieldSpec:
    kind = raw.get("type")
    if kind not in _SCALAR_TYPES | {"list", "mapping"}:
        raise CaseFileError(f"field {name!r} has unknown type {kind!r}", where=where)
    to = raw.get("to") or ()
    return FieldSpec(
        name=name,
        type=kind,
        required=_flag(raw, "required"),
        default=raw.get("default"),
        of=raw.get("of"),
        to=tuple(to),
        vocabulary=raw.get("vocabulary"),
        fields={k: _field_spec(k, v, where) for k, v in (raw.get("fields") or {}).items()},
    )


@lru_cache(maxsize=None)
def casefile_schema(path: Path | None = None) -> dict[str, SectionSpec]:
    path = path or resource_path("loaders", "casefile.yaml")
    raw = load_yaml_file(path)
    sections = {}
    for name, spec in raw["sections"].items():
        sections[name] = SectionSpec(
            name=name,
            shape=spec["shape"],
            required=_flag(spec, "required"),
            fields={k: _field_spec(k, v, f"{path}:{spec.line_of('fields')}") for k, v in spec["fields"].items()},
            exactly_one_of=tuple(spec.get("exactly_one_of") or ()),
        )
    return sections


# --- validated content --------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One validated entry of a section, with the line it stands on."""

    section: str
    values: Mapping[str, Any]
    line: int
    field_lines: Mapping[str, int] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)

    def line_of(self, key: str) -> int:
        return self.field_lines.get(key, self.line)


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class CaseFile:
    path: Path
    article: Item
    text: str
    sections: dict[str, list[Item]]
    spans: dict[tuple[str, str], Span]  # (handle, field) -> located quote

    def items(self, section: str) -> list[Item]:
        return self.sections.get(section, [])


class _Validator:
    def __init__(self, path: Path, ontology: Ontology) -> None:
        self.path = path
        self.ontology = ontology

    def at(self, line: int) -> str:
        return f"{self.path}:{line}"

    def vocabulary(self, name: str) -> tuple[str, ...]:
        if name == _ACTOR_RELATION:
            return tuple(sorted(self.ontology.actor_relations))
        return self.ontology.vocabulary(name)

    def mapping(self, raw: Any, fields: Mapping[str, FieldSpec], what: str, line: int) -> dict[str, Any]:
        if not isinstance(raw, LineDict):
            raise CaseFileError(f"{what} must be a mapping of fields", where=self.at(line))
        for key in raw:
            if key not in fields:
                known = ", ".join(fields)
                raise CaseFileError(
                    f"unknown field {key!r} in {what} (known: {known})", where=self.at(raw.line_of(key))
                )
        values: dict[str, Any] = {}
        for name, spec in fields.items():
            value = raw.get(name)
            if value is None:
                if spec.required:
                    raise CaseFileError(f"{what} needs {name!r}", where=self.at(raw.line))
                values[name] = self.value(spec, spec.default, what, raw.line) if spec.default is not None else None
                continue
            values[name] = self.value(spec, value, what, raw.line_of(name))
        return values

    def value(self, spec: FieldSpec, raw: Any, what: str, line: int) -> Any:
        label = f"{what}: {spec.name}"
        if spec.type == "list":
            if not isinstance(raw, LineList):
                raise CaseFileError(f"{label} must be a list", where=self.at(line))
            item_spec = FieldSpec(
                name=spec.name, type=spec.of or "string", to=spec.to,
                vocabulary=spec.vocabulary, fields=spec.fields,
            )
            return [self.value(item_spec, item, what, raw.line_of(i)) for i, item in enumerate(raw)]
        if spec.type == "mapping":
            return self.mapping(raw, spec.fields, label, line)
        if not isinstance(raw, str):
            raise CaseFileError(f"{label} must be a single value, not a list or mapping", where=self.at(line))
        if spec.type in ("string", "quote", "ref") and "\n" in raw.strip():
            raise CaseFileError(f"{label} must be one line", where=self.at(line))
        if spec.type == "int":
            if not _INT.match(raw):
                raise CaseFileError(f"{label} must be a whole number, got {raw!r}", where=self.at(line))
            return int(raw)
        if spec.type == "bool":
            lowered = raw.lower()
            if lowered not in _TRUE | _FALSE:
                raise CaseFileError(f"{label} must be true or false, got {raw!r}", where=self.at(line))
            return lowered in _TRUE
        if spec.type == "date" and not identity.is_fuzzy_date(raw):
            raise CaseFileError(
                f"{label} must be a date as YYYY, YYYY-MM or YYYY-MM-DD, got {raw!r}", where=self.at(line)
            )
        if spec.type == "handle" and not _HANDLE.match(raw):
            raise CaseFileError(
                f"{label} must use letters, digits, '-' and '_' only, got {raw!r}", where=self.at(line)
            )
        if spec.type == "vocab":
            allowed = self.vocabulary(spec.vocabulary or "")
            if raw not in allowed:
                raise CaseFileError(
                    f"{label} must be one of {', '.join(allowed)}; got {raw!r}", where=self.at(line)
                )
        if spec.type in ("string", "quote") and not raw.strip():
            raise CaseFileError(f"{label} is empty", where=self.at(line))
        return raw


def locate_quote(folded_text: str, quote: str, occurrence: int | None, where: str) -> Span:
    """Find the occurrence-th appearance of quote in an article's text, given with its quote
    marks folded (identity.fold_quote_marks), so that straight and curly marks match.

    Without an occurrence the quote must be unique, so that no one's words are silently pinned
    to the wrong sentence."""
    needle = identity.fold_quote_marks(quote.strip())
    positions = identity.occurrences(folded_text, needle)
    if not positions:
        raise QuoteNotFoundError(f"not found in the article: {quote!r}", where=where)
    if occurrence is None:
        if len(positions) > 1:
            raise AmbiguousQuoteError(
                f"{quote!r} appears {len(positions)} times in the article; add occurrence: N to pick one",
                where=where,
            )
        occurrence = 1
    if not 1 <= occurrence <= len(positions):
        raise CaseFileError(
            f"occurrence {occurrence} asked, but {quote!r} appears {len(positions)} time(s)", where=where
        )
    start = positions[occurrence - 1]
    return Span(start, start + len(needle))


# Fields whose value is a quote, and the occurrence field that disambiguates it, per section.
_QUOTED_FIELDS = {"events": "evidence", "statements": "text", "relations": "evidence"}


def read_casefile(path: Path, *, ontology: Ontology | None = None) -> CaseFile:
    """Validate a case file completely: schema, vocabularies, references and quotes."""
    ontology = ontology or load_ontology()
    schema = casefile_schema()
    validator = _Validator(path, ontology)
    raw = load_yaml_file(path)
    if not isinstance(raw, LineDict):
        raise CaseFileError("a case file is a mapping with an article section", where=f"{path}:1")
    for key in raw:
        if key not in schema:
            raise CaseFileError(
                f"unknown section {key!r} (known: {', '.join(schema)})", where=validator.at(raw.line_of(key))
            )

    sections: dict[str, list[Item]] = {}
    for name, spec in schema.items():
        section_raw = raw.get(name)
        if section_raw is None:
            if spec.required:
                raise CaseFileError(f"the case file needs an {name!r} section", where=f"{path}:1")
            continue
        line = raw.line_of(name)
        if spec.shape == "mapping":
            values = validator.mapping(section_raw, spec.fields, name, line)
            given = [k for k in spec.exactly_one_of if values.get(k) is not None]
            if spec.exactly_one_of and len(given) != 1:
                raise CaseFileError(
                    f"{name} needs exactly one of {' or '.join(spec.exactly_one_of)}", where=validator.at(line)
                )
            sections[name] = [Item(name, values, section_raw.line, section_raw.key_lines)]
        else:
            if not isinstance(section_raw, LineList):
                raise CaseFileError(f"{name} must be a list", where=validator.at(line))
            sections[name] = [
                Item(name, validator.mapping(entry, spec.fields, f"{name} entry", section_raw.line_of(i)),
                     section_raw.line_of(i), entry.key_lines)
                for i, entry in enumerate(section_raw)
            ]

    article = sections.pop("article")[0]
    if article["text"] is not None:
        text = article["text"]
    else:
        text_path = path.parent / article["text_file"]
        text = read_text_file(text_path)
    if not text.strip():
        raise CaseFileError("the article text is empty", where=validator.at(article.line))

    _check_handles_and_refs(path, schema, sections)
    spans = _locate_quotes(path, text, sections)
    return CaseFile(path=path, article=article, text=text, sections=sections, spans=spans)


def _check_handles_and_refs(path: Path, schema: Mapping[str, SectionSpec], sections: dict[str, list[Item]]) -> None:
    owner: dict[str, Item] = {}
    for section, items in sections.items():
        for item in items:
            handle = item["id"]
            if handle is None:
                continue
            if handle in owner:
                raise CaseFileError(
                    f"id {handle!r} is already used on line {owner[handle].line}", where=f"{path}:{item.line}"
                )
            owner[handle] = item

    def check(ref: str, spec: FieldSpec, item: Item) -> None:
        target = owner.get(ref)
        if target is None or target.section not in spec.to:
            kinds = " or ".join(spec.to)
            raise CaseFileError(
                f"{item.section} entry: {spec.name} {ref!r} names no entry in {kinds}",
                where=f"{path}:{item.line_of(spec.name)}",
            )

    for section, items in sections.items():
        for spec in schema[section].fields.values():
            for item in items:
                for ref, ref_spec in _refs(spec, item[spec.name]):
                    check(ref, ref_spec, item)


def _refs(spec: FieldSpec, value: Any) -> Iterator[tuple[str, FieldSpec]]:
    if value is None:
        return
    if spec.type == "ref":
        yield value, spec
    elif spec.type == "list":
        item_spec = FieldSpec(name=spec.name, type=spec.of or "string", to=spec.to, fields=spec.fields)
        for element in value:
            yield from _refs(item_spec, element)
    elif spec.type == "mapping":
        for sub in spec.fields.values():
            yield from _refs(sub, value.get(sub.name))


def _locate_quotes(path: Path, text: str, sections: dict[str, list[Item]]) -> dict[tuple[str, str], Span]:
    folded = identity.fold_quote_marks(text)
    spans = {}
    for section, field_name in _QUOTED_FIELDS.items():
        for index, item in enumerate(sections.get(section, [])):
            handle = item["id"] or f"{section}#{index}"
            spans[(handle, field_name)] = locate_quote(
                folded, item[field_name], item["occurrence"], f"{path}:{item.line_of(field_name)}"
            )
    return spans


# --- records ------------------------------------------------------------------------------------


def producer_name(path: Path) -> str:
    """How a case file is named in evidence: relative to the working directory when below it."""
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        shown = path
    return f"casefile:{shown.as_posix()}"


def casefile_bundle(case: CaseFile) -> ArticleBundle:
    """The records of a validated case file. Actor ids here are from names alone; the ingest
    step maps them onto actors already in the store that share a name or alias."""
    text = case.text
    sha = identity.text_sha256(text)
    producer = producer_name(case.path)
    article = case.article
    article_node = NodeRecord(
        "Article",
        identity.article_id(sha),
        {
            "url": article["url"],
            "title": article["title"],
            "publisher": article["publisher"],
            "published": article["published"],
            "retrieved": article["retrieved"],
            "sha256": sha,
            "text": text,
            "language": article["language"],
            "encoding": "utf-8",
            "source_path": case.path.as_posix(),
            "restricted": article["restricted"],
        },
    )
    bundle = ArticleBundle(origin=str(case.path), article=article_node, curated=True)
    ids: dict[str, tuple[str, str]] = {}  # handle -> (label, id)
    evidence = {"article_sha256": sha, "produced_by": producer}

    def span_props(span: Span | None) -> dict[str, Any]:
        return {
            "start_offset": span.start if span else None,
            "end_offset": span.end if span else None,
            **evidence,
        }

    sensitive_roles = _sensitive_roles(case)
    for actor in case.items("actors"):
        names = [actor["name"], *(actor["aliases"] or [])]
        sensitive = actor["sensitive"] or actor["id"] in sensitive_roles
        node_id = identity.actor_id(actor["name"], sensitive=sensitive)
        ids[actor["id"]] = ("Actor", node_id)
        bundle.nodes.append(NodeRecord("Actor", node_id, {
            "name": actor["name"],
            "actor_type": actor["type"],
            "aliases": list(actor["aliases"] or []),
            "name_keys": identity.name_keys(names),
            "roles": list(actor["roles"] or []),
            "collective": actor["collective"],
            "sensitive": sensitive,
            "description": actor["description"],
        }))
        mention = _first_mention(text, names)
        bundle.edges.append(EdgeRecord(
            "MENTIONED_IN", "Actor", node_id, "Article", article_node.id, key="", props=span_props(mention)
        ))

    for place in case.items("places"):
        node_id = identity.place_id(place["name"])
        ids[place["id"]] = ("Place", node_id)
        names = [place["name"], *(place["aliases"] or [])]
        bundle.nodes.append(NodeRecord("Place", node_id, {
            "name": place["name"],
            "aliases": list(place["aliases"] or []),
            "name_keys": identity.name_keys(names),
        }))

    for topic in case.items("topics"):
        node_id = identity.topic_id(topic["label"])
        ids[topic["id"]] = ("Topic", node_id)
        bundle.nodes.append(NodeRecord("Topic", node_id, {"label": topic["label"]}))

    for event in case.items("events"):
        span = case.spans[(event["id"], "evidence")]
        node_id = identity.event_id(sha, span.start, span.end, event["type"], event["key"])
        ids[event["id"]] = ("Event", node_id)
        bundle.nodes.append(NodeRecord("Event", node_id, {
            "event_type": event["type"],
            "label": event["label"],
            "description": event["description"],
            "time_text": event["time"],
            "time_start": event["time_start"],
            "time_end": event["time_end"],
            "count": event["count"],
            "count_text": event["count_text"],
            "cue": None,
            "confidence": 1.0,
            "restricted": event["restricted"],
            **span_props(span),
        }))
        bundle.edges.append(EdgeRecord("REPORTED_IN", "Event", node_id, "Article", article_node.id, key=""))
        for participant in event["participants"] or []:
            actor_label, actor_node = ids[participant["actor"]]
            bundle.edges.append(EdgeRecord(
                "PARTICIPATED_IN", actor_label, actor_node, "Event", node_id,
                key=participant["role"], props={"role": participant["role"], **span_props(span)},
            ))
        if event["place"]:
            place_label, place_node = ids[event["place"]]
            bundle.edges.append(EdgeRecord(
                "OCCURRED_IN", "Event", node_id, place_label, place_node, key="", props=span_props(span)
            ))

    for statement in case.items("statements"):
        span = case.spans[(statement["id"], "text")]
        node_id = identity.statement_id(sha, span.start, span.end)
        ids[statement["id"]] = ("Statement", node_id)
        bundle.nodes.append(NodeRecord("Statement", node_id, {
            "text": text[span.start:span.end],
            "kind": statement["kind"],
            "stance": statement["stance"],
            "speaker_role": statement["speaker_role"],
            "date": statement["date"],
            "cue": statement["cue"],
            "confidence": 1.0,
            "restricted": statement["restricted"],
            **span_props(span),
        }))
        bundle.edges.append(EdgeRecord("REPORTED_IN", "Statement", node_id, "Article", article_node.id, key=""))
        speaker_label, speaker = ids[statement["speaker"]]
        bundle.edges.append(EdgeRecord(
            "SAID", speaker_label, speaker, "Statement", node_id, key="", props=span_props(span)
        ))
        for ref in statement["about"] or []:
            target_label, target = ids[ref]
            bundle.edges.append(EdgeRecord(
                "ABOUT", "Statement", node_id, target_label, target, key="", props=span_props(span)
            ))

    relation_types = load_ontology().actor_relations
    for index, relation in enumerate(case.items("relations")):
        span = case.spans[(f"relations#{index}", "evidence")]
        _, source = ids[relation["source"]]
        _, target = ids[relation["target"]]
        bundle.edges.append(EdgeRecord(
            relation_types[relation["relation"]].type, "Actor", source, "Actor", target,
            key="", props=span_props(span),
        ))

    for contradiction in case.items("contradictions"):
        _, a = ids[contradiction["a"]]
        _, b = ids[contradiction["b"]]
        if a == b:
            raise CaseFileError("a contradiction needs two different statements", where=f"{case.path}:{contradiction.line}")
        node_id = identity.contradiction_id(a, b)
        bundle.nodes.append(NodeRecord("Contradiction", node_id, {
            "basis": contradiction["basis"],
            "explanation": contradiction["explanation"],
            # What the file says; where a reviewer has decided on this contradiction by
            # command, the store keeps that status and note instead (kg.stores.base.keep_reviews).
            "status": contradiction["status"],
            "score": 1.0,
            "note": None,
            "produced_by": producer,
        }))
        for side, statement in (("a", a), ("b", b)):
            bundle.edges.append(EdgeRecord(
                "INVOLVES", "Contradiction", node_id, "Statement", statement,
                key=side, props={"side": side, "produced_by": producer},
            ))
    return bundle


def _sensitive_roles(case: CaseFile) -> set[str]:
    """Handles of the actors the privacy section protects by role: those with one of its
    sensitive_roles, or taking part in an event in a participant role of the same name."""
    privacy = case.items("privacy")
    roles = set(privacy[0]["sensitive_roles"] or []) if privacy else set()
    if not roles:
        return set()
    protected = {actor["id"] for actor in case.items("actors") if roles & set(actor["roles"] or [])}
    for event in case.items("events"):
        protected |= {p["actor"] for p in event["participants"] or [] if p["role"] in roles}
    return protected


def _first_mention(text: str, names: list[str]) -> Span | None:
    folded = identity.fold_quote_marks(text)
    lowered = folded.lower()
    # lower() keeps offsets only when it keeps the length ("İ" becomes two characters); else
    # IGNORECASE on the quote-folded text, which is slower but exact.
    same_length = len(lowered) == len(folded)
    found = []
    for name in names:
        needle = identity.fold_quote_marks(name)
        if same_length and len(needle.lower()) == len(needle):
            at = lowered.find(needle.lower())
            if at >= 0:
                found.append((at, at + len(needle)))
        elif match := re.search(re.escape(needle), folded, re.IGNORECASE):
            found.append((match.start(), match.end()))
    if not found:
        return None
    start, end = min(found)
    return Span(start, end)


def load_casefile(path: Path) -> ArticleBundle:
    """Read, validate and convert one case file."""
    return casefile_bundle(read_casefile(path))
