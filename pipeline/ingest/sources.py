"""Walk the inputs (files, folders, globs, archives) in a stable order.

Archives are read as streams, members are never written to disk, and member
names that would escape a folder (``../``, absolute paths) are rejected.
"""

from __future__ import annotations

import glob
import io
import os
import tarfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath

from pipeline.ingest.document import Reject
from pipeline.ingest.formats import IngestOptions, Item, read_blob

ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")


class UsageError(Exception):
    """An input path that does not exist (exit code 2, before any document)."""


def is_archive(name: str) -> bool:
    return name.lower().endswith(ARCHIVE_SUFFIXES)


def expand_inputs(inputs: Sequence[str]) -> Iterator[Path]:
    """Files named by ``inputs`` in sorted order; folders are walked without following links."""
    for raw in inputs:
        if any(ch in raw for ch in "*?["):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                raise UsageError(f"no files match {raw!r}")
            paths = [Path(m) for m in matches]
        else:
            path = Path(raw)
            if not path.exists() and not path.is_symlink():
                raise UsageError(f"input does not exist: {raw}")
            paths = [path]
        for path in paths:
            if path.is_dir() and not path.is_symlink():
                for root, dirs, files in os.walk(path, followlinks=False):
                    dirs.sort()
                    for name in sorted(files):
                        if not name.startswith("."):
                            yield Path(root) / name
            else:
                yield path


def _unsafe_member(name: str) -> str | None:
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or name.startswith(("/", "\\")) or ".." in posix.parts:
        return "member path escapes the archive"
    return None


def _read_limited(handle: io.BufferedIOBase, limit: int) -> bytes | None:
    data = handle.read(limit + 1)
    return None if len(data) > limit else data


def _archive_members(source: str, fileobj: io.BufferedIOBase | str, name: str) -> Iterator[tuple[str, int, object]]:
    """(member name, declared size, opener) for each regular member."""
    if name.lower().endswith(".zip"):
        with zipfile.ZipFile(fileobj) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    yield info.filename, info.file_size, lambda info=info, archive=archive: archive.open(info)
        return
    with (
        tarfile.open(fileobj=fileobj, mode="r|*")
        if not isinstance(fileobj, str)
        else tarfile.open(fileobj, mode="r|*") as archive
    ):
        for member in archive:
            if member.isfile():
                yield member.name, member.size, lambda member=member, archive=archive: archive.extractfile(member)
            elif member.issym() or member.islnk() or member.isdev():
                yield member.name, -1, None


def read_archive(
    source: str, fileobj: io.BufferedIOBase | str, name: str, options: IngestOptions, depth: int
) -> Iterator[Item]:
    """Every member of a zip or tar archive, nested archives up to ``max_archive_depth``."""
    if depth > options.max_archive_depth:
        yield Reject(source, "ingest", "archive nested too deep", f"depth {depth} > {options.max_archive_depth}")
        return
    total = 0
    try:
        for count, (member, size, opener) in enumerate(_archive_members(source, fileobj, name), start=1):
            where = f"{source}::{member}"
            if count > options.max_archive_members:
                yield Reject(source, "ingest", "too many archive members", f"> {options.max_archive_members:,}")
                return
            problem = _unsafe_member(member)
            if problem or opener is None:
                yield Reject(where, "ingest", problem or "archive member is a link or device", member)
                continue
            limit = options.max_bytes
            if is_archive(member):
                limit = min(options.max_archive_bytes, options.max_archive_bytes - total)
            if size > limit:
                yield Reject(where, "ingest", "archive member too large", f"{size:,} bytes > limit {limit:,}")
                continue
            with opener() as handle:
                data = _read_limited(handle, limit)
            if data is None:
                yield Reject(where, "ingest", "archive member too large", f"expands past {limit:,} bytes (zip bomb?)")
                continue
            total += len(data)
            if total > options.max_archive_bytes:
                yield Reject(where, "ingest", "archive too large", f"expands past {options.max_archive_bytes:,} bytes")
                return
            if is_archive(member):
                yield from read_archive(where, io.BytesIO(data), member, options, depth + 1)
            else:
                yield from read_blob(where, member, data, options)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, RuntimeError, NotImplementedError) as error:
        yield Reject(source, "ingest", "broken archive", f"{type(error).__name__}: {error}")


def read_path(path: Path, options: IngestOptions) -> Iterator[Item]:
    """All documents in one file (or archive); unreadable files become rejects."""
    source = path.as_posix()
    try:
        if is_archive(path.name):
            with path.open("rb") as handle:
                yield from read_archive(source, handle, path.name, options, depth=0)
            return
        size = path.stat().st_size
        if size > options.max_bytes:
            yield Reject(source, "ingest", "file too large", f"{size:,} bytes > --max-bytes {options.max_bytes:,}")
            return
        data = path.read_bytes()
    except OSError as error:
        yield Reject(source, "ingest", "unreadable file", f"{type(error).__name__}: {error.strerror or error}")
        return
    yield from read_blob(source, path.name, data, options)


def iter_items(inputs: Sequence[str], options: IngestOptions) -> Iterator[Item]:
    """Documents and rejects from all inputs, in a stable order."""
    for path in expand_inputs(inputs):
        yield from read_path(path, options)
