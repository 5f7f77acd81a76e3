"""The tense of the clause that governs a date: which way a weekday, month or season lies from the release.

"Am Freitag wurde der Mann festgenommen" looks back, "Am Freitag wird der Ausschuss beraten" and "Das
Konzert findet am Samstag statt" look forward. The shipped model has no parser and no morphology,
so the clause is the run of tokens around the date up to a clause boundary (a comma, semicolon,
colon, dash, bracket or quotation mark, or the sentence end), and its finite verb is read from word
lists (``pipeline/nlp/data/tense_words.toml``) and the lookup lemma ("meldete" <- "melden" is a weak
preterite). A clause without any verb evidence ("am Montag, dem 5. Mai") takes the whole sentence's.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span, Token

from pipeline.nlp.doc_text import token_words

TENSE_WORDS = Path(__file__).resolve().parents[1] / "nlp" / "data" / "tense_words.toml"
CLAUSE_BREAKS = frozenset({",", ";", ":", "–", "—", "(", ")", "„", "“", "”", '"', "»", "«", "?", "!"})
# A word: lower-case form and lower-case lookup lemma ("" without a lemmatizer).
Word = tuple[str, str]

PAST, NONE, FUTURE = -1, 0, 1


@dataclass(frozen=True)
class TenseWords:
    """The word lists of ``tense_words.toml``."""

    past_auxiliaries: frozenset[str]
    perfect_auxiliaries: frozenset[str]
    future_auxiliaries: frozenset[str]
    plan_modals: frozenset[str]
    strong_preterites: frozenset[str]
    schedule_verbs: frozenset[str]
    schedule_pairs: frozenset[tuple[str, str]]
    future_words: frozenset[str]
    past_words: frozenset[str]


@cache
def tense_words(path: Path = TENSE_WORDS) -> TenseWords:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    schedule = [s.split() for s in data["schedule_verbs"]]
    return TenseWords(
        past_auxiliaries=frozenset(data["past_auxiliaries"]),
        perfect_auxiliaries=frozenset(data["perfect_auxiliaries"]),
        future_auxiliaries=frozenset(data["future_auxiliaries"]),
        plan_modals=frozenset(data["plan_modals"]),
        strong_preterites=frozenset(data["strong_preterites"]),
        schedule_verbs=frozenset(form for s in schedule if len(s) == 1 for form in _present_forms(s[0])),
        schedule_pairs=frozenset((s[0], s[1]) for s in schedule if len(s) == 2),
        future_words=frozenset(data["future_words"]),
        past_words=frozenset(data["past_words"]),
    )


def _present_forms(lemma: str) -> set[str]:
    """The lemma and its third-person present forms ("öffnen": "öffnet"), for text without lemmas."""
    stem = _stem(lemma)
    return {lemma} if stem is None else {lemma, stem + "t", stem + "et"}


# Without a lemma: weak preterite endings, less words that merely end like one.
_PRETERITE = re.compile(r"^[a-zäöüß]{3,}(?:te|ten|tet)$")
_NOT_PRETERITE = {
    "letzte", "letzten", "nächste", "nächsten", "erste", "ersten", "zweite", "zweiten", "dritte", "dritten",
    "meisten", "weitere", "weiteren", "gute", "guten", "beste", "besten", "mitte", "ente", "rente", "leute",
    "seite", "seiten", "heute", "daten", "bitte", "arbeiten", "geboten", "verboten", "konnten", "sollten",
    "rechte", "rechten", "beamte", "beamten", "gestohlenen", "geschätzte", "konkrete", "konkreten", "späte",
    "späten", "weite", "weiten", "breite", "breiten", "harte", "harten", "achte", "achten", "halbe", "halten",
    "gelten", "bieten", "bitten", "treten", "raten", "braten", "fürchten", "richten", "berichten", "warten",
    "starten", "schalten", "walten", "leiten", "reiten", "streiten", "gestalten", "verhalten", "unterhalten",
}  # fmt: skip
_WEAK_ENDINGS = frozenset({"te", "ten", "test", "tet", "ete", "eten", "etest", "etet"})


def _stem(lemma: str) -> str | None:
    if lemma.endswith(("ern", "eln")):
        return lemma[:-1]  # "ermitteln" -> "ermittel"
    if lemma.endswith("en"):
        return lemma[:-2]
    return None


@lru_cache(maxsize=16_384)  # per word form and lemma: the same verbs are read in clause after clause
def weak_preterite(form: str, lemma: str) -> bool:
    """ "meldete" (melden), "teilte" (teilen), "ermittelte" (ermitteln); by its ending without a lemma."""
    if not lemma or lemma == form:
        return bool(_PRETERITE.match(form)) and form not in _NOT_PRETERITE and not lemma
    stem = _stem(lemma)
    return stem is not None and len(stem) >= 2 and form.startswith(stem) and form[len(stem) :] in _WEAK_ENDINGS


@lru_cache(maxsize=16_384)
def participle(form: str, lemma: str) -> bool:
    """A past participle: "festgenommen", "gesperrt", "verletzt" (ending in -t or -en, not its own lemma)."""
    if not form.endswith(("t", "en")) or len(form) < 5:
        return False
    if lemma:
        return lemma != form and not weak_preterite(form, lemma)
    return "ge" in form[:-2] or form.startswith(("ver", "be", "er", "ent", "zer"))


def words_of(tokens: Iterable[Token]) -> list[Word]:
    return [(t.lower_, t.lemma_.lower()) for t in tokens if not (t.is_punct or t.is_space)]


def words_between(doc: Doc, start: int, end: int) -> list[Word]:
    """:func:`words_of` the tokens ``doc[start:end]``, read from the Doc's word lists (no Token objects)."""
    _, lowers, lemmas, punct_or_space = token_words(doc)
    return [(lowers[i], lemmas[i].lower()) for i in range(start, end) if not punct_or_space[i]]


def words_of_text(text: str) -> list[Word]:
    return [(w.lower(), "") for w in re.findall(r"\w+", text)]


def sentence_of(span: Span) -> Span:
    """The sentence holding ``span``, from sentence starts computed once per Doc (``Span.sent`` scans the text
    on every call, quadratic on a text without sentence ends); the whole text when there are no boundaries."""
    doc = span.doc
    starts = doc.user_data.get(_SENT_STARTS)
    if starts is None:
        if doc.has_annotation("SENT_START"):
            flags = doc.to_array(SENT_START)
            starts = [0, *(int(i) for i in numpy.flatnonzero(flags == 1) if i > 0)]
        else:
            starts = [0]
        doc.user_data[_SENT_STARTS] = starts
    i = bisect_right(starts, span.start) - 1
    end = starts[i + 1] if i + 1 < len(starts) else len(doc)
    return doc[starts[i] : max(end, span.end)]


_SENT_STARTS = "pressewerk.sentence_starts"

# A clause or sentence is read at most this many tokens either side of the expression: German clauses are far
# shorter, and a text without sentence ends (a 1 MB line) stays linear in the number of expressions.
MAX_CONTEXT_TOKENS = 60


def clause_of(span: Span) -> tuple[list[Word], Span]:
    """The words of the clause holding ``span``, and the stretch of its sentence read where the clause has no verb
    evidence."""
    start, end, low, high = _clause_bounds(span)
    return words_between(span.doc, start, end), span.doc[low:high]


_CLAUSE_BREAKS_KEY = "pressewerk.clause_breaks"
_TENSES_KEY = "pressewerk.tenses"


def _clause_breaks(doc: Doc) -> list[int]:
    """Positions of the Doc's clause-breaking tokens, found once per Doc (kept in ``doc.user_data``)."""
    found = doc.user_data.get(_CLAUSE_BREAKS_KEY)
    if found is None or found[0] != len(doc):
        found = doc.user_data[_CLAUSE_BREAKS_KEY] = [
            len(doc),
            [i for i, text in enumerate(token_words(doc)[0]) if text in CLAUSE_BREAKS],
        ]
    return found[1]


def _clause_bounds(span: Span) -> tuple[int, int, int, int]:
    """Token bounds of the clause around ``span`` (to the nearest clause breaks, at most ``MAX_CONTEXT_TOKENS`` away)
    and of the stretch of its sentence read where the clause has no verb evidence."""
    sentence = sentence_of(span)
    low = max(sentence.start, span.start - MAX_CONTEXT_TOKENS)
    high = min(sentence.end, span.end + MAX_CONTEXT_TOKENS)
    breaks = _clause_breaks(span.doc)
    before = bisect_left(breaks, span.start)  # breaks[before - 1] is the last one before the span
    after = bisect_left(breaks, span.end)  # breaks[after] is the first one at or after its end
    start = max(low, breaks[before - 1] + 1) if before else low
    end = min(high, breaks[after]) if after < len(breaks) else high
    return start, end, low, high


def _evidence(words: Sequence[Word]) -> tuple[int, int]:
    """(past, future) evidence of the words of one clause."""
    lists = tense_words()
    forms = {form for form, _ in words}
    lemmas = {lemma for _, lemma in words if lemma}
    has_participle = any(participle(form, lemma) for form, lemma in words)
    perfect = bool(forms & lists.perfect_auxiliaries) and has_participle
    if forms & lists.plan_modals and perfect:
        return 1, 0  # "soll am Montag ... geschlagen haben": a report of the past
    past = len(forms & lists.past_auxiliaries) + perfect
    future = len(forms & lists.future_auxiliaries) + len(forms & lists.plan_modals) if "worden" not in forms else 0
    last = len(words) - 1
    past += sum(
        1
        for i, (form, lemma) in enumerate(words)
        if form in lists.strong_preterites
        or (weak_preterite(form, lemma) and not (future and i == last and not lemma))  # "wird ... beraten"
    )
    if not past and (
        (lemmas | forms) & lists.schedule_verbs
        or any((a in lemmas or a in forms) and b in forms for a, b in lists.schedule_pairs)
    ):
        future += 1  # present tense of a schedule: "findet am Samstag statt", "steht am Mittwoch an"
    past += len(forms & lists.past_words)
    future += len(forms & lists.future_words)
    return past, future


def tense_of_words(clause: Sequence[Word], sentence: Sequence[Word] = ()) -> int:
    """-1 past, +1 future (or present with future meaning), 0 unclear: the clause decides, and the
    sentence where the clause has no verb evidence."""
    past, future = _evidence(clause)
    if not past and not future and sentence:
        past, future = _evidence(sentence)
    return (future > past) - (past > future)


def tense_of_span(span: Span) -> int:
    """The tense of the clause that governs ``span`` (its sentence's words are read only when needed); the spans of
    one clause share it, worked out once per Doc."""
    bounds = _clause_bounds(span)
    key = ":".join(map(str, bounds))
    tenses = span.doc.user_data.get(_TENSES_KEY)
    if tenses is None or tenses.get("") != len(span.doc):
        tenses = span.doc.user_data[_TENSES_KEY] = {"": len(span.doc)}
    tense = tenses.get(key)
    if tense is None:
        start, end, low, high = bounds
        past, future = _evidence(words_between(span.doc, start, end))
        if not past and not future:
            past, future = _evidence(words_between(span.doc, low, high))
        tense = tenses[key] = (future > past) - (past > future)
    return tense


def tense_of(context: str) -> int:
    """The tense of a sentence given as text (no lemmas, one clause)."""
    return tense_of_words(words_of_text(context))
