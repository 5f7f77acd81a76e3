"""One in-memory DuckDB database per process, for the SQL of publishing, its checks and the report.

Opening a database costs about 40 ms, and publishing one run opened eight. A cursor on an open one costs under
1 ms and has its own registered tables. A process forked after the database was opened opens its own.
"""

from __future__ import annotations

import os

import duckdb

THREADS = 2  # the aggregates always ran with two: publishing's memory stays flat on a many-core machine

_database: tuple[int, duckdb.DuckDBPyConnection] | None = None


def cursor() -> duckdb.DuckDBPyConnection:
    """A new cursor on this process's in-memory database; use it as ``with cursor() as con:``."""
    global _database
    if _database is None or _database[0] != os.getpid():
        _database = (os.getpid(), duckdb.connect(config={"threads": THREADS}))
    return _database[1].cursor()
