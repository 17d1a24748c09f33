"""Pseudonyms for sensitive people, and which items are restricted.

Outputs that leave the store (visuals, exports, reports, query results) show a sensitive actor
as a stable pseudonym. The pseudonym is a keyed HMAC of the actor's id, so nobody without the
key can recompute it from a list of candidate names; the key is kept apart from the data: in
KG_PSEUDONYM_KEY, or in a key file beside (not inside) the graph database.

An actor is sensitive when a case file says so (`sensitive: true`, or a role its privacy
section protects), or by command (`kg sensitive mark`, for an actor or a whole role). An item
(article, statement, event, or any node by command) is restricted when its case file or a
command (`kg restricted mark`) says so; exports and visuals leave restricted items out.

Commands do not edit the graph's content, which a reload would overwrite: each is an audit
entry (kg.audit), and the latest decision about an item wins over its case files' flag. So
every mark and unmark is on the record, with who made it and when.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from kg import identity
from kg.errors import KGError

KEY_ENV = "KG_PSEUDONYM_KEY"
KEY_FILE = "pseudonym.key"


def _user_key_path() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "kg" / KEY_FILE


def pseudonym_key(store_directory: Path | None) -> bytes:
    """$KG_PSEUDONYM_KEY; else the key file beside an embedded store's database; else, for a
    server store, the user's own key file (~/.config/kg/pseudonym.key). A missing file is made
    with a random key, readable by its owner only. Teams sharing a server share the variable."""
    configured = os.environ.get(KEY_ENV)
    if configured:
        return configured.encode("utf-8")
    path = store_directory / KEY_FILE if store_directory is not None else _user_key_path()
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32))
        key = path.read_text().strip().encode("utf-8")
    except OSError as exc:
        raise KGError(f"cannot read or create the pseudonym key: {exc.strerror}; or set {KEY_ENV}",
                      where=str(path)) from None
    if len(key) < 32:
        raise KGError(f"the pseudonym key file is too short; restore it or set {KEY_ENV}", where=str(path))
    return key


def pseudonym(actor_id: str, key: bytes) -> str:
    """The stable name a sensitive actor is shown under: the same id and key always give the
    same pseudonym, and without the key it cannot be traced back to the id or the name."""
    if not key:
        raise KGError("the pseudonym key is empty")
    tag = hmac.new(key, actor_id.encode("utf-8"), hashlib.sha256).hexdigest()[:6]
    return f"Protected person {tag}"


def pseudonym_id(node_id: str, key: bytes) -> str:
    """An id for exports that neither spells a protected name nor is a plain hash of it."""
    prefix = node_id.split(":", 1)[0] if ":" in node_id else "node"
    tag = hmac.new(key, node_id.encode("utf-8"), hashlib.sha256).hexdigest()[:16]
    return f"{prefix}:protected-{tag}"


# --- what is protected -----------------------------------------------------------------------------

MARK_SENSITIVE, UNMARK_SENSITIVE = "mark_sensitive", "unmark_sensitive"
RESTRICT, UNRESTRICT = "restrict", "unrestrict"
ROLE_PREFIX = "role:"

_DECISIONS = (
    "MATCH (e:AuditEntry) WHERE e.action IN $actions "
    "RETURN e.action AS action, e.subject AS subject ORDER BY e.at, e.id"
)
_FLAGGED_ACTORS = "MATCH (a:Actor) WHERE a.sensitive = true RETURN a.id"
_ACTOR_ROLES = "MATCH (a:Actor) RETURN a.id, a.roles"
_PARTICIPANT_ROLES = "MATCH (a:Actor)-[p:PARTICIPATED_IN]->(:Event) RETURN DISTINCT a.id, p.role"
_FLAGGED_ITEMS = "MATCH (n:{label}) WHERE n.restricted = true RETURN n.id"


def decisions(store, actions: tuple[str, str]) -> dict[str, str]:
    """The latest of the two actions (mark, unmark) taken by command on each subject."""
    latest: dict[str, str] = {}
    for action, subject in store.run(_DECISIONS, {"actions": list(actions)}).rows:
        latest[subject] = action
    return latest


@dataclass(frozen=True)
class Protection:
    """Who is sensitive and what is restricted, with why (for kg sensitive list)."""

    sensitive: Mapping[str, str] = field(default_factory=dict)  # actor id -> why
    restricted: Mapping[str, str] = field(default_factory=dict)  # item id -> why
    sensitive_roles: tuple[str, ...] = ()


def protection(store) -> Protection:
    sensitive: dict[str, str] = {actor_id: "case file" for (actor_id,) in store.run(_FLAGGED_ACTORS).rows}
    said = decisions(store, (MARK_SENSITIVE, UNMARK_SENSITIVE))
    roles = sorted(s.removeprefix(ROLE_PREFIX) for s, a in said.items() if s.startswith(ROLE_PREFIX) and a == MARK_SENSITIVE)
    if roles:
        held = [(actor_id, role) for actor_id, many in store.run(_ACTOR_ROLES).rows for role in many or []]
        held += [tuple(row) for row in store.run(_PARTICIPANT_ROLES).rows]
        for actor_id, role in sorted(held):
            if role in roles:
                sensitive.setdefault(actor_id, f"role {role}")
    for subject, action in said.items():
        if subject.startswith(ROLE_PREFIX):
            continue
        if action == MARK_SENSITIVE:
            sensitive[subject] = "command"
        else:
            sensitive.pop(subject, None)

    restricted: dict[str, str] = {}
    for label, table in store.ontology.nodes.items():
        if "restricted" in table.columns:
            for (item_id,) in store.run(store.ontology.render(_FLAGGED_ITEMS, label=label)).rows:
                restricted[item_id] = "case file"
    for subject, action in decisions(store, (RESTRICT, UNRESTRICT)).items():
        if action == RESTRICT:
            restricted[subject] = "command"
        else:
            restricted.pop(subject, None)
    return Protection(sensitive, restricted, tuple(roles))


# Relationships through which a left-out node gives another away: (type, end that is left out).
# A restricted article takes the statements and events reported in it; a restricted actor the
# statements they said; a left-out statement the contradictions involving it.
_CASCADE = (("REPORTED_IN", "target"), ("SAID", "source"), ("INVOLVES", "target"))


def left_out(restricted: Iterable[str], edges: Iterable[tuple[str, str, str]]) -> set[str]:
    """The ids an output leaves out: the restricted ones and those that would give them away.
    edges are (type, source id, target id)."""
    out = set(restricted)
    if not out:
        return out
    edges = list(edges)
    for edge_type, restricted_end in _CASCADE:
        for type_, source, target in edges:
            if type_ == edge_type and (target if restricted_end == "target" else source) in out:
                out.add(source if restricted_end == "target" else target)
    return out


def mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with each span blacked out character for character, so that the offsets of
    everything else still point at the same words."""
    characters = list(text)
    for start, end in spans:
        characters[start:end] = "\u2588" * (end - start)
    return "".join(characters)


# --- outputs ------------------------------------------------------------------------------------------

# Looked up by key: `WHERE a.id IN $ids` compares every actor with every id on LadybugDB (49 s
# for the 49,000 sensitive actors of a 100,000-article store).
_NAMES = ("UNWIND $ids AS wanted MATCH (a:Actor {id: wanted}) "
          "RETURN a.id AS id, a.name AS name, a.aliases AS aliases ORDER BY a.id")


_WORD = re.compile(r"\w+")
APOSTROPHES = "['\u2018\u2019\u02bc`]"  # a regex class: the apostrophes a name is written with
_APOSTROPHE = re.compile(APOSTROPHES)


class NameMatcher:
    """Finds any of many names in a text, ignoring case, how the words are spaced and which
    apostrophe is used; where found names overlap, the leftmost and then the longest wins, so
    "Father of X" is replaced whole rather than "X" inside it.

    A text is only searched for the names whose first word it contains as a word, with one
    pattern per first word (compiled once). That pattern is a tree of the names (see
    _tree_pattern): written as an alternation of whole names, a first word shared by a thousand
    names (a 100,000-article store) tried every one of them wherever its first letter occurred."""

    def __init__(self, names: Iterable[str]) -> None:
        self._by_first_word: dict[str, list[str]] = defaultdict(list)
        for name in sorted({n for n in names if n.split()}, key=lambda n: (-len(n), n)):
            first = _WORD.search(name.casefold())
            self._by_first_word[first.group(0) if first else ""].append(name)
        self._patterns: dict[str, re.Pattern] = {}

    def __bool__(self) -> bool:
        return bool(self._by_first_word)

    def _pattern(self, first_word: str) -> re.Pattern:
        if first_word not in self._patterns:
            names = self._by_first_word[first_word]
            self._patterns[first_word] = re.compile(_tree_pattern(names), re.IGNORECASE)
        return self._patterns[first_word]

    def sub(self, replace: Callable[[str], str], text: str) -> str:
        """text with each name found replaced by replace(the words as written)."""
        firsts = set(_WORD.findall(text.casefold())) & self._by_first_word.keys()
        if "" in self._by_first_word:
            firsts.add("")
        found = sorted(
            (match.start(), match.start() - match.end(), match.end())
            for first in firsts for match in self._pattern(first).finditer(text)
        )
        if not found:
            return text
        pieces, position = [], 0
        for start, _, end in found:
            if start >= position:
                pieces += [text[position:start], replace(text[start:end])]
                position = end
        pieces.append(text[position:])
        return "".join(pieces)


def _name_atoms(name: str) -> Iterable[str]:
    """The pieces of pattern a name is matched by: its characters (in lower case, which the
    pattern's IGNORECASE makes no narrower), any apostrophe for an apostrophe, and any
    spacing between its words."""
    for position, word in enumerate(name.split()):
        if position:
            yield r"\s+"
        for character in word:
            if _APOSTROPHE.fullmatch(character):
                yield APOSTROPHES
            else:
                lower = character.lower()
                yield re.escape(lower if len(lower) == 1 else character)


def _tree_pattern(names: Iterable[str]) -> str:
    """One pattern for many names, their shared beginnings written once: the names as a tree,
    walked character by character. Where one name goes on from another ("Father of X" after
    "Father"), the optional continuation is tried first, so the longest name found wins."""
    tree: dict[str, dict] = {}
    for name in names:
        node = tree
        for atom in _name_atoms(name):
            node = node.setdefault(atom, {})
        node[_END] = {}
    return _branches(tree)


_END = ""


def _branches(node: dict[str, dict]) -> str:
    # Recursion as deep as the longest name: a few dozen characters.
    branches = [atom + _branches(child) for atom, child in sorted(node.items()) if atom != _END]
    if not branches:
        return ""
    pattern = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{pattern})?" if _END in node else pattern


class SpelledNames:
    """Finds whether an id spells any of many names as slugs ("lapunov" in
    event:lapunov-detention-grozny-2017). The slugs are indexed by their first four characters,
    so an id costs a lookup per character, not a test per name."""

    PREFIX = 4

    def __init__(self, names: Iterable[str]) -> None:
        self._by_prefix: dict[str, set[str]] = defaultdict(set)
        for name in names:
            spelled = identity.slug(name)
            if len(spelled) >= self.PREFIX:
                self._by_prefix[spelled[:self.PREFIX]].add(spelled)

    def found_in(self, node_id: str) -> bool:
        folded = node_id.casefold()
        return any(folded.startswith(spelled, start)
                   for start in range(len(folded) - self.PREFIX + 1)
                   for spelled in self._by_prefix.get(folded[start:start + self.PREFIX], ()))


class Redactor:
    """Replaces the names, aliases and ids of sensitive actors with their pseudonyms in any
    output. Matching ignores case and spacing: over-redacting is the safe side."""

    def __init__(self, replacements: dict[str, str], key: bytes = b"", sensitive_ids: frozenset[str] = frozenset()) -> None:
        self._replacement = {self._fold(name): alias for name, alias in replacements.items()}
        # The sensitive actors' ids are found as whole ids and looked up: as names under their
        # first word ("actor") they made one pattern of every id, and at 100,000 articles
        # (49,000 sensitive actors) the contradictions report spent 380 s of CPU in it.
        self._ids = {i.casefold(): alias for i, alias in replacements.items() if i in sensitive_ids}
        self._id_pattern = re.compile(
            "(?:" + "|".join(sorted({re.escape(i.split(":", 1)[0]) for i in self._ids})) + r"):[\w\-]+", re.IGNORECASE
        ) if self._ids else None
        # Longest names first, so "Father of X" is replaced before "X" could be.
        self._names = NameMatcher(name for name in replacements if name not in sensitive_ids)
        self._key = key
        self._sensitive_ids = sensitive_ids
        self._spelled_from = tuple(replacements)

    @functools.cached_property
    def _spelled(self) -> SpelledNames:
        # Built when an id is first checked: the report and the page's text redaction never ask,
        # and at 100,000 articles the index of some 150,000 names costs half a second.
        return SpelledNames(self._spelled_from)

    def spells_protected_name(self, node_id: str) -> bool:
        """Whether the id spells a protected name as it appears in ids (event keys, slugs):
        "maxim-lapunov" in an event's id."""
        return self._spelled.found_in(node_id)

    @staticmethod
    def _fold(name: str) -> str:
        return " ".join(re.sub(APOSTROPHES, "'", name.casefold()).split())

    @classmethod
    def for_store(cls, store, *, reveal: bool = False, protected: Protection | None = None) -> "Redactor":
        if reveal:
            return cls({})
        ids = sorted((protected or protection(store)).sensitive)
        if not ids:
            return cls({})
        key = pseudonym_key(getattr(store, "directory", None))
        replacements = {}
        for actor_id, name, aliases in store.run(_NAMES, {"ids": ids}).rows:
            alias = pseudonym(actor_id, key)
            replacements[actor_id] = alias
            for value in [name, *(aliases or [])]:
                if value:
                    replacements[value] = alias
        return cls(replacements, key, frozenset(ids))

    @property
    def active(self) -> bool:
        return bool(self._names) or bool(self._ids)

    def identifier(self, node_id: str) -> str:
        """The id to write for a node: a sensitive actor's, or one that spells a protected name
        (an event key such as "lapunov-detention"), becomes a keyed pseudonymous id."""
        if not self.active:
            return node_id
        if node_id in self._sensitive_ids or self.spells_protected_name(node_id):
            return pseudonym_id(node_id, self._key)
        return node_id

    def text(self, value: Any):
        if isinstance(value, str):
            if self._id_pattern is not None and ":" in value:
                value = self._id_pattern.sub(lambda found: self._ids.get(found.group(0).casefold(), found.group(0)),
                                             value)
            return self._names.sub(lambda found: self._replacement.get(self._fold(found), "[withheld]"), value)
        if isinstance(value, list):
            return [self.text(v) for v in value]
        if isinstance(value, dict):
            return {k: self.text(v) for k, v in value.items()}
        return value

    def result(self, result):
        from kg.stores.base import QueryResult

        if not self.active:
            return result
        return QueryResult(result.columns, [[self.text(v) for v in row] for row in result.rows])


# --- marking by command ---------------------------------------------------------------------------

_ITEM = "MATCH (n:{label}) WHERE n.id = $id RETURN n.id"
_ACTOR_NAMES = "MATCH (a:Actor) RETURN a.id AS id, a.name AS name ORDER BY a.id"


def _decide(store, action: str, subject: str, note: str | None) -> None:
    from kg.audit import audit_entry, record

    record(store, audit_entry(action, subject, note=note))


def _check_roles(store, roles: tuple[str, ...]) -> None:
    known = set(store.ontology.vocabulary("roles"))
    for role in roles:
        if role not in known:
            raise KGError(f"a role is one of {', '.join(sorted(known))}; got {role!r}")


def mark_sensitive(store, actors: tuple[str, ...] = (), roles: tuple[str, ...] = (), *,
                   unmark: bool = False, note: str | None = None) -> list[str]:
    """Mark actors (an id, name or alias each) or roles sensitive, or lift the mark; each is one
    audit entry. Returns the pseudonym of each actor, then role:NAME for each role. Unmarking
    what is not sensitive is an error, so a typo never passes for a decision."""
    from kg.queries import resolve_actor

    _check_roles(store, roles)
    actor_ids = [resolve_actor(store, actor) for actor in actors]
    current = protection(store)
    if unmark:
        for given, actor_id in zip(actors, actor_ids):
            if actor_id not in current.sensitive:
                raise KGError(f"{given!r} is not marked sensitive")
        for role in roles:
            if role not in current.sensitive_roles:
                raise KGError(f"role {role!r} is not marked sensitive")
    action = UNMARK_SENSITIVE if unmark else MARK_SENSITIVE
    key = pseudonym_key(getattr(store, "directory", None)) if actor_ids else b""
    done = []
    for actor_id in actor_ids:
        _decide(store, action, actor_id, note)
        done.append(pseudonym(actor_id, key))
    for role in roles:
        _decide(store, action, ROLE_PREFIX + role, note)
        done.append(ROLE_PREFIX + role)
    return done


def find_item(store, value: str) -> str:
    """The id of a stored node of any kind, or of the actor value names."""
    from kg.queries import resolve_actor

    for label in store.ontology.content_nodes:
        if store.run(store.ontology.render(_ITEM, label=label), {"id": value}).rows:
            return value
    return resolve_actor(store, value)


def mark_restricted(store, items: tuple[str, ...], *, unmark: bool = False, note: str | None = None) -> list[str]:
    """Restrict items (an id of any node, or an actor's name), or lift the restriction; each is
    one audit entry. Returns the ids."""
    item_ids = [find_item(store, item) for item in items]
    if unmark:
        restricted = protection(store).restricted
        for given, item_id in zip(items, item_ids):
            if item_id not in restricted:
                raise KGError(f"{given!r} is not restricted")
    for item_id in item_ids:
        _decide(store, UNRESTRICT if unmark else RESTRICT, item_id, note)
    return item_ids


def sensitive_table(store, *, reveal: bool = False):
    """Every sensitive actor: pseudonym, name (withheld unless reveal) and why; then the roles."""
    from kg.stores.base import QueryResult

    protected = protection(store)
    key = pseudonym_key(getattr(store, "directory", None)) if protected.sensitive else b""
    names = {row[0]: row[1] for row in store.run(_ACTOR_NAMES).rows}
    rows = sorted(
        [pseudonym(actor_id, key), names.get(actor_id) if reveal else "(withheld)", why]
        for actor_id, why in protected.sensitive.items()
    )
    rows += [[ROLE_PREFIX + role, "(everyone in this role)", "command"] for role in protected.sensitive_roles]
    return QueryResult(["shown as", "name", "why"], rows)


def restricted_table(store, *, reveal: bool = False):
    """Every restricted item and why, with ids that spell a protected name pseudonymised."""
    from kg.stores.base import QueryResult

    redactor = Redactor.for_store(store, reveal=reveal)
    rows = sorted([redactor.identifier(item_id), why] for item_id, why in protection(store).restricted.items())
    return QueryResult(["item", "why"], rows)
