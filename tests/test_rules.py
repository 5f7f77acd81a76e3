"""Rule files: validation with FILE:LINE, precedence, `pressewerk rules test`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from conftest import SAMPLE

from pipeline.nlp.rules import RuleError, add_rules, load_rules
from pipeline.nlp.tokenizer import customize_tokenizer
from pipeline.rules_testing import run_rule_tests


def write(folder: Path, name: str, lines: list[object]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines) + "\n"
    )
    return path


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"label": "ORG", "pattern": [{"TEXTT": "x"}]}', "key 'TEXTT' is not a token attribute (token 1)"),
        ('{"label": "ORG", "pattern": [{"OP": "!!"}]}', "invalid value for 'OP' (token 1)"),
        ('{"label": "ORG", "pattern": [{"TEXT": "a"}, {"IS_DIGIT": "ja"}]}', "invalid value for 'IS_DIGIT' (token 2)"),
        ('{"label": "ORG", "pattern": [{"TEXT": {"REGEXX": "^a"}}]}', "key 'REGEXX' is not allowed inside 'TEXT'"),
        ('{"label": "ORG" "pattern": "x"}', "not valid JSON"),
        ('{"pattern": "x"}', "'label' must be a non-empty string"),
        ('{"label": "ORG", "pattern": 5}', "'pattern' must be"),
        ('{"label": "ORG", "pattern": "x", "colour": "red"}', "unknown keys"),
    ],
)
def test_invalid_rule_names_file_and_line(tmp_path, line, reason):
    path = write(tmp_path, "bad.jsonl", [{"label": "ORG", "pattern": "DIZ", "id": "ok"}, line])
    with pytest.raises(RuleError) as error:
        load_rules([tmp_path])
    assert str(error.value).startswith(f"{path}:2: ")
    assert reason in str(error.value)


def test_invalid_rule_names_its_id_and_bad_key(tmp_path):
    line = '{"label": "ORG", "pattern": [{"LOWER": "polizei"}, {"LOWR": "berlin"}], "id": "org-polizei"}'
    path = write(tmp_path, "bad.jsonl", [{"label": "ORG", "pattern": "DIZ", "id": "ok"}, line])
    with pytest.raises(RuleError) as error:
        load_rules([tmp_path])
    assert str(error.value) == f"{path}:2 org-polizei: key 'LOWR' is not a token attribute (token 2)"
    cli = subprocess.run(
        [sys.executable, "-m", "pipeline", "rules", "test", str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert cli.returncode == 2
    assert "bad.jsonl:2 org-polizei: key 'LOWR' is not a token attribute" in " ".join(cli.stderr.split())


def test_rules_test_counts_examples_not_rules(tmp_path):
    write(tmp_path, "p.jsonl", [{"label": "ORG", "pattern": [{"LOWER": "polizei"}, {"LOWER": "berlin"}], "id": "pb"}])
    write(tmp_path, "p.examples.jsonl", [
        {"text": "Die Polizei Berlin ermittelt.", "expect": [{"text": "Polizei Berlin", "label": "ORG", "id": "pb"}]},
        {"text": "Die polizei berlin meldet einen Einbruch.", "expect": [{"text": "polizei berlin", "label": "ORG", "id": "pb"}]},
        {"text": "Die Polizei in Berlin meldet nichts.", "expect": []},
        {"text": "Polizei Berlin und Polizei Berlin.", "expect": [{"text": "Polizei Berlin", "label": "ORG", "id": "pb"}]},
    ])  # fmt: skip
    report = run_rule_tests([tmp_path])
    assert [e.passed for e in report.examples] == [True, True, True, True] and report.passed
    cli = subprocess.run(
        [sys.executable, "-m", "pipeline", "rules", "test", str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert cli.returncode == 0 and "4 of 4 examples passed, 0 failed (1 rules" in cli.stdout


def test_broken_example_line_is_a_usage_error(tmp_path):
    write(tmp_path, "p.jsonl", [{"label": "ORG", "pattern": "DIZ", "id": "diz"}])
    write(tmp_path, "p.examples.jsonl", ['{"text": "DIZ", "expect": [{"text": "DIZ"}]}'])
    with pytest.raises(RuleError, match=r"p\.examples\.jsonl:1: each expected span has exactly text, label, id"):
        run_rule_tests([tmp_path])


def test_invalid_rule_stops_run_before_any_document(tmp_path):
    write(tmp_path / "rules", "bad.jsonl", ['{"label": "ORG", "pattern": [{"TEXTT": "x"}]}'])
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(SAMPLE), "--out", str(out), "--rules", str(tmp_path / "rules"), "--quiet"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 2
    assert "bad.jsonl:1:" in result.stderr
    assert not (out / "documents.parquet").exists()


def _nlp_with_model_entity(before_model: bool, overwrite: bool):
    """A pipeline whose "model" (a ruler named ner) tags "Digital Hub" as ORG."""
    nlp = customize_tokenizer(spacy.blank("de"))
    nlp.add_pipe("entity_ruler", name="ner").add_patterns([{"label": "ORG", "pattern": "Digital Hub"}])
    rules = load_rules(
        [
            write(
                Path(nlp.path or "/tmp") / "pw-rules-test",
                "r.jsonl",
                [{"label": "MISC", "pattern": "Digital Hub-Netzwerk", "id": "hub-net"}],
            )
        ]
    )
    add_rules(nlp, rules, before_model=before_model, overwrite_ents=overwrite)
    return nlp


def test_precedence():
    text = "Das Digital Hub-Netzwerk wächst."
    before = _nlp_with_model_entity(before_model=True, overwrite=False)(text)
    assert [(e.text, e.label_, e.id_) for e in before.ents] == [("Digital Hub-Netzwerk", "MISC", "hub-net")]


def test_shipped_rules_pass_their_examples():
    report = run_rule_tests([])
    assert report.passed, [r for r in report.rules if not r.passed]
    assert len(report.examples) > len(report.rules)  # several examples per rule


def test_rules_test_reports_failure(tmp_path):
    write(tmp_path, "p.jsonl", [{"label": "PRODUCT", "pattern": [{"LOWER": "iphone"}], "id": "iphone"}])
    write(
        tmp_path,
        "p.examples.jsonl",
        [{"text": "Das neue iPhone 15.", "expect": [{"text": "iPhone 15", "label": "PRODUCT", "id": "iphone"}]}],
    )
    report = run_rule_tests([tmp_path])
    assert [(r.rule_id, r.passed) for r in report.rules] == [("iphone", False)]
    assert "missed PRODUCT 'iPhone 15'" in report.rules[0].detail
    cli = subprocess.run(
        [sys.executable, "-m", "pipeline", "rules", "test", str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert cli.returncode == 1 and "FAIL iphone" in cli.stdout


def test_tutorial_rule_runs_end_to_end(tmp_path, blank_model):
    rules = tmp_path / "myrules"
    write(
        rules,
        "products.jsonl",
        [
            {
                "label": "PRODUCT",
                "pattern": [{"LOWER": "iphone"}, {"TEXT": {"REGEX": "^\\d+$"}, "OP": "?"}],
                "id": "product-iphone",
            }
        ],
    )
    write(rules, "products.examples.jsonl", [
        {"text": "Das neue iPhone 15 kommt im Herbst.", "expect": [{"text": "iPhone 15", "label": "PRODUCT", "id": "product-iphone"}]},
        {"text": "Die Polizei meldet einen Unfall.", "expect": []},
    ])  # fmt: skip
    assert run_rule_tests([rules]).passed
    doc = tmp_path / "in.txt"
    doc.write_text("Apple stellt in Berlin das iPhone 15 vor.", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(doc), "--out", str(out), "--rules", str(rules), "--model", str(blank_model), "--quiet"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    import pandas as pd

    mentions = pd.read_parquet(out / "mentions.parquet")
    row = mentions[mentions["label"] == "PRODUCT"].iloc[0]
    assert (row["text"], row["source"]) == ("iPhone 15", "rule:product-iphone")


def test_rules_after_model_with_overwrite(tmp_path):
    text = "Das Digital Hub Netzwerk wächst."
    cases = ((False, [("Digital Hub", "ORG", "")]), (True, [("Digital Hub Netzwerk", "MISC", "hub-net")]))
    for overwrite, expected in cases:
        nlp = customize_tokenizer(spacy.blank("de"))
        nlp.add_pipe("entity_ruler", name="ner").add_patterns([{"label": "ORG", "pattern": "Digital Hub"}])
        rule = {"label": "MISC", "pattern": "Digital Hub Netzwerk", "id": "hub-net"}
        add_rules(
            nlp,
            load_rules([write(tmp_path / str(overwrite), "r.jsonl", [rule])]),
            before_model=False,
            overwrite_ents=overwrite,
        )
        doc = nlp(text)
        assert [(e.text, e.label_, e.id_) for e in doc.ents] == expected, overwrite


def test_python_stage_extension_point(tmp_path, blank_model):
    """A stage registered by a plugin module and listed in the config runs without editing the package."""
    plugin = tmp_path / "plugin_stage.py"
    plugin.write_text(
        "from pipeline.normalise import register_stage\n\n"
        "@register_stage('shout')\n"
        "class Shout:\n"
        "    def __call__(self, item):\n"
        "        item.fields['title'] = (item.document.title or '').upper()\n"
        "        return item\n"
    )
    from pipeline.settings import DEFAULT_CONFIG

    config = tmp_path / "my.cfg"
    config.write_text(DEFAULT_CONFIG.read_text().replace('"relations"]', '"relations", "shout"]'))
    runner = (
        "import sys, plugin_stage\nfrom pipeline.cli import main\nsys.argv = ['pressewerk'] + sys.argv[1:]\nmain()\n"
    )
    doc = tmp_path / "in.txt"
    doc.write_text("Meldung aus Köln\n\nDie Polizei Berlin meldet einen Einsatz.", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", runner, "run", str(doc), "--out", str(tmp_path / "out"), "--config", str(config), "--model", str(blank_model), "--quiet"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    import pandas as pd

    assert pd.read_parquet(tmp_path / "out" / "documents.parquet").iloc[0]["title"] == "MELDUNG AUS KÖLN"


def test_unknown_stage_is_a_config_error():
    from pipeline.normalise import build_stages

    with pytest.raises(ValueError, match="unknown normaliser stage"):
        build_stages(["mentions", "no-such-stage"])


def test_entity_filter_drops_lower_case_names_and_relabels_digit_names():
    from spacy.tokens import Span

    from pipeline.nlp.filters import EntityFilter
    from pipeline.nlp.tokenizer import customize_tokenizer

    nlp = customize_tokenizer(spacy.blank("de"))
    doc = nlp("Gastgeber war das Hubwerk01 , Stefan Huber sprach , die deutschen Gäste kamen aus 2019 .")
    doc.ents = [
        Span(doc, 3, 4, label="PER"),  # Hubwerk01
        Span(doc, 5, 7, label="PER"),  # Stefan Huber
        Span(doc, 10, 11, label="LOC"),  # deutschen
        Span(doc, 14, 15, label="ORG"),  # 2019
    ]
    doc = EntityFilter()(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Hubwerk01", "ORG"), ("Stefan Huber", "PER")]


def test_consistent_entities_label_unlabelled_repeats_only_when_unambiguous():
    from spacy.tokens import Span

    from pipeline.nlp.filters import ConsistentEntities
    from pipeline.nlp.tokenizer import customize_tokenizer

    nlp = customize_tokenizer(spacy.blank("de"))
    text = "Hubwerk01 öffnet . Vorstand des Hubwerk01 ist Stefan Huber , Huber und Bruchsal , Bruchsal ."
    doc = nlp(text)
    doc.ents = [
        Span(doc, 0, 1, label="ORG"),  # Hubwerk01 (the second one is missed)
        Span(doc, 7, 9, label="PER"),  # Stefan Huber
        Span(doc, 10, 11, label="PER"),  # Huber
        Span(doc, 12, 13, label="LOC"),  # Bruchsal ...
        Span(doc, 14, 15, label="ORG"),  # ... and Bruchsal again, read two ways: left alone
    ]
    doc = ConsistentEntities()(doc)
    assert [(e.start, e.text, e.label_) for e in doc.ents] == [
        (0, "Hubwerk01", "ORG"),
        (5, "Hubwerk01", "ORG"),
        (7, "Stefan Huber", "PER"),
        (10, "Huber", "PER"),
        (12, "Bruchsal", "LOC"),
        (14, "Bruchsal", "ORG"),
    ]


def test_consistent_entities_give_a_repeat_the_referent_its_name_has_elsewhere():
    from spacy.tokens import Span

    from pipeline.nlp.filters import ConsistentEntities
    from pipeline.nlp.tokenizer import customize_tokenizer

    nlp = customize_tokenizer(spacy.blank("de"))
    doc = nlp("Der Fotograf Jürg Christandl klagt . Christandl sagt das . Christandl und der Verlag klagten .")
    doc.ents = [
        Span(doc, 2, 4, label="PER"),  # Jürg Christandl
        Span(doc, 6, 7, label="PER", kb_id="Jürg Christandl"),  # resolved by name resolution
    ]  # the sentence-initial third one is missed by the model
    doc = ConsistentEntities()(doc)
    assert [(e.start, e.kb_id_) for e in doc.ents] == [(2, ""), (6, "Jürg Christandl"), (10, "Jürg Christandl")]


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        (
            {"label": "ORG", "pattern": [{"TEXT": {"REGEX": "(Polizei"}}], "id": "org-regex"},
            "org-regex: regex '(Polizei' of 'TEXT' does not compile (token 1): missing ), unterminated subpattern",
        ),
        ({"label": "org", "pattern": "Polizei Berlin", "id": "lower"}, "lower: label 'org' must be upper-case"),
        ({"label": "DATE", "pattern": "Tag der Einheit", "id": "feiertag"}, "feiertag: label 'DATE' is reserved"),
        ({"label": "SET", "pattern": [{"LOWER": "täglich"}], "id": "jeden"}, "jeden: label 'SET' is reserved"),
    ],
)
def test_rule_mistakes_are_one_line_errors(tmp_path, rule, reason):
    path = write(tmp_path, "bad.jsonl", [{"label": "ORG", "pattern": "DIZ", "id": "ok"}, rule])
    with pytest.raises(RuleError) as error:
        load_rules([tmp_path])
    assert str(error.value).startswith(f"{path}:2 ") and reason in str(error.value)
    assert "\n" not in str(error.value)


def test_bad_regex_is_exit_2_in_run_and_rules_test(tmp_path):
    write(tmp_path / "rules", "r.jsonl", [{"label": "ORG", "pattern": [{"LOWER": {"REGEX": "^polizei["}}], "id": "rx"}])
    expected = f"{tmp_path / 'rules' / 'r.jsonl'}:1 rx: regex '^polizei[' of 'LOWER' does not compile (token 1)"
    for command in (
        ["rules", "test", str(tmp_path / "rules")],
        ["run", str(SAMPLE), "--out", str(tmp_path / "out"), "--rules", str(tmp_path / "rules"), "--quiet"],
    ):
        cli = subprocess.run([sys.executable, "-m", "pipeline", *command], capture_output=True, text=True, timeout=300)
        assert cli.returncode == 2, cli.stderr
        assert len(cli.stderr.strip().splitlines()) == 1 and expected in cli.stderr, cli.stderr


def test_example_keys_are_checked(tmp_path):
    write(tmp_path, "p.jsonl", [{"label": "ORG", "pattern": "DIZ", "id": "diz"}])
    write(tmp_path, "p.examples.jsonl", [{"text": "Das DIZ lädt ein.", "expected": [], "expect": []}])
    with pytest.raises(RuleError, match=r"p\.examples\.jsonl:1: unknown keys \['expected'\]"):
        run_rule_tests([tmp_path])
    write(tmp_path, "p.examples.jsonl", [{"text": "DIZ", "expect": [{"text": "DIZ", "label": "ORG", "idd": "diz"}]}])
    with pytest.raises(RuleError, match=r"p\.examples\.jsonl:1: each expected span has exactly text, label, id"):
        run_rule_tests([tmp_path])


def test_every_rule_needs_an_example_of_its_own(tmp_path):
    write(tmp_path, "p.jsonl", [
        {"label": "ORG", "pattern": "Digitale Innovationszentrum", "id": "diz"},
        {"label": "ORG", "pattern": [{"LOWER": "hubwerk01"}], "id": "hubwerk"},
    ])  # fmt: skip
    diz = {"text": "Das Digitale Innovationszentrum lädt ein.",
           "expect": [{"text": "Digitale Innovationszentrum", "label": "ORG", "id": "diz"}]}  # fmt: skip
    write(tmp_path, "p.examples.jsonl", [diz, {"text": "Ein Hubwerk gibt es in Bruchsal nicht.", "expect": []}])
    report = run_rule_tests([tmp_path])
    assert {r.rule_id: r.passed for r in report.rules} == {"diz": True, "hubwerk": False}
    assert "no example" in next(r.detail for r in report.rules if r.rule_id == "hubwerk")
    negative = {"text": "Ein Hubwerk gibt es in Bruchsal nicht.", "expect": [], "rule": "hubwerk"}
    write(tmp_path, "p.examples.jsonl", [diz, negative])
    assert {r.rule_id: r.passed for r in run_rule_tests([tmp_path]).rules} == {"diz": True, "hubwerk": True}
    write(tmp_path, "p.examples.jsonl", [diz, {**negative, "rule": "hubwerk2"}])
    with pytest.raises(RuleError, match=r"'rule' names 'hubwerk2', not a rule of p\.jsonl"):
        run_rule_tests([tmp_path])


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (('"dates", "entities"', '"datse", "entities"'), "unknown normaliser stage 'datse' in "),
        (('"pressewerk_places"', '"pressewerk_place"'), "unknown spaCy component 'pressewerk_place' in "),
    ],
)
def test_unknown_config_names_are_one_line_errors(tmp_path, edit, expected):
    from pipeline.settings import DEFAULT_CONFIG

    config = tmp_path / "pressewerk.cfg"
    config.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    cli = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(SAMPLE), "-o", str(tmp_path / "out"), "--config", str(config)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert cli.returncode == 2
    message = " ".join(cli.stderr.split())
    assert expected in message and "(did you mean" in message and "valid: " in message, cli.stderr
    assert not (tmp_path / "out" / "documents.parquet").exists()
