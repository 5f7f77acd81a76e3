"""The docs work as written: the rules tutorial runs literally, the README stays short."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


def _bash_block_after(page: Path, heading: str) -> str:
    text = page.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1)


def test_rules_tutorial_runs_as_written(tmp_path: Path) -> None:
    venv = ROOT / ".venv"
    if not (venv / "bin" / "pressewerk").exists():
        pytest.skip("the tutorial uses .venv/bin/pressewerk (make venv)")
    (tmp_path / ".venv").symlink_to(venv)
    (tmp_path / "corpus").symlink_to(ROOT / "corpus")
    script = _bash_block_after(ROOT / "docs" / "rules.md", "## Tutorial")
    done = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "2 of 2 examples passed" in done.stdout
    found = re.findall(r"(Hackathon|Barcamp|Digitalgipfel)\s+rule:event-word", done.stdout)
    assert sorted(set(found)) == ["Barcamp", "Digitalgipfel", "Hackathon"]


def test_readme_is_short_and_names_the_contract() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    for command in ("make run", "make test", "pressewerk --version", "pipeline.extract"):
        assert command in readme
    for stale in ("cannot be installed here", "../shared", "issue #"):
        assert stale not in readme


def test_every_docs_page_is_in_the_navigation() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = {p.name for p in (ROOT / "docs").glob("*.md")}
    assert pages and all(page in nav for page in pages), sorted(p for p in pages if p not in nav)


def test_cli_reference_is_generated_from_help() -> None:
    sys.path.insert(0, str(ROOT / "docs" / "hooks"))
    from cli_reference import cli_reference

    page = cli_reference()
    assert "## `pressewerk run`" in page and "## `pressewerk rules test`" in page and "--max-bytes" in page
