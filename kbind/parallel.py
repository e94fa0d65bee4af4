"""Run a function in a forked child and collect its (pickled) result later.

Forking after libclang has parsed lets the child read the same translation
unit without parsing it again; nothing is shared after the fork.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    return hasattr(os, "fork") and os.environ.get("KBIND_NO_FORK") != "1"


class Forked(Generic[T]):
    """`Forked(fn).result()` is `fn()`, computed in a child meanwhile."""

    def __init__(self, fn: Callable[[], T]) -> None:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, and leave without cleanup
            os.close(read_fd)
            try:
                payload = pickle.dumps((True, fn()), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the parent
                import traceback

                tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
                payload = pickle.dumps((False, (_picklable(exc), tb)))
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(payload)
            os._exit(0)
        os.close(write_fd)
        self._pid = pid
        self._read_fd = read_fd

    def result(self) -> T:
        with os.fdopen(self._read_fd, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        if not payload:
            raise RuntimeError(f"worker process died (status {status})")
        ok, value = pickle.loads(payload)
        if not ok:
            exc, child_tb = value
            # KBIND_DEBUG=1 prints where the child failed, not only where it was joined.
            try:
                exc.kbind_child_traceback = (f"in forked child {self._pid}:\n{child_tb}",)
            except AttributeError:  # a builtin exception without __dict__
                pass
            raise exc
        return value  # type: ignore[no-any-return]


def _picklable(exc: BaseException) -> BaseException:
    try:
        pickle.dumps(exc)
        return exc
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(exc).__name__}: {exc}")
