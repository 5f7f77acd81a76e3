"""Prebuilt look-up tables in a read-only SQLite file, each value unpickled on first use.

A process that needs a few hundred names of a table of 300,000 pays for those, not for reading the whole
table at start-up: :class:`StoredTable` is a read-only mapping over one table of the file, with a memo of
the values already read. The file is written once (:func:`write_tables`, atomically) and the operating
system keeps its pages in its cache for every process. A worker forked from a process that opened the
file opens it again (SQLite connections must not cross ``fork``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

_MISSING = object()


class StoredTable(Mapping):
    """A read-only ``dict`` view of one table of a file written by :func:`write_tables`."""

    def __init__(self, path: Path, table: str) -> None:
        self.path, self.table = path, table
        self._memo: dict[str, Any] = {}
        self._connection: sqlite3.Connection | None = None
        self._pid = -1

    def _db(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():
            self._connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._pid = os.getpid()
        return self._connection

    def _read(self, key: str) -> Any:
        value = self._memo.get(key, _MISSING)
        if value is _MISSING:
            row = self._db().execute(f"SELECT value FROM {self.table} WHERE key = ?", (key,)).fetchone()
            value = self._memo[key] = pickle.loads(row[0]) if row else None
        return value

    def get(self, key: str, default: Any = None) -> Any:
        value = self._read(key) if isinstance(key, str) else None
        return default if value is None else value

    def __getitem__(self, key: str) -> Any:
        value = self._read(key) if isinstance(key, str) else None
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._read(key) is not None

    def __iter__(self) -> Iterator[str]:
        return (key for (key,) in self._db().execute(f"SELECT key FROM {self.table}"))

    def __len__(self) -> int:
        return self._db().execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0]

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "table": self.table}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"], state["table"])


def write_tables(path: Path, tables: dict[str, Iterable[tuple[str, Any]]]) -> None:
    """Write ``{table: (key, value) pairs}`` to ``path`` atomically (values pickled; ``None`` values left out)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(handle)
    try:
        with sqlite3.connect(tmp) as db:
            for table, rows in tables.items():
                db.execute(f"CREATE TABLE {table} (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")
                db.executemany(
                    f"INSERT INTO {table} VALUES (?, ?)",
                    ((k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)) for k, v in rows if v is not None),
                )
        db.close()
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def stored_tables(path: Path, names: Iterable[str]) -> dict[str, StoredTable] | None:
    """The named tables of ``path``; None when the file is missing or lacks one of them."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            found = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        db.close()
    except sqlite3.Error:
        return None
    names = list(names)
    return {name: StoredTable(path, name) for name in names} if found >= set(names) else None


def cache_folder() -> Path:
    """The user cache of built tables: ``$PRESSEWERK_CACHE``, else ``$XDG_CACHE_HOME/pressewerk`` (``~/.cache``)."""
    return Path(
        os.environ.get("PRESSEWERK_CACHE")
        or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "pressewerk"
    )


def cached_pickle(name: str, sources: Iterable[Path], build: Callable[[], Any]) -> Any:
    """``build()``, kept as a pickle in the user cache and reused while ``sources`` are byte-for-byte the same.

    For tables parsed from shipped text files (word lists): unpickling is several times faster than parsing.
    Without a writable cache the table is built every time.
    """
    digest = hashlib.sha1(name.encode())
    for source in sources:
        digest.update(source.read_bytes())
    try:
        path: Path | None = cache_folder() / f"{name}-{digest.hexdigest()[:16]}.pickle"
    except RuntimeError:  # no home folder
        path = None
    if path is not None and path.is_file():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass
    value = build()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle_no, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(handle_no, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only cache: the next start builds it again
    return value
