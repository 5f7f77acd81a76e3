"""The ``pressewerk`` command line (also ``python -m pipeline``).

Exit codes: 0 every input processed, 3 some inputs rejected (see the rejects
table), 2 usage error (bad option, missing input, invalid rule, no model).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from pipeline import __version__

app = typer.Typer(
    help="Pressewerk: German press releases to clean tables.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: options, metavars and defaults, no type tags or boxes
)
rules_app = typer.Typer(help="Extraction rules: test them.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(rules_app, name="rules")
console = Console(stderr=True)

EXIT_OK, EXIT_USAGE, EXIT_REJECTS = 0, 2, 3
FORMATS = {"parquet", "csv", "both", "duckdb"}


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"pressewerk {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit"),
    ] = False,
) -> None:
    """Pressewerk: German press releases to clean tables."""


def _fail(message: str) -> None:
    console.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True, highlight=False)  # FILE:LINE stays whole
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

    from pipeline.normalise.stages import ConfigError
    from pipeline.settings import DEFAULT_CONFIG, Settings

    path = config or DEFAULT_CONFIG
    try:
        settings = Settings.from_config(path, model=model, reference_date=_parse_date(reference_date))
        settings.validate(str(path))
    except ConfigError as error:
        _fail(str(error))
    except (OSError, KeyError, ValueError) as error:  # a missing file, section or key; a syntax error
        _fail(f"{path}: cannot read the config: {' '.join(str(error).split())[:300]}")
    settings.rules = settings.rules + [str(r) for r in rules]
    settings.ingest = replace(settings.ingest, **{k: v for k, v in ingest.items() if v is not None})
    return settings


@app.command()
def run(
    inputs: Annotated[list[str], typer.Argument(metavar="INPUT", hidden=True)],  # described in the docstring
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Output folder")] = Path("out"),
    format: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMATS", help="parquet, csv, both or duckdb (comma-separated)")
    ] = "parquet",
    model: Annotated[
        Optional[str],
        typer.Option(metavar="NAME|PATH", help="spaCy model", show_default="resolution order, see README"),
    ] = None,
    workers: Annotated[int, typer.Option(min=1, metavar="N", help="Worker processes")] = 1,
    limit: Annotated[
        Optional[int], typer.Option(min=1, metavar="N", help="Stop after N documents", show_default="all")
    ] = None,
    rules: Annotated[
        list[Path], typer.Option("--rules", metavar="DIR", help="Extra rule folder (repeatable)", show_default=False)
    ] = [],  # noqa: B006
    reference_date: Annotated[
        Optional[str],
        typer.Option(metavar="YYYY-MM-DD", help="Anchor for relative dates when a document has no date"),
    ] = None,
    text_field: Annotated[
        Optional[str], typer.Option(metavar="FIELD", help="JSON/CSV field with the text", show_default="text, body, …")
    ] = None,
    title_field: Annotated[
        Optional[str], typer.Option(metavar="FIELD", help="JSON/CSV field with the title", show_default="title, …")
    ] = None,
    date_field: Annotated[
        Optional[str],
        typer.Option(metavar="FIELD", help="JSON/CSV field with the release date", show_default="date, …"),
    ] = None,
    id_field: Annotated[
        Optional[str], typer.Option(metavar="FIELD", help="JSON/CSV field with a source id", show_default="id, …")
    ] = None,
    max_bytes: Annotated[
        Optional[int], typer.Option(metavar="BYTES", help="Largest input file", show_default="20 MB")
    ] = None,
    max_chars: Annotated[
        Optional[int], typer.Option(metavar="N", help="Longest document in characters", show_default="1,000,000")
    ] = None,
    max_archive_bytes: Annotated[
        Optional[int], typer.Option(metavar="BYTES", help="Most bytes unpacked from one archive", show_default="2 GB")
    ] = None,
    max_pages: Annotated[
        Optional[int], typer.Option(metavar="N", help="Most pages of one PDF", show_default="1,000")
    ] = None,
    max_attachments: Annotated[
        Optional[int], typer.Option(metavar="N", help="Most attachments read from one e-mail", show_default="100")
    ] = None,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel", metavar="", help="CSV for Excel: BOM, ';' separators, decimal commas", show_default=False
        ),
    ] = False,
    csv_text: Annotated[
        bool,
        typer.Option(
            "--csv-text", metavar="", help="Also write documents.text to CSV (Excel cuts cells at 32,767 characters)"
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", metavar="", help="Start over instead of resuming", show_default=False)
    ] = False,
    report: Annotated[bool, typer.Option("--report/--no-report", help="Write report.html and its show/ pages")] = True,
    engine: Annotated[str, typer.Option(metavar="local|dask", help="Where batches run")] = "local",
    scheduler: Annotated[
        Optional[str], typer.Option(metavar="ADDRESS", help="Dask scheduler", show_default="a LocalCluster")
    ] = None,
    config: Annotated[
        Optional[Path], typer.Option(metavar="FILE", help="Pipeline config", show_default="pipeline/pressewerk.cfg")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", metavar="", help="No progress bar", show_default=False)] = False,
) -> None:
    """Extract documents, mentions, entities and rejects from press releases.

    INPUT: files, folders, globs or archives (.zip, .tar.gz, .tgz, .tar); text, HTML, JSON, CSV, XML,
    PDF, DOCX, ODT, EML, mbox and WARC files.
    """
    from pipeline.ingest import UsageError
    from pipeline.ingest.sources import resolve_inputs
    from pipeline.nlp.model import ModelNotFound
    from pipeline.nlp.rules import RuleError
    from pipeline.runner import RunConflict, RunOptions, check_output_folder
    from pipeline.runner import run as run_pipeline
    from pipeline.sinks.schema import convert_without_pandas

    if engine not in ("local", "dask"):
        _fail(f"--engine takes local or dask, got {engine!r}")
    try:  # output folder and inputs are checked before any work
        resolve_inputs(inputs)
        check_output_folder(out)
    except UsageError as error:
        _fail(str(error))
    settings = _settings(
        model, rules, reference_date, config,
        text_field=text_field, title_field=title_field, date_field=date_field, id_field=id_field,
        max_bytes=max_bytes, max_chars=max_chars, max_archive_bytes=max_archive_bytes,
        max_pages=max_pages, max_attachments=max_attachments,
    )  # fmt: skip
    options = RunOptions(
        list(inputs), out, _formats(format), workers, limit, force, excel, engine, scheduler, csv_text=csv_text,
        report=report,
    )  # fmt: skip
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

        convert_without_pandas()  # this process is the CLI's own
        try:
            run_pipeline(settings, options, update)
        except (UsageError, RuleError, ModelNotFound, RunConflict) as error:
            progress.stop()
            _fail(str(error))
    info = json.loads((out / "run.json").read_text())
    _summary(out, info)
    tables = info["counts"]["tables"]
    raise typer.Exit(EXIT_REJECTS if tables.get("rejects", 0) else EXIT_OK)


SUMMARY_WIDTH = 80


def summary_line(out: Path, info: dict, width: int = SUMMARY_WIDTH) -> str:
    """One line of at most ``width`` characters.

    "300 docs + 0 rejects · 2,360 mentions · 701 entities · 10 s → out" (inputs = docs + rejects; the
    input count leads only where it differs). On a narrow budget the entity and mention counts go
    first; the output folder is cut from the left.
    """
    counts, tables = info["counts"], info["counts"]["tables"]
    documents, rejects = tables.get("documents", 0), tables.get("rejects", 0)
    accounting = f"{documents:,} docs + {rejects:,} rejects"
    if counts["inputs"] != documents + rejects:
        accounting = f"{counts['inputs']:,} inputs ≠ {accounting}"
    extras = [f"{tables.get('mentions', 0):,} mentions", f"{tables.get('entities', 0):,} entities"]
    seconds = f"{info['timings'].get('total_s', 0):.0f} s"
    while True:
        line = " · ".join([accounting, *extras, seconds])
        if len(line) + len(" → ") + 12 <= width or not extras:
            break
        extras.pop()
    room = width - len(line) - len(" → ")
    where = str(out)
    if len(where) > room:
        where = "…" + where[-max(room - 1, 1) :]
    return f"{line} → {where}"[:width]


def _summary(out: Path, info: dict) -> None:
    """The run summary: one line, then resumed batches and warnings, each on a line of its own."""
    console.print(summary_line(out, info), markup=False, highlight=False, soft_wrap=True)
    counts = info["counts"]
    if counts.get("resumed_batches"):
        console.print(
            f"resumed {counts['resumed_batches']:,} of {counts.get('batches', 0):,} batches "
            "from an earlier run (--force starts over)",
            markup=False, highlight=False,
        )  # fmt: skip
    for warning in info.get("warnings", []):
        console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Option("--gold", metavar="FILE", help="Gold JSONL (id, text, date, entities)")],
    model: Annotated[Optional[str], typer.Option(metavar="NAME|PATH", help="spaCy model name or path")] = None,
    labels: Annotated[
        str, typer.Option(metavar="LABELS", help="Labels to score, comma-separated")
    ] = "PER,LOC,ORG,MISC",
    rules: Annotated[list[Path], typer.Option("--rules", metavar="DIR", help="Extra rule folder (repeatable)")] = [],  # noqa: B006
    reference_date: Annotated[
        Optional[str], typer.Option(metavar="YYYY-MM-DD", help="Anchor for relative dates")
    ] = None,
    task: Annotated[
        str, typer.Option(metavar="TASK", help="entities, or quotes (gold with 'quotes' per article)")
    ] = "entities",
    match: Annotated[str, typer.Option(metavar="exact|overlap", help="Span matching: exact or overlap")] = "exact",
    map_label: Annotated[
        str,
        typer.Option(
            metavar="PRED=GOLD,...", help="Rename predicted labels first, e.g. DURATION=DATE,SET=DATE (TIMEX2 gold)"
        ),
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
    if task != "entities":
        return _evaluate_quotes(gold, settings, task)
    labels_list = [label.strip() for label in labels.split(",") if label.strip()]
    result = evaluate_file(gold, settings, labels_list, match, label_map)
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")


def _evaluate_quotes(gold: Path, settings: object, task: str) -> None:
    """``evaluate --task quotes``: quote P/R/F1 and speaker accuracy (``pipeline/evaluate_quotes.py``)."""
    from pipeline.evaluate_quotes import evaluate_quotes_file

    if task != "quotes":
        _fail(f"--task takes entities or quotes, got {task!r}")
    try:
        result = evaluate_quotes_file(gold, settings)
    except (OSError, ValueError) as error:
        _fail(str(error))
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")


@app.command("convert-gold")
def convert_gold(
    input: Annotated[Path, typer.Argument(metavar="INPUT", hidden=True)],
    format: Annotated[str, typer.Option("--format", metavar="germeval|conll|iob1", help="Input format")],
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FILE", help="Gold JSONL to write")],
) -> None:
    """Convert GermEval / CoNLL / IOB1 files to the evaluate JSONL format.

    INPUT: a token-per-line gold file.
    """
    from pipeline.evaluate import convert_gold_file

    if format not in ("germeval", "conll", "iob1"):
        _fail(f"--format takes germeval, conll or iob1, got {format!r}")
    n = convert_gold_file(input, format, output)
    console.print(f"wrote {n:,} documents to {output}")


@app.command()
def show(
    target: Annotated[str, typer.Argument(metavar="FILE|DOC_ID", hidden=True)],
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Output folder of a run (for doc ids)")
    ] = Path("out"),
    html: Annotated[
        Optional[Path],
        typer.Option("--html", metavar="FILE", help="Where to write the page", show_default="DOC_ID.html"),
    ] = None,
    model: Annotated[Optional[str], typer.Option(metavar="NAME|PATH", help="spaCy model name or path")] = None,
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
    folders: Annotated[Optional[list[Path]], typer.Argument(metavar="DIR", hidden=True)] = None,
) -> None:
    """Run the golden examples kept beside each rule file; non-zero exit on failure.

    DIR: rule folders (default: the shipped rules in models/rules).
    """
    from pipeline.nlp.rules import RuleError
    from pipeline.rules_testing import run_rule_tests

    try:
        report = run_rule_tests(folders or [])
    except RuleError as error:
        _fail(str(error))
    out = Console()
    for result in report.rules:
        mark = "[green]PASS[/green]" if result.passed else "[red]FAIL[/red]"
        out.print(f"{mark} {result.rule_id}  ({result.file})" + ("" if result.passed else f"\n     {result.detail}"))
    failed = sum(not e.passed for e in report.examples)
    out.print(
        f"{len(report.examples) - failed} of {len(report.examples)} examples passed, {failed} failed "
        f"({len(report.rules)} rules, {sum(not r.passed for r in report.rules)} failing)"
    )
    raise typer.Exit(0 if report.passed else 1)


@app.command()
def version() -> None:
    """Print the Pressewerk version."""
    typer.echo(__version__)


def main() -> None:
    """The ``pressewerk`` command; ends without the interpreter's teardown once the command has finished."""
    try:
        app()
    except SystemExit as done:
        exit_now(done.code)
    exit_now(0)


def exit_now(code: int | str | None) -> NoReturn:
    """End the process with ``code`` (as ``sys.exit`` reads it) without freeing its objects one by one.

    Every file a command writes is closed when it returns. What is left is the model, the word lists and the gazetteer:
    hundreds of thousands of objects that a normal exit frees one at a time (0.8 s of a one-release run), while the
    operating system takes back the process's memory at once. mypy ends the same way (``util.hard_exit``).
    """
    if code is not None and not isinstance(code, int):  # sys.exit("message") prints it and ends with 1
        print(code, file=sys.stderr)
        code = 1
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe ("pressewerk … | head") or stream
            stream.flush()
    os._exit(code or 0)
