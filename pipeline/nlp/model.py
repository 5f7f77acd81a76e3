"""Which German model to use, and loading it with Pressewerk's components.

Resolution order (one function, used by every command):
explicit ``--model NAME_OR_PATH`` -> ``de_core_news_lg`` -> ``de_core_news_md``
(only if a real model package is installed) -> the embedded ``models/de_pressewerk_ner``.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language

from pipeline.nlp import clusters, lexfeatures  # noqa: F401  (the embedded model's embedding architectures)
from pipeline.nlp.tokenizer import customize_tokenizer, trained_with_split_compounds

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EMBEDDED_MODEL = Path(os.environ.get("PRESSEWERK_MODEL_DIR", PROJECT_ROOT / "models" / "de_pressewerk_ner"))
OFFICIAL_MODELS = ("de_core_news_lg", "de_core_news_md")
INSTALL_HINT = (
    "install the official model with `pip install -e '.[official-model]'` (needs internet) "
    "or pass --model PATH to a spaCy pipeline"
)


class ModelNotFound(RuntimeError):
    """No model could be resolved; the message is one line naming what was tried."""


@dataclass(frozen=True)
class ModelChoice:
    """The model to load and the candidates looked at before it."""

    name: str
    location: str
    tried: list[str] = field(default_factory=list)


def official_model_installed(name: str) -> bool:
    """True for a real spaCy model package; the registry's placeholder is never imported.

    The placeholder of ``de_core_news_md`` aborts on import, so this checks the
    installed files (a ``meta.json`` and a 3.x version) instead of importing.
    """
    spec = importlib.util.find_spec(name) if name.isidentifier() else None
    if spec is None or not spec.submodule_search_locations:
        return False
    try:
        version = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return False
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    return version.split(".")[0] == "3" and (package_dir / "meta.json").is_file()


def resolve_model(explicit: str | None = None) -> ModelChoice:
    """Pick the model by the documented order or raise :class:`ModelNotFound`."""
    tried: list[str] = []
    if explicit:
        path = Path(explicit)
        if path.is_dir() and (path / "config.cfg").is_file():
            return ModelChoice(path.name, str(path), tried)
        if official_model_installed(explicit):
            return ModelChoice(explicit, explicit, tried)
        raise ModelNotFound(
            f"model {explicit!r} is neither a pipeline folder nor an installed model package; {INSTALL_HINT}"
        )
    for name in OFFICIAL_MODELS:
        if official_model_installed(name):
            return ModelChoice(name, name, tried)
        tried.append(name)
    if (EMBEDDED_MODEL / "config.cfg").is_file():
        return ModelChoice(EMBEDDED_MODEL.name, str(EMBEDDED_MODEL), tried)
    tried.append(str(EMBEDDED_MODEL))
    raise ModelNotFound(f"no German model found (tried {', '.join(tried)}); run `make model` or {INSTALL_HINT}")


PRESSEWERK_PREFIX = "pressewerk_"


def pressewerk_components(location: str) -> list[str]:
    """Names of Pressewerk's rules and components packaged in the pipeline folder ``location``."""
    config = Path(location) / "config.cfg"
    if not config.is_file():
        return []
    pipeline = spacy.util.load_config(config)["nlp"]["pipeline"]
    return [name for name in pipeline if name.startswith(PRESSEWERK_PREFIX)]


def load_model(choice: ModelChoice, model_only: bool = False) -> Language:
    """Load the chosen model with the press-text tokenizer rules it was trained with.

    The shipped model is a complete pipeline (rules and Pressewerk's components after the NER);
    ``model_only`` leaves those out, for measuring the statistical model alone.
    """
    nlp = spacy.load(choice.location, exclude=pressewerk_components(choice.location) if model_only else [])
    customize_tokenizer(nlp, split_compounds=trained_with_split_compounds(nlp))
    return nlp


def model_version(nlp: Language) -> str:
    """``name-version`` of a loaded pipeline, for provenance columns."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0')}"
