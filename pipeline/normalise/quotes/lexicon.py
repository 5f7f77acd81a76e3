"""The cue lexicon (``cues.toml`` beside this module), loaded once."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

CUES_FILE = Path(__file__).with_name("cues.toml")
PLURAL_ENDINGS = ("n", "en", "s")
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
    "public_words",
    "passive_auxiliaries",
    "agent_prepositions",
    "generic_subjects",
    "modal_verbs",
    "function_words",
    "oblique_determiners",
    "possessives",
    "reflexive_sources",
    "anaphoric_objects",
    "anaphoric_sources",
    "demonstratives",
    "source_pp_verbs",
    "source_pp_prepositions",
    "reflexive_speech_words",
    "foreign_function_words",
    "reportive_forms",
    "sound_verbs",
    "informing_nouns",
    "reporting_only",
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
    source_noun_prepositions: frozenset[str]
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
    public_words: frozenset[str]
    passive_auxiliaries: frozenset[str]
    agent_prepositions: frozenset[str]
    generic_subjects: frozenset[str]
    modal_verbs: frozenset[str]
    function_words: frozenset[str]
    oblique_determiners: frozenset[str]
    possessives: frozenset[str]
    reflexive_sources: frozenset[str]
    anaphoric_objects: frozenset[str]
    anaphoric_sources: frozenset[str]
    demonstratives: frozenset[str]
    source_pp_verbs: frozenset[str]
    source_pp_prepositions: frozenset[str]
    reflexive_speech_words: frozenset[str]
    foreign_function_words: frozenset[str]
    reportive_forms: frozenset[str]
    sound_verbs: frozenset[str]
    informing_nouns: frozenset[str]
    reporting_only: frozenset[str]
    perception_verbs: frozenset[str] = frozenset()  # joined lemmas: "feststellen", "ergeben"
    appeal_verbs: frozenset[str] = frozenset()
    accusation_verbs: frozenset[str] = frozenset()
    verb_senses: dict[str, tuple[str, ...]] = field(default_factory=dict)  # cue -> object heads that are acts
    content_prepositions: dict[str, frozenset[str]] = field(default_factory=dict)  # cue -> what it says is about
    verb_lemmas: dict[str, str] = field(default_factory=dict)  # finite form -> lemma the lemmatizer misses
    not_speaker_heads: frozenset[str] = frozenset()
    not_speaker_endings: tuple[str, ...] = ()
    document_nouns: tuple[str, ...] = ()
    adverb_endings: tuple[str, ...] = ()
    feminine_endings: tuple[str, ...] = ()
    inanimate_endings: tuple[str, ...] = ()
    speaking_bodies: frozenset[str] = frozenset()
    reflexive_not_speech: frozenset[str] = frozenset()  # joined lemmas: "bestätigen", "ankündigen"

    def can_speak(self, head: str) -> bool:
        """False for a head noun that names a thing or an act ("Behandlung", "Erstversorgung"), not a speaker."""
        word = head.lower()
        if word.endswith(self.speaking_body_endings) or word.endswith(self.role_nouns):
            return True
        return not word.endswith(self.inanimate_endings)

    @cached_property
    def speaking_body_endings(self) -> tuple[str, ...]:
        """Endings of a compound that names a speaking body, singular and plural: "…kommission", "…kommissionen"."""
        return tuple(ending for body in sorted(self.speaking_bodies) for ending in (body, body + "en"))

    @cached_property
    def frame_words(self) -> frozenset[str]:
        """Lower-case words that can open a reported-speech frame besides a speech verb ("laut", "zufolge", "so")."""
        return self.source_prepositions | self.source_noun_prepositions | self.source_postpositions | {"so"}

    @cached_property
    def frame_lemmas(self) -> frozenset[str]:
        """Lemmas of the speech verbs, particle verbs by their base ("sagen", "teilen")."""
        return self.speech_verbs | frozenset(self.particle_verbs)

    def no_speaker_head(self, word: str) -> bool:
        """A head word (or compound ending) that names a time, an animal, a vehicle or a source, not a speaker."""
        lower = word.lower()
        return lower in self.not_speaker_heads or lower.endswith(self.not_speaker_endings)

    def function_word(self, word: str) -> bool:
        """A conjunction or adverb ("Und", "Genau", "Zwischenzeitlich"), by list or by adverb ending."""
        lower = word.lower()
        return lower in self.function_words or (len(lower) > 5 and lower.endswith(self.adverb_endings))

    def act_object(self, cue: str, words: list[str]) -> bool:
        """The object words of ``cue`` make it an act, not a statement ("bestritt 106 Länderspiele", "lehnte
        Blutentnahmen ab": a listed head also in the plural)."""
        heads = self.verb_senses.get(cue)
        if not heads:
            return False
        for word in words:
            if word[:1].isupper():
                lower = word.lower()
                if lower.endswith(heads) or any(
                    lower[: -len(e)].endswith(heads) for e in PLURAL_ENDINGS if lower.endswith(e)
                ):
                    return True
        return False

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
    perception, _ = _verbs(data.get("perception_verbs", []))
    appeal, _ = _verbs(data.get("appeal_verbs", []))
    accusation, _ = _verbs(data.get("accusation_verbs", []))
    reflexive, _ = _verbs(data.get("reflexive_not_speech", []))
    return Cues(
        speech_verbs=frozenset(speech),
        particle_verbs={base: frozenset(p) for base, p in particles.items()},
        reporting_verbs=frozenset(reporting),
        clause_openers=frozenset(data["clause_openers"]),
        subjunctive_forms=frozenset(data["subjunctive_forms"]),
        source_prepositions=frozenset(data["source_prepositions"]),
        source_noun_prepositions=frozenset(data["source_noun_prepositions"]),
        source_postpositions=frozenset(data["source_postpositions"]),
        source_nouns=frozenset(data["source_nouns"]),
        source_noun_endings=tuple(sorted({noun.lower() for noun in data["source_nouns"]})),
        role_nouns=tuple(sorted({r.lower() for r in data["role_nouns"]}, key=len, reverse=True)),
        perception_verbs=frozenset(perception),
        appeal_verbs=frozenset(appeal),
        accusation_verbs=frozenset(accusation),
        verb_senses={verb: tuple(heads) for verb, heads in data.get("verb_senses", {}).items()},
        content_prepositions={v: frozenset(p) for v, p in data.get("content_prepositions", {}).items()},
        verb_lemmas=dict(data.get("verb_lemmas", {})),
        not_speaker_heads=frozenset(data.get("not_speaker_heads", ())),
        not_speaker_endings=tuple(data.get("not_speaker_endings", ())),
        document_nouns=tuple(data.get("document_nouns", ())),
        adverb_endings=tuple(data.get("adverb_endings", ())),
        feminine_endings=tuple(data.get("feminine_endings", ())),
        inanimate_endings=tuple(data.get("inanimate_endings", ())),
        speaking_bodies=frozenset(data.get("speaking_bodies", ())),
        reflexive_not_speech=frozenset(reflexive),
        **{name: frozenset(data[name]) for name in WORD_SETS},
    )
