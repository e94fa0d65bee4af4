"""Run the real bindgen the way the kernel's rust/Makefile (6.12) does.

The main pass (`bindings_generated.rs`):

    bindgen HEADER <bindgen_parameters> --rust-target 1.68 --use-core
      --with-derive-default --ctypes-prefix ffi --no-layout-tests
      --no-debug '.*' --enable-function-attribute-detection -o OUT --
      $(bindgen_c_flags_final) -DMODULE
    sed -Ei 's/pub const RUST_CONST_HELPER_([a-zA-Z0-9_]*)/pub const \\1/g' OUT

The helpers pass (`bindings_helpers_generated.rs`) swaps the parameters for
`--blocklist-type '.*' --allowlist-var '' --allowlist-function 'rust_helper_.*'`,
appends `-I$(objtree)/rust -Wno-missing-prototypes -Wno-missing-declarations`
to the C flags and renames `rust_helper_X` to `X` with a `#[link_name]`.
`--rust-target 1.68` is left out by default: bindgen 0.60 rejects it.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Between `$(bindgen_target_flags) --rust-target 1.68` and `-o $@`.
KERNEL_BINDGEN_OPTIONS = (
    "--use-core",
    "--with-derive-default",
    "--ctypes-prefix",
    "ffi",
    "--no-layout-tests",
    "--no-debug",
    ".*",
    "--enable-function-attribute-detection",
)
KERNEL_RUST_TARGET = "1.68"
# `$(bindgen_c_flags_final)` ends with these, then the recipe adds -DMODULE.
FINAL_C_FLAGS = ("-fno-builtin", "-D__BINDGEN__", "-DMODULE")
HELPERS_PARAMETERS = (
    "--blocklist-type",
    ".*",
    "--allowlist-var",
    "",
    "--allowlist-function",
    "rust_helper_.*",
)
HELPERS_C_FLAGS = ("-Wno-missing-prototypes", "-Wno-missing-declarations")

# Where the real bindgen of each modelled release this project tests with runs:
# Debian 12's on the machine (None), Debian 13's and unstable's in the roots
# scripts/bindgen-roots builds.
BINDGEN_ROOTS: dict[str, str | None] = {"0.60.1": None, "0.71.1": "trixie", "0.72.1": "sid"}


def root_launcher(bindgen_version: str, folder: str | Path, script: str | Path
                  ) -> list[str]:
    """The argv prefix that runs `bindgen_version`'s bindgen (`script` is
    scripts/bindgen-roots) with `folder` mounted read-only; [] for the machine's."""
    root = BINDGEN_ROOTS[bindgen_version]
    return [] if root is None else [str(script), "run", root, str(folder), "--"]


_CONST_HELPER = re.compile(r"pub const RUST_CONST_HELPER_([a-zA-Z0-9_]*)")
_FN_HELPER = re.compile(r"pub fn rust_helper_([a-zA-Z0-9_]*)")


@dataclass(frozen=True)
class BindgenRun:
    """One bindgen run: its Rust output, wall time and exact argv."""

    text: str
    seconds: float
    argv: list[str]
    stderr: str = ""


def with_final_flags(clang_args: Sequence[str]) -> list[str]:
    """`clang_args` plus whichever of `-fno-builtin -D__BINDGEN__ -DMODULE` it lacks."""
    args = list(clang_args)
    return args + [flag for flag in FINAL_C_FLAGS if flag not in args]


def const_helper_sed(text: str) -> str:
    """rust/Makefile's sed for bindings_generated.rs (RUST_CONST_HELPER_X -> X)."""
    return _CONST_HELPER.sub(r"pub const \1", text)


def fn_helper_sed(text: str) -> str:
    """rust/Makefile's sed for bindings_helpers_generated.rs."""
    return _FN_HELPER.sub('#[link_name="rust_helper_\\1"]\n    pub fn \\1', text)


def bindgen_argv(
    header: str | Path,
    clang_args: Sequence[str],
    output: str | Path,
    parameters_argv: Sequence[str] = (),
    extra_bindgen_args: Sequence[str] = (),
    rustfmt: bool = False,
    bindgen: str = "bindgen",
    rust_target: str | None = None,
    extra_c_flags: Sequence[str] = (),
) -> list[str]:
    """The argv rust/Makefile's `cmd_bindgen` builds (see the module docstring)."""
    argv = [bindgen, str(header), *parameters_argv]
    if rust_target:
        argv += ["--rust-target", rust_target]
    argv += [*KERNEL_BINDGEN_OPTIONS, *extra_bindgen_args]
    if not rustfmt:
        argv.append("--no-rustfmt-bindings")
    argv += ["-o", str(output), "--", *with_final_flags(clang_args), *extra_c_flags]
    return argv


def _execute(argv: list[str], output: Path, timeout: float | None,
             launcher: Sequence[str] = ()) -> tuple[str, float, str]:
    """Run bindgen (through `launcher`, e.g. scripts/bindgen-roots run ROOT DIR --);
    return (generated text, seconds, stderr)."""
    start = time.perf_counter()
    env = None
    if launcher:
        import os

        # The root mounts this folder at the same path, writable: bindgen's output.
        env = {**os.environ, "KBIND_ROOT_OUT": str(output.parent)}
    try:
        proc = subprocess.run([*launcher, *argv], capture_output=True, text=True,
                              timeout=timeout, env=env)
    except FileNotFoundError:
        raise RuntimeError(
            f"{argv[0]}: bindgen not found; install it (apt install bindgen) or pass its path"
        ) from None
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{argv[0]}: timed out after {timeout} s on {argv[1]}") from None
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        detail = (proc.stderr + proc.stdout).strip()
        raise RuntimeError(f"bindgen failed (exit {proc.returncode}) on {argv[1]}:\n{detail}")
    return output.read_text(encoding="utf-8"), seconds, proc.stderr


def _run(timeout: float | None, launcher: Sequence[str] = (), **argv_kwargs: object
         ) -> BindgenRun:
    """Build the argv around a temporary output file and run it."""
    with tempfile.TemporaryDirectory(prefix="kbind-bindgen-") as tmp:
        output = Path(tmp) / "bindings_generated.rs"
        argv = bindgen_argv(output=output, **argv_kwargs)  # type: ignore[arg-type]
        text, seconds, stderr = _execute(argv, output, timeout, launcher)
    return BindgenRun(text=text, seconds=seconds, argv=argv, stderr=stderr)


def run_bindgen(
    header: str | Path,
    clang_args: Sequence[str],
    parameters_argv: Sequence[str] = (),
    extra_bindgen_args: Sequence[str] = (),
    rustfmt: bool = False,
    bindgen: str = "bindgen",
    *,
    rust_target: str | None = None,
    postprocess: bool = True,
    timeout: float | None = None,
    launcher: Sequence[str] = (),
) -> BindgenRun:
    """Generate bindings_generated.rs for `header` with the kernel's options.

    `text` is the file as the kernel leaves it (after its RUST_CONST_HELPER
    sed) unless `postprocess` is False. Raises RuntimeError with bindgen's
    stderr when bindgen fails. `launcher` runs bindgen inside something else
    (a Debian root of scripts/bindgen-roots).
    """
    run = _run(
        timeout, launcher,
        header=header,
        clang_args=clang_args,
        parameters_argv=parameters_argv,
        extra_bindgen_args=extra_bindgen_args,
        rustfmt=rustfmt,
        bindgen=bindgen,
        rust_target=rust_target,
    )
    if not postprocess:
        return run
    return BindgenRun(const_helper_sed(run.text), run.seconds, run.argv, run.stderr)


def run_bindgen_helpers(
    helpers_c: str | Path,
    clang_args: Sequence[str],
    extra_bindgen_args: Sequence[str] = (),
    rustfmt: bool = False,
    bindgen: str = "bindgen",
    *,
    include_dir: str | Path | None = None,
    rust_target: str | None = None,
    postprocess: bool = True,
    timeout: float | None = None,
) -> BindgenRun:
    """Generate bindings_helpers_generated.rs from rust/helpers/helpers.c.

    `include_dir` is `$(objtree)/rust` (default: the directory above
    `helpers_c`'s). With `postprocess`, `rust_helper_X` becomes `X` with
    `#[link_name="rust_helper_X"]`, as the kernel's sed does.
    """
    helpers = Path(helpers_c)
    rust_dir = Path(include_dir) if include_dir is not None else helpers.parent.parent
    run = _run(
        timeout,
        header=helpers,
        clang_args=clang_args,
        parameters_argv=HELPERS_PARAMETERS,
        extra_bindgen_args=extra_bindgen_args,
        rustfmt=rustfmt,
        bindgen=bindgen,
        rust_target=rust_target,
        extra_c_flags=(f"-I{rust_dir}", *HELPERS_C_FLAGS),
    )
    if not postprocess:
        return run
    return BindgenRun(fn_helper_sed(run.text), run.seconds, run.argv, run.stderr)
