"""Word tables of the embedded model as two sorted arrays: loaded in milliseconds, looked up a Doc at a time.

A spaCy lookups ``Table`` of 600,000 entries costs seconds on every start: each entry is hashed into an
``OrderedDict`` and a Bloom filter as the model loads. A *packed* table is a lookups table of two entries:
``keys``, the sorted hashes of the word forms (``uint64``), and ``values``, their values in the same order. It ships
in the model's ``vocab/lookups.bin`` like any table, loads as two read-only numpy arrays that forked workers share
without copying, and answers for all tokens of a Doc with one ``searchsorted``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from spacy.lookups import Table
from spacy.strings import get_string_id

KEYS, VALUES = "keys", "values"


def pack(mapping: Mapping[str, int] | Mapping[int, int]) -> dict[str, np.ndarray]:
    """The entries of a packed table: the hashes of ``mapping``'s keys, sorted, and their values."""
    keys = np.fromiter((get_string_id(key) for key in mapping), dtype=np.uint64, count=len(mapping))
    values = np.fromiter(mapping.values(), dtype=np.uint64, count=len(mapping))
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order].astype(_narrowest(values))
    if len(keys) > 1 and bool((keys[1:] == keys[:-1]).any()):
        raise ValueError("two keys of the table have the same hash")
    return {KEYS: keys, VALUES: values}


def _narrowest(values: np.ndarray) -> type:
    """The smallest unsigned integer type that holds every value (the table ships in the model folder)."""
    largest = int(values.max()) if values.size else 0
    return next(t for t in (np.uint8, np.uint16, np.uint32, np.uint64) if largest <= np.iinfo(t).max)


class PackedTable:
    """Sorted key hashes and their values; ``lookup`` answers for an array of hashes at once."""

    def __init__(self, keys: np.ndarray, values: np.ndarray) -> None:
        if keys.shape[0] != values.shape[0]:
            raise ValueError(f"{keys.shape[0]} keys but {values.shape[0]} values")
        self.keys, self.values = keys.astype(np.uint64, copy=False), values

    @classmethod
    def of(cls, table: Table | Mapping) -> PackedTable:
        """The packed form of a lookups table: as stored, or packed now from a table of plain entries (a model
        built before tables were packed)."""
        keys, values = table.get(KEYS), table.get(VALUES)
        if isinstance(keys, np.ndarray) and isinstance(values, np.ndarray):
            return cls(keys, values)
        packed = pack(dict(table.items()))
        return cls(packed[KEYS], packed[VALUES])

    def __len__(self) -> int:
        return int(self.keys.shape[0])

    def lookup(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The value of each hash (0 where the table lacks it) and whether the table has it."""
        hashes = np.asarray(hashes, dtype=np.uint64)
        if not len(self) or not hashes.size:
            return np.zeros(hashes.shape, dtype=np.uint64), np.zeros(hashes.shape, dtype=bool)
        positions = np.minimum(np.searchsorted(self.keys, hashes), len(self) - 1)
        found = self.keys[positions] == hashes
        return np.where(found, self.values[positions].astype(np.uint64), np.uint64(0)), found

    def get(self, key: str | int) -> int | None:
        """The value of one key, ``None`` if the table lacks it."""
        value, found = self.lookup(np.array([get_string_id(key)], dtype=np.uint64))
        return int(value[0]) if found[0] else None


class PackedIndex:
    """The packed form of one lookups table of the vocab a Doc comes from, packed once per table object."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.table_id = -1
        self.table = PackedTable(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint64))

    def changed(self, lookups) -> bool:
        """Load the vocab's table if it is not the one loaded; True when it was (re)loaded."""
        table = lookups.get_table(self.name) if self.name in lookups else {}
        if id(table) == self.table_id:
            return False
        self.table = PackedTable.of(table)
        self.table_id = id(table)
        return True


def pack_lookups(lookups, names: list[str]) -> list[str]:
    """Replace each named table of plain entries in ``lookups`` by its packed form; the names it packed."""
    packed = []
    for name in names:
        if name not in lookups:
            continue
        table = lookups.get_table(name)
        if isinstance(table.get(KEYS), np.ndarray):
            continue
        entries = PackedTable.of(table)
        lookups.remove_table(name)
        lookups.add_table(name, pack(dict(zip(entries.keys.tolist(), entries.values.tolist(), strict=True))))
        packed.append(name)
    return packed
