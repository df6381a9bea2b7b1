"""What kind of thing a question asks for (an amount, a time, a name), and whether a sentence
holds one the question does not already say.

"Hoeveel bijeenkomsten organiseert het project?" shares its words with many sentences about
meetings; the one that answers it also holds a number. Classic question answering calls this the
expected answer type; here it is a tie-breaker between sentences that cover the question alike.
"""

from __future__ import annotations

import re

from wordfreq import zipf_frequency

from rag.store.bm25 import tokenize

_NUMBER_WORDS = (
    r"twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|twintig|"
    r"dertig|veertig|vijftig|honderd|duizend|two|three|four|five|six|seven|eight|nine|ten|twelve|"
    r"fifteen|twenty|hundred|thousand|driekwart|kwart|derde|procent|quarter|third|percent|"
    r"(?<!eerste )(?<!tweede )helft|(?<!first )(?<!second )half"  # "de eerste helft van 2027" is a time
)
_MONTHS = (
    r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    r"january|february|march|june|july|august|october|"
    r"jan|feb|mrt|apr|jun|jul|aug|sept?|okt|oct|nov|dec"  # as planning notes abbreviate them: "(dec 2026)"
)
_ASKS: dict[str, re.Pattern[str]] = {
    # a day asks for more than "de eerste helft van 2027"
    "date": re.compile(
        r"\b((op )?welke (datum|dag)|(what|which|exact) (date|day)|on what day|exacte datum)\b", re.I
    ),
    # a cost asks for an amount of money, which a count of things does not answer
    "amount": re.compile(
        r"\b(hoeveel|how much)\b.*\b(kost\w*|gekost|bedrag\w*|geld|euro\w*|budget\w*|subsidie\w*|cost\w*|"
        r"spen[dt]|paid|pays?|funding|grant)\b"
        r"|^\s*(wat|what)\b.*\b(kost|kosten|costs?|budget)\b",
        re.I,
    ),
    "number": re.compile(r"\b(hoeveel|how (many|much)|aantal|number of)\b", re.I),
    "time": re.compile(r"\b(wanneer|when|hoe vaak|how often|hoe lang|how long|vanaf welke)\b", re.I),
    "reason": re.compile(r"\b(waarom|why|hoe komt het|how come)\b", re.I),
    "manner": re.compile(r"^\s*(hoe|how)\b(?!\s+(vaak|lang|veel|often|long|much|many)\b)", re.I),
    "name": re.compile(
        r"\b(wie|who|whom|welke (organisatie|partij|instantie|universiteit|studie)\w*|welk onderzoek|"
        r"which (organi[sz]ation|part(y|ies)|university|study|studies))\b",
        re.I,
    ),
}
# "Welke fotograaf …?", "Which vendor …?", "de naam van …": a question after one particular
# organisation, school or supplier, or after a name, is answered by a name. A sentence that mentions
# "een fotograaf" does not say which.
_WHICH_ONE = re.compile(
    r"\b(welke|which)\s+(?:[\w'’-]+\s+)?(?:[\w'’-]+\s+(?:of|or)\s+)?"
    r"(organisatie|instantie|universiteit|hogeschool|pabo|school|scholen|gemeente|bedrijf|leverancier|"
    r"fotograaf|bureau|stichting|organi[sz]ation|universit(y|ies)|municipalit|compan(y|ies)|vendor|"
    r"supplier|provider|photographer|firm)|\b(de naam van|the name of|hoe heet)\b",
    re.I,
)
# "Wie is de projectleider …?", "Who is the chair …?": a person, named beside the role ("Naïma
# Azough (voorzitter)"). The plan often names a role and not who fills it.
_ROLE = re.compile(
    r"\b(?:wie is|who is)\s+(?:de|the)\s+(?P<role>voorzitter|leerstoelhouder|hoogleraar|directeur|"
    r"projectleider|coördinator|contactpersoon|woordvoerder|chair(?:man|person| holder)?|director|"
    r"project leader|coordinator|spokesperson|professor|contact person)\b",
    re.I,
)
_ROLE_DUTCH = {
    "chair": "voorzitter",
    "chairman": "voorzitter",
    "chairperson": "voorzitter",
    "chair holder": "leerstoelhouder",
    "director": "directeur",
    "project leader": "projectleider",
    "coordinator": "coördinator",
    "spokesperson": "woordvoerder",
    "professor": "hoogleraar",
    # a contact person is named where one is to be contacted: "Neem contact op met Fatima El Ouali"
    "contactpersoon": "contact",
    "contact person": "contact",
}
ROLE_WINDOW = 3  # words between a role and the name of who fills it
# A day: "12 mei", "3-11-2026", "May 12".
_DATE = re.compile(
    rf"\b(\d{{1,2}}(e|ste|de)?\s+({_MONTHS})|({_MONTHS})\s+\d{{1,2}}\b|\d{{1,2}}[-/]\d{{1,2}}[-/]\d{{2,4}})",
    re.I,
)
# "Wat zijn vignetten?", "Wat is Discriminatie.nl?": a definition, which a sentence gives by saying
# what the term is ("Vignetten zijn geanonimiseerde verhalen …", "Discriminatie.nl, de
# koepelorganisatie van …"). With a definite article it asks for a part instead ("Wat is het doel").
_DEFINED = re.compile(
    r"^\s*(?:wat (?:is|zijn|betekent)|what (?:is|are|does))\s+(?:een\s+|an?\s+)?"
    r"(?!(?:de|het|the|dat|dit|this|that|er|there|daar)\b)(?P<term>[\w.’'-]{4,})",
    re.I,
)
TERM_PREFIX = 7  # letters a sentence's word shares with the defined term ("vignettes", "vignetten")
_TIME = re.compile(
    rf"\b({_MONTHS}|voorjaar|najaar|zomer|winter|kwartaal|quarter|Q[1-4]|"
    r"\w*(wekelijks|maandelijks|jaarlijks)|per (week|maand|jaar)|keer per|\d+ (weken|maanden|jaar))\b",
    re.I,
)
# How something is done: by doing, via, by means of.
_MANNER = re.compile(
    r"\b(door (te|het|de|middel van|een)|via|met behulp van|aan de hand van|by|through)\b", re.I
)
# A reason: because, so that, in order to.
_REASON = re.compile(r"\b(omdat|doordat|want|vanwege|daarom|zodat|om die reden|because|since|due to)\b", re.I)
# A count: a year ("in 2025") answers no "hoeveel".
_AMOUNT = re.compile(r"€\s?\d|\b\d[\d.,]*\s?(?:euro|eur)\b", re.I)
_NUMBER = re.compile(rf"\b((?!(?:19|20)\d\d\b)\d+|{_NUMBER_WORDS})\b", re.I)
_NAME = re.compile(r"(?<![.:!?]\s)\b([A-Z][\w’'-]*[a-z][\w’'-]*|[A-Z]{2,}\w*)")
_MARK = re.compile(r"^(?:[-•]|[a-z0-9]{1,2}[.)]|\([a-z0-9]\))\s+")  # a list item's mark: "- ", "9. ", "(b) "
_FIRST_WORD = re.compile(r"\S+")
_CITATION_MARK = re.compile(r"\[\d+\]")  # an answer's "[1]" is no count
_ENUMERATOR = re.compile(r"\(\d{1,2}\)")  # "we starten met (1) een behoeftenonderzoek": no count
_NOT_NAMES = frozenset({"KIS", "Nederland", "Nederlands", "Nederlandse"})
# "Hoeveel thematische campagnes …?", "How many interviews …?": the words that name what is counted.
_COUNTED = re.compile(r"\b(?:hoeveel|how many|aantal|number of)\s+([\w’'-]+(?:\s+[\w’'-]+)?)", re.I)
COUNT_WINDOW = 4  # words after a number where what it counts stands: "48 procent van de omwonenden"
EVERYDAY_ZIPF = 6.0  # a word this frequent in Dutch ("we", "bij", "ook") names nothing, capitalised or not
COMPOUND_PART = 5  # letters a stem needs to count as part of a compound ("campagne" in "themacampagnes")


def asks_for(question: str) -> str | None:
    """'amount', 'date', 'number', 'time', 'reason', 'manner', 'person', 'name' or 'definition'
    when the question's words ask for one; else None."""
    if _ROLE.search(question):
        return "person"
    if asks_which_one(question):
        return "name"
    if _DEFINED.match(question):
        return "definition"
    return next((kind for kind, pattern in _ASKS.items() if pattern.search(question)), None)


def asks_which_one(question: str) -> bool:
    """It asks which organisation, school or supplier: only a name answers it."""
    return bool(_WHICH_ONE.search(question))


def holds(kind: str, sentence: str, question: str) -> bool:
    """The sentence holds a thing of that kind that the question does not already say."""
    if kind == "definition":
        return _defines(sentence, question)
    if kind == "person":
        return _names_role(sentence, question)
    said = _said(question)
    pattern = {
        "amount": _AMOUNT,
        "date": _DATE,
        "number": _NUMBER,
        "time": _TIME,
        "name": _NAME,
        "manner": _MANNER,
        "reason": _REASON,
    }[kind]
    if kind == "number":
        sentence = _ENUMERATOR.sub("", sentence)
    mark = _MARK.match(sentence)
    after = mark.end() if mark else 0
    if kind == "name" and (first := _FIRST_WORD.match(sentence, after)):
        after = first.end()  # a capital that opens a sentence names nothing
    return any(_new(m.group(0), said) for m in pattern.finditer(sentence, after))


def counted(question: str) -> frozenset[str]:
    """The stems of what a "hoeveel" question counts ("Hoeveel thematische campagnes komen er?" →
    thematisch, campagn); empty when it counts nothing by name."""
    found = _COUNTED.search(question)
    return frozenset(tokenize([found.group(1)])[0]) if found else frozenset()


def counts(sentence: str, nouns: frozenset[str]) -> bool:
    """The sentence holds a number with what the question counts right after it ("4 thematische
    campagnes", "86 dialoogtafels"): a number beside something else ("twaalf gemeenten") answers a
    different count."""
    for number in _NUMBER.finditer(sentence):
        after = tokenize([" ".join(sentence[number.end() :].split()[:COUNT_WINDOW])])[0]
        if any(_same_word(word, noun) for word in after for noun in nouns):
            return True
    return False


def _same_word(a: str, b: str) -> bool:
    """One stem, or one a part of the other's compound."""
    return a == b or (len(b) >= COMPOUND_PART and b in a) or (len(a) >= COMPOUND_PART and a in b)


def _said(question: str) -> set[str]:
    """The question's words, and the parts of its compounds ("AI-chatbot" says "AI")."""
    words = {w.lower() for w in re.findall(r"[\w’'-]+", question)}
    return words | {part for word in words for part in word.split("-") if part}


def _new(found: str, said: set[str]) -> bool:
    """Not what the question already says, nor KIS or the country ("KIS-onderzoek"), nor an
    everyday word like "We" that opens a sentence glued to a heading ("evaluatie fase We monitoren
    …"); a number word ("twee") stays a count."""
    lower = found.lower()
    capitalised = found[:1].isupper() and not _NUMBER.fullmatch(found)
    common = capitalised and zipf_frequency(lower, "nl") >= EVERYDAY_ZIPF
    return lower not in said and found.split("-")[0] not in _NOT_NAMES and not common


def _names_role(sentence: str, question: str) -> bool:
    """The sentence names someone beside the role the question asks about."""
    asked = _ROLE.search(question)
    if asked is None:
        return False
    role = asked.group("role").lower()
    dutch = _ROLE_DUTCH.get(role, role)  # whole: a "leerstoel" is no "leerstoelhouder"
    said = _said(question)
    words = [w.strip("(),.:;") for w in sentence.split()]
    for at, word in enumerate(words):
        if word.lower().startswith(dutch):
            # the sentence's first word is capitalised for being first, not for being a name
            near = words[max(1, at - ROLE_WINDOW) : at] + words[at + 1 : at + 1 + ROLE_WINDOW]
            if any(_NAME.fullmatch(w) and _new(w, said) for w in near):
                return True
    return False


def _defines(sentence: str, question: str) -> bool:
    """The sentence says what the question's term is: the term, then "is", "betreft" or an
    apposition, and what it is (a sentence cut off after "is" says nothing)."""
    defined = _DEFINED.match(question)
    if defined is None:
        return False
    prefix = re.escape(defined.group("term").lower()[:TERM_PREFIX])
    says = r"\s+(?:is|zijn|betekent|betreft|betreffen|omvat)|,\s+(?:de|het|een)"
    pattern = rf"\b{prefix}[\w.’'-]*(?:{says})\s+\w"
    return re.search(pattern, sentence, re.I) is not None


def answers(question: str, answer: str) -> bool:
    """A composed answer holds the kind of thing the question asks for, if it asks for one (its
    citation marks left out)."""
    wanted = asks_for(question)
    if wanted is None:
        return True
    # line by line: a list item's "1." is no count, and a line opens with a capital like a sentence
    lines = (" ".join(_CITATION_MARK.sub("", line).split()) for line in answer.splitlines())
    return any(holds(wanted, line, question) for line in lines)
