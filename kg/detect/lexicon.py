"""The detector's word lists (loaders/lexicons/contradiction.yaml): read strictly, compiled once.

Researchers edit the YAML file, not code. It is read with kg.yamlsafe (every scalar stays
text) into the typed models below: a key the model does not have, a missing key, a value of the
wrong shape, or an event type the ontology does not declare is an InputError naming file:line.
The lists are then compiled into the regular expressions and sets kg.detect.text reads with.
Phrase and stem syntax is described at the top of the YAML file.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

from kg.errors import InputError
from kg.resources import resource_path
from kg.yamlsafe import LineDict, LineList, load_yaml_file

FILE_NAME = "contradiction.yaml"


# --- the models: one per section of the file ---------------------------------------------------------


@dataclass(frozen=True)
class EventWords:
    triggers: dict[str, list[str]]
    umbrella: list[str]
    kin: list[list[str]]
    harm: list[str]
    not_harm_stems: list[str]
    not_naming: list[str]
    outcomes: list[str]


@dataclass(frozen=True)
class NegationWords:
    negators: list[str]
    denial_stems: list[str]
    not_denial_stems: list[str]
    rejects: list[str]
    accounts: list[str]
    unconfirmed: list[str]
    lacking: list[str]
    knowledge: list[str]
    distinctions: list[str]
    own_conduct: list[str]
    pretexts: list[str]
    lacking_words: list[str]
    lacked_kin: list[list[str]]
    pending: list[str]
    awaiting: list[str]
    learned: list[str]
    news_sources: list[str]
    not_lacked: list[str]
    figures: list[str]
    not_figures: list[str]
    ceased: list[str]
    event_negators: list[str]
    events: list[str]
    happened: list[str]


@dataclass(frozen=True)
class ExistenceWords:
    possessed: list[str]
    such: list[str]
    found: list[str]
    not_things: list[str]
    not_attesting: list[str]
    kinds: dict[str, list[str]]


@dataclass(frozen=True)
class ZeroWords:
    alone: list[str]
    after_no: list[str]
    intensifiers: list[str]
    harms: list[str]
    after_no_word: list[str]


@dataclass(frozen=True)
class ResponsibilityWords:
    no_link: list[str]
    not_linked: list[str]
    unlinked: list[str]
    agents_after_no: list[str]
    not_involved: list[str]
    no_part: list[str]
    subject_breaks: list[str]
    state_agents: list[str]
    private_agents: list[str]
    harm_acts: list[str]
    causes: list[str]
    attributing: list[str]
    cause_kinds: dict[str, list[str]]


@dataclass(frozen=True)
class MoodWords:
    relays: list[str]
    earlier: list[str]
    hedges: list[str]
    demands: list[str]
    imperatives: list[str]


@dataclass(frozen=True)
class CountWords:
    numbers: dict[str, int]
    multipliers: list[str]
    after_a: list[str]
    single: list[str]
    vague: dict[str, int]
    at_least: list[str]
    at_most: list[str]
    about: list[str]
    units: list[str]
    not_after: list[str]
    months: list[str]
    agents: list[str]
    periods: list[str]
    remaining: list[str]
    everyone: list[str]
    released: list[str]
    things_within: dict[str, list[str]]
    acts_on_things: list[list[str]]
    remains: list[str]
    dead: list[str]
    one_person: list[str]
    people: list[str]


@dataclass(frozen=True)
class ContentWords:
    stopwords: list[str]
    weak_stems: list[str]


@dataclass(frozen=True)
class ContradictionWords:
    version: str
    events: EventWords
    negation: NegationWords
    existence: ExistenceWords
    zero: ZeroWords
    responsibility: ResponsibilityWords
    mood: MoodWords
    counts: CountWords
    content: ContentWords


# --- reading a model from YAML ------------------------------------------------------------------------


def _error(path: Path, line: int, message: str) -> InputError:
    return InputError(message, where=f"{path}:{line}")


def _value(kind: Any, value: Any, path: Path, line: int, what: str) -> Any:
    if dataclasses.is_dataclass(kind):
        return _model(kind, value, path, line, what)
    origin = get_origin(kind)
    if origin is list:
        if not isinstance(value, LineList):
            raise _error(path, line, f"{what} must be a list")
        (item,) = get_args(kind)
        return [_value(item, v, path, value.line_of(i), f"{what}[{i + 1}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, LineDict):
            raise _error(path, line, f"{what} must be a mapping")
        _, item = get_args(kind)
        return {_value(str, k, path, value.line_of(k), f"{what} key"): _value(item, v, path, value.line_of(k), f"{what}: {k}")
                for k, v in value.items()}
    if not isinstance(value, str) or not value.strip():
        raise _error(path, line, f"{what} must be a non-empty text value")
    if kind is int:
        if not re.fullmatch(r"\d+", value.strip()):
            raise _error(path, line, f"{what} must be a whole number, got {value!r}")
        return int(value)
    return value.strip()


def _model(model: type, value: Any, path: Path, line: int, what: str) -> Any:
    fields = get_type_hints(model)
    if not isinstance(value, LineDict):
        raise _error(path, line, f"{what} must be a mapping with keys {', '.join(fields)}")
    for key in value:
        if key not in fields:
            raise _error(path, value.line_of(key), f"unknown key {key!r} in {what} (known: {', '.join(fields)})")
    missing = [key for key in fields if value.get(key) is None]
    if missing:
        raise _error(path, value.line, f"{what} needs {', '.join(repr(k) for k in missing)}")
    return model(**{key: _value(kind, value[key], path, value.line_of(key), f"{what}: {key}")
                    for key, kind in fields.items()})


def read_words(path: Path) -> ContradictionWords:
    """Read and check one contradiction lexicon file (uncached)."""
    from kg.ontology import load_ontology

    data = load_yaml_file(path)
    words: ContradictionWords = _model(ContradictionWords, data, path, 1, path.name)
    event_types = set(load_ontology().vocabulary("eventType"))
    sections = data["events"]
    for key, names in (("triggers", list(words.events.triggers)), ("umbrella", words.events.umbrella),
                       ("harm", words.events.harm)):
        unknown = [n for n in names if n not in event_types]
        if unknown:
            raise _error(path, sections.line_of(key),
                         f"unknown event type {unknown[0]!r} in events: {key} (the ontology has: "
                         f"{', '.join(sorted(event_types))})")
    return words


# --- compiling ----------------------------------------------------------------------------------------


def alternation(phrases: list[str]) -> str:
    """A regex alternation of phrases (longest first): words joined by one space, as the folded
    text has them; "word*" matches any word that begins so."""
    def pattern(phrase: str) -> str:
        return " ".join(re.escape(w[:-1]) + r"\w*" if w.endswith("*") and len(w) > 1 else re.escape(w)
                        for w in phrase.casefold().split())
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "(?:" + "|".join(pattern(p) for p in ordered) + ")"


@dataclass(frozen=True)
class Lexicon:
    """The compiled word lists (see kg.detect.text for the rules that use them)."""

    triggers: dict[str, tuple[str, ...]]
    umbrella_types: frozenset[str]
    kin_types: frozenset[frozenset[str]]
    harm_types: frozenset[str]
    harm_stems: tuple[str, ...]
    not_harm_stems: frozenset[str]
    not_naming: frozenset[str]
    outcomes: frozenset[str]
    negators: frozenset[str]
    denial_stems: tuple[str, ...]
    not_denial_stems: tuple[str, ...]
    rejects: re.Pattern[str]
    accounts: re.Pattern[str]
    distinction: re.Pattern[str]
    own_conduct: re.Pattern[str]
    pretext: re.Pattern[str]
    lacking_words: frozenset[str]
    lacked_kin: dict[str, frozenset[str]]  # a thing's stem (5 letters) -> the words of its kin
    pending: re.Pattern[str]
    awaiting: re.Pattern[str]
    uninformed: re.Pattern[str]
    not_lacked: frozenset[str]
    figure: re.Pattern[str]
    not_figure: re.Pattern[str]
    ceased: re.Pattern[str]
    event_negation: re.Pattern[str]
    existential: tuple[re.Pattern[str], ...]
    kinds: dict[str, tuple[str, ...]]
    not_attesting: re.Pattern[str]
    zero: tuple[re.Pattern[str], ...]
    agency: tuple[re.Pattern[str], ...]
    subject_break: re.Pattern[str]
    state_agent: re.Pattern[str]
    private_agent: re.Pattern[str]
    harm_act: re.Pattern[str]
    cause: re.Pattern[str]
    cause_kind: dict[str, str]
    attributing: re.Pattern[str]
    relay: re.Pattern[str]
    earlier: re.Pattern[str]
    hedge: re.Pattern[str]
    demand: re.Pattern[str]
    imperatives: frozenset[str]
    numbers: dict[str, int]
    multipliers: frozenset[str]
    after_a: frozenset[str]
    single: frozenset[str]
    vague: dict[str, tuple[float, float]]
    at_least: tuple[str, ...]
    at_most: tuple[str, ...]
    about: tuple[str, ...]
    units: frozenset[str]
    not_after: frozenset[str]
    months: frozenset[str]
    agents: frozenset[str]
    period: re.Pattern[str]
    remaining: re.Pattern[str]
    all_released: re.Pattern[str]
    things_within: dict[str, frozenset[str]]  # a thing -> the things it includes
    acts_on_things: tuple[re.Pattern[str], ...]
    remains: frozenset[str]
    dead: re.Pattern[str]
    one_person: re.Pattern[str]  # "the journalist"
    people: frozenset[str]
    stopwords: frozenset[str]
    weak_stems: frozenset[str]


def _words(phrases: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b" + alternation(phrases) + r"\b")


def compile_words(w: ContradictionWords) -> Lexicon:
    neg, ex, zero, resp = w.negation, w.existence, w.zero, w.responsibility
    harm_types = frozenset(w.events.harm)
    harm_stems = tuple(sorted({
        stem for kind in harm_types for stem in w.events.triggers.get(kind, ()) if " " not in stem
    } - set(w.events.not_harm_stems)))
    alt = alternation
    rejects = re.compile(
        r"\b(?:" + alt(neg.rejects) + r"|(?:not|never|un)(?: been)? ?" + alt(neg.unconfirmed) + "|"
        + alt(neg.lacking) + r" (?:\w+ )?" + alt(neg.knowledge) + r")\b")
    event_negation = re.compile(
        r"\b" + alt(neg.event_negators) + r" (?:\w+ )?" + alt(neg.events) + r"\b|"
        r"\bnothing (?:like that )?" + alt(neg.happened) + r"\b|\bnever happened\b")
    not_things = alt(ex.not_things)
    existential = (
        # "We don't have any gays", "Chechnya doesn't have those kinds of people"
        re.compile(r"\b(?:do|does|did)(?: not|n't)\W+(?:\w+\W+)?have\W+" + alt(ex.possessed) + r"\b"),
        re.compile(r"\bthere (?:is|are|were|was) no\b(?! " + not_things + ")"),
        re.compile(r"\bno such (?:" + alt(ex.such) + r"|\w+s)\b"),
        re.compile(r"\b(?:do|does|did)(?: not|n't) exist\b|\bnon-?existent\b|\bnever existed\b"),
        re.compile(r"\b" + alt(ex.found) + r" no (?!" + not_things + r")\w+"),
        re.compile(r"\bhas not \w+ anyone\b|\bhave not \w+ anyone\b|\bhad not \w+ anyone\b"),
    )
    zeros = (
        _words(zero.alone),
        re.compile(r"\bno " + alt(zero.after_no) + r"\b"),
        re.compile(r"\b" + alt(zero.intensifiers) + r" (?:no )?" + alt(zero.harms) + r"\b"),
        re.compile(r"\bno (?:\w+ )?" + alt(zero.after_no_word) + r"\b"),
    )
    agency = (
        re.compile(r"\bno (?:\w+ )?" + alt(resp.no_link) + r"\b|\bnot " + alt(resp.not_linked) + r" to\b|\b"
                   + alt(resp.unlinked) + r"\b"),
        re.compile(r"\bno " + alt(resp.agents_after_no) + r"\b"),
        re.compile(r"\bnot (?:been )?" + alt(resp.not_involved) + r"\b"),
        re.compile(r"\bno (?:\w+ )?" + alt(resp.no_part) + r" in\b"),
    )
    counts = w.counts
    return Lexicon(
        triggers={k: tuple(v) for k, v in w.events.triggers.items()},
        umbrella_types=frozenset(w.events.umbrella),
        kin_types=frozenset(frozenset(pair) for pair in w.events.kin),
        harm_types=harm_types,
        harm_stems=harm_stems,
        not_harm_stems=frozenset(w.events.not_harm_stems),
        not_naming=frozenset(w.events.not_naming),
        outcomes=frozenset(w.events.outcomes),
        negators=frozenset(neg.negators),
        denial_stems=tuple(neg.denial_stems),
        not_denial_stems=tuple(neg.not_denial_stems),
        rejects=rejects,
        accounts=_words(neg.accounts),
        distinction=_words(neg.distinctions),
        own_conduct=_words(neg.own_conduct),
        pretext=_words(neg.pretexts),
        lacking_words=frozenset(neg.lacking_words),
        # (whole words: "informed" is kin of "notice", "information" is not)
        lacked_kin={w[:5]: frozenset(group) for group in neg.lacked_kin for w in group},
        pending=_words(neg.pending),
        awaiting=_words(neg.awaiting),
        uninformed=re.compile(r"\b" + alt(neg.learned) + r" (?:[\w'-]+ ){0,4}?from " + alt(neg.news_sources) + r"\b"),
        not_lacked=frozenset(neg.not_lacked),
        figure=_words(neg.figures),
        not_figure=_words(neg.not_figures),
        # (not before an object: "had stopped them")
        ceased=re.compile(r"\b" + alt(neg.ceased) + r"\b(?! (?:them|him|her|us|me|you|it|the|a|an|people|\w+ing)\b)"),
        event_negation=event_negation,
        existential=existential,
        kinds={name: tuple(s.casefold() for s in stems) for name, stems in ex.kinds.items()},
        not_attesting=re.compile(r"\b" + alt(ex.not_attesting) + r"(?: [\w'-]+){0,3}"),
        zero=zeros,
        agency=agency,
        subject_break=re.compile(r"[,;:.!?()\"]|" + _words(resp.subject_breaks).pattern),
        state_agent=_words(resp.state_agents),
        private_agent=re.compile(r"\bby (?:a |an |the |his |her |their )?(?:[\w'-]+ ){0,2}" + alt(resp.private_agents) + r"\b"),
        harm_act=_words(resp.harm_acts),
        cause=_words(resp.causes),
        attributing=_words(resp.attributing),
        cause_kind={phrase.casefold(): kind for kind, phrases in resp.cause_kinds.items() for phrase in phrases},
        relay=_words(w.mood.relays),
        earlier=_words(w.mood.earlier),
        hedge=_words(w.mood.hedges),
        demand=_words(w.mood.demands),
        imperatives=frozenset(w.mood.imperatives),
        numbers=dict(counts.numbers),
        multipliers=frozenset(counts.multipliers),
        after_a=frozenset(counts.after_a),
        single=frozenset(counts.single),
        vague={k: (float(v), math.inf) for k, v in counts.vague.items()},
        at_least=tuple(counts.at_least),
        at_most=tuple(counts.at_most),
        about=tuple(counts.about),
        units=frozenset(counts.units),
        not_after=frozenset(counts.not_after),
        months=frozenset(counts.months),
        agents=frozenset(counts.agents),
        period=_words(counts.periods),
        remaining=_words(counts.remaining),
        all_released=re.compile(r"\b" + alt(counts.everyone) + r" (?:\w+ ){0,3}" + alt(counts.released) + r"\b"),
        things_within={k: frozenset(v) for k, v in counts.things_within.items()},
        acts_on_things=tuple(_words(group) for group in counts.acts_on_things),
        remains=frozenset(counts.remains),
        dead=_words(counts.dead),
        one_person=re.compile(r"\bthe " + alt(counts.one_person) + r"\b"),
        people=frozenset(counts.people),
        stopwords=frozenset(w.content.stopwords),
        weak_stems=frozenset(w.content.weak_stems),
    )


@lru_cache(maxsize=4)
def _load(path: Path) -> Lexicon:
    try:
        return compile_words(read_words(path))
    except re.error as exc:
        raise InputError(f"a phrase does not compile: {exc}", where=str(path)) from None


def load_words(directory: Path | None = None) -> Lexicon:
    """The compiled lexicon of a directory (default: loaders/lexicons, or KG_RESOURCES's)."""
    if directory is None:
        directory = resource_path("loaders", "lexicons")
    return _load((Path(directory) / FILE_NAME).resolve())
