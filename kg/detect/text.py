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
from dataclasses import dataclass, field
from functools import lru_cache

from kg.identity import fold_quote_marks

_WORD = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")


def fold(text: str) -> str:
    return " ".join(fold_quote_marks(text).replace("\u2026", "...").casefold().split())


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


# --- event vocabulary ------------------------------------------------------------------------------
# Word stems that assert an event of a type happened. Used to tell whether a statement asserts an
# event at all (rather than calling for action about it), and which event a zero count is about.
# Types the ontology adds later fall back to the words of their label.
EVENT_TRIGGERS: dict[str, tuple[str, ...]] = {
    "detention": ("detain", "arrest", "held", "hold", "captur", "apprehend", "custody", "imprison",
                  "jail", "round", "taken", "took"),
    "torture": ("tortur", "flog", "beat", "beaten", "pummel", "abuse", "mistreat", "electr", "whip",
                "hit", "blows", "struck"),
    "killing": ("kill", "murder", "dead", "death", "died", "shot", "execut", "slain", "homicide"),
    "kidnapping": ("kidnap", "abduct", "seiz", "snatch", "bundled"),
    "flight": ("fled", "flee", "left", "escap", "exile", "leave"),
    "threat": ("threat", "intimidat", "warn"),
    "persecution_campaign": ("purge", "persecut", "crackdown", "campaign", "repress", "arresting",
                             "torturing", "beating"),
    "investigation": ("investigat", "audit", "review", "inquiry", "probe", "autopsy", "verified", "studied"),
    "press_conference": ("press conference", "told reporters", "briefing"),
    "meeting": ("meet", "summit", "talks"),
    "protest": ("protest", "demonstrat", "rally", "march", "vigil", "gathering"),
    "assault": ("assault", "beat", "beaten", "hit", "punch", "struck", "kick", "injur", "wound",
                "baton", "bruis", "fractur", "hospital", "blows", "attack", "mistreat", "violence", "abuse"),
    "shelter": ("shelter", "safe house", "housing"),
    "asylum": ("asylum", "refuge"),
    "death_in_custody": ("died", "death", "dead", "killed"),
    "disappearance": ("disappear", "vanish", "missing", "whereabouts", "abduct"),
    "eviction": ("evict", "demolish", "bulldoz", "removed", "displac"),
    "pushback": ("pushback", "pushed back", "push back", "returned", "expelled"),
    "raid": ("raid", "stormed", "searched", "burst"),
}

# Types that name a whole campaign rather than one occurrence: sharing one is weak evidence that
# two statements are about the same thing, but its violent sub-events are part of it.
UMBRELLA_TYPES = frozenset({"persecution_campaign"})
# Types of harm done to people: the sub-events a campaign is made of, and what denials deny.
HARM_TYPES = frozenset({"detention", "torture", "killing", "kidnapping", "threat", "assault",
                        "death_in_custody", "disappearance", "eviction", "pushback", "raid",
                        "persecution_campaign"})


HARM_STEMS: tuple[str, ...] = tuple(sorted({
    stem for kind in HARM_TYPES for stem in EVENT_TRIGGERS.get(kind, ()) if " " not in stem
} - {"left", "took", "taken", "round", "hold", "body", "case", "campaign", "warn", "returned", "removed",
       "whereabouts", "searched", "burst"}))


def triggers_for(event_type: str | None) -> tuple[str, ...]:
    if not event_type:
        return ()
    return EVENT_TRIGGERS.get(event_type) or tuple(w for w in event_type.split("_") if len(w) > 3)


def has_stem(tokens: list[str], joined: str, stems: tuple[str, ...]) -> str | None:
    """The first stem found: single-word stems match the start of a word, phrases the text."""
    for stem in stems:
        if " " in stem:
            if stem in joined:
                return stem
        else:
            for token in tokens:
                if token.startswith(stem):
                    return token
    return None


# --- negation ----------------------------------------------------------------------------------------

NEGATORS = frozenset({
    "no", "not", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor", "without",
    "cannot", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "hasn't",
    "haven't", "hadn't", "won't", "can't", "couldn't", "wouldn't", "shouldn't", "n't",
})
# Words that reject a report without negating a clause.
DENIAL_WORDS = ("deny", "denied", "denies", "denial", "reject", "dismiss", "refut", "false", "fabricat",
                "nonsense", "lie", "lies", "provocation", "baseless", "unfounded", "untrue", "fake",
                "slander", "rumour", "rumor", "disput", "hoax", "propaganda")
# Nouns that say what is missing is knowledge of a thing, not the thing: "no evidence" denies a
# report; "no gays" denies that people exist.
EPISTEMIC_NOUNS = frozenset({
    "evidence", "information", "proof", "record", "records", "knowledge", "data", "complaint",
    "complaints", "comment", "basis", "grounds", "indication", "indications", "confirmation",
    "report", "reports", "sign", "signs", "trace", "traces", "idea", "reason", "doubt", "need",
    "time", "longer", "more", "less", "case", "way", "one", "matter", "choice", "access",
})
_STOP = frozenset("""a an the of in on at to for from by with about as into than then that this these
those there their they them he she his her him it its we our us you your i me my is are was were be
been being has have had do does did will would can could may might must shall should and or but if
so because while when where which who whom whose what how why all any some such very also only just
said says say told tell according not no never none per after before during since over under
again more most other others own same up down out off here now ever even still yet one two three
""".split())

_EXISTENTIAL = [
    # "We don't have any gays", "Chechnya doesn't have those kinds of people"
    re.compile(r"\b(?:do|does|did)(?: not|n't)\W+(?:\w+\W+)?have\W+(?:any|those|such|these|that kind)\b"),
    re.compile(r"\bthere (?:is|are|were|was) no\b(?! (?:evidence|information|proof|sign|indication))"),
    re.compile(r"\bno such (?:people|person|thing|things|\w+s)\b"),
    re.compile(r"\b(?:do|does|did)(?: not|n't) exist\b|\bnon-?existent\b|\bnever existed\b"),
    re.compile(r"\b(?:revealed|found|identified|uncovered|detected|seen|know of|are aware of) no (?!evidence|information|proof|sign)\w+"),
    re.compile(r"\bhas not \w+ anyone\b|\bhave not \w+ anyone\b|\bhad not \w+ anyone\b"),
]
_ZERO = [
    re.compile(r"\b(?:no one|nobody|none|not a single|not one|no-one)\b"),
    re.compile(r"\bno (?:member|members|person|people|detainee|detainees|prisoner|prisoners|civilian|"
               r"civilians|victim|victims|casualties|deaths|killings|injuries|arrests|detentions|one)\b"),
    re.compile(r"\b(?:absolutely|zero) (?:no )?(?:injuries|deaths|casualties|victims|arrests)\b"),
    re.compile(r"\bno (?:\w+ )?injuries\b"),
]
_AGENCY = [
    re.compile(r"\bno (?:\w+ )?(?:link|connection|relation)\b|\bnot (?:linked|connected|related) to\b|\bunrelated to\b"),
    re.compile(r"\bno (?:state body|state agency|state bodies|official|officials|officer|officers|police|"
               r"policeman|soldier|soldiers|government|authority|authorities|member of staff|staff|guard|guards)\b"),
    re.compile(r"\bnot (?:been )?(?:involved|responsible|behind|implicated)\b"),
    re.compile(r"\bnothing to do with\b|\bno (?:\w+ )?(?:involvement|role|part) in\b"),
]
_REJECTS = re.compile(
    r"\b(?:den(?:y|ied|ies|ial)|reject\w*|dismiss\w*|refut\w*|false|fabricat\w*|nonsense|lies|lying|"
    r"provocation|baseless|unfounded|untrue|fake|slander\w*|rumou?rs?|disput\w*|hoax|propaganda|"
    r"fiction\w*|invent(?:ed|ion)|made up|fantas\w*|smear\w*|exaggerat\w*|absurd|ridiculous|"
    r"(?:not|never|un)(?: been)? ?(?:confirmed|verified|substantiated|proven|true)|"
    r"(?:no|lack of|insufficient|without) (?:\w+ )?(?:evidence|proof|information|signs?|traces?|record|"
    r"indications?|confirmation|grounds|basis))\b"
)
_FIGURE = re.compile(r"\b(?:count|counts|figure|figures|number|numbers|toll|tally|estimate|estimates|"
                     r"statistics|numbers)\b")
_STATE_AGENT = re.compile(r"\b(?:state|official|officials|officer|officers|police|policeman|soldier|soldiers|"
                          r"government|authority|authorities|ministry|army|security)\b")
_HARM_ACT = re.compile(
    r"\b(?:beat|beats|beaten|beating|hit|hits|punch\w*|kick\w*|struck|strike|blows|baton|tortur\w*|"
    r"flog\w*|whip\w*|shot|shoot\w*|stab\w*|strangl\w*|kill\w*|murder\w*|assault\w*|attack\w*|"
    r"abus\w*|mistreat\w*|dragg\w*|threw|thrown|pummel\w*|raped?|electrocut\w*|suffocat\w*)\b"
)
# Negates that anything of the kind happened: "No incident ... was recorded", "no force had been used".
_EVENT_NEGATION = re.compile(
    r"\b(?:no|never|not any|without) (?:\w+ )?(?:incidents?|violence|force|abuse|mistreatment|clash(?:es)?|"
    r"wrongdoing|pushbacks?|operations?|raids?|arrests?|detentions?|torture|beatings?|killings?)\b|"
    r"\bnothing (?:like that )?(?:happened|occurred|took place)\b|\bnever happened\b"
)
_CAUSE = re.compile(
    r"\b(?:natural causes|heart failure|heart attack|cardiac|cardiorespiratory|suicide|took his own life|"
    r"took her own life|self-inflicted|accident|accidental|fell|fallen|a fall|slipped|overdose|illness|"
    r"in (?:his|her|their) sleep)\b"
)
_HEDGE = re.compile(r"\b(?:may|might|could|possibly|perhaps|probably|maybe)\b")
_MODAL = re.compile(r"\b(?:must|should|ought to|needs? to|has to|have to|call(?:s|ed)? (?:on|for)|urge[sd]?|demand(?:s|ed)?)\b")
# English imperatives that open a call to action ("Stop the crimes", "Investigate ...").
_IMPERATIVES = frozenset({
    "stop", "investigate", "bring", "release", "free", "end", "give", "let", "take", "tell", "help",
    "protect", "save", "act", "hold", "open", "allow", "show", "return", "find", "punish", "speak",
    "join", "support", "remember", "condemn", "recognize", "recognise", "save", "halt", "pressure",
})

# --- counts ------------------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "dozen": 12, "thousand": 1000,
}
_VAGUE = {"dozens": (24, math.inf), "hundreds": (200, math.inf), "thousands": (2000, math.inf),
          "scores": (40, math.inf)}
_UNITS = frozenset({
    "day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours", "minute",
    "minutes", "second", "seconds", "percent", "per", "%", "p", "a", "pm", "am", "o'clock", "km",
    "kilometres", "kilometers", "miles", "metres", "meters", "times", "million", "billion", "dollars",
    "euros", "rubles", "roubles", "year-old", "years-old", "th", "st", "nd", "rd", "am", "storey", "floor",
    "pages", "cm", "kg", "degrees", "grams",
})
_MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                     "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
                     "sep", "sept", "oct", "nov", "dec"})
_AT_LEAST = ("at least", "more than", "over", "upwards of", "in excess of", "no fewer than", "no less than")
_AT_MOST = ("up to", "at most", "fewer than", "less than", "no more than", "as many as")
_ABOUT = ("approximately", "about", "around", "roughly", "some", "an estimated", "estimated", "nearly",
          "almost", "close to", "circa")
_NUM_TOKEN = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
# Words that say a count is of those who act for a force: not comparable with counts of victims.
AGENTS = frozenset({"officers", "officer", "police", "policemen", "soldiers", "guards", "guard", "staff",
                    "agents", "troops", "gunmen", "assailants", "attackers", "men-in-uniform"})
# Words that say a count is a count of people.
PEOPLE = frozenset({
    "people", "persons", "person", "men", "women", "man", "woman", "children", "child", "citizens",
    "refugees", "detainees", "detainee", "protesters", "protestors", "journalists", "activists",
    "prisoners", "prisoner", "civilians", "victims", "individuals", "members", "member", "students",
    "residents", "migrants", "families", "those", "them", "one", "others", "guards", "officers",
    "staff", "police", "policemen", "soldiers", "inmates", "inmate", "gays", "demonstrators", "who",
    "nobody", "anyone", "someone", "killed", "dead", "injured", "wounded", "detained", "arrested",
    "held", "missing", "journalist", "workers", "villagers", "households", "family",
})


def count_noun(tokens: list[str]) -> str | None:
    """What the tokens after a number count: people, a noun (by its stem), or None."""
    for token in tokens[:3]:
        if token in AGENTS:
            return "agents"
        if token in PEOPLE or token == "of":
            return "people"
        if token in _UNITS:
            return "unit"
        if token in _STOP or _NUM_TOKEN.match(token) or token in _NUMBER_WORDS:
            continue
        if len(token) > 3 and token.endswith("s"):
            return token[:5]
    return None


@dataclass(frozen=True)
class Count:
    """A count the statement gives: the interval it allows and the words it was read from."""

    low: float
    high: float
    text: str
    noun: str | None = None  # what is counted: "people", or a noun's stem; None when unsaid

    def comparable(self, other: "Count") -> bool:
        """Counts of people compare with counts of people; counts of things with counts of
        things (the words differ: "structures", "homes"); an unsaid noun with anything."""
        if self.noun is None or other.noun is None:
            return True
        kinds = ("people", "agents")
        if self.noun in kinds or other.noun in kinds:
            return self.noun == other.noun
        return True

    def disjoint(self, other: "Count") -> bool:
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
    if token in _NUMBER_WORDS and token not in ("hundred", "thousand", "dozen"):
        value, j = _NUMBER_WORDS[token], i + 1
        if j < len(tokens) and tokens[j] in ("hundred", "thousand"):
            value *= _NUMBER_WORDS[tokens[j]]
            j += 1
        return float(value), j
    if token in ("a", "one") and i + 1 < len(tokens) and tokens[i + 1] in ("dozen", "hundred"):
        return float(_NUMBER_WORDS[tokens[i + 1]]), i + 2
    if token in ("a", "one", "only") and i + 1 < len(tokens) and tokens[i + 1] in ("single", "lone"):
        return 1.0, i + 2
    return None


def counts_in(text: str) -> list[Count]:
    """The counts of people or things a text gives, with the interval each qualifier allows.

    Years, times of day, dates, ages, durations, percentages and money are not counts."""
    folded = fold(text)
    tokens = _WORD.findall(folded.replace("%", " percent "))
    out: list[Count] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in _VAGUE:
            low, high = _VAGUE[token]
            out.append(Count(low, high, token, count_noun(tokens[i + 1:])))
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
            after in _UNITS
            or any(t in _MONTHS for t in tokens[max(0, i - 3):i]) or prev in ("aged", "age", "page", "article", "no", "number", "$", "at")
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
        for phrase in _AT_LEAST:
            if before.endswith(phrase):
                low, high, qualifier = value, math.inf, phrase
        for phrase in _AT_MOST:
            if before.endswith(phrase):
                low, high, qualifier = 0.0, value, phrase
        for phrase in _ABOUT:
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
        out.append(Count(low, high, shown, noun))
        i = j
    return out


# --- the features of one statement -------------------------------------------------------------------


@dataclass(frozen=True)
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
    counts: tuple[Count, ...] = ()
    content: frozenset[str] = field(default_factory=frozenset)
    stems: frozenset[str] = field(default_factory=frozenset)  # content words cut to 5 letters


def _first(patterns: list[re.Pattern], text: str) -> str | None:
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match.group(0)
    return None


def _denial_cue(tokens: list[str], folded: str) -> str | None:
    for i, token in enumerate(tokens):
        if token in NEGATORS or token.endswith("n't"):
            return " ".join(tokens[i:i + 3])
        if token.startswith(DENIAL_WORDS) and not token.startswith(("lied", "lieu")):
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
    content = frozenset(t for t in tokens if len(t) > 3 and t not in _STOP and not t.isdigit())
    rejects = _REJECTS.search(folded)
    agency = _first(_AGENCY, folded)
    zero = _first(_ZERO, folded)
    zero_noun = None
    if zero:
        rest = folded[folded.find(zero) + len(zero):].split()
        head = zero.split()
        zero_noun = "people" if head[-1] in PEOPLE or head[0] in ("nobody", "none") else (
            head[-1][:5] if len(head) > 1 else count_noun(rest))
        if zero_noun == "people" and AGENTS & set(rest[:3]):
            zero_noun = "agents"  # "no member of staff"
    harm = _HARM_ACT.search(folded)
    return TextFeatures(
        negated=denial is not None or rejects is not None,
        denial_cue=rejects.group(0) if rejects else denial,
        rejects=rejects.group(0) if rejects else None,
        event_negated=(m.group(0) if (m := _EVENT_NEGATION.search(folded)) else None),
        figure=bool(_FIGURE.search(folded)),
        state_agent=bool(agency and _STATE_AGENT.search(agency)),
        harm_act=harm.group(0) if harm else None,
        zero_noun=zero_noun,
        existential=_first(_EXISTENTIAL, folded),
        zero=zero,
        agency_denied=agency,
        cause=(m.group(0) if (m := _CAUSE.search(folded)) else None),
        prescriptive=bool(_MODAL.search(folded)) or opener in _IMPERATIVES,
        hedged=bool(_HEDGE.search(folded)),
        counts=tuple(counts_in(text)),
        content=content,
        stems=frozenset(t[:5] for t in content),
    )


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
