"""Places of a document: each LOC mention geocoded in its document's region, streets keyed by their town.

Runs after ``entities``. Every LOC mention gets ``place_id`` (the gazetteer place it stands for in this document,
chosen with the dateline place and the document's other places as the prior, see
:func:`pipeline.normalise.geocode.resolve_in_context`). A street ("Hauptstraße", "Warschauer Straße") belongs to the
town written right after it, else before it (else the dateline place): its canonical name becomes "Hauptstraße, Lichtenberg",
so the same street name in six towns is six entities, and ``town_entity_id`` points to the town's entity. The
dateline place is linked to its LOC entity (``documents.dateline_entity_id``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.ingest.dateline import dateline_position
from pipeline.normalise.entities import entity_id
from pipeline.normalise.geocode import HOME_COUNTRIES, TOWN_KINDS, Place, gazetteer, resolve_in_context
from pipeline.normalise.mentions import DATELINE_SOURCE, mention_id
from pipeline.normalise.stages import Extraction, register_stage

STREET_ENDINGS = Path(__file__).with_name("data") / "street_endings.txt"

# "Hauptstraße in Lichtenberg", "Bahnhofstraße, Fürstenwalde": a town this close after the street is its town.
NEXT_TO = 6
# An address between the street and its town: "Keithstraße 30 in Tiergarten", "Keithstraße 30, 10787 Berlin",
# "Tempelhofer Damm 12, 12101 Berlin-Tempelhof", "Hauptstr. 5a-7 im Ortsteil".
ADDRESS_GAP = re.compile(
    r"\.?\s*(?:\d{1,4}\s?[a-zA-Z]?(?:\s?[-–/]\s?\d{1,4}\s?[a-zA-Z]?)?)?\s*,?\s*(?:(?:in|im)\s+)?(?:(?:D-)?\d{5}\s+)?"
)
# A definite article right before a name ("in die Provence", "an der Theiß"): a region, river or landscape.
ARTICLE_BEFORE = re.compile(r"\b(?:der|die|das|den|dem|des)\s+\Z")
# The dateline place is looked for this far into the text (after a teaser sentence, see pipeline.ingest.dateline).


@lru_cache(maxsize=1)
def _street_patterns() -> dict[str, re.Pattern[str]]:
    """``always`` and ``unless-place`` street endings from the data file, as end-anchored patterns."""
    endings: dict[str, list[str]] = {"always": [], "unless-place": []}
    for line in STREET_ENDINGS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            ending, rule = line.split("\t")
            endings[rule.strip()].append(re.escape(ending.strip()))
    return {rule: re.compile(rf"(?:{'|'.join(words)})$", re.IGNORECASE) for rule, words in endings.items()}


def is_street(name: str) -> bool:
    """A LOC name with a street ending ("Bahnhofstraße", "Am Kupfergraben" unless a town of that name is known)."""
    name = name.strip()
    patterns = _street_patterns()
    if patterns["always"].search(name):
        return True
    return bool(patterns["unless-place"].search(name)) and not gazetteer().candidates(name)


def _dateline_mention(item: Extraction, place: str) -> dict[str, Any] | None:
    """The LOC mention of the dateline place; added when the model missed it in the header."""
    text = item.document.text
    found = dateline_position(text, place)
    if found is None:
        return None
    start, end = found
    for mention in item.mentions:
        if mention["label"] == "LOC" and mention["start_char"] <= start < mention["end_char"]:
            return mention
    added = {
        "mention_id": mention_id(item.document.doc_id, start, end, "LOC"),
        "doc_id": item.document.doc_id,
        "start_char": start,
        "end_char": end,
        "text": text[start:end],
        "label": "LOC",
        "source": DATELINE_SOURCE,
        "sentence": None,  # the context stage numbers sentences after the title and dateline
        "section": "dateline",
        "name": place,
        "value": place,
        "entity_id": entity_id("LOC", place),
    }
    item.mentions.append(added)
    item.mentions.sort(key=lambda m: (m["start_char"], -m["end_char"]))
    return added


@register_stage("places")
class PlaceStage:
    """``place_id`` of LOC mentions, streets keyed by town, ``dateline_entity_id`` of the document."""

    def __call__(self, item: Extraction) -> Extraction:
        dateline = item.document.dateline_place
        dateline_mention = _dateline_mention(item, dateline) if dateline else None
        item.fields["dateline_entity_id"] = dateline_mention["entity_id"] if dateline_mention else None
        places = [m for m in item.mentions if m["label"] == "LOC" and m.get("value")]
        streets = [m for m in places if is_street(m["value"])]
        street_ids = {id(m) for m in streets}
        towns = [m for m in places if id(m) not in street_ids]
        text = item.document.text
        articles = [bool(ARTICLE_BEFORE.search(text, max(0, m["start_char"] - 6), m["start_char"])) for m in towns]
        resolved = resolve_in_context([m["value"] for m in towns], dateline, decide=False, after_article=articles)
        for mention, place in zip(towns, resolved, strict=True):
            mention["place_id"] = place.place_id if place else None
        chosen = [_town_of(item.document.text, street, towns, resolved, dateline_mention) for street in streets]
        # One street name, one town per document: "Hauptstraße in Lichtenberg" keys the street's other mentions too.
        named = {street["value"]: town for street, (town, explicit) in zip(streets, chosen, strict=True) if explicit}
        place_of = {id(m): place for m, place in zip(towns, resolved, strict=True)}
        for street, (town, _) in zip(streets, chosen, strict=True):
            town = named.get(street["value"], town)
            if town is not None:
                street["name"] = street["value"] = f"{street['value']}, {_town_name(town, place_of.get(id(town)))}"
                street["entity_id"] = entity_id("LOC", street["value"])
                street["town_entity_id"] = town["entity_id"]
        return item


def _is_town(name: str, place: Place | None) -> bool:
    """A town: resolved as one in this document, or (when the document could not decide) a German town name."""
    if place is not None:
        return place.kind in TOWN_KINDS
    return any(p.country_code in HOME_COUNTRIES and p.kind in TOWN_KINDS for p in gazetteer().candidates(name))


def _town_name(town: dict[str, Any], place: Place | None) -> str:
    """The town's name in a street's key: the gazetteer's name when the text put its city before it
    ("Berlin-Lichtenberg", "Berlin Lichtenberg" → "Lichtenberg"), so one street is one entity however its town was
    written. A qualifier after the name stays ("Frankfurt (Oder)")."""
    value = town["value"]
    if place is None or place.kind not in TOWN_KINDS or len(value) <= len(place.name) + 1:
        return value
    if value.endswith(place.name) and value[-len(place.name) - 1] in "-– ":
        return place.name
    return value


def _next_to(text: str, street_end: int, town_start: int) -> bool:
    """The town right after the street names the street's town: a few characters, or an address between them."""
    return town_start - street_end <= NEXT_TO or bool(ADDRESS_GAP.fullmatch(text, street_end, town_start))


def _town_of(
    text: str,
    street: dict[str, Any],
    towns: list[dict[str, Any]],
    places: list[Place | None],
    dateline: dict[str, Any] | None,
) -> tuple[dict[str, Any] | None, bool]:
    """The town of a street and whether the text says it right there: "Hauptstraße in Lichtenberg" (explicit),
    or with its address ("Keithstraße 30, 10787 Berlin"), else the last town before it, else one after it in its
    sentence, else the dateline's."""
    known = [m for m, p in zip(towns, places, strict=True) if _is_town(m["value"], p)]
    same_sentence = [
        m for m in known if m["sentence"] == street["sentence"] and m.get("section") == street.get("section")
    ]
    after = [m for m in same_sentence if m["start_char"] >= street["end_char"]]
    before = [m for m in known if m["end_char"] <= street["start_char"]]
    if after and _next_to(text, street["end_char"], after[0]["start_char"]):
        return after[0], True
    if before:
        return before[-1], False
    if after:
        return after[0], False
    return dateline, False
