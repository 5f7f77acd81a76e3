"""Run settings: the config file plus command-line overrides."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from spacy.util import load_config

from pipeline.ingest.formats import IngestOptions
from pipeline.nlp.model import PROJECT_ROOT

DEFAULT_CONFIG = Path(__file__).with_name("pressewerk.cfg")


@dataclass
class Settings:
    """Everything a run (local or on Dask workers) needs to process batches identically."""

    model: str | None = None
    rules: list[str] = field(default_factory=list)
    rules_before_model: bool = True
    overwrite_ents: bool = False
    components: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    pipe_batch_size: int = 64
    batch_docs: int = 64
    memory_zone_docs: int = 2048
    permanent_strings: int = 60000
    keep_freed_mb: int = 512
    reference_date: date | None = None
    ingest: IngestOptions = field(default_factory=IngestOptions)

    @classmethod
    def from_config(cls, path: Path = DEFAULT_CONFIG, **overrides: object) -> Settings:
        config = load_config(path)
        nlp, run = config["nlp"], config["run"]
        settings = cls(
            rules=[str(PROJECT_ROOT / r) if not Path(r).is_absolute() else r for r in nlp["rules"]],
            rules_before_model=nlp["rules_before_model"],
            overwrite_ents=nlp["overwrite_ents"],
            components=list(nlp["components"]),
            stages=list(config["normalise"]["stages"]),
            pipe_batch_size=nlp["pipe_batch_size"],
            batch_docs=run["batch_docs"],
            memory_zone_docs=run.get("memory_zone_docs", cls.memory_zone_docs),
            permanent_strings=run.get("permanent_strings", cls.permanent_strings),
            keep_freed_mb=run.get("keep_freed_mb", cls.keep_freed_mb),
        )
        for key, value in overrides.items():
            if value is not None:
                setattr(settings, key, value)
        return settings

    def validate(self, where: str = "the config") -> None:
        """Raise ``ConfigError`` (one line) for an unknown stage or component name, before any work."""
        from spacy.language import Language

        import pipeline.nlp  # noqa: F401  (registers the pressewerk_* factories)
        from pipeline.normalise.stages import apply_stage_schema, check_stage_names, unknown_name

        check_stage_names(self.stages, f"{where} [normalise] stages")
        apply_stage_schema(self.stages)
        valid = sorted(name for name in Language.factories if name.startswith("pressewerk_"))
        for name in self.components:
            if not Language.has_factory(name):
                raise unknown_name("spaCy component", name, valid, f"{where} [nlp] components")

    def fingerprint(self) -> str:
        """Hash of everything that changes the output rows (resume refuses a different run)."""
        from pipeline import __version__

        data = {**asdict(self), "pipeline_version": __version__}
        data.pop("memory_zone_docs")  # how memory is recycled, not what the rows are
        data.pop("keep_freed_mb")
        data.pop("permanent_strings")
        return hashlib.blake2b(json.dumps(data, sort_keys=True, default=str).encode(), digest_size=8).hexdigest()
