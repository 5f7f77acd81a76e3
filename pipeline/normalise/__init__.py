"""Normaliser stages; importing this package registers the built-in ones."""

from pipeline.normalise import (  # noqa: F401
    contacts,
    context,
    dates,
    entities,
    language,
    mentions,
    places,
    quotes,
    relations,
    structure,
)
from pipeline.normalise.stages import Extraction, build_stages, register_stage, run_stages

__all__ = ["Extraction", "build_stages", "register_stage", "run_stages"]
