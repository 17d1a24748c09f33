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
                     actor mentioned before them, outside quotations
  relation           "X of the Y Office" (member_of), "his spokesman" (spokesperson_for),
                     "his own father" (family_of, a new sensitive person)
  place              a capitalised name after "in", "from", ... or "the capital of" is a place
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg import identity
from kg.extract.lexicon import Lexicon
from kg.extract.text import Doc, Token

ORG_TYPES = frozenset({"Organization", "GovernmentBody", "NGO", "MediaOutlet"})
_TYPE_ROLE = {"NGO": "activist", "MediaOutlet": "journalist", "GovernmentBody": "official"}
_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})
_INDEFINITE = frozenset({"a", "an", "one", "another", "some", "any", "every", "each", "no"})
_POSSESSIVE_PRONOUNS = frozenset({"his", "her", "their", "its"})
_AGE = re.compile(r"^(?:\d+|[a-z]+)-year-old$")
_COPULA = re.compile(
    r"\s+(?:is|was|has been|had been|became|remains)\s+(?:the|a|an)\s+((?:[\w’'\-]+\s+){0,4}?)([a-z][\w\-]*)\b"
)
_PERSON_LINK = re.compile(r"\s+(?:of|at|from|with)\s+(?:the\s+)?$", re.IGNORECASE)
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Z0-9&]{1,9})\)")


@dataclass(eq=False)
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

    @property
    def id(self) -> str:
        return identity.actor_id(self.name, sensitive=self.sensitive)

    @property
    def keys(self) -> set[str]:
        return {identity.name_key(n) for n in [self.name, *self.aliases]}

    def vote(self, actor_type: str | None, strength: int) -> None:
        if actor_type and strength > self.type_strength:
            self.type, self.type_strength = actor_type, strength

    def add_role(self, role: str | None) -> None:
        if role and role not in self.roles:
            self.roles.append(role)

    def add_alias(self, alias: str) -> None:
        key = identity.name_key(alias)
        if key and key not in self.keys:
            self.aliases.append(alias)

    @property
    def is_person(self) -> bool:
        return self.type == "Person"


@dataclass(eq=False)
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


@dataclass(frozen=True)
class Place:
    name: str
    start: int
    end: int

    @property
    def id(self) -> str:
        return identity.place_id(self.name)


@dataclass(frozen=True)
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
        self.tokens = [t for t in doc.tokens]
        self.consumed: set[int] = set()
        self.mentions: list[Mention] = []
        self.places: list[Place] = []
        self.relations: list[Relation] = []
        self.actors: list[Actor] = []
        self.registry: dict[str, Actor] = {}
        self.example_types: dict[int, tuple[str, str | None]] = {}  # token index -> (type, role)
        self.publisher = publisher
        self._pending_acronyms: list[tuple[Mention, str, int, int]] = []

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
        self._resolve_names()
        self._resolve_references()
        self._copulas()
        for actor in self.actors:
            if not actor.roles:
                actor.add_role(_TYPE_ROLE.get(actor.type))

    def kept_actors(self) -> list[Actor]:
        return [a for a in self.actors if a.named or a.used]

    def mention_before(self, position: int, sentence_start: int) -> Mention | None:
        """The last mention ending at or before position, inside [sentence_start, position]."""
        best = None
        for mention in self.mentions:
            if mention.start >= position:
                break
            if mention.end <= position and mention.start >= sentence_start:
                if best is None or mention.end > best.end or (mention.end == best.end and mention.start < best.start):
                    best = mention
        return best

    def mention_at(self, position: int) -> Mention | None:
        for mention in self.mentions:
            if mention.start == position:
                return mention
            if mention.start > position:
                break
        return None

    def mentions_between(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.start >= start and m.end <= end]

    def ensure_actor(self, mention: Mention) -> Actor | None:
        """The actor of a mention, creating one for an unresolved single name (a speaker)."""
        if mention.actor is None and mention.kind == "name1":
            # a single unknown name: an acronym is an organisation; otherwise weakly a person
            actor_type = mention.type or ("Organization" if mention.text.isupper() else "Person")
            mention.actor = self._create(mention.text, actor_type, mention.rule, strength=0)
            mention.actor.named = True
            mention.actor.first = (mention.start, mention.end)
        return mention.actor

    # --- actors -----------------------------------------------------------------------------------

    def _create(self, name: str, actor_type: str, rule: str, *, strength: int = 1, collective: bool = False,
                sensitive: bool = False) -> Actor:
        key = identity.name_key(name)
        existing = self.registry.get(key)
        if existing is not None:
            existing.vote(actor_type, strength)
            return existing
        actor = Actor(name=name, type=actor_type, rule=rule, collective=collective, sensitive=sensitive,
                      type_strength=strength)
        self.actors.append(actor)
        self.registry[key] = actor
        return actor

    def _register_alias(self, actor: Actor, alias: str) -> None:
        actor.add_alias(alias)
        self.registry.setdefault(identity.name_key(alias), actor)

    # --- mention finders --------------------------------------------------------------------------

    def _mention(self, i: int, j: int, kind: str, rule: str, **extra) -> Mention:
        first, last = self.tokens[i], self.tokens[j - 1]
        return Mention(
            start=first.start, end=last.end, kind=kind, rule=rule, text=self.text[first.start:last.end],
            in_quote=first.in_quote, sent=first.sent, para=first.para, **extra,
        )

    def _adjacent(self, a: Token, b: Token) -> bool:
        gap = self.text[a.end:b.start]
        return a.sent == b.sent and gap in (" ", "-", "\u00a0") or (a.possessive and gap in ("’s ", "'s "))

    def _lookup(self, table: dict, i: int, max_words: int = 2) -> tuple[int, dict | str] | None:
        """Longest multi-word key of table starting at token i (lower-case, adjacent tokens)."""
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
        while i < len(tokens):
            tok = tokens[i]
            if tok.cap and not tok.initial:
                i += 1
                continue
            found = self._lookup(lex.collectives, i)
            if not found:
                i += 1
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
        while i < len(tokens):
            tok = tokens[i]
            if i in self.consumed or not self._is_name_token(tok) or tok.text in lex.not_names:
                i += 1
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

    def _org_word(self, tok: Token) -> str | None:
        words = self.lex.org_words
        text = tok.text
        return words.get(text) or (words.get(text[:-1]) if text.endswith("s") else None)

    def _name_sequence(self, i: int, j: int) -> None:
        lex, tokens, text = self.lex, self.tokens, self.text
        seq = tokens[i:j]
        # organisations
        org_type = None
        for tok in reversed(seq):
            org_type = self._org_word(tok)
            if org_type:
                break
        if org_type is None and len(seq) == 1 and seq[0].text in lex.org_names:
            org_type = lex.org_names[seq[0].text]
        # a title inside the sequence: "Russian President | Vladimir Putin"
        title, title_spec, name_from = None, None, 0
        if org_type is None:
            for k in range(len(seq) - 1, -1, -1):
                for n in range(min(lex.title_max_words, k + 1), 0, -1):
                    key = " ".join(t.low for t in seq[k - n + 1:k + 1])
                    if key in lex.titles:
                        title, title_spec, name_from = key, lex.titles[key], k + 1
                        break
                if title:
                    break
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
        # a place: after "in", "from", ... or "the capital of"
        if org_type is None and self._place_context(start):
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
        if _AGE.match(prev.low):
            return "Person", None, 2, None
        return None

    def _descriptors(self) -> None:
        tokens, lex = self.tokens, self.lex
        for i in range(len(tokens) - 1, -1, -1):
            tok = tokens[i]
            if i in self.consumed or tok.cap and not tok.initial:
                continue
            spec = lex.descriptors.get(tok.low)
            if spec is None and _AGE.match(tok.low):
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
            mention = self._mention(found, i + 1, "descriptor", "back-reference", type=spec["type"], strength=2,
                                    role=spec.get("role"))
            self.mentions.append(mention)
            self.consumed.update(range(found, i + 1))

    def _possessor_before(self, i: int) -> int | None:
        """Start of the possessor standing before token i: "his", "Putin’s", "the Kremlin’s"."""
        if i == 0:
            return None
        tokens = self.tokens
        k = i - 1
        if tokens[k].low == "own" and k > 0:
            k -= 1
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
        if mention.possessor_pos is None and j < len(tokens) and tokens[j].low in ("for", "of", "to") \
                and tokens[j].sent == tokens[j - 1].sent:
            k = j + 1
            if k < len(tokens) and tokens[k].low == "the":
                k += 1
            if k < len(tokens) and tokens[k].sent == tokens[j].sent:
                mention.possessor_pos = tokens[k].start

    def _titles_and_relatives(self) -> None:
        tokens, lex = self.tokens, self.lex
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if i in self.consumed or (tok.cap and not tok.initial):
                i += 1
                continue
            found = self._lookup(lex.titles, i)
            if found:
                n, spec = found
                j = i + n
                possessor = self._possessor_before(i)
                k = i
                if possessor is not None:
                    while k > 0 and tokens[k - 1].start >= possessor:
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
                    while k > 0 and tokens[k - 1].start >= possessor:
                        k -= 1
                    mention = self._mention(k, i + 1, "relative", "relation", type="Person", strength=3,
                                            role="relative", title=tok.low, relation="family_of")
                    mention.possessor_pos = possessor
                    self.mentions.append(mention)
                    self.consumed.update(range(k, i + 1))
            i += 1

    def _pronouns(self) -> None:
        for i, tok in enumerate(self.tokens):
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
                mention.actor = self._create(mention.text, mention.type or "Organization", mention.rule, strength=mention.strength)
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
            actor.add_role(mention.role)
            if mention.title:
                if mention.title not in actor.titles:
                    actor.titles.append(mention.title)
            if actor.first is None:
                actor.first = (mention.start, mention.end)
            if actor.is_person and not actor.collective and " " in actor.name:
                last = identity.name_key(actor.name.split()[-1])
                surnames[last] = None if last in surnames and surnames[last] is not actor else actor
        for mention, acronym, _, _ in self._pending_acronyms:
            if mention.actor is not None:
                self._register_alias(mention.actor, acronym)
        self._pending_acronyms = []
        for mention in self.mentions:
            if mention.kind != "name1" or mention.actor is not None:
                continue
            key = identity.name_key(mention.text)
            actor = self.registry.get(key) or surnames.get(key)
            if actor is not None:
                mention.actor = actor
                if identity.name_key(actor.name) != key:
                    actor.add_alias(mention.text)
                if actor.first is None:
                    actor.first = (mention.start, mention.end)

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
            return actor
        return fallback

    def _resolve_references(self) -> None:
        history: list[Mention] = []
        by_start = {m.start: m for m in self.mentions}
        for mention in self.mentions:
            if mention.actor is None:
                if mention.kind in ("pronoun", "descriptor"):
                    mention.actor = self._antecedent(mention, history)
                    if mention.actor is not None and mention.kind == "descriptor" and mention.role:
                        mention.actor.add_role(mention.role)
                elif mention.kind in ("title", "relative"):
                    self._resolve_title(mention, history, by_start)
            if mention.actor is not None and not (mention.in_quote and mention.kind == "pronoun"):
                history.append(mention)

    def _resolve_title(self, mention: Mention, history: list[Mention], by_start: dict[int, Mention]) -> None:
        possessor: Actor | None = None
        if mention.possessor_pos is not None:
            owner = by_start.get(mention.possessor_pos)
            if owner is not None and owner is not mention:
                if owner.actor is None and owner.kind == "pronoun":
                    owner.actor = self._antecedent(owner, history)
                possessor = owner.actor if owner.actor is not None else self.ensure_actor(owner)
            elif owner is mention or owner is None:
                tok_text = self.text[mention.possessor_pos:mention.possessor_pos + 4].lower()
                cls = "organisation" if tok_text.startswith("its") else ("group" if tok_text.startswith("thei") else "person")
                probe = Mention(mention.possessor_pos, mention.possessor_pos + 3, "pronoun", "back-reference", "",
                                False, mention.sent, mention.para, pronoun_class=cls)
                possessor = self._antecedent(probe, history)
        title = mention.title or ""
        if possessor is None:
            if mention.kind == "title" and self.text[mention.start:mention.start + 4].lower().startswith("the "):
                for previous in reversed(history):
                    if previous.actor is not None and title in previous.actor.titles:
                        mention.actor = previous.actor
                        return
            return
        if mention.kind == "relative":
            name = f"{title.capitalize()} of {possessor.name}"
            actor = self._create(name, "Person", "relation", strength=3, sensitive=True)
            actor.add_role("relative")
            actor.used = True
            self.relations.append(Relation(actor, "family_of", possessor, mention.start, mention.end, "relation"))
        else:
            joiner = "for" if mention.relation == "spokesperson_for" else "of"
            name = f"{title.capitalize()} {joiner} {possessor.name}"
            actor = self._create(name, "Person", "actor-title", strength=3)
            actor.add_role(mention.role)
            if mention.relation:
                actor.used = True
                self.relations.append(Relation(actor, mention.relation, possessor, mention.start, mention.end,
                                               "relation"))
        if title not in actor.titles:
            actor.titles.append(title)
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
