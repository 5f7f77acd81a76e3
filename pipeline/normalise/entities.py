"""Group a document's mentions into entities with deterministic ids.

One name keeps one label per document: when the model calls "Barnim" a person
once and a place twice, every mention of it takes the label most of them have
(ties: a label given by a rule, then LOC when the gazetteer knows the name as a
place, then the label of the first mention).

Within a document, a short form joins the full form it abbreviates: a person's
surname joins the full name ("Huber" -> "Stefan Huber"), an acronym joins the
long form written next to it ("DIZ" -> "DIZ | Digitales Innovationszentrum").
The entity id is a hash of label and canonical name, so the same name in
another release (or another run, on another machine) gets the same id.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Any

from pipeline.nlp.dates import TEMPORAL_LABELS
from pipeline.normalise.canonical import canonical_name, legal_form
from pipeline.normalise.mentions import DATELINE_SOURCE, mention_id
from pipeline.normalise.stages import Extraction, register_stage
from pipeline.normalise.surface import canonical_surface, match_key

NAME_LABELS = {"PER", "LOC", "ORG", "MISC"}
# "Digital Hub-Netzwerk Baden-Württemberg" and "Digital Hub-Netzwerk BW" are one name.
STATE_ABBREVIATIONS = {
    "baden württemberg": "bw", "nordrhein westfalen": "nrw", "rheinland pfalz": "rlp",
    "schleswig holstein": "sh", "mecklenburg vorpommern": "mv", "sachsen anhalt": "st",
}  # fmt: skip


@lru_cache(maxsize=65536)
def loose_key(name: str, label: str) -> str:
    """Comparison key that ignores case, punctuation and German genitive/plural "-s"/"-es" on words.

    "Ministeriums für Wirtschaft" and "Ministerium für Wirtschaft", "Digital Hub Netzwerks BW" and
    "Digital Hub-Netzwerk BW" share a key. Person names keep their letters ("Hans" is not "Han").
    """
    key = match_key(name).replace("-", " ")
    if label == "PER":
        return key
    words = [re.sub(r"(?<=[^s])(?:es|s)$", "", w) if len(w) > 4 and not w.isupper() else w for w in key.split()]
    key = " ".join(words)
    for long_form, short in STATE_ABBREVIATIONS.items():
        key = re.sub(rf"\b{long_form}\b", short, key)
    return key


def entity_id(label: str, name: str) -> str:
    """Stable id of a (label, name) pair: same key, same id, on every run and machine."""
    return hashlib.blake2b(f"{label}\x00{loose_key(name, label)}".encode(), digest_size=8).hexdigest()


def _qualifier(rest: str) -> bool:
    """Words that only qualify a name: a legal form or a place ("... Baden-Württemberg", "... GmbH")."""
    from pipeline.normalise.geocode import gazetteer

    words = [w for w in re.split(r"[\s|]+", rest.strip(" ,-|")) if w]
    return bool(words) and (
        legal_form(" " + " ".join(words)) is not None or all(gazetteer().candidates(w) for w in words)
    )


def _inflected(name: str, label: str) -> bool:
    """True when the name's words carry genitive endings its loose key drops."""
    return label != "PER" and match_key(name).replace("-", " ") != loose_key(name, label)


def _acronym_of(name: str) -> str | None:
    """The leading acronym of "DIZ | Digitales Innovationszentrum" / "DIZ – ..." forms.

    A hyphen with no space on either side makes a compound, not such a form: "SPÖ-Mandatar", "ORF-Funkhaus" and
    "ÖBB-Infrastruktur AG" are not the SPÖ, the ORF or the ÖBB."""
    match = re.match(r"^([A-ZÄÖÜ][A-ZÄÖÜ0-9&]{1,9})(?:\s*[|–:(/]|\s-|-\s)\s*\S", name)
    return match.group(1) if match else None


def _initials(name: str) -> str:
    return "".join(word[0] for word in re.findall(r"[A-ZÄÖÜ][\wäöüß]+", name))


def link_names(label: str, names: list[str]) -> dict[str, str]:
    """Map every name of one label in one document to the name of its entity."""
    unique = sorted(set(names), key=lambda n: (-len(n), n))
    # Inflected and hyphen variants of one name join its preferred spelling (the uninflected, then longest).
    by_key: dict[str, list[str]] = {}
    for name in unique:
        by_key.setdefault(loose_key(name, label), []).append(name)
    target: dict[str, str] = {}
    for variants in by_key.values():
        best = min(variants, key=lambda n: (_inflected(n, label), n.count("-") == 0, -len(n), n))
        for name in variants:
            target[name] = best
    if label in {"ORG", "MISC", "LOC"}:
        # A shorter name that starts a longer one of the same kind: "Ministerium für X" -> "Ministerium für X Baden-Württemberg".
        for short in unique:
            short_key = loose_key(short, label)
            if len(short_key.split()) < 2:
                continue
            longer = {
                target[n]
                for n in unique
                if loose_key(n, label).startswith(short_key + " ")
                and not n[len(short) :].startswith("-")  # "Heavy-Metal-Band" is a compound, not "Heavy Metal" qualified
                and _qualifier(n[len(short) :])
            }
            if len(longer) == 1:
                target[short] = longer.pop()
    if label == "PER":
        for name in unique:  # "Jürg Christandls" (genitive) is "Jürg Christandl" when the document has that
            if " " in name and name.endswith("s") and name[:-1] in target:
                target[name] = target[name[:-1]]
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
                expansions = [  # "US-Streitkräfte" has the initials "US" but is a compound of it
                    n for n in unique if n != short and _initials(n) == short and short not in re.split(r"[\s-]", n)
                ]
                if len(expansions) == 1:
                    target[short] = target[expansions[0]]
    return target


def _label_rank(mentions: list[dict[str, Any]], label: str) -> tuple[int, bool, bool, int]:
    """How strongly a document's mentions of one name speak for ``label`` (larger wins)."""
    from pipeline.normalise.geocode import gazetteer

    with_label = [m for m in mentions if m["label"] == label]
    by_rule = any(str(m.get("source", "")).startswith("rule:") for m in with_label)
    known_place = label == "LOC" and bool(gazetteer().candidates(mentions[0]["name"]))
    first = next(i for i, m in enumerate(mentions) if m["label"] == label)
    return len(with_label), by_rule, known_place, -first


def one_label_per_name(mentions: list[dict[str, Any]]) -> None:
    """Relabel a document's name mentions so that each name (case- and punctuation-insensitive) has one label.
    The dateline place keeps its label: "Ried/Wien – … gegen die SV Ried" is written in the town, not the club; so do
    a surname tied to its person and a place after "in" (:func:`_keeps_its_label`)."""
    by_name: dict[str, list[dict[str, Any]]] = {}
    for mention in mentions:
        if mention["label"] in NAME_LABELS and mention["name"]:
            by_name.setdefault(match_key(mention["name"]), []).append(mention)
    for same_name in by_name.values():
        labels = {m["label"] for m in same_name}
        if len(labels) > 1:
            label = max(sorted(labels), key=lambda lab: _label_rank(same_name, lab))
            for mention in same_name:
                if mention["label"] != label and not _keeps_its_label(mention):
                    _relabel(mention, label)


def _keeps_its_label(mention: dict[str, Any]) -> bool:
    """A mention whose reading the text itself gives keeps it: the dateline place, a surname name resolution tied to
    its person ("Landau sagte" after "Michael Landau") and a known place after a locative preposition ("in Landau")."""
    if mention.get("source") == DATELINE_SOURCE or _referent(mention):
        return True
    span = mention.get("_span")
    if mention["label"] != "LOC" or span is None or span.start == 0:
        return False
    from pipeline.nlp.resolution import resolution_lists

    if span.doc[span.start - 1].lower_ not in resolution_lists().locative_prepositions:
        return False
    from pipeline.nlp import lexicon

    return span.text in lexicon.places() or span.text in lexicon.countries()  # not "in Bridge of Spies"


def _referent(mention: dict[str, Any]) -> str:
    """The full name name resolution tied a mention to ("Landau" → "Michael Landau"), else ""."""
    span = mention.get("_span")
    return span.kb_id_ if span is not None and span.label_ == mention["label"] else ""


def _relabel(mention: dict[str, Any], label: str) -> None:
    """Give a mention another label; its id names the label, so it changes too (ids stay unique per span)."""
    mention["label"] = label
    if "mention_id" in mention:
        mention["mention_id"] = mention_id(mention["doc_id"], mention["start_char"], mention["end_char"], label)


@register_stage("entities")
class GroupEntities:
    """Canonical names and ``entity_id`` for PER/LOC/ORG/MISC (and rule labels)."""

    def __call__(self, item: Extraction) -> Extraction:
        one_label_per_name(item.mentions)
        by_label: dict[str, list[dict[str, Any]]] = {}
        for mention in item.mentions:
            if mention["label"] in TEMPORAL_LABELS:
                continue
            span = mention.get("_span")
            referent = _referent(mention)
            # A short form that name resolution linked to its full name ("Hofer" → "Norbert Hofer", "BA" → "Bank
            # Austria") takes the full name, so the entity has one row.
            name = canonical_surface(referent) if referent else mention["name"]
            mention["name"] = canonical_name(name, mention["label"], None if referent else span)
            by_label.setdefault(mention["label"], []).append(mention)
        for label, mentions in by_label.items():
            target = link_names(label, [m["name"] for m in mentions if m["name"]])
            for name in target:  # follow chains: short form -> long form -> preferred spelling
                seen = {name}
                while target[target[name]] != target[name] and target[name] not in seen:
                    seen.add(target[name])
                    target[name] = target[target[name]]
            for mention in mentions:
                name = target.get(mention["name"], mention["name"]) or mention["text"]
                mention["name"] = mention["value"] = name  # "value": read by the quote and relation stages
                mention["entity_id"] = entity_id(label, name)
        return item
