"""Where kbind's output goes, checked before any work starts and written safely.

`-o -` is stdout. An existing regular file is replaced only with `--force`,
through a temporary file and a rename (nothing half-written), keeping its mode;
a symlink is followed and its target written; a device or fifo is written
through (nothing to replace); a folder is refused. New files get the mode the
umask gives, as a shell redirection would.
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from dataclasses import dataclass

from kbind.errors import OutputError

STDOUT = "-"


@dataclass(frozen=True)
class Target:
    """A checked output: `path` as the user wrote it, `real` what gets written."""

    path: str
    real: str | None  # None: stdout
    through: bool = False  # a device or fifo: opened and written, never replaced
    force: bool = False  # an existing regular file may be replaced


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check(path: str | None, force: bool) -> Target:
    """Refuse now, before the audit, anything the write would refuse later."""
    if path is None or path == STDOUT:
        return Target(STDOUT, None)
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot use as output ({exc.strerror})") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{path}: is a folder; give a file name to write")
    if st is not None and not stat.S_ISREG(st.st_mode):
        if not os.access(real, os.W_OK):
            raise OutputError(f"{path}: permission denied; choose another output")
        return Target(path, real, through=True)
    folder = os.path.dirname(real)
    if not os.path.isdir(folder):
        raise OutputError(f"{path}: folder {os.path.dirname(os.path.abspath(path))} does not "
                          "exist; create it first")
    if st is not None and not force:
        raise OutputError(f"{path}: already exists; pass --force to overwrite it")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: cannot write in {folder} (permission denied); choose a "
                          "writable folder")
    return Target(path, real, force=force)


def write_all(fd: int, payload: bytes) -> None:
    """Write all of `payload` to `fd`. A buffered file's write can report success
    after a partial write into a pipe whose reader left (CPython drops the rest),
    so `kbind ... | head` would exit 0; writing the descriptor directly raises
    BrokenPipeError on the next write instead."""
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view):]


def write(data: str | bytes, target: Target) -> None:
    """Write `data` to a target `check` accepted."""
    payload = data.encode() if isinstance(data, str) else data
    if target.real is None:
        sys.stdout.flush()
        try:
            fd = sys.stdout.fileno()
        except (OSError, ValueError):  # a stream without a descriptor (captured output)
            buffer = getattr(sys.stdout, "buffer", None)
            if buffer is not None:
                buffer.write(payload)
            else:
                sys.stdout.write(payload.decode())
            return
        write_all(fd, payload)
        return
    if target.through:
        try:
            fd = os.open(target.real, os.O_WRONLY)
            try:
                write_all(fd, payload)
            finally:
                os.close(fd)
        except OSError as exc:
            raise OutputError(f"{target.path}: cannot write ({exc.strerror})") from None
        return
    folder = os.path.dirname(target.real)
    try:
        old_mode = stat.S_IMODE(os.stat(target.real).st_mode)
    except FileNotFoundError:
        old_mode = None
    if old_mode is not None and not target.force:
        # Created by someone else since the check: never replace it unasked.
        raise OutputError(f"{target.path}: appeared while kbind ran; pass --force to "
                          "overwrite it")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".kbind-", dir=folder)
    except OSError as exc:
        raise OutputError(f"{target.path}: cannot write in {folder} ({exc.strerror}); "
                          "choose a writable folder") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            os.fchmod(fh.fileno(), old_mode if old_mode is not None else 0o666 & ~_umask())
        os.replace(tmp, target.real)
    except OSError as exc:
        os.unlink(tmp)
        raise OutputError(f"{target.path}: cannot write ({exc.strerror})") from None
