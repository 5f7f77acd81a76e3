"""Speakers: the noun phrase (or entity, or pronoun) that is the subject of a cue.

spaCy has no German parser in this pipeline, so the subject is found from the cue's position and German word
order: "Der Sprecher sagte" (before the verb), "…, sagte der Sprecher" / "Am Montag sagte er" (after it),
"wie die Polizei mitteilte" (between "wie" and the verb), "laut X" / "X zufolge" (beside the preposition).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from pipeline.normalise.quotes.lexicon import cues

MAX_NP_TOKENS = 16
CLAUSE_BREAKS = frozenset({",", ":", ";", "–", "—", "-", "„", "“", "”", '"', "»", "«", "‚", "‘"})
MAX_PARENTHESIS = 6
MAX_CLAUSES_BACK = 3
MAX_PP_TOKENS = 5
AUXILIARIES = frozenset({"hat", "hatte", "haben", "hatten", "habe", "ist", "war", "sind", "waren", "wurde", "wurden"})
RELATIVE_PRONOUNS = frozenset({"der", "die", "das", "dem", "den", "dessen", "deren", "welcher", "welche", "welches"})
SENTENCE_END = frozenset({".", "!", "?"})
SUBORDINATORS = frozenset(
    {"wie", "als", "so", "nachdem", "weil", "da", "obwohl", "während", "indem", "wenn", "falls", "bevor", "seit"}
)


@dataclass
class Speaker:
    """A speaker phrase: token range, the entities in it, its role noun and how it was found."""

    start: int  # token index
    end: int
    text: str
    role: str | None = None
    resolved: str = "phrase"  # name, organisation, role, phrase, pronoun
    entities: list[dict[str, Any]] = field(default_factory=list)


def _capitalised(text: str) -> bool:
    """A capitalised word ("Polizei", "ProSieben", "Konrad-Adenauer-Stiftung", "Dr.")."""
    return text[:1].isupper() and text[:1].isalpha() and (text.replace("-", "").isalpha() or text.endswith("."))


def _adjective_like(doc: Doc, i: int, end: int) -> bool:
    """A lower-case attribute ("britische") that some capitalised word of the phrase follows."""
    text = doc[i].text  # "britische", "85-jährige"
    if not (text.replace("-", "").isalnum() and text.islower() and text.endswith(("e", "en", "er", "es", "em"))):
        return False
    j = i + 1
    while j < end and doc[j].text.isalpha() and doc[j].text.islower() and j - i < 3:
        j += 1
    return j < end and _capitalised(doc[j].text) and doc[j].lower_ not in cues().determiners


def phrase_end(doc: Doc, start: int, limit: int, entity_end: dict[int, int]) -> int:
    """End (exclusive) of the noun phrase starting at ``start``, or ``start`` when none starts there."""
    i = start
    if i < limit and doc[i].lower_ in cues().determiners:
        i += 1
    head = None
    while i < limit and i - start < MAX_NP_TOKENS:
        token = doc[i]
        if i in entity_end:
            i = head = min(entity_end[i], limit)
            continue
        word = token.lower_
        if _capitalised(token.text) and word not in cues().determiners:
            if word in cues().prepositions or word in cues().fronted or word in SUBORDINATORS:
                break  # "Nach", "Damit", "Indem" open a sentence, they are no noun
            head = i = i + 1
            continue
        if head is None and _adjective_like(doc, i, limit):
            i += 1
            continue
        if head is not None and token.text == "(":  # "Gitta Trauernicht (SPD)"
            close = next((j for j in range(i + 1, min(limit, i + MAX_PARENTHESIS)) if doc[j].text == ")"), None)
            if close is not None:
                head = i = close + 1
                continue
        if head is not None and word in cues().phrase_links:
            inner = i if word in cues().determiners else i + 1  # "des Senders", "eines Zeugen", "von Greenpeace"
            after = phrase_end(doc, inner, limit, entity_end)
            if after > inner and after > i + 1:
                head = i = after
                continue
        break
    return head if head is not None else start


def _apposition(doc: Doc, end: int, limit: int, entity_end: dict[int, int], people: dict[int, int]) -> int:
    """ "der Leiter der Kriminaldienststelle, Andreas Huber," takes the name in."""
    if end + 1 < limit and doc[end].text == "," and end + 1 in people:
        after = people[end + 1]
        if after >= limit or doc[after].text in (",", ".") or doc[after].lower_ in cues().speech_verbs:
            return after
    return end


class SpeakerFinder:
    """Finds speaker phrases in one document; knows its PER/ORG mentions for ids and pronouns."""

    def __init__(self, doc: Doc, mentions: list[dict[str, Any]], quoted: list[bool] | None = None) -> None:
        self.doc = doc
        self.quoted = quoted or [False] * len(doc)
        self.entities = []
        self.entity_end: dict[int, int] = {}
        self.people: dict[int, int] = {}
        for mention in mentions:
            if mention["label"] not in ("PER", "ORG"):
                continue
            span = doc.char_span(mention["start_char"], mention["end_char"], alignment_mode="expand")
            if span is None:
                continue
            self.entities.append((span.start, span.end, mention))
            self.entity_end[span.start] = span.end
            if mention["label"] == "PER":
                self.people[span.start] = span.end

    def phrase_at(self, start: int, limit: int) -> Speaker | None:
        """The speaker phrase starting at token ``start`` (a pronoun, entity or noun phrase)."""
        doc = self.doc
        while start < limit and doc[start].is_space:
            start += 1
        if start >= limit:
            return None
        if doc[start].lower_ in cues().pronouns:
            return self._pronoun(start)
        end = phrase_end(doc, start, limit, self.entity_end)
        if end == start or any(t.text in cues().evidence_nouns for t in doc[start : min(end, start + 3)]):
            return None  # no phrase, or "Ersten Erkenntnissen", which is nobody
        end = _apposition(doc, end, limit, self.entity_end, self.people)
        while end + 1 < limit and doc[end].lower_ in ("und", "sowie") and doc[end + 1].lower_ not in cues().pronouns:
            more = phrase_end(doc, end + 1, limit, self.entity_end)  # "Frauke Goll und Gennadi Schermann"
            if more == end + 1:
                break
            end = more
        return self._speaker(start, end)

    def after(self, start: int, limit: int) -> Speaker | None:
        """The first speaker phrase after ``start``, skipping adverbs and prepositional phrases."""
        i = start
        while i < limit and self.doc[i].text not in CLAUSE_BREAKS and self.doc[i].text not in SENTENCE_END:
            token = self.doc[i]
            if token.lower_ in cues().prepositions:
                i = self._past_prepositional_phrase(i, limit)
                continue
            speaker = None if token.lower_ in cues().fronted else self.phrase_at(i, limit)
            if speaker is not None:
                return speaker
            i += 1
        return None

    def _past_prepositional_phrase(self, i: int, limit: int) -> int:
        """The token after "in einer vorgestern veröffentlichten Videobotschaft" (the preposition at ``i``)."""
        j = i + 1
        while j < limit and j - i <= MAX_PP_TOKENS and not _capitalised(self.doc[j].text):
            if self.doc[j].text in CLAUSE_BREAKS or self.doc[j].text in SENTENCE_END:
                return j
            j += 1
        return max(phrase_end(self.doc, j, limit, self.entity_end), j + 1) if j < limit else j

    def before(self, clause_start: int, cue: int, floor: int = 0) -> Speaker | None:
        """The subject of a cue that is not first in its clause (verb second or verb last)."""
        doc = self.doc
        while clause_start < cue and doc[clause_start].is_space:
            clause_start += 1
        first = doc[clause_start].lower_
        if first in SUBORDINATORS and self._verb_last(cue):  # "wie die Polizei mitteilte"
            return self.after(clause_start + 1, cue) or self.after(cue + 1, len(doc))
        if first in SUBORDINATORS:  # "So betonte Sarkozy", "Als Begründung gab er an"
            return self.after(cue + 1, len(doc)) or self.after(clause_start + 1, cue)
        if first in cues().fronted or first in cues().prepositions or first in cues().source_prepositions:
            return self.after(cue + 1, len(doc)) or self.after(clause_start + 1, cue)
        if first in AUXILIARIES and clause_start > floor and doc[clause_start - 1].text == ",":
            # "Barack Obama, der Kandidat …, hat … angekündigt": the subject stands before the apposition
            return self._back(clause_start, cue, floor) or self.after(clause_start + 1, cue)
        return self.phrase_at(clause_start, cue) or self.after(clause_start + 1, cue) or self.after(cue + 1, len(doc))

    def for_cue(self, cue: int, clause_start: int, limit: int, floor: int = 0) -> Speaker | None:
        """The subject of the cue verb at token ``cue`` in the clause starting at ``clause_start``.

        A cue first in its clause takes the phrase after it; with none there, the phrase that ends right
        before it ("Der Direktor des Hilfswerks, Anthony Lake, sagte") or, over a relative clause, the one
        the sentence starts with ("Deiss, der sich … entschlossen hatte, sagte") is taken, back to ``floor``."""
        if cue != clause_start:
            return self.before(clause_start, cue, floor)
        relative = self._after_relative_clause(clause_start, floor)  # "Carter, der …, sagte Reportern"
        speaker = None if relative else self.after(cue + 1, limit)
        if speaker is None and clause_start > floor and self.doc[clause_start - 1].text == ",":
            return self._back(clause_start, cue, floor) or (self.after(cue + 1, limit) if relative else None)
        return speaker

    def _back(self, clause_start: int, cue: int, floor: int) -> Speaker | None:
        """Over commas back to the phrase that ends right before the cue's clause or starts the sentence."""
        start = clause_start - 1
        for _ in range(MAX_CLAUSES_BACK):
            start = _clause_start(self.doc, start, floor)
            speaker = self.phrase_at(start, cue)
            if speaker is not None and (speaker.end >= clause_start - 1 or start == floor):
                return speaker
            if start <= floor or self.doc[start - 1].text != ",":
                break
            start -= 1
        return None

    def _verb_last(self, cue: int) -> bool:
        """The cue ends its clause ("wie die Polizei mitteilte,"): a subordinate clause, not verb second."""
        after = self.doc[cue + 1].text if cue + 1 < len(self.doc) else "."
        return after in CLAUSE_BREAKS or after in SENTENCE_END

    def _after_relative_clause(self, clause_start: int, floor: int) -> bool:
        """The clause before the cue's is a relative clause ("Deiss, der sich … entschlossen hatte, sagte")."""
        if clause_start <= floor + 1 or self.doc[clause_start - 1].text != ",":
            return False
        start = _clause_start(self.doc, clause_start - 1, floor)
        return start > floor and self.doc[start - 1].text == "," and self.doc[start].lower_ in RELATIVE_PRONOUNS

    def _speaker(self, start: int, end: int) -> Speaker:
        span = self.doc[start:end]
        inside = [m for s, e, m in self.entities if start <= s and e <= end]
        role = next((t.text for t in span if _role(t.text)), None)
        labels = {m["label"] for m in inside}
        resolved = "name" if "PER" in labels else "organisation" if "ORG" in labels else "role" if role else "phrase"
        return Speaker(start, end, span.text, role, resolved, inside)

    def _pronoun(self, i: int) -> Speaker:
        """ "er" / "sie" / "es": the last person (organisation for plural "sie" and "es") named before, outside
        quotation marks (a name inside a quote is not who speaks next)."""
        word = self.doc[i].lower_
        verb = self.doc[i - 1].lower_ if i else ""
        plural = word == "sie" and verb.endswith("en")
        wanted = "ORG" if word == "es" or plural else "PER"
        before = [m for s, e, m in self.entities if e <= i and m["label"] == wanted and not self.quoted[s]]
        speaker = Speaker(i, i + 1, self.doc[i].text, None, "pronoun")
        if before and word not in ("ich", "wir"):
            speaker.entities = [before[-1]]
        return speaker


def _role(word: str) -> bool:
    lower = word.lower()
    return word[:1].isupper() and any(lower.endswith(role) for role in cues().role_nouns)


def _clause_start(doc: Doc, i: int, floor: int) -> int:
    while i > floor and doc[i - 1].text not in CLAUSE_BREAKS:
        i -= 1
    return i
