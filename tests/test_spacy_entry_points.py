"""The shipped model loads with a plain ``spacy.load`` once pressewerk is installed (spaCy entry points)."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

from conftest import SHIPPED_MODEL

from pipeline.settings import Settings

REGISTERED_NAME = re.compile(r'^@(\w+)\s*=\s*"(pressewerk\.[^"]+)"', re.MULTILINE)


def _entry_point_names(group: str) -> set[str]:
    return {entry.name for entry in importlib.metadata.entry_points(group=group)}


def test_every_pressewerk_function_the_model_config_names_is_an_entry_point():
    config = (SHIPPED_MODEL / "config.cfg").read_text(encoding="utf-8")
    named = REGISTERED_NAME.findall(config)
    assert named, "the shipped model names no Pressewerk function: the test would check nothing"
    missing = [(kind, name) for kind, name in named if name not in _entry_point_names(f"spacy_{kind}")]
    assert not missing, f"declare these in pyproject.toml [project.entry-points.spacy_<kind>]: {missing}"


def test_every_configured_component_is_a_spacy_factory_entry_point():
    components = Settings.from_config().components
    assert set(components) <= _entry_point_names("spacy_factories")


def test_plain_spacy_load_in_a_fresh_interpreter_finds_the_model_and_its_components():
    script = (
        "import sys, spacy\n"
        f"nlp = spacy.load({str(SHIPPED_MODEL)!r})\n"
        "assert 'pressewerk_rules' in nlp.pipe_names and nlp.pipe_names[-1] == 'pressewerk_dates', nlp.pipe_names\n"
        "doc = nlp('Am 13.12.2019 eröffnete Stefan Huber in Bruchsal das Hubwerk01.')\n"
        "spans = [*doc.ents, *doc.spans['pressewerk_dates']]\n"
        "print('|'.join(f'{e.label_}:{e.text}' for e in spans))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd="/", timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    found = result.stdout.strip().split("|")
    assert "DATE:13.12.2019" in found
    assert any(item.startswith("PER:") and "Huber" in item for item in found)


def test_every_data_file_of_the_package_is_in_its_package_data():
    """A wheel holds only what `[tool.setuptools.package-data]` names: every word list, table and template the code
    reads must match one of its globs (name_adjectives.toml and the tense words were once left out)."""
    import fnmatch
    import tomllib

    root = Path(__file__).resolve().parents[1]
    globs = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    package = root / "pipeline"
    data = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    ]
    assert len(data) >= 10
    missing = [f for f in data if not any(fnmatch.fnmatch(f, g) for g in globs["pipeline"])]
    assert missing == []
