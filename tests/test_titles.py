"""Titles made from the first line of a record are cut at a sentence or word boundary, never inside a word."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from pipeline.ingest import Document, IngestOptions, iter_items
from pipeline.ingest.formats import MAX_TITLE, cut_title

BODY = (
    "Die Senatsverwaltung für Umwelt, Mobilität, Verbraucher- und Klimaschutz teilt mit, dass ab Montag, dem "
    "9. Dezember 2019, die Sanierung der Fahrbahn in der Schönhauser Allee zwischen Danziger Straße und "
    "Gleimstraße beginnt und bis voraussichtlich Ende März 2020 dauert, wobei der Verkehr stadteinwärts auf "
    "einem Fahrstreifen an der Baustelle vorbeigeführt wird und die Straßenbahnlinie M1 nicht betroffen ist"
)


def test_a_record_without_title_gets_one_cut_at_a_word(tmp_path):
    path = tmp_path / "meldungen.jsonl"
    path.write_text(json.dumps({"id": "pm-1", "text": BODY + "\n\nWeitere Auskünfte erteilt die Pressestelle."}))
    document = next(item for item in iter_items([str(path)], IngestOptions()) if isinstance(item, Document))
    assert document.title.endswith("…") and len(document.title) <= MAX_TITLE
    assert BODY.startswith(document.title[:-1]) and BODY[len(document.title) - 1] == " "


def test_a_long_first_line_is_cut_after_its_last_whole_sentence():
    first = (
        "Die Sanierung der Schönhauser Allee zwischen Danziger Straße und Gleimstraße beginnt am 9. Dezember "
        "und dauert bis Ende März."
    )
    assert cut_title(f"{first} {BODY}") == first  # "9." is no sentence end
    assert cut_title(f"Baustelle. {BODY}").endswith("…")  # a sentence too short for a title: cut at a word
    assert cut_title("Kurzer Titel") == "Kurzer Titel"


words = st.text(alphabet=st.sampled_from("abcdeäöüßXYZ.,;!?-– "), min_size=0, max_size=900)


@given(words, st.integers(min_value=20, max_value=400))
def test_cut_titles_end_at_a_boundary(line, limit):
    normal = " ".join(line.split())
    title = cut_title(line, limit)
    assert len(title) <= limit
    if len(line) <= limit:
        assert title == line
    elif len(normal) <= limit:
        assert title == normal
    elif title.endswith("…"):
        kept = title[:-1]
        assert normal.startswith(kept)
        whole_word = normal[len(kept) : len(kept) + 1] in (" ", ",", ";", ":", "-", "–") or " " not in normal[:limit]
        assert whole_word or normal[len(kept.rstrip(" ,;:-–"))] in " ,;:-–"
    else:
        assert normal.startswith(title) and title[-1] in ".!?…" and normal[len(title)] == " "
