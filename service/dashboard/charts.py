"""Charts as inline SVG strings, rendered on the server (no scripts, no network, prints well)."""
from __future__ import annotations

from html import escape


def trend_svg(points: list[tuple[str, float, int]], width: int = 640, height: int = 200) -> str:
    """A line chart of the weekly mean score (0..1), with week labels at both ends."""
    if not points:
        return "<p>No dated documents yet.</p>"
    left, top, right, bottom = 40, 10, 10, 40
    inner_w, inner_h = width - left - right, height - top - bottom
    step = inner_w / max(len(points) - 1, 1)
    xy = [(left + i * step, top + inner_h * (1 - score)) for i, (_, score, _) in enumerate(points)]
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' role='img' width='{width}' height='{height}' "
             f"viewBox='0 0 {width} {height}'><title>Mean score per week</title>"]
    for level in (0, 0.5, 1):
        y = top + inner_h * (1 - level)
        parts.append(f"<line x1='{left}' x2='{width - right}' y1='{y:.1f}' y2='{y:.1f}' stroke='#ddd'/>"
                     f"<text x='{left - 6}' y='{y + 4:.1f}' font-size='11' text-anchor='end'>{level:.1f}</text>")
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    parts.append(f"<polyline fill='none' stroke='#2a6f97' stroke-width='2' points='{line}'/>")
    for (x, y), (week, score, n) in zip(xy, points):
        parts.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='3' fill='#2a6f97'><title>week {escape(week)}: "
                     f"{score:.2f} over {n} documents</title></circle>")
    # How many documents each week rests on, under its point: a mean of two notes is not a trend.
    if len(points) <= 40:
        for (x, _), (_, _, n) in zip(xy, points):
            parts.append(f"<text x='{x:.1f}' y='{height - 20}' font-size='9' text-anchor='middle' "
                         f"fill='#666'>{n}</text>")
    total = sum(n for _, _, n in points)
    parts.append(f"<text x='{width / 2:.0f}' y='{height - 8}' font-size='11' text-anchor='middle'>"
                 f"{total} documents over {len(points)} weeks</text>")
    parts.append(f"<text x='{left}' y='{height - 8}' font-size='11'>{escape(points[0][0])}</text>"
                 f"<text x='{width - right}' y='{height - 8}' font-size='11' text-anchor='end'>"
                 f"{escape(points[-1][0])}</text></svg>")
    return "".join(parts)


def heat_class(rate: float) -> str:
    """The stylesheet class of a heat-map cell: h0 (red, 0%) through amber to h10 (green, 100%).
    Classes, not inline colours, so the dashboard's Content-Security-Policy can forbid inline styles."""
    return f"h{round(max(0.0, min(rate, 1.0)) * 10)}"
