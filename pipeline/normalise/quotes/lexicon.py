"""The cue lexicon (``cues.toml`` beside this module), loaded once."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CUES_FILE = Path(__file__).with_name("cues.toml")
WORD_SETS = (
    "determiners",
    "fronted",
    "prepositions",
    "phrase_links",
    "pronouns",
    "not_verbs",
    "separable_particles",
    "evidence_nouns",
    "naming_words",
)


@dataclass(frozen=True)
class Cues:
    """Word lists of the quote stage; verbs are lemmas."""

    speech_verbs: frozenset[str]
    particle_verbs: dict[str, frozenset[str]]  # base lemma -> particles ("teilen" -> {"mit"})
    reporting_verbs: frozenset[str]
    clause_openers: frozenset[str]
    subjunctive_forms: frozenset[str]
    source_prepositions: frozenset[str]
    source_postpositions: frozenset[str]
    source_nouns: frozenset[str]
    source_noun_endings: tuple[str, ...]
    role_nouns: tuple[str, ...]
    determiners: frozenset[str]
    fronted: frozenset[str]
    prepositions: frozenset[str]
    phrase_links: frozenset[str]
    pronouns: frozenset[str]
    not_verbs: frozenset[str]
    separable_particles: frozenset[str]
    evidence_nouns: frozenset[str]
    naming_words: frozenset[str]
    inanimate_endings: tuple[str, ...] = ()
    speaking_bodies: frozenset[str] = frozenset()

    def can_speak(self, head: str) -> bool:
        """False for a head noun that names a thing or an act ("Behandlung", "Erstversorgung"), not a speaker."""
        word = head.lower()
        if any(word.endswith(body) for body in self.speaking_bodies) or any(word.endswith(r) for r in self.role_nouns):
            return True
        return not word.endswith(self.inanimate_endings)

    def verb(self, lemma: str, particle: str | None = None) -> str | None:
        """The cue lemma for a verb (with the split-off particle it has, if any), else None."""
        lemma = lemma.lower()
        if particle and particle in self.particle_verbs.get(lemma, ()):
            return particle + lemma
        return lemma if lemma in self.speech_verbs else None


def _verbs(entries: list[str]) -> tuple[set[str], dict[str, set[str]]]:
    joined, particles = set(), {}
    for entry in entries:
        particle, _, base = entry.rpartition("|")
        joined.add(particle + base)
        if particle:
            particles.setdefault(base, set()).add(particle)
    return joined, particles


@cache
def cues(path: Path = CUES_FILE) -> Cues:
    """Read the lexicon; a broken file is a ValueError naming it."""
    try:
        return _parse(tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as error:
        raise ValueError(f"{path}: cannot read the quote cue lexicon: {error!r}") from error


def _parse(data: dict) -> Cues:
    speech, particles = _verbs(data["speech_verbs"])
    reporting, _ = _verbs(data["reporting_verbs"])
    return Cues(
        speech_verbs=frozenset(speech),
        particle_verbs={base: frozenset(p) for base, p in particles.items()},
        reporting_verbs=frozenset(reporting),
        clause_openers=frozenset(data["clause_openers"]),
        subjunctive_forms=frozenset(data["subjunctive_forms"]),
        source_prepositions=frozenset(data["source_prepositions"]),
        source_postpositions=frozenset(data["source_postpositions"]),
        source_nouns=frozenset(data["source_nouns"]),
        source_noun_endings=tuple(sorted({noun.lower() for noun in data["source_nouns"]})),
        role_nouns=tuple(sorted({r.lower() for r in data["role_nouns"]}, key=len, reverse=True)),
        inanimate_endings=tuple(data.get("inanimate_endings", ())),
        speaking_bodies=frozenset(data.get("speaking_bodies", ())),
        **{name: frozenset(data[name]) for name in WORD_SETS},
    )
