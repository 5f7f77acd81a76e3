"""The ``pressewerk`` command line (also ``python -m pipeline``).

Exit codes: 0 every input processed, 3 some inputs rejected (see the rejects
table), 2 usage error (bad option, missing input, invalid rule, no model).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline import __version__

app = typer.Typer(
    help="Pressewerk: German press releases to clean tables.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
rules_app = typer.Typer(help="Extraction rules: test them.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
console = Console(stderr=True)

EXIT_OK, EXIT_USAGE, EXIT_REJECTS = 0, 2, 3
FORMATS = {"parquet", "csv", "both", "duckdb"}


def _fail(message: str) -> None:
    console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(EXIT_USAGE)


def _parse_date(value: Optional[str]) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"--reference-date must be YYYY-MM-DD, got {value!r}")
    return None


def _formats(value: str) -> set[str]:
    chosen = {part.strip() for part in value.split(",") if part.strip()}
    unknown = chosen - FORMATS
    if unknown or not chosen:
        _fail(f"--format takes {', '.join(sorted(FORMATS))} (comma-separated), got {value!r}")
    if "both" in chosen:
        chosen = (chosen - {"both"}) | {"parquet", "csv"}
    return chosen


def _settings(
    model: Optional[str],
    rules: list[Path],
    reference_date: Optional[str],
    config: Optional[Path] = None,
    **ingest: object,
):
    from dataclasses import replace

    from pipeline.settings import DEFAULT_CONFIG, Settings

    settings = Settings.from_config(config or DEFAULT_CONFIG, model=model, reference_date=_parse_date(reference_date))
    settings.rules = settings.rules + [str(r) for r in rules]
    settings.ingest = replace(settings.ingest, **{k: v for k, v in ingest.items() if v is not None})
    return settings


@app.command()
def run(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, globs or archives (.zip, .tar.gz)")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder")] = Path("out"),
    format: Annotated[
        str, typer.Option("--format", "-f", help="parquet, csv, both or duckdb (comma-separated)")
    ] = "parquet",
    model: Annotated[Optional[str], typer.Option(help="spaCy model name or path (default: resolution order)")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes")] = 1,
    limit: Annotated[Optional[int], typer.Option(min=1, help="Stop after N documents")] = None,
    rules: Annotated[list[Path], typer.Option("--rules", help="Extra rule folder (repeatable)")] = [],  # noqa: B006
    reference_date: Annotated[
        Optional[str], typer.Option(help="Anchor for relative dates when a document has no date")
    ] = None,
    text_field: Annotated[Optional[str], typer.Option(help="JSON/CSV field with the text")] = None,
    title_field: Annotated[Optional[str], typer.Option(help="JSON/CSV field with the title")] = None,
    date_field: Annotated[Optional[str], typer.Option(help="JSON/CSV field with the release date")] = None,
    id_field: Annotated[Optional[str], typer.Option(help="JSON/CSV field with a source id")] = None,
    max_bytes: Annotated[Optional[int], typer.Option(help="Largest input file (bytes)")] = None,
    max_chars: Annotated[Optional[int], typer.Option(help="Longest document (characters)")] = None,
    max_archive_bytes: Annotated[Optional[int], typer.Option(help="Most bytes unpacked from one archive")] = None,
    excel: Annotated[bool, typer.Option(help="CSV for Excel: BOM and ';' separators")] = False,
    force: Annotated[bool, typer.Option(help="Start over instead of resuming")] = False,
    engine: Annotated[str, typer.Option(help="local or dask")] = "local",
    scheduler: Annotated[Optional[str], typer.Option(help="Dask scheduler address (default: a LocalCluster)")] = None,
    config: Annotated[Optional[Path], typer.Option(help="Pipeline config file")] = None,
    quiet: Annotated[bool, typer.Option(help="No progress bar")] = False,
) -> None:
    """Extract documents, mentions, entities and rejects from press releases."""
    from pipeline.ingest import UsageError
    from pipeline.nlp.model import ModelNotFound
    from pipeline.nlp.rules import RuleError
    from pipeline.runner import RunConflict, RunOptions
    from pipeline.runner import run as run_pipeline

    if engine not in ("local", "dask"):
        _fail(f"--engine takes local or dask, got {engine!r}")
    settings = _settings(
        model, rules, reference_date, config,
        text_field=text_field, title_field=title_field, date_field=date_field, id_field=id_field,
        max_bytes=max_bytes, max_chars=max_chars, max_archive_bytes=max_archive_bytes,
    )  # fmt: skip
    options = RunOptions(list(inputs), out, _formats(format), workers, limit, force, excel, engine, scheduler)
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(bar_width=None),
        TextColumn("{task.fields[docs]} docs · {task.fields[rate]:.1f} docs/s · {task.fields[rejects]} rejects"),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
    )
    with progress:
        task = progress.add_task("extracting", total=None, docs=0, rate=0.0, rejects=0)

        def update(stats) -> None:
            elapsed = progress.tasks[task].elapsed or 1e-9
            progress.update(task, docs=stats.documents, rejects=stats.rejects, rate=stats.documents / elapsed)

        try:
            run_pipeline(settings, options, update)
        except (UsageError, RuleError, ModelNotFound, RunConflict) as error:
            progress.stop()
            _fail(str(error))
    info = json.loads((out / "run.json").read_text())
    _summary(out, info)
    tables = info["counts"]["tables"]
    raise typer.Exit(EXIT_REJECTS if tables.get("rejects", 0) else EXIT_OK)


def _summary(out: Path, info: dict) -> None:
    counts = info["counts"]
    table = Table(
        title=f"Pressewerk {info['pipeline_version']} · model {info['model']['name']} {info['model']['version'] or ''}"
    )
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, rows in counts["tables"].items():
        table.add_row(name, f"{rows:,}")
    console.print(table)
    console.print(
        f"inputs {counts['inputs']:,} = documents {counts['tables'].get('documents', 0):,} + rejects "
        f"{counts['tables'].get('rejects', 0):,} · {info['timings'].get('total_s', 0):.1f} s · written to {out}"
    )


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Option("--gold", help="Gold JSONL (id, text, date, entities)")],
    model: Annotated[Optional[str], typer.Option(help="spaCy model name or path")] = None,
    labels: Annotated[str, typer.Option(help="Labels to score, comma-separated")] = "PER,LOC,ORG,MISC",
    rules: Annotated[list[Path], typer.Option("--rules", help="Extra rule folder")] = [],  # noqa: B006
    reference_date: Annotated[Optional[str], typer.Option(help="Anchor for relative dates")] = None,
    match: Annotated[str, typer.Option(help="Span matching: exact or overlap")] = "exact",
    map_label: Annotated[
        str, typer.Option(help="Rename predicted labels first, e.g. DURATION=DATE,SET=DATE (TIMEX2 gold)")
    ] = "",
) -> None:
    """Score the full extraction pipeline on gold JSONL; prints one JSON object."""
    from pipeline.evaluate import MATCH_MODES, evaluate_file, parse_label_map

    if match not in MATCH_MODES:
        _fail(f"--match takes {' or '.join(MATCH_MODES)}, got {match!r}")
    try:
        label_map = parse_label_map(map_label)
    except ValueError as error:
        _fail(f"--map-label: {error}")
    settings = _settings(model, rules, reference_date)
    labels_list = [label.strip() for label in labels.split(",") if label.strip()]
    result = evaluate_file(gold, settings, labels_list, match, label_map)
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")


@app.command("convert-gold")
def convert_gold(
    input: Annotated[Path, typer.Argument(help="Token-per-line gold file")],
    format: Annotated[str, typer.Option("--format", help="germeval, conll or iob1")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Gold JSONL to write")],
) -> None:
    """Convert GermEval / CoNLL / IOB1 files to the evaluate JSONL format."""
    from pipeline.evaluate import convert_gold_file

    if format not in ("germeval", "conll", "iob1"):
        _fail(f"--format takes germeval, conll or iob1, got {format!r}")
    n = convert_gold_file(input, format, output)
    console.print(f"wrote {n:,} documents to {output}")


@app.command()
def show(
    target: Annotated[str, typer.Argument(help="A text file, or a doc_id in --out's tables")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder of a run (for doc ids)")] = Path("out"),
    html: Annotated[Optional[Path], typer.Option("--html", help="Where to write the page")] = None,
    model: Annotated[Optional[str], typer.Option(help="spaCy model name or path")] = None,
) -> None:
    """Write a displaCy HTML page of one document's entities and dates."""
    from pipeline.show import render_target

    try:
        page = render_target(target, out, model)
    except (FileNotFoundError, KeyError) as error:
        _fail(str(error))
    destination = html or Path(f"{Path(target).stem if Path(target).exists() else target}.html")
    destination.write_text(page, encoding="utf-8")
    console.print(f"wrote {destination}")


@rules_app.command("test")
def rules_test(
    folders: Annotated[Optional[list[Path]], typer.Argument(help="Rule folders (default: the shipped rules)")] = None,
) -> None:
    """Run the golden examples kept beside each rule file; non-zero exit on failure."""
    from pipeline.nlp.rules import RuleError
    from pipeline.rules_testing import run_rule_tests

    try:
        results = run_rule_tests(folders or [])
    except RuleError as error:
        _fail(str(error))
    out = Console()
    failed = 0
    for result in results:
        mark = "[green]PASS[/green]" if result.passed else "[red]FAIL[/red]"
        failed += not result.passed
        out.print(f"{mark} {result.rule_id}  ({result.file})" + ("" if result.passed else f"\n     {result.detail}"))
    out.print(f"{len(results) - failed} passed, {failed} failed")
    raise typer.Exit(1 if failed or not results else 0)


@app.command()
def version() -> None:
    """Print the Pressewerk version."""
    typer.echo(__version__)


def main() -> None:
    app()
