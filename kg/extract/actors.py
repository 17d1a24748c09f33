"""Actors: finding every mention of a person or organisation, typing it, and merging mentions.

Rule families (each mention records the one that found it):
  actor-name         capitalised word sequences ("Zelimkhan Akhmadov", "Crime Russia")
  actor-title        a title splits qualifier from name ("Russian President | Vladimir Putin") and
                     gives a role; a title alone with a possessor makes a new actor
                     ("his spokesman" -> "Spokesman for Vladimir Putin", spokesperson_for)
  actor-organisation a name ending in an organisation word ("... Office", "... Network") or a
                     single organisation name ("Kremlin"), typed by that word
  actor-collective   a group noun with its modifiers ("Chechen authorities", "LGBTQ advocates")
  actor-descriptor   a descriptor before a name types it ("the news website Crime Russia",
                     "community organizations like Stimul", "Chechen refugee Maxim Lapunov")
  actor-copula       "Lapunov was the first survivor ..." gives a role
  alias              a surname alone is the person named in full elsewhere ("Kadyrov"); an
                     acronym in brackets after a name is its alias
  back-reference     pronouns, definite descriptions ("the group", "the 30-year-old", "the
                     human rights organization") and possessors point at the last compatible
                     actor mentioned before them, outside quotations; a "they" opening a sentence
                     continues the people opening the sentence before ("Six members of the group,
                     interviewed by X, gave accounts. They said ..."); a body's description points
                     back only at a body whose name has its head noun ("the prosecutor’s office" is
                     not the Interior Ministry) unless the noun fits any body ("the group")
  relation           "X of the Y Office" (member_of), "his spokesman" (spokesperson_for),
                     "his own father" (family_of, a new sensitive person)
  place              a capitalised name after "in", "from", ... or "the capital of", or before a
                     facility noun ("the La Ceiba detention centre"), is a place
  speaker-phrase     the noun phrase in a speech verb's subject slot is an actor even without a
                     name: "A 26-year-old graphic designer, who gave her name only as Sara, said"
                     (a new, sensitive person with the alias Sara), "Witnesses said" (a group),
                     "the club's owner" ("Owner of ..."); an appositive name is the speaker
                     ("Salcedo's mother, Rosa Ruiz, ... said"); "the nurse", "the 26-year-old",
                     "the collective" point back at the last actor introduced with that head
                     noun; "a human rights group said" points forward to the group named in the
                     next paragraphs; a speaker named only by a phrase that points back at no one
                     ("the mayor said", "a resident of the town told AFP") is an actor of its own
  naming             the fullest name the text gives: "the Monitor" after "the Northern Rights
                     Monitor" is that organisation; "Velmara’s State Border Guard" is the "State
                     Border Guard of Velmara" (and "Velmara’s border agency" the same body);
                     "prosecutors" speak for the one "Prosecutor ... Office" of the article; "The
                     San Aurelio regional prosecutor's office" keeps its modifiers; "Lawyers from
                     the X Centre" are named so; "a man who shared the cell ... said" is later "the
                     cellmate"; "a 23-year-old student who asked to be identified only as Tomas"
                     is the student, with the alias Tomas; "Salcedo's mother, Rosa Ruiz, ... said"
                     and "said Miriam Haddou, the group’s researcher" give the role of the phrase;
                     "the family of a 29-year-old man who died ..." is the "Family of Mateo Salcedo"
                     when the next paragraph opens by naming him ("Mateo Salcedo, a construction
                     worker ..."), with family_of; a number word counting a noun ("Six members")
                     is not a name; an unnamed speaker known by a tie to a named person is named
                     by it ("Cellmate of Mateo Salcedo at La Ceiba": the person in the relative
                     clause or named last before, and for ties of a shared place where that person
                     is held or works), an unnamed private person in a report about one community
                     is from it ("71-year-old grandmother from Tsavembe"); a place after "from"
                     stays in a description's name ("19-year-old from Somalia")
  gender             "sister", "spokeswoman", "Mr" say whether "he" or "she" can point at an actor
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from functools import lru_cache

from kg import identity
from kg.extract.lexicon import Lexicon
from kg.extract.text import Doc, Token, _rstrip_end
from kg.extract.verbs import subject_region, speech_occurrences

# A bounded cache: name keys repeat within and across articles, and memory must not grow.
name_key = lru_cache(maxsize=8192)(identity.name_key)


_FIRSTS: dict[int, tuple[object, frozenset[str]]] = {}


def _first_words(table) -> frozenset[str]:
    """The first words of a lexicon table's keys (computed once per table)."""
    found = _FIRSTS.get(id(table))
    if found is None or found[0] is not table:
        found = _FIRSTS[id(table)] = (table, frozenset(k.split()[0] for k in table))
    return found[1]  # type: ignore[return-value]


def _last_words(table) -> frozenset[str]:
    """The last words of a lexicon table's keys (computed once per table): a key can end at a
    word only if the word is one of them."""
    found = _LASTS.get(id(table))
    if found is None or found[0] is not table:
        found = _LASTS[id(table)] = (table, frozenset(k.split()[-1] for k in table))
    return found[1]  # type: ignore[return-value]


_LASTS: dict[int, tuple[object, frozenset[str]]] = {}


def _title_starts(lex: Lexicon) -> frozenset[str]:
    found = _FIRSTS.get(-id(lex.titles))
    if found is None or found[0] is not lex.relatives:
        found = _FIRSTS[-id(lex.titles)] = (lex.relatives, _first_words(lex.titles) | lex.relatives)
    return found[1]  # type: ignore[return-value]


@lru_cache(maxsize=8192)
def _actor_id(name: str, sensitive: bool, scope: str | None) -> str:
    if scope is None:
        return identity.actor_id(name, sensitive=sensitive)
    # an actor known only in one article: its id is that article's (the same description in
    # another article is another person or body)
    key = name_key(name)
    if sensitive:
        return f"actor:p-{identity.digest('actor', scope, key, length=16)}"
    return f"actor:{identity.slug(name)}-{identity.digest(scope, key, length=8)}"


def _link_start(lead: str) -> int:
    r"""Where a preposition linking the head to what it belongs to ends the lead ("A spokesman for
    the"): the start of the first match of (?:^|\s)(?:for|of|...)...$, or -1."""
    if _LINK_OPENING.match(lead):
        return 0
    link = _LINK_ENDING.search(lead)
    return link.start() if link else -1


ORG_TYPES = frozenset({"Organization", "GovernmentBody", "NGO", "MediaOutlet"})
_TYPE_ROLE = {"NGO": "activist", "MediaOutlet": "journalist", "GovernmentBody": "official"}
_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})
_INDEFINITE = frozenset({"a", "an", "one", "another", "some", "any", "every", "each", "no"})
_POSSESSIVE_PRONOUNS = frozenset({"his", "her", "their", "its"})
# a party and state tag after a politician's name ("R-Ohio", "D-Md."): not a name itself
# a title in apposition after a name: "Maria Lopez, a lawyer for the family"
_INDEFINITE_TITLE = re.compile(r"(?:a|an)\s", re.IGNORECASE)
_APPOSITION_GAP = re.compile(r",\s+")
_PARTY_TAG = re.compile(r"[DRI]-[A-Z][a-z]{1,4}\.?")
_AGE = re.compile(r"(?:^|\b)(?:\d+|[a-z]+)-year-old\b")


def _is_age(word: str) -> bool:
    """"29-year-old" (the substring test first: most words are not ages)."""
    return "-year-old" in word and _AGE.match(word) is not None

_COPULA = re.compile(
    r"\s+(?:is|was|has been|had been|became|remains)\s+(?:the|a|an)\s+((?:[\w’'\-]+\s+){0,4}?)([a-z][\w\-]*)\b"
)
_PERSON_LINK = re.compile(r"\s+(?:of|at|from|with)\s+(?:the\s+)?$", re.IGNORECASE)
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Z0-9&]{1,9})\)")
_NP_STOP = frozenset({
    "of", "in", "on", "at", "for", "with", "by", "from", "to", "about", "after", "before", "during", "under",
    "over", "into", "through", "against", "between", "among", "and", "or", "but", "that", "which", "who",
    "when", "while", "as", "if", "because", "is", "are", "was", "were", "be", "been", "has", "have", "had",
    "do", "does", "did", "not", "it", "he", "she", "they", "we", "i", "you", "him", "them", "us", "me",
    "there", "here", "then", "also", "said", "says", "say", "told", "than", "so", "what", "where", "how",
    "though", "although", "whereas", "unless", "since", "until", "once", "whether",
})
_APPOSITIVE_BEFORE = re.compile(r"\b(?:a|an|the)\s+(?:[\w’'\-]+\s+){0,3}?([a-z][\w\-]+),\s+$")
_APPOSITIVE_AFTER = re.compile(r",\s+(?:a|an|the)\s+(?:[\w’'\-]+\s+){0,3}?([a-z][\w\-]+)\s*[,.;]")
_TIME_WORDS = frozenset({
    "month", "year", "week", "day", "days", "weeks", "months", "years", "today", "yesterday", "morning", "evening",
    "night", "afternoon", "weekend", "time", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "hour", "hours", "minute", "minutes", "ago", "earlier", "later", "statement", "interview",
})
_COPULAS = frozenset({"is", "was", "were", "are", "be", "been", "became", "remains", "remained", "becomes", "as"})
_INDEF_DETS = frozenset({"a", "an", "one", "another", "some", "two", "three", "four", "five", "six", "seven",
                         "eight", "nine", "ten", "several", "many", "dozens", "hundreds"})
_DEF_DETS = frozenset({"the", "this", "that", "these", "those"})
_GIVEN_NAME = re.compile(
    r"(?:gave\s+(?:his|her|their)\s+name\s+(?:only\s+)?as|identified\s+(?:only\s+)?as|"
    r"identified\s+(?:only\s+)?by\s+(?:his|her|their)\s+first\s+name,?|"
    r"asked\s+to\s+be\s+(?:identified|called|named)\s+(?:only\s+)?(?:as\s+)?|named|called|known\s+as)\s+"
    r"([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)",
)
# the head opens a clause of its own: "..., police warned", "... after the agency had denied"
_CLAUSE_OPENED = re.compile(
    r"(?:,|\b(?:after|before|when|while|because|although|though|as|since|if|until|whereas|but|and|that))\s*$",
    re.IGNORECASE)
# a quotation closing just before a verb, with at most the speaker's words between: '“...?” a senator asked'
_QUOTE_THEN_SPEAKER = re.compile(r"[”\"’:,]\s*(?:[\w’'\-.]+\s+){0,5}$")
_QUOTE_CLOSED = re.compile(r"[”\"’]\s*,?$")
_WHO_DIRECT = re.compile(r"\b(?:who|which)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
# a second speech verb of the same subject: "..., and said at the time that", "... and suggested"
_COORDINATED = re.compile(r"(?:,|\w)\s+and\s+(?:(?:also|then|later|again|\w+ly)\s+)?$")
_PARTY_STATE = re.compile(r"^\s*[A-Z]-[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?\s*$")
_GROUP_NOUNS = frozenset({"family", "group", "crowd", "couple", "delegation", "team", "staff", "community"})
_GENERIC_PERSON = frozenset({"man", "woman", "person", "boy", "girl", "men", "women", "people", "individual"})
_AGE_APPOSITIVE = re.compile(r"^\s*(?:aged\s+)?\d{1,3}\s*$")
# "of" and the person it names: a name, or an indefinite description ("of a 29-year-old man")
_OF_PERSON = re.compile(r"\s+of\s+(?:the\s+)?(?=[A-Z])|\s+of\s+(?:a|an)\s+((?:[\w’'\-]+\s+){0,3}[\w’'\-]+)")
# where a sentence's opening noun phrase ends, before its modifiers: "A man | who shared the cell"
_SUBJECT_END = re.compile(r"\s+(?:of|who|which|in|at|with|from|for)\b|,")
_FRONTED = re.compile(r"(?:In|On|At|After|Before|During|When|While|Although|Asked|Last|Earlier|Later|"
                      r"But|And|Meanwhile|However|Separately|Since|Until|Following)\b[^,]{0,80},\s+")
_SUBJECT_FOLLOWED = re.compile(r"\s*(?:,|who\b|which\b|of\b|in\b|at\b|with\b|from\b|for\b)")
_PHRASE_FOLLOWED = re.compile(r"\s*(?:[,.;:!?)]|$|(?:who|which|from|in|at|of|with|for|and)\b)")
_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")
_NAME_WORDS = re.compile(r"\s*(?:[A-Z][\w’'\-.]*\s*){1,5}")
_DETERMINER_OPENING = re.compile(r"^(?:a|an|the|this|that|these|those|one|another)\s+", re.IGNORECASE)
# an indirect question after a verb of asking, past a short listener: "asked (the minister) whether ..."
INDIRECT_QUESTION = re.compile(
    r"\s+(?:(?!whether\b|if\b|how\b|why\b|what\b|who\b|when\b|where\b|which\b)[\w’'.\-]+\s+){0,4}?"
    r"(whether|if|how|why|what|who|when|where|which)\s+", re.IGNORECASE)
_QUOTE_NEXT = re.compile(r"\s*[:,]?\s*[“\"‘]")
# "A spokesman for the office": the preposition before the head of a subject
# (?:^|\s)(?:for|of|at|from|with)\s+(?:the\s+)?(?:[a-z][\w\-]*\s+){0,2}$ as two patterns (see _link_start):
# one opening with a space is skipped ahead in C to the spaces, (?:^|\s) is tried at every position
_LINK = r"(?:for|of|at|from|with)\s+(?:the\s+)?(?:[a-z][\w\-]*\s+){0,2}$"
_LINK_OPENING = re.compile(_LINK)
_LINK_ENDING = re.compile(r"\s" + _LINK)
_RELATIVE_WORD = re.compile(r"\b(?:who|which|whose)\b")
# An appositive naming the speaker's kin in its first two words: "whose son", "whose younger brother".
_WHOSE_KIN = re.compile(r"\s*whose\s+([\w\-]+)(?:\s+([\w\-]+))?", re.IGNORECASE)
_RELATIVE_AFTER = re.compile(r",?\s+who\b")
_FROM_AFTER = re.compile(r"\s+from\s+(?:the\s+)?")
_ORIGIN_END = re.compile(r"\s+from\s+(?:the\s+)?[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*){0,3}$")
_WORD_BEFORE_OF = re.compile(r"([\w\-]+)\s+of\s+(?:the\s+)?$")
_HOME_OF_BEFORE = re.compile(r"\s+of\s+(?:the\s+)?$")
_LINKED_NAME = re.compile(r"\s(?:of|from|at|in|for|with)\s")
_AT_OR_FOR_BEFORE = re.compile(r"\b(?:at|for)\s+(?:the\s+)?(?:[a-z][\w\-]*\s+){0,3}$")
_QUOTE_MARK = re.compile(r"[“”\"]")
_QUALIFIER = re.compile(r"\sof\s+(?:the\s+)?([A-Z][^,]*)$")
_QUALIFIED_ORG = re.compile(r".*?([\w\-]+)\s+of\s+(?:the\s+)?[A-Z]")
_OF_THE_GROUP = re.compile(r"\s+of\s+(?:the|their|this|that)\s+group\b")
_STATE_BEFORE = re.compile(r"\bstate\s+$")
_NEXT_WORD = re.compile(r"\s+([a-z][\w\-]*)")
_PREPOSITION_BETWEEN = re.compile(r"\s(?:of|in|at|with|from)\s")


_FEMALE = frozenset({
    "she", "her", "hers", "herself", "woman", "women", "girl", "mother", "sister", "daughter", "wife", "grandmother",
    "aunt", "niece", "spokeswoman", "chairwoman", "councilwoman", "congresswoman", "businesswoman", "girlfriend",
    "fiancee", "widow", "mrs", "ms", "miss", "madam", "queen", "actress", "granddaughter", "stepmother", "mum", "mom",
})
_MALE = frozenset({
    "he", "him", "his", "himself", "man", "men", "boy", "father", "brother", "son", "husband", "grandfather", "uncle",
    "nephew", "spokesman", "chairman", "councilman", "congressman", "businessman", "boyfriend", "fiance", "widower",
    "mr", "sir", "king", "grandson", "stepfather", "dad",
})


def gender_of(word: str | None) -> str | None:
    """"f" or "m" for a word that says it (she, sister, spokeswoman), else None."""
    if not word:
        return None
    low = word.lower().rstrip(".")
    low = low.split()[-1] if " " in low else low
    return "f" if low in _FEMALE else ("m" if low in _MALE else None)


@dataclass(eq=False, slots=True)
class Actor:
    name: str
    type: str
    rule: str
    collective: bool = False
    sensitive: bool = False
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    type_strength: int = 0
    named: bool = False  # has a proper name (not only a collective noun or a title)
    used: bool = False  # speaker, participant or related: worth keeping even without a name
    first: tuple[int, int] | None = None
    titles: list[str] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)
    generated: bool = False  # made from a phrase ("Spokesman for X", "26-year-old graphic designer")
    article: bool = False  # the text names it with "the" ("the Interior Ministry"): "Spokeswoman for the ..."
    gender: str | None = None  # "f" / "m" when the text says (sister, spokeswoman, "she"), for pronouns
    scope: str | None = None  # the article's sha256 when the actor has no proper name (see shared_names)
    shared: list[str] = field(default_factory=list)  # names other articles may find it by (shared_names)

    def learn_gender(self, word: str | None, said: bool = True) -> None:
        """From a word that says it (sister, spokeswoman), or weakly from a pronoun resolved to it."""
        gender = gender_of(word)
        if gender and self.type == "Person" and not self.collective and (said or self.gender is None):
            self.gender = gender

    @property
    def id(self) -> str:
        return _actor_id(self.name, self.sensitive, self.scope)

    @property
    def keys(self) -> set[str]:
        return {name_key(n) for n in [self.name, *self.aliases]}

    def vote(self, actor_type: str | None, strength: int) -> None:
        if actor_type and strength > self.type_strength:
            self.type, self.type_strength = actor_type, strength

    def add_role(self, role: str | None) -> None:
        if role and role not in self.roles:
            self.roles.append(role)

    def add_alias(self, alias: str) -> None:
        key = name_key(alias)
        if key and key not in self.keys:
            self.aliases.append(alias)

    @property
    def is_person(self) -> bool:
        return self.type == "Person"


@dataclass(eq=False, slots=True)
class Mention:
    start: int
    end: int
    kind: str  # name | name1 | org | collective | descriptor | pronoun | title | relative
    rule: str
    text: str
    in_quote: bool
    sent: int
    para: int
    type: str | None = None
    strength: int = 1
    role: str | None = None
    pronoun_class: str | None = None  # person | group | organisation
    title: str | None = None
    relation: str | None = None
    possessor_pos: int | None = None  # start of the possessor's mention ("his" / "Putin’s" / "for X")
    actor: Actor | None = None
    head: str | None = None  # head noun of a noun-phrase mention ("nurse", "26-year-old")
    det: str | None = None  # indef | def | poss | bare, for noun-phrase mentions
    alias: str | None = None  # a given name from an appositive ("gave her name only as Sara")
    # a plural pronoun opening its sentence continues the previous sentence's subject: "Six members
    # of the group ... gave consistent accounts. They said ..."
    antecedent: Mention | None = None


@dataclass(slots=True)
class Slot:
    """The speaker slot of one speech verb: the subject mention and the appositives after it."""

    head: Mention | None
    appositives: list[tuple[int, int]]
    named: Mention | None = None  # a name standing in an appositive: the speaker
    member_of: Mention | None = None  # "Valery Maksimenko of the Prosecutor General’s Office said"
    inverted: bool = False  # the speaker stands after the verb
    coordinated: bool = False  # "X told parliament that ..., and suggested ...": X again

@dataclass(unsafe_hash=True, slots=True)  # (not frozen, to be built faster: see lexicon.PhraseMatch)
class Place:
    name: str
    start: int
    end: int

    @property
    def id(self) -> str:
        return identity.place_id(self.name)


@dataclass(unsafe_hash=True, slots=True)  # (not frozen, to be built faster: see lexicon.PhraseMatch)
class Relation:
    source: Actor
    relation: str  # member_of | spokesperson_for | family_of | leader_of
    target: Actor
    start: int
    end: int
    rule: str


class ActorFinder:
    def __init__(self, doc: Doc, publisher: str | None = None) -> None:
        self.doc = doc
        self.lex: Lexicon = doc.lexicon
        self.text = doc.text
        self.tokens = list(doc.tokens)
        self.consumed: set[int] = set()
        self.mentions: list[Mention] = []
        self.places: list[Place] = []
        self.facilities: list[Place] = []  # places named with a facility noun ("La Ceiba detention centre")
        self.relations: list[Relation] = []
        self.actors: list[Actor] = []
        self.registry: dict[str, Actor] = {}
        self.example_types: dict[int, tuple[str, str | None]] = {}  # token index -> (type, role)
        self.publisher = publisher
        self._pending_acronyms: list[tuple[Mention, str, int, int]] = []
        self._pending_members: list[tuple[Mention, int]] = []  # (organisation, token index of the person)
        self.slots: dict[int, Slot] = {}  # speech verb start -> its speaker slot
        self.starts: list[int] = []
        self._ending: dict[int, Mention] | None = None
        self._removed: set[int] = set()
        self.heads: dict[str, list[tuple[int, Actor]]] = {}

    # --- public -----------------------------------------------------------------------------------

    def run(self) -> None:
        if self.publisher and self.publisher.strip():
            actor = self._create(self.publisher.strip(), "MediaOutlet", "publisher", strength=3)
            actor.named = True
            actor.add_role("journalist")
        self._collectives()
        self._names()
        self._descriptors()
        self._titles_and_relatives()
        self._pronouns()
        self.mentions.sort(key=lambda m: (m.start, -m.end))
        self._dedupe()
        self._speaker_slots()
        self.mentions.sort(key=lambda m: (m.start, -m.end))
        self._resolve_names()
        self._appositive_heads()
        self._resolve_references()
        self._copulas()
        self._bridge_possessed_bodies()
        self._qualify_bodies()
        self.affiliation_roles()
        self.starts = [m.start for m in self.mentions]
        for actor in self.actors:
            if not actor.roles:
                actor.add_role(_TYPE_ROLE.get(actor.type))

    def kept_actors(self) -> list[Actor]:
        return [a for a in self.actors if a.named or a.used]

    def from_index(self, position: int) -> int:
        """Index of the first mention starting at or after position (after run())."""
        return bisect.bisect_left(self.starts, position)

    def mention_before(self, position: int, sentence_start: int) -> Mention | None:
        """The last mention ending at or before position, inside [sentence_start, position]."""
        best = None
        first = bisect.bisect_left(self.starts, sentence_start) if self.starts else 0
        for mention in self.mentions[first:]:
            if mention.start >= position:
                break
            if mention.end <= position and mention.start >= sentence_start:
                if best is None or mention.end > best.end or (mention.end == best.end and mention.start < best.start):
                    best = mention
        return best

    def mention_at(self, position: int) -> Mention | None:
        first = bisect.bisect_left(self.starts, position) if self.starts else 0
        for mention in self.mentions[first:]:
            if mention.start == position:
                return mention
            if mention.start > position:
                break
        return None

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        first = bisect.bisect_left(self.starts, start) if self.starts else 0
        out = []
        for mention in self.mentions[first:]:
            if mention.start >= end:
                break
            if mention.start >= start and mention.end <= end:
                out.append(mention)
        return out

    def head_actor(self, head: str, position: int) -> Actor | None:
        """The last actor introduced with this head noun before position ("the network")."""
        return self._head_lookup(head, position, self.doc.paragraph_at(position))

    def ensure_actor(self, mention: Mention) -> Actor | None:
        """The actor of a mention, creating one for an unresolved single name (a speaker)."""
        if mention.actor is None and mention.kind == "name1":
            # a single unknown name: an acronym is an organisation; otherwise weakly a person
            actor_type = mention.type or ("Organization" if mention.text.isupper() else "Person")
            state = mention.text == self.doc.country  # "Sukunia denies raids": the country's state speaks
            mention.actor = self._create(mention.text, "GovernmentBody" if state else actor_type, mention.rule,
                                         strength=2 if state else 0)
            mention.actor.named = True
            mention.actor.first = (mention.start, mention.end)
            if state:
                mention.actor.add_role("official")
        return mention.actor

    def phrase_actor(self, mention: Mention) -> Actor | None:
        """An actor for a speaker named only by a phrase that points back at no one: "the mayor
        said", "the 40-year-old told the court", "a resident of the town told AFP"."""
        if mention.actor is not None or mention.kind not in ("title", "descriptor", "np"):
            return mention.actor
        words = re.sub(r"^(?:a|an|the|this|that|one|another)\s+", "", mention.text, flags=re.IGNORECASE).strip()
        if not words or not re.search(r"[^\W\d_]", words):
            return None
        fuller = self._fuller_description(mention, words)
        if fuller is not None:  # "The city council ordered ... The council said": the city council
            words = re.sub(r"^(?:the|this|that)\s+", "", fuller.text, flags=re.IGNORECASE).strip()
        indefinite = bool(re.match(r"(?:a|an|one|another)\b", mention.text, re.IGNORECASE))
        actor_type = mention.type or "Person"
        person = actor_type == "Person"
        head = (mention.head or mention.title or words.split()[-1]).lower()
        actor = self._create(words, actor_type, "speaker-phrase", strength=2, generated=True,
                             sensitive=person and indefinite and mention.kind != "title",
                             collective=person and head.endswith("s") and not head.endswith("ss"))
        actor.add_role(mention.role)
        actor.used = True
        if fuller is not None:
            fuller.actor = actor
            if actor.first is None:
                actor.first = (fuller.start, fuller.end)
        if actor.first is None:
            actor.first = (mention.start, mention.end)
        if mention.title and mention.title not in actor.titles:
            actor.titles.append(mention.title)
        mention.actor = actor
        for h in self._heads_of(mention):
            self._register_head(h, mention.start, actor)
        return actor

    def _fuller_description(self, mention: Mention, words: str) -> Mention | None:
        """An earlier definite description of the same head with more words, that no actor took:
        "the council" after "The city council ordered ..." (a bare head only; "the regional
        council" stays itself)."""
        if mention.kind != "descriptor" or words.lower() != (mention.head or "") \
                or not mention.text.lower().startswith("the "):
            return None
        found = None
        for earlier in self.mentions:
            if earlier.start >= mention.start:
                break
            if earlier.kind == "descriptor" and earlier.actor is None and earlier.head == mention.head \
                    and earlier.text.lower().startswith("the ") and len(earlier.text) > len(mention.text) \
                    and not earlier.in_quote and self.doc.paragraph_at(earlier.start) >= mention.para - 12:
                found = earlier
        return found

    # --- actors -----------------------------------------------------------------------------------

    def _create(self, name: str, actor_type: str, rule: str, *, strength: int = 1, collective: bool = False,
                sensitive: bool = False, generated: bool = False) -> Actor:
        key = name_key(name)
        existing = self.registry.get(key)
        if existing is not None:
            existing.vote(actor_type, strength)
            return existing
        actor = Actor(name=name, type=actor_type, rule=rule, collective=collective, sensitive=sensitive,
                      type_strength=strength, generated=generated)
        self.actors.append(actor)
        self.registry[key] = actor
        return actor

    def _register_alias(self, actor: Actor, alias: str) -> None:
        actor.add_alias(alias)
        self.registry.setdefault(name_key(alias), actor)

    # --- mention finders --------------------------------------------------------------------------

    def _mention(self, i: int, j: int, kind: str, rule: str, **extra) -> Mention:
        first, last = self.tokens[i], self.tokens[j - 1]
        return Mention(
            start=first.start, end=last.end, kind=kind, rule=rule, text=self.text[first.start:last.end],
            in_quote=first.in_quote, sent=first.sent, para=first.para, **extra,
        )

    def _adjacent(self, a: Token, b: Token) -> bool:
        gap = self.text[a.end:b.start]
        return a.sent == b.sent and (gap in (" ", "-", "\u00a0") or (a.possessive and gap in ("’s ", "'s "))
                                     or (gap in ("' ", "’ ") and a.text.endswith("s") and b.cap))  # "Residents' Association"

    def _lookup(self, table: dict, i: int, max_words: int = 2) -> tuple[int, dict | str] | None:
        """Longest multi-word key of table starting at token i (lower-case, adjacent tokens)."""
        if self.tokens[i].low not in _first_words(table):
            return None
        for n in range(max_words, 0, -1):
            if i + n > len(self.tokens):
                continue
            toks = self.tokens[i:i + n]
            if any(not self._adjacent(toks[k], toks[k + 1]) for k in range(n - 1)):
                continue
            key = " ".join(t.low for t in toks)
            if key in table:
                return n, table[key]
        return None

    def _collectives(self) -> None:
        lex, tokens = self.lex, self.tokens
        i = 0
        for index in self.doc.positions(_first_words(lex.collectives)):  # (only where one may start)
            if index < i:
                continue
            i = index
            tok = tokens[i]
            if tok.cap and not tok.initial:
                continue
            found = self._lookup(lex.collectives, i)
            if not found:
                continue
            n, spec = found
            j = i + n
            # modifiers before the noun: capitalised words (demonyms, acronyms) and listed words
            k = i
            while k > 0:
                prev = tokens[k - 1]
                if not self._adjacent(prev, tokens[k]) or prev.possessive:
                    break
                if (prev.cap and prev.text not in lex.not_names and not prev.text.startswith(("#", "@"))) or prev.low in lex.modifiers:
                    k -= 1
                    continue
                break
            after = tokens[j] if j < len(tokens) else None
            if after is not None and after.sent == tok.sent and (
                after.low in lex.examples_markers
                or (after.low == "such" and j + 1 < len(tokens) and tokens[j + 1].low == "as")
            ):
                m = j + (2 if after.low == "such" else 1)
                self.example_types[m] = (spec["type"], spec["role"])
                i = j
                continue
            if spec["needs_modifier"] and k == i:
                i = j
                continue
            mention = self._mention(k, j, "collective", "actor-collective", type=spec["type"], strength=3,
                                    role=spec["role"])
            self.mentions.append(mention)
            self.consumed.update(range(k, j))
            i = j

    def _is_name_token(self, tok: Token) -> bool:
        if not (tok.cap or tok.acronym) or tok.text.startswith(("#", "@")):
            return False
        return not tok.text[0].isdigit()

    def _names(self) -> None:
        lex, tokens = self.lex, self.tokens
        i = 0
        capitals = [index for index, token in enumerate(tokens) if token.cap or token.acronym]
        for index in capitals:  # (a name starts with a capital)
            if index < i:
                continue
            i = index
            tok = tokens[i]
            if i in self.consumed or not self._is_name_token(tok) or tok.text.rstrip(".") in lex.not_names \
                    or _PARTY_TAG.fullmatch(tok.text) \
                    or (tok.initial and not tok.acronym and (self._common_noun(tok.low) or self._counting(i))
                        and not (i + 1 < len(tokens) and self._is_name_token(tokens[i + 1])
                                 and self._adjacent(tok, tokens[i + 1]))):
                i += 1  # "Lawyers from the ... said", "Six members of the group": a capital only because it opens the sentence
                continue
            j = i + 1
            while j < len(tokens) and j not in self.consumed:
                prev, cur = tokens[j - 1], tokens[j]
                if self._is_name_token(cur) and self._adjacent(prev, cur) and cur.text not in lex.not_names:
                    if prev.possessive and not self._org_word(cur):
                        break
                    j += 1
                    continue
                # connectors inside organisation names: "Ministry of Foreign Affairs"
                if (cur.low in ("of", "for") and self._org_word(prev) and j + 1 < len(tokens)
                        and self._adjacent(prev, cur)):
                    nxt = j + 1
                    if tokens[nxt].low == "the" and nxt + 1 < len(tokens):
                        nxt += 1
                    if self._is_name_token(tokens[nxt]) and tokens[nxt].sent == cur.sent:
                        j = nxt + 1
                        continue
                break
            self._name_sequence(i, j)
            i = j

    def _counting(self, i: int) -> bool:
        """A number word counting the noun after it ("Six members"); "Six in 10 Democrats said" stays
        a mention that can speak."""
        tokens = self.tokens
        return tokens[i].low in self.lex.numbers and i + 1 < len(tokens) and tokens[i + 1].sent == tokens[i].sent \
            and not tokens[i + 1].cap and tokens[i + 1].low not in _NP_STOP

    def _common_noun(self, low: str) -> bool:
        lex = self.lex
        for word in (low, low[:-1] if low.endswith("s") else low):
            if word in lex.titles or word in lex.descriptors or word in lex.relatives or low in lex.proxies:
                return True
        return False

    def _org_word(self, tok: Token) -> str | None:
        words = self.lex.org_words
        text = tok.text
        return words.get(text) or (words.get(text[:-1]) if text.endswith("s") else None)

    def _name_sequence(self, i: int, j: int) -> None:
        lex, tokens, text = self.lex, self.tokens, self.text
        seq = tokens[i:j]
        # a title inside the sequence with a name after it: "Russian President | Vladimir Putin",
        # "Lands Ministry Principal Secretary | Ruth Kabeya" (the words before a title may name an organisation)
        title, title_spec, name_from = None, None, 0
        title_ends = _last_words(lex.titles)
        for k in range(len(seq) - 1, -1, -1):
            if seq[k].low not in title_ends:
                continue
            for n in range(min(lex.title_max_words, k + 1), 0, -1):
                key = " ".join(t.low for t in seq[k - n + 1:k + 1])
                if key in lex.titles:
                    title, title_spec, name_from = key, lex.titles[key], k + 1
                    break
            if title:
                break
        if title and name_from < len(seq) and any(self._org_word(t) for t in seq[name_from:]):
            title, title_spec, name_from = None, None, 0  # "President Hospital": an organisation's name
        person_follows = bool(title) and name_from < len(seq)
        qualifier_org = None
        if person_follows:
            for tok in reversed(seq[:name_from - len(title.split())]):
                qualifier_org = self._org_word(tok)
                if qualifier_org:
                    break
        org_type = None
        if not person_follows:
            for tok in reversed(seq):
                org_type = self._org_word(tok)
                if org_type:
                    break
            if org_type is None and len(seq) == 1 and seq[0].text in lex.org_names:
                org_type = lex.org_names[seq[0].text]
            if org_type:
                title, title_spec, name_from = None, None, 0
        if qualifier_org:
            # the organisation named before the title is the person's own ("Lands Ministry")
            org_end = i + name_from - len(title.split())
            org_mention = self._mention(i, org_end, "org", "actor-organisation", type=qualifier_org, strength=3)
            self.mentions.append(org_mention)
            self._pending_members.append((org_mention, i + name_from))
        if title and name_from >= len(seq):
            # only a title ("the Prosecutor General", "President"): a title mention
            mention = self._mention(i, j, "title", "actor-title", type="Person", strength=3,
                                    role=title_spec["role"], title=title)
            mention.possessor_pos = self._possessor_before(i)
            self._title_target(mention, j)
            self.mentions.append(mention)
            self.consumed.update(range(i, j))
            return
        start = i + name_from
        if start >= j:
            return
        # a place: after "in", "from", ... or "the capital of"; not a modifier ("the Chechen capital")
        nxt = tokens[j] if j < len(tokens) else None
        modifier = nxt is not None and not nxt.cap and nxt.low in lex.place_nouns and self._adjacent(tokens[j - 1], nxt)
        if modifier:
            self.consumed.update(range(i, j))
            return
        if org_type is None and not title and lex.facility_re is not None \
                and lex.facility_re.match(text, tokens[j - 1].end):
            # "held at the La Ceiba detention centre": a place where people are held, not a person
            place = Place(text[tokens[start].start:tokens[j - 1].end], tokens[start].start, tokens[j - 1].end)
            self.places.append(place)
            self.facilities.append(place)
            self.consumed.update(range(i, j))
            return
        if (org_type is None or (org_type == "Organization" and not self._affiliation(start))) \
                and self._place_context(start):
            self.places.append(Place(text[tokens[start].start:tokens[j - 1].end], tokens[start].start, tokens[j - 1].end))
            self.consumed.update(range(i, j))
            return
        kind = "org" if org_type else ("name" if j - start > 1 else "name1")
        mention = self._mention(start, j, kind, "actor-organisation" if org_type else "actor-name")
        if org_type:
            mention.type, mention.strength = org_type, 3
        elif title:
            mention.type, mention.strength, mention.role = "Person", 3, title_spec["role"]
            mention.title = title
            mention.rule = "actor-title"
        elif kind == "name":
            mention.type, mention.strength = "Person", 1
        # a descriptor or title in lower case just before: "refugee Maxim Lapunov", "the news website X"
        before = self._descriptor_before(i)
        if before:
            actor_type, role, strength, label = before
            mention.head = self.tokens[i - 1].low
            if strength > mention.strength or (mention.type is None):
                mention.type, mention.strength = actor_type, strength
            mention.role = mention.role or role
            if label:
                mention.title = mention.title or label
            mention.rule = "actor-descriptor" if mention.rule == "actor-name" else mention.rule
        if i in self.example_types:
            actor_type, role = self.example_types[i]
            mention.type, mention.strength, mention.role = actor_type, 2, role
            mention.rule = "actor-descriptor"
        acronym = _ACRONYM_AFTER.match(text, mention.end)
        if acronym:
            self._pending_acronyms.append((mention, acronym.group(1), acronym.start(1), acronym.end(1)))
        self.mentions.append(mention)
        self.consumed.update(range(i, j))

    def _affiliation(self, i: int) -> bool:
        """"Lawyers from the Lusava Legal Aid Centre": a person's organisation, not a place."""
        k = i - 1
        if k >= 0 and self.tokens[k].low == "the":
            k -= 1
        if k < 1 or self.tokens[k].low not in ("from", "with", "at"):
            return False
        before = self.tokens[k - 1].low
        return self._common_noun(before) or before in self.lex.collectives

    def _place_context(self, i: int) -> bool:
        tokens, lex = self.tokens, self.lex
        k = i - 1
        if k >= 0 and tokens[k].low == "the" and tokens[k].sent == tokens[i].sent:
            k -= 1
        if k < 0 or tokens[k].sent != tokens[i].sent:
            return False
        if tokens[k].low in lex.place_prepositions and not tokens[k].cap:
            return True
        if tokens[k].low == "of" and k >= 1 and tokens[k - 1].low in lex.place_nouns:
            return True
        return False

    def _descriptor_before(self, i: int) -> tuple[str, str | None, int, str | None] | None:
        tokens, lex = self.tokens, self.lex
        if i == 0:
            return None
        prev = tokens[i - 1]
        if prev.sent != tokens[i].sent or prev.cap or self.text[prev.end:tokens[i].start] != " ":
            return None
        if prev.low not in _last_words(lex.titles) and prev.low not in _last_words(lex.descriptors):
            return ("Person", None, 2, None) if _is_age(prev.low) else None
        for n in (2, 1):
            if i - n < 0:
                continue
            words = tokens[i - n:i]
            if any(w.sent != tokens[i].sent or w.cap for w in words):
                continue
            key = " ".join(w.low for w in words)
            if key in lex.titles:
                spec = lex.titles[key]
                return "Person", spec["role"], 3, key
            if key in lex.descriptors:
                spec = lex.descriptors[key]
                return spec["type"], spec["role"], 2, None
        if _is_age(prev.low):
            return "Person", None, 2, None
        return None

    def _descriptors(self) -> None:
        tokens, lex = self.tokens, self.lex
        candidates = self.doc.positions(lex.descriptors.keys())
        ages = self.doc.positions(self._age_words().difference(lex.descriptors))
        for i in sorted(candidates + ages, reverse=True):
            tok = tokens[i]
            if i in self.consumed or tok.cap and not tok.initial:
                continue
            spec = lex.descriptors.get(tok.low)
            if spec is None and _is_age(tok.low):
                spec = {"type": "Person", "role": None}
            if spec is None:
                continue
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is not None and nxt.sent == tok.sent and self._is_name_token(nxt) and self.text[tok.end:nxt.start] == " ":
                continue  # describes the name that follows
            if tok.possessive:
                continue
            # walk back to a determiner over modifiers: "the nation’s largest queer advocacy group"
            k = i - 1
            steps = 0
            found = None
            while k >= 0 and steps < 6 and tokens[k].sent == tok.sent and k not in self.consumed:
                low = tokens[k].low
                if low in _DETERMINERS:
                    found = k
                    break
                if low in _INDEFINITE or low in _POSSESSIVE_PRONOUNS or tokens[k].in_quote != tok.in_quote:
                    break
                if tokens[k].cap and not tokens[k].possessive and not tokens[k].acronym:
                    break
                if low in lex.verbs or low in ("of", "with", "for", "and", "or", "to", "by", "in", "on", "at", "who", "that", "which"):
                    break
                k -= 1
                steps += 1
            if found is None:
                continue
            if spec["type"] == "Person" and any(tokens[x].possessive for x in range(found, i)):
                continue  # "the family's lawyer": the lawyer of the family, not a person named before
            if found > 0 and tokens[found - 1].low in ("is", "was", "were", "are", "be", "been", "became", "remains",
                                                      "remained", "becomes", "as"):
                continue  # a predicate ("Lapunov was the first survivor"), not a reference
            mention = self._mention(found, i + 1, "descriptor", "back-reference", type=spec["type"], strength=2,
                                    role=spec.get("role"), head=tok.low)
            self.mentions.append(mention)
            self.consumed.update(range(found, i + 1))

    def _age_words(self) -> set[str]:
        return {low for low in self.doc.by_low if "year-old" in low and _AGE.match(low)}

    def _possessor_before(self, i: int) -> int | None:
        """Start of the possessor standing before token i: "his", "Putin’s", "the Kremlin’s"."""
        if i == 0:
            return None
        tokens = self.tokens
        k = i - 1
        if tokens[k].low == "own" and k > 0:
            k -= 1
        # over one or two lower-case modifiers: "the network’s legal director", "his former lawyer"
        for _ in range(2):
            prev = tokens[k]
            if k > 0 and not prev.cap and not prev.possessive and prev.low not in _POSSESSIVE_PRONOUNS \
                    and prev.low not in _NP_STOP and prev.low not in _DEF_DETS | _INDEF_DETS \
                    and prev.low not in self.lex.verbs and prev.sent == tokens[i].sent \
                    and (tokens[k - 1].possessive or tokens[k - 1].low in _POSSESSIVE_PRONOUNS
                         or (k > 1 and not tokens[k - 1].cap and tokens[k - 1].low not in _NP_STOP)):
                k -= 1
                continue
            break
        prev = tokens[k]
        if prev.sent != tokens[i].sent:
            return None
        if prev.low in _POSSESSIVE_PRONOUNS:
            return prev.start
        if prev.possessive:
            return prev.start
        return None

    def _title_target(self, mention: Mention, j: int) -> None:
        """A title followed by "for X" / "of X": X is what the title holder speaks for or leads."""
        tokens = self.tokens
        if mention.possessor_pos is None and j < len(tokens) and tokens[j].low in ("for", "of") \
                and tokens[j].sent == tokens[j - 1].sent and self.text[tokens[j - 1].end:tokens[j].start] == " ":
            k = j + 1
            if k < len(tokens) and tokens[k].low in ("the", "his", "her", "their", "its"):
                k += 1 if tokens[k].low == "the" else 0
            if k < len(tokens) and tokens[k].sent == tokens[j].sent and (
                    tokens[k].cap or tokens[k].low in ("his", "her", "their", "its") or tokens[k - 1].low == "the"):
                mention.possessor_pos = tokens[k].start

    def _titles_and_relatives(self) -> None:
        tokens, lex = self.tokens, self.lex
        i = 0
        for index in self.doc.positions(_title_starts(lex)):  # (only where one may start)
            if index < i:
                continue
            i = index
            tok = tokens[i]
            if i in self.consumed or (tok.cap and not tok.initial):
                continue
            found = self._lookup(lex.titles, i)
            if found and i > 0 and tokens[i - 1].sent == tok.sent and (
                    tokens[i - 1].low in _COPULAS or (i > 1 and tokens[i - 2].low in _COPULAS
                                                      and tokens[i - 1].low in _DETERMINERS | _INDEFINITE)
                    or (i > 2 and tokens[i - 3].low in _COPULAS)):
                found = None  # a predicate ("was the first survivor"), not a person of its own
            if found:
                n, spec = found
                j = i + n
                possessor = self._possessor_before(i)
                k = i
                if possessor is not None:
                    while k > 0 and tokens[k - 1].start >= possessor and not tokens[k - 1].cap:
                        k -= 1
                elif k > 0 and tokens[k - 1].low in _DETERMINERS | _INDEFINITE and tokens[k - 1].sent == tok.sent:
                    k -= 1
                mention = self._mention(k, j, "title", "actor-title", type="Person", strength=3, role=spec["role"],
                                        title=" ".join(t.low for t in tokens[i:j]), relation=spec["relation"])
                mention.possessor_pos = possessor
                if possessor is None:
                    self._title_target(mention, j)
                if possessor is None and mention.possessor_pos is None and tokens[k].low in _INDEFINITE:
                    i = j
                    continue
                self.mentions.append(mention)
                self.consumed.update(range(k, j))
                i = j
                continue
            if tok.low in lex.relatives:
                possessor = self._possessor_before(i)
                if possessor is not None:
                    k = i
                    while k > 0 and tokens[k - 1].start >= possessor and not tokens[k - 1].cap:
                        k -= 1  # ("Dorin Pavel’s sister": the name stays a mention of its own)
                    mention = self._mention(k, i + 1, "relative", "relation", type="Person", strength=3,
                                            role="relative", title=tok.low, relation="family_of")
                    mention.possessor_pos = possessor
                    self.mentions.append(mention)
                    self.consumed.update(range(k, i + 1))

    def _pronouns(self) -> None:
        tokens = self.tokens
        for i in self.doc.positions(self.lex.pronouns.keys()):
            tok = tokens[i]
            if tok.in_quote or i in self.consumed:
                continue
            kind = self.lex.pronouns.get(tok.low)
            if kind and (not tok.cap or tok.initial):
                self.mentions.append(self._mention(i, i + 1, "pronoun", "back-reference", pronoun_class=kind))

    def _dedupe(self) -> None:
        kept: list[Mention] = []
        last_end = -1
        for mention in self.mentions:
            if mention.start < last_end and mention.kind != "pronoun":
                continue
            kept.append(mention)
            last_end = max(last_end, mention.end)
        self.mentions = kept

    # --- resolution -------------------------------------------------------------------------------

    def _resolve_names(self) -> None:
        surnames: dict[str, Actor | None] = {}
        for mention in self.mentions:
            if mention.kind == "org":
                earlier = None
                if " " not in mention.text and self._org_word(self.tokens[self.doc.token_index_at(mention.start)]):
                    # "the Monitor" after "the Northern Rights Monitor": the organisation named in full
                    found = [a for p, a in self.heads.get(mention.text.lower(), [])
                             if p < mention.start and a.type in ORG_TYPES and not a.collective and " " in a.name]
                    earlier = found[-1] if found and all(a is found[-1] for a in found) else None
                owner = self._place_possessor(mention)
                if earlier is not None:
                    mention.actor = earlier
                    earlier.add_alias(mention.text)
                elif owner is not None:
                    # "Velmara’s State Border Guard": the State Border Guard of Velmara
                    mention.actor = self._create(f"{mention.text} of {owner}", mention.type or "Organization",
                                                 mention.rule, strength=mention.strength)
                    self._register_alias(mention.actor, mention.text)
                else:
                    mention.actor = self._create(mention.text, mention.type or "Organization", mention.rule,
                                                 strength=mention.strength)
            elif mention.kind == "name" or (mention.kind == "name1" and mention.type == "Person" and mention.strength >= 3):
                mention.actor = self._create(mention.text, mention.type or "Person", mention.rule, strength=mention.strength)
            elif mention.kind == "collective":
                mention.actor = self._create(mention.text, mention.type or "Organization", mention.rule,
                                             strength=mention.strength, collective=True)
            elif mention.kind == "name1" and mention.type and mention.strength >= 2:
                mention.actor = self._create(mention.text, mention.type, mention.rule, strength=mention.strength)
            elif mention.kind == "name1" and mention.text in self.lex.org_names:
                mention.actor = self._create(mention.text, self.lex.org_names[mention.text], "actor-organisation", strength=3)
            else:
                continue
            actor = mention.actor
            actor.named = actor.named or mention.kind in ("org", "name", "name1")
            if actor.first is None and mention.kind == "org" and _THE_BEFORE.search(self.text[max(0, mention.start - 4):mention.start]):
                actor.article = True
            actor.add_role(mention.role)
            if mention.title:
                if mention.title not in actor.titles:
                    actor.titles.append(mention.title)
            if actor.first is None:
                actor.first = (mention.start, mention.end)
            for head in self._heads_of(mention):
                self._register_head(head, mention.start, actor)
            if actor.is_person and not actor.collective and " " in actor.name:
                last = name_key(actor.name.split()[-1])
                surnames[last] = None if last in surnames and surnames[last] is not actor else actor
        for org_mention, person_index in self._pending_members:
            person = next((m for m in self.mentions if m.start == self.tokens[person_index].start), None)
            if person is not None and person.actor is not None and org_mention.actor is not None:
                self.relations.append(Relation(person.actor, "member_of", org_mention.actor, org_mention.start,
                                               person.end, "relation"))
        self._pending_members = []
        for mention, acronym, _, _ in self._pending_acronyms:
            if mention.actor is not None:
                self._register_alias(mention.actor, acronym)
        self._pending_acronyms = []
        for mention in self.mentions:
            if mention.kind != "name1" or mention.actor is not None:
                continue
            key = name_key(mention.text)
            actor = self.registry.get(key) or surnames.get(key) or self._org_by_last_word(key, mention.start)
            if actor is not None:
                mention.actor = actor
                if name_key(actor.name) != key:
                    actor.add_alias(mention.text)
                if actor.first is None:
                    actor.first = (mention.start, mention.end)

    def _bridge_possessed_bodies(self) -> None:
        """"Velmara’s border agency" and "Velmara’s State Border Guard" in one article: one body,
        when the place owns exactly one named body of that type."""
        for actor in list(self.actors):
            if actor.rule != "speaker-phrase" or actor.type not in ORG_TYPES or actor.collective:
                continue
            owner = re.match(r"([A-Z][\w\-]+)[’']s\s+\S", actor.name)
            if not owner:
                continue
            suffix = f" of {owner.group(1)}"
            named = [a for a in self.actors if a is not actor and a.named and a.type == actor.type
                     and a.name.endswith(suffix)]
            if len(named) == 1:
                self._merge(actor, named[0])
                named[0].add_alias(actor.name)
        # "prosecutors said" and "the Prosecutor General’s Office said": the office speaking through
        # its members, when one office of the article is named after them
        for actor in list(self.actors):
            if not actor.collective or actor.rule != "actor-collective" or " " in actor.name:
                continue
            word = actor.name.lower()
            singular = word[:-1] if word.endswith("s") else word
            if singular not in self.lex.titles:
                continue
            named = [a for a in self.actors if a.named and not a.collective and a.type == "GovernmentBody"
                     and any(w.lower().startswith(singular) for w in a.name.split())]
            if len(named) == 1:
                self._merge(actor, named[0])
                named[0].add_alias(actor.name)

    def _qualify_bodies(self) -> None:
        """Name bodies as a reader of the whole article would: "police" in a story about "Porto Vell
        police" (the one place-qualified body with that head) is that body; a national body named
        without a place is the dateline country's ("Interior Ministry of Korvania")."""
        for actor in list(self.actors):
            if not actor.collective or actor.rule != "actor-collective" or " " in actor.name:
                continue
            head = " " + actor.name.lower()
            qualified = [a for a in self.actors if a is not actor and a.collective and a.type == actor.type
                         and a.name.lower().endswith(head) and a.name[:1].isupper() and " " in a.name]
            if len(qualified) == 1:
                self._merge(actor, qualified[0])
                qualified[0].add_alias(actor.name)
        # "the state Institute of Legal Medicine": a body of the state, whatever its own name says
        state_bodies = set()
        for mention in self.mentions if "state " in self.text else ():
            if mention.kind == "org" and mention.actor is not None and not mention.actor.collective \
                    and _STATE_BEFORE.search(self.text, max(0, mention.start - 10), mention.start):
                mention.actor.vote("GovernmentBody", 5)
                mention.actor.add_role("official")
                state_bodies.add(id(mention.actor))
        country = self.doc.country
        if not country:
            return
        stem = country.lower()[:5]
        national = self.lex.national_words
        for actor in self.actors:
            if actor.type != "GovernmentBody" or not actor.named or actor.collective:
                continue
            low = actor.name.lower()
            words = set(re.findall(r"[\w\-]+", low))
            if stem in low or any(p.name.lower() in low for p in self.places) or not (
                    words & national or any(" " in w and w in low for w in national) or id(actor) in state_bodies):
                continue
            name = re.sub(r"^(?:the|The)\s+", "", actor.name)
            self._rename(actor, f"{name} of {country}")
            actor.add_alias(f"{country} {name}")

    def _place_possessor(self, mention: Mention) -> str | None:
        """The place owning an organisation: "Velmara’s State Border Guard" -> "Velmara"."""
        i = self.doc.token_index_at(mention.start) - 1
        if i < 0:
            return None
        tok = self.tokens[i]
        if not (tok.possessive and tok.cap and tok.sent == mention.sent) or self.text[tok.end:mention.start] not in ("’s ", "'s "):
            return None
        owner = next((m for m in self.mentions if m.start <= tok.start < m.end), None)
        if owner is not None and owner.kind != "name1":
            return None  # a person's or an organisation's body ("the Kremlin's press office") keeps its name
        if any(p.start == tok.start for p in self.places):
            return tok.text
        if owner is None or owner.actor is not None or (i > 0 and self.tokens[i - 1].low == "the"):
            return None
        return tok.text if len(tok.text) > 2 and not tok.acronym else None

    def _antecedent(self, mention: Mention, history: list[Mention]) -> Actor | None:
        want_person = mention.type == "Person" or mention.pronoun_class == "person"
        want: set[str]
        if mention.pronoun_class == "organisation":
            want = set(ORG_TYPES)
        elif mention.pronoun_class == "group":
            want = set(ORG_TYPES) | {"Person"}
        elif want_person:
            want = {"Person"}
        elif mention.type == "GovernmentBody":
            want = {"GovernmentBody"}
        elif mention.type == "MediaOutlet":
            want = {"MediaOutlet"}
        else:
            want = {"NGO", "Organization"}
        fallback = None
        for previous in reversed(history):
            actor = previous.actor
            if actor is None or previous.para < mention.para - 3:
                if previous.para < mention.para - 3:
                    break
                continue
            if previous.in_quote and previous.kind not in ("name", "org"):
                continue
            if actor.type not in want:
                continue
            if mention.pronoun_class == "group":
                if actor.collective or actor.type in ORG_TYPES:
                    return actor
                continue
            if want_person and actor.collective:
                continue
            if not want_person and actor.collective:
                fallback = fallback or actor
                continue
            if mention.kind == "pronoun" and actor.gender and gender_of(mention.text) not in (None, actor.gender):
                continue  # "Dorin Pavel’s sister ... said he had been beaten": he is not the sister
            if mention.kind == "pronoun":
                actor.learn_gender(mention.text, said=False)
            return actor
        return fallback

    def _unnamed_before(self, mention: Mention, history: list[Mention]) -> Actor | None:
        """"the cellmate said" after "A man who shared the cell with Salcedo ... said": a definite
        description never used before, of a person, points back at the last unnamed person (a
        named one would be called by name), not at whoever was mentioned last."""
        if mention.type != "Person" or _AGE.search(mention.text.lower()) or not mention.text.lower().startswith("the ") \
                or re.search(r"['’]s\b", mention.text):
            return None
        for previous in reversed(history):
            if previous.para < mention.para - 2:
                break
            actor = previous.actor
            if actor is not None and actor.generated and actor.is_person and not actor.collective \
                    and actor.rule == "speaker-phrase" and previous.kind == "np" and previous.sent != mention.sent:
                if actor.name.split()[-1].lower() in _GENERIC_PERSON and mention.head not in _GENERIC_PERSON:
                    # "a man who shared the cell ..." is then "the cellmate": the fuller description names him
                    self._rename(actor, re.sub(r"^the\s+", "", mention.text, flags=re.IGNORECASE))
                self._register_head(mention.head or "", mention.start, actor)
                return actor
        return None

    def _resolve_references(self) -> None:
        history: list[Mention] = []
        by_start = {m.start: m for m in self.mentions}
        # a slot is linked once its head is resolved: after the verb for '“...,” said a teacher who ...'
        pending = sorted(((max(k, slot.head.start + 1) if slot.inverted and slot.head is not None else k), slot)
                         for k, slot in self.slots.items())
        for mention in self.mentions:
            while pending and pending[0][0] <= mention.start:
                self._link_slot(pending.pop(0)[1])
            if mention.actor is None:
                if mention.kind == "descriptor":
                    mention.actor = self._head_lookup(mention.head, mention.start, mention.para) \
                        or self._unnamed_before(mention, history) or self._antecedent(mention, history)
                    if mention.type in ORG_TYPES:
                        mention.actor = self._body_named_by(mention.head or "", mention.actor)
                    if mention.actor is not None and mention.role:
                        mention.actor.add_role(mention.role)
                elif mention.kind == "pronoun":
                    continued = mention.antecedent.actor if mention.antecedent is not None else None
                    mention.actor = continued or self._antecedent(mention, history)
                elif mention.kind in ("title", "relative"):
                    self._resolve_title(mention, history, by_start)
                elif mention.kind == "np":
                    self._resolve_np(mention, history, by_start)
            if mention.actor is not None and not (mention.in_quote and mention.kind == "pronoun"):
                history.append(mention)
        for _, slot in pending:
            self._link_slot(slot)

    # --- speaker slots and noun-phrase speakers ----------------------------------------------------

    def _speaker_slots(self) -> None:
        doc, text = self.doc, self.text
        for occ in speech_occurrences(doc):
            ss = doc.sentences[occ.sent][0]
            position = occ.quoted_as if occ.quoted_as >= 0 else occ.start
            tail = text[max(ss, position - 12):position].rstrip()  # (what stands just before the verb)
            if occ.verb.object in ("quote", "question") \
                    and not _QUOTE_THEN_SPEAKER.search(text, max(ss, position - 60), position) \
                    and not _QUOTE_NEXT.match(text, occ.end, occ.end + 4) \
                    and not (occ.verb.object == "question" and INDIRECT_QUESTION.match(text, occ.end, occ.end + 60)):
                continue  # "continued discrimination": only a verb beside a quotation (or a question)
            if occ.agent >= 0:
                after = self.doc.token_index_at(occ.agent)
                agent = self._mention_ending(self._np_end(after, doc.sentences[occ.sent][1]), ss) \
                    if after < len(self.tokens) else None
                if agent is None and after < len(self.tokens):
                    agent = self._np_ending_at(self._np_end(after, doc.sentences[occ.sent][1]), ss)
                    if agent is not None:
                        self.mentions.append(agent)
                if agent is not None:
                    self.slots[occ.start] = Slot(agent, [], inverted=True)
                continue
            if doc.may_contain("and", max(ss, position - 40), position) \
                    and _COORDINATED.search(text, max(ss, position - 40), position) and not self.doc.in_quote(position - 1):
                self.slots[occ.start] = Slot(None, [], coordinated=True)
                continue
            if occ.impersonal:
                # "In a complaint filed ... by the Monitor’s lawyers ..., it was alleged that": the filer
                by = None
                for by in re.finditer(r"\bby\s+", text[ss:position]):
                    pass
                if by is not None:
                    k = j = self.doc.token_index_at(ss + by.end())
                    while j < len(self.tokens) and self.tokens[j].start < position and j - k < 8:
                        if j > k and (self.tokens[j].low in _NP_STOP or self.text[
                                self.tokens[j - 1].end:self.tokens[j].start].strip() not in ("", "’s", "'s")):
                            break
                        j += 1
                    if j > k:
                        stop = self.tokens[j - 1].end
                        head = self._mention_ending(stop, ss) or self._np_ending_at(stop, ss)
                        if head is not None:
                            if head not in self.mentions:
                                self.mentions.append(head)
                            self.slots[occ.start] = Slot(head, [])
                continue
            inverted_after = None
            if tail.endswith(("”", "\"", "’", ",")) and occ.quoted_as < 0:
                after = self._np_after(occ.end, doc.sentences[occ.sent][1])
                if after is not None:  # '“...,” said a 34-year-old former teacher who ...'
                    if _QUOTE_CLOSED.search(tail):
                        self.mentions.append(after)
                        self.slots[occ.start] = Slot(after, [], inverted=True)
                        continue
                    inverted_after = after  # '..., alleged a former inmate', unless a subject stands before
                elif _QUOTE_CLOSED.search(tail):
                    continue  # '“...,” urged X': the speaker stands after the verb
            member = None
            end, appositives = subject_region(doc, position, ss)
            if end < 0 or (text[ss:end].rstrip().endswith(",") and not appositives):
                if inverted_after is not None:
                    self.mentions.append(inverted_after)
                    self.slots[occ.start] = Slot(inverted_after, [], inverted=True)
                continue  # '..., alleged X': the speaker stands after the verb
            head = self._mention_ending(end, ss) or self._np_ending_at(end, ss)
            if head is not None and head.kind in ("title", "descriptor") and head.possessor_pos is None:
                np = self._np_ending_at(end, ss)  # "an independent pathologist who said"
                if np is not None and np.start <= head.start and np.det in ("indef", "bare"):
                    self.mentions.remove(head)
                    self._removed.add(id(head))
                    head = np
            who_direct = doc.may_contain("wh", max(ss, position - 60), position) \
                and bool(_WHO_DIRECT.search(text, max(ss, position - 60), position))
            if head is not None and not who_direct:
                # "A spokesman for the office said": the phrase before the preposition is the head
                link = _link_start(text[ss:head.start])
                if link >= 0:
                    stop = _rstrip_end(text, ss + link)
                    before = self._mention_ending(stop, ss)
                    if before is None:
                        before = self._np_ending_at(stop, ss)
                        if before is None or before.head in self.lex.proxies or before.det not in (
                                "indef", "def", "poss") and not (before.det == "bare" and self._common_noun(before.head)):
                            before = None  # (a phrase found here joins the mentions only as the head)
                    if before is not None and before.kind in ("title", "np", "name", "name1", "relative"):
                        member = head
                        head = before
                lead = text[ss:head.start]
                relative = doc.may_contain("wh", ss, head.start) and _RELATIVE_WORD.search(lead)
                if not _QUOTE_MARK.search(lead) and not _CLAUSE_OPENED.search(lead, max(0, len(lead.rstrip()) - 8)) and (
                        relative or _PREPOSITION_BETWEEN.search(lead)):
                    # (after a comma the head opens its own clause: "Protesters who refuse ... will be
                    # arrested, police warned"; searched in the last 8 letters before the spaces, since
                    # "although" is the longest word)
                    subject = self._sentence_subject(ss, head.start)
                    if subject is not None:
                        head = subject
            given_name = None
            candidates = [head] if head is not None and head.kind in ("name", "name1") else []
            candidates += [m for a, b in appositives[:1] for m in self.mentions
                           if a <= m.start and m.end <= b and m.kind in ("name", "name1") and _NAME_ONLY_SPAN(text[a:b])]
            for candidate in candidates:
                # "a 23-year-old engineering student who asked to be identified only by his first
                # name, Tomas, ... said": the student speaks, and Tomas is the name he gave
                given = _GIVEN_NAME.search(text, max(ss, candidate.start - 90), candidate.end)
                if given and given.start(1) == candidate.start:
                    who = re.search(r",?\s+who\s+(?:[\w’']+\s+){0,4}$", text[ss:given.start()])
                    np = self._np_ending_at(ss + who.start(), ss) if who else None
                    origin = _ORIGIN_END.search(text, ss, ss + who.start()) if who and np is None else None
                    if origin is not None:  # "a former teacher from Afghanistan who asked to be ..."
                        np = self._np_ending_at(origin.start(), ss)
                    if np is not None and np.det == "indef":
                        np.alias = candidate.text
                        head, given_name = np, candidate
                        break
            if head is None and end > ss:
                head = self._sentence_subject(ss, end)
            if head is not None and head.kind == "np" and head.head in self.lex.place_nouns | _TIME_WORDS \
                    and head.head not in self.lex.carriers:
                # "Police in Ardenza's second-largest city denied": the phrase before the preposition
                before = re.search(r"\s+(?:in|of|from|at|near|for)\s+$", text[ss:head.start])
                head = self._mention_ending(ss + before.start(), ss) if before else None
            if head is None or (head.kind == "np" and head.det in ("bare", "def") and appositives):
                for a, b in appositives:  # "One of those detained, a 23-year-old engineering student, said"
                    np = self._np_after(a - 1, b + 1) or self._np_ending_at(_rstrip_end(text, b), a)
                    if np is not None and np.det == "indef":
                        head = np
                        break
            described = None
            if head is not None and head.kind in ("name", "name1"):
                # "Salcedo's mother, Rosa Ruiz, who has held a vigil ..., said": the phrase before the
                # name describes the speaker
                index = bisect.bisect_left([m.start for m in self.mentions], head.start) - 1
                while index >= 0 and self.mentions[index].kind == "pronoun":
                    index -= 1
                before = self.mentions[index] if index >= 0 else None
                opening = before.start if before is not None else 0
                if before is not None and before.possessor_pos is not None and before.possessor_pos < before.start:
                    owner = next((m for m in self.mentions if m.start <= before.possessor_pos < m.end), None)
                    opening = owner.start if owner is not None else before.possessor_pos
                if before is not None and before.kind in ("relative", "title") and opening >= ss \
                        and re.fullmatch(r",\s+", text[before.end:head.start]) \
                        and text[ss:opening].strip(" ,").lower() in ("", "the", "a", "an"):
                    described = before
            if head is not None and head.kind == "pronoun" and head.pronoun_class == "group" and head.start == ss:
                head.antecedent = self._previous_subject(occ.sent)
            slot = Slot(described or head, appositives)
            if described is not None:
                slot.named = head
            if member is not None and head is not None and member.kind in ("org", "collective", "descriptor", "np"):
                slot.member_of = member
            for a, b in appositives:
                inside = [m for m in self.mentions if a <= m.start and m.end <= b]
                named = next((m for m in inside if m.kind in ("name", "name1", "org") and m is not given_name), None)
                if named is not None and slot.named is None and _NAME_ONLY_SPAN(text[a:b]) \
                        and not _PARTY_STATE.match(text[a:b]):  # (", R-Texas," is not a name)
                    slot.named = named
                else:
                    # the appositive's own phrase: "a 53-year-old schoolteacher who was among those detained"
                    np = self._np_after(a - 1, b + 1)
                    if np is None and not inside:
                        np = self._np_ending_at(_rstrip_end(text, b), a)
                    if np is not None and not any(m.start == np.start for m in inside):
                        self.mentions.append(np)
                given = _GIVEN_NAME.search(text, a, b)
                if given:
                    target = head
                    if target is not None:
                        target.alias = given.group(1)
            if head is not None and head not in self.mentions:
                self.mentions.append(head)
                if head.kind == "np":  # names inside the phrase are its modifiers ("The San Aurelio ... office")
                    for inner in [m for m in self.mentions if head.start < m.start and m.end < head.end
                                  and m.kind in ("name", "name1") and m.start != head.possessor_pos]:
                        self.mentions.remove(inner)
                        self._removed.add(id(inner))
            self.slots[occ.start] = slot

    def _sentence_subject(self, ss: int, limit: int) -> Mention | None:
        """The noun phrase opening the sentence (after a fronted phrase), when a relative clause or
        a prepositional phrase separates it from the verb: "The family of a 29-year-old man who
        died ... said", "A man who shared the cell with Salcedo ... said"."""
        text = self.text
        start = ss
        fronted = _FRONTED.match(text[ss:limit])
        if fronted:
            start = ss + fronted.end()
        for mention in self.mentions:
            if mention.start == start and mention.end <= limit and mention.kind != "pronoun":
                follow = text[mention.end:mention.end + 12]
                if _SUBJECT_FOLLOWED.match(follow):
                    return mention
                return None
            if mention.start > start:
                break
        stop = _SUBJECT_END.search(text, start, limit)
        if stop is None:
            return None
        np = self._np_ending_at(stop.start(), start)
        if np is not None and np.start == start and np.det in ("def", "indef", "poss"):
            self.mentions.append(np)
            return np
        return None

    def _previous_subject(self, sent: int) -> Mention | None:
        """The people opening the paragraph's previous sentence, whom a "they" opening the next one
        continues, over the names standing between: "Six members of the group, interviewed
        separately by Eastbridge News ..., gave consistent accounts. They said ..." (a plural
        phrase of people or a collective, the sentence's subject)."""
        if sent == 0 or self.doc.sentences[sent - 1][2] != self.doc.sentences[sent][2]:
            return None
        start, end, _ = self.doc.sentences[sent - 1]
        for mention in self.mentions:
            if mention.start == start and mention.kind == "collective" and not mention.in_quote:
                return mention
        stop = _SUBJECT_END.search(self.text, start, end)
        np = self._np_ending_at(stop.start(), start) if stop is not None else None
        if np is None or np.start != start or np.in_quote or np.det not in ("indef", "bare") \
                or not (np.head.endswith("s") and not np.head.endswith("ss")) or self._org_head(np.head) \
                or np.head in self.lex.carriers:
            return None
        self.mentions.append(np)
        return np

    def _mention_starts(self) -> dict[int, Mention]:
        """The first name, organisation or collective mention at each start (slots are found after them)."""
        found = self.__dict__.get("_starts_index")
        if found is None or found[0] != len(self.mentions):
            index: dict[int, Mention] = {}
            for mention in self.mentions:
                if mention.kind in ("name", "org", "collective"):
                    index.setdefault(mention.start, mention)
            found = self.__dict__["_starts_index"] = (len(self.mentions), index)
        return found[1]

    def _np_after(self, position: int, se: int) -> Mention | None:
        """A noun phrase right after position: "said a 34-year-old former teacher from Afghanistan"."""
        tokens = self.tokens
        i = self.doc.token_index_at(position)
        if i >= len(tokens) or tokens[i].start >= se or self.text[position:tokens[i].start].strip(" ,"):
            return None
        first = tokens[i]
        if first.low not in _INDEF_DETS and first.low not in _DEF_DETS:
            return None
        following = self._mention_starts().get(tokens[min(i + 1, len(tokens) - 1)].start)
        if following is not None and following.kind in ("name", "org", "collective"):
            return None
        j = i + 1
        while j < len(tokens) and j - i < 7 and tokens[j].start < se:
            t = tokens[j]
            if t.low in _NP_STOP or t.low in self.lex.verbs or t.in_quote != first.in_quote \
                    or self.text[tokens[j - 1].end:t.start] not in (" ", "-"):
                break
            j += 1
        if j - 1 <= i:
            return None
        head = tokens[j - 1]
        if head.cap and not _is_age(head.low):
            return None
        if not _PHRASE_FOLLOWED.match(self.text[head.end:se]):
            return None  # "said the operation was lawful": the phrase is what was said, not who
        mention = Mention(start=first.start, end=head.end, kind="np", rule="speaker-phrase",
                          text=self.text[first.start:head.end], in_quote=first.in_quote, sent=first.sent,
                          para=first.para, head=head.low, det="indef" if first.low in _INDEF_DETS else "def")
        given = _GIVEN_NAME.search(self.text, head.end, se)
        if given and not re.search(r"[.;]", self.text[head.end:given.start()]):
            mention.alias = given.group(1)
        return mention

    def _mention_ending(self, end: int, ss: int) -> Mention | None:
        if self._ending is None:
            self._ending = {}
            for mention in self.mentions:
                self._ending.setdefault(mention.end, mention)
        mention = self._ending.get(end)
        if mention is not None and mention.start >= ss and id(mention) not in self._removed:
            return mention
        return None

    def _np_ending_at(self, end: int, ss: int) -> Mention | None:
        """A noun phrase ending at end: "A 26-year-old graphic designer", "the club's owner", "Witnesses"."""
        tokens, lex = self.tokens, self.lex
        k = self.doc.token_index_at(end) - 1
        if k < 0 or tokens[k].end != end or tokens[k].start < ss:
            return None
        head = tokens[k]
        carrier = head.low in lex.carriers  # "the report said", "The council's statement said"
        if head.in_quote or head.low in _NP_STOP or head.low in lex.pronouns or head.possessive \
                or (head.low in _TIME_WORDS and not carrier) \
                or (head.low in lex.verbs and not (carrier and lex.verbs[head.low].noun_form)) \
                or head.text[0].isdigit() and not _is_age(head.low):
            return None
        if head.cap and not head.initial and not head.acronym:
            return None  # a name: a name mention would have been found
        i, det, possessor = k, None, None
        while i > 0 and k - i < 7:
            t = tokens[i - 1]
            if t.sent != head.sent or t.start < ss or t.in_quote != head.in_quote:
                break
            gap = self.text[t.end:tokens[i].start]
            if gap not in (" ", "-") and not (t.possessive and gap in ("’s ", "'s ")):
                break
            if t.low in _INDEF_DETS:
                det, i = "indef", i - 1
                break
            if t.low in _DEF_DETS:
                det, i = "def", i - 1
                break
            if t.low in _POSSESSIVE_PRONOUNS:
                det, possessor, i = "poss", t.start, i - 1
                break
            if t.possessive and not t.cap and (i - 1 == 0 or tokens[i - 2].low not in _DEF_DETS | _INDEF_DETS) \
                    and (i < 2 or tokens[i - 2].sent == head.sent and (tokens[i - 2].cap or not tokens[i - 2].possessive)) \
                    and self._compound_owner(i - 1, ss):
                i -= 1  # "The San Aurelio regional prosecutor's office": a compound, not an owner
                continue
            if t.possessive:
                det, possessor, i = "poss", t.start, i - 1
                owner = next((m for m in self.mentions if m.start <= t.start < m.end), None)
                if owner is not None:
                    possessor = owner.start
                    while i > 0 and tokens[i - 1].start >= owner.start:
                        i -= 1
                elif i > 0 and tokens[i - 1].low in ("the", "this", "these"):
                    i -= 1
                break
            if t.low in _NP_STOP or t.low in lex.verbs or (t.low in lex.pronouns):
                break
            i -= 1
        if det is None:
            before = self.text[max(ss, tokens[i].start - 6):tokens[i].start]
            before = self.text[max(ss, tokens[i].start - 10):tokens[i].start]
            opening = tokens[i].start == ss or re.search(
                r"(?:[,;:“\"(]|\b(?:and|but|though|while|whereas|because|since|when|after|before|if|that))\s*$", before)
            if head.low.endswith("s") and not head.low.endswith("ss") and opening:
                det = "bare"
            elif opening and self._headline(head.para) and (self._org_head(head.low) or self._common_noun(head.low)):
                det = "headline"  # "Rights group says ...; ministry disputes count": no article in a headline
            else:
                return None
        start = tokens[i].start
        mention = Mention(start=start, end=end, kind="np", rule="speaker-phrase", text=self.text[start:end],
                          in_quote=head.in_quote, sent=head.sent, para=head.para, head=head.low, det=det)
        mention.possessor_pos = possessor
        return mention

    def _headline(self, para: int) -> bool:
        """A headline written as a sentence: the first paragraph, without a final full stop."""
        if para != 0:
            return False
        ps, pe = self.doc.paragraphs[0]
        return self.text[pe - 1] not in ".!?\"”’'…:;)»" and len(self.text[ps:pe].split()) <= 30

    def _np_end(self, i: int, se: int) -> int:
        """End of the noun phrase opening at token i: before "that", a preposition or a verb."""
        j = i
        while j < len(self.tokens) and self.tokens[j].end <= se and j - i < 6:
            low = self.tokens[j].low
            if j > i and (low in _NP_STOP or low in self.lex.verbs):
                break
            j += 1
        return self.tokens[j - 1].end if j > i else self.tokens[i].end

    def _compound_owner(self, index: int, ss: int) -> bool:
        """A lower-case possessor that names a kind of office holder ("prosecutor's office",
        "the city prosecutor’s office") is part of the name when a determiner opens the phrase
        a few words before it, over modifiers and capitalised place names."""
        tokens = self.tokens
        if tokens[index].low not in self.lex.titles:
            return False
        j = index - 1
        while j >= 0 and index - j <= 5 and tokens[j].start >= ss and tokens[j].sent == tokens[index].sent:
            if tokens[j].low in _DEF_DETS:
                return index - j >= 2
            if tokens[j].possessive or tokens[j].low in _NP_STOP or tokens[j].low in self.lex.verbs:
                return False
            j -= 1
        return False

    def _appositive_heads(self) -> None:
        """"a local charity, Open Door Brelik," and "Lucia Arrieta, the pathologist," give the name
        a head noun that a later "the charity said" / "the pathologist said" points back to."""
        text = self.text
        for mention in self.mentions:
            if mention.kind not in ("name", "org", "name1") or mention.actor is None:
                continue
            stripped = _rstrip_end(text, mention.start)  # (the phrase must end with a comma and a space)
            before = _APPOSITIVE_BEFORE.search(text, max(0, mention.start - 60), mention.start) \
                if stripped < mention.start and text[stripped - 1:stripped] == "," else None
            if before:
                self._register_head(before.group(1).lower(), mention.start, mention.actor)
            after = _APPOSITIVE_AFTER.match(text, mention.end)
            if after:
                self._register_head(after.group(1).lower(), mention.start, mention.actor)

    def _heads_of(self, mention: Mention) -> list[str]:
        heads = []
        if mention.head:
            heads.append(mention.head)
        if mention.title:
            heads.append(mention.title.split()[-1])
        if mention.kind == "org" and mention.actor is not None:
            # "Civic Monitor of Sukunia" is a monitor, not a "Sukunia" (the place after "of" qualifies it)
            qualified = _QUALIFIED_ORG.match(mention.text)
            heads.append((qualified.group(1) if qualified else mention.text.split()[-1]).lower())
        if mention.kind == "collective":
            heads.append(mention.text.split()[-1].lower())
        for word in mention.text.split():
            if _is_age(word.lower()):
                heads.append(word.lower())
        return heads

    def _register_head(self, head: str, position: int, actor: Actor) -> None:
        entries = self.heads.setdefault(head, [])
        entries.append((position, actor))
        if head not in actor.heads:
            actor.heads.append(head)

    def _head_lookup(self, head: str | None, position: int, para: int) -> Actor | None:
        if not head:
            return None
        best = None
        for pos, actor in self.heads.get(head, []):
            if pos < position and self.doc.paragraph_at(pos) >= para - 12:
                if best is None or pos > best[0]:
                    best = (pos, actor)
        return best[1] if best else None

    def _org_by_last_word(self, key: str, position: int) -> Actor | None:
        found = [a for p, a in self.heads.get(key, []) if a.type in ORG_TYPES and not a.collective]
        return found[-1] if found else None

    def _org_head(self, head: str) -> str | None:
        spec = self.lex.descriptors.get(head)
        if spec and spec["type"] in ORG_TYPES:
            return spec["type"]
        org = self.lex.org_words.get(head.capitalize())
        if org:
            return org
        spec = self.lex.collectives.get(head)
        if spec and spec["type"] in ORG_TYPES:
            return spec["type"]
        return None

    def _resolve_np(self, mention: Mention, history: list[Mention], by_start: dict[int, Mention]) -> None:
        head, det, text = mention.head or "", mention.det, self.text
        org_type = self._org_head(head)
        words = text[mention.start:mention.end]
        if det in ("def", "poss"):
            found = self._head_lookup(head, mention.start, mention.para)
            if found is not None:
                mention.actor = found
                return
        if det == "poss" and head in self.lex.carriers and mention.possessor_pos is not None:
            # "The council's statement said": the council's words
            owner = by_start.get(mention.possessor_pos)
            if owner is None or owner is mention:
                mention.actor = self._common_possessor(mention, history)
                if mention.actor is not None:
                    return
            elif owner is not None and owner is not mention:
                if owner.actor is None and owner.kind == "pronoun":
                    owner.actor = self._antecedent(owner, history)
                if owner.actor is None and owner.kind == "descriptor":
                    owner.actor = self._head_lookup(owner.head, owner.start, owner.para) or self._antecedent(owner, history)
                mention.actor = owner.actor or self.ensure_actor(owner)
                if mention.actor is not None:
                    return
        if det == "def" and head in self.lex.carriers:
            # "the report said": the words of whoever issued it, the last organisation named
            for previous in reversed(history):
                if previous.actor is not None and previous.actor.type in ORG_TYPES:
                    mention.actor = previous.actor
                    return
            return
        modifiers = words.split()[1:-1]
        rich = len(modifiers) >= 2 or any(w[:1].isupper() for w in modifiers)
        # (a rich description names a new body: "the San Aurelio regional prosecutor's office")
        if det == "def" and org_type and not rich:
            probe = Mention(mention.start, mention.end, "descriptor", "back-reference", words, False,
                            mention.sent, mention.para, type=org_type)
            mention.actor = self._body_named_by(head, self._antecedent(probe, history))
            if mention.actor is not None:
                self._register_head(head, mention.start, mention.actor)
                return
        if det in ("indef", "headline"):
            ahead = self._cataphora(mention, org_type)
            if ahead is not None:
                mention.actor = ahead
                self._register_head(head, mention.start, ahead)
                return
        name = _DETERMINER_OPENING.sub("", words)
        if det == "indef" and org_type is None:
            name += self._origin_after(mention.end)  # "a 19-year-old from Somalia"
        possessor = None
        if det == "poss" and mention.possessor_pos is not None:
            owner = by_start.get(mention.possessor_pos)
            if owner is not None and owner is not mention:
                if owner.actor is None and owner.kind == "pronoun":
                    owner.actor = self._antecedent(owner, history)
                possessor = owner.actor or self.ensure_actor(owner)
                tail = text[owner.end:mention.end]
            else:
                possessor = self._common_possessor(mention, history)
                tail = re.sub(r"^\S+\s+", "", text[mention.possessor_pos:mention.end])
            tail = re.sub(r"^[’']s\s+", "", tail.strip())
            if possessor is not None:
                name = f"{tail[:1].upper()}{tail[1:]} of {_named(possessor)}"
        relative = head in self.lex.relatives or head[:-1] in self.lex.relatives or head in ("family", "families")
        kin = self._kin_of(mention, by_start) if relative and det in ("def", "indef", "bare") else None
        if det == "bare":
            spec = self.lex.collectives.get(head)
            actor = self._create(name, spec["type"] if spec else "Person", "speaker-phrase", strength=2,
                                 collective=True, generated=True)
        else:
            person = org_type is None
            actor = self._create(name[:1].upper() + name[1:] if det == "poss" else name,
                                 org_type or "Person", "speaker-phrase", strength=2, generated=True,
                                 sensitive=person and det == "indef",
                                 collective=person and (head.endswith("s") and not head.endswith("ss")
                                                        or head in _GROUP_NOUNS))
        actor.used = True
        if kin is not None and actor.generated and not any(r.source is actor and r.target is kin for r in self.relations):
            # "The family of a 29-year-old man who died ..." is the family of the man named next
            self._rename(actor, f"{name[:1].upper()}{name[1:]} of {kin.name}")
            self.relations.append(Relation(actor, "family_of", kin, mention.start, mention.end, "relation"))
        singular = head[:-1] if head.endswith("s") and not head.endswith("ss") else head
        spec = self.lex.titles.get(head) or self.lex.descriptors.get(head) or self.lex.titles.get(singular) \
            or self.lex.descriptors.get(singular)
        if spec and spec.get("role") and actor.type == "Person":
            actor.add_role(spec["role"])  # "a police officer": an official; "the nurse": a witness
        elif actor.type == "Person" and (head in self.lex.relatives or singular in self.lex.relatives
                                         or head in ("family", "families")):
            actor.add_role("relative")  # "The family of a 29-year-old man ... said"
        actor.learn_gender(head)
        if actor.first is None:
            actor.first = (mention.start, mention.end)
        mention.actor = actor
        for h in self._heads_of(mention):
            self._register_head(h, mention.start, actor)

    def _origin_after(self, end: int) -> str:
        """' from <Place>' when a place the text names follows a description after "from" ("a
        34-year-old former teacher from Afghanistan"): where an unnamed person comes from tells
        them apart from others described alike."""
        origin = _FROM_AFTER.match(self.text, end)
        if origin is None:
            return ""
        place = next((p for p in self.places if p.start == origin.end()), None)
        return f" from {place.name}" if place is not None else ""

    def _kin_of(self, mention: Mention, by_start: dict[int, Mention]) -> Actor | None:
        """The person whose family or relative a phrase names by "of": "the family of Mateo Salcedo",
        or "the family of a 29-year-old man who died in detention" when the next paragraph opens by
        naming a person for the first time ("Mateo Salcedo, a construction worker held ...": the
        delayed identification of wire reports)."""
        of = _OF_PERSON.match(self.text, mention.end)
        if of is None:
            return None
        named = by_start.get(of.end())
        if named is not None:
            actor = named.actor
            return actor if actor is not None and actor.is_person and not actor.collective else None
        words = (of.group(1) or "").lower().split()
        if not any(w in _GENERIC_PERSON or self.lex.descriptors.get(w, {}).get("type") == "Person" for w in words):
            return None  # "the family of the victim": a person mentioned before, not the one named next
        paragraphs = self.doc.paragraphs
        if mention.para + 1 >= len(paragraphs):
            return None
        opening = paragraphs[mention.para + 1][0]
        first = by_start.get(opening)
        actor = first.actor if first is not None and first.kind == "name" else None
        if actor is None or not actor.is_person or actor.collective or actor.first != (first.start, first.end) \
                or not self.text.startswith(",", first.end):
            return None
        return actor

    def _cataphora(self, mention: Mention, org_type: str | None) -> Actor | None:
        """'a human rights group said ...' / 'an independent pathologist who said': named later."""
        text = self.text
        for later in self.mentions:
            if later.start <= mention.end:
                continue
            if later.para > mention.para + 3:
                break
            actor = later.actor
            if actor is None or later.kind not in ("name", "org", "name1"):
                continue
            if org_type and actor.type in ORG_TYPES and not actor.collective and (
                    actor.type == org_type or {actor.type, org_type} <= {"NGO", "Organization"}):
                return actor
            if not org_type and actor.is_person and not actor.collective and later.sent != mention.sent:
                # the same head noun describes the name: "forensic pathologist Lucia Arrieta", "Lucia
                # Arrieta, the pathologist,", "the pathologist, Lucia Arrieta"
                head = re.escape(mention.head or "")
                before = text[max(0, later.start - 40):later.start]
                if re.search(rf"\b{head}(?:,)?\s+$", before, re.IGNORECASE) or re.match(
                        rf",\s+(?:a|an|the)\s+(?:[\w’'\-]+\s+){{0,3}}{head}\b", text[later.end:later.end + 60], re.IGNORECASE):
                    return actor
        return None

    def _link_slot(self, slot: Slot) -> None:
        """Appositives: a name in them is the speaker; a title or phrase in them describes it."""
        head = slot.head
        if slot.named is not None and slot.named.actor is None:
            self.ensure_actor(slot.named)
        speaker = slot.named.actor if slot.named is not None and slot.named.actor is not None else None
        if speaker is None and head is not None:
            speaker = head.actor
        if speaker is None:
            return
        if slot.named is not None and head is not None and head is not slot.named:
            # "A ministry spokeswoman, Irina Vos, said": the phrase before the name gives the role
            spec = self.lex.titles.get(head.head or "") or self.lex.titles.get(head.title or "")
            role = head.role or (spec["role"] if spec else None)
            if head.kind in ("title", "np", "relative") and role:
                speaker.add_role(role)  # ("Tolegenov’s wife, Gulnara Tolegenova, said": a relative)
            if head.kind in ("title", "np", "relative"):
                speaker.learn_gender(head.title or head.head)
        for a, b in slot.appositives:  # titles and descriptors in appositives give roles
            for mention in self.mentions:
                if a <= mention.start and mention.end <= b and mention.kind == "title" and mention.role \
                        and (self.text[a:mention.start].strip().lower() in ("", "a", "an", "the")
                             or not self.text[mention.end:b].strip()):  # ", the group’s Central Asia researcher,"
                    speaker.add_role(mention.role)
        if head is not None and head.actor is not None and head.actor is not speaker and head.actor.generated \
                and head.actor.first == (head.start, head.end):
            self._merge(head.actor, speaker)
        for a, b in slot.appositives:
            kin = _WHOSE_KIN.match(self.text[a:b])
            if kin and speaker.is_person and not speaker.roles \
                    and any(w and w.lower() in self.lex.relatives for w in kin.groups()):
                speaker.add_role("relative")  # "Mirela Hasanova, whose son Edin is among the missing,"
            if re.match(r"\s*(?:who|which|whose)\b", self.text[a:b], re.IGNORECASE):
                continue  # a relative clause describes; its mentions are other people
            first = next((m for m in self.mentions if a <= m.start and m.end <= b), None)
            if first is None or self.text[a:first.start].strip().lower() not in ("", "a", "an", "the"):
                continue
            if first.actor is not None and first.actor is not speaker and first.actor.generated \
                    and first.kind in ("np", "title", "relative") and first.actor.first == (first.start, first.end):
                self._merge(first.actor, speaker)
            if speaker.generated and first.kind == "np" and first.det == "indef" and speaker.rule == "speaker-phrase" \
                    and _AGE.search(first.text) and not _AGE.search(speaker.name):
                self._rename(speaker, re.sub(r"^(?:a|an)\s+", "", first.text))  # "second patron" -> "31-year-old nurse"
            if first.kind in ("np", "title", "descriptor", "relative"):
                for h in self._heads_of(first):
                    self._register_head(h, first.start, speaker)
        if slot.inverted and head is not None and head.kind in ("name", "name1"):
            self._inverted_appositive(head, speaker)
        if head is not None and head.alias:
            self._register_alias(speaker, head.alias)
        if head is not None:
            for h in self._heads_of(head):
                self._register_head(h, head.start, speaker)
        if slot.named is not None and head is not None:
            head.actor = speaker
        org = slot.member_of.actor if slot.member_of is not None else None
        if org is not None and org is not speaker and org.type in ORG_TYPES and speaker.is_person \
                and head is not None and head.kind == "np" and head.det in ("bare", "indef") and speaker.generated \
                and speaker.rule == "speaker-phrase" and " of " not in speaker.name and " from " not in speaker.name:
            link = re.match(r"\s+(of|from|at|with|for)\s", self.text[head.end:slot.member_of.start])
            if link:  # "Lawyers from the Lusava Legal Aid Centre said": the lawyers of that centre
                self._rename(speaker, f"{speaker.name[:1].upper()}{speaker.name[1:]} {link.group(1)} {_named(org)}")
        if org is not None and org is not speaker and org.type in ORG_TYPES and speaker.is_person:
            if not speaker.roles and _TYPE_ROLE.get(org.type):
                speaker.add_role(_TYPE_ROLE[org.type])
            if not any(r.source is speaker and r.target is org for r in self.relations):
                self.relations.append(Relation(speaker, "member_of", org, head.start if head else slot.member_of.start,
                                               slot.member_of.end, "relation"))
            speaker.used = org.used = True

    def possessed_bodies(self, mentions: list[Mention], end: int) -> list[Actor]:
        """The bodies named by a possessive pronoun of these mentions and a body's noun before end:
        "her agency" is the organisation of that type she leads, speaks for or belongs to."""
        bodies = []
        for mention in mentions:
            if mention.kind != "pronoun" or mention.actor is None or mention.text.lower() not in _POSSESSIVE_PRONOUNS:
                continue
            noun = _NEXT_WORD.match(self.text, mention.end, end)
            spec = self.lex.descriptors.get(noun.group(1).lower()) if noun else None
            if spec is None or spec["type"] not in ORG_TYPES:
                continue
            owned = {id(r.target): r.target for r in self.relations
                     if r.source is mention.actor and r.relation in ("leader_of", "spokesperson_for", "member_of")
                     and r.target.type == spec["type"]}
            if len(owned) == 1:
                bodies.extend(owned.values())
        return bodies

    def members_of_groups(self) -> None:
        """"Six members of the group": members of the people the group is made of (the last
        collective of persons before, when "the group" names no organisation), sharing their lot
        (victim, survivor, witness)."""
        for index, mention in enumerate(self.mentions):
            member = mention.actor
            if member is None or mention.kind != "np" or mention.head not in self.lex.proxies \
                    or not _OF_THE_GROUP.match(self.text, mention.end):
                continue
            following = self.mentions[index + 1] if index + 1 < len(self.mentions) else None
            group = following.actor if following is not None and following.start <= mention.end + 5 else None
            if group is None:
                group = next((m.actor for m in reversed(self.mentions[:index])
                              if m.actor is not None and m.actor is not member and m.actor.collective
                              and m.actor.is_person and m.para >= mention.para - 1), None)
            if group is None or group is member or any(
                    r.source is member and r.target is group for r in self.relations):
                continue
            self.relations.append(Relation(member, "member_of", group, mention.start,
                                           _OF_THE_GROUP.match(self.text, mention.end).end(), "relation"))
            for role in group.roles:
                if role in ("victim", "survivor", "witness"):
                    member.add_role(role)

    def qualify_by_tie(self, speakers: list[Actor]) -> None:
        """An unnamed speaker known only by a tie to someone ("A man who shared the cell with
        Salcedo, ... said", "the cellmate said"; "Colleagues said") is named by that tie
        ("Neighbour of Daria Bazitas") and, for ties of a shared place (lexicon relational_nouns),
        by where the other person is held or works: "Cellmate of Mateo Salcedo at La Ceiba",
        "Colleagues of Arman Tolegenov at Steppe Ledger". The other person is the one named in a
        relative clause of the phrase that introduces the speaker, or else the person named last
        before it in the same or the previous paragraph; the place, the first place or body after
        "at" or "for" in the sentence that first names that person."""
        if not self.lex.relational_nouns:
            return
        for actor in dict.fromkeys(speakers):
            if actor.named or not actor.is_person or actor.first is None or " of " in actor.name:
                continue
            words = actor.name.lower().split()
            tie = self.lex.relational_nouns.get(" ".join(words[-2:])) or self.lex.relational_nouns.get(words[-1])
            if tie is None:
                continue
            other = self._tied_person(actor)
            if other is None:
                continue
            name = f"{actor.name[:1].upper()}{actor.name[1:]} of {other.name}"
            where = self._held_or_working_at(other) if tie == "place" else None
            self._rename(actor, f"{name} at {where}" if where else name)

    def qualify_by_home(self, speakers: list[Actor]) -> None:
        """An unnamed private person described as someone ("A 71-year-old grandmother, who asked
        not to be named, said") in a report about one community ("flattened the riverside
        settlement of Tsavembe") is one of its people: "71-year-old grandmother from Tsavembe".
        Only when the report names one such place (lexicon home_place_nouns, before "of"), and
        the description says nothing of where the person is from or belongs."""
        homes = {place.name for place in self.places if _HOME_OF_BEFORE.search(self.text, max(0, place.start - 40), place.start)
                 and self.lex.home_place_nouns and _last_word(self.text, place.start) in self.lex.home_place_nouns}
        if len(homes) != 1:
            return
        home = homes.pop()
        for actor in dict.fromkeys(speakers):
            if actor.named or not actor.is_person or actor.collective or not actor.sensitive or not actor.generated \
                    or actor.first is None or _LINKED_NAME.search(actor.name) or actor.aliases \
                    or any(role in ("official", "journalist", "lawyer", "expert", "activist") for role in actor.roles):
                continue
            self._rename(actor, f"{actor.name} from {home}")

    def qualify_by_facility(self, speakers: list[Actor]) -> None:
        """The staff of a kind of facility ("prison officials had first told them") in a report
        that names one facility (the "La Ceiba detention centre") are its staff: "La Ceiba prison
        officials"."""
        if len({place.name for place in self.facilities}) != 1:
            return
        facility = self.facilities[0].name
        for actor in dict.fromkeys(speakers):
            first = actor.name.split()[0].lower() if actor.name else ""
            if actor.named or actor.first is None or not actor.collective or _LINKED_NAME.search(actor.name) \
                    or self.lex.facility_re is None or not self.lex.facility_re.match(" " + actor.name.lower()) \
                    or first == facility.split()[0].lower():
                continue
            self._rename(actor, f"{facility} {actor.name}")

    def _tied_person(self, actor: Actor) -> Actor | None:
        start, end = actor.first
        sent, para = self.doc.sentence_at(start), self.doc.paragraph_at(start)
        index = bisect.bisect_left(self.starts, start)
        if _RELATIVE_AFTER.match(self.text, end):
            for mention in self.mentions[index:]:
                if mention.sent != sent:
                    break
                other = mention.actor
                if other is not None and other is not actor and other.named and other.is_person and not other.collective:
                    return other
        for mention in reversed(self.mentions[:index]):
            if mention.para < para - 1:
                break
            other = mention.actor
            if other is not None and other is not actor and other.named and other.is_person and not other.collective \
                    and mention.kind in ("name", "name1"):
                return other
        return None

    def _held_or_working_at(self, person: Actor) -> str | None:
        start, end = person.first
        sentence_end = self.doc.sentences[self.doc.sentence_at(start)][1]
        found: list[tuple[int, str]] = [(p.start, p.name) for p in self.places if end <= p.start < sentence_end]
        for mention in self.mentions[bisect.bisect_left(self.starts, end):]:
            if mention.start >= sentence_end:
                break
            if mention.actor is not None and mention.actor.type in ORG_TYPES and mention.kind in ("name", "org"):
                found.append((mention.start, mention.actor.name))
        for position, name in sorted(found):
            if _AT_OR_FOR_BEFORE.search(self.text, max(end, position - 60), position):
                return name
        return None

    def affiliation_roles(self) -> None:
        """A person who leads, speaks for or belongs to a rights group is an activist too."""
        for relation in self.relations:
            if relation.relation in ("leader_of", "member_of", "spokesperson_for") and relation.source.is_person \
                    and relation.target.type == "NGO":
                relation.source.add_role("activist")

    def _inverted_appositive(self, head: Mention, speaker: Actor) -> None:
        """'“...,” said Miriam Haddou, the group’s Central Asia researcher.': the appositive after
        the name gives the speaker's role (and is the speaker, not someone new)."""
        text = self.text
        match = re.match(r",\s+([^,;:.“”\"]{1,80}?)\s*(?=[,.;:]|$)", text[head.end:head.end + 90])
        if not match:
            return
        a, b = head.end + match.start(1), head.end + match.end(1)
        for mention in self.mentions:
            if mention.start >= b:
                break
            if mention.start < a or mention.kind != "title":
                continue
            last = re.search(r"(\S+)\s*$", text[a:b])
            if mention.end == b or (last and text[mention.start:mention.end].lower().endswith(last.group(1).lower())) \
                    or re.fullmatch(r"\s+(?:of|for|at|with)\s+.*", text[mention.end:b]):
                if mention.role:
                    speaker.add_role(mention.role)
                if mention.actor is not None and mention.actor is not speaker and mention.actor.generated:
                    self._merge(mention.actor, speaker)
                mention.actor = speaker
                self.affiliation_roles()
                break

    def _rename(self, actor: Actor, name: str) -> None:
        old = actor.name
        actor.name = name
        self.registry.setdefault(name_key(name), actor)
        actor.add_alias(old)

    def _merge(self, source: Actor, target: Actor) -> None:
        if source is target:
            return
        for mention in self.mentions:
            if mention.actor is source:
                mention.actor = target
        for index, relation in enumerate(self.relations):
            if relation.source is source or relation.target is source:
                new_source = target if relation.source is source else relation.source
                new_target = target if relation.target is source else relation.target
                self.relations[index] = Relation(new_source, relation.relation, new_target, relation.start,
                                                 relation.end, relation.rule)
        self.relations[:] = [r for r in self.relations if r.source is not r.target]
        for role in source.roles:
            target.add_role(role)
        for head in source.heads:
            if head not in target.heads:
                target.heads.append(head)
        for title in source.titles:
            if title not in target.titles:
                target.titles.append(title)
        for entries in self.heads.values():
            entries[:] = [(p, target if a is source else a) for p, a in entries]
        for key, actor in list(self.registry.items()):
            if actor is source:
                self.registry[key] = target
        target.used = target.used or source.used
        if source in self.actors:
            self.actors.remove(source)

    def _apposed_name(self, mention: Mention, history: list[Mention]) -> Actor | None:
        """The named person a title stands in apposition to: "Maria Lopez, a lawyer for the
        family," is the lawyer (not the lawyer of Maria Lopez)."""
        if not history or not _INDEFINITE_TITLE.match(mention.text):
            return None
        previous = history[-1]
        if previous.kind not in ("name", "name1") or previous.actor is None or previous.actor.type != "Person" \
                or not _APPOSITION_GAP.fullmatch(self.text, previous.end, mention.start):
            return None
        if mention.title:
            self._register_head(mention.title.split()[-1], mention.start, previous.actor)
        return previous.actor

    def _common_possessor(self, mention: Mention, history: list[Mention]) -> Actor | None:
        """The owner in "his spokesman" (the last person), "its director" (the last organisation),
        "the council's statement" / "the group’s director" (the last council / group), "Dorin
        Pavel’s sister" (the name's actor)."""
        position = mention.possessor_pos
        owner = next((m for m in history if m.start <= position < m.end and m is not mention), None)
        if owner is not None and owner.actor is not None and owner.kind in ("name", "name1", "org"):
            return owner.actor
        word = re.match(r"[\w\-]+", self.text[position:position + 40])
        low = word.group().lower() if word else ""
        if low in ("his", "her", "its", "their"):
            cls = "organisation" if low == "its" else ("group" if low == "their" else "person")
            probe = Mention(position, position + len(low), "pronoun", "back-reference", "", False, mention.sent,
                            mention.para, pronoun_class=cls)
            return self._antecedent(probe, history)
        if not low:
            return None
        found = self._head_lookup(low, position, mention.para)
        if found is not None:
            return found
        org_type = self._org_head(low)
        spec = self.lex.descriptors.get(low)
        if org_type or spec:
            probe = Mention(position, position + len(low), "descriptor", "back-reference", low, False, mention.sent,
                            mention.para, type=org_type or spec["type"])
            found = self._antecedent(probe, history)
            return self._body_named_by(low, found) if org_type else found
        return None

    def _body_named_by(self, head: str, actor: Actor | None) -> Actor | None:
        """The body a definite description points back at names itself by the description's
        head noun ("the council": Lusava City Council), unless that noun fits any body ("the
        group", "the agency"; lexicon generic_body_heads): "the city council" is not the police
        named last, "the prosecutor’s office" not the Interior Ministry."""
        if actor is None or head in self.lex.generic_body_heads or head in actor.heads:
            return actor
        singular = head[:-1] if head.endswith("s") else head
        for name in (actor.name, *actor.aliases):
            words = name_key(name).replace("’s", "").replace("'s", "").split()
            if head in words or singular in words or any(w.rstrip("s") == singular for w in words):
                return actor
        return None

    def _resolve_title(self, mention: Mention, history: list[Mention], by_start: dict[int, Mention]) -> None:
        possessor: Actor | None = None
        if mention.possessor_pos is not None:
            owner = by_start.get(mention.possessor_pos)
            if owner is not None and owner is not mention:
                if owner.actor is None and owner.kind == "pronoun":
                    owner.actor = self._antecedent(owner, history)
                possessor = owner.actor if owner.actor is not None else self.ensure_actor(owner)
            elif owner is mention or owner is None:
                possessor = self._common_possessor(mention, history)
        title = mention.title or ""
        known = self._head_lookup(title.split()[-1] if title else None, mention.start, mention.para)
        if known is None or known.generated:
            known = self._apposed_name(mention, history) or known
        if known is not None and not known.generated:
            mention.actor = known
            if possessor is not None and possessor is not known and mention.relation and not any(
                    r.source is known and r.target is possessor for r in self.relations):
                # "Ilse Varga, the group’s director": she leads the group
                self.relations.append(Relation(known, mention.relation, possessor, mention.start, mention.end, "relation"))
                possessor.used = True
            return
        if possessor is None:
            if mention.kind == "title" and self.text[mention.start:mention.start + 4].lower().startswith("the "):
                for previous in reversed(history):
                    if previous.actor is not None and title in previous.actor.titles:
                        mention.actor = previous.actor
                        return
            return
        if mention.kind == "relative":
            name = f"{title.capitalize()} of {_named(possessor)}"
            actor = self._create(name, "Person", "relation", strength=3, sensitive=True, generated=True)
            actor.add_role("relative")
            actor.used = True
            self.relations.append(Relation(actor, "family_of", possessor, mention.start, mention.end, "relation"))
        else:
            joiner = "for" if mention.relation == "spokesperson_for" else "of"
            name = f"{title.capitalize()} {joiner} {_named(possessor)}"
            actor = self._create(name, "Person", "actor-title", strength=3, generated=True)
            actor.add_role(mention.role)
            if mention.relation:
                actor.used = True
                self.relations.append(Relation(actor, mention.relation, possessor, mention.start, mention.end,
                                               "relation"))
        if title not in actor.titles:
            actor.titles.append(title)
        actor.learn_gender(title)
        possessor.used = True
        if actor.first is None:
            actor.first = (mention.start, mention.end)
        mention.actor = actor

    def _copulas(self) -> None:
        descriptors, titles = self.lex.descriptors, self.lex.titles
        for mention in self.mentions:
            actor = mention.actor
            if actor is None or mention.kind not in ("name", "name1", "pronoun", "descriptor"):
                continue
            match = _COPULA.match(self.text, mention.end)
            if not match:
                continue
            noun = match.group(2).lower()
            spec = titles.get(noun) or descriptors.get(noun)
            if spec and spec.get("role"):
                actor.add_role(spec["role"])


_WORDS = re.compile(r"[^\W_]+(?:[’'\-][^\W_]+)*")
_POSSESSIVE_END = re.compile(r"[’']s$")


@lru_cache(maxsize=8192)
def _name_words(name: str) -> tuple[str, ...]:
    return tuple(_POSSESSIVE_END.sub("", w) if w[-1] == "s" else w for w in _WORDS.findall(name.lower()))


def shared_names(actor: Actor, lex: Lexicon) -> list[str]:
    """The names (name and aliases) by which other articles may find this actor: none for an
    actor with no proper name (a description, a collective, a phrase made for a speaker, a
    single word that may be anyone's first name, a name made only of generic words such as
    "Interior Ministry"), whose id is then scoped to its article; of a proper name's aliases,
    those that are themselves distinctive: not a description ("prosecutors"), not a bare first
    name, not made only of generic words ("the Monitor"), not the name without its qualifier
    ("Civic Monitor" of "Civic Monitor of Mefania") nor the qualifier alone ("Mefania"). Within
    the article every alias still merges mentions: this decides only what is shared across
    articles, where a wrong merge costs more than a missed one (the store proposes possible
    merges for a reviewer)."""
    if not actor.named or actor.generated or actor.collective:
        return []
    generic = lex.generic_name_words
    name_words = _name_words(actor.name)
    if not name_words or all(w in generic for w in name_words) or (actor.is_person and len(name_words) == 1):
        return []
    qualifier = _QUALIFIER.search(actor.name) if " of " in actor.name else None
    qualifier_words = set(_name_words(qualifier.group(1))) if qualifier else set()
    surname = name_words[-1]
    names = [actor.name]
    for alias in actor.aliases:
        words = _name_words(alias)
        if (not words or alias.islower() or all(w in lex.generic_alias_words for w in words)
                or (actor.is_person and len(words) == 1 and words[0] != surname)
                or (qualifier_words and (set(words) <= qualifier_words or not qualifier_words & set(words)
                                         and all(w in name_words or w in generic for w in words)))):
            continue
        names.append(alias)
    return names


def _last_word(text: str, end: int) -> str:
    """The lower-case word before "of (the)" ending at end: "settlement" of "the settlement of X"."""
    match = _WORD_BEFORE_OF.search(text, max(0, end - 60), end)
    return match.group(1).lower() if match else ""


def _named(actor: Actor) -> str:
    """An actor's name inside a phrase: "Spokeswoman for the Interior Ministry", "Father of X"."""
    return f"the {actor.name}" if actor.article and actor.type in ORG_TYPES and not actor.collective else actor.name


def _NAME_ONLY_SPAN(segment: str) -> bool:
    return bool(_NAME_WORDS.fullmatch(segment))


def person_of_org(finder: ActorFinder, org: Mention) -> Mention | None:
    """"Valery Maksimenko of the Prosecutor General’s Office": the person before "of the ORG"."""
    for mention in reversed(finder.mentions):
        if mention.end > org.start:
            continue
        gap = finder.text[mention.end:org.start]
        if _PERSON_LINK.fullmatch(gap) and mention.kind in ("name", "name1", "title") and mention.sent == org.sent:
            if mention.kind == "name1" and mention.actor is None and mention.type not in (None, "Person"):
                return None
            return mention
        break
    return None
