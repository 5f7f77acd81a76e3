"""``pressewerk rules test``: golden examples beside each rule file.

``NAME.examples.jsonl`` lines: ``{"text": ..., "expect": [{"text", "label", "id"}], "source": ...}``.
Each example runs through a blank German pipeline (press tokenizer) with only
that file's rules. A rule passes when every span expected from it is found and
it finds nothing unexpected; an example with ``"expect": []`` is a negative test
for every rule of its file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import spacy

from pipeline.nlp.rules import SHIPPED_RULES, add_rules, load_rules, rule_files
from pipeline.nlp.tokenizer import customize_tokenizer


@dataclass
class RuleResult:
    rule_id: str
    file: str
    passed: bool
    detail: str = ""


def examples_for(rule_file: Path) -> Path:
    return rule_file.with_name(rule_file.name.removesuffix(".jsonl") + ".examples.jsonl")


def test_rule_file(rule_file: Path) -> list[RuleResult]:
    """Results per rule id of one file (a rule without examples fails)."""
    rules = load_rules([rule_file])
    nlp = customize_tokenizer(spacy.blank("de"))
    add_rules(nlp, rules)
    problems: dict[str, list[str]] = {rule.id: [] for rule in rules}
    tested: set[str] = set()
    example_path = examples_for(rule_file)
    if example_path.is_file():
        for lineno, line in enumerate(example_path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            example = json.loads(line)
            doc = nlp(example["text"])
            found = {(e.text, e.label_, e.ent_id_) for e in doc.ents}
            expected = {(x["text"], x["label"], x["id"]) for x in example.get("expect", [])}
            tested |= {x[2] for x in expected} if expected else set(problems)
            for text, label, rule_id in expected - found:
                problems.setdefault(rule_id, []).append(f"line {lineno}: missed {label} {text!r}")
            for text, label, rule_id in found - expected:
                problems.setdefault(rule_id, []).append(f"line {lineno}: unexpected {label} {text!r}")
    results = []
    for rule_id, messages in problems.items():
        if rule_id not in tested:
            messages = [*messages, f"no example in {example_path.name} expects this rule"]
        results.append(RuleResult(rule_id, str(rule_file), not messages, "; ".join(messages)))
    return results


def run_rule_tests(folders: list[Path]) -> list[RuleResult]:
    results: list[RuleResult] = []
    for rule_file in rule_files(folders or [SHIPPED_RULES]):
        results.extend(test_rule_file(rule_file))
    return results
