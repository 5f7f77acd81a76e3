"""Press-text tokenizer rules on real German press text."""

import pytest
import spacy

from pipeline.nlp.tokenizer import customize_tokenizer


@pytest.fixture(scope="module")
def nlp():
    return customize_tokenizer(spacy.blank("de"))


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("DIZ 13.12.2019", ["DIZ", "13.12.2019"]),
        (
            "hat 2017 die Initiative gegründet, seit 2019.",
            ["hat", "2017", "die", "Initiative", "gegründet", ",", "seit", "2019", "."],
        ),
        ("am 9. Dezember", ["am", "9.", "Dezember"]),
        ("alle Kund:innen und Mitarbeiter*innen", ["alle", "Kund:innen", "und", "Mitarbeiter*innen"]),
        ("in Baden-Württemberg", ["in", "Baden-Württemberg"]),
        ("Mehr Informationen: www.digital-hubs-bw.de.", ["Mehr", "Informationen", ":", "www.digital-hubs-bw.de", "."]),
        ("Kontakt: presse@diz-bw.de", ["Kontakt", ":", "presse@diz-bw.de"]),
        ("vom 3.–5. Mai", ["vom", "3.", "–", "5.", "Mai"]),
        ("2019–2021", ["2019", "–", "2021"]),
        ("die Beteiligungs GmbH.", ["die", "Beteiligungs", "GmbH", "."]),
        ("Verein e.V. und Dr. Huber", ["Verein", "e.V.", "und", "Dr.", "Huber"]),
    ],
)
def test_press_tokens(nlp, text, tokens):
    assert [t.text for t in nlp(text)] == tokens


def test_rules_survive_save_and_load(nlp, tmp_path):
    nlp.to_disk(tmp_path / "m")
    loaded = spacy.load(tmp_path / "m")
    assert [t.text for t in loaded("seit 2019. Kund:innen")] == ["seit", "2019", ".", "Kund:innen"]


def test_customize_is_idempotent():
    nlp = customize_tokenizer(customize_tokenizer(spacy.blank("de")))
    assert [t.text for t in nlp("seit 2019.")] == ["seit", "2019", "."]
