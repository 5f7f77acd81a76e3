"""Speakers: the noun phrase (or entity, or pronoun) that is the subject of a cue.

spaCy has no German parser in this pipeline, so the subject is found from the cue's position and German word
order: "Der Sprecher sagte" (before the verb), "…, sagte der Sprecher" / "Am Montag sagte er" (after it),
"wie die Polizei mitteilte" (between "wie" and the verb), "laut X" / "X zufolge" (beside the preposition).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Token

from pipeline.nlp import lexicon
from pipeline.normalise.quotes.lexicon import cues

MAX_NP_TOKENS = 16
MAX_QUOTED_NAME_TOKENS = 5  # "„Le Canard enchaîné“", "„Neues Deutschland“"
# A name in quotation marks inside a noun phrase, by its opening mark: the marks that may close it.
NAME_MARK_PAIRS = {"„": frozenset({"“", "”"}), "»": frozenset({"«"}), "«": frozenset({"»"})}
NAME_OPENING_MARKS = frozenset(NAME_MARK_PAIRS)
CLAUSE_BREAKS = frozenset({",", ":", ";", "–", "—", "-", "„", "“", "”", '"', "»", "«", "‚", "‘"})


def is_break(token: Token) -> bool:
    """A token that ends a clause; a hyphen inside a word split by the tokenizer ("US-Präsident") is none."""
    if token.text not in CLAUSE_BREAKS:
        return False
    return token.text != "-" or bool(token.whitespace_) or token.i == 0 or bool(token.doc[token.i - 1].whitespace_)


MAX_PARENTHESIS = 6
MAX_CLAUSES_BACK = 3
MAX_PP_TOKENS = 5
NEAR_CHARS = 300  # a possessive refers to a person named at most this far before
AUXILIARIES = frozenset({"hat", "hatte", "haben", "hatten", "habe", "ist", "war", "sind", "waren", "wurde", "wurden"})
RELATIVE_GENDERS = {"der": "m", "welcher": "m", "die": "fp", "welche": "fp", "das": "n", "welches": "n"}
# After a name these open the scene of the statement, not part of the speaker ("sagte Rubio bei CNN", "Niessl im
# Interview"); after a role noun they belong to it ("ein Sprecher im Ministerium").
SCENE_LINKS = frozenset({"bei", "beim", "im"})
INDEFINITE_ARTICLES = frozenset({"ein", "eine", "einer", "eines", "einem", "einen"})
NOMINATIVE_ARTICLES = frozenset({"der", "die", "das", "ein", "eine"})  # "die der Mann angriff": he is the subject
SUBJECT_RELATIVES = frozenset({"der", "die", "das", "welcher", "welche", "welches"})  # may be the subject
RELATIVE_PRONOUNS = frozenset({"der", "die", "das", "dem", "den", "dessen", "deren", "welcher", "welche", "welches"})
SENTENCE_END = frozenset({".", "!", "?"})
COORDINATORS = frozenset({"und", "aber", "oder", "denn", "sondern", "doch"})
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


AGE_NOUN = re.compile(r"^\d+-[A-ZÄÖÜ][a-zäöüß]+$")  # "39-Jährige", "17-Jähriger"


def _capitalised(text: str) -> bool:
    """A capitalised word ("Polizei", "ProSieben", "Konrad-Adenauer-Stiftung", "Dr.", "39-Jährige")."""
    if AGE_NOUN.match(text):
        return True
    return text[:1].isupper() and text[:1].isalpha() and (text.replace("-", "").isalpha() or text.endswith("."))


def _noun(text: str) -> bool:
    """A capitalised word that is no article ("Mann", "Entgleisung"; not "Die")."""
    return _capitalised(text) and text.lower() not in cues().determiners


def _adjective_like(doc: Doc, i: int, end: int) -> bool:
    """A lower-case attribute ("britische") that some capitalised word of the phrase follows."""
    text = doc[i].text  # "britische", "85-jährige"; not "oder", "aber"
    words = cues()
    if text in words.not_verbs or text in words.function_words or text in words.subjunctive_forms:
        return False  # "oder", "seien"
    if text in words.modal_verbs or text in words.passive_auxiliaries or text in AUXILIARIES:
        return False  # "Die Insassen sollen mehreren Zeugenaussagen zufolge …": "sollen" is the verb
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
    head = named = None  # named: the end of a name the phrase ends in
    while i < limit and i - start < MAX_NP_TOKENS:
        token = doc[i]
        if i in entity_end:
            i = head = named = min(entity_end[i], limit)
            continue
        word = token.lower_
        if _capitalised(token.text) and word not in cues().determiners:
            if (
                word in cues().prepositions
                or word in cues().fronted
                or word in SUBORDINATORS
                or _function_word(token.text)
            ):
                break  # "Nach", "Damit", "Indem", "Und", "Zwischenzeitlich" open a sentence, they are no noun
            head = i = i + 1
            continue
        if head is None and _adjective_like(doc, i, limit):
            i += 1
            continue
        if head is not None and token.text == "-" and not doc[i - 1].whitespace_ and not token.whitespace_:
            i += 1  # "US-Präsident" split at its hyphen
            continue
        if i > start and token.text in NAME_OPENING_MARKS:  # "Der Sender „Channel 10“", "Die „Süddeutsche Zeitung“"
            close = _quoted_name_close(doc, i, limit)
            if close is not None:
                head = named = i = close + 1
                continue
        if head is not None and token.text == "(":  # "Gitta Trauernicht (SPD)"
            close = next((j for j in range(i + 1, min(limit, i + MAX_PARENTHESIS)) if doc[j].text == ")"), None)
            if close is not None:
                head = i = close + 1
                continue
        if head is not None and word in cues().phrase_links and not (head == named and _scene(doc, i, limit)):
            inner = i if word in cues().determiners else i + 1  # "des Senders", "eines Zeugen", "von Greenpeace"
            after = phrase_end(doc, inner, limit, entity_end)
            if after > inner and after > i + 1:
                head = i = after
                continue
        break
    return head if head is not None else start


def _quoted_name_close(doc: Doc, opening: int, limit: int) -> int | None:
    """The closing mark of a short quoted name at ``opening`` ("„Channel 10“"): capitalised, at most
    ``MAX_QUOTED_NAME_TOKENS`` tokens, no sentence punctuation; None when there is none."""
    closing = NAME_MARK_PAIRS[doc[opening].text]
    if opening + 1 >= limit or not _capitalised(doc[opening + 1].text):
        return None
    for j in range(opening + 1, min(limit, opening + 2 + MAX_QUOTED_NAME_TOKENS)):
        if doc[j].text in closing:
            return j if j > opening + 1 else None
        if doc[j].text in SENTENCE_END or doc[j].text == ",":
            return None
    return None


def _scene(doc: Doc, i: int, limit: int) -> bool:
    """The phrase at ``i`` after a name tells where or from what it was said, not who ("Rubio bei CNN", "Mayer aus
    einem SMS"); "Schulz von der Bundespolizei" names his organisation."""
    following = doc[i + 1].lower_ if i + 1 < limit else ""
    return doc[i].lower_ in SCENE_LINKS or following in INDEFINITE_ARTICLES


def _function_word(word: str) -> bool:
    """ "Und", "Genau", "Zwischenzeitlich": a conjunction or adverb, not a noun or a name."""
    if word.lower() in cues().function_words:
        return True
    if not cues().function_word(word):
        return False
    return not (word in lexicon.common_nouns() or word in lexicon.surnames() or word in lexicon.first_names())


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
        self.temporal: set[int] = set()  # tokens of DATE/TIME mentions: never part of a speaker
        animals: set[str] = set()  # entity ids named right after an animal or vehicle noun ("Hund Reggie")
        for mention in mentions:
            if mention["label"] not in ("PER", "ORG", "DATE", "TIME"):
                continue
            span = doc.char_span(mention["start_char"], mention["end_char"], alignment_mode="expand")
            if span is None:
                continue
            if mention["label"] in ("DATE", "TIME"):
                self.temporal.update(range(span.start, span.end))
                continue
            if span.start and cues().no_speaker_head(doc[span.start - 1].text) and doc[span.start - 1].is_title:
                animals.add(mention.get("entity_id") or mention["text"])
            self.entities.append((span.start, span.end, mention))
            self.entity_end[span.start] = span.end
            if mention["label"] == "PER":
                self.people[span.start] = span.end
        self.not_speakers = animals

    def phrase_at(self, start: int, limit: int, subject: bool = False) -> Speaker | None:
        """The speaker phrase starting at token ``start`` (a pronoun, entity or noun phrase); with ``subject``,
        only a phrase that can be the subject of a clause (not "Dem Telegraph", "der Polizei")."""
        doc = self.doc
        while start < limit and doc[start].is_space:
            start += 1
        if start >= limit or doc[start].lower_ in cues().generic_subjects:
            return None  # "man" is nobody in particular
        if doc[start].lower_ in cues().pronouns:
            return self._pronoun(start)
        end = phrase_end(doc, start, limit, self.entity_end)
        if end == start and doc[start].lower_ in cues().demonstratives:
            return self._pronoun(start)  # "Diese bestätigte, dass …"
        evidence = [j for j in range(start, min(end, start + 3)) if doc[j].text in cues().evidence_nouns]
        if end == start or (evidence and evidence[-1] == end - 1):
            return None  # no phrase, or "Ersten Erkenntnissen", which is nobody ("Informationen des BND" is)
        if (subject and self.oblique(start, end)) or not self.can_speak(start, end):
            return None
        end = _apposition(doc, end, limit, self.entity_end, self.people)
        while end + 1 < limit and doc[end].lower_ in ("und", "sowie") and doc[end + 1].lower_ not in cues().pronouns:
            more = phrase_end(doc, end + 1, limit, self.entity_end)  # "Frauke Goll und Gennadi Schermann"
            if more == end + 1:
                break
            end = more
        return self._speaker(start, end)

    def after(self, start: int, limit: int) -> Speaker | None:
        """The first subject phrase after ``start``, skipping adverbs, prepositional phrases and objects in the
        dative or genitive ("teilte der Polizei ein Zeuge mit")."""
        i = start
        while i < limit and not is_break(self.doc[i]) and self.doc[i].text not in SENTENCE_END:
            token = self.doc[i]
            if token.lower_ in cues().prepositions:
                i = self.past_prepositional_phrase(i, limit)
                continue
            if token.lower_ in cues().generic_subjects:
                return None  # "sagte man": nobody in particular
            if token.lower_ not in cues().fronted:
                end = phrase_end(self.doc, i, limit, self.entity_end)
                if end > i and self.oblique(i, end):
                    i = end
                    continue
                speaker = self.phrase_at(i, limit, subject=True)
                if speaker is not None:
                    return speaker
            i += 1
        return None

    def oblique(self, start: int, end: int) -> bool:
        """A phrase in the dative or genitive, never a subject: "Dem Telegraph", "der Polizei", "Der
        englisch-sprachigen Zeitung", "Alarmierten Polizeikräften" (an adjective in -en without article)."""
        doc, words = self.doc, cues()
        first = doc[start].lower_
        if first in words.oblique_determiners:
            return True
        head = next((j for j in range(start + 1, end) if _capitalised(doc[j].text)), None)
        if first == "der" and head is not None and head not in self.entity_end:
            adjective = any(doc[j].is_lower and doc[j].lower_.endswith("en") for j in range(start + 1, head))
            return adjective or doc[head].lower_.endswith(words.feminine_endings)
        if first.endswith("en") and head == start + 1 and start not in self.entity_end:
            return doc[start].text not in lexicon.common_nouns() and doc[start].text not in lexicon.surnames()
        return False

    def can_speak(self, start: int, end: int) -> bool:
        """A person, organisation, group or role: not a date or time ("Montagabend", "Uhr"), an animal or a
        vehicle ("Vans"), an adverb ("Zwischenzeitlich")."""
        head = _head(self.doc, start, end)
        if any(i in self.temporal for i in range(start, end if head is None else head + 1)):
            return False  # "Erklärung vom vergangenen Freitag" can speak, "Montagabend" cannot
        inside = [m for s, e, m in self.entities if start <= s and e <= end]
        if inside:
            return any((m.get("entity_id") or m["text"]) not in self.not_speakers for m in inside)
        if head is None:
            return True
        word = self.doc[head].text
        return not cues().no_speaker_head(word) and not (head == start and _function_word(word))

    def past_prepositional_phrase(self, i: int, limit: int) -> int:
        """The token after "in einer vorgestern veröffentlichten Videobotschaft" (the preposition at ``i``)."""
        j = i + 1
        relative = i > 0 and self.doc[i - 1].text == ","  # ", von dem die Polizei glaubt"; not "vor der Stärke"
        if relative and j + 1 < limit and self.doc[j].lower_ in RELATIVE_PRONOUNS and not self.doc[j + 1].is_punct:
            return j + 1  # the relative pronoun ends the phrase
        while j < limit and j - i <= MAX_PP_TOKENS and not _capitalised(self.doc[j].text):
            if is_break(self.doc[j]) or self.doc[j].text in SENTENCE_END:
                return j
            j += 1
        return max(phrase_end(self.doc, j, limit, self.entity_end), j + 1) if j < limit else j

    def before(self, clause_start: int, cue: int, floor: int = 0) -> Speaker | None:
        """The subject of a cue that is not first in its clause (verb second or verb last)."""
        doc = self.doc
        while clause_start < cue and doc[clause_start].is_space:
            clause_start += 1
        first = doc[clause_start].lower_
        if first in SUBJECT_RELATIVES and clause_start > floor and doc[clause_start - 1].text == ",":
            following = doc[clause_start + 1]
            if not (following.lower_ in NOMINATIVE_ARTICLES or _capitalised(following.text) or self._passive(cue)):
                # "den Mann, der … angab, …": the relative pronoun is the subject, it stands for the noun before
                return self.antecedent(clause_start - 1, floor, first)
        if first in SUBORDINATORS and self._verb_last(cue):  # "wie die Polizei mitteilte"
            return self.after(clause_start + 1, cue) or self.after(cue + 1, len(doc))
        if first in SUBORDINATORS:  # "So betonte Sarkozy", "Als Begründung gab er an"
            return self.after(cue + 1, len(doc)) or self.after(clause_start + 1, cue)
        preposition = first in cues().prepositions or first in cues().source_prepositions
        if preposition and clause_start not in self.entity_end:  # "In der Folge sagte X"; "Von der Leyen" is a name
            # the preposition's own noun is never the subject ("vor einer Katastrophe gewarnt"); a clause without
            # one follows an apposition ("hat der Chef der Fraktion, Manfred Weber, vor … gewarnt")
            speaker = self.after(cue + 1, len(doc)) or self.after(clause_start, cue)
            if speaker is None and clause_start > floor and doc[clause_start - 1].text == ",":
                return self._back(clause_start, cue, floor)
            return speaker
        if first in cues().fronted or _function_word(doc[clause_start].text):
            # "Zwischenzeitlich teilte die Universitätsleitung mit", "Und dann sagte er"
            if first in COORDINATORS and clause_start + 1 < cue:  # "Und die Polizei sagte": no own field
                return self.before(clause_start + 1, cue, floor)
            focused = self.phrase_at(clause_start + 1, cue, subject=True)
            if focused is not None and focused.end == cue:  # "Auch Anwalt Held schilderte": one field, the subject
                return focused
            return self.after(cue + 1, len(doc)) or self.after(clause_start + 1, cue)
        if first in AUXILIARIES and clause_start > floor and doc[clause_start - 1].text == ",":
            # "Barack Obama, der Kandidat …, hat … angekündigt": the subject stands before the apposition;
            # "Es drohe ein Wettlauf, hatte Obama … gesagt": after a statement it follows the auxiliary
            if self._after_apposition(clause_start, floor) or self._after_relative_clause(clause_start, floor):
                return self._back(clause_start, cue, floor) or self.after(clause_start + 1, cue)
            return self.after(clause_start + 1, cue) or self._back(clause_start, cue, floor)
        fronted_end = phrase_end(doc, clause_start, cue, self.entity_end)
        if fronted_end > clause_start and self.oblique(clause_start, fronted_end):
            # "Dem Telegraph sagte er", "Alarmierten Polizeikräften gegenüber gab die Frau an"
            return self.after(cue + 1, len(doc)) or self.after(fronted_end, cue)
        return (
            self.phrase_at(clause_start, cue, subject=True)
            or self.after(clause_start + 1, cue)
            or self.after(cue + 1, len(doc))
        )

    def _passive(self, cue: int) -> bool:
        """A form of "werden" right after the cue ("die von dem Anwalt vertreten wird"): the relative pronoun is
        who is acted upon, not who speaks."""
        return cue + 1 < len(self.doc) and self.doc[cue + 1].lower_ in cues().passive_auxiliaries

    def antecedent(self, comma: int, floor: int, relative: str) -> Speaker | None:
        """The noun phrase that ends right before the comma at ``comma`` ("brachten [den Mann], der …"), in any
        case; it starts with an article or a capitalised word. Its noun agrees with the ``relative`` pronoun in
        gender; else a person named in the phrase is meant ("die Entgleisung Swobodas, der …" is Swoboda)."""
        doc, start = self.doc, None
        end = comma - 1 if comma > floor and doc[comma - 1].lower_ in cues().separable_particles else comma
        for i in range(end - 1, max(floor, end - MAX_NP_TOKENS) - 1, -1):  # "nahm [den Fahrer] fest, der …"
            if is_break(doc[i]) or doc[i].text in SENTENCE_END:
                break
            opens = doc[i].lower_ in cues().determiners or _capitalised(doc[i].text)
            if opens and phrase_end(doc, i, end, self.entity_end) == end:
                start = i
        phrase = None if start is None else self.phrase_at(start, end)
        if phrase is None:
            return None
        head = next((j for j in range(phrase.start, phrase.end) if _noun(doc[j].text)), None)
        gender = None if head is None or head in self.entity_end else lexicon.noun_gender(doc[head].text)
        if gender is None or set(gender[1]) & set(RELATIVE_GENDERS[relative]):
            return phrase
        person = next(((s, e) for s, e in self.people.items() if head < s and e <= phrase.end), None)
        return None if person is None else self._speaker(*person)

    def for_cue(self, cue: int, clause_start: int, limit: int, floor: int = 0) -> Speaker | None:
        """The subject of the cue verb at token ``cue`` in the clause starting at ``clause_start``.

        A cue first in its clause takes the phrase after it; with none there, the phrase that ends right
        before it ("Der Direktor des Hilfswerks, Anthony Lake, sagte") or, over a relative clause, the one
        the sentence starts with ("Deiss, der sich … entschlossen hatte, sagte") is taken, back to ``floor``."""
        if cue != clause_start:
            return self.before(clause_start, cue, floor)
        if self._after_apposition(clause_start, floor):  # "Der Vorsitzende des Verbands, Michael Knipper, kritisierte"
            speaker = self._back(clause_start, cue, floor)
            if speaker is not None:
                return speaker
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
            speaker = self.phrase_at(start, cue, subject=True)
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

    def _after_apposition(self, clause_start: int, floor: int) -> bool:
        """The clause before the cue's is a noun phrase only, after another one ("X, der Leiter des Amtes, sagte"):
        the subject stands before the verb."""
        if clause_start <= floor + 1 or self.doc[clause_start - 1].text != ",":
            return False
        start = _clause_start(self.doc, clause_start - 1, floor)
        if start <= floor or self.doc[start - 1].text != ",":
            return False
        phrase = self.phrase_at(start, clause_start - 1)
        return phrase is not None and phrase.end >= clause_start - 1

    def _after_relative_clause(self, clause_start: int, floor: int) -> bool:
        """The clause before the cue's is a relative clause ("Deiss, der sich … entschlossen hatte, sagte")."""
        if clause_start <= floor + 1 or self.doc[clause_start - 1].text != ",":
            return False
        start = _clause_start(self.doc, clause_start - 1, floor)
        return start > floor and self.doc[start - 1].text == "," and self.doc[start].lower_ in RELATIVE_PRONOUNS

    def span(self, start: int, end: int) -> Speaker:
        """Tokens ``start:end`` as a speaker, as they stand (a name in quotation marks: "laut „BBC News“")."""
        return self._speaker(start, end)

    def _speaker(self, start: int, end: int) -> Speaker:
        span = self.doc[start:end]
        inside = [m for s, e, m in self.entities if start <= s and e <= end]
        role = next((t.text for t in span if _role(t.text)), None)
        labels = {m["label"] for m in inside}
        resolved = "name" if "PER" in labels else "organisation" if "ORG" in labels else "role" if role else "phrase"
        return Speaker(start, end, span.text, role, resolved, inside)

    def possessor(self, phrase: Speaker) -> Speaker | None:
        """ "ihren Angaben", "seinen Worten": the last person named shortly before, outside quotation marks;
        None when there is none."""
        start = self.doc[phrase.start].idx
        before = [
            m
            for s, e, m in self.entities
            if e <= phrase.start and m["label"] == "PER" and not self.quoted[s] and start - m["end_char"] <= NEAR_CHARS
        ]
        before = [m for m in before if (m.get("entity_id") or m["text"]) not in self.not_speakers]
        if not before:
            return None
        return Speaker(phrase.start, phrase.end, phrase.text, None, "pronoun", [before[-1]])

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


def _head(doc: Doc, start: int, end: int) -> int | None:
    """The head noun of a phrase: the last capitalised word before its first attached phrase."""
    head = None
    for i in range(start, end):
        if head is not None and doc[i].lower_ in cues().phrase_links:
            break
        if _capitalised(doc[i].text) and doc[i].lower_ not in cues().determiners:
            head = i
    return head


def _role(word: str) -> bool:
    lower = word.lower()
    return word[:1].isupper() and lower.endswith(cues().role_nouns)


def _clause_start(doc: Doc, i: int, floor: int) -> int:
    while i > floor and not is_break(doc[i - 1]):
        i -= 1
    return i
