"""Is a German reference word ("jetzt", "damals", "nun", "bald") a temporal adverbial here?

TimeML tags a reference word only where it works as a temporal adverbial of its clause. The
shipped model has no parser and no part-of-speech tags, so the decision reads the neighbouring
tokens (and their lookup lemmas where the pipeline has a lemmatizer). Word lists and each word's
use are data (``data/reference_words.toml``); ``docs/dates.md`` explains the rules.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from pipeline.nlp import timex_words as lex

_PREPOSITIONS = frozenset(lex.REFERENCE_RULES["prepositions"])
_NUN_PREPOSITIONS = frozenset(lex.REFERENCE_RULES["nun_prepositions"])
_DETERMINERS = frozenset(lex.REFERENCE_RULES["determiners"])
_FUNCTION_WORDS = frozenset(lex.REFERENCE_RULES["not_adjectives"]) | _DETERMINERS | _PREPOSITIONS
_ADJECTIVE_ENDINGS = tuple(lex.REFERENCE_RULES["adjective_endings"])
_VERB_LEMMA_ENDINGS = ("en", "ern", "eln")


def _word_before(span: Span) -> Token | None:
    i = span.start - 1
    while i >= 0 and span.doc[i].is_space:
        i -= 1
    return span.doc[i] if i >= 0 else None


def _words_after(span: Span, n: int) -> list[Token]:
    return [t for t in span.doc[span.end : span.end + n + 2] if not t.is_space][:n]


def _noun(token: Token) -> bool:
    """A written German noun or nominalised adjective: capitalised ("Täter", "Unbekannten", "20-Jährige")."""
    text = token.text
    return text[:1].isupper() or (text[:1].isdigit() and "-" in text and text.split("-", 1)[1][:1].isupper())


def _attributive(token: Token) -> bool:
    """An inflected adjective or participle ("unbekannte", "zuständigen"), not a verb or a function word."""
    low = token.lower_
    if not token.is_alpha or not token.text[:1].islower() or low in _FUNCTION_WORDS:
        return False
    if not low.endswith(_ADJECTIVE_ENDINGS) or len(low) < 4:
        return False
    lemma = token.lemma_.lower()
    if not lemma:
        return True  # no lemmatizer: the ending decides
    if lemma == low:
        return not low.endswith("en")  # "schlagen" is its own lemma, an adjective form is not
    return not lemma.endswith(_VERB_LEMMA_ENDINGS)  # "unbekannte" -> "unbekannt", not "hielten" -> "halten"


def _adverb(token: Token) -> bool:
    """An uninflected adverb or predicative adjective between the word and an adjective ("erfolgreich", "noch")."""
    return token.is_alpha and token.text[:1].islower() and token.lower_ not in _FUNCTION_WORDS


def modifies_noun_phrase(span: Span) -> bool:
    """True where the word sits inside a noun phrase: before an adjective or participle and its noun
    ("bislang unbekannte Täter", "die damals zuständige Richterin", "der bisher erfolgreich gegangene
    Weg") or after a determiner before a nominalised adjective ("die bisher Unbekannten", "der damals
    20-Jährige")."""
    before = _word_before(span)
    after = _words_after(span, 3)
    if not after:
        return False
    if before is not None and before.lower_ in _DETERMINERS and (_noun(after[0]) or _attributive(after[0])):
        return True
    if _attributive(after[0]) and len(after) > 1 and _noun(after[1]):
        return True
    return len(after) > 2 and _adverb(after[0]) and _attributive(after[1]) and _noun(after[2])


def reference_is_timex(span: Span) -> bool:
    """The decision for a ``date_reference`` match (one word, a two-word phrase, or "in ... Zukunft")."""
    low = span[0].lower_
    use = None
    if len(span) == 1:
        use = lex.REFERENCE_USES.get(low, (None, None))[1]
    elif len(span) == 2:
        use = lex.PHRASE_USES.get((low, span[1].lower_), (None, None))[1]
    if use == "frame":
        return False
    if use == "after_preposition":
        before = _word_before(span)
        return before is not None and before.lower_ in _NUN_PREPOSITIONS
    if use == "adverbial":
        return not modifies_noun_phrase(span)
    return True
