"""Group a document's mentions into entities with deterministic ids.

Within a document, a short form joins the full form it abbreviates: a person's
surname joins the full name ("Huber" -> "Stefan Huber"), an acronym joins the
long form written next to it ("DIZ" -> "DIZ | Digitales Innovationszentrum").
The entity id is a hash of label and canonical name, so the same name in
another release (or another run, on another machine) gets the same id.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from pipeline.normalise.canonical import canonical_name
from pipeline.normalise.stages import Extraction, register_stage
from pipeline.normalise.surface import match_key

NAME_LABELS = {"PER", "LOC", "ORG", "MISC"}
TEMPORAL_LABELS = {"DATE", "TIME"}


def entity_id(label: str, name: str) -> str:
    """Stable id of a (label, canonical name) pair."""
    return hashlib.blake2b(f"{label}\x00{match_key(name)}".encode(), digest_size=8).hexdigest()


def _acronym_of(name: str) -> str | None:
    """The leading acronym of "DIZ | Digitales Innovationszentrum" / "DIZ – ..." forms."""
    match = re.match(r"^([A-ZÄÖÜ][A-ZÄÖÜ0-9&]{1,9})\s*[|–\-:(/]\s*\S", name)
    return match.group(1) if match else None


def _initials(name: str) -> str:
    return "".join(word[0] for word in re.findall(r"[A-ZÄÖÜ][\wäöüß]+", name))


def link_names(label: str, names: list[str]) -> dict[str, str]:
    """Map every name of one label in one document to the name of its entity."""
    unique = sorted(set(names), key=lambda n: (-len(n), n))
    target: dict[str, str] = {name: name for name in unique}
    if label == "PER":
        for short in unique:
            if " " in short:
                continue
            full = [n for n in unique if " " in n and n.split()[-1] == short]
            if len({target[n] for n in full}) == 1:
                target[short] = target[full[0]]
    if label in {"ORG", "MISC", "LOC"}:
        for long_form in unique:
            acronym = _acronym_of(long_form)
            rest = long_form[len(acronym) :].lstrip(" |–-:(/").rstrip(")") if acronym else ""
            for other in unique:
                if other == long_form:
                    continue
                if (acronym and other == acronym) or (
                    acronym and rest and match_key(other).startswith(match_key(rest))
                ):
                    target[other] = target[long_form]
        for short in unique:
            if short.isupper() and target[short] == short:
                expansions = [n for n in unique if n != short and _initials(n) == short]
                if len(expansions) == 1:
                    target[short] = target[expansions[0]]
    return target


@register_stage("entities")
class GroupEntities:
    """Canonical names and ``entity_id`` for PER/LOC/ORG/MISC (and rule labels)."""

    def __call__(self, item: Extraction) -> Extraction:
        by_label: dict[str, list[dict[str, Any]]] = {}
        for mention in item.mentions:
            if mention["label"] in TEMPORAL_LABELS:
                continue
            mention["name"] = canonical_name(mention["name"], mention["label"], mention.get("_span"))
            by_label.setdefault(mention["label"], []).append(mention)
        for label, mentions in by_label.items():
            target = link_names(label, [m["name"] for m in mentions if m["name"]])
            for mention in mentions:
                name = target.get(mention["name"], mention["name"]) or mention["text"]
                mention["value"] = name
                mention["entity_id"] = entity_id(label, name)
        return item
