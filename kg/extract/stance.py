"""Stance of a statement, and the cue that decided it (rule family "stance").

The order (stance.yaml explains it for researchers):
  1. denial       a denial cue in the words, or a denying speech verb
  2. testimony    a testimony cue; or an unattributed harm word together with the speaker's own
                  person ("I", "me"; in reported speech a "he"/"him" that points at the speaker)
                  or a speaker who is a survivor, victim or witness, said by one person
  3. accusation   an accusation cue, or an accusing verb; or an unattributed harm word said by a
                  speaker not only official or reporting
  4. affirmation  an affirmation cue, or an affirming verb ("reported", "confirmed")
  5. other
"""

from __future__ import annotations

import re

from kg.extract.actors import ActorFinder
from kg.extract.lexicon import Lexicon
from kg.extract.speech import Statement
from kg.extract.text import Doc

_WORDS = re.compile(r"[\w']+")
_TESTIFYING_ROLES = frozenset({"survivor", "victim", "witness"})


def _search(pattern: re.Pattern[str] | None, folded: str, start: int, end: int) -> re.Match[str] | None:
    return pattern.search(folded, start, end) if pattern is not None else None


def _unattributed_harm(lex: Lexicon, folded: str, start: int, end: int) -> re.Match[str] | None:
    if lex.harm_re is None:
        return None
    attributed = [m.end() for m in lex.attributed_re.finditer(folded, start, end)] if lex.attributed_re else []
    for match in lex.harm_re.finditer(folded, start, end):
        if not any(a <= match.start() for a in attributed):
            return match
    return None


def _self_reference(statement: Statement, doc: Doc, finder: ActorFinder) -> str | None:
    lex = doc.lexicon
    folded = doc.folded
    for word in _WORDS.finditer(folded, statement.start, statement.end):
        low = word.group().lower()
        if low in lex.self_reference and doc.in_quote(word.start()) is not None:
            return word.group()
    for mention in finder.mentions_between(statement.start, statement.end):
        if mention.kind == "pronoun" and mention.actor is statement.speaker \
                and mention.text.lower() in lex.reported_self_reference:
            return mention.text
    return None


def decide(statement: Statement, doc: Doc, finder: ActorFinder) -> tuple[str, str | None]:
    lex = doc.lexicon
    folded = doc.folded
    start, end = statement.start, statement.end
    verb_stance = statement.verb.stance if statement.verb else None
    verb_cue = f"verb:{statement.cue}" if statement.verb else None

    cue = _search(lex.stance_res.get("denial"), folded, start, end)
    if cue:
        return "denial", doc.text[cue.start():cue.end()]
    if verb_stance == "denial":
        return "denial", verb_cue

    speaker = statement.speaker
    harm = _unattributed_harm(lex, folded, start, end)
    individual = speaker.type == "Person" and not speaker.collective
    cue = _search(lex.stance_res.get("testimony"), folded, start, end)
    if cue and individual:
        return "testimony", doc.text[cue.start():cue.end()]
    if harm and individual:
        own = _self_reference(statement, doc, finder)
        if own or verb_stance == "testimony" or (set(speaker.roles) & _TESTIFYING_ROLES):
            return "testimony", doc.text[harm.start():harm.end()]

    cue = _search(lex.stance_res.get("accusation"), folded, start, end)
    if cue:
        return "accusation", doc.text[cue.start():cue.end()]
    if verb_stance == "accusation":
        return "accusation", verb_cue
    if harm and not (speaker.roles and set(speaker.roles) <= lex.neutral_roles):
        return "accusation", doc.text[harm.start():harm.end()]

    cue = _search(lex.stance_res.get("affirmation"), folded, start, end)
    if cue:
        return "affirmation", doc.text[cue.start():cue.end()]
    if verb_stance == "affirmation":
        return "affirmation", verb_cue
    return "other", None
