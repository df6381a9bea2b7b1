"""The words of budget questions, Dutch and English, as patterns the question parser reads them by.

Kept apart from the parsing so the vocabulary can grow (a synonym, a typo) without touching logic.
"""

from __future__ import annotations

import re
from typing import Literal

Target = Literal["projects", "onderdelen", "organisations", "roles"]
VJI = "Verwey-Jonker Instituut"
MOVISIE = "Movisie"
LEVELS = ("senior", "medior", "junior", "expert")
FUNCTIONS = ("onderzoeker", "communicatieadviseur", "ondersteuning", "assistent", "stafkosten", "overhead")


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# Strong words make a budget question on their own; weak ones only with something to be about.
STRONG = _words(
    r"\b(begro\w*|budget\w*|\w*tarie\w*|bedrag\w*|totaalbedrag\w*|total amount|euro\w*|geld|money|"
    r"stafkosten\w*|overhead\w*|inhuur|"
    r"projectkosten|hourly|rates?|basisbedrag|cofinanci\w*|salar\w*|verdien\w*|lonen|earn\w*)\b|€"
)
WEAK = _words(
    r"\b(kost|kosten|kostte|duurder|duurst\w*|goedkoo\w*|uren|uur|hours?|costs?|expensive|cheap\w*|spend\w*|"
    r"spent|fte)\b|\bhoeveel\s+(financiering|(geld\s+)?(krijg\w*|ontvang\w*))\b|"
    r"\bhoeveel\s+(geld\s+)?(gaat|gaan)\s+((er|daarvan|hiervan)\s+)?naar\b|"
    r"\bhow much\b.*\b(get|receive)s?\b"
)
# weak when an organisation is named: "Hoeveel daarvan gaat naar Movisie?", "How much goes to VJI?"
RECEIVE = _words(
    r"\b(krijg\w*|ontvang\w*|receives?|gets?|(?:goes|go) to|"
    r"(?:gaat|gaan)(?:\s+(?:er|daarvan|hiervan))?\s+naar)\b"
)
SALARY = _words(r"\b(salar\w*|verdien\w*|lonen|loon|earns?|earnings|directeur|director|ceo|bestuurder)\b")
RATE = _words(r"\b(\w*tarie\w*|hourly|rates?|uurprijs)\b|\b(per|een|an) (uur|hour)\b")
HOURS = _words(r"\b(hoeveel uur|hoeveel uren|aantal uren|uren|how many hours|hours|fte)\b")
FTE = _words(r"\bfte\b")
# A name the budget is asked of: "de begroting van het COA", "een onderzoeker bij TNO", "budget of the SCP",
# "besteedt de gemeente Amsterdam".
OWNER = re.compile(
    r"(?:\b(?:[Vv]an|[Bb]ij|of|at|from)\s+(?:(?:het|de|een|the|a|an)\s+)?"
    r"(?:(?:ministerie|ministry|gemeente)\s+(?:van\s+|of\s+)?)?"
    r"|\b(?:[Gg]emeente|[Mm]unicipality of|[Cc]ity of)\s+)"
    r"([A-Z][\w-]*)"
)
PROGRAMME_WORDS = _words(
    r"\b(kis|programma|hele programma|overall|whole programme|whole program|altogether)\b"
)
# "the total budget" is the programme's, unless the conversation is about a project or onderdeel
WHOLE_BUDGET = _words(r"\b(totale begroting|totale budget|total budget)\b")
EXTERNAL = _words(r"\b(extern\w*|inhuur|external|hired)\b")
ADDITIONS = _words(r"\b(additione\w*|aanvull\w*|extra|uitbreiding\w*|cofinanci\w*|additional|extensions?)\b")
HOW_MUCH = _words(r"\b(hoeveel|how much)\b")
SHARE = _words(
    r"\b(welk deel|welk gedeelte|aandeel|percentage|procent|share|what part|what proportion|"
    r"what percentage)\b"
)
BASIS = _words(r"\b(basisbedrag|basisbudget|base amount|base budget)\b")
COMPARE = _words(
    r"\b(vergelijk\w*|compare\w*|versus|vs|verschil\w*|difference|duurder|goedkoper|meer|minder|more|less|"
    r"hoger|lager|higher|lower|groter|kleiner|bigger|larger|smaller|cheaper)\b"
)
# "Vergelijk project 4 en 6": a comparison that names nothing else compares the budgets.
BARE_COMPARISON = _words(
    r"^\s*(vergelijk|compare)\s+((de |het |the )?(projecten|projects?|onderde(el|len)|organisaties)?\s*"
    r"(\w+|verwey-jonker( instituut)?)\s*(,|en|and|met|with|&|of|or|vs\.?)?\s*)+[?.!]?\s*$"
)
# "Wat is het totaal?": in this corpus a total is a budget total, of which there are many.
BARE_TOTAL = _words(r"^\s*(wat|what)\s+(is|was)\s+(het|de|the)\s+(totaal|total)\s*[?.!]?\s*$")
SUM = _words(r"\b(samen|opgeteld|bij elkaar|gezamenlijk|together|combined|in totaal|in total|totaal|total)\b")
# The tables say how much, never why: "Waarom reserveert KIS niet meer geld voor …?" is for the text.
REASON = _words(r"\b(waarom|why|hoe komt het|how come)\b")
MAX = _words(r"\b(grootste|hoogste|meeste|duurste?|meest|largest|biggest|highest|most)\b")
MIN = _words(r"\b(kleinste|laagste|minste|goedkoopste?|minst|smallest|lowest|cheapest|least)\b")
RANKED = _words(r"\b(projecte?n?|projects?|onderde(el|len)|organisaties?|functies?|roles?|wie|who)\b")
TOP = _words(r"\btop\s*(\d{1,2})\b|\b(\d{1,2})\s+(?:duurste|grootste|goedkoopste|kleinste|most|largest)\b")
TARGETS: tuple[tuple[Target, re.Pattern[str]], ...] = (
    ("onderdelen", _words(r"\b(onderde(el|len)|components?|parts?)\b")),
    ("organisations", _words(r"\b(organisatie\w*|instituut|instituten|organi[sz]ations?|wie)\b")),
    ("roles", _words(r"\b(functie\w*|rol|rollen|roles?|functieniveau\w*)\b")),
)
LISTING: tuple[tuple[Target, re.Pattern[str]], ...] = (
    (
        "projects",
        _words(
            r"\b(per project|(alle|elk|ieder|welke|hoeveel) projecte?n?|de projecten|the projects|"
            r"(each|all|every|which) projects?|how many projects|projectbegrotingen)\b"
        ),
    ),
    (
        "onderdelen",
        _words(
            r"\b(per onderdeel|(alle|elk|ieder|hoeveel) onderdee?le?n?|(each|every|all) (parts?|components?)|"
            r"how many (parts|components))\b"
        ),
    ),
    ("organisations", _words(r"\b(per organisatie|beide organisaties|both organi[sz]ations)\b")),
)
# "Hoeveel projecten kosten meer dan € 100.000?": the listing, then how many it holds.
COUNTED = _words(r"\b(hoeveel|how many)\s+(projecten|onderdelen|projects|parts|components)\b")
THRESHOLD = _words(
    r"\b(meer dan|boven|hoger dan|more than|above|over|minder dan|onder|lager dan|less than|below|under)\s+"
    r"(?:(?:de|het|the)\s+)?(?:€\s*)?(\d{1,3}(?:\.\d{3})+|\d+)(\s*(?:k|duizend|thousand))?\b"
)
BELOW = ("minder dan", "onder", "lager dan", "less than", "below", "under")
ORGANISATIONS = ((VJI, _words(r"\bverwe[yij]+[- ]?jonkers?\b|\bvji\b")), (MOVISIE, _words(r"\bmovis[i]?e\b")))
ONDERDEEL_LETTERS = _words(
    r"\b(?:onderde(?:el|len)|parts?|components?|section)\s+([a-e](?:\s*(?:,|en|and|&|of|or|met|with|vs\.?)\s*"
    r"(?:onderdeel\s+)?[a-e]\b)*)\b"
)
ENGLISH_ONDERDELEN = (
    (_words(r"\bportal\b"), "portaal"),
    (_words(r"\bcommunications?\b"), "communicatie"),
    (_words(r"\bprogram(me)? (management|leadership)\b"), "programmaleiding"),
    (_words(r"\b(connection|connecting|networks?)\b"), "verbinding"),
    (_words(r"\bknowledge development\b"), "benutting"),
    (_words(r"\bcommunicatie[- ]?advise?urs?\b"), " "),  # a role, not onderdeel D
)
_NUMBER_NAMES = (
    "één eén one", "twee two", "drie three", "vier four", "vijf five", "zes six", "zeven seven", "acht eight",
    "negen nine", "tien ten", "elf eleven", "twaalf twelve", "dertien thirteen", "veertien fourteen",
    "vijftien fifteen",
)  # fmt: skip
NUMBER_WORDS = {word: n for n, names in enumerate(_NUMBER_NAMES, start=1) for word in names.split()}
_NUMBER = rf"(?:\d{{1,2}}|{'|'.join(NUMBER_WORDS)})\b"
NUMBER = re.compile(_NUMBER, re.I)
# "project 3", "projecten 4 en 6", also as the end of a compound: "de arbeidsmarktprojecten 7, 8 en 9".
PROJECTS = _words(
    rf"\b(?:(?:[a-zà-ÿ]{{3,}}-?)?(?:projecten|projects?|projekt(?:en)?)|proj\.?|p)\s*(?:nr\.?|nummers?|numbers?|no\.?)?\s*\(?#?"
    rf"({_NUMBER}(?:\s*\)?\s*(?:,|en|and|&|of|or|vs\.?|versus|met|with|tegen)\s*(?:project\s*)?\(?#?{_NUMBER})*)"
)
# "Welk project kost meer: 3 of 4?": bare numbers joined as a choice, in a question about projects.
BARE_PROJECTS = _words(r"\bprojec?te?n?\b.*?\b(\d{1,2})\s*(?:,|en|of|or|and|vs\.?)\s*(\d{1,2})\b(?![.,]\d)")
# Role words as questions say them, in the words of the tables' role names.
ROLE_SYNONYMS = (
    (_words(r"\bcommunicatie[- ]?advise?urs?\b|\bcommunications? advis[eo]rs?\b"), "communicatieadviseur"),
    (_words(r"\bproject[- ]?ondersteun\w*|\bondersteuners?\b|\bproject support\b"), "ondersteuning"),
    (_words(r"\bproject[- ]?assist[ae]nt\w*|\bassist[ae]nt(en|s)?\b"), "assistent"),
    (_words(r"\bstaf[- ]?kosten\w*|\bstaff costs?\b"), "stafkosten"),
    (_words(r"\boverhead\w*"), "overhead"),
    (_words(r"\b(onderzoekers|researchers?)\b"), "onderzoeker"),
    (_words(r"\b(seniors|senioren)\b"), "senior"),
    (_words(r"\b(juniors|junioren)\b"), "junior"),
    (_words(r"\bexperts\b"), "expert"),
)
GENERIC_PERSON = frozenset(
    ["medewerker", "medewerkers", "werknemer", "employee", "staff", "persoon", "person"]
)
ASKED_ROLE = _words(r"\b(?:van|voor|of|for)\s+(?:een|de|het|a|an|the)\s+([a-zà-ÿ-]{4,})")
NOT_TITLE = _words(r"\bfinanci\w*|\bfunding\b|\bwerk(t|en)\b")  # words no project title is named by here


def normalise_roles(text: str) -> str:
    """Role words as the tables spell them: 'researchers' → 'onderzoeker'."""
    for pattern, word in ROLE_SYNONYMS:
        text = pattern.sub(word, text)
    return text


def role_concept(role: str) -> tuple[frozenset[str], str]:
    """(levels, function) of a table role: 'Junior/medior' → ({junior, medior}, onderzoeker); a role that
    names only a level is a researcher, as the tables' column heading 'Onderzoeker' says."""
    words = set(re.split(r"[\s/-]+", normalise_roles(role.lower())))
    return frozenset(words & set(LEVELS)), next((f for f in FUNCTIONS if f in words), "onderzoeker")
