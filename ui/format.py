"""Text helpers for the pages: Dutch number notation, safe Markdown, citation links, highlighting.

Corpus text is shown through Markdown, where ``*``, ``_``, ``$`` or ``[`` would change the rendering;
``plain`` makes such text literal. Highlights use ``<mark>`` and bold together, so the marked snippet
does not rely on colour alone.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

_MARKDOWN = re.compile(r"([\\`*_\[\]$~|#])")
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]$~|#!()])")
_ESCAPED_CITATION = re.compile(r"\\\[(\d{1,3})\\\]")
_LIST_MARK = re.compile(r"^\s*(?:[-•]|\d{1,2}[.)])\s+")
_NO_AUTOLINK = re.compile(r"(?<=\w):(?=//)")  # "http://…" in source text is text, not a link


def number(value: int | float | None, decimals: int = 0) -> str:
    """``1326564`` → ``1.326.564``; ``0.825, 1`` → ``0,8``; None → ``–``."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def euro(value: int | float | None) -> str:
    """``121461`` → ``€ 121.461``, as the work plan prints amounts."""
    if value is None:
        return "–"
    return f"-€ {number(-value)}" if value < 0 else f"€ {number(value)}"


def percent(value: float | None) -> str:
    """``0.825`` → ``82,5%``."""
    return "–" if value is None else f"{number(value * 100, 1)}%"


def plain(text: str) -> str:
    """Text shown literally in Markdown (also with HTML allowed): whitespace collapsed, markup escaped."""
    return _literal(" ".join(text.split()), _MARKDOWN)


def _literal(text: str, markup: re.Pattern[str]) -> str:
    """``text`` shown as it is: HTML and the ``markup`` characters escaped, no URL made a link."""
    return _NO_AUTOLINK.sub(r"\\:", markup.sub(r"\\\1", html.escape(text, quote=False)))


def anchor(prefix: str, n: int) -> str:
    return f"bron-{prefix}-{n}"


def link_citations(answer: str, prefix: str, linked: bool = True) -> str:
    """The answer as Markdown with every ``[n]`` a link to source n (``linked``: while the sources
    are not there yet, as text). What it quotes from the sources stays text: markup is escaped line
    by line (a crawled ``![x](http://…)`` loads no image and ``[a](http://…)`` makes no link), only
    a line's list mark is kept so lists stay lists."""
    lines = []
    for line in answer.split("\n"):
        mark = _LIST_MARK.match(line)
        head = mark.group(0) if mark else ""
        lines.append(head + _literal(line[len(head) :], _MARKDOWN_INLINE))
    text = "\n".join(lines)
    if not linked:
        return text
    return _ESCAPED_CITATION.sub(lambda m: f"[\\[{m[1]}\\]](#{anchor(prefix, int(m[1]))})", text)


def highlighted(context: str, start: int, end: int, around: int = 300) -> str:
    """Markdown of ``context[start:end]`` marked and bold, with up to ``around`` characters of the
    passage on either side (a cited table row can sit in a passage of pages); the rest literal."""
    start, end = max(0, min(start, len(context))), max(0, min(end, len(context)))
    before, snippet, after = (
        context[max(0, start - around) : start],
        context[start:end],
        context[end : end + around],
    )
    marked = f"<mark><strong>{plain(snippet)}</strong></mark>" if snippet.strip() else ""
    return " ".join(part for part in ("…" + plain(before), marked, plain(after) + "…") if part)


_MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def moment(iso: str) -> str:
    """``2026-12-03T09:30:12+00:00`` → ``3 dec 2026 10:30`` in this machine's local time, 24-hour
    clock: one notation everywhere (no "03 PM" beside "02:49")."""
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    local = when.astimezone() if when.tzinfo else when
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year} {local:%H:%M}"


def contacts_line(contacts: list[dict[str, object]]) -> str:
    """'Jan Jansen (adviseur, j.jansen@…)', each person a page names to contact; made literal."""
    people = []
    for person in contacts:
        details = ", ".join(str(person[k]) for k in ("role", "email", "phone") if person.get(k))
        people.append(f"{person['name']} ({details})" if details else str(person["name"]))
    return plain("; ".join(people))
