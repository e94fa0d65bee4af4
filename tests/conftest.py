"""Shared helpers: the fixture headers, kbind's report and real bindgen's output."""

from __future__ import annotations

import functools
import subprocess
import tempfile
from pathlib import Path

import pytest

import kbind
from kbind.clang.kernel_flags import read_bindgen_parameters
from kbind.report import Report
from kbind.verify.compare import Comparison, compare, flatten_bindgen, flatten_report
from kbind.verify.real_bindgen import const_helper_sed, run_bindgen
from kbind.verify.rust_reader import read_bindings

ROOT = Path(__file__).resolve().parent.parent
HEADERS = ROOT / "headers"
FIXTURE = HEADERS / "bindings_helper.h"
PARAMETERS = list(read_bindgen_parameters(HEADERS / "bindgen_parameters").argv)
CLANG_ARGS = ["-nostdinc", f"-I{HEADERS}"]
PREFIX = {"kernel": "ffi", "stock": "core::ffi"}


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or fill the user's cache; CLI subprocesses inherit this."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


@functools.cache
def fixture_report(header: str = str(FIXTURE), profile: str = "kernel",
                   target: str = "x86_64-linux-gnu") -> Report:
    return kbind.audit(header, CLANG_ARGS, profile=profile, target=target,
                       bindgen_args=PARAMETERS, root=str(ROOT))


@functools.cache
def bindgen_text(header: str = str(FIXTURE), profile: str = "kernel",
                 target: str = "x86_64-linux-gnu") -> str:
    run = run_bindgen(header, CLANG_ARGS + [f"--target={target}"],
                      parameters_argv=PARAMETERS)
    if profile == "kernel":
        return run.text
    # The stock profile is bindgen's own output with --ctypes-prefix core::ffi.
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.rs"
        argv = list(run.argv)
        argv[argv.index("--ctypes-prefix") + 1] = PREFIX[profile]
        argv[argv.index("-o") + 1] = str(out)
        subprocess.run(argv, check=True, capture_output=True)
        return const_helper_sed(out.read_text())


def differential(header: str = str(FIXTURE), profile: str = "kernel",
                 target: str = "x86_64-linux-gnu") -> Comparison:
    predicted = flatten_report(fixture_report(header, profile, target))
    actual = flatten_bindgen(read_bindings(bindgen_text(header, profile, target)))
    return compare(predicted, actual)


def describe(result: Comparison) -> str:
    lines = []
    for ours, theirs in result.differing:
        lines.append(f"{ours.kind} {ours.name}:\n  kbind   {ours.signature}\n"
                     f"  bindgen {theirs.signature}")
    lines += [f"missing (bindgen has it): {f.kind} {f.name} {f.signature}"
              for f in result.missing]
    lines += [f"extra (kbind predicts it): {f.kind} {f.name} {f.signature}"
              for f in result.extra]
    return "\n".join(lines)


@pytest.fixture
def fixture_path() -> Path:
    return FIXTURE
