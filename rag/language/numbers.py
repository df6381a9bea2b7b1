"""Dutch number notation, shared by the budget parser and the answerer so both read and write alike."""

from __future__ import annotations

import re

# A year as documents and questions write it: "2026", "in 1998".
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Digits with dots between groups; a doubled dot ("19..995") is a known typo, read as printed.
_PRINTED = re.compile(r"\d+(?:\.+\d+)*")
_REGULAR = re.compile(r"\d{1,3}(?:\.\d{3})*")


def parse_dutch_number(text: str) -> int:
    """'1.326.564' → 1326564, '€ 30.000' → 30000, '1255' → 1255, '19..995' → 19995.

    Raises ValueError when the text is no whole number in Dutch notation.
    """
    digits = text.strip().removeprefix("€").strip()
    if not _PRINTED.fullmatch(digits):
        raise ValueError(f"Geen getal in Nederlandse notatie: {text!r}")
    return int(digits.replace(".", ""))


def is_regular_dutch_number(text: str) -> bool:
    """True for '1.255' and '94'; False for '1255' (no thousands dot) or '19..995' (doubled dot)."""
    return bool(_REGULAR.fullmatch(text.strip().removeprefix("€").strip()))


def format_number(n: int) -> str:
    """1326564 → '1.326.564': thousands separated by dots, as the work plan prints them."""
    return f"{n:,}".replace(",", ".")


def format_euro(n: int) -> str:
    """121461 → '€ 121.461'; a negative amount keeps its sign after the euro sign."""
    return f"€ {format_number(n)}"
