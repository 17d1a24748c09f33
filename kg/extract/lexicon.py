"""The extractor's word lists (loaders/lexicons/*.yaml): read strictly, checked, compiled once.

Researchers edit the YAML files, not code. Every file is read with kg.yamlsafe (scalars stay
text), checked against the small schemas below (an unknown key, a wrong shape, or a type, role,
stance or event type the ontology does not declare is an InputError naming file:line), then
compiled into regular expressions and lookup tables. Compilation happens once per directory
(`load_lexicon` is cached), so extracting from many articles costs no re-reading.

Phrase syntax shared by cue and trigger lists: words separated by spaces, case-insensitive,
’ and ' alike; quotation marks and brackets between words are skipped; "word*" matches any word
that begins so; a lone "*" matches any one word.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Mapping

from kg import identity
from kg.errors import InputError
from kg.resources import resource_path
from kg.yamlsafe import LineDict, LineList, load_yaml_file

LEXICON_FILES = ("speech", "stance", "events", "actors", "time")


# Quote marks folded to ' and ", one character for one, so offsets stay valid.
fold = identity.fold_quote_marks


# --- phrase compilation --------------------------------------------------------------------------

# Between the words of a phrase: whitespace, and quotation marks or brackets standing between them.
_SEP = r"(?:'(?=\s))?[\s\"\[\]()]+(?:'(?=\w))?"


def phrase_pattern(phrase: str) -> str:
    parts = []
    for word in fold(phrase).split():
        if word == "*":
            parts.append(r"\w+(?:'\w+)?")
        elif word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"[\w'\-]*")
        else:
            parts.append(re.escape(word))
    return r"(?<![\w'])" + _SEP.join(parts) + r"(?![\w])"


# not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, three
# times slower to build (made dozens of times an article); hashable as before
@dataclass(unsafe_hash=True, slots=True)
class PhraseMatch:
    """One occurrence of a phrase: the same small API as re.Match for what the rules use."""

    begin: int
    finish: int
    text: str
    payload: Any

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish

    def group(self, index: int = 0) -> str:
        return self.text

    def span(self) -> tuple[int, int]:
        return self.begin, self.finish


_WORD = re.compile(r"\w+(?:'\w+)*")
_PLAIN_WORD = re.compile(r"^\w+(?:'\w+)*$")


class PhraseMatcher:
    """Many phrases matched at once, leftmost first and longest first at a position, like one
    alternation regex but indexed by first word: a dictionary lookup per word of the text, then
    only the phrases that can start there are tried. (A 200-phrase alternation tried at every
    character was the extractor's slowest part.)"""

    def __init__(self, phrases: list[tuple[str, Any]]) -> None:
        self.exact: dict[str, list[tuple[int, re.Pattern[str], Any]]] = {}
        self.prefixes: dict[str, list[tuple[str, int, re.Pattern[str], Any]]] = {}
        self.anywhere: list[tuple[int, re.Pattern[str], Any]] = []
        self.suffix_nt: Any = None
        self.second_words: dict[int, str] = {}  # id(pattern) -> its phrase's second word, when a plain word
        seen = set()
        for order, (phrase, payload) in enumerate(sorted(
                phrases, key=lambda p: (-len(p[0].split()), -len(p[0]), p[0]))):
            words = fold(phrase).lower().split()
            if not words or (phrase, payload) in seen:
                continue
            seen.add((phrase, payload))
            if words == ["n't"]:
                self.suffix_nt = payload
                continue
            pattern = re.compile(phrase_pattern(phrase), re.IGNORECASE)
            if len(words) > 1 and _PLAIN_WORD.match(words[1]) and _PLAIN_WORD.match(words[0]):
                self.second_words[id(pattern)] = words[1]
            first = words[0]
            entry = (order, pattern, payload)
            if first == "*":
                self.anywhere.append(entry)
            elif first.endswith("*"):
                stem = first[:-1]
                self.prefixes.setdefault(stem[:3], []).append((stem, order, pattern, payload))
            else:
                # a first word with a hyphen starts matching at its first part ("ill-treat*")
                key = re.split(r"[^\w']", first)[0] or first
                self.exact.setdefault(key, []).append(entry)

    def __bool__(self) -> bool:
        return bool(self.exact or self.prefixes or self.anywhere or self.suffix_nt is not None)

    def finditer(self, folded: str, start: int = 0, end: int | None = None):
        end = len(folded) if end is None else end
        exact, prefixes, anywhere, nt = self.exact, self.prefixes, self.anywhere, self.suffix_nt
        position = start
        for word in _WORD.finditer(folded, start, end):
            begin = word.start()
            if begin < position:
                continue
            low = word.group().lower()
            found = exact.get(low)
            stems = prefixes.get(low[:3])
            if found is None and stems is None and not anywhere:
                if nt is not None and low.endswith("n't"):
                    yield PhraseMatch(begin, word.end(), word.group(), nt)
                    position = word.end()
                continue
            candidates = list(found) if found else []
            if stems:
                candidates.extend((o, p, v) for stem, o, p, v in stems if low.startswith(stem))
            if anywhere:
                candidates.extend(anywhere)
            if len(candidates) > 1:
                candidates.sort(key=lambda c: c[0])
            for _, pattern, payload in candidates:
                match = pattern.match(folded, begin, end)
                if match:
                    yield PhraseMatch(begin, match.end(), match.group(), payload)
                    position = match.end()
                    break
            else:
                if nt is not None and low.endswith("n't"):
                    yield PhraseMatch(begin, word.end(), word.group(), nt)
                    position = word.end()

    def search(self, folded: str, start: int = 0, end: int | None = None) -> PhraseMatch | None:
        return next(self.finditer(folded, start, end), None)


def _by_list_and_order(candidate: tuple) -> tuple[str, int]:
    return candidate[0], candidate[1]


_BY_LIST_AND_ORDER = _by_list_and_order


def _trie(endings: Mapping[str, list[str]]) -> str:
    """An alternation of words as a regular expression that branches letter by letter; each word
    gives what may follow where it ends (tried in order, after the longer words through it)."""
    tree: dict[str, Any] = {}
    for word, after in endings.items():
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node.setdefault("", []).extend(after)

    def render(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        branches.extend(node.get("", ()))
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return render(tree)


class MergedLists:
    """The phrase lists of a lexicon merged into one first-word index (built once per lexicon)."""

    def __init__(self, matchers: Mapping[str, PhraseMatcher | None]) -> None:
        self.names = list(matchers)
        self.exact: dict[str, list[tuple[str, int, re.Pattern[str], Any]]] = {}
        self.prefixes: dict[str, list[tuple[str, str, int, re.Pattern[str], Any]]] = {}
        self.anywhere: list[tuple[str, int, re.Pattern[str], Any]] = []
        self.suffix_nt: list[tuple[str, Any]] = []
        for name, matcher in matchers.items():
            if matcher is None:
                continue
            for word, entries in matcher.exact.items():
                # a phrase of this one word alone matches exactly the word there: no regex needed;
                # a phrase whose second word is a plain word needs the next word to be that one
                single = phrase_pattern(word).lower()
                self.exact.setdefault(word, []).extend(
                    (name, o, p, v, p.pattern.lower() == single, matcher.second_words.get(id(p)))
                    for o, p, v in entries)
            for key, entries in matcher.prefixes.items():
                self.prefixes.setdefault(key, []).extend((stem, name, o, p, v) for stem, o, p, v in entries)
            self.anywhere.extend((name, o, p, v, False, None) for o, p, v in matcher.anywhere)
            if matcher.suffix_nt is not None:
                self.suffix_nt.append((name, matcher.suffix_nt))
        for entries in self.exact.values():
            entries.sort(key=_BY_LIST_AND_ORDER)
        self._candidates: dict[str, tuple[list[tuple[str, int, re.Pattern[str], Any, bool, str | None]], bool]] = {}
        self._with_second: dict[tuple[str, str], list[tuple[str, int, re.Pattern[str], Any, bool, str | None]]] = {}
        # The words that may start a phrase, as one regular expression over the lower-cased text
        # (a trie of alternatives, so the scan stays in C): whole words of the exact index, words
        # beginning with a prefix key, and words ending in n't. Words as _WORD cuts them.
        self.first_words: re.Pattern[str] | None = None
        if not self.anywhere and all(len(key) == 3 for key in self.prefixes):
            # a word all of whose phrases need a given next word ("the previous year", "in recent
            # weeks") is a candidate only before one of those words: the scan checks it in C
            tails = {}
            for word in self.exact:
                phrases = self.candidates(word)[0]
                if phrases and all(c[5] is not None for c in phrases) and not word.endswith("n't"):
                    seconds = sorted({c[5] for c in phrases}, key=lambda w: (-len(w), w))
                    tails[word] = r"(?!\w|'\w)(?=\W*(?:" + "|".join(map(re.escape, seconds)) + r")(?!\w|'\w))"
            # one trie of the exact words (the whole word) and the stems (then the rest of the word),
            # so that each position branches on its first letter once: an exact word before a stem
            # ending where it does (either way the match ends where the word does)
            endings: dict[str, list[str]] = {word: [tails.get(word, "") + r"(?!\w|'\w)"] for word in self.exact}
            for stem in {entry[0] for entries in self.prefixes.values() for entry in entries}:
                endings.setdefault(stem, []).append(r"\w*(?:'\w+)*")
            # The scan opens with the character before the word (no word character), not with the
            # lookbehinds (?<!\w)(?<!\w'): re then skips ahead in C to the gaps between words instead
            # of trying the whole alternation at every position (41.95 -> 41.52 million instructions an
            # article); a word at the very start of the text is tried on its own. Words ending in n't
            # are found apart (_nt_words): as an alternative here, \w*n't ran over every word.
            alternation = "(?:" + _trie(endings) + ")"
            self.first_words = re.compile(r"\W(?<!\w')(" + alternation + ")")
            self.first_word_at_start = re.compile(alternation)

    def candidates(self, low: str) -> tuple[list[tuple[str, int, re.Pattern[str], Any, bool, str | None]], bool]:
        """The phrases that may start at a word, in list and priority order, and whether any of
        them needs a given second word (cached, bounded)."""
        found = self._candidates.get(low)
        if found is not None:
            return found
        phrases = list(self.exact.get(low, ()))
        stems = self.prefixes.get(low[:3])
        if stems:
            phrases.extend((n, o, p, v, False, None) for stem, n, o, p, v in stems if low.startswith(stem))
        phrases.extend(self.anywhere)
        phrases.sort(key=_BY_LIST_AND_ORDER)
        found = (phrases, any(c[5] is not None for c in phrases))
        if len(self._candidates) > 50_000:  # memory must not grow with the vocabulary of the articles
            self._candidates.clear()
        self._candidates[low] = found
        return found

    def candidates_before(self, low: str, following: str) -> list[tuple[str, int, re.Pattern[str], Any, bool, str | None]]:
        """The phrases that may start at a word followed by the word `following`: those needing
        another second word left out, so that most words try no phrase at all (cached, bounded)."""
        key = (low, following)
        found = self._with_second.get(key)
        if found is None:
            found = [c for c in self.candidates(low)[0] if c[5] is None or c[5] == following]
            if len(self._with_second) > 50_000:
                self._with_second.clear()
            self._with_second[key] = found
        return found


_NT_END = re.compile(r"n't(?!\w)")


def _is_word_character(char: str) -> bool:
    return char.isalnum() or char == "_"  # (re's \w)


def _nt_words(lowered: str) -> list[tuple[int, int, str]]:
    r"""The words ending in n't as (start, end, word): what \w*n't(?!\w) finds at a word's start (not
    after a word and an apostrophe), from a scan for the literal n't and the word read back from it."""
    out = []
    for match in _NT_END.finditer(lowered):
        start, end = match.start(), match.end()
        while start and _is_word_character(lowered[start - 1]):
            start -= 1
        if start >= 2 and lowered[start - 1] == "'" and _is_word_character(lowered[start - 2]):
            continue
        out.append((start, end, lowered[start:end]))
    return out


class CueIndex:
    """All matches of several phrase lists over one document, found in a single pass over its
    words, then asked for by range. Within one list matches are leftmost-longest and do not
    overlap (as an alternation regex would give); lists are independent of each other."""

    def __init__(self, folded: str, lists: "MergedLists", lowered: str | None = None) -> None:
        """`lowered`: folded.lower() when the caller has it (None: computed here)."""
        suffix_nt = lists.suffix_nt
        matchers = lists.names
        self.matches: dict[str, list[PhraseMatch]] = {name: [] for name in matchers}
        position: dict[str, int] = {name: 0 for name in matchers}
        candidates_of = lists.candidates
        matches = self.matches
        exact, prefixes, anywhere = lists.exact, lists.prefixes, lists.anywhere
        if lowered is None:
            lowered = folded.lower()
        same = len(lowered) == len(folded)  # (lower() can lengthen a few characters: then word by word)
        words: list[tuple[int, int, str]]  # (start, end, lower-case word) of the words that may start a phrase
        if same and lists.first_words is not None:
            at_start = lists.first_word_at_start.match(lowered)
            words = [(0, at_start.end(), at_start.group())] if at_start else []
            words += [(m.start(1), m.end(1), m.group(1)) for m in lists.first_words.finditer(lowered)]
            if suffix_nt:  # (a word ending in n't where no other phrase starts)
                taken = {begin for begin, _, _ in words}
                words += [word for word in _nt_words(lowered) if word[0] not in taken]
                words.sort()
        else:
            words = [(w.start(), w.end(), w.group() if same else w.group().lower())
                     for w in _WORD.finditer(lowered if same else folded)]
            if not anywhere:
                words = [w for w in words if w[2] in exact or w[2][:3] in prefixes
                         or (suffix_nt and w[2].endswith("n't"))]
        cached = lists._candidates.get
        for begin, word_end, low in words:
            candidates, needs_second = cached(low) or candidates_of(low)
            if needs_second:  # ("the previous year" needs "previous" next: most phrases are out)
                after = _WORD.search(folded, word_end)
                candidates = lists.candidates_before(low, after.group().lower() if after else "")
            if candidates:
                done = None
                for name, _, pattern, payload, single, _ in candidates:
                    if name == done or begin < position[name]:
                        continue
                    if single:  # (the word itself, unless an apostrophe stands glued before it)
                        if begin and folded[begin - 1] == "'":
                            continue
                        matches[name].append(PhraseMatch(begin, word_end, folded[begin:word_end], payload))
                        position[name] = word_end
                        done = name
                        continue
                    match = pattern.match(folded, begin)
                    if match:
                        matches[name].append(PhraseMatch(begin, match.end(), match.group(), payload))
                        position[name] = match.end()
                        done = name
            if suffix_nt and low.endswith("n't"):
                for name, payload in suffix_nt:
                    if begin >= position[name]:
                        matches[name].append(PhraseMatch(begin, word_end, folded[begin:word_end], payload))
                        position[name] = word_end
        self.starts = {name: [m.begin for m in found] for name, found in self.matches.items()}

    def within(self, name: str, start: int, end: int) -> list[PhraseMatch]:
        starts = self.starts.get(name)
        if not starts:
            return []
        i = bisect.bisect_left(starts, start)
        out = []
        matches = self.matches[name]
        while i < len(matches) and matches[i].finish <= end:
            out.append(matches[i])
            i += 1
        return out

    def first(self, name: str, start: int, end: int) -> PhraseMatch | None:
        starts = self.starts.get(name)
        if not starts:
            return None
        i = bisect.bisect_left(starts, start)
        matches = self.matches[name]
        if i < len(matches) and matches[i].finish <= end:
            return matches[i]
        return None


def phrases_regex(phrases: list[str]) -> PhraseMatcher | None:
    """Phrases matched case-insensitively on folded text, longest first (see PhraseMatcher)."""
    if not phrases:
        return None
    return PhraseMatcher([(p, p) for p in phrases])


def gated_words(words: list[str], ignorecase: bool = False) -> tuple[str, str]:
    r"""`\b(?:word|word|...)` written for a fast scan: (first, rest) such that the regex
    "[" + first + "](?<!\w.)(?:" + rest + ")" matches where it does, when a \b follows.

    re tries a pattern that opens with an assertion or an alternation at every position of the
    text; one that opens with a character class (of characters whose case is spelled out, not left
    to IGNORECASE) is skipped ahead in C to the characters in it. The class takes the first
    character, a lookbehind picks the words beginning with it, and (?<!\w.) is the \b before
    the word. With ignorecase the class holds both cases and the rest is (?i:...), for a pattern
    compiled without re.IGNORECASE. Words are tried longest first: the \b after them leaves one."""
    by_first: dict[str, set[str]] = {}
    for word in words:
        by_first.setdefault(word[0].lower() if ignorecase else word[0], set()).add(word[1:])
    first, branches = [], []
    for char, rests in sorted(by_first.items()):
        cases = {char, char.upper()} if ignorecase else {char}
        first.extend(sorted(cases))
        alternatives = "|".join(re.escape(r) for r in sorted(rests, key=lambda r: (-len(r), r)))
        branches.append(f"(?<=[{''.join(re.escape(c) for c in sorted(cases))}])(?:{alternatives})")
    rest = "|".join(branches)
    return "".join(re.escape(c) for c in first), f"(?i:{rest})" if ignorecase else rest


def words_regex(words: list[str]) -> str:
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    return "|".join(re.escape(fold(w)) for w in ordered)


# --- schemas ------------------------------------------------------------------------------------


class _Ctx:
    def __init__(self, path: Path, vocab: Callable[[str], tuple[str, ...]]) -> None:
        self.path = path
        self.vocab = vocab

    def err(self, message: str, line: int) -> InputError:
        return InputError(message, where=f"{self.path}:{line}")


Spec = Callable[[Any, _Ctx, int, str], Any]


def _str(value: Any, ctx: _Ctx, line: int, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ctx.err(f"{what} must be a non-empty text value", line)
    return value.strip()


def _bool(value: Any, ctx: _Ctx, line: int, what: str) -> bool:
    text = _str(value, ctx, line, what).lower()
    if text not in ("true", "false"):
        raise ctx.err(f"{what} must be true or false, got {value!r}", line)
    return text == "true"


def _int(value: Any, ctx: _Ctx, line: int, what: str) -> int:
    text = _str(value, ctx, line, what)
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ctx.err(f"{what} must be a whole number, got {value!r}", line)
    return int(text)


def _list(item: Spec) -> Spec:
    def check(value: Any, ctx: _Ctx, line: int, what: str) -> list[Any]:
        if not isinstance(value, LineList):
            raise ctx.err(f"{what} must be a list", line)
        return [item(v, ctx, value.line_of(i), f"{what}[{i + 1}]") for i, v in enumerate(value)]
    return check


def _mapping(value_spec: Spec) -> Spec:
    """A mapping with free keys (words, phrases, names) and values of one shape."""
    def check(value: Any, ctx: _Ctx, line: int, what: str) -> dict[str, Any]:
        if not isinstance(value, LineDict):
            raise ctx.err(f"{what} must be a mapping", line)
        return {
            _str(k, ctx, value.line_of(k), f"{what} key"): value_spec(v, ctx, value.line_of(k), f"{what}: {k}")
            for k, v in value.items()
        }
    return check


def _record(fields: Mapping[str, tuple[Spec, bool]]) -> Spec:
    """A mapping with a fixed set of keys; unknown keys are errors naming their line."""
    def check(value: Any, ctx: _Ctx, line: int, what: str) -> dict[str, Any]:
        if not isinstance(value, LineDict):
            raise ctx.err(f"{what} must be a mapping with keys {', '.join(fields)}", line)
        for key in value:
            if key not in fields:
                raise ctx.err(f"unknown key {key!r} in {what} (known: {', '.join(fields)})", value.line_of(key))
        out: dict[str, Any] = {}
        for key, (spec, required) in fields.items():
            if value.get(key) is None:
                if required:
                    raise ctx.err(f"{what} needs {key!r}", value.line)
                out[key] = None
                continue
            out[key] = spec(value[key], ctx, value.line_of(key), f"{what}: {key}")
        return out
    return check


def _choice(*allowed: str) -> Spec:
    def check(value: Any, ctx: _Ctx, line: int, what: str) -> str:
        text = _str(value, ctx, line, what)
        if text not in allowed:
            raise ctx.err(f"{what} must be one of {', '.join(allowed)}; got {text!r}", line)
        return text
    return check


def _vocab(name: str) -> Spec:
    def check(value: Any, ctx: _Ctx, line: int, what: str) -> str:
        text = _str(value, ctx, line, what)
        allowed = ctx.vocab(name)
        if text not in allowed:
            raise ctx.err(f"{what} must be one of {', '.join(allowed)} (from the ontology); got {text!r}", line)
        return text
    return check


_STRS = _list(_str)

SCHEMAS: dict[str, Spec] = {
    "speech": _record({
        "version": (_str, True),
        "verbs": (_mapping(_record({
            "forms": (_STRS, True),
            "noun_forms": (_STRS, False),
            "stance": (_vocab("stance"), False),
            "object": (_choice("clause", "np", "naming", "quote", "question"), False),
            "recipient": (_bool, False),
            "subject": (_choice("any", "evidence"), False),
        })), True),
        "according_to": (_STRS, True),
        "as_reported": (_STRS, True),
        "recipients": (_STRS, True),
        "carriers": (_STRS, True),
        "between": (_STRS, True),
        "participle_links": (_STRS, True),
        "evidence": (_STRS, True),
        "account_verbs": (_STRS, False),
        "predicate_auxiliaries": (_STRS, False),
        "media_reports": (_STRS, False),
        "quoted_speech_verbs": (_mapping(_bool), False),
        "quoted_agents": (_STRS, False),
    }),
    "stance": _record({
        "version": (_str, True),
        "cues": (_record({
            "denial": (_STRS, True),
            "ceased": (_STRS, False),
            "testimony": (_STRS, True),
            "accusation": (_STRS, True),
            "affirmation": (_STRS, True),
            "other": (_STRS, True),
        }), True),
        "harm": (_STRS, True),
        "attributed": (_STRS, True),
        "not_harm": (_STRS, False),
        "self_reference": (_STRS, True),
        "reported_self_reference": (_STRS, True),
        "negation": (_STRS, True),
        "classes": (_record({
            name: (_record({"roles": (_list(_vocab("roles")), True), "types": (_list(_vocab("actorType")), True)}), True)
            for name in ("victim", "state", "advocate", "reporter")
        }), True),
    }),
    "events": _record({
        "version": (_str, True),
        "types": (_mapping(_record({
            "triggers": (_STRS, True),
            "roles": (_record({
                "subject": (_vocab("participantRoleOf"), True),
                "object": (_vocab("participantRoleOf"), True),
            }), True),
            "speaker": (_bool, False),
        })), True),
        "campaign": (_record({
            "type": (_vocab("eventType"), True),
            "aspect": (_STRS, True),
        }), True),
        "counts": (_record({
            "nouns": (_STRS, True),
            "modifiers": (_STRS, True),
            "numbers": (_mapping(_int), True),
            "window": (_int, True),
        }), True),
    }),
    "actors": _record({
        "version": (_str, True),
        "titles": (_mapping(_record({
            "role": (_vocab("roles"), True),
            "relation": (_vocab("actorRelation"), False),
        })), True),
        "org_words": (_mapping(_vocab("actorType")), True),
        "org_names": (_mapping(_vocab("actorType")), True),
        "collectives": (_mapping(_record({
            "type": (_vocab("actorType"), True),
            "role": (_vocab("roles"), False),
            "needs_modifier": (_bool, False),
        })), True),
        "modifiers": (_STRS, True),
        "descriptors": (_mapping(_record({
            "type": (_vocab("actorType"), True),
            "role": (_vocab("roles"), False),
        })), True),
        "examples_markers": (_STRS, True),
        "proxies": (_STRS, True),
        "relatives": (_STRS, True),
        "relational_nouns": (_mapping(_choice("place", "person")), False),
        "facility_nouns": (_STRS, False),
        "home_place_nouns": (_STRS, False),
        "generic_body_heads": (_STRS, False),
        "pronouns": (_record({
            "person": (_STRS, True),
            "group": (_STRS, True),
            "organisation": (_STRS, True),
        }), True),
        "place_prepositions": (_STRS, True),
        "place_nouns": (_STRS, True),
        "national_words": (_STRS, True),
        "generic_name_words": (_STRS, False),
        "not_countries": (_STRS, True),
        "not_names": (_STRS, True),
        "abbreviations": (_STRS, True),
    }),
    "time": _record({
        "version": (_str, True),
        "months": (_mapping(_int), True),
        "relative": (_mapping(_record({
            "unit": (_choice("year", "month", "week", "day"), True),
            "offset": (_int, True),
        })), True),
        "ago_units": (_mapping(_choice("year", "month", "week", "day")), True),
        "weekdays": (_mapping(_int), False),
        "after_named_day": (_mapping(_int), False),
    }),
}


# --- the compiled lexicon -------------------------------------------------------------------------


@dataclass(frozen=True)
class Verb:
    lemma: str
    form: str
    stance: str | None
    object: str  # clause | np | naming | quote
    recipient: bool
    noun_form: bool
    evidence_subject: bool = False  # counts only after a poll, study, record ... ("polls show")


@dataclass(frozen=True)
class EventType:
    name: str
    subject_role: str
    object_role: str
    speaker: bool


@dataclass(frozen=True)
class Lexicon:
    directory: Path
    raw: Mapping[str, Mapping[str, Any]] = field(repr=False)
    # speech
    verbs: Mapping[str, Verb] = field(repr=False)
    verb_re: re.Pattern[str] = field(repr=False)
    according_re: PhraseMatcher = field(repr=False)
    as_reported: frozenset[str] = field(repr=False)
    recipients: frozenset[str] = field(repr=False)
    carriers: frozenset[str] = field(repr=False)
    evidence: frozenset[str] = field(repr=False)
    account_verbs: frozenset[str] = field(repr=False)  # lemmas whose "how ..." tells what happened
    predicate_auxiliaries: frozenset[str] = field(repr=False)  # "..., but would ...": a second claim
    between_re: re.Pattern[str] = field(repr=False)
    between_words: frozenset[str] = field(repr=False)
    participle_link_re: re.Pattern[str] = field(repr=False)
    # stance
    stance_res: Mapping[str, PhraseMatcher | None] = field(repr=False)
    harm_re: PhraseMatcher | None = field(repr=False)
    attributed_re: PhraseMatcher | None = field(repr=False)
    self_reference: frozenset[str] = field(repr=False)
    reported_self_reference: frozenset[str] = field(repr=False)
    negation_re: PhraseMatcher | None = field(repr=False)
    stance_classes: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = field(repr=False)
    # events
    event_types: Mapping[str, EventType] = field(repr=False)
    trigger_re: PhraseMatcher = field(repr=False)  # payload: event type
    campaign_type: str = ""
    aspect_re: PhraseMatcher | None = field(default=None, repr=False)
    count_re: re.Pattern[str] | None = field(default=None, repr=False)
    count_digits_re: re.Pattern[str] | None = field(default=None, repr=False)  # numbers in digits
    count_modifier_re: re.Pattern[str] | None = field(default=None, repr=False)  # "at least " ending a text
    count_nouns: frozenset[str] = field(default=frozenset(), repr=False)
    numbers: Mapping[str, int] = field(default_factory=dict, repr=False)
    count_window: int = 12
    # actors
    titles: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, repr=False)
    title_max_words: int = 1
    org_words: Mapping[str, str] = field(default_factory=dict, repr=False)
    org_names: Mapping[str, str] = field(default_factory=dict, repr=False)
    collectives: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, repr=False)
    modifiers: frozenset[str] = field(default=frozenset(), repr=False)
    descriptors: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, repr=False)
    examples_markers: frozenset[str] = field(default=frozenset(), repr=False)
    proxies: frozenset[str] = field(default=frozenset(), repr=False)
    relatives: frozenset[str] = field(default=frozenset(), repr=False)
    quoted_speech_verbs: Mapping[str, bool] = field(default_factory=dict, repr=False)  # verb -> needs a listener
    quoted_agents: frozenset[str] = field(default=frozenset(), repr=False)
    relational_nouns: Mapping[str, str] = field(default_factory=dict, repr=False)  # noun -> place | person
    home_place_nouns: frozenset[str] = field(default=frozenset(), repr=False)
    generic_body_heads: frozenset[str] = field(default=frozenset(), repr=False)
    # "<Name> detention centre": the name is a place where people are held or work
    facility_re: re.Pattern[str] | None = field(default=None, repr=False)
    pronouns: Mapping[str, str] = field(default_factory=dict, repr=False)  # word -> person|group|organisation
    place_prepositions: frozenset[str] = field(default=frozenset(), repr=False)
    place_nouns: frozenset[str] = field(default=frozenset(), repr=False)
    national_words: frozenset[str] = field(default=frozenset(), repr=False)
    # words that name no particular body or person on their own: organisation words, titles,
    # national words, modifiers and the generic_name_words list (see kg.extract.actors.shared_names)
    generic_name_words: frozenset[str] = field(default=frozenset(), repr=False)
    # and the words ending any organisation's name ("Monitor", "Network"): an alias made only of
    # these is a short form ("the Monitor"), never a key across articles
    generic_alias_words: frozenset[str] = field(default=frozenset(), repr=False)
    not_countries: frozenset[str] = field(default=frozenset(), repr=False)
    not_names: frozenset[str] = field(default=frozenset(), repr=False)
    abbreviations: frozenset[str] = field(default=frozenset(), repr=False)
    # every phrase list, for the one pass per document (see CueIndex)
    phrase_lists: "MergedLists | None" = field(default=None, repr=False)
    # time
    months: Mapping[str, int] = field(default_factory=dict, repr=False)
    relative_times: Mapping[str, tuple[str, int]] = field(default_factory=dict, repr=False)
    relative_re: PhraseMatcher | None = field(default=None, repr=False)
    ago_units: Mapping[str, str] = field(default_factory=dict, repr=False)
    weekdays: Mapping[str, int] = field(default_factory=dict, repr=False)  # "Monday" -> 0
    after_named_day: Mapping[str, int] = field(default_factory=dict, repr=False)  # "the next day" -> 1


def _negation_regex(words: list[str]) -> PhraseMatcher | None:
    """Negation words; a contracted "n't" attaches to the word before it ("don't")."""
    return PhraseMatcher([(w, w) for w in words]) if words else None


def _lower_set(words: list[str] | None) -> frozenset[str]:
    return frozenset(fold(w).lower() for w in words or [])


def _generic_name_words(actors: Mapping[str, Any], titles: Mapping[str, Any]) -> frozenset[str]:
    government = [word for word, actor_type in actors["org_words"].items() if actor_type == "GovernmentBody"]
    phrases = [*government, *actors["national_words"], *titles, *actors["collectives"], *actors["relatives"],
               *actors["proxies"], *(actors["generic_name_words"] or [])]
    return frozenset(word for phrase in phrases for word in fold(phrase).lower().split())


def _compile(directory: Path, raw: Mapping[str, Mapping[str, Any]]) -> Lexicon:
    speech, stance, events, actors, time = (raw[name] for name in LEXICON_FILES)

    verbs: dict[str, Verb] = {}
    for lemma, spec in speech["verbs"].items():
        nouns = _lower_set(spec["noun_forms"])
        for form in spec["forms"]:
            key = fold(form).lower()
            verbs[key] = Verb(
                lemma=lemma, form=key, stance=spec["stance"], object=spec["object"] or "clause",
                recipient=bool(spec["recipient"]), noun_form=key in nouns,
                evidence_subject=spec["subject"] == "evidence",
            )
    verb_re = re.compile(r"(?<![\w'\-])(?:" + words_regex(list(verbs)) + r")(?![\w\-])", re.IGNORECASE)
    between = [w for w in speech["between"]]
    between_re = re.compile(
        r"(?:\s+(?:" + words_regex(between) + r"|\w+ly))*\s+", re.IGNORECASE
    )
    links = speech["participle_links"]
    participle_link_re = re.compile(
        r"(?:,[”\"’']?|(?<![\w])(?:" + words_regex(links) + r"))(?:\s+\w+ly)?\s*$", re.IGNORECASE
    )

    event_types: dict[str, EventType] = {}
    alternatives: list[tuple[int, int, str, str]] = []
    for name, spec in events["types"].items():
        event_types[name] = EventType(
            name=name, subject_role=spec["roles"]["subject"], object_role=spec["roles"]["object"],
            speaker=bool(spec["speaker"]),
        )
        for phrase in spec["triggers"]:
            alternatives.append((-len(phrase.split()), -len(phrase), phrase, name))
    trigger_re = PhraseMatcher([(phrase, name) for _, _, phrase, name in alternatives])

    counts = events["counts"]
    numbers = {fold(k).lower(): v for k, v in counts["numbers"].items()}
    number_alt = r"\d{1,3}(?:,\d{3})+|\d+|" + words_regex(list(numbers))
    count_re = re.compile(
        r"(?<![\w\-])(?P<mod>(?:" + words_regex(counts["modifiers"]) + r")\s+)?"
        r"(?P<num>" + number_alt + r")(?![\w\-%])",
        re.IGNORECASE,
    )

    titles = {fold(k).lower(): v for k, v in actors["titles"].items()}
    pronouns = {}
    for kind, words in actors["pronouns"].items():
        for word in words:
            pronouns[fold(word).lower()] = kind

    months = {fold(k).lower(): v for k, v in time["months"].items()}
    for name, number in months.items():
        if not 1 <= number <= 12:
            raise InputError(f"month {name!r} must be 1 to 12", where=str(directory / "time.yaml"))
    relative = {fold(k).lower(): (v["unit"], v["offset"]) for k, v in time["relative"].items()}

    stance_res = {name: phrases_regex(cues) for name, cues in stance["cues"].items()}
    according = phrases_regex(speech["according_to"]) or PhraseMatcher([])
    harm = phrases_regex(stance["harm"])
    attributed = phrases_regex(stance["attributed"])
    negation = _negation_regex(stance["negation"])
    aspect = phrases_regex(events["campaign"]["aspect"])
    relative_re = phrases_regex(list(time["relative"]))
    phrase_lists = {f"cue:{name}": matcher for name, matcher in stance_res.items()}
    phrase_lists.update(after_named_day=phrases_regex(list(time["after_named_day"] or [])))
    phrase_lists.update(harm=harm, not_harm=phrases_regex(stance["not_harm"] or []), attributed=attributed,
                        negation=negation, trigger=trigger_re, aspect=aspect,
                        according=according, relative=relative_re,
                        media_reports=phrases_regex(speech["media_reports"] or []))
    return Lexicon(
        directory=directory,
        raw=raw,
        verbs=verbs,
        verb_re=verb_re,
        according_re=according,
        as_reported=_lower_set(speech["as_reported"]),
        recipients=_lower_set(speech["recipients"]),
        quoted_speech_verbs=dict(speech["quoted_speech_verbs"] or {}),
        quoted_agents=_lower_set(speech["quoted_agents"]),
        carriers=_lower_set(speech["carriers"]),
        evidence=_lower_set(speech["evidence"]),
        account_verbs=_lower_set(speech["account_verbs"]),
        predicate_auxiliaries=_lower_set(speech["predicate_auxiliaries"]),
        between_re=between_re,
        between_words=_lower_set(between),
        participle_link_re=participle_link_re,
        stance_res=stance_res,
        harm_re=harm,
        attributed_re=attributed,
        self_reference=_lower_set(stance["self_reference"]),
        reported_self_reference=_lower_set(stance["reported_self_reference"]),
        negation_re=negation,
        stance_classes=tuple(
            (name, frozenset(spec["roles"]), frozenset(spec["types"])) for name, spec in stance["classes"].items()
        ),
        event_types=event_types,
        trigger_re=trigger_re,
        campaign_type=events["campaign"]["type"],
        aspect_re=aspect,
        count_re=count_re,
        # (the first digit first, then what may not stand before it: a scan for a digit is cheap in C)
        count_digits_re=re.compile(r"\d(?<![\w\-]\d)(?:\d{0,2}(?:,\d{3})+|\d*)(?![\w\-%])"),
        count_modifier_re=re.compile(r"(?<![\w\-])(?:" + words_regex(counts["modifiers"]) + r")\s+$", re.IGNORECASE),
        count_nouns=_lower_set(counts["nouns"]),
        numbers=numbers,
        count_window=counts["window"],
        titles=titles,
        title_max_words=max((len(t.split()) for t in titles), default=1),
        org_words=dict(actors["org_words"]),
        org_names=dict(actors["org_names"]),
        collectives={fold(k).lower(): v for k, v in actors["collectives"].items()},
        modifiers=_lower_set(actors["modifiers"]),
        descriptors={fold(k).lower(): v for k, v in actors["descriptors"].items()},
        examples_markers=_lower_set(actors["examples_markers"]),
        proxies=_lower_set(actors["proxies"]),
        relatives=_lower_set(actors["relatives"]),
        relational_nouns={fold(k).lower(): v for k, v in (actors["relational_nouns"] or {}).items()},
        home_place_nouns=_lower_set(actors["home_place_nouns"]),
        generic_body_heads=_lower_set(actors["generic_body_heads"]),
        facility_re=re.compile(r"\s+(?:" + words_regex(actors["facility_nouns"]) + r")\b")
        if actors["facility_nouns"] else None,
        pronouns=pronouns,
        place_prepositions=_lower_set(actors["place_prepositions"]),
        place_nouns=_lower_set(actors["place_nouns"]),
        national_words=_lower_set(actors["national_words"]),
        generic_name_words=_generic_name_words(actors, titles),
        generic_alias_words=_generic_name_words(actors, titles) | _lower_set(actors["org_words"]),
        not_countries=_lower_set(actors["not_countries"]),
        not_names=frozenset(actors["not_names"]),
        abbreviations=frozenset(actors["abbreviations"]),
        months=months,
        relative_times=relative,
        relative_re=relative_re,
        phrase_lists=MergedLists(phrase_lists),
        ago_units={fold(k).lower(): v for k, v in time["ago_units"].items()},
        weekdays={k.capitalize(): v for k, v in (time["weekdays"] or {}).items()},
        after_named_day={" ".join(k.lower().split()): v for k, v in (time["after_named_day"] or {}).items()},
    )


_VOCAB_CACHE: dict[str, tuple[str, ...]] = {}


def _vocabularies() -> Callable[[str], tuple[str, ...]]:
    if not _VOCAB_CACHE:
        from kg.ontology import load_ontology

        ontology = load_ontology()
        for name in ("stance", "roles", "actorType", "participantRoleOf", "eventType", "kind"):
            _VOCAB_CACHE[name] = ontology.vocabulary(name)
        _VOCAB_CACHE["actorRelation"] = tuple(sorted(ontology.actor_relations))
    return _VOCAB_CACHE.__getitem__


def read_lexicon(directory: Path) -> Lexicon:
    """Read, check and compile the lexicon files of one directory (uncached)."""
    vocab = _vocabularies()
    raw: dict[str, Any] = {}
    for name in LEXICON_FILES:
        path = directory / f"{name}.yaml"
        data = load_yaml_file(path)
        ctx = _Ctx(path, vocab)
        raw[name] = SCHEMAS[name](data, ctx, 1, f"{name}.yaml")
        if name == "events":
            allowed = vocab("eventType")
            for key in data["types"]:
                if key not in allowed:
                    raise ctx.err(
                        f"unknown event type {key!r} (the ontology has: {', '.join(allowed)})",
                        data["types"].line_of(key),
                    )
    try:
        return _compile(directory, raw)
    except re.error as exc:  # a phrase that compiles to a bad pattern
        raise InputError(f"a phrase does not compile: {exc}", where=str(directory)) from None


@lru_cache(maxsize=8)
def _cached(directory: Path) -> Lexicon:
    return read_lexicon(directory)


_DEFAULT: list[tuple[str | None, Lexicon]] = []


def load_lexicon(directory: Path | None = None) -> Lexicon:
    """The compiled lexicon of a directory (default: loaders/lexicons), read once per process."""
    if directory is None:
        import os

        override = os.environ.get("KG_RESOURCES")
        if _DEFAULT and _DEFAULT[0][0] == override:
            return _DEFAULT[0][1]
        lexicon = _cached(resource_path("loaders", "lexicons").resolve())
        _DEFAULT[:] = [(override, lexicon)]
        return lexicon
    return _cached(Path(directory).resolve())
