"""Quotes: kinds, spans, cues and speakers on German sentences written for these tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHARED_DATA, SHIPPED_MODEL, mention
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
    assert row["speaker_role"] == "Polizeisprecherin" and row["speaker_names"] == ["Anja Meier"]
    assert row["speaker_resolved"] == "name" and row["speaker_entity_ids"] == [entity_id("PER", "Anja Meier")]


def test_quote_interrupted_by_its_frame_is_one_row(nlp):
    text = "„Das Projekt ist ein Erfolg“, sagte Bürgermeister Jens Huber, „und wir wollen es fortsetzen.“"
    [row] = quotes(nlp, text, people=("Jens Huber",))
    first, second = json.loads(row["spans"])
    assert text[slice(*first)] == "Das Projekt ist ein Erfolg"
    assert text[slice(*second)] == "und wir wollen es fortsetzen."
    assert row["text"] == "Das Projekt ist ein Erfolg … und wir wollen es fortsetzen."
    assert row["speaker_names"] == ["Jens Huber"] and row["speaker_role"] == "Bürgermeister"


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
    assert row["speaker_role"] == "Sprecher" and row["speaker_entity_ids"] == [entity_id("ORG", "Kanal Nord")]


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
        # a genitive plural without article names who gave the account
        (
            "In Syrien ist nach Angaben unabhängiger Experten Senfgas eingesetzt worden.",
            "unabhängiger Experten",
            "nach",
        ),
        ("Nach Angaben mehrerer Anwohner brannte das Haus schon am frühen Abend.", "mehrerer Anwohner", "nach"),
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
    assert row["speaker_entity_ids"] == [entity_id("ORG", "Deutsche Umwelthilfe")]


def test_pronoun_speaker_resolves_to_the_person_named_before(nlp):
    text = "Stefan Brandt leitet das Bürgeramt seit 2019. Er sagte, die Zahl der Anträge sei stark gestiegen."
    [row] = quotes(nlp, text, people=("Stefan Brandt",))
    assert row["speaker_text"] == "Er" and row["speaker_resolved"] == "pronoun"
    assert row["speaker_names"] == ["Stefan Brandt"]
    assert row["speaker_entity_ids"] == [entity_id("PER", "Stefan Brandt")]


def test_free_indirect_speech_continues_the_speaker(nlp):
    text = (
        "Die Schulleiterin sagte, der Unterricht falle am Montag aus. Die Heizung sei defekt. "
        "Am Dienstag beginnt die Reparatur."
    )
    first, second = quotes(nlp, text)
    assert first["kind"] == "indirect" and second["kind"] == "free_indirect"
    assert second["text"] == "Die Heizung sei defekt"
    assert second["speaker_text"] == "Die Schulleiterin" and second["speaker_resolved"] == "previous"


def test_planning_or_reportive_sollen_after_a_statement_goes_on_as_free_indirect_speech(nlp):
    text = (
        "Der Vorstandschef Karl Brenner kündigte an, der Umbau werde Stellen kosten. "
        "Die Kürzungen sollen vor allem die Verwaltung treffen. "
        "Als die Betriebsräte protestierten, soll Brenner das Treffen verlassen haben. "
        "Am Mittwoch tagt der Aufsichtsrat."
    )
    first, second, third = quotes(nlp, text, people=("Karl Brenner",))
    assert first["kind"] == "indirect" and first["speaker_names"] == ["Karl Brenner"]
    assert second["kind"] == third["kind"] == "free_indirect"
    assert second["text"] == "Die Kürzungen sollen vor allem die Verwaltung treffen"
    assert third["text"].startswith("Als die Betriebsräte protestierten, soll Brenner")
    assert second["speaker_names"] == third["speaker_names"] == ["Karl Brenner"]


@pytest.mark.parametrize(
    "after",
    [
        "Das Land unterzeichnete ein Abkommen, mit dem der Ausbau gefördert werden soll.",  # a relative clause
        "Das Spiel ist kostenlos und soll durch Werbung Geld einbringen.",  # "soll" after another verb
        "Der Bürgermeister hat sich abgewandt: Wenn die Stadt es will, soll sie selbst zahlen.",  # after a colon
        "Zeugen sollen sich bei der Polizei melden.",  # an appeal to the public
    ],
)
def test_sollen_outside_the_main_clause_does_not_go_on_with_a_statement(nlp, after):
    text = "Die Ministerin erklärte, die Förderung werde verlängert. " + after
    [row] = quotes(nlp, text)
    assert row["text"] == "die Förderung werde verlängert"


def test_sollen_does_not_go_on_with_a_reported_act(nlp):
    text = "Die Gewerkschaft fordert die Auflösung des Vorstands. Die Mitglieder sollen am Freitag abstimmen."
    [row] = quotes(nlp, text)
    assert row["kind"] == "reported" and row["speaker_text"] == "Die Gewerkschaft"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Laut „Handelsblatt“ will die Regierung die Steuern im Herbst senken.", "Handelsblatt"),
        ("Die Regierung will laut dem „Tagesspiegel“ die Steuern im Herbst senken.", "dem „Tagesspiegel“"),
        ("Die Firma will nach Informationen des Nachrichtenmagazins 300 Stellen streichen.", "des Nachrichtenmagazins"),
    ],
)
def test_a_source_in_quotation_marks_or_that_gave_information_is_the_speaker(nlp, text, speaker):
    [row] = quotes(nlp, text)
    assert row["kind"] == "indirect" and row["speaker_text"] == speaker
    assert "Steuern" in row["text"] or "Stellen" in row["text"]


@pytest.mark.parametrize(
    "text",
    [
        "Der Mann rief laut „Hilfe“ und lief über die Straße davon.",  # "laut" is "loudly"
        "Nach Lage der Dinge war der Mann zur Tatzeit betrunken.",  # a state of knowledge, nobody's statement
        "Nach bisherigen Informationen wurden drei Menschen leicht verletzt.",
    ],
)
def test_no_source_in_loudly_or_in_what_is_known(nlp, text):
    assert [row for row in quotes(nlp, text) if row["kind"] == "indirect"] == []


@pytest.mark.parametrize(
    ("text", "cue", "speaker"),
    [
        ("Mehrere Anwohner berichteten von einem lauten Knall in der Nacht.", "berichten", "Mehrere Anwohner"),
        ("Die Staatsanwaltschaft begründete ihren Antrag mit der Fluchtgefahr.", "begründen", "Die Staatsanwaltschaft"),
        ("Die Opposition bezeichnete den Beschluss des Rates als rechtswidrig.", "bezeichnen", "Die Opposition"),
    ],
)
def test_reporting_what_something_is_about_is_a_reported_statement(nlp, text, cue, speaker):
    [row] = quotes(nlp, text)
    assert (row["kind"], row["cue"], row["speaker_text"]) == ("reported", cue, speaker)


@pytest.mark.parametrize(
    "text",
    [
        "Aus dem Ausland wurden zuletzt deutlich mehr Fälle von Betrug berichtet.",  # "von": what, not who
        "Wieso wurde am Montag von einer friedlichen Stimmung berichtet und die Übergriffe verschwiegen?",
        "Warum fordern die Grünen ein Fahrverbot?",  # the reporter's question
        "Die Zeitung berichtete am Montag ausführlich.",  # about nothing
        "Der Begriff bezeichnet eine Gruppe von Tieren.",  # "bezeichnen" without "als"
    ],
)
def test_no_reported_statement_without_a_speaker_or_a_content(nlp, text):
    assert [row for row in quotes(nlp, text) if row["kind"] == "reported"] == []


def test_bezeichnen_frames_no_clause_and_yields_to_another_frame(nlp):
    aside = "Die Killervögel, wie die Medien sie als Warnung bezeichnen, sind harmlos."
    assert quotes(nlp, aside) == []
    text = "Wer das als Zufall bezeichnet, irrt sich gewaltig, sagte der Genetiker Paixao."
    [row] = quotes(nlp, text, people=("Paixao",))
    assert row["cue"] == "sagen" and row["speaker_names"] == ["Paixao"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Der Fernsehsender „Kanal Nord“ berichtete, das Kabinett habe zugestimmt.", "Der Fernsehsender „Kanal Nord“"),
        ("Die „Neue Rundschau“ berichtete am Montag, dass die Bank ihren Slogan aufgibt.", "Die „Neue Rundschau“"),
    ],
)
def test_a_speaker_phrase_may_hold_a_quoted_name(nlp, text, speaker):
    [row] = quotes(nlp, text)
    assert row["kind"] == "indirect" and row["speaker_text"] == speaker


def test_a_relative_adverb_is_no_speaker(nlp):
    text = "Sie fuhr zur Demonstration. Woraufhin sie nach eigenen Angaben die Beamten bat, hineinzudürfen."
    rows = quotes(nlp, text)
    assert rows and all(row["speaker_text"] != "Woraufhin" for row in rows)


@pytest.mark.parametrize(
    "text",
    [
        "Er sagte die Veranstaltung ab.",
        "Der Veranstalter sagte das Konzert am Freitag wegen des Sturms ab.",
        "Die Ausstellung „Neue Wege“ öffnet am Sonntag.",
        "Die Polizei sperrte die Straße für zwei Stunden.",
        "Gegen 13 Uhr sprach der Mann auf der Brückenstraße einen Polizisten an.",
        "Ersten Erkenntnissen zufolge fuhr der 45-jährige Radfahrer bei Rot über die Kreuzung.",
        "Bisherigen Erkenntnisse zufolge fuhr der 33-jährige Autofahrer auf der Autobahn zu schnell.",  # misspelt
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
        {"spans": "[[17, 25]]", "kind": "indirect", "speaker_text": "Anna Roth", "speaker_names": ["Anna Roth"]},
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
    assert row["speaker_names"] == ["Britta Seidenberg"] and row["cue"] == "sagen"


def test_quote_so_and_colon_patterns(nlp):
    text = "„Das ist ein guter Tag für Berlin“, so Kai Wegner. Iris Spranger: „Wir handeln jetzt entschlossen.“"
    first, second = quotes(nlp, text, people=("Kai Wegner", "Iris Spranger"))
    assert (first["speaker_names"], first["cue"]) == (["Kai Wegner"], "so")
    assert (second["speaker_names"], second["cue"]) == (["Iris Spranger"], ":")


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
    assert first["speaker_names"] == ["Eva Lang"]
    assert (second["speaker_text"], second["speaker_names"]) == ("sie", ["Eva Lang"])


def test_a_short_quoted_name_is_no_quote(nlp):
    text = (
        "Das Foto zeigt sein Profilbild, auf dem er unter dem Namen „dein Baby 20“ auftrat. "
        "Die Aktion lief unter dem Motto „Sicher im Kiez“."
    )
    assert quotes(nlp, text) == []
    assert quotes(nlp, "Der Sprecher sagte: „Wir bleiben.“")  # short speech after a colon stays a quote


def test_a_long_quoted_motto_or_title_after_a_naming_word_is_no_quote(nlp):
    text = "Der Umzug zog unter dem Motto „Hundert Jahre vergehen – unser Viertel bleibt bestehen“ durch die Stadt."
    assert quotes(nlp, text) == []
    speech = "Der Bürgermeister sagte unter dem Jubel der Menge: „Hundert Jahre vergehen, unser Viertel bleibt.“"
    assert [row["kind"] for row in quotes(nlp, speech)] == ["direct"]


# Cue classes (issue #22): findings, appeals, passive accusations, "man" with a modal and act senses of verbs of
# saying are no quotes; sentences written for these tests.
@pytest.mark.parametrize(
    "text",
    [
        "Die Beamten stellten fest, dass der Wagen als gestohlen gemeldet war.",
        "Bei der Durchsuchung bemerkten die Einsatzkräfte, dass im Keller Cannabis wuchs.",
        "Die Ermittlungen ergaben, dass der Mann bereits mehrfach aufgefallen war.",
        "Die Polizei bittet um Hinweise, wer den Radfahrer an der Kreuzung gesehen hat.",
        "Zeugen werden gebeten, sich bei der Kriminalpolizei in der Keithstraße zu melden.",
        "Ihnen werden mehrere Einbrüche in Gartenlauben vorgeworfen.",
        "Dem 41-Jährigen wird vorgeworfen, Ausweise gefälscht zu haben.",
        "Man kann nur hoffen, dass die Regierung noch einlenkt.",
        "Charlton bestritt 106 Länderspiele für England und wurde 1966 Weltmeister.",
        "Die Kassiererin lehnte eine Behandlung durch Rettungskräfte ab.",
        "Der Maskierte bedrohte die Angestellte mit einem Messer und forderte Bargeld.",
        "Den ersten Informationen zufolge fuhr der Lastwagen bei Rot über die Kreuzung.",
    ],
)
def test_findings_appeals_and_acts_are_no_quotes(nlp, text):
    assert quotes(nlp, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Der Verdacht auf einen Einbruch hat sich nach den bisherigen Ermittlungen nicht bestätigt.",
        "Die Koalition sieht sich durch die jüngsten Umfragen in ihrem Kurs bestätigt.",
        "Die Stadtverwaltung verspricht sich von dem neuen Radweg weniger Unfälle.",
        "Im Viertelfinale kündigt sich ein Duell der beiden Titelverteidiger an.",
        "Nach dem Aufruf meldeten sich mehrere Zeugen bei der Kriminalpolizei.",
        "Freiwillige Blutentnahmen lehnten die beiden Männer ab.",
        "Freiwillige Atemalkoholmessungen lehnten sie jedoch ab.",
    ],
)
def test_reflexive_senses_and_things_as_subjects_are_no_quotes(nlp, text):
    """Findings read as quotes: a verb of saying used reflexively ("bestätigte sich") says nothing, and a fronted
    object in the plural ("Blutentnahmen lehnten sie ab") is no speaker."""
    assert quotes(nlp, text) == []


def test_a_reflexive_verb_of_saying_that_is_speech_stays_a_quote(nlp):
    [row] = quotes(nlp, "Die Handpuppe bietet sich zum Streicheln an und verspricht, künftig netter zu sein.")
    assert (row["kind"], row["cue"], row["text"]) == ("indirect", "versprechen", "künftig netter zu sein")
    [row] = quotes(nlp, "Am Abend meldete sich auch die Bürgermeisterin zu Wort, die Brücke bleibe bis Juni gesperrt.")
    assert (row["cue"], row["speaker_text"]) == ("melden", "die Bürgermeisterin")
    [row] = quotes(nlp, "Der Bürgermeister äußerte sich am Montag, dass die Brücke im Sommer saniert werde.")
    assert (row["kind"], row["speaker_text"]) == ("indirect", "Der Bürgermeister")
    [row] = quotes(nlp, "Die Landesregierungen kündigten neue Hilfen für die Landwirte an.")
    assert (row["kind"], row["speaker_text"]) == ("reported", "Die Landesregierungen")


def test_denial_of_a_statement_stays_a_quote(nlp):
    [row] = quotes(nlp, "Der Minister bestritt die Vorwürfe der Opposition am Dienstag entschieden.")
    assert (row["kind"], row["cue"], row["speaker_text"]) == ("reported", "bestreiten", "Der Minister")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Zwischenzeitlich teilte die Universitätsleitung mit, dass sie den Strafantrag aussetze.",
            "die Universitätsleitung",
        ),
        ("Und die Gewerkschaft erklärte, dass die Gespräche gescheitert seien.", "die Gewerkschaft"),
        ("Dem Telegraph sagte der Trainer, er werde den Verein im Sommer verlassen.", "der Trainer"),
        ("Der englischsprachigen Zeitung sagte der Botschafter, die Grenze bleibe offen.", "der Botschafter"),
        ("Am Montagabend gab ein Zeuge gegenüber der Polizei an, er habe zwei Schüsse gehört.", "ein Zeuge"),
        ("Gegen 13 Uhr teilte der Polizei eine Anwohnerin mit, dass es im Keller brenne.", "eine Anwohnerin"),
        ("Nach eigenen Angaben war der Radfahrer auf dem Weg zur Arbeit gestürzt.", "der Radfahrer"),
        ("Wie von der Feuerwehr mitgeteilt wurde, sei niemand verletzt worden.", "der Feuerwehr"),
        ("Diese bestätigte, dass gegen den Mann ein Haftbefehl besteht.", "Diese"),
    ],
)
def test_the_speaker_is_someone_who_can_speak(nlp, text, speaker):
    [row] = quotes(nlp, text)
    assert row["speaker_text"] == speaker


def test_passive_report_without_agent_has_no_speaker(nlp):
    [row] = quotes(nlp, "Am Dienstag wurde mitgeteilt, dass die Brücke bis Juni gesperrt bleibt.")
    assert row["kind"] == "indirect" and row["cue"] == "mitteilen" and row["speaker_text"] is None


def test_man_without_modal_is_a_quote_without_speaker(nlp):
    [row] = quotes(nlp, "Man sagt, dass die Brücke bis Juni gesperrt bleibt.")
    assert row["speaker_text"] is None and row["speaker_names"] is None


def test_speaker_names_and_ids_are_aligned(nlp):
    text = "Jakob Ilg vom DIZ sagte, das Netzwerk wachse schnell."
    [row] = quotes(nlp, text, people=("Jakob Ilg",), orgs=("DIZ",))
    assert row["speaker_names"] == ["Jakob Ilg"] and row["speaker_entity_ids"] == [entity_id("PER", "Jakob Ilg")]


def test_a_dog_is_no_speaker(nlp):
    text = "Der Hund Reggie bellte laut. Reggie warnte, dass ein Fremder im Garten stehe."
    assert all(row["speaker_names"] is None for row in quotes(nlp, text, people=("Reggie",)))


@settings(max_examples=30, deadline=None)
@given(
    st.sampled_from(["Montagabend", "Gegen 14 Uhr", "Zwischenzeitlich", "Genau", "Aber", "In der Folge", "Am Freitag"]),
    st.sampled_from(["teilte", "gab", "sagte"]),
    st.sampled_from(["die Polizei", "ein Sprecher", "die Zeugin"]),
)
def test_a_fronted_time_or_adverb_is_never_the_speaker(nlp, fronted, verb, subject):
    particle = {"teilte": " mit", "gab": " an", "sagte": ""}[verb]
    text = f"{fronted} {verb} {subject}{particle}, dass die Straße gesperrt sei."
    [row] = quotes(nlp, text)
    assert row["speaker_text"] == subject


def test_implausible_speaker_check():
    from pipeline.evaluate_quotes import implausible_speaker

    assert implausible_speaker("Montagabend") and implausible_speaker("Uhr") and implausible_speaker("Und")
    assert implausible_speaker("eigenen Angaben") is None  # a source phrase, judged elsewhere
    assert implausible_speaker("nach eigenen Angaben") and implausible_speaker("Zwischenzeitlich")
    assert implausible_speaker("Die Polizei") is None and implausible_speaker("Polizeisprecherin Anja Meier") is None


@pytest.mark.slow
def test_no_date_time_conjunction_or_preposition_speakers_on_real_releases(shipped_model):
    """200 Berlin police releases and 100 Austrian news articles (scripts/check_speakers.py runs 1,000 + 500)."""
    data = SHARED_DATA
    if not (data / "press" / "berlin_polizei").is_dir() or not (data / "news" / "derstandard_10kgnad.jsonl").is_file():
        pytest.skip("real releases not available (PRESSEWERK_DATA)")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from check_speakers import austrian_texts, berlin_texts, check

    from pipeline.runner import BatchProcessor
    from pipeline.settings import Settings

    processor = BatchProcessor(Settings.from_config())
    for texts in (berlin_texts(data, 200), austrian_texts(data, 100)):
        result = check(processor, texts)
        assert result["quotes"] > 20 and result["with_speaker"] > result["quotes"] // 3
        assert result["implausible"] == []


def test_parts_written_before_the_list_columns_are_read_as_lists():
    import pyarrow as pa

    from pipeline.sinks.publish import _conform
    from pipeline.sinks.schema import TABLES

    schema = TABLES["quotes"].arrow_schema()
    required = {"quote_id": ["a", "b"], "doc_id": ["d", "d"], "start_char": [0, 5], "end_char": [4, 9]}
    required |= {"spans": ["[[0, 4]]", "[[5, 9]]"], "text": ["Ja.", "Nein."], "kind": ["direct", "direct"]}
    old = pa.table({"speaker_names": ["Frauke Goll|Gennadi Schermann", None], **required})
    new = _conform(old, schema)
    assert new.column("speaker_names").to_pylist() == [["Frauke Goll", "Gennadi Schermann"], None]
    assert pa.types.is_list(new.schema.field("speaker_entity_ids").type)


def test_direct_quote_with_a_title_quoted_inside_it_is_one_quote_with_its_colon_speaker(nlp):
    text = (
        "Die Kampagne soll bekannter werden. Polizeipräsidentin Barbara Slowik: „Der Hashtag der Kampagne „Reden ist "
        "Gold“ gilt für uns in besonderer Hinsicht: Wir schauen genau hin.“ Die Aktion läuft bis Mai."
    )
    [row] = quotes(nlp, text, people=("Barbara Slowik",))
    assert row["kind"] == "direct" and row["cue"] == ":"
    assert (
        row["text"]
        == "Der Hashtag der Kampagne „Reden ist Gold“ gilt für uns in besonderer Hinsicht: Wir schauen genau hin."
    )
    assert row["speaker_names"] == ["Barbara Slowik"]


def test_statements_named_beside_the_investigation_are_a_source_and_the_investigation_alone_is_not(nlp):
    beside = "Nach den bisherigen Ermittlungen und Zeugenaussagen sollen zwei Männer in einen Streit geraten sein."
    [row] = quotes(nlp, beside)
    assert row["kind"] == "indirect" and row["cue"] == "nach" and row["speaker_text"] == "Zeugenaussagen"
    assert row["text"] == "sollen zwei Männer in einen Streit geraten sein"
    alone = "Nach den bisherigen Erkenntnissen und Ermittlungen sollen zwei Männer in einen Streit geraten sein."
    assert quotes(nlp, alone) == []


def test_gemaess_attributes_a_statement_only_with_a_source_noun(nlp):
    [row] = quotes(nlp, "Gemäß Zeugenaussagen soll es zuvor in der Wohnung zu einem Streit gekommen sein.")
    assert row["cue"] == "gemäß" and row["speaker_text"] == "Zeugenaussagen"
    assert quotes(nlp, "Gemäß § 34 der Verordnung ist das Parken dort verboten.") == []


def test_a_reportive_sollen_sentence_goes_on_with_a_sources_account_but_not_with_the_polices_narration(nlp):
    text = (
        "Nach Zeugenaussagen soll der Mann zuerst in Streit geraten sein. Danach soll er geflüchtet sein. "
        "Die Polizei nahm ihn fest. Er soll betrunken gewesen sein."
    )
    rows = quotes(nlp, text)
    assert [(r["kind"], r["speaker_text"]) for r in rows] == [("indirect", "Zeugenaussagen")] * 2
    assert rows[1]["text"] == "Danach soll er geflüchtet sein"


def test_the_investigation_named_before_the_statements_is_part_of_the_source_not_of_the_quote(nlp):
    text = "Ersten Erkenntnissen und Zeugenaussagen zufolge sollen zwei Autos zu schnell gefahren sein."
    [row] = quotes(nlp, text)
    assert row["cue"] == "zufolge" and row["speaker_text"] == "Zeugenaussagen"
    assert row["text"] == "sollen zwei Autos zu schnell gefahren sein"


@pytest.mark.parametrize(
    ("text", "people", "speaker"),
    [
        # the noun after a preposition is never the subject: "vor der Stärke" is what he warned of
        ("Auch er warnte vor der Stärke des Kontrahenten in der Offensive.", (), "er"),
        # a clause that opens with a prepositional phrase and has no subject of its own follows an apposition
        (
            "Vor der Abstimmung hat der Chef der Fraktion im Europaparlament, Manfred Weber, vor einer Katastrophe "
            "gewarnt.",
            ("Manfred Weber",),
            "Manfred Weber",
        ),
        # a relative pronoun that is the subject stands for the noun before the comma, over a verb particle
        (
            "Die Polizei nahm den 28-jährigen Fahrer fest, der angab, nichts getrunken zu haben.",
            (),
            "den 28-jährigen Fahrer",
        ),
    ],
)
def test_the_speaker_is_the_subject_not_a_prepositional_object(nlp, text, people, speaker):
    [row] = quotes(nlp, text, people=people)
    assert row["speaker_text"] == speaker


def test_a_relative_pronoun_agrees_with_the_noun_it_stands_for(nlp):
    text = (
        "Völlig unverständlich nannte der ORF zuvor die Entgleisung Swobodas, der den Schaden auf 15 Millionen Euro "
        "geschätzt und entsprechende Forderungen an GfK und ORF angekündigt hatte. Im Fall der Frau mit den sechs "
        "Kindern, die von dem Anwalt vertreten wird, sei nichts geprüft worden."
    )
    rows = quotes(nlp, text, people=("Swobodas",))
    assert rows[0]["speaker_names"] == ["Swobodas"]  # "der" is not "die Entgleisung"
    assert all(row["speaker_text"] != "den sechs Kindern" for row in rows)  # a passive relative is acted upon


def test_a_speaker_with_its_apposition_is_no_statement(nlp):
    text = "Wien – Sonja Hammerschmid, die neue Vorsitzende der Universitätenkonferenz, fordert mehr Geld."
    assert all("Hammerschmid" not in row["text"] or row["kind"] == "reported" for row in quotes(nlp, text))
    text = (
        "Die Strafe entspreche nicht den Vorwürfen gegen den Kapitän, hatte die Oberstaatsanwältin von Grosseto, "
        "Maria Navarro, gesagt."
    )
    [row] = quotes(nlp, text, people=("Maria Navarro",))
    assert row["kind"] == "indirect" and row["text"] == "Die Strafe entspreche nicht den Vorwürfen gegen den Kapitän"
    assert row["speaker_names"] == ["Maria Navarro"]


def test_a_source_phrase_holds_no_verb_and_a_finding_is_no_source(nlp):
    text = "Die Insassen sollen mehreren Zeugenaussagen zufolge ausgestiegen und geflüchtet sein."
    [row] = quotes(nlp, text)
    assert row["speaker_text"] == "mehreren Zeugenaussagen"
    assert quotes(nlp, "Die Ermittler gehen nach derzeitigen Erkenntnissen von einer Brandstiftung aus.") == []
    text = "Nach Erkenntnissen von Amnesty International wurden mehrere Menschen festgenommen."
    [row] = quotes(nlp, text, orgs=("Amnesty International",))
    assert row["speaker_names"] == ["Amnesty International"]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        # a subordinate frame first in the sentence: the main clause follows what was said
        (
            "Da der 86-Jährige über Schmerzen klagte und angab, Herzprobleme zu haben, alarmierten die Beamten die "
            "Feuerwehr.",
            "Herzprobleme zu haben",
        ),
        # a relative frame: the rest of the sentence is the main clause's
        (
            "Die Beamten brachten den Mann, der einen verwirrten Eindruck machte und angab, Drogen konsumiert zu "
            "haben, zur Behandlung in einen Polizeigewahrsam.",
            "Drogen konsumiert zu haben",
        ),
        # a clause joined to what was said goes on with it
        (
            "Die Mutter wandte sich an das Forum, da sie befürchtete, man wolle ihr die Kinder wegnehmen, um sie "
            "besser vermitteln zu können.",
            "man wolle ihr die Kinder wegnehmen, um sie besser vermitteln zu können",
        ),
        (
            "Es sprach der General, der betonte, er gehöre keiner Partei an, sondern verstehe sich als Minister für "
            "alle.",
            "er gehöre keiner Partei an, sondern verstehe sich als Minister für alle",
        ),
    ],
)
def test_what_a_subordinate_frame_reports_ends_with_its_clause(nlp, text, said):
    [row] = quotes(nlp, text)
    assert row["kind"] == "indirect" and row["text"] == said


@pytest.mark.parametrize(
    ("text", "said", "speaker", "cue"),
    [
        # the frame after the statement goes on: a time, a place, an addressee, the particle of its verb
        (
            "Eine Million Menschen werde von einer Hungersnot bedroht, teilte der Generalsekretär am Montag mit.",
            "Eine Million Menschen werde von einer Hungersnot bedroht",
            "der Generalsekretär",
            "mitteilen",
        ),
        (
            "Pro Person und Tag stehe nur ein Liter Wasser zur Verfügung, sagte der Koordinator dem Fernsehsender.",
            "Pro Person und Tag stehe nur ein Liter Wasser zur Verfügung",
            "der Koordinator",
            "sagen",
        ),
        (
            "Die Lage ist ernst, erklärte die Bürgermeisterin gegenüber der Zeitung in Graz.",
            "Die Lage ist ernst",
            "die Bürgermeisterin",
            "erklären",
        ),
        (
            "Man habe alles getan, fügte ein Sprecher des Ministeriums hinzu.",
            "Man habe alles getan",
            "ein Sprecher des Ministeriums",
            "hinzufügen",
        ),
        # a lead before a colon and a dateline are no part of what was said
        (
            "Nicht so für den Bürgermeister: Die Kennzeichenfrage ist eine Identitätsfrage, sagt er im Gespräch.",
            "Die Kennzeichenfrage ist eine Identitätsfrage",
            "er",
            "sagen",
        ),
        (
            "Wien – Die Schule bleibe bis Freitag geschlossen, gab die Direktorin bekannt.",
            "Die Schule bleibe bis Freitag geschlossen",
            "die Direktorin",
            "bekanntgeben",
        ),
    ],
)
def test_a_frame_after_the_statement_may_go_on_past_its_speaker(nlp, text, said, speaker, cue):
    [row] = quotes(nlp, text)
    assert (row["kind"], row["text"], row["speaker_text"], row["cue"]) == ("indirect", said, speaker, cue)


@pytest.mark.parametrize(
    "text",
    [
        # the verb has an object of its own: no frame of the clause before
        "Er fuhr nach Hause, erklärte seiner Frau die Lage und ging ins Bett.",
        # the clause before is a noun phrase, not a statement
        "Ein junges Ehepaar aus Marokko, ein kleines Kind an der Hand, vertritt sich die Beine vor der Halle.",
        "Auf Grund der Lage der stark verwesten Leiche, gehen die Ermittler von einem Tötungsdelikt aus.",
        # the clause before is the frame's own adverbial clause
        "Während die Preise unten konstant bleiben sollen, erwartet die Vorsitzende oben eine Preissteigerung.",
    ],
)
def test_a_clause_before_a_verb_of_saying_that_is_no_statement(nlp, text):
    assert [row for row in quotes(nlp, text) if row["kind"] == "indirect"] == []


def test_where_a_name_spoke_is_no_part_of_the_speaker(nlp):
    text = "Ich wäre nicht die richtige Wahl, sagte Marco Rubio bei CNN. Das sei Unsinn, sagte Eva Berger von der SPD."
    first, second = quotes(nlp, text, people=("Marco Rubio", "Eva Berger"), orgs=("SPD",))
    assert first["speaker_text"] == "Marco Rubio" and first["text"] == "Ich wäre nicht die richtige Wahl"
    assert second["speaker_text"] == "Eva Berger von der SPD"


@pytest.mark.parametrize(
    "text",
    [
        "Alle drei gehören der rechtsgaullistischen „Union pour un Mouvement Populaire“ an.",
        "Hauptorganisator der Proteste ist die Bewegung „People's Alliance for Democracy“.",
        "Die Frauen schieden im „VII Championnat du Monde de Tir de Précision“ in der ersten Runde aus.",
    ],
)
def test_a_quoted_foreign_name_inside_a_noun_phrase_is_no_quote(nlp, text):
    assert quotes(nlp, text) == []


def test_quoted_foreign_speech_with_its_frame_stays_a_quote(nlp):
    text = "„The state of the union is strong“, sagte der Präsident am Abend."
    [row] = quotes(nlp, text)
    assert row["kind"] == "direct" and row["text"] == "The state of the union is strong"
    assert row["speaker_text"] == "der Präsident"


def test_a_particle_before_a_coordinated_verb_makes_another_verb(nlp):
    text = "Der Mann kam der Frau sehr nahe, sprach sie an und wiederholte seine Äußerungen."
    assert quotes(nlp, text) == []  # ansprechen: he addressed her, he said nothing reported here


@pytest.mark.parametrize(
    "text",
    [
        "Der Taifun forderte zwölf Todesopfer.",  # lives claimed, no demand
        "Der Unfall auf der Autobahn forderte am Abend zwei Verletzte.",
        "Eine evangelische Pfarrerin sprach ein Gebet.",  # a speech act without a statement
        "Am Abend sprachen die beiden Astronauten sieben Minuten mit ihren Angehörigen.",
        "Das Gesetz soll jedem Bürger erlauben, Akteneinsicht verlangen zu können.",  # infinitive under a modal
    ],
)
def test_verbs_of_saying_in_a_sense_that_reports_nothing(nlp, text):
    assert quotes(nlp, text) == []


def test_speaking_about_something_is_a_reported_statement(nlp):
    [row] = quotes(nlp, "Die Abgeordnete sprach von einem Frontalangriff auf die Freiheit.")
    assert row["kind"] == "reported" and row["speaker_text"] == "Die Abgeordnete" and row["cue"] == "sprechen"
    [row, *_] = quotes(nlp, "Der Geschäftsführer spricht Klartext: Die Firma habe fünf Deponien gefunden.")
    assert row["speaker_text"] == "Der Geschäftsführer"


def test_a_clause_opened_by_dass_is_no_speaker(nlp):
    rows = quotes(nlp, "Dass die Partei den Mindestlohn ablehnt, ist ein deutliches Signal.")
    assert all(row["speaker_text"] != "Dass" for row in rows)


def test_the_subject_after_the_auxiliary_of_a_frame_after_the_statement(nlp):
    [row] = quotes(nlp, "Es drohe ein Wettlauf der Rüstung, hatte der Präsident in Moskau gesagt.")
    assert row["text"] == "Es drohe ein Wettlauf der Rüstung" and row["speaker_text"] == "der Präsident"


def test_an_indirect_quote_before_a_direct_one_in_the_same_sentence_piece(nlp):
    text = "Der Abgeordnete sagte, dass der Vorfall kein Unfall gewesen sei. „Das war direktes Feuer.“"
    rows = quotes(nlp, text)
    assert [(row["kind"], row["text"]) for row in rows] == [
        ("indirect", "dass der Vorfall kein Unfall gewesen sei"),
        ("direct", "Das war direktes Feuer."),
    ]
    assert {row["speaker_text"] for row in rows} == {"Der Abgeordnete"}


@pytest.mark.parametrize(
    ("text", "said", "speaker"),
    [
        ("Das Wasser stand hüfthoch, erzählt die Bäuerin.", "Das Wasser stand hüfthoch", "die Bäuerin"),
        # a focus particle and the subject fill the field before the verb together
        (
            "Auch Anwalt Held schilderte die Zustände als unerfreulich, immer wieder seien Dokumente verschwunden.",
            "immer wieder seien Dokumente verschwunden",
            "Anwalt Held",
        ),
        # "so … dar, dass": the way it was put is what was said
        (
            "Der Premier stellte es im Parlament so dar, dass die Affäre nicht nur sein Land betreffe.",
            "dass die Affäre nicht nur sein Land betreffe",
            "Der Premier",
        ),
    ],
)
def test_telling_describing_and_focused_subjects(nlp, text, said, speaker):
    [row] = quotes(nlp, text)
    assert (row["text"], row["speaker_text"]) == (said, speaker)


def test_a_consequence_is_no_statement(nlp):
    text = "Die Zeugen erzählen dermaßen unterschiedliche Versionen, dass einem der Kopf schwirrt."
    assert quotes(nlp, text) == []
