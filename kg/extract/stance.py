"""Stance of a statement, and the cue that decided it (rule family "stance").

The speaker's class (loaders/lexicons/stance.yaml: `classes`, by role or actor type) decides
how the cues in the words count:
  victim    testimony, unless a denying verb; without "I"/"me"/"my" (or a "he"/"she" that is the
            speaker): other for a hedge, and for a relative speaking of others an accusation (an
            accusation cue or verb, or a harm word)
  state     denial (denial cue, denying verb) > other (a hedge: "may have", "too early") >
            denial (any negation) > accusation (accusation cue) > affirmation
  advocate  accusation (accusation cue, harm word, negation) > denial (denial cue) > affirmation
  other     denial (denial cue or verb) > testimony (harm word and "I"/"me"/"my", or a "he"/"him"
            that is the speaker, one person) > accusation (accusation cue or verb, or a harm word
            unless a reporter or expert speaks) > other (a hedge) > affirmation
An unnamed private person ("a 26-year-old graphic designer", "the cellmate") is in the victim
class; the leader or spokesperson of a rights group (an "activist" too) is an advocate. Words opening with "If" or ending in "?" are "other" unless a cue decides. Harm words and
accusation cues after an attributed phrase ("reports of ...") do not count; a denial cue in the
passive ("were denied lawyers") is not a denial; "there was no ..." in a person's own account
(first person, in a quotation) is testimony of what was missing, not a denial.
"""

from __future__ import annotations

import re

from kg.extract.actors import Actor, ActorFinder
from kg.extract.lexicon import CueIndex, Lexicon
from kg.extract.speech import Statement
from kg.extract.text import Doc, word_before

_WORDS = re.compile(r"[\w']+")
_EXPERIENCER = frozenset({"i", "me", "my", "we", "us"})
_LACKED = re.compile(r"there\s+(?:was|were)\s+no\b", re.IGNORECASE)
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are|be|get|got)\s+$", re.IGNORECASE)
# what makes "stopped" an act done to someone ("they stopped them", "had stopped the boat")
_OBJECT_AFTER = re.compile(r"\s+(?:them|him|her|us|me|you|it|the|a|an|this|that|those|these|people|\w+ing)\b",
                           re.IGNORECASE)


def speaker_class(lex: Lexicon, actor: Actor) -> str:
    roles = set(actor.roles)
    if "activist" in roles and "official" not in roles and roles & {"leader", "spokesperson"}:
        roles -= {"leader", "spokesperson"}  # the director or spokesperson of a rights group speaks as one
    for name, class_roles, class_types in lex.stance_classes:
        if roles & class_roles or actor.type in class_types:
            return name
    if actor.type == "Person" and actor.generated and not roles:
        return "victim"
    return "other"


def cue_index(doc: Doc) -> CueIndex:
    return doc.cues


def _unattributed(index: CueIndex, name: str, folded: str, start: int, end: int, *,
                  active_only: bool = False):
    """The first match of a cue list not inside someone else's claim ("reports of ...")."""
    matches = index.within(name, start, end)
    if not matches:
        return None
    attributed = [m.finish for m in index.within("attributed", start, end)]
    for match in matches:
        if any(a <= match.begin for a in attributed):
            continue
        if name == "harm" and any(m.begin <= match.begin and match.finish <= m.finish
                                  for m in index.within("not_harm", match.begin - 40, match.finish)):
            continue  # "cardiorespiratory arrest": no harm done
        if active_only and match.text.lower().startswith(("deni", "deny", "refus", "reject")) \
                and _PASSIVE_BEFORE.search(folded, max(start, match.begin - 12), match.begin):
            continue  # "were denied lawyers": a refusal suffered, not a denial made
        return match
    return None


def _ceased(index: CueIndex, folded: str, start: int, end: int):
    """'the practice had stopped completely', 'no longer take place': the end of something, which
    denies that it goes on; not 'stopped them' (an act) nor 'has not stopped completely'."""
    for match in index.within("cue:ceased", start, end):
        if _OBJECT_AFTER.match(folded, match.finish, end):
            continue
        before = word_before(folded, start, match.begin, spaced=True)
        if before is not None and (folded[before[0]:before[1]].lower() in ("not", "never")
                                   or folded[before[0]:before[1]].lower().endswith("n't")):
            continue
        return match
    return None


def _first_person(statement: Statement, doc: Doc, singular: bool = False) -> str | None:
    lex = doc.lexicon
    for word in _WORDS.finditer(doc.folded, statement.start, statement.end):
        low = word.group().lower()
        if low in lex.self_reference and doc.in_quote(word.start()) is not None:
            if not singular or low in ("i", "me", "my", "mine", "myself"):
                return word.group()
    return None


def _self_reference(statement: Statement, doc: Doc, finder: ActorFinder) -> str | None:
    return _first_person(statement, doc) or _reported_self(statement, doc, finder)


def _reported_self(statement: Statement, doc: Doc, finder: ActorFinder) -> str | None:
    """In reported speech, a "he"/"him" that points back at the speaker."""
    for mention in finder.mentions_between(statement.start, statement.end):
        if mention.kind == "pronoun" and mention.actor is statement.speaker \
                and mention.text.lower() in doc.lexicon.reported_self_reference:
            return mention.text
    return None


def told_own_harm(statement: Statement, doc: Doc) -> bool:
    """Words of harm in a first-person account: what was done to the speaker ("They took our
    phones ... Anyone who spoke was kicked")."""
    index = cue_index(doc)
    return _unattributed(index, "harm", doc.folded, statement.start, statement.end) is not None \
        and _first_person(statement, doc) is not None


def decide(statement: Statement, doc: Doc, finder: ActorFinder) -> tuple[str, str | None]:
    lex = doc.lexicon
    folded, text = doc.folded, doc.text
    start, end = statement.start, statement.end
    verb_stance = statement.verb.stance if statement.verb else None
    verb_cue = f"verb:{statement.cue}" if statement.verb else None
    speaker = statement.speaker
    klass = speaker_class(lex, speaker)

    def cue(m: re.Match[str] | None) -> str | None:
        return text[m.start():m.end()] if m else None

    index = cue_index(doc)
    if statement.rule == "media-report":
        # what the media are said to have reported ("information in the media about the killing of
        # ..."): an accusation when it tells of harm (the report's phrase itself is no attribution)
        claim = next((m.finish for m in index.within("attributed", start, end)), start)
        harm = _unattributed(index, "harm", folded, claim, end)
        return ("accusation", text[harm.begin:harm.finish]) if harm else ("affirmation", "speaker:reporter")
    if statement.rule == "quoted-speech":
        # what someone says a body told them, inside their own account: the teller's report of
        # an order or a threat, not a position the body took
        return "other", "quoted-speech"
    denial = _unattributed(index, "cue:denial", folded, start, end, active_only=True)
    if denial is None and klass != "victim":
        denial = _ceased(index, folded, start, end)
    accusation = _unattributed(index, "cue:accusation", folded, start, end)
    harm = _unattributed(index, "harm", folded, start, end)
    negation = index.first("negation", start, end)
    affirmation = index.first("cue:affirmation", start, end)
    testimony = index.first("cue:testimony", start, end)
    words = text[start:end].strip(" “”\"'‘’")
    hedged = words.startswith(("If ", "if ")) or words.endswith("?")
    hedge = index.first("cue:other", start, end)

    if denial is not None and klass != "state" and speaker.type == "Person" and not speaker.collective \
            and _LACKED.match(denial.text) and text[start:denial.begin].strip(" “”\"'‘’"):
        # "We woke up to the machines. There was no letter, no meeting": inside a person's own
        # account, what was missing is part of what happened to them, not a rejection of a claim
        # (words that open with it, or an "our" of an institution, are a denial: "There was no
        # mistreatment in our stations")
        own = next((w.group() for w in _WORDS.finditer(folded, start, end)
                    if w.group().lower() in _EXPERIENCER and doc.in_quote(w.start()) is not None), None)
        if own:
            return "testimony", own
    if klass == "victim" and words.endswith("?"):
        return "other", "?"
    if klass == "victim":
        if verb_stance == "denial":
            return "denial", verb_cue
        own = _self_reference(statement, doc, finder)
        if not own and not testimony:
            # not their own experience: a hedge, or (a relative speaking of what others did) a claim
            if hedge or hedged:
                return "other", cue(hedge)
            if "relative" in speaker.roles and not ({"survivor", "victim", "witness"} & set(speaker.roles)):
                if accusation:
                    return "accusation", cue(accusation)
                if verb_stance == "accusation":
                    return "accusation", verb_cue
                if harm:
                    return "accusation", cue(harm)
        return "testimony", cue(testimony) or own or cue(harm) or "speaker:victim"
    if klass == "state":
        if denial:
            return "denial", cue(denial)
        if verb_stance == "denial":
            return "denial", verb_cue
        if hedge or hedged:
            return "other", cue(hedge)
        if negation:
            return "denial", cue(negation)
        if accusation:
            return "accusation", cue(accusation)
        if verb_stance == "accusation":
            return "accusation", verb_cue
        return "affirmation", cue(affirmation) or (verb_cue if verb_stance == "affirmation" else "speaker:state")
    if klass == "advocate":
        if accusation:
            return "accusation", cue(accusation)
        if verb_stance == "accusation":
            return "accusation", verb_cue
        if denial or verb_stance == "denial":
            return "denial", cue(denial) or verb_cue
        if harm:
            return "accusation", cue(harm)
        if negation:
            return "accusation", cue(negation)
        if hedged:
            return "other", None
        return "affirmation", cue(affirmation) or (verb_cue if verb_stance == "affirmation" else "speaker:advocate")
    # reporters, experts and speakers of no known role
    if denial:
        return "denial", cue(denial)
    if verb_stance == "denial":
        return "denial", verb_cue
    individual = speaker.type == "Person" and not speaker.collective
    own = _first_person(statement, doc, singular=True) or (klass != "reporter" and _reported_self(statement, doc, finder))
    if individual and (testimony or (harm and own)):
        return "testimony", cue(testimony) or cue(harm)
    if individual and verb_stance == "testimony":
        return "testimony", verb_cue
    if accusation:
        return "accusation", cue(accusation)
    if verb_stance == "accusation":
        return "accusation", verb_cue
    if harm and klass != "reporter":
        return "accusation", cue(harm)
    if hedge or hedged:
        return "other", cue(hedge)
    return "affirmation", cue(affirmation) or (verb_cue if verb_stance == "affirmation" else f"speaker:{klass}")
