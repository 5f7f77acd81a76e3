"""Walk the inputs (files, folders, globs, archives) in a stable order and read each one once.

Only regular files are read (FIFOs, devices, sockets and folders named as files
become rejects); a symlink inside an input folder is followed once when its
target lies inside that folder and rejected when it leaves it. Archives are
streamed member by member: the size limits count the bytes actually unpacked,
at every level of nesting, so memory stays flat whatever a member claims to be.
Member names that would escape a folder (``../``, absolute paths) are rejected.
"""

from __future__ import annotations

import glob
import io
import os
import re
import stat
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from pipeline.ingest.document import IngestError, Reject, printable
from pipeline.ingest.formats import IngestOptions, Item, read_blob
from pipeline.ingest.mail import read_mbox
from pipeline.ingest.warc import decompressed, read_warc

ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")
# Containers read as a stream of records like archives, under the same byte budget and nesting limit.
STREAM_SUFFIXES = (".warc", ".warc.gz", ".mbox")
GLOB_CHARS = "*?["
CHUNK = 1 << 20
SPOOL_IN_MEMORY = 8 << 20
_ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    tarfile.TarError,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    zlib.error,
)


class UsageError(Exception):
    """An input path that does not exist (exit code 2, before any document)."""


class ArchiveTooLarge(Exception):
    """More bytes were unpacked from one archive than ``--max-archive-bytes`` allows."""


@dataclass(frozen=True, slots=True)
class InputFile:
    """A file to read and its ``source`` name: relative to the input root it was found under."""

    path: Path
    source: str


def is_archive(name: str) -> bool:
    """An archive or a streamed container (WARC, mbox): read member by member within the byte budget."""
    return name.lower().endswith(ARCHIVE_SUFFIXES + STREAM_SUFFIXES)


def _inside(real: str, roots: Iterable[str]) -> bool:
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _relative(path: Path, root: Path) -> str:
    return printable(PurePosixPath(os.path.relpath(path, root)).as_posix())


def _glob_root(pattern: str) -> Path:
    """The folder part of ``pattern`` before its first glob character."""
    head = pattern[: min(pattern.index(c) for c in GLOB_CHARS if c in pattern)]
    return Path(os.path.dirname(head) or ".")


def resolve_inputs(inputs: Sequence[str]) -> list[tuple[Path, Path]]:
    """(path, root) for every input; raises :class:`UsageError` for one that names nothing.

    A path that exists is taken as a path even when it contains glob characters.
    The root of a folder is the folder, of a file its parent, of a glob the folder before the pattern.
    """
    resolved = []
    for raw in inputs:
        path = Path(raw)
        if path.exists() or path.is_symlink():
            resolved.append((path, path if path.is_dir() else path.parent))
        elif any(ch in raw for ch in GLOB_CHARS):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                raise UsageError(f"no files match {raw!r}")
            resolved.extend((Path(match), _glob_root(raw)) for match in matches)
        else:
            raise UsageError(f"input does not exist: {raw}")
    return resolved


def _walk(top: Path, root: Path, excluded: set[str]) -> Iterator[InputFile | Reject]:
    """Files below ``top`` in sorted order; symlinks inside ``top`` followed once, those leaving it rejected."""
    top_real = os.path.realpath(top)
    visited = {top_real}
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as error:
            detail = f"{type(error).__name__}: {error.strerror or error}"
            yield Reject(_relative(folder, root) + "/", "ingest", "unreadable folder", detail)
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            real = os.path.realpath(path)
            if _inside(real, excluded):
                continue
            source = _relative(path, root)
            if entry.is_symlink():
                if not _inside(real, (top_real,)):
                    yield Reject(source, "ingest", "symlink leaves the input root", f"points to {printable(real)}")
                elif os.path.isdir(real) and real in visited:
                    yield Reject(source, "ingest", "symlink to a folder already read", f"points to {printable(real)}")
                elif os.path.isdir(real):
                    visited.add(real)
                    subfolders.append(path)
                else:
                    yield InputFile(path, source)
            elif entry.is_dir(follow_symlinks=False):
                if real not in visited:  # else already read through a symlink
                    visited.add(real)
                    subfolders.append(path)
            else:
                yield InputFile(path, source)
        stack.extend(reversed(subfolders))


def expand_inputs(inputs: Sequence[str], exclude: Sequence[Path] = ()) -> Iterator[InputFile | Reject]:
    """Files named by ``inputs`` in a stable order; nothing under ``exclude`` (the output folder) is read."""
    excluded = {os.path.realpath(path) for path in exclude}
    for path, root in resolve_inputs(inputs):
        if _inside(os.path.realpath(path), excluded):
            continue
        if path.is_dir():
            yield from _walk(path, root, excluded)
        else:
            yield InputFile(path, _relative(path, root))


def locate_source(source: str, inputs: Sequence[str]) -> Path | None:
    """The file a ``source`` value (``path!member:row N``) was read from, found under the run's ``inputs``."""
    top = re.split(r"!|:(?:line|row|item|record) \d+$", source, maxsplit=1)[0]
    for raw in inputs:
        try:
            resolved = resolve_inputs([raw])
        except UsageError:
            continue
        for path, root in resolved:
            candidate = root / top
            if candidate.is_file() and (candidate == path or path.is_dir()):
                return candidate
    return None


class _Budget:
    """Bytes that may still be unpacked from one top-level archive."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.left = limit

    def spend(self, n: int) -> None:
        self.left -= n
        if self.left < 0:
            raise ArchiveTooLarge(f"expands past --max-archive-bytes {self.limit:,}")


class _Metered(io.RawIOBase):
    """A read-only stream that charges every byte read to a :class:`_Budget`."""

    def __init__(self, raw: IO[bytes], budget: _Budget) -> None:
        self.raw = raw
        self.budget = budget

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        # read1: one read of the stream below, so what came before a truncated gzip member is not lost
        data = getattr(self.raw, "read1", self.raw.read)(len(buffer))
        buffer[: len(data)] = data
        self.budget.spend(len(data))
        return len(data)


def _read_at_most(handle: IO[bytes], limit: int) -> bytes | None:
    """All bytes of ``handle``, or None as soon as there are more than ``limit``."""
    chunks, total = [], 0
    while total <= limit:
        chunk = handle.read(min(CHUNK, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
    return None


class _TarInfo(tarfile.TarInfo):
    """Marks the archive complete when its end-of-archive block is read (a truncated tar has none)."""

    @classmethod
    def fromtarfile(cls, tar: tarfile.TarFile) -> tarfile.TarInfo:
        try:
            return super().fromtarfile(tar)
        except tarfile.EOFHeaderError:
            tar.pressewerk_complete = True  # type: ignore[attr-defined]
            raise


def _unsafe_member(name: str) -> str | None:
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or name.startswith(("/", "\\")) or ".." in posix.parts:
        return "member path escapes the archive"
    return None


def _member(
    where: str,
    name: str,
    opener: Callable[[], IO[bytes]],
    size: int,
    options: IngestOptions,
    depth: int,
    budget: _Budget,
) -> Iterator[Item]:
    """One archive member: a nested archive streamed, a file read up to ``--max-bytes``."""
    if is_archive(name) and depth + 1 > options.max_archive_depth:
        yield Reject(where, "ingest", "archive nested too deep", f"depth {depth + 1} > {options.max_archive_depth}")
        return
    if is_archive(name):
        with opener() as raw:
            stream = io.BufferedReader(_Metered(raw, budget), CHUNK)
            if not name.lower().endswith(".zip"):
                yield from read_archive(where, stream, name, options, depth + 1, budget)
                return
            # zip needs random access: spool to an anonymous temp file (memory stays flat), within the budget.
            with tempfile.SpooledTemporaryFile(SPOOL_IN_MEMORY) as spool:
                while chunk := stream.read(CHUNK):
                    spool.write(chunk)
                spool.seek(0)
                yield from read_archive(where, spool, name, options, depth + 1, budget)  # type: ignore[arg-type]
        return
    if size > options.max_bytes:
        yield Reject(where, "ingest", "archive member too large", f"{size:,} bytes > --max-bytes {options.max_bytes:,}")
        return
    with opener() as raw:
        data = _read_at_most(_Metered(raw, budget), options.max_bytes)
    if data is None:
        yield Reject(
            where, "ingest", "archive member too large", f"expands past {options.max_bytes:,} bytes (zip bomb?)"
        )
        return
    yield from read_blob(where, name, data, options)


def _zip_members(
    source: str, fileobj: IO[bytes], options: IngestOptions, depth: int, budget: _Budget
) -> Iterator[Item]:
    with zipfile.ZipFile(fileobj) as archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        for count, info in enumerate(infos, start=1):
            if count > options.max_archive_members:
                rest = len(infos) - options.max_archive_members
                yield Reject(
                    source,
                    "ingest",
                    "too many archive members",
                    f"{rest:,} members after the first {count - 1:,} not read",
                )
                return
            where = f"{source}!{printable(info.filename)}"
            problem = _unsafe_member(info.filename)
            if problem:
                yield Reject(where, "ingest", problem, printable(info.filename))
            elif info.flag_bits & 0x1:
                yield Reject(where, "ingest", "encrypted archive member", "password-protected zip member")
            else:
                try:
                    yield from _member(
                        where, info.filename, lambda i=info: archive.open(i), info.file_size, options, depth, budget
                    )
                except ArchiveTooLarge:
                    raise
                except _ARCHIVE_ERRORS as error:
                    yield Reject(where, "ingest", "broken archive member", f"{type(error).__name__}: {error}")


def _tar_members(
    source: str, fileobj: IO[bytes], options: IngestOptions, depth: int, budget: _Budget
) -> Iterator[Item]:
    with tarfile.open(fileobj=fileobj, mode="r|*", tarinfo=_TarInfo) as archive:
        count = 0
        for member in archive:
            if member.isdir():
                continue
            count += 1
            if count > options.max_archive_members:
                yield Reject(source, "ingest", "too many archive members", f"more than {options.max_archive_members:,}")
                return
            name = member.name
            where = f"{source}!{printable(name)}"
            problem = _unsafe_member(name) or (None if member.isfile() else "archive member is a link or device")
            if problem:
                yield Reject(where, "ingest", problem, printable(name))
                continue
            try:
                yield from _member(
                    where, name, lambda m=member: archive.extractfile(m), member.size, options, depth, budget
                )
            except ArchiveTooLarge:
                raise
            except _ARCHIVE_ERRORS as error:
                reason = "truncated archive member" if _truncation(error) else "broken archive member"
                yield Reject(where, "ingest", reason, f"{type(error).__name__}: {error}")
                if _truncation(error):
                    yield Reject(
                        source, "ingest", "truncated archive",
                        f"ends inside member {count:,} ({printable(name)}); members after it unknown",
                    )  # fmt: skip
                return
        if not getattr(archive, "pressewerk_complete", False):
            yield Reject(source, "ingest", "truncated archive", f"ends after {count:,} members without its end marker")


def _truncation(error: BaseException) -> bool:
    """An error that means the archive stream ends too early (cut-off tar, gzip without its end)."""
    text = str(error).lower()
    return isinstance(error, EOFError) or "unexpected end" in text or "ended before" in text or "truncated" in text


def _warc_members(
    source: str, fileobj: IO[bytes], options: IngestOptions, depth: int, budget: _Budget
) -> Iterator[Item]:
    """WARC records; the budget counts the decompressed bytes, so a gzip bomb stops at the limit."""
    yield from read_warc(source, io.BufferedReader(_Metered(decompressed(fileobj), budget), CHUNK), options)


def _mbox_members(
    source: str, fileobj: IO[bytes], options: IngestOptions, depth: int, budget: _Budget
) -> Iterator[Item]:
    yield from read_mbox(source, io.BufferedReader(_Metered(fileobj, budget), CHUNK), options)


def read_archive(
    source: str, fileobj: IO[bytes], name: str, options: IngestOptions, depth: int, budget: _Budget | None = None
) -> Iterator[Item]:
    """Every member of a zip or tar archive, streamed; nested archives up to ``max_archive_depth``."""
    if depth > options.max_archive_depth:
        yield Reject(source, "ingest", "archive nested too deep", f"depth {depth} > {options.max_archive_depth}")
        return
    top = budget is None
    budget = budget or _Budget(options.max_archive_bytes)
    lower = name.lower()
    if lower.endswith(".zip"):
        members = _zip_members
    elif lower.endswith((".warc", ".warc.gz")):
        members = _warc_members
    elif lower.endswith(".mbox"):
        members = _mbox_members
    else:
        members = _tar_members
    try:
        yield from members(source, fileobj, options, depth, budget)
    except ArchiveTooLarge as error:
        if not top:
            raise
        yield Reject(source, "ingest", "archive too large", f"{error}; members after the last one read are not counted")
    except IngestError as error:  # a broken WARC or mailbox: what came before it stands
        yield Reject(source, "ingest", error.reason, f"{error.detail}; records after it are not counted")
    except _ARCHIVE_ERRORS as error:
        reason = "truncated archive" if _truncation(error) else "broken archive"
        yield Reject(source, "ingest", reason, f"{type(error).__name__}: {error}; records after it are not counted")


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"


def read_file(item: InputFile, options: IngestOptions) -> Iterator[Item]:
    """All documents in one file (or archive); unreadable and special files become rejects."""
    source, name = item.source, item.path.name
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer.
        fd = os.open(item.path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        yield Reject(source, "ingest", "unreadable file", f"{type(error).__name__}: {error.strerror or error}")
        return
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                yield Reject(source, "ingest", "not a regular file", f"{printable(name)} is {_file_kind(info.st_mode)}")
                return
            if is_archive(name):
                yield from read_archive(source, handle, name, options, depth=0)
                return
            data = None if info.st_size > options.max_bytes else _read_at_most(handle, options.max_bytes)
    except OSError as error:
        yield Reject(source, "ingest", "unreadable file", f"{type(error).__name__}: {error.strerror or error}")
        return
    if data is None:
        yield Reject(source, "ingest", "file too large", f"{info.st_size:,} bytes > --max-bytes {options.max_bytes:,}")
        return
    yield from read_blob(source, name, data, options)


def iter_items(inputs: Sequence[str], options: IngestOptions, exclude: Sequence[Path] = ()) -> Iterator[Item]:
    """Documents and rejects from all inputs, in a stable order; nothing under ``exclude`` is read."""
    for entry in expand_inputs(inputs, exclude):
        if isinstance(entry, Reject):
            yield entry
        else:
            yield from read_file(entry, options)
