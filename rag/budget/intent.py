"""Reading a budget question in plain Dutch or English into a structured query.

What is asked (amount, hourly rate, hours), of what (projects, onderdelen, the programme), for whom
(organisations, roles), and whether it ranks, lists, compares or adds up. Only the wording is read
here, and what the conversation settled; whether the tables hold it is for the answerer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import rag.budget.words as w
from rag.conversation.state import Scope
from rag.language.numbers import YEAR
from rag.schema import BudgetRow
from rag.structure.catalogue import Catalogue

Measure = Literal["amount", "rate", "hours"]
Target = w.Target


@dataclass(frozen=True)
class RoleAsk:
    """A role as asked: its level words and function and the organisation it goes with, or the exact
    table role once a clarification settled it."""

    levels: frozenset[str] = frozenset()
    function: str | None = None
    organisation: str | None = None
    exact: str | None = None

    def describe(self) -> str:
        """In words: 'junior onderzoeker bij Verwey-Jonker Instituut'."""
        words = self.exact or " ".join([*sorted(self.levels), self.function or ""]).strip()
        return f"{words} bij {self.organisation}" if self.organisation else words


@dataclass(frozen=True)
class BudgetQuery:
    measure: Measure = "amount"
    projects: tuple[int, ...] = ()
    unknown_projects: tuple[int, ...] = ()  # numbers the work plan has no project for
    named_projects: tuple[int, ...] = ()  # several projects whose titles fit the words: ambiguous
    onderdelen: tuple[str, ...] = ()
    programme: bool = False
    organisations: tuple[str, ...] = ()
    roles: tuple[RoleAsk, ...] = ()
    external: bool = False
    listing: Target | None = None
    count: bool = False  # "hoeveel projecten …": how many the listing holds
    rank: Literal["max", "min"] | None = None
    rank_target: Target = "projects"
    top: int = 1
    threshold: tuple[Literal["above", "below"], int] | None = None
    compare: bool = False
    total: bool = False  # "samen", "in totaal": add up several subjects
    share: bool = False  # "welk deel van de begroting", "what percentage": of the programme total
    additions: bool = False
    addition_word: str | None = None  # the word that asked for them ("uitbreiding")
    basis: bool = False
    other_year: str | None = None
    salary: bool = False
    unknown_role: str | None = None  # a person the tables have no role for ("stagiair")
    fte: bool = False
    owners: tuple[str, ...] = ()  # names the budget is asked of ("van het COA"): known or not, the QA decides


@dataclass(frozen=True)
class Vocabulary:
    """What the documents name: projects (the catalogue), onderdelen by their title words, and the
    year the budget is for (read from its tables)."""

    catalogue: Catalogue
    onderdeel_words: dict[str, dict[str, float]]  # letter → title word → weight
    year: str = ""

    @classmethod
    def build(
        cls, catalogue: Catalogue, onderdeel_titles: dict[str, list[str]], year: str = ""
    ) -> Vocabulary:
        """A word of several titles, or of the platform's own name ("kennis"), weighs half."""
        words = {
            letter: {
                t
                for title in titles
                for t in re.findall(r"[a-zà-ÿ]{4,}", re.sub(r"\(.*?\)", " ", title.lower()))
            }
            for letter, titles in onderdeel_titles.items()
        }
        shared = {t for a in words for b in words if a != b for t in words[a] & words[b]} | {"kennis"}
        weights = {k: {t: 0.5 if t in shared else 1.0 for t in ts} for k, ts in words.items()}
        return cls(catalogue, weights, year)


def parse_budget_question(
    question: str, vocabulary: Vocabulary, *, scoped: bool = False
) -> BudgetQuery | None:
    """The query a budget question asks, or None when it is not about the budget. ``scoped``: the
    conversation is about something already, so "en hoeveel uur?" needs no subject of its own."""
    text = " ".join(question.split())
    if w.REASON.search(text):
        return None
    organisations = tuple(dict.fromkeys(name for _, name in _organisations(text)))
    roles = _roles(text, organisations)
    projects, unknown = _numbered_projects(text, vocabulary.catalogue)
    numbered = projects
    onderdelen = _onderdelen(text, {} if projects or unknown else vocabulary.onderdeel_words)
    named: tuple[int, ...] = ()
    # "meer voor emancipatie en zelfbeschikking dan voor project 4": each side names its own project
    compared = vocabulary.catalogue.mentioned_projects(text) if w.COMPARE.search(text) else []
    if len(compared) > max(len(projects), 1):
        projects = tuple(compared)
    elif not (projects or unknown or onderdelen):
        named = tuple(vocabulary.catalogue.named_projects(_without_budget_words(text)))
        projects, named = (named, ()) if len(named) == 1 else ((), named)
    ranked = bool((w.MAX.search(text) or w.MIN.search(text)) and w.RANKED.search(text))
    listing = next((t for t, p in w.LISTING if p.search(text)), None)
    if listing == "projects" and len(projects) > 1:
        listing = None  # "Which project is more expensive, project 11 or project 14?" compares two
    # the budget's own year names the whole programme ("de begroting voor 2026")
    own_year = bool(vocabulary.year) and vocabulary.year in YEAR.findall(text)
    programme = (
        bool(w.PROGRAMME_WORDS.search(text)) or own_year or (bool(w.WHOLE_BUDGET.search(text)) and not scoped)
    )
    totalled = programme and bool(w.SUM.search(text))  # "Hoeveel uren besteedt KIS in totaal?"
    additions = w.ADDITIONS.search(text)  # "Wat kost de uitbreiding?": an item of the overview
    subject = any(
        (
            projects,
            unknown,
            named,
            onderdelen,
            organisations,
            roles,
            ranked,
            listing,
            scoped,
            totalled,
            additions,
        )
    )
    # what an organisation gets, or which of two projects gets more, is money
    weak = w.WEAK.search(text) or (w.RECEIVE.search(text) and (organisations or len(compared) > 1))
    bare = w.BARE_COMPARISON.search(text) and len(projects) + len(onderdelen) + len(organisations) > 1
    # "het aandeel van Movisie in project 2"; not "hoeveel procent van de statushouders", whose
    # word only happens to be in a project's title
    share = w.SHARE.search(text) and any((numbered, onderdelen, organisations, roles, programme))
    extra = additions and w.HOW_MUCH.search(text)  # "How much additional funding is there for …?"
    if not (
        w.STRONG.search(text) or (weak and subject) or bare or share or extra or w.BARE_TOTAL.search(text)
    ):
        return None
    measure: Measure = "rate" if w.RATE.search(text) else "hours" if w.HOURS.search(text) else "amount"
    other_years = [y for y in YEAR.findall(text) if y != vocabulary.year]  # with its own year too, answered
    top = w.TOP.search(text)
    return BudgetQuery(
        measure=measure,
        projects=projects,
        unknown_projects=unknown,
        named_projects=named,
        onderdelen=onderdelen,
        programme=programme,
        organisations=organisations,
        roles=roles,
        external=bool(w.EXTERNAL.search(text)),
        listing=listing,
        count=bool(w.COUNTED.search(text)),
        rank="max" if w.MAX.search(text) else "min" if w.MIN.search(text) else None,
        rank_target="roles"
        if measure == "rate"
        else next((t for t, p in w.TARGETS if p.search(text)), "projects"),
        top=int(top.group(1) or top.group(2)) if top else 1,
        threshold=_threshold(text),
        compare=bool(w.COMPARE.search(text)),
        total=bool(w.SUM.search(text)) and not w.BARE_TOTAL.search(text),  # "the total" of what?
        share=bool(w.SHARE.search(text)),
        additions=bool(additions),
        addition_word=additions.group(0).lower() if additions else None,
        basis=bool(w.BASIS.search(text)),
        other_year=other_years[0] if other_years and not own_year else None,
        salary=bool(w.SALARY.search(text)),
        unknown_role=None if roles or measure == "amount" else _unknown_role(text, vocabulary),
        fte=bool(w.FTE.search(text)),
        owners=tuple(
            dict.fromkeys(m[1] for m in w.OWNER.finditer(text) if not _names_known(m[1], vocabulary))
        ),
    )


def with_scope(q: BudgetQuery, scope: Scope) -> BudgetQuery:
    """Fill in what the conversation settled (a chosen project, onderdeel, organisation or role)
    where the question does not say it itself: the question's own words win."""
    own = q.projects or q.onderdelen or q.unknown_projects or q.programme
    if scope.programme and not own:
        q = replace(q, programme=True, named_projects=())
    elif scope.project and not own:
        q = replace(q, projects=(scope.project,), named_projects=())
    elif scope.onderdeel and not own and not q.named_projects:
        q = replace(q, onderdelen=(scope.onderdeel,))
    if scope.organisation and not q.organisations:
        q = replace(q, organisations=(scope.organisation,))
    if scope.role:
        q = replace(q, roles=(RoleAsk(exact=scope.role, organisation=scope.organisation),))
    return q


def match_roles(ask: RoleAsk, rows: Sequence[BudgetRow], *, any_level: bool = False) -> list[BudgetRow]:
    """Rows of the role asked: the same level and function; an unnamed function means researchers
    when there are any, an unnamed level the role without one when there is one (or, with
    ``any_level``, the role at every level)."""
    rows = [r for r in rows if r.role and ask.organisation in (None, r.organisation)]
    if ask.exact:
        return [r for r in rows if (r.role or "").lower() == ask.exact.lower()]
    concepts = {r: w.role_concept(r.role or "") for r in rows}
    found = [r for r in rows if ask.levels <= concepts[r][0] and ask.function in (None, concepts[r][1])]
    if ask.function is None:
        found = [r for r in found if concepts[r][1] == "onderzoeker"] or found
    return found if any_level else [r for r in found if concepts[r][0] == ask.levels] or found


def subject_of(name: str, vocabulary: Vocabulary) -> tuple[str, str] | None:
    """The project or onderdeel an additional amount is for, as (scope_kind, scope), when its name
    says: "Uitbreiding project (3) Polarisatie", "Cofinanciering min. SZW portaalfunctie"."""
    if numbered := re.search(r"\bproject\W{0,2}(\d{1,2})\b", name, re.I):
        return ("project", numbered[1])
    if onderdelen := _onderdelen(name, vocabulary.onderdeel_words):
        return ("onderdeel", onderdelen[0])
    named = vocabulary.catalogue.named_projects(re.sub(r"\(.*?\)", " ", name))
    return ("project", str(named[0])) if len(named) == 1 else None


def _organisations(text: str) -> list[tuple[int, str]]:
    return sorted((m.start(), name) for name, p in w.ORGANISATIONS for m in p.finditer(text))


def _roles(text: str, organisations: tuple[str, ...]) -> tuple[RoleAsk, ...]:
    """Role mentions in order, each with an organisation: in order when there are as many of both,
    the one organisation when there is one, each organisation for a single role."""
    normal = w.normalise_roles(text.lower())
    mentions: list[tuple[frozenset[str], str | None]] = []
    levels: set[str] = set()
    for token in [*re.findall(r"[a-zà-ÿ]+|/", normal), "."]:
        if token in w.LEVELS:
            levels.add(token)
        elif token in w.FUNCTIONS or (levels and token != "/"):
            mentions.append((frozenset(levels), token if token in w.FUNCTIONS else None))
            levels = set()
    named = _organisations(normal)
    if len(mentions) == 1 and len(organisations) > 1:
        return tuple(RoleAsk(*mentions[0], org) for org in organisations)
    if len(mentions) > 1 and len(named) == len(mentions):
        return tuple(RoleAsk(*m, org) for m, (_, org) in zip(mentions, named, strict=True))
    only = organisations[0] if len(organisations) == 1 else None
    return tuple(RoleAsk(*m, only) for m in mentions)


def _numbered_projects(text: str, catalogue: Catalogue) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Projects by number ('project 3', 'p3', 'projecten 4 en 6', 'project drie'): known, unknown."""
    words = [n for m in w.PROJECTS.finditer(text) for n in w.NUMBER.findall(m.group(1))]
    if not words and (bare := w.BARE_PROJECTS.search(text)):
        words = list(bare.groups())
    numbers = list(dict.fromkeys(int(n) if n.isdigit() else w.NUMBER_WORDS[n.lower()] for n in words))
    known = tuple(n for n in numbers if n in catalogue.projects)
    return known, tuple(n for n in numbers if n not in known)


def _onderdelen(text: str, weights: dict[str, dict[str, float]]) -> tuple[str, ...]:
    """Onderdelen by letter ('onderdeel B', 'onderdelen A en C') or, given weights, by title words."""
    letters = [
        x.upper() for m in w.ONDERDEEL_LETTERS.finditer(text) for x in re.findall(r"\b[a-e]\b", m[1], re.I)
    ]
    for pattern, dutch in w.ENGLISH_ONDERDELEN:
        text = pattern.sub(dutch, text)
    tokens = re.findall(r"\w+", text.lower())
    for letter, words in weights.items():
        if sum(max(weight * _names(word, t) for word, weight in words.items()) for t in tokens) >= 1:
            letters.append(letter)
    return tuple(dict.fromkeys(letters))


def _names(title_word: str, token: str) -> float:
    """How well a question word names a title word: fully when it is the word or a compound of it
    ("communicatiebudget"), half when it is a part of it ("ontwikkeling" of "programmaontwikkeling")."""
    if token == title_word or (len(title_word) >= 6 and title_word in token):
        return 1.0
    return 0.5 if len(token) >= 6 and token in title_word else 0.0


def _without_budget_words(text: str) -> str:
    """The question without budget, organisation and role words, for matching project titles."""
    for pattern in (w.STRONG, w.WEAK, w.RECEIVE, w.PROGRAMME_WORDS, w.RATE, w.HOURS, w.EXTERNAL, w.NOT_TITLE):
        text = pattern.sub(" ", text)
    for _, pattern in w.ORGANISATIONS:
        text = pattern.sub(" ", text)
    return text


def _threshold(text: str) -> tuple[Literal["above", "below"], int] | None:
    match = w.THRESHOLD.search(text)
    if match is None:
        return None
    amount = int(match[2].replace(".", "")) * (1000 if match[3] else 1)
    return ("below" if match[1].lower() in w.BELOW else "above"), amount


def _names_known(word: str, vocabulary: Vocabulary) -> bool:
    """An organisation, onderdeel or project the parser knows by this word."""
    return bool(
        _organisations(word)
        or _onderdelen(word, vocabulary.onderdeel_words)
        or vocabulary.catalogue.named_projects(word)
    )


def _unknown_role(text: str, vocabulary: Vocabulary) -> str | None:
    """A person the question asks a rate or hours of that the tables have no role for ('stagiair')."""
    match = w.ASKED_ROLE.search(text)
    if match is None:
        return None
    word = match[1].lower()
    known = w.GENERIC_PERSON | {"project", "projecten", "onderdeel", "programma", "organisatie", "kis"}
    if word in known or _organisations(word) or _onderdelen(word, vocabulary.onderdeel_words):
        return None
    return None if vocabulary.catalogue.named_projects(word) else word
