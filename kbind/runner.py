"""Run several audits at once: one translation unit per process.

libclang holds the GIL while it parses, so threads would not overlap; a
process pool does. Errors come back as data (some kbind exceptions do not
survive pickling) and are raised again here with their exit code.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

from kbind.errors import KbindError
from kbind.report import Report
from kbind.request import AuditRequest


@dataclass(frozen=True)
class AuditJob:
    """One audit for the pool: its request, picklable, and how to call it."""

    label: str  # what the progress bar and errors call it
    request: AuditRequest
    cache: bool = False  # answer from / fill $XDG_CACHE_HOME/kbind
    meta: dict[str, str] = field(default_factory=dict, compare=False)


class JobError(KbindError):
    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def run_job(job: AuditJob) -> Report | tuple[str, int]:
    from kbind import api

    try:
        return api.run(job.request, job.cache)
    except KbindError as exc:
        return (f"{job.label}: {exc}", exc.exit_code)


def _one_core_each() -> None:
    # The pool already fills the cores: a worker must not fork its own helper.
    os.environ["KBIND_NO_FORK"] = "1"


def default_jobs() -> int:
    return os.cpu_count() or 1


def _progress(total: int, show: bool | None):
    """A rich progress bar on a terminal; nothing when stderr is piped."""
    if show is None:
        show = sys.stderr.isatty()
    if not show:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=Console(stderr=True), transient=True)


def run_audits(jobs: Sequence[AuditJob], n_jobs: int | None = None,
               progress: bool | None = None) -> list[Report]:
    """Reports in the order of `jobs`; the first failure is raised after all finish."""
    n = max(1, min(n_jobs or default_jobs(), len(jobs)))
    results: list[Report | tuple[str, int] | None] = [None] * len(jobs)
    bar = _progress(len(jobs), progress)
    task = None
    if bar is not None:
        bar.start()
        task = bar.add_task("kbind: parsing", total=len(jobs))
    try:
        if n == 1:
            for i, job in enumerate(jobs):
                results[i] = run_job(job)
                if bar is not None:
                    bar.update(task, advance=1, description=f"kbind: {job.label}")
        else:
            # Imported here: `kbind audit` never needs a pool (8 ms of start-up).
            from concurrent.futures import ProcessPoolExecutor, as_completed

            with ProcessPoolExecutor(max_workers=n, initializer=_one_core_each) as pool:
                futures = {pool.submit(run_job, job): i for i, job in enumerate(jobs)}
                for fut in as_completed(futures):
                    i = futures[fut]
                    results[i] = fut.result()
                    if bar is not None:
                        bar.update(task, advance=1, description=f"kbind: {jobs[i].label}")
    finally:
        if bar is not None:
            bar.stop()
    out: list[Report] = []
    for res in results:
        if isinstance(res, tuple):
            raise JobError(res[0], res[1])
        assert res is not None
        out.append(res)
    return out
