"""Convert the shared NER corpora to spaCy DocBins plus held-out gold JSONL.

``python -m pipeline.training.convert --data ../shared/data --out build/corpus``
writes ``train.spacy``, ``dev.spacy`` and the evaluation files
``germeval_heldout.jsonl`` (GermEval dev sentences never trained on, names inside words such as
"Commerzbank" in "Commerzbank-Chef" included), ``germeval_heldout_words.jsonl`` (the same without
them, the gold model 0.2.0 was measured on) and ``smartdata_dev.jsonl``. Tokens are the press
tokenizer's (:mod:`pipeline.training.subtokens`). Everything is deterministic (fixed seed).
"""

from __future__ import annotations

import argparse
import json
import os
import random
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from pipeline.nlp.tokenizer import customize_tokenizer
from pipeline.training.corpora import (
    Sentence,
    clean_span,
    germeval_split,
    read_europarl,
    read_germeval,
    read_hipe,
    read_ler,
    read_mobie,
    read_smartdata,
    read_wikiann,
)
from pipeline.training.subtokens import expand_tag

SEED = 1312
# How often each corpus is repeated in the training set (0 drops it).
DEFAULT_WEIGHTS = {
    "germeval2014": 10,
    "europarl_de": 1,
    "smartdata": 4,
    "wikiann_de": 1,
    "mobie": 1,
    "ler": 1,
    "newseye_de": 1,
    "sonar_de": 1,
}
# LER sentences without a person, place or organisation: every n-th is kept (the rest is legal
# boilerplate that would outweigh the other corpora).
LER_KEEP_EMPTY_EVERY = 5


def misc_lexicon(sentences: Iterable[Sentence], min_ratio: float = 0.3) -> set[str]:
    """Capitalised word forms that are MISC often enough in corpora annotating MISC.

    In corpora without MISC these tokens are marked *missing* instead of "O",
    so the model is not taught that e.g. "Bundesliga" or "Tatort" are not names.
    """
    inside: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for sent in sentences:
        for word, tag in zip(sent.words, sent.tags, strict=True):
            total[word] += 1
            if tag.endswith("-MISC"):
                inside[word] += 1
    return {word for word, n in inside.items() if word[:1].isupper() and len(word) > 2 and n / total[word] >= min_ratio}


def _spaces(words: list[str]) -> list[bool]:
    no_space_before = {".", ",", ";", ":", "!", "?", ")", "]", "“", "'"}
    return [i + 1 < len(words) and words[i + 1] not in no_space_before for i in range(len(words))]


def _subwords(nlp: Language, word: str) -> list[str]:
    """``word`` as the press tokenizer cuts it (one piece if that would lose characters)."""
    pieces = [t.text for t in nlp.tokenizer(word)]
    return pieces if "".join(pieces) == word else [word]


def retokenize(
    nlp: Language, sent: Sentence, with_parts: bool = True
) -> tuple[list[str], list[bool], list[str | None]]:
    """Words, spaces and tags of a token-list sentence cut like the press tokenizer cuts text."""
    words: list[str] = []
    spaces: list[bool] = []
    tags: list[str | None] = []
    parts = sent.parts if with_parts and sent.parts is not None else [None] * len(sent.words)
    for word, space, tag, part in zip(sent.words, _spaces(sent.words), sent.tags, parts, strict=True):
        pieces = _subwords(nlp, word)
        words.extend(pieces)
        spaces.extend([False] * (len(pieces) - 1) + [space])
        tags.extend(expand_tag(pieces, tag, part, annotates_parts=sent.parts is not None))
    return words, spaces, tags


def to_doc(nlp: Language, sent: Sentence, lexicon: set[str], with_parts: bool = True) -> Doc:
    """A Doc with gold entities in the press tokenizer's tokens; MISC-lexicon tokens are *missing*
    where MISC is unannotated. ``with_parts=False`` leaves GermEval's names inside words out
    (the gold of model 0.2.0's measurements)."""
    if sent.text is not None:
        doc = nlp.make_doc(sent.text)
        tags: list[str | None] = ["O"] * len(doc)
        for start, end, label in sent.spans:
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is None or any(tags[i] != "O" for i in range(span.start, span.end)):
                continue
            for i in range(span.start, span.end):
                tags[i] = ("B-" if i == span.start else "I-") + label
        words = [t.text for t in doc]
        spaces = [bool(t.whitespace_) for t in doc]
    else:
        words, spaces, tags = retokenize(nlp, sent, with_parts)
    if not sent.has_misc:
        tags = [None if tag == "O" and word in lexicon else tag for word, tag in zip(words, tags, strict=True)]
    return Doc(nlp.vocab, words=words, spaces=spaces, ents=tags)


def ler_sample(sentences: Iterable[Sentence]) -> list[Sentence]:
    """LER sentences with an entity, plus every :data:`LER_KEEP_EMPTY_EVERY`-th of the others."""
    kept: list[Sentence] = []
    empty = 0
    for sent in sentences:
        if any(tag and tag != "O" for tag in sent.tags):
            kept.append(sent)
        else:
            empty += 1
            if empty % LER_KEEP_EMPTY_EVERY == 0:
                kept.append(sent)
    return kept


def to_gold_record(doc: Doc, record_id: str) -> dict:
    """The ``pressewerk evaluate`` JSONL format."""
    return {
        "id": record_id,
        "text": doc.text,
        "date": None,
        "entities": [[e.start_char, e.end_char, e.label_] for e in doc.ents],
    }


def smartdata_gold(path: Path) -> Iterable[dict]:
    """SmartData with every label (PER/ORG/LOC/DATE/TIME) and its crawl date, spans cleaned."""
    with path.open(encoding="utf-8") as handle:
        for i, line in enumerate(handle):
            record = json.loads(line)
            text = record["text"]
            entities = []
            for start, end, label, *_ in record["entities"]:
                start, end = clean_span(text, start, end)
                if end > start:
                    entities.append([start, end, label])
            yield {"id": f"smartdata-dev-{i}", "text": text, "date": record["date"][:10], "entities": entities}


def names_only(records: Iterable[dict]) -> Iterable[dict]:
    """SmartData gold without its lower-case LOC spans ("deutsche", "griechischen", "stadteinwärts",
    "beiden Richtungen"): adjectives and directions, which the project's convention does not call places."""
    for record in records:
        text = record["text"]
        keep = [e for e in record["entities"] if not (e[2] == "LOC" and text[e[0] : e[1]][:1].islower())]
        yield {**record, "entities": keep}


def write_jsonl(path: Path, records: Iterable[dict]) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


def convert(data: Path, out: Path, weights: dict[str, int]) -> dict[str, int]:
    """Write the DocBins and gold files; return counts per output."""
    nlp = customize_tokenizer(spacy.blank("de"))
    ner = data / "ner"
    out.mkdir(parents=True, exist_ok=True)
    germeval = list(read_germeval(ner / "germeval2014" / "NER-de-dev.tsv"))
    parts: dict[str, list[Sentence]] = {"train": [], "dev": [], "test": []}
    for i, sent in enumerate(germeval):
        parts[germeval_split(i)].append(sent)
    europarl_train = list(read_europarl(ner / "europarl_de" / "train.tsv"))
    lexicon = misc_lexicon(parts["train"] + europarl_train)

    corpora: dict[str, list[Sentence]] = {
        "germeval2014": parts["train"],
        "europarl_de": europarl_train,
        "smartdata": list(read_smartdata(ner / "smartdata" / "train.jsonl")),
        "wikiann_de": list(read_wikiann(ner / "wikiann_de" / "train")),
        "mobie": list(read_mobie(ner / "mobie" / "train.conll2003")),
        # Only splits that are not test splits: LER dev, NewsEye dev and dev2, SoNAR dev.
        "ler": ler_sample(read_ler(ner / "ler" / "dev.conll")),
        "newseye_de": [
            sent
            for split in ("dev", "dev2")
            for sent in read_hipe(ner / "newseye_de" / f"HIPE-2022-v2.1-newseye-{split}-de.tsv", "newseye_de")
        ],
        "sonar_de": list(read_hipe(ner / "sonar_de" / "HIPE-2022-v2.1-sonar-dev-de.tsv", "sonar_de")),
    }
    train_docs = [
        to_doc(nlp, sent, lexicon)
        for name, sents in corpora.items()
        for _ in range(weights.get(name, 0))
        for sent in sents
    ]
    random.Random(SEED).shuffle(train_docs)
    dev_sents = parts["dev"] + list(read_europarl(ner / "europarl_de" / "dev.tsv"))[:300]
    dev_docs = [to_doc(nlp, sent, lexicon) for sent in dev_sents]
    DocBin(docs=train_docs, store_user_data=False).to_disk(out / "train.spacy")
    DocBin(docs=dev_docs, store_user_data=False).to_disk(out / "dev.spacy")

    counts = {
        **{f"sentences_{name}": len(sents) for name, sents in corpora.items()},
        "train_docs": len(train_docs),
        "dev_docs": len(dev_docs),
        "misc_lexicon": len(lexicon),
        **write_gold_files(data, out, parts["test"]),
    }
    (out / "counts.json").write_text(json.dumps(counts, indent=2))
    return counts


def write_gold_files(data: Path, out: Path, germeval_test: list[Sentence] | None = None) -> dict[str, int]:
    """The held-out gold JSONL files (no training data): GermEval held-out part, SmartData dev."""
    nlp = customize_tokenizer(spacy.blank("de"))
    ner = data / "ner"
    out.mkdir(parents=True, exist_ok=True)
    if germeval_test is None:
        germeval = read_germeval(ner / "germeval2014" / "NER-de-dev.tsv")
        germeval_test = [sent for i, sent in enumerate(germeval) if germeval_split(i) == "test"]
    heldout = [to_doc(nlp, s, set()) for s in germeval_test]
    heldout_words = [to_doc(nlp, s, set(), with_parts=False) for s in germeval_test]
    smart_dev = read_smartdata(ner / "smartdata" / "dev.jsonl")
    counts = {
        "germeval_heldout": write_jsonl(
            out / "germeval_heldout.jsonl",
            (to_gold_record(d, f"germeval-dev-test-{i}") for i, d in enumerate(heldout)),
        ),
        "germeval_heldout_words": write_jsonl(
            out / "germeval_heldout_words.jsonl",
            (to_gold_record(d, f"germeval-dev-test-{i}") for i, d in enumerate(heldout_words)),
        ),
        "smartdata_dev": write_jsonl(
            out / "smartdata_dev.jsonl",
            (to_gold_record(to_doc(nlp, s, set()), f"smartdata-dev-{i}") for i, s in enumerate(smart_dev)),
        ),
    }
    counts["smartdata_dev_all"] = write_jsonl(
        out / "smartdata_dev_all.jsonl", smartdata_gold(ner / "smartdata" / "dev.jsonl")
    )
    counts["smartdata_dev_names"] = write_jsonl(
        out / "smartdata_dev_names.jsonl", names_only(json.loads(line) for line in (out / "smartdata_dev.jsonl").open())
    )
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("PRESSEWERK_DATA", "../shared/data")))
    parser.add_argument("--out", type=Path, default=Path("build/corpus"))
    parser.add_argument("--weights", default="", help="e.g. germeval2014=3,wikiann_de=0")
    args = parser.parse_args()
    weights = dict(DEFAULT_WEIGHTS)
    for item in filter(None, args.weights.split(",")):
        name, value = item.split("=")
        weights[name] = int(value)
    print(json.dumps(convert(args.data, args.out, weights)))


if __name__ == "__main__":
    main()
