"""Paths as reports show them: relative to the tree or working folder.

Reports are shared (CI logs, bug reports), so a path outside the tree never
shows the user's home folder: it is written `~/...` instead.
"""

from __future__ import annotations

import functools
import os


def report_path(name: str, root: str | None = None) -> str:
    cwd = os.getcwd()
    return _report_path(name, os.path.join(cwd, root or cwd), cwd)


@functools.lru_cache(maxsize=4096)  # called for every declaration's location
def _report_path(name: str, base: str, cwd: str) -> str:
    base = os.path.normpath(base)
    full = os.path.normpath(os.path.join(cwd, name))  # clang names files as given
    rel = os.path.relpath(full, base)
    if not rel.startswith(".."):
        return rel
    home = os.path.expanduser("~")
    if home not in ("", "/") and full.startswith(home.rstrip(os.sep) + os.sep):
        return "~" + full[len(home.rstrip(os.sep)):]
    return full if os.path.isabs(name) else os.path.normpath(name)


def report_diagnostic(line: str, root: str | None = None) -> str:
    """A clang diagnostic `FILE:LINE:COL: error: ...` with FILE as report_path gives it."""
    name, sep, rest = line.partition(":")
    if not sep or name.startswith("<"):
        return line
    return report_path(name, root) + sep + rest
