"""Extraction rules: spaCy EntityRuler pattern files (JSONL) developers add without code.

Each line of ``models/rules/*.jsonl`` (and of every ``--rules DIR``) is
``{"label": "ORG", "pattern": "..." | [token patterns], "id": "rule-id"}``.
Mentions found by a rule carry ``source = "rule:<id>"``.

Precedence (documented in the README): rules run *before* the statistical NER by
default, so the model keeps what a rule found and predicts around it; within the
rules the longest span wins; with ``overwrite_ents`` rules placed *after* the
model replace overlapping model entities.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from spacy.errors import MatchPatternError
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.vocab import Vocab

from pipeline.nlp.gated_matcher import gate_entity_ruler
from pipeline.nlp.model import PROJECT_ROOT

SHIPPED_RULES = PROJECT_ROOT / "models" / "rules"
RULER_NAME = "pressewerk_rules"
# Labels of the date component (TIMEX3 types): a rule emitting them would make date rows without values.
RESERVED_LABELS = ("DATE", "TIME", "DURATION", "SET")
_LABEL = re.compile(r"^[A-Z][A-Z0-9_]*$")


class RuleError(ValueError):
    """An invalid rule; the message is ``FILE:LINE rule-id: reason`` (``FILE:LINE: reason`` without an id)."""


# One problem in spaCy's pattern validation: "- [pattern -> 0 -> LOWR] Extra inputs are not permitted".
_PATTERN_PROBLEM = re.compile(r"^- \[pattern -> (?P<token>\d+) -> (?P<path>[^\]]+)\] (?P<message>.+)$", re.MULTILINE)


def pattern_problem(error_text: str) -> str:
    """The first problem of a spaCy pattern validation error, in words: "key 'LOWR' is not a token attribute"."""
    found = _PATTERN_PROBLEM.search(error_text)
    if found is None:
        return "invalid token pattern: " + " ".join(error_text.split())
    token = int(found["token"]) + 1
    path = [part.strip() for part in found["path"].split("->")]
    key, message = path[-1], found["message"].strip()
    if message.startswith("Extra inputs are not permitted"):
        if len(path) == 1:
            return f"key '{key}' is not a token attribute (token {token})"
        return f"key '{key}' is not allowed inside '{path[0]}' (token {token})"
    return f"invalid value for '{path[0]}' (token {token}): {message}"


def bad_regex(pattern: list) -> str | None:
    """The first ``REGEX`` value of a token pattern that does not compile, in words; None when all compile."""
    for number, token in enumerate(pattern, start=1):
        if not isinstance(token, dict):
            continue
        for key, value in token.items():
            if not isinstance(value, dict) or "REGEX" not in value:
                continue
            expression = value["REGEX"]
            try:
                re.compile(expression)
            except (re.error, TypeError) as error:
                return f"regex {expression!r} of '{key}' does not compile (token {number}): {error}"
    return None


@dataclass(frozen=True)
class Rule:
    """One validated pattern line of a rule file."""

    label: str
    pattern: str | list
    id: str
    file: str
    line: int

    def as_pattern(self) -> dict:
        return {"label": self.label, "pattern": self.pattern, "id": self.id}


def rule_files(dirs: list[Path]) -> list[Path]:
    """Pattern files in ``dirs`` (sorted), examples files excluded."""
    files: list[Path] = []
    for folder in dirs:
        if folder.is_file():
            files.append(folder)
            continue
        if not folder.is_dir():
            raise RuleError(f"{folder}:0: rules folder does not exist")
        files.extend(p for p in sorted(folder.glob("*.jsonl")) if not p.name.endswith(".examples.jsonl"))
    return files


def parse_rule(line: str, file: Path, lineno: int, matcher: Matcher) -> Rule:
    """Validate one JSONL line; raise :class:`RuleError` with ``FILE:LINE rule-id: reason``."""
    where = f"{file}:{lineno}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise RuleError(f"{where}: not valid JSON ({error.msg})") from error
    if not isinstance(record, dict):
        raise RuleError(f"{where}: a rule must be a JSON object")
    rule_id = record.get("id") or f"{file.stem}:{lineno}"
    if not isinstance(rule_id, str):
        raise RuleError(f"{where}: 'id' must be a string")
    if "id" in record:
        where = f"{where} {rule_id}"
    unknown = set(record) - {"label", "pattern", "id"}
    if unknown:
        raise RuleError(f"{where}: unknown keys {sorted(unknown)}")
    label, pattern = record.get("label"), record.get("pattern")
    if not isinstance(label, str) or not label.strip():
        raise RuleError(f"{where}: 'label' must be a non-empty string")
    if not _LABEL.match(label):
        raise RuleError(f"{where}: label {label!r} must be upper-case letters, digits or _ ({label.upper()!r})")
    if label in RESERVED_LABELS:
        raise RuleError(
            f"{where}: label {label!r} is reserved for the date component ({', '.join(RESERVED_LABELS)}); "
            "use another label such as EVENT"
        )
    if isinstance(pattern, str):
        if not pattern.strip():
            raise RuleError(f"{where}: phrase pattern is empty")
    elif isinstance(pattern, list) and pattern:
        regex_problem = bad_regex(pattern)
        if regex_problem:
            raise RuleError(f"{where}: {regex_problem}")
        try:
            matcher.add(f"check-{lineno}", [pattern])
        except (MatchPatternError, ValueError, TypeError, KeyError) as error:
            raise RuleError(f"{where}: {pattern_problem(str(error))}") from error
    else:
        raise RuleError(f"{where}: 'pattern' must be a phrase string or a non-empty list of token patterns")
    return Rule(label, pattern, rule_id, str(file), lineno)


def load_rules(dirs: list[Path]) -> list[Rule]:
    """All rules of all files; the first invalid line stops everything."""
    matcher = Matcher(Vocab(), validate=True)
    rules: list[Rule] = []
    for file in rule_files(dirs):
        for lineno, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip() and not line.lstrip().startswith("//"):
                rules.append(parse_rule(line, file, lineno, matcher))
    return rules


def add_rules(nlp: Language, rules: list[Rule], before_model: bool = True, overwrite_ents: bool = False) -> None:
    """Add an EntityRuler holding ``rules`` before (default) or after the NER."""
    if not rules:
        return
    anchor = {"before": "ner"} if before_model else {"after": "ner"}
    if "ner" not in nlp.pipe_names:
        anchor = {}
    ruler = nlp.add_pipe(
        "entity_ruler",
        name=RULER_NAME,
        config={"overwrite_ents": overwrite_ents, "validate": True, "phrase_matcher_attr": "ORTH"},
        **anchor,
    )
    ruler.add_patterns([rule.as_pattern() for rule in rules])
    gate_entity_ruler(ruler)  # each doc runs only the token patterns it can satisfy: same matches, less work
