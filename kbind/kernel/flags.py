"""Derive the clang arguments the kernel's rust/Makefile gives bindgen.

Nothing here runs make or clang: the flags are read from what a configured
and prepared tree already holds (`.config`, `include/config/auto.conf`, a
saved Kbuild `.cmd` file or `compile_commands.json`) and rewritten the way
rust/Makefile rewrites `$(c_flags)` into `$(bindgen_c_flags_final) -DMODULE`.
"""

from __future__ import annotations

import json
import os
import platform
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kbind.errors import InputError
from kbind.kernel.bindgen_parameters import BindgenParameters, read_bindgen_parameters
from kbind.kernel.shell import ShellSyntaxError, make_filter_out, shell_words


def _wordlist(text: str) -> tuple[str, ...]:
    """Whitespace-separated words of a literal table."""
    return tuple(text.split())


# --------------------------------------------------------------------------
# Kernel tree facts
# --------------------------------------------------------------------------

# rust/Makefile of 6.12; used when the tree's own Makefile cannot be read.
_DEFAULT_SKIP_C_FLAGS = tuple(
    _wordlist(
        """
    -mno-fp-ret-in-387 -mpreferred-stack-boundary=% -mskip-rax-setup
    -mgeneral-regs-only -msign-return-address=% -mindirect-branch=thunk-extern
    -mindirect-branch-register -mfunction-return=thunk-extern -mrecord-mcount
    -mabi=lp64 -mindirect-branch-cs-prefix -mstack-protector-guard%
    -mtraceback=no -mno-pointers-to-nested-functions -mno-string
    -mno-strict-align -mstrict-align -mdirect-extern-access -mexplicit-relocs
    -mno-check-zero-division -fconserve-stack -falign-jumps=% -falign-loops=%
    -femit-struct-debug-baseonly -fno-ipa-cp-clone -fno-ipa-sra
    -fno-partial-inlining -fplugin-arg-arm_ssp_per_task_plugin-%
    -fno-reorder-blocks -fno-allow-store-data-races -fasan-shadow-offset=%
    -fzero-call-used-regs=% -fno-stack-clash-protection
    -fno-inline-functions-called-once -fsanitize=bounds-strict
    -fstrict-flex-arrays=% -fmin-function-alignment=% -fzero-init-padding-bits=%
    -mno-fdpic --param=% --param asan-% -fno-isolate-erroneous-paths-dereference
    """
    )
)
_DEFAULT_BINDGEN_TARGETS = {
    "x86": "x86_64-linux-gnu",
    "arm64": "aarch64-linux-gnu",
    "loongarch": "loongarch64-linux-gnusf",
}
# scripts/Makefile.clang: the triple clang builds use.
_CLANG_TARGETS = {
    "arm": "arm-linux-gnueabi",
    "arm64": "aarch64-linux-gnu",
    "hexagon": "hexagon-linux-musl",
    "loongarch": "loongarch64-linux-gnusf",
    "m68k": "m68k-linux-gnu",
    "mips": "mipsel-linux-gnu",
    "powerpc": "powerpc64le-linux-gnu",
    "riscv": "riscv64-linux-gnu",
    "s390": "s390x-linux-gnu",
    "x86": "x86_64-linux-gnu",
}
# Kconfig symbol -> SRCARCH, most specific first (UML also sets X86_64).
_ARCH_SYMBOLS = (
    ("UML", "um"),
    ("X86", "x86"),
    ("ARM64", "arm64"),
    ("ARM", "arm"),
    ("RISCV", "riscv"),
    ("LOONGARCH", "loongarch"),
    ("PPC", "powerpc"),
    ("S390", "s390"),
    ("MIPS", "mips"),
    ("SPARC", "sparc"),
    ("M68K", "m68k"),
    ("HEXAGON", "hexagon"),
)
_HOST_ARCHES = {
    "x86_64": "x86",
    "amd64": "x86",
    "i686": "x86",
    "aarch64": "arm64",
    "arm64": "arm64",
    "riscv64": "riscv",
    "loongarch64": "loongarch",
}
# Flags libclang >= 16 rejects; rust/Makefile only adds them for older libclang.
REJECTED_BY_NEW_CLANG = (
    "-enable-trivial-auto-var-init-zero-knowing-it-will-be-removed-from-clang",
)
# Codegen-only flags dropped so one argument list works with libclang 14..18+:
# clang < 16 rejects `=zero` without the flag above, clang >= 16 rejects that flag.
PORTABILITY_DROPS = REJECTED_BY_NEW_CLANG + ("-ftrivial-auto-var-init=zero",)
# The C flags rust/Makefile appends for every bindgen run.
BINDGEN_FINAL_FLAGS = ("-fno-builtin", "-D__BINDGEN__")
MODULE_FLAG = "-DMODULE"

# rust/Makefile targets: input (relative to the tree) -> output basename.
_BINDGEN_OUTPUTS = {
    "rust/bindings/bindings_helper.h": "bindings_generated",
    "rust/uapi/uapi_helper.h": "uapi_generated",
    "rust/helpers/helpers.c": "bindings_helpers_generated",
}


@dataclass(frozen=True)
class KernelFlags:
    """The clang arguments bindgen gets for one kernel header, and their origin."""

    tree: Path
    header: Path
    arch: str
    target: str
    llvm: bool
    clang_args: list[str]
    bindgen_parameters: BindgenParameters
    source: str


def read_kconfig(path: Path) -> dict[str, str]:
    """`CONFIG_X=value` lines of a .config/auto.conf, quotes removed from strings."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.startswith("CONFIG_") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        values[key[len("CONFIG_") :]] = value
    return values


def _host_arch() -> str:
    return _HOST_ARCHES.get(platform.machine().lower(), "x86")


def _check_tree(tree: Path) -> None:
    """Raise InputError unless `tree` is a kernel source tree."""
    if not tree.exists():
        raise InputError(f"{tree}: kernel tree not found; pass the top directory of a Linux tree")
    if not tree.is_dir():
        raise InputError(f"{tree}: not a directory; pass the top directory of a Linux tree")
    try:
        with os.scandir(tree):
            pass
    except OSError as exc:
        raise InputError(f"{tree}: kernel tree not readable ({exc.strerror}); "
                         "fix its permissions") from None
    missing = [name for name in ("Makefile", "Kconfig") if not (tree / name).is_file()]
    if missing:
        raise InputError(
            f"{tree}: not a Linux kernel tree (no {' or '.join(missing)}); "
            "pass the top directory of the kernel sources"
        )


def _guess_arch(tree: Path) -> str:
    """SRCARCH of an unconfigured tree: a generated arch dir, else the host's."""
    found = sorted(p.parent.parent.name for p in tree.glob("arch/*/include/generated"))
    return found[0] if len(found) == 1 else _host_arch()


def _read_config(tree: Path) -> dict[str, str]:
    """The configuration make uses: auto.conf if prepared, else .config."""
    dot_config = tree / ".config"
    if not dot_config.is_file():
        arch = _guess_arch(tree)
        raise InputError(
            f"{dot_config}: kernel tree is not configured; "
            f"run: make ARCH={arch} LLVM=1 defconfig (in {tree})"
        )
    auto_conf = tree / "include/config/auto.conf"
    return read_kconfig(auto_conf if auto_conf.is_file() else dot_config)


def _srcarch(config: dict[str, str], tree: Path) -> str:
    for symbol, arch in _ARCH_SYMBOLS:
        if config.get(symbol) == "y":
            return arch
    return _guess_arch(tree)


def _not_prepared(tree: Path, arch: str, what: Path) -> InputError:
    return InputError(
        f"{what}: missing, the kernel tree is not prepared; "
        f"run: make ARCH={arch} LLVM=1 prepare (in {tree})"
    )


# --------------------------------------------------------------------------
# Reading rust/Makefile variables of the tree at hand
# --------------------------------------------------------------------------


def _makefile_text(tree: Path) -> str:
    try:
        return (tree / "rust/Makefile").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _makefile_variable(text: str, name: str) -> list[str] | None:
    """Words of a simple `name := value` (with `\\` continuations) in a Makefile."""
    match = re.search(
        rf"^{re.escape(name)}\s*:?=[ \t]*((?:[^\n]*\\\n)*[^\n]*)$", text, re.MULTILINE
    )
    if match is None:
        return None
    return match.group(1).replace("\\\n", " ").split()


def skip_c_flags(tree: Path) -> list[str]:
    """`bindgen_skip_c_flags` of the tree's rust/Makefile (6.12's if unreadable)."""
    words = _makefile_variable(_makefile_text(tree), "bindgen_skip_c_flags")
    return words if words else list(_DEFAULT_SKIP_C_FLAGS)


def bindgen_target(tree: Path, arch: str) -> str:
    """`BINDGEN_TARGET_<arch>` of the tree's rust/Makefile (GCC builds)."""
    words = _makefile_variable(_makefile_text(tree), f"BINDGEN_TARGET_{arch}")
    if words:
        return words[0]
    target = _DEFAULT_BINDGEN_TARGETS.get(arch) or _CLANG_TARGETS.get(arch)
    if target is None:
        raise InputError(
            f"{tree / 'rust/Makefile'}: no bindgen target for ARCH={arch} with a GCC build; "
            "build the kernel with LLVM=1"
        )
    return target


# --------------------------------------------------------------------------
# Finding a compile command
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Command:
    words: list[str]  # the compiler's arguments, compiler itself removed
    directory: Path  # where relative paths in `words` resolve
    source: str  # human-readable origin
    kernel_object: bool  # built into vmlinux/modules (sanitizer flags apply)


_SAVEDCMD = re.compile(r"^(?:saved)?cmd_(\S+) := (.*)$", re.MULTILINE)


def _unescape_make(text: str) -> str:
    """Undo Kbuild's make-cmd escaping of a saved command."""
    return text.replace("$(pound)", "#").replace("\\#", "#").replace("$$", "$")


def _compiler_args(words: list[str]) -> list[str]:
    """Drop the compiler (and a launcher such as ccache) before the first option."""
    for i, word in enumerate(words):
        if word.startswith("-"):
            return words[i:]
    return []


def _read_cmd_file(path: Path, tree: Path) -> _Command | None:
    """Parse a Kbuild `.cmd` file's saved compile command, if it is one."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = _SAVEDCMD.search(text)
    if match is None:
        return None
    try:
        words, _ = shell_words(_unescape_make(match.group(2)))
    except ShellSyntaxError:
        return None
    args = _compiler_args(words)
    if "-D__KERNEL__" not in args or not ({"-c", "-S"} & set(args)):
        return None
    return _Command(args, tree, str(path), kernel_object=match.group(1).endswith(".o"))


def _cmd_file_candidates(tree: Path, arch: str) -> list[Path]:
    """Saved commands `make prepare` leaves, compiled with the full c_flags."""
    first = [
        tree / f"arch/{arch}/kernel/.asm-offsets.s.cmd",
        tree / "kernel/.bounds.s.cmd",
    ]
    rest = sorted(tree.glob("arch/*/kernel/.asm-offsets.s.cmd"))
    return [p for p in dict.fromkeys(first + rest) if p.is_file()]


def _entry_words(entry: dict) -> list[str] | None:
    if isinstance(entry.get("arguments"), list):
        return [str(a) for a in entry["arguments"]]
    if isinstance(entry.get("command"), str):
        try:
            return shell_words(entry["command"])[0]
        except ShellSyntaxError:
            return None
    return None


def _usable_entry(entry: object) -> _Command | None:
    """A compile_commands.json entry for an existing kernel .c file."""
    if not isinstance(entry, dict):
        return None
    directory = Path(str(entry.get("directory", ".")))
    file = Path(str(entry.get("file", "")))
    file = file if file.is_absolute() else directory / file
    if file.suffix != ".c" or not file.is_file():
        return None
    words = _entry_words(entry)
    args = _compiler_args(words or [])
    if "-D__KERNEL__" not in args or "-DMODULE" in args:
        return None
    return _Command(args, directory, f"{file}", kernel_object=True)


def _from_compile_commands(path: Path) -> _Command | None:
    """The entry whose (per-file-stripped) flags most entries share."""
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: unreadable ({exc}); regenerate it or delete it") from None
    if not isinstance(entries, list):
        raise InputError(f"{path}: not a list of compile commands; regenerate it or delete it")
    commands = [c for c in map(_usable_entry, entries) if c is not None]
    if not commands:
        return None
    keys = [tuple(strip_per_file_flags(c.words)) for c in commands]
    common, _ = Counter(keys).most_common(1)[0]
    chosen = commands[keys.index(common)]
    return _Command(chosen.words, chosen.directory, f"{path} (entry for {chosen.source})", True)


def _find_command(tree: Path, arch: str) -> _Command:
    ccj = tree / "compile_commands.json"
    if ccj.is_file():
        command = _from_compile_commands(ccj)
        if command is not None:
            return command
    for candidate in _cmd_file_candidates(tree, arch):
        command = _read_cmd_file(candidate, tree)
        if command is not None:
            return command
    raise _not_prepared(tree, arch, tree / f"arch/{arch}/kernel/.asm-offsets.s.cmd")


# --------------------------------------------------------------------------
# Rewriting a compile command into bindgen's clang arguments
# --------------------------------------------------------------------------

# Options whose value is the next word.
_SPLIT_VALUE = frozenset(
    _wordlist(
        """
    -o -include -imacros -I -isystem -idirafter -iquote -iprefix -x -MF -MT -MQ
    -mllvm -Xclang -Xassembler -Xlinker -target -D -U --param -arch --sysroot
    """
    )
)
_PATH_OPTIONS = ("-include", "-imacros", "-I", "-isystem", "-idirafter", "-iquote")
_JOINED_PATH_OPTIONS = ("-I", "-isystem", "-idirafter", "-iquote")
_PER_FILE_FLAGS = ("-c", "-S", "-E", "-fverbose-asm", "-MD", "-MMD", MODULE_FLAG)
_PER_FILE_PREFIXES = (
    "-Wp,-MMD,",
    "-Wp,-MD,",
    "-DKBUILD_MODFILE=",
    "-DKBUILD_BASENAME=",
    "-DKBUILD_MODNAME=",
    "-D__KBUILD_MODNAME=",
)
_PER_FILE_VALUE = frozenset({"-o", "-MF", "-MT", "-MQ"})
# Instrumentation Kbuild adds to kernel objects only (scripts/Makefile.k*san,
# .ubsan, .kcov, gcov); the rust/ bindgen targets are not kernel objects.
_KERNEL_OBJECT_ONLY = (
    "-fsanitize=kernel-address",
    "-fsanitize=kernel-hwaddress",
    "-fsanitize=thread",
    "-fsanitize=kernel-memory",
    "-fsanitize-memory-param-retval",
    "-fsanitize=alignment",
    "-fsanitize=bounds-strict",
    "-fsanitize=array-bounds",
    "-fsanitize=local-bounds",
    "-fsanitize=shift",
    "-fsanitize=integer-divide-by-zero",
    "-fsanitize=unreachable",
    "-fsanitize=bool",
    "-fsanitize=enum",
    "-fsanitize=signed-integer-overflow",
    "-fsanitize-trap=undefined",
    "-fsanitize-undefined-trap-on-error",
    "-fsanitize-coverage=%",
    "-fplugin=%sancov_plugin.so",
    "-fprofile-arcs",
    "-ftest-coverage",
    "-fno-tree-loop-im",
    "-Wno-tsan",
    "--param=asan-%",
    "--param=hwasan-%",
    "--param=tsan-%",
)
_INSTRUMENTATION_VALUE = re.compile(r"^-?(asan|hwasan|tsan|msan)-")


def _pairs(words: Sequence[str]) -> list[tuple[str, str | None]]:
    """Group words into (option, separate value) pairs; positionals get option ''."""
    out: list[tuple[str, str | None]] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in _SPLIT_VALUE and i + 1 < len(words):
            out.append((word, words[i + 1]))
            i += 2
        elif word.startswith("-"):
            out.append((word, None))
            i += 1
        else:
            out.append(("", word))
            i += 1
    return out


def _flatten(pairs: Iterable[tuple[str, str | None]]) -> list[str]:
    return [w for opt, val in pairs for w in (opt, val) if w]


def _is_per_file(opt: str) -> bool:
    return (
        opt == ""
        or opt in _PER_FILE_FLAGS
        or opt in _PER_FILE_VALUE
        or (opt.startswith(_PER_FILE_PREFIXES))
    )


def strip_per_file_flags(words: Sequence[str]) -> list[str]:
    """Remove what belongs to one object: output, source, dep file, module names."""
    return _flatten((o, v) for o, v in _pairs(words) if not _is_per_file(o))


def _strip_instrumentation(words: Sequence[str]) -> list[str]:
    """Remove kernel-object-only sanitizer/coverage flags."""
    kept = [
        (o, v)
        for o, v in _pairs(words)
        if not (o in ("-mllvm", "--param") and v and _INSTRUMENTATION_VALUE.match(v))
    ]
    return make_filter_out(_KERNEL_OBJECT_ONLY, _flatten(kept))


def _absolute(path: str, base: Path) -> str:
    return path if os.path.isabs(path) else os.path.normpath(os.path.join(base, path))


def absolutize_paths(words: Sequence[str], base: Path) -> list[str]:
    """Make -I/-include/... paths absolute against `base` (the build directory)."""
    out: list[str] = []
    for opt, val in _pairs(words):
        if opt in _PATH_OPTIONS and val is not None:
            val = _absolute(val, base)
        else:
            joined = next((p for p in _JOINED_PATH_OPTIONS if opt.startswith(p)), None)
            if joined is not None and opt != joined:
                opt = joined + _absolute(opt[len(joined) :], base)
        out += [w for w in (opt, val) if w]
    return out


def _output_name(tree: Path, header: Path) -> str:
    """Basename of the rust/Makefile target generated from `header`."""
    try:
        rel = header.resolve().relative_to(tree.resolve()).as_posix()
    except ValueError:
        rel = ""
    return _BINDGEN_OUTPUTS.get(rel, "bindings_generated")


def target_name_flags(name: str) -> list[str]:
    """Kbuild's modfile/basename/modname defines for rust/<...>/<name>.rs."""
    token = name.replace(",", "_").replace("-", "_")
    return [
        f'-DKBUILD_MODFILE="rust/{token}"',
        f'-DKBUILD_BASENAME="{token}"',
        f'-DKBUILD_MODNAME="{token}"',
        f"-D__KBUILD_MODNAME=kmod_{token}",
    ]


def _lto_flags(config: dict[str, str]) -> list[str]:
    """CC_FLAGS_LTO of the top Makefile for this configuration."""
    if config.get("LTO_CLANG") != "y":
        return []
    lto = ["-flto=thin", "-fsplit-lto-unit"] if config.get("LTO_CLANG_THIN") == "y" else ["-flto"]
    return lto + ["-fvisibility=hidden"]


def _target_of(words: Sequence[str]) -> str | None:
    for opt, val in _pairs(words):
        if opt.startswith("--target="):
            return opt.split("=", 1)[1]
        if opt == "-target" and val:
            return val
    return None


def bindgen_clang_args(
    c_flags: Sequence[str],
    config: dict[str, str],
    tree: Path,
    arch: str,
    output_name: str = "bindings_generated",
) -> list[str]:
    """`$(bindgen_c_flags_final) -DMODULE` from a file's c_flags (per-file parts gone)."""
    flags = list(c_flags) + target_name_flags(output_name)
    if config.get("CC_IS_CLANG") != "y":
        flags = make_filter_out(skip_c_flags(tree), flags)
        flags += ["-w", f"--target={bindgen_target(tree, arch)}"]
    if config.get("LTO") == "y":
        flags = make_filter_out(_lto_flags(config), flags)
    flags = [f for f in flags if f not in PORTABILITY_DROPS]
    return flags + list(BINDGEN_FINAL_FLAGS) + [MODULE_FLAG]


def _header_path(root: Path, header: str | Path | None) -> Path:
    """The header bindgen reads: absolute, and it must exist."""
    if header is None:
        head = root / "rust/bindings/bindings_helper.h"
    else:
        head = Path(header).expanduser()
        head = head if head.is_absolute() else Path.cwd() / head
    if not head.is_file():
        raise InputError(
            f"{head}: header not found; pass an existing header "
            "(kernels before 6.1 have no rust/bindings/bindings_helper.h)"
        )
    return head


def _tree_parameters(root: Path) -> BindgenParameters:
    """rust/bindgen_parameters of the tree, empty when the tree has none."""
    path = root / "rust/bindgen_parameters"
    if path.is_file():
        return read_bindgen_parameters(path)
    return BindgenParameters(path=str(path), argv=[])


def _c_flags(command: _Command) -> list[str]:
    """The object's c_flags without its per-file parts, paths made absolute."""
    words = strip_per_file_flags(command.words)
    if command.kernel_object:
        words = _strip_instrumentation(words)
    return absolutize_paths(words, command.directory)


def derive_flags(tree: str | Path, header: str | Path | None = None) -> KernelFlags:
    """Read a configured, prepared kernel tree and return bindgen's clang args."""
    root = Path(tree).expanduser()
    _check_tree(root)
    root = root.resolve()
    config = _read_config(root)
    arch = _srcarch(config, root)
    autoconf = root / "include/generated/autoconf.h"
    if not autoconf.is_file():
        raise _not_prepared(root, arch, autoconf)
    command = _find_command(root, arch)
    head = _header_path(root, header)
    args = bindgen_clang_args(_c_flags(command), config, root, arch, _output_name(root, head))
    return KernelFlags(
        tree=root,
        header=head,
        arch=arch,
        target=_target_of(args) or _CLANG_TARGETS.get(arch, ""),
        llvm=config.get("CC_IS_CLANG") == "y",
        clang_args=args,
        bindgen_parameters=_tree_parameters(root),
        source=command.source,
    )
