"""The synthetic site's PDF reports: 20–80 pages of sections and paragraphs, generated per version.

A report's length and outline come from its number alone and its text from number and version, so
a new version rewrites every page while keeping them. Each page carries a running header and a page
number, which the PDF parser must drop, and headings set larger than the body text.
"""

from __future__ import annotations

import random
import textwrap
from collections.abc import Iterator

from kis.bench.pdf import Line, write_pdf
from kis.bench.prose import SECTIONS, THEMES, paragraph

PAGE_RANGE = (20, 80)
BODY_LINES = 28  # body lines on a page, headings counted as two
WRAP = 92  # characters on a body line


def report_path(number: int) -> str:
    return f"/publicaties/rapport-{number:04d}.pdf"


def report_title(number: int) -> str:
    return f"Rapport {THEMES[number % len(THEMES)][1]} {number}"


def _lines(number: int, version: int) -> Iterator[Line]:
    """The report's text as an endless run of lines: sections of several paragraphs each."""
    theme = THEMES[number % len(THEMES)][1]
    rng = random.Random(f"report:{number}:{version}")
    outline = random.Random(f"report:{number}")
    for section in range(1, 1 << 30):
        heading = outline.choice(SECTIONS).format(t=theme.lower())
        yield Line(f"{section}. {heading}", 15.0, 10.0)
        for _ in range(outline.randint(3, 8)):
            for i, text in enumerate(textwrap.wrap(paragraph(rng, theme), WRAP)):
                yield Line(text, 11.0, 5.0 if i == 0 else 0.0)


def page_count(number: int, page_range: tuple[int, int] = PAGE_RANGE) -> int:
    return random.Random(f"report:{number}:pages").randint(*page_range)


def report_pages(number: int, version: int, page_range: tuple[int, int] = PAGE_RANGE) -> list[list[Line]]:
    """Every page's lines: running header, title (first page), body, page number."""
    count = page_count(number, page_range)
    title = report_title(number)
    lines = _lines(number, version)
    pages: list[list[Line]] = []
    for page in range(1, count + 1):
        current = [Line(f"Kennisplatform Inclusief Samenleven | {title}", 8.0)]
        if page == 1:
            current += [Line(title, 22.0, 20.0), Line(f"Onderzoeksrapport, versie {version + 1}", 11.0, 8.0)]
        budget = BODY_LINES
        while budget > 0:
            line = next(lines)
            budget -= 2 if line.size > 11 else 1
            current.append(line)
        current.append(Line(str(page), 8.0, 12.0))
        pages.append(current)
    return pages


def render_report(number: int, version: int, page_range: tuple[int, int] = PAGE_RANGE) -> bytes:
    created = f"D:20{18 + number % 7}{1 + number % 12:02d}{1 + number % 28:02d}"
    return write_pdf(report_pages(number, version, page_range), report_title(number), created)
