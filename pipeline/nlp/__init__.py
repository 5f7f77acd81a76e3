"""NLP stage: the resolved German model plus Pressewerk's rule and date components."""

from __future__ import annotations

import json
from pathlib import Path

from spacy.language import Language

from pipeline.nlp import dates, entity_sense, filters, places, resolution  # noqa: F401  (register the pressewerk_* factories)
from pipeline.nlp.gated_matcher import gate_entity_ruler
from pipeline.nlp.model import ModelChoice, load_model, resolve_model
from pipeline.nlp.rules import RULER_NAME, Rule, add_rules, load_rules

COMPONENT_PREFIX = "pressewerk_"


def build_nlp(
    model: str | None,
    rules: list[str],
    components: list[str],
    rules_before_model: bool = True,
    overwrite_ents: bool = False,
) -> tuple[Language, ModelChoice]:
    """Load the model with the configured rules and Pressewerk components; invalid rules raise before any document.

    The shipped model already holds both (``spacy.load`` gives the whole pipeline); it is used as
    loaded when its rules and components are the configured ones, else they are replaced.
    """
    loaded_rules = load_rules([Path(r) for r in rules])
    choice = resolve_model(model)
    nlp = load_model(choice)
    complete_pipeline(nlp, loaded_rules, components, rules_before_model, overwrite_ents)
    return nlp, choice


def _pattern_key(patterns: list[dict]) -> list[str]:
    return sorted(json.dumps(p, sort_keys=True, ensure_ascii=False) for p in patterns)


def complete_pipeline(
    nlp: Language,
    rules: list[Rule],
    components: list[str],
    rules_before_model: bool = True,
    overwrite_ents: bool = False,
) -> Language:
    """Make ``nlp`` hold exactly ``rules`` (an entity ruler) and the Pressewerk ``components``, in order.

    What the pipeline already holds is kept when it matches (a packaged Pressewerk pipeline);
    anything else is removed and added as asked.
    """
    if RULER_NAME in nlp.pipe_names:
        ruler = nlp.get_pipe(RULER_NAME)
        names = nlp.pipe_names
        before = "ner" not in names or names.index(RULER_NAME) < names.index("ner")
        same = _pattern_key(ruler.patterns) == _pattern_key([r.as_pattern() for r in rules])
        if not (same and before == rules_before_model and ruler.overwrite == overwrite_ents):
            nlp.remove_pipe(RULER_NAME)
        else:
            gate_entity_ruler(ruler)  # a ruler loaded from disk has spaCy's plain Matcher
    if RULER_NAME not in nlp.pipe_names:
        add_rules(nlp, rules, before_model=rules_before_model, overwrite_ents=overwrite_ents)
    present = [name for name in nlp.pipe_names if name.startswith(COMPONENT_PREFIX) and name != RULER_NAME]
    if present != list(components):
        for name in present:
            nlp.remove_pipe(name)
        for name in components:
            nlp.add_pipe(name, last=True)
    return nlp
