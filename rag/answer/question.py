"""What a question is before retrieval: checked, its language known."""

from __future__ import annotations

import re
from typing import Literal

from rag.errors import InputError
from rag.store.bm25 import tokenize

MAX_QUESTION_CHARS = 2000
# Not text: lone surrogates (no Unicode scalar value, unstorable) and control characters but tab and newline.
_NOT_TEXT = re.compile(r"[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f]")

_WORD = re.compile(r"[a-zà-ÿ']+")
_EN = frozenset(
    "the what which who whom whose how is are was were does do did of for in on to and or with "
    "about much many project projects budget rate hourly per tell me please can you give list "
    "explain why when where there their this that these those than more most an a be by from "
    "has have will would".split()
)
_NL = frozenset(
    "de het een wat welke wie hoe is zijn was waren doet doen van voor in op aan en of met over "
    "hoeveel veel project projecten begroting kost kosten uurtarief per vertel mij kun je geef "
    "noem leg waarom wanneer waar er hun dit dat deze die dan meer meest bij uit wordt worden "
    "heeft hebben zal zou ook nog niet wel maar als ik we wij u jullie daar hier".split()
)
_EN_ONLY = _EN - _NL
_NL_ONLY = _NL - _EN


def check_question(text: str) -> str:
    """The question stripped; Dutch InputErrors for empty, overlong or non-text questions."""
    question = text.strip()
    if _NOT_TEXT.search(question):
        raise InputError(
            "De vraag bevat tekens die geen tekst zijn (stuurcodes of losse surrogaten). "
            "Typ of plak hem opnieuw."
        )
    if not question:
        raise InputError("De vraag is leeg. Stel een vraag over het werkplan of de kennis van KIS.")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(
            f"De vraag is te lang ({len(question)} tekens; maximaal {MAX_QUESTION_CHARS}). Maak hem korter."
        )
    return question


def detect_language(text: str) -> Literal["nl", "en"]:
    """English only when its function words outnumber Dutch ones: Dutch is the default."""
    words = _WORD.findall(text.lower())
    english = sum(w in _EN_ONLY for w in words)
    dutch = sum(w in _NL_ONLY for w in words)
    return "en" if english > dutch else "nl"


# Stems of words that ask rather than say what is asked about;
# left out when measuring a question's content.
QUESTION_STEMS = frozenset(
    tokenize(
        [
            "wat is zijn de het een welke wie hoe hoeveel what are is the which who how much many "
            "project projecten projects van voor of for in bij komt komen er staat staan beoogde "
            "beoogd expected planned daarvan kis does do about tell me please "
            "wanneer waar waarom when where why houdt inhoud eigenlijk precies graag "
            "gehouden gedaan uitgevoerd plaatsvinden vindt plaats take place held klaar gereed ready "
            "finished bedoeld bedoelt meant intended"
        ]
    )[0]
)
