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
from functools import lru_cache, reduce
from operator import or_

from spacy.attrs import LOWER, SHAPE
from spacy.lang.lex_attrs import word_shape
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from pipeline.nlp.doc_text import token_orths

Rules = list[tuple[str, str, list[list[dict]]]]  # (label, rule id, token patterns)
WORD_ATTRS = ("LOWER", "TEXT", "ORTH", "SHAPE")
CACHE_SIZE = 4096  # window word sets and Matchers a GatedMatcher keeps
RECENT_DOCS = 1024  # docs whose masks WordClasses keeps (more than one nlp.pipe batch)
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

    def __init__(self, vocab: Vocab | None, cache_size: int = 500_000) -> None:
        self.vocab, self.cache_size = vocab, cache_size
        self._bits: dict[str, int] = {}
        self._tables: dict[str, dict[str, int]] = {"LOWER": {}, "TEXT": {}, "SHAPE": {}}
        self._callables: list[tuple[int, WordTestFn]] = []
        self._masks: dict[int, int] = {}
        self._recent: dict[int, tuple[list[int], list[int]]] = {}  # id(doc) -> its orths and masks

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
            self._recent.clear()
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
        """One bit mask per token of ``doc`` (lower case and shape come from the vocabulary).

        The masks of the docs of the last ``nlp.pipe`` batch are kept: the components that share these classes
        (:func:`shared_classes`) read the same tokens one after the other, and pay the look-ups once.
        """
        orths = token_orths(doc)
        seen = self._recent.get(id(doc))
        if seen is not None and seen[0] == orths:  # masks are a function of the word forms alone
            return seen[1]
        get = self._masks.get
        out = [get(orth) for orth in orths]
        if None in out:
            strings, masks = self.vocab.strings, self._masks
            columns = doc.to_array([LOWER, SHAPE]).tolist()
            for i, mask in enumerate(out):
                if mask is None:
                    (lower, shape), orth = columns[i], orths[i]
                    out[i] = self.mask(strings[orth], strings[lower], strings[shape])
                    if len(masks) < self.cache_size:
                        masks[orth] = out[i]
        if len(self._recent) >= RECENT_DOCS:
            self._recent.clear()
        self._recent[id(doc)] = (orths, out)
        return out


def shared_classes(nlp: Language) -> WordClasses:
    """The one :class:`WordClasses` of ``nlp``'s components (the entity rules, the dates): one look-up per token."""
    classes = getattr(nlp, "_pressewerk_word_classes", None)
    if classes is None or classes.vocab is not nlp.vocab:
        classes = WordClasses(nlp.vocab)
        nlp._pressewerk_word_classes = classes
    return classes


def pattern_length(pattern: list[dict]) -> int | None:
    """The most tokens ``pattern`` can match; ``None`` when unbounded ("+", "*", "{n,}")."""
    total = 0
    for spec in pattern:
        op = spec.get("OP")
        if op in (None, "?", "!", "1"):  # "!" takes one token that fails the test
            total += 1
        elif isinstance(op, str) and (bounds := re.fullmatch(r"\{(\d*)(,?)(\d*)\}", op)):
            low, comma, high = bounds.groups()
            if comma and not high:
                return None
            total += int(high or low or 0)
        else:
            return None
    return total


FIRST_USER_FLAG, LAST_USER_FLAG = 19, 63  # spaCy's lexeme flags free for users


@lru_cache(maxsize=16384)
def _word_forms(orth: str) -> tuple[str, str]:
    """Lower case and shape of a word form, computed once for all its flags (spaCy asks per flag, and per
    flag for every word of the vocabulary when a flag is added: the cache holds a loaded model's words)."""
    return orth.lower(), word_shape(orth)


class FlagTest:
    """A picklable word test stored as a lexeme flag; equal names share one flag.

    spaCy asks every flag of a new word form in turn; the first ask computes the results of all flag tests at once
    (one lookup per attribute, :class:`WordClasses`), the others read their bit.
    """

    _bank = None  # WordClasses of every flag test made in this process (class-level: flags are per process)
    _last: tuple[str | None, int] = (None, 0)  # the last word form asked and its mask

    def __init__(self, name: str, test: WordTest) -> None:
        self.name, self.test = name, test
        if FlagTest._bank is None:
            FlagTest._bank = WordClasses(None)
        self.bit = FlagTest._bank.bit(name, test)
        FlagTest._last = (None, 0)  # a new test: masks computed before it lack its bit

    def __call__(self, orth: str) -> bool:
        last, mask = FlagTest._last
        if orth != last:
            mask = FlagTest._bank.mask(orth, *_word_forms(orth))
            FlagTest._last = (orth, mask)
        return bool(mask & self.bit)

    def __reduce__(self):
        return FlagTest, (self.name, self.test)  # re-registered in the process that unpickles it

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
        self.lengths = [pattern_length(pattern) for pattern in readable]
        self._active: dict[int, tuple[int, ...]] = {}
        self._matchers: dict[tuple[int, ...], Matcher | None] = {}

    def __call__(
        self, doc: Doc, windows: Iterable[tuple[int, int]], masks: list[int]
    ) -> Iterator[tuple[int, int, int]]:
        """(match id, start, end) in ``doc`` coordinates; ``masks`` are ``doc``'s word classes."""
        for start, end in windows:
            matcher = self._matcher_for(reduce(or_, masks[start:end], 0))
            if matcher is not None:
                for match_id, s, e in matcher(doc[start:end]):
                    yield match_id, start + s, start + e

    def anchored_windows(self, masks: list[int]) -> list[tuple[int, int]]:
        """Token ranges that hold every match of the patterns the doc can satisfy.

        A match holds each required word of its pattern and is at most as long as the pattern can be, so a pattern
        is looked for only around its rarest required word in this doc; the whole doc where a pattern has no required
        word or no upper length ("+", "*").
        """
        n = len(masks)
        active = self._active_patterns(reduce(or_, masks, 0))
        if not active:
            return []
        if any(self.lengths[i] is None or not self.required[i] for i in active):
            return [(0, n)]
        anchors = reduce(or_, (self.required[i] for i in active), 0)
        hits = [(i, mask) for i, mask in enumerate(masks) if mask & anchors]
        ranges: list[tuple[int, int]] = []
        for pattern in active:
            required, length = self.required[pattern], self.lengths[pattern]
            best: list[int] | None = None
            while required:
                bit = required & -required
                required ^= bit
                positions = [i for i, mask in hits if mask & bit]
                if best is None or len(positions) < len(best):
                    best = positions
            ranges += [(max(0, i - length + 1), min(n, i + length)) for i in best or ()]
        merged: list[tuple[int, int]] = []
        for start, end in sorted(ranges):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    def _active_patterns(self, present: int) -> tuple[int, ...]:
        """The patterns whose required words are all in ``present``."""
        active = self._active.get(present)
        if active is None:
            active = tuple(i for i, required in enumerate(self.required) if required & ~present == 0)
            if len(self._active) < CACHE_SIZE:
                self._active[present] = active
        return active

    def _matcher_for(self, present: int) -> Matcher | None:
        active = self._active_patterns(present)
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

    def __init__(self, vocab: Vocab, rules: Rules, classes: WordClasses | None = None) -> None:
        self.classes = classes or WordClasses(vocab)
        self.gated = GatedMatcher(vocab, rules, self.classes)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        if not len(doc):
            return []
        masks = self.classes.masks(doc)
        return list(self.gated(doc, self.gated.anchored_windows(masks), masks))


def gate_entity_ruler(ruler) -> None:
    """Let ``ruler`` (a filled spaCy ``EntityRuler``) match its token patterns through a :class:`GatedDocMatcher`.

    The ruler's own Matcher stays for everything else; matches, keys and so the entities are the same.
    """
    if isinstance(ruler.matcher, _RulerMatcher):
        return
    # token_patterns is keyed as the ruler's Matcher is ("LABEL||id" for a pattern with an id)
    rules = [(key, key, list(patterns)) for key, patterns in ruler.token_patterns.items() if patterns]
    if rules:
        ruler.matcher = _RulerMatcher(ruler.matcher, GatedDocMatcher(ruler.nlp.vocab, rules, shared_classes(ruler.nlp)))


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
