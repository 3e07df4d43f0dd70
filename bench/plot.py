# Draws the time-vs-rows figure of docs/benchmarks.md from bench/run results: one panel per case,
# Staycast and its peer, wall seconds against rows on log-log axes, as a self-contained SVG.
import math
from xml.sax.saxutils import escape

COLORS = {"staycast": "#1f6fb2", "peer": "#e07b00"}


def _ticks(lo, hi):
    return [10 ** e for e in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)]


def _label(v, unit=""):
    if v >= 1e6:
        return f"{v / 1e6:g}M{unit}"
    if v >= 1e3:
        return f"{v / 1e3:g}k{unit}"
    return f"{v:g}{unit}"


def scaling_svg(results, title):
    """results: benchlib.Result list (several rows per case). Returns SVG text."""
    cases = []
    for r in results:
        if r.case not in cases and r.staycast is not None and r.rows:
            cases.append(r.case)
    pw, ph, left, top, gap = 360, 260, 62, 48, 40
    width = left + len(cases) * (pw + gap)
    height = top + ph + 70
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="Helvetica,Arial,sans-serif">',
           f'<rect width="{width}" height="{height}" fill="#fff"/>',
           f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15" '
           f'font-weight="600">{escape(title)}</text>']
    for i, case in enumerate(cases):
        rows = [r for r in results if r.case == case and r.staycast is not None]
        xs = [r.rows for r in rows]
        ys = [r.staycast.wall_s for r in rows] + [r.peer.wall_s for r in rows if r.peer]
        if not xs or not ys:
            continue
        x0 = left + i * (pw + gap)
        xlo, xhi = min(xs) / 1.3, max(xs) * 1.3
        ylo, yhi = min(ys) / 2, max(ys) * 2

        def px(x):
            return x0 + (math.log10(x) - math.log10(xlo)) / (math.log10(xhi) - math.log10(xlo)) * pw

        def py(y):
            return top + ph - (math.log10(y) - math.log10(ylo)) / (
                math.log10(yhi) - math.log10(ylo)) * ph

        out.append(f'<text x="{x0 + pw / 2}" y="{top - 10}" text-anchor="middle" '
                   f'font-size="13">{escape(case)}</text>')
        out.append(f'<rect x="{x0}" y="{top}" width="{pw}" height="{ph}" fill="none" '
                   f'stroke="#999"/>')
        for t in _ticks(ylo, yhi):
            if ylo <= t <= yhi:
                out.append(f'<line x1="{x0}" x2="{x0 + pw}" y1="{py(t):.1f}" y2="{py(t):.1f}" '
                           f'stroke="#eee"/><text x="{x0 - 5}" y="{py(t) + 4:.1f}" '
                           f'text-anchor="end" font-size="10">{_label(t, " s")}</text>')
        for x in sorted(set(xs)):
            out.append(f'<text x="{px(x):.1f}" y="{top + ph + 14}" text-anchor="middle" '
                       f'font-size="10">{_label(x)}</text>')
        out.append(f'<text x="{x0 + pw / 2}" y="{top + ph + 32}" text-anchor="middle" '
                   f'font-size="11">rows</text>')
        series = [("Staycast", COLORS["staycast"], [(r.rows, r.staycast.wall_s) for r in rows])]
        peer_rows = [(r.rows, r.peer.wall_s) for r in rows if r.peer]
        if peer_rows:
            series.append((rows[0].peer_name or "peer", COLORS["peer"], peer_rows))
        for k, (name, color, pts) in enumerate(series):
            pts = sorted(pts)
            path = "M" + "L".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
            out.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
            for x, y in pts:
                out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{color}">'
                           f'<title>{escape(name)}: {_label(x)} rows, {y:.2f} s</title></circle>')
            ly = top + ph + 50 + 0 * k
            lx = x0 + k * 170
            out.append(f'<line x1="{lx}" x2="{lx + 20}" y1="{ly}" y2="{ly}" stroke="{color}" '
                       f'stroke-width="2"/><text x="{lx + 25}" y="{ly + 4}" font-size="11">'
                       f'{escape(name)}</text>')
    out.append('<text x="8" y="{:.0f}" font-size="11" transform="rotate(-90 8 {:.0f})" '
               'text-anchor="middle">wall seconds (log)</text>'.format(top + ph / 2, top + ph / 2))
    out.append("</svg>")
    return "\n".join(out)
