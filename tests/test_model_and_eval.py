"""Model resolution, the shipped model, `evaluate` on a gold fixture with known numbers, `convert-gold`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import spacy
from conftest import CORPUS, SHIPPED_MODEL
from hypothesis import given
from hypothesis import strategies as st

from pipeline.evaluate import convert_gold_file, evaluate_file, score
from pipeline.nlp import model as model_module
from pipeline.nlp.model import ModelNotFound, official_model_installed, resolve_model
from pipeline.settings import Settings


def test_shipped_model_loads_and_is_small(shipped_model):
    import pipeline.nlp.registered  # noqa: F401  (what the model's config names)

    nlp = spacy.load(shipped_model)
    assert {"tok2vec", "ner", "sentencizer", "lemmatizer"} <= set(nlp.pipe_names)
    assert set(nlp.get_pipe("ner").labels) == {"PER", "LOC", "ORG", "MISC"}
    meta = json.loads((shipped_model / "meta.json").read_text())
    assert meta["name"] == "pressewerk_ner" and meta["version"] and meta["sources"]
    assert all(source["license"] for source in meta["sources"])
    size = sum(f.stat().st_size for f in shipped_model.rglob("*") if f.is_file())
    assert size <= 40 * 1024 * 1024
    doc = nlp("Stefan Huber vom DIZ sprach am 13.12.2019 in Bruchsal.")
    assert [t.text for t in doc][:3] == ["Stefan", "Huber", "vom"]
    assert doc[0].lemma_


def test_resolution_order(monkeypatch, tmp_path, shipped_model):
    installed: set[str] = set()
    monkeypatch.setattr(model_module, "official_model_installed", lambda name: name in installed)
    assert resolve_model().location == str(SHIPPED_MODEL)
    assert resolve_model().tried == ["de_core_news_lg", "de_core_news_md"]
    installed.add("de_core_news_md")
    assert resolve_model().name == "de_core_news_md"
    installed.add("de_core_news_lg")
    assert resolve_model().name == "de_core_news_lg"
    assert resolve_model(str(SHIPPED_MODEL)).location == str(SHIPPED_MODEL)
    monkeypatch.setattr(model_module, "EMBEDDED_MODEL", tmp_path / "missing")
    installed.clear()
    with pytest.raises(ModelNotFound) as error:
        resolve_model()
    message = str(error.value)
    assert "de_core_news_lg" in message and "de_core_news_md" in message and "official-model" in message
    assert "\n" not in message


def test_placeholder_package_is_not_imported(tmp_path, monkeypatch):
    fake = tmp_path / "de_core_news_md"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise SystemExit('placeholder: aborts on import')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert official_model_installed("de_core_news_md") is False


def test_evaluate_known_numbers(tmp_path, blank_model):
    # The blank model's ruler knows Stefan Huber (PER), Bruchsal (LOC), DIZ (ORG) and not "Jakob Ilg vom DIZ" as MISC.
    gold = tmp_path / "gold.jsonl"
    text = "Stefan Huber traf in Bruchsal das DIZ."
    records = [
        {
            "id": "a",
            "text": text,
            "date": "2019-12-13",
            "entities": [[0, 12, "PER"], [21, 29, "LOC"], [34, 37, "MISC"]],
        },
        {
            "id": "b",
            "text": "Am 9. Dezember 2019 in Köln.",
            "date": None,
            "entities": [[3, 19, "DATE", "2019-12-09"], [23, 27, "LOC"]],
        },
    ]
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    settings = Settings.from_config(model=str(blank_model))
    result = evaluate_file(gold, settings, ["PER", "LOC", "ORG", "MISC", "DATE"])
    assert result["n_docs"] == 2 and result["words_per_second"] > 0
    per_label = result["per_label"]
    assert per_label["PER"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    assert per_label["LOC"]["support"] == 2 and per_label["LOC"]["recall"] == 1.0
    assert per_label["ORG"]["precision"] == 0.0 and per_label["ORG"]["support"] == 0
    assert per_label["MISC"]["recall"] == 0.0
    assert per_label["DATE"]["f1"] == 1.0 and per_label["DATE"]["value_f1"] == 1.0
    # 4 true positives (PER, 2 LOC, DATE), 5 predictions (+ ORG DIZ), 5 gold spans
    assert result["overall"] == {"precision": 0.8, "recall": 0.8, "f1": 0.8, "support": 5}


def test_labels_outside_the_list_are_ignored():
    from pipeline.evaluate import GoldDoc

    gold = GoldDoc("x", "Köln und Bonn", None, [(0, 4, "LOC", None), (9, 13, "ORG", None)])
    predicted = [{"start_char": 0, "end_char": 4, "label": "LOC"}, {"start_char": 9, "end_char": 13, "label": "PER"}]
    result = score([(gold, predicted)], ["LOC"])
    assert result["overall"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}


def test_evaluate_cli_prints_one_json_object(shipped_model):
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "evaluate", "--gold", str(CORPUS / "gold" / "hubwerk01.jsonl"), "--labels", "PER,LOC"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == {"n_docs", "words_per_second", "match", "overall", "per_label", "confusion"}
    assert payload["per_label"]["PER"]["recall"] >= 0.9


GERMEVAL = "#\thttp://example.org\t[2010-01-01]\n1\tStefan\tB-PER\tO\n2\tHuber\tI-PER\tO\n3\tin\tO\tO\n4\tBruchsal\tB-LOC\tO\n5\tliest\tO\tO\n6\tder\tO\tO\n7\tdeutschen\tB-LOCderiv\tO\n8\tTatort\tB-OTH\tO\n9\t.\tO\tO\n"
CONLL = "-DOCSTART- -X- O O\n\nStefan NNP B-NP B-PER\nHuber NNP I-NP I-PER\nin IN B-PP O\nBruchsal NNP B-NP B-LOC\n. . O O\n"
IOB1 = "Stefan\tStefan\tNE\tI-NC\tI-PER\nHuber\tHuber\tNE\tI-NC\tI-PER\nin\tin\tAPPR\tI-PC\tO\nBruchsal\tBruchsal\tNE\tI-PC\tI-LOC\n.\t.\t$.\tO\tO\n"


@pytest.mark.parametrize(("fmt", "content"), [("germeval", GERMEVAL), ("conll", CONLL), ("iob1", IOB1)])
def test_convert_gold(tmp_path, fmt, content):
    source = tmp_path / f"in.{fmt}"
    source.write_text(content, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert convert_gold_file(source, fmt, out) == 1
    record = json.loads(out.read_text(encoding="utf-8"))
    spans = {(record["text"][s:e], label) for s, e, label in record["entities"]}
    assert ("Stefan Huber", "PER") in spans and ("Bruchsal", "LOC") in spans
    if fmt == "germeval":
        assert ("Tatort", "MISC") in spans and not any(text == "deutschen" for text, _ in spans)


@given(st.integers(min_value=0, max_value=2**20))
def test_cluster_prefixes_are_ancestors(cluster):
    from pipeline.nlp.clusters import PREFIX_BITS, _with_prefixes

    full, *prefixes = _with_prefixes(cluster)
    assert full == cluster and len(prefixes) == len(PREFIX_BITS)
    for bits, prefix in zip(PREFIX_BITS, prefixes, strict=True):
        if cluster == 0:
            assert prefix == 0
        else:  # the bit path of an ancestor is a prefix of the cluster's path, at most `bits` long
            assert bin(cluster)[2:].startswith(bin(prefix)[2:]) and prefix.bit_length() - 1 <= bits


def test_shipped_model_embeds_brown_clusters(shipped_model):
    from pipeline.nlp.clusters import _INDEX, CLUSTER_TABLE
    from pipeline.nlp.packed import PackedTable

    nlp = model_module.load_model(resolve_model(str(shipped_model)))
    assert nlp.config["components"]["tok2vec"]["model"]["embed"]["@architectures"] == "pressewerk.LexicalHashEmbed.v1"
    assert len(PackedTable.of(nlp.vocab.lookups.get_table(CLUSTER_TABLE))) > 100_000
    doc = nlp.make_doc("Gerhard Schröder traf Angela Merkel in Xqzvbrkl .")
    columns = _INDEX.columns(doc)
    assert columns.shape == (len(doc), 3)
    assert columns[1, 0] == columns[4, 0] != 0  # two surnames share a cluster
    assert columns[6].tolist() == [0, 0, 0]  # an unknown word has none


@pytest.mark.parametrize(
    ("word", "flag"),
    [
        ("Polizei", "NOUN"),
        ("Wohnungseinbruchdiebstahl", "NOUN_HEAD"),
        ("Enkeltrickbetrügereien", "NOUN_HEAD"),
        ("Stefan", "FIRST_NAME"),
        ("Schröder", "SURNAME"),
        ("Bruchsal", "PLACE"),
        ("Frankreich", "COUNTRY"),
    ],
)
def test_shipped_model_embeds_lexical_flags(shipped_model, word, flag):
    from pipeline.nlp import lexfeatures
    from pipeline.nlp.packed import PackedTable

    nlp = model_module.load_model(resolve_model(str(shipped_model)))
    assert len(PackedTable.of(nlp.vocab.lookups.get_table(lexfeatures.LEXICAL_TABLE))) > 500_000
    doc = nlp.make_doc(f"Gestern kam {word} hinzu .")
    flags, _ = lexfeatures.token_features(doc)[2]
    assert flags & getattr(lexfeatures, flag)
    assert lexfeatures.token_features(doc)[1][1] > 0  # "kam" is a frequent word
    assert lexfeatures.token_features(nlp.make_doc("Xqzvbrkl"))[0] == (0, 0)


def test_shipped_model_splits_compounds_after_names(shipped_model):
    nlp = model_module.load_model(resolve_model(str(shipped_model)))
    assert [t.text for t in nlp.make_doc("Der Commerzbank-Chef")] == ["Der", "Commerzbank", "-", "Chef"]
    assert [t.text for t in spacy.load(shipped_model).make_doc("US-Autobauer")] == ["US", "-", "Autobauer"]


def test_the_character_level_embedding_gives_one_vector_of_the_model_width_per_token(shipped_model):
    """``pressewerk.LexicalCharEmbed.v1``, the character-level variant measured for the model card."""
    from pipeline.nlp.lexfeatures import LexicalCharEmbed

    nlp = model_module.load_model(resolve_model(str(shipped_model)), model_only=True)
    docs = [nlp.make_doc("Die Polizei Berlin sucht Zeugen ."), nlp.make_doc("Xqzvbrkl")]
    embed = LexicalCharEmbed(64, ["NORM", "PREFIX", "SUFFIX", "SHAPE"], [500, 100, 100, 50], [100, 50, 20], [16, 8])
    embed.initialize(X=docs)
    vectors = embed.predict(docs)
    assert [v.shape for v in vectors] == [(len(docs[0]), 64), (1, 64)]
