"""Relations between entities from appositions and fixed patterns.

- ``role_at``: "Frauke Goll und Gennadi Schermann, beide Leiter des DIZ", "Stefan Huber … in seiner
  Funktion als Geschäftsführender Vorstand des Hubwerk01", "Geschäftsführerin der X GmbH, Anna Meier";
  "Commerzbank-Chef Martin Blessing" (a name inside a compound: the tokenizer splits it at the hyphen);
- ``member_of``: "Jakob Ilg vom DIZ", "Ulrich Winchenbach von der MFG … mbH", "Anna Meier (DIZ)";
- ``located_in``: "Hubwerk01, der Digital Hub der Region Bruchsal", "das DIZ in Karlsruhe" (an organisation that
  heads its own noun phrase; "Steuerdeals von Apple in Irland" is about the deals), "Staatsanwaltschaft Berlin"
  (an institution named after its town, when the document names the town);
- ``part_of``: a unit and the organisation named right after it ("Polizeiabschnitt 53 der Polizeidirektion 5").

Only constructions that state a relation count; roles are role nouns (``role_nouns`` of the quote cues). Word
lists in ``pipeline/normalise/data/relations.toml``. Person titles (Dr., Prof., Ministerin, …) written before the
name go to ``title``.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

from pipeline.normalise.canonical import is_title_word
from pipeline.normalise.quotes.lexicon import cues
from pipeline.normalise.stages import Extraction, register_stage

ROLE = r"(?P<role>(?:[A-ZÄÖÜ][\w\-]*|[a-zäöü][\w\-]*(?:er|e|en))(?:\s+[A-ZÄÖÜ][\w\-]*){0,3})"
ORG_PREP = r"(?:des|der|von|vom|bei|beim|im|am|für)"
ROLE_APPOSITION = re.compile(
    rf"^\s*,\s*(?:beide\s+|die\s+|der\s+|sowie\s+)?{ROLE}\s+{ORG_PREP}(?:\s+(?:der|dem|den))?\s*$"
)
ROLE_FUNCTION = re.compile(
    rf"\b(?:in\s+(?:seiner|ihrer)\s+(?:Funktion|Rolle|Eigenschaft)\s+als|als)\s+{ROLE}\s+{ORG_PREP}(?:\s+(?:der|dem|den))?\s*$"
)
# "bei" is left out: "sagte Rubio bei CNN" is an interview, not a membership.
MEMBER = re.compile(r"^\s*(?:vom|von\s+der|von\s+dem|vom\s+der|aus\s+dem|aus\s+der|\()\s*$")
PART_OF = re.compile(r"^\s+(?:der|des)\s+$")
RELATIONS_FILE = Path(__file__).with_name("data") / "relations.toml"


@cache
def relation_words(path: Path = RELATIONS_FILE) -> dict[str, tuple[str, ...]]:
    """The word lists of ``relations.toml``; a broken file is a ValueError naming it."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return {key: tuple(data[key]) for key in ("located_heads", "unit_heads", "seated_heads")}
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as error:
        raise ValueError(f"{path}: cannot read the relation word lists: {error!r}") from error


def is_role(role: str) -> bool:
    """A role noun or a compound ending in one ("Geschäftsführender Vorstand", "Landesgeschäftsführer")."""
    last = re.split(r"[\s\-]+", role.strip())[-1].lower()
    return bool(last) and last.endswith(cues().role_nouns)


def _heads_own_phrase(text: str, start: int) -> bool:
    """The word before an organisation makes it the head of a noun phrase ("das DIZ", "im Weißen Haus"), not a
    relative pronoun (", das Apple …") nor a noun it depends on ("Steuerdeals von Apple")."""
    before = text[max(0, start - 40) : start].rstrip()
    words = before.split()
    if not words or words[-1].lower() not in relation_words()["located_heads"]:
        return False
    return not before[: -len(words[-1])].rstrip().endswith(",")


def _name_head(name: str) -> str:
    """The first word of a name that is a word ("4. Mordkommission" -> "mordkommission")."""
    return next((w.lower() for w in re.split(r"[\s\-]+", name.strip()) if w[:1].isalpha()), "")


# "Commerzbank-Chef Martin Blessing", "CNN-Reporterin Anna Meier": the role is the compound's head.
COMPOUND_ROLE = re.compile(r"^-(?P<role>[A-ZÄÖÜ][a-zäöüß]+)\s+$")
ROLE_BEFORE = re.compile(rf"(?P<role>[A-ZÄÖÜ][\w\-]*)\s+{ORG_PREP}(?:\s+(?:der|dem|den))?\s+$")
LOCATED = re.compile(
    r"^\s*(?:,\s*(?:der|die|das)\s+[^,.;]{0,60}?\b(?:in|der\s+Region|aus|im|am\s+Standort)|\s+in|\s+aus)\s*(?:der\s+|dem\s+)?$"
)


def _relation(
    doc_id: str, subject: dict, relation: str, obj: dict, role: str | None, start: int, end: int, title: str | None
) -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "subject_entity_id": subject["entity_id"],
        "subject": subject["value"] or subject["text"],
        "relation": relation,
        "role": role,
        "object_entity_id": obj["entity_id"],
        "object": obj["value"] or obj["text"],
        "title": title,
        "start_char": start,
        "end_char": end,
    }


def person_title(text: str, person: dict) -> str | None:
    """Titles written right before a name: "Dr. Stefan Huber", "Ministerin Nicole Hoffmeister-Kraut"."""
    words = text[max(0, person["start_char"] - 60) : person["start_char"]].split()
    titles: list[str] = []
    while words and is_title_word(words[-1]):
        titles.insert(0, words.pop())
    inside = person["text"].split()
    while len(inside) > 1 and is_title_word(inside[0]):
        titles.append(inside.pop(0))
    return " ".join(titles) or None


def _same_sentence(text: str, start: int, end: int) -> bool:
    return not re.search(r"[.!?]\s+[A-ZÄÖÜ„\"]|\n", text[start:end])


def extract_relations(text: str, doc_id: str, mentions: list[dict]) -> list[dict[str, Any]]:
    people = sorted((m for m in mentions if m["label"] == "PER" and m["entity_id"]), key=lambda m: m["start_char"])
    orgs = sorted((m for m in mentions if m["label"] == "ORG" and m["entity_id"]), key=lambda m: m["start_char"])
    places = sorted((m for m in mentions if m["label"] == "LOC" and m["entity_id"]), key=lambda m: m["start_char"])
    rows: list[dict[str, Any]] = []
    seen: set[tuple] = set()
    # Sorted offsets, so every neighbour is found by bisection: linear in the mentions of huge documents.
    person_starts = [m["start_char"] for m in people]
    org_starts = [m["start_char"] for m in orgs]
    by_end = sorted(orgs, key=lambda m: m["end_char"])
    org_ends = [m["end_char"] for m in by_end]
    place_starts = [m["start_char"] for m in places]
    place_by_name: dict[str, dict] = {}
    for place in places:
        place_by_name.setdefault(place["value"] or place["text"], place)

    def add(
        subject: dict, relation: str, obj: dict, role: str | None, title: str | None = None, within: bool = False
    ) -> None:
        """One row; its evidence spans both mentions, or only the subject's name when the object is ``within``
        it ("Staatsanwaltschaft Berlin")."""
        key = (subject["entity_id"], relation, obj["entity_id"], role)
        if key in seen or subject["entity_id"] == obj["entity_id"]:
            return
        seen.add(key)
        start, end = min(subject["start_char"], obj["start_char"]), max(subject["end_char"], obj["end_char"])
        if within:
            start, end = subject["start_char"], subject["end_char"]
        rows.append(_relation(doc_id, subject, relation, obj, role, start, end, title))

    for index, person in enumerate(people):
        # Coordinated subjects: "Frauke Goll und Gennadi Schermann, beide Leiter des DIZ"
        group, cursor = [person], person["end_char"]
        for other in islice(people, index + 1, None):
            if re.fullmatch(r"\s*(?:,|und|sowie)\s*", text[cursor : other["start_char"]]):
                group.append(other)
                cursor = other["end_char"]
            else:
                break
        i = bisect_left(person_starts, cursor)
        next_person = people[i] if i < len(people) else None
        for org in islice(orgs, bisect_left(org_starts, cursor), None):
            if next_person and org["start_char"] > next_person["start_char"]:
                break
            if not _same_sentence(text, cursor, org["start_char"]):
                break
            between = text[cursor : org["start_char"]]
            match = ROLE_APPOSITION.match(between) or ROLE_FUNCTION.search(between)
            if match and is_role(match["role"]):
                for subject in group:
                    add(subject, "role_at", org, match["role"], person_title(text, subject))
                break
            if MEMBER.match(between) and len(group) == 1:
                add(person, "member_of", org, None, person_title(text, person))
                break
        # "Geschäftsführer der MFG, Ulrich Winchenbach" / "Leiterin des DIZ Anna Meier"
        window = by_end[bisect_left(org_ends, person["start_char"] - 40) : bisect_right(org_ends, person["start_char"])]
        for org in window:
            if org["end_char"] <= person["start_char"] and person["start_char"] - org["end_char"] <= 3:
                match = ROLE_BEFORE.search(text[max(0, org["start_char"] - 60) : org["start_char"]])
                gap = text[org["end_char"] : person["start_char"]]
                if match and is_role(match["role"]) and re.fullmatch(r"\s*,?\s*", gap):
                    add(person, "role_at", org, match["role"], person_title(text, person))
            if org["end_char"] <= person["start_char"] <= org["end_char"] + 40:
                compound = COMPOUND_ROLE.match(text[org["end_char"] : person["start_char"]])
                if compound:
                    add(person, "role_at", org, compound["role"], person_title(text, person))
    words = relation_words()
    for subject in orgs:
        name = subject["value"] or subject["text"]
        seated = _name_head(name).endswith(words["seated_heads"]) and len(name.split()) > 1
        seat = place_by_name.get(name.split()[-1]) if seated else None  # "Staatsanwaltschaft Berlin"
        if seat is not None:
            add(subject, "located_in", seat, None, within=True)
        # A name that says where it sits is not placed where the text says it works: "die Staatsanwaltschaft
        # Berlin in Gesundbrunnen", also when the document never names Berlin on its own.
        named_seat = seated and _is_known_place(name.split()[-1])
        for place in places[bisect_left(place_starts, subject["end_char"]) :][:1]:
            if named_seat or place["start_char"] - subject["end_char"] > 80:
                break
            between = text[subject["end_char"] : place["start_char"]]
            apposition = between.lstrip().startswith(",")
            if LOCATED.match(between) and (apposition or _heads_own_phrase(text, subject["start_char"])):
                add(subject, "located_in", place, None)
            break
        j = bisect_left(org_starts, subject["end_char"])
        after = orgs[j] if j < len(orgs) else None
        unit = after is not None and _name_head(name).endswith(words["unit_heads"])
        if unit and PART_OF.match(text[subject["end_char"] : after["start_char"]]):  # "Abschnitt 53 der Direktion 5"
            add(subject, "part_of", after, None)
    return rows


@register_stage("relations")
class RelationStage:
    """``relations`` rows (role_at, member_of, located_in, part_of) with roles and person titles."""

    def __call__(self, item: Extraction) -> Extraction:
        item.rows("relations").extend(extract_relations(item.document.text, item.document.doc_id, item.mentions))
        return item


def _is_known_place(word: str) -> bool:
    """The gazetteer knows ``word`` as a place ("Berlin" in "Staatsanwaltschaft Berlin")."""
    from pipeline.normalise.geocode import gazetteer

    return bool(gazetteer().candidates(word))
