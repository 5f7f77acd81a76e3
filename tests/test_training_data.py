"""Training-data conversion: corpus words cut like the press tokenizer cuts text, LER and HIPE readers."""

from __future__ import annotations

import pytest
import spacy

from pipeline.nlp.tokenizer import customize_tokenizer
from pipeline.training.convert import ler_sample, retokenize, to_doc
from pipeline.training.corpora import Sentence, map_tags, read_hipe, read_ler
from pipeline.training.subtokens import expand_tag, name_range


@pytest.fixture(scope="module")
def nlp():
    return customize_tokenizer(spacy.blank("de"))


@pytest.mark.parametrize(
    ("subwords", "expected"),
    [
        (["Commerzbank", "-", "Chef"], (0, 1)),
        (["Siemens", "-", "Gamesa", "-", "Deal"], (0, 3)),
        (["FDP", "-", "geführte"], (0, 1)),
        (["Grünen", "-", "Spitzenkandidat"], (0, 1)),
        (["Bundes", "-", "SPD"], (2, 3)),
        (["Venusphase"], None),
    ],
)
def test_name_range_finds_the_name_in_a_compound(subwords, expected):
    assert name_range(subwords) == expected


@pytest.mark.parametrize(
    ("subwords", "tag", "part", "annotates_parts", "expected"),
    [
        (["Baden", "-", "Württembergs"], "B-LOC", None, True, ["B-LOC", "I-LOC", "I-LOC"]),
        (["Commerzbank", "-", "Chef"], "O", "ORG", True, ["B-ORG", "O", "O"]),
        (["Hamiltonoperator"], "O", "PER", True, ["O"]),
        (["Polizei", "-", "Einsatz"], "O", None, True, ["O", "O", "O"]),
        # corpora that do not annotate names inside words: a possible name stays unannotated
        (["Commerzbank", "-", "Chef"], "O", None, False, [None, "O", "O"]),
        (["Polizei", "-", "Einsatz"], "O", None, False, ["O", "O", "O"]),
        (["US", "-", "Autobauer"], None, None, False, [None, None, None]),
    ],
)
def test_expand_tag(subwords, tag, part, annotates_parts, expected):
    assert expand_tag(subwords, tag, part, annotates_parts) == expected


def test_germeval_part_becomes_the_name_token(nlp):
    words = ["Der", "Commerzbank-Chef", "Martin", "Blessing", "kam", "nach", "Baden-Württemberg", "."]
    tags = ["O", "O", "B-PER", "I-PER", "O", "O", "B-LOC", "O"]
    parts = [None, "ORG", None, None, None, None, None, None]
    sent = Sentence("germeval2014", words, tags, parts=parts)
    doc = to_doc(nlp, sent, set())
    assert doc.text == "Der Commerzbank-Chef Martin Blessing kam nach Baden-Württemberg."
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Commerzbank", "ORG"),
        ("Martin Blessing", "PER"),
        ("Baden-Württemberg", "LOC"),
    ]
    assert [e.text for e in to_doc(nlp, sent, set(), with_parts=False).ents] == ["Martin Blessing", "Baden-Württemberg"]


def test_retokenized_words_reproduce_the_text(nlp):
    sent = Sentence("wikiann_de", ["Der", "US-Autobauer", "Ford", "."], ["O", "O", "B-ORG", "O"], has_misc=False)
    words, spaces, tags = retokenize(nlp, sent)
    assert words == ["Der", "US", "-", "Autobauer", "Ford", "."]
    assert "".join(w + (" " if s else "") for w, s in zip(words, spaces, strict=True)) == "Der US-Autobauer Ford."
    assert tags == ["O", None, "O", "O", "B-ORG", "O"]


def test_smartdata_span_inside_a_word_aligns_to_its_token(nlp):
    text = "Die Vivantes-Beschäftigten in Berlin streiken."
    sent = Sentence("smartdata", text=text, spans=[(4, 12, "ORG"), (30, 36, "LOC")], has_misc=False)
    assert [(e.text, e.label_) for e in to_doc(nlp, sent, set()).ents] == [("Vivantes", "ORG"), ("Berlin", "LOC")]


def test_map_tags_leaves_unmapped_types_missing():
    tags = map_tags(["B-GRT", "I-GRT", "O", "B-GS", "I-GS", "B-XY"], {"GRT": "ORG"}, frozenset({"GS"}))
    assert tags == ["B-ORG", "I-ORG", "O", None, None, "O"]


def test_read_ler_maps_fine_types(tmp_path):
    path = tmp_path / "ler.conll"
    path.write_text(
        "Der O\nBundesgerichtshof B-GRT\nhat O\n§ B-GS\n823 I-GS\nBGB I-GS\nangewandt O\n. O\n\n"
        "Die O\nKlägerin O\naus O\nKöln B-ST\n. O\n\n",
        encoding="utf-8",
    )
    first, second = read_ler(path)
    assert first.tags == ["O", "B-ORG", "O", None, None, None, "O", "O"]
    assert second.tags[3] == "B-LOC" and not second.has_misc
    assert ler_sample([second, first]) == [second, first]


def test_read_hipe_cuts_sentences_and_documents(tmp_path):
    header = "TOKEN\tNE-COARSE-LIT\tNE-COARSE-METO\tNE-FINE-LIT\tNE-FINE-METO\tNE-FINE-COMP\tNE-NESTED\tNEL-LIT\tNEL-METO\tMISC\n"

    def row(token: str, tag: str, misc: str = "_") -> str:
        return "\t".join([token, tag, "_", "_", "_", "_", "_", "_", "_", misc]) + "\n"

    path = tmp_path / "hipe.tsv"
    path.write_text(
        header
        + "# hipe2022:document_id = a\n"
        + row("Kaiſer", "O")
        + row("Wilhelm", "B-PER")
        + row("reiſte", "O")
        + row("nach", "O")
        + row("Wien", "B-LOC", "NoSpaceAfter")
        + row(".", "O", "EndOfSentence")
        + row("Die", "O")
        + row("Zeitung", "B-HumanProd")
        + "# hipe2022:document_id = b\n"
        + row("Berlin", "B-LOC"),
        encoding="utf-8",
    )
    sentences = list(read_hipe(path, "newseye_de"))
    assert [s.words for s in sentences] == [
        ["Kaiser", "Wilhelm", "reiste", "nach", "Wien", "."],
        ["Die", "Zeitung"],
        ["Berlin"],
    ]
    assert sentences[0].tags == ["O", "B-PER", "O", "O", "B-LOC", "O"]
    assert sentences[1].tags == ["O", "B-MISC"]


def test_smartdata_names_only_drops_adjectives_and_directions_called_places():
    from pipeline.training.convert import names_only

    text = "Die griechische Regierung in Athen bat die Deutsche Bahn, die A1 stadteinwärts zu sperren."
    gold = [("griechische", "LOC"), ("Athen", "LOC"), ("Deutsche Bahn", "ORG"), ("stadteinwärts", "LOC")]
    spans = [[text.index(t), text.index(t) + len(t), label] for t, label in gold]
    [record] = names_only([{"id": "x", "text": text, "entities": spans}])
    assert [text[s:e] for s, e, _ in record["entities"]] == ["Athen", "Deutsche Bahn"]
