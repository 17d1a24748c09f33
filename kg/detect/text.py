"""What the detector reads in the words of a statement: negation, counts, causes and content.

Everything here is about English wording in general, never about one case: quantifier
negation ("no one", "nobody"), existential negation ("we don't have any X", "there are no X",
"revealed no X"), denied agency ("no state body was involved", "not responsible"), alternative
causes of harm ("heart failure", "fell"), counts with their qualifiers ("at least 112",
"approximately 125", "more than 100"), calls to action and hedges, which weaken what a
statement asserts, and content words for the topic keys of blocking.

Offsets do not matter here, so the text is folded freely: quote marks to ASCII, case folded.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from kg.detect.lexicon import load_words
from kg.identity import fold_quote_marks

_WORD = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")
# The same, keeping numbers with thousands separators whole ("3,000", "1,200") for counting.
_COUNT_WORD = re.compile(r"\d{1,3}(?:,\d{3})+(?![\d,])|[a-z0-9]+(?:['\-][a-z0-9]+)*")


def fold(text: str) -> str:
    return " ".join(fold_quote_marks(text).replace("\u2026", "...").casefold().split())


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


# --- the word lists --------------------------------------------------------------------------------
# All in loaders/lexicons/contradiction.yaml (kg.detect.lexicon), read once when this module is
# first imported.

LEXICON = load_words()
# Word stems that assert an event of a type happened, by type (types the ontology adds later fall
# back to the words of their label).
EVENT_TRIGGERS = LEXICON.triggers
# Types that name a whole campaign rather than one occurrence.
UMBRELLA_TYPES = LEXICON.umbrella_types
# Types of harm done to people: the sub-events a campaign is made of, and what denials deny.
HARM_TYPES = LEXICON.harm_types
HARM_STEMS = LEXICON.harm_stems
# Words that say a count is of those who act for a force, or of people.
AGENTS = LEXICON.agents
PEOPLE = LEXICON.people


def triggers_for(event_type: str | None) -> tuple[str, ...]:
    if not event_type:
        return ()
    return EVENT_TRIGGERS.get(event_type) or tuple(w for w in event_type.split("_") if len(w) > 3)


def has_stem(tokens: list[str], joined: str, stems: tuple[str, ...]) -> str | None:
    """The first stem found: single-word stems match the start of a word, phrases the text.
    `joined` is " ".join(tokens)."""
    if _stem_search(stems)(joined) is None:
        return None
    for stem in stems:
        if " " in stem:
            if stem in joined:
                return stem
        else:
            for token in tokens:
                if token.startswith(stem):
                    return token
    return None


@lru_cache(maxsize=None)
def _stem_search(stems: tuple[str, ...]) -> Callable[[str], re.Match | None]:
    """One search over the joined tokens that matches wherever has_stem's loop would find a stem
    (a word stem where a token starts, a phrase anywhere). Most texts name none of a list's
    stems, and ruling that out stem by stem and token by token was most of the time spent
    reading the context of statements at 100,000 articles."""
    word_stems = sorted({re.escape(s) for s in stems if " " not in s})
    phrases = sorted({re.escape(s) for s in stems if " " in s})
    alternatives = ([r"(?:^|(?<= ))(?:" + "|".join(word_stems) + ")"] if word_stems else []) + phrases
    return re.compile("|".join(alternatives)).search if alternatives else (lambda joined: None)


# --- counts ------------------------------------------------------------------------------------------

_NUM_TOKEN = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")


def count_noun(tokens: list[str]) -> str | None:
    """What the tokens after a number count: people, a noun (by its stem), or None."""
    for token in tokens[:3]:
        if token in AGENTS:
            return "agents"
        if token in PEOPLE or token == "of":
            return "people"
        if token in LEXICON.units:
            return "unit"
        if token in LEXICON.stopwords or _NUM_TOKEN.match(token) or token in LEXICON.numbers:
            continue
        if len(token) > 3 and token.endswith("s"):
            return token[:5]
    return None


@dataclass(frozen=True, slots=True)
class Count:
    """A count the statement gives: the interval it allows and the words it was read from."""

    low: float
    high: float
    text: str
    noun: str | None = None  # what is counted: "people", or a noun's stem; None when unsaid
    # What the count is of, beyond its event: "" (those it happened to), "period" (a tally over
    # a period: "since January"), "remaining" (those still held: "17 remain in custody"), "part"
    # (some of a group: "nine of those detained").
    scope: str = ""
    thing: str | None = None  # the thing counted, in the singular, when it is no person ("body")

    def comparable(self, other: "Count") -> bool:
        """Counts of people compare with counts of people; counts of things with counts of
        things (the words differ: "structures", "homes"); an unsaid noun with anything. Counts
        of different scopes never compare: a tally since January is not the count of one raid,
        nor those still held the count of those detained; only some of a group ("at least 20 of
        those held") compares with the group, which cannot be fewer."""
        if self.scope != other.scope and {self.scope, other.scope} != {"", "part"}:
            return False
        if self.noun is None or other.noun is None:
            return True
        kinds = ("people", "agents")
        if self.noun in kinds or other.noun in kinds:
            return self.noun == other.noun
        return True

    def disjoint(self, other: "Count") -> bool:
        if self.scope == "part" and other.scope == "":
            return other.high < self.low  # fewer in all than "at least 20 of those held"
        if other.scope == "part" and self.scope == "":
            return self.high < other.low
        return self.high < other.low or other.high < self.low

    def gap(self, other: "Count") -> float:
        """How far apart two disjoint counts are, as a ratio >= 1 (0 counts as 1 for the ratio)."""
        lo = min(self.high, other.high)
        hi = max(self.low, other.low)
        return max(hi, 1.0) / max(lo, 1.0)


def _number_at(tokens: list[str], i: int) -> tuple[float, int] | None:
    token = tokens[i]
    if _NUM_TOKEN.match(token):
        return float(token.replace(",", "")), i + 1
    numbers = LEXICON.numbers
    if token in numbers and token not in LEXICON.multipliers and token not in LEXICON.after_a:
        value, j = numbers[token], i + 1
        if j < len(tokens) and tokens[j] in LEXICON.multipliers:
            value *= numbers[tokens[j]]
            j += 1
        return float(value), j
    if token in ("a", "one") and i + 1 < len(tokens) and tokens[i + 1] in LEXICON.after_a:
        return float(numbers[tokens[i + 1]]), i + 2
    if token in ("a", "one", "only") and i + 1 < len(tokens) and tokens[i + 1] in LEXICON.single:
        return 1.0, i + 2
    return None


def _thing(tokens: list[str]) -> str | None:
    """The thing a count counts, in the singular ("bodies": "body"), unless it is a person or
    a word that is no thing."""
    if not tokens:
        return None
    word = tokens[0]
    if (len(word) < 3 or word in PEOPLE or word in AGENTS or word in LEXICON.units or word in LEXICON.stopwords
            or word in LEXICON.numbers or word.isdigit()):
        return None
    return singular(word)


def singular(word: str) -> str:
    """An English noun in the singular, roughly ("bodies": "body", "cameras": "camera")."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


_GROUP_WORDS = frozenset({"those", "them", "these", "the", "us", "whom"})


def count_scope(folded: str) -> str:
    """What the counts of a folded text are of (Count.scope)."""
    if LEXICON.remaining.search(folded):
        return "remaining"
    return "period" if LEXICON.period.search(folded) else ""


def counts_in(text: str) -> list[Count]:
    """The counts of people or things a text gives, with the interval each qualifier allows.

    Years, times of day, dates, ages, durations, percentages and money are not counts."""
    folded = fold(text)
    tokens = _COUNT_WORD.findall(folded.replace("%", " percent "))
    scope = count_scope(folded)
    out: list[Count] = []
    released = LEXICON.all_released.search(folded)
    if released:  # "all had been released": none remain held
        out.append(Count(0.0, 0.0, released.group(0), "people", "remaining"))
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in LEXICON.vague:
            low, high = LEXICON.vague[token]
            out.append(Count(low, high, token, count_noun(tokens[i + 1:]), scope))
            i += 1
            continue
        found = _number_at(tokens, i)
        if found is None:
            i += 1
            continue
        value, j = found
        prev = tokens[i - 1] if i else ""
        after = tokens[j] if j < len(tokens) else ""
        skip = (
            after in LEXICON.units
            or any(t in LEXICON.months for t in tokens[max(0, i - 3):i]) or prev in LEXICON.not_after
            or (1800 <= value <= 2100 and _NUM_TOKEN.match(token) and after not in ("people", "persons"))
            or after.endswith("-year-old")
            or "$" + token in folded
        )
        if skip or token == "one" and after not in ("person", "man", "woman", "people", "of"):
            i = j
            continue
        before = " ".join(tokens[max(0, i - 4):i])
        low, high = value, value
        qualifier = ""
        for phrase in LEXICON.at_least:
            if before.endswith(phrase):
                low, high, qualifier = value, math.inf, phrase
        for phrase in LEXICON.at_most:
            if before.endswith(phrase):
                low, high, qualifier = 0.0, value, phrase
        for phrase in LEXICON.about:
            if before.endswith(phrase):
                low, high, qualifier = value * 0.8, value * 1.2, phrase
        noun = count_noun(tokens[j:])
        if noun == "unit":  # "between seven and 11 hours"
            i = j
            continue
        shown = f"{qualifier} {' '.join(tokens[i:j])}".strip()
        if noun and noun != "people" and j < len(tokens):
            shown += " " + tokens[j]
        elif noun == "people" and j < len(tokens) and tokens[j] in PEOPLE:
            shown += " " + tokens[j]
        # "nine of those detained" counts some of a group (those hospitalised), not the group.
        part = tokens[j:j + 2] and tokens[j] == "of" and j + 1 < len(tokens) and tokens[j + 1] in _GROUP_WORDS
        out.append(Count(low, high, shown, noun, "part" if part else scope, _thing(tokens[j:j + 1])))
        i = j
    return out


# --- the features of one statement -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextFeatures:
    negated: bool            # a clause is negated, or a report rejected
    denial_cue: str | None   # the words that deny ("not confirmed", "no evidence", "nonsense")
    rejects: str | None      # rejects a report as such: "denied", "not confirmed", "no evidence"
    event_negated: str | None  # negates that anything of the kind happened: "no incident", "no force"
    figure: bool             # speaks of a figure ("the count", "the number"): denies a number
    state_agent: bool        # the denied agent is the state ("no state body", "no officials")
    harm_act: str | None     # names a violent act someone did ("beaten", "hit", "tortured")
    zero_noun: str | None    # what a count of nought counts ("people", or a noun's stem)
    existential: str | None  # "don't have any", "no gays": says something or someone does not exist
    zero: str | None         # "no one", "nobody": a count of nought
    agency_denied: str | None  # "no state body", "not involved"
    cause: str | None        # an alternative cause of harm: "heart failure", "fell"
    prescriptive: bool       # a call to action or a demand, not an account of what happened
    hedged: bool             # "may have", "if": a possibility, not an assertion
    distinction: bool = False  # "is not the same as": draws a distinction rather than denies
    ceased: str | None = None  # "the practice had stopped completely": denies that it goes on
    relayed: bool = False    # "information in the media about ...": relays a report, asserts little
    own_conduct: bool = False  # denies the speaker's own wrongdoing ("denied wrongdoing")
    private_agent: bool = False  # harm done by private people ("by a five-person vigilante mob")
    # Stems (5 letters) of the things the text says there was none of: "without notice or
    # compensation", "no debts", "no lawyer has been allowed" (not "no evidence": a rejection).
    lacks: tuple[str, ...] = ()
    # Stems of what the text calls a pretext, and the words saying so: "an intimidation operation
    # dressed up as a drug inspection": ("drug", "inspe"), "dressed up as a drug inspection".
    pretext: tuple[str, ...] = ()
    pretext_cue: str | None = None
    # Stems of what the text says is not there yet ("payments ... were still being processed",
    # "still waiting for compensation"; "learned of his arrest from the news": no one informed),
    # also in `lacks`, and the words saying so.
    pending: tuple[str, ...] = ()
    pending_cue: str | None = None
    counts: tuple[Count, ...] = ()
    # Sorted tuples rather than sets: a tenth of the memory for a million statements.
    content: tuple[str, ...] = ()
    stems: tuple[str, ...] = ()  # content words cut to 5 letters
    kinds: tuple[str, ...] = ()  # kinds of people named (existence.kinds): "sexual minorities"


def _existential(folded: str) -> str | None:
    """Says someone or something does not exist: "there are no gays", "we don't have any". A
    missing thing that is no person, kind of people or harm ("There was no letter, no meeting")
    is a lack (TextFeatures.lacks), not an existence denial."""
    found = _first(LEXICON.existential, folded)
    if found and found.startswith("there ") and found.endswith(" no"):
        rest = _WORD.findall(folded.split(found, 1)[1])[:2]
        joined = " ".join(rest)
        if not rest or not (rest[0] in PEOPLE or rest[0] in ("such", "one") or kinds_named(rest)
                            or has_stem(rest, joined, HARM_STEMS)):
            return None
    return found


def _first(patterns: tuple[re.Pattern, ...], text: str) -> str | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match.group(0)
    return None


_QUALIFIERS = frozenset(LEXICON.at_least + LEXICON.at_most)


def _denial_cue(tokens: list[str], folded: str) -> str | None:
    for i, token in enumerate(tokens):
        if token in LEXICON.negators or token.endswith("n't"):
            if " ".join(tokens[i:i + 3]) in _QUALIFIERS:
                continue  # "not less than 90 days" qualifies a number
            return " ".join(tokens[i:i + 3])
        if token.startswith(LEXICON.denial_stems) and not token.startswith(LEXICON.not_denial_stems):
            return token
    return None


@lru_cache(maxsize=200_000)
def features(text: str) -> TextFeatures:
    folded = fold(text)
    tokens = _WORD.findall(folded)
    denial = _denial_cue(tokens, folded)
    opener = tokens[0] if tokens else ""
    if ":" in folded[:40]:  # "Trump and Putin: Stop ..." addresses someone, then calls on them
        after = _WORD.findall(folded.split(":", 1)[1])
        opener = after[0] if after else opener
    # Interned: a million statements share a vocabulary of a few thousand words.
    content = tuple(sorted({sys.intern(t) for t in tokens
                            if len(t) > 3 and t not in LEXICON.stopwords and not t.isdigit()}))
    rejects = LEXICON.rejects.search(folded)
    agency = _first(LEXICON.agency, folded)
    zero = _first(LEXICON.zero, folded)
    zero_noun = None
    if zero:
        rest = folded[folded.find(zero) + len(zero):].split()
        head = zero.split()
        zero_noun = "people" if head[-1] in PEOPLE or head[0] in ("nobody", "none") else (
            head[-1][:5] if len(head) > 1 else count_noun(rest))
        if zero_noun == "people" and AGENTS & set(rest[:3]):
            zero_noun = "agents"  # "no member of staff"
    # A cause given for a death ("a heart attack") names no violent act.
    harm = LEXICON.harm_act.search(LEXICON.cause.sub(" ", folded))
    return TextFeatures(
        negated=denial is not None or rejects is not None,
        denial_cue=rejects.group(0) if rejects else denial,
        rejects=rejects.group(0) if rejects else None,
        event_negated=(m.group(0) if (m := LEXICON.event_negation.search(folded)) else None),
        figure=bool(LEXICON.figure.search(LEXICON.not_figure.sub(" ", folded))),
        ceased=_ceased(folded),
        state_agent=_state_agent_denied(agency, folded),
        harm_act=harm.group(0) if harm else None,
        zero_noun=zero_noun,
        existential=_existential(folded),
        zero=zero,
        agency_denied=agency,
        cause=(m.group(0) if (m := LEXICON.cause.search(folded)) else None),
        prescriptive=_demands(folded) or opener in LEXICON.imperatives,
        hedged=_hedged(folded),
        distinction=bool(LEXICON.distinction.search(folded)),
        relayed=bool(LEXICON.relay.search(folded)),
        own_conduct=bool(LEXICON.own_conduct.search(folded)),
        private_agent=bool(LEXICON.private_agent.search(folded)),
        **_lacks_and_pending(tokens, folded),
        **_pretext(folded),
        counts=tuple(counts_in(text)),
        content=content,
        stems=tuple(sorted({sys.intern(t[:5]) for t in content})),
        kinds=kinds_named(tokens),
    )


def _state_agent_denied(agency: str | None, folded: str) -> bool:
    """The agent a denial of agency clears is the state: named in the phrase ("no state body"),
    or, after a denied link, in the words that follow ("no link whatsoever between that death and
    Velmaran officers", "nothing to do with the police"), or as the subject of the phrase, among
    the last words of its clause before it ("the police had nothing to do with these
    detentions", "officials were not involved", "the security services had no part in")."""
    if not agency:
        return False
    if LEXICON.state_agent.search(agency):
        return True
    before, _, after = folded.partition(agency)
    if LEXICON.agency[0].fullmatch(agency) \
            and LEXICON.state_agent.search(" ".join(_WORD.findall(after)[:8])):
        return True
    subject = _WORD.findall(LEXICON.subject_break.split(before)[-1])[-_SUBJECT_WORDS:]
    return bool(LEXICON.state_agent.search(" ".join(subject)))


# How many words before a denial of agency may be its subject ("the regional security service
# officers had nothing to do with"), after the start of its clause (LEXICON.subject_break).
_SUBJECT_WORDS = 4


def _demands(folded: str) -> bool:
    """A demand word outside a question: "why did they need to destroy the recordings?" asks,
    and demands nothing."""
    for match in LEXICON.demand.finditer(folded):
        end = min((i for i in (folded.find(c, match.end()) for c in ".?!") if i >= 0), default=-1)
        if end < 0 or folded[end] != "?":
            return True
    return False


def _ceased(folded: str) -> str | None:
    """The words saying a practice has come to an end, unless negated ("has not stopped
    completely" says it goes on)."""
    for match in LEXICON.ceased.finditer(folded):
        before = _WORD.findall(folded[max(0, match.start() - 12):match.start()])
        if before and (before[-1] in LEXICON.negators or before[-1].endswith("n't")):
            continue
        return match.group(0)
    return None


def _hedged(folded: str) -> bool:
    """A hedge word that makes the statement a possibility ("may have fallen"), not one that
    only rounds a time or quantity ("maybe an hour later"), the month ("on May 10") or an
    inability ("could not stand")."""
    for match in LEXICON.hedge.finditer(folded):
        after = _WORD.findall(folded[match.end():match.end() + 40])[:3]
        if after and (after[0].isdigit() or any(w in LEXICON.units for w in after)):
            continue
        if match.group(0) == "could" and after and after[0] in ("not", "barely", "hardly"):
            continue  # "could not stand": what he was unable to do
        return True
    return False


def _pretext(folded: str) -> dict:
    match = LEXICON.pretext.search(folded)
    if match is None:
        return {}
    after = [t for t in _WORD.findall(folded[match.end():])[:4]
             if len(t) > 3 and t not in LEXICON.stopwords and not t.isdigit()]
    return {"pretext": tuple(sorted({sys.intern(t[:5]) for t in after})),
            "pretext_cue": " ".join(_WORD.findall(folded[match.start():])[:6])}


def _lacks_and_pending(tokens: list[str], folded: str) -> dict:
    pending, cue = _pending(folded)
    lacks = _lacks(tokens)
    if not pending:
        return {"lacks": lacks}
    return {"lacks": tuple(sorted({*lacks, *pending})), "pending": pending, "pending_cue": cue}


def _lackable(word: str) -> bool:
    return len(word) > 3 and word not in LEXICON.stopwords and not word.isdigit() and word not in LEXICON.people \
        and word not in LEXICON.not_lacked


def _pending(folded: str) -> tuple[tuple[str, ...], str | None]:
    """What is not there yet: the thing before a pending phrase (the nearest word before it that
    is no person: "payments to some families were still being processed"), or after an awaiting
    one ("still waiting for compensation"); "learned of it from the news": no one informed."""
    match = LEXICON.pending.search(folded)
    if match:
        before = _WORD.findall(folded[:match.start()])[-6:]
        thing = next((w for w in reversed(before) if _lackable(w)), None)
        if thing:
            return (sys.intern(thing[:5]),), f"{thing} ... {match.group(0)}"
    match = LEXICON.awaiting.search(folded)
    if match:
        after = _WORD.findall(folded[match.end():])[:4]
        thing = next((w for w in after if _lackable(w)), None)
        if thing:
            return (sys.intern(thing[:5]),), f"{match.group(0)} {' '.join(after[:after.index(thing) + 1])}"
    match = LEXICON.uninformed.search(folded)
    if match:
        return ("notif",), match.group(0)  # (kin of "informed", "notice": lexicon lacked_kin)
    return (), None


def _lacks(tokens: list[str]) -> tuple[str, ...]:
    """The content words right after a word that says there was none ("no", "without"), and
    after an "or"/"and" that continues them ("without notice or compensation")."""
    found = set()
    for i, token in enumerate(tokens):
        if token not in LEXICON.lacking_words:
            continue
        j = i + 1
        while j < len(tokens) and j <= i + 5:
            word = tokens[j]
            if word in LEXICON.lacking_words or word in LEXICON.negators:
                break
            if len(word) > 3 and word not in LEXICON.stopwords and not word.isdigit():
                if word in LEXICON.not_lacked or word in LEXICON.people:
                    break
                found.add(sys.intern(word[:5]))
                if j + 1 < len(tokens) and tokens[j + 1] in ("or", "nor", "of") and j + 2 < len(tokens):
                    j += 2
                    continue
                break
            j += 1
    return tuple(sorted(found))


def kinds_named(tokens: list[str]) -> tuple[str, ...]:
    """The kinds of people (existence.kinds) the words name."""
    joined = " ".join(tokens)
    return tuple(name for name, stems in LEXICON.kinds.items() if has_stem(tokens, joined, stems))


def quote_cue(text: str, cue: str | None, keyed: str | None, *, short: int = 100) -> str:
    """The words to quote for a statement: all of it when short; else the stored cue when the
    text contains it; else a window of words around the word the detector keyed on."""
    text = " ".join(text.split())
    if len(text) <= short:
        return text
    folded = fold(text)
    if cue and len(cue) <= 60 and fold(cue) in folded and len(cue.split()) >= 2:
        return " ".join(cue.split())
    tokens = text.split()
    position = 0
    if keyed:
        first = fold(keyed).split()[0] if keyed.split() else ""
        for i, token in enumerate(tokens):
            if first and first in fold(token):
                position = i
                break
    start, end = max(0, position - 5), min(len(tokens), position + 9)
    shown = " ".join(tokens[start:end])
    return ("…" if start > 0 else "") + shown + ("…" if end < len(tokens) else "")
