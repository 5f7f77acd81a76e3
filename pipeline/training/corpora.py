"""Readers for the German NER corpora in ``$PRESSEWERK_DATA/ner``.

Every reader yields :class:`Sentence` objects in one label scheme (PER, LOC, ORG,
MISC), whatever the corpus's own scheme. ``has_misc`` says whether the corpus
annotates MISC at all: corpora without it must not teach the model that MISC is
"O" (see :func:`pipeline.training.convert.to_doc`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

LABELS = ("PER", "LOC", "ORG", "MISC")

# GermEval: OTH -> MISC; *deriv / *part are not entities in spaCy's scheme.
GERMEVAL_MAP = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "OTH": "MISC"}
# MobIE's fine types; routes ("S3", "A 9") and everything not a name is dropped.
MOBIE_MAP = {
    "person": "PER",
    "organization": "ORG",
    "organization-company": "ORG",
    "location": "LOC",
    "location-city": "LOC",
    "location-stop": "LOC",
    "location-street": "LOC",
}
# LER (court decisions): persons, judges, lawyers -> PER; countries, cities, streets, landscapes -> LOC;
# organisations, companies, institutions, courts, brands -> ORG. Laws, regulations, contracts, court
# decisions, EU norms and literature (GS, VO, VS, VT, EUN, RS, LIT) are left *missing*: GermEval calls
# some of them OTH, the press convention none (a law is not an entity), so LER teaches neither.
LER_MAP = {
    "PER": "PER",
    "RR": "PER",
    "AN": "PER",
    "LD": "LOC",
    "ST": "LOC",
    "STR": "LOC",
    "LDS": "LOC",
    "ORG": "ORG",
    "UN": "ORG",
    "INN": "ORG",
    "GRT": "ORG",
    "MRK": "ORG",
}
LER_MISSING = frozenset({"GS", "VO", "VS", "VT", "EUN", "RS", "LIT"})
# HIPE-2022 (NewsEye, SoNAR) coarse types; human productions (newspapers, works) are MISC.
HIPE_MAP = {"PER": "PER", "LOC": "LOC", "ORG": "ORG", "HumanProd": "MISC"}
MAX_HIPE_SENTENCE = 80
_STRIP = " \t\n\r.,;:!?\"'„“”‚‘»«()[]{}–-"


@dataclass
class Sentence:
    """Tokens with IOB2 tags (``words``/``tags``) or a text with char spans."""

    corpus: str
    words: list[str] = field(default_factory=list)
    tags: list[str | None] = field(default_factory=list)
    text: str | None = None
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    has_misc: bool = True
    # GermEval only: the label of a name inside a token ("ORG" for "Commerzbank-Chef", B-ORGpart), else None.
    parts: list[str | None] | None = None


def iob1_to_iob2(tags: list[str]) -> list[str]:
    """IOB1 (``I-X`` starts a span unless it continues one) to IOB2."""
    out: list[str] = []
    prev = "O"
    for tag in tags:
        if tag.startswith("I-") and (prev == "O" or prev[2:] != tag[2:]):
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return out


def map_tags(tags: list[str], mapping: dict[str, str], missing: frozenset[str] = frozenset()) -> list[str | None]:
    """Map IOB2 tags through ``mapping``; types in ``missing`` become None (unannotated),
    other unknown types O; orphan I- become B-."""
    out: list[str | None] = []
    for tag in tags:
        if tag == "O" or "-" not in tag:
            out.append("O")
            continue
        prefix, kind = tag.split("-", 1)
        label = mapping.get(kind)
        if label is None:
            out.append(None if kind in missing else "O")
            continue
        if prefix == "I" and (not out or not out[-1] or out[-1] == "O" or out[-1][2:] != label):
            prefix = "B"
        out.append(f"{prefix}-{label}")
    return out


def _blocks(path: Path) -> Iterator[list[list[str]]]:
    """Blank-line separated blocks of whitespace-split rows; '#' comment lines skipped."""
    block: list[list[str]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip():
                if block:
                    yield block
                block = []
                continue
            if line.startswith("#\t") or line.startswith("-DOCSTART-"):
                continue
            block.append(line.split("\t") if "\t" in line else line.split(" "))
    if block:
        yield block


def germeval_part(tag: str) -> str | None:
    """The label of a GermEval ``*part`` tag ("B-ORGpart" -> "ORG"), else None."""
    if not tag.endswith("part") or "-" not in tag:
        return None
    return GERMEVAL_MAP.get(tag.split("-", 1)[1].removesuffix("part"))


def read_germeval(path: Path) -> Iterator[Sentence]:
    """GermEval 2014: ``idx token outer inner``; outer level only, ``*part`` labels kept in ``parts``."""
    for block in _blocks(path):
        words = [row[1] for row in block]
        tags = map_tags([row[2] for row in block], GERMEVAL_MAP)
        parts = [germeval_part(row[2]) for row in block]
        yield Sentence("germeval2014", words, tags, parts=parts)


def read_ler(path: Path) -> Iterator[Sentence]:
    """LER court decisions: ``token tag`` IOB2 with fine types mapped by :data:`LER_MAP`; no MISC."""
    for block in _blocks(path):
        words = [row[0] for row in block]
        tags = map_tags([row[-1] for row in block], LER_MAP, LER_MISSING)
        yield Sentence("ler", words, tags, has_misc=False)


def read_hipe(path: Path, corpus: str) -> Iterator[Sentence]:
    """HIPE-2022 TSV (NewsEye, SoNAR): column ``NE-COARSE-LIT``, sentences cut at ``EndOfSentence``
    (and at most :data:`MAX_HIPE_SENTENCE` tokens). The long s of Fraktur OCR becomes "s". Human
    productions are the only MISC the corpora know, so MISC counts as unannotated."""
    words: list[str] = []
    tags: list[str] = []

    def flush() -> Iterator[Sentence]:
        if words:
            yield Sentence(corpus, list(words), map_tags(tags, HIPE_MAP), has_misc=False)
        words.clear()
        tags.clear()

    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = line.rstrip("\n").split("\t")
            if line.startswith("#") or row[0] == "TOKEN" or len(row) < 10:
                if line.startswith("# hipe2022:document_id"):
                    yield from flush()
                continue
            if len(words) >= MAX_HIPE_SENTENCE and not row[1].startswith("I-"):
                yield from flush()
            words.append(row[0].replace("ſ", "s"))
            tags.append(row[1])
            if "EndOfSentence" in row[9]:
                yield from flush()
    yield from flush()


def read_europarl(path: Path) -> Iterator[Sentence]:
    """Europarl-NER: ``token lemma POS chunk NER`` in IOB1."""
    for block in _blocks(path):
        words = [row[0] for row in block]
        tags = map_tags(iob1_to_iob2([row[4] for row in block]), {x: x for x in LABELS})
        yield Sentence("europarl_de", words, tags)


def read_wikiann(path: Path) -> Iterator[Sentence]:
    """WikiANN: ``de:token<TAB>IOB2``; no MISC."""
    for block in _blocks(path):
        words = [row[0].removeprefix("de:") for row in block]
        tags = map_tags([row[-1] for row in block], {x: x for x in LABELS})
        yield Sentence("wikiann_de", words, tags, has_misc=False)


def read_mobie(path: Path) -> Iterator[Sentence]:
    """MobIE CoNLL-2003 files; fine types mapped by :data:`MOBIE_MAP`; no MISC."""
    for block in _blocks(path):
        words = [row[0] for row in block]
        tags = map_tags([row[-1] for row in block], MOBIE_MAP)
        yield Sentence("mobie", words, tags, has_misc=False)


def clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim blanks and punctuation around a character span; keep dotted abbreviations."""
    while start < end and (text[start].isspace() or text[start] in _STRIP):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _STRIP):
        if text[end - 1] == "." and re.search(r"\b\w{1,4}\.$", text[start:end]):
            break
        end -= 1
    return start, end


def read_smartdata(path: Path, labels: tuple[str, ...] = ("PER", "LOC", "ORG")) -> Iterator[Sentence]:
    """SmartData JSONL with character offsets; spans cleaned, not dropped."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            text = record["text"]
            spans = []
            for start, end, label, *_ in record["entities"]:
                if label not in labels:
                    continue
                start, end = clean_span(text, start, end)
                if end > start:
                    spans.append((start, end, label))
            yield Sentence("smartdata", text=text, spans=spans, has_misc=False)


def germeval_split(index: int) -> str:
    """Fixed split of GermEval dev: every 5th sentence held out for testing, every 10th (+3) for dev."""
    if index % 5 == 4:
        return "test"
    if index % 10 == 3:
        return "dev"
    return "train"
