"""``report.html``: a self-contained run report in German (no server, no external files).

Counts per label with what each label means, the top 20 entities per type with their
aliases (each name links to the ``show`` page of the document that mentions it most,
written to ``show/``), a timeline of normalised dates on a time-proportional axis, a
Leaflet map of geocoded places and a summary of rejects; each part has a legend.
Leaflet (BSD-2-Clause, vendored in ``pipeline/sinks/vendor/leaflet``) is inlined;
OpenStreetMap tiles are loaded when the browser is online, offline the points stand on
a vendored base layer of country borders (world) and state borders (Germany, Austria,
Switzerland) from Natural Earth (``pipeline/sinks/vendor/basemap``), with the names of
the states and of the most mentioned places. The map is
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

from pipeline.show import write_show_pages
from pipeline.sinks import duck

VENDOR = Path(__file__).with_name("vendor") / "leaflet"
BASEMAP = Path(__file__).with_name("vendor") / "basemap" / "basemap.geojson"
LABELLED_PLACES = 8  # the most mentioned places carry their name on the map
LABELS_DE = {
    "PER": "Person",
    "LOC": "Ort: Land, Region, Stadt, Straße",
    "ORG": "Organisation: Behörde, Firma, Verein, Partei",
    "MISC": "Sonstiges: Ereignis, Produkt, Werk, Nationalität",
    "DATE": "Datum oder Zeitraum",
    "TIME": "Uhrzeit oder Tageszeit",
    "DURATION": "Dauer",
    "SET": "Wiederkehrende Zeit (täglich, jeden Montag)",
}
TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
QUANTILES = (0.05, 0.95)
MIN_SPAN_DEGREES = 0.05
STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1100px}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}
th{background:#f4f4f4;cursor:pointer}.num{text-align:right}.grid{display:flex;flex-wrap:wrap;gap:1.5rem}
svg text{font-size:10px;fill:#444}.muted{color:#777}
#map{height:460px;width:100%;border:1px solid #ddd;background:#dfe9ef}
.legend{font-size:.85rem;color:#555;margin:.3rem 0 1rem}.legend svg{vertical-align:middle}
.state-label{font-size:11px;color:#666;white-space:nowrap;text-align:center;pointer-events:none}
.state-label span{display:inline-block;transform:translate(-50%,-50%)}
.leaflet-tooltip.place-label{background:rgba(255,255,255,.85);border:0;box-shadow:none;padding:0 3px;font-size:11px}
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
  map.fitBounds(data.bounds, {padding: [24, 24]});  // the view first: vector layers need it
  var online = navigator.onLine && location.hash !== '#offline';
  var states = [];
  // Borders lie under the tiles: online the tiles cover them, offline (or when tiles fail) they show.
  map.createPane('basemap').style.zIndex = 150;
  var base = JSON.parse(document.getElementById('basemap-data').textContent);
  L.geoJSON(base, {pane: 'basemap', interactive: false, style: function (f) {
    return f.properties.kind === 'state'
      ? {color: '#8c8c8c', weight: 0.8, dashArray: '3 3', fillColor: '#fbfaf6', fillOpacity: 1}
      : {color: '#8c8c8c', weight: 1, fillColor: '#fbfaf6', fillOpacity: 1};
  }, onEachFeature: function (f, layer) { if (f.properties.kind === 'state') { states.push([f, layer]); } }
  }).addTo(map);
  map.attributionControl.addAttribution('Grenzen: Natural Earth');
  if (online) {
    L.tileLayer(data.tiles, {maxZoom: 18, attribution: '&copy; OpenStreetMap-Mitwirkende'}).addTo(map);
  }
  element.setAttribute('data-basemap', online ? 'osm' : 'borders');
  var labelled = [];  // screen points of the names shown: a name that would overlap one is left to hovering
  data.points.forEach(function (p, i) {
    var marker = L.circleMarker([p.lat, p.lon], {radius: 4 + Math.sqrt(Math.min(p.n, 100)), color: '#a11',
      weight: 1, fillColor: '#e45756', fillOpacity: 0.7});
    var at = map.latLngToContainerPoint([p.lat, p.lon]);
    var free = labelled.every(function (q) { return Math.abs(q.x - at.x) > 90 || Math.abs(q.y - at.y) > 16; });
    if (i < data.labelled && free) {
      labelled.push(at);
      marker.bindTooltip(p.name, {permanent: true, direction: 'right', className: 'place-label'});
    } else {
      marker.bindTooltip(p.name + ' (' + p.n + ' Erwähnungen)');
    }
    marker.addTo(map);
  });
  var view = map.getBounds(), labels = 0;
  states.forEach(function (entry) {
    var centre = entry[1].getBounds().getCenter();
    var at = map.latLngToContainerPoint(centre);
    var free = labelled.every(function (q) { return Math.abs(q.x - at.x) > 110 || Math.abs(q.y - at.y) > 20; });
    if (map.getZoom() >= 5 && view.contains(centre) && free) {  // names of states large enough, not on places
      L.marker(centre, {pane: 'basemap', interactive: false, keyboard: false, icon: L.divIcon({className: 'state-label',
        iconSize: null, html: '<span>' + entry[0].properties.name + '</span>'})}).addTo(map);
      labels += 1;
    }
  });
  element.setAttribute('data-markers', String(data.points.length));
  element.setAttribute('data-state-labels', String(labels));
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


def _n(value: int) -> str:
    """A count in German notation: 12.345."""
    return f"{value:,}".replace(",", ".")


def _circle_legend() -> str:
    """Circles of 1, 10 and 100 mentions, drawn as on the map."""
    circles, x = [], 6
    for n in (1, 10, 100):
        r = 4 + min(n, 100) ** 0.5
        circles.append(
            f'<circle cx="{x + r:.1f}" cy="16" r="{r:.1f}" fill="#e45756" fill-opacity=".7" stroke="#a11"/>'
            f'<text x="{x + 2 * r + 4:.1f}" y="20">{n}</text>'
        )
        x += 2 * r + 34
    return f'<svg width="{x:.0f}" height="32" aria-hidden="true">{"".join(circles)}</svg>'


def _map(places: list[tuple[str, float, float, int]]) -> str:
    if not places:
        return '<p class="muted">Keine Orte mit Koordinaten.</p>'
    data = {
        "tiles": TILES,
        "bounds": robust_bounds([(lat, lon, max(n, 1)) for _, lat, lon, n in places]),
        "points": [{"name": name, "lat": lat, "lon": lon, "n": n} for name, lat, lon, n in places],
        "labelled": LABELLED_PLACES,
    }
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    basemap = BASEMAP.read_text(encoding="utf-8").replace("</", "<\\/")
    return (
        f'<div id="map" role="img" aria-label="Karte mit {len(places)} Orten"></div>'
        f'<script id="map-data" type="application/json">{payload}</script>'
        f'<script id="basemap-data" type="application/json">{basemap}</script>'
        f'<p class="legend">{_circle_legend()} Erwähnungen eines Ortes in allen Dokumenten (die Kreisfläche wächst '
        f"mit der Zahl, ab 100 nicht mehr). Die {LABELLED_PLACES} meistgenannten Orte tragen ihren Namen; die "
        "übrigen (und wo Namen sich überdecken würden) zeigen ihn beim Darüberfahren. Der Ausschnitt zeigt die "
        "mittleren 90 % der Orte. Karte: mit Netz OpenStreetMap (© OpenStreetMap-Mitwirkende); ohne Netz "
        "Staatsgrenzen und gestrichelt die Länder Deutschlands und Österreichs und die Schweizer Kantone, aus "
        "Natural Earth (gemeinfrei).</p>"
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
        return '<p class="muted">Keine Datumsangaben mit Tag, Monat oder Jahr.</p>'
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
        f" {_n(left_out)} Datumsangaben außerhalb von {start:%m/%Y} bis {_month_start(shown[-1][0]):%m/%Y} "
        "sind nicht gezeigt (die frühesten und spätesten 5 %)."
        if left_out
        else ""
    )
    legend = (
        '<p class="legend"><svg width="14" height="12" aria-hidden="true"><rect width="14" height="12" '
        'fill="#4c78a8"/></svg> Datumsangaben (DATE) je Monat, in dem der genannte Tag oder Zeitraum beginnt; '
        "die Achse ist zeitgetreu, Monate ohne Angaben bleiben leer. Relative Angaben (gestern, nächste Woche) "
        f"sind auf das Datum der Meldung bezogen.{note}</p>"
    )
    return (
        f'<svg class="timeline" width="{width}" height="{height}" role="img" aria-label="Datumsangaben je Monat">'
        f"{''.join(bars)}{axis}</svg>{legend}"
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
        heading = f"{label} – {LABELS_DE[label].split(':')[0]}" if label in LABELS_DE else label
        blocks.append(
            f"<div><h3>{_e(heading)}</h3>"
            + _table(["Name", "Erwähnungen", "Dokumente", "Andere Schreibweisen"], cells, {1, 2})
            + "</div>"
        )
    legend = (
        '<p class="legend">Die 20 meistgenannten Entitäten je Kategorie. Erwähnungen: wie oft sie in allen '
        "Dokumenten vorkommen; Dokumente: in wie vielen; andere Schreibweisen: weitere Formen im Text, die "
        "häufigste zuerst. Ein Klick auf den Namen öffnet das Dokument, das sie am häufigsten nennt, mit allen "
        "markierten Fundstellen; ein Klick auf eine Spaltenüberschrift sortiert.</p>"
    )
    return "<h2>Häufigste Entitäten</h2>" + legend + '<div class="grid">' + "".join(blocks) + "</div>"


def build_report(out: Path, written: list[Path] | None = None) -> str:
    """The report page for the final tables in ``out``.

    Writes the linked show pages to ``out/show`` and adds their paths to ``written``.
    """
    written = [] if written is None else written
    tables = {
        name: str(out / f"{name}.parquet") for name in ("documents", "mentions", "entities", "aliases", "rejects")
    }
    con = duck.cursor()
    q = lambda sql, *params: con.execute(sql, list(params)).fetchall()  # noqa: E731
    run = json.loads((out / "run.json").read_text()) if (out / "run.json").is_file() else {}
    n_docs = q("SELECT count(*) FROM read_parquet(?)", tables["documents"])[0][0]
    n_rejects = q("SELECT count(*) FROM read_parquet(?)", tables["rejects"])[0][0]
    labels = q("SELECT label::VARCHAR, count(*) FROM read_parquet(?) GROUP BY 1 ORDER BY 2 DESC", tables["mentions"])
    sections = [f"<h1>Pressewerk-Bericht</h1><p>{_n(n_docs)} Dokumente, {_n(n_rejects)} abgelehnte Eingaben · "
                f"Modell {_e(run.get('model', {}).get('name'))} {_e(run.get('model', {}).get('version'))} · "
                f"Pressewerk {_e(run.get('pipeline_version'))}</p>"]  # fmt: skip
    rows = [[label, LABELS_DE.get(label, "eigene Kategorie aus einer Regel"), n] for label, n in labels]
    sections.append(
        "<h2>Erwähnungen je Kategorie</h2>"
        + _table(["Kategorie", "Bedeutung", "Erwähnungen"], rows, {2})
        + '<p class="legend">Eine Erwähnung ist eine Fundstelle im Text: ein Name (PER, LOC, ORG, MISC oder eine '
        "Kategorie aus einer Regel) oder eine Zeitangabe (DATE, TIME, DURATION, SET).</p>"
    )
    sections.append(_entity_blocks(q, tables, out, written))
    months = q(
        """SELECT strftime(value_start, '%Y-%m') AS month, count(*) FROM read_parquet(?)
           WHERE label::VARCHAR = 'DATE' AND value_start IS NOT NULL AND value_start BETWEEN DATE '1000-01-01' AND DATE '2999-12-31'
           GROUP BY 1 ORDER BY 1""",
        tables["mentions"],
    )  # fmt: skip
    sections.append("<h2>Zeitleiste der genannten Daten</h2>" + _timeline([(m, n) for m, n in months]))
    places = q(
        "SELECT name, lat, lon, n_mentions FROM read_parquet(?) WHERE lat IS NOT NULL ORDER BY n_mentions DESC LIMIT 500",
        tables["entities"],
    )
    sections.append("<h2>Orte</h2>" + _map([(n, la, lo, c) for n, la, lo, c in places]))
    rejects = q(
        "SELECT stage::VARCHAR, reason, count(*) FROM read_parquet(?) GROUP BY ALL ORDER BY 3 DESC", tables["rejects"]
    )
    sections.append(
        "<h2>Abgelehnte Eingaben</h2>"
        + (
            _table(["Stufe", "Grund", "Eingaben"], [list(r) for r in rejects], {2})
            + '<p class="legend">Eingaben, die kein Dokument wurden (Stufe ingest: nicht lesbar, leer, zu groß; '
            "dedupe: doppelt; nlp: Verarbeitung fehlgeschlagen). Die Einzelheiten stehen in der Tabelle rejects.</p>"
            if rejects
            else "<p>Keine.</p>"
        )
    )
    con.close()
    leaflet_js, leaflet_css = _leaflet()
    return (
        f'<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Pressewerk-Bericht</title>'
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
