"""derive_flags / read_bindgen_parameters on fake kernel trees built in tmp_path."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from support import CLANG_FLAGS, INCLUDES, TREE_BINDGEN_PARAMETERS, make_tree, savedcmd

from kbind.errors import InputError
from kbind.kernel.bindgen_parameters import (
    BindgenParameters,
    bindgen_parameters_argv,
    read_bindgen_parameters,
)
from kbind.kernel.flags import KernelFlags, derive_flags
from kbind.kernel.shell import make_filter_out, shell_words

GCC_FLAGS = (
    "-fmacro-prefix-map=./= -std=gnu11 -fshort-wchar -funsigned-char -fno-common "
    "-fno-PIE -m64 -falign-jumps=1 -falign-loops=1 -mno-80387 -mno-fp-ret-in-387 "
    "-mpreferred-stack-boundary=3 -mskip-rax-setup -mtune=generic -mno-red-zone "
    "-mcmodel=kernel -mindirect-branch=thunk-extern -mindirect-branch-register "
    "-mindirect-branch-cs-prefix -mfunction-return=thunk-extern -fno-jump-tables "
    "-fno-delete-null-pointer-checks -O2 --param=allow-store-data-races=0 "
    "-fconserve-stack -fno-stack-clash-protection -fzero-call-used-regs=used-gpr "
    "-mrecord-mcount -fstrict-flex-arrays=3 -Wall"
)
FINAL = ["-fno-builtin", "-D__BINDGEN__", "-DMODULE"]
NAMES = [
    '-DKBUILD_MODFILE="rust/bindings_generated"',
    '-DKBUILD_BASENAME="bindings_generated"',
    '-DKBUILD_MODNAME="bindings_generated"',
    "-D__KBUILD_MODNAME=kmod_bindings_generated",
]


def assert_no_per_file(args: list[str]) -> None:
    assert not [a for a in args if a.startswith("-Wp,")]
    for gone in ("-o", "-S", "-c", "-fverbose-asm"):
        assert gone not in args
    assert not [a for a in args if a.endswith((".c", ".s"))]
    assert not [a for a in args if "asm_offsets" in a or "asm-offsets" in a]


# ---------------------------------------------------------------- clang builds


def test_clang_build_from_cmd_file(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "linux")
    flags = derive_flags(tree)
    assert isinstance(flags, KernelFlags)
    assert (flags.arch, flags.target, flags.llvm) == ("x86", "x86_64-linux-gnu", True)
    assert flags.tree == tree.resolve()
    assert flags.header == tree.resolve() / "rust/bindings/bindings_helper.h"
    assert flags.source == str(tree.resolve() / "arch/x86/kernel/.asm-offsets.s.cmd")
    args = flags.clang_args
    assert_no_per_file(args)
    assert args[-7:] == NAMES + FINAL
    assert args[0] == "-nostdinc"
    includes = [a[2:] for a in args if a.startswith("-I")]
    assert len(includes) == 7
    assert all(os.path.isabs(p) and p.startswith(str(tree.resolve())) for p in includes)
    assert str(tree.resolve() / "arch/x86/include") in includes
    forced = [args[i + 1] for i, a in enumerate(args) if a == "-include"]
    assert forced == [
        str(tree.resolve() / "include/linux" / name)
        for name in ("compiler-version.h", "kconfig.h", "compiler_types.h")
    ]
    # rejected by clang >= 16, and its partner that clang < 16 needs it for
    assert not [a for a in args if "trivial-auto-var-init" in a]
    # a clang build keeps c_flags as they are: no GCC filtering, no -w
    assert "-mno-fp-ret-in-387" in args and "-fno-stack-clash-protection" in args
    assert "-w" not in args
    assert args.count("--target=x86_64-linux-gnu") == 1
    assert args.count("-DMODULE") == 1


def test_flags_do_not_depend_on_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_tree(tmp_path / "src/linux")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(tmp_path / "src")
    from_src = derive_flags("linux").clang_args
    monkeypatch.chdir(elsewhere)
    assert derive_flags(tmp_path / "src/linux").clang_args == from_src
    assert f"-I{tmp_path.resolve()}/src/linux/include" in from_src


def test_other_rust_headers_get_their_target_names(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "linux")
    uapi = derive_flags(tree, tree / "rust/uapi/uapi_helper.h").clang_args
    assert '-DKBUILD_MODNAME="uapi_generated"' in uapi
    assert '-DKBUILD_MODFILE="rust/uapi_generated"' in uapi
    custom = tmp_path / "mine.h"
    custom.write_text("int x;\n")
    flags = derive_flags(tree, custom)
    assert flags.header == custom
    assert '-DKBUILD_BASENAME="bindings_generated"' in flags.clang_args


def test_bounds_cmd_fallback_unescapes_make_and_stops_at_semicolon(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "linux", cmd="not a command\n")
    bounds = savedcmd(
        "ccache clang", CLANG_FLAGS + " -DHASH='\"$(pound)\"' -DDOLLAR=$$x", target="kernel/bounds"
    )
    bounds = bounds.replace(
        "kernel/bounds.c\n", "kernel/bounds.c ; ./tools/objtool/objtool --x\n", 1
    )
    (tree / "kernel").mkdir()
    (tree / "kernel/.bounds.s.cmd").write_text(bounds)
    flags = derive_flags(tree)
    assert flags.source.endswith("kernel/.bounds.s.cmd")
    assert '-DHASH="#"' in flags.clang_args
    assert "-DDOLLAR=$x" in flags.clang_args
    assert not [a for a in flags.clang_args if "objtool" in a or a in ("ccache", "clang")]
    assert flags.clang_args[-3:] == FINAL


# ------------------------------------------------------------------ GCC builds


def test_gcc_build_filters_gcc_only_flags(tmp_path: Path) -> None:
    config = "CONFIG_X86=y\nCONFIG_X86_64=y\nCONFIG_CC_IS_GCC=y\nCONFIG_INIT_STACK_ALL_ZERO=y\n"
    tree = make_tree(tmp_path / "linux", config=config, cmd=savedcmd("gcc", GCC_FLAGS))
    flags = derive_flags(tree)
    assert (flags.llvm, flags.target, flags.arch) == (False, "x86_64-linux-gnu", "x86")
    args = flags.clang_args
    assert_no_per_file(args)
    for gone in (
        "-mno-fp-ret-in-387",
        "-mpreferred-stack-boundary=3",
        "-mskip-rax-setup",
        "-mindirect-branch=thunk-extern",
        "-mindirect-branch-register",
        "-mindirect-branch-cs-prefix",
        "-mfunction-return=thunk-extern",
        "--param=allow-store-data-races=0",
        "-fconserve-stack",
        "-fno-stack-clash-protection",
        "-fzero-call-used-regs=used-gpr",
        "-mrecord-mcount",
        "-fstrict-flex-arrays=3",
        "-falign-jumps=1",
        "-falign-loops=1",
    ):
        assert gone not in args, gone
    for kept in ("-mno-80387", "-mno-red-zone", "-mcmodel=kernel", "-funsigned-char", "-O2"):
        assert kept in args, kept
    assert args[-9:] == NAMES + ["-w", "--target=x86_64-linux-gnu"] + FINAL
    assert not [a for a in args if "knowing-it-will-be-removed" in a]


def test_gcc_build_reads_skip_list_and_target_from_tree(tmp_path: Path) -> None:
    config = "CONFIG_ARM64=y\nCONFIG_CC_IS_GCC=y\n"
    cmd = savedcmd("aarch64-linux-gnu-gcc", "-mgeneral-regs-only -mfoo -mbar=7 -mno-fp-ret-in-387")
    tree = make_tree(tmp_path / "linux", config=config, cmd=cmd)
    (tree / "arch/x86/kernel/.asm-offsets.s.cmd").rename(tmp_path / "moved")
    (tree / "arch/arm64/kernel").mkdir(parents=True)
    (tmp_path / "moved").rename(tree / "arch/arm64/kernel/.asm-offsets.s.cmd")
    (tree / "rust/Makefile").write_text(
        "bindgen_skip_c_flags := -mfoo \\\n\t-mbar=%\n\n"
        "BINDGEN_TARGET_arm64\t:= aarch64-linux-gnu\n"
    )
    flags = derive_flags(tree)
    assert (flags.arch, flags.target) == ("arm64", "aarch64-linux-gnu")
    assert "-mfoo" not in flags.clang_args and "-mbar=7" not in flags.clang_args
    # this tree's list does not name these, so they stay
    assert "-mgeneral-regs-only" in flags.clang_args
    assert "-mno-fp-ret-in-387" in flags.clang_args
    assert "--target=aarch64-linux-gnu" in flags.clang_args


# -------------------------------------------------------- compile_commands.json


def _entry(tree: Path, file: str, extra: str = "", *, as_list: bool = False) -> dict:
    stem = Path(file).stem
    cmd = (
        f"clang -Wp,-MMD,{Path(file).parent}/.{stem}.o.d {INCLUDES} {CLANG_FLAGS} {extra} "
        f"-DKBUILD_MODFILE='\"{Path(file).with_suffix('')}\"' -DKBUILD_BASENAME='\"{stem}\"' "
        f"-DKBUILD_MODNAME='\"{stem}\"' -D__KBUILD_MODNAME=kmod_{stem} "
        f"-c -o {Path(file).with_suffix('.o')} {file}"
    )
    entry: dict = {"directory": str(tree), "file": str(tree / file)}
    if as_list:
        entry["arguments"] = shell_words(cmd)[0]
    else:
        entry["command"] = cmd
    return entry


def test_compile_commands_json_is_preferred(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "linux")
    for name in ("init/main.c", "kernel/fork.c", "mm/slub.c", "drivers/odd.c", "fs/mod.c"):
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_text("int x;\n")
    sanitizers = "-fsanitize=kernel-address -mllvm -asan-globals=1 -fsanitize-coverage=trace-pc"
    entries = [
        _entry(tree, "drivers/odd.c", "-I./drivers/odd/include -DODD"),
        _entry(tree, "init/main.c", sanitizers),
        _entry(tree, "kernel/fork.c", sanitizers, as_list=True),
        _entry(tree, "mm/slub.c", sanitizers),
        _entry(tree, "fs/mod.c", sanitizers + " -DMODULE"),
        _entry(tree, "gone/missing.c", "-DMISSING"),
        _entry(tree, "arch/x86/entry/entry.S", "-D__ASSEMBLY__"),
    ]
    (tree / "compile_commands.json").write_text(json.dumps(entries))
    flags = derive_flags(tree)
    assert "compile_commands.json" in flags.source and "init/main.c" in flags.source
    args = flags.clang_args
    assert not {"-DODD", "-DMISSING", "-D__ASSEMBLY__"} & set(args)
    assert f"-I{tree.resolve()}/drivers/odd/include" not in args
    assert not [a for a in args if "sanitize" in a or "asan" in a or a == "-mllvm"]
    assert not [a for a in args if a.startswith(("-Wp,", "-o")) or a.endswith((".c", ".o"))]
    assert "-c" not in args and args.count("-DMODULE") == 1
    assert args[-7:] == NAMES + FINAL
    assert all(os.path.isabs(a[2:]) for a in args if a.startswith("-I"))


def test_compile_commands_lto_flags_are_filtered(tmp_path: Path) -> None:
    config = (
        "CONFIG_X86=y\nCONFIG_CC_IS_CLANG=y\nCONFIG_LTO=y\nCONFIG_LTO_CLANG=y\n"
        "CONFIG_LTO_CLANG_THIN=y\n"
    )
    tree = make_tree(tmp_path / "linux", config=config)
    (tree / "init").mkdir()
    (tree / "init/main.c").write_text("int x;\n")
    lto = "-fno-lto -flto=thin -fsplit-lto-unit -fvisibility=hidden"
    (tree / "compile_commands.json").write_text(json.dumps([_entry(tree, "init/main.c", lto)]))
    args = derive_flags(tree).clang_args
    assert "-fno-lto" in args
    assert not {"-flto=thin", "-fsplit-lto-unit", "-fvisibility=hidden"} & set(args)


def test_unusable_compile_commands_falls_back_to_cmd_file(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "linux")
    (tree / "compile_commands.json").write_text(json.dumps([_entry(tree, "nope/x.c")]))
    assert derive_flags(tree).source.endswith(".asm-offsets.s.cmd")


def test_broken_compile_commands_is_an_input_error(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "linux")
    (tree / "compile_commands.json").write_text("{not json")
    with pytest.raises(InputError, match=r"compile_commands\.json: unreadable"):
        derive_flags(tree)


# --------------------------------------------------------------------- errors


def _one_line(exc: pytest.ExceptionInfo[InputError]) -> str:
    message = str(exc.value)
    assert "\n" not in message
    return message


def test_error_missing_tree(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        derive_flags(tmp_path / "nope")
    message = _one_line(exc)
    assert str(tmp_path / "nope") in message and "not found" in message


def test_error_not_a_kernel_tree(tmp_path: Path) -> None:
    (tmp_path / "Makefile").write_text("all:\n")
    with pytest.raises(InputError) as exc:
        derive_flags(tmp_path)
    message = _one_line(exc)
    assert "not a Linux kernel tree" in message and "Kconfig" in message


def test_error_not_configured(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "linux", configured=False, prepared=False)
    (tree / "arch/x86/include/generated").rmdir()
    (tree / "arch/arm64/include/generated").mkdir(parents=True)
    with pytest.raises(InputError) as exc:
        derive_flags(tree)
    message = _one_line(exc)
    assert str(tree / ".config") in message
    assert "run: make ARCH=arm64 LLVM=1 defconfig" in message


def test_error_not_prepared(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "linux", prepared=False)
    with pytest.raises(InputError) as exc:
        derive_flags(tree)
    message = _one_line(exc)
    assert "include/generated/autoconf.h" in message
    assert "run: make ARCH=x86 LLVM=1 prepare" in message


def test_error_missing_header(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "linux")
    (tree / "rust/bindings/bindings_helper.h").unlink()
    with pytest.raises(InputError) as exc:
        derive_flags(tree)
    message = _one_line(exc)
    assert "bindings_helper.h: header not found" in message
    with pytest.raises(InputError, match="nope.h: header not found"):
        derive_flags(tree, tmp_path / "nope.h")


def test_error_no_command_file(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "linux")
    (tree / "arch/x86/kernel/.asm-offsets.s.cmd").unlink()
    with pytest.raises(InputError) as exc:
        derive_flags(tree)
    message = _one_line(exc)
    assert ".asm-offsets.s.cmd" in message and "LLVM=1 prepare" in message


# --------------------------------------------------------- bindgen_parameters


def test_read_bindgen_parameters(tmp_path: Path) -> None:
    path = tmp_path / "bindgen_parameters"
    path.write_text(TREE_BINDGEN_PARAMETERS)
    params = read_bindgen_parameters(path)
    assert isinstance(params, BindgenParameters)
    assert params.argv == [
        "--blocklist-type", "__kernel_s?size_t",
        "--blocklist-type", "__kernel_ptrdiff_t",
        "--opaque-type", "xregs_state",
        "--opaque-type", "spinlock",
        "--no-doc-comments",
        "--blocklist-function", "__list_.*_report",  # sh removed the quotes
        "--blocklist-item", "ARCH_SLAB_MINALIGN",
    ]  # fmt: skip
    assert params.blocklist_types == ["__kernel_s?size_t", "__kernel_ptrdiff_t"]
    assert params.opaque_types == ["xregs_state", "spinlock"]
    assert params.blocklist_functions == ["__list_.*_report"]
    assert params.blocklist_items == ["ARCH_SLAB_MINALIGN"]
    assert params.no_doc_comments is True
    assert params.unknown == [] and params.allowlist_functions == []


def test_derive_flags_carries_the_tree_parameters(tmp_path: Path) -> None:
    flags = derive_flags(make_tree(tmp_path / "linux"))
    assert flags.bindgen_parameters.blocklist_types == ["__kernel_s?size_t", "__kernel_ptrdiff_t"]
    assert flags.bindgen_parameters.path.endswith("rust/bindgen_parameters")


def test_parameters_forms_aliases_and_unknown(tmp_path: Path) -> None:
    path = tmp_path / "params"
    path.write_text(
        "--opaque-type=foo\n--whitelist-function 'a b'\n--allowlist-var \"\"\n"
        "--frobnicate x\n--blocklist-var v\n--size_t-is-usize\nstray\n"
    )
    params = read_bindgen_parameters(path)
    assert params.argv == [
        "--opaque-type=foo", "--whitelist-function", "a b", "--allowlist-var", "",
        "--frobnicate", "x", "--blocklist-var", "v", "--size_t-is-usize", "stray",
    ]  # fmt: skip
    assert params.opaque_types == ["foo"]
    assert params.allowlist_functions == ["a b"]
    assert params.allowlist_vars == [""]
    assert params.blocklist_vars == ["v"]
    assert params.unknown == ["--frobnicate", "x", "stray"]
    assert ("--size_t-is-usize", None) in params.options
    assert params.no_doc_comments is False


def test_parameters_errors(tmp_path: Path) -> None:
    path = tmp_path / "params"
    path.write_text("--opaque-type foo  # trailing comment\n--no-doc-comments\n")
    with pytest.raises(InputError, match="comments on lines of their own"):
        read_bindgen_parameters(path)
    path.write_text("--opaque-type 'foo\n")
    with pytest.raises(InputError, match="balance the quotes"):
        read_bindgen_parameters(path)
    with pytest.raises(InputError, match="cannot read bindgen parameters"):
        read_bindgen_parameters(tmp_path / "missing")


def test_comment_only_lines_need_hash_in_column_one() -> None:
    # grep -Ev '^#|^$' keeps an indented '#', and sh then comments out the rest
    with pytest.raises(InputError):
        bindgen_parameters_argv("--no-doc-comments\n  # indented\n--use-core\n")
    assert bindgen_parameters_argv("#a\n\n--x\n#b\n--y 'z w'\n") == ["--x", "--y", "z w"]


# ---------------------------------------------------------------- primitives


def test_shell_words() -> None:
    assert shell_words('a \'b c\' "d\\"e" f\\ g -DX=\'"y"\'') == (
        ["a", "b c", 'd"e', "f g", '-DX="y"'],
        None,
    )
    assert shell_words("cc -c x.c; objtool x.o") == (["cc", "-c", "x.c"], ";")
    assert shell_words("a#b #c") == (["a#b"], "#")


def test_make_filter_out() -> None:
    patterns = ["-mfoo", "-falign-%", "--param", "asan-%"]
    words = ["-mfoo", "-mfoo=1", "-falign-loops=1", "--param", "asan-stack=1", "-O2"]
    assert make_filter_out(patterns, words) == ["-mfoo=1", "-O2"]
