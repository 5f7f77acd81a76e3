"""NLP stage: the resolved German model plus Pressewerk's rule and date components."""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language

from pipeline.nlp import dates, entity_sense, filters, places, resolution  # noqa: F401  (register the pressewerk_* factories)
from pipeline.nlp.model import ModelChoice, load_model, resolve_model
from pipeline.nlp.rules import add_rules, load_rules


def build_nlp(
    model: str | None,
    rules: list[str],
    components: list[str],
    rules_before_model: bool = True,
    overwrite_ents: bool = False,
) -> tuple[Language, ModelChoice]:
    """Load the model, add rules and Pressewerk components; invalid rules raise before any document."""
    loaded_rules = load_rules([Path(r) for r in rules])
    choice = resolve_model(model)
    nlp = load_model(choice)
    add_rules(nlp, loaded_rules, before_model=rules_before_model, overwrite_ents=overwrite_ents)
    for name in components:
        nlp.add_pipe(name, last=True)
    return nlp, choice
