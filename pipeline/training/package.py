"""Package a trained spaCy pipeline as ``models/de_pressewerk_ner``.

The press tokenizer rules are saved inside the tokenizer, so the training-time
callback is removed from its config; the Brown-cluster embedding needs its
architecture registered, so load it with ``pipeline.nlp.model.load_model``
or after ``import pipeline.nlp.registered``. ``meta.json`` names the version,
data sources and licences.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
from pathlib import Path

import spacy
from spacy.language import Language

from pipeline.nlp import registered  # noqa: F401  (architectures the trained config names)
from pipeline.nlp.tokenizer import customize_tokenizer

MODEL_NAME = "pressewerk_ner"
MODEL_VERSION = "0.2.0"
SOURCES = [
    {
        "name": "GermEval 2014 NER (dev split, 80 % used for training)",
        "url": "https://sites.google.com/site/germeval2014ner/",
        "license": "CC BY 4.0",
        "author": "Benikova, Biemann, Reznicek (2014), NoSta-D",
    },
    {
        "name": "SmartData corpus (train split; PER/ORG/LOC)",
        "url": "https://github.com/DFKI-NLP/smartdata-corpus",
        "license": "CC BY 4.0",
        "author": "Schiersch, Mironova, Schmitt, Thomas, Gabryszak, Hennig (2018), DFKI",
    },
    {
        "name": "MobIE (train split; person, organisation and location types)",
        "url": "https://github.com/DFKI-NLP/MobIE",
        "license": "CC BY 4.0",
        "author": "Hennig, Truong, Gabryszak (2021), DFKI",
    },
    {
        "name": "WikiANN German (train split)",
        "url": "https://github.com/afshinrahimi/mmner",
        "license": "no licence stated at the source; derived from Wikipedia (CC BY-SA 3.0)",
        "author": "Pan, Zhang, May, Nothman, Knight, Ji (2017)",
    },
    {
        "name": "Europarl German NER (train split)",
        "url": "https://nlpado.de/~sebastian/software/ner_german.shtml",
        "license": "no licence stated at the source; Europarl text is free of copyright restrictions",
        "author": "Faruqui & Padó (2010)",
    },
    {
        "name": "German Brown clusters (de_lexeme_cluster, words with log probability >= -16) from spacy-lookups-data",
        "url": "https://github.com/explosion/spacy-lookups-data",
        "license": "MIT",
        "author": "Explosion AI",
    },
]


def prune_lemmas(nlp: Language) -> int:
    """Keep the lemma lookups of word forms in the German frequency list (spacy-lookups-data's
    ``de_lexeme_prob``, about a million words); rarer forms keep their own text as lemma.
    This drops 4/5 of the table (several MB) and leaves the lemmas of running text alone."""
    import spacy_lookups_data

    folder = Path(spacy_lookups_data.__file__).parent / "data"
    with gzip.open(folder / "de_lemma_lookup.json.gz", "rt", encoding="utf-8") as handle:
        lemmas = json.load(handle)
    with gzip.open(folder / "de_lexeme_prob.json.gz", "rt", encoding="utf-8") as handle:
        known = set(json.load(handle))
    lookups = nlp.get_pipe("lemmatizer").lookups
    lookups.remove_table("lemma_lookup")
    kept = {form: lemma for form, lemma in lemmas.items() if form in known}
    lookups.add_table("lemma_lookup", kept)
    return len(kept)


def package(source: Path, target: Path, eval_dir: Path | None = None) -> dict:
    """Copy ``source`` to ``target`` as a self-contained, documented pipeline."""
    nlp = spacy.load(source)
    customize_tokenizer(nlp)
    prune_lemmas(nlp)
    nlp.config["nlp"]["after_creation"] = None
    nlp.meta.update(
        name=MODEL_NAME,
        version=MODEL_VERSION,
        description=(
            "German NER (PER, LOC, ORG, MISC) for press releases, trained by Pressewerk on free corpora. "
            "Press-text tokenizer, rule-based sentence splitting, lookup lemmas (spacy-lookups-data)."
        ),
        author="Pressewerk contributors",
        license="CC BY-SA 4.0 (model weights; see sources for the training data licences)",
        sources=SOURCES,
        url="https://github.com/pressewerk/pressewerk",
    )
    if eval_dir is not None and (eval_dir / "evaluation.json").is_file():
        nlp.meta["pressewerk_evaluation"] = json.loads((eval_dir / "evaluation.json").read_text())
    if target.exists():
        shutil.rmtree(target)
    nlp.to_disk(target)
    return nlp.meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--eval-dir", type=Path, default=None)
    args = parser.parse_args()
    meta = package(args.source, args.target, args.eval_dir)
    size = sum(f.stat().st_size for f in args.target.rglob("*") if f.is_file())
    print(json.dumps({"model": f"{meta['lang']}_{meta['name']}-{meta['version']}", "bytes": size}))


if __name__ == "__main__":
    main()
