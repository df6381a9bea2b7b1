"""Question rewriting against the conversation: answers to a clarifying question and follow-ups.

The conversation's state (``state.ConversationState``) holds its focus and a pending clarification;
this module reads a turn's words against it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rag.conversation.state import ConversationState, Scope
from rag.language.vocabulary import QUESTION_OPENERS
from rag.schema import Option
from rag.structure.catalogue import Catalogue

NEW_QUESTION_WORDS = 4  # a reply this long that opens with a question word asks something new

_ORDINALS = {
    "eerste": 0,
    "first": 0,
    "1e": 0,
    "tweede": 1,
    "second": 1,
    "2e": 1,
    "derde": 2,
    "third": 2,
    "3e": 2,
    "vierde": 3,
    "fourth": 3,
    "4e": 3,
    "laatste": -1,
    "last": -1,
}
# Dutch pronominal adverbs ("eraan", "daarvoor", "hierbij"), a demonstrative before a noun ("wie
# schreef dat bericht?") and an object pronoun that ends the question, before a verb's particle or
# participle at most ("wat kost het?", "wie voert het uit?", "wie hebben het geschreven?"), point back.
_ADVERB_TAIL = r"(?:aan|af|bij|door|in|mee|naar|om|onder|op|over|tegen|toe|tussen|uit|van|voor)"
_FOLLOW_UP = re.compile(
    r"^(en|and|maar|but|what about|how about|hoe zit het met)\b"
    rf"|\b(daar|(?:daar|hier|er){_ADVERB_TAIL}|dat project|dit project|het project|that project|"
    r"this project|it|its|dezelfde|die|"
    r"(?:of|from|van) (?:that|this|those|these|dat|dit)|they|them|their)\b"
    rf"|\b(?:het|ze|hen|hun)(?:\s+(?:{_ADVERB_TAIL}|ge\w+))?\s*[?.!]*$"
    r"|\b(?:dat|dit|deze|that|this|these|those)\s+\w+\s*[?.!]*$",
    re.I,
)
# What a question is about, as a follow-up can swap it: a project, an onderdeel or a year.
_SUBJECT = re.compile(
    r"\b(?:(?:het |de |the )?(?:project|onderdeel)\s+(?:\d{1,2}|[A-E])\b|(?:19|20)\d\d)\b", re.I
)
# "En project 10?", "and onderdeel B?", or only "project 2": a bare subject, with nothing pending to
# choose from, continues the last question for it.
_ELLIPSIS = re.compile(
    r"^(?:(?:en|and|what about|how about|hoe zit het met)\s+)?((?:(?:voor|in|van|bij|for|of)\s+)?"
    r"(?:(?:het |de |the )?(?:project|onderdeel)\s+(?:\d{1,2}|[A-E])|(?:19|20)\d\d))\s*[?.!]*$",
    re.I,
)
# The two things the conversation was just about: "welke van de twee", "vergelijk beide".
_BOTH = re.compile(r"\b(de twee|die twee|deze twee|beide|allebei|both|the two|these two|those two)\b", re.I)
_CHOICE_PREFIX = re.compile(r"^(ik bedoel|bedoel|i mean|graag|de|het|the|optie|option)\s+", re.I)


@dataclass(frozen=True)
class Rewritten:
    question: str  # the question to answer (the pending one when this turn chose an option)
    scope: Scope
    resolved_clarification: bool = False
    # a follow-up refers back to the last answer, which was about these projects: which one?
    refers_to: tuple[int, ...] = ()
    # what the conversation was about, when this question did not take it over by its own words
    focus: Scope = field(default_factory=Scope)
    # the words of earlier questions this one points back to ("werkgroep" for "wie zitten erin?")
    subject: str = ""


def resolve_choice(reply: str, options: Sequence[Option], catalogue: Catalogue) -> str | None:
    """The value of the option a user's answer picks: by value, number, ordinal or label words."""
    text = _CHOICE_PREFIX.sub("", reply.strip().rstrip(".!?").strip()).strip()
    lowered = text.lower()
    for option in options:
        if lowered in (option.value.lower(), option.label.lower()):
            return option.value
    if lowered in _ORDINALS:
        index = _ORDINALS[lowered]
        return options[index].value if -len(options) <= index < len(options) else None
    numbers = catalogue.numbered_projects(text) or ([int(text)] if text.isdigit() else [])
    for number in numbers:
        for option in options:
            if Scope.from_value(option.value).project == number:
                return option.value
    if named := catalogue.numbered_projects(text):
        # "project 3" names its project even when it was not offered (behind "Een ander project")
        return Scope(project=named[0]).to_value()
    words = set(re.findall(r"\w+", lowered))
    scored = [(len(words & set(re.findall(r"\w+", o.label.lower()))), o.value) for o in options]
    scored.sort(reverse=True)
    if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    return None


def is_new_question(text: str) -> bool:
    """A reply that opens with a question word and goes on ("Wat kost project 7 eigenlijk?") is a
    question of its own: it discards a pending clarification rather than choosing an option."""
    words = re.findall(r"[\w'-]+", text.lower())
    return len(words) >= NEW_QUESTION_WORDS and words[0] in QUESTION_OPENERS


def rewrite(question: str, option: str | None, state: ConversationState, catalogue: Catalogue) -> Rewritten:
    """Turn this turn's words into a question plus scope, using the conversation state."""
    if (pending := state.pending) is not None and (option or not is_new_question(question)):
        choice = option or resolve_choice(question, pending.options, catalogue)
        if choice is not None:
            scope = pending.scope.merged(Scope.from_value(choice))
            return Rewritten(pending.question, scope, resolved_clarification=True)
    if option:
        return Rewritten(question, Scope.from_value(option))
    own = Scope(
        project=next(iter(catalogue.numbered_projects(question)), None),
        onderdeel=catalogue.onderdeel(question),
    )
    if own.is_empty() and len(state.recent_projects) >= 2 and _BOTH.search(question):
        first, second = state.recent_projects[-2:]  # "Welke van de twee is duurder?" after project 9, then 10
        return Rewritten(f"{question.rstrip(' ?.!')} (project {first} en project {second})?", own)
    if (previous := state.question) and (fragment := elliptical(question)):
        return Rewritten(f"{_SUBJECT.sub(' ', previous).rstrip(' ?.!')} {fragment}", own)
    pointing = is_follow_up(question, catalogue)
    subject = state.subject if pointing else ""
    if own.is_empty() and not state.focus.is_empty() and pointing:
        return Rewritten(question, state.focus, subject=subject)
    if own.is_empty() and len(state.answered_projects) >= 2 and pointing:
        return Rewritten(question, own, refers_to=state.answered_projects, subject=subject)
    return Rewritten(question, own, focus=state.focus, subject=subject)


def elliptical(question: str) -> str | None:
    """The new subject of a follow-up that only swaps the subject ("En project 10?", "en voor
    2026?", "and onderdeel B?"), or None when the question says more than that."""
    match = _ELLIPSIS.match(question.strip())
    if match is None or not _SUBJECT.search(match.group(1)):
        return None
    return match.group(1)


def is_follow_up(question: str, catalogue: Catalogue) -> bool:
    """Refers back ("en wat is daar het budget van?") and names no project of its own."""
    return bool(_FOLLOW_UP.search(question)) and not catalogue.named_projects(question)
