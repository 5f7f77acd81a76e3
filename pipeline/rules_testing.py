"""``pressewerk rules test``: golden examples beside each rule file.

``NAME.examples.jsonl`` lines: ``{"text": ..., "expect": [{"text", "label", "id"}], "source": ...}``.
Each example runs through a blank German pipeline (press tokenizer) with only
that file's rules. A rule passes when every span expected from it is found and
it finds nothing unexpected; an example with ``"expect": []`` is a negative test
for every rule of its file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import spacy

from pipeline.nlp.rules import SHIPPED_RULES, RuleError, add_rules, load_rules, rule_files
from pipeline.nlp.tokenizer import customize_tokenizer


@dataclass
class RuleResult:
    rule_id: str
    file: str
    passed: bool
    detail: str = ""


@dataclass
class ExampleResult:
    file: str
    line: int
    passed: bool


@dataclass
class RulesReport:
    """Outcome of ``pressewerk rules test``: per rule, and per example (what the summary counts)."""

    rules: list[RuleResult] = field(default_factory=list)
    examples: list[ExampleResult] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.rules) and all(r.passed for r in self.rules) and all(e.passed for e in self.examples)


def examples_for(rule_file: Path) -> Path:
    return rule_file.with_name(rule_file.name.removesuffix(".jsonl") + ".examples.jsonl")


def _example(line: str, path: Path, lineno: int) -> dict:
    """One example line, checked: ``{"text": str, "expect": [{"text", "label", "id"}, ...]}``."""
    try:
        example = json.loads(line)
    except json.JSONDecodeError as error:
        raise RuleError(f"{path}:{lineno}: not valid JSON ({error.msg})") from error
    expect = example.get("expect", []) if isinstance(example, dict) else None
    if (
        not isinstance(example, dict)
        or not isinstance(example.get("text"), str)
        or not isinstance(expect, list)
        or not all(isinstance(x, dict) and {"text", "label", "id"} <= set(x) for x in expect)
    ):
        raise RuleError(f'{path}:{lineno}: an example is {{"text": ..., "expect": [{{"text", "label", "id"}}]}}')
    return {"text": example["text"], "expect": expect}


def test_rule_file(rule_file: Path) -> RulesReport:
    """Results per rule id and per example of one file (a rule without examples fails)."""
    rules = load_rules([rule_file])
    nlp = customize_tokenizer(spacy.blank("de"))
    add_rules(nlp, rules)
    problems: dict[str, list[str]] = {rule.id: [] for rule in rules}
    tested: set[str] = set()
    examples: list[ExampleResult] = []
    example_path = examples_for(rule_file)
    if example_path.is_file():
        for lineno, line in enumerate(example_path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            example = _example(line, example_path, lineno)
            doc = nlp(example["text"])
            found = {(e.text, e.label_, e.ent_id_) for e in doc.ents}
            expected = {(x["text"], x["label"], x["id"]) for x in example["expect"]}
            tested |= {x[2] for x in expected} if expected else set(problems)
            for text, label, rule_id in expected - found:
                problems.setdefault(rule_id, []).append(f"line {lineno}: missed {label} {text!r}")
            for text, label, rule_id in found - expected:
                problems.setdefault(rule_id, []).append(f"line {lineno}: unexpected {label} {text!r}")
            examples.append(ExampleResult(str(example_path), lineno, found == expected))
    results = []
    for rule_id, messages in problems.items():
        if rule_id not in tested:
            messages = [*messages, f"no example in {example_path.name} expects this rule"]
        results.append(RuleResult(rule_id, str(rule_file), not messages, "; ".join(messages)))
    return RulesReport(results, examples)


def run_rule_tests(folders: list[Path]) -> RulesReport:
    report = RulesReport()
    for rule_file in rule_files(folders or [SHIPPED_RULES]):
        one = test_rule_file(rule_file)
        report.rules.extend(one.rules)
        report.examples.extend(one.examples)
    return report
