"""MkDocs hook: the CLI reference page, generated from the commands' own ``--help`` at build time."""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import File, Files

INTRO = """# Command-line reference

Generated from `pressewerk … --help` when the docs are built, so it always matches the installed version.
Exit codes of every command: **0** everything processed, **3** some inputs rejected (see the `rejects` table),
**2** a usage error (bad option, missing input, invalid rule or config file, no model, `--out` not writable, an
output folder of a different run without `--force`), with a one-line message on standard error.
"""


def _help(command: Any, path: list[str]) -> str:
    """A click-style command's help text (Typer vendors click, so no click import here)."""
    with command.context_class(command, info_name=" ".join(path), terminal_width=100, max_content_width=100) as ctx:
        return command.get_help(ctx)


def _walk(command: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    found = [(path, command)]
    if hasattr(command, "commands"):
        for name in sorted(command.commands):
            found += _walk(command.commands[name], [*path, name])
    return found


def cli_reference() -> str:
    """Markdown of every command's help text."""
    from typer.main import get_command

    from pipeline.cli import app

    parts = [INTRO]
    for path, command in _walk(get_command(app), ["pressewerk"]):
        title = " ".join(path)
        parts.append(f"## `{title}`\n\n```text\n{_help(command, path).rstrip()}\n```\n")
    return "\n".join(parts)


def on_files(files: Files, config) -> Files:
    files.append(File.generated(config, "cli.md", content=cli_reference()))
    return files
