"""Result cache under `$XDG_CACHE_HOME/kbind`, keyed on what the answer depends on.

An entry is found by a digest of the request (header, clang flags, target,
profile, bindgen options, kbind's own code and the versions of its
dependencies) and is only used when every file
the translation unit read still has the content it had: each is re-hashed on
lookup, so an edited header can never be answered from a stale entry, whatever
its timestamp says. Entries are written atomically and evicted least recently
used beyond a size budget. Stdlib only, so a cache hit never loads libclang.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

_FORMAT = "kbind-cache/2"
# Distributions whose behaviour is part of every answer: the parser, the C
# generator, the Rust reader and the JSON writer.
DEPENDENCIES = ("libclang", "pycparser", "tree-sitter", "tree-sitter-rust", "orjson")
DEFAULT_BUDGET_BYTES = 512 * 1024 * 1024


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kbind"


def code_digest() -> str | None:
    """kbind's version and the size and mtime of each of its modules; None when
    its own folder cannot be listed (then nothing may be cached).

    A developer editing kbind must not get answers from the old code.
    """
    from kbind.version import __version__

    package = Path(__file__).resolve().parent
    h = hashlib.blake2b(__version__.encode(), digest_size=16)
    try:
        for path in sorted(package.rglob("*.py")):
            st = path.stat()
            h.update(f"{path.relative_to(package)}:{st.st_size}:{st.st_mtime_ns};".encode())
    except OSError:
        return None
    return h.hexdigest()


def _dist_info_version(dist: str) -> str | None:
    """A distribution's version from its `.dist-info` folder name, found beside
    its top-level package without importing it (importlib.metadata costs a
    warm run some 40 ms); None when it is not installed that way."""
    import importlib.util

    package = {"libclang": "clang", "tree-sitter": "tree_sitter",
               "tree-sitter-rust": "tree_sitter_rust"}.get(dist, dist)
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations and not spec.origin:
        return None
    where = Path(next(iter(spec.submodule_search_locations or ()), None) or spec.origin or "")
    prefix = dist.replace("-", "_").lower() + "-"
    try:
        for entry in os.scandir(where.parent):
            name = entry.name.lower()
            if name.startswith(prefix) and name.endswith(".dist-info"):
                return entry.name[len(prefix):-len(".dist-info")]
    except OSError:
        return None
    return None


def dependency_versions() -> dict[str, str] | None:
    """The version of each dependency in use ("missing" when absent); None when
    they cannot be told (an unreadable site-packages): then nothing may be cached."""
    out: dict[str, str] = {}
    for dist in DEPENDENCIES:
        version = _dist_info_version(dist)
        if version is None:
            try:
                from importlib import metadata

                version = metadata.version(dist)
            except ImportError:
                return None
            except Exception:  # noqa: BLE001 - PackageNotFoundError, unreadable metadata
                version = "missing"
        out[dist] = version
    return out


def request_key(request: Mapping[str, Any]) -> str | None:
    """A stable digest of everything besides file contents the result depends
    on, kbind's code and its dependencies' versions included; None when kbind's
    own code cannot be fingerprinted (do not cache)."""
    code, dependencies = code_digest(), dependency_versions()
    if code is None or dependencies is None:
        return None
    blob = json.dumps({"format": _FORMAT, "code": code, "dependencies": dependencies,
                       **request}, sort_keys=True)
    return hashlib.blake2b(blob.encode(), digest_size=20).hexdigest()


def _file_digest(path: str) -> str | None:
    """A file's content digest; a folder's is its listing's (a file added or
    removed changes it); None for what does not exist or cannot be read."""
    try:
        if os.path.isdir(path):
            listing = "\n".join(sorted(os.listdir(path)))
            return "dir:" + hashlib.blake2b(listing.encode(), digest_size=20).hexdigest()
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "blake2b").hexdigest()[:40]
    except OSError:
        return None


class ResultCache:
    """Entries live in `<root>/audit/<key>/`: `deps.json` plus named blobs."""

    def __init__(self, root: Path | None = None, budget: int = DEFAULT_BUDGET_BYTES) -> None:
        self.dir = (root or cache_root()) / "audit"
        self.budget = budget

    def get(self, key: str, name: str) -> bytes | None:
        found = self.get_all(key, [name])
        return found[0] if found else None

    def get_all(self, key: str, names: Iterable[str]) -> list[bytes] | None:
        """The named blobs of a valid entry, or None (missing, or any input changed)."""
        entry = self.dir / key
        try:
            deps = json.loads((entry / "deps.json").read_text())
        except (OSError, ValueError):
            return None
        if any(_file_digest(path) != digest for path, digest in deps.items()):
            shutil.rmtree(entry, ignore_errors=True)  # stale for every blob in it
            return None
        try:
            found = [(entry / name).read_bytes() for name in names]
        except OSError:
            return None
        os.utime(entry / "deps.json")  # recently used: evicted last
        return found

    def put(self, key: str, files: Iterable[str], blobs: Mapping[str, bytes]) -> None:
        """Store blobs for `key`, recording the content of every file read."""
        entry = self.dir / key
        deps = {path: _file_digest(path) for path in sorted(set(files))}
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            try:
                current = json.loads((entry / "deps.json").read_text())
            except (OSError, ValueError):
                current = None
            if current != deps:
                # Blobs computed from other file contents must not survive.
                shutil.rmtree(entry, ignore_errors=True)
                staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.dir))
                (staging / "deps.json").write_text(json.dumps(deps))
                try:
                    os.rename(staging, entry)
                except OSError:  # another process stored it first
                    shutil.rmtree(staging, ignore_errors=True)
                    return
            for name, data in blobs.items():
                fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=entry)
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, entry / name)
            self._evict()
        except OSError:
            # A cache that cannot be written only costs speed, never the answer.
            return

    def _evict(self) -> None:
        entries = []
        total = 0
        for entry in self.dir.iterdir():
            size = sum(f.stat().st_size for f in entry.iterdir()) if entry.is_dir() else 0
            total += size
            stamp = entry / "deps.json"
            entries.append((stamp.stat().st_mtime if stamp.exists() else 0.0, size, entry))
        for _, size, entry in sorted(entries):
            if total <= self.budget:
                break
            shutil.rmtree(entry, ignore_errors=True)
            total -= size
