"""``report.html``: a self-contained run report (no server, no external files).

Counts per label, the top 20 entities per type with their aliases (each name links
to the ``show`` page of the document that mentions it most, written to ``show/``),
a timeline of normalised dates on a time-proportional axis, a Leaflet map of
geocoded places and a summary of rejects. Leaflet (BSD-2-Clause, vendored in
``pipeline/sinks/vendor/leaflet``) is inlined; OpenStreetMap tiles are loaded when
the browser is online, offline the points stand on a blank background. The map is
fitted to the robust extent of the points (5-95 % quantiles of latitude and
longitude, weighted by mentions), so one wrong far-away place does not squeeze
all others into one blob.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path

import duckdb

from pipeline.show import write_show_pages

VENDOR = Path(__file__).with_name("vendor") / "leaflet"
TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
QUANTILES = (0.05, 0.95)
MIN_SPAN_DEGREES = 0.05
STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1100px}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}
th{background:#f4f4f4;cursor:pointer}.num{text-align:right}.grid{display:flex;flex-wrap:wrap;gap:1.5rem}
svg text{font-size:10px;fill:#444}.muted{color:#777}
#map{height:460px;width:100%;border:1px solid #ddd;background:#f2f4f5}
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
(function () {
  var element = document.getElementById('map');
  if (!element || typeof L === 'undefined') { return; }
  var data = JSON.parse(document.getElementById('map-data').textContent);
  var map = L.map(element, {scrollWheelZoom: false});
  var online = navigator.onLine && location.hash !== '#offline';
  if (online) {
    L.tileLayer(data.tiles, {maxZoom: 18, attribution: '&copy; OpenStreetMap contributors'}).addTo(map);
  }
  element.setAttribute('data-basemap', online ? 'osm' : 'blank');
  data.points.forEach(function (p) {
    L.circleMarker([p.lat, p.lon], {radius: 4 + Math.sqrt(Math.min(p.n, 100)), color: '#a11',
      weight: 1, fillColor: '#e45756', fillOpacity: 0.7}).bindTooltip(p.name + ' (' + p.n + ')').addTo(map);
  });
  map.fitBounds(data.bounds, {padding: [24, 24]});
  element.setAttribute('data-markers', String(data.points.length));
})();
document.body.setAttribute('data-ready', '1');
"""


class Raw(str):
    """A table cell that is already HTML."""


def _e(value: object) -> str:
    if isinstance(value, Raw):
        return value
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


def weighted_quantile(values: list[tuple[float, float]], q: float) -> float:
    """The smallest value whose share of the total weight, counted from below, reaches ``q`` (values: (x, weight))."""
    ordered = sorted(values)
    total = sum(w for _, w in ordered)
    running = 0.0
    for value, weight in ordered:
        running += weight
        if running >= q * total:
            return value
    return ordered[-1][0]


def robust_bounds(points: list[tuple[float, float, float]]) -> list[list[float]]:
    """[[south, west], [north, east]]: 5-95 % quantiles of latitude and longitude, weighted by mentions.

    One wrong far-away place (or a few rarely mentioned ones) does not widen the view.
    """
    low, high = QUANTILES
    lats = [(lat, w) for lat, _, w in points]
    lons = [(lon, w) for _, lon, w in points]
    south, north = weighted_quantile(lats, low), weighted_quantile(lats, high)
    west, east = weighted_quantile(lons, low), weighted_quantile(lons, high)
    pad_lat, pad_lon = max(MIN_SPAN_DEGREES - (north - south), 0) / 2, max(MIN_SPAN_DEGREES - (east - west), 0) / 2
    return [[south - pad_lat, west - pad_lon], [north + pad_lat, east + pad_lon]]


def _map(places: list[tuple[str, float, float, int]]) -> str:
    if not places:
        return '<p class="muted">No geocoded places.</p>'
    data = {
        "tiles": TILES,
        "bounds": robust_bounds([(lat, lon, max(n, 1)) for _, lat, lon, n in places]),
        "points": [{"name": name, "lat": lat, "lon": lon, "n": n} for name, lat, lon, n in places],
    }
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return (
        f'<div id="map" role="img" aria-label="map of {len(places)} places"></div>'
        f'<script id="map-data" type="application/json">{payload}</script>'
        '<p class="muted">Circles grow with the number of mentions; the view shows the middle 90 % of the places. '
        "Map data © OpenStreetMap contributors (online only).</p>"
    )


def _month_start(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _ticks(start: date, end: date) -> list[date]:
    """Round dates for the axis: years (every 1, 2, 5, ... years) or months (every 1, 2, 3, 6)."""
    years = (end - start).days / 365.25
    if years > 2:
        step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500) if years / s <= 10), 1000)
        first = (start.year + step - 1) // step * step if start.month == 1 else (start.year // step + 1) * step
        return [date(y, 1, 1) for y in range(first, end.year + 1, step) if start <= date(y, 1, 1) <= end]
    step = next(s for s in (1, 2, 3, 6, 12) if years * 12 / s <= 12)
    ticks, day = [], start
    while day <= end:
        if (day.month - 1) % step == 0:
            ticks.append(day)
        day = _next_month(day)
    return ticks


def _timeline(points: list[tuple[str, int]]) -> str:
    """Mentions per month on an axis proportional to time (the middle 90 % of the mentions, as on the map)."""
    if not points:
        return '<p class="muted">No dates with a day, month or year value.</p>'
    total = sum(n for _, n in points)
    cumulative, running = [], 0
    for _, n in points:
        running += n
        cumulative.append(running)
    first = next(i for i, c in enumerate(cumulative) if c >= total * QUANTILES[0])
    last = next(i for i, c in enumerate(cumulative) if c >= total * QUANTILES[1])
    shown = points[first : last + 1]
    left_out = total - sum(n for _, n in shown)
    start, end = _month_start(shown[0][0]), _next_month(_month_start(shown[-1][0]))
    width, height, pad = 900, 190, 34
    days = max((end - start).days, 1)

    def x(day: date) -> float:
        return pad + (day - start).days / days * (width - 2 * pad)

    top = max(n for _, n in shown)
    bars = []
    for month, n in shown:
        day = _month_start(month)
        h = (height - 2 * pad) * n / top
        bars.append(
            f'<rect class="bar" data-date="{day.isoformat()}" data-count="{n}" x="{x(day):.2f}" '
            f'y="{height - pad - h:.1f}" width="{max(x(_next_month(day)) - x(day) - 0.5, 1):.2f}" height="{h:.1f}" '
            f'fill="#4c78a8"><title>{_e(month)}: {n}</title></rect>'
        )
    ticks = "".join(
        f'<g class="tick" data-date="{t.isoformat()}"><line x1="{x(t):.2f}" x2="{x(t):.2f}" y1="{height - pad}" '
        f'y2="{height - pad + 5}" stroke="#444"/><text x="{x(t):.2f}" y="{height - pad + 17}" text-anchor="middle">'
        f"{t.year if t.month == 1 else t.strftime('%Y-%m')}</text></g>"
        for t in _ticks(start, end)
    )
    axis = (
        f'<g class="axis" data-start="{start.isoformat()}" data-end="{end.isoformat()}">'
        f'<line x1="{pad}" x2="{width - pad}" y1="{height - pad}" y2="{height - pad}" stroke="#444"/>{ticks}</g>'
    )
    note = (
        f'<p class="muted">{left_out:,} date mentions outside {start:%Y-%m} – {_month_start(shown[-1][0]):%Y-%m} '
        "are left out (the first and last 5 %).</p>"
        if left_out
        else ""
    )
    return (
        f'<svg class="timeline" width="{width}" height="{height}" role="img" aria-label="dates per month">'
        f"{''.join(bars)}{axis}</svg>{note}"
    )


def _leaflet() -> tuple[str, str]:
    """Leaflet's JS and CSS; the CSS without its image URLs (the page uses no icons or layer control)."""
    css = re.sub(r"url\(images/[^)]*\)", "none", (VENDOR / "leaflet.css").read_text(encoding="utf-8"))
    return (VENDOR / "leaflet.js").read_text(encoding="utf-8"), css


def _entity_blocks(q, tables: dict[str, str], out: Path, written: list[Path]) -> str:
    """Top 20 entities per label; each name links to the show page of the document mentioning it most."""
    labels = [r[0] for r in q("SELECT DISTINCT label::VARCHAR FROM read_parquet(?) ORDER BY 1", tables["entities"])]
    top = {
        label: q(
            """SELECT e.entity_id, e.name, e.n_mentions, e.n_docs,
                      string_agg(a.alias, ' · ' ORDER BY a.n_mentions DESC) FILTER (WHERE a.alias <> e.name)
               FROM read_parquet(?) e LEFT JOIN read_parquet(?) a USING (entity_id)
               WHERE e.label::VARCHAR = ? GROUP BY ALL ORDER BY e.n_mentions DESC, e.name LIMIT 20""",
            tables["entities"],
            tables["aliases"],
            label,
        )
        for label in labels
    }
    ids = [row[0] for rows in top.values() for row in rows]
    best_doc = dict(
        q(
            """SELECT entity_id, arg_min(doc_id, (-n, doc_id)) FROM (
                   SELECT entity_id, doc_id, count(*) AS n FROM read_parquet(?)
                   WHERE list_contains(?, entity_id) GROUP BY ALL) GROUP BY entity_id""",
            tables["mentions"],
            ids,
        )
    )
    pages = write_show_pages(out, best_doc.values())
    written.extend(pages.values())
    blocks = []
    for label, rows in top.items():
        cells = []
        for entity, name, n_mentions, n_docs, aliases in rows:
            doc_id = best_doc.get(entity)
            link = (
                Raw(f'<a href="show/{_e(doc_id)}.html" title="entity_id {_e(entity)}">{_e(name)}</a>')
                if doc_id in pages
                else name
            )
            cells.append([link, n_mentions, n_docs, aliases])
        blocks.append(
            f"<div><h3>{_e(label)}</h3>" + _table(["name", "mentions", "docs", "aliases"], cells, {1, 2}) + "</div>"
        )
    return '<h2>Top entities</h2><div class="grid">' + "".join(blocks) + "</div>"


def build_report(out: Path, written: list[Path] | None = None) -> str:
    """The report page for the final tables in ``out``.

    Writes the linked show pages to ``out/show`` and adds their paths to ``written``.
    """
    written = [] if written is None else written
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
    sections.append(_entity_blocks(q, tables, out, written))
    months = q(
        """SELECT strftime(value_start, '%Y-%m') AS month, count(*) FROM read_parquet(?)
           WHERE label::VARCHAR = 'DATE' AND value_start IS NOT NULL AND value_start BETWEEN DATE '1000-01-01' AND DATE '2999-12-31'
           GROUP BY 1 ORDER BY 1""",
        tables["mentions"],
    )  # fmt: skip
    sections.append("<h2>Timeline of dates mentioned</h2>" + _timeline([(m, n) for m, n in months]))
    places = q(
        "SELECT name, lat, lon, n_mentions FROM read_parquet(?) WHERE lat IS NOT NULL ORDER BY n_mentions DESC LIMIT 500",
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
    leaflet_js, leaflet_css = _leaflet()
    return (
        f'<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Pressewerk report</title>'
        f"<style>{leaflet_css}</style><style>{STYLE}</style></head><body>{''.join(sections)}"
        f"<script>{leaflet_js}</script><script>{SCRIPT}</script></body></html>"
    )


def write_report(out: Path) -> list[Path]:
    """Write ``report.html`` and its show pages; returns the paths written (the report first)."""
    target = out / "report.html"
    tmp = out / ".report.html.tmp"
    pages: list[Path] = []
    tmp.write_text(build_report(out, pages), encoding="utf-8")
    tmp.replace(target)
    return [target, *pages]
