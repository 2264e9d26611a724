"""Charts drawn as inline SVG here, from figures already protected by the disclosure rule: no script, no library, no
style attribute (the Content-Security-Policy), readable on a phone (text of 17 units in a 480-unit-wide drawing is
at least 12 px on a 375 px screen).

Bars are scaled to the TARGET, never to the biggest bar: a year at 59 % of the target draws a bar 59 % as long as
the target's. Every number is formatted by the caller in the reader's language, and every label is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH = 480
LEFT = 96  # room for the axis's numbers
RIGHT = 24  # room for half of the last year's label
BAR_LEFT = 4
ROW_H, BAR_H = 50, 18  # a row: its words on a line, its bar under them
LINE_H = 240
TOP, BOTTOM = 34, 30  # room above for the target's label
Number = Callable[[float], str]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: withheld (drawn as no bar, said in words)
    target: float  # the value that fills the scale's mark for this row


@dataclass(frozen=True)
class Series:
    """Points of a cumulative line by year; a None point is withheld and skipped (the line joins its neighbours)."""

    points: Sequence[tuple[int, float | None]]
    css: str


def bar_length(value: float, scale: float, width: float) -> float:
    """How long a bar of `value` is where `scale` (the largest target) fills `width`; never past the end."""
    if scale <= 0:
        return 0.0
    return width * max(0.0, min(value / scale, 1.0))


def target_bars(bars: Sequence[Bar], number: Number, title: str, *, percent: Number | None = None) -> Markup:
    """One row per bar: its label and value (with its share of the target) on a line, then the target as an outline
    and the value as a filled bar on the same scale, the whole width of the drawing."""
    scale = max([0.0, *(b.target for b in bars)])
    inner = WIDTH - BAR_LEFT - RIGHT
    height = max(1, len(bars)) * ROW_H + 6
    parts = [_open(WIDTH, height, title)]
    for k, bar in enumerate(bars):
        y = 4 + k * ROW_H
        target_w = bar_length(bar.target, scale, inner)
        parts.append(f'<text class="axis" x="{BAR_LEFT}" y="{y + 17}">{escape(bar.label)}</text>')
        parts.append(f'<rect class="target" x="{BAR_LEFT}" y="{y + 24}" width="{target_w:.1f}" height="{BAR_H}"/>')
        if bar.value is None:
            parts.append(f'<text class="axis" x="{WIDTH - RIGHT}" y="{y + 17}" text-anchor="end">—</text>')
            continue
        length = bar_length(bar.value, scale, inner)
        parts.append(f'<rect class="value" x="{BAR_LEFT}" y="{y + 24}" width="{length:.1f}" height="{BAR_H}"/>')
        end = BAR_LEFT + target_w  # the target's end stays visible over a bar that passes it
        parts.append(
            f'<line class="target-end" x1="{end:.1f}" x2="{end:.1f}" y1="{y + 20}" y2="{y + 24 + BAR_H + 4}"/>'
        )
        share = f" ({(percent or number)(100 * bar.value / bar.target)} %)" if bar.target else ""
        parts.append(f'<text class="axis" x="{WIDTH - RIGHT}" y="{y + 17}" text-anchor="end">'
                     f"{number(bar.value)}{share}</text>")  # fmt: skip
    parts.append("</svg>")
    return Markup("".join(parts))  # labels escaped, the rest numbers


def cumulative_lines(
    series: Sequence[Series],
    number: Number,
    title: str,
    *,
    target: tuple[float, str] | None = None,
    band: Sequence[tuple[int, float, float]] = (),
) -> Markup:
    """Running totals by year: the lines, the target as a dashed level (labelled), and a P10-P90 band if given."""
    years = sorted({y for s in series for y, _ in s.points} | {y for y, _, _ in band})
    if not years:
        return Markup("")
    values = [v for s in series for _, v in s.points if v is not None] + [hi for _, _, hi in band]
    top_value = max([1.0, *values, target[0] if target else 0.0])
    step = (WIDTH - LEFT - RIGHT) / max(1, len(years) - 1)

    def x(year: int) -> float:
        return LEFT + (years.index(year) * step if len(years) > 1 else (WIDTH - LEFT - RIGHT) / 2)

    def y(value: float) -> float:
        return TOP + (LINE_H - TOP - BOTTOM) * (1 - value / top_value)

    parts = [_open(WIDTH, LINE_H, title)]
    if band:
        upper = " ".join(f"{x(yr):.1f},{y(hi):.1f}" for yr, _, hi in band)
        lower = " ".join(f"{x(yr):.1f},{y(lo):.1f}" for yr, lo, _ in reversed(band))
        parts.append(f'<polygon class="band" points="{upper} {lower}"/>')
    if target:
        level = y(target[0])
        parts.append(f'<line class="target-line" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{level:.1f}" y2="{level:.1f}"/>')
        parts.append(f'<text class="axis" x="{WIDTH - RIGHT}" y="{level - 5:.1f}" text-anchor="end">'
                     f"{escape(target[1])}</text>")  # fmt: skip
    for line in series:
        shown = [(yr, v) for yr, v in line.points if v is not None]
        coords = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in shown)
        parts.append(f'<polyline class="{line.css}" points="{coords}"/>')
        parts += [f'<circle class="{line.css}-dot" cx="{x(yr):.1f}" cy="{y(v):.1f}" r="4"/>' for yr, v in shown]
    for fraction in (0.0, 0.5, 1.0):
        value = top_value * fraction
        parts.append(
            f'<text class="axis" x="{LEFT - 6}" y="{y(value) + 5:.1f}" text-anchor="end">{number(value)}</text>'
        )
    every = max(1, round(len(years) / 6))  # at most about six year labels, so they never overlap on a phone
    for k, year in enumerate(years):
        if k % every == 0 or k == len(years) - 1:
            parts.append(f'<text class="axis" x="{x(year):.1f}" y="{LINE_H - 8}" text-anchor="middle">{year}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _open(width: int, height: int, title: str) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
    )
