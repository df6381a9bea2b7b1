"""Gold files: one JSON object a line (format in shared/evals/README.md), read and checked in one pass.

Every problem is collected with its line number rather than stopping at the first, so a writer of
gold items fixes the file in one go. Checks: valid JSON object, known fields, known ``kind``, unique
``id``, the fields each kind needs, and every evidence snippet present verbatim in the corpus
(after ``textmatch.normalize``). Multi-turn items (``kind: "multi_turn"``) carry ``turns``, each with
``question``, ``expect_status`` and optionally ``must_contain``, ``evidence`` and ``options``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, cast

from evals.errors import GoldFileError
from evals.textmatch import normalize
from rag.schema import ReplyStatus

Language = Literal["nl", "en"]

EXPECTED_STATUS: dict[str, ReplyStatus] = {
    "fact": "answered",
    "budget": "answered",
    "list": "answered",
    "compare": "answered",
    "ambiguous": "clarify",
    "out_of_scope": "not_found",
}
KINDS = (*EXPECTED_STATUS, "multi_turn")
STATUSES: tuple[ReplyStatus, ...] = ("answered", "clarify", "not_found")
_ITEM_FIELDS = {
    "id",
    "question",
    "kind",
    "answer",
    "must_contain",
    "evidence",
    "section",
    "options",
    "language",
}
_TURN_FIELDS = {"question", "expect_status", "must_contain", "evidence", "options", "answer"}
_ENGLISH = re.compile(
    r"\b(what|which|who|how|do|does|is|are|the|many|much|when|why|where|for|and|to)\b", re.I
)
_DUTCH = re.compile(
    r"\b(wat|welk|welke|wie|hoe|hoeveel|de|het|een|van|zijn|wanneer|waarom|waar|voor|en|er|op|met)\b", re.I
)


@dataclass(frozen=True)
class GoldTurn:
    """One question of an item and what its reply should be."""

    question: str
    expect_status: ReplyStatus
    must_contain: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    answer: str = ""


@dataclass(frozen=True)
class GoldItem:
    """A gold item; a single-question item is one turn, a multi-turn item several in one conversation."""

    id: str
    kind: str
    language: Language
    turns: tuple[GoldTurn, ...]
    answer: str = ""
    section: str = ""
    line: int = 0

    @property
    def question(self) -> str:
        return self.turns[0].question


@dataclass(frozen=True)
class GoldIssue:
    """A problem in a gold file, at a line and, when known, an item."""

    line: int
    item_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"regel {self.line}" + (f" ({self.item_id})" if self.item_id else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class GoldSet:
    """The items that passed every check and the problems found, in file order."""

    path: str
    sha256: str
    items: tuple[GoldItem, ...]
    issues: tuple[GoldIssue, ...]

    @property
    def valid(self) -> bool:
        return not self.issues


def detect_language(text: str) -> Language:
    """English when the question has more English than Dutch function words; Dutch otherwise."""
    return "en" if len(_ENGLISH.findall(text)) > len(_DUTCH.findall(text)) else "nl"


def load_gold(path: Path, corpus_text: str | None) -> GoldSet:
    """Read and check a gold file; evidence is checked only when the corpus text is given."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFileError(f"Gold-bestand {path} is niet te lezen: {exc}") from exc
    return parse_gold(text, corpus_text, str(path), hashlib.sha256(raw).hexdigest())


def parse_gold(text: str, corpus_text: str | None, source: str = "<tekst>", sha256: str = "") -> GoldSet:
    """Items and issues of gold-file text (see the module docstring for the checks)."""
    corpus = normalize(corpus_text) if corpus_text is not None else None
    items: list[GoldItem] = []
    issues: list[GoldIssue] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            issues.append(GoldIssue(number, None, f"geen geldige JSON ({exc.msg}, kolom {exc.colno})"))
            continue
        if not isinstance(data, dict):
            issues.append(GoldIssue(number, None, "regel is geen JSON-object"))
            continue
        checker = _ItemChecker(data, number, corpus)
        item = checker.check()
        if checker.item_id in seen:
            checker.problem(f"id komt al voor op regel {seen[checker.item_id]}")
            item = None
        elif checker.item_id:
            seen[checker.item_id] = number
        issues.extend(checker.issues)
        if item is not None:
            items.append(item)
    return GoldSet(source, sha256, tuple(items), tuple(issues))


class _ItemChecker:
    """Checks one parsed line and builds its item; problems are collected, not raised."""

    def __init__(self, data: dict[str, Any], line: int, corpus: str | None) -> None:
        self.data, self.line, self.corpus = data, line, corpus
        self.issues: list[GoldIssue] = []
        raw_id = data.get("id")
        self.item_id = raw_id if isinstance(raw_id, str) and raw_id.strip() else ""

    def problem(self, message: str) -> None:
        self.issues.append(GoldIssue(self.line, self.item_id or None, message))

    def check(self) -> GoldItem | None:
        data = self.data
        if not self.item_id:
            self.problem("'id' ontbreekt of is leeg")
        if unknown := sorted(
            set(data) - _ITEM_FIELDS - ({"turns"} if data.get("kind") == "multi_turn" else set())
        ):
            self.problem(f"onbekende velden: {', '.join(unknown)}")
        kind = data.get("kind")
        if kind not in KINDS:
            self.problem(f"onbekende kind {kind!r}; kies uit {', '.join(KINDS)}")
            return None
        turns = self._turns() if kind == "multi_turn" else self._single(cast(str, kind))
        language = data.get("language")
        if language is not None and language not in ("nl", "en"):
            self.problem(f"language moet 'nl' of 'en' zijn, niet {language!r}")
        answer, section = self._text("answer", required=kind != "multi_turn"), self._text("section")
        if kind != "multi_turn" and turns:
            turns = (replace(turns[0], answer=answer),)
        if self.issues or not turns:
            return None
        lang = cast(Language, language) if language else detect_language(turns[0].question)
        return GoldItem(self.item_id, cast(str, kind), lang, turns, answer, section, self.line)

    def _single(self, kind: str) -> tuple[GoldTurn, ...]:
        question = self._text("question", required=True)
        must, evidence, options = (
            self._strings(self.data, f) for f in ("must_contain", "evidence", "options")
        )
        status = EXPECTED_STATUS[kind]
        if status == "answered" and must == ():
            self.problem(f"kind {kind!r} vraagt minstens één 'must_contain'")
        if status == "answered" and evidence == ():
            self.problem(f"kind {kind!r} vraagt minstens één 'evidence'-fragment")
        if status == "clarify" and options is not None and len(options) < 2:
            self.problem("kind 'ambiguous' vraagt minstens twee 'options'")
        if status == "not_found" and (must or evidence):
            self.problem("kind 'out_of_scope' hoort geen 'must_contain' of 'evidence' te hebben")
        self._check_evidence(evidence or ())
        if not question or must is None or evidence is None or options is None:
            return ()
        return (GoldTurn(question, status, must, evidence, options),)

    def _turns(self) -> tuple[GoldTurn, ...]:
        raw = self.data.get("turns")
        if not isinstance(raw, list) or len(raw) < 2:
            self.problem("kind 'multi_turn' vraagt 'turns': een lijst van minstens twee beurten")
            return ()
        turns: list[GoldTurn] = []
        for n, turn in enumerate(raw, start=1):
            if not isinstance(turn, dict):
                self.problem(f"beurt {n} is geen JSON-object")
                continue
            if unknown := sorted(set(turn) - _TURN_FIELDS):
                self.problem(f"beurt {n}: onbekende velden: {', '.join(unknown)}")
            question, status, answer = turn.get("question"), turn.get("expect_status"), turn.get("answer", "")
            if not isinstance(question, str) or not question.strip():
                self.problem(f"beurt {n}: 'question' ontbreekt of is leeg")
            if status not in STATUSES:
                self.problem(f"beurt {n}: 'expect_status' moet een van {', '.join(STATUSES)} zijn")
            if not isinstance(answer, str):
                self.problem(f"beurt {n}: 'answer' is geen tekst")
            must, evidence, options = (
                self._strings(turn, f, n) for f in ("must_contain", "evidence", "options")
            )
            if status == "answered" and must == ():
                self.problem(f"beurt {n}: een beantwoorde beurt vraagt minstens één 'must_contain'")
            self._check_evidence(evidence or (), n)
            complete = None not in (must, evidence, options) and isinstance(answer, str)
            if complete and isinstance(question, str) and status in STATUSES:
                turns.append(
                    GoldTurn(
                        question, cast(ReplyStatus, status), must or (), evidence or (), options or (), answer
                    )
                )
        return tuple(turns)

    def _text(self, field: str, *, required: bool = False) -> str:
        value = self.data.get(field, "")
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(f"'{field}' ontbreekt of is geen tekst")
            return ""
        return value

    def _strings(self, data: dict[str, Any], field: str, turn: int | None = None) -> tuple[str, ...] | None:
        """The field as a tuple of texts; None (reported) when it is not a list of non-empty texts."""
        value = data.get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            where = f"beurt {turn}: " if turn else ""
            self.problem(f"{where}'{field}' moet een lijst van niet-lege teksten zijn")
            return None
        return tuple(value)

    def _check_evidence(self, snippets: tuple[str, ...], turn: int | None = None) -> None:
        if self.corpus is None:
            return
        where = f"beurt {turn}: " if turn else ""
        for snippet in snippets:
            if normalize(snippet) not in self.corpus:
                self.problem(f"{where}evidence niet in het corpus gevonden: {snippet[:80]!r}")
