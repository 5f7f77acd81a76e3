"""``pressewerk rules test``: golden examples beside each rule file.

``NAME.examples.jsonl`` lines: ``{"text": ..., "expect": [{"text", "label", "id"}], "rule": ..., "source": ...}``.
Each example runs through a blank German pipeline (press tokenizer) with only
that file's rules. A rule passes when every span expected from it is found and
it finds nothing unexpected. Every rule needs an example of its own: one that
expects a span from it, or a negative example (``"expect": []``) naming it in
``"rule"``; a negative example without ``"rule"`` checks the whole file but
tests no rule in particular. Unknown keys are an error.
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


EXAMPLE_KEYS = ("text", "expect", "rule", "source")
EXPECT_KEYS = ("text", "label", "id")
SHAPE = '{"text": ..., "expect": [{"text", "label", "id"}], "rule": RULE_ID (negative examples), "source": ...}'


def _example(line: str, path: Path, lineno: int) -> dict:
    """One example line, checked: ``{"text": str, "expect": [{"text", "label", "id"}, ...], "rule": id}``."""
    where = f"{path}:{lineno}"
    try:
        example = json.loads(line)
    except json.JSONDecodeError as error:
        raise RuleError(f"{where}: not valid JSON ({error.msg})") from error
    if not isinstance(example, dict):
        raise RuleError(f"{where}: an example is {SHAPE}")
    unknown = sorted(set(example) - set(EXAMPLE_KEYS))
    if unknown:
        raise RuleError(f"{where}: unknown keys {unknown}; an example has {', '.join(EXAMPLE_KEYS)}")
    expect = example.get("expect", [])
    if not isinstance(example.get("text"), str) or not isinstance(expect, list):
        raise RuleError(f"{where}: an example is {SHAPE}")
    for item in expect:
        if not isinstance(item, dict) or set(item) != set(EXPECT_KEYS):
            keys = sorted(item) if isinstance(item, dict) else item
            raise RuleError(f"{where}: each expected span has exactly {', '.join(EXPECT_KEYS)}, got {keys}")
    rule = example.get("rule")
    if rule is not None and not isinstance(rule, str):
        raise RuleError(f"{where}: 'rule' must be the id of the rule a negative example tests")
    return {"text": example["text"], "expect": expect, "rule": rule}


def test_rule_file(rule_file: Path) -> RulesReport:
    """Results per rule id and per example of one file.

    A rule counts as tested only by an example of its own: one that expects a span from it, or a
    negative example (``"expect": []``) naming it in ``"rule"``. A rule without one fails.
    """
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
            if example["rule"] is not None and example["rule"] not in problems:
                raise RuleError(
                    f"{example_path}:{lineno}: 'rule' names {example['rule']!r}, not a rule of {rule_file.name}"
                )
            doc = nlp(example["text"])
            found = {(e.text, e.label_, e.ent_id_) for e in doc.ents}
            expected = {(x["text"], x["label"], x["id"]) for x in example["expect"]}
            tested |= {x[2] for x in expected}
            if example["rule"] is not None:
                tested.add(example["rule"])
            for text, label, rule_id in expected - found:
                problems.setdefault(rule_id, []).append(f"line {lineno}: missed {label} {text!r}")
            for text, label, rule_id in found - expected:
                problems.setdefault(rule_id, []).append(f"line {lineno}: unexpected {label} {text!r}")
            examples.append(ExampleResult(str(example_path), lineno, found == expected))
    results = []
    for rule_id, messages in problems.items():
        if rule_id not in tested:
            messages = [*messages, f"no example in {example_path.name} expects this rule or names it in 'rule'"]
        results.append(RuleResult(rule_id, str(rule_file), not messages, "; ".join(messages)))
    return RulesReport(results, examples)


def run_rule_tests(folders: list[Path]) -> RulesReport:
    report = RulesReport()
    for rule_file in rule_files(folders or [SHIPPED_RULES]):
        one = test_rule_file(rule_file)
        report.rules.extend(one.rules)
        report.examples.extend(one.examples)
    return report
