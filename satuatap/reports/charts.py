"""Hand-written SVG charts for the reports page, rendered on the server (no script, prints as it shows).

Each function takes plain values and returns an SVG string. Every text in it is escaped; the values are numbers,
hours, weekdays and dates. Each chart carries a ``<title>`` and ``<desc>`` for screen readers, and the page shows
the same figures in its tables.
"""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT = 720, 240
LEFT, BOTTOM, TOP, RIGHT = 44, 28, 12, 8
BAR = "#2563eb"
LINE_COLORS = ("#2563eb", "#16a34a")


def _frame(title: str, body: str, width: int = WIDTH, height: int = HEIGHT, desc: str = "") -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="report-chart" '
        f'width="100%" preserveAspectRatio="xMidYMid meet"><title>{escape(title)}</title>'
        f"<desc>{escape(desc or title)}</desc>{body}</svg>"
    )


def _axis(top: float) -> str:
    """The y axis: a baseline and grid lines at each quarter of ``top`` (a round number, see ``_nice_top``)."""
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for i in range(5):
        value = top * i / 4
        y = HEIGHT - BOTTOM - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#d1d5db" stroke-width="1"/>'
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{value:.4g}</text>'
        )
    return "".join(parts)


def _nice_top(value: float) -> float:
    """A round axis top at least ``value`` (1, 2, 5 x 10^n), so grid labels read well."""
    if value <= 0:
        return 1
    step = 1
    while step * 10 <= value:
        step *= 10
    for factor in (1, 2, 4, 10):  # quarters of these stay round
        if step * factor >= value:
            return step * factor
    return step * 10


def bars(title: str, labels: list[str], values: list[float | None], unit: str = "") -> str:
    """A bar chart: one bar per label (None: no bar), value printed above each bar."""
    if not labels:
        return _frame(title, '<text x="50%" y="50%" text-anchor="middle">—</text>')
    top = _nice_top(max((v or 0) for v in values))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(labels)
    parts = [_axis(top)]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = LEFT + i * slot
        if value:
            h = plot_h * value / top
            y = HEIGHT - BOTTOM - h
            parts.append(
                f'<rect x="{x + slot * 0.15:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{BAR}">'
                f"<title>{escape(label)}: {value:g}{escape(unit)}</title></rect>"
                f'<text x="{x + slot / 2:.1f}" y="{y - 3:.1f}" font-size="10" text-anchor="middle">{value:g}</text>'
            )
        parts.append(
            f'<text x="{x + slot / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="11" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    return _frame(title, "".join(parts))


def lines(title: str, labels: list[str], series: list[tuple[str, list[float | None]]]) -> str:
    """A line chart of one or more series over the same labels (days), with a legend; gaps for None."""
    if not labels:
        return _frame(title, '<text x="50%" y="50%" text-anchor="middle">—</text>')
    top = _nice_top(max((v or 0) for _, values in series for v in values))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(labels) - 1)
    parts = [_axis(top)]
    for n, (name, values) in enumerate(series):
        color = LINE_COLORS[n % len(LINE_COLORS)]
        points = [
            f"{LEFT + i * step:.1f},{HEIGHT - BOTTOM - plot_h * v / top:.1f}"
            for i, v in enumerate(values)
            if v is not None
        ]
        parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{color}" stroke-width="2"/>')
        parts.append(
            f'<rect x="{LEFT + 8 + n * 140}" y="{TOP}" width="10" height="10" fill="{color}"/>'
            f'<text x="{LEFT + 22 + n * 140}" y="{TOP + 9}" font-size="11">{escape(name)}</text>'
        )
    every = max(1, len(labels) // 10)
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(
                f'<text x="{LEFT + i * step:.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="10" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    return _frame(title, "".join(parts))


def heatmap(title: str, rows: list[str], columns: list[str], values: dict[tuple[int, int], int]) -> str:
    """A grid (rows x columns) shaded by count; ``values`` maps (row index, column index) to a count."""
    cell_w, cell_h, left, top = 38, 24, 70, 22
    width, height = left + cell_w * len(columns) + RIGHT, top + cell_h * len(rows) + 8
    peak = max(values.values(), default=0) or 1
    parts = []
    for c, label in enumerate(columns):
        parts.append(
            f'<text x="{left + c * cell_w + cell_w / 2}" y="{top - 6}" font-size="11" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    for r, label in enumerate(rows):
        y = top + r * cell_h
        parts.append(f'<text x="{left - 6}" y="{y + 16}" font-size="11" text-anchor="end">{escape(label)}</text>')
        for c, column in enumerate(columns):
            count = values.get((r, c), 0)
            shade = 0.08 + 0.92 * count / peak if count else 0
            parts.append(
                f'<rect x="{left + c * cell_w}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'fill="{BAR}" fill-opacity="{shade:.2f}" stroke="#e5e7eb">'
                f"<title>{escape(label)} {escape(column)}: {count}</title></rect>"
            )
            if count:
                ink = "#fff" if shade > 0.55 else "#111"
                parts.append(
                    f'<text x="{left + c * cell_w + cell_w / 2 - 1}" y="{y + 16}" font-size="10" '
                    f'text-anchor="middle" fill="{ink}">{count}</text>'
                )
    return _frame(title, "".join(parts), width, height)
