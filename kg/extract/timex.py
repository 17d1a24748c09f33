"""Time expressions, resolved against the publication date (rule family "event-time").

Absolute: "in 2017", "October 2017", "12 March 2019", "March 12, 2019". Relative (time.yaml):
"last year", "earlier this month", "three weeks ago". A bare month ("in October") is the latest
such month not after publication, "last October" the latest one before the publication month.
A date is ISO 8601 at the precision the text supports: "2017", "2017-10", "2017-10-05".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from kg.extract.lexicon import Lexicon, gated_words

_AGO = re.compile(r" [Aa][Gg][Oo]")
# "ago" after a space, the space taken by the pattern: re skips ahead in C to the spaces, where a
# lookbehind (?<=\s) first is tried at every position of the text
_AGO_WORD = re.compile(r"\s([Aa][Gg][Oo])")
_AGO_REACH = 80
_PUBLISHED = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(unsafe_hash=True, slots=True)  # (not frozen, to be built faster: see lexicon.PhraseMatch)
class TimeExpr:
    start: int
    end: int
    text: str
    time_start: str | None
    time_end: str | None


@dataclass(frozen=True, slots=True)
class Published:
    year: int
    month: int | None
    day: int | None

    @property
    def date(self) -> dt.date | None:
        if self.month and self.day:
            try:
                return dt.date(self.year, self.month, self.day)
            except ValueError:
                return None
        return None


def parse_published(value: str | None) -> Published | None:
    if not value:
        return None
    match = _PUBLISHED.match(value.strip())
    if not match:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if month is not None and not 1 <= month <= 12:
        month, day = None, None
    return Published(year, month, day)


_PATTERNS: dict[object, tuple[re.Pattern[str], ...]] = {}


def _patterns(lexicon: Lexicon) -> tuple[re.Pattern[str], ...]:
    cached = _PATTERNS.get(lexicon.directory)
    if cached is not None and cached[0] is lexicon:
        return cached[1]
    patterns = _compile_patterns(lexicon)
    _PATTERNS[lexicon.directory] = (lexicon, patterns)
    return patterns


def _ago_matches(ago: re.Pattern[str], folded: str, start: int, end: int):
    """What ago.finditer(folded, start, end) finds, tried only in a window before each "ago" (the
    pattern opens with a word boundary, which re would try at every position of the text): every
    match ends at an "ago", and a window reaches back further than a number and a unit do."""
    for hit in _AGO_WORD.finditer(folded, max(0, start - 1), end):
        ago_start, ago_end = hit.span(1)
        for match in ago.finditer(folded, max(start, ago_start - _AGO_REACH), min(end, ago_end + 1)):
            if match.end() == ago_end:
                yield match


def _compile_patterns(lexicon: Lexicon) -> tuple[re.Pattern[str], ...]:
    months = sorted(lexicon.months, key=len, reverse=True)
    # month names are matched capitalised only: "may" is a verb, "May" a month
    month_alt = "|".join(re.escape(m.capitalize()) + (r"\.?" if len(m) <= 4 else "") for m in months)
    units = "|".join(re.escape(u) for u in sorted(lexicon.ago_units, key=len, reverse=True))
    numbers = "|".join(re.escape(n) for n in sorted(lexicon.numbers, key=len, reverse=True))
    # the anchors of absolute times: a four-digit year, or a month name as a capitalised word
    # (\b(?:(?:1[89]|20)\d{2}\b|(?:January|...)\b\.?), written so that re skips ahead to 1, 2 and capitals)
    first, rest = gated_words([m.capitalize() for m in months if re.fullmatch(r"[a-z]{3,9}", m)])
    anchor = re.compile(rf"[12{first}](?<!\w.)(?:(?<=1)[89]\d{{2}}\b|(?<=2)0\d{{2}}\b|(?:{rest})\b\.?)")
    return (
        re.compile(rf"\b(?P<day>\d{{1,2}})\s+(?P<month>{month_alt})\s+(?P<year>(?:1[89]|20)\d{{2}})\b"),
        re.compile(rf"\b(?P<month>{month_alt})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:1[89]|20)\d{{2}})\b"),
        re.compile(rf"\b(?P<month>{month_alt})\s+(?:of\s+)?(?P<year>(?:1[89]|20)\d{{2}})\b"),
        re.compile(rf"\b(?P<month>{month_alt})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"),
        re.compile(rf"\b(?:(?P<last>[Ll]ast|[Tt]his|[Pp]revious)\s+)?(?:(?:[Ee]arly|[Ll]ate|[Mm]id)[\s\-]+)?(?P<month>{month_alt})\b"),
        re.compile(r"\b(?:in|since|during|by|from|until|of|throughout|early|late|mid|around|before|after)[\s\-]+(?:early\s+|late\s+)?(?P<year>(?:1[89]|20)\d{2})\b(?!\s*(?:people|percent|%))", re.IGNORECASE),
        re.compile(rf"\b(?P<n>\d+|{numbers}|a|an|several|a\s+few)\s+(?P<unit>{units})\s+ago\b", re.IGNORECASE),
        anchor,
    )


def _month_name(lexicon: Lexicon, text: str) -> int:
    return lexicon.months[text.rstrip(".").lower()]


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def _latest_month(pub: Published | None, month: int, strictly_before: bool) -> int | None:
    if pub is None:
        return None
    if pub.month is None:
        return pub.year - 1 if strictly_before else pub.year
    if month < pub.month or (month == pub.month and not strictly_before):
        return pub.year
    return pub.year - 1


def _relative(pub: Published | None, unit: str, offset: int) -> tuple[str | None, str | None]:
    if pub is None:
        return None, None
    if unit == "year":
        value = f"{pub.year + offset:04d}"
        return value, value
    if unit == "month":
        if pub.month is None:
            return None, None
        year, month = _shift_month(pub.year, pub.month, offset)
        value = f"{year:04d}-{month:02d}"
        return value, value
    date = pub.date
    if unit == "week":
        if date is None:
            if pub.month is None or offset > 0:
                return None, None
            year, month = _shift_month(pub.year, pub.month, -1 if offset < 0 else 0)
            return f"{year:04d}-{month:02d}", f"{pub.year:04d}-{pub.month:02d}"
        monday = date - dt.timedelta(days=date.weekday()) + dt.timedelta(weeks=offset)
        return monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat()
    if unit == "day":
        if date is None:
            return None, None
        value = (date + dt.timedelta(days=offset)).isoformat()
        return value, value
    return None, None


def _day(year: int, month: int, day: int) -> str | None:
    if 1 <= day <= calendar.monthrange(year, month)[1]:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def find_times(text: str, folded: str, start: int, end: int, lexicon: Lexicon,
               pub: Published | None, cues=None) -> list[TimeExpr]:
    """Every time expression in text[start:end], longest first where they overlap."""
    found: list[TimeExpr] = []
    taken: list[tuple[int, int]] = []

    def add(s: int, e: int, ts: str | None, te: str | None) -> None:
        if any(s < b and a < e for a, b in taken):
            return
        taken.append((s, e))
        found.append(TimeExpr(s, e, text[s:e], ts, te))

    if lexicon.relative_re is not None:
        for match in (cues.within("relative", start, end) if cues is not None
                      else lexicon.relative_re.finditer(folded, start, end)):
            key = " ".join(match.group().lower().split())
            if key not in lexicon.relative_times:
                continue
            unit, offset = lexicon.relative_times[key]
            add(match.start(), match.end(), *_relative(pub, unit, offset))
    full_date, month_day_year, month_year, month_day, bare_month, year_only, ago, anchor_re = _patterns(lexicon)
    # every absolute pattern needs a capitalised month name or a four-digit year: find those
    # first (one cheap scan), then try the patterns only around them
    anchors = list(anchor_re.finditer(text, start, end))
    # years first: "12 March 2019" must win over the bare month inside it
    anchors.sort(key=lambda m: (not m.group()[0].isdigit(), m.start()))
    for anchor in anchors:
        word = anchor.group()
        a = anchor.start()
        if word[0].isdigit():
            window = max(start, a - 40)
            for pattern in (full_date, month_day_year, month_year):
                for match in pattern.finditer(text, window, min(end, anchor.end())):
                    if match.end() == anchor.end():
                        if pattern is month_year:
                            value = f"{int(match['year']):04d}-{_month_name(lexicon, match['month']):02d}"
                        else:
                            value = _day(int(match["year"]), _month_name(lexicon, match["month"]), int(match["day"]))
                        add(match.start(), match.end(), value, value)
            for match in year_only.finditer(text, max(start, a - 25), min(end, anchor.end() + 12)):
                if match.start("year") == a:
                    value = match["year"]
                    open_ended = match.group().split()[0].lower() in ("since", "after", "from")
                    add(match.start(), match.end(), value, None if open_ended else value)
            continue
        for match in month_day.finditer(text, a, min(end, anchor.end() + 8)):
            if match.start() != a:
                continue
            month = _month_name(lexicon, match["month"])
            year = _latest_month(pub, month, False)
            value = _day(year, month, int(match["day"])) if year else None
            add(match.start(), match.end(), value, value)
        for match in bare_month.finditer(text, max(start, a - 20), min(end, anchor.end() + 1)):
            if match.start("month") != a:
                continue
            word = match["month"]
            if word.lower() == "may" and not match["last"] and not re.search(
                    r"\b(?:in|since|during|until|by|early|late|mid)[\s\-]+$", text[max(start, a - 8):a], re.IGNORECASE):
                continue  # "May" opening a sentence is more often the verb
            month = _month_name(lexicon, word)
            year = _latest_month(pub, month, bool(match["last"]) and match["last"].lower() in ("last", "previous"))
            value = f"{year:04d}-{month:02d}" if year else None
            add(match.start(), match.end(), value, value)
    if _AGO.search(folded, start, end):  # (the cheap test first; lower() would copy the text)
        for match in _ago_matches(ago, folded, start, end):
            n_text = match["n"].lower()
            n = int(n_text) if n_text.isdigit() else lexicon.numbers.get(n_text, 1 if n_text in ("a", "an") else 0)
            if not n:
                continue
            unit = lexicon.ago_units[match["unit"].lower()]
            add(match.start(), match.end(), *_relative(pub, unit, -n))
    if pub is not None and pub.date is not None:
        for name, weekday in lexicon.weekdays.items():
            at = text.find(name, start, end)
            while at >= 0:
                after = at + len(name)
                lead = _WEEKDAY_LEAD.search(text, max(start, at - 6), at)
                if (after == len(text) or not text[after].isalnum()) and (at == 0 or not text[at - 1].isalnum()) \
                        and not _FUTURE_BEFORE.search(text, max(start, at - 60), at):
                    begin = lead.start() if lead else at
                    day = (pub.date - dt.timedelta(days=(pub.date.weekday() - weekday) % 7)).isoformat()
                    add(begin, after, day, day)
                at = text.find(name, after, end)
    if lexicon.after_named_day:
        found.sort(key=lambda t: t.start)
        named = [t for t in found if t.time_start and len(t.time_start) == 10 and t.time_start == t.time_end]
        for match in (cues.within("after_named_day", start, end) if cues is not None
                      else _after_named_day(lexicon).finditer(folded, start, end)):
            before = [t for t in named if t.end <= match.start() and match.start() - t.end <= _NAMED_DAY_REACH]
            if before:
                offset = lexicon.after_named_day[" ".join(match.group().lower().split())]
                day = (dt.date.fromisoformat(before[-1].time_start) + dt.timedelta(days=offset)).isoformat()
                add(match.start(), match.end(), day, day)
    found.sort(key=lambda t: t.start)
    return found


_WEEKDAY_LEAD = re.compile(r"\b(?:[Oo]n|[Ll]ast)\s+$")
# a weekday in the future: "will meet on Thursday", "scheduled for Thursday"
_FUTURE_BEFORE = re.compile(
    r"\b(?:will|scheduled|due|expected|plans?|planned)\b[^.;,]*$|\b(?:by|until|before|from|next|this|coming)\s+$",
    re.IGNORECASE)
_NAMED_DAY_REACH = 600
_AFTER_NAMED: dict[int, tuple[Lexicon, re.Pattern[str]]] = {}


def _after_named_day(lexicon: Lexicon) -> re.Pattern[str]:
    cached = _AFTER_NAMED.get(id(lexicon))
    if cached is None or cached[0] is not lexicon:
        phrases = sorted(lexicon.after_named_day, key=len, reverse=True)
        pattern = re.compile(r"\b(?:" + "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases) + r")\b",
                             re.IGNORECASE)
        cached = _AFTER_NAMED[id(lexicon)] = (lexicon, pattern)
    return cached[1]
