"""Synthetic corpora: invented news reports with gold case files, for benchmarks and tests.

`generate_corpus(out, articles=N, seed=S)` writes N articles as `OUT/NNNNNN/article.txt` and
`OUT/NNNNNN/case.yaml`, then `OUT/corpus.json` (the seed, the counts and query parameters that
fit the corpus). The articles are in the register of the Chechnya report and the gold files:
officials who deny, survivors who testify, rights groups that count, media that report; direct
and indirect quotes; back-references ("he added", "the group said", "the minister said");
events with places, dates and counts. The same officials, ministries and rights groups recur
across the articles of their (invented) country under varying name forms ("Interior Minister
Oleg N. Varin", "O. Varin", "Varin"), and some articles are syndicated copies of earlier ones
under another publisher and headline.

Every case file is gold in the project's format and passes `kg.casefile.load_casefile`: quotes
are cut from the article text itself (with `occurrence` where the words appear twice), and
each article holds contradictions (denial against testimony, count against count) between
statements of that article.

Everything is invented: countries, cities, people, organisations and outlets are built from
syllables and do not exist. Output depends only on (articles, seed): all randomness comes from
`random.Random(seed)` and generators seeded from it, so the same arguments give byte-identical
files. Articles are streamed: only the world's cast (a few thousand names) and the last few
stories (for syndication and follow-ups) are kept in memory.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import random
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from kg.errors import KGError

GENERATOR_VERSION = 1
MANIFEST = "corpus.json"

# Articles per invented country: the cast grows with the corpus, so a big corpus has more
# countries rather than ever busier officials (the global actors below are the hubs).
ARTICLES_PER_REGION = 400
SYNDICATION_RATE = 0.08
FOLLOW_UP_RATE = 0.22
GLOBAL_ACTOR_RATE = 0.15

# --- invented names --------------------------------------------------------------------------

_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"
_SYLLABLES = [c + v for c in _CONSONANTS for v in _VOWELS]  # 70, each exactly two letters

# Disjoint ending sets: a surname can never equal a survivor's surname or a place name. The
# stem is always two two-letter syllables, so (stem, ending) -> name is one-to-one.
_OFFICIAL_ENDINGS = ["vek", "rin", "dask", "mont", "vald", "zek", "lund", "mir", "tov", "sen", "gard", "ric"]
_SURVIVOR_ENDINGS = ["lek", "nas", "dor", "vi", "mak", "zin", "reth", "bul", "kovy", "tas"]
_CITY_ENDINGS = ["grad", "vik", "ovo", "esk", "mar", "ton", "burg", "ava"]
_COUNTRY_ENDINGS = [("nia", "nian"), ("ria", "rian"), ("vara", "varan"), ("stan", "stani"),
                    ("mora", "moran"), ("dell", "dellian")]

_MALE = ["Arvid", "Teodor", "Mirko", "Anton", "Davor", "Emil", "Feliks", "Goran", "Ivo", "Kasimir", "Lev",
         "Matvei", "Nikola", "Pavel", "Radu", "Stefan", "Tomas", "Viktor", "Yuri", "Zoran", "Bogdan",
         "Dmitar", "Edvin", "Filip", "Oleg", "Ruslan", "Sava", "Timur"]
_FEMALE = ["Alina", "Brona", "Daria", "Elena", "Ilse", "Katya", "Lidia", "Mila", "Nadia", "Oksana", "Petra",
           "Rada", "Sabina", "Tamara", "Vesna", "Zora", "Irina", "Jana", "Lena", "Marta", "Nela", "Olga",
           "Rina", "Vera"]
_FIRST = [(n, "m") for n in _MALE] + [(n, "f") for n in _FEMALE]

_WIRES = ["Halcyon Newswire", "Atlas Dispatch", "Northgate Press Service", "Cobalt News Agency",
          "Lantern Wire", "Sextant Reports"]
_PAPER_NOUNS = ["Courier", "Herald", "Ledger", "Observer", "Gazette", "Tribune"]
_NGO_FORMS = [
    "{capital} Human Rights Centre",
    "Committee for Civil Rights in {country}",
    "{adj} Legal Defence Network",
    "{capital} Detainee Support Group",
    "{adj} Association for Fair Trials",
    "Civic Monitor of {country}",
]
_LAWYER_FORMS = ["{adj} Bar Collective", "{capital} Legal Aid Centre", "Lawyers for Detainees in {country}"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def _affine(size: int, rng: random.Random) -> Callable[[int], int]:
    """A permutation of range(size): consecutive indices give unrelated-looking names."""
    while True:
        a = rng.randrange(1, size)
        if math.gcd(a, size) == 1:
            break
    b = rng.randrange(size)
    return lambda i: (a * i + b) % size


def _stem(index: int) -> str:
    return _SYLLABLES[index % 70] + _SYLLABLES[(index // 70) % 70]


class _Names:
    """Unique invented names, one per index, in a seed-dependent order."""

    def __init__(self, rng: random.Random) -> None:
        self._official = _affine(4900 * len(_OFFICIAL_ENDINGS), rng)
        self._survivor = _affine(4900 * len(_SURVIVOR_ENDINGS) * len(_FIRST), rng)
        self._city = _affine(4900 * len(_CITY_ENDINGS), rng)
        self._country = _affine(4900 * len(_COUNTRY_ENDINGS), rng)
        self.officials = self.survivors = self.cities = self.countries = 0

    def official(self) -> "_Person":
        i = self._official(self.officials)
        self.officials += 1
        first, gender = _FIRST[(i * 7 + i // 4900) % len(_FIRST)]
        middle = _MALE[(i // 3) % len(_MALE)]
        last = (_stem(i) + _OFFICIAL_ENDINGS[i // 4900]).capitalize()
        return _Person(first, last, gender, middle[0])

    def survivor(self) -> "_Person":
        i = self._survivor(self.survivors)
        self.survivors += 1
        first, gender = _FIRST[i % len(_FIRST)]
        j = i // len(_FIRST)
        last = (_stem(j) + _SURVIVOR_ENDINGS[j // 4900]).capitalize()
        return _Person(first, last, gender, "")

    def city(self) -> str:
        i = self._city(self.cities)
        self.cities += 1
        return (_stem(i) + _CITY_ENDINGS[i // 4900]).capitalize()

    def country(self) -> tuple[str, str]:
        i = self._country(self.countries)
        self.countries += 1
        noun, adj = _COUNTRY_ENDINGS[i // 4900]
        stem = _stem(i).capitalize()
        return stem + noun, stem + adj


# --- the world: countries and their recurring cast -----------------------------------------------


@dataclass(frozen=True)
class _Person:
    first: str
    last: str
    gender: str  # m or f
    middle: str  # initial, for the name forms of officials

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def he(self) -> str:
        return "he" if self.gender == "m" else "she"

    @property
    def his(self) -> str:
        return "his" if self.gender == "m" else "her"

    @property
    def him(self) -> str:
        return "him" if self.gender == "m" else "her"

    def forms(self) -> tuple[str, ...]:
        """The name forms an article may use; all share the surname alias."""
        return (self.full, f"{self.first} {self.middle}. {self.last}", f"{self.first[0]}. {self.last}")


@dataclass(frozen=True)
class _Org:
    names: tuple[str, ...]  # canonical name first; every form is a name or alias in a case file
    type: str
    role: str
    collective: bool = False
    description: str | None = None


@dataclass
class _Region:
    index: int
    country: str
    adj: str
    cities: list[str]
    ministry: _Org
    minister: _Person
    spokes: _Person
    prosecutor_office: _Org
    prosecutor: _Person
    prisons: _Org
    police: _Org
    ngo: _Org
    director: _Person
    lawyers: _Org
    lawyer: _Person
    paper: _Org
    editor: _Person
    state_tv: _Org
    topic: str

    @property
    def capital(self) -> str:
        return self.cities[0]


class _World:
    def __init__(self, articles: int, rng: random.Random) -> None:
        self.names = _Names(rng)
        count = max(3, math.ceil(articles / ARTICLES_PER_REGION))
        self.hub = _Org(("Custody Watch International", "CWI"), "NGO", "activist",
                        description="International monitor of conditions in places of detention.")
        self.hub_researcher = self.names.official()
        self.regions = [self._region(i, rng) for i in range(count)]

    def _region(self, index: int, rng: random.Random) -> _Region:
        country, adj = self.names.country()
        cities = [self.names.city() for _ in range(rng.randint(3, 5))]
        capital = cities[0]
        fill = {"country": country, "adj": adj, "capital": capital}
        ngo_name = rng.choice(_NGO_FORMS).format(**fill)
        lawyers_name = rng.choice(_LAWYER_FORMS).format(**fill)
        paper_name = f"The {capital} {rng.choice(_PAPER_NOUNS)}"
        return _Region(
            index=index, country=country, adj=adj, cities=cities,
            ministry=_Org((f"{adj} Interior Ministry", f"Interior Ministry of {country}"), "GovernmentBody", "official"),
            minister=self.names.official(),
            spokes=self.names.official(),
            prosecutor_office=_Org((f"Prosecutor General’s Office of {country}", f"{adj} Prosecutor General’s Office"),
                                   "GovernmentBody", "official"),
            prosecutor=self.names.official(),
            prisons=_Org((f"{adj} Penitentiary Service", f"Penitentiary Service of {country}"), "GovernmentBody",
                         "official"),
            police=_Org((f"{adj} National Police", f"National Police of {country}"), "GovernmentBody", "perpetrator",
                        collective=True),
            ngo=_Org((ngo_name,), "NGO", "activist", description=f"Rights group that documents detentions in {country}."),
            director=self.names.official(),
            lawyers=_Org((lawyers_name,), "NGO", "activist"),
            lawyer=self.names.official(),
            paper=_Org((paper_name,), "MediaOutlet", "journalist"),
            editor=self.names.official(),
            state_tv=_Org((f"{adj} State Television",), "MediaOutlet", "journalist"),
            topic=f"Treatment of detainees by {adj} police",
        )


# --- one story being written ------------------------------------------------------------------


@dataclass
class _Actor:
    handle: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    collective: bool = False
    sensitive: bool = False
    description: str | None = None


@dataclass
class _Event:
    handle: str
    type: str
    label: str
    span: tuple[int, int]
    key: str | None = None
    participants: list[tuple[str, str]] = field(default_factory=list)
    place: str | None = None
    time: str | None = None
    time_start: str | None = None
    count: int | None = None
    count_text: str | None = None


@dataclass
class _Statement:
    handle: str
    speaker: str
    span: tuple[int, int]
    kind: str
    stance: str
    speaker_role: str | None
    about: list[str]
    date: str | None = None
    cue: str | None = None


@dataclass
class _Story:
    title: str
    publisher: str
    published: str
    parts: list[str] = field(default_factory=list)
    pos: int = 0
    actors: dict[str, _Actor] = field(default_factory=dict)
    places: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    topics: dict[str, str] = field(default_factory=dict)
    events: list[_Event] = field(default_factory=list)
    statements: list[_Statement] = field(default_factory=list)
    relations: list[tuple[str, str, str, tuple[int, int]]] = field(default_factory=list)
    contradictions: list[tuple[str, str, str, str]] = field(default_factory=list)

    def w(self, text: str) -> None:
        self.parts.append(text)
        self.pos += len(text)

    def q(self, text: str) -> tuple[int, int]:
        """Write words that a case-file field quotes; returns their span."""
        start = self.pos
        self.w(text)
        return (start, self.pos)

    def quoted(self, sentence: str) -> tuple[int, int]:
        """Write “sentence,” before an attribution: the full stop becomes the comma outside
        the words (as the gold files quote them); returns the span of the words."""
        self.w("“")
        if sentence.endswith("."):
            span = self.q(sentence[:-1])
            self.w(",”")
        else:
            span = self.q(sentence)
            self.w("”")
        return span

    def span_since(self, start: int) -> tuple[int, int]:
        return (start, self.pos)

    def para(self) -> None:
        self.w("\n\n")

    def statement(self, speaker: str, span: tuple[int, int], kind: str, stance: str, role: str | None,
                  about: list[str], *, date: str | None = None, cue: str | None = None) -> str:
        handle = f"s{len(self.statements) + 1}"
        self.statements.append(_Statement(handle, speaker, span, kind, stance, role, about, date, cue))
        return handle

    def event(self, handle: str, type_: str, label: str, span: tuple[int, int], **kw) -> str:
        self.events.append(_Event(handle, type_, label, span, **kw))
        return handle


@dataclass
class _Incident:
    number: int
    region: _Region
    scenario: str
    city: str
    site: str
    date: _dt.date
    key: str
    n_ngo: int
    n_official: int
    injured: int
    survivor: _Person
    survivor_age: int
    occupation: str
    cause: str
    extra: dict
    reports: int = 0


_CAUSES = ["pension cuts", "a new fuel tax", "the postponement of local elections", "rising bread prices",
           "a ban on independent trade unions", "the closure of the city shipyard", "a planned dam on the river",
           "water shortages in the suburbs", "a new law on foreign-funded groups", "the arrest of a local mayor"]
_OCCUPATIONS = ["engineering student", "schoolteacher", "taxi driver", "nurse", "warehouse worker",
                "software developer", "bakery owner", "bus mechanic", "history student", "pharmacist"]
_GROUPS = ["independent trade unionists", "members of a banned opposition party", "environmental campaigners",
           "followers of a small religious community", "supporters of a jailed blogger",
           "residents opposed to a mining project"]
_SITES = ["Liberty Square", "Station Square", "the Old Market", "Unity Park", "Republic Avenue", "the river embankment",
          "Cathedral Square", "the university campus"]
_PRISONS = ["Pre-trial Detention Centre No. {n}", "Penal Colony No. {n}", "the {city} Remand Prison"]

_DENIALS = [
    "No one was injured during the operation, and no complaints about the conduct of officers have been received.",
    "Our officers acted strictly within the law and used no force against anyone.",
    "Nobody was beaten. Every person was treated with respect and released after the checks.",
    "The police did not use violence against any of the participants.",
    "These stories of beatings are a fabrication spread by people who want to destabilise the country.",
    "There was no mistreatment in our stations, and there will be none.",
]
_TESTIMONIES = [
    "They kept asking who paid us to come. When I said nobody, one of them hit me with a baton across the back.",
    "I was kicked on the floor of the bus until I stopped answering their questions.",
    "They made us stand facing the wall all night and hit anyone who turned around.",
    "An officer pressed my head against the radiator and said nobody would ever find me.",
    "I could hear other people screaming in the corridor the whole night.",
    "They put a bag over my head and beat me on the legs with a plastic bottle full of water.",
]
_ACCUSATIONS = [
    "What we documented is not crowd control. It is punishment carried out behind closed doors.",
    "Every account we collected describes the same pattern of beatings in police vans.",
    "People were held for hours without water, without lawyers and without any record of their arrest.",
    "The authorities are counting only the people they chose to register. We are counting everyone.",
    "This is the largest wave of arrests we have recorded since we began our work.",
]
_MINISTER_LINES = [
    "The police acted within the law to protect public order.",
    "Nobody in this country is detained for their views.",
    "We will not allow foreign-funded groups to spread lies about our officers.",
    "The law applies to everyone, and everyone who was held has been treated according to the law.",
]
_EXISTENCE_DENIALS = [
    "There were no detentions in {city} that night.",
    "No operation of any kind took place in {city} on {weekday}.",
    "Nobody has been detained because of who they are or what they believe.",
]
_RELATIVE_TESTIMONIES = [
    "{His} face was covered in bruises when they finally showed us the body.",
    "{He} told me on the phone that the guards had beaten {him}, and two days later {he} was dead.",
    "When we saw {him}, {his} wrists were cut from handcuffs and two of {his} ribs were broken.",
]
_OFFICIAL_CAUSES = [
    "died of heart failure",
    "died of an illness {he} had before {his} arrest",
    "died after a fall in {his} cell",
]


def _pronouns(person: "_Person") -> dict[str, str]:
    return {"he": person.he, "He": person.he.capitalize(), "his": person.his, "His": person.his.capitalize(),
            "him": person.him}


def _date_text(date: _dt.date) -> str:
    return f"{_MONTHS[date.month - 1]} {date.day}"


def _count_word(n: int) -> str:
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


class _Writer:
    """Writes one story of one incident. All choices come from its own seeded generator."""

    def __init__(self, world: _World, incident: _Incident, rng: random.Random, publisher: str,
                 published: _dt.date, follow_up: bool) -> None:
        self.world = world
        self.inc = incident
        self.r = incident.region
        self.rng = rng
        self.follow_up = follow_up
        self.published = published
        self.story = _Story(title="", publisher=publisher, published=published.isoformat())
        self.forms: dict[_Person, str] = {}

    # --- cast ---------------------------------------------------------------------------------

    def person(self, handle: str, person: _Person, role: str, *, kind: str = "official",
               sensitive: bool = False, surname_alias: bool = True, description: str | None = None,
               roles: tuple[str, ...] | None = None) -> str:
        """Add a person; officials get one of their name forms, with the surname as alias."""
        story = self.story
        if handle not in story.actors:
            if kind == "official":
                form = self.rng.choice(person.forms())
            else:
                form = person.full
            self.forms[person] = form
            story.actors[handle] = _Actor(
                handle, form, "Person", aliases=(person.last,) if surname_alias else (),
                roles=roles or (role,), sensitive=sensitive, description=description,
            )
        return handle

    def org(self, handle: str, org: _Org, *, roles: tuple[str, ...] | None = None) -> str:
        story = self.story
        if handle not in story.actors:
            names = list(org.names)
            if len(names) > 1 and self.rng.random() < 0.4:
                names[0], names[1] = names[1], names[0]  # the other form as the name this time
            story.actors[handle] = _Actor(handle, names[0], org.type, aliases=tuple(names[1:]),
                                          roles=roles or (org.role,), collective=org.collective,
                                          description=org.description)
        return handle

    def name(self, person: _Person) -> str:
        return self.forms[person]

    def place(self, handle: str, name: str, aliases: tuple[str, ...] = ()) -> str:
        self.story.places.setdefault(handle, (name, aliases))
        return handle

    def topic(self) -> str:
        self.story.topics.setdefault("t-treatment", self.r.topic)
        return "t-treatment"

    # --- shared paragraphs --------------------------------------------------------------------

    def dateline(self) -> None:
        s = self.story
        s.w(f"{self.inc.city.upper()}, {self.r.country}, {_date_text(self.published)} ({s.publisher}) — ")

    def weekday(self, date: _dt.date) -> str:
        return _WEEKDAYS[date.weekday()]

    def minister_paragraph(self, about: list[str]) -> str:
        s, r, rng = self.story, self.r, self.rng
        m = self.person("a-minister", r.minister, "official", roles=("official", "leader"))
        ministry = self.org("a-ministry", r.ministry)
        s.para()
        title_span = s.pos
        s.w("Interior Minister ")
        s.w(self.name(r.minister))
        title_span = s.span_since(title_span)
        s.relations.append((m, "leader_of", ministry, title_span))
        line = rng.choice(_MINISTER_LINES)
        if rng.random() < 0.5:
            s.w(f" told state television on {self.weekday(self.published)} that ")
            start = s.pos
            s.w("the police had acted “within the law”")
            first = s.statement(m, s.span_since(start), "indirect", "denial", "official", about, cue="told")
            s.w(". ")
            second = s.statement(m, s.quoted(line), "direct", "denial", "official", about, cue="the minister said")
            s.w(" the minister said, adding that " + r.minister.he + " would not comment further.")
        else:
            s.w(" dismissed the accounts. ")
            first = s.statement(m, s.quoted(line), "direct", "denial", "official", about, cue="dismissed the accounts")
            s.w(f" {r.minister.last} said. ")
            s.w(f"{r.minister.he.capitalize()} added that ")
            start = s.pos
            s.w("the ministry would not be “lectured by people who were not there”")
            second = s.statement(m, s.span_since(start), "indirect", "denial", "official", about,
                                 cue=f"{r.minister.he} added")
            s.w(".")
        return first if rng.random() < 0.5 else second

    def hub_paragraph(self, about: list[str]) -> None:
        s = self.story
        hub = self.org("a-hub", self.world.hub)
        researcher = self.person("a-hub-researcher", self.world.hub_researcher, "activist")
        s.para()
        s.w("The Custody Watch International monitoring group said ")
        start = s.pos
        cases = 3 + self.rng.randrange(40)
        s.w(f"it had recorded {cases} similar cases in {self.r.country} so far this year")
        s.statement(hub, s.span_since(start), "indirect", "affirmation", "activist", about, cue="said")
        s.w(". ")
        s.statement(researcher, s.quoted("The pattern is always the same: a crackdown, a denial, and no investigation."),
                    "direct", "accusation", "activist", about, cue="said")
        s.w(" said ")
        rel = s.q(f"{self.name(self.world.hub_researcher)}, a researcher for the group")
        s.relations.append((researcher, "member_of", hub, rel))
        s.w(".")

    def media_paragraph(self, about: list[str]) -> None:
        s, r = self.story, self.r
        tv = self.org("a-state-tv", r.state_tv)
        s.para()
        s.w(f"{r.adj} State Television reported that ")
        line = self.rng.choice([
            "order had been restored within an hour and that the organisers had been paid from abroad",
            "the city was calm and that reports of violence had been invented by foreign media",
            "police had prevented a provocation planned by radical groups",
        ])
        s.statement(tv, s.q(line), "indirect", "denial", "journalist", about, cue="reported that")
        s.w(".")

    def prosecutor_paragraph(self, about: list[str]) -> str:
        s, r = self.story, self.r
        p = self.person("a-prosecutor", r.prosecutor, "official")
        office = self.org("a-prosecutor-office", r.prosecutor_office)
        s.para()
        rel = s.q(f"{self.name(r.prosecutor)} of the Prosecutor General’s Office")
        s.relations.append((p, "member_of", office, rel))
        s.w(" said no criminal case had been opened because “")
        handle = s.statement(p, s.q("there is no evidence that any detainee was mistreated"), "direct", "denial",
                             "official", about, cue="said")
        s.w(".” " + r.prosecutor.he.capitalize() + " declined to comment on the complaints.")
        return handle

    # --- scenarios ----------------------------------------------------------------------------

    def write(self) -> _Story:
        getattr(self, "_" + self.inc.scenario)()
        self.story.w("\n")
        return self.story

    def _title(self, options: list[str]) -> None:
        self.story.title = self.rng.choice(options)
        self.story.w(self.story.title)
        self.story.para()

    def _protest(self) -> None:
        s, r, inc, rng = self.story, self.r, self.inc, self.rng
        ngo_short = r.ngo.names[0]
        n_ngo = inc.n_ngo + (rng.randrange(1, 30) if self.follow_up else 0)
        self._title([
            f"Rights group says {n_ngo} held after {inc.city} protest; ministry disputes count",
            f"Police break up {inc.city} protest against {inc.cause}; rights group alleges beatings",
            f"{r.country}: detainees describe beatings after {inc.city} protest",
        ] if not self.follow_up else [
            f"{inc.city} detainees still waiting for answers, rights group says",
            f"Count of people held after {inc.city} protest rises to {n_ngo}",
        ])
        city = self.place("p-city", inc.city)
        site_name = inc.site.removeprefix("the ")
        site = self.place("p-site", f"{site_name[0].upper()}{site_name[1:]}, {inc.city}", (site_name,))
        ngo = self.org("a-ngo", r.ngo)
        police = self.org("a-police", r.police)
        protesters = self.org("a-protesters", _Org((f"Protesters in {inc.city}",), "Person", "victim", collective=True))
        day = self.weekday(inc.date)
        self.dateline()
        detained = s.pos
        s.w(f"Police detained at least {n_ngo} people")
        detained = s.span_since(detained)
        s.w(" when they broke up ")
        protest = s.q(f"a demonstration against {inc.cause}")
        s.w(f" on {inc.site} on {day}")
        claim = (detained[0], s.pos)
        e_protest = s.event("e-protest", "protest", f"Demonstration against {inc.cause} in {inc.city}", protest,
                            key=inc.key + "-protest", participants=[(protesters, "agent")], place=site,
                            time=day, time_start=inc.date.isoformat())
        e_detained = s.event("e-detentions", "detention", f"Detention of protesters in {inc.city}", detained,
                             key=inc.key + "-detentions",
                             participants=[(police, "perpetrator"), (protesters, "victim")], place=city,
                             time=day, time_start=inc.date.isoformat(), count=n_ngo,
                             count_text=f"at least {n_ngo} people")
        s.w(f", the {ngo_short} said on {self.weekday(self.published)}, adding that ")
        beaten = s.q("officers had beaten protesters in custody")
        e_beaten = s.event("e-beatings", "assault", f"Beating of detained protesters in {inc.city}", beaten,
                           key=inc.key + "-beatings", participants=[(police, "perpetrator"), (protesters, "victim")],
                           place=city, time_start=inc.date.isoformat())
        s_count = s.statement(ngo, claim, "indirect", "accusation", "activist", [e_detained, e_protest],
                              date=self.published.isoformat(), cue="said")
        s_beaten = s.statement(ngo, beaten, "indirect", "accusation", "activist", [e_beaten], cue="adding that")
        s.w(". ")
        ministry = self.org("a-ministry", r.ministry)
        s.w("The Interior Ministry called the figure “")
        s_fabrication = s.statement(ministry, s.q("a fabrication"), "direct", "denial", "official", [e_detained],
                                    cue="called the figure")
        s.w(".”")

        # the rights group, then its director
        director = self.person("a-director", r.director, "activist", roles=("activist", "leader"))
        s.para()
        s.w(f"The group, which has tracked protest arrests in {r.country} since {2005 + r.index % 12}, said ")
        injured = s.q(f"{_count_word(inc.injured)} of those detained had needed hospital treatment")
        s.statement(ngo, injured, "indirect", "accusation", "activist", [e_beaten], cue="the group said")
        s.w(".")
        s.para()
        accusation = s.quoted(rng.choice(_ACCUSATIONS))
        s.statement(director, accusation, "direct", "accusation", "activist", [e_beaten, e_detained], cue="said")
        s.w(" said ")
        rel = s.q(f"{self.name(r.director)}, the group’s director")
        s.relations.append((director, "leader_of", ngo, rel))
        s.w(". ")
        hours = 6 + rng.randrange(30)
        s.statement(director, s.quoted(f"Those who were detained were denied lawyers for up to {hours} hours."),
                    "direct", "accusation", "activist", [e_detained], cue=f"{r.director.he} added")
        s.w(f" {r.director.he} added.")

        # the ministry's spokesperson
        spokes = self.person("a-spokes", r.spokes, "spokesperson", roles=("spokesperson", "official"))
        word = "spokesman" if r.spokes.gender == "m" else "spokeswoman"
        s.para()
        rel = s.q(f"{self.name(r.spokes)}, a {word} for the Interior Ministry")
        s.relations.append((spokes, "spokesperson_for", ministry, rel))
        s.w(", said ")
        official = s.q(f"{inc.n_official} people had been “briefly held to establish their identity”")
        s_official = s.statement(spokes, official, "indirect", "denial", "spokesperson", [e_detained], cue="said")
        s.w(" and that all had been released by the next morning.")
        s.para()
        denial = s.quoted(rng.choice(_DENIALS))
        s_denial = s.statement(spokes, denial, "direct", "denial", "spokesperson", [e_beaten, police],
                               cue=f"{r.spokes.he} told")
        s.w(f" {r.spokes.he} told {s.publisher} on {self.weekday(self.published)}.")

        # a survivor
        surv = inc.survivor
        sensitive = rng.random() < 0.6
        survivor = self.person("a-survivor", surv, "survivor", kind="survivor", sensitive=sensitive,
                               surname_alias=False, roles=("survivor", "victim"),
                               description=f"A {inc.survivor_age}-year-old {inc.occupation} detained in {inc.city}.")
        for event in (e_detained, e_beaten):
            next(e for e in s.events if e.handle == event).participants.append((survivor, "victim"))
        s.para()
        if sensitive:
            s.w(f"One of those detained, a {inc.survivor_age}-year-old {inc.occupation} who asked to be identified "
                f"only by {surv.his} first name, {surv.first}, for fear of reprisals, said ")
        else:
            s.w(f"{surv.full}, a {inc.survivor_age}-year-old {inc.occupation} who was among those detained, said ")
        testimony_i = s.q(f"officers had dragged {surv.him} from the square into a bus and punched {surv.him} "
                          f"repeatedly in the stomach")
        s_testimony_i = s.statement(survivor, testimony_i, "indirect", "testimony", "survivor", [e_beaten, police],
                                    cue="said")
        s.w(".")
        s.para()
        testimony = s.quoted(rng.choice(_TESTIMONIES))
        s_testimony = s.statement(survivor, testimony, "direct", "testimony", "survivor", [e_beaten],
                                  cue=f"the {inc.survivor_age}-year-old said")
        s.w(f" the {inc.survivor_age}-year-old said.")

        s_prosecutor = self.prosecutor_paragraph([e_beaten]) if rng.random() < 0.6 else None
        s_minister = self.minister_paragraph([e_beaten, e_detained, self.topic()]) if rng.random() < 0.7 else None
        if rng.random() < 0.4:
            self.media_paragraph([e_protest])
        if inc.extra.get("hub"):
            self.hub_paragraph([e_detained, self.topic()])
        s.para()
        s.w(f"The {ngo_short} said the arrests brought to more than {n_ngo * 4 + 37} the number of people detained "
            f"at protests in {r.country} since {_MONTHS[(inc.date.month + 9) % 12]}.")

        ngo_name = s.actors[ngo].name
        s.contradictions.append((s_count, s_official, "numeric",
                                 f"The {ngo_name} counts at least {n_ngo} people detained; the ministry says "
                                 f"{inc.n_official} were briefly held."))
        s.contradictions.append((s_denial, s_testimony, "polarity",
                                 "The ministry says nobody was hurt in custody; a detainee describes being beaten."))
        s.contradictions.append((s_fabrication, s_count, "polarity",
                                 "The ministry calls the rights group's count a fabrication."))
        if s_prosecutor:
            s.contradictions.append((s_prosecutor, s_testimony_i, "polarity",
                                     "The prosecutor sees no evidence of mistreatment; a detainee testifies to it."))
        if s_minister:
            s.contradictions.append((s_minister, s_beaten, "polarity",
                                     "The minister says the police acted lawfully; the rights group reports beatings."))

    def _raid(self) -> None:
        s, r, inc, rng = self.story, self.r, self.inc, self.rng
        group = inc.extra["group"]
        district = inc.extra["district"]
        self._title([
            f"Security forces round up {group} in {inc.city}, rights group says",
            f"{r.country} denies raids on {group} despite survivors’ accounts",
        ] if not self.follow_up else [
            f"More accounts emerge of {inc.city} raids on {group}",
        ])
        city = self.place("p-city", inc.city)
        ngo = self.org("a-ngo", r.ngo)
        police = self.org("a-police", r.police)
        victims = self.org("a-victims", _Org((f"{group[0].upper()}{group[1:]} in {r.country}",), "Person", "victim",
                                             collective=True))
        self.dateline()
        start = s.pos
        s.w("Security forces raided ")
        s.w(f"{inc.n_ngo} homes in the {district} district of {inc.city}")
        s.w(f" overnight and detained {group}")
        raid_span = s.span_since(start)
        e_raid = s.event("e-raid", "detention", f"Raids on {group} in {inc.city}", raid_span,
                         key=inc.key + "-raids", participants=[(police, "perpetrator"), (victims, "victim")],
                         place=city, time=self.weekday(inc.date), time_start=inc.date.isoformat(),
                         count=inc.n_ngo, count_text=f"{inc.n_ngo} homes")
        s.w(", the ")
        s.w(r.ngo.names[0])
        s.w(" said in a report published on ")
        s.w(f"{self.weekday(self.published)}.")
        s_raid = s.statement(ngo, raid_span, "indirect", "accusation", "activist", [e_raid],
                             date=self.published.isoformat(), cue="said in a report")
        s.para()
        s.w("The group said ")
        torture = s.q(f"at least {inc.injured + 2} of the men and women held had been tortured with electric shocks "
                      f"to force them to name others")
        e_torture = s.event("e-torture", "torture", f"Torture of detained {group} in {inc.city}", torture,
                            key=inc.key + "-torture", participants=[(police, "perpetrator"), (victims, "victim")],
                            place=city, count=inc.injured + 2, count_text=f"at least {inc.injured + 2}")
        s_torture = s.statement(ngo, torture, "indirect", "accusation", "activist", [e_torture], cue="the group said")
        s.w(". It called the raids part of ")
        campaign = s.q(f"a campaign against {group} that began in {inc.date.year - 1}")
        e_campaign = s.event("e-campaign", "persecution_campaign", f"Campaign against {group} in {r.country}",
                             campaign, key=f"{_slug(r.country)}-{_slug(group)}-campaign",
                             participants=[(police, "perpetrator"), (victims, "victim")],
                             time_start=str(inc.date.year - 1))
        s.statement(ngo, campaign, "indirect", "accusation", "activist", [e_campaign], cue="called the raids")
        s.w(".")

        surv = inc.survivor
        survivor = self.person("a-survivor", surv, "survivor", kind="survivor", sensitive=True, surname_alias=False,
                               roles=("survivor", "victim"),
                               description=f"A {inc.survivor_age}-year-old {inc.occupation}, detained in the raids.")
        e = next(e for e in s.events if e.handle == e_torture)
        e.participants.append((survivor, "victim"))
        s.para()
        s.w(f"A {inc.survivor_age}-year-old {inc.occupation} who was released after {inc.extra['days']} days "
            f"described being held in a basement. ")
        s_test = s.statement(survivor, s.quoted(rng.choice(_TESTIMONIES)), "direct", "testimony", "survivor",
                             [e_torture], cue=f"{surv.he} said")
        s.w(f" {surv.he} said, speaking on condition of anonymity. ")
        s.statement(survivor, s.quoted("They wanted names. Every name I gave them, they wrote down."), "direct",
                    "testimony", "survivor", [e_torture, e_raid], cue=f"{surv.he} added")
        s.w(f" {surv.he} added.")

        spokes = self.person("a-spokes", r.spokes, "spokesperson", roles=("spokesperson", "official"))
        ministry = self.org("a-ministry", r.ministry)
        word = "spokesman" if r.spokes.gender == "m" else "spokeswoman"
        s.para()
        s.w("The Interior Ministry denied that any raids had taken place. ")
        text = rng.choice(_EXISTENCE_DENIALS).format(city=inc.city, weekday=self.weekday(inc.date))
        s_exist = s.statement(spokes, s.quoted(text), "direct", "denial", "spokesperson", [e_raid], cue="said")
        s.w(" said ")
        rel = s.q(f"{self.name(r.spokes)}, the ministry’s {word}")
        s.relations.append((spokes, "spokesperson_for", ministry, rel))
        s.w(". " + r.spokes.he.capitalize() + " said ")
        s_checks = s.statement(spokes, s.q(f"only {inc.n_official} people had been “invited for a conversation”"),
                               "indirect", "denial", "spokesperson", [e_raid], cue=f"{r.spokes.he} said")
        s.w(" and that none had been harmed.")

        s_min = self.minister_paragraph([e_campaign, victims, self.topic()]) if rng.random() < 0.6 else None
        if rng.random() < 0.5:
            lawyers = self.org("a-lawyers", r.lawyers)
            lawyer = self.person("a-lawyer", r.lawyer, "activist")
            s.para()
            rel = s.q(f"{self.name(r.lawyer)}, a lawyer with the {r.lawyers.names[0]}")
            s.relations.append((lawyer, "member_of", lawyers, rel))
            s.w(", said ")
            s.statement(lawyer, s.q(f"{_count_word(min(inc.injured, 10))} clients had shown {r.lawyer.his} "
                                    f"colleagues marks of beatings"),
                        "indirect", "accusation", "activist", [e_torture], cue="said")
            s.w(f". The group said it would file complaints with the prosecutor’s office, {r.lawyer.last} added.")
        if inc.extra.get("hub"):
            self.hub_paragraph([e_raid, self.topic()])

        s.contradictions.append((s_exist, s_raid, "existence",
                                 "The ministry says no raids took place; the rights group documents them."))
        s.contradictions.append((s_checks, s_raid, "numeric",
                                 f"The ministry speaks of {inc.n_official} people questioned; the group of "
                                 f"{inc.n_ngo} homes raided."))
        s.contradictions.append((s_exist, s_test, "polarity",
                                 "A survivor describes the detention the ministry says never happened."))
        if s_min:
            s.contradictions.append((s_min, s_torture, "polarity",
                                     "The minister denies persecution; the group reports torture in detention."))

    def _custody_death(self) -> None:
        s, r, inc, rng = self.story, self.r, self.inc, self.rng
        dead = inc.survivor  # the person who died, named by the family
        prison = inc.extra["prison"]
        self._title([
            f"Family of {'man' if dead.gender == 'm' else 'woman'} who died in {prison} says {dead.he} was beaten",
            f"{r.country}: death in custody of {inc.occupation} prompts calls for inquiry",
        ] if not self.follow_up else [
            f"Rights groups demand inquiry into death of {dead.full}",
        ])
        city = self.place("p-city", inc.city)
        prison_place = self.place("p-prison", f"{prison}, {inc.city}" if "Remand" not in prison else prison,
                                  (prison,) if "Remand" not in prison else ())
        prisons = self.org("a-prisons", r.prisons)
        victim = self.person("a-dead", dead, "victim", kind="survivor", surname_alias=False, roles=("victim",),
                             description=f"A {inc.survivor_age}-year-old {inc.occupation} who died in custody.")
        relative = self.person("a-relative", inc.extra["relative"], "relative", kind="survivor",
                               surname_alias=False, roles=("relative", "witness"))
        ngo = self.org("a-ngo", r.ngo)
        self.dateline()
        death = s.q(f"{dead.full}, a {inc.survivor_age}-year-old {inc.occupation}, died in {prison}")
        s.w(f" on {self.weekday(inc.date)}, {inc.extra['days']} days after ")
        arrest = s.q(f"{dead.he} was arrested at a protest in {inc.city}")
        e_death = s.event("e-death", "killing", f"Death of {dead.full} in {prison}", death, key=inc.key + "-death",
                          participants=[(victim, "victim"), (prisons, "perpetrator")], place=prison_place,
                          time=self.weekday(inc.date), time_start=inc.date.isoformat())
        s.event("e-arrest", "detention", f"Arrest of {dead.full} in {inc.city}", arrest,
                key=inc.key + "-arrest", participants=[(victim, "victim")], place=city,
                time_start=(inc.date - _dt.timedelta(days=inc.extra["days"])).isoformat())
        s.w(f". The {r.adj} Penitentiary Service said ")
        cause = rng.choice(_OFFICIAL_CAUSES).format(**_pronouns(dead))
        s_cause = s.statement(prisons, s.q(f"{dead.he} {cause}"), "indirect", "denial", "official", [e_death], cue="said")
        s.w(".")
        s.para()
        rel_word = inc.extra["relation"]
        relative_person = inc.extra["relative"]
        rel = s.q(f"{dead.his.capitalize()} {rel_word}, {relative_person.full}")
        s.relations.append((relative, "family_of", victim, rel))
        s.w(", said the family did not believe it. ")
        line = rng.choice(_RELATIVE_TESTIMONIES).format(**_pronouns(dead))
        s_family = s.statement(relative, s.quoted(line), "direct", "testimony", "relative", [e_death],
                               cue=f"{relative_person.he} told")
        s.w(f" {relative_person.he} told {s.publisher}.")
        s.para()
        s.w("The ")
        s.w(r.ngo.names[0])
        s.w(" said ")
        count = s.q(f"at least {inc.n_ngo} people had died in custody in {r.country} this year")
        s_count = s.statement(ngo, count, "indirect", "accusation", "activist", [e_death, prisons], cue="said")
        s.w(f", while the {r.adj} Penitentiary Service has reported ")
        s_official = s.statement(prisons, s.q(f"{inc.n_official} deaths"), "indirect", "other", "official",
                                 [e_death], cue="has reported")
        s.w(".")
        s_min = self.minister_paragraph([e_death, self.topic()]) if rng.random() < 0.5 else None
        if rng.random() < 0.5:
            self.prosecutor_paragraph([e_death])
        if inc.extra.get("hub"):
            self.hub_paragraph([e_death, self.topic()])
        s.contradictions.append((s_cause, s_family, "responsibility",
                                 "The prison service gives a natural cause of death; the family says he was beaten."))
        s.contradictions.append((s_count, s_official, "numeric",
                                 f"The rights group counts at least {inc.n_ngo} deaths in custody this year; the "
                                 f"service reports {inc.n_official}."))
        if s_min:
            s.contradictions.append((s_min, s_family, "polarity",
                                     "The minister defends the police; the family describes a beating."))

    def _missing_journalist(self) -> None:
        s, r, inc, rng = self.story, self.r, self.inc, self.rng
        reporter = inc.survivor
        paper = r.paper.names[0]
        self._title([
            f"{paper} reporter missing after men in plain clothes take {reporter.him} from street",
            f"{r.country} says it is not holding missing journalist {reporter.full}",
        ] if not self.follow_up else [
            f"Still no word on {reporter.full}, {paper} says",
        ])
        city = self.place("p-city", inc.city)
        outlet = self.org("a-paper", r.paper)
        journalist = self.person("a-journalist", reporter, "journalist", kind="survivor", surname_alias=False,
                                 roles=("journalist", "victim"),
                                 description=f"Reporter for {paper}.")
        editor = self.person("a-editor", r.editor, "journalist", roles=("journalist", "leader"))
        unknown = self.org("a-plainclothes", _Org((f"Men in plain clothes in {inc.city}",), "Person", "perpetrator",
                                                  collective=True))
        self.dateline()
        s.w(f"{reporter.full}, a reporter for {paper} who covered ")
        s.w(f"{inc.cause}, ")
        taken = s.q(f"was forced into a car by {inc.extra['men']} men in plain clothes outside {reporter.his} home")
        s.w(f" on {self.weekday(inc.date)}, ")
        e_taken = s.event("e-kidnapping", "kidnapping", f"Abduction of journalist {reporter.full} in {inc.city}",
                          taken, key=inc.key + "-abduction",
                          participants=[(journalist, "victim"), (unknown, "perpetrator")], place=city,
                          time=self.weekday(inc.date), time_start=inc.date.isoformat(), count=inc.extra["men"],
                          count_text=f"{inc.extra['men']} men")
        s.w("the newspaper said.")
        s_paper = s.statement(outlet, taken, "indirect", "accusation", "journalist", [e_taken], cue="the newspaper said")
        s.para()
        s_editor = s.statement(editor, s.quoted("We know who takes people from the street like this in our country."),
                               "direct", "accusation", "journalist", [e_taken, unknown], cue="said")
        s.w(" said ")
        rel = s.q(f"{self.name(r.editor)}, the newspaper’s editor")
        s.relations.append((editor, "leader_of", outlet, rel))
        s.w(". ")
        s.statement(editor, s.quoted(f"{reporter.first} had been followed for weeks, and we reported it to the police."),
                    "direct", "testimony", "journalist", [e_taken], cue=f"{r.editor.he} said")
        s.w(f" {r.editor.he} said.")
        witness = self.person("a-witness", inc.extra["witness"], "witness", kind="survivor", sensitive=True,
                              surname_alias=False, roles=("witness",))
        s.para()
        s.w("A neighbour who saw the car said ")
        s_witness = s.statement(witness, s.q("one of the men showed a police badge before pushing the reporter inside"),
                                "indirect", "testimony", "witness", [e_taken], cue="said")
        s.w(".")
        spokes = self.person("a-spokes", r.spokes, "spokesperson", roles=("spokesperson", "official"))
        ministry = self.org("a-ministry", r.ministry)
        s.para()
        rel = s.q(f"{self.name(r.spokes)}, who speaks for the Interior Ministry")
        s.relations.append((spokes, "spokesperson_for", ministry, rel))
        s.w(", said “")
        s_denial = s.statement(spokes, s.q(f"{reporter.full} is not being held by any state body"), "direct",
                               "denial", "spokesperson", [e_taken, journalist], cue="said")
        s.w("” and that police had opened a missing-person inquiry.")
        if rng.random() < 0.5:
            self.media_paragraph([e_taken])
        if inc.extra.get("hub"):
            self.hub_paragraph([e_taken, self.topic()])
        s.contradictions.append((s_denial, s_witness, "responsibility",
                                 "The ministry says no state body holds the reporter; a witness saw a police badge."))
        s.contradictions.append((s_denial, s_editor, "responsibility",
                                 "The editor blames the state for the abduction the ministry disowns."))
        s.contradictions.append((s_denial, s_paper, "polarity",
                                 "The newspaper reports an abduction; the ministry denies holding the reporter."))


_SCENARIOS = ("protest", "raid", "custody_death", "missing_journalist")
_SCENARIO_WEIGHTS = (5, 3, 2, 2)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-").replace("--", "-")


# --- rendering ------------------------------------------------------------------------------------


_QUOTE_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'",
                             "\u201c": '"', "\u201d": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"'})


def _fold_quotes(text: str) -> str:
    """What casefile._quote_form does (one character for one), faster for text with few marks."""
    for mark, plain in _QUOTE_PAIRS:
        if mark in text:
            text = text.replace(mark, plain)
    return text


_QUOTE_PAIRS = tuple((chr(k), v) for k, v in _QUOTE_FOLD.items())


def _y(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    if '"' in value or "\\" in value or not value.isprintable():
        return json.dumps(value, ensure_ascii=False)
    return f'"{value}"'


def _ylist(values) -> str:
    return "[" + ", ".join(_y(v) for v in values) + "]"


def _occurrence(folded: str, needle: str, start: int) -> int | None:
    """Which occurrence of needle (in the loader's non-overlapping scan) starts at start; None if the only one."""
    count = folded.count(needle)
    if count == 1:
        return None
    k, pos = 1, folded.find(needle)
    while pos != -1 and pos < start:
        pos = folded.find(needle, pos + len(needle))
        k += 1
    if pos != start:
        raise AssertionError(f"quote {needle!r} cannot be located at {start}")
    return k


def _render(story: _Story, text: str) -> str:
    folded = _fold_quotes(text)
    out: list[str] = []
    w = out.append

    def quote(field_name: str, span: tuple[int, int], indent: str) -> None:
        words = text[span[0]:span[1]]
        w(f"{indent}{field_name}: {_y(words)}\n")
        occ = _occurrence(folded, folded[span[0]:span[1]], span[0])
        if occ is not None:
            w(f"{indent}occurrence: {occ}\n")

    w("# Generated by kg generate (synthetic, invented names). Gold case file for article.txt.\n")
    w("article:\n")
    w(f"  title: {_y(story.title)}\n")
    w(f"  publisher: {_y(story.publisher)}\n")
    w(f"  published: \"{story.published}\"\n")
    w("  language: en\n")
    w("  text_file: article.txt\n")
    w("actors:\n")
    for a in story.actors.values():
        w(f"  - id: {a.handle}\n    name: {_y(a.name)}\n    type: {a.type}\n")
        if a.aliases:
            w(f"    aliases: {_ylist(a.aliases)}\n")
        w(f"    roles: [{', '.join(a.roles)}]\n")
        if a.collective:
            w("    collective: true\n")
        if a.sensitive:
            w("    sensitive: true\n")
        if a.description:
            w(f"    description: {_y(a.description)}\n")
    if story.places:
        w("places:\n")
        for handle, (name, aliases) in story.places.items():
            w(f"  - id: {handle}\n    name: {_y(name)}\n")
            if aliases:
                w(f"    aliases: {_ylist(aliases)}\n")
    if story.topics:
        w("topics:\n")
        for handle, label in story.topics.items():
            w(f"  - id: {handle}\n    label: {_y(label)}\n")
    w("events:\n")
    for e in story.events:
        w(f"  - id: {e.handle}\n    type: {e.type}\n    label: {_y(e.label)}\n")
        if e.key:
            w(f"    key: {_y(e.key)}\n")
        quote("evidence", e.span, "    ")
        if e.participants:
            seen = set()
            w("    participants:\n")
            for actor, role in e.participants:
                if (actor, role) not in seen:
                    seen.add((actor, role))
                    w(f"      - {{actor: {actor}, role: {role}}}\n")
        if e.place:
            w(f"    place: {e.place}\n")
        if e.time:
            w(f"    time: {_y(e.time)}\n")
        if e.time_start:
            w(f"    time_start: \"{e.time_start}\"\n")
        if e.count is not None:
            w(f"    count: \"{e.count}\"\n")
        if e.count_text:
            w(f"    count_text: {_y(e.count_text)}\n")
    w("statements:\n")
    for st in story.statements:
        w(f"  - id: {st.handle}\n    speaker: {st.speaker}\n")
        quote("text", st.span, "    ")
        w(f"    kind: {st.kind}\n    stance: {st.stance}\n")
        if st.speaker_role:
            w(f"    speaker_role: {st.speaker_role}\n")
        if st.about:
            w(f"    about: [{', '.join(dict.fromkeys(st.about))}]\n")
        if st.date:
            w(f"    date: \"{st.date}\"\n")
        if st.cue:
            w(f"    cue: {_y(st.cue)}\n")
    if story.relations:
        w("relations:\n")
        for source, relation, target, span in story.relations:
            w(f"  - source: {source}\n    relation: {relation}\n    target: {target}\n")
            quote("evidence", span, "    ")
    w("contradictions:\n")
    for a, b, basis, explanation in story.contradictions:
        w(f"  - a: {a}\n    b: {b}\n    basis: {basis}\n    explanation: {_y(explanation)}\n")
    return "".join(out)


# --- the corpus -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GeneratedArticle:
    number: int  # 1-based
    text: str
    case_yaml: str
    statements: int
    contradictions: int
    syndicated: bool


@dataclass(frozen=True)
class CorpusReport:
    path: Path
    articles: int
    statements: int
    contradictions: int
    syndicated: int
    query_params: dict


class _Generator:
    def __init__(self, articles: int, seed: int) -> None:
        self.articles = articles
        self.rng = random.Random(seed)
        self.world = _World(articles, self.rng)
        # recent original stories, as [story, text, publishers that may still republish it]
        self.recent_stories: deque[list] = deque(maxlen=16)
        self.recent_incidents: deque[_Incident] = deque(maxlen=48)
        self.incidents = 0
        # how often each recurring person speaks, for query parameters that fit the corpus
        self.speaking: Counter[tuple[int, str]] = Counter()

    def _incident(self) -> _Incident:
        rng, names = self.rng, self.world.names
        region = rng.choice(self.world.regions)
        scenario = rng.choices(_SCENARIOS, _SCENARIO_WEIGHTS)[0]
        self.incidents += 1
        date = _dt.date(2019, 1, 1) + _dt.timedelta(days=rng.randrange(6 * 365))
        city = rng.choice(region.cities)
        n_official = rng.randrange(8, 60)
        extra: dict = {"hub": rng.random() < GLOBAL_ACTOR_RATE}
        if scenario == "raid":
            extra.update(group=rng.choice(_GROUPS), district=names.city() + " " + rng.choice(["Heights", "Lower Town",
                                                                                             "East", "Old Quarter"]),
                         days=rng.randrange(2, 20))
        elif scenario == "custody_death":
            extra.update(prison=rng.choice(_PRISONS).format(n=rng.randrange(1, 30), city=city),
                         relative=names.survivor(), relation=rng.choice(["sister", "brother", "mother", "father"]),
                         days=rng.randrange(2, 40))
        elif scenario == "missing_journalist":
            extra.update(men=rng.randrange(2, 6), witness=names.survivor())
        survivor = names.survivor()
        return _Incident(
            number=self.incidents, region=region, scenario=scenario, city=city, site=rng.choice(_SITES), date=date,
            key=f"{_slug(region.country)}-{scenario.replace('_', '-')}-{date.isoformat()}-n{self.incidents}",
            n_ngo=n_official + rng.randrange(20, 150), n_official=n_official, injured=rng.randrange(3, 25),
            survivor=survivor, survivor_age=rng.randrange(19, 67), occupation=rng.choice(_OCCUPATIONS),
            cause=rng.choice(_CAUSES), extra=extra,
        )

    def __iter__(self) -> Iterator[GeneratedArticle]:
        rng = self.rng
        for number in range(1, self.articles + 1):
            roll = rng.random()
            if roll < SYNDICATION_RATE and self.recent_stories:
                entry = rng.choice(self.recent_stories)
                story, text, publishers = entry
                if len(publishers) == 1:
                    self.recent_stories.remove(entry)  # every republisher used: no identical copies
                story, text = self._syndicate(story, text, publishers.pop(0))
                yield GeneratedArticle(number, text, _render(story, text), len(story.statements),
                                       len(story.contradictions), True)
                continue
            follow_up = roll < SYNDICATION_RATE + FOLLOW_UP_RATE and bool(self.recent_incidents)
            incident = rng.choice(self.recent_incidents) if follow_up else self._incident()
            if not follow_up:
                self.recent_incidents.append(incident)
            incident.reports += 1
            published = incident.date + _dt.timedelta(days=rng.randrange(1, 4) + (rng.randrange(5, 40) if follow_up else 0))
            writer = _Writer(self.world, incident, random.Random(rng.getrandbits(64)), rng.choice(_WIRES), published,
                             follow_up)
            story = writer.write()
            text = "".join(story.parts)
            for handle in ("a-minister", "a-director", "a-spokes", "a-prosecutor"):
                if handle in story.actors:
                    self.speaking[(incident.region.index, handle)] += 1
            others = [w for w in _WIRES if w != story.publisher]
            rng.shuffle(others)
            self.recent_stories.append([story, text, [incident.region.paper.names[0], *others[:2]]])
            yield GeneratedArticle(number, text, _render(story, text), len(story.statements),
                                   len(story.contradictions), False)

    def _syndicate(self, story: _Story, text: str, paper: str) -> tuple[_Story, str]:
        """The same report republished by another outlet: new headline and publisher, a byline
        naming the republisher (so no two copies are the same text)."""
        rng = self.rng
        old_title = story.title
        new_title = rng.choice(["UPDATE: ", "WIRE: ", ""]) + old_title.rstrip(".") + rng.choice(["", " (report)", ""])
        if new_title == old_title:
            new_title = old_title + " — wire report"
        delta = len(new_title) - len(old_title)
        body = text[len(old_title):]
        byline = f"\n(Reporting by {story.publisher} staff; editing for {paper} by the news desk.)\n"
        new_text = new_title + body + byline.lstrip("\n") if body.endswith("\n") else new_title + body + byline

        def shift(span: tuple[int, int]) -> tuple[int, int]:
            return (span[0] + delta, span[1] + delta)

        copy = _Story(title=new_title, publisher=paper, published=story.published, actors=story.actors,
                      places=story.places, topics=story.topics,
                      events=[_Event(**{**e.__dict__, "span": shift(e.span)}) for e in story.events],
                      statements=[_Statement(**{**st.__dict__, "span": shift(st.span)}) for st in story.statements],
                      relations=[(a, r, b, shift(sp)) for a, r, b, sp in story.relations],
                      contradictions=list(story.contradictions))
        return copy, new_text

    def query_params(self) -> dict:
        """Named-query parameters that fit this corpus: its most quoted official and the
        director of the rights group of the same country."""
        if not self.speaking:
            return {}
        ranked = sorted(self.speaking.items(), key=lambda kv: (-kv[1], kv[0]))
        region_index = None
        official = None
        for (index, handle), _ in ranked:
            if handle in ("a-minister", "a-spokes", "a-prosecutor"):
                region_index, official = index, handle
                break
        if official is None:
            return {}
        region = self.world.regions[region_index]
        person = {"a-minister": region.minister, "a-spokes": region.spokes, "a-prosecutor": region.prosecutor}[official]
        other = region.director if self.speaking.get((region_index, "a-director")) else region.spokes
        if other == person:
            other = region.minister
        return {
            "actor_profile": {"actor": person.last},
            "statements_about": {"subject": region.country},
            "neighbourhood": {"actor": person.full, "depth": "1"},
            "paths_between": {"source": other.full, "target": person.last},
        }


def iter_articles(articles: int, seed: int) -> Iterator[GeneratedArticle]:
    """The articles of a corpus one at a time (nothing is kept beyond a few recent stories)."""
    if articles < 0:
        raise KGError(f"the number of articles must be at least 0, got {articles}")
    return iter(_Generator(articles, seed))


def generate_corpus(out_dir: str | os.PathLike[str], articles: int, seed: int, *,
                    on_progress: Callable[[int], None] | None = None) -> CorpusReport:
    """Write `articles` synthetic articles with gold case files into out_dir (new or empty).

    Each article is out_dir/NNNNNN/article.txt and out_dir/NNNNNN/case.yaml (numbered from 1);
    out_dir/corpus.json, written last, records the arguments, the counts and named-query
    parameters that fit the corpus. The same (articles, seed) gives byte-identical files."""
    out = Path(out_dir)
    if articles < 0:
        raise KGError(f"the number of articles must be at least 0, got {articles}")
    check_output_dir(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KGError(f"cannot create the output folder: {exc.strerror}", where=str(out)) from None
    width = max(6, len(str(articles)))
    generator = _Generator(articles, seed)
    statements = contradictions = syndicated = 0
    # File creation is most of the cost on a slow disk, and it releases the GIL: a few writer
    # threads overlap it with generation. At most _IN_FLIGHT articles wait in memory.
    pending: deque = deque()
    with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
        for article in generator:
            folder = os.path.join(out, str(article.number).zfill(width))
            pending.append(pool.submit(_write_article, folder, article.text, article.case_yaml))
            statements += article.statements
            contradictions += article.contradictions
            syndicated += article.syndicated
            while len(pending) >= _IN_FLIGHT or (pending and pending[0].done()):
                pending.popleft().result()
            if on_progress:
                on_progress(article.number)
        while pending:
            pending.popleft().result()
    params = generator.query_params()
    manifest = {
        "generator": GENERATOR_VERSION,
        "articles": articles,
        "seed": seed,
        "statements": statements,
        "contradictions": contradictions,
        "syndicated": syndicated,
        "regions": len(generator.world.regions),
        "query_params": params,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return CorpusReport(out, articles, statements, contradictions, syndicated, params)


def check_output_dir(out: Path) -> None:
    """Refuse an output that is a file or a folder with anything in it."""
    if out.exists():
        if not out.is_dir():
            raise KGError("the output exists and is not a folder", where=str(out))
        if any(out.iterdir()):
            raise KGError("the output folder is not empty; name a new or empty folder", where=str(out))


_WRITERS = 8
_IN_FLIGHT = 256


def _write_article(folder: str, text: str, case_yaml: str) -> None:
    try:
        os.mkdir(folder)
        for name, content in (("article.txt", text), ("case.yaml", case_yaml)):
            fd = os.open(os.path.join(folder, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                data = content.encode("utf-8")
                while data:
                    data = data[os.write(fd, data):]
            finally:
                os.close(fd)
    except OSError as exc:
        raise KGError(f"cannot write the article: {exc.strerror}", where=folder) from None


def read_manifest(out_dir: str | os.PathLike[str]) -> dict | None:
    """The manifest of a complete corpus, or None if the folder holds no finished corpus."""
    path = Path(out_dir) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
