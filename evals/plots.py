"""Small inline SVG charts, so report.html needs no plotting library, script or network to show them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

_COLOURS = ("#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#718096")
_ROW = 22
_LABEL_W = 190
_BAR_W = 360


def bar_chart(title: str, values: Mapping[str, float | None], *, maximum: float = 1.0, unit: str = "") -> str:
    """Horizontal bars, one per label; a missing value is drawn as 'n.v.t.'."""
    return _bars(title, list(values.items()), maximum, unit)


def _bars(title: str, rows: Sequence[tuple[str, float | None]], maximum: float, unit: str) -> str:
    height = 30 + _ROW * len(rows)
    parts = [_open(height, title)]
    for row, (label, value) in enumerate(rows):
        y = 28 + row * _ROW
        parts.append(_label(y, label))
        parts.append(_bar(y, value, maximum, _COLOURS[0], unit))
    parts.append("</svg>")
    return "".join(parts)


def grouped_bar_chart(
    title: str, groups: Mapping[str, Mapping[str, float | None]], series: Sequence[str]
) -> str:
    """One block of bars per group (e.g. per kind), one bar per series (e.g. per metric), scale 0–1."""
    block = _ROW * len(series) + 8
    height = 40 + block * len(groups) + _ROW
    parts = [_open(height, title)]
    for g, (group, values) in enumerate(groups.items()):
        top = 28 + g * block
        parts.append(_label(top + block / 2 - _ROW / 2, group, bold=True))
        for s, name in enumerate(series):
            parts.append(_bar(top + s * _ROW, values.get(name), 1.0, _COLOURS[s % len(_COLOURS)], ""))
    legend_y = 28 + block * len(groups) + 4
    x = 4
    for s, name in enumerate(series):
        colour = _COLOURS[s % len(_COLOURS)]
        parts.append(f'<rect x="{x}" y="{legend_y}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{legend_y + 9}" font-size="11">{escape(name)}</text>')
        x += 24 + 7 * len(name)
    parts.append("</svg>")
    return "".join(parts)


def histogram(title: str, values: Sequence[float], *, bins: int = 12, unit: str = "s") -> str:
    """Counts of values in equal-width bins between 0 and the largest value."""
    if not values:
        return _open(40, title) + '<text x="10" y="34" font-size="12">geen waarden</text></svg>'
    top = max(values) or 1.0
    width = top / bins
    counts = [0] * bins
    for v in values:
        counts[min(int(v / width), bins - 1)] += 1
    rows = [(f"{i * width:.3g}–{(i + 1) * width:.3g} {unit}", float(c)) for i, c in enumerate(counts)]
    return _bars(title, rows, float(max(counts)), "×")


def _open(height: float, title: str) -> str:
    return (
        f'<svg width="{_LABEL_W + _BAR_W + 80}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" font-family="sans-serif">'
        f'<text x="4" y="16" font-size="13" font-weight="bold">{escape(title)}</text>'
    )


def _label(y: float, text: str, *, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return f'<text x="4" y="{y + 14}" font-size="12"{weight}>{escape(text[:30])}</text>'


def _bar(y: float, value: float | None, maximum: float, colour: str, unit: str) -> str:
    if value is None:
        return f'<text x="{_LABEL_W}" y="{y + 14}" font-size="11" fill="#718096">n.v.t.</text>'
    width = max(0.0, min(1.0, value / maximum if maximum else 0.0)) * _BAR_W
    shown = f"{value:.0f}{unit}" if unit == "×" else f"{value:.2f}{unit}"
    return (
        f'<rect x="{_LABEL_W}" y="{y + 3}" width="{width:.1f}" height="{_ROW - 6}" fill="{colour}"/>'
        f'<text x="{_LABEL_W + width + 4:.1f}" y="{y + 15}" font-size="11">{shown}</text>'
    )
