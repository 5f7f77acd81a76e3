"""``pressewerk_entity_sense`` on German sentences written for these tests: each error class of the issue."""

from __future__ import annotations

import itertools

import pytest
import spacy
from conftest import draw_entities
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc, Span

from pipeline.nlp.entity_sense import EntitySense, compound_head
from pipeline.nlp.tokenizer import customize_tokenizer


@pytest.fixture(scope="module")
def nlp():
    nlp = customize_tokenizer(spacy.blank("de"))
    nlp.add_pipe("sentencizer")
    return nlp


@pytest.fixture(scope="module")
def sense():
    return EntitySense()


def tagged(nlp, text: str, ents: list[tuple[str, str]], rule: str = "") -> Doc:
    """``text`` with the given (surface, label) entities, as a statistical model would have set them."""
    doc = nlp(text)
    spans = []
    for surface, label in ents:
        start = text.index(surface)
        span = doc.char_span(start, start + len(surface), label=label, span_id=rule)
        assert span is not None, surface
        spans.append(span)
    doc.set_ents(spans)
    return doc


def readings(doc: Doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


def test_a_vehicle_make_after_an_article_is_no_organisation_but_the_company_is(nlp, sense):
    doc = sense(
        tagged(
            nlp, "Er stieß mit einem BMW zusammen, der aus einem schwarzen Audi kam.", [("BMW", "ORG"), ("Audi", "ORG")]
        )
    )
    assert readings(doc) == []
    doc = sense(tagged(nlp, "BMW meldete am Montag einen Rekordgewinn.", [("BMW", "ORG")]))
    assert readings(doc) == [("BMW", "ORG")]


def test_common_nouns_are_no_persons_unless_the_document_names_the_person(nlp, sense):
    doc = sense(
        tagged(
            nlp,
            "Wohnungseinbruchdiebstahl in Pankow aufgeklärt",
            [("Wohnungseinbruchdiebstahl", "PER"), ("Pankow", "LOC")],
        )
    )
    assert readings(doc) == [("Pankow", "LOC")]
    doc = sense(tagged(nlp, "Das Auto war in der Farbe Schwarz lackiert.", [("Schwarz", "PER")]))
    assert readings(doc) == []
    text = "Martin Schwarz leitet die Schule. Schwarz sagte, er freue sich."
    doc = tagged(nlp, text, [("Martin Schwarz", "PER")])
    start = text.index("Schwarz sagte")
    doc.set_ents([*doc.ents, doc.char_span(start, start + 7, label="PER")])
    assert readings(sense(doc)) == [("Martin Schwarz", "PER"), ("Schwarz", "PER")]


def test_a_span_cut_before_a_rule_match_loses_its_article(nlp, sense):
    text = "Die Kriminalpolizei der Direktion 5 ermittelt."
    doc = tagged(nlp, text, [("Kriminalpolizei der", "ORG")])
    start = text.index("Direktion 5")
    doc.set_ents([*doc.ents, doc.char_span(start, start + 11, label="ORG", span_id="org-police-unit-number")])
    assert readings(sense(doc)) == [("Direktion 5", "ORG")]


def test_a_known_surname_that_ends_in_a_noun_stays_a_person(nlp, sense):
    doc = sense(tagged(nlp, "Grissmann stellte sein neues Buch vor.", [("Grissmann", "PER")]))
    assert readings(doc) == [("Grissmann", "PER")]


def test_compound_heads_need_nouns_on_both_sides():
    assert compound_head("Wohnungseinbruchdiebstahl") == "Diebstahl"
    assert compound_head("Heckenbrand") == "Brand"
    assert compound_head("Gazastreifen") is None
    assert compound_head("Commerzbank") is None


def test_bare_service_nouns_are_no_organisations_but_named_authorities_are(nlp, sense):
    doc = sense(
        tagged(
            nlp,
            "Die Polizei sucht Zeugen, die Kriminalpolizei ermittelt.",
            [("Polizei", "ORG"), ("Kriminalpolizei", "ORG")],
        )
    )
    assert readings(doc) == []
    doc = sense(tagged(nlp, "Die Staatsanwaltschaft Cottbus hat Anklage erhoben.", [("Cottbus", "LOC")]))
    assert readings(doc) == [("Staatsanwaltschaft Cottbus", "ORG")]
    doc = sense(tagged(nlp, "Die Berliner Feuerwehr löschte den Brand.", []))
    assert readings(doc) == [("Berliner Feuerwehr", "ORG")]
    doc = sense(tagged(nlp, "Die Polizeidirektion Süd bittet um Hinweise.", []))
    assert readings(doc) == [("Polizeidirektion Süd", "ORG")]


def test_streets_are_places_read_whole_without_house_number(nlp, sense):
    text = "Er fuhr über die Landsberger Allee in die Marzahner Promenade bis zur Zeppelinstraße 51 in Spandau."
    doc = sense(tagged(nlp, text, [("Landsberger Allee", "ORG"), ("Marzahner", "LOC"), ("Zeppelinstraße 51", "LOC")]))
    assert readings(doc) == [("Landsberger Allee", "LOC"), ("Marzahner Promenade", "LOC"), ("Zeppelinstraße", "LOC")]


@pytest.mark.parametrize(
    ("text", "street", "kept"),
    [
        ("Zeugen sahen zwei Personen, die ein Wohnhaus in der Lindenstraße betraten.", "Lindenstraße", True),
        ("Hinweise nimmt die Kriminalpolizei in der Poststraße 12 in Nauen entgegen.", "Poststraße", True),
        ("Er fuhr über die Kreuzung Danziger Straße/ Kastanienallee nach Norden.", "Kastanienallee", True),
        ("Der Radfahrer war in Richtung Hauptstraße unterwegs.", "Hauptstraße", True),
        ("Die Kinder spielten auf dem Parkplatz hinter dem Haus.", "Parkplatz", False),
        ("Er wartete auf dem Bahnsteig auf die nächste Bahn.", "Bahnsteig", False),
        ("Der Wagen stand in einer Seitenstraße am Ortsrand.", "Seitenstraße", False),
    ],
)
def test_a_dictionary_noun_is_a_street_where_it_is_used_as_a_name(nlp, sense, text, street, kept):
    """ "Lindenstraße", "Hauptstraße" are in a noun list too: kept where the text uses them as a name (article of a
    street, house number, crossing, "Richtung"), dropped where they are ordinary nouns."""
    doc = sense(tagged(nlp, text, [(street, "LOC")]))
    assert ((street, "LOC") in readings(doc)) is kept


def test_station_words_belong_to_the_place_and_missed_streets_are_found(nlp, sense):
    text = "Am U-Bahnhof Kottbusser Tor stieg er aus und lief über den Radweg in die Franklinstraße."
    doc = sense(tagged(nlp, text, [("Kottbusser Tor", "LOC")]))
    assert readings(doc) == [("U-Bahnhof Kottbusser Tor", "LOC"), ("Franklinstraße", "LOC")]


def test_laws_are_misc_and_currencies_are_misc(nlp, sense):
    text = "Er muss sich wegen Verstößen gegen das Betäubungsmittelgesetz verantworten; Schaden: 500 Euro."
    doc = sense(tagged(nlp, text, [("Betäubungsmittelgesetz", "ORG"), ("Euro", "ORG")]))
    assert readings(doc) == [("Betäubungsmittelgesetz", "MISC"), ("Euro", "MISC")]


def test_titles_stay_outside_person_names_and_chr_is_no_person(nlp, sense):
    doc = sense(
        tagged(
            nlp,
            "Kaiser Meiji öffnete Japan, um 330 v. Chr. lebte Olympias.",
            [("Kaiser Meiji", "ORG"), ("Chr.", "PER")],
        )
    )
    assert readings(doc) == [("Meiji", "PER")]
    doc = sense(tagged(nlp, "In dem Lied klagt der Oberst Ollendorf über Laura.", [("Oberst Ollendorf", "ORG")]))
    assert readings(doc) == [("Ollendorf", "PER")]  # a military rank reads a person, whatever the model said


def test_a_person_ends_in_a_name_and_takes_the_first_names_before_it(nlp, sense):
    text = "Sie ließen sich gegen das Corona-Virus impfen; die Ausstellung zeigt Friedrich Wilhelm Höhn."
    doc = sense(tagged(nlp, text, [("Corona-Virus", "PER"), ("Wilhelm Höhn", "PER")]))
    assert readings(doc) == [("Friedrich Wilhelm Höhn", "PER")]


def test_station_words_and_possessives(nlp, sense):
    doc = sense(tagged(nlp, "Das Kind ging zum S-Bahnhof Waidmannslust.", [("S-Bahnhof Waidmannslust", "ORG")]))
    assert readings(doc) == [("S-Bahnhof Waidmannslust", "LOC")]
    text = "Am S-Bahnhof fragte es, was Sie von Ihrer Polizei erwarten."
    doc = sense(tagged(nlp, text, [("S-Bahnhof", "ORG"), ("Ihrer Polizei", "ORG")]))
    assert readings(doc) == []


def test_institutions_named_after_people_and_header_phrases_are_no_names(nlp, sense):
    text = "Gemeinsame Meldung Polizei und Staatsanwaltschaft: Er kam in die Karl-Bonhoeffer-Nervenklinik."
    doc = sense(tagged(nlp, text, [("Gemeinsame Meldung Polizei", "ORG"), ("Karl-Bonhoeffer-Nervenklinik", "PER")]))
    assert readings(doc) == []
    doc = sense(
        tagged(
            nlp,
            "Gemeinsame Meldung Polizei Berlin und Staatsanwaltschaft",
            [("Gemeinsame Meldung Polizei Berlin", "ORG")],
        )
    )
    assert readings(doc) == [("Polizei Berlin", "ORG")]
    doc = sense(tagged(nlp, "Die Berliner Polizei sperrte die Straße.", [("Berliner Polizei", "ORG")]))
    assert readings(doc) == [("Berliner Polizei", "ORG")]


def test_rule_matches_are_never_changed(nlp, sense):
    doc = sense(tagged(nlp, "Die Polizei sucht Zeugen.", [("Polizei", "ORG")], rule="my-rule"))
    assert readings(doc) == [("Polizei", "ORG")]


def with_rule(doc: Doc, surface: str, label: str, rule: str) -> Doc:
    """``doc`` with one more entity that a rule (``rule`` id) found."""
    start = doc.text.index(surface)
    span = doc.char_span(start, start + len(surface), label=label, span_id=rule)
    assert span is not None, surface
    doc.set_ents([*doc.ents, span])
    return doc


def test_an_ordinary_noun_and_its_article_before_a_name_go(nlp, sense):
    text = "Die Insolvenz der German Pellets GmbH wird immer undurchsichtiger."
    doc = sense(tagged(nlp, text, [("Insolvenz der German Pellets GmbH", "ORG")]))
    assert readings(doc) == [("German Pellets GmbH", "ORG")]
    text = "Er ist Vorstandsmitglied der Deutschen Gesellschaft für Krisenmanagement e.V. in Hamburg."
    doc = sense(tagged(nlp, text, [("Vorstandsmitglied der Deutschen Gesellschaft für Krisenmanagement e.V.", "ORG")]))
    assert readings(doc) == [("Deutschen Gesellschaft für Krisenmanagement e.V.", "ORG")]
    doc = sense(tagged(nlp, "Das Erdbeben überraschte auch Superstar Madonna.", [("Superstar Madonna", "PER")]))
    assert readings(doc) == [("Madonna", "PER")]


def test_the_legal_form_rule_loses_a_leading_noun_other_rules_stay(nlp, sense):
    text = "Kursinformationen von SIX Financial Information Deutschland GmbH. Übernahme von StarCapital AG geplant."
    doc = tagged(
        nlp, text, [("Kursinformationen von SIX Financial Information Deutschland GmbH", "ORG")], rule="org-legal-form"
    )
    doc = sense(with_rule(doc, "Übernahme von StarCapital AG", "ORG", "my-rule"))
    assert readings(doc) == [
        ("SIX Financial Information Deutschland GmbH", "ORG"),
        ("Übernahme von StarCapital AG", "ORG"),
    ]
    assert [e.id_ for e in doc.ents] == ["org-legal-form", "my-rule"]


@pytest.mark.parametrize(
    ("text", "surface", "label"),
    [
        ("Die Gewerkschaft der Staatsbediensteten Griechenlands rief zum Streik auf.",
         "Gewerkschaft der Staatsbediensteten Griechenlands", "ORG"),
        ("Der Direktor des Institut für Krisenforschung sprach.", "Institut für Krisenforschung", "ORG"),
        ("Die Pläne des Bistums Limburg stoßen auf Protest.", "Bistums Limburg", "ORG"),
        ("Er studierte an der Universität Kiel.", "Universität Kiel", "ORG"),
        ("Die Deutsche Bank meldet Gewinne.", "Deutsche Bank", "ORG"),
        ("Das Bundesamt für Migration prüft den Antrag.", "Bundesamt für Migration", "ORG"),
        ("Das Haus der Geschichte zeigt eine Ausstellung.", "Haus der Geschichte", "ORG"),
        ("Er traf den Vorstand der Bank der Länder.", "Bank der Länder", "ORG"),
        ("Ein Denkmal für Otto von Bismarck steht dort.", "Otto von Bismarck", "PER"),
        ("Im Konzert sang Lady Gaga.", "Lady Gaga", "PER"),
        ("Der Bus hielt am Platz der Luftbrücke.", "Platz der Luftbrücke", "LOC"),
    ],
)  # fmt: skip
def test_heads_of_organisation_names_and_names_stay(nlp, sense, text, surface, label):
    assert readings(sense(tagged(nlp, text, [(surface, label)]))) == [(surface, label)]


def test_an_ordinary_noun_after_a_hyphen_leaves_the_organisation(nlp, sense):
    text = "Die Lufthansa-Flugbegleiter streiken, der UN-Sicherheitsrat tagt am St. Michael-Friedhof."
    ents = [("Lufthansa-Flugbegleiter", "ORG"), ("UN-Sicherheitsrat", "ORG"), ("St. Michael-Friedhof", "ORG")]
    doc = sense(tagged(nlp, text, ents))
    assert readings(doc) == [("Lufthansa", "ORG"), ("UN-Sicherheitsrat", "ORG"), ("St. Michael-Friedhof", "ORG")]


def test_an_organisation_takes_its_legal_form(nlp, sense):
    text = "Die Klagen richten sich gegen die Audi AG und die Meier Logistik GmbH & Co. KG in Ulm."
    doc = sense(tagged(nlp, text, [("Audi", "ORG"), ("Meier Logistik", "ORG"), ("Ulm", "LOC")]))
    assert readings(doc) == [("Audi AG", "ORG"), ("Meier Logistik GmbH & Co. KG", "ORG"), ("Ulm", "LOC")]
    text = "Der Förderverein Kinderhilfe e. V. sammelt, die Audi\nAG zahlt."
    doc = sense(tagged(nlp, text, [("Förderverein Kinderhilfe", "ORG"), ("Audi", "ORG")]))
    assert readings(doc) == [("Förderverein Kinderhilfe e. V.", "ORG"), ("Audi\nAG", "ORG")]


def test_a_legal_form_after_a_comma_is_taken_from_the_neighbour(nlp, sense):
    text = "Registrierter Sitz: BlackRock, Inc. Wilmington, Vereinigte Staaten"
    doc = sense(tagged(nlp, text, [("BlackRock", "ORG"), ("Inc. Wilmington", "ORG")]))
    assert readings(doc) == [("BlackRock, Inc.", "ORG"), ("Wilmington", "LOC")]


def test_pieces_of_one_company_name_are_merged_but_not_an_organisation_head(nlp, sense):
    text = "Rechteinhaber ist die Warner Bros. Entertainment GmbH. Jupiter Ascending ist ein Film."
    doc = tagged(nlp, text, [("Warner Bros.", "ORG")])
    doc = sense(with_rule(doc, "Entertainment GmbH", "ORG", "org-legal-form"))
    assert readings(doc) == [("Warner Bros. Entertainment GmbH", "ORG")]
    text = "Ein Mitarbeiter der Firma GFB Gesellschaft für Architektur, Generalplanung und Design mbH bestätigte es."
    doc = tagged(nlp, text, [("GFB", "ORG")])
    doc = sense(
        with_rule(doc, "Gesellschaft für Architektur, Generalplanung und Design", "ORG", "org-institution-fuer")
    )
    assert readings(doc) == [("GFB", "ORG"), ("Gesellschaft für Architektur, Generalplanung und Design mbH", "ORG")]


WORDS = [
    "Die",
    "Polizei",
    "Berlin",
    "sucht",
    "mit",
    "einem",
    "BMW",
    "Landsberger",
    "Allee",
    "51",
    "Kaiser",
    "Euro",
    "Schwarz",
    ".",
    ",",
    "-",
    "GmbH",
    "AG",
    "Inc.",
    "Insolvenz",
    "der",
    "Flugbegleiter",
    "Warner",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), st.data())
def test_output_spans_never_overlap_and_stay_inside_the_doc(nlp, sense, words, data):
    doc = Doc(nlp.vocab, words=words)
    draw_entities(doc, data, max_spans=4)
    out = list(sense(doc).ents)
    assert all(0 <= e.start < e.end <= len(doc) for e in out)
    assert all(a.end <= b.start for a, b in itertools.pairwise(out))


def test_an_email_address_is_a_contact_not_an_organisation_but_a_handle_stays(nlp, sense):
    text = "Hinweise an lka114-hinweis@polizei.berlin.de oder an @PolizeiBerlin_E."
    doc = nlp(text)
    address = next(t for t in doc if "@" in t.text and not t.text.startswith("@"))
    handle = next(t for t in doc if t.text.startswith("@"))
    doc.set_ents([Span(doc, address.i, address.i + 1, label="ORG"), Span(doc, handle.i, handle.i + 1, label="ORG")])
    assert readings(sense(doc)) == [(handle.text, "ORG")]


def test_a_word_counted_like_a_thing_is_no_organisation(nlp, sense):
    doc = sense(tagged(nlp, "Das Auto kollidierte mit einer Bake aus Beton.", [("Bake", "ORG")]))
    assert readings(doc) == []
    doc = sense(tagged(nlp, "Überweisen Sie kein Geld über einen Messenger-Dienst.", [("Messenger-Dienst", "ORG")]))
    assert readings(doc) == []
    doc = sense(
        tagged(nlp, "Die Telekom und eine ADAC-Sprecherin bestätigten das.", [("Telekom", "ORG"), ("ADAC", "ORG")])
    )
    assert readings(doc) == [("Telekom", "ORG"), ("ADAC", "ORG")]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 6)), max_size=30))
def test_longest_first_keeps_the_longest_then_earliest_without_overlap(nlp, bounds):
    """The linear-time choice equals the plain pairwise one."""
    from pipeline.nlp.entity_sense import _longest_first

    doc = nlp(" ".join(["Wort"] * 50))
    spans = [Span(doc, start, start + length, label="ORG") for start, length in bounds]
    expected: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if all(span.end <= other.start or other.end <= span.start for other in expected):
            expected.append(span)
    assert [(s.start, s.end) for s in _longest_first(spans)] == [(s.start, s.end) for s in expected]


def test_a_model_name_after_a_make_used_as_a_vehicle_is_no_organisation(nlp, sense):
    text = "Zwei Personen saßen in einem Renault Mégane Scénic, ein Zeuge in seiner Mercedes A-Klasse."
    doc = sense(tagged(nlp, text, [("Renault", "ORG"), ("Scénic", "ORG"), ("A-Klasse", "ORG")]))
    assert readings(doc) == []
    doc = sense(tagged(nlp, "Renault Scénic heißt das neue Modell.", [("Renault", "ORG"), ("Scénic", "MISC")]))
    assert readings(doc) == [("Renault", "ORG"), ("Scénic", "MISC")]


def test_a_noun_after_a_place_is_not_part_of_its_name(nlp, sense):
    text = "Anwohnende bemerkten in Schöneberg Feuerwerkslärm, andere warteten am Berlin Hauptbahnhof."
    doc = sense(tagged(nlp, text, [("Schöneberg Feuerwerkslärm", "LOC"), ("Berlin Hauptbahnhof", "LOC")]))
    assert readings(doc) == [("Schöneberg", "LOC"), ("Berlin Hauptbahnhof", "LOC")]
    doc = sense(tagged(nlp, "Bauarbeiten an der Bad Lippspringer Klinik.", [("Bad Lippspringer", "LOC")]))
    assert readings(doc) == [("Bad Lippspringer", "LOC")]
