"""Check a run's geocoding against the gazetteer's own regions.

Counts the LOC entities whose name the gazetteer knows as a German municipality, locality or district, and the
share of them that got coordinates inside the right Bundesland: the state the gazetteer gives the name, where
the name has readings in several states the run's home state (the state most of these names can only be in),
else the state of the reading nearest the home state's centre, and "inside" as within that state's extent in
the gazetteer (the bounding box of its places).

    .venv/bin/python scripts/check_places.py OUT_DIR [--show 20]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import pandas as pd

from pipeline.normalise.geocode import Place, distance_km, gazetteer
from pipeline.normalise.places import is_street

PLACE_KINDS = {"municipality", "locality", "district"}


def german_readings(name: str) -> list[Place]:
    """German municipality, locality or district readings of a name that is not first a state or country."""
    found = gazetteer().candidates(name)
    if any(p.kind in {"state", "country"} for p in found):
        return []
    return [p for p in found if p.country_code == "DE" and p.kind in PLACE_KINDS]


def state_extents() -> dict[str, tuple[float, float, float, float]]:
    """(min lat, max lat, min lon, max lon) of every Bundesland's places in the gazetteer."""
    extents: dict[str, list[float]] = {}
    for place in gazetteer().by_id.values():
        if place.country_code != "DE" or place.admin1 is None or place.lat is None or place.kind not in PLACE_KINDS:
            continue
        box = extents.setdefault(place.admin1, [place.lat, place.lat, place.lon, place.lon])  # type: ignore[list-item]
        box[:] = [min(box[0], place.lat), max(box[1], place.lat), min(box[2], place.lon), max(box[3], place.lon)]  # type: ignore[type-var]
    return {state: (b[0], b[1], b[2], b[3]) for state, b in extents.items()}


def check(out: Path) -> dict:
    entities = pd.read_parquet(out / "entities.parquet")
    streets = (
        entities["place_type"] == "street" if "place_type" in entities else entities["name"].map(is_street)
    )  # runs of older versions have no place_type
    places = entities[(entities["label"] == "LOC") & ~streets]
    readings = {name: german_readings(name) for name in places["name"]}
    known = places[[bool(readings[n]) for n in places["name"]]]
    home = Counter(rs[0].admin1 for rs in readings.values() if len({p.admin1 for p in rs}) == 1).most_common(1)
    home_state = home[0][0] if home else None
    extents = state_extents()
    centre = next((p for p in gazetteer().by_id.values() if p.kind == "state" and p.admin1 == home_state), None)
    rows = []
    for row in known.itertuples():
        states = {p.admin1 for p in readings[row.name]}
        expected = states.pop() if len(states) == 1 else home_state if home_state in states else None
        if expected is None and centre is not None:
            expected = min(readings[row.name], key=lambda p: distance_km(p, (centre.lat, centre.lon))).admin1
        box = extents.get(expected or "")
        inside = (
            box is not None
            and pd.notna(row.lat)
            and row.admin1 == expected
            and box[0] <= row.lat <= box[1]
            and box[2] <= row.lon <= box[3]
        )
        rows.append({"name": row.name, "expected": expected, "admin1": row.admin1, "lat": row.lat, "ok": inside})
    ok = sum(r["ok"] for r in rows)
    return {
        "loc_entities": len(places),
        "german_places": len(rows),
        "inside_right_state": ok,
        "share": round(ok / len(rows), 4) if rows else None,
        "home_state": home_state,
        "misses": [r for r in rows if not r["ok"]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--show", type=int, default=20, help="misses to list")
    args = parser.parse_args()
    result = check(args.out)
    result["misses"] = result["misses"][: args.show]
    print(json.dumps(result, ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main()
