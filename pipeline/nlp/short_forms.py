"""A club's short form after its full name: "FC Barcelona … Barcelona führt die Tabelle an", "SK Rapid Wien …
Rapid", "Austria Wien … die Austria". Plain functions used by ``pressewerk_name_resolution``.

A sports report names a club in full once and then by its short form, which is often a place's name: the model
reads "Barcelona" as the city. The document says otherwise. The short forms of an organisation span are:

- its words after a club prefix ("FC", "SK", "VfB", "1. FC": ``club_prefixes``): "FC Barcelona" → "Barcelona";
- its first word, when the other words are a place ("Rapid Wien" → "Rapid", "Bayern München" → "Bayern"),
  and the first word is no common noun or compound of one ("Sturm Graz" gives no "Sturm", "Schauspielhaus Zürich"
  no "Schauspielhaus"); "FC Bayern München" gives "Bayern München" and "Bayern".

A repeat of a short form that the model tagged as a place, or left untagged, is the organisation, with the full
name as ``kb_id_``, unless a place preposition stands before it ("in Barcelona"), it is a dateline ("Rom – Vier
Tage nach …") or the short form is a common noun.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from pipeline.nlp import lexicon

DATELINE_DASHES = frozenset({"–", "-", "—"})


def short_forms(ents: list[Span], club_prefixes: frozenset[str]) -> dict[tuple[str, ...], str]:
    """Short form (as a tuple of words) → the full name, for the document's organisation spans."""
    found: dict[tuple[str, ...], str] = {}
    for span in ents:
        if span.label_ != "ORG" or len(span) < 2:
            continue
        words = [t.text for t in span]
        short: list[str] = []
        prefix = 2 if len(words) > 2 and words[0] == "1." else 1
        if " ".join(words[:prefix]) in club_prefixes or words[0] in club_prefixes:
            short = words[prefix:] if " ".join(words[:prefix]) in club_prefixes else words[1:]
        elif len(words) == 2 and _is_place(words[1]):
            short = words[:1]
        if short and all(w[:1].isupper() for w in short) and not _ordinary_noun(" ".join(short)):
            found.setdefault(tuple(short), span.text)
            if len(short) == 2 and _is_place(short[1]) and not _ordinary_noun(short[0]):
                found.setdefault(tuple(short[:1]), span.text)  # "FC Bayern München" … "Bayern"
    return found


def _ordinary_noun(text: str) -> bool:
    """A common noun or a compound of one ("Schauspielhaus Zürich" gives no short form "Schauspielhaus")."""
    if _is_place(text):
        return False  # "Bayern" is also the inhabitants' plural
    head = lexicon.compound_head(text)
    return text in lexicon.common_nouns() or (head is not None and len(text) - len(head) >= 3)


def _is_place(text: str) -> bool:
    return text in lexicon.places() or text in lexicon.countries()


def short_form_repeats(
    doc: Doc, ents: list[Span], forms: dict[tuple[str, ...], str], locatives: frozenset[str]
) -> list[Span]:
    """ORG spans for the repeats of the short forms: model places and untagged words, not after a place
    preposition, never inside a longer entity."""
    if not forms:
        return []
    by_token = {i: span for span in ents for i in range(span.start, span.end)}
    first_words: dict[str, list[tuple[str, ...]]] = {}
    for form in forms:
        first_words.setdefault(form[0], []).append(form)
    new: list[Span] = []
    texts = [t.text for t in doc]
    for i, text in enumerate(texts):
        for form in first_words.get(text, ()):
            end = i + len(form)
            if tuple(texts[i:end]) != form:
                continue
            covering = {id(by_token[k]): by_token[k] for k in range(i, end) if k in by_token}.values()
            if any(s.start != i or s.end != end or s.label_ != "LOC" or s.id_ for s in covering):
                continue  # inside the full name, another kind of entity, or a rule match
            if i > 0 and doc[i - 1].lower_ in locatives:
                continue  # "in Barcelona" is the city
            if not covering and end < len(doc) and doc[end].is_title:
                continue  # the start of another name: "Digital Hubs" after "Digital Hub" (Hub, a village)
            if end < len(doc) and doc[end].text in DATELINE_DASHES and doc[i].is_sent_start:
                continue  # the dateline "Rom – Vier Tage nach …" is the place
            new.append(Span(doc, i, end, label="ORG", kb_id=forms[form]))
    return new
