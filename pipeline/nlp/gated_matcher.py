"""A spaCy Matcher that runs, per window of text, only the patterns that can match there.

The Matcher starts a state for every pattern at every token, so its cost grows with the number of
patterns. Most patterns need a word the window does not have ("Uhr", a month name, a four-digit
number): each required step of a pattern is a word test, a word form's test results are one bit
mask computed once per form, and a window runs only the patterns whose required words it holds.
Nothing that could match is left out, so the matches are the Matcher's own.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from spacy.attrs import LOWER, ORTH, SHAPE
from spacy.lang.lex_attrs import word_shape
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

Rules = list[tuple[str, str, list[list[dict]]]]  # (label, rule id, token patterns)
WORD_ATTRS = ("LOWER", "TEXT", "ORTH", "SHAPE")
CACHE_SIZE = 4096  # window word sets and Matchers a GatedMatcher keeps
WordTestFn = Callable[[str, str, str], bool]  # (text, lower case, shape) -> passes


class WordTest:
    """The test one Matcher step makes on a word form: a value, an ``IN`` set or a ``REGEX``."""

    def __init__(self, attr: str, value: str | dict) -> None:
        self.attr = attr
        self.values = frozenset([value] if isinstance(value, str) else value.get("IN", ()))
        self.regex = re.compile(value["REGEX"]) if isinstance(value, dict) and "REGEX" in value else None

    def __call__(self, text: str, lower: str, shape: str) -> bool:
        value = lower if self.attr == "LOWER" else shape if self.attr == "SHAPE" else text
        return value in self.values if self.regex is None else self.regex.search(value) is not None


def word_test(spec: dict) -> tuple[str, WordTest] | None:
    """(name, test) for a required step that tests one word attribute; None for anything else."""
    if spec.get("OP") not in (None, "+"):
        return None
    body = {k: v for k, v in spec.items() if k != "OP"}
    if len(body) != 1:
        return None
    ((attr, value),) = body.items()
    if attr not in WORD_ATTRS:
        return None
    if isinstance(value, dict) and set(value) not in ({"IN"}, {"REGEX"}):
        return None
    return json.dumps(body, sort_keys=True, ensure_ascii=False), WordTest(attr, value)


class WordClasses:
    """Which of a list of word tests each token passes, as a bit mask computed once per word form.

    Value and set tests are folded into one lookup table per attribute, so a new word form costs
    a few dictionary lookups; only regular expressions and other callables are run one by one.
    """

    def __init__(self, vocab: Vocab, cache_size: int = 500_000) -> None:
        self.vocab, self.cache_size = vocab, cache_size
        self._bits: dict[str, int] = {}
        self._tables: dict[str, dict[str, int]] = {"LOWER": {}, "TEXT": {}, "SHAPE": {}}
        self._callables: list[tuple[int, WordTestFn]] = []
        self._masks: dict[int, int] = {}

    def bit(self, name: str, *tests: WordTestFn) -> int:
        """The bit of the test called ``name``, passed when any of ``tests`` passes (added on first use)."""
        if name not in self._bits:
            bit = self._bits[name] = 1 << len(self._bits)
            for test in tests:
                if isinstance(test, WordTest) and test.regex is None:
                    table = self._tables["TEXT" if test.attr == "ORTH" else test.attr]
                    for value in test.values:
                        table[value] = table.get(value, 0) | bit
                else:
                    self._callables.append((bit, test))
            self._masks.clear()
        return self._bits[name]

    def mask(self, text: str, lower: str, shape: str) -> int:
        """The tests a word form passes."""
        tables = self._tables
        mask = tables["LOWER"].get(lower, 0) | tables["TEXT"].get(text, 0) | tables["SHAPE"].get(shape, 0)
        for bit, test in self._callables:
            if test(text, lower, shape):
                mask |= bit
        return mask

    def masks(self, doc: Doc) -> list[int]:
        """One bit mask per token of ``doc`` (lower case and shape come from the vocabulary)."""
        masks, strings, out = self._masks, self.vocab.strings, []
        for orth, lower, shape in doc.to_array([ORTH, LOWER, SHAPE]).tolist():
            mask = masks.get(orth)
            if mask is None:
                mask = self.mask(strings[orth], strings[lower], strings[shape])
                if len(masks) < self.cache_size:
                    masks[orth] = mask
            out.append(mask)
        return out


FIRST_USER_FLAG, LAST_USER_FLAG = 19, 63  # spaCy's lexeme flags free for users


@lru_cache(maxsize=16384)
def _word_forms(orth: str) -> tuple[str, str]:
    """Lower case and shape of a word form, computed once for all its flags (spaCy asks per flag, and per
    flag for every word of the vocabulary when a flag is added: the cache holds a loaded model's words)."""
    return orth.lower(), word_shape(orth)


class FlagTest:
    """A picklable word test stored as a lexeme flag; equal names share one flag."""

    def __init__(self, name: str, test: WordTest) -> None:
        self.name, self.test = name, test

    def __call__(self, orth: str) -> bool:
        return self.test(orth, *_word_forms(orth))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FlagTest) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)


def as_flags(vocab: Vocab, rules: Iterable[Rules], budget: int) -> list[Rules]:
    """The same rules with up to ``budget`` set and regex specs turned into lexeme flags.

    spaCy computes a flag once per word form and checks it in Cython, where an ``IN`` set is a
    Python call per token and is hashed anew in every Matcher built. The specs that save most
    (large sets, used often) get the flags; the rest stay as they are and mean the same.
    """
    rules = list(rules)
    saving: Counter[str] = Counter()
    tests: dict[str, WordTest] = {}
    for group in rules:
        for _, _, patterns in group:
            for spec in (spec for pattern in patterns for spec in pattern):
                found = word_test({k: v for k, v in spec.items() if k != "OP"})
                if found is not None and (found[1].regex is not None or len(found[1].values) > 1):
                    tests[found[0]] = found[1]
                    saving[found[0]] += 1 + len(found[1].values)
    flags: dict[str, str] = {}
    getters = vocab.lex_attr_getters
    for name, _ in saving.most_common():
        test = FlagTest(name, tests[name])
        taken = next((f for f in range(FIRST_USER_FLAG, LAST_USER_FLAG + 1) if getters.get(f) == test), None)
        free = next((f for f in range(FIRST_USER_FLAG, LAST_USER_FLAG + 1) if f not in getters), None)
        if taken is None and (free is None or len(flags) >= budget):
            break
        if taken is None:
            vocab.add_flag(test, flag_id=free)
        flags[name] = f"FLAG{taken if taken is not None else free}"

    def swap(spec: dict) -> dict:
        found = word_test({k: v for k, v in spec.items() if k != "OP"})
        if found is None or found[0] not in flags:
            return spec
        return {flags[found[0]]: True, **({"OP": spec["OP"]} if "OP" in spec else {})}

    return [
        [
            (label, rule_id, [[swap(spec) for spec in pattern] for pattern in patterns])
            for label, rule_id, patterns in group
        ]
        for group in rules
    ]


class GatedMatcher:
    """Matches ``rules`` in windows of a doc, each window with only the patterns it can satisfy.

    ``matched`` are the same rules as the Matcher gets them (e.g. with lexeme flags, ``as_flags``).
    """

    def __init__(self, vocab: Vocab, rules: Rules, classes: WordClasses, matched: Rules | None = None) -> None:
        self.vocab = vocab
        readable = [pattern for _, _, patterns in rules for pattern in patterns]
        self.patterns = [(rule_id, pattern) for _, rule_id, patterns in matched or rules for pattern in patterns]
        self.required: list[int] = []
        for pattern in readable:
            tests = filter(None, map(word_test, pattern))
            self.required.append(sum({classes.bit(name, test) for name, test in tests}))
        self._active: dict[int, tuple[int, ...]] = {}
        self._matchers: dict[tuple[int, ...], Matcher | None] = {}

    def __call__(
        self, doc: Doc, windows: Iterable[tuple[int, int]], masks: list[int]
    ) -> Iterator[tuple[int, int, int]]:
        """(match id, start, end) in ``doc`` coordinates; ``masks`` are ``doc``'s word classes."""
        for start, end in windows:
            present = 0
            for mask in masks[start:end]:
                present |= mask
            matcher = self._matcher_for(present)
            if matcher is not None:
                for match_id, s, e in matcher(doc[start:end]):
                    yield match_id, start + s, start + e

    def _matcher_for(self, present: int) -> Matcher | None:
        active = self._active.get(present)
        if active is None:
            active = tuple(i for i, required in enumerate(self.required) if required & ~present == 0)
            if len(self._active) < CACHE_SIZE:
                self._active[present] = active
        if active in self._matchers:
            return self._matchers[active]
        by_rule: dict[str, list[list[dict]]] = {}
        for row in active:
            rule_id, pattern = self.patterns[row]
            by_rule.setdefault(rule_id, []).append(pattern)
        matcher = Matcher(self.vocab, validate=False) if by_rule else None  # validated at start
        for rule_id, patterns in by_rule.items():
            matcher.add(rule_id, patterns)
        if len(self._matchers) < CACHE_SIZE:
            self._matchers[active] = matcher
        return matcher


class GatedDocMatcher:
    """A drop-in for a filled ``Matcher``'s ``__call__`` on whole docs: only the patterns a doc can satisfy run.

    Used for the EntityRuler's token patterns (:func:`gate_entity_ruler`); a doc without, say, any legal form
    skips every pattern that needs one, and each word form's tests (``REGEX``, ``IN``) are made once per run.
    """

    def __init__(self, vocab: Vocab, rules: Rules) -> None:
        self.classes = WordClasses(vocab)
        self.gated = GatedMatcher(vocab, rules, self.classes)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        if not len(doc):
            return []
        return list(self.gated(doc, [(0, len(doc))], self.classes.masks(doc)))


def gate_entity_ruler(ruler) -> None:
    """Let ``ruler`` (a filled spaCy ``EntityRuler``) match its token patterns through a :class:`GatedDocMatcher`.

    The ruler's own Matcher stays for everything else; matches, keys and so the entities are the same.
    """
    if isinstance(ruler.matcher, _RulerMatcher):
        return
    # token_patterns is keyed as the ruler's Matcher is ("LABEL||id" for a pattern with an id)
    rules = [(key, key, list(patterns)) for key, patterns in ruler.token_patterns.items() if patterns]
    if rules:
        ruler.matcher = _RulerMatcher(ruler.matcher, GatedDocMatcher(ruler.nlp.vocab, rules))


class _RulerMatcher:
    """The ruler's Matcher with ``__call__`` gated; every other attribute is the Matcher's."""

    def __init__(self, matcher: Matcher, gated: GatedDocMatcher) -> None:
        self._matcher, self._gated = matcher, gated

    def __call__(self, doc: Doc, *args, **kwargs):
        return self._gated(doc) if not args and not kwargs else self._matcher(doc, *args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self._matcher, name)

    def __len__(self) -> int:
        return len(self._matcher)

    def __contains__(self, key: str) -> bool:
        return key in self._matcher
