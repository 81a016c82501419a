"""The library as a folder of plain files that a person can read and diff.

    index.json           schema, DSL name and version, library version, every production
                         with its type and weight (in order), the DSL's primitives left out
                         on purpose ("excluded"), and each routine's metadata
    routines/<name>.ns   one readable definition per routine, `def name : type = body;`
    routines/<name>.pt   a neural routine's weights (opaque bytes, checked by sha256;
                         index.json's optional "neural_routines" holds its metadata)

Each file is replaced atomically (temporary file in the same folder, then `os.replace`)
and index.json is written last: it is the commit point, so a reader sees either the old
library or the new one. A lock (`.lock` in the folder) serialises writers;
`update_library` holds it across load -> change -> save so that concurrent processes
growing one library lose nothing. Every save is checked by decoding what is about to be
written, so `load_library(save_library(lib)) == lib` or the save is refused. A damaged
store raises `StoreError` naming the file and what is wrong; nothing is dropped silently.
Every reader takes the DSL (`dsl=`, the base language by default): a store is read in a
DSL of the name it was written for, and a primitive the DSL has gained since is there
with a default weight (see store_format).
Weights must be finite numbers and routine names plain identifiers (they become file
names), on load as on save. The format itself (encoding, decoding, every check) is
neurosym.library.store_format; this module reads and writes folders.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import uuid
from pathlib import Path
from typing import Any, Callable

import filelock

from neurosym.lang.dsl import DSL
from neurosym.library.library import Library
from neurosym.library.store_format import (  # noqa: F401 - the format, re-exported: callers import the store
    INDEX,
    ROUTINES,
    SCHEMA,
    StoreError,
    decode_library,
    encode_library,
    routine_text,
)
from neurosym.resources import library_dir

LOCK = ".lock"


def default_library_path() -> Path:
    """The shipped global library folder (`library/` in a checkout, package data in a wheel)."""
    return library_dir()


# -- locking and atomic writes ---------------------------------------------------------

_LOCKS: dict[str, filelock.FileLock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock(folder: Path, timeout: float) -> filelock.FileLock:
    """One lock object per folder and process, so that holding it is re-entrant (a save
    inside `update_library`'s function does not deadlock)."""
    key = str(folder.resolve() / LOCK)
    with _LOCKS_GUARD:
        lock = _LOCKS.get(key)
        if lock is None:
            lock = _LOCKS[key] = filelock.FileLock(key)
    lock.timeout = timeout
    return lock


def _locked(folder: Path, timeout: float) -> Any:
    try:
        return _lock(folder, timeout).acquire()
    except filelock.Timeout:
        raise StoreError(f"{folder / LOCK}: the library is locked by another process "
                         f"(waited {timeout:g} s)") from None


def _write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename over `path`."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _sync_dir(folder: Path) -> None:
    """Make the renames durable (POSIX; a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- the store ---------------------------------------------------------------------------


def _read_text(path: Path) -> str:
    """UTF-8 without newline translation (a CR inside a comment stays one)."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise StoreError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    except OSError as err:
        raise StoreError(f"{path}: cannot read ({err.strerror or err})") from None


def _decode_folder(folder: Path, dsl: DSL | None = None) -> Library:
    def read(rel: str) -> str | None:
        file = folder / rel
        return _read_text(file) if file.is_file() else None

    def read_bytes(rel: str) -> bytes | None:
        file = folder / rel
        return file.read_bytes() if file.is_file() else None

    return decode_library(_read_text(folder / INDEX), read, str(folder), read_bytes, dsl)


def load_library(path: str | os.PathLike, timeout: float = 60.0, dsl: DSL | None = None) -> Library:
    """The library stored in folder `path`; StoreError if it is missing or damaged.

    Readers take no lock, so that reading never writes (e.g. into an installed library):
    a decode that succeeds has checked every routine file against the index's hashes, so
    it is exactly the library that index describes. Only when it fails, and writers have
    used this folder, is it read again under their lock, for a definitive answer."""
    folder = Path(path)
    if not (folder / INDEX).is_file():
        raise StoreError(f"{folder}: no index.json (not a library folder, or an empty one; "
                         "load_or_base gives the base library for an empty one)")
    try:
        return _decode_folder(folder, dsl)
    except StoreError:
        if not (folder / LOCK).exists() or not os.access(folder, os.W_OK):
            raise
    with _locked(folder, timeout):  # a writer may have been between two files
        return _decode_folder(folder, dsl)


def load_or_base(path: str | os.PathLike, timeout: float = 60.0, dsl: DSL | None = None) -> Library:
    """The stored library, or `Library.base(dsl=dsl)` when the folder has no index.json
    yet (a damaged store is still refused)."""
    return load_library(path, timeout, dsl) if (Path(path) / INDEX).is_file() else Library.base(dsl=dsl)


def _save_unlocked(lib: Library, folder: Path) -> None:
    files = encode_library(lib)
    contents = {rel: data.decode("utf-8") for rel, data in files.items() if not rel.endswith(".pt")}
    try:
        back = decode_library(contents[INDEX], contents.get, str(folder), files.get, lib.dsl)
    except StoreError as err:
        raise StoreError(f"refusing to save a library that would not load back: {err}") from None
    if back != lib:
        raise StoreError(f"{folder}: refusing to save: the files would not load back to the same library")
    (folder / ROUTINES).mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():  # routine files first, index.json last (the commit point)
        path = folder / rel
        if rel != INDEX and not (path.is_file() and path.read_bytes() == data):
            _write_atomic(path, data)
    _sync_dir(folder / ROUTINES)
    _write_atomic(folder / INDEX, files[INDEX])
    _sync_dir(folder)
    for stale in [*(folder / ROUTINES).glob("*.ns"), *(folder / ROUTINES).glob("*.pt")]:  # removed or crashed
        if f"{ROUTINES}/{stale.name}" not in files:
            stale.unlink(missing_ok=True)


def save_library(lib: Library, path: str | os.PathLike, timeout: float = 60.0) -> Path:
    """Write `lib` into folder `path` (created if needed), atomically and under the lock.
    For read-modify-write use `update_library`, or concurrent writers lose updates."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder, timeout):
        _save_unlocked(lib, folder)
    return folder


def update_library(path: str | os.PathLike, fn: Callable[[Library], Library], timeout: float = 60.0,
                   dsl: DSL | None = None) -> Library:
    """Load (or start from the base library), apply `fn`, save, all under the lock, so that
    processes growing the same library one after another lose nothing. Returns the result."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder, timeout):
        new = fn(load_or_base(folder, timeout, dsl))
        if not isinstance(new, Library):
            raise TypeError(f"update_library: fn returned {type(new).__name__}, not a Library")
        _save_unlocked(new, folder)
    return new


def copy_library(src: str | os.PathLike, dst: str | os.PathLike, dsl: DSL | None = None) -> Path:
    """Copy library folder `src` into a new folder `dst` (e.g. the shipped library into a
    run directory, so that a curriculum grows its copy and the shipped one changes only
    on purpose). `src` is checked, and its index and routines are written from one
    consistent snapshot (read in `dsl`, the base language by default); `dst` must not
    exist or be empty."""
    source, target = Path(src), Path(dst)
    if not source.is_dir():
        raise StoreError(f"{source}: no such library folder")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise StoreError(f"{target}: already exists and is not empty; refusing to overwrite")
    snapshot = load_library(source, dsl=dsl) if (source / INDEX).is_file() else None
    shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(LOCK, "*.tmp"))
    if snapshot is not None:
        save_library(snapshot, target)
    return target
