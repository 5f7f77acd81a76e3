"""Language of a document: German function words decide, langdetect only when they cannot."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalise import language
from pipeline.normalise.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nr. 2400\nGemeinsame Meldung Polizei und Staatsanwaltschaft Berlin", "de"),
        ("Zwei augenscheinlich junge Männer überfielen in Britz den Angestellten einer Tankstelle.", "de"),
        (
            "In Westend wurden in der Nacht in einem Hof des Rathauses Fenster in der Fassade des Amtes eingeworfen.",
            "de",
        ),
        ("The police in Berlin said on Monday that the suspect was arrested in the city.", "en"),
        ("La police a arrêté un homme et une femme dans le centre de la ville.", "fr"),
    ],
)
def test_language_of_real_sentences(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_a_german_heading_is_decided_without_langdetect(monkeypatch: pytest.MonkeyPatch) -> None:
    import langdetect

    def fail(text: str) -> str:
        raise AssertionError("langdetect was asked")

    monkeypatch.setattr(langdetect, "detect", fail)
    assert detect_language("Gemeinsame Meldung der Polizei und der Feuerwehr Wien") == "de"


def test_words_of_several_languages_count_for_none() -> None:
    assert not {"in", "was", "des"} & language._OTHER


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_language_code(text: str) -> None:
    assert re.fullmatch(r"[a-z]{2}(-[a-z]{2})?|und", detect_language(text))
