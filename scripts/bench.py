"""`make bench`: end-to-end benchmark on the Berlin police releases, printed as ONE JSON object.

Measured in one run, A/B interleaved: raw `nlp.pipe` and the end-to-end pipeline alternate on the
same subset and the medians are reported. Each measurement runs in a fresh process, so peak RSS is
that run's own (`ru_maxrss`).

- ``raw_wps``: the spaCy pipeline object the run uses (shipped model plus the configured rule and
  date components, same ``pipe_batch_size``), timed from loading it to the end of ``nlp.pipe``:
  what any spaCy job on these texts pays. ``e2e_wps`` is timed the same way around ``run()``, so
  ``ratio`` is the share left after Pressewerk's ingestion, normalisers, Parquet parts and publishing.
- ``model_only_wps``: the shipped model alone (tokenizer, sentencizer, tok2vec, NER, lemmatizer), timed like
  the others from loading it to the end of ``nlp.pipe``; ``ratio_vs_model_only`` compares the whole run with it.
  Every figure here pays its own loading: a run, a raw ``nlp.pipe`` job, the bare model and the naive script alike.
- ``model_speedup_2``: the bare model in two concurrent processes, each loading it and tagging every other
  release, against one process on all of them: the speedup the machine itself gives two processes (nothing
  serial, nothing shared). ``speedup_2_vs_model`` is ``speedup_2`` divided by it: the share of the machine's own
  scaling that the two-worker run keeps. Where two cores share caches and memory bandwidth, no run can scale
  better than the model it runs.
- The naive baseline is the first script a data team writes: the same spaCy model,
  ``dateparser.search.search_dates`` on each text and ``pandas.DataFrame.to_csv``, timed from loading the model;
  it and the end-to-end run on the same 300 releases alternate for ``--rounds`` rounds, and ``vs_naive`` divides
  their median rates.
- ``places_stage_share``: the places work (datelines read at ingest, the gazetteer loaded, the places stage)
  divided by the end-to-end time, on the same releases (``--only-places`` measures it alone).
- ``date_stage_share``: Pressewerk's date detection (the Matcher component on already parsed docs)
  plus TIMEX3 normalisation, divided by the end-to-end time, on the same releases.
  ``dates_vs_search_dates``: ``dateparser.search.search_dates`` on 300 releases divided by that
  date stage on the same 300.
- ``stages``: seconds per stage of the median one-worker end-to-end run (``run.json``'s ``timings.stages``:
  ingest, loading, the tokenizer and each spaCy component, each normaliser, writing, publishing, the
  report) with each stage's share of all measured seconds; ``model_share`` is the model's (tokenizer and
  the model's own components), ``max_stage``/``max_stage_share`` the largest other stage.
- Paired figures: one machine's speed drifts by a tenth and more between minutes, which moves the bare model and the
  end-to-end run of one round together. ``ratio_vs_model_only_paired`` and ``speedup_2_paired`` are the medians of
  the ratios within each round (the end-to-end run against the bare model or the two-worker run measured just before
  it); ``non_model_s_per_1k`` is the work around the model (every stage of the median end-to-end run except the
  model's components and its loading) in seconds per 1,000 releases, and ``model_s_per_1k`` the model's own, both
  from the run's stage table: what a change to Pressewerk's own stages moves, whatever the bare model did meanwhile.
- ``startup_ratio``: wall-clock seconds of ``pressewerk run`` on one release (a fresh process, from the
  command to the tables and the report) divided by those of a fresh process that loads the bare model
  (``spacy.load``) and tags the same release; the best of ``--startup-tries`` alternating tries each.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ["--text-field", "description", "--title-field", "title", "--date-field", "date"]

CHILD = r"""
import json, resource, sys, time
mode, data, limit, out, workers = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
sys.path.insert(0, "scripts")
from bench_model import berlin_texts, words_in
from pathlib import Path
result = {}
if mode == "raw":
    from pipeline.nlp import build_nlp
    from pipeline.settings import Settings
    texts = berlin_texts(Path(data), limit or None)
    s = Settings.from_config()
    started = time.perf_counter()
    nlp, _ = build_nlp(s.model, s.rules, s.components, s.rules_before_model, s.overwrite_ents)
    words = sum(words_in(d) for d in nlp.pipe(texts, batch_size=s.pipe_batch_size))
    result = {"seconds": time.perf_counter() - started, "words": words, "docs": len(texts)}
elif mode == "model":
    from pipeline.nlp.model import load_model, resolve_model
    texts = berlin_texts(Path(data), limit or None)
    started = time.perf_counter()
    nlp = load_model(resolve_model(), model_only=True)
    loaded = time.perf_counter()
    words = sum(words_in(d) for d in nlp.pipe(texts, batch_size=64))
    result = {"seconds": time.perf_counter() - started, "words": words, "docs": len(texts),
              "load_seconds": loaded - started}
elif mode == "model_part":  # one of `workers` concurrent processes, each with every workers-th release
    from pipeline.nlp.model import load_model, resolve_model
    texts = berlin_texts(Path(data), limit or None)[int(sys.argv[6])::workers]
    started_at = time.time()
    nlp = load_model(resolve_model(), model_only=True)
    words = sum(words_in(d) for d in nlp.pipe(texts, batch_size=64))
    result = {"started_at": started_at, "ended_at": time.time(), "words": words, "docs": len(texts)}
elif mode == "e2e":
    from pipeline.runner import RunOptions, run
    from pipeline.settings import Settings
    from pipeline.ingest import IngestOptions
    settings = Settings.from_config()
    settings.ingest = IngestOptions(text_field="description", title_field="title", date_field="date")
    started = time.perf_counter()
    stats = run(settings, RunOptions([str(Path(data) / "press" / "berlin_polizei")], Path(out), {"parquet"},
                workers=workers, limit=limit or None, force=True))
    result = {"seconds": time.perf_counter() - started, "words": stats.words, "docs": stats.documents,
              "timings": stats.timings}
elif mode == "naive":
    import pandas as pd, spacy
    from dateparser.search import search_dates
    from pipeline.nlp.model import pressewerk_components, resolve_model
    texts = berlin_texts(Path(data), limit)
    location = resolve_model().location
    started = time.perf_counter()
    nlp = spacy.load(location, exclude=pressewerk_components(location))  # the bare model, as a naive user had it
    rows, words = [], 0
    for text in texts:
        doc = nlp(text)
        words += words_in(doc)
        rows += [{"text": e.text, "label": e.label_} for e in doc.ents]
        rows += [{"text": s, "label": "DATE", "value": d.isoformat()} for s, d in (search_dates(text, languages=["de"]) or [])]
    pd.DataFrame(rows).to_csv(Path(out) / "naive.csv", index=False)
    result = {"seconds": time.perf_counter() - started, "words": words, "docs": len(texts)}
elif mode == "dates":
    # Pressewerk's date stage: the Matcher component on parsed docs plus TIMEX3 normalisation.
    from datetime import date
    from pipeline.ingest.document import Document
    from pipeline.nlp.model import load_model, resolve_model
    from pipeline.nlp.dates import DateDetector
    from pipeline.normalise.dates import NormaliseDates
    from pipeline.normalise.stages import Extraction
    texts = berlin_texts(Path(data), limit or None)
    nlp = load_model(resolve_model(), model_only=True)
    detector, stage = DateDetector(nlp), NormaliseDates(date(2024, 1, 15))
    docs = list(nlp.pipe(texts, batch_size=64))
    documents = [Document(doc_id=str(i), source="bench", text=text) for i, text in enumerate(texts)]
    started = time.perf_counter()
    for document, doc in zip(documents, docs):
        item = Extraction(document, doc)
        item.mentions = [{"start_char": s.start_char, "end_char": s.end_char, "text": s.text, "label": s.label_,
                          "sentence": 0} for s in detector.find(doc)]
        stage(item)
    result = {"seconds": time.perf_counter() - started, "docs": len(docs)}
elif mode == "places":
    # The places work of a run: datelines read at ingest, the gazetteer loaded, the places stage on every document
    # (after the stages before it, untimed).
    started = time.perf_counter()
    from pipeline.normalise.geocode import gazetteer
    gazetteer()
    load_seconds = time.perf_counter() - started
    from pipeline.ingest.dateline import parse_dateline
    from pipeline.ingest.document import Document
    from pipeline.nlp import build_nlp
    from pipeline.normalise.places import PlaceStage
    from pipeline.normalise.stages import Extraction, build_stages
    from pipeline.settings import Settings
    settings = Settings.from_config()
    texts = berlin_texts(Path(data), limit or None)
    nlp, _ = build_nlp(settings.model, settings.rules, settings.components, settings.rules_before_model,
                       settings.overwrite_ents)
    stages = build_stages(settings.stages, {"dates": {"reference_date": settings.reference_date}})
    seconds = load_seconds
    for i, (text, doc) in enumerate(zip(texts, nlp.pipe(texts, batch_size=64))):
        t0 = time.perf_counter()
        dateline = parse_dateline(text)
        seconds += time.perf_counter() - t0
        item = Extraction(Document(doc_id=str(i), source="bench", text=text, dateline_place=dateline.place), doc,
                          reference_date=settings.reference_date)
        for stage in stages:
            t0 = time.perf_counter()
            item = stage(item)
            if isinstance(stage, PlaceStage):
                seconds += time.perf_counter() - t0
    result = {"seconds": seconds, "docs": len(texts), "gazetteer_load_seconds": load_seconds}
elif mode == "search_dates":
    from dateparser.search import search_dates
    texts = berlin_texts(Path(data), limit or None)
    started = time.perf_counter()
    for text in texts:
        search_dates(text, languages=["de"])
    result = {"seconds": time.perf_counter() - started, "docs": len(texts)}
result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""


def measure(mode: str, data: Path, limit: int, workers: int = 1) -> dict:
    with tempfile.TemporaryDirectory() as out:
        completed = subprocess.run(
            [sys.executable, "-c", CHILD, mode, str(data), str(limit), out, str(workers)],
            capture_output=True, text=True, cwd=ROOT, check=False,
        )  # fmt: skip
    if completed.returncode != 0:
        raise RuntimeError(f"{mode} failed: {completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def measure_model_parallel(data: Path, limit: int, processes: int = 2) -> dict:
    """The bare model in ``processes`` concurrent processes, each with its share of the releases; ``seconds`` from
    the first one's start (after reading the texts, as ``model`` is timed) to the last one's end."""
    with tempfile.TemporaryDirectory() as out:
        children = [
            subprocess.Popen(
                [sys.executable, "-c", CHILD, "model_part", str(data), str(limit), out, str(processes), str(part)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )
            for part in range(processes)
        ]
        results = []
        for child in children:
            stdout, stderr = child.communicate()
            if child.returncode != 0:
                raise RuntimeError(f"model_part failed: {stderr[-2000:]}")
            results.append(json.loads(stdout.strip().splitlines()[-1]))
    seconds = max(r["ended_at"] for r in results) - min(r["started_at"] for r in results)
    return {"seconds": seconds, "words": sum(r["words"] for r in results), "docs": sum(r["docs"] for r in results)}


def scaling_figures(data: Path, subset: int) -> dict:
    """Two workers against one, and the bare model in two processes against one, on the same releases."""
    model, e2e = measure("model", data, subset), measure("e2e", data, subset)
    model_2, e2e_2 = measure_model_parallel(data, subset), measure("e2e", data, subset, workers=2)
    speedup, model_speedup = e2e["seconds"] / e2e_2["seconds"], model["seconds"] / model_2["seconds"]
    return {
        "subset_docs": subset,
        "e2e_seconds": round(e2e["seconds"], 2),
        "e2e_seconds_2_workers": round(e2e_2["seconds"], 2),
        "speedup_2": round(speedup, 3),
        "model_seconds": round(model["seconds"], 2),
        "model_seconds_2_processes": round(model_2["seconds"], 2),
        "model_speedup_2": round(model_speedup, 3),
        "speedup_2_vs_model": round(speedup / model_speedup, 3),
    }


BARE = "import spacy, sys; nlp = spacy.load(sys.argv[1]); nlp(open(sys.argv[2], encoding='utf-8').read())"


def startup_figures(data: Path, tries: int) -> dict:
    """Seconds of ``pressewerk run`` on one release and of loading the bare model and tagging it (fresh processes)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_model import berlin_texts

    from pipeline.nlp.model import resolve_model

    model = resolve_model().location
    bare, ours = [], []
    with tempfile.TemporaryDirectory() as scratch:
        release = Path(scratch) / "release.txt"
        release.write_text(berlin_texts(data, 1)[0], encoding="utf-8")
        commands = {
            "bare": [sys.executable, "-c", BARE, model, str(release)],
            "run": [sys.executable, "-m", "pipeline", "run", str(release), "--out", str(Path(scratch) / "out"),
                    "--force", "--quiet"],
        }  # fmt: skip
        for _ in range(tries):  # alternating, the best of each
            for name, seconds in (("bare", bare), ("run", ours)):
                started = time.perf_counter()
                completed = subprocess.run(commands[name], capture_output=True, text=True, cwd=ROOT, check=False)
                seconds.append(time.perf_counter() - started)
                if completed.returncode != 0:
                    raise RuntimeError(f"start-up {name} failed: {completed.stderr[-2000:]}")
        stages = json.loads((Path(scratch) / "out" / "run.json").read_text())["timings"]["stages"]["seconds"]
    return {
        "startup_bare_s": round(min(bare), 2),
        "startup_run_s": round(min(ours), 2),
        "startup_ratio": round(min(ours) / min(bare), 3),
        "startup_stages": stages,
    }


def paired(measured: dict, baseline: dict) -> float:
    """The words-per-second ratio of two measurements of one round."""
    return (measured["words"] / measured["seconds"]) / (baseline["words"] / baseline["seconds"])


def stage_figures(e2e: dict) -> dict:
    """The stage table of one end-to-end run, and its largest stage besides the model."""
    stages = e2e["timings"]["stages"]
    others = dict(stages["shares"])
    largest = max(others, key=others.get) if others else None
    model = set(stages["model_components"]) | {"load_nlp"}
    per_1k = 1000 / max(1, e2e["docs"])
    return {
        "model_s_per_1k": round(sum(v for k, v in stages["seconds"].items() if k in model) * per_1k, 2),
        "non_model_s_per_1k": round(sum(v for k, v in stages["seconds"].items() if k not in model) * per_1k, 2),
        "stages": stages["seconds"],
        "stage_shares": stages["shares"],
        "model_share": stages["model_share"],
        "max_stage": largest,
        "max_stage_share": others.get(largest),
    }


def date_figures(data: Path, subset: int) -> dict:
    """The date stage's share of one end-to-end run, and ``search_dates`` against it (cheap to run alone)."""
    e2e, dates = measure("e2e", data, subset), measure("dates", data, subset)
    dates_300, search_300 = measure("dates", data, 300), measure("search_dates", data, 300)
    return {
        "subset_docs": subset,
        "e2e_seconds": round(e2e["seconds"], 2),
        "date_stage_seconds": round(dates["seconds"], 2),
        "date_stage_share": round(dates["seconds"] / e2e["seconds"], 4),
        "search_dates_seconds_300": round(search_300["seconds"], 2),
        "date_stage_seconds_300": round(dates_300["seconds"], 3),
        "dates_vs_search_dates": round(search_300["seconds"] / dates_300["seconds"], 1),
    }


def place_figures(data: Path, subset: int) -> dict:
    """The places work's share of one end-to-end run (datelines, gazetteer load, places stage)."""
    e2e, places = measure("e2e", data, subset), measure("places", data, subset)
    return {
        "subset_docs": subset,
        "e2e_seconds": round(e2e["seconds"], 2),
        "places_seconds": round(places["seconds"], 3),
        "gazetteer_load_seconds": round(places["gazetteer_load_seconds"], 3),
        "places_stage_share": round(places["seconds"] / e2e["seconds"], 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("PRESSEWERK_DATA", "../shared/data")))
    parser.add_argument("--subset", type=int, default=2000, help="releases in the A/B rounds")
    parser.add_argument("--rounds", type=int, default=3, help="A/B rounds; figures are their medians")
    parser.add_argument("--only-dates", action="store_true", help="measure only the date figures")
    parser.add_argument("--only-places", action="store_true", help="measure only the places figures")
    parser.add_argument("--only-startup", action="store_true", help="measure only the start-up figures")
    parser.add_argument("--only-scaling", action="store_true", help="measure only the two-process figures")
    parser.add_argument("--startup-tries", type=int, default=3)
    parser.add_argument("--all-docs", type=int, default=0, help="releases in the RSS run (0 = all)")
    args = parser.parse_args()
    data = args.data.resolve()
    if args.only_places:
        print(json.dumps(place_figures(data, args.subset)))
        return
    if args.only_dates:
        print(json.dumps(date_figures(data, args.subset)))
        return
    if args.only_scaling:
        print(json.dumps(scaling_figures(data, args.subset)))
        return
    if args.only_startup:
        print(json.dumps(startup_figures(data, args.startup_tries)))
        return
    raw, e2e, two, model, model_two = [], [], [], [], []
    for _ in range(args.rounds):  # A/B interleaved
        model.append(measure("model", data, args.subset))
        model_two.append(measure_model_parallel(data, args.subset))
        raw.append(measure("raw", data, args.subset))
        e2e.append(measure("e2e", data, args.subset))
        two.append(measure("e2e", data, args.subset, workers=2))
    raw_wps = statistics.median(r["words"] / r["seconds"] for r in raw)
    e2e_wps = statistics.median(r["words"] / r["seconds"] for r in e2e)
    wps_2 = statistics.median(r["words"] / r["seconds"] for r in two)
    model_wps = statistics.median(r["words"] / r["seconds"] for r in model)
    model_wps_2 = statistics.median(r["words"] / r["seconds"] for r in model_two)
    one_k = measure("e2e", data, 1000)
    everything = measure("e2e", data, args.all_docs)
    naive_rounds, ours_rounds = [], []
    for _ in range(args.rounds):  # A/B interleaved as well: one run of 300 releases varied from 1.3 to 1.6
        naive_rounds.append(measure("naive", data, 300))
        ours_rounds.append(measure("e2e", data, 300))
    dates = measure("dates", data, args.subset)
    dates_300, search_300 = measure("dates", data, 300), measure("search_dates", data, 300)
    places = measure("places", data, args.subset)
    naive_wps = statistics.median(r["words"] / r["seconds"] for r in naive_rounds)
    ours_300_wps = statistics.median(r["words"] / r["seconds"] for r in ours_rounds)
    e2e_seconds_subset = statistics.median(r["seconds"] for r in e2e)
    median_e2e = sorted(e2e, key=lambda r: r["seconds"])[len(e2e) // 2]
    startup = startup_figures(data, args.startup_tries)
    result = {
        "docs": everything["docs"],
        "words": everything["words"],
        "e2e_wps": round(e2e_wps, 1),
        "raw_wps": round(raw_wps, 1),
        "ratio": round(e2e_wps / raw_wps, 3),
        "model_only_wps": round(model_wps, 1),
        "ratio_vs_model_only": round(e2e_wps / model_wps, 3),
        "wps_2_workers": round(wps_2, 1),
        "speedup_2": round(wps_2 / e2e_wps, 3),
        "model_speedup_2": round(model_wps_2 / model_wps, 3),
        "speedup_2_vs_model": round((wps_2 / e2e_wps) / (model_wps_2 / model_wps), 3),
        "ratio_vs_model_only_paired": round(statistics.median(map(paired, e2e, model)), 3),
        "speedup_2_paired": round(statistics.median(map(paired, two, e2e)), 3),
        "rss_mb_1k": round(one_k["rss_mb"], 1),
        "rss_mb_all": round(everything["rss_mb"], 1),
        "rss_ratio": round(everything["rss_mb"] / one_k["rss_mb"], 3),
        "e2e_wps_all": round(everything["words"] / everything["seconds"], 1),
        "naive_wps": round(naive_wps, 1),
        "vs_naive": round(ours_300_wps / naive_wps, 2),
        "date_stage_share": round(dates["seconds"] / e2e_seconds_subset, 4),
        "dates_vs_search_dates": round(search_300["seconds"] / dates_300["seconds"], 1),
        "places_stage_share": round(places["seconds"] / e2e_seconds_subset, 4),
        "startup_ratio": startup["startup_ratio"],
        "startup_bare_s": startup["startup_bare_s"],
        "startup_run_s": startup["startup_run_s"],
        **stage_figures(median_e2e),
        "startup_stages": startup["startup_stages"],
        "all_model_share": everything["timings"]["stages"]["model_share"],
        "all_stage_shares": everything["timings"]["stages"]["shares"],
        "subset_docs": args.subset,
        "rounds": args.rounds,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
