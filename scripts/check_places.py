"""Check a run's geocoding against the gazetteer's own regions, in Germany, Austria and Switzerland.

Counts the LOC entities whose name the gazetteer knows as a municipality, locality, district or state of
Germany, Austria or Switzerland, and the share of them that got coordinates inside the right country and state:
the (country, state) the gazetteer gives the name, where the name has readings in several states the run's home
state (the state most of these names can only be in), else the state of the reading nearest the home state's
centre, and "inside" as within that state's extent in the gazetteer (the bounding box of its places).

    .venv/bin/python scripts/check_places.py OUT_DIR [OUT_DIR ...] [--show 20]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import pandas as pd

from pipeline.normalise.geocode import HOME_COUNTRIES, Place, distance_km, gazetteer
from pipeline.normalise.places import is_street

PLACE_KINDS = {"municipality", "locality", "district", "state"}
State = tuple[str, str]  # (country, state)


def home_readings(name: str) -> list[Place]:
    """Municipality, locality, district or state readings in Germany, Austria or Switzerland of a name that is not
    first a country."""
    found = gazetteer().candidates(name)
    if any(p.kind == "country" or (p.country_code not in HOME_COUNTRIES and p.kind != "state") for p in found):
        return []  # a country, or a name a foreign city also bears ("Rom", "Peking"): no home place to check
    return [p for p in found if p.country_code in HOME_COUNTRIES and p.kind in PLACE_KINDS and p.admin1]


german_readings = home_readings  # the name of earlier versions


def state_extents() -> dict[State, tuple[float, float, float, float]]:
    """(min lat, max lat, min lon, max lon) of every state's places in the gazetteer."""
    extents: dict[State, list[float]] = {}
    for place in gazetteer().by_id.values():
        if place.country_code not in HOME_COUNTRIES or not place.admin1 or place.lat is None:
            continue
        if place.kind not in PLACE_KINDS:
            continue
        box = extents.setdefault((place.country_code, place.admin1), [place.lat, place.lat, place.lon, place.lon])  # type: ignore[list-item]
        box[:] = [min(box[0], place.lat), max(box[1], place.lat), min(box[2], place.lon), max(box[3], place.lon)]  # type: ignore[type-var]
    return {state: (b[0], b[1], b[2], b[3]) for state, b in extents.items()}


def check(out: Path) -> dict:
    entities = pd.read_parquet(out / "entities.parquet")
    streets = (
        entities["place_type"] == "street" if "place_type" in entities else entities["name"].map(is_street)
    )  # runs of older versions have no place_type
    places = entities[(entities["label"] == "LOC") & ~streets]
    readings = {name: home_readings(name) for name in places["name"]}
    known = places[[bool(readings[n]) for n in places["name"]]]
    unique = [{(p.country_code, p.admin1) for p in rs} for rs in readings.values()]
    home = Counter(next(iter(s)) for s in unique if len(s) == 1).most_common(1)
    home_state = home[0][0] if home else None
    extents = state_extents()
    box = extents.get(home_state) if home_state else None
    centre = ((box[0] + box[1]) / 2, (box[2] + box[3]) / 2) if box else None
    rows = []
    for row in known.itertuples():
        states = {(p.country_code, p.admin1) for p in readings[row.name]}
        top = [p for p in readings[row.name] if p.kind == "state"]  # "Sachsen" is the Land, not the Bavarian village
        expected = (
            states.pop()
            if len(states) == 1
            else (top[0].country_code, top[0].admin1)
            if len(top) == 1
            else home_state
            if home_state in states
            else None
        )
        if expected is None and centre is not None:  # the largest reading, of equals the nearest to home
            best = max(readings[row.name], key=lambda p: (p.population or 0, -distance_km(p, centre)))
            expected = (best.country_code, best.admin1)  # type: ignore[assignment]
        box = extents.get(expected) if expected else None
        inside = (
            box is not None
            and pd.notna(row.lat)
            and (row.country_code, row.admin1) == expected
            and box[0] - 0.01 <= row.lat <= box[1] + 0.01
            and box[2] - 0.01 <= row.lon <= box[3] + 0.01
        )
        rows.append({"name": row.name, "expected": expected, "admin1": row.admin1, "lat": row.lat, "ok": inside})
    ok = sum(r["ok"] for r in rows)
    return {
        "loc_entities": len(places),
        "german_places": len(rows),
        "inside_right_state": ok,
        "share": round(ok / len(rows), 4) if rows else None,
        "home_state": home_state[1] if home_state else None,
        "home_country": home_state[0] if home_state else None,
        "misses": [r for r in rows if not r["ok"]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="+", help="run output folders (one per archive)")
    parser.add_argument("--show", type=int, default=20, help="misses to list")
    args = parser.parse_args()
    for out in args.out:
        result = check(out)
        result["misses"] = result["misses"][: args.show]
        print(json.dumps({"out": str(out), **result}, ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main()
