"""``report.html``: a self-contained run report (no server, no external files).

Counts per label, the top 20 entities per type with their aliases, a timeline of
normalised dates, a scatter map of geocoded places and a summary of rejects.
Charts are inline SVG; a few lines of inline JavaScript add sorting and mark the
page ready.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import duckdb

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1100px}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}
th{background:#f4f4f4;cursor:pointer}.num{text-align:right}.grid{display:flex;flex-wrap:wrap;gap:1.5rem}
svg text{font-size:10px;fill:#444}.muted{color:#777}
"""
SCRIPT = """
document.querySelectorAll('table.sortable th').forEach(function (th, index) {
  th.addEventListener('click', function () {
    var body = th.closest('table').tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var numeric = th.classList.contains('num');
    rows.sort(function (a, b) {
      var x = a.cells[index].textContent, y = b.cells[index].textContent;
      return numeric ? Number(y) - Number(x) : x.localeCompare(y);
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
});
document.body.setAttribute('data-ready', '1');
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _table(headers: list[str], rows: list[list[object]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f'<th class="{"num" if i in numeric else ""}">{_e(h)}</th>' for i, h in enumerate(headers))
    body = "".join(
        "<tr>"
        + "".join(f'<td class="{"num" if i in numeric else ""}">{_e(c)}</td>' for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f'<table class="sortable"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _timeline(points: list[tuple[str, int]]) -> str:
    if not points:
        return '<p class="muted">No dates with a day, month or year value.</p>'
    width, height, pad = 900, 180, 30
    top = max(n for _, n in points)
    step = (width - 2 * pad) / max(len(points), 1)
    bars = []
    for i, (month, n) in enumerate(points):
        h = (height - 2 * pad) * n / top
        x = pad + i * step
        bars.append(
            f'<rect x="{x:.1f}" y="{height - pad - h:.1f}" width="{max(step - 1, 1):.1f}" height="{h:.1f}" fill="#4c78a8"><title>{_e(month)}: {n}</title></rect>'
        )
    labels = "".join(
        f'<text x="{pad + i * step:.1f}" y="{height - 8}">{_e(m)}</text>'
        for i, (m, _) in enumerate(points)
        if i % max(len(points) // 8, 1) == 0
    )
    return (
        f'<svg width="{width}" height="{height}" role="img" aria-label="dates per month">{"".join(bars)}{labels}</svg>'
    )


def _map(places: list[tuple[str, float, float, int]]) -> str:
    if not places:
        return '<p class="muted">No geocoded places.</p>'
    width, height, pad = 520, 420, 20
    lats = [p[1] for p in places]
    lons = [p[2] for p in places]
    lat0, lat1, lon0, lon1 = min(lats), max(lats), min(lons), max(lons)
    span_lat, span_lon = max(lat1 - lat0, 0.5), max(lon1 - lon0, 0.5)
    dots = []
    for name, lat, lon, n in places:
        x = pad + (lon - lon0) / span_lon * (width - 2 * pad)
        y = height - pad - (lat - lat0) / span_lat * (height - 2 * pad)
        r = 3 + min(n, 50) ** 0.5
        dots.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#e45756" fill-opacity=".6"><title>{_e(name)} ({n})</title></circle>'
        )
        dots.append(f'<text x="{x + r + 2:.1f}" y="{y + 3:.1f}">{_e(name)}</text>')
    return f'<svg width="{width}" height="{height}" role="img" aria-label="places" style="border:1px solid #ddd">{"".join(dots)}</svg>'


def build_report(out: Path) -> str:
    """The report page for the final tables in ``out``."""
    tables = {
        name: str(out / f"{name}.parquet") for name in ("documents", "mentions", "entities", "aliases", "rejects")
    }
    con = duckdb.connect()
    q = lambda sql, *params: con.execute(sql, list(params)).fetchall()  # noqa: E731
    run = json.loads((out / "run.json").read_text()) if (out / "run.json").is_file() else {}
    n_docs = q("SELECT count(*) FROM read_parquet(?)", tables["documents"])[0][0]
    n_rejects = q("SELECT count(*) FROM read_parquet(?)", tables["rejects"])[0][0]
    labels = q("SELECT label::VARCHAR, count(*) FROM read_parquet(?) GROUP BY 1 ORDER BY 2 DESC", tables["mentions"])
    sections = [f"<h1>Pressewerk run report</h1><p>{n_docs:,} documents, {n_rejects:,} rejects · model "
                f"{_e(run.get('model', {}).get('name'))} {_e(run.get('model', {}).get('version'))} · "
                f"Pressewerk {_e(run.get('pipeline_version'))}</p>"]  # fmt: skip
    sections.append("<h2>Mentions per label</h2>" + _table(["label", "mentions"], [list(r) for r in labels], {1}))
    entity_labels = [
        r[0] for r in q("SELECT DISTINCT label::VARCHAR FROM read_parquet(?) ORDER BY 1", tables["entities"])
    ]
    blocks = []
    for label in entity_labels:
        rows = q(
            """SELECT e.name, e.n_mentions, e.n_docs,
                      string_agg(a.alias, ' · ' ORDER BY a.n_mentions DESC) FILTER (WHERE a.alias <> e.name)
               FROM read_parquet(?) e LEFT JOIN read_parquet(?) a USING (entity_id)
               WHERE e.label::VARCHAR = ? GROUP BY ALL ORDER BY e.n_mentions DESC, e.name LIMIT 20""",
            tables["entities"], tables["aliases"], label,
        )  # fmt: skip
        blocks.append(
            f"<div><h3>{_e(label)}</h3>"
            + _table(["name", "mentions", "docs", "aliases"], [list(r) for r in rows], {1, 2})
            + "</div>"
        )
    sections.append('<h2>Top entities</h2><div class="grid">' + "".join(blocks) + "</div>")
    months = q(
        """SELECT strftime(value_start, '%Y-%m') AS month, count(*) FROM read_parquet(?)
           WHERE label::VARCHAR = 'DATE' AND value_start IS NOT NULL AND value_start BETWEEN DATE '1900-01-01' AND DATE '2100-12-31'
           GROUP BY 1 ORDER BY 1""",
        tables["mentions"],
    )  # fmt: skip
    sections.append("<h2>Timeline of dates mentioned</h2>" + _timeline([(m, n) for m, n in months]))
    places = q(
        "SELECT name, lat, lon, n_mentions FROM read_parquet(?) WHERE lat IS NOT NULL ORDER BY n_mentions DESC LIMIT 300",
        tables["entities"],
    )
    sections.append("<h2>Places</h2>" + _map([(n, la, lo, c) for n, la, lo, c in places]))
    rejects = q(
        "SELECT stage::VARCHAR, reason, count(*) FROM read_parquet(?) GROUP BY ALL ORDER BY 3 DESC", tables["rejects"]
    )
    sections.append(
        "<h2>Rejects</h2>"
        + (_table(["stage", "reason", "inputs"], [list(r) for r in rejects], {2}) if rejects else "<p>None.</p>")
    )
    con.close()
    return (
        f'<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Pressewerk report</title>'
        f"<style>{STYLE}</style></head><body>{''.join(sections)}<script>{SCRIPT}</script></body></html>"
    )


def write_report(out: Path) -> Path:
    target = out / "report.html"
    tmp = out / ".report.html.tmp"
    tmp.write_text(build_report(out), encoding="utf-8")
    tmp.replace(target)
    return target
