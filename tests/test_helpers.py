"""rust/helpers support: generated shims compile, bindgen's helpers pass agrees with
kbind's prediction, existing shims are recognised, stale ones reported, CLI rules."""

from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT, current_umask

import kbind
from kbind.checks.helpers import CUSTOM, STALE, WRAPS_INLINE, WRAPS_MACRO, classify
from kbind.clang.helpers_tu import read_helpers
from kbind.generate.macro_sig import MacroSignature, NoSignature, infer
from kbind.generate.shims import kernel_style
from kbind.helpers_command import Request, outputs
from kbind.ir import Builtin, Function, FunctionType, Location, Macro, Param, Pointer
from kbind.report import Report
from kbind.verify.helpers import (
    bindgen_shim_signatures,
    compile_errors,
    predicted_shim_signatures,
)

FIXTURES = ROOT / "headers" / "helpers"
HEADER = FIXTURES / "bindings_helper.h"
CLANG_ARGS = ["-nostdinc", f"-I{FIXTURES}"]
# The kernel builds helpers with warnings as errors.
STRICT = ["-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter"]


@functools.cache
def report(helpers_dir: str | None = None) -> Report:
    return kbind.audit(str(HEADER), CLANG_ARGS, root=str(ROOT), helpers_dir=helpers_dir)


def generate_all(folder: Path) -> tuple[Path, list]:
    """`kbind helpers --all-missing` for the fixture, laid out as rust/helpers."""
    result = outputs(report(), Request(str(HEADER), CLANG_ARGS + STRICT, str(ROOT), None,
                                       all_missing=True))
    folder.mkdir(parents=True)
    for out in result.outputs:
        (folder / Path(out.path).name).write_text(out.text)
    main = folder / "helpers.c"
    main.write_text("".join(f"{line}\n" for out in result.outputs for line in out.instructions))
    return main, result.plans.shims


def test_generated_shims_compile_and_match_bindgen(tmp_path: Path) -> None:
    main, shims = generate_all(tmp_path / "rust" / "helpers")
    names = {s.name for s in shims}
    # every inline function but the variadic one, and every inferable macro
    assert names == {
        "arch_shim_read", "shim_atomic_read", "shim_atomic_set", "shim_state_of", "shim_call",
        "shim_pick", "shim_first", "shim_name", "shim_flag_test",
        "shim_lookup_by_name_and_flags", "shim_internal_get", "shim_alloc",
        "shim_register_simple", "shim_alloc_hooked", "shim_read", "shim_read_twice",
        "shim_alloc_default", "shim_get_low", "shim_size_class", "shim_checked",
        "shim_imm_const", "shim_get_byte", "shim_dev_flags", "shim_frag_id"}
    assert compile_errors(main, CLANG_ARGS + STRICT, tmp_path / "rust") == []
    got = bindgen_shim_signatures(main, CLANG_ARGS, tmp_path / "rust")
    want = predicted_shim_signatures(report(), shims)
    assert got == want


def test_generated_object_code(tmp_path: Path) -> None:
    main, _ = generate_all(tmp_path / "rust" / "helpers")
    obj = tmp_path / "helpers.o"
    assert compile_errors(main, CLANG_ARGS + STRICT + ["-O2"], tmp_path / "rust", mode="-c",
                          output=obj) == []
    # nm comes with binutils, which Debian's clang depends on.
    symbols = subprocess.run(["nm", str(obj)], capture_output=True, text=True,
                             check=True).stdout
    assert "T rust_helper_shim_atomic_read" in symbols
    assert "T rust_helper_shim_alloc_hooked" in symbols


def test_shim_text_kernel_style() -> None:
    text = kbind.helper_stub(report(), "shim_lookup_by_name_and_flags")
    assert text == (
        "struct shim_dev *rust_helper_shim_lookup_by_name_and_flags(const char *name,\n"
        "\t\t\t\t\t\t\t   unsigned long flags,\n"
        "\t\t\t\t\t\t\t   gfp_t gfp,\n"
        "\t\t\t\t\t\t\t   size_t *count)\n"
        "{\n"
        "\treturn shim_lookup_by_name_and_flags(name, flags, gfp, count);\n"
        "}\n")
    assert kbind.helper_stub(report(), "shim_atomic_set") == (
        "void rust_helper_shim_atomic_set(atomic_t *v, int i)\n{\n\tshim_atomic_set(v, i);\n}\n")
    assert "const struct shim_dev *const dev" in kbind.helper_stub(report(), "shim_name")
    assert "void (*fallback)(int)" in kbind.helper_stub(report(), "shim_call")
    assert "const volatile unsigned long *addr" in kbind.helper_stub(report(), "arch_shim_read")
    # unnamed parameters get bindgen's own names (counting only unnamed ones)
    assert "struct shim_dev arg1" in kbind.helper_stub(report(), "shim_state_of")


def test_kernel_style_reindents_pycparser() -> None:
    assert kernel_style("int f(void)\n{\n  if (x)\n    return 1;\n}\n") == \
        "int f(void)\n{\n\tif (x)\n\t\treturn 1;\n}\n"


def test_file_has_spdx_includes_and_public_headers(tmp_path: Path) -> None:
    result = outputs(report(), Request(str(HEADER), CLANG_ARGS, str(ROOT), None,
                                       names=["arch_shim_read", "shim_internal_get"]))
    [out] = result.outputs
    assert out.path == "rust/helpers/shim.c"
    assert out.instructions == ('#include "shim.c"',)
    # asm/ and "don't include directly" headers are replaced by linux/shim.h
    assert out.text.startswith("// SPDX-License-Identifier: GPL-2.0\n\n#include <linux/shim.h>\n\n")


def test_macro_stub_and_findings() -> None:
    stub = kbind.helper_stub(report(), "shim_add_one")
    assert '#error "kbind: cannot infer the C signature of macro shim_add_one; choose the ' \
           'types by hand"' in stub
    messages = {f.item: f for f in report().findings}
    assert "kbind infers `void *shim_alloc(size_t size, gfp_t gfp)`" in \
        messages["shim_alloc"].message
    assert "cannot infer its C signature" in messages["shim_add_one"].message
    assert "trace_shim_event" in messages["shim_trace"].message
    assert "uses `SHIM_GFP_NOCACHE`, which nothing included defines" in \
        messages["shim_alloc_nocache"].message
    assert messages["shim_printf"].rule == "inline-unshimmable"
    with pytest.raises(ValueError, match="variadic"):
        kbind.helper_stub(report(), "shim_printf")
    with pytest.raises(KeyError):
        kbind.helper_stub(report(), "no_such_thing")


# -- macro inference on hand-built IR ----------------------------------------

LOC = Location("x.h", 1, 1)
INT = Builtin("int")
VOIDP = Pointer(Builtin("void"))


def _fn(name: str, *params: tuple[str, object], ret: object = INT,
        variadic: bool = False) -> Function:
    ftype = FunctionType(ret, tuple(Param(n, t) for n, t in params), variadic)  # type: ignore[arg-type]
    return Function(f"c:@F@{name}", name, ftype, LOC)


def _macro(name: str, params: str, body: str) -> Macro:
    return Macro(name, LOC, tuple(body.split()), True, tuple(params.split()))


def _infer(macro: Macro, *others: Macro, functions: tuple[Function, ...] = ()) -> object:
    macros = {m.name: m for m in (macro, *others)}
    return infer(macro, macros, {f.name: f for f in functions})


def test_infer_maps_parameters_through_macros() -> None:
    foo = _fn("__foo", ("a", INT), ("p", VOIDP))
    direct = _infer(_macro("foo", "x y", "__foo ( x , y )"), functions=(foo,))
    assert isinstance(direct, MacroSignature)
    assert direct.params == (Param("x", INT), Param("y", VOIDP)) and direct.ret == INT
    swapped = _infer(_macro("foo", "p a", "( __foo ( ( a ) , p ) )"), functions=(foo,))
    assert isinstance(swapped, MacroSignature)
    assert swapped.params == (Param("p", VOIDP), Param("a", INT))
    const_arg = _infer(_macro("bar", "p", "__foo ( 0 , p )"), functions=(foo,))
    assert isinstance(const_arg, MacroSignature) and const_arg.params == (Param("p", VOIDP),)
    chained = _infer(_macro("baz", "p", "mid ( p )"), _macro("mid", "q", "__foo ( 1 , q )"),
                     functions=(foo,))
    assert isinstance(chained, MacroSignature) and chained.via == ("mid",)


@pytest.mark.parametrize("body, reason", [
    ("__foo ( x + 1 , 0 )", "used in an expression"),
    ("__foo ( 1 , 0 )", "not passed unchanged"),
    ("do { __foo ( x , 0 ) ; } while ( 0 )", "not a single function call"),
    ("unknown ( x )", "neither a function"),
    ("__foo ( x , 0 ) + 1", "not a single function call"),
    ("__vfoo ( x )", "variadic"),
])
def test_infer_refuses_to_guess(body: str, reason: str) -> None:
    foo = _fn("__foo", ("a", INT), ("p", VOIDP))
    vfoo = _fn("__vfoo", ("a", INT), variadic=True)
    result = _infer(_macro("m", "x", body), functions=(foo, vfoo))
    assert isinstance(result, NoSignature) and reason in result.reason


# -- existing shims: already wrapped, stale ---------------------------------

MINI_TREE = {
    "helpers.c": '#include "shim.c"\n#include "gone.c"\n#include "custom.c"\n',
    "shim.c": """// SPDX-License-Identifier: GPL-2.0

#include <linux/shim_macros.h>

int rust_helper_shim_atomic_read(const atomic_t *v)
{
	return shim_atomic_read(v);
}

void *rust_helper_shim_alloc(size_t size, gfp_t gfp)
{
	return shim_alloc(size, gfp);
}

long rust_helper_shim_atomic_set(atomic_t *v, long i)
{
	shim_atomic_set(v, i);
	return 0;
}

void rust_helper_shim_name(const struct shim_dev *dev)
{
	shim_name(dev);
}

void *rust_helper_shim_alloc_default(size_t size, gfp_t gfp)
{
	return shim_alloc_default(size);
}
""",
    "gone.c": """// SPDX-License-Identifier: GPL-2.0

#include <linux/shim.h>

int rust_helper_shim_removed(int x)
{
	return shim_removed(x);
}
""",
    "custom.c": """// SPDX-License-Identifier: GPL-2.0

#include <linux/shim.h>

void rust_helper_shim_dev_init(struct shim_dev *dev)
{
	dev->id = 0;
}
""",
}


@pytest.fixture
def mini_tree(tmp_path: Path) -> Path:
    folder = tmp_path / "rust" / "helpers"
    folder.mkdir(parents=True)
    for name, text in MINI_TREE.items():
        (folder / name).write_text(text)
    return folder


def test_existing_shims_classified(mini_tree: Path) -> None:
    statuses = {s.name: s for s in classify(read_helpers(str(mini_tree), CLANG_ARGS,
                                                         "x86_64-linux-gnu"))}
    assert statuses["shim_atomic_read"].status == WRAPS_INLINE
    assert statuses["shim_alloc"].status == WRAPS_MACRO
    assert statuses["shim_name"].status == WRAPS_INLINE
    assert statuses["shim_name"].detail == "it drops the return value"
    assert statuses["shim_dev_init"].status == CUSTOM
    assert statuses["shim_removed"].status == STALE
    assert statuses["shim_removed"].detail.startswith(
        "its body no longer compiles: call to undeclared function 'shim_removed'")
    assert statuses["shim_atomic_set"].status == STALE
    assert "no longer matches `shim_atomic_set`" in statuses["shim_atomic_set"].detail
    # a macro's shim is compared with the signature kbind infers for the macro
    assert statuses["shim_alloc_default"].status == STALE
    assert "no longer matches macro `shim_alloc_default` (via `__shim_alloc`): " \
        "`void *shim_alloc_default(size_t size)`" in statuses["shim_alloc_default"].detail


def test_audit_with_helpers_dir(mini_tree: Path) -> None:
    findings = report(str(mini_tree)).findings
    by = {(f.rule, f.item) for f in findings}
    assert ("already-wrapped", "shim_atomic_read") in by
    assert ("already-wrapped", "shim_alloc") in by
    assert ("inline-needs-helper", "shim_atomic_read") not in by
    assert ("macro-needs-helper", "shim_alloc") not in by
    assert ("stale-helper", "shim_removed") in by
    assert ("stale-helper", "shim_atomic_set") in by
    # a stale shim does not count as wrapping its target
    assert ("inline-needs-helper", "shim_atomic_set") in by
    stale = next(f for f in findings if f.rule == "stale-helper" and f.item == "shim_removed")
    assert stale.location.file.endswith("gone.c") and stale.severity == "warning"


# -- the command line ---------------------------------------------------------

def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kbind", "helpers", "--header", str(HEADER),
                           "--clang-arg=-nostdinc", *args], capture_output=True, text=True,
                          cwd=ROOT)


def test_cli_writes_and_merges_without_losing_lines(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    first = _cli("shim_atomic_read", "shim_alloc", "--subsystem", "shim", "-o", str(out))
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[-1] == '#include "shim.c"'
    written = (out / "shim.c").read_text()
    assert "rust_helper_shim_atomic_read" in written and "rust_helper_shim_alloc" in written
    assert (out / "shim.c").stat().st_mode & 0o777 == 0o666 & ~current_umask()
    # A file of the user's: its lines stay, only the missing shim is added.
    mine = "// SPDX-License-Identifier: GPL-2.0\n\n#include <x.h>\n\nint mine(void) { return 1; }\n"
    (out / "shim.c").write_text(mine)
    (out / "helpers.c").write_text('#include "shim.c"\n')
    again = _cli("shim_atomic_read", "--subsystem", "shim", "-o", str(out))
    assert again.returncode == 0, again.stderr
    merged = (out / "shim.c").read_text()
    assert all(line in merged.splitlines() for line in mine.splitlines())
    assert merged.count("rust_helper_shim_atomic_read(") == 1
    assert '#include "shim.c"' not in again.stdout  # helpers.c has it already
    # Asking again, even with --force, adds nothing and deletes nothing.
    before = (out / "shim.c").read_text()
    forced = _cli("shim_atomic_read", "--subsystem", "shim", "-o", str(out), "--force")
    assert forced.returncode == 0 and "already has rust_helper_shim_atomic_read" in forced.stderr
    assert (out / "shim.c").read_text() == before


def test_cli_bad_name_in_a_batch_still_writes_the_others(tmp_path: Path) -> None:
    run = _cli("shim_register", "shim_atomic_read", "no_such_function", "--subsystem", "shim",
               "-o", str(tmp_path))
    assert run.returncode == 3
    assert "shim_register" in run.stderr and "no_such_function" in run.stderr
    assert "rust_helper_shim_atomic_read" in (tmp_path / "shim.c").read_text()


def test_cli_stdout_errors_and_refusals(tmp_path: Path) -> None:
    shown = _cli("shim_add_one")
    assert shown.returncode == 0 and "#error" in shown.stdout
    assert '#include "shim_macros.c"' in shown.stderr
    unknown = _cli("no_such_function")
    assert unknown.returncode == 3 and unknown.stderr.count("\n") == 1, unknown.stderr
    ordinary = _cli("shim_register")
    assert ordinary.returncode == 3 and "ordinary function" in ordinary.stderr
    variadic = _cli("shim_printf", "-o", str(tmp_path))
    assert variadic.returncode == 1 and "variadic" in variadic.stderr
    assert list(tmp_path.iterdir()) == []
    usage = _cli()
    assert usage.returncode == 2


def test_helpers_that_do_not_parse_stop_the_audit(mini_tree: Path) -> None:
    (mini_tree / "custom.c").write_text("#include <linux/no_such_header.h>\n")
    run = subprocess.run([sys.executable, "-m", "kbind", "audit", "--helpers-dir",
                          str(mini_tree), str(HEADER), "--", "-nostdinc"], capture_output=True,
                         text=True, cwd=ROOT)
    assert run.returncode == 3
    assert "no_such_header.h" in run.stderr and run.stderr.count("\n") == 1


# -- wrappability: bodies that only compile for constant arguments -----------

NOT_WRAPPABLE = {"shim_field_mul", "shim_get_field", "shim_imm", "shim_flush"}


def test_not_wrappable_findings() -> None:
    # A `warning` function breaks the build only under -Werror, as the kernel's.
    audited = kbind.audit(str(HEADER), CLANG_ARGS + ["-Werror"], root=str(ROOT),
                          check_bodies=True)
    flagged = {f.item: f for f in audited.findings if f.rule == "inline-not-wrappable"}
    assert set(flagged) == NOT_WRAPPABLE
    assert "(through `shim_field_mul`)" in flagged["shim_get_field"].message
    assert 'inline asm operand that must be an immediate ("i")' in flagged["shim_imm"].message
    assert "`__shim_avoid_flush`" in flagged["shim_flush"].message
    without = kbind.audit(str(HEADER), CLANG_ARGS, root=str(ROOT), check_bodies=True)
    assert {f.item for f in without.findings if f.rule == "inline-not-wrappable"} == \
        NOT_WRAPPABLE - {"shim_flush"}
    # without --check-bodies the audit does not read bodies
    assert not any(f.rule == "inline-not-wrappable" for f in report().findings)


def test_wrappability_proven_by_object_code() -> None:
    """Every candidate shim compiled alone with clang -c -O2: exactly the ones kbind
    calls not wrappable fail."""
    from kbind.generate.files import split_plans
    from kbind.generate.shims import HelperIndex
    from kbind.verify.objects import object_failures

    index = HelperIndex(report().tu)
    names = sorted(n for n in index.functions if n.startswith("shim_") and
                   index.functions[n].inline) + ["shim_get_byte", "shim_flush"]
    plans = split_plans(index, names, write_stubs=False)
    files = {f"{s.name}.c": (index.function_text(s), {s.name: index.function_text(s)})
             for s in plans.shims}
    failures = object_failures(files, HEADER, CLANG_ARGS + ["-Werror"], FIXTURES)
    assert set(failures) == NOT_WRAPPABLE
    assert "__shim_bad_mask" in failures["shim_field_mul"]


def test_helpers_command_refuses_unwrappable(tmp_path: Path) -> None:
    run = _cli("shim_get_field", "shim_get_low", "-o", str(tmp_path))
    assert run.returncode == 1
    assert "shim_get_field: it calls `__shim_bad_mask`" in run.stderr
    written = (tmp_path / "shim_wrap.c").read_text()
    assert "rust_helper_shim_get_low" in written and "rust_helper_shim_get_field" not in written


def test_includes_are_self_contained(tmp_path: Path) -> None:
    """A header that does not compile alone is replaced by the one that included it,
    and every generated file compiles on its own."""
    from kbind.verify.helpers import standalone_failures

    for name, internal in (("shim_dev_flags", "shim_needy.h"), ("shim_frag_id", "shim_frag.h")):
        result = outputs(report(), Request(str(HEADER), CLANG_ARGS, str(ROOT), None,
                                           names=[name]))
        [out] = result.outputs
        assert "#include <linux/shim.h>\n" in out.text and internal not in out.text
    main, _ = generate_all(tmp_path / "rust" / "helpers")
    files = sorted(p for p in main.parent.glob("*.c") if p.name != "helpers.c")
    assert len(files) == 3
    assert standalone_failures(files, CLANG_ARGS + STRICT, tmp_path / "rust") == {}


def test_cli_audit_check_bodies() -> None:
    run = subprocess.run([sys.executable, "-m", "kbind", "audit", "--check-bodies",
                          "--findings-only", str(HEADER), "--", "-nostdinc"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    flagged = [line for line in run.stdout.splitlines() if "[inline-not-wrappable]" in line]
    assert len(flagged) == 3 and any("`shim_imm`" in line for line in flagged)


def test_cli_writes_const_helper_lines_that_compile(tmp_path: Path) -> None:
    """Object-like macros named to `kbind helpers` get RUST_CONST_HELPER_ lines."""
    main = ROOT / "headers" / "bindings_helper.h"
    out = subprocess.run([sys.executable, "-m", "kbind", "helpers", "--header", str(main),
                          "--clang-arg=-nostdinc", "M_FORCE_CAST", "M_REF_CAST",
                          "-o", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    lines = (tmp_path / "bindings_helper.h.add").read_text()
    assert lines == ("const unsigned long RUST_CONST_HELPER_M_FORCE_CAST = M_FORCE_CAST;\n"
                     "const gfp_t RUST_CONST_HELPER_M_REF_CAST = M_REF_CAST;\n")
    probe = tmp_path / "with_helpers.h"
    probe.write_text(f'#include "{main}"\n{lines}')
    compiled = subprocess.run(["clang", "-fsyntax-only", "-nostdinc", "-Werror",
                               f"-I{main.parent}", "-x", "c", str(probe)],
                              capture_output=True, text=True)
    assert compiled.returncode == 0, compiled.stderr
    refused = subprocess.run([sys.executable, "-m", "kbind", "helpers", "--header", str(main),
                              "--clang-arg=-nostdinc", "M_TYPE"],
                             capture_output=True, text=True, cwd=ROOT)
    assert refused.returncode == 1 and "not a C expression" in refused.stderr
