"""Quotes: kinds, spans, cues and speakers on German sentences written for these tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHIPPED_MODEL, mention
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.evaluate_quotes import overlaps, read_quote_gold, score_quotes, speaker_words
from pipeline.nlp.model import load_model, resolve_model
from pipeline.normalise.entities import entity_id
from pipeline.normalise.quotes import find_quotes, quote_rows


@pytest.fixture(scope="module")
def nlp(shipped_model):
    return load_model(resolve_model(str(SHIPPED_MODEL)), model_only=True)


def quotes(nlp, text: str, people: tuple[str, ...] = (), orgs: tuple[str, ...] = ()) -> list[dict]:
    """Quote rows of ``text``; the PER/ORG mentions are given, so the tests do not depend on the NER model."""
    mentions = [mention(text, name, "PER") for name in people] + [mention(text, name, "ORG") for name in orgs]
    return quote_rows("doc", text, find_quotes(nlp(text), mentions))


def test_direct_quote_with_cue_after(nlp):
    text = "„Wir haben die Lage im Griff“, sagte Polizeisprecherin Anja Meier am Abend."
    [row] = quotes(nlp, text, people=("Anja Meier",))
    assert row["kind"] == "direct" and row["text"] == "Wir haben die Lage im Griff"
    assert row["cue"] == "sagen" and row["speaker_text"] == "Polizeisprecherin Anja Meier"
    assert row["speaker_role"] == "Polizeisprecherin" and row["speaker_names"] == "Anja Meier"
    assert row["speaker_resolved"] == "name" and row["speaker_entity_ids"] == entity_id("PER", "Anja Meier")


def test_quote_interrupted_by_its_frame_is_one_row(nlp):
    text = "„Das Projekt ist ein Erfolg“, sagte Bürgermeister Jens Huber, „und wir wollen es fortsetzen.“"
    [row] = quotes(nlp, text, people=("Jens Huber",))
    first, second = json.loads(row["spans"])
    assert text[slice(*first)] == "Das Projekt ist ein Erfolg"
    assert text[slice(*second)] == "und wir wollen es fortsetzen."
    assert row["text"] == "Das Projekt ist ein Erfolg … und wir wollen es fortsetzen."
    assert row["speaker_names"] == "Jens Huber" and row["speaker_role"] == "Bürgermeister"


def test_direct_quote_over_several_sentences_with_colon_frame(nlp):
    text = "Die Ministerin sagte: „Die Schulen bleiben offen. Wir prüfen jede Woche neu.“ Danach ging sie."
    [row] = quotes(nlp, text)
    assert row["text"] == "Die Schulen bleiben offen. Wir prüfen jede Woche neu."
    assert row["speaker_text"] == "Die Ministerin" and row["speaker_resolved"] == "role"


def test_indirect_speech_with_dass(nlp):
    text = "Ein Sprecher des Fernsehsenders Kanal Nord erklärte am Montag, dass die Sendung eingestellt werde."
    [row] = quotes(nlp, text, orgs=("Kanal Nord",))
    assert row["kind"] == "indirect" and row["text"] == "dass die Sendung eingestellt werde"
    assert row["cue"] == "erklären" and row["speaker_text"] == "Ein Sprecher des Fernsehsenders Kanal Nord"
    assert row["speaker_role"] == "Sprecher" and row["speaker_entity_ids"] == entity_id("ORG", "Kanal Nord")


def test_indirect_speech_in_konjunktiv_and_split_particle_verb(nlp):
    text = "Die Stadtverwaltung teilte mit, man werde die Gebühren im kommenden Jahr nicht erhöhen."
    [row] = quotes(nlp, text)
    assert row["kind"] == "indirect" and row["cue"] == "mitteilen"
    assert row["text"] == "man werde die Gebühren im kommenden Jahr nicht erhöhen"
    assert row["speaker_text"] == "Die Stadtverwaltung"


def test_wie_frame_before_and_after(nlp):
    text = (
        "Wie die Feuerwehr mitteilte, sei niemand verletzt worden. "
        "Der Brand war gegen Mitternacht ausgebrochen, wie ein Anwohner berichtete."
    )
    first, second = quotes(nlp, text)
    assert first["text"] == "sei niemand verletzt worden" and first["speaker_text"] == "die Feuerwehr"
    assert second["text"] == "Der Brand war gegen Mitternacht ausgebrochen"
    assert second["speaker_text"] == "ein Anwohner" and second["cue"] == "berichten"


def test_statement_before_its_inverted_frame(nlp):
    text = "Die Gespräche seien gescheitert, sagte der Vorsitzende der Gewerkschaft."
    [row] = quotes(nlp, text)
    assert row["text"] == "Die Gespräche seien gescheitert"
    assert row["speaker_text"] == "der Vorsitzende der Gewerkschaft" and row["speaker_role"] == "Vorsitzende"


@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        ("Laut Polizei wurden bei dem Unfall drei Menschen leicht verletzt.", "Polizei", "laut"),
        ("Dem Wetterdienst zufolge wird es am Wochenende deutlich kälter.", "Dem Wetterdienst", "zufolge"),
        ("Nach Angaben der Bahn fallen am Freitag alle Fernzüge aus.", "der Bahn", "nach"),
        ("Nach Angaben eines Zeugen soll der Mann bei Rot gefahren sein.", "eines Zeugen", "nach"),
        ("Nach ersten Polizeiangaben wurde niemand ernsthaft verletzt.", "ersten Polizeiangaben", "nach"),
        ("Die Preise werden im Herbst weiter steigen, so die Verbraucherzentrale.", "die Verbraucherzentrale", "so"),
    ],
)
def test_source_prepositions_make_indirect_quotes(nlp, text, speaker, cue):
    [row] = quotes(nlp, text)
    assert (row["kind"], row["speaker_text"], row["cue"]) == ("indirect", speaker, cue)
    assert speaker not in row["text"] and len(row["text"]) > 20


def test_organisation_speaker(nlp):
    text = "Die Deutsche Umwelthilfe forderte ein sofortiges Fahrverbot für alte Dieselfahrzeuge."
    [row] = quotes(nlp, text, orgs=("Deutsche Umwelthilfe",))
    assert row["kind"] == "reported" and row["cue"] == "fordern"
    assert row["speaker_text"] == "Die Deutsche Umwelthilfe" and row["speaker_resolved"] == "organisation"
    assert row["speaker_entity_ids"] == entity_id("ORG", "Deutsche Umwelthilfe")


def test_pronoun_speaker_resolves_to_the_person_named_before(nlp):
    text = "Stefan Brandt leitet das Bürgeramt seit 2019. Er sagte, die Zahl der Anträge sei stark gestiegen."
    [row] = quotes(nlp, text, people=("Stefan Brandt",))
    assert row["speaker_text"] == "Er" and row["speaker_resolved"] == "pronoun"
    assert row["speaker_names"] == "Stefan Brandt" and row["speaker_entity_ids"] == entity_id("PER", "Stefan Brandt")


def test_free_indirect_speech_continues_the_speaker(nlp):
    text = (
        "Die Schulleiterin sagte, der Unterricht falle am Montag aus. Die Heizung sei defekt. "
        "Am Dienstag beginnt die Reparatur."
    )
    first, second = quotes(nlp, text)
    assert first["kind"] == "indirect" and second["kind"] == "free_indirect"
    assert second["text"] == "Die Heizung sei defekt"
    assert second["speaker_text"] == "Die Schulleiterin" and second["speaker_resolved"] == "previous"


@pytest.mark.parametrize(
    "text",
    [
        "Er sagte die Veranstaltung ab.",
        "Der Veranstalter sagte das Konzert am Freitag wegen des Sturms ab.",
        "Die Ausstellung „Neue Wege“ öffnet am Sonntag.",
        "Die Polizei sperrte die Straße für zwei Stunden.",
        "Gegen 13 Uhr sprach der Mann auf der Brückenstraße einen Polizisten an.",
        "Ersten Erkenntnissen zufolge fuhr der 45-jährige Radfahrer bei Rot über die Kreuzung.",
        "Eine medizinische Behandlung vor Ort lehnte die leicht verletzte Frau ab.",
    ],
)
def test_no_quote_where_nobody_speaks(nlp, text):
    assert quotes(nlp, text) == []


def test_a_speaking_body_reports_a_statement(nlp):
    [row] = quotes(nlp, "Die Landesregierung lehnte den Vorschlag der Gewerkschaft am Dienstag ab.")
    assert row["kind"] == "reported" and row["cue"] == "ablehnen"
    assert row["speaker_text"] == "Die Landesregierung"


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('abcXY „“",.:sagteLaut zufolge dass sei')), max_size=120))
def test_any_text_gives_spans_inside_it(nlp, text):
    for row in quotes(nlp, text):
        spans = json.loads(row["spans"])
        assert all(0 <= s <= e <= len(text) for s, e in spans)
        assert spans == sorted(spans) and row["start_char"] == spans[0][0] and row["end_char"] == spans[-1][1]


@given(
    st.lists(st.tuples(st.integers(0, 200), st.integers(1, 50)), min_size=1, max_size=3),
    st.lists(st.tuples(st.integers(0, 200), st.integers(1, 50)), min_size=1, max_size=3),
)
def test_overlap_is_symmetric_and_reflexive(a, b):
    first = [(s, s + n) for s, n in a]
    second = [(s, s + n) for s, n in b]
    assert overlaps(first, second) == overlaps(second, first)
    assert overlaps(first, first)


def test_speaker_words_ignore_articles_and_pronouns():
    assert speaker_words("Die britische Außenministerin") == {"britische", "außenministerin"}
    assert speaker_words("er") == set()


def _gold_line(text: str, quotes_: list[dict]) -> str:
    return json.dumps({"id": "g1", "title": "t", "date": "2024-05-02", "text": text, "quotes": quotes_})


def test_scoring_counts_overlap_and_resolves_gold_pronouns(tmp_path: Path):
    text = "Anna Roth sagte, es regne. Er sagte, es schneie."
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        _gold_line(
            text,
            [
                {"spans": [[17, 25]], "kind": "indirect", "speaker": "Anna Roth"},
                {"spans": [[37, 47]], "kind": "indirect", "speaker": "Er"},
            ],
        )
        + "\n",
        encoding="utf-8",
    )
    [article] = read_quote_gold(gold)
    assert article.quotes[1].speaker == "Anna Roth"  # the gold pronoun is scored against the name before it
    found = [
        {"spans": "[[17, 25]]", "kind": "indirect", "speaker_text": "Anna Roth", "speaker_names": "Anna Roth"},
        {"spans": "[[37, 46]]", "kind": "indirect", "speaker_text": "Er", "speaker_names": None},
    ]
    result = score_quotes([(article, found)])
    assert result["overall"]["precision"] == 1.0 and result["overall"]["recall"] == 1.0
    assert result["speaker_accuracy"] == 0.5  # the unresolved "Er" does not count


def test_bad_gold_line_is_a_clear_error(tmp_path: Path):
    gold = tmp_path / "bad.jsonl"
    gold.write_text('{"id": "x", "quotes": []}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonl:1"):
        list(read_quote_gold(gold))


def test_evaluate_quotes_command(tmp_path: Path, shipped_model):
    text = "„Der Hafen wird bis 2030 erweitert“, sagte Senatorin Lea Wolf. Die Pläne seien finanziert, so Wolf."
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        _gold_line(
            text,
            [
                {"spans": [[0, 35]], "kind": "direct", "speaker": "Senatorin Lea Wolf"},
                {"spans": [[63, 90]], "kind": "indirect", "speaker": "Wolf"},
            ],
        )
        + "\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "evaluate", "--task", "quotes", "--gold", str(gold)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    assert scores["overall"]["recall"] == 1.0 and scores["by_kind"]["direct"]["recall"] == 1.0
    assert scores["speaker_accuracy"] == 1.0
    bad = subprocess.run(
        [sys.executable, "-m", "pipeline", "evaluate", "--task", "speakers", "--gold", str(gold)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert bad.returncode == 2


# Moved from test_structure_relations.py (sentences from Berlin police releases and the SmartData corpus,
# see corpus/README.md).
def test_quote_cue_after_with_real_sentence(nlp):
    text = "„Wir sind völlig unbedarft und wissen nicht, was kommt“, sagte Britta Seidenberg ."
    [row] = quotes(nlp, text, people=("Britta Seidenberg",))
    assert row["speaker_names"] == "Britta Seidenberg" and row["cue"] == "sagen"


def test_quote_so_and_colon_patterns(nlp):
    text = "„Das ist ein guter Tag für Berlin“, so Kai Wegner. Iris Spranger: „Wir handeln jetzt entschlossen.“"
    first, second = quotes(nlp, text, people=("Kai Wegner", "Iris Spranger"))
    assert (first["speaker_names"], first["cue"]) == ("Kai Wegner", "so")
    assert (second["speaker_names"], second["cue"]) == ("Iris Spranger", ":")


def test_broken_cue_lexicon_is_a_clear_error(tmp_path: Path):
    from pipeline.normalise.quotes.lexicon import cues

    broken = tmp_path / "cues.toml"
    broken.write_text('speech_verbs = ["sagen"]\n', encoding="utf-8")  # the other lists are missing
    with pytest.raises(ValueError, match=r"cues\.toml: cannot read the quote cue lexicon"):
        cues(broken)


def test_pronoun_after_a_named_speaker_stays_with_that_speaker(nlp):
    text = (
        "„Wir bauen die Brücke neu“, sagte Bürgermeisterin Eva Lang. "
        "Der Entwurf von Architekt Paul Roth koste zehn Millionen Euro, sagte sie."
    )
    first, second = quotes(nlp, text, people=("Eva Lang", "Paul Roth"))
    assert first["speaker_names"] == "Eva Lang"
    assert (second["speaker_text"], second["speaker_names"]) == ("sie", "Eva Lang")


def test_a_short_quoted_name_is_no_quote(nlp):
    text = (
        "Das Foto zeigt sein Profilbild, auf dem er unter dem Namen „dein Baby 20“ auftrat. "
        "Die Aktion lief unter dem Motto „Sicher im Kiez“."
    )
    assert quotes(nlp, text) == []
    assert quotes(nlp, "Der Sprecher sagte: „Wir bleiben.“")  # short speech after a colon stays a quote
