"""Statements: who is reported to have said which words.

Rule families (each statement records the one that produced it, and the cue):
  direct-quote          a quotation beside a speech verb and its speaker: '“...,” X said',
                        'X said: “...”', '“...,” urged X', 'called the reports “nonsense”'
  indirect-speech       a speech verb followed by the reported clause: "X claimed (that) ...";
                        quotation marks inside the clause stay inside the one statement
                        ("claimed there’s no evidence showing he “was illegally detained”")
  denial-object         a denying/affirming verb with a plain object: "has denied the reports"
  trailing-attribution  "..., alleged Lapunov." / "..., X added." after an unquoted clause
  participle            "..., claiming that ..." and "after previously claiming ..." continue the
                        sentence's speaker; "with his spokesman referring to them as “...”"
  according-to          "According to X, ..." / "..., according to X."; when the words are
                        themselves someone's speech ("A student said he was beaten, according to
                        the Monitor") they stay the student's, with the relay in the attribution
  reason-quote          a reported clause and the speaker's quoted reason after it are two claims:
                        'said no case had been opened because “there is no evidence ...”'
  as-reported           "As X reported, ..." at the start of a sentence
  parenthetical         "The detainees, the group said, were held in a basement": the sentence
  coordinated-speech    a second speech verb of the same subject: "X told parliament that A, and
                        suggested B"; "X acknowledged A and said at the time that B"
  passive-agent         "had been told by the council that the land was clear": the council's
                        words (the passive verb with its speaker after "by")
  quote-continuation    a quotation with no speech verb, opening a sentence, belongs to the
                        speaker of the nearest attributed quotation in its paragraph (or of the
                        previous paragraph's last one): the second and third quotes of a
                        speaker, and long quotations that run over several paragraphs
  indirect-question     a verb of asking before an indirect question: "asked (the minister)
                        whether the detainees had been charged"
  quoted-speech         inside a quotation, what a person, body or group the speaker names said or
                        told them: '“The police told us we could take what we could carry,” she
                        said' (the police's words as she gives them, stance other; '“The FBI
                        director said she exercised extreme carelessness,” McCaul said');
                        "They said ..." is the agents named last before the quotation ("three
                        guards took him out"); "told us to ..." is an order, no claim
  speaker-label         a paragraph opening "Name: ..." (transcripts, "Graham: Trump's rhetoric
                        ..." headlines) when the article names that actor elsewhere
Speakers are the mention just before the verb (allowing "has also", adverbs and an appositive
between commas, including a participle one: ", speaking on condition of anonymity,") or, after a
quotation or comma, just after it, over a title ('“...,” said Mayor Lina Ostrova', '“...,”
Interior Minister Oleg Varin told reporters') and onto an appositive name ('said the man’s
sister, Leila Haddad'). A quotation split by its attribution ('“We will not,” he said, “allow
this.”') gives two statements of one speaker, also across an appositive ('said X, the
commission’s chairman, “and ...”'). A listener after "told" is skipped ("told state television
the claims were false"); 'dismissed the accounts as “fiction”' quotes the speaker; the reported
clause of a verb in a relative clause ends at the main verb ("Migrants who say guards beat them
described ..."). "X of the Y Office" speaks as X;
"Representatives with the Y organization" as the organisation; a carrier ("the message
broadcast by X") as X.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from kg.extract.actors import INDIRECT_QUESTION, ORG_TYPES, Actor, ActorFinder, Mention, gender_of, person_of_org
from kg.extract.lexicon import Lexicon, Verb, gated_words
from kg.extract.text import Doc, Quote, _rstrip_end
from kg.extract.verbs import ASIDE_BEFORE, Occurrence, speech_occurrences, strip_between

_NOT_VERB_BEFORE = frozenset({
    "the", "a", "an", "these", "those", "this", "his", "her", "their", "its", "our", "my", "your", "such",
    "media", "news", "initial", "many", "some", "several", "no", "any", "all", "earlier", "previous",
    "recent", "new", "first", "unconfirmed", "official", "press", "police", "whose", "to", "of",
})
_PASSIVE_BEFORE = frozenset({"was", "were", "is", "are", "be", "been", "being", "am", "get", "got"})
_APPOSITIVE = re.compile(r"\s*,\s[^,;:“”\"]{1,100},")
_APPOSITIVES_TO_VERB = re.compile(r"(?:\s*,\s[^,;:“”\"]{1,100}){1,2},\s*")
_COMMA_BEFORE_VERB = re.compile(r",\s*$")
_PHRASE_STOP = re.compile(r"[,;:]|\.(?=\s)")
_QUESTION_AUXILIARY = re.compile(r"\b(?i:do|does|did)\s+$")
# ", a spokesman" / ", Mr. Lou" before a speech verb ending the sentence (not ", who police")
_TRAILING_SPEAKER = re.compile(r",\s+(?!(?:who|which|that|whom|whose|and|or|but|as)\b)(?:[\w’'.\-]+\s+){1,5}$", re.IGNORECASE)
# a short adverbial or subordinate clause alone, without a main clause after a comma
_ADVERBIAL_ONLY = re.compile(
    r"(?i:in|on|at|during|after|before|since|until|unless|if|as|while|when|whenever|although|though|because|"
    r"among|amid|despite|with|without|for|from|by|to|over|under|like|unlike)\s[^,;:]*")
_SENTENCE_END_MARKS = frozenset(".!?…\"”’'")
# a paragraph opening with a label and a colon: "Alex Seitz-Wald: ...", "CLINTON: ..."
_LABEL = re.compile(r"[ \t]*([^\W\d_][\w’'.\- ]{0,40}?)[ \t]*:[ \t]*(?=\S)")
_ABBREVIATION_END = re.compile(r"[\w.]*$")
_EVIDENCE_WORD = re.compile(r"[a-z]+")
# "according to the club's owner, Nico Brandi": a description, then the name in apposition
_DESCRIPTION_THEN_NAME = re.compile(r"\s*(?i:the|a|an|its|his|her|their)\s[^,;:.“”\"]{1,50},\s*")
_POSSESSIVE_DETERMINERS = frozenset({"its", "his", "her", "their", "our", "my", "your"})
_APPOSITION_GAP = re.compile(r",\s+")
_COMMA_RELATIVE = re.compile(r",\s*(?:who|which|whom)\s+$", re.IGNORECASE)
_APPOSITION_CLOSES = re.compile(r"\s*(?:[,.;:!?)]|$)")
# words that end the phrase of a poll or record before its verb ("... that the poll showed")
_EVIDENCE_GAP_STOPS = frozenset({
    "that", "which", "who", "and", "or", "but", "as", "if", "when", "while", "because", "he", "she", "they", "it",
    "we", "i", "you", "said", "says", "say", "is", "are", "was", "were", "has", "have", "had", "not",
})
_PREPOSITIONS = frozenset({"of", "in", "on", "at", "to", "for", "from", "by", "with", "about", "after", "before", "during"})
_DETERMINERS = frozenset({"a", "an", "the", "this", "these", "those", "its", "their", "his", "her", "our"})
_CLAUSE_PUNCTUATION = re.compile(r"[,;:()“”\"—]")
_OPENING_TITLES = re.compile(r"[\s“\"]*(?:[A-Z][\w’'\-]*\.?\s+){0,3}")
# between a quotation and its attribution: punctuation, and lower-case words of the speaker's
# phrase before the name ("“...,” the lawyer Maria Sousa said")
# ("“...,” the lawyer Maria Sousa said"), or the capitalised title before it ("“...,” Interior
# Minister Oleg Varin told reporters", "“...,” Gen. Tomas Reyes said")
_QUOTE_GAP = re.compile(
    r"[\s,;:—–-]*(?:(?:The|A|An|Its|His|Her|Their)\s+)?(?:(?:[a-z][\w’'\-]*|[A-Z][\w’'\-]*|[A-Z][a-z]{0,4}\.)\s+){0,5}")
_CONTENT_LEAD = re.compile(
    r"\s*(?:(?:in|on|at|during|last|earlier|later|this|on|to|before|after|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|yesterday|today|tonight|recently|privately|publicly|repeatedly)\b[^,.;:“”\"]{0,40}?\s+)?that\s+"
    r"|\s*:\s*|\s*,\s*(?=[“\"‘])|\s+",
    re.IGNORECASE,
)
_ADVERBIAL_TAIL = re.compile(
    r"\s*(?:[.!?…]|$|(?:in|on|at|to|during|after|before|when|while|last|earlier|later|this|yesterday|today|"
    r"as|from|via|through|without|with|on|over|under|recently|previously|originally|again|also|then|"
    r"in\s+a|in\s+an|,\s*as|,\s*according|,\s*adding|,\s*saying|,\s*citing|,\s*referring)\b)",
    re.IGNORECASE,
)
_NP_END = re.compile(r"[,;:.!?—–]|\s-\s|\s(?:with|as|because|after|while|when|and|but|saying|amid|despite|since|although)\s")
_TRIM_LEFT = " \t\n\r,;:—–-"
_CLAUSE_CUT = re.compile(
    r";|,\s+(?:despite|although|though|even\s+though|whereas|while\s+(?:the|a|an|police|officials|authorities))\b"
    r"|,\s+(?:releasing|citing|adding|saying|claiming|according)\b",
    re.IGNORECASE,
)
_LEAD_ADVERBIAL = re.compile(
    r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today)\s+(?:that\s+)?(?=\S)|"
    r"(?:on|in|at|during|by|last|this|earlier|later|late|early|on\s+the\s+\w+\s+of|over\s+the)\s+"
    r"(?:(?:a|an|the)\s+)?(?:(?:statement|interview|video|post|letter|briefing|conference|press|news|time|"
    r"telephone|phone|weekend|week|month|year|morning|evening|night|afternoon|day|hearing|court|"
    r"[A-Z][a-z]+\.?(?:\s+\d{1,2}(?:st|nd|rd|th)?)?|\d{1,2}\s+[A-Z][a-z]+)\s*)+,?\s+)+"
)
_DOCUMENT_OWNER = re.compile(
    r"\b([a-z][\w\-]+)[’']s\s+(?:[\w\-]+\s+){0,2}(?:report|statement|letter|study|survey|findings|complaint|submission)\b")
_PREPOSITION_FIRST = re.compile(
    r"(?:about|on|in|at|for|from|to|with|during|after|before|by|of)\s+(?!least\b|most\b|\d|one\b|two\b|three\b|four\b|"
    r"five\b|six\b|seven\b|eight\b|nine\b|ten\b|a\s+dozen\b|dozens\b|hundreds\b|half\b)"
    r"|(?:how|where|when|why|whether|what|if)\b",
    re.IGNORECASE,
)
# a claim on a condition after a verb of saying (not of asking): "said if he were president, DACA
# would be extended"; the main clause after the comma makes it a claim, not an indirect question
_CONDITIONAL_CLAIM = re.compile(r"if\s[^,;:“”\"]{3,150},\s+(?:\S+\s+){2}", re.IGNORECASE)
_WORD = re.compile(r"[\w’'\-]+")
# words one of which a share of people has (a quick test before _SHARE, which is tried at every position)
_SHARE_WORD = re.compile(r"percent|per cent|%| in 10| in ten|half|Half|third|quarter|majority|Majority")
_SHARE = re.compile(
    r"(?:(?:[Aa]bout|[Nn]early|[Aa]lmost|[Rr]oughly|[Aa]round|[Mm]ore\s+than|[Ll]ess\s+than|[Ff]ewer\s+than|[Oo]nly|"
    r"[Jj]ust|[Aa]t\s+least|[Oo]ver)\s+)?"
    r"(?:\d[\d,.]*\s*(?:percent|per\s+cent|%)|[A-Z]?[a-z]+(?:-[a-z]+)?\s+percent|(?:\d+|[A-Za-z]+)\s+in\s+(?:10|ten)\b"
    r"|[Hh]alf|[Aa]\s+third|[Tt]wo-thirds|[Aa]\s+quarter|[Aa]\s+majority)"
    r"(?:\s+(?:of\s+)?[^,.;:“”\"()]{1,60}?)?\s*$")
# what may stand before a share opening a clause: "..., while 9 percent found", "In the survey, 47 percent"
_CLAUSE_BEFORE_SHARE = re.compile(r"(?:[,;:—]|\b(?:and|but|while|whereas|compared\s+with|with))\s+$")
_BY_AUTHOR = re.compile(r"\s+by\s+(?:the\s+)?(?:[a-z]+\s+){0,2}")
_HOW = re.compile(r"\s+how\s+(?=[\w“\"])")
# a comma and a noun summing up the words before it: ", accounts that the agency dismissed"
_SUMMING_UP = re.compile(r",\s+(?:an?\s+|the\s+)?[a-z]+s?\s+(?:that|which)\b")
_PARENTHETICAL_AFTER = re.compile(
    r"(?:\s+(?:on|in|at|last|this|earlier|later|previously|also)\b[^,;:.“”\"]{0,30})?\s*,\s+(?=[a-z])")
_NOT_PARENTHETICAL = re.compile(
    r"(?:adding|saying|according|citing|claiming|noting|arguing|insisting|while|but|and|or|although|though|as|after|"
    r"before|when|who|which|whose|where|because|since|despite|with|without|in|on|at|for)\b")
# words that open the reported clause after a listener: "told reporters the service ..."
_CLAUSE_OPENERS = frozenset({
    "the", "a", "an", "he", "she", "they", "it", "we", "i", "you", "there", "this", "these", "those", "his", "her",
    "their", "its", "our", "my", "no", "nobody", "none", "all", "some", "any", "police", "officials", "authorities",
})
_NP_STOP_WORDS = frozenset({
    "the", "a", "an", "he", "she", "they", "it", "we", "i", "you", "there", "this", "these", "those", "his", "her",
    "their", "its", "our", "my", "no", "that", "which", "who", "on", "in", "at", "by", "during", "after", "before",
    "last", "earlier", "and", "or", "but", "was", "were", "is", "are", "had", "has", "have", "would", "will",
})
# after '..., said X': a verb, so X is the subject of the reported clause ("..., said Clinton didn't ...")
_CLAUSE_GOES_ON = re.compile(
    r"\s+(?:[a-z]+n[’']t|had|has|have|is|was|were|are|would|will|could|can|did|does|do|may|might|should|must|"
    r"wants|wanted|needs|needed)\b"
    # or a verb in the past tense: "X, a senator, said Obama failed to ..." ("Smith, 45, said the
    # group marched ...": what follows an inverted speaker is punctuation, a title or a name)
    r"|\s+[a-z]{2,}ed\b")
# a subject pronoun after the verb opens the reported clause ("X, a senator, said he expects ...")
_PRONOUN_THEN_WORD = re.compile(r"\s+[a-z]")
_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
_AS_BEFORE = re.compile(r"(?:^|(?<=\W))as\s+$", re.IGNORECASE)
_AS_QUOTE = re.compile(r"\s+(?:[\w’'\-]+\s+){0,4}?as\s+(?=[“\"‘])")
# ",?\s+and\s+...": the first character taken by a class, so that re skips to commas and spaces
_AND_VERB = re.compile(r"[,\s](?:(?<=,)\s+|(?<=\s)\s*)and\s+(?:(?:also|then|later|again|\w+ly)\s+)?([a-z]+)\b")
_CLAIM_OPENS = re.compile(r"\s+(?:about|of|on|that)\s+", re.IGNORECASE)  # "information in the media about"
_COMMA_PARTICIPLE = re.compile(r",\s+(?:\w+ly\s+)?(\w+ing)\b")  # ", adding", ", reportedly citing"
# " and|but (adverb)? WORD", written to open with the letters a and b, so that re skips ahead to them
_AND_BUT_WORD = re.compile(r"(a(?<=\sa)nd|b(?<=\sb)ut)\s+(?:(?:also|then|later|only|still)\s+)?([a-z]+)\b")
_RELATIVE_PRONOUN = re.compile(r"\b(?:who|whom|which)\b", re.IGNORECASE)
_AND_THAT = re.compile(r"[,\s](?:(?<=,)\s+|(?<=\s)\s*)(?i:and\s+that)\s+")
# a reason in the speaker's own quoted words after a reported clause: 'said no case had been opened
# because “there is no evidence that ...”'
_BECAUSE_QUOTE = re.compile(r"\s+because\s+(?=[“\"])")
_WORD_CHAR = re.compile(r"\w")
_LISTENER = re.compile(r"\s+(?:us|me|him|her|them|everyone|everybody)\b")
_INFINITIVE = re.compile(r"\s+to\s")
_THAT = re.compile(r"\s+that\s+", re.IGNORECASE)
# a quotation or comma closing just before the verb: '“...,” said X'
_QUOTE_GLUED = re.compile(r"(?:[,”\"’]|[,.!?]['’\"”])\s*$")
_COMMA_GAP = re.compile(r"\s*,\s*")
_CLAUSE_THEN_COMMA = re.compile(r"\w[^,;:“”\"]*,\s*$")
_SENTENCE_STOP = re.compile(r"[.;!?]")
_THAT_ENDING = re.compile(r"\bthat\s+$", re.IGNORECASE)
_PUNCTUATION_ONLY = re.compile(r"[\s.,!?;:]*")
_THAT_NEXT = re.compile(r"that\s+", re.IGNORECASE)
_COMMA_ENDING = re.compile(r",\s*(?:(?:the|a|an)\s+)?$", re.IGNORECASE)  # ("..., the Office said")
# \b(?:who|which|that)\s+(?:\w+ly\s+|also\s+)?$ (ignoring case), gated: re skips ahead in C to a w or a t
_RELATIVE_FIRST, _RELATIVE_WORDS = gated_words(["who", "which", "that"], ignorecase=True)
_RELATIVE_BEFORE_VERB = re.compile(rf"[{_RELATIVE_FIRST}](?<!\w.)(?:{_RELATIVE_WORDS})(?i:\s+(?:\w+ly\s+|also\s+)?$)")
_COORDINATION_ENDING = re.compile(r"\b(?:and|or|but|that)\s+$|,\s*$")
_TRIM_RIGHT = " \t\n\r,;:—–-"


@dataclass(eq=False, slots=True)
class Statement:
    start: int
    end: int
    kind: str  # direct | indirect
    speaker: Actor
    rule: str
    cue: str  # the speech verb or phrase that attributed it
    confidence: float
    verb: Verb | None = None
    anchor: int = -1  # where the attribution stands (for the statement's date)
    speaker_mention: Mention | None = None
    stance: str = "other"
    stance_cue: str | None = None
    date: str | None = None
    about: list[str] = field(default_factory=list)


class SpeechFinder:
    def __init__(self, doc: Doc, finder: ActorFinder) -> None:
        self.doc = doc
        self.finder = finder
        self.lex: Lexicon = doc.lexicon
        self.text = doc.text
        self.statements: list[Statement] = []
        self.used_quotes: set[int] = set()  # quote start offsets already attributed
        self.skip_verbs: set[int] = set()
        self._occurrence_starts: list[int] | None = None  # (speech verbs in order, for _clause_end)

    # --- driver ---------------------------------------------------------------------------------

    def run(self) -> list[Statement]:
        self._according_to()
        for occurrence in speech_occurrences(self.doc):
            if occurrence.start in self.skip_verbs:
                continue
            self._attribute(occurrence)
        self._continuations()
        self._relayed()
        self._speaker_labels()
        self._media_reports()
        self._quoted_speech()
        return self._dedupe()

    def _quoted_speech(self) -> None:
        """'“The police told us we could take what we could carry,” she said': inside someone's
        quoted words, what a person, body or group they name is said to have said or told them is
        their words as the teller gives them (speech.yaml quoted_speech_verbs; "told" and its kin
        need a listener: "us", "me", ...), from after the verb (and "that") to the end of the sentence or
        of the quotation. The subject is an actor the words name ("The police", "The FBI
        director"; not a description pointing back, "that group", nor a pronoun, both unreliable
        inside someone's words) or "they" standing for the agents named last before the quotation
        (see _agents_before); "told us to ..." is an order, no claim."""
        verbs = self.lex.quoted_speech_verbs
        direct = [s for s in self.statements if s.kind == "direct"]
        if not verbs or not direct:
            return
        doc, text, finder, tokens = self.doc, self.text, self.finder, self.doc.tokens
        for index in doc.positions(verbs.keys()):
            token = tokens[index]
            if not token.in_quote:
                continue
            statement = next((s for s in direct if s.start <= token.start and token.end < s.end), None)
            quote = doc.in_quote(token.start)
            if statement is None or quote is None:
                continue
            ss, se, _ = doc.sentences[token.sent]
            mention = finder.mention_before(token.start, max(ss, quote.start))
            if mention is not None and (mention.kind in ("pronoun", "descriptor")
                                        or text[mention.end:token.start].strip()):
                mention = None  # (a pronoun or "that group" inside someone's words points back unreliably)
            before = tokens[index - 1] if index > 0 else None
            if mention is None and before is not None and before.low in self.lex.quoted_agents \
                    and before.start >= max(ss, quote.start):
                mention = self._agent_mention(before)  # "The guards said ...", "the officers told us ..."
            if mention is None and self._they_before(index, max(ss, quote.start)):
                mention = self._agents_before(quote.outer_start, quote.para)
            if mention is None:
                continue
            after = token.end
            if verbs[token.low]:
                listener = _LISTENER.match(text, after)
                if listener is None:
                    continue
                after = listener.end()
            that = _THAT.match(text, after)
            after = that.end() if that else after
            if _INFINITIVE.match(text, after):
                continue
            end = _rstrip_end(text, min(se, quote.end, statement.end))
            while end > after and text[end - 1] in ".,;:!?”\"’":
                end -= 1
            speaker = mention.actor or finder.phrase_actor(mention)
            if len(text[after:end].split()) < 3 or speaker is None or speaker is statement.speaker:
                continue
            claim = self._add_one(after, end, speaker, "quoted-speech", token.text, 0.6, None, token.start, mention,
                                  False)
            if claim is not None:
                claim.kind = "indirect"  # (the body's words, as the teller gives them)

    def _they_before(self, index: int, start: int) -> bool:
        """Whether "they" is the subject of the verb at token index: just before it, or opening
        the sentence (from start) whose second predicate it is ("They threw him on the floor and
        told us that ...")."""
        tokens = self.doc.tokens
        before = tokens[index - 1] if index > 0 else None
        if before is None or before.start < start:
            return False
        if before.low == "they":
            return True
        first = self.doc.token_index_at(start)
        return before.low == "and" and first < index and tokens[first].low == "they"

    def _agents_before(self, position: int, para: int) -> Mention | None:
        """The agents a "they" inside someone's account stands for: the last word before the
        quotation, in its paragraph or the two before, naming those who act on people (speech.yaml
        quoted_agents: "three guards took Salcedo out of the cell", "the central police station");
        a group named by a mention is that group, else the word makes one ("guards")."""
        agents, tokens, doc = self.lex.quoted_agents, self.doc.tokens, self.doc
        for index in range(doc.token_index_at(position) - 1, -1, -1):
            token = tokens[index]
            if token.para < para - 2:
                return None
            if token.low in agents:
                return self._agent_mention(token)
        return None

    def _agent_mention(self, token) -> Mention:
        """The group an agents' word names: its mention's ("the central police station"), else
        a group of its own ("guards")."""
        mention = self.finder.mention_at(token.start)
        if mention is not None and mention.actor is not None:
            return mention
        return Mention(start=token.start, end=token.end, kind="np", rule="speaker-phrase", text=token.text,
                       in_quote=token.in_quote, sent=token.sent, para=token.para, type="Person",
                       head=token.low, det="bare")

    def _media_reports(self) -> None:
        """'The basis for the audit was information in the media about the persecution of ...':
        inside someone's words, what the media are said to have reported is a claim of the media
        (speech.yaml media_reports), up to the end of its clause."""
        doc, text = self.doc, self.text
        for statement in list(self.statements):
            for match in doc.cues.within("media_reports", statement.start, statement.end):
                opens = _CLAIM_OPENS.match(doc.folded, match.finish, statement.end)
                if opens is None:
                    continue
                end = _rstrip_end(text, self._clause_end(opens.end(), statement.end))
                while end > opens.end() and text[end - 1] in ".,;:":
                    end -= 1
                if len(text[opens.end():end].split()) < 3:
                    continue
                mention = Mention(start=match.begin, end=match.finish, kind="np", rule="speaker-phrase",
                                  text="media", in_quote=doc.in_quote(match.begin) is not None,
                                  sent=doc.sentence_at(match.begin), para=doc.paragraph_at(match.begin),
                                  type="MediaOutlet", role="journalist", head="media", det="bare")
                speaker = self.finder.phrase_actor(mention)
                if speaker is None:
                    continue
                speaker.collective = True
                claim = self._add_one(match.begin, end, speaker, "media-report", text[match.begin:match.finish], 0.7,
                                      None, match.begin, mention, False)
                if claim is not None:
                    claim.kind = "indirect"  # (the media's words, as the speaker gives them)

    def _speaker_labels(self) -> None:
        """'Alex Seitz-Wald: She is right on all these things', 'CLINTON: Honestly, I ...',
        'Graham: Trump’s rhetoric destroying GOP’s chance.': a paragraph opening with a name and
        a colon gives the rest of the paragraph to that name (transcripts, headlines). The name
        must be one the article knows as an actor, or a full name; a lone word that names no one
        ("Report:", "UPDATE:", "Q:") is a label, not a speaker."""
        doc, text, finder = self.doc, self.text, self.finder
        mentions = finder.mentions
        for index, (ps, pe) in enumerate(doc.paragraphs):
            if not doc.prose[index] or text.find(":", ps, ps + 48) < 0:
                continue
            colon = _LABEL.match(text, ps, pe)
            if colon is None:
                continue
            first = finder.from_index(ps)
            if first >= len(mentions):
                break
            mention = mentions[first]
            if mention.start != colon.start(1) or mention.end != colon.end(1) or mention.in_quote:
                continue
            start = colon.end()
            if len(text[start:pe].split()) < 4 or text[pe - 1] not in _SENTENCE_END_MARKS \
                    or any(place.start == mention.start for place in finder.places):
                continue  # (a section heading, "Ted Cruz: Just hang on"; a list under a place name)
            speaker = self._label_actor(mention, first)
            if speaker is None:
                continue
            if any(2 * (min(pe, s.end) - max(start, s.start)) >= pe - start for s in self.statements):
                continue  # (words already attributed: a quotation continued from the paragraph before)
            self._add_one(start, pe, speaker, "speaker-label", ":", 0.7, None, ps, mention, True)

    def _label_actor(self, mention: Mention, index: int) -> Actor | None:
        if mention.kind in ("name", "org"):
            # named again elsewhere in the article: a one-off capitalised heading ("Paid Notice:",
            # "Delegate Update:") is not a speaker
            actor = mention.actor
            if actor is None or not any(m.actor is actor for m in self.finder.mentions if m is not mention):
                return None
            return actor
        if mention.kind != "name1":
            return None
        if mention.actor is not None:
            return mention.actor
        # a surname before the full name ("Graham: ..." over "Sen. Lindsey Graham said"), any case
        surname = mention.text.casefold()
        for later in self.finder.mentions[index + 1:]:
            actor = later.actor
            if later.kind == "name" and actor is not None and actor.name.casefold().rsplit(" ", 1)[-1] == surname:
                return actor
        return None

    def _relayed(self) -> None:
        """'A student said he was beaten, according to the Monitor': the words are the student's,
        relayed by the Monitor. The relay's statement (the whole clause, speech verb included) is
        dropped; the student's statement keeps the relay in its attribution."""
        relays = [s for s in self.statements if s.rule in ("according-to", "as-reported")]
        if not relays:
            return
        dropped = set()
        for relay in relays:
            for inner in self.statements:
                if inner is relay or inner.speaker is relay.speaker or inner.rule in ("according-to", "as-reported"):
                    continue
                mention = inner.speaker_mention
                if mention is None or not relay.start <= mention.start < inner.anchor:
                    continue
                slot = self.finder.slots.get(inner.anchor)
                opening = min(mention.start, slot.head.start) if slot is not None and slot.head is not None else mention.start
                if self.text[relay.start:opening].strip(" ,“\"").lower() not in ("", "but", "and", "also"):
                    continue  # "the charges relate to an article in which X alleged ...": X's words inside
                if relay.start <= inner.anchor < relay.end and relay.start <= inner.start and inner.end <= relay.end + 1:
                    dropped.add(id(relay))
                    inner.cue = f"{inner.cue}, {relay.cue}"
                    break
        if dropped:
            self.statements = [s for s in self.statements if id(s) not in dropped]

    # --- statements -----------------------------------------------------------------------------

    def _add(self, start: int, end: int, speaker: Actor, rule: str, cue: str, confidence: float, *,
             verb: Verb | None = None, anchor: int = -1, mention: Mention | None = None,
             quote: Quote | None = None) -> Statement | None:
        """Record reported words. A quotation over several paragraphs gives one statement per
        paragraph; "said A, and that B" gives two."""
        doc = self.doc
        if quote is not None:
            self.used_quotes.add(quote.start)
            if quote.para != quote.last_para:
                first = None
                home = doc.paragraph_at(anchor) if anchor >= 0 else quote.para
                for index in range(quote.para, quote.last_para + 1):
                    ps, pe = doc.paragraphs[index]
                    piece_start = max(start, ps)
                    while piece_start < pe and self.text[piece_start] in "“\"„« \t":
                        piece_start += 1
                    piece = self._add_one(piece_start, min(end, pe), speaker,
                                          rule if index == home else "quote-continuation", cue,
                                          confidence if index == home else confidence * 0.9,
                                          verb, anchor, mention, True)
                    first = first or piece
                return first
            return self._add_one(start, end, speaker, rule, cue, confidence, verb, anchor, mention, True)
        cuts = []  # (where a piece ends, where the next begins)
        reasons: dict[int, Quote] = {}  # quoted reasons by where their words start
        if doc.may_contain("that", start, end):  # (the pattern is tried at every comma and space)
            for match in _AND_THAT.finditer(self.text, start, end):
                if doc.in_quote(match.start()) is None:
                    cuts.append((match.start(), match.end()))
        if doc.may_contain("and", start, end) or doc.may_contain("but", start, end):
            cuts.extend(self._second_predicates(start, end))
        if doc.may_contain("because", start, end):
            for match in _BECAUSE_QUOTE.finditer(self.text, start, end):
                reason = doc.in_quote(match.end() + 1)
                if doc.in_quote(match.start()) is None and reason is not None and reason.open == match.end() \
                        and len(self.text[start:match.start()].split()) >= 3:  # ("said so because “...”": one claim)
                    cuts.append((match.start(), reason.start))
                    reasons[reason.start] = reason
        parts = [start]
        for cut in sorted(cuts):
            if cut[0] >= parts[-1]:
                parts.extend(cut)
        parts.append(end)
        first = None
        for a, b in zip(parts[::2], parts[1::2]):
            reason = reasons.get(a)
            if reason is not None and reason.end <= b:  # (the speaker's own words: direct, up to the marks)
                piece = self._add_one(a, reason.end, speaker, "reason-quote", cue, confidence, verb, anchor, mention, True)
            else:
                piece = self._add_one(a, b, speaker, rule, cue, confidence, verb, anchor, mention, False)
            first = first or piece
        return first

    def _second_predicates(self, start: int, end: int) -> list[tuple[int, int]]:
        """'she had "full confidence" in the service but would "not stand in the way"', 'the service
        "has not detained anyone" and was "not conducting any operation"': a second predicate of the
        same subject is a second claim (speech.yaml predicate_auxiliaries) after "but", and after
        "and" when each predicate has quoted words of its own (two quoted claims; 'had crossed the
        river and were walking through woodland' is one account). Not inside a quotation nor after
        a relative pronoun ('the men who were held and were beaten' is one)."""
        cuts = []
        for match in _AND_BUT_WORD.finditer(self.text, start, end):
            if match.group(2) not in self.lex.predicate_auxiliaries or self.doc.in_quote(match.start()) \
                    or _RELATIVE_PRONOUN.search(self.text, start, match.start()) \
                    or len(self.text[start:match.start()].split()) < 3:
                continue
            if match.group(1) == "and" and not (self._quote_opens(start, match.start())
                                                and self._quote_opens(match.end(), end)):
                continue
            cuts.append((match.start(), match.start(2)))
        return cuts

    def _quote_opens(self, start: int, end: int) -> bool:
        index = self.doc.quote_opening_at(start)
        return index < len(self.doc.quotes) and self.doc.quote_starts[index] < end

    def _add_one(self, start: int, end: int, speaker: Actor, rule: str, cue: str, confidence: float,
                 verb: Verb | None, anchor: int, mention: Mention | None, quoted: bool) -> Statement | None:
        start, end = self._trim(start, end)
        if end - start < 2 or not _WORD_CHAR.search(self.text, start, end):
            return None
        kind = "direct" if quoted else "indirect"
        if quoted and self.text[end - 1] == "." and self.text[start].islower() and end - start > 1:
            end -= 1  # a quoted fragment: the full stop inside the marks ends the writer's sentence
        if not quoted:
            inner = self.doc.in_quote(start)
            if inner is not None and inner.start <= start and end <= inner.end:
                kind = "direct"
        statement = Statement(start, end, kind, speaker, rule, cue, confidence, verb=verb, anchor=anchor,
                              speaker_mention=mention)
        speaker.used = True
        self.statements.append(statement)
        quotes, starts = self.doc.quotes, self.doc.quote_starts
        index = self.doc.quote_opening_at(start - 1)  # (a quotation's marks open at most one before its words)
        while index < len(quotes) and starts[index] <= end + 1:
            q = quotes[index]
            if q.start >= start and q.end <= end + 1:
                self.used_quotes.add(q.start)
            index += 1
        return statement

    def _trim(self, start: int, end: int) -> tuple[int, int]:
        text = self.text
        while start < end and text[start] in _TRIM_LEFT:
            start += 1
        while end > start and text[end - 1] in _TRIM_RIGHT:
            end -= 1
        # a sentence's full stop is not part of reported words, unless a quotation closes after it
        if end > start and text[end - 1] in ".!?" and not (end < len(text) and text[end] in "”\"’'") \
                and self.doc.in_quote(end - 1) is None:
            end -= 1
            while end > start and text[end - 1] in _TRIM_RIGHT:
                end -= 1
        return start, end

    # --- speakers -------------------------------------------------------------------------------

    def _actor(self, mention: Mention | None) -> Actor | None:
        if mention is None:
            return None
        if mention.actor is None:
            if mention.kind in ("name1",):
                return self.finder.ensure_actor(mention)
            if mention.kind == "pronoun":
                return None
            if mention.kind in ("title", "descriptor", "np"):
                return self.finder.phrase_actor(mention)
        return mention.actor

    def _subject_before(self, position: int, sent_start: int) -> Mention | None:
        slot = self.finder.slots.get(position)
        if slot is not None and slot.inverted:
            return None
        if slot is not None and (slot.named or slot.head) is not None:
            mention = slot.named or slot.head
            if mention.kind in ("org", "collective", "descriptor") and slot.named is None:
                person = person_of_org(self.finder, mention)
                if person is not None and self._actor(person) is not None and mention.actor is not None \
                        and mention.actor.type in ORG_TYPES:
                    self._member(self._actor(person), mention.actor, person.start, mention.end)
                    return person
            return mention
        mention = self.finder.mention_before(position, sent_start)
        if mention is None:
            return None
        gap = self.text[mention.end:position]
        if not self.lex.between_re.fullmatch(gap):
            appositive = _APPOSITIVE.match(gap)
            if not (appositive and self.lex.between_re.fullmatch(gap[appositive.end():])):
                return self._opening_subject(position, sent_start)
        if mention.kind in ("org", "collective", "descriptor"):
            person = person_of_org(self.finder, mention)
            if person is not None and self._actor(person) is not None:
                actor = self._actor(person)
                org_actor = mention.actor
                if org_actor is not None and actor is not None and actor is not org_actor:
                    if org_actor.type in ORG_TYPES:
                        self._member(actor, org_actor, person.start, mention.end)
                return person
        return mention

    def _opening_name(self, ss: int, limit: int) -> Mention | None:
        """The name opening the sentence, when nothing but words without punctuation stand
        between it and limit (a second verb of the same subject)."""
        index = self.finder.from_index(ss)
        mentions = self.finder.mentions
        if index >= len(mentions):
            return None
        mention = mentions[index]
        if mention.kind not in ("name", "name1", "org") or mention.end >= limit or mention.in_quote \
                or not _OPENING_TITLES.fullmatch(self.text, ss, mention.start) \
                or _CLAUSE_PUNCTUATION.search(self.text, mention.end, limit):
            return None
        return mention

    def _opening_subject(self, position: int, sent_start: int) -> Mention | None:
        """The name opening the sentence, when one or two appositives stand between it and the
        verb: "Dan Kritenbrink, senior director for Asian affairs at the National Security
        Council, said", "Sen. Marco Rubio, R-Fla., appearing on Fox News, said" (the nearest
        mention, inside the appositive, is not the subject)."""
        if not _COMMA_BEFORE_VERB.search(self.text, sent_start, position):
            return None
        index = self.finder.from_index(sent_start)
        mentions = self.finder.mentions
        if index >= len(mentions):
            return None
        mention = mentions[index]
        if mention.kind not in ("name", "name1", "org") or mention.end >= position \
                or not _OPENING_TITLES.fullmatch(self.text, sent_start, mention.start) \
                or not _APPOSITIVES_TO_VERB.fullmatch(self.text, mention.end, position):
            return None
        return mention

    def _member(self, person: Actor, org: Actor, start: int, end: int) -> None:
        from kg.extract.actors import _TYPE_ROLE, Relation

        if not person.roles and _TYPE_ROLE.get(org.type):
            person.add_role(_TYPE_ROLE[org.type])
        if not any(r.source is person and r.target is org for r in self.finder.relations):
            self.finder.relations.append(Relation(person, "member_of", org, start, end, "relation"))
        person.used = org.used = True

    def _subject_after(self, position: int, sent_end: int) -> Mention | None:
        match = re.compile(r"\s+(?:the\s+)?").match(self.text, position)
        if not match:
            return None
        after = match.end()
        mentions = self.finder.mentions
        index = self.finder.from_index(position)
        if index < len(mentions) and mentions[index].start <= after + 1:
            mention = mentions[index]
            if mention.kind not in ("name", "name1", "org") and index + 1 < len(mentions):
                named = mentions[index + 1]  # "said the man’s sister, Leila Haddad": the name
                if named.kind in ("name", "name1", "org") and re.fullmatch(r",\s+", self.text[mention.end:named.start]) \
                        and re.match(r"\s*(?:[,.;:!?]|$)", self.text[named.end:sent_end]):
                    return named
            return mention
        # a title before the name: '“...,” said Mayor Lina Ostrova', 'said army spokesman Col. Ivan Petrov'
        tokens = self.doc.tokens
        i = k = self.doc.token_index_at(after)
        while k < len(tokens) and k - i < 5 and tokens[k].start < sent_end:
            token = tokens[k]
            if k > i:
                if self.text[tokens[k - 1].end:token.start] != " ":
                    break
                mention = self.finder.mention_at(token.start)
                if mention is not None and mention.kind in ("name", "name1", "org"):
                    return mention
            if not (token.cap or token.low in self.lex.titles or token.low in self.lex.modifiers):
                break
            k += 1
        # a carrier: "continued the message broadcast by X"
        word = re.match(r"[\w’']+", self.text[after:sent_end])
        if word and word.group().lower() in self.lex.carriers:
            by = re.compile(r"\b(?:by|from)\s+", re.IGNORECASE).search(self.text, after, sent_end)
            if by:
                for mention in self.finder.mentions:
                    if mention.start >= by.end() and mention.start <= by.end() + 4:
                        return mention
            return _CARRIER
        return None

    def _last_speaker(self, position: int, para: int, within: int = 2) -> Statement | None:
        best = None
        for statement in self.statements:
            if statement.start < position and (best is None or statement.start > best.start):
                best = statement
        # (paragraphs follow the text: when the latest statement is too far back, every other one is)
        if best is not None and self.doc.paragraph_at(best.start) < para - within:
            return None
        return best

    # --- one speech verb ------------------------------------------------------------------------

    def _attribute(self, occ: Occurrence) -> None:
        doc, text, verb = self.doc, self.text, occ.verb
        ss, se, para = doc.sentences[occ.sent]
        before = text[max(ss, occ.start - 12):occ.start]  # (what stands just before the verb)
        # "as X reported": a source note mid-sentence; "As X reported, ..." at the start
        subject = self._subject_before(occ.start, ss)
        if subject is not None:
            head = text[ss:subject.start]
            if _AS_BEFORE.search(text, max(ss, subject.start - 12), subject.start):
                comma = re.match(r"\s*,", text[occ.end:se])
                speaker = self._actor(subject)
                if head.strip().lower() == "as" and verb.form in self.lex.as_reported and comma and speaker:
                    self._add(occ.end + comma.end(), se, speaker, "as-reported", f"As {text[subject.start:occ.end]}",
                              0.85, verb=verb, anchor=occ.start, mention=subject)
                return  # mid-sentence, "as X reported" only names a source
            if _QUESTION_AUXILIARY.search(text, max(ss, subject.start - 8), subject.start) \
                    and text[_rstrip_end(text, se) - 1:se].strip() == "?":
                return  # "What do officials think will happen next?": a question, not a report

        if occ.impersonal:
            # "In the network's latest report, ..., it was alleged that": the report's owner, else the last source
            lead = _THAT.match(text, occ.end)
            owner = _DOCUMENT_OWNER.search(text, ss, occ.start)
            speaker = self.finder.head_actor(owner.group(1).lower(), owner.start(1)) if owner else None
            slot = self.finder.slots.get(occ.start)
            if slot is not None and slot.head is not None:
                speaker = self._actor(slot.head) or speaker
            last = self._last_speaker(occ.start, para)
            if speaker is None and last is not None:
                speaker = last.speaker
            if speaker is not None and lead:
                self._add(lead.end(), self._clause_end(lead.end(), se), speaker, "impersonal-passive",
                          f"it was {verb.form}", 0.6, verb=verb, anchor=occ.start)
            return

        slot = self.finder.slots.get(occ.start)
        if occ.agent >= 0:
            if slot is None or slot.head is None:
                return
            speaker = self._resolved(slot.head, occ)
            that = _THAT.match(text, slot.head.end)
            if speaker is None or not that:
                return
            end = self._clause_end(that.end(), se)
            if len(text[that.end():end].split()) >= 1:
                self._add(that.end(), end, speaker, "passive-agent", f"{verb.form} by", 0.8 * self._weight(slot.head),
                          verb=verb, anchor=occ.start, mention=slot.head)
            return
        if slot is not None and slot.coordinated:
            same = [s for s in self.statements if ss <= s.anchor < occ.start]
            if not same:
                # "Reid caucused in Nevada on Saturday and says he voted ...": the sentence's subject
                subject = self._opening_name(ss, occ.start)
                if subject is None:
                    return
                slot = None
        if slot is not None and slot.coordinated:
            last = max(same, key=lambda s: s.anchor)
            subject = last.speaker_mention
            if last.speaker is None:
                return
            self._coordinated_words(occ, last, se)
            return
        inverted = False
        participle = verb.form.endswith("ing") and occ.quoted_as < 0
        glued = _QUOTE_GLUED.search(before)
        speaker_mention: Mention | None = None
        speaker: Actor | None = None
        if participle:
            speaker_mention, speaker = self._participle_speaker(occ, ss)
            if speaker is None:
                return
        else:
            slot = self.finder.slots.get(occ.start)
            if slot is not None and slot.inverted and slot.head is not None:
                speaker_mention, speaker = slot.head, self._resolved(slot.head, occ)
                inverted = speaker is not None
                glued = None
            elif slot is not None and (slot.named or slot.head) is not None:
                glued = None
            if glued:
                after_mention = self._subject_after(occ.end, se)
                if after_mention is _CARRIER:
                    last = self._last_speaker(occ.start, para)
                    speaker = last.speaker if last else None
                    inverted = speaker is not None
                elif after_mention is not None and not _CLAUSE_GOES_ON.match(self.text, after_mention.end) \
                        and not (self.text[after_mention.start:after_mention.end].lower() in _SUBJECT_PRONOUNS
                                 and _PRONOUN_THEN_WORD.match(self.text, after_mention.end)):
                    speaker_mention, speaker = after_mention, self._resolved(after_mention, occ)
                    inverted = speaker is not None
                    if speaker is not None and after_mention.kind in ("name", "name1"):
                        self.finder._inverted_appositive(after_mention, speaker)
            if speaker is None and verb.evidence_subject and subject is not None and subject.text == "It":
                # "An autopsy by the institute gave ... It recorded ...": the document again
                last = self._last_speaker(occ.start, para, within=0)
                if last is None or last.verb is None or not last.verb.evidence_subject:
                    return
                speaker_mention, speaker = last.speaker_mention, last.speaker
            if speaker is None:
                share = self._share_subject(occ.start, ss)
                if share is not None:  # "Sixty-six percent said ...", "Six in 10 Democrats said ..."
                    speaker_mention, speaker = share, self._actor(share)
                    if speaker is not None:
                        speaker.collective = True
                        for inside in self.finder.mentions_between(share.start, share.end):
                            if inside.actor is not speaker and inside.text.lower() in self.lex.numbers:
                                if inside.actor is None:  # "Six" of "Six in 10 Democrats" is the share
                                    inside.actor = speaker
                                else:
                                    self.finder._merge(inside.actor, speaker)
            if speaker is None:
                speaker_mention = subject
                speaker = self._resolved(subject, occ) if subject is not None else None
            if speaker is None:
                speaker_mention = self._evidence_subject(occ.start, ss)
                speaker = self._actor(speaker_mention)
            if speaker is None:
                return

        anchor = occ.start if inverted or speaker_mention is None else min(speaker_mention.start, occ.start)
        if not inverted:
            slot = self.finder.slots.get(occ.start)
            if slot is not None and slot.head is not None and not slot.inverted and slot.head.start < anchor:
                anchor = slot.head.start  # "“...,” the directorate's head, Hernan Villalobos, said"
        # 1. a quotation just before: '“...,” X said' / '“...,” urged X'
        quote = self._quote_before(anchor, para)
        if quote is not None:
            self._add(quote.start, quote.end, speaker, "direct-quote", verb.form, 0.95 * self._weight(speaker_mention),
                      verb=verb, anchor=occ.start, mention=speaker_mention, quote=quote)
            tail = (speaker_mention.end if inverted and speaker_mention else occ.end)
            if inverted:  # '“...,” said Viktor Lund, the commission’s chairman, “and ...”'
                appositive = _APPOSITIVE.match(text, tail)
                if appositive:
                    after = appositive.end()
                    while after < len(text) and text[after].isspace():
                        after += 1
                    if self._quote_at(after) is not None:
                        tail = appositive.end() - 1
            follow = _COMMA_GAP.match(text, tail)
            if follow:
                nxt = self._quote_at(follow.end())
                if nxt is not None:
                    self._add(nxt.start, nxt.end, speaker, "direct-quote", verb.form, 0.9 * self._weight(speaker_mention),
                              verb=verb, anchor=occ.start, mention=speaker_mention, quote=nxt)
            return
        if inverted:
            self._trailing(occ, speaker, speaker_mention, ss, se, anchor)
            return
        # a parenthetical attribution: "The detainees, the group said, were held in a basement"
        if verb.object == "clause" and speaker_mention is not None:
            post = _PARENTHETICAL_AFTER.match(text, occ.end, se)
            if post and _CLAUSE_THEN_COMMA.search(text[ss:anchor]) and not _NOT_PARENTHETICAL.match(text, post.end()) \
                    and doc.in_quote(anchor) is None:
                self._add(ss, se, speaker, "parenthetical", verb.form, 0.8 * self._weight(speaker_mention),
                          verb=verb, anchor=occ.start, mention=speaker_mention)
                return
        # an account of what happened: 'described on Wednesday how two men in their group drowned'
        if verb.lemma in self.lex.account_verbs and self._account(occ, verb, speaker, speaker_mention, se):
            return
        # 2. naming verbs: 'called the reports “nonsense”'
        if verb.object == "naming":
            for q in doc.quotes:
                if occ.end <= q.outer_start <= occ.end + 80 and q.outer_start < se and q.start not in self.used_quotes:
                    if not _SENTENCE_STOP.search(text, occ.end, q.outer_start):
                        self._add(q.start, q.end, speaker, "direct-quote", verb.form, 0.9 * self._weight(speaker_mention),
                                  verb=verb, anchor=occ.start, mention=speaker_mention, quote=q)
                    break
            return
        # 3. the reported words after the verb
        position = occ.end
        if verb.recipient:
            position = self._skip_recipient(position, se)
        lead = _CONTENT_LEAD.match(text, position)
        start = lead.end() if lead else position
        has_that = bool(lead and _THAT_ENDING.search(lead.group()))
        if start >= se:
            self._trailing(occ, speaker, speaker_mention, ss, se, anchor)
            return
        quote = self._quote_at(start)
        if quote is not None:
            rest = text[quote.outer_end:max(se, quote.outer_end)]
            if quote.outer_end >= se or _PUNCTUATION_ONLY.fullmatch(rest):
                self._add(quote.start, quote.end, speaker, "direct-quote", verb.form, 0.95 * self._weight(speaker_mention),
                          verb=verb, anchor=occ.start, mention=speaker_mention, quote=quote)
                return
        elif verb.object == "question":
            # 'asked (the minister) whether the detainees had been charged': the indirect question
            question = INDIRECT_QUESTION.match(text, occ.end, min(se, occ.end + 60))
            if question is not None:
                end = self._clause_end(question.start(1), se)
                if len(text[question.start(1):end].split()) >= 3:
                    self._add(question.start(1), end, speaker, "indirect-question", verb.form,
                              0.8 * self._weight(speaker_mention), verb=verb, anchor=occ.start, mention=speaker_mention)
            return
        elif verb.object == "quote":
            return
        if not has_that and _ADVERBIAL_TAIL.match(text, occ.end) and self._trailing(
                occ, speaker, speaker_mention, ss, se, anchor, quiet=True):
            return
        as_quote = _AS_QUOTE.match(text, occ.end, se)
        if as_quote is not None:  # 'dismissed as “fiction”', 'described the raid as “an intimidation operation”'
            quote = self._quote_at(as_quote.end())
            if quote is not None:
                self._add(quote.start, quote.end, speaker, "direct-quote", verb.form, 0.85 * self._weight(speaker_mention),
                          verb=verb, anchor=occ.start, mention=speaker_mention, quote=quote)
                return
        if verb.object == "np" and not has_that:
            stop = _NP_END.search(text, occ.end, se)
            end = stop.start() if stop else se
            if len(text[occ.end:end].split()) >= 1:
                self._add(occ.start, end, speaker, "denial-object", verb.form, 0.8 * self._weight(speaker_mention),
                          verb=verb, anchor=occ.start, mention=speaker_mention)
            return
        adverbial = _LEAD_ADVERBIAL.match(text, start)
        if adverbial and adverbial.end() < se:  # "said on Wednesday it had opened ..."
            start = adverbial.end()
            that = _THAT_NEXT.match(text, start)
            if that:
                start = that.end()
        end = self._clause_end(start, se)
        if _RELATIVE_BEFORE_VERB.search(text[ss:occ.start]):
            # "Migrants who say guards beat them described ...": the relative clause ends at the main verb
            for other in speech_occurrences(doc):
                if occ.end < other.start < end and other.sent == occ.sent and not doc.in_quote(other.start) \
                        and not _COORDINATION_ENDING.search(text[occ.end:other.start]):
                    end = _rstrip_end(text, other.start)
                    while end > start and text[end - 1] in " ,":
                        end -= 1
                    end = self._last_word_before(start, end)  # (the main verb's own adverbs stay out)
                    break
        if speaker_mention is not None and _COMMA_RELATIVE.search(text, max(ss, speaker_mention.start - 12),
                                                                  speaker_mention.start):
            # "The men, who police said were armed, fled": the words end where the relative clause does
            comma = text.find(",", start, end)
            if comma > 0:
                end = comma
        if not has_that and _PREPOSITION_FIRST.match(text, start) and not (
                verb.object == "clause" and _CONDITIONAL_CLAIM.match(text, start, end)):
            self._trailing(occ, speaker, speaker_mention, ss, se, anchor)
            return  # "reported about public procurement", "said in a statement": no clause follows
        if len(text[start:end].split()) >= 2:
            self._add(start, end, speaker, "indirect-speech", verb.form, 0.85 * self._weight(speaker_mention),
                      verb=verb, anchor=occ.start, mention=speaker_mention)
            return
        self._trailing(occ, speaker, speaker_mention, ss, se, anchor)

    def _account(self, occ: Occurrence, verb: Verb, speaker: Actor, mention: Mention | None, se: int) -> bool:
        """'described (to reporters) (on Wednesday) how two men drowned': the words after "how",
        up to a summing-up after a comma (", accounts that the agency dismissed"), are what the
        speaker told of."""
        text = self.text
        position = self._skip_recipient(occ.end, se) if verb.recipient else occ.end
        adverbial = _LEAD_ADVERBIAL.match(text, position + 1) if text[position:position + 1] == " " else None
        how = _HOW.match(text, adverbial.end() - 1 if adverbial else position, se)
        if how is None:
            return False
        start = how.end()
        end = self._clause_end(start, se)
        summing_up = _SUMMING_UP.search(text, start, end)
        if summing_up is not None:
            end = summing_up.start()
        if len(text[start:end].split()) < 3:
            return False
        self._add(start, end, speaker, "indirect-speech", verb.form, 0.8 * self._weight(mention),
                  verb=verb, anchor=occ.start, mention=mention)
        return True

    def _coordinated_words(self, occ: Occurrence, last: Statement, se: int) -> None:
        """The words of "and said (that) ..." after an earlier speech verb of the same speaker."""
        text, verb = self.text, occ.verb
        position = self._skip_recipient(occ.end, se) if verb.recipient else occ.end
        lead = _CONTENT_LEAD.match(text, position)
        start = lead.end() if lead else position
        adverbial = _LEAD_ADVERBIAL.match(text, start)
        if adverbial and adverbial.end() < se:
            start = adverbial.end()
            that = _THAT_NEXT.match(text, start)
            if that:
                start = that.end()
        quote = self._quote_at(start)
        if quote is not None and quote.outer_end >= se - 1:
            self._add(quote.start, quote.end, last.speaker, "direct-quote", verb.form, 0.85, verb=verb,
                      anchor=occ.start, mention=last.speaker_mention, quote=quote)
            return
        if verb.object in ("naming", "quote") or _PREPOSITION_FIRST.match(text, start):
            return
        end = self._clause_end(start, se)
        if verb.object == "np" and not (lead and "that" in lead.group().lower()):
            stop = _NP_END.search(text, occ.end, se)
            end = stop.start() if stop else se
            start = occ.start
        if len(text[start:end].split()) >= 2:
            self._add(start, end, last.speaker, "coordinated-speech" if verb.object != "np" else "denial-object",
                      verb.form, 0.8, verb=verb, anchor=occ.start, mention=last.speaker_mention)

    def _resolved(self, mention: Mention | None, occ: Occurrence) -> Actor | None:
        if mention is not None and mention.kind == "pronoun" and mention.antecedent is not None \
                and mention.antecedent.actor is not None:
            return mention.antecedent.actor  # "Six members of the group ... gave accounts. They said"
        if mention is not None and mention.kind == "pronoun":
            # "he added", "it said": the last speaker of that kind, unless another was named since
            last = self._last_speaker(occ.start, occ.para, within=1)
            if last is not None and _fits(last.speaker, mention.pronoun_class) and not _other_gender(last.speaker, mention):
                # (a name inside reported words is less prominent than the speaker: "Sultanova said
                # Tolegenov had received calls. She said ..." is Sultanova again)
                mentions = self.finder.mentions
                named_since = any(
                    m.kind in ("name", "name1", "org")
                    and m.actor is not None and m.actor is not last.speaker and _fits(m.actor, mention.pronoun_class)
                    and not any(s.start <= m.start < s.end for s in self.statements)
                    for m in mentions[self.finder.from_index(last.anchor + 1):self.finder.from_index(mention.start)]
                )
                if not named_since:
                    return last.speaker
        actor = self._actor(mention)
        if actor is None and mention is not None and mention.kind in ("pronoun", "descriptor"):
            last = self._last_speaker(occ.start, occ.para, within=1)
            if last is not None:
                actor = last.speaker
        return actor

    def _weight(self, mention: Mention | None) -> float:
        if mention is None:
            return 0.8
        return {"pronoun": 0.9, "descriptor": 0.9, "name1": 0.95}.get(mention.kind, 1.0)

    def _participle_speaker(self, occ: Occurrence, ss: int) -> tuple[Mention | None, Actor | None]:
        text = self.text
        mention = self.finder.mention_before(occ.start, ss)
        if mention is not None and re.fullmatch(r"\s+", text[mention.end:occ.start]):
            if re.search(r"\bwith\s+$", text[ss:mention.start], re.IGNORECASE) or mention.end == occ.start - 1:
                actor = self._resolved(mention, occ)
                if actor is not None:
                    return mention, actor
        if self.lex.participle_link_re.search(text, ss, occ.start):
            same = [s for s in self.statements if ss <= s.anchor < occ.start]
            if same:
                last = max(same, key=lambda s: s.anchor)
                return last.speaker_mention, last.speaker
            subject = self.finder.mention_before(occ.start, ss)
            while subject is not None:
                if subject.start == ss or self.text[ss:subject.start].strip() == "" or subject.kind in ("name", "org", "name1"):
                    actor = self._resolved(subject, occ)
                    return subject, actor
                subject = self.finder.mention_before(subject.start, ss)
        return None, None

    def _skip_recipient(self, position: int, se: int) -> int:
        match = re.compile(r"\s+(?:the\s+)?([\w’']+)").match(self.text, position)
        if not match:
            return position
        if match.group(1).lower() in self.lex.recipients:
            return match.end()
        for mention in self.finder.mentions:
            if position < mention.start <= match.start(1) + 1:
                return mention.end
            if mention.start > match.start(1) + 1:
                break
        # "told state television the claims were false", "told a parliamentary committee that":
        # the listener is a short noun phrase, ended by "that" or by the start of a clause
        tokens = self.doc.tokens
        i = self.doc.token_index_at(position)
        k = i
        while k < len(tokens) and k - i < 5 and tokens[k].end <= se:
            token = tokens[k]
            if k > i and self.text[tokens[k - 1].end:token.start] not in (" ", "-"):
                break
            if k > i and (token.low in _CLAUSE_OPENERS or token.low == "that" or token.low in self.lex.verbs):
                break
            if token.low in _NP_STOP_WORDS and not (k == i and token.low in ("a", "an", "the", "his", "her", "their", "its", "our")):
                break
            if token.in_quote:
                break
            k += 1
        if k > i and k < len(tokens) and tokens[k].end <= se and (
                tokens[k].low == "that" or tokens[k].low in _CLAUSE_OPENERS) and k - i <= 4:
            return tokens[k - 1].end
        return position

    def _quote_before(self, anchor: int, para: int) -> Quote | None:
        quotes, ends = self.doc.quotes, self.doc.quote_ends
        if ends is not None:  # the last quotation before the first one closing after anchor
            index = bisect.bisect_right(ends, anchor)
            best = quotes[index - 1] if index else None
        else:
            best = None
            for quote in quotes:
                if quote.outer_end > anchor:
                    break
                best = quote
        if best is None or best.start in self.used_quotes or best.last_para != para:
            return None
        if not _QUOTE_GAP.fullmatch(self.text[best.outer_end:anchor]):
            return None
        return best

    def _quote_at(self, position: int) -> Quote | None:
        quotes, starts = self.doc.quotes, self.doc.quote_starts
        index = self.doc.quote_opening_at(position)
        while index < len(quotes) and starts[index] == position:
            if quotes[index].start not in self.used_quotes:
                return quotes[index]
            index += 1
        return None

    def _last_word_before(self, start: int, end: int) -> int:
        """End of the relative clause before its main verb, without the verb's adverbs."""
        text = self.text
        while True:
            word = re.search(r"\s+([\w’']+)$", text[start:end])
            if word and (word.group(1).lower().endswith("ly") or word.group(1).lower() in self.lex.between_words):
                end = start + word.start()
                continue
            return end

    def _clause_end(self, start: int, se: int) -> int:
        end = se
        for match in _CLAUSE_CUT.finditer(self.text, start, se):
            if not self.doc.in_quote(match.start()):
                end = match.start()
                break
        if self.doc.may_contain("and", start, end):  # (the pattern is tried at every comma and space)
            for match in _AND_VERB.finditer(self.text, start, end):
                if match.group(1).lower() in self.lex.verbs and not self.doc.in_quote(match.start()):
                    end = match.start()  # "that A, and suggested B": B is another statement
                    break
        for match in self.doc.cues.within("according", start, se):
            if not self.doc.in_quote(match.start()):
                end = min(end, match.start())
                break
        for match in _COMMA_PARTICIPLE.finditer(self.text, start, end):
            if match.group(1).lower() in self.lex.verbs and not self.doc.in_quote(match.start()):
                end = match.start()
                break
        # a trailing attribution of the whole sentence: "... the attackers fled north, a spokesman said"
        occurrences = speech_occurrences(self.doc)
        if self._occurrence_starts is None:
            self._occurrence_starts = [o.start for o in occurrences]
        for index in range(bisect.bisect_right(self._occurrence_starts, start), len(occurrences)):
            occurrence = occurrences[index]
            if occurrence.start >= end:
                break
            if not self.doc.in_quote(occurrence.start) and _ADVERBIAL_TAIL.match(self.text, occurrence.end):
                comma = self.text.rfind(",", start, occurrence.start)  # (no comma stands in the speaker's words)
                if comma >= 0 and _TRAILING_SPEAKER.match(self.text, comma, occurrence.start):
                    end = comma
                    break
        # a quotation that starts inside the clause is kept whole
        quotes, starts = self.doc.quotes, self.doc.quote_starts
        index = self.doc.quote_opening_at(start)
        while index < len(quotes) and starts[index] < end:
            if end < quotes[index].outer_end:
                end = quotes[index].outer_end
            index += 1
        return end

    def _trailing(self, occ: Occurrence, speaker: Actor, mention: Mention | None, ss: int, se: int,
                  anchor: int, quiet: bool = False) -> bool:
        """'..., alleged Lapunov.': the unquoted clause before the comma is the speaker's."""
        text = self.text
        head = text[ss:anchor]
        comma = _COMMA_ENDING.search(head)
        if not comma:
            return False
        start = ss
        for statement in self.statements:
            if ss <= statement.end <= anchor and statement.end > start:
                start = statement.end
        end = ss + comma.start()
        words = len(text[start:end].split())
        if words < 3 or words <= 10 and _ADVERBIAL_ONLY.fullmatch(text, start, end):
            return False  # ("In a 1963 speech, X said ...", "If he wins the presidency, X said": no words of X's)
        inner = self.doc.in_quote(end - 1)
        if inner is not None and inner.start in self.used_quotes:
            return False
        return self._add(start, end, speaker, "trailing-attribution", occ.verb.form, 0.75 * self._weight(mention),
                         verb=occ.verb, anchor=occ.start, mention=mention) is not None

    # --- according to -----------------------------------------------------------------------------

    def _according_to(self) -> None:
        doc, text = self.doc, self.text
        for ss, se, para in doc.sentences:
            for match in doc.cues.within("according", ss, se):
                if doc.in_quote(match.start()):
                    continue
                mention = None
                mentions = self.finder.mentions
                index = self.finder.from_index(match.end())
                while index < len(mentions):
                    candidate = mentions[index]
                    if candidate.start > match.end() + 40:
                        break
                    if candidate.kind == "pronoun" and candidate.text.lower() in _POSSESSIVE_DETERMINERS \
                            and index + 1 < len(mentions) and mentions[index + 1].kind in ("name", "name1") \
                            and _DESCRIPTION_THEN_NAME.fullmatch(text, candidate.start, mentions[index + 1].start) \
                            and _APPOSITION_CLOSES.match(text, mentions[index + 1].end):
                        index += 1  # "according to its owner, Nico Brandi": the owner, not "its"
                        continue
                    gap = text[match.end():candidate.start]
                    if not self._breaks_phrase(gap) or candidate.kind in ("name", "name1") \
                            and _DESCRIPTION_THEN_NAME.fullmatch(gap) and _APPOSITION_CLOSES.match(text, candidate.end):
                        mention = candidate
                        # a title before the name: "according to army spokesman Col. Ivan Petrov", or
                        # the name in apposition: "according to the network's director, Amina Yusuf,"
                        while index + 1 < len(mentions) and mentions[index + 1].kind in ("name", "name1", "org") \
                                and mention.kind in ("title", "descriptor", "np", "collective") \
                                and (re.fullmatch(r"\s+(?:[A-Z][a-z]{0,4}\.\s+)?", text[mention.end:mentions[index + 1].start])
                                     or _APPOSITION_GAP.fullmatch(text, mention.end, mentions[index + 1].start)
                                     and _APPOSITION_CLOSES.match(text, mentions[index + 1].end)):
                            index += 1
                            mention = mentions[index]
                        break
                    index += 1
                if mention is None:
                    mention = self._evidence_source(match.end(), se)
                speaker = self._actor(mention)
                if speaker is None:
                    continue
                head = text[ss:match.start()]
                cue = text[match.start():mention.end]
                if not head.strip() or re.fullmatch(r"\s*(?:but|and|yet|so|also)?[\s,]*", head, re.IGNORECASE):
                    comma = text.find(",", mention.end, se)
                    if comma > 0:
                        self._add(comma + 1, se, speaker, "according-to", cue, 0.85, anchor=match.start(),
                                  mention=mention)
                else:
                    self._add(ss, match.start(), speaker, "according-to", cue, 0.85, anchor=match.start(),
                              mention=mention)

    def _breaks_phrase(self, gap: str) -> bool:
        """Punctuation that ends the phrase after "according to"; the full stop of an
        abbreviation does not ("according to Rep. Trey Gowdy")."""
        for stop in _PHRASE_STOP.finditer(gap):
            if stop.group() != "." or gap[_ABBREVIATION_END.search(gap, 0, stop.start()).start():stop.start()] \
                    not in self.lex.abbreviations:
                return True
        return False

    def _evidence_subject(self, verb_start: int, ss: int) -> Mention | None:
        """'A new Latino Decisions poll released Friday found that ...', 'New polls released Sunday
        showed ...': a poll, survey or record (speech.yaml evidence) with words after it, where no
        actor stands before the verb. The phrase from its determiner (or the sentence's start,
        at most five words back) to the evidence word."""
        tokens = self.doc.tokens
        aside = ASIDE_BEFORE.search(self.text, max(ss, verb_start - 120), verb_start)
        if aside is not None:
            verb_start = aside.start()
        k = self.doc.token_index_at(verb_start) - 1
        stop = max(k - 6, 0)
        while k >= stop and tokens[k].start >= ss:
            token = tokens[k]
            if token.low in self.lex.evidence and not token.cap:
                break
            if token.low in _EVIDENCE_GAP_STOPS or token.in_quote:
                return None
            k -= 1
        else:
            return None
        if k < 0 or tokens[k].start < ss or _CLAUSE_PUNCTUATION.search(self.text, tokens[k].end, verb_start) \
                or k > 0 and tokens[k - 1].low == "to":
            return None  # (a comma between: an appositive or a clause; "to probe": a verb)
        head = tokens[k]
        first = k
        while first > 0 and k - first < 5 and tokens[first - 1].start >= ss \
                and self.text[tokens[first - 1].end:tokens[first].start] in (" ", "-", "/"):
            previous = tokens[first - 1]
            if previous.low in _EVIDENCE_GAP_STOPS or previous.low in _PREPOSITIONS or previous.in_quote:
                break
            first -= 1
            if previous.low in _DETERMINERS:
                break
        author = self._author_after(head.end, verb_start)
        if author is not None:
            return author
        start = tokens[first].start
        doc = self.doc
        return Mention(start=start, end=head.end, kind="np", rule="speaker-phrase", text=self.text[start:head.end],
                       in_quote=False, sent=doc.sentence_at(start), para=doc.paragraph_at(start), head=head.low,
                       det="bare", type="Organization")

    def _share_subject(self, verb_start: int, ss: int) -> Mention | None:
        """A share of people as the subject, opening its clause: "Sixty-six percent", "52 percent
        of registered voters", "About four in 10 Republican primary voters", "Nearly half"."""
        if not _SHARE_WORD.search(self.text, max(ss, verb_start - 160), verb_start):
            return None
        end = strip_between(self.lex, self.text, ss, verb_start)
        share = _SHARE.search(self.text, max(ss, end - 120), end)
        if share is None or not (share.start() == ss or _CLAUSE_BEFORE_SHARE.search(
                self.text, max(ss, share.start() - 12), share.start())):
            return None
        if any(w.lower() in self.lex.verbs or w.lower() in self.lex.pronouns for w in _WORD.findall(share.group())):
            return None  # "Six in 10 Democrats said they think ...": the share spoke before, "they" think
        sentence = self.doc.sentence_at(verb_start)
        for occurrence in speech_occurrences(self.doc):
            # "Roughly 40 percent of those it interviewed reported violence, the group said": the
            # share is inside the group's words, which the group's verb after them attributes
            if occurrence.start <= verb_start or occurrence.sent != sentence or self.doc.in_quote(occurrence.start):
                continue
            comma = self.text.rfind(",", verb_start, occurrence.start)
            if comma >= 0 and _ADVERBIAL_TAIL.match(self.text, occurrence.end) \
                    and _TRAILING_SPEAKER.match(self.text, comma, occurrence.start):
                return None
        doc = self.doc
        return Mention(start=share.start(), end=share.end(), kind="np", rule="speaker-phrase", text=share.group(),
                       in_quote=False, sent=doc.sentence_at(share.start()), para=doc.paragraph_at(share.start()),
                       head="people", det="bare", type="Person")

    def _author_after(self, position: int, end: int) -> Mention | None:
        """The body that wrote a document: "an autopsy by the state Institute of Legal Medicine"."""
        by = _BY_AUTHOR.match(self.text, position, end)
        if by is None:
            return None
        mentions = self.finder.mentions
        index = self.finder.from_index(by.end())
        if index < len(mentions) and mentions[index].start < end and mentions[index].actor is not None \
                and mentions[index].actor.type in ORG_TYPES \
                and not _CLAUSE_PUNCTUATION.search(self.text, by.end(), mentions[index].start):
            return mentions[index]
        return None

    def _evidence_source(self, start: int, se: int) -> Mention | None:
        """'According to recent polls, ...', '..., according to exit polls': a poll, report or
        record (speech.yaml: evidence) speaks when no actor is named; the phrase up to that word."""
        lead = re.compile(r"\s*").match(self.text, start).end()
        stop = _PHRASE_STOP.search(self.text, lead, se)
        end = stop.start() if stop else se
        for word in _EVIDENCE_WORD.finditer(self.text, lead, min(end, lead + 60)):
            if word.group().lower() in self.lex.evidence:
                doc = self.doc
                return Mention(start=lead, end=word.end(), kind="np", rule="speaker-phrase",
                               text=self.text[lead:word.end()], in_quote=False, sent=doc.sentence_at(lead),
                               para=doc.paragraph_at(lead), head=word.group().lower(), det="bare",
                               type="Organization")
        return None

    # --- quotations without a speech verb -----------------------------------------------------------

    def _continuations(self) -> None:
        doc, text = self.doc, self.text
        for quote in doc.quotes:
            if quote.start in self.used_quotes or any(s.start <= quote.start < s.end for s in self.statements):
                continue
            sentence = doc.sentences[doc.sentence_at(quote.outer_start)]
            opens_sentence = quote.open < 0 or not text[sentence[0]:quote.outer_start].strip()
            if not opens_sentence:
                continue
            paragraphs = range(quote.para, quote.last_para + 1)
            same = [s for s in self.statements
                    if s.kind == "direct" and s.rule != "quote-continuation-prev" and doc.paragraph_at(s.start) in paragraphs]
            before = [s for s in same if s.start < quote.start]
            after = [s for s in same if s.start > quote.start]
            source = None
            if before:
                source, confidence = max(before, key=lambda s: s.start), 0.75
            elif after:
                source, confidence = min(after, key=lambda s: s.start), 0.7
            elif doc.paragraphs[quote.para][0] == quote.outer_start and quote.para > 0:
                prev = [s for s in self.statements if doc.paragraph_at(s.start) == quote.para - 1 and s.kind == "direct"]
                if prev:
                    source, confidence = max(prev, key=lambda s: s.start), 0.6
            if source is None:
                continue
            self._add(quote.start, quote.end, source.speaker, "quote-continuation", source.cue, confidence,
                      verb=source.verb, anchor=source.anchor, mention=source.speaker_mention, quote=quote)

    def _dedupe(self) -> list[Statement]:
        ordered = sorted(self.statements, key=lambda s: (s.start, -(s.end - s.start)))
        kept: list[Statement] = []
        for statement in ordered:
            duplicate = False
            for other in kept:
                if other.start <= statement.start and statement.end <= other.end:
                    if other.speaker is statement.speaker or (other.start, other.end) == (statement.start, statement.end):
                        duplicate = True
                        break
            if not duplicate:
                kept.append(statement)
        return kept


def _other_gender(actor: Actor, mention: Mention) -> bool:
    gender = gender_of(mention.text)
    return bool(gender and actor.gender and gender != actor.gender)


def _fits(actor: Actor, pronoun_class: str | None) -> bool:
    if pronoun_class == "person":
        return actor.type == "Person" and not actor.collective
    if pronoun_class == "organisation":
        return actor.type in ORG_TYPES
    return actor.collective or actor.type in ORG_TYPES


class _Carrier(Mention):
    pass


_CARRIER = _Carrier(0, 0, "carrier", "carrier", "", False, 0, 0)
