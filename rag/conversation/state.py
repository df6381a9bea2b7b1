"""What a conversation remembers between turns, typed: its focus, its last question and a pending
clarification. Stored as a plain dict (JSON) by the conversation store.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from rag.schema import Option

_VALUE_PARTS = re.compile(r"&(?=(?:project|onderdeel|organisation|role|programme|topic)=)")


@dataclass(frozen=True)
class Scope:
    """What a question is about, when that is not in its own words."""

    project: int | None = None
    onderdeel: str | None = None
    organisation: str | None = None
    role: str | None = None
    programme: bool | None = None  # the whole programme, chosen when asked "which budget?"
    topic: str | None = None  # the title of a knowledge guide, chosen when asked "which guide?"

    def is_empty(self) -> bool:
        return not any(vars(self).values())

    def to_value(self) -> str:
        return "&".join(f"{k}={v}" for k, v in vars(self).items() if v is not None)

    @classmethod
    def from_value(cls, value: str) -> Scope:
        fields: dict[str, Any] = {}
        for part in _VALUE_PARTS.split(value):  # a title may hold "&" itself
            key, _, raw = part.partition("=")
            if key == "project" and raw.isdigit():
                fields["project"] = int(raw)
            elif key in ("onderdeel", "organisation", "role", "topic") and raw:
                fields[key] = raw
            elif key == "programme":
                fields["programme"] = raw == "True"
        return cls(**fields)

    def merged(self, other: Scope) -> Scope:
        return replace(self, **{k: v for k, v in vars(other).items() if v is not None})


@dataclass(frozen=True)
class Pending:
    """A clarifying question waiting for the user's choice: the question it asked back about, the
    scope it already had, and the options offered."""

    question: str
    scope: Scope
    options: tuple[Option, ...]

    def values(self) -> set[str]:
        return {o.value for o in self.options}


@dataclass(frozen=True)
class ConversationState:
    """The focus (what the last answers were about), the last question (for "En project 10?"),
    the projects of the last turns (for "welke van de twee?"), the projects an answer about
    several cited (for "wat is daar het budget van?"), a pending clarification and the words the
    conversation is about (for "wie zitten erin?")."""

    focus: Scope = field(default_factory=Scope)
    language: Literal["nl", "en"] = "nl"
    question: str = ""
    recent_projects: tuple[int, ...] = ()
    answered_projects: tuple[int, ...] = ()
    pending: Pending | None = None
    subject: str = ""  # the words the last questions were about ("werkgroep"), for "wie zitten erin?"

    def to_dict(self) -> dict[str, Any]:
        """The stored form; its keys are those conversations were stored with before it was typed."""
        state: dict[str, Any] = {
            "scope": _scope_dict(self.focus),
            "language": self.language,
            "question": self.question,
            "recent_projects": list(self.recent_projects),
        }
        if self.answered_projects:
            state["answered_projects"] = list(self.answered_projects)
        if self.subject:
            state["subject"] = self.subject
        if self.pending is not None:
            state["pending"] = {
                "question": self.pending.question,
                "scope": _scope_dict(self.pending.scope),
                "options": [{"label": o.label, "value": o.value} for o in self.pending.options],
            }
        return state

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ConversationState:
        pending = data.get("pending")
        return cls(
            focus=Scope(**data.get("scope", {})),
            language="en" if data.get("language") == "en" else "nl",
            question=data.get("question", ""),
            recent_projects=tuple(data.get("recent_projects", ())),
            answered_projects=tuple(data.get("answered_projects", ())),
            subject=data.get("subject", ""),
            pending=Pending(
                pending["question"],
                Scope(**pending.get("scope", {})),
                tuple(Option(o["label"], o["value"]) for o in pending.get("options", [])),
            )
            if pending
            else None,
        )


def _scope_dict(scope: Scope) -> dict[str, Any]:
    return {k: v for k, v in asdict(scope).items() if v is not None}
