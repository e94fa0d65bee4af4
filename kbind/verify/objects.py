"""Ground truth for wrappability: compile shims to object code (`clang -c -O2`).

`-fsyntax-only` cannot see what only code generation reports: calls to
functions declared `__attribute__((error))` that survive optimisation
(BUILD_BUG_ON, `__bad_mask`) and inline asm operands that must be immediates.
Each generated file is compiled against a precompiled header of
bindings_helper.h (so one shim costs a few hundredths of a second); the
shims of a file that fails are then compiled one by one.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kbind.verify.real_bindgen import HELPERS_C_FLAGS


def build_pch(header: str | Path, clang_args: Sequence[str], include_dir: str | Path,
              out: Path, clang: str = "clang") -> Path:
    argv = [clang, "-x", "c-header", "-O2", *clang_args, f"-I{include_dir}", *HELPERS_C_FLAGS,
            str(header), "-o", str(out)]
    proc = subprocess.run(argv, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"precompiling {header} failed:\n{proc.stderr[-2000:]}")
    return out


def _compile(text: str, clang_args: Sequence[str], include_dir: str | Path, pch: Path,
             workdir: Path, tag: str, clang: str) -> str | None:
    """None when `text` compiles to an object; else clang's first error line."""
    src = workdir / f"{tag}.c"
    src.write_text(text)
    argv = [clang, "-x", "c", "-c", "-O2", *clang_args, f"-I{include_dir}", *HELPERS_C_FLAGS,
            "-include-pch", str(pch), "-fno-caret-diagnostics", str(src),
            "-o", str(workdir / f"{tag}.o")]
    proc = subprocess.run(argv, capture_output=True, text=True)
    if proc.returncode == 0:
        return None
    errors = [line for line in proc.stderr.splitlines() if ": error: " in line]
    return errors[0] if errors else proc.stderr.strip()[-300:]


def object_failures(files: dict[str, tuple[str, dict[str, str]]], header: str | Path,
                    clang_args: Sequence[str], include_dir: str | Path, jobs: int = 2,
                    clang: str = "clang") -> dict[str, str]:
    """{shim name: first error} over `files` = {file name: (text, {name: shim text})}."""
    failures: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="kbind-objects-") as tmp:
        work = Path(tmp)
        pch = build_pch(header, clang_args, include_dir, work / "bindings.pch", clang)
        names = sorted(files)
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(
                lambda i: _compile(files[names[i]][0], clang_args, include_dir, pch, work,
                                   f"f{i}", clang), range(len(names))))
            suspects = [(n, text) for name, res in zip(names, results, strict=True)
                        if res is not None for n, text in files[name][1].items()]
            singles = list(pool.map(
                lambda i: _compile(suspects[i][1], clang_args, include_dir, pch, work,
                                   f"s{i}", clang), range(len(suspects))))
        for (name, _), res in zip(suspects, singles, strict=True):
            if res is not None:
                failures[name] = res
    return failures
