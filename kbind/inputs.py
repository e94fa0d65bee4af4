"""Checks on user-given files and folders before clang sees them.

clang skips a missing or unreadable -I folder without a word, and os.access
lies for root, so each check really opens what it checks.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from kbind.errors import InputError

# clang options that take an include folder, joined (`-Idir`) or separate (`-I dir`).
_INCLUDE_OPTIONS = ("-I", "-isystem", "-iquote", "-idirafter", "--include-directory")


def check_header(path: str) -> None:
    """The header exists and can be read; else one line saying what to do."""
    try:
        with open(path, "rb") as fh:
            fh.read(1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a header; pass the header file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied; make the header readable "
                         f"(chmod +r) or run as its owner") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror}); check the file") from None


def include_dirs(args: Sequence[str]) -> list[str]:
    """The include folders named in clang arguments, in order."""
    dirs: list[str] = []
    pending = False
    for arg in args:
        if pending:
            dirs.append(arg)
            pending = False
            continue
        for opt in _INCLUDE_OPTIONS:
            if arg == opt:
                pending = True
                break
            if arg.startswith(opt) and not (opt == "-I" and arg == "-I-"):
                dirs.append(arg[len(opt):].removeprefix("="))
                break
    return dirs


def check_include_dirs(args: Sequence[str]) -> None:
    """Every include folder the user named exists and can be listed."""
    for folder in include_dirs(args):
        try:
            with os.scandir(folder):
                pass
        except FileNotFoundError:
            raise InputError(f"{folder}: include folder not found; fix the -I path") from None
        except NotADirectoryError:
            raise InputError(f"{folder}: not a folder; -I takes a folder, "
                             "not a file") from None
        except PermissionError:
            raise InputError(f"{folder}: include folder not readable (permission denied); "
                             "fix its permissions or the -I path") from None
        except OSError as exc:
            raise InputError(f"{folder}: include folder unusable ({exc.strerror}); "
                             "fix the -I path") from None
